//===- ModelsTest.cpp - Izhikevich and adaptive LIF, compiled and run -----===//
//
// The examples examples/izhikevich.mlir and examples/adaptive-lif.mlir are
// compiled in memory for loihi2 (the compile pipeline, then the mapping
// library's image), run on the reference engine, which executes each
// compartment's neurocore program, and compared with the float engine's
// double-precision run of the same network: the spike count of every
// population agrees within kTolerance. The image itself is checked too:
// each program stored once, Population::program set for every population
// (the LIF family included), and each compartment's parameter words.
//
//===----------------------------------------------------------------------===//
#include "cajal/Chip/CompartmentPrograms.h"
#include "cajal/Chip/StandardPrograms.h"
#include "cajal/Conversion/SNNToMapping.h"
#include "cajal/Dialect/NC/NCDialect.h"
#include "cajal/Dialect/SNN/SNNDialect.h"
#include "cajal/Mapping/Emit.h"
#include "cajal/Mapping/Programs.h"
#include "cajal/Reference/ReferenceEngine.h"
#include "cajal/TestSupport/Profiles.h"
#include "cajal/Transforms/FloatEngine.h"
#include "cajal/Transforms/LowerEquations.h"
#include "cajal/Transforms/Passes.h"
#include "cajal/Transforms/Pipeline.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

using namespace cajal;

namespace {

/// Relative tolerance on a population's spike count, chip against double
/// precision (Izhikevich's v and u carry 12 fraction bits; the adaptive
/// LIF's decays 12 bits).
constexpr double kTolerance = 0.02;
constexpr uint32_t kSteps = 1000;

struct Model {
  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  snn::NetworkOp net() { return *module->getOps<snn::NetworkOp>().begin(); }
};

std::unique_ptr<Model> load(const std::string &example) {
  auto m = std::make_unique<Model>();
  m->context.loadDialect<snn::SNNDialect, nc::NCDialect>();
  m->module = mlir::parseSourceFile<mlir::ModuleOp>(
      std::string(CAJAL_SOURCE_DIR) + "/examples/" + example, &m->context);
  return m;
}

using cajal::test::loihi2;

/// The image `cajal compile --profile loihi2 [--calibrate-steps N]` writes,
/// built in memory.
std::optional<chip::Image> compile(mlir::ModuleOp module,
                                   const chip::Profile &profile,
                                   unsigned calibrationSteps = 0) {
  mlir::PassManager pm(module.getContext());
  CompileOptions options;
  options.profile = "loihi2";
  options.calibrationSteps = calibrationSteps;
  buildCompilePipeline(pm, options);
  if (failed(pm.run(module)))
    return std::nullopt;
  mlir::FailureOr<MappedNetwork> mapped =
      buildMappingNetwork(*module.getOps<snn::NetworkOp>().begin(), profile);
  if (failed(mapped) || failed(lowerEquationPopulations(*mapped, profile)))
    return std::nullopt;
  auto part = mapping::partition(mapped->network, profile);
  EXPECT_TRUE(bool(part)) << (part ? "" : part.error());
  auto placement = mapping::place(*part, profile);
  EXPECT_TRUE(bool(placement)) << (placement ? "" : placement.error());
  auto image = mapping::buildImage(mapped->network, *part, *placement, profile);
  EXPECT_TRUE(bool(image)) << (image ? "" : image.error());
  if (!image)
    return std::nullopt;
  return std::move(*image);
}

/// Spikes per population name on the reference engine.
std::map<std::string, uint64_t> runChip(const chip::Image &image,
                                        const chip::Profile &profile) {
  auto engine = reference::ReferenceEngine::create(image, profile);
  EXPECT_TRUE(bool(engine)) << (engine ? "" : engine.error());
  std::map<std::string, uint64_t> counts;
  if (!engine)
    return counts;
  for (const chip::Population &pop : image.populations)
    counts[pop.name] = 0;
  std::vector<reference::NeuronSpike> spikes;
  for (uint32_t t = 0; t < kSteps; ++t) {
    engine->step();
    engine->lastSpikes(spikes);
    for (const reference::NeuronSpike &s : spikes)
      ++counts[image.populations[s.population].name];
  }
  return counts;
}

/// Spikes per population of the float engine, after snn-discretize.
std::map<std::string, uint64_t> runDouble(Model &m) {
  mlir::PassManager pm(&m.context);
  pm.nest<snn::NetworkOp>().addPass(createSNNDiscretize());
  EXPECT_TRUE(succeeded(pm.run(*m.module)));
  mlir::FailureOr<FloatRun> run = runFloat(m.net(), kSteps, {});
  EXPECT_TRUE(succeeded(run));
  std::map<std::string, uint64_t> counts;
  if (succeeded(run))
    for (size_t p = 0; p < run->populations.size(); ++p)
      counts[run->populations[p]] = run->spikeCounts[p];
  return counts;
}

void expectClose(const std::map<std::string, uint64_t> &chipCounts,
                 const std::map<std::string, uint64_t> &doubleCounts) {
  ASSERT_EQ(chipCounts.size(), doubleCounts.size());
  for (const auto &[name, expected] : doubleCounts) {
    const double got = double(chipCounts.at(name));
    EXPECT_GT(expected, 0u) << name;
    EXPECT_LE(std::fabs(got - double(expected)), kTolerance * double(expected))
        << name << ": chip " << got << " spikes, double precision " << expected;
  }
}

const chip::Population &population(const chip::Image &image,
                                   const std::string &name) {
  for (const chip::Population &p : image.populations)
    if (p.name == name)
      return p;
  ADD_FAILURE() << "no population " << name;
  return image.populations.front();
}

TEST(ModelsTest, IzhikevichExampleFollowsDoublePrecision) {
  const chip::Profile profile = loihi2();
  auto compiled = load("izhikevich.mlir");
  ASSERT_TRUE(compiled->module);
  std::optional<chip::Image> image = compile(*compiled->module, profile);
  ASSERT_TRUE(image);
  auto reference = load("izhikevich.mlir");
  ASSERT_TRUE(reference->module);
  expectClose(runChip(*image, profile), runDouble(*reference));
}

TEST(ModelsTest, AdaptiveLifExampleFollowsDoublePrecisionAndAdapts) {
  const chip::Profile profile = loihi2();
  auto compiled = load("adaptive-lif.mlir");
  ASSERT_TRUE(compiled->module);
  std::optional<chip::Image> image = compile(*compiled->module, profile);
  ASSERT_TRUE(image);
  auto reference = load("adaptive-lif.mlir");
  ASSERT_TRUE(reference->module);
  const auto chipCounts = runChip(*image, profile);
  expectClose(chipCounts, runDouble(*reference));
  // Spike-frequency adaptation: under the same drive, the adaptive
  // neurons spike well below the LIF ones.
  EXPECT_LT(double(chipCounts.at("alif")), 0.7 * double(chipCounts.at("lif")));
}

TEST(ModelsTest, ImageStoresEachProgramOnceWithItsWords) {
  const chip::Profile profile = loihi2();
  auto iz = load("izhikevich.mlir");
  ASSERT_TRUE(iz->module);
  std::optional<chip::Image> image = compile(*iz->module, profile);
  ASSERT_TRUE(image);
  // rs and fs share b and c, so one program (its initial state) serves both.
  ASSERT_EQ(image->programs.size(), 1u);
  EXPECT_EQ(image->programs[0], chip::izhikevichProgram({}));
  EXPECT_EQ(population(*image, "rs").program, 0u);
  EXPECT_EQ(population(*image, "fs").program, 0u);
  auto resolved = chip::resolvePrograms(*image, profile);
  ASSERT_TRUE(bool(resolved));
  // Compartment words: rs neuron 7 has a bias current of 14 mV/ms.
  const chip::Slice &rs = population(*image, "rs").slices.front();
  const chip::Core &core = image->cores[rs.core];
  chip::IzhikevichParams neuron7;
  neuron7.current = 14.0;
  EXPECT_EQ(chip::compartmentParamWords(core, rs.firstCompartment + 7, false,
                                        profile.neuron),
            chip::izhikevichParamWords(neuron7));
  // The record beside the words never spikes on its own.
  EXPECT_TRUE(core.compartments[rs.firstCompartment].flags & chip::NoSpike);

  auto alif = load("adaptive-lif.mlir");
  ASSERT_TRUE(alif->module);
  image = compile(*alif->module, profile);
  ASSERT_TRUE(image);
  ASSERT_EQ(image->programs.size(), 2u);
  const chip::Population &adaptive = population(*image, "alif");
  const chip::Population &lif = population(*image, "lif");
  EXPECT_EQ(image->programs[adaptive.program],
            chip::adaptiveLifProgram(profile.neuron));
  // A LIF population whose records all name one variant runs that
  // program, which is the one its records name.
  EXPECT_EQ(image->programs[lif.program],
            chip::lifProgram(profile.neuron, chip::LifReset::Zero));
  const chip::Slice &a = adaptive.slices.front();
  const chip::Core &alifCore = image->cores[a.core];
  const std::vector<int64_t> words = chip::compartmentParamWords(
      alifCore, a.firstCompartment, false, profile.neuron);
  ASSERT_EQ(words.size(), chip::kAdaptiveLifParamWords);
  std::vector<int64_t> lifWords = chip::lifParamWords(
      alifCore.compartments[a.firstCompartment], profile.neuron);
  EXPECT_TRUE(std::equal(lifWords.begin(), lifWords.end(), words.begin()));
  // jump = 1 - exp(-1/200) in units of 2^-16.
  EXPECT_EQ(words[8], std::llround(-std::expm1(-1.0 / 200) * 65536));
}

/// The built-in LIF family and adaptive LIF beside each other: a clock
/// drives a LIF population (zero reset, refractory), a current-based LIF
/// (subtract reset), an adaptive LIF, Izhikevich neurons and a leaky
/// readout; the LIF population drives the current-based one.
constexpr const char *kBuiltInNetwork = R"mlir(
snn.network @mixed attributes {dt = 1.0e-3 : f64} {
  %clock = snn.periodic_source @clock {period = 7 : i64, phase = 0 : i64} : !snn.spikes<1>
  %lif = snn.population @lif {model = #snn.model<lif>, params = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0, t_ref = 2.0e-3, bias = array<f64: 0.8, 1.1, 1.4, 1.7>>} : !snn.spikes<4>
  %cuba = snn.population @cuba {model = #snn.model<cuba_lif>, params = #snn.continuous<tau_mem = 1.0e-2, tau_syn = 5.0e-3, v_th = 0.5, reset = subtract, bias = 0.4>} : !snn.spikes<3>
  %alif = snn.population @alif {model = #snn.model<adaptive_lif>, params = #snn.continuous<tau_mem = 2.0e-2, v_th = 1.0, bias = array<f64: 1.5, 2.5>, tau_a = 2.0e-1, beta = 5.0>} : !snn.spikes<2>
  %out = snn.population @out {model = #snn.model<li>, params = #snn.continuous<tau_mem = 5.0e-2>} : !snn.spikes<2>
  %iz = snn.population @iz {model = #snn.model<izhikevich>, params = #snn.izhikevich<d = array<f64: 8.0, 2.0>, bias = array<f64: 6.0, 10.0>>} : !snn.spikes<2>
  snn.projection @clock_lif %clock -> %lif {connectivity = #snn.dense<dense<3.0> : tensor<4x1xf64>>} : !snn.spikes<1> -> !snn.spikes<4>
  snn.projection @lif_cuba %lif -> %cuba {connectivity = #snn.dense<dense<[[6.0, 2.0, 0.0, 4.0], [2.0, 8.0, 2.0, 0.0], [0.0, 0.0, 12.0, 4.0]]> : tensor<3x4xf64>>} : !snn.spikes<4> -> !snn.spikes<3>
  snn.projection @clock_alif %clock -> %alif {connectivity = #snn.dense<dense<2.0> : tensor<2x1xf64>>} : !snn.spikes<1> -> !snn.spikes<2>
  snn.projection @clock_iz %clock -> %iz {connectivity = #snn.dense<dense<4.0> : tensor<2x1xf64>>} : !snn.spikes<1> -> !snn.spikes<2>
  snn.projection @cuba_out %cuba -> %out {connectivity = #snn.dense<dense<1.0> : tensor<2x3xf64>>} : !snn.spikes<3> -> !snn.spikes<2>
}
)mlir";

TEST(ModelsTest, LibraryModelsGiveTheBuiltInSpikes) {
  mlir::MLIRContext context;
  context.loadDialect<snn::SNNDialect, nc::NCDialect>();
  auto discretised = [&](bool expand) {
    auto module =
        mlir::parseSourceString<mlir::ModuleOp>(kBuiltInNetwork, &context);
    EXPECT_TRUE(module);
    mlir::PassManager pm(&context);
    pm.nest<snn::NetworkOp>().addPass(createSNNDiscretize());
    if (expand)
      pm.addPass(createSNNExpandLibraryModels());
    EXPECT_TRUE(succeeded(pm.run(*module)));
    return module;
  };
  auto builtIn = discretised(false), library = discretised(true);
  ASSERT_TRUE(builtIn && library);
  // Every population became an equation population of a library model.
  unsigned models = 0;
  for (auto model : library->getOps<snn::NeuronModelOp>()) {
    (void)model;
    ++models;
  }
  // lif_zero, lif_subtract, adaptive_lif, li, izhikevich
  EXPECT_EQ(models, 5u);
  for (auto pop : (*library->getOps<snn::NetworkOp>().begin())
                      .getBodyBlock()
                      ->getOps<snn::PopulationOp>())
    EXPECT_EQ(pop.getModel(), snn::NeuronModel::Equations)
        << pop.getSymName().str();

  auto run = [](mlir::ModuleOp module) {
    return runFloat(*module.getOps<snn::NetworkOp>().begin(), kSteps, {});
  };
  mlir::FailureOr<FloatRun> a = run(*builtIn), b = run(*library);
  ASSERT_TRUE(succeeded(a) && succeeded(b));
  // The same spikes, step for step.
  ASSERT_EQ(a->spikeCounts, b->spikeCounts);
  ASSERT_EQ(a->spikes.size(), b->spikes.size());
  for (size_t k = 0; k < a->spikes.size(); ++k) {
    EXPECT_EQ(a->spikes[k].step, b->spikes[k].step) << k;
    EXPECT_EQ(a->spikes[k].node, b->spikes[k].node) << k;
    EXPECT_EQ(a->spikes[k].index, b->spikes[k].index) << k;
  }
  std::map<std::string, uint64_t> doubleCounts;
  for (size_t p = 0; p < a->populations.size(); ++p) {
    if (a->populations[p] != "out") {
      EXPECT_GT(a->spikeCounts[p], 10u) << a->populations[p];
      doubleCounts[a->populations[p]] = a->spikeCounts[p];
    }
  }
  // On loihi2 the library network compiles like any equation model (the
  // ranges of u and v from a float run) and follows double precision.
  const chip::Profile profile = loihi2();
  std::optional<chip::Image> image = compile(*library, profile, kSteps);
  ASSERT_TRUE(image);
  std::map<std::string, uint64_t> chipCounts = runChip(*image, profile);
  EXPECT_EQ(chipCounts.at("out"), 0u);
  chipCounts.erase("out");
  expectClose(chipCounts, doubleCounts);
}

} // namespace
