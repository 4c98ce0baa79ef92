//===- RtlLearningTest.cpp - The RTL learning unit against chip::Learning -===//
//
// The Verilated learning unit (rtl/src/learning_unit.sv, loihi1 widths)
// against the chip functions every engine learns with: single trace steps
// and single dw rules (any factors over any variable) over seeded random
// operands, whole runs of one pair-STDP synapse over random spike trains
// and epochs of 1..63 steps in which every trace step and every rule is
// computed on the RTL, random learning images in lockstep with the SystemC
// core logic, and a hand-made pair whose weights follow by hand.
//
//===----------------------------------------------------------------------===//
#include "cajal/Chip/Learning.h"
#include "cajal/ImageGen/RandomImage.h"
#include "cajal/ImageGen/RandomProgram.h"
#include "cajal/Rtl/LearningLockstep.h"
#include "cajal/Rtl/LearningUnit.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

namespace cajal {
namespace {

using chip::LearningVariable;

chip::Profile loihi1() {
  Result<chip::Profile> p =
      chip::findProfile("loihi1", chip::defaultProfileDir());
  EXPECT_TRUE(bool(p)) << (p ? "" : p.error());
  return p ? *p : chip::Profile{};
}

std::unique_ptr<rtl::LearningUnit> unitFor(const chip::Profile &profile,
                                           uint64_t seed) {
  auto unit = rtl::LearningUnit::create(profile, seed);
  EXPECT_TRUE(bool(unit)) << (unit ? "" : unit.error());
  return unit ? std::move(*unit) : nullptr;
}

chip::TraceParams randomTrace(const chip::Profile &p, imagegen::Rng &rng) {
  const chip::LearningFormat &f = p.learning;
  chip::TraceParams t;
  t.impulseInteger = uint32_t(rng.range(0, (1 << f.traceBits) - 1));
  t.impulseFraction =
      uint32_t(rng.range(0, (1 << f.traceImpulseFractionBits) - 1));
  // Often no decay or a full clear: the edges of the decay factor.
  const int64_t one = int64_t(1) << f.traceDecayBits;
  const int64_t pick = rng.range(0, 9);
  t.decay = uint32_t(pick == 0 ? 0 : pick == 1 ? one : rng.range(0, one));
  return t;
}

chip::RuleTerm randomTerm(const chip::Profile &p, imagegen::Rng &rng,
                          LearningVariable dependency,
                          std::vector<LearningVariable> factors) {
  const chip::LearningFormat &f = p.learning;
  const int64_t mantissaMax = (int64_t(1) << f.scaleMantissaBits) - 1;
  const int64_t constantMax = int64_t(1) << f.constantBits;
  chip::RuleTerm t;
  t.mantissa = int32_t(rng.range(-mantissaMax, mantissaMax));
  t.exponent = int32_t(
      rng.range(-int64_t(f.accumulatorBits), int64_t(f.accumulatorBits)));
  t.dependency = dependency;
  for (LearningVariable v : factors)
    t.factors.push_back(
        {v, rng.range(0, 3) == 0
                ? int32_t(rng.range(-constantMax, constantMax - 1))
                : 0});
  return t;
}

/// dw = S1 * x1 * y0 + S2 * y1 * x0 (in either order), random scales.
chip::LearningRule randomPairRule(const chip::Profile &p, imagegen::Rng &rng) {
  chip::LearningRule rule;
  auto &dw = rule.of(chip::LearningTarget::Weight);
  dw.push_back(
      randomTerm(p, rng, LearningVariable::Y0, {LearningVariable::X1}));
  dw.push_back(
      randomTerm(p, rng, LearningVariable::X0, {LearningVariable::Y1}));
  if (rng.coin())
    std::swap(dw[0], dw[1]);
  return rule;
}

TEST(RtlLearningTest, TraceStepsMatchChip) {
  const chip::Profile p = loihi1();
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    imagegen::Rng rng(seed);
    const uint64_t runSeed = rng.next();
    auto unit = unitFor(p, runSeed);
    ASSERT_TRUE(unit);
    for (int i = 0; i < 100; ++i) {
      const chip::TraceParams params = randomTrace(p, rng);
      const uint32_t value =
          uint32_t(rng.range(0, (1 << p.learning.traceBits) - 1));
      const bool spiked = rng.coin();
      const uint64_t step = rng.next() >> rng.range(0, 63);
      const uint64_t index = rng.next() >> rng.range(0, 63);
      const rtl::LearningStep got =
          unit->stepTrace(value, params, spiked, step, index);
      const uint32_t want =
          chip::stepTrace(p, value, params, spiked, step, runSeed, index);
      ASSERT_EQ(got.value, int32_t(want))
          << "seed " << seed << " case " << i << " value " << value << " decay "
          << params.decay << " impulse " << params.impulseInteger << "+"
          << params.impulseFraction << " spiked " << spiked;
      ASSERT_EQ(got.cycles, rtl::LearningUnit::traceCycles());
    }
  }
}

/// Random inputs of one synapse's rule: dependencies, samples, reward,
/// weight.
chip::LearningInputs randomInputs(const chip::Profile &p, imagegen::Rng &rng) {
  chip::LearningInputs in;
  in.x0 = rng.coin();
  in.y0 = rng.coin();
  in.u = rng.range(0, 3) != 0;
  for (auto &sample : in.traces)
    for (int32_t &t : sample)
      t = int32_t(rng.range(0, (1 << p.learning.traceBits) - 1));
  in.reward =
      int32_t(rng.coin() ? rng.range(-200, 200) : int64_t(int32_t(rng.next())));
  return in;
}

/// Any variable a dw factor may read.
constexpr LearningVariable kFactorVariables[] = {
    LearningVariable::X1, LearningVariable::X2, LearningVariable::Y1,
    LearningVariable::Y2, LearningVariable::Y3, LearningVariable::R,
    LearningVariable::W,  LearningVariable::D,  LearningVariable::T,
    LearningVariable::C};
constexpr LearningVariable kDependencies[] = {
    LearningVariable::X0, LearningVariable::Y0, LearningVariable::U};

/// A random dw term: any dependency, 0 .. maxFactors - 1 factors.
chip::RuleTerm randomDwTerm(const chip::Profile &p, imagegen::Rng &rng) {
  std::vector<LearningVariable> factors(
      size_t(rng.range(0, p.learning.maxFactors - 1)));
  for (LearningVariable &v : factors)
    v = kFactorVariables[rng.range(0, std::size(kFactorVariables) - 1)];
  return randomTerm(p, rng, kDependencies[rng.range(0, 2)], factors);
}

TEST(RtlLearningTest, DwRulesMatchChip) {
  const chip::Profile p = loihi1();
  const int64_t wMax = (int64_t(1) << p.synapse.weightBitsMax) - 1;
  const int64_t tagMax = int64_t(1) << p.synapse.tagBits;
  uint64_t threeFactorTerms = 0;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    imagegen::Rng rng(seed);
    const uint64_t runSeed = rng.next();
    auto unit = unitFor(p, runSeed);
    ASSERT_TRUE(unit);
    chip::LearningRule rule;
    const int64_t terms = rng.range(0, p.learning.maxTerms);
    for (int64_t i = 0; i < terms; ++i) {
      rule.of(chip::LearningTarget::Weight).push_back(randomDwTerm(p, rng));
      threeFactorTerms +=
          rule.of(chip::LearningTarget::Weight).back().factors.size() == 3;
    }
    // Every sign mode bounds the weight as chip::applyRule does.
    const auto sign =
        chip::WeightSign(rng.range(0, chip::kWeightSignCount - 1));
    ASSERT_TRUE(bool(unit->loadRule(rule, sign))) << "seed " << seed;
    for (int i = 0; i < 50; ++i) {
      const chip::LearningInputs in = randomInputs(p, rng);
      const chip::SynapseState syn{int32_t(rng.range(-wMax, wMax)),
                                   int32_t(rng.range(1, p.synapse.maxDelay)),
                                   int32_t(rng.range(-tagMax, tagMax - 1))};
      const uint64_t epoch = rng.next() >> rng.range(0, 63);
      const uint64_t synapse = rng.next() >> rng.range(20, 63);
      const rtl::LearningStep got = unit->applyRule(in, syn, epoch, synapse);
      const chip::SynapseState want =
          chip::applyRule(p, rule, sign, in, syn, runSeed, epoch, synapse);
      ASSERT_EQ(got.value, want.weight)
          << "seed " << seed << " case " << i << " rule "
          << chip::printLearningRule(rule) << " w " << syn.weight << " d "
          << syn.delay << " t " << syn.tag;
      ASSERT_EQ(got.cycles, rtl::LearningUnit::ruleCycles(rule));
    }
  }
  EXPECT_GT(threeFactorTerms, 20u);
}

/// One learning synapse (pre axon a, post compartment c) over a spike
/// train, with CoreLogic::learn's bookkeeping: per-step trace histories,
/// the last spikes of the epoch, the rule at its end. `step` and `rule`
/// are either the chip functions or the RTL unit.
struct PairRun {
  using StepFn = std::function<uint32_t(uint32_t, const chip::TraceParams &,
                                        bool, uint64_t, uint64_t)>;
  using RuleFn =
      std::function<int32_t(const chip::LearningInputs &, int32_t, uint64_t)>;
  chip::TraceParams x1, y1;
  uint32_t epochSteps = 1;
  int32_t weight = 0;
  /// After every step: x1, y1; after every epoch: the weight.
  std::vector<uint32_t> traces;
  std::vector<int32_t> weights;

  void run(const std::vector<std::pair<bool, bool>> &spikes, StepFn step,
           RuleFn rule) {
    constexpr uint64_t kAxon = 3, kCompartment = 5; // draw keys
    uint32_t x = 0, y = 0;
    std::vector<std::array<uint32_t, 2>> history(epochSteps);
    int64_t lastPre = -1, lastPost = -1;
    for (uint32_t t = 0; t < spikes.size(); ++t) {
      x = step(x, x1, spikes[t].first, t,
               chip::traceRandomIndex(kAxon, chip::Trace::X1));
      y = step(y, y1, spikes[t].second, t,
               chip::traceRandomIndex(kCompartment, chip::Trace::Y1));
      history[t % epochSteps] = {x, y};
      traces.push_back(x);
      traces.push_back(y);
      if (spikes[t].first)
        lastPre = t;
      if (spikes[t].second)
        lastPost = t;
      if ((t + 1) % epochSteps != 0)
        continue;
      const uint64_t epoch = (t + 1) / epochSteps - 1;
      const int64_t start = int64_t(epoch * epochSteps);
      chip::LearningInputs in;
      const auto sample = [&](unsigned d, size_t at) {
        in.traces[d][size_t(chip::Trace::X1)] = int32_t(history[at][0]);
        in.traces[d][size_t(chip::Trace::Y1)] = int32_t(history[at][1]);
      };
      in.x0 = lastPre >= start;
      in.y0 = lastPost >= start;
      if (in.x0)
        sample(0, size_t(lastPre - start));
      if (in.y0)
        sample(1, size_t(lastPost - start));
      sample(2, epochSteps - 1);
      weight = rule(in, weight, epoch);
      weights.push_back(weight);
    }
  }
};

TEST(RtlLearningTest, PairStdpRunsMatchChip) {
  const chip::Profile p = loihi1();
  constexpr uint64_t kSynapse = 77;
  const int64_t wMax = (int64_t(1) << p.synapse.weightBitsMax) - 1;
  for (uint64_t seed = 1; seed <= 24; ++seed) {
    imagegen::Rng rng(seed);
    const uint64_t runSeed = rng.next();
    auto unit = unitFor(p, runSeed);
    ASSERT_TRUE(unit);
    const chip::LearningRule rule = randomPairRule(p, rng);
    ASSERT_TRUE(bool(unit->loadRule(rule)));
    PairRun ref;
    ref.x1 = randomTrace(p, rng);
    ref.y1 = randomTrace(p, rng);
    ref.epochSteps = uint32_t(rng.range(1, p.learning.maxEpochSteps));
    ref.weight = int32_t(rng.range(-wMax, wMax));
    PairRun onRtl = ref;
    std::vector<std::pair<bool, bool>> spikes(size_t(ref.epochSteps) *
                                              size_t(rng.range(1, 6)));
    const int64_t rate = rng.range(2, 6); // one spike in `rate` steps
    for (auto &s : spikes)
      s = {rng.range(1, rate) == 1, rng.range(1, rate) == 1};
    ref.run(
        spikes,
        [&](uint32_t v, const chip::TraceParams &tp, bool spiked, uint64_t t,
            uint64_t index) {
          return chip::stepTrace(p, v, tp, spiked, t, runSeed, index);
        },
        [&](const chip::LearningInputs &in, int32_t w, uint64_t epoch) {
          return chip::applyRule(p, rule, chip::WeightSign::Mixed, in,
                                 {w, 1, 0}, runSeed, epoch, kSynapse)
              .weight;
        });
    onRtl.run(
        spikes,
        [&](uint32_t v, const chip::TraceParams &tp, bool spiked, uint64_t t,
            uint64_t index) {
          return uint32_t(unit->stepTrace(v, tp, spiked, t, index).value);
        },
        [&](const chip::LearningInputs &in, int32_t w, uint64_t epoch) {
          return unit->applyRule(in, {w, 1, 0}, epoch, kSynapse).value;
        });
    ASSERT_EQ(onRtl.traces, ref.traces)
        << "seed " << seed << " rule " << chip::printLearningRule(rule);
    ASSERT_EQ(onRtl.weights, ref.weights)
        << "seed " << seed << " rule " << chip::printLearningRule(rule)
        << " epoch of " << ref.epochSteps << " steps";
  }
}

// dw = 2^-4 * x1 * y0 - 2^-4 * y1 * x0, impulses of 16 without decay or
// fraction (so no rounding draw matters), epochs of 4 steps from weight 10:
// epoch 0 pre at 0, post at 2: + x1(2)/16 = +1 -> 11 (y1(0) = 0);
// epoch 1 silent: 11; epoch 2 post at 8, pre at 9: + x1(8)/16 = +1,
// - y1(9)/16 = -32/16 = -2 -> 10.
TEST(RtlLearningTest, HandMadePairGivesAnalyticWeights) {
  const chip::Profile p = loihi1();
  auto unit = unitFor(p, 12345);
  ASSERT_TRUE(unit);
  auto rule = chip::parseLearningRule("dw = 2^-4 * x1 * y0 - 2^-4 * y1 * x0");
  ASSERT_TRUE(bool(rule)) << rule.error();
  ASSERT_TRUE(bool(unit->loadRule(*rule)));
  PairRun run;
  run.x1 = run.y1 = {16, 0, 0};
  run.epochSteps = 4;
  run.weight = 10;
  std::vector<std::pair<bool, bool>> spikes(12, {false, false});
  spikes[0].first = spikes[2].second = true;
  spikes[8].second = spikes[9].first = true;
  run.run(
      spikes,
      [&](uint32_t v, const chip::TraceParams &tp, bool spiked, uint64_t t,
          uint64_t index) {
        return uint32_t(unit->stepTrace(v, tp, spiked, t, index).value);
      },
      [&](const chip::LearningInputs &in, int32_t w, uint64_t epoch) {
        return unit->applyRule(in, {w, 1, 0}, epoch, 0).value;
      });
  EXPECT_EQ(run.weights, (std::vector<int32_t>{11, 11, 10}));
}

/// A seeded random single-core image that learns (RandomOptions::learning)
/// with every rule replaced by a random pair-STDP rule, half of them with
/// one or two more random dw terms (any factors: triplet terms, r, w, d, t),
/// so that the learning unit runs it.
chip::Image randomDwImage(const chip::Profile &p, uint64_t seed) {
  imagegen::RandomOptions o;
  o.seed = seed;
  o.minCores = o.maxCores = 1;
  o.maxCompartments = 24;
  o.steps = 100;
  o.learning = true;
  chip::Image image = imagegen::randomNetwork(p, o).image;
  imagegen::Rng rng(seed * 7919 + 1);
  for (chip::LearningRuleSetting &s : image.learning.rules) {
    s.rule = randomPairRule(p, rng);
    if (rng.coin())
      for (int64_t k = rng.range(1, 2); k > 0; --k)
        s.rule.of(chip::LearningTarget::Weight).push_back(randomDwTerm(p, rng));
  }
  return image;
}

/// Each input axon spikes with probability 1/4 in each step.
std::vector<std::vector<uint32_t>> randomSpikes(uint64_t seed, size_t axons,
                                                uint32_t steps) {
  imagegen::Rng rng(seed);
  std::vector<std::vector<uint32_t>> inputs(steps);
  for (auto &step : inputs)
    for (uint32_t a = 0; a < axons; ++a)
      if (rng.range(0, 3) == 0)
        step.push_back(a);
  return inputs;
}

// Random pair-STDP (and more) images x random spike trains: every trace after
// every step and every learning synapse's weight after every epoch, computed on
// the RTL unit, equal the SystemC core logic's.
TEST(RtlLearningTest, LockstepWithCoreLogicOnRandomLearningImages) {
  const chip::Profile p = loihi1();
  uint64_t epochs = 0, rules = 0;
  for (uint64_t seed = 1; seed <= 30; ++seed) {
    const chip::Image image = randomDwImage(p, seed);
    ASSERT_TRUE(image.learning.enabled()) << "seed " << seed;
    const uint32_t steps =
        image.learning.epochSteps *
        std::max<uint32_t>(3, 120 / image.learning.epochSteps);
    auto rep = rtl::runLearningLockstep(
        image, 0, p,
        randomSpikes(seed, image.cores[0].inputAxons.size(), steps));
    ASSERT_TRUE(bool(rep)) << "seed " << seed << ": " << rep.error();
    ASSERT_FALSE(rep->divergence)
        << "seed " << seed << ": " << rep->divergence->message();
    EXPECT_EQ(rep->steps, steps);
    epochs += rep->epochs;
    rules += rep->ruleApplications;
  }
  // The seeds exercise the rules, not only the traces.
  EXPECT_GT(epochs, 90u);
  EXPECT_GT(rules, 1000u);
}

// The learning phase's cycles, from docs/neurocore.md "Learning unit":
// (2 A + 3 N) trace steps a step, and at an epoch's end each synapse's
// RULE_CYCLES plus LOAD_CYCLES whenever the next group learns by another
// rule than the one loaded.
TEST(RtlLearningTest, LearningPhaseCyclesFollowTheSchedule) {
  const chip::Profile p = loihi1();
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    const chip::Image image = randomDwImage(p, seed);
    const chip::Core &core = image.cores[0];
    const chip::ImageLearning &l = image.learning;
    const uint32_t steps = l.epochSteps * 3;
    auto rep = rtl::runLearningLockstep(
        image, 0, p, randomSpikes(seed, core.inputAxons.size(), steps));
    ASSERT_TRUE(bool(rep)) << "seed " << seed << ": " << rep.error();
    ASSERT_FALSE(rep->divergence) << "seed " << seed;
    uint64_t axons = 0, rules = 0, firstLoads = 0, laterLoads = 0;
    uint32_t loaded = chip::InputAxon::kNoLearning;
    for (const chip::InputAxon &a : core.inputAxons) {
      if (!a.learns())
        continue;
      ++axons;
      const chip::LearningRule &rule = l.rules[a.learning].rule;
      rules += uint64_t(a.synapseCount) * rtl::LearningUnit::ruleCycles(rule);
      if (a.learning != loaded) {
        // The first epoch starts with no rule loaded, the later ones with
        // the last group's.
        firstLoads += rtl::LearningUnit::loadCycles(rule);
        laterLoads += rtl::LearningUnit::loadCycles(rule);
        loaded = a.learning;
      }
    }
    // A later epoch loads the first group's rule only if the last differs.
    uint32_t first = chip::InputAxon::kNoLearning;
    for (const chip::InputAxon &a : core.inputAxons)
      if (a.learns()) {
        first = a.learning;
        break;
      }
    if (first == loaded && first != chip::InputAxon::kNoLearning)
      laterLoads -= rtl::LearningUnit::loadCycles(l.rules[first].rule);
    const uint64_t traces = (2 * axons + 3 * core.compartments.size()) *
                            rtl::LearningUnit::traceCycles() * l.epochSteps;
    ASSERT_EQ(rep->epochCycles.size(), 3u) << "seed " << seed;
    EXPECT_EQ(rep->epochCycles[0], traces + rules + firstLoads)
        << "seed " << seed;
    EXPECT_EQ(rep->epochCycles[1], traces + rules + laterLoads)
        << "seed " << seed;
    EXPECT_EQ(rep->epochCycles[2], rep->epochCycles[1]) << "seed " << seed;
  }
}

TEST(RtlLearningTest, LockstepRefusesUnsupportedRules) {
  const chip::Profile p = loihi1();
  chip::Image image = randomDwImage(p, 3);
  auto tagged = chip::parseLearningRule("dw = x1 * y0 - y1 * x0; dt = x1 * u");
  ASSERT_TRUE(bool(tagged));
  image.learning.rules.back().rule = *tagged;
  auto rep = rtl::runLearningLockstep(image, 0, p, {{}});
  ASSERT_FALSE(bool(rep));
  EXPECT_EQ(rep.error(),
            "learning rule " + std::to_string(image.learning.rules.size() - 1) +
                ": dt term 1: the RTL learning unit changes weights only "
                "(dw)");
}

TEST(RtlLearningTest, RefusesRulesBeyondTheUnit) {
  const auto refusal = [](const char *text) {
    auto rule = chip::parseLearningRule(text);
    EXPECT_TRUE(bool(rule)) << text;
    chip::ImageLearning learning;
    learning.epochSteps = 4;
    learning.rules.resize(2);
    learning.rules[1].rule = *rule;
    Status s = rtl::LearningUnit::checkLearning(learning);
    return s ? std::string() : s.error();
  };
  EXPECT_EQ(refusal("dw = 2^-4 * x1 * y0 - 2^-4 * y1 * x0"), "");
  EXPECT_EQ(refusal("dw = 2^-4 * x1 * y0 + x1 * y2 * y0 - r * t * u"), "");
  EXPECT_EQ(refusal("dw = x1 * y0; dd = y1 * x0"),
            "learning rule 1: dd term 1: the RTL learning unit changes "
            "weights only (dw)");
  EXPECT_EQ(refusal("dt = x1 * y0 - t * u; dw = r * t * u"),
            "learning rule 1: dt term 1: the RTL learning unit changes "
            "weights only (dw)");
}

TEST(RtlLearningTest, RefusesOtherWidths) {
  chip::Profile p = loihi1();
  p.learning.traceBits += 1;
  auto unit = rtl::LearningUnit::create(p, 1);
  ASSERT_FALSE(bool(unit));
  EXPECT_NE(unit.error().find("learning.traceBits"), std::string::npos)
      << unit.error();
}

} // namespace
} // namespace cajal
