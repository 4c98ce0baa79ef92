//===- ReferenceCrossCheckTest.cpp - Reference engine equals golden -------===//
//
// Property test over seeded random images (chip/imagegen): after every step
// the reference engine's spikes (compartments, populations, sources) and the
// state of every compartment and of every neuron of every population equal
// the golden model's; at the end every counter does. 120 seeds of 200 steps
// in 12 tests of 10; odd seeds run on a profile with reset by subtraction
// and narrow arithmetic, every fourth seed has more and larger cores. Each
// test also checks that its images exercised what they are meant to: every
// source kind fired, spikes crossed synapses with delays above 1, NoSpike
// compartments existed, compartments sat out refractory periods and (odd
// seeds) reset by subtraction. A failure names its seed.
//
// The recorded CSV files (spikes with sources, states) of both engines are
// compared byte for byte too.
//
//===----------------------------------------------------------------------===//
#include "ReferenceTestUtil.h"

#include "cajal/Golden/GoldenRun.h"
#include "cajal/ImageGen/RandomImage.h"
#include "cajal/Reference/ReferenceRun.h"
#include "cajal/TestSupport/RandomRuns.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>

using namespace cajal;
using golden::GoldenModel;
using reference::ReferenceEngine;

namespace {

constexpr uint32_t kSteps = 200;
constexpr uint32_t kSeedsPerTest = 10;

chip::Profile profileFor(uint64_t seed) {
  return seed % 2 == 1 ? reftest::subtractingProfile() : reftest::loihi1();
}

imagegen::RandomNetwork networkFor(const chip::Profile &profile,
                                   uint64_t seed) {
  imagegen::RandomOptions o;
  o.seed = seed;
  o.steps = kSteps;
  if (seed % 4 == 3) { // more and larger cores
    o.maxCores = 12;
    o.maxCompartments = 128;
    o.maxInputAxons = 48;
  }
  return imagegen::randomNetwork(profile, o);
}

using test::giveExternalSpikes;

/// What a batch of images exercised.
struct Coverage {
  std::array<uint64_t, 4> sourceSpikesOfKind{}; ///< by chip::SourceKind
  uint64_t delayedSynapticEvents = 0; ///< compartment spikes, delay > 1
  uint64_t noSpikeCompartments = 0;
  uint64_t refractorySteps = 0; ///< (compartment, step) with refractory > 0
  uint64_t subtractingSpikes = 0;
  uint64_t idleUpdates = 0;
};

/// Synapses of delay > 1 reached by a spike of each compartment (global).
std::vector<uint64_t> delayedSynapsesPerSpike(const chip::Image &image,
                                              const chip::Profile &profile) {
  std::vector<std::vector<uint64_t>> perAxon(image.cores.size());
  std::vector<chip::Synapse> group;
  for (size_t c = 0; c < image.cores.size(); ++c)
    for (const chip::InputAxon &axon : image.cores[c].inputAxons) {
      chip::unpackSynapses(image.cores[c].synapseWords, axon, profile.synapse,
                           group);
      uint64_t delayed = 0;
      for (const chip::Synapse &s : group)
        delayed += s.delay > 1;
      perAxon[c].push_back(delayed);
    }
  std::vector<uint64_t> out;
  for (const chip::Core &core : image.cores)
    for (size_t l = 0; l < core.compartments.size(); ++l) {
      uint64_t delayed = 0;
      for (uint32_t o = core.outputBegin[l]; o < core.outputBegin[l + 1]; ++o)
        delayed +=
            perAxon[core.outputAxons[o].core][core.outputAxons[o].inputAxon];
      out.push_back(delayed);
    }
  return out;
}

void crossCheck(uint64_t seed, Coverage &coverage) {
  const std::string name = "seed " + std::to_string(seed);
  SCOPED_TRACE(name + " (rerun: --gtest_filter=*CrossCheck*)");
  const chip::Profile profile = profileFor(seed);
  const imagegen::RandomNetwork net = networkFor(profile, seed);
  Result<GoldenModel> golden = GoldenModel::create(net.image, profile);
  ASSERT_TRUE(bool(golden)) << golden.error();
  Result<ReferenceEngine> ref = ReferenceEngine::create(net.image, profile);
  ASSERT_TRUE(bool(ref)) << ref.error();
  ASSERT_NO_FATAL_FAILURE(giveExternalSpikes(*golden, net));
  ASSERT_NO_FATAL_FAILURE(giveExternalSpikes(*ref, net));

  std::vector<uint8_t> flags;
  for (const chip::Core &core : net.image.cores)
    for (const chip::CompartmentParams &p : core.compartments)
      flags.push_back(p.flags);
  for (uint8_t f : flags)
    coverage.noSpikeCompartments += (f & chip::NoSpike) != 0;
  const std::vector<uint64_t> delayed =
      delayedSynapsesPerSpike(net.image, profile);

  for (uint32_t t = 0; t < kSteps; ++t) {
    golden->step();
    ref->step();
    reftest::expectSameStep(*golden, *ref,
                            name + ", step " + std::to_string(t));
    if (testing::Test::HasFatalFailure())
      return;
    for (uint32_t g : ref->lastSpikingCompartments()) {
      coverage.delayedSynapticEvents += delayed[g];
      coverage.subtractingSpikes += (flags[g] & chip::ResetBySubtraction) != 0;
    }
    for (const emulator::SourceSpikeEvent &e : ref->lastSourceSpikes())
      ++coverage.sourceSpikesOfKind[size_t(net.image.sources[e.source].kind)];
    for (uint32_t g = 0; g < ref->compartmentCount(); ++g)
      coverage.refractorySteps += ref->compartmentState(g).refractoryLeft > 0;
  }
  reftest::expectSameCounters(*golden, *ref, name);
  coverage.idleUpdates += ref->counters().idleUpdates;
}

class CrossCheck : public ::testing::TestWithParam<uint32_t> {};

TEST_P(CrossCheck, SpikesStatesAndCountersEqualGolden) {
  Coverage coverage;
  for (uint32_t k = 1; k <= kSeedsPerTest; ++k) {
    crossCheck(uint64_t(GetParam()) * kSeedsPerTest + k, coverage);
    if (HasFatalFailure())
      return;
  }
  for (chip::SourceKind kind :
       {chip::SourceKind::External, chip::SourceKind::File,
        chip::SourceKind::Poisson, chip::SourceKind::Periodic})
    EXPECT_GT(coverage.sourceSpikesOfKind[size_t(kind)], 0u)
        << "no spike of source kind " << int(kind);
  EXPECT_GT(coverage.delayedSynapticEvents, 0u);
  EXPECT_GT(coverage.noSpikeCompartments, 0u);
  EXPECT_GT(coverage.refractorySteps, 0u);
  EXPECT_GT(coverage.subtractingSpikes, 0u);
  EXPECT_GT(coverage.idleUpdates, 0u);
}

INSTANTIATE_TEST_SUITE_P(Seeds, CrossCheck, ::testing::Range(0u, 12u));

std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The first line where two files differ, as "line N: A | B"; "" when
/// they are equal. (gtest's diff of two long strings takes minutes.)
std::string firstDifference(const std::string &a, const std::string &b) {
  if (a == b)
    return "";
  std::istringstream left(a), right(b);
  std::string x, y;
  for (size_t line = 1;; ++line) {
    const bool leftMore = bool(std::getline(left, x));
    const bool rightMore = bool(std::getline(right, y));
    if ((!leftMore && !rightMore) || x != y)
      return "line " + std::to_string(line) + ": " + x + " | " + y;
    x.clear();
    y.clear();
  }
}

/// Record kSteps steps of a random image on both engines into files; expect
/// the same files and the same spike counts.
void expectSameFiles(uint64_t seed, bool probeEveryPopulation, bool recordAll) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  const chip::Profile profile = profileFor(seed);
  imagegen::RandomNetwork net = networkFor(profile, seed);
  if (probeEveryPopulation)
    for (chip::Population &p : net.image.populations)
      p.recordState = true;
  Result<GoldenModel> golden = GoldenModel::create(net.image, profile);
  ASSERT_TRUE(bool(golden)) << golden.error();
  Result<ReferenceEngine> ref = ReferenceEngine::create(net.image, profile);
  ASSERT_TRUE(bool(ref)) << ref.error();
  ASSERT_NO_FATAL_FAILURE(giveExternalSpikes(*golden, net));
  ASSERT_NO_FATAL_FAILURE(giveExternalSpikes(*ref, net));

  const std::string base =
      testing::TempDir() + "reference-files-" + std::to_string(seed);
  std::vector<uint64_t> goldenCounts, refCounts;
  emulator::RecordOptions options;
  options.recordSources = true;
  options.recordAll = recordAll;
  options.spikesPath = base + "-golden-spikes.csv";
  options.statePath = base + "-golden-state.csv";
  options.spikeCounts = &goldenCounts;
  ASSERT_TRUE(bool(golden::runAndRecord(*golden, kSteps, options)));
  options.spikesPath = base + "-reference-spikes.csv";
  options.statePath = base + "-reference-state.csv";
  options.spikeCounts = &refCounts;
  ASSERT_TRUE(bool(reference::runAndRecord(*ref, kSteps, options)));

  const std::string spikes = readFile(base + "-reference-spikes.csv");
  const std::string state = readFile(base + "-reference-state.csv");
  EXPECT_GT(std::count(spikes.begin(), spikes.end(), '\n'), 1);
  if (probeEveryPopulation) {
    EXPECT_GT(std::count(state.begin(), state.end(), '\n'), 1);
  }
  EXPECT_EQ(firstDifference(readFile(base + "-golden-spikes.csv"), spikes), "");
  EXPECT_EQ(firstDifference(readFile(base + "-golden-state.csv"), state), "");
  EXPECT_EQ(goldenCounts, refCounts);
}

TEST(CrossCheckFiles, SpikeAndStateCsvEqualGolden) {
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    expectSameFiles(seed, /*probeEveryPopulation=*/seed % 3 != 0,
                    /*recordAll=*/seed % 2 == 0);
    if (HasFatalFailure())
      return;
  }
}

} // namespace
