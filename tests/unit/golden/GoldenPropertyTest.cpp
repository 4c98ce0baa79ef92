//===- GoldenPropertyTest.cpp - Golden model vs a naive engine ------------===//
//
// Seeded random images run on the golden model and on a deliberately naive
// engine written here from the contract alone: it keeps the image as it is,
// unpacks a synapse group each time a spike uses it, holds future input in
// a map from step to per-core arrays and updates every compartment every
// step. Every compartment's state and every spike must agree at every step.
// Failures print the seed.
//
//===----------------------------------------------------------------------===//
#include "ImageBuilder.h"
#include "RandomImage.h"
#include "TestProfile.h"

#include "cajal/Chip/ImageJson.h"
#include "cajal/Chip/Source.h"
#include "cajal/Golden/GoldenModel.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

using namespace cajal;

namespace {

class NaiveEngine {
public:
  NaiveEngine(const chip::Image &image, const chip::Profile &profile,
              const std::vector<testimg::ExternalSpike> &external)
      : image(image), profile(profile), external(external) {
    for (const chip::Core &c : image.cores)
      states.emplace_back(c.compartments.size());
  }

  /// Run one step; returns the (core, compartment) pairs that fired.
  std::vector<std::pair<uint32_t, uint32_t>> step(uint32_t t) {
    std::vector<std::vector<int64_t>> q = takeInput(t);
    std::vector<std::pair<uint32_t, uint32_t>> fired;
    for (uint32_t c = 0; c < image.cores.size(); ++c)
      for (uint32_t l = 0; l < states[c].size(); ++l)
        if (chip::updateCompartment(states[c][l],
                                    image.cores[c].compartments[l], q[c][l],
                                    profile.neuron))
          fired.push_back({c, l});
    for (const auto &[c, l] : fired) {
      const chip::Core &core = image.cores[c];
      for (uint32_t o = core.outputBegin[l]; o < core.outputBegin[l + 1]; ++o)
        send(t, core.outputAxons[o]);
    }
    for (uint32_t s = 0; s < image.sources.size(); ++s) {
      std::vector<uint32_t> channels;
      chip::firingChannels(image.sources[s], t, channels);
      for (const testimg::ExternalSpike &e : external)
        if (e.source == s && e.step == t)
          channels.push_back(e.index);
      for (uint32_t ch : channels) {
        const chip::Source &src = image.sources[s];
        for (uint32_t k = src.targetBegin[ch]; k < src.targetBegin[ch + 1]; ++k)
          send(t, src.targets[k]);
      }
    }
    return fired;
  }

  std::vector<std::vector<chip::CompartmentState>> states;

private:
  std::vector<std::vector<int64_t>> takeInput(uint32_t t) {
    auto it = inbox.find(t);
    if (it == inbox.end())
      return zeros();
    std::vector<std::vector<int64_t>> q = std::move(it->second);
    inbox.erase(it);
    return q;
  }
  std::vector<std::vector<int64_t>> zeros() const {
    std::vector<std::vector<int64_t>> z;
    for (const chip::Core &c : image.cores)
      z.emplace_back(c.compartments.size(), 0);
    return z;
  }
  void send(uint32_t t, const chip::AxonTarget &target) {
    const chip::Core &core = image.cores[target.core];
    const chip::InputAxon &axon = core.inputAxons[target.inputAxon];
    for (uint32_t i = 0; i < axon.synapseCount; ++i) {
      const chip::Synapse s =
          chip::unpackSynapse(core.synapseWords, axon, i, profile.synapse);
      auto [it, fresh] = inbox.try_emplace(t + s.delay);
      if (fresh)
        it->second = zeros();
      it->second[target.core][s.compartment] += chip::synapticWeight(
          s.mantissa, axon.weightExponent, profile.synapse.weightShift);
    }
  }

  const chip::Image &image;
  const chip::Profile &profile;
  const std::vector<testimg::ExternalSpike> &external;
  std::map<uint32_t, std::vector<std::vector<int64_t>>> inbox;
};

/// loihi1 with narrow arithmetic, so that wrap, saturation and reset by
/// subtraction happen often.
chip::Profile narrowProfile() {
  chip::Profile p = testimg::loihi1();
  p.name = "narrow";
  p.neuron.currentBits = 18;
  p.neuron.accumulatorBits = 15;
  p.neuron.resetBySubtraction = true;
  p.neuron.thresholdShift = 4;
  p.synapse.weightShift = 3;
  return p;
}

/// Run one seed on both engines; `spikes` counts the compartment spikes.
void compareRun(const chip::Profile &profile, uint64_t seed, uint64_t &spikes) {
  testimg::RandomOptions options;
  options.seed = seed;
  options.steps = 120;
  const testimg::RandomNetwork net = testimg::randomNetwork(profile, options);
  Result<golden::GoldenModel> model =
      golden::GoldenModel::create(net.image, profile);
  ASSERT_TRUE(bool(model)) << "seed " << seed << ": " << model.error();
  std::vector<spikeio::SpikeRecord> ext;
  for (const testimg::ExternalSpike &e : net.external)
    ext.push_back({e.step, model->nodes().sourceNode(e.source), e.index});
  ASSERT_TRUE(bool(model->setExternalSpikes(ext))) << "seed " << seed;
  NaiveEngine naive(net.image, profile, net.external);
  const std::vector<uint32_t> &begin = model->coreCompartmentBegin();
  spikes = 0;
  for (uint32_t t = 0; t < options.steps; ++t) {
    const auto fired = naive.step(t);
    model->step();
    std::vector<uint32_t> expected;
    for (const auto &[c, l] : fired)
      expected.push_back(begin[c] + l);
    ASSERT_EQ(model->lastSpikingCompartments(), expected)
        << "seed " << seed << ", profile " << profile.name << ", step " << t;
    spikes += expected.size();
    for (uint32_t c = 0; c < naive.states.size(); ++c)
      for (uint32_t l = 0; l < naive.states[c].size(); ++l)
        ASSERT_EQ(model->compartmentState(begin[c] + l), naive.states[c][l])
            << "seed " << seed << ", profile " << profile.name << ", step " << t
            << ", core " << c << ", compartment " << l;
  }
}

/// Compare seeds [first, first + count); most networks must fire, or the
/// comparison tests little.
void compareSeeds(const chip::Profile &profile, uint64_t first,
                  uint64_t count) {
  uint64_t firing = 0;
  for (uint64_t seed = first; seed < first + count; ++seed) {
    uint64_t spikes = 0;
    compareRun(profile, seed, spikes);
    if (::testing::Test::HasFatalFailure())
      return;
    firing += spikes > 0;
  }
  EXPECT_GE(firing * 10, count * 9) << "too many silent networks";
}

TEST(GoldenPropertyTest, MatchesNaiveEngineOnRandomImages) {
  compareSeeds(testimg::loihi1(), 1, 100);
}

TEST(GoldenPropertyTest, MatchesNaiveEngineWithNarrowArithmetic) {
  const chip::Profile narrow = narrowProfile();
  compareSeeds(narrow, 1001, 100);
}

TEST(GoldenPropertyTest, SameImageAndInputGiveSameSpikes) {
  testimg::RandomOptions options;
  options.seed = 7;
  const testimg::RandomNetwork net =
      testimg::randomNetwork(testimg::loihi1(), options);
  auto run = [&] {
    Result<golden::GoldenModel> m =
        golden::GoldenModel::create(net.image, testimg::loihi1());
    EXPECT_TRUE(bool(m));
    std::vector<std::vector<uint32_t>> out;
    for (uint32_t t = 0; t < 100; ++t) {
      m->step();
      out.push_back(m->lastSpikingCompartments());
    }
    return std::make_pair(out, m->counters().synapticEvents);
  };
  const auto first = run();
  EXPECT_EQ(first, run());
  EXPECT_GT(first.second, 0u);
}

std::string jsonOf(const chip::Image &image, const chip::Profile &profile) {
  std::ostringstream os;
  chip::printImageJson(image, profile, os);
  return os.str();
}

TEST(RandomImageTest, ValidDeterministicAndVaried) {
  const chip::Profile &profile = testimg::loihi1();
  std::string previous;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    testimg::RandomOptions options;
    options.seed = seed;
    const testimg::RandomNetwork a = testimg::randomNetwork(profile, options);
    const testimg::RandomNetwork b = testimg::randomNetwork(profile, options);
    Status valid = chip::validate(a.image, profile);
    ASSERT_TRUE(bool(valid)) << "seed " << seed << ": " << valid.error();
    ASSERT_GE(a.image.cores.size(), options.minCores) << "seed " << seed;
    ASSERT_LE(a.image.cores.size(), options.maxCores) << "seed " << seed;
    const std::string json = jsonOf(a.image, profile);
    EXPECT_EQ(json, jsonOf(b.image, profile)) << "seed " << seed;
    EXPECT_NE(json, previous) << "seed " << seed;
    previous = json;
  }
}

} // namespace
