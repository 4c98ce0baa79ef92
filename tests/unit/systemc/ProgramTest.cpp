//===- ProgramTest.cpp - SystemC programs equal the oracle, priced right --===//
//
// Property test of the SystemC model on images whose populations run random
// programs (imagegen::RandomOptions::programPopulations on loihi2): after
// every step the state words of every compartment and the spikes equal the
// reference engine's, and per core the update phase's cycles and the energy
// of its updates equal the sum, over that core's compartments, of
// chip::programCost of the compartment's program for each non-idle update
// (the reference engine says which were idle) and of the inactive update's
// cost for each idle one. 200 images of about 50 programs: more than 10^4
// programs; then 60 images with dendritic trees. A failure names its seed.
//
//===----------------------------------------------------------------------===//
#include "cajal/Chip/StandardPrograms.h"
#include "cajal/ImageGen/RandomImage.h"
#include "cajal/Reference/ReferenceEngine.h"
#include "cajal/SystemC/SystemCEngine.h"
#include "cajal/SystemC/Timing.h"
#include "cajal/TestSupport/Profiles.h"
#include "cajal/TestSupport/RandomRuns.h"

#include <gtest/gtest.h>

#include <cstdio>

using namespace cajal;
using reference::ReferenceEngine;
using systemc::SystemCEngine;

namespace {

constexpr uint32_t kSteps = 30;
constexpr uint32_t kImagesPerTest = 25;

using test::giveExternalSpikes;
using test::loihi2;
using test::ProgramCoverage;

/// Random programs on loihi2, or with `trees` random dendritic trees on
/// that profile.
void expectSystemCEqualsReference(uint64_t seed, ProgramCoverage &coverage,
                                  const chip::Profile *trees = nullptr) {
  const chip::Profile &profile = trees ? *trees : loihi2();
  const imagegen::RandomNetwork net =
      trees ? test::treeNetwork(profile, seed, kSteps)
            : test::programNetwork(profile, seed, kSteps);
  for (const chip::Population &p : net.image.populations)
    if (!p.tree.empty()) {
      coverage.treeCompartments += p.tree.size() * p.size;
      coverage.trees += 1;
      coverage.treeNeurons += p.size;
    }
  const std::string where = "seed " + std::to_string(seed);
  coverage.programs += net.image.programs.size();
  Result<SystemCEngine> sc = SystemCEngine::create(net.image, profile);
  ASSERT_TRUE(bool(sc)) << where << ": " << sc.error();
  Result<ReferenceEngine> ref = ReferenceEngine::create(net.image, profile);
  ASSERT_TRUE(bool(ref)) << where << ": " << ref.error();
  giveExternalSpikes(*sc, net);
  giveExternalSpikes(*ref, net);
  const systemc::Timing timing = systemc::timingFor(profile);
  const std::vector<uint32_t> &begin = ref->coreCompartmentBegin();
  const size_t cores = begin.size() - 1;
  std::vector<uint64_t> cycles(cores, 0);
  std::vector<double> activePJ(cores, 0), inactivePJ(cores, 0);
  for (uint32_t t = 0; t < kSteps; ++t) {
    ASSERT_TRUE(bool(sc->step())) << where;
    ref->step();
    const std::string at = where + ", step " + std::to_string(t);
    ASSERT_EQ(sc->lastSpikingCompartments(), ref->lastSpikingCompartments())
        << at;
    for (uint32_t g = 0; g < ref->compartmentCount(); ++g)
      ASSERT_EQ(sc->compartmentStateWords(g), ref->stateWords(g))
          << at << ", compartment " << g << ", program\n"
          << chip::disassemble(ref->program(g));
    for (size_t c = 0; c < cores; ++c)
      for (uint32_t g = begin[c]; g < begin[c + 1]; ++g) {
        if (ref->lastUpdateIdle(g)) {
          cycles[c] += timing.inactiveUpdateCycles;
          inactivePJ[c] += profile.cost.neuronUpdateInactivePJ;
        } else {
          const chip::ProgramCost cost =
              chip::programCost(ref->program(g), profile);
          cycles[c] += cost.cycles;
          activePJ[c] += cost.energyPJ;
        }
      }
    const systemc::PowerReport report = sc->powerReport();
    for (size_t c = 0; c < cores; ++c) {
      ASSERT_EQ(report.cores[c].updateCycles, cycles[c])
          << at << ", core " << c;
      ASSERT_DOUBLE_EQ(report.cores[c].energy.activeUpdates, activePJ[c])
          << at << ", core " << c;
      ASSERT_DOUBLE_EQ(report.cores[c].energy.inactiveUpdates, inactivePJ[c])
          << at << ", core " << c;
    }
  }
  EXPECT_EQ(sc->counters().activeUpdates, ref->counters().activeUpdates)
      << where;
  EXPECT_EQ(sc->counters().idleUpdates, ref->counters().idleUpdates) << where;
  coverage.spikes += ref->counters().compartmentSpikes;
  coverage.idleUpdates += ref->counters().idleUpdates;
}

class SystemCPrograms : public ::testing::TestWithParam<uint32_t> {};

TEST_P(SystemCPrograms, EqualReferenceEngineAndProgramCost) {
  ProgramCoverage coverage;
  for (uint32_t i = 0; i < kImagesPerTest; ++i) {
    const uint64_t seed = uint64_t(GetParam()) * kImagesPerTest + i + 1;
    ASSERT_NO_FATAL_FAILURE(expectSystemCEqualsReference(seed, coverage));
  }
  // 10 tests: at least 10^4 programs in all.
  EXPECT_GE(coverage.programs, 1000u);
  EXPECT_GT(coverage.spikes, 0u);
  EXPECT_GT(coverage.idleUpdates, 0u);
}

INSTANTIATE_TEST_SUITE_P(Batches, SystemCPrograms, ::testing::Range(0u, 10u));

// Images with dendritic trees (docs/neurocore-isa.md): the same equalities,
// the trees' PUSH, POP, AND and OR priced as ALU instructions. 9 batches of
// 60 random images hold about 10^4 random trees (tree populations).
class SystemCTrees : public ::testing::TestWithParam<uint32_t> {};

TEST_P(SystemCTrees, EqualReferenceEngineAndProgramCost) {
  constexpr uint32_t kImages = 60;
  ProgramCoverage coverage;
  for (uint32_t i = 0; i < kImages; ++i) {
    const uint64_t seed = uint64_t(GetParam()) * kImages + i + 1;
    ASSERT_NO_FATAL_FAILURE(
        expectSystemCEqualsReference(seed, coverage, &test::loihi2WithTrees()));
  }
  EXPECT_GE(coverage.trees, 1112u) << "9 batches: at least 10^4 trees";
  EXPECT_GE(coverage.treeCompartments, 1000u);
  EXPECT_GT(coverage.spikes, 0u);
  std::printf("%llu random trees, %llu tree neurons, %llu spikes\n",
              (unsigned long long)coverage.trees,
              (unsigned long long)coverage.treeNeurons,
              (unsigned long long)coverage.spikes);
}

INSTANTIATE_TEST_SUITE_P(Batches, SystemCTrees, ::testing::Range(0u, 9u));

// loihi1's fixed-function trees (imagegen::randomLifTree), priced at
// loihi1's one cycle per instruction.
TEST(SystemCLoihi1Trees, EqualReferenceEngineAndProgramCost) {
  ProgramCoverage coverage;
  for (uint64_t seed = 1; seed <= 60; ++seed)
    ASSERT_NO_FATAL_FAILURE(
        expectSystemCEqualsReference(seed, coverage, &test::loihi1()));
  EXPECT_GE(coverage.trees, 1000u);
  EXPECT_GT(coverage.spikes, 0u);
  std::printf("%llu random loihi1 trees, %llu tree neurons, %llu spikes\n",
              (unsigned long long)coverage.trees,
              (unsigned long long)coverage.treeNeurons,
              (unsigned long long)coverage.spikes);
}

} // namespace
