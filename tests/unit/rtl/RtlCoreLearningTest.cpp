//===- RtlCoreLearningTest.cpp - The neurocore's learning phase in lockstep
//===//
//
// The Verilated neurocore with its learning phase (learning_phase.sv, the
// rtl-small build) against the SystemC core logic (CoreLogic::learn) in
// rtl::runLockstep: random learning images with a random pair-STDP rule
// (half with more dw terms) over random spike trains, spikes, states, the
// learning phase's cycles (each step's against its schedule), every trace
// after every step and every learning synapse's weight after every epoch,
// bit for bit; a pair-STDP core
// driven hard enough that its weights change; the refusals.
//
//===----------------------------------------------------------------------===//
#include "RtlTestSupport.h"

#include "cajal/Chip/Learning.h"
#include "cajal/ImageGen/RandomImage.h"
#include "cajal/ImageGen/RandomProgram.h"
#include "cajal/Rtl/Lockstep.h"
#include "cajal/Rtl/RtlCore.h"

#include <gtest/gtest.h>

namespace cajal {
namespace {

using chip::LearningVariable;

chip::RuleTerm term(LearningVariable dependency, int32_t mantissa,
                    int32_t exponent, std::vector<LearningVariable> factors) {
  chip::RuleTerm t;
  t.mantissa = mantissa;
  t.exponent = exponent;
  t.dependency = dependency;
  for (LearningVariable v : factors)
    t.factors.push_back({v, 0});
  return t;
}

/// dw = S1 * x1 * y0 + S2 * y1 * x0, random scales, in either order; with
/// `more`, one or two more dw terms over any dependency and factor.
chip::LearningRule randomPairRule(const chip::Profile &p, imagegen::Rng &rng,
                                  bool more) {
  const chip::LearningFormat &f = p.learning;
  const int64_t mantissaMax = (int64_t(1) << f.scaleMantissaBits) - 1;
  const auto scale = [&] {
    return std::pair<int32_t, int32_t>(
        int32_t(rng.range(-mantissaMax, mantissaMax)),
        int32_t(rng.range(-int64_t(f.accumulatorBits) / 2, 2)));
  };
  chip::LearningRule rule;
  auto &dw = rule.of(chip::LearningTarget::Weight);
  auto [m1, e1] = scale();
  auto [m2, e2] = scale();
  dw.push_back(term(LearningVariable::Y0, m1, e1, {LearningVariable::X1}));
  dw.push_back(term(LearningVariable::X0, m2, e2, {LearningVariable::Y1}));
  if (rng.coin())
    std::swap(dw[0], dw[1]);
  static constexpr LearningVariable kFactors[] = {
      LearningVariable::X1, LearningVariable::X2, LearningVariable::Y1,
      LearningVariable::Y2, LearningVariable::Y3, LearningVariable::R,
      LearningVariable::W,  LearningVariable::D,  LearningVariable::T};
  static constexpr LearningVariable kDependencies[] = {
      LearningVariable::X0, LearningVariable::Y0, LearningVariable::U};
  for (int64_t k = more ? rng.range(1, 2) : 0; k > 0; --k) {
    std::vector<LearningVariable> factors(
        size_t(rng.range(0, p.learning.maxFactors - 1)));
    for (LearningVariable &v : factors)
      v = kFactors[rng.range(0, std::size(kFactors) - 1)];
    auto [m, e] = scale();
    dw.push_back(term(kDependencies[rng.range(0, 2)], m, e, factors));
  }
  return rule;
}

/// A seeded random single-core learning image (RandomOptions::learning) the
/// RTL core runs: every rule replaced by a random pair-STDP rule, every
/// learning axon learning by rule 0; reward axons deliver as plain groups
/// (the core has no reward ring).
chip::Image randomLearningImage(const chip::Profile &p, uint64_t seed) {
  imagegen::RandomOptions o;
  o.seed = seed;
  o.minCores = o.maxCores = 1;
  o.maxCompartments = 24;
  o.steps = 100;
  o.learning = true;
  chip::Image image = imagegen::randomNetwork(p, o).image;
  imagegen::Rng rng(seed * 7919 + 3);
  for (chip::InputAxon &a : image.cores[0].inputAxons) {
    if (a.learns())
      a.learning = 0;
    a.reward = false;
  }
  for (chip::LearningRuleSetting &r : image.learning.rules)
    r.rule = randomPairRule(p, rng, rng.coin());
  return image;
}

struct Totals {
  uint64_t epochs = 0, weights = 0, changed = 0, learnCycles = 0, traces = 0;
};

void runOne(const chip::Profile &p, const chip::Image &image, uint64_t seed,
            const std::vector<std::vector<uint32_t>> &inputs, Totals &totals) {
  auto resolved = chip::resolvePrograms(image, p);
  ASSERT_TRUE(bool(resolved)) << "seed " << seed << ": " << resolved.error();
  const chip::Core &core = image.cores[0];
  auto rep =
      rtl::runLockstep(core, core, p, inputs, {}, {&*resolved, 0, &image});
  ASSERT_TRUE(bool(rep)) << "seed " << seed << ": " << rep.error();
  ASSERT_FALSE(rep->divergence)
      << "seed " << seed << ": " << rep->divergence->message();
  EXPECT_EQ(rep->steps, inputs.size()) << "seed " << seed;
  totals.epochs += rep->epochs;
  totals.weights += rep->weightChecks;
  totals.changed += rep->weightsChanged;
  totals.learnCycles += rep->learnCycles;
  totals.traces += rep->traceChecks;
}

// Random learning images x random spike trains through the Verilated core
// and CoreLogic: spikes, states, each step's learning-phase cycles against
// the schedule, and every learned weight after every epoch.
TEST(RtlCoreLearning, RandomPairStdpImagesMatchTheCoreModel) {
  auto p = rtltest::smallProfile();
  ASSERT_TRUE(p) << p.error();
  Totals totals;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    const chip::Image image = randomLearningImage(*p, seed);
    ASSERT_TRUE(image.learning.enabled()) << "seed " << seed;
    const uint32_t steps =
        image.learning.epochSteps *
        std::max<uint32_t>(3, 120 / image.learning.epochSteps);
    runOne(*p, image, seed,
           rtltest::randomInputs(
               seed, uint32_t(image.cores[0].inputAxons.size()), steps),
           totals);
    if (HasFatalFailure())
      return;
  }
  std::printf(
      "200 random learning images: %llu epochs, %llu learned weights "
      "compared, %llu changed at the last epoch, %llu traces "
      "compared; %llu learning-phase cycles\n",
      (unsigned long long)totals.epochs, (unsigned long long)totals.weights,
      (unsigned long long)totals.changed, (unsigned long long)totals.traces,
      (unsigned long long)totals.learnCycles);
  EXPECT_GT(totals.epochs, 5000u);
  EXPECT_GT(totals.weights, 100000u);
  EXPECT_GT(totals.changed, 1000u);
  EXPECT_GT(totals.traces, 100000u);
}

// Directed: pair STDP (potentiation x1 * y0 at 2^-1, depression y1 * x0 at
// -2^-2, fast traces) on a random core whose every input axon spikes every
// other step, epochs of 4 steps: the learned weights move and stay equal to
// the core model's.
TEST(RtlCoreLearning, PairStdpWeightsChange) {
  auto p = rtltest::smallProfile();
  ASSERT_TRUE(p) << p.error();
  Totals totals;
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    chip::Image image = randomLearningImage(*p, seed);
    image.learning.epochSteps = 4;
    chip::LearningRuleSetting &s = image.learning.rules[0];
    s.rule = {};
    s.rule.of(chip::LearningTarget::Weight) = {
        term(LearningVariable::Y0, 1, -1, {LearningVariable::X1}),
        term(LearningVariable::X0, -1, -2, {LearningVariable::Y1})};
    s.sign = chip::WeightSign::Mixed;
    s.x1 = {40, 0, 1024};
    for (chip::Population &pop : image.populations)
      pop.postTraces[0] = {40, 0, 1024};
    std::vector<std::vector<uint32_t>> inputs(200);
    for (size_t t = 0; t < inputs.size(); t += 2)
      for (uint32_t a = 0; a < image.cores[0].inputAxons.size(); ++a)
        inputs[t].push_back(a);
    runOne(*p, image, seed, inputs, totals);
    if (HasFatalFailure())
      return;
  }
  std::printf("pair STDP, 5 cores: %llu of %llu learned weights changed\n",
              (unsigned long long)totals.changed,
              (unsigned long long)totals.weights);
  EXPECT_EQ(totals.epochs, 5u * 50u);
  EXPECT_GT(totals.changed, 0u);
}

// The last trace step of a step (the last compartment's y3) ends in the
// cycle the first rule starts, which reads it forwarded: a rule of u * y3
// (sampled at the epoch's last step) whose first synapse targets the last
// compartment, traces that change every step.
TEST(RtlCoreLearning, FirstRuleReadsTheLastTraceStep) {
  auto p = rtltest::smallProfile();
  ASSERT_TRUE(p) << p.error();
  Totals totals;
  uint32_t cores = 0;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    chip::Image image = randomLearningImage(*p, seed);
    chip::Core &core = image.cores[0];
    const uint32_t last = uint32_t(core.compartments.size()) - 1;
    chip::InputAxon *first = nullptr;
    for (chip::InputAxon &a : core.inputAxons)
      if (a.learns() && a.synapseCount != 0 && !first)
        first = &a;
    if (!first)
      continue;
    ++cores;
    // The group's first field starts at bit 0 with its compartment index.
    uint64_t &word = core.synapseWords[first->firstWord];
    const uint64_t indexMask =
        (uint64_t(1) << p->synapse.compartmentIndexBits) - 1;
    word = (word & ~indexMask) | last;
    image.learning.epochSteps = 1 + uint32_t(seed % 3);
    chip::LearningRuleSetting &s = image.learning.rules[0];
    s.rule = {};
    s.rule.of(chip::LearningTarget::Weight) = {
        term(LearningVariable::U, 1, 0, {LearningVariable::Y3})};
    s.sign = chip::WeightSign::Mixed;
    for (chip::Population &pop : image.populations)
      pop.postTraces[2] = {60, 0, 512};
    std::vector<std::vector<uint32_t>> inputs(60);
    for (auto &step : inputs)
      for (uint32_t a = 0; a < core.inputAxons.size(); ++a)
        step.push_back(a);
    runOne(*p, image, seed, inputs, totals);
    if (HasFatalFailure())
      return;
  }
  EXPECT_GT(cores, 10u);
  EXPECT_GT(totals.changed, 0u);
}

TEST(RtlCoreLearning, RefusesWhatTheCoreCannotLearn) {
  auto p = rtltest::smallProfile();
  ASSERT_TRUE(p) << p.error();
  chip::Image image;
  for (uint64_t seed = 1; seed < 50 && image.learning.rules.size() < 2; ++seed)
    image = randomLearningImage(*p, seed);
  ASSERT_GE(image.learning.rules.size(), 2u);
  EXPECT_TRUE(bool(rtl::checkRtlLearning(image, *p)));
  // Two rules on one core.
  std::vector<uint32_t> learning;
  for (uint32_t a = 0; a < image.cores[0].inputAxons.size(); ++a)
    if (image.cores[0].inputAxons[a].learns())
      learning.push_back(a);
  ASSERT_GE(learning.size(), 2u);
  chip::Image two = image;
  two.cores[0].inputAxons[learning[1]].learning = 1;
  Status s = rtl::checkRtlLearning(two, *p);
  ASSERT_FALSE(bool(s));
  EXPECT_EQ(s.error(), "core 0: input axons " + std::to_string(learning[0]) +
                           " and " + std::to_string(learning[1]) +
                           " learn by rules 0 and 1; the RTL neurocore's "
                           "learning phase holds one rule per core");
  // A reward axon.
  chip::Image reward = image;
  reward.cores[0].inputAxons[0].reward = true;
  s = rtl::checkRtlLearning(reward, *p);
  ASSERT_FALSE(bool(s));
  EXPECT_NE(s.error().find("core 0: input axon 0 is a reward axon"),
            std::string::npos)
      << s.error();
  // A dt rule.
  chip::Image tagged = image;
  tagged.learning.rules[0]
      .rule.of(chip::LearningTarget::Tag)
      .push_back(term(LearningVariable::U, 1, 0, {}));
  s = rtl::checkRtlLearning(tagged, *p);
  ASSERT_FALSE(bool(s));
  EXPECT_EQ(s.error(), "learning rule 0: dt term 1: the RTL learning unit "
                       "changes weights only (dw)");
}

} // namespace
} // namespace cajal
