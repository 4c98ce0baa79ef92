//===- ImageTest.cpp - Synapse packing, round trips and atomic writes -----===//

#include "cajal/Chip/Image.h"
#include "ImageFixtures.h"
#include "ImageInternal.h"
#include "TestUtil.h"
#include "cajal/Chip/CoreTables.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <stdexcept>
#include <thread>

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

using namespace cajal::chip;
using cajal::Result;
using cajal::Status;
using namespace cajal::chip::test;

namespace {

TEST(ImageTest, PackUnpackRoundTripsRandomGroups) {
  const Profile profile = loihi1();
  const SynapseFormat &f = profile.synapse;
  for (uint64_t seed = 1; seed <= 300; ++seed) {
    std::mt19937_64 rng(seed);
    InputAxon ax;
    ax.weightBits = uint8_t(pick(rng, 1, f.weightBitsMax));
    ax.hasDelay = pick(rng, 0, 1);
    std::vector<uint64_t> words(pick(rng, 0, 5), 0xdeadbeefull); // prefix
    const size_t before = words.size();
    const auto syn = randomSynapses(rng, ax, pick(rng, 0, 200),
                                    profile.core.compartments, f);
    packSynapses(syn, ax, words, f);
    ASSERT_EQ(ax.firstWord, before) << "seed " << seed;
    ASSERT_EQ(ax.synapseCount, syn.size()) << "seed " << seed;
    ASSERT_EQ(words.size() - before, wordsForGroup(ax, f)) << "seed " << seed;
    const unsigned bits = synapseBits(ax, f);
    const unsigned per = synapsesPerWord(ax, f);
    ASSERT_EQ(per, f.wordBits / bits);
    for (uint32_t i = 0; i < syn.size(); ++i)
      ASSERT_EQ(unpackSynapse(words, ax, i, f), syn[i])
          << "seed " << seed << " synapse " << i;
    // No straddling: the bits above per * bits of every word stay zero.
    if (per * bits < 64) {
      for (size_t w = before; w < words.size(); ++w)
        ASSERT_EQ(words[w] >> (per * bits), 0u) << "seed " << seed;
    }
    for (size_t w = 0; w < before; ++w)
      ASSERT_EQ(words[w], 0xdeadbeefull) << "seed " << seed;
  }
}

TEST(ImageTest, PackedLayoutIsLsbFirst) {
  const Profile profile = loihi1();
  const SynapseFormat &f = profile.synapse;
  InputAxon ax;
  ax.weightBits = 8;
  ax.hasDelay = true; // 10 + 1 + 8 + 6 = 25 bits, 2 per word
  std::vector<uint64_t> words;
  packSynapses({{5, -3, 7}, {1023, 255, 62}, {2, 1, 1}}, ax, words, f);
  ASSERT_EQ(synapseBits(ax, f), 25u);
  ASSERT_EQ(words.size(), 2u);
  const uint64_t first = 5 | (1ull << 10) | (3ull << 11) | (7ull << 19);
  const uint64_t second = 1023 | (0ull << 10) | (255ull << 11) | (62ull << 19);
  EXPECT_EQ(words[0], first | (second << 25));
  EXPECT_EQ(words[1], 2 | (1ull << 11) | (1ull << 19));
  ax.weightBits = 1;
  ax.hasDelay = false; // 12 bits, 5 per word
  EXPECT_EQ(synapsesPerWord(ax, f), 5u);
}

TEST(ImageTest, RoundTripPreservesEveryFieldAndBytes) {
  const Profile profile = loihi1();
  TempDir dir;
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    std::mt19937_64 rng(seed);
    const Image img = randomImage(rng, profile, 1 + seed % 4);
    ASSERT_TRUE(bool(validate(img, profile))) << validate(img, profile).error();
    const std::string a = dir.file("a.cjimg"), b = dir.file("b.cjimg");
    ASSERT_TRUE(bool(writeImage(img, profile, a))) << "seed " << seed;
    Result<Image> back = readImage(a, profile);
    ASSERT_TRUE(bool(back)) << "seed " << seed << ": " << back.error();
    expectSameImage(img, *back);
    ASSERT_TRUE(bool(writeImage(*back, b)));
    EXPECT_EQ(readBytes(a), readBytes(b)) << "seed " << seed;
  }
  EXPECT_EQ(dir.files(), (std::vector<std::string>{"a.cjimg", "b.cjimg"}));
}

TEST(ImageTest, LearningGroupsPackATagAndRoundTrip) {
  const Profile profile = loihi1();
  const SynapseFormat &f = profile.synapse;
  InputAxon ax;
  ax.weightBits = uint8_t(f.weightBitsMax);
  ax.hasDelay = true;
  ax.learning = 0; // 10 + 1 + 8 + 6 + 9 = 34 bits: one per word
  ASSERT_EQ(synapseBits(ax, f), 34u);
  ASSERT_EQ(synapsesPerWord(ax, f), 1u);
  std::vector<uint64_t> words;
  packSynapses({{5, -3, 7, -256}, {2, 255, 62, 255}}, ax, words, f);
  ASSERT_EQ(words.size(), 2u);
  // The tag sits above the delay, two's complement in 9 bits.
  EXPECT_EQ(words[0], 5 | (1ull << 10) | (3ull << 11) | (7ull << 19) |
                          (uint64_t(0x100) << 25));
  EXPECT_EQ(unpackSynapse(words, ax, 0, f), (Synapse{5, -3, 7, -256}));
  std::vector<Synapse> group;
  unpackSynapses(words, ax, f, group);
  EXPECT_EQ(group[1], (Synapse{2, 255, 62, 255}));

  TempDir dir;
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    std::mt19937_64 rng(seed);
    const Image img = randomImage(rng, profile, 1 + seed % 4, true);
    ASSERT_TRUE(bool(validate(img, profile))) << validate(img, profile).error();
    const std::string a = dir.file("a.cjimg"), b = dir.file("b.cjimg");
    ASSERT_TRUE(bool(writeImage(img, profile, a))) << "seed " << seed;
    Result<Image> back = readImage(a, profile);
    ASSERT_TRUE(bool(back)) << "seed " << seed << ": " << back.error();
    expectSameImage(img, *back);
    ASSERT_TRUE(bool(writeImage(*back, b)));
    EXPECT_EQ(readBytes(a), readBytes(b)) << "seed " << seed;
  }
}

TEST(ImageTest, ValidateChecksLearning) {
  const Profile profile = loihi1();
  std::mt19937_64 rng(7);
  const Image good = randomImage(rng, profile, 2, true);
  ASSERT_TRUE(bool(validate(good, profile))) << validate(good, profile).error();
  const auto errorOf = [&](const Image &img) {
    const Status s = validate(img, profile);
    return s ? std::string("valid") : s.error();
  };
  Image img = good;
  img.learning.epochSteps = 64;
  EXPECT_EQ(errorOf(img), "learning: epochSteps 64 out of range [1, 63] "
                          "(learning.maxEpochSteps)");
  img = good;
  img.learning.rules.resize(1); // an axon names rule 1 or 2
  EXPECT_NE(errorOf(img).find("learning rule"), std::string::npos);
  EXPECT_NE(errorOf(img).find("out of range (the image has 1 rules)"),
            std::string::npos)
      << errorOf(img);
  img = good;
  img.learning.rules[1].rule.of(LearningTarget::Weight)[0].mantissa = 16;
  EXPECT_EQ(errorOf(img), "learning rule 1: dw term 1: mantissa 16 outside "
                          "-15..15 (learning.scaleMantissaBits)");
  img = good;
  img.learning.rules[2].x2.decay = 4097;
  EXPECT_EQ(errorOf(img), "learning rule 2: x2: trace decay 4097 outside "
                          "0..4096 (learning.traceDecayBits)");
  img = good;
  img.populations[0].postTraces[2].impulseInteger = 128;
  EXPECT_EQ(errorOf(img), "population \"a\": y3: trace impulse 128 outside "
                          "0..127 (learning.traceBits)");
  img = good;
  img.learning = {};
  EXPECT_NE(errorOf(img).find("out of range (the image has 0 rules)"),
            std::string::npos)
      << errorOf(img);
  // A learning group has the widest weights and delays.
  img = good;
  for (Core &core : img.cores)
    for (InputAxon &ax : core.inputAxons)
      if (ax.learns())
        ax.weightBits = 7;
  EXPECT_NE(errorOf(img).find("a learning group has weightBits 8"),
            std::string::npos)
      << errorOf(img);
  img = good;
  img.cores[0].inputAxons[0].learning = 0;
  img.cores[0].inputAxons[0].reward = true;
  EXPECT_EQ(errorOf(img), "core 0: input axon 0: a reward axon cannot learn");
}

TEST(ImageTest, LargeCoresAreCompressedAndRoundTripByteForByte) {
  const Profile profile = loihi1();
  TempDir dir;
  std::mt19937_64 rng(7);
  const Image img = largeCoreImage(rng, profile);
  ASSERT_TRUE(bool(validate(img, profile))) << validate(img, profile).error();
  const std::string a = dir.file("a.cjimg"), b = dir.file("b.cjimg");
  ASSERT_TRUE(bool(writeImage(img, profile, a)));
  const std::string bytes = readBytes(a);
  const auto s = sections(bytes);
  // Core 0 is compressed (encoding 1, then the columns' length), the small
  // cores are stored as they are (encoding 0).
  ASSERT_EQ(bytes[s[1].body], 1);
  const uint64_t columns = le(bytes, s[1].body + 1, 8);
  EXPECT_GT(columns, 4096u);
  // Random synapses are nearly incompressible; the columns still shrink.
  EXPECT_LT(s[1].length, columns);
  EXPECT_EQ(bytes[s[2].body], 0);
  EXPECT_EQ(bytes[s[3].body], 0);
  Result<Image> back = readImage(a, profile);
  ASSERT_TRUE(bool(back)) << back.error();
  expectSameImage(img, *back);
  ASSERT_TRUE(bool(writeImage(*back, b)));
  EXPECT_EQ(readBytes(b), bytes);
}

TEST(ImageTest, ParallelCoreLoopReportsTheFirstFailureInCoreOrder) {
  // The reader decodes and checks cores on several threads; its error must
  // be the one a loop in core order stops at. Core 3 fails late (after a
  // sleep), core 7 at once: the error is core 3's, on any thread count.
  for (unsigned threads : {1u, 2u, 4u}) {
    std::vector<std::atomic<int>> calls(12);
    const cajal::Status s =
        parallelForCores(calls.size(), threads, [&](size_t i) -> cajal::Status {
          ++calls[i];
          if (i == 3) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            return cajal::makeError("core 3 is damaged");
          }
          if (i == 7)
            return cajal::makeError("core 7 is damaged");
          return cajal::Status::ok();
        });
    ASSERT_FALSE(bool(s));
    EXPECT_EQ(s.error(), "core 3 is damaged") << threads << " threads";
    for (size_t i = 0; i < calls.size(); ++i)
      EXPECT_LE(calls[i].load(), 1) << "core " << i << " checked twice";
    for (size_t i = 0; i <= 3; ++i)
      EXPECT_EQ(calls[i].load(), 1) << "core " << i << " never checked";
  }
  std::atomic<int> all{0};
  EXPECT_TRUE(bool(parallelForCores(100, 2, [&](size_t) {
    ++all;
    return cajal::Status::ok();
  })));
  EXPECT_EQ(all.load(), 100);
}

TEST(ImageTest, ParallelCoreLoopsShareTheirHelperThreads) {
  // A load runs a loop per batch of cores; each loop's helpers are the
  // same threads (their zstd contexts and buffers are built once). A
  // thread_local flag is fresh in every thread that has not run here yet.
  static thread_local bool ranHere = false;
  std::atomic<int> threadsSeen{0}, visits{0};
  for (int loop = 0; loop < 10; ++loop)
    ASSERT_TRUE(bool(parallelForCores(8, 2, [&](size_t) {
      if (!ranHere) {
        ranHere = true;
        ++threadsSeen;
      }
      ++visits;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return cajal::Status::ok();
    })));
  EXPECT_EQ(visits.load(), 80);
  EXPECT_LE(threadsSeen.load(), 2) << "a new thread for every loop";

  // A loop started from a loop's work, and loops started on two threads at
  // once, run every index once (on threads of their own).
  std::atomic<int> inner{0};
  ASSERT_TRUE(bool(parallelForCores(4, 2, [&](size_t) {
    return parallelForCores(25, 2, [&](size_t) {
      ++inner;
      return cajal::Status::ok();
    });
  })));
  EXPECT_EQ(inner.load(), 100);
  std::atomic<int> both{0};
  const auto loops = [&] {
    for (int loop = 0; loop < 50; ++loop)
      (void)parallelForCores(20, 2, [&](size_t) {
        ++both;
        return cajal::Status::ok();
      });
  };
  std::thread other(loops);
  loops();
  other.join();
  EXPECT_EQ(both.load(), 2 * 50 * 20);

  // An exception in any thread's share (out of memory) reaches the caller
  // once every thread has returned, and the helpers serve the next loop.
  for (int loop = 0; loop < 20; ++loop) {
    std::atomic<int> running{0};
    EXPECT_THROW((void)parallelForCores(
                     16, 2,
                     [&](size_t i) -> cajal::Status {
                       ++running;
                       std::this_thread::sleep_for(std::chrono::milliseconds(
                           i % 2 == size_t(loop % 2) ? 0 : 2));
                       --running;
                       if (i == 3)
                         throw std::runtime_error("no memory");
                       return cajal::Status::ok();
                     }),
                 std::runtime_error);
    EXPECT_EQ(running.load(), 0) << "a thread still running after the throw";
  }
  std::atomic<int> after{0};
  EXPECT_TRUE(bool(parallelForCores(10, 2, [&](size_t) {
    ++after;
    return cajal::Status::ok();
  })));
  EXPECT_EQ(after.load(), 10);

  // A forked child (whose helpers stayed in the parent) still runs loops.
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    std::atomic<int> count{0};
    const cajal::Status s = parallelForCores(30, 2, [&](size_t) {
      ++count;
      return cajal::Status::ok();
    });
    _exit(s && count.load() == 30 ? 0 : 1);
  }
  // A child waiting on helpers it does not have would never exit.
  int status = 0;
  pid_t done = 0;
  for (int tick = 0; tick < 3000 && done == 0; ++tick) {
    done = waitpid(child, &status, WNOHANG);
    if (done == 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (done == 0) {
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
    FAIL() << "the forked child's loop did not finish in 30 s";
  }
  ASSERT_EQ(done, child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(ImageTest, NodeNamesMustBeUnique) {
  const Profile profile = loihi1();
  std::mt19937_64 rng(3);
  Image img = randomImage(rng, profile, 2);
  ASSERT_TRUE(bool(validateStructure(img)));
  Image dup = img;
  dup.populations[1].aliases.push_back("out");
  cajal::Status s = validateStructure(dup);
  ASSERT_FALSE(bool(s));
  EXPECT_NE(s.error().find("is named \"out\" like alias of population \"a\""),
            std::string::npos)
      << s.error();
  Image clash = img;
  clash.populations[0].aliases.push_back(clash.populations[1].name);
  EXPECT_FALSE(bool(validateStructure(clash)));
  Image empty = img;
  empty.populations[0].aliases.push_back("");
  EXPECT_FALSE(bool(validateStructure(empty)));
}

TEST(ImageTest, StreamingWriterMatchesWholeImageWriter) {
  const Profile profile = loihi1();
  std::mt19937_64 rng(42);
  const Image img = randomImage(rng, profile, 4);
  TempDir dir;
  ASSERT_TRUE(bool(writeImage(img, dir.file("whole.cjimg"))));
  Image header;
  header.profileName = img.profileName;
  header.profileFingerprint = img.profileFingerprint;
  Result<ImageWriter> w = ImageWriter::create(dir.file("stream.cjimg"), header,
                                              uint32_t(img.cores.size()));
  ASSERT_TRUE(bool(w)) << w.error();
  for (const Core &c : img.cores)
    ASSERT_TRUE(bool(w->addCore(c)));
  EXPECT_EQ(dir.files().size(), 2u); // whole + the temporary
  Image trailer;
  trailer.sources = img.sources;
  trailer.populations = img.populations;
  ASSERT_TRUE(bool(w->finish(trailer)));
  EXPECT_EQ(readBytes(dir.file("whole.cjimg")),
            readBytes(dir.file("stream.cjimg")));
  EXPECT_EQ(dir.files(),
            (std::vector<std::string>{"stream.cjimg", "whole.cjimg"}));
}

/// Every core's tables as `tables` gives them, visited on `threads`.
std::vector<std::pair<std::vector<InputAxon>, std::vector<uint64_t>>>
visitTables(CoreTables &tables, unsigned threads) {
  std::vector<std::pair<std::vector<InputAxon>, std::vector<uint64_t>>> out(
      tables.coreCount());
  const Status s =
      tables.forEachCore(threads, false,
                         [&](uint32_t c, const std::vector<InputAxon> &axons,
                             const std::vector<uint64_t> &words) {
                           out[c] = {axons, words};
                           return Status::ok();
                         });
  EXPECT_TRUE(bool(s)) << s.error();
  return out;
}

TEST(ImageTest, StreamedReadGivesTheTablesBackCoreByCore) {
  const Profile profile = loihi1();
  // Read again from the file, and kept from the first read (a small file);
  // in one batch of cores, and one core per batch (a large file's batches).
  for (uint64_t seed : {51u, 52u})
    for (const auto &[keepUpTo, batchBytes] :
         {std::pair{uint64_t(0), kCoreBatchBytes},
          std::pair{uint64_t(0), uint64_t(1)},
          std::pair{kKeepTablesUpTo, uint64_t(1)}}) {
      SCOPED_TRACE("keep tables up to " + std::to_string(keepUpTo) +
                   " bytes, batches of " + std::to_string(batchBytes));
      std::mt19937_64 rng(seed);
      // Large cores too (compressed bodies), and learning groups.
      Image img = seed == 51 ? largeCoreImage(rng, profile, 1500)
                             : randomImage(rng, profile, 30, true);
      TempDir dir;
      const std::string path = dir.file("x.cjimg");
      const Status written = writeImage(img, profile, path);
      ASSERT_TRUE(bool(written)) << written.error();
      Result<StreamedImage> streamed =
          readImageStreamed(path, profile, keepUpTo, batchBytes);
      ASSERT_TRUE(bool(streamed)) << streamed.error();
      CoreTables &tables = *streamed->tables;
      ASSERT_EQ(tables.coreCount(), img.cores.size());
      // The image without its tables; the synapse counts and output axons of
      // all cores in one array each, output axons numbered across cores; the
      // tables, as often as asked, on any number of threads.
      Image skeleton = img;
      std::vector<uint32_t> axonBegin{0}, counts, targets;
      for (size_t c = 0; c < img.cores.size(); ++c) {
        Core &core = skeleton.cores[c];
        EXPECT_EQ(tables.inputAxonCount(uint32_t(c)), core.inputAxons.size());
        axonBegin.push_back(axonBegin.back() +
                            uint32_t(core.inputAxons.size()));
        for (const InputAxon &axon : core.inputAxons)
          counts.push_back(axon.synapseCount);
        core.inputAxons.clear();
        core.synapseWords.clear();
      }
      for (Core &core : skeleton.cores) {
        for (const AxonTarget &t : core.outputAxons)
          targets.push_back(axonBegin[t.core] + t.inputAxon);
        core.outputAxons.clear();
      }
      ASSERT_GT(targets.size(), img.cores.size());
      expectSameImage(streamed->image, skeleton);
      EXPECT_EQ(tables.takeSynapseCounts(), counts);
      EXPECT_EQ(tables.takeOutputTargets(axonBegin), targets);
      for (unsigned threads : {1u, 3u}) {
        const auto given = visitTables(tables, threads);
        for (size_t c = 0; c < img.cores.size(); ++c) {
          EXPECT_EQ(given[c].first, img.cores[c].inputAxons) << "core " << c;
          EXPECT_EQ(given[c].second, img.cores[c].synapseWords) << "core " << c;
        }
      }
      // The in-memory tables give the same, and release the output axons of
      // the image they may release.
      Image released = img;
      ImageTables inMemory(img, &released);
      const auto fromMemory = visitTables(inMemory, 2);
      for (size_t c = 0; c < img.cores.size(); ++c)
        EXPECT_EQ(fromMemory[c].first, img.cores[c].inputAxons);
      EXPECT_EQ(inMemory.takeSynapseCounts(), counts);
      EXPECT_EQ(inMemory.takeOutputTargets(axonBegin), targets);
      for (const Core &core : released.cores)
        EXPECT_TRUE(core.outputAxons.empty());
    }
}

TEST(ImageTest, StreamedReadNoticesACoreChangedInPlace) {
  const Profile profile = loihi1();
  std::mt19937_64 rng(53);
  const Image img = randomImage(rng, profile, 6);
  TempDir dir;
  const std::string path = dir.file("x.cjimg");
  ASSERT_TRUE(bool(writeImage(img, profile, path)));
  // Tables read again from the file (0), and kept from the first read.
  Result<StreamedImage> streamed = readImageStreamed(path, profile, 0);
  ASSERT_TRUE(bool(streamed)) << streamed.error();
  Result<StreamedImage> kept = readImageStreamed(path, profile);
  ASSERT_TRUE(bool(kept)) << kept.error();
  // Rewritten in place (the same file, not a new one renamed over it):
  // core 4's last body byte changes.
  std::string bytes = readBytes(path);
  const Section core4 = sections(bytes)[1 + 4];
  ASSERT_EQ(core4.tag, "CORE");
  bytes[core4.body + core4.length - 1] ^= 0x10;
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.write(bytes.data(), std::streamsize(bytes.size()));
  }
  const Status s = streamed->tables->forEachCore(
      2, true,
      [](uint32_t, const std::vector<InputAxon> &,
         const std::vector<uint64_t> &) { return Status::ok(); });
  ASSERT_FALSE(bool(s));
  EXPECT_EQ(s.error(),
            path + ": section CORE #4 changed while the image was loaded");
  // The kept tables are those of the file as it was read.
  const auto given = visitTables(*kept->tables, 2);
  for (size_t c = 0; c < img.cores.size(); ++c)
    EXPECT_EQ(given[c].second, img.cores[c].synapseWords) << "core " << c;
}

TEST(ImageTest, StreamedReadKeepsTheFileItOpened) {
  // A new image renamed over the path (as every Cajal writer replaces a
  // file) does not reach a read already under way.
  const Profile profile = loihi1();
  std::mt19937_64 rng(54);
  const Image first = randomImage(rng, profile, 4);
  const Image second = randomImage(rng, profile, 4);
  TempDir dir;
  const std::string path = dir.file("x.cjimg");
  ASSERT_TRUE(bool(writeImage(first, profile, path)));
  Result<StreamedImage> streamed = readImageStreamed(path, profile, 0);
  ASSERT_TRUE(bool(streamed)) << streamed.error();
  ASSERT_TRUE(bool(writeImage(second, profile, path)));
  const auto given = visitTables(*streamed->tables, 2);
  for (size_t c = 0; c < first.cores.size(); ++c)
    EXPECT_EQ(given[c].second, first.cores[c].synapseWords) << "core " << c;
}

TEST(ImageTest, ParallelWriterMatchesCoreByCoreWriter) {
  const Profile profile = loihi1();
  std::mt19937_64 rng(44);
  const Image img = randomImage(rng, profile, 37);
  TempDir dir;
  ASSERT_TRUE(bool(writeImage(img, dir.file("whole.cjimg"))));
  const std::string whole = readBytes(dir.file("whole.cjimg"));
  for (unsigned threads : {1u, 2u, 4u}) {
    const std::string path = dir.file("parallel.cjimg");
    Result<ImageWriter> w =
        ImageWriter::create(path, img, uint32_t(img.cores.size()));
    ASSERT_TRUE(bool(w)) << w.error();
    // Two calls: the second continues where the first stopped.
    const auto build = [&](uint32_t offset) {
      return [&img, offset](uint32_t k) -> Result<Core> {
        return img.cores[offset + k];
      };
    };
    ASSERT_TRUE(bool(w->addCores(5, threads, build(0))));
    ASSERT_TRUE(
        bool(w->addCores(uint32_t(img.cores.size()) - 5, threads, build(5))));
    ASSERT_TRUE(bool(w->finish(img)));
    EXPECT_EQ(readBytes(path), whole) << threads << " threads";
  }
}

TEST(ImageTest, ParallelWriterReportsTheFirstCoreThatFails) {
  const Profile profile = loihi1();
  std::mt19937_64 rng(45);
  Image img = randomImage(rng, profile, 40);
  // Core 23's outputBegin is broken, and the builder fails at core 31: core
  // 23's error comes first, whatever the threads.
  img.cores[23].outputBegin.back() += 5;
  for (unsigned threads : {1u, 2u, 4u}) {
    TempDir dir;
    Result<ImageWriter> w = ImageWriter::create(dir.file("x.cjimg"), img,
                                                uint32_t(img.cores.size()));
    ASSERT_TRUE(bool(w));
    const cajal::Status s = w->addCores(
        uint32_t(img.cores.size()), threads, [&](uint32_t k) -> Result<Core> {
          if (k == 31)
            return cajal::makeError("no core 31");
          return img.cores[k];
        });
    ASSERT_FALSE(bool(s));
    EXPECT_NE(s.error().find("core 23"), std::string::npos) << s.error();
    EXPECT_EQ(s.error().find("no core 31"), std::string::npos) << s.error();
  }
  // Past the announced count: an error, nothing built.
  TempDir dir;
  Result<ImageWriter> w = ImageWriter::create(dir.file("y.cjimg"), img, 2);
  ASSERT_TRUE(bool(w));
  bool built = false;
  const cajal::Status s = w->addCores(3, 2, [&](uint32_t k) -> Result<Core> {
    built = true;
    return img.cores[k];
  });
  ASSERT_FALSE(bool(s));
  EXPECT_NE(s.error().find("more than the 2 announced"), std::string::npos)
      << s.error();
  EXPECT_FALSE(built);
}

TEST(ImageTest, StreamingWriterRejectsATargetCorePastTheAnnouncedCount) {
  const Profile profile = loihi1();
  std::mt19937_64 rng(46);
  Image img = randomImage(rng, profile, 2);
  img.cores[0].outputAxons.push_back({7, 0}); // 2 cores announced
  img.cores[0].outputBegin.back() += 1;
  TempDir dir;
  Result<ImageWriter> w = ImageWriter::create(dir.file("x.cjimg"), img, 2);
  ASSERT_TRUE(bool(w));
  const cajal::Status s = w->addCore(img.cores[0]);
  ASSERT_FALSE(bool(s));
  EXPECT_NE(s.error().find("core 0: output axon " +
                           std::to_string(img.cores[0].outputAxons.size() - 1) +
                           ": target core 7 out of range (image has 2 cores)"),
            std::string::npos)
      << s.error();
}

TEST(ImageTest, StreamingWriterChecksForwardReferencesAtFinish) {
  const Profile profile = loihi1();
  std::mt19937_64 rng(3);
  Image img = randomImage(rng, profile, 2);
  img.cores[0].outputAxons.push_back({1, 9999}); // core 1 has fewer axons
  img.cores[0].outputBegin.back() += 1;
  TempDir dir;
  Result<ImageWriter> w =
      ImageWriter::create(dir.file("x.cjimg"), img, uint32_t(img.cores.size()));
  ASSERT_TRUE(bool(w));
  ASSERT_TRUE(bool(w->addCore(img.cores[0])));
  ASSERT_TRUE(bool(w->addCore(img.cores[1])));
  const cajal::Status s = w->finish(img);
  ASSERT_FALSE(bool(s));
  EXPECT_NE(s.error().find("input axon 9999 of core 1 out of range"),
            std::string::npos)
      << s.error();
  EXPECT_NE(s.error().find("core 0: output axon"), std::string::npos)
      << s.error();
  EXPECT_TRUE(dir.files().empty());
}

TEST(ImageTest, AbandonedWriterLeavesNoFile) {
  const Profile profile = loihi1();
  std::mt19937_64 rng(5);
  const Image img = randomImage(rng, profile, 2);
  TempDir dir;
  {
    Result<ImageWriter> w = ImageWriter::create(dir.file("x.cjimg"), img, 2);
    ASSERT_TRUE(bool(w));
    ASSERT_TRUE(bool(w->addCore(img.cores[0])));
    EXPECT_EQ(dir.files().size(), 1u);
  }
  EXPECT_TRUE(dir.files().empty());
}

TEST(ImageTest, FailedValidationWritesNothingAndKeepsOldFile) {
  const Profile profile = loihi1();
  std::mt19937_64 rng(6);
  Image img = randomImage(rng, profile, 2);
  TempDir dir;
  const std::string path = dir.file("keep.cjimg");
  writeBytes(path, "old contents");
  img.sources[0].targets[0].core = 77;
  cajal::Status s = writeImage(img, path);
  ASSERT_FALSE(bool(s));
  EXPECT_NE(s.error().find("target core 77 out of range"), std::string::npos)
      << s.error();
  EXPECT_NE(s.error().find(path), std::string::npos) << s.error();
  EXPECT_EQ(readBytes(path), "old contents");
  EXPECT_EQ(dir.files(), std::vector<std::string>{"keep.cjimg"});

  // Profile checks: a parameter out of range, with the profile overload.
  Image bad = randomImage(rng, profile, 2);
  bad.cores[1].compartments[2].decayV = 4096;
  s = writeImage(bad, profile, path);
  ASSERT_FALSE(bool(s));
  EXPECT_NE(s.error().find("core 1: compartment 2: decayV 4096"),
            std::string::npos)
      << s.error();
  EXPECT_EQ(readBytes(path), "old contents");
}

TEST(ImageTest, UnwritableTargetLeavesNoFile) {
  const Profile profile = loihi1();
  std::mt19937_64 rng(7);
  const Image img = randomImage(rng, profile, 1);
  TempDir dir;
  cajal::Status s = writeImage(img, dir.file("missing-dir/x.cjimg"));
  ASSERT_FALSE(bool(s));
  EXPECT_NE(s.error().find("missing-dir/x.cjimg"), std::string::npos)
      << s.error();
  // The target is a directory: refused before a temporary is created.
  ASSERT_EQ(mkdir(dir.file("adir").c_str(), 0755), 0);
  s = writeImage(img, dir.file("adir"));
  ASSERT_FALSE(bool(s));
  EXPECT_NE(s.error().find("adir: is a directory"), std::string::npos)
      << s.error();
  EXPECT_EQ(dir.files(), std::vector<std::string>{"adir"});
  rmdir(dir.file("adir").c_str());
  if (geteuid() != 0) { // root ignores directory permissions
    chmod(dir.path.c_str(), 0555);
    s = writeImage(img, dir.file("x.cjimg"));
    chmod(dir.path.c_str(), 0755);
    ASSERT_FALSE(bool(s));
    EXPECT_TRUE(dir.files().empty());
  }
}

TEST(ImageTest, ValidateChecksResourcesAndPositions) {
  const Profile profile = loihi1();
  std::mt19937_64 rng(8);
  Image img = randomImage(rng, profile, 2);
  img.cores[1].x = img.cores[0].x;
  img.cores[1].y = img.cores[0].y;
  img.cores[1].tileSlot = img.cores[0].tileSlot;
  cajal::Status s = validate(img, profile);
  ASSERT_FALSE(bool(s));
  EXPECT_NE(s.error().find("core 1: position"), std::string::npos) << s.error();

  img = randomImage(rng, profile, 1);
  img.cores[0].y = profile.mesh.tilesY;
  s = validate(img, profile);
  ASSERT_FALSE(bool(s));
  EXPECT_NE(s.error().find("out of range (mesh 8 x 4 tiles"), std::string::npos)
      << s.error();

  img = randomImage(rng, profile, 1);
  img.cores[0].synapseWords.resize(profile.core.synapseWords + 1);
  s = validate(img, profile);
  ASSERT_FALSE(bool(s));
  EXPECT_NE(s.error().find("16385 synapse words exceed the core's 16384"),
            std::string::npos)
      << s.error();

  img = randomImage(rng, profile, 1);
  img.cores[0].inputAxons[0].weightBits = 9;
  s = validate(img, profile);
  ASSERT_FALSE(bool(s));
  EXPECT_NE(s.error().find("input axon 0: weightBits 9 out of range [1, 8]"),
            std::string::npos)
      << s.error();

  // A group whose synapses run past the core's synapse words: its last
  // word holds zeros (synapses to compartment 0 of weight 0).
  img = randomImage(rng, profile, 1);
  {
    Core &core = img.cores[0];
    core.synapseWords.push_back(0);
    const uint64_t words = core.synapseWords.size();
    InputAxon &ax = core.inputAxons[0];
    ax = InputAxon();
    const unsigned perWord = synapsesPerWord(ax, profile.synapse);
    ax.firstWord = uint32_t(words - 1);
    ax.synapseCount = perWord + 1; // needs two words, one is left
    s = validate(img, profile);
    ASSERT_FALSE(bool(s));
    EXPECT_NE(s.error().find("core 0: input axon 0: synapse words [" +
                             std::to_string(words - 1) + ", " +
                             std::to_string(words + 1) +
                             ") out of range (core has " +
                             std::to_string(words) + " synapse words)"),
              std::string::npos)
        << s.error();
    ax.synapseCount = perWord; // one word: fits
    s = validate(img, profile);
    EXPECT_TRUE(bool(s)) << s.error();
  }

  // A synapse delayed by 0 steps, and one past the profile's maxDelay.
  for (const uint32_t delay : {0u, profile.synapse.maxDelay + 1}) {
    img = randomImage(rng, profile, 1);
    Core &core = img.cores[0];
    InputAxon &ax = core.inputAxons[0];
    std::vector<Synapse> group;
    unpackSynapses(core.synapseWords, ax, profile.synapse, group);
    ASSERT_FALSE(group.empty());
    group.push_back({0, 1, delay});
    InputAxon delayed = ax;
    delayed.hasDelay = true;
    delayed.weightBits = profile.synapse.weightBitsMax;
    packSynapses(group, delayed, core.synapseWords, profile.synapse);
    ax = delayed;
    s = validate(img, profile);
    ASSERT_FALSE(bool(s));
    EXPECT_NE(s.error().find("core 0: input axon 0: synapse " +
                             std::to_string(group.size() - 1) + ": delay " +
                             std::to_string(delay) + " out of range [1, " +
                             std::to_string(profile.synapse.maxDelay) + "]"),
              std::string::npos)
        << s.error();
  }

  img = randomImage(rng, profile, 2);
  img.populations[1].slices[1].firstNeuron += 1;
  s = validate(img, profile);
  ASSERT_FALSE(bool(s));
  EXPECT_NE(s.error().find("slice 1: firstNeuron"), std::string::npos)
      << s.error();

  // A Poisson group whose threshold means more than 16 spikes per step.
  img = randomImage(rng, profile, 1);
  Source group;
  group.name = "bg";
  group.kind = SourceKind::PoissonGroup;
  group.size = 1;
  group.targetBegin = {0, 0};
  group.probability = 482;
  img.sources.push_back(group);
  s = validate(img, profile);
  ASSERT_FALSE(bool(s));
  EXPECT_NE(s.error().find("\"bg\": Poisson group threshold 482 means more "
                           "than 16 spikes per step on average (threshold >= "
                           "483)"),
            std::string::npos)
      << s.error();
  img.sources.back().probability = 483;
  EXPECT_TRUE(bool(validate(img, profile)));
}

} // namespace

TEST(ImageTest, StreamedReadRefusesInputAxonsBeyond32BitNumbers) {
  // A streamed read numbers an output axon's target (core, input axon) in
  // 32 bits, with room for the profile's input axons per core in each core:
  // 2^24 per core leaves room for 255 cores, not 256.
  Result<Profile> board = findProfile("loihi1-board32", defaultProfileDir());
  ASSERT_TRUE(bool(board)) << board.error();
  Profile wide = *board;
  wide.core.inputAxons = 16777216;
  std::mt19937_64 rng(55);
  // One core per tile, in rows of 32 tiles (the board's mesh has 64 x 16).
  const auto spread = [](Image image) {
    for (uint32_t c = 0; c < image.cores.size(); ++c) {
      image.cores[c].x = c % 32;
      image.cores[c].y = c / 32;
      image.cores[c].tileSlot = 0;
    }
    return image;
  };
  Image img = spread(randomImage(rng, wide, 256));
  TempDir dir;
  const std::string path = dir.file("x.cjimg");
  Status written = writeImage(img, wide, path);
  ASSERT_TRUE(bool(written)) << written.error();
  Result<StreamedImage> streamed = readImageStreamed(path, wide);
  ASSERT_FALSE(bool(streamed));
  EXPECT_EQ(streamed.error(),
            path + ": 256 cores of up to 16777216 input axons each: a "
                   "streamed read numbers their input axons in 32 bits, and "
                   "these need more");
  // The whole image is still read.
  EXPECT_TRUE(bool(readImage(path, wide)));
  img = spread(randomImage(rng, wide, 255));
  written = writeImage(img, wide, path);
  ASSERT_TRUE(bool(written)) << written.error();
  streamed = readImageStreamed(path, wide);
  EXPECT_TRUE(bool(streamed)) << streamed.error();
}
