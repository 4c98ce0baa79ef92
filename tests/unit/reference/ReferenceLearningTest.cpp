//===- ReferenceLearningTest.cpp - Learning in the reference engine -------===//
//
// Hand-made images whose learning follows from docs/learning.md: the pair
// STDP window measured on the engine against the rule's analytic window,
// a reward-modulated rule that changes weights only where the reward
// arrives, and traces and rules against the chip-level functions.
//
//===----------------------------------------------------------------------===//
#include "ReferenceTestUtil.h"

#include "cajal/Chip/Learning.h"
#include "cajal/Emulator/WeightsOut.h"
#include "cajal/ImageGen/ImageBuilder.h"
#include "cajal/Reference/ReferenceEngine.h"
#include "cajal/TestSupport/Files.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace cajal;
using reference::ReferenceEngine;

namespace {

/// u and v forget everything each step: a detector spikes in the step an
/// input of at least its threshold arrives, and never otherwise.
chip::CompartmentParams detector() {
  chip::CompartmentParams p;
  p.decayU = uint16_t((1u << reftest::loihi1().neuron.decayBits) - 1);
  p.decayV = p.decayU;
  p.thresholdMantissa = 1;
  p.refractory = 1;
  p.vmaxExponent = 7;
  p.vminExponent = 20;
  return p;
}

chip::LearningRule rule(const std::string &text) {
  Result<chip::LearningRule> r = chip::parseLearningRule(text);
  EXPECT_TRUE(bool(r)) << (r ? "" : r.error());
  return *r;
}

chip::Source fileSource(const std::string &name, uint32_t size,
                        std::vector<chip::SourceSpike> spikes) {
  chip::Source s;
  s.name = name;
  s.kind = chip::SourceKind::File;
  s.size = size;
  std::sort(spikes.begin(), spikes.end(), [](auto &a, auto &b) {
    return std::tie(a.step, a.index) < std::tie(b.step, b.index);
  });
  s.spikes = std::move(spikes);
  return s;
}

constexpr uint32_t kImpulse = 64; ///< x1 and y1 impulse
constexpr uint32_t kDecay = 256;  ///< 4096 / 256: tau = 16 steps
constexpr uint32_t kPostStep = 60;

/// Pair STDP, one pairing per compartment: compartment k's post spike is
/// forced at kPostStep (a drive source fires at kPostStep - 1 through a
/// fixed synapse), and its learning synapse (weight 0, so that it never
/// drives it) sees one pre spike at kPostStep - deltas[k].
chip::Image stdpWindowImage(const std::vector<int> &deltas,
                            uint32_t epochSteps) {
  const chip::Profile &profile = reftest::loihi1();
  imagegen::ImageBuilder b(profile);
  const uint32_t n = uint32_t(deltas.size());
  const uint32_t core =
      b.addCore(std::vector<chip::CompartmentParams>(n, detector()));
  const uint32_t pair =
      b.addLearningRule({rule("dw = 2^-2 * x1 * y0 - 2^-2 * y1 * x0"),
                         {kImpulse, 0, kDecay},
                         {}});
  b.setLearningEpoch(epochSteps, 42);
  std::vector<chip::SourceSpike> pre, drive;
  for (uint32_t k = 0; k < n; ++k) {
    pre.push_back({uint32_t(int(kPostStep) - deltas[k]), k});
    drive.push_back({kPostStep - 1, k});
  }
  const uint32_t preSource = b.addSource(fileSource("pre", n, pre));
  const uint32_t driveSource = b.addSource(fileSource("drive", n, drive));
  for (uint32_t k = 0; k < n; ++k) {
    const uint32_t learning = b.addLearningAxon(core, {{k, 0, 1, 0}}, 0, pair);
    const uint32_t fixed = b.addInputAxon(core, {{k, 100, 1}}, 8, 0, false);
    b.addSourceTarget(preSource, k, {core, learning});
    b.addSourceTarget(driveSource, k, {core, fixed});
  }
  const uint32_t post = b.addPopulation("post", {{core, 0, 0, n}});
  b.setPostTraces(post, {chip::TraceParams{kImpulse, 0, kDecay}, {}, {}});
  return b.build();
}

/// The trace `steps` steps after an impulse, rounding every step down
/// (`up` false) or up: the stochastic decay lies between the two.
double chainBound(int steps, bool up) {
  double v = kImpulse;
  for (int i = 0; i < steps; ++i) {
    const double p = v * (4096 - kDecay) / 4096.0;
    v = up ? std::ceil(p) : std::floor(p);
  }
  return v;
}

TEST(ReferenceLearningTest, PairStdpWindowMatchesTheRule) {
  std::vector<int> deltas;
  for (int d = -40; d <= 40; ++d)
    deltas.push_back(d);
  for (uint32_t epochSteps : {1u, 7u, 63u}) {
    Result<ReferenceEngine> e = ReferenceEngine::create(
        stdpWindowImage(deltas, epochSteps), reftest::loihi1());
    ASSERT_TRUE(bool(e)) << e.error();
    std::vector<uint32_t> postSpikes(deltas.size(), 0);
    for (uint32_t t = 0; t < 2 * kPostStep + 63; ++t) {
      e->step();
      for (uint32_t g : e->lastSpikingCompartments()) {
        EXPECT_EQ(t, kPostStep) << "compartment " << g;
        ++postSpikes[g];
      }
    }
    double potentiation = 0, depression = 0;
    for (size_t k = 0; k < deltas.size(); ++k) {
      ASSERT_EQ(postSpikes[k], 1u) << "delta " << deltas[k];
      const chip::Synapse s = e->synapses(0, uint32_t(2 * k))[0];
      const int d = deltas[k];
      // The analytic window: +-impulse * (1 - decay/4096)^|d| / 4, and 0
      // at d = 0 where both terms see a fresh impulse.
      const double analytic =
          d == 0 ? 0
                 : (d > 0 ? 1.0 : -1.0) * double(kImpulse) *
                       std::pow(1 - kDecay / 4096.0, std::abs(d)) / 4;
      const double lo = chainBound(std::abs(d), false) / 4;
      const double hi = chainBound(std::abs(d), true) / 4;
      const double low = d >= 0 ? std::floor(lo) * (d > 0) : -std::ceil(hi);
      const double high = d >= 0 ? std::ceil(hi) * (d > 0) : -std::floor(lo);
      EXPECT_GE(s.mantissa, low) << "delta " << d << " epoch " << epochSteps;
      EXPECT_LE(s.mantissa, high) << "delta " << d << " epoch " << epochSteps;
      EXPECT_LE(std::abs(s.mantissa - analytic), 1.0 + (hi - lo))
          << "delta " << d << " epoch " << epochSteps;
      (d > 0 ? potentiation : depression) += s.mantissa;
    }
    // The classic shape: potentiation when pre leads, depression when it
    // follows, and the window's two sides nearly equal (A+ = A-).
    EXPECT_GT(potentiation, 100) << "epoch " << epochSteps;
    EXPECT_LT(depression, -100) << "epoch " << epochSteps;
    EXPECT_NEAR(potentiation, -depression, 0.1 * potentiation);
    EXPECT_EQ(e->counters().learningUpdates,
              deltas.size() * ((2 * kPostStep + 63) / epochSteps));
  }
}

TEST(ReferenceLearningTest, TheSameSeedLearnsTheSameAndAnotherDiffers) {
  std::vector<int> deltas;
  for (int d = -20; d <= 20; ++d)
    deltas.push_back(d);
  const auto weights = [&](uint64_t seed) {
    chip::Image image = stdpWindowImage(deltas, 1);
    image.learning.seed = seed;
    Result<ReferenceEngine> e =
        ReferenceEngine::create(image, reftest::loihi1());
    EXPECT_TRUE(bool(e));
    e->run(2 * kPostStep);
    std::vector<int32_t> w;
    for (size_t k = 0; k < deltas.size(); ++k)
      w.push_back(e->synapses(0, uint32_t(2 * k))[0].mantissa);
    return w;
  };
  EXPECT_EQ(weights(5), weights(5));
  EXPECT_NE(weights(5), weights(6));
}

/// Two compartments learn by an eligibility tag; a reward reaches the
/// first only. dt = x1 * y0 marks a pairing; dw = 2^-4 * r * t * u turns
/// the tag into weight where r is not 0.
TEST(ReferenceLearningTest, ARewardChangesWeightsOnlyWhereItArrives) {
  const chip::Profile &profile = reftest::loihi1();
  imagegen::ImageBuilder b(profile);
  const uint32_t core =
      b.addCore(std::vector<chip::CompartmentParams>(2, detector()));
  const uint32_t tagged = b.addLearningRule(
      {rule("dt = x1 * y0; dw = 2^-4 * r * t * u"), {kImpulse, 0, kDecay}, {}});
  b.setLearningEpoch(1, 3);
  // Weight 0: the pre spikes do not drive the detectors.
  const uint32_t a = b.addLearningAxon(core, {{0, 0, 1, 0}}, 0, tagged);
  const uint32_t bAxon = b.addLearningAxon(core, {{1, 0, 1, 0}}, 0, tagged);
  const uint32_t drive =
      b.addInputAxon(core, {{0, 100, 1}, {1, 100, 1}}, 8, 0, false);
  // Weight 4 << (6 - 6) = 4 of reward, on compartment 0 only.
  const uint32_t reward = b.addRewardAxon(core, {{0, 4, 1, 0}}, -6);
  chip::Source src;
  src.name = "events";
  src.kind = chip::SourceKind::File;
  src.size = 3;
  // Pre spikes at 10 on both learning axons, the drive at 12 (post spikes
  // at 13), the reward at 30 (arrives at 31).
  src.spikes = {{10, 0}, {12, 1}, {30, 2}};
  const uint32_t s = b.addSource(src);
  b.addSourceTarget(s, 0, {core, a});
  b.addSourceTarget(s, 0, {core, bAxon});
  b.addSourceTarget(s, 1, {core, drive});
  b.addSourceTarget(s, 2, {core, reward});
  const uint32_t post = b.addPopulation("post", {{core, 0, 0, 2}});
  b.setPostTraces(post, {chip::TraceParams{kImpulse, 0, kDecay}, {}, {}});
  Result<ReferenceEngine> e = ReferenceEngine::create(b.build(), profile);
  ASSERT_TRUE(bool(e)) << e.error();
  for (uint32_t t = 0; t < 40; ++t) {
    e->step();
    if (t == 31) {
      EXPECT_EQ(e->reward(0), 0) << "r returns to 0 after the epoch";
    }
    const chip::Synapse sa = e->synapses(core, a)[0];
    const chip::Synapse sb = e->synapses(core, bAxon)[0];
    // Both pairings tag their synapse alike (pre at 10, post at 13).
    if (t >= 13) {
      EXPECT_GT(sa.tag, 20) << "step " << t;
      EXPECT_GT(sb.tag, 20) << "step " << t;
    } else {
      EXPECT_EQ(sa.tag, 0) << "step " << t;
    }
    // Only the rewarded synapse's weight moves, and only from step 31.
    EXPECT_EQ(sb.mantissa, 0) << "step " << t;
    if (t < 31) {
      EXPECT_EQ(sa.mantissa, 0) << "step " << t;
    }
  }
  // dw = 4 * tag / 16, the tag about 64 * 0.94^3 = 53: about 13.
  EXPECT_GE(e->synapses(core, a)[0].mantissa, 11);
  EXPECT_LE(e->synapses(core, a)[0].mantissa, 15);
}

TEST(ReferenceLearningTest, TracesFollowTheChipFunctions) {
  std::vector<int> deltas = {3};
  Result<ReferenceEngine> e =
      ReferenceEngine::create(stdpWindowImage(deltas, 5), reftest::loihi1());
  ASSERT_TRUE(bool(e)) << e.error();
  const chip::Profile &profile = reftest::loihi1();
  const chip::TraceParams params{kImpulse, 0, kDecay};
  uint32_t x1 = 0, y1 = 0;
  for (uint32_t t = 0; t < 100; ++t) {
    e->step();
    // Axon 0 of core 0 is global axon 0; compartment 0 is global 0.
    x1 = chip::stepTrace(profile, x1, params, t == kPostStep - 3, t, 42,
                         chip::traceRandomIndex(0, chip::Trace::X1));
    y1 = chip::stepTrace(profile, y1, params, t == kPostStep, t, 42,
                         chip::traceRandomIndex(0, chip::Trace::Y1));
    ASSERT_EQ(e->preTrace(0, 0, 0), x1) << "step " << t;
    ASSERT_EQ(e->postTrace(0, 0), y1) << "step " << t;
    ASSERT_EQ(e->preTrace(0, 0, 1), 0u) << "x2 has no impulse";
  }
}

TEST(ReferenceLearningTest, WeightsOutNamesEverySynapseAndItsSnapshots) {
  const chip::Profile &profile = reftest::loihi1();
  const chip::Image image = stdpWindowImage({5, -5}, 1);
  Result<ReferenceEngine> e = ReferenceEngine::create(image, profile);
  ASSERT_TRUE(bool(e)) << e.error();
  test::TempDir dir;
  const spikeio::NodeTable nodes(image);
  Result<emulator::WeightsWriter> w = emulator::WeightsWriter::create(
      dir.file("w.csv"), image, profile.synapse, nodes, {});
  ASSERT_TRUE(bool(w)) << w.error();
  EXPECT_EQ(w->synapseCount(), 2u);
  w->snapshot(e->currentStep(), *e);
  e->run(100);
  w->snapshot(e->currentStep(), *e);
  for (const std::string &name : dir.files())
    EXPECT_NE(name, "w.csv") << "only a temporary before finish";
  ASSERT_TRUE(bool(w->finish()));
  const int32_t up = e->synapses(0, 0)[0].mantissa;
  const int32_t down = e->synapses(0, 2)[0].mantissa;
  ASSERT_GT(up, 0);
  ASSERT_LT(down, 0);
  // Weight: mantissa << (weightShift 6 + exponent 0).
  EXPECT_EQ(test::readBytes(dir.file("w.csv")),
            "step,pre,pre_index,post,post_index,weight,mantissa,delay,tag\n"
            "0,pre,0,post,0,0,0,1,0\n"
            "0,pre,1,post,1,0,0,1,0\n"
            "100,pre,0,post,0," +
                std::to_string(up * 64) + "," + std::to_string(up) +
                ",1,0\n"
                "100,pre,1,post,1," +
                std::to_string(down * 64) + "," + std::to_string(down) +
                ",1,0\n");

  // Only the synapses of named nodes; an unknown name is an error.
  Result<std::vector<emulator::LearningSynapseSite>> sites =
      emulator::learningSynapseSites(image, profile.synapse, nodes, {"drive"});
  ASSERT_TRUE(bool(sites));
  EXPECT_TRUE(sites->empty()) << "drive feeds fixed synapses only";
  sites =
      emulator::learningSynapseSites(image, profile.synapse, nodes, {"nope"});
  ASSERT_FALSE(bool(sites));
  EXPECT_EQ(sites.error(), "--weights-of: no node \"nope\" in the image "
                           "(populations and sources)");
  // An image that does not learn has no weights to write.
  chip::Image fixed = image;
  fixed.learning = {};
  for (chip::Core &core : fixed.cores)
    for (chip::InputAxon &axon : core.inputAxons)
      axon.learning = chip::InputAxon::kNoLearning;
  Result<emulator::WeightsWriter> none = emulator::WeightsWriter::create(
      dir.file("none.csv"), fixed, profile.synapse, nodes, {});
  ASSERT_FALSE(bool(none));
  EXPECT_NE(none.error().find("none.csv: --weights-out: the image does not "
                              "learn"),
            std::string::npos)
      << none.error();
  EXPECT_EQ(dir.files(), std::vector<std::string>{"w.csv"});
}

} // namespace
