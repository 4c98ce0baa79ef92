//===- SourceJsonTest.cpp - Source spikes and the JSON/summary printers ---===//

#include "ImageFixtures.h"
#include "TestUtil.h"
#include "cajal/Chip/ImageJson.h"
#include "cajal/Chip/Source.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>

using namespace cajal::chip;
using cajal::Result;
using namespace cajal::chip::test;
using json = nlohmann::json;

namespace {

TEST(SourceTest, HashIsSplitMix64) {
  // The first output of the reference splitmix64 generator seeded with 0.
  EXPECT_EQ(splitmix64(0), 0xe220a8397b1dcdafull);
  // Pinned values: changing the hash breaks every engine's agreement.
  const uint64_t key = (uint64_t(3) << 32) | 5;
  const uint64_t h = splitmix64(42 ^ splitmix64(key));
  EXPECT_EQ(poissonFires(42, uint32_t(h >> 32) + 1, 3, 5), true);
  EXPECT_EQ(poissonFires(42, uint32_t(h >> 32), 3, 5), false);
}

TEST(SourceTest, PoissonRateAndDeterminism) {
  Source s;
  s.kind = SourceKind::Poisson;
  s.size = 100;
  s.seed = 1234;
  s.probability = uint32_t(0.1 * 4294967296.0);
  int fired = 0;
  for (uint32_t t = 0; t < 1000; ++t)
    for (uint32_t i = 0; i < s.size; ++i)
      fired += sourceSpikeCount(s, t, i);
  EXPECT_NEAR(fired / 100000.0, 0.1, 0.005); // ~5 standard deviations
  // Order independence: evaluating backwards gives the same answers.
  std::vector<uint32_t> forward, backward;
  for (uint32_t i = 0; i < s.size; ++i)
    if (sourceSpikeCount(s, 17, i))
      forward.push_back(i);
  for (uint32_t i = s.size; i-- > 0;)
    if (sourceSpikeCount(s, 17, i))
      backward.insert(backward.begin(), i);
  EXPECT_EQ(forward, backward);
  std::vector<uint32_t> listed;
  firingChannels(s, 17, listed);
  EXPECT_EQ(listed, forward);
  // Another seed gives other spikes; probability 0 never fires.
  Source other = s;
  other.seed = 1235;
  std::vector<uint32_t> otherList;
  firingChannels(other, 17, otherList);
  EXPECT_NE(otherList, forward);
  s.probability = 0;
  for (uint32_t t = 0; t < 100; ++t)
    for (uint32_t i = 0; i < s.size; ++i)
      ASSERT_FALSE(sourceSpikeCount(s, t, i));
}

/// A Poisson group source of `size` channels with mean count `mean`.
Source poissonGroup(double mean, uint32_t size, uint64_t seed) {
  Source s;
  s.kind = SourceKind::PoissonGroup;
  s.size = size;
  s.seed = seed;
  s.probability = poissonGroupThreshold(mean);
  return s;
}

TEST(SourceTest, PoissonGroupCountsArePoissonDistributed) {
  // 200,000 draws per mean: the sample mean, variance and the frequency of
  // each count against the Poisson distribution, within 5 standard errors.
  for (double mean : {0.05, 1.6, 7.0, 16.0}) {
    SCOPED_TRACE("mean " + std::to_string(mean));
    const Source s = poissonGroup(mean, 1000, 99);
    constexpr uint32_t steps = 200;
    const double n = 1000.0 * steps;
    std::vector<double> frequency(kPoissonGroupMaxCount + 1, 0);
    double sum = 0, squares = 0;
    for (uint32_t t = 0; t < steps; ++t)
      for (uint32_t i = 0; i < s.size; ++i) {
        const uint32_t k = sourceSpikeCount(s, t, i);
        frequency[k] += 1;
        sum += k;
        squares += double(k) * k;
      }
    const double sampleMean = sum / n;
    const double sampleVariance = squares / n - sampleMean * sampleMean;
    EXPECT_NEAR(sampleMean, mean, 5 * std::sqrt(mean / n));
    // The variance of the sample variance of a Poisson variable is about
    // (mean + 2 mean^2) / n.
    EXPECT_NEAR(sampleVariance, mean,
                5 * std::sqrt((mean + 2 * mean * mean) / n));
    double pmf = std::exp(-mean);
    for (uint32_t k = 0; k < 40; ++k, pmf *= mean / k) {
      const double expected = n * pmf;
      EXPECT_NEAR(frequency[k], expected, 5 * std::sqrt(expected) + 1)
          << "count " << k;
    }
  }
}

TEST(SourceTest, PoissonGroupRepeatsAChannelPerSpike) {
  const Source s = poissonGroup(3.0, 50, 7);
  for (uint32_t t = 0; t < 20; ++t) {
    std::vector<uint32_t> listed, expected;
    firingChannels(s, t, listed);
    for (uint32_t i = 0; i < s.size; ++i)
      expected.insert(expected.end(), sourceSpikeCount(s, t, i), i);
    EXPECT_EQ(listed, expected);
    // Order independence: the draw depends on (seed, step, channel) only.
    for (uint32_t i = s.size; i-- > 0;)
      EXPECT_EQ(poissonGroupCount(s.seed, s.probability, t, i),
                sourceSpikeCount(s, t, i));
  }
  // Mean 0 (threshold 2^32 - 1) never sends; another seed sends otherwise.
  Source silent = s;
  silent.probability = 4294967295u;
  Source other = s;
  other.seed = 8;
  std::vector<uint32_t> a, b, none;
  for (uint32_t t = 0; t < 20; ++t) {
    firingChannels(s, t, a);
    firingChannels(other, t, b);
    firingChannels(silent, t, none);
  }
  EXPECT_NE(a, b);
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(sourceSpikeCount(s, 0, s.size), 0u); // channel out of range
}

TEST(SourceTest, PeriodicFiresFromPhaseEveryPeriod) {
  Source s;
  s.kind = SourceKind::Periodic;
  s.size = 3;
  s.period = 4;
  s.phase = 2;
  std::vector<uint32_t> steps;
  for (uint32_t t = 0; t < 15; ++t)
    if (sourceSpikeCount(s, t, 1))
      steps.push_back(t);
  EXPECT_EQ(steps, (std::vector<uint32_t>{2, 6, 10, 14}));
  EXPECT_FALSE(sourceSpikeCount(s, 2, 3)); // channel out of range
}

TEST(SourceTest, FileSpikesOfAStep) {
  Source s;
  s.kind = SourceKind::File;
  s.size = 4;
  s.spikes = {{0, 1}, {2, 0}, {2, 3}, {5, 2}};
  std::vector<uint32_t> at2;
  firingChannels(s, 2, at2);
  EXPECT_EQ(at2, (std::vector<uint32_t>{0, 3}));
  EXPECT_EQ(fileSpikeRange(s, 2), (std::pair<size_t, size_t>{1, 3}));
  EXPECT_EQ(fileSpikeRange(s, 3), (std::pair<size_t, size_t>{3, 3}));
  EXPECT_TRUE(sourceSpikeCount(s, 5, 2));
  EXPECT_FALSE(sourceSpikeCount(s, 5, 1));
  Source ext = s;
  ext.kind = SourceKind::External;
  EXPECT_FALSE(sourceSpikeCount(ext, 0, 1));
}

TEST(ImageJsonTest, JsonHoldsEveryTableAndUnpackedSynapses) {
  const Profile profile = loihi1();
  std::mt19937_64 rng(21);
  const Image img = randomImage(rng, profile, 3);
  std::ostringstream os;
  printImageJson(img, profile, os);
  const json j = json::parse(os.str());
  EXPECT_EQ(j["profile"], "loihi1");
  EXPECT_EQ(j["profileFingerprint"].get<uint64_t>(), profile.fingerprint());
  EXPECT_EQ(j["neuronFormat"]["decayBits"], 12);
  EXPECT_EQ(j["synapseFormat"]["weightShift"], 6);
  ASSERT_EQ(j["cores"].size(), img.cores.size());
  for (size_t c = 0; c < img.cores.size(); ++c) {
    const Core &core = img.cores[c];
    const json &jc = j["cores"][c];
    EXPECT_EQ(jc["x"], core.x);
    ASSERT_EQ(jc["compartments"].size(), core.compartments.size());
    EXPECT_EQ(jc["compartments"][1]["decayV"], core.compartments[1].decayV);
    EXPECT_EQ(jc["compartments"][1]["biasMantissa"],
              core.compartments[1].biasMantissa);
    ASSERT_EQ(jc["inputAxons"].size(), core.inputAxons.size());
    for (size_t a = 0; a < core.inputAxons.size(); ++a) {
      const InputAxon &ax = core.inputAxons[a];
      const json &ja = jc["inputAxons"][a];
      EXPECT_EQ(ja["weightExponent"], ax.weightExponent);
      ASSERT_EQ(ja["synapses"].size(), ax.synapseCount);
      for (uint32_t i = 0; i < ax.synapseCount; ++i) {
        const Synapse s =
            unpackSynapse(core.synapseWords, ax, i, profile.synapse);
        EXPECT_EQ(ja["synapses"][i],
                  (json{s.compartment, s.mantissa, s.delay}));
      }
    }
    EXPECT_EQ(jc["outputBegin"].get<std::vector<uint32_t>>(), core.outputBegin);
    ASSERT_EQ(jc["outputAxons"].size(), core.outputAxons.size());
  }
  ASSERT_EQ(j["sources"].size(), img.sources.size());
  EXPECT_EQ(j["sources"][2]["kind"], "poisson");
  EXPECT_EQ(j["sources"][2]["seed"].get<uint64_t>(), img.sources[2].seed);
  EXPECT_EQ(j["sources"][1]["spikes"].size(), img.sources[1].spikes.size());
  EXPECT_EQ(j["populations"][1]["name"], "b \"quoted\"");
  EXPECT_EQ(j["populations"][1]["slices"].size(), 3u);
  // Stable: printing again gives the same text.
  std::ostringstream again;
  printImageJson(img, profile, again);
  EXPECT_EQ(os.str(), again.str());
}

TEST(ImageJsonTest, JsonAndSummaryShowLearning) {
  const Profile profile = loihi1();
  std::mt19937_64 rng(24);
  const Image img = randomImage(rng, profile, 2, /*learning=*/true);
  std::ostringstream os;
  printImageJson(img, profile, os);
  const json j = json::parse(os.str());
  EXPECT_EQ(j["learning"]["epochSteps"], img.learning.epochSteps);
  EXPECT_EQ(j["learning"]["seed"].get<uint64_t>(), img.learning.seed);
  ASSERT_EQ(j["learning"]["rules"].size(), img.learning.rules.size());
  EXPECT_EQ(j["learning"]["rules"][0]["rule"],
            printLearningRule(img.learning.rules[0].rule));
  EXPECT_EQ(j["learning"]["rules"][1]["x2"]["decay"],
            img.learning.rules[1].x2.decay);
  EXPECT_EQ(j["populations"][0]["postTraces"][2]["impulse"],
            img.populations[0].postTraces[2].impulseInteger);
  size_t learningAxons = 0, rewardAxons = 0;
  for (size_t c = 0; c < img.cores.size(); ++c)
    for (size_t a = 0; a < img.cores[c].inputAxons.size(); ++a) {
      const InputAxon &ax = img.cores[c].inputAxons[a];
      const json &ja = j["cores"][c]["inputAxons"][a];
      EXPECT_EQ(ja.contains("learning"), ax.learns());
      EXPECT_EQ(ja.contains("reward"), ax.reward);
      if (!ax.learns())
        continue;
      ++learningAxons;
      EXPECT_EQ(ja["learning"], ax.learning);
      for (uint32_t i = 0; i < ax.synapseCount; ++i) {
        const Synapse s =
            unpackSynapse(img.cores[c].synapseWords, ax, i, profile.synapse);
        EXPECT_EQ(ja["synapses"][i],
                  (json{s.compartment, s.mantissa, s.delay, s.tag}));
      }
    }
  for (const Core &core : img.cores)
    for (const InputAxon &ax : core.inputAxons)
      rewardAxons += ax.reward;
  EXPECT_GT(learningAxons, 0u);
  EXPECT_GT(rewardAxons, 0u);
  std::ostringstream summary;
  printImageSummary(img, &profile, summary);
  EXPECT_NE(summary.str().find("learning: epochs of " +
                               std::to_string(img.learning.epochSteps)),
            std::string::npos)
      << summary.str();
  EXPECT_NE(
      summary.str().find("  rule 0: dw = 2^-4 * x1 * y0 - 2^-4 * y1 * x0"),
      std::string::npos)
      << summary.str();
}

TEST(ImageJsonTest, ProfileLookupByImageName) {
  const Profile profile = loihi1();
  std::mt19937_64 rng(22);
  Image img = randomImage(rng, profile, 1);
  std::ostringstream a, b;
  ASSERT_TRUE(bool(printImageJson(img, a)));
  printImageJson(img, profile, b);
  EXPECT_EQ(a.str(), b.str());
  img.profileFingerprint ^= 1;
  std::ostringstream c;
  cajal::Status s = printImageJson(img, c);
  ASSERT_FALSE(bool(s));
  EXPECT_NE(s.error().find("profile mismatch"), std::string::npos) << s.error();
  EXPECT_TRUE(c.str().empty());
}

TEST(ImageJsonTest, SummaryReportsUtilisation) {
  const Profile profile = loihi1();
  std::mt19937_64 rng(23);
  const Image img = randomImage(rng, profile, 2);
  std::ostringstream os;
  printImageSummary(img, &profile, os);
  const std::string s = os.str();
  EXPECT_NE(s.find("cores used: 2 of 128"), std::string::npos) << s;
  const std::string comps = "compartments " +
                            std::to_string(img.cores[0].compartments.size()) +
                            "/1024";
  EXPECT_NE(s.find(comps), std::string::npos) << s;
  uint64_t synapses = 0;
  for (const Core &c : img.cores)
    for (const InputAxon &a : c.inputAxons)
      synapses += a.synapseCount;
  EXPECT_NE(s.find("synapses: " + std::to_string(synapses)), std::string::npos)
      << s;
  EXPECT_NE(s.find("src2: poisson"), std::string::npos) << s;
  std::ostringstream bare;
  printImageSummary(img, nullptr, bare);
  EXPECT_NE(bare.str().find("cores used: 2\n"), std::string::npos)
      << bare.str();
}

} // namespace
