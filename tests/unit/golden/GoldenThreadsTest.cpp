//===- GoldenThreadsTest.cpp - One result for any number of threads -------===//
//
// ModelOptions::threads splits a step's update and delivery among threads,
// each delivering into a ring of its own. Integer sums do not depend on
// their order, so 1, 2, 3 and 4 threads must give the same spikes every
// step, the same final state words and the same counters, on random
// multi-core images (LIF with random initial states, and random programs),
// with each accumulator width (int16, int32, int64 rings).
//
//===----------------------------------------------------------------------===//

#include "cajal/Golden/GoldenModel.h"
#include "cajal/ImageGen/RandomImage.h"
#include "cajal/TestSupport/GoldenRecord.h"
#include "cajal/TestSupport/Profiles.h"
#include "cajal/TestSupport/RandomRuns.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

using namespace cajal;

namespace {

constexpr uint32_t kSteps = 150;

using Run = test::GoldenRecord;

Run run(const imagegen::RandomNetwork &net, const chip::Profile &profile,
        const golden::ModelOptions &options) {
  Run r = test::recordGolden(net, profile, options, kSteps);
  EXPECT_EQ(r.threads, options.threads);
  return r;
}

bool sameCounters(const emulator::Counters &a, const emulator::Counters &b) {
  return std::tie(a.steps, a.compartmentSpikes, a.sourceSpikes, a.axonEvents,
                  a.synapticEvents, a.activeUpdates, a.idleUpdates) ==
         std::tie(b.steps, b.compartmentSpikes, b.sourceSpikes, b.axonEvents,
                  b.synapticEvents, b.activeUpdates, b.idleUpdates);
}

bool sameCores(const std::vector<emulator::CoreCounters> &a,
               const std::vector<emulator::CoreCounters> &b) {
  if (a.size() != b.size())
    return false;
  for (size_t k = 0; k < a.size(); ++k)
    if (std::tie(a[k].compartmentSpikes, a[k].axonEventsIn, a[k].synapticEvents,
                 a[k].activeUpdates, a[k].idleUpdates) !=
        std::tie(b[k].compartmentSpikes, b[k].axonEventsIn, b[k].synapticEvents,
                 b[k].activeUpdates, b[k].idleUpdates))
      return false;
  return true;
}

/// Every thread count against one thread; returns the spikes compared and
/// the accumulator widths seen.
void expectThreadsAgree(const imagegen::RandomNetwork &net,
                        const chip::Profile &profile,
                        golden::ModelOptions options, uint64_t seed,
                        uint64_t &spikes, std::vector<unsigned> &widths) {
  options.threads = 1;
  const Run one = run(net, profile, options);
  widths.push_back(one.accumulatorBits);
  for (const std::vector<uint32_t> &s : one.spikes)
    spikes += s.size();
  for (uint32_t threads : {2u, 3u, 4u}) {
    options.threads = threads;
    const Run many = run(net, profile, options);
    ASSERT_EQ(many.spikes.size(), one.spikes.size());
    for (uint32_t t = 0; t < kSteps; ++t)
      ASSERT_EQ(many.spikes[t], one.spikes[t])
          << "seed " << seed << ", " << threads << " threads, step " << t;
    EXPECT_EQ(many.state, one.state)
        << "seed " << seed << ", " << threads << " threads";
    EXPECT_TRUE(sameCounters(many.counters, one.counters))
        << "seed " << seed << ", " << threads << " threads";
    EXPECT_TRUE(sameCores(many.cores, one.cores))
        << "seed " << seed << ", " << threads << " threads";
  }
}

TEST(GoldenThreadsTest, AnyThreadCountGivesTheSameRunOnLifImages) {
  uint64_t spikes = 0;
  std::vector<unsigned> widths;
  for (uint64_t seed = 1; seed <= 24; ++seed) {
    imagegen::RandomOptions o;
    o.seed = seed;
    o.steps = kSteps;
    imagegen::RandomNetwork net = imagegen::randomNetwork(test::loihi1(), o);
    // A third of the seeds with int16 accumulators, a third with int32, a
    // third with int64.
    const golden::ModelOptions options =
        test::rotateAccumulatorWidths(net, seed);
    expectThreadsAgree(net, test::loihi1(), options, seed, spikes, widths);
  }
  EXPECT_GT(spikes, 1000u);
  for (unsigned bits : {16u, 32u, 64u})
    EXPECT_NE(std::find(widths.begin(), widths.end(), bits), widths.end())
        << bits << "-bit accumulators never used";
}

TEST(GoldenThreadsTest, AnyThreadCountGivesTheSameRunWithPrograms) {
  uint64_t spikes = 0;
  std::vector<unsigned> widths;
  for (uint64_t seed = 1; seed <= 8; ++seed) {
    const imagegen::RandomNetwork net =
        test::programNetwork(test::loihi2(), seed, kSteps);
    expectThreadsAgree(net, test::loihi2(), {}, seed, spikes, widths);
  }
  EXPECT_GT(spikes, 1000u);
}

// A consumed image has each core's synapse tables released once the model
// holds them; `cajal run` reads the image streamed, the tables core by core
// from the file: the same run as from a borrowed image.
TEST(GoldenThreadsTest, ConsumingOrStreamingTheImageGivesTheSameRun) {
  uint64_t spikes = 0;
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    imagegen::RandomOptions o;
    o.seed = seed;
    o.steps = kSteps;
    imagegen::RandomNetwork net = imagegen::randomNetwork(test::loihi1(), o);
    golden::ModelOptions options = test::rotateAccumulatorWidths(net, seed);
    const test::GoldenRecord borrowed = run(net, test::loihi1(), options);
    for (const std::vector<uint32_t> &s : borrowed.spikes)
      spikes += s.size();
    for (test::ImageUse use : {test::ImageUse::Consume, test::ImageUse::Stream})
      for (uint32_t threads : {1u, 2u}) {
        options.threads = threads;
        // Every array cleared aside on odd seeds (only large ones by
        // default).
        options.clearSynapsesAsideFrom =
            seed % 2 ? 0 : golden::ModelOptions().clearSynapsesAsideFrom;
        const test::GoldenRecord other =
            test::recordGolden(net, test::loihi1(), options, kSteps, use);
        const std::string how =
            "seed " + std::to_string(seed) + ", " + std::to_string(threads) +
            " threads, " +
            (use == test::ImageUse::Stream ? "streamed" : "consumed") +
            (seed % 2 ? ", synapses cleared aside" : "");
        EXPECT_EQ(other.spikes, borrowed.spikes) << how;
        EXPECT_EQ(other.state, borrowed.state) << how;
        EXPECT_TRUE(sameCounters(other.counters, borrowed.counters)) << how;
        EXPECT_TRUE(sameCores(other.cores, borrowed.cores)) << how;
      }
  }
  EXPECT_GT(spikes, 1000u);
}

TEST(GoldenThreadsTest, ZeroThreadsIsRefused) {
  imagegen::RandomOptions o;
  o.seed = 2;
  const imagegen::RandomNetwork net =
      imagegen::randomNetwork(test::loihi1(), o);
  golden::ModelOptions options;
  options.threads = 0;
  Result<golden::GoldenModel> m =
      golden::GoldenModel::create(net.image, test::loihi1(), options);
  ASSERT_FALSE(bool(m));
  EXPECT_NE(m.error().find("threads: 0; a run needs at least 1"),
            std::string::npos)
      << m.error();
}

} // namespace
