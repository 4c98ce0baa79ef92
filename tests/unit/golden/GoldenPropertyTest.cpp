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
#include "cajal/Chip/ImageJson.h"
#include "cajal/Chip/Source.h"
#include "cajal/Chip/StandardPrograms.h"
#include "cajal/Golden/GoldenModel.h"
#include "cajal/ImageGen/ImageBuilder.h"
#include "cajal/ImageGen/RandomImage.h"
#include "cajal/TestSupport/GoldenRecord.h"
#include "cajal/TestSupport/Profiles.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <map>
#include <set>
#include <sstream>

using namespace cajal;

namespace {

class NaiveEngine {
public:
  NaiveEngine(const chip::Image &img, const chip::Profile &chipProfile,
              const std::vector<imagegen::ExternalSpike> &externalSpikes)
      : image(img), profile(chipProfile), external(externalSpikes) {
    for (const chip::Core &c : image.cores) {
      std::vector<chip::CompartmentState> &s =
          states.emplace_back(c.compartments.size());
      // The image's initial state words (u, v, refractory for the LIF).
      for (uint32_t l = 0; l < s.size() && !c.initialBegin.empty(); ++l)
        if (c.initialBegin[l + 1] > c.initialBegin[l])
          s[l] = chip::lifStateFromWords(&c.initialWords[c.initialBegin[l]]);
    }
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
      for (const imagegen::ExternalSpike &e : external)
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
  const std::vector<imagegen::ExternalSpike> &external;
  std::map<uint32_t, std::vector<std::vector<int64_t>>> inbox;
};

/// loihi1 with narrow arithmetic, so that wrap, saturation and reset by
/// subtraction happen often.
chip::Profile narrowProfile() {
  chip::Profile p = test::loihi1();
  p.name = "narrow";
  p.neuron.currentBits = 18;
  p.neuron.accumulatorBits = 15;
  p.neuron.resetBySubtraction = true;
  p.neuron.thresholdShift = 4;
  p.synapse.weightShift = 3;
  return p;
}

/// How compareRun varies the test: the golden model's update loop
/// (instruction set, lane width), an edit of the image before both engines
/// see it, larger cores, and the share of networks that must fire.
struct RunSetup {
  golden::ModelOptions variant;
  uint64_t *lanes32 = nullptr; ///< += compartments run in 32-bit lanes
  golden::DeliveryLayout *layout = nullptr; ///< += the models' layouts
  /// Models run, by accumulator bits.
  std::map<unsigned, uint64_t> *accumulatorBits = nullptr;
  std::function<void(chip::Image &)> edit;
  uint32_t maxCompartments = 0; ///< per core; 0: RandomOptions' default
  uint64_t firingPercent = 90;
};

/// The instruction sets this build and CPU can run the golden model with.
std::vector<golden::Isa> availableIsas() {
  std::vector<golden::Isa> isas;
  for (golden::Isa isa :
       {golden::Isa::Generic, golden::Isa::Avx2, golden::Isa::Avx512})
    if (golden::GoldenModel::isaAvailable(isa))
      isas.push_back(isa);
  return isas;
}

/// Run `image` for `steps` steps on both engines; `spikes` counts the
/// compartment spikes; `seed` names the image in failures.
void compareImage(const chip::Profile &profile, const chip::Image &image,
                  const std::vector<imagegen::ExternalSpike> &external,
                  uint32_t steps, uint64_t seed, uint64_t &spikes,
                  const RunSetup &setup) {
  const golden::ModelOptions &variant = setup.variant;
  Result<golden::GoldenModel> model =
      golden::GoldenModel::create(image, profile, variant);
  ASSERT_TRUE(bool(model)) << "seed " << seed << ": " << model.error();
  if (setup.lanes32)
    *setup.lanes32 += model->compartmentsIn32BitLanes();
  if (setup.accumulatorBits)
    ++(*setup.accumulatorBits)[model->accumulatorBits()];
  if (setup.layout) {
    const golden::DeliveryLayout &l = model->deliveryLayout();
    setup.layout->wideWindows += l.wideWindows;
    setup.layout->wideWeightCopies += l.wideWeightCopies;
    setup.layout->narrowWindows += l.narrowWindows;
    setup.layout->windowSynapses += l.windowSynapses;
    setup.layout->singleSynapses += l.singleSynapses;
    setup.layout->placedCompartments += l.placedCompartments;
  }
  std::vector<spikeio::SpikeRecord> ext;
  for (const imagegen::ExternalSpike &e : external)
    ext.push_back({e.step, model->nodes().sourceNode(e.source), e.index});
  ASSERT_TRUE(bool(model->setExternalSpikes(ext))) << "seed " << seed;
  NaiveEngine naive(image, profile, external);
  const std::vector<uint32_t> &begin = model->coreCompartmentBegin();
  spikes = 0;
  for (uint32_t t = 0; t < steps; ++t) {
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
            << ", core " << c << ", compartment " << l << ", isa "
            << golden::isaName(model->isa())
            << (variant.wideArithmetic ? ", wide" : "");
  }
}

/// Run one seed's random image on both engines.
void compareRun(const chip::Profile &profile, uint64_t seed, uint64_t &spikes,
                const RunSetup &setup = {}) {
  imagegen::RandomOptions options;
  options.seed = seed;
  options.steps = 120;
  if (setup.maxCompartments)
    options.maxCompartments = setup.maxCompartments;
  imagegen::RandomNetwork net = imagegen::randomNetwork(profile, options);
  if (setup.edit)
    setup.edit(net.image);
  compareImage(profile, net.image, net.external, options.steps, seed, spikes,
               setup);
}

/// Compare seeds [first, first + count); most networks must fire, or the
/// comparison tests little.
void compareSeeds(const chip::Profile &profile, uint64_t first, uint64_t count,
                  const RunSetup &setup = {}) {
  uint64_t firing = 0;
  for (uint64_t seed = first; seed < first + count; ++seed) {
    uint64_t spikes = 0;
    compareRun(profile, seed, spikes, setup);
    if (::testing::Test::HasFatalFailure())
      return;
    firing += spikes > 0;
  }
  EXPECT_GE(firing * 100, count * setup.firingPercent)
      << "too many silent networks";
}

TEST(GoldenPropertyTest, MatchesNaiveEngineOnRandomImages) {
  compareSeeds(test::loihi1(), 1, 100);
}

/// Every reference to an input axon in the order the golden model lays out
/// the rows: the output axons by core and compartment, then the sources'
/// targets by source and channel.
std::vector<chip::AxonTarget *> axonReferences(chip::Image &image) {
  std::vector<chip::AxonTarget *> references;
  for (chip::Core &core : image.cores)
    for (chip::AxonTarget &t : core.outputAxons)
      references.push_back(&t);
  for (chip::Source &source : image.sources)
    for (chip::AxonTarget &t : source.targets)
      references.push_back(&t);
  return references;
}

/// Gives every reference to an input axon after its first a copy of the
/// axon (the same synapse words): then every axon has one sender, as in a
/// compiled network of random connectivity. Returns how many it copied.
uint64_t privatizeAxons(chip::Image &image) {
  std::set<std::pair<uint32_t, uint32_t>> seen;
  uint64_t copies = 0;
  for (chip::AxonTarget *t : axonReferences(image)) {
    if (seen.insert({t->core, t->inputAxon}).second)
      continue;
    chip::Core &core = image.cores[t->core];
    core.inputAxons.push_back(core.inputAxons[t->inputAxon]);
    t->inputAxon = uint32_t(core.inputAxons.size() - 1);
    ++copies;
  }
  return copies;
}

// The loader lays out the rows of an image whose axons all have one sender
// in one pass; on the first axon it meets again it puts the counts back
// and lays out shared rows. Both must deliver what the image says: every
// axon private, and every axon private but the very last reference, which
// shares the first one's axon (so the whole pass is undone), each on one
// thread and on two (where the synapse array is built aside).
TEST(GoldenPropertyTest, PrivateAndLateSharedAxonsMatchNaiveEngine) {
  for (const bool lateShare : {false, true})
    for (const uint32_t threads : {1u, 2u}) {
      SCOPED_TRACE(
          std::string(lateShare ? "last reference shared" : "all private") +
          ", threads " + std::to_string(threads));
      uint64_t copied = 0;
      RunSetup setup;
      setup.variant.threads = threads;
      setup.edit = [&](chip::Image &image) {
        copied += privatizeAxons(image);
        std::vector<chip::AxonTarget *> references = axonReferences(image);
        std::set<std::pair<uint32_t, uint32_t>> axons;
        for (const chip::AxonTarget *t : references)
          axons.insert({t->core, t->inputAxon});
        ASSERT_EQ(axons.size(), references.size());
        if (lateShare && references.size() > 1)
          *references.back() = *references.front();
      };
      compareSeeds(test::loihi1(), 3001, 30, setup);
      // The random images share axons, so that the edit matters.
      EXPECT_GT(copied, 30u);
    }
}

TEST(GoldenPropertyTest, MatchesNaiveEngineWithNarrowArithmetic) {
  const chip::Profile narrow = narrowProfile();
  compareSeeds(narrow, 1001, 100);
}

// Every update loop this CPU can run (AVX-512, AVX2, portable), in 32-bit
// lanes where the loader proves them exact and in 64-bit lanes everywhere,
// with int16 accumulators where they are proven exact, int32 ones, and
// int64 ones.
TEST(GoldenPropertyTest, EveryLoopVariantMatchesNaiveEngine) {
  const chip::Profile narrow = narrowProfile();
  for (golden::Isa isa : availableIsas()) {
    for (auto [wide, acc16] : {std::pair{false, true}, std::pair{false, false},
                               std::pair{true, true}}) {
      SCOPED_TRACE(std::string(golden::isaName(isa)) + (wide ? " wide" : "") +
                   (acc16 ? "" : " no int16 accumulators"));
      uint64_t lanes32 = 0;
      golden::DeliveryLayout layout;
      std::map<unsigned, uint64_t> accumulators;
      RunSetup setup;
      setup.variant.isa = isa;
      setup.variant.wideArithmetic = wide;
      setup.variant.narrowAccumulators = acc16;
      setup.lanes32 = &lanes32;
      setup.layout = &layout;
      setup.accumulatorBits = &accumulators;
      compareSeeds(test::loihi1(), 201, 15, setup);
      compareSeeds(narrow, 1201, 15, setup);
      // Weight exponents of 0 only and no Poisson group: the sums fit
      // int16, where the random exponents (up to 2^7 between two synapses)
      // make them need int32.
      setup.edit = test::int16Weights;
      compareSeeds(test::loihi1(), 301, 15, setup);
      if (::testing::Test::HasFatalFailure())
        return;
      EXPECT_EQ(accumulators[16] >= 10, !wide && acc16);
      EXPECT_EQ(accumulators[32] > 0, !wide);
      EXPECT_EQ(accumulators[64] > 0, wide);
      // loihi1 and the narrow profile fit 32 bits: both paths were run.
      EXPECT_EQ(lanes32 > 0, !wide);
      // Random groups of up to 3 synapses per compartment give windows of
      // both widths and single synapses; int64 accumulators have none.
      EXPECT_EQ(layout.wideWindows > 0, !wide);
      EXPECT_EQ(layout.narrowWindows > 0, !wide);
      EXPECT_GT(layout.singleSynapses, 0u);
      EXPECT_EQ(layout.windowSynapses > 0, !wide);
    }
  }
  EXPECT_TRUE(golden::GoldenModel::isaAvailable(golden::Isa::Generic));
}

// Cores whose compartments share their constants run a loop that holds
// them in registers: long stretches of copies of one compartment, with a
// few different ones in between, in every loop variant. Stretch s of core
// c takes the constants that let the AVX-512 loop leave work out as the
// bits of (c + s) % 8: no refractory period, u without memory (decayU =
// max), v without leak (decayV = 0); all 8 combinations occur.
TEST(GoldenPropertyTest, UniformStretchesMatchNaiveEngine) {
  const auto uniform = [](chip::Image &image) {
    const uint16_t decayMax =
        uint16_t((1u << test::loihi1().neuron.decayBits) - 1);
    for (size_t c = 0; c < image.cores.size(); ++c) {
      std::vector<chip::CompartmentParams> &comps = image.cores[c].compartments;
      for (size_t l = 0; l < comps.size(); ++l) {
        if (l % 97 == 5)
          continue;
        comps[l] = comps[l - l % 70];
        const size_t folded = (c + l / 70) % 8;
        if (folded & 1)
          comps[l].refractory = 0;
        if (folded & 2)
          comps[l].decayU = decayMax;
        if (folded & 4)
          comps[l].decayV = 0;
      }
    }
  };
  const chip::Profile narrow = narrowProfile();
  for (golden::Isa isa : availableIsas()) {
    SCOPED_TRACE(golden::isaName(isa));
    RunSetup setup;
    setup.variant.isa = isa;
    setup.edit = uniform;
    setup.maxCompartments = 160;
    // Copies of one compartment fire less often than random ones.
    setup.firingPercent = 60;
    compareSeeds(test::loihi1(), 1, 10, setup);
    compareSeeds(narrow, 1001, 10, setup);
  }
}

// The update loops leave out the clips of the input, of u (its wrap) and of
// v where the loader proves from the most input a compartment can receive
// in a step that none can act (Loader::provenFolds). Here 80 compartments
// take about the largest input the accumulators hold, two synapses of 127 x
// 2^13, every step, and decayU sets where u settles: with a decay of
// 1017 / 4096 per step the bound stays below the wrap at 2^23 (the clips are
// left out); 1015 is the first decay whose bound passes it (the clips stay),
// and at 1013 u does pass it and wraps. All must step as the naive engine
// does.
TEST(GoldenPropertyTest, ClipsAreLeftOutExactlyWhereTheInputCannotReachThem) {
  const chip::Profile profile = test::loihi1();
  constexpr uint32_t compartments = 80, steps = 60;
  const auto image = [&](uint16_t decayU) {
    chip::CompartmentParams p;
    p.decayU = decayU;
    p.decayV = 512;
    p.vmaxExponent = uint8_t(profile.neuron.vmaxExponentMax); // 2^23 - 1
    p.thresholdMantissa = 1;                                  // fires at 64
    p.refractory = 2;
    imagegen::ImageBuilder b(profile);
    b.addCore(std::vector<chip::CompartmentParams>(compartments, p));
    std::vector<chip::Synapse> synapses;
    for (uint32_t c = 0; c < compartments; ++c)
      synapses.insert(synapses.end(), 2, {c, 127, 1});
    const uint32_t axon = b.addInputAxon(0, synapses, 8, 7, false);
    chip::Source in;
    in.name = "in";
    in.size = 1;
    const uint32_t source = b.addSource(in);
    b.addSourceTarget(source, 0, {0, axon});
    b.addPopulation("n", {{0, 0, 0, compartments}});
    return b.build();
  };
  std::vector<imagegen::ExternalSpike> everyStep;
  for (uint32_t t = 0; t < steps; ++t)
    everyStep.push_back({0, t, 0});
  for (const auto &[decayU, clipFree] :
       {std::pair{uint16_t(1017), true}, std::pair{uint16_t(1015), false},
        std::pair{uint16_t(1013), false}}) {
    SCOPED_TRACE("decayU " + std::to_string(decayU));
    const chip::Image built = image(decayU);
    for (golden::Isa isa : availableIsas()) {
      SCOPED_TRACE(golden::isaName(isa));
      RunSetup setup;
      setup.variant.isa = isa;
      Result<golden::GoldenModel> model =
          golden::GoldenModel::create(built, profile, setup.variant);
      ASSERT_TRUE(bool(model)) << model.error();
      EXPECT_EQ(model->clipFreeCompartments(), clipFree ? compartments : 0);
      uint64_t spikes = 0;
      compareImage(profile, built, everyStep, steps, decayU, spikes, setup);
      EXPECT_GT(spikes, 0u);
      // At 1013 u passes 2^23 - 1 and wraps below zero.
      std::vector<spikeio::SpikeRecord> in;
      for (const imagegen::ExternalSpike &e : everyStep)
        in.push_back({e.step, model->nodes().sourceNode(e.source), e.index});
      ASSERT_TRUE(bool(model->setExternalSpikes(in)));
      bool wrapped = false;
      for (uint32_t t = 0; t < steps; ++t) {
        model->step();
        wrapped |= model->compartmentState(0).u < 0;
      }
      EXPECT_EQ(wrapped, decayU == 1013);
    }
  }
}

/// Run options for every available instruction set, with the input bounds
/// summed on one thread and split among three whatever the synapse count
/// (ModelOptions::splitBoundsFrom), each with its name for a trace.
std::vector<std::pair<std::string, golden::ModelOptions>> isaAndBoundSplits() {
  std::vector<std::pair<std::string, golden::ModelOptions>> out;
  for (golden::Isa isa : availableIsas()) {
    golden::ModelOptions options;
    options.isa = isa;
    out.push_back({golden::isaName(isa), options});
    options.threads = 3;
    options.splitBoundsFrom = 0;
    out.push_back(
        {std::string(golden::isaName(isa)) + ", bounds split", options});
  }
  return out;
}

/// `targets` compartments like `target` on core 0, driven by one LIF
/// compartment on core 1 that spikes in every step its refractory hold
/// allows (v = 100 > 64) and reaches each target through a synapse of
/// `mantissa` x 2^13 per entry of `delays`.
chip::Image drivenByOneSender(const chip::Profile &profile,
                              const chip::CompartmentParams &target,
                              uint32_t targets, uint8_t hold, int32_t mantissa,
                              const std::vector<uint32_t> &delays) {
  chip::CompartmentParams driver;
  driver.biasMantissa = 100;
  driver.thresholdMantissa = 1;
  driver.refractory = hold;
  imagegen::ImageBuilder b(profile);
  b.addCore(std::vector<chip::CompartmentParams>(targets, target));
  b.addCore({driver});
  std::vector<chip::Synapse> synapses;
  for (uint32_t c = 0; c < targets; ++c)
    for (const uint32_t delay : delays)
      synapses.push_back({c, mantissa, delay});
  const bool delayed = std::any_of(delays.begin(), delays.end(),
                                   [](uint32_t d) { return d != 1; });
  b.addOutput(1, 0, {0, b.addInputAxon(0, synapses, 8, 7, delayed)});
  b.addPopulation("targets", {{0, 0, 0, targets}});
  b.addPopulation("driver", {{1, 0, 0, 1}});
  return b.build();
}

// A LIF sender with a refractory hold of R steps spikes at most once in
// R + 1, which bounds the decayed sum of its input to a target by its
// weight / (1 - s^(R+1)), s = scaleU / 2^decayBits (Loader::provenFolds).
// Here a driver that fires every R + 1 steps reaches 80 compartments (u
// keeps 4015/4096 per step) through two synapses of 127 x 2^13 each: with
// R = 14 that bound stays below u's wrap at 2^23 (the clips are left out),
// with R = 13 it does not, and u, driven to about 4.1 times the weight,
// wraps. Both must step as the naive engine does.
TEST(GoldenPropertyTest, RefractorySendersBoundTheirTargetsInput) {
  const chip::Profile profile = test::loihi1();
  constexpr uint32_t targets = 80, steps = 400;
  for (const uint8_t hold : {uint8_t(14), uint8_t(13)}) {
    SCOPED_TRACE("hold " + std::to_string(hold));
    chip::CompartmentParams target;
    target.decayU = 81;
    target.decayV = 512;
    target.vmaxExponent = uint8_t(profile.neuron.vmaxExponentMax);
    target.thresholdMantissa = 1;
    const chip::Image image =
        drivenByOneSender(profile, target, targets, hold, 127, {1, 1});
    // Also with the bounds summed on three threads, each over its own
    // range of the 81 compartments.
    for (const auto &[name, variant] : isaAndBoundSplits()) {
      SCOPED_TRACE(name);
      RunSetup setup;
      setup.variant = variant;
      Result<golden::GoldenModel> model =
          golden::GoldenModel::create(image, profile, setup.variant);
      ASSERT_TRUE(bool(model)) << model.error();
      EXPECT_EQ(model->clipFreeCompartments(), hold == 14 ? targets : 0);
      uint64_t spikes = 0;
      compareImage(profile, image, {}, steps, hold, spikes, setup);
      bool wrapped = false;
      for (uint32_t t = 0; t < steps; ++t) {
        model->step();
        wrapped |= model->compartmentState(0).u < 0;
      }
      EXPECT_EQ(wrapped, hold == 13);
    }
  }
}

// The refractory bound sums every synapse's weight, not the input clipped
// to the accumulator's limit: a sender's synapses of different delays
// arrive in different steps. Here a driver with a hold of 20 fires every
// 21 steps and reaches each target through 21 synapses of 140 x 2^13 with
// delays 1 to 21, so one arrives every step; together they pass the limit
// (2^21 - 1) tenfold. u keeps 3496/4096 per step and settles near
// 7.8 x 10^6, where |u| x 600 passes 32 bits: its decay then needs two
// multiplies. A bound from the clipped input (2^21 / (1 - s^21), about
// 2.2 x 10^6) would take the one-multiply decay, and the naive engine
// would disagree.
TEST(GoldenPropertyTest, RefractoryBoundSumsInputPastTheAccumulatorLimit) {
  const chip::Profile profile = test::loihi1();
  constexpr uint32_t targets = 80, steps = 200, decayU = 600;
  constexpr uint8_t hold = 20;
  chip::CompartmentParams target;
  target.decayU = decayU;
  target.vmaxExponent = uint8_t(profile.neuron.vmaxExponentMax);
  target.thresholdMantissa = 1;
  std::vector<uint32_t> delays;
  for (uint32_t delay = 1; delay <= hold + 1; ++delay)
    delays.push_back(delay);
  const chip::Image image =
      drivenByOneSender(profile, target, targets, hold, 140, delays);
  for (const auto &[name, variant] : isaAndBoundSplits()) {
    SCOPED_TRACE(name);
    RunSetup setup;
    setup.variant = variant;
    uint64_t spikes = 0;
    compareImage(profile, image, {}, steps, hold, spikes, setup);
    EXPECT_GT(spikes, 0u);
    Result<golden::GoldenModel> model =
        golden::GoldenModel::create(image, profile, setup.variant);
    ASSERT_TRUE(bool(model)) << model.error();
    int64_t most = 0;
    for (uint32_t t = 0; t < steps; ++t) {
      model->step();
      most = std::max<int64_t>(most, model->compartmentState(0).u);
    }
    EXPECT_GE(most * decayU, int64_t(1) << 32);
  }
}

// A Poisson group channel sends up to 255 spikes in one step (about 16 at
// the largest mean), each delivering its row: the input bound behind the
// accumulator width and the update's folds must count them all. Here
// compartment 0 takes 200 synapses of 127 x 2^13 (once, 2.1 x 10^8 fits
// int32 accumulators; 16 times it does not) from one channel (an axon of
// its own), or 120 from each of two channels (a shared axon).
TEST(GoldenPropertyTest, PoissonGroupCountsAreInTheInputBound) {
  const chip::Profile profile = test::loihi1();
  chip::CompartmentParams p;
  p.decayU = 4095;
  p.decayV = 512;
  p.vmaxExponent = uint8_t(profile.neuron.vmaxExponentMax);
  p.thresholdMantissa = 1;
  for (const uint32_t channels : {1u, 2u}) {
    SCOPED_TRACE(std::to_string(channels) + " channels");
    imagegen::ImageBuilder b(profile);
    b.addCore(std::vector<chip::CompartmentParams>(80, p));
    std::vector<chip::Synapse> synapses(channels == 1 ? 200 : 120, {0, 127, 1});
    for (uint32_t c = 1; c < 80; ++c)
      synapses.push_back({c, 1, 1});
    const uint32_t axon = b.addInputAxon(0, synapses, 8, 7, false);
    chip::Source in;
    in.name = "background";
    in.kind = chip::SourceKind::PoissonGroup;
    in.size = channels;
    in.seed = 5;
    in.probability = chip::poissonGroupThreshold(chip::kPoissonGroupMaxMean);
    const uint32_t source = b.addSource(in);
    for (uint32_t ch = 0; ch < channels; ++ch)
      b.addSourceTarget(source, ch, {0, axon});
    b.addPopulation("n", {{0, 0, 0, 80}});
    const chip::Image image = b.build();
    for (golden::Isa isa : availableIsas()) {
      SCOPED_TRACE(golden::isaName(isa));
      RunSetup setup;
      setup.variant.isa = isa;
      uint64_t spikes = 0;
      compareImage(profile, image, {}, 40, channels, spikes, setup);
      EXPECT_GT(spikes, 0u);
    }
  }
}

// Dense rows (runs of adjacent targets, as convolutions and dense layers
// give) become windows of 16 and 4 accumulators. Here every group's run ends
// at its core's last compartment and the last core's at the last
// compartment of the chip, so windows reach past it (into the next slot,
// or the padding after the ring) with every delay, while the ring wraps.
TEST(GoldenPropertyTest, DenseRowsInWindowsMatchNaiveEngine) {
  const auto dense = [](const chip::Profile &profile) {
    return [&profile](chip::Image &image) {
      for (chip::Core &core : image.cores) {
        const uint32_t comps = uint32_t(core.compartments.size());
        std::vector<uint64_t> words;
        std::vector<chip::Synapse> group;
        for (chip::InputAxon &axon : core.inputAxons) {
          chip::unpackSynapses(core.synapseWords, axon, profile.synapse, group);
          for (uint32_t i = 0; i < group.size(); ++i)
            group[i].compartment = comps - 1 - (i * 7 / 8) % comps;
          chip::packSynapses(group, axon, words, profile.synapse);
        }
        core.synapseWords = std::move(words);
      }
    };
  };
  const chip::Profile loihi1 = test::loihi1();
  const chip::Profile narrow = narrowProfile();
  for (golden::Isa isa : availableIsas()) {
    SCOPED_TRACE(golden::isaName(isa));
    golden::DeliveryLayout layout;
    RunSetup setup;
    setup.variant.isa = isa;
    setup.layout = &layout;
    setup.firingPercent = 60;
    setup.edit = dense(loihi1);
    compareSeeds(loihi1, 401, 15, setup);
    setup.edit = dense(narrow);
    compareSeeds(narrow, 1401, 15, setup);
    if (::testing::Test::HasFatalFailure())
      return;
    EXPECT_GT(layout.wideWindows, 0u);
    EXPECT_GT(layout.windowSynapses, 4 * layout.singleSynapses);
  }
}

/// Two 3x3 convolutions (padding 1) stored channels-first, as the NIR
/// importer lays them out: a Poisson source of 2 x 8 x 8 channels, conv1
/// with 8 x 8 x 8 integrate-and-fire neurons split over three cores at
/// places that are not channel boundaries, conv2 with 4 x 8 x 8 on a fourth
/// core, reached with delays 1 or 2. Kernel weights that come out zero have
/// no synapse, as in a compiled model.
chip::Image convImage(const chip::Profile &profile) {
  constexpr int side = 8;
  struct Layer {
    int channels;
    std::vector<std::pair<uint32_t, uint32_t>> slices; ///< (core, count)
  };
  // conv2 has no refractory period (the AVX-512 loop then skips
  // refractoryLeft), conv1 one step.
  auto neuron = [](int threshold, uint8_t refractory) {
    chip::CompartmentParams p;
    p.decayU = uint16_t((1u << 12) - 1); // u = this step's input
    p.thresholdMantissa = uint32_t(threshold);
    p.refractory = refractory;
    p.vmaxExponent = 7;
    p.vminExponent = 20;
    return p;
  };
  imagegen::ImageBuilder b(profile);
  const std::vector<chip::CompartmentParams> conv1Core(200, neuron(12, 1)),
      conv1Tail(112, neuron(12, 1)), conv2Core(256, neuron(8, 0));
  const uint32_t cores[4] = {b.addCore(conv1Core), b.addCore(conv1Core),
                             b.addCore(conv1Tail), b.addCore(conv2Core)};
  const Layer conv1{8, {{cores[0], 200}, {cores[1], 200}, {cores[2], 112}}};
  const Layer conv2{4, {{cores[3], 256}}};
  // (core, compartment) of neuron n of a layer.
  auto place = [](const Layer &l, int n) {
    for (const auto &[core, count] : l.slices) {
      if (n < int(count))
        return std::make_pair(core, uint32_t(n));
      n -= int(count);
    }
    return std::make_pair(UINT32_MAX, UINT32_MAX);
  };
  // The input axons (one per target core) that sender (c, y, x) of a layer
  // with `inChannels` needs to reach layer `to`.
  auto connect = [&](int inChannels, int c, int y, int x, const Layer &to,
                     bool delays) {
    std::map<uint32_t, std::vector<chip::Synapse>> perCore;
    for (int o = 0; o < to.channels; ++o)
      for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx) {
          const int ty = y - dy, tx = x - dx;
          if (ty < 0 || ty >= side || tx < 0 || tx >= side)
            continue;
          const int w = (o * 7 + c * 3 + (dy + 1) * 5 + (dx + 1)) % 11 - 3;
          if (w == 0)
            continue;
          const auto [core, comp] = place(to, (o * side + ty) * side + tx);
          perCore[core].push_back({comp, w * 9 + (inChannels > 2 ? 0 : 20),
                                   delays ? uint32_t(1 + (dy + 1) % 2) : 1u});
        }
    std::vector<chip::AxonTarget> targets;
    for (const auto &[core, syn] : perCore)
      targets.push_back({core, b.addInputAxon(core, syn, 7, 0, delays)});
    return targets;
  };
  chip::Source input;
  input.name = "input";
  input.kind = chip::SourceKind::Poisson;
  input.size = 2 * side * side;
  input.seed = 7;
  input.probability = uint32_t(0.3 * 4294967296.0);
  const uint32_t src = b.addSource(input);
  for (int c = 0; c < 2; ++c)
    for (int y = 0; y < side; ++y)
      for (int x = 0; x < side; ++x)
        for (const chip::AxonTarget &t : connect(2, c, y, x, conv1, false))
          b.addSourceTarget(src, uint32_t((c * side + y) * side + x), t);
  for (int c = 0; c < conv1.channels; ++c)
    for (int y = 0; y < side; ++y)
      for (int x = 0; x < side; ++x) {
        const auto [core, comp] = place(conv1, (c * side + y) * side + x);
        for (const chip::AxonTarget &t :
             connect(conv1.channels, c, y, x, conv2, true))
          b.addOutput(core, comp, t);
      }
  b.addPopulation("conv1", {{cores[0], 0, 0, 200},
                            {cores[1], 0, 200, 200},
                            {cores[2], 0, 400, 112}});
  b.addPopulation("conv2", {{cores[3], 0, 0, 256}});
  return b.build();
}

// The loader stores a convolution's compartments channels-last, so its
// rows become wide windows; the spikes and states stay those of the naive
// engine, with every instruction set and with the compartment order kept.
TEST(GoldenPropertyTest, ConvolutionsReplacedChannelsLastMatchNaiveEngine) {
  const chip::Profile &loihi1 = test::loihi1();
  const chip::Image image = convImage(loihi1);
  ASSERT_TRUE(bool(chip::validate(image, loihi1)));
  for (golden::Isa isa : availableIsas()) {
    SCOPED_TRACE(golden::isaName(isa));
    golden::DeliveryLayout placed, kept;
    RunSetup setup;
    setup.variant.isa = isa;
    setup.layout = &placed;
    uint64_t spikes = 0;
    compareImage(loihi1, image, {}, 80, 0, spikes, setup);
    if (::testing::Test::HasFatalFailure())
      return;
    EXPECT_GT(spikes, 500u) << "the network hardly fires: the test is weak";
    setup.variant.placeAccumulators = false;
    setup.layout = &kept;
    compareImage(loihi1, image, {}, 80, 0, spikes, setup);
    if (::testing::Test::HasFatalFailure())
      return;
    EXPECT_EQ(placed.placedCompartments, 512u + 256u);
    EXPECT_EQ(kept.placedCompartments, 0u);
    // Channels-first, the 3 x 3 kernels give runs of up to 3 neighbours
    // (narrow windows and singles); channels-last, runs of 3 x 8 or 3 x 4.
    EXPECT_GT(placed.wideWindows, 4 * kept.wideWindows + 100);
    // A kernel's windows repeat position after position: they share.
    EXPECT_LT(4 * placed.wideWeightCopies, placed.wideWindows)
        << placed.wideWeightCopies << " copies";
    EXPECT_GT(placed.wideWeightCopies, 0u);
    EXPECT_LT(placed.narrowWindows + placed.singleSynapses,
              (kept.narrowWindows + kept.singleSynapses) / 4);
  }
}

// Re-ordered populations mix cores in one update run, so their idle
// updates are counted per compartment: every counter, per core too, and
// the population spikes stay those of the model in compartment order.
TEST(GoldenPropertyTest, ReorderedConvolutionsKeepCountersAndSpikeOrder) {
  const chip::Profile &loihi1 = test::loihi1();
  const chip::Image image = convImage(loihi1);
  for (golden::Isa isa : availableIsas()) {
    SCOPED_TRACE(golden::isaName(isa));
    golden::ModelOptions options;
    options.isa = isa;
    Result<golden::GoldenModel> placed =
        golden::GoldenModel::create(image, loihi1, options);
    options.placeAccumulators = false;
    Result<golden::GoldenModel> kept =
        golden::GoldenModel::create(image, loihi1, options);
    ASSERT_TRUE(placed && kept);
    ASSERT_GT(placed->deliveryLayout().placedCompartments, 0u);
    std::vector<emulator::NeuronSpike> a, b;
    for (uint32_t t = 0; t < 80; ++t) {
      placed->step();
      kept->step();
      placed->lastSpikes(a);
      kept->lastSpikes(b);
      ASSERT_EQ(a, b) << "step " << t;
    }
    const emulator::Counters &pc = placed->counters(), &kc = kept->counters();
    EXPECT_GT(pc.idleUpdates, 0u) << "no idle update: the test is weak";
    EXPECT_EQ(pc.idleUpdates, kc.idleUpdates);
    EXPECT_EQ(pc.activeUpdates, kc.activeUpdates);
    EXPECT_EQ(pc.compartmentSpikes, kc.compartmentSpikes);
    EXPECT_EQ(pc.synapticEvents, kc.synapticEvents);
    const auto &pcore = placed->coreCounters();
    const auto kcore = kept->coreCounters();
    ASSERT_EQ(pcore.size(), kcore.size());
    for (size_t c = 0; c < pcore.size(); ++c) {
      EXPECT_EQ(pcore[c].idleUpdates, kcore[c].idleUpdates) << "core " << c;
      EXPECT_EQ(pcore[c].activeUpdates, kcore[c].activeUpdates) << "core " << c;
      EXPECT_EQ(pcore[c].compartmentSpikes, kcore[c].compartmentSpikes)
          << "core " << c;
      EXPECT_EQ(pcore[c].synapticEvents, kcore[c].synapticEvents)
          << "core " << c;
    }
  }
}

// currentBits = 32 leaves no room for the 32-bit loop: 64-bit lanes only.
TEST(GoldenPropertyTest, WideProfileRunsIn64BitLanes) {
  chip::Profile wide = test::loihi1();
  wide.name = "wide";
  wide.neuron.currentBits = 32;
  uint64_t lanes32 = 0;
  RunSetup setup;
  setup.lanes32 = &lanes32;
  compareSeeds(wide, 3001, 20, setup);
  EXPECT_EQ(lanes32, 0u);
}

TEST(GoldenPropertyTest, UnknownIsaInEnvironmentIsAnError) {
  imagegen::RandomOptions options;
  options.seed = 3;
  const imagegen::RandomNetwork net =
      imagegen::randomNetwork(test::loihi1(), options);
  ASSERT_EQ(setenv("CAJAL_GOLDEN_ISA", "sse9", 1), 0);
  Result<golden::GoldenModel> m =
      golden::GoldenModel::create(net.image, test::loihi1());
  unsetenv("CAJAL_GOLDEN_ISA");
  ASSERT_FALSE(bool(m));
  EXPECT_NE(m.error().find("CAJAL_GOLDEN_ISA: unknown instruction set "
                           "\"sse9\""),
            std::string::npos)
      << m.error();
}

// chip::unpackSynapses (one pass per group, used by the loaders) gives
// what chip::unpackSynapse gives synapse by synapse.
TEST(GoldenPropertyTest, BulkUnpackMatchesUnpackSynapse) {
  const chip::Profile narrow = narrowProfile();
  uint64_t groups = 0;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const chip::Profile &profile = seed % 2 ? test::loihi1() : narrow;
    imagegen::RandomOptions options;
    options.seed = seed;
    const imagegen::RandomNetwork net =
        imagegen::randomNetwork(profile, options);
    std::vector<chip::Synapse> all;
    for (const chip::Core &core : net.image.cores)
      for (const chip::InputAxon &axon : core.inputAxons) {
        chip::unpackSynapses(core.synapseWords, axon, profile.synapse, all);
        ASSERT_EQ(all.size(), axon.synapseCount);
        for (uint32_t i = 0; i < axon.synapseCount; ++i) {
          const chip::Synapse one =
              chip::unpackSynapse(core.synapseWords, axon, i, profile.synapse);
          ASSERT_EQ(all[i].compartment, one.compartment) << "seed " << seed;
          ASSERT_EQ(all[i].mantissa, one.mantissa) << "seed " << seed;
          ASSERT_EQ(all[i].delay, one.delay) << "seed " << seed;
        }
        groups += axon.synapseCount > 1;
      }
  }
  EXPECT_GT(groups, 100u);
}

TEST(GoldenPropertyTest, SameImageAndInputGiveSameSpikes) {
  imagegen::RandomOptions options;
  options.seed = 7;
  const imagegen::RandomNetwork net =
      imagegen::randomNetwork(test::loihi1(), options);
  auto run = [&] {
    Result<golden::GoldenModel> m =
        golden::GoldenModel::create(net.image, test::loihi1());
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
  const chip::Profile &profile = test::loihi1();
  std::string previous;
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    imagegen::RandomOptions options;
    options.seed = seed;
    const imagegen::RandomNetwork a = imagegen::randomNetwork(profile, options);
    const imagegen::RandomNetwork b = imagegen::randomNetwork(profile, options);
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
