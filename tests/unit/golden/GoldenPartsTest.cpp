//===- GoldenPartsTest.cpp - One result for any number of parts -----------===//
//
// ModelOptions::parts splits an image's chips among models that each update
// and deliver into their own chips and exchange their spikes every step
// (`mpirun -np N cajal run` does it with MPI processes; here each part is a
// thread of this process, exchanging through shared memory). Every part must
// see the spikes of the whole model every step; the state words and per-core
// counters of a part's cores, the event counters, and the parts' summed
// update counts must equal one model's, on random multi-chip images (LIF
// with random initial states, every accumulator width, and random programs).
//
//===----------------------------------------------------------------------===//

#include "cajal/Golden/GoldenModel.h"
#include "cajal/ImageGen/RandomImage.h"
#include "cajal/TestSupport/GoldenRecord.h"
#include "cajal/TestSupport/Profiles.h"
#include "cajal/TestSupport/RandomRuns.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <tuple>
#include <vector>

using namespace cajal;

namespace {

constexpr uint32_t kSteps = 150;

/// `base` with one core per chip (16 chips in a row), so that a random
/// image of 2 to 12 cores spans as many chips.
chip::Profile oneCorePerChip(const chip::Profile &base) {
  chip::Profile p = base;
  p.mesh.tilesX = p.mesh.tilesY = p.mesh.coresPerTile = 1;
  p.mesh.chipsX = 16;
  p.mesh.chipsY = 1;
  return p;
}

/// The parts' shared spike lists: each part puts its own in, waits for the
/// others, and takes all of them.
class SharedExchange {
public:
  explicit SharedExchange(uint32_t parts) : lists(parts) {}
  void exchange(uint32_t part, std::vector<uint32_t> &spikes) {
    lists[part] = spikes;
    wait();
    spikes.clear();
    for (const std::vector<uint32_t> &l : lists)
      spikes.insert(spikes.end(), l.begin(), l.end());
    wait(); // nobody overwrites a list before every part has read it
  }

private:
  void wait() {
    std::unique_lock<std::mutex> lock(mutex);
    const uint64_t generation = passed;
    if (++arrived == lists.size()) {
      arrived = 0;
      ++passed;
      turn.notify_all();
    } else {
      turn.wait(lock, [&] { return passed != generation; });
    }
  }
  std::vector<std::vector<uint32_t>> lists;
  std::mutex mutex;
  std::condition_variable turn;
  size_t arrived = 0;
  uint64_t passed = 0;
};

class PartExchange final : public golden::SpikeExchange {
public:
  PartExchange(SharedExchange &sharedLists, uint32_t partIndex)
      : shared(sharedLists), part(partIndex) {}
  void exchange(std::vector<uint32_t> &spikes) override {
    shared.exchange(part, spikes);
  }

private:
  SharedExchange &shared;
  uint32_t part;
};

using Run = test::GoldenRecord;

Run run(const imagegen::RandomNetwork &net, const chip::Profile &profile,
        const golden::ModelOptions &options) {
  return test::recordGolden(net, profile, options, kSteps);
}

/// Runs `parts` parts side by side, each on a thread of its own.
std::vector<Run> runParts(const imagegen::RandomNetwork &net,
                          const chip::Profile &profile,
                          golden::ModelOptions options, uint32_t parts) {
  SharedExchange shared(parts);
  std::vector<PartExchange> exchanges;
  for (uint32_t p = 0; p < parts; ++p)
    exchanges.emplace_back(shared, p);
  std::vector<Run> runs(parts);
  std::vector<std::thread> threads;
  for (uint32_t p = 0; p < parts; ++p) {
    golden::ModelOptions o = options;
    o.part = p;
    o.parts = parts;
    o.exchange = &exchanges[p];
    // Each part reads the image from its file, streamed, as `mpirun ...
    // cajal run` does (odd parts consume a copy in memory).
    threads.emplace_back([&runs, &net, &profile, o, p] {
      runs[p] = test::recordGolden(net, profile, o, kSteps,
                                   p % 2 == 0 ? test::ImageUse::Stream
                                              : test::ImageUse::Consume);
    });
  }
  for (std::thread &t : threads)
    t.join();
  return runs;
}

/// Every part count against one model; counts the spikes compared, the
/// accumulator widths seen and the runs in which every part had cores.
void expectPartsAgree(const imagegen::RandomNetwork &net,
                      const chip::Profile &profile,
                      const golden::ModelOptions &options, uint64_t seed,
                      uint64_t &spikes, std::vector<unsigned> &widths,
                      uint64_t &allPartsBusy) {
  const Run one = run(net, profile, options);
  widths.push_back(one.accumulatorBits);
  for (const std::vector<uint32_t> &s : one.spikes)
    spikes += s.size();
  const size_t cores = one.cores.size();
  for (uint32_t parts : {2u, 3u, 4u}) {
    const std::vector<Run> many = runParts(net, profile, options, parts);
    std::vector<uint32_t> owners(cores, 0);
    uint64_t active = 0, idle = 0;
    for (uint32_t p = 0; p < parts; ++p) {
      const Run &part = many[p];
      const std::string where = "seed " + std::to_string(seed) + ", part " +
                                std::to_string(p) + " of " +
                                std::to_string(parts);
      ASSERT_EQ(part.spikes.size(), one.spikes.size()) << where;
      for (uint32_t t = 0; t < kSteps; ++t)
        ASSERT_EQ(part.spikes[t], one.spikes[t]) << where << ", step " << t;
      const emulator::Counters &a = part.counters, &b = one.counters;
      EXPECT_EQ(std::tie(a.steps, a.compartmentSpikes, a.sourceSpikes,
                         a.axonEvents, a.synapticEvents),
                std::tie(b.steps, b.compartmentSpikes, b.sourceSpikes,
                         b.axonEvents, b.synapticEvents))
          << where;
      active += a.activeUpdates;
      idle += a.idleUpdates;
      ASSERT_EQ(part.cores.size(), cores) << where;
      for (uint32_t c = 0; c < cores; ++c) {
        const emulator::CoreCounters &x = part.cores[c], &y = one.cores[c];
        EXPECT_EQ(
            std::tie(x.compartmentSpikes, x.axonEventsIn, x.synapticEvents),
            std::tie(y.compartmentSpikes, y.axonEventsIn, y.synapticEvents))
            << where << ", core " << c;
        if (!part.owned[c])
          continue;
        ++owners[c];
        EXPECT_EQ(std::tie(x.activeUpdates, x.idleUpdates),
                  std::tie(y.activeUpdates, y.idleUpdates))
            << where << ", core " << c;
      }
    }
    allPartsBusy += std::all_of(many.begin(), many.end(), [](const Run &r) {
      return std::count(r.owned.begin(), r.owned.end(), 1) > 0;
    });
    EXPECT_EQ(active, one.counters.activeUpdates) << "seed " << seed;
    EXPECT_EQ(idle, one.counters.idleUpdates) << "seed " << seed;
    for (uint32_t c = 0; c < cores; ++c)
      EXPECT_EQ(owners[c], 1u) << "seed " << seed << ", core " << c;
    // A compartment's state is its owner's.
    for (uint32_t p = 0; p < parts; ++p)
      for (uint32_t c = 0; c < cores; ++c) {
        if (!many[p].owned[c])
          continue;
        for (uint32_t g = one.begin[c]; g < one.begin[c + 1]; ++g)
          EXPECT_EQ(many[p].state[g], one.state[g])
              << "seed " << seed << ", part " << p << " of " << parts
              << ", compartment " << g;
      }
  }
}

TEST(GoldenPartsTest, AnyPartCountGivesTheSameRunOnLifImages) {
  const chip::Profile profile = oneCorePerChip(test::loihi1());
  uint64_t spikes = 0, allPartsBusy = 0;
  std::vector<unsigned> widths;
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    imagegen::RandomOptions o;
    o.seed = seed;
    o.steps = kSteps;
    o.maxCores = 12;
    imagegen::RandomNetwork net = imagegen::randomNetwork(profile, o);
    // int16, int32 and int64 accumulators in turn; two threads per part on
    // some.
    golden::ModelOptions options = test::rotateAccumulatorWidths(net, seed);
    options.threads = seed % 4 == 1 ? 2 : 1;
    expectPartsAgree(net, profile, options, seed, spikes, widths, allPartsBusy);
  }
  EXPECT_GT(spikes, 1000u);
  EXPECT_GT(allPartsBusy, 12u); // of 36 splits
  for (unsigned bits : {16u, 32u, 64u})
    EXPECT_NE(std::find(widths.begin(), widths.end(), bits), widths.end())
        << bits << "-bit accumulators never used";
}

TEST(GoldenPartsTest, AnyPartCountGivesTheSameRunWithPrograms) {
  const chip::Profile profile = oneCorePerChip(test::loihi2());
  uint64_t spikes = 0, allPartsBusy = 0;
  std::vector<unsigned> widths;
  for (uint64_t seed = 1; seed <= 6; ++seed)
    expectPartsAgree(test::programNetwork(profile, seed, kSteps), profile, {},
                     seed, spikes, widths, allPartsBusy);
  EXPECT_GT(spikes, 1000u);
  EXPECT_GT(allPartsBusy, 6u); // of 18 splits
}

TEST(GoldenPartsTest, BadPartsAreRefused) {
  const imagegen::RandomNetwork net =
      test::programNetwork(test::loihi2(), 3, kSteps);
  SharedExchange shared(2);
  PartExchange exchange(shared, 0);
  const auto refusal = [&](uint32_t part, uint32_t parts,
                           golden::SpikeExchange *e) {
    golden::ModelOptions options;
    options.part = part;
    options.parts = parts;
    options.exchange = e;
    Result<golden::GoldenModel> m =
        golden::GoldenModel::create(net.image, test::loihi2(), options);
    return m ? std::string("accepted") : m.error();
  };
  EXPECT_EQ(refusal(0, 0, &exchange), "parts: 0; a run has at least 1");
  EXPECT_EQ(refusal(2, 2, &exchange), "part 2 of 2: parts are numbered from 0");
  EXPECT_EQ(refusal(0, 2, nullptr), "parts: 2 needs a spike exchange");
}

} // namespace
