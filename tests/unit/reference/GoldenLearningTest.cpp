//===- GoldenLearningTest.cpp - The golden model learns as the oracle -----===//
//
// Every engine equals the reference interpreter on random rules x random
// spike trains, bit for bit: random images that learn
// (imagegen::RandomOptions::learning: random epochs, seeds, rules over every
// variable, traces, learning and reward groups) run by the golden model and
// the reference engine side by side; after every step the spikes, every
// compartment's state, every learning and reward synapse (weight, delay,
// tag), every pre- and post-synaptic trace and every third factor must be
// equal, and at the end every counter (learningUpdates included). On loihi1
// (LIF) and loihi2 (random programs). The golden model with several threads
// equals itself on one. A failure names the profile, seed and step.
//
//===----------------------------------------------------------------------===//
#include "ReferenceTestUtil.h"

#include "cajal/ImageGen/ImageBuilder.h"
#include "cajal/ImageGen/RandomImage.h"
#include "cajal/TestSupport/LearningCompare.h"
#include "cajal/TestSupport/LearningImages.h"
#include "cajal/TestSupport/RandomRuns.h"

#include <gtest/gtest.h>

#include <cstdio>

using namespace cajal;
using golden::GoldenModel;
using reference::ReferenceEngine;

namespace {

using test::giveExternalSpikes;

constexpr uint32_t kSteps = 200;
constexpr uint64_t kSeeds = 30;

imagegen::RandomNetwork learningNetwork(const chip::Profile &profile,
                                        uint64_t seed) {
  imagegen::RandomOptions o;
  o.seed = seed;
  o.steps = kSteps;
  o.learning = true;
  o.programPopulations = profile.isa.programmable;
  return imagegen::randomNetwork(profile, o);
}

/// What the random images exercised, summed over seeds.
struct LearningCoverage {
  uint64_t learningAxons = 0, rewardAxons = 0, learningSynapses = 0;
  uint64_t changedSynapses = 0, delayChanges = 0, tagChanges = 0;
  uint64_t learningUpdates = 0, spikes = 0;
  test::NonZeroLearningState nonZero; ///< at the last step
};

void expectLearnsAsReference(const chip::Profile &profile, uint64_t seed,
                             LearningCoverage &coverage) {
  const imagegen::RandomNetwork net = learningNetwork(profile, seed);
  const chip::Image &image = net.image;
  const std::string where = profile.name + ", seed " + std::to_string(seed);
  ASSERT_TRUE(bool(chip::validate(image, profile))) << where;
  Result<GoldenModel> golden = GoldenModel::create(image, profile);
  ASSERT_TRUE(bool(golden)) << where << ": " << golden.error();
  Result<ReferenceEngine> ref = ReferenceEngine::create(image, profile);
  ASSERT_TRUE(bool(ref)) << where << ": " << ref.error();
  ASSERT_TRUE(golden->learns()) << where;
  giveExternalSpikes(*golden, net);
  giveExternalSpikes(*ref, net);
  // The learning synapses as loaded, to count what learning changed.
  std::vector<std::vector<chip::Synapse>> initial;
  for (uint32_t c = 0; c < image.cores.size(); ++c)
    for (uint32_t a = 0; a < image.cores[c].inputAxons.size(); ++a)
      if (image.cores[c].inputAxons[a].learns()) {
        initial.push_back(golden->synapses(c, a));
        ++coverage.learningAxons;
        coverage.learningSynapses += initial.back().size();
      } else if (image.cores[c].inputAxons[a].reward) {
        ++coverage.rewardAxons;
      }
  for (uint32_t t = 0; t < kSteps; ++t) {
    golden->step();
    ref->step();
    const std::string at = where + ", step " + std::to_string(t);
    ASSERT_NO_FATAL_FAILURE(reftest::expectSameStep(*golden, *ref, at));
    for (uint32_t g = 0; g < golden->compartmentCount(); ++g)
      ASSERT_EQ(golden->compartmentStateWords(g), ref->stateWords(g))
          << at << ", compartment " << g;
    ASSERT_NO_FATAL_FAILURE(test::expectSameLearningStep(
        *golden, *ref, image, at,
        t + 1 == kSteps ? &coverage.nonZero : nullptr));
  }
  reftest::expectSameCounters(*golden, *ref, where);
  EXPECT_EQ(golden->counters().learningUpdates, ref->counters().learningUpdates)
      << where;
  coverage.learningUpdates += golden->counters().learningUpdates;
  coverage.spikes += golden->counters().compartmentSpikes;
  size_t k = 0;
  for (uint32_t c = 0; c < image.cores.size(); ++c)
    for (uint32_t a = 0; a < image.cores[c].inputAxons.size(); ++a)
      if (image.cores[c].inputAxons[a].learns()) {
        const std::vector<chip::Synapse> now = golden->synapses(c, a);
        for (size_t i = 0; i < now.size(); ++i) {
          const chip::Synapse &before = initial[k][i];
          coverage.changedSynapses += now[i].mantissa != before.mantissa;
          coverage.delayChanges += now[i].delay != before.delay;
          coverage.tagChanges += now[i].tag != before.tag;
        }
        ++k;
      }
}

void expectCoverage(const LearningCoverage &c, const std::string &profile) {
  std::printf(
      "%s: %llu learning axons (%llu synapses), %llu reward axons, "
      "%llu rule applications, %llu weights, %llu delays and %llu "
      "tags changed, %llu spikes\n",
      profile.c_str(), (unsigned long long)c.learningAxons,
      (unsigned long long)c.learningSynapses, (unsigned long long)c.rewardAxons,
      (unsigned long long)c.learningUpdates,
      (unsigned long long)c.changedSynapses, (unsigned long long)c.delayChanges,
      (unsigned long long)c.tagChanges, (unsigned long long)c.spikes);
  EXPECT_GT(c.learningAxons, 100u);
  EXPECT_GT(c.rewardAxons, 10u);
  EXPECT_GT(c.learningUpdates, 10000u);
  EXPECT_GT(c.changedSynapses, 100u);
  EXPECT_GT(c.delayChanges, 10u);
  EXPECT_GT(c.tagChanges, 100u);
  EXPECT_GT(c.spikes, 1000u);
  EXPECT_GT(c.nonZero.rewards, 0u);
  EXPECT_GT(c.nonZero.preTraces, 0u);
  EXPECT_GT(c.nonZero.postTraces, 0u);
}

TEST(GoldenLearning, EqualsReferenceLoihi1) {
  LearningCoverage coverage;
  for (uint64_t seed = 1; seed <= kSeeds; ++seed)
    ASSERT_NO_FATAL_FAILURE(
        expectLearnsAsReference(test::loihi1(), seed, coverage));
  expectCoverage(coverage, "loihi1");
}

TEST(GoldenLearning, EqualsReferenceLoihi2) {
  LearningCoverage coverage;
  for (uint64_t seed = 1; seed <= kSeeds; ++seed)
    ASSERT_NO_FATAL_FAILURE(
        expectLearnsAsReference(test::loihi2(), seed, coverage));
  expectCoverage(coverage, "loihi2");
}

// Learning runs on the calling thread after the threads' delivery: any
// number of threads gives the same spikes, states, synapses and traces.
TEST(GoldenLearning, ThreadsEqualOneThread) {
  const chip::Profile &profile = test::loihi1();
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    const imagegen::RandomNetwork net = learningNetwork(profile, seed);
    const std::string where = "seed " + std::to_string(seed);
    golden::ModelOptions options;
    options.threads = 3;
    Result<GoldenModel> one = GoldenModel::create(net.image, profile);
    Result<GoldenModel> three =
        GoldenModel::create(net.image, profile, options);
    ASSERT_TRUE(bool(one)) << where << ": " << one.error();
    ASSERT_TRUE(bool(three)) << where << ": " << three.error();
    ASSERT_EQ(three->threadCount(), 3u);
    giveExternalSpikes(*one, net);
    giveExternalSpikes(*three, net);
    for (uint32_t t = 0; t < kSteps; ++t) {
      one->step();
      three->step();
      const std::string at = where + ", step " + std::to_string(t);
      ASSERT_NO_FATAL_FAILURE(
          test::expectSameLearningStep(*three, *one, net.image, at));
      for (uint32_t g = 0; g < one->compartmentCount(); ++g)
        ASSERT_EQ(one->compartmentStateWords(g),
                  three->compartmentStateWords(g))
            << at << ", compartment " << g;
    }
    EXPECT_EQ(one->counters().learningUpdates,
              three->counters().learningUpdates)
        << where;
  }
}

class NoExchange : public golden::SpikeExchange {
public:
  void exchange(std::vector<uint32_t> &) override {}
};

// An image that learns cannot be split into parts (yet): create says so.
// The golden model skips synapses that cannot change (no spike on either
// side, no u term) but visits every one in the first epoch, where an
// initial weight outside its sign's range is clamped as the reference does:
// an excitatory synapse of weight -5 whose axon and compartment never spike.
TEST(GoldenLearning, FirstEpochClampsAWeightOfTheWrongSign) {
  const chip::Profile &profile = test::loihi1();
  imagegen::ImageBuilder b(profile);
  const uint32_t core = b.addCore(
      {test::detectorCompartment(profile), test::detectorCompartment(profile)});
  const uint32_t rule =
      b.addLearningRule({test::ruleOf("dw = 2^-2 * x1 * y0 - 2^-2 * y1 * x0"),
                         {16, 0, 200},
                         {},
                         chip::WeightSign::Excitatory});
  b.setLearningEpoch(2, 9);
  const uint32_t silent = b.addLearningAxon(core, {{0, -5, 1, 0}}, 0, rule);
  const uint32_t post = b.addPopulation("post", {{core, 0, 0, 2}});
  b.setPostTraces(post, {chip::TraceParams{16, 0, 200}, {}, {}});
  const chip::Image image = b.build();
  Result<GoldenModel> golden = GoldenModel::create(image, profile);
  ASSERT_TRUE(bool(golden)) << golden.error();
  Result<ReferenceEngine> ref = ReferenceEngine::create(image, profile);
  ASSERT_TRUE(bool(ref)) << ref.error();
  for (uint32_t t = 0; t < 4; ++t) {
    golden->step();
    ref->step();
    ASSERT_EQ(golden->synapses(core, silent), ref->synapses(core, silent))
        << "step " << t;
  }
  EXPECT_EQ(golden->synapses(core, silent).at(0).mantissa, 0);
}

TEST(GoldenLearning, RefusesParts) {
  const chip::Profile &profile = test::loihi1();
  const imagegen::RandomNetwork net = learningNetwork(profile, 3);
  NoExchange exchange;
  golden::ModelOptions options;
  options.parts = 2;
  options.exchange = &exchange;
  Result<GoldenModel> m = GoldenModel::create(net.image, profile, options);
  ASSERT_FALSE(bool(m));
  EXPECT_NE(m.error().find("runs as one part only"), std::string::npos)
      << m.error();
}

// The random images that learn are valid, their rules within the profile's
// limits; turned off, learning leaves the image as it was.
TEST(GoldenLearning, RandomImagesLearnValidly) {
  for (const chip::Profile *profile : {&test::loihi1(), &test::loihi2()})
    for (uint64_t seed = 1; seed <= 60; ++seed) {
      const std::string where =
          profile->name + ", seed " + std::to_string(seed);
      imagegen::RandomOptions o;
      o.seed = seed;
      const imagegen::RandomNetwork plain =
          imagegen::randomNetwork(*profile, o);
      o.learning = true;
      const imagegen::RandomNetwork learns =
          imagegen::randomNetwork(*profile, o);
      const Status valid = chip::validate(learns.image, *profile);
      ASSERT_TRUE(bool(valid)) << where << ": " << valid.error();
      const chip::ImageLearning &l = learns.image.learning;
      ASSERT_TRUE(l.enabled()) << where;
      EXPECT_GE(l.rules.size(), 1u) << where;
      EXPECT_LE(l.rules.size(), 4u) << where;
      for (const chip::LearningRuleSetting &r : l.rules)
        EXPECT_TRUE(bool(chip::checkLearningRule(*profile, r.rule))) << where;
      EXPECT_FALSE(plain.image.learning.enabled()) << where;
      // The rest of the image is drawn as before.
      ASSERT_EQ(plain.image.cores.size(), learns.image.cores.size()) << where;
      for (size_t c = 0; c < plain.image.cores.size(); ++c) {
        const chip::Core &a = plain.image.cores[c], &b = learns.image.cores[c];
        EXPECT_EQ(a.compartments, b.compartments) << where;
        EXPECT_EQ(a.outputAxons, b.outputAxons) << where;
        ASSERT_EQ(a.inputAxons.size(), b.inputAxons.size()) << where;
      }
      EXPECT_EQ(plain.external.size(), learns.external.size()) << where;
    }
}

} // namespace
