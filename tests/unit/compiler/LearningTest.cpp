//===- LearningTest.cpp - Learning projections through the compiler -----===//
//
// Small networks with learning projections compiled by the real pass
// pipeline (cajal compile's) into an image file, read back and checked
// against docs/learning.md: the learning groups' input axons, the rules
// (equal to parseLearningRule of their text), the traces in the profile's
// fields, the post traces of the population, the epoch and seed, and the
// extra synapse memory a learning group takes, which the partitioner
// accounts for.
//
//===----------------------------------------------------------------------===//
#include "cajal/Chip/Learning.h"
#include "cajal/Chip/Image.h"
#include "cajal/Conversion/SNNToMapping.h"
#include "cajal/Dialect/NC/NCDialect.h"
#include "cajal/Dialect/SNN/SNNDialect.h"
#include "cajal/Mapping/Emit.h"
#include "cajal/Mapping/Partition.h"
#include "cajal/Mapping/Quantize.h"
#include "cajal/TestSupport/Profiles.h"
#include "cajal/Transforms/Pipeline.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>

using namespace cajal;

namespace {

/// Four Poisson inputs onto two LIF neurons, through `projections` (each
/// "name attributes", the connectivity given).
std::string network(const std::string &projections,
                    const std::string &networkAttributes = "") {
  return R"(snn.network @net attributes {dt = 1.0e-3 : f64)" +
         networkAttributes + R"(} {
  %in = snn.poisson_source @in {rate = 20.0 : f64, seed = 1 : i64} : !snn.spikes<4>
  %out = snn.population @out {model = #snn.model<lif>,
      params = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0>} : !snn.spikes<2>
)" + projections +
         "}\n";
}

std::string projection(const std::string &name, const std::string &extra) {
  return "  snn.projection @" + name +
         " %in -> %out {connectivity = #snn.dense<dense<[[0.5, 0.25, 0.5, "
         "0.125], [0.25, 0.5, 0.125, 0.5]]> : tensor<2x4xf64>>" +
         extra + "} : !snn.spikes<4> -> !snn.spikes<2>\n";
}

const char *const kPairText = "dw = 2^-4 * x1 * y0 - 2^-4 * y1 * x0";

/// The image `cajal compile` writes for `source` on loihi1, read back (and
/// validated against the profile by readImage).
std::optional<chip::Image> compile(const std::string &source,
                                   const std::string &tag) {
  mlir::MLIRContext context;
  context.loadDialect<snn::SNNDialect, nc::NCDialect>();
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(source, &context);
  EXPECT_TRUE(module) << source;
  if (!module)
    return std::nullopt;
  const std::string path =
      ::testing::TempDir() + "/cajal-learning-" + tag + ".cjimg";
  mlir::PassManager pm(&context);
  CompileOptions options;
  options.profile = "loihi1";
  options.imagePath = path;
  buildCompilePipeline(pm, options);
  EXPECT_TRUE(succeeded(pm.run(*module))) << source;
  Result<chip::Image> image = chip::readImage(path, test::loihi1());
  std::remove(path.c_str());
  EXPECT_TRUE(bool(image)) << (image ? "" : image.error());
  if (!image)
    return std::nullopt;
  return std::move(*image);
}

chip::LearningRule parsed(const std::string &text) {
  Result<chip::LearningRule> rule = chip::parseLearningRule(text);
  EXPECT_TRUE(bool(rule)) << (rule ? "" : rule.error());
  return rule ? *rule : chip::LearningRule{};
}

TEST(Learning, RuleTracesAndAxonsReachTheImage) {
  const std::string learning =
      std::string(", learning = #snn.learning<rule = \"") + kPairText +
      "\", x1 = #snn.trace<impulse = 2.25, tau = 20.0>, y1 = "
      "#snn.trace<impulse = 16.0, tau = 40.0>, y3 = #snn.trace<impulse = "
      "3.0>>";
  std::optional<chip::Image> image = compile(
      network(projection("plastic", learning) + projection("fixed", "") +
                  projection("teacher", ", reward"),
              ", learning_epoch = 5 : i64, learning_seed = 42 : i64"),
      "rule");
  ASSERT_TRUE(image);
  const chip::Profile profile = test::loihi1();
  EXPECT_TRUE(bool(chip::validate(*image, profile)));

  EXPECT_EQ(image->learning.epochSteps, 5u);
  EXPECT_EQ(image->learning.seed, 42u);
  ASSERT_EQ(image->learning.rules.size(), 1u);
  const chip::LearningRuleSetting &setting = image->learning.rules[0];
  EXPECT_EQ(setting.rule, parsed(kPairText));
  // 2.25 = 2 + 64 / 2^8; decay round(2^12 / 20) = 205.
  EXPECT_EQ(setting.x1, (chip::TraceParams{2, 64, 205}));
  EXPECT_EQ(setting.x2, chip::TraceParams{});

  ASSERT_EQ(image->populations.size(), 1u);
  const auto &post = image->populations[0].postTraces;
  EXPECT_EQ(post[0], (chip::TraceParams{16, 0, 102})); // round(4096 / 40)
  EXPECT_EQ(post[1], chip::TraceParams{});
  EXPECT_EQ(post[2], (chip::TraceParams{3, 0, 0})); // no tau: no decay

  // Each projection has one input axon per pre neuron, in projection order
  // (@plastic, @fixed, @teacher) on the one core.
  ASSERT_EQ(image->cores.size(), 1u);
  const chip::Core &core = image->cores[0];
  ASSERT_EQ(core.inputAxons.size(), 12u);
  for (unsigned a = 0; a < 12; ++a) {
    const chip::InputAxon &axon = core.inputAxons[a];
    SCOPED_TRACE("input axon " + std::to_string(a));
    if (a < 4) {
      EXPECT_EQ(axon.learning, 0u);
      EXPECT_EQ(axon.weightBits, profile.synapse.weightBitsMax);
      EXPECT_TRUE(axon.hasDelay);
      EXPECT_FALSE(axon.reward);
      for (uint32_t i = 0; i < axon.synapseCount; ++i)
        EXPECT_EQ(
            chip::unpackSynapse(core.synapseWords, axon, i, profile.synapse)
                .tag,
            0);
    } else {
      EXPECT_EQ(axon.learning, chip::InputAxon::kNoLearning);
      EXPECT_FALSE(axon.hasDelay);
      EXPECT_EQ(axon.reward, a >= 8);
    }
    // A reward projection's weights are in units of r: a spike adds
    // mantissa << (weightShift + exponent) to r, the weight as written to
    // within half of loihi1's finest step, 2^(6 - 8) = 0.25 (0.125 rounds
    // to 0.25).
    if (axon.reward)
      for (uint32_t i = 0; i < axon.synapseCount; ++i) {
        const chip::Synapse syn =
            chip::unpackSynapse(core.synapseWords, axon, i, profile.synapse);
        const double written[2][4] = {{0.5, 0.25, 0.5, 0.125},
                                      {0.25, 0.5, 0.125, 0.5}};
        EXPECT_NEAR(
            std::ldexp(double(syn.mantissa),
                       int(profile.synapse.weightShift) + axon.weightExponent),
            written[syn.compartment][a - 8], 0.125);
      }
    EXPECT_EQ(axon.synapseCount, 2u);
  }
}

TEST(Learning, LibraryRulesExpandToTheirText) {
  const std::string pair =
      ", learning = #snn.pair_stdp<a_plus = 6.25e-2, a_minus = 7.8125e-2, "
      "tau_plus = 20.0, tau_minus = 10.0>";
  const std::string triplet =
      ", learning = #snn.triplet_stdp<a2_plus = 6.25e-2, a3_plus = "
      "3.90625e-3, a2_minus = 6.25e-2, a3_minus = 0.0, tau_plus = 17.0, "
      "tau_minus = 34.0, tau_x = 101.0, tau_y = 125.0, impulse = 8.0>";
  const std::string reward =
      ", learning = #snn.reward_stdp<a_plus = 6.25e-2, a_minus = 6.25e-2, "
      "tau_plus = 20.0, tau_minus = 20.0, learning_rate = 3.125e-2, "
      "tag_decay = 1.25e-1>";
  struct Case {
    std::string attr, text;
    chip::TraceParams x1, x2;
    std::array<chip::TraceParams, 3> post;
  } cases[] = {
      {pair,
       "dw = 2^-4 * x1 * y0 - 5 * 2^-6 * y1 * x0",
       {16, 0, 205},
       {},
       {chip::TraceParams{16, 0, 410}, {}, {}}},
      {triplet,
       "dw = 2^-4 * x1 * y0 + 2^-8 * x1 * y2 * y0 - 2^-4 * y1 * x0",
       {8, 0, 241},
       {8, 0, 41},
       {chip::TraceParams{8, 0, 120}, chip::TraceParams{8, 0, 33}, {}}},
      {reward,
       "dt = 2^-4 * x1 * y0 - 2^-4 * y1 * x0 - 2^-3 * t * u; dw = 2^-5 * r "
       "* t * u",
       {16, 0, 205},
       {},
       {chip::TraceParams{16, 0, 205}, {}, {}}},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.attr);
    std::optional<chip::Image> image =
        compile(network(projection("plastic", c.attr)), "library");
    ASSERT_TRUE(image);
    ASSERT_EQ(image->learning.rules.size(), 1u);
    EXPECT_EQ(image->learning.rules[0].rule, parsed(c.text));
    EXPECT_EQ(image->learning.rules[0].x1, c.x1);
    EXPECT_EQ(image->learning.rules[0].x2, c.x2);
    EXPECT_EQ(image->populations[0].postTraces, c.post);
    EXPECT_EQ(image->learning.epochSteps, 1u); // the default epoch
    EXPECT_EQ(image->learning.seed, 0u);
  }
}

TEST(Learning, EqualRulesAreStoredOnce) {
  const std::string rule = std::string(", learning = #snn.learning<rule = \"") +
                           kPairText + "\", x1 = #snn.trace<impulse = 8.0>>";
  const std::string other =
      ", learning = #snn.learning<rule = \"dw = -2^-3 * y1 * x0\", x1 = "
      "#snn.trace<impulse = 8.0>>";
  std::optional<chip::Image> image =
      compile(network(projection("a", rule) + projection("b", rule) +
                      projection("c", other)),
              "dedup");
  ASSERT_TRUE(image);
  ASSERT_EQ(image->learning.rules.size(), 2u);
  const chip::Core &core = image->cores[0];
  ASSERT_EQ(core.inputAxons.size(), 12u);
  for (unsigned a = 0; a < 12; ++a)
    EXPECT_EQ(core.inputAxons[a].learning, a < 8 ? 0u : 1u) << a;
  EXPECT_EQ(image->learning.rules[1].rule, parsed("dw = -2^-3 * y1 * x0"));
}

TEST(Learning, SignModeBoundsTheRuleAndTheInitialWeights) {
  const std::string rule = std::string(", learning = #snn.learning<rule = \"") +
                           kPairText + "\", x1 = #snn.trace<impulse = 8.0>>";
  // One rule text with two sign modes is two rules in the image.
  std::optional<chip::Image> image =
      compile(network(projection("a", rule + ", sign_mode = \"excitatory\"") +
                      projection("b", rule)),
              "sign");
  ASSERT_TRUE(image);
  ASSERT_EQ(image->learning.rules.size(), 2u);
  EXPECT_EQ(image->learning.rules[0].sign, chip::WeightSign::Excitatory);
  EXPECT_EQ(image->learning.rules[1].sign, chip::WeightSign::Mixed);

  // An initial weight of the other sign is refused, naming the projection,
  // and no image is written.
  mlir::MLIRContext context;
  context.loadDialect<snn::SNNDialect, nc::NCDialect>();
  std::string source =
      network(projection("inh", rule + ", sign_mode = \"inhibitory\""));
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(source, &context);
  ASSERT_TRUE(module);
  std::string diagnostics;
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &d) {
    diagnostics += d.str() + "\n";
    return mlir::success();
  });
  const std::string path = ::testing::TempDir() + "/cajal-learning-inh.cjimg";
  std::remove(path.c_str());
  mlir::PassManager pm(&context);
  CompileOptions options;
  options.profile = "loihi1";
  options.imagePath = path;
  buildCompilePipeline(pm, options);
  EXPECT_TRUE(failed(pm.run(*module)));
  EXPECT_NE(diagnostics.find("projection \"inh\": an inhibitory learning "
                             "projection has an initial weight of the other "
                             "sign (mantissa"),
            std::string::npos)
      << diagnostics;
  EXPECT_FALSE(std::ifstream(path).good());
}

TEST(Learning, NoLearningNoLearningSection) {
  std::optional<chip::Image> image = compile(
      network(projection("fixed", ""), ", learning_epoch = 3 : i64"), "fixed");
  ASSERT_TRUE(image);
  EXPECT_FALSE(image->learning.enabled());
  EXPECT_TRUE(image->learning.rules.empty());
}

/// Synapse words of the one core of `source`'s image, and what the
/// partitioner counted for it.
/// `source`'s network as the compiler maps it, and its partitioning on
/// loihi1.
struct Partitioned {
  mapping::Network network;
  mapping::Partitioning part;
};
std::optional<Partitioned> partitioned(const std::string &source) {
  mlir::MLIRContext context;
  context.loadDialect<snn::SNNDialect, nc::NCDialect>();
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(source, &context);
  mlir::PassManager pm(&context);
  CompileOptions options;
  options.profile = "loihi1";
  buildCompilePipeline(pm, options);
  EXPECT_TRUE(succeeded(pm.run(*module)));
  mlir::FailureOr<MappedNetwork> mapped = buildMappingNetwork(
      *module->getOps<snn::NetworkOp>().begin(), test::loihi1());
  EXPECT_TRUE(succeeded(mapped));
  if (failed(mapped))
    return std::nullopt;
  Result<mapping::Partitioning> part =
      mapping::partition(mapped->network, test::loihi1());
  EXPECT_TRUE(bool(part)) << (part ? "" : part.error());
  if (!part)
    return std::nullopt;
  return Partitioned{std::move(mapped->network), std::move(*part)};
}

/// The synapse words of `source`'s single core: in the image, and as the
/// partitioner counts them.
std::pair<size_t, uint32_t> words(const std::string &source,
                                  const std::string &tag) {
  std::optional<chip::Image> image = compile(source, tag);
  if (!image || image->cores.size() != 1)
    return {0, 0};
  std::optional<Partitioned> p = partitioned(source);
  if (!p || p->part.coreCount() != 1)
    return {0, 0};
  return {image->cores[0].synapseWords.size(), p->part.coreUse[0].synapseWords};
}

TEST(Learning, LearningGroupsTakeMoreSynapseWords) {
  // 64 post neurons: each input axon's group is long enough that the
  // width of a synapse, not the rounding to whole words, decides.
  const auto source = [](const std::string &extra) {
    return R"(snn.network @net attributes {dt = 1.0e-3 : f64} {
  %in = snn.poisson_source @in {rate = 20.0 : f64, seed = 1 : i64} : !snn.spikes<8>
  %out = snn.population @out {model = #snn.model<lif>,
      params = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0>} : !snn.spikes<64>
  snn.projection @p %in -> %out {connectivity = #snn.fixed_prob<p = 1.0,
      seed = 3, weight = 1.0e-1>)" +
           extra + R"(} : !snn.spikes<8> -> !snn.spikes<64>
})";
  };
  const auto [fixedImage, fixedCounted] = words(source(""), "words-fixed");
  const auto [learnImage, learnCounted] =
      words(source(", learning = #snn.pair_stdp<a_plus = 6.25e-2, a_minus = "
                   "6.25e-2, tau_plus = 20.0, tau_minus = 20.0>"),
            "words-learning");
  ASSERT_GT(fixedImage, 0u);
  // The partitioner counts what the emitter writes, in both formats.
  EXPECT_EQ(fixedCounted, fixedImage);
  EXPECT_EQ(learnCounted, learnImage);
  // A learning synapse adds the widest weight, a delay and a tag.
  EXPECT_GT(learnImage, fixedImage);
  const chip::Profile profile = test::loihi1();
  chip::InputAxon learningAxon;
  learningAxon.learning = 0;
  learningAxon.weightBits = uint8_t(profile.synapse.weightBitsMax);
  learningAxon.hasDelay = true;
  learningAxon.synapseCount = 64;
  EXPECT_EQ(learnImage, 8 * chip::wordsForGroup(learningAxon, profile.synapse));
}

// The fit report shows, per core and in total, the synapses of learning
// projections and the synapse words they take: those the image's learning
// groups hold. A network that does not learn has no such entries.
TEST(Learning, FitReportShowsLearningSynapses) {
  const std::string source = network(
      projection("plastic", ", learning = #snn.pair_stdp<a_plus = 6.25e-2, "
                            "a_minus = 6.25e-2, tau_plus = 20.0, "
                            "tau_minus = 20.0>") +
      projection("fixed", ""));
  std::optional<chip::Image> image = compile(source, "fit-learning");
  ASSERT_TRUE(image);
  uint64_t learningSynapses = 0, learningWords = 0, allSynapses = 0;
  for (const chip::Core &core : image->cores)
    for (const chip::InputAxon &axon : core.inputAxons) {
      allSynapses += axon.synapseCount;
      if (axon.learns()) {
        learningSynapses += axon.synapseCount;
        learningWords += chip::wordsForGroup(axon, test::loihi1().synapse);
      }
    }
  ASSERT_GT(learningSynapses, 0u);
  ASSERT_LT(learningSynapses, allSynapses);
  std::optional<Partitioned> p = partitioned(source);
  ASSERT_TRUE(p);
  const nlohmann::json report = nlohmann::json::parse(
      mapping::fitReport(p->network, p->part, test::loihi1()));
  const nlohmann::json &totals = report["totals"];
  EXPECT_EQ(totals["synapses"], allSynapses);
  EXPECT_EQ(totals["learningSynapses"], learningSynapses);
  EXPECT_EQ(totals["learningSynapseWords"], learningWords);
  uint64_t perCore = 0;
  for (const nlohmann::json &core : report["cores"])
    perCore += core["resources"]["learningSynapses"].get<uint64_t>();
  EXPECT_EQ(perCore, learningSynapses);

  std::optional<Partitioned> fixed = partitioned(network(projection("f", "")));
  ASSERT_TRUE(fixed);
  const nlohmann::json plain = nlohmann::json::parse(
      mapping::fitReport(fixed->network, fixed->part, test::loihi1()));
  EXPECT_FALSE(plain["totals"].contains("learningSynapses"));
  EXPECT_FALSE(plain["cores"][0]["resources"].contains("learningSynapses"));
}

TEST(Learning, QuantizeTraceRoundsTheFractionAndTheDecay) {
  const chip::LearningFormat &f = test::loihi1().learning;
  EXPECT_EQ(mapping::quantizeTrace(16.0, 20.0, f),
            (chip::TraceParams{16, 0, 205}));
  EXPECT_EQ(mapping::quantizeTrace(0.5, 0.0, f),
            (chip::TraceParams{0, 128, 0}));
  // A fraction that rounds to one carries into the integer part.
  EXPECT_EQ(mapping::quantizeTrace(2.999, 1.0, f),
            (chip::TraceParams{3, 0, 4096}));
  // Out of range values reach checkTraceParams unwrapped.
  EXPECT_FALSE(bool(chip::checkTraceParams(
      test::loihi1(), mapping::quantizeTrace(200, 0.5, f))));
}

} // namespace
