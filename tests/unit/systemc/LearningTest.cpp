//===- LearningTest.cpp - The SystemC model learns as the reference -------===//
//
// Learning in the cycle-level model: the same spikes, weights, delays, tags,
// traces and rewards as the reference engine after every step, on the
// hand-made learning images (tests/support LearningImages.h) and on images
// scattered over the mesh; and what learning costs: 120 pJ per learning
// synapse and epoch (davies2018 Table 2) and cost.learningSynapseNs per
// synapse added to the step that ends an epoch.
//
//===----------------------------------------------------------------------===//
#include "SystemCTestUtil.h"

#include "cajal/ImageGen/RandomImage.h"
#include "cajal/Reference/ReferenceEngine.h"
#include "cajal/SystemC/SystemCEngine.h"
#include "cajal/SystemC/Timing.h"
#include "cajal/TestSupport/LearningCompare.h"
#include "cajal/TestSupport/LearningImages.h"
#include "cajal/TestSupport/RandomRuns.h"

#include <gtest/gtest.h>

using namespace cajal;
using systemc::SystemCEngine;

namespace {

/// Run both engines `steps` steps, comparing after each; `network`, when
/// given, supplies the External sources' spikes.
void expectSameLearning(const chip::Image &image, const chip::Profile &profile,
                        uint32_t steps, const std::string &what,
                        const imagegen::RandomNetwork *network = nullptr) {
  Result<SystemCEngine> sc = SystemCEngine::create(image, profile);
  ASSERT_TRUE(bool(sc)) << what << ": " << sc.error();
  Result<reference::ReferenceEngine> ref =
      reference::ReferenceEngine::create(image, profile);
  ASSERT_TRUE(bool(ref)) << what << ": " << ref.error();
  if (network) {
    test::giveExternalSpikes(*sc, *network);
    test::giveExternalSpikes(*ref, *network);
  }
  for (uint32_t t = 0; t < steps; ++t) {
    ASSERT_TRUE(bool(sc->step())) << what;
    ref->step();
    const std::string at = what + ", step " + std::to_string(t);
    ASSERT_NO_FATAL_FAILURE(test::expectSameLearningStep(*sc, *ref, image, at));
    for (uint32_t g = 0; g < ref->compartmentCount(); ++g)
      ASSERT_EQ(sc->compartmentState(g), ref->compartmentState(g))
          << at << ", compartment " << g;
  }
  EXPECT_EQ(sc->counters().learningUpdates, ref->counters().learningUpdates)
      << what;
}

std::vector<int> window(int from, int to) {
  std::vector<int> deltas;
  for (int d = from; d <= to; ++d)
    deltas.push_back(d);
  return deltas;
}

TEST(SystemCLearningTest, EqualsTheReferenceEngine) {
  const chip::Profile profile = sctest::loihi1();
  for (uint32_t epoch : {1u, 7u, 63u})
    expectSameLearning(test::stdpPairingImage(profile, window(-30, 30), epoch),
                       profile, 150,
                       "pair STDP, epoch " + std::to_string(epoch));
  expectSameLearning(test::rewardImage(profile), profile, 40, "reward");
}

TEST(SystemCLearningTest, EqualsTheReferenceOnRandomRulesAndSpikes) {
  // Random rules over every variable, random traces, learning and reward
  // groups on random networks (imagegen's learning option); seeds printed.
  for (const chip::Profile &profile : {sctest::loihi1(), test::loihi2()})
    for (uint64_t seed = 1; seed <= 6; ++seed) {
      imagegen::RandomOptions o;
      o.seed = seed;
      o.steps = 120;
      o.learning = true;
      o.programPopulations = profile.isa.programmable;
      const imagegen::RandomNetwork net = imagegen::randomNetwork(profile, o);
      expectSameLearning(net.image, profile, o.steps,
                         profile.name + ", seed " + std::to_string(seed), &net);
    }
}

TEST(SystemCLearningTest, EqualsTheReferenceOnCoresAcrossTheMesh) {
  // The pairings split over three cores far apart: the random draws are
  // keyed by global axon, compartment and synapse numbers, not by core.
  const chip::Profile profile = sctest::loihi1();
  chip::Image image = test::stdpPairingImage(profile, window(-12, 12), 5);
  chip::Image split = image;
  split.cores.clear();
  for (uint32_t part = 0; part < 3; ++part)
    split.cores.push_back(image.cores[0]);
  // The spikes and the population go to the last copy, whose axons and
  // compartments have global numbers other than their local ones.
  for (chip::Source &src : split.sources)
    for (chip::AxonTarget &t : src.targets)
      t.core = 2;
  for (chip::Slice &slice : split.populations[0].slices)
    slice.core = 2;
  sctest::scatter(split, profile, 11);
  expectSameLearning(split, profile, 120, "three cores");
}

TEST(SystemCLearningTest, AnEpochCostsItsSynapseUpdates) {
  const chip::Profile profile = sctest::loihi1();
  const std::vector<int> deltas = window(-20, 20);
  const uint32_t epoch = 10, steps = 100;
  const chip::Image image = test::stdpPairingImage(profile, deltas, epoch);
  Result<SystemCEngine> sc = SystemCEngine::create(image, profile);
  ASSERT_TRUE(bool(sc)) << sc.error();
  std::vector<uint64_t> learningCycles;
  for (uint32_t t = 0; t < steps; ++t) {
    ASSERT_TRUE(bool(sc->step()));
    learningCycles.push_back(sc->lastStepTiming().cycles);
  }
  const systemc::PowerReport withLearning = sc->powerReport();
  ASSERT_TRUE(bool(sc->finish()));
  // Every learning synapse is updated once an epoch.
  const uint64_t updates = deltas.size() * (steps / epoch);
  EXPECT_EQ(withLearning.counts.learningUpdates, updates);
  EXPECT_DOUBLE_EQ(withLearning.energy.learning,
                   double(updates) * profile.cost.learningSynapsePJ);
  EXPECT_DOUBLE_EQ(profile.cost.learningSynapsePJ, 120.0);
  // The step that ends an epoch is longer by the updates' cycles: at least
  // 41 synapses x 7 cycles beyond the step before it, which did the same
  // work otherwise (no spikes there).
  const uint64_t perSynapse = systemc::timingFor(profile).learningSynapseCycles;
  EXPECT_EQ(perSynapse, 7u);
  for (uint32_t t = epoch - 1; t < steps; t += epoch) {
    if (t > 70) { // after every pairing
      EXPECT_GE(learningCycles[t],
                learningCycles[t - 1] + deltas.size() * perSynapse)
          << "step " << t;
    }
  }
  EXPECT_NE(systemc::formatPowerTable(withLearning)
                .find("learning (synapse updates)"),
            std::string::npos);
}

} // namespace
