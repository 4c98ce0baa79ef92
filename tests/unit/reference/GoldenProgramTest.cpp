//===- GoldenProgramTest.cpp - Golden model's programs equal the oracle ---===//
//
// Property tests of the golden model's programs. On loihi2, random images
// with program populations (imagegen::RandomOptions::programPopulations:
// populations of 1..8 compartments, most running a random program of their
// own with random parameter words, the rest LIF) are run by the golden model
// and the reference engine on the same random input (sources and External
// spikes); after every step every compartment's state words and every spike
// must agree, and at the end every counter. 250 images of about 45 programs
// each: more than 10^4 programs. On LIF-only random images the golden model's
// LIF kernels must equal its fused interpreter running the LIF program
// (ModelOptions::interpretLif): the fast path equals the interpreter. A
// failure names its seed.
//
//===----------------------------------------------------------------------===//
#include "ReferenceTestUtil.h"

#include "cajal/ImageGen/RandomImage.h"
#include "cajal/TestSupport/RandomRuns.h"

#include <gtest/gtest.h>

#include <cstdio>

using namespace cajal;
using golden::GoldenModel;
using reference::ReferenceEngine;

namespace {

constexpr uint32_t kSteps = 40;
constexpr uint32_t kImagesPerTest = 25;

using test::giveExternalSpikes;
using test::loihi2;
using test::ProgramCoverage;

imagegen::RandomNetwork programNetwork(uint64_t seed) {
  return test::programNetwork(loihi2(), seed, kSteps);
}

/// Run both engines over the network of `seed` (random programs on loihi2,
/// or with `trees` random dendritic trees on that profile), comparing every
/// step, and add what it exercised to `coverage`.
void expectGoldenEqualsReference(uint64_t seed, ProgramCoverage &coverage,
                                 const chip::Profile *trees = nullptr) {
  const chip::Profile &profile = trees ? *trees : loihi2();
  const imagegen::RandomNetwork net =
      trees ? test::treeNetwork(profile, seed, kSteps) : programNetwork(seed);
  const std::string where = "seed " + std::to_string(seed);
  coverage.programs += net.image.programs.size();
  for (const chip::Population &p : net.image.populations)
    if (!p.tree.empty()) {
      coverage.treeCompartments += p.tree.size() * p.size;
      coverage.trees += 1;
      coverage.treeNeurons += p.size;
    }
  Result<GoldenModel> golden = GoldenModel::create(net.image, profile);
  ASSERT_TRUE(bool(golden)) << where << ": " << golden.error();
  Result<ReferenceEngine> ref = ReferenceEngine::create(net.image, profile);
  ASSERT_TRUE(bool(ref)) << where << ": " << ref.error();
  giveExternalSpikes(*golden, net);
  giveExternalSpikes(*ref, net);
  for (uint32_t t = 0; t < kSteps; ++t) {
    golden->step();
    ref->step();
    const std::string at = where + ", step " + std::to_string(t);
    for (uint32_t g = 0; g < golden->compartmentCount(); ++g)
      ASSERT_EQ(golden->compartmentStateWords(g), ref->stateWords(g))
          << at << ", compartment " << g << ", program\n"
          << chip::disassemble(ref->program(g)) << "parameter words "
          << ::testing::PrintToString(ref->paramWords(g));
    ASSERT_NO_FATAL_FAILURE(reftest::expectSameStep(*golden, *ref, at));
  }
  reftest::expectSameCounters(*golden, *ref, where);
  coverage.spikes += golden->counters().compartmentSpikes;
  coverage.idleUpdates += golden->counters().idleUpdates;
}

class GoldenPrograms : public ::testing::TestWithParam<uint32_t> {};

TEST_P(GoldenPrograms, EqualReferenceEngine) {
  ProgramCoverage coverage;
  for (uint32_t i = 0; i < kImagesPerTest; ++i) {
    const uint64_t seed = uint64_t(GetParam()) * kImagesPerTest + i + 1;
    ASSERT_NO_FATAL_FAILURE(expectGoldenEqualsReference(seed, coverage));
  }
  // 10 tests: at least 10^4 programs in all.
  EXPECT_GE(coverage.programs, 1000u);
  EXPECT_GT(coverage.spikes, 0u);
  EXPECT_GT(coverage.idleUpdates, 0u);
}

INSTANTIATE_TEST_SUITE_P(Batches, GoldenPrograms, ::testing::Range(0u, 10u));

// Images with dendritic trees (docs/neurocore-isa.md): the golden model's
// tree path equals the reference engine at every step. 9 batches of 60
// random images hold about 10^4 random trees (tree populations), each
// neuron with its own random words and state.
class GoldenTrees : public ::testing::TestWithParam<uint32_t> {};

TEST_P(GoldenTrees, EqualReferenceEngine) {
  constexpr uint32_t kImages = 60;
  ProgramCoverage coverage;
  for (uint32_t i = 0; i < kImages; ++i) {
    const uint64_t seed = uint64_t(GetParam()) * kImages + i + 1;
    ASSERT_NO_FATAL_FAILURE(
        expectGoldenEqualsReference(seed, coverage, &test::loihi2WithTrees()));
  }
  EXPECT_GE(coverage.trees, 1112u) << "9 batches: at least 10^4 trees";
  EXPECT_GE(coverage.treeCompartments, 1000u);
  EXPECT_GT(coverage.spikes, 0u);
  std::printf("%llu random trees, %llu tree neurons\n",
              (unsigned long long)coverage.trees,
              (unsigned long long)coverage.treeNeurons);
}

INSTANTIATE_TEST_SUITE_P(Batches, GoldenTrees, ::testing::Range(0u, 9u));

// loihi1's fixed-function trees (imagegen::randomLifTree: the compiler's
// compartments, outputs unscaled, joins of at most two children).
TEST(GoldenLoihi1Trees, EqualReferenceEngine) {
  ProgramCoverage coverage;
  for (uint64_t seed = 1; seed <= 60; ++seed)
    ASSERT_NO_FATAL_FAILURE(
        expectGoldenEqualsReference(seed, coverage, &test::loihi1()));
  EXPECT_GE(coverage.trees, 1000u);
  EXPECT_GT(coverage.spikes, 0u);
  std::printf("%llu random loihi1 trees, %llu tree neurons\n",
              (unsigned long long)coverage.trees,
              (unsigned long long)coverage.treeNeurons);
}

TEST(GoldenPrograms, StateWordsApi) {
  const imagegen::RandomNetwork net = programNetwork(7);
  Result<GoldenModel> golden = GoldenModel::create(net.image, loihi2());
  ASSERT_TRUE(bool(golden)) << golden.error();
  EXPECT_GT(golden->interpretedCompartments(), 0u);
  EXPECT_LT(golden->interpretedCompartments(), golden->compartmentCount());
  golden->run(5);
  for (uint32_t p = 0; p < golden->populationCount(); ++p)
    for (uint32_t n = 0; n < golden->populationSize(p); ++n) {
      const std::vector<int32_t> words = golden->stateWords(p, n);
      const chip::CompartmentState s = golden->state(p, n);
      ASSERT_FALSE(words.empty());
      EXPECT_EQ(s.u, words[0]);
      EXPECT_EQ(s.v, words.size() > 1 ? words[1] : 0);
    }
}

/// LIF-only random images: the LIF kernels equal the interpreter.
class GoldenLifInterpreted : public ::testing::TestWithParam<uint32_t> {};

TEST_P(GoldenLifInterpreted, EqualsFastPath) {
  for (uint32_t i = 0; i < 10; ++i) {
    const uint64_t seed = uint64_t(GetParam()) * 10 + i + 1;
    const chip::Profile profile =
        seed % 2 ? reftest::subtractingProfile() : reftest::loihi1();
    imagegen::RandomOptions o;
    o.seed = seed;
    o.steps = 100;
    const imagegen::RandomNetwork net = imagegen::randomNetwork(profile, o);
    const std::string where = "seed " + std::to_string(seed);
    golden::ModelOptions interpret;
    interpret.interpretLif = true;
    Result<GoldenModel> fast = GoldenModel::create(net.image, profile);
    Result<GoldenModel> slow =
        GoldenModel::create(net.image, profile, interpret);
    ASSERT_TRUE(bool(fast) && bool(slow)) << where;
    ASSERT_EQ(fast->interpretedCompartments(), 0u);
    ASSERT_EQ(slow->interpretedCompartments(), slow->compartmentCount());
    giveExternalSpikes(*fast, net);
    giveExternalSpikes(*slow, net);
    for (uint32_t t = 0; t < o.steps; ++t) {
      fast->step();
      slow->step();
      const std::string at = where + ", step " + std::to_string(t);
      ASSERT_EQ(fast->lastSpikingCompartments(),
                slow->lastSpikingCompartments())
          << at;
      for (uint32_t g = 0; g < fast->compartmentCount(); ++g)
        ASSERT_EQ(fast->compartmentStateWords(g),
                  slow->compartmentStateWords(g))
            << at << ", compartment " << g;
    }
    EXPECT_EQ(fast->counters().activeUpdates, slow->counters().activeUpdates)
        << where;
    EXPECT_EQ(fast->counters().idleUpdates, slow->counters().idleUpdates)
        << where;
  }
}

INSTANTIATE_TEST_SUITE_P(Batches, GoldenLifInterpreted,
                         ::testing::Range(0u, 4u));

} // namespace
