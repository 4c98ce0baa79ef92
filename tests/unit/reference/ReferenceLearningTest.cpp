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
#include "cajal/TestSupport/LearningImages.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace cajal;
using reference::ReferenceEngine;

namespace {

using test::kStdpDecay;
using test::kStdpImpulse;
using test::rewardImage;
constexpr uint32_t kImpulse = kStdpImpulse;
constexpr uint32_t kDecay = kStdpDecay;
constexpr uint32_t kPostStep = test::kStdpPostStep;

chip::Image stdpWindowImage(const std::vector<int> &deltas,
                            uint32_t epochSteps) {
  return test::stdpPairingImage(reftest::loihi1(), deltas, epochSteps);
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
  const uint32_t core = 0, a = 0, bAxon = 1;
  Result<ReferenceEngine> e =
      ReferenceEngine::create(rewardImage(profile), profile);
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
