//===- GoldenModelTest.cpp - Hand-made images with known answers ----------===//
//
// Each test builds a tiny image whose spike times follow from the arithmetic
// of docs/neuron-model.md by hand (worked out in the comments) and checks
// that the golden model produces exactly those spikes.
//
//===----------------------------------------------------------------------===//
#include "cajal/Golden/GoldenModel.h"
#include "cajal/Chip/Source.h"
#include "cajal/ImageGen/ImageBuilder.h"
#include "cajal/TestSupport/Profiles.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

using namespace cajal;
using cajal::emulator::NeuronSpike;
using cajal::emulator::SourceSpikeEvent;
using cajal::golden::GoldenModel;

namespace {

/// A compartment that never decays v and has no input of its own.
chip::CompartmentParams integrator(int16_t bias, uint32_t vthMant,
                                   uint8_t refractory = 1) {
  chip::CompartmentParams p;
  p.decayU = 0;
  p.decayV = 0;
  p.biasMantissa = bias;
  p.thresholdMantissa = vthMant;
  p.refractory = refractory;
  p.vmaxExponent = 7;
  p.vminExponent = 20;
  return p;
}

/// u and v forget everything each step: v = q + bias of this step only
/// (decayU = max gives decay(u, 2^12) = 0; decayV = max keeps |v| / 4096).
chip::CompartmentParams detector(uint32_t vthMant) {
  chip::CompartmentParams p = integrator(0, vthMant);
  p.decayU = uint16_t((1u << test::loihi1().neuron.decayBits) - 1);
  p.decayV = p.decayU;
  return p;
}

GoldenModel makeModel(const chip::Image &image) {
  Result<GoldenModel> m = GoldenModel::create(image, test::loihi1());
  EXPECT_TRUE(bool(m)) << (m ? "" : m.error());
  return std::move(*m);
}

/// Steps (over `steps` steps) at which neuron `neuron` of population 0 fired.
std::vector<uint32_t> spikeSteps(GoldenModel &m, uint32_t steps,
                                 uint32_t population = 0, uint32_t neuron = 0) {
  std::vector<uint32_t> out;
  std::vector<NeuronSpike> spikes;
  for (uint32_t i = 0; i < steps; ++i) {
    const uint32_t t = m.currentStep();
    m.step();
    m.lastSpikes(spikes);
    for (const NeuronSpike &s : spikes)
      if (s.population == population && s.neuron == neuron)
        out.push_back(t);
  }
  return out;
}

chip::Source fileSource(const std::string &name, uint32_t size,
                        std::vector<chip::SourceSpike> spikes) {
  chip::Source s;
  s.name = name;
  s.kind = chip::SourceKind::File;
  s.size = size;
  s.spikes = std::move(spikes);
  return s;
}

TEST(GoldenModelTest, BiasReachesThresholdAtHandComputedStep) {
  // bias 100, vth = 10 << 6 = 640, no decay: v[t] = 100 (t + 1), first
  // v > 640 at t = 6. Refractory 1 holds v = 0 at step 7, then v[8] = 100
  // again: spikes every 8 steps.
  imagegen::ImageBuilder b(test::loihi1());
  b.addCore({integrator(100, 10)});
  b.addPopulation("n", {{0, 0, 0, 1}});
  GoldenModel m = makeModel(b.build());
  EXPECT_EQ(spikeSteps(m, 30), (std::vector<uint32_t>{6, 14, 22}));
  EXPECT_EQ(m.counters().steps, 30u);
  EXPECT_EQ(m.counters().compartmentSpikes, 3u);
}

TEST(GoldenModelTest, RefractoryHoldsVoltageAtZero) {
  // As above with refractory 3: steps 7, 8, 9 are held at v = 0, so the
  // next spike is 6 + 3 + 7 = 16.
  imagegen::ImageBuilder b(test::loihi1());
  b.addCore({integrator(100, 10, 3)});
  b.addPopulation("n", {{0, 0, 0, 1}});
  GoldenModel m = makeModel(b.build());
  std::vector<int32_t> v;
  for (int t = 0; t < 10; ++t) {
    m.step();
    v.push_back(m.state(0, 0).v);
  }
  EXPECT_EQ(v,
            (std::vector<int32_t>{100, 200, 300, 400, 500, 600, 0, 0, 0, 0}));
  EXPECT_EQ(m.state(0, 0).refractoryLeft, 0);
  EXPECT_EQ(spikeSteps(m, 20), (std::vector<uint32_t>{16, 26}));
}

TEST(GoldenModelTest, ResetBySubtractionIsRejectedByLoihi1) {
  imagegen::ImageBuilder b(test::loihi1());
  chip::CompartmentParams p = integrator(100, 10);
  p.flags = chip::ResetBySubtraction;
  b.addCore({p});
  Result<GoldenModel> m = GoldenModel::create(b.build(), test::loihi1());
  ASSERT_FALSE(bool(m));
  EXPECT_NE(m.error().find("compartment 0"), std::string::npos) << m.error();
}

TEST(GoldenModelTest, SpikeWithDelayArrivesExactlyAtStepPlusDelay) {
  // A File spike at step 2 reaches the detector through a synapse of delay
  // d: q = 100 << 6 = 6400 > vth = 3200 exactly at step 2 + d.
  const uint32_t maxDelay = test::loihi1().synapse.maxDelay;
  for (uint32_t d : {1u, 2u, 7u, maxDelay}) {
    imagegen::ImageBuilder b(test::loihi1());
    b.addCore({detector(50)});
    const uint32_t axon = b.addInputAxon(0, {{0, 100, d}}, 7, 0, true);
    const uint32_t src = b.addSource(fileSource("in", 1, {{2, 0}}));
    b.addSourceTarget(src, 0, {0, axon});
    b.addPopulation("n", {{0, 0, 0, 1}});
    GoldenModel m = makeModel(b.build());
    EXPECT_EQ(spikeSteps(m, 2 + maxDelay + 5), (std::vector<uint32_t>{2 + d}))
        << "delay " << d;
  }
}

TEST(GoldenModelTest, ChainAcrossTwoCores) {
  // in@0 -(delay 1)-> a (core 0) fires at 1 -(delay 3)-> b (core 1) fires
  // at 4 -(delay 2)-> c (core 1, same core) fires at 6.
  imagegen::ImageBuilder b(test::loihi1());
  b.addCore({detector(50)});
  b.addCore({detector(50), detector(50)});
  const uint32_t a0 = b.addInputAxon(0, {{0, 100, 1}}, 7, 0, false);
  const uint32_t b0 = b.addInputAxon(1, {{0, 100, 3}}, 7, 0, true);
  const uint32_t c0 = b.addInputAxon(1, {{1, 100, 2}}, 7, 0, true);
  b.addOutput(0, 0, {1, b0});
  b.addOutput(1, 0, {1, c0});
  const uint32_t src = b.addSource(fileSource("in", 1, {{0, 0}}));
  b.addSourceTarget(src, 0, {0, a0});
  b.addPopulation("a", {{0, 0, 0, 1}});
  b.addPopulation("bc", {{1, 0, 0, 2}});
  GoldenModel m = makeModel(b.build());
  std::vector<std::pair<uint32_t, NeuronSpike>> seen;
  std::vector<NeuronSpike> spikes;
  for (uint32_t t = 0; t < 10; ++t) {
    m.step();
    m.lastSpikes(spikes);
    for (const NeuronSpike &s : spikes)
      seen.push_back({t, s});
  }
  const std::vector<std::pair<uint32_t, NeuronSpike>> expected = {
      {1, {0, 0}}, {4, {1, 0}}, {6, {1, 1}}};
  EXPECT_EQ(seen, expected);
  const emulator::Counters &c = m.counters();
  EXPECT_EQ(c.synapticEvents, 3u);
  EXPECT_EQ(c.axonEvents, 3u); // the source channel and two output axons
  EXPECT_EQ(c.sourceSpikes, 1u);
  EXPECT_EQ(m.coreCounters()[1].synapticEvents, 2u);
  EXPECT_EQ(m.coreCounters()[1].compartmentSpikes, 2u);
}

TEST(GoldenModelTest, EffectiveWeightUsesExponentAndRoundsTowardZero) {
  // With decayU = max, u after the arrival step is exactly q: mantissa 5
  // at exponent -8 is 5 >> 2 = 1; -7 at -7 is -(7 >> 1) = -3; 3 at 2 is
  // 3 << 8 = 768. The three synapses on one compartment sum to 766.
  imagegen::ImageBuilder b(test::loihi1());
  b.addCore(
      {detector(100000), detector(100000), detector(100000), detector(100000)});
  const uint32_t x = b.addInputAxon(0, {{0, 5, 1}}, 3, -8, false);
  const uint32_t y = b.addInputAxon(0, {{1, -7, 1}}, 3, -7, false);
  const uint32_t z = b.addInputAxon(0, {{2, 3, 1}}, 3, 2, false);
  const uint32_t w =
      b.addInputAxon(0, {{3, 5, 1}, {3, 3, 1}, {3, -2, 1}}, 3, 2, false);
  const uint32_t src = b.addSource(fileSource("in", 1, {{0, 0}}));
  for (uint32_t axon : {x, y, z, w})
    b.addSourceTarget(src, 0, {0, axon});
  b.addPopulation("n", {{0, 0, 0, 4}});
  GoldenModel m = makeModel(b.build());
  m.run(2);
  EXPECT_EQ(m.state(0, 0).u, 1);
  EXPECT_EQ(m.state(0, 1).u, -3);
  EXPECT_EQ(m.state(0, 2).u, 768);
  EXPECT_EQ(m.state(0, 3).u, (5 + 3 - 2) << 8);
}

TEST(GoldenModelTest, PeriodicSourceFiresEveryPeriodFromPhase) {
  imagegen::ImageBuilder b(test::loihi1());
  b.addCore({detector(50)});
  const uint32_t axon = b.addInputAxon(0, {{0, 100, 1}}, 7, 0, false);
  chip::Source s;
  s.name = "clock";
  s.kind = chip::SourceKind::Periodic;
  s.size = 3;
  s.period = 4;
  s.phase = 2;
  const uint32_t src = b.addSource(s);
  b.addSourceTarget(src, 1, {0, axon});
  b.addPopulation("n", {{0, 0, 0, 1}});
  GoldenModel m = makeModel(b.build());
  std::vector<uint32_t> fired;
  for (uint32_t t = 0; t < 12; ++t) {
    m.step();
    const auto &events = m.lastSourceSpikes();
    if (events.empty())
      continue;
    fired.push_back(t);
    EXPECT_EQ(events, (std::vector<SourceSpikeEvent>{{0, 0}, {0, 1}, {0, 2}}));
  }
  EXPECT_EQ(fired, (std::vector<uint32_t>{2, 6, 10}));
  // Channel 1 drives the neuron one step later.
  GoldenModel again = makeModel(b.build());
  EXPECT_EQ(spikeSteps(again, 12), (std::vector<uint32_t>{3, 7, 11}));
}

TEST(GoldenModelTest, FileSourceEmitsListedSpikes) {
  imagegen::ImageBuilder b(test::loihi1());
  b.addCore({detector(50), detector(50)});
  const uint32_t a0 = b.addInputAxon(0, {{0, 100, 1}}, 7, 0, false);
  const uint32_t a1 = b.addInputAxon(0, {{1, 100, 4}}, 7, 0, true);
  const uint32_t src =
      b.addSource(fileSource("stim", 2, {{0, 1}, {3, 0}, {3, 1}, {9, 0}}));
  b.addSourceTarget(src, 0, {0, a0});
  b.addSourceTarget(src, 1, {0, a1});
  b.addPopulation("n", {{0, 0, 0, 2}});
  GoldenModel m = makeModel(b.build());
  EXPECT_EQ(spikeSteps(m, 12, 0, 0), (std::vector<uint32_t>{4, 10}));
  GoldenModel m2 = makeModel(b.build());
  EXPECT_EQ(spikeSteps(m2, 12, 0, 1), (std::vector<uint32_t>{4, 7}));
  EXPECT_EQ(m2.counters().sourceSpikes, 4u);
}

TEST(GoldenModelTest, PoissonSourceFollowsTheSharedHash) {
  imagegen::ImageBuilder b(test::loihi1());
  b.addCore({detector(50)});
  chip::Source s;
  s.name = "noise";
  s.kind = chip::SourceKind::Poisson;
  s.size = 16;
  s.seed = 12345;
  s.probability = 1u << 30; // 1/4 per step
  b.addSource(s);
  GoldenModel m = makeModel(b.build());
  uint64_t count = 0;
  for (uint32_t t = 0; t < 200; ++t) {
    m.step();
    std::vector<SourceSpikeEvent> expected;
    for (uint32_t i = 0; i < s.size; ++i)
      if (chip::poissonFires(s.seed, s.probability, t, i))
        expected.push_back({0, i});
    ASSERT_EQ(m.lastSourceSpikes(), expected) << "step " << t;
    count += expected.size();
  }
  EXPECT_GT(count, 600u); // about 800 expected of 3200 draws
  EXPECT_LT(count, 1000u);
}

TEST(GoldenModelTest, PoissonGroupDeliversEverySpikeOfItsCount) {
  // u forgets each step, so after step t it is the weight (3 << 8 = 768)
  // times the number of spikes the channel sent at step t - 1.
  imagegen::ImageBuilder b(test::loihi1());
  b.addCore({detector(100000), detector(100000), detector(100000)});
  chip::Source s;
  s.name = "background";
  s.kind = chip::SourceKind::PoissonGroup;
  s.size = 3;
  s.seed = 77;
  s.probability = chip::poissonGroupThreshold(2.5);
  const uint32_t src = b.addSource(s);
  for (uint32_t i = 0; i < s.size; ++i)
    b.addSourceTarget(src, i, {0, b.addInputAxon(0, {{i, 3, 1}}, 3, 2, false)});
  b.addPopulation("n", {{0, 0, 0, 3}});
  GoldenModel m = makeModel(b.build());
  uint64_t sent = 0;
  uint32_t severalInOneStep = 0;
  std::vector<uint32_t> previous(s.size, 0);
  for (uint32_t t = 0; t < 300; ++t) {
    m.step();
    std::vector<SourceSpikeEvent> expected;
    for (uint32_t i = 0; i < s.size; ++i) {
      ASSERT_EQ(m.state(0, i).u, 768 * int64_t(previous[i]))
          << "step " << t << ", channel " << i;
      previous[i] = chip::poissonGroupCount(s.seed, s.probability, t, i);
      expected.insert(expected.end(), previous[i], SourceSpikeEvent{0, i});
      sent += previous[i];
      severalInOneStep += previous[i] > 1;
    }
    ASSERT_EQ(m.lastSourceSpikes(), expected) << "step " << t;
  }
  EXPECT_GT(severalInOneStep, 300u); // about 640 of 900 draws
  EXPECT_NEAR(double(sent), 2.5 * 900, 5 * std::sqrt(2.5 * 900));
  EXPECT_EQ(m.counters().sourceSpikes, sent);
  EXPECT_EQ(m.counters().synapticEvents, sent);
}

TEST(GoldenModelTest, LargePoissonGroupsDrawTheSharedCountsOnAnyThreads) {
  // Thousands of channels: the golden model draws them in blocks, on
  // threads when there are several; the spikes must be chip's, in channel
  // order, a channel once per spike (means up to 9: counts above 4 too).
  imagegen::ImageBuilder b(test::loihi1());
  b.addCore({detector(100000)});
  const uint32_t axon = b.addInputAxon(0, {{0, 1, 1}}, 7, 0, false);
  for (double mean : {0.3, 2.0, 9.0}) {
    chip::Source s;
    s.name = "g" + std::to_string(b.build().sources.size());
    s.kind = chip::SourceKind::PoissonGroup;
    s.size = 3001;
    s.seed = uint64_t(mean * 1000);
    s.probability = chip::poissonGroupThreshold(mean);
    const uint32_t src = b.addSource(s);
    b.addSourceTarget(src, 7, {0, axon});
  }
  b.addPopulation("n", {{0, 0, 0, 1}});
  const chip::Image image = b.build();
  for (uint32_t threads : {1u, 2u, 3u}) {
    golden::ModelOptions options;
    options.threads = threads;
    Result<GoldenModel> m = GoldenModel::create(image, test::loihi1(), options);
    ASSERT_TRUE(bool(m)) << m.error();
    for (uint32_t t = 0; t < 5; ++t) {
      m->step();
      std::vector<SourceSpikeEvent> expected;
      for (uint32_t k = 0; k < image.sources.size(); ++k) {
        std::vector<uint32_t> channels;
        chip::firingChannels(image.sources[k], t, channels);
        for (uint32_t i : channels)
          expected.push_back({k, i});
      }
      ASSERT_EQ(m->lastSourceSpikes(), expected)
          << threads << " threads, step " << t;
    }
  }
}

TEST(GoldenModelTest, ExternalSpikesAreDeliveredAndChecked) {
  imagegen::ImageBuilder b(test::loihi1());
  b.addCore({detector(50)});
  const uint32_t axon = b.addInputAxon(0, {{0, 100, 2}}, 7, 0, true);
  chip::Source s;
  s.name = "ext";
  s.kind = chip::SourceKind::External;
  s.size = 2;
  const uint32_t src = b.addSource(s);
  b.addSourceTarget(src, 1, {0, axon});
  b.addPopulation("n", {{0, 0, 0, 1}});
  GoldenModel m = makeModel(b.build());
  const uint32_t ext = m.nodes().sourceNode(0);
  ASSERT_TRUE(
      bool(m.setExternalSpikes({{5, ext, 1}, {1, ext, 0}, {8, ext, 1}})));
  EXPECT_EQ(spikeSteps(m, 12), (std::vector<uint32_t>{7, 10}));

  Status bad = m.setExternalSpikes({{1, ext, 2}});
  ASSERT_FALSE(bool(bad));
  EXPECT_NE(bad.error().find("index 2 of \"ext\" out of range (size 2)"),
            std::string::npos)
      << bad.error();
  bad = m.setExternalSpikes({{1, m.nodes().populationNode(0), 0}});
  ASSERT_FALSE(bool(bad));
  EXPECT_NE(bad.error().find("\"n\" is not an external source"),
            std::string::npos)
      << bad.error();
}

TEST(GoldenModelTest, ProfileMismatchIsAnError) {
  imagegen::ImageBuilder b(test::loihi1());
  b.addCore({detector(50)});
  chip::Image image = b.build();
  image.profileFingerprint ^= 1;
  Result<GoldenModel> m = GoldenModel::create(image, test::loihi1());
  ASSERT_FALSE(bool(m));
  EXPECT_NE(m.error().find("profile"), std::string::npos) << m.error();
}

TEST(GoldenModelTest, IdleCompartmentsAreSkippedAndCounted) {
  // Two silent compartments without bias stay idle; the biased one is
  // updated every step.
  imagegen::ImageBuilder b(test::loihi1());
  b.addCore({detector(50), integrator(1, 1000), detector(50)});
  GoldenModel m = makeModel(b.build());
  m.run(10);
  EXPECT_EQ(m.counters().activeUpdates, 10u);
  EXPECT_EQ(m.counters().idleUpdates, 20u);
  EXPECT_EQ(m.compartmentState(1).v, 10);
}

} // namespace

namespace {
/// Compartments driven to the ends of v's range by their bias alone:
/// `copies` identical ones (a uniform run) and a few varied.
std::vector<chip::CompartmentParams> extremeCompartments(uint32_t copies) {
  const chip::NeuronFormat &f = test::loihi1().neuron;
  chip::CompartmentParams down; // v falls by 4095 * 2^7 per step to vmin
  down.decayU = 0;
  down.decayV = 0;
  down.biasMantissa = -int16_t(f.biasMantissaMax);
  down.biasExponent = uint8_t(f.biasExponentMax);
  down.vminExponent = uint8_t(f.vminExponentMax); // vmin = -2^31 + 1
  down.vmaxExponent = uint8_t(f.vmaxExponentMax);
  down.thresholdMantissa = 1;
  std::vector<chip::CompartmentParams> all(copies, down);
  for (uint16_t k = 0; k < 24; ++k) {
    chip::CompartmentParams p = down;
    p.decayV = uint16_t(k % 3);   // 0: no decay; 1, 2: close to vmin
    p.decayU = uint16_t(k * 170); // u stays 0 (no input) whatever it is
    if (k % 4 == 3) {             // up to vmax instead, never spiking
      p.biasMantissa = int16_t(f.biasMantissaMax);
      p.flags = chip::NoSpike;
    }
    all.push_back(p);
  }
  return all;
}
} // namespace

TEST(GoldenModelTest, VoltageClipsAtFullRangeInEveryLoopVariant) {
  // With vmin = -2^31 + 1, v + u + bias passes below INT32_MIN: the 32-bit
  // loops must still give vmin, as chip::updateCompartment does in int64.
  // v reaches vmin after 2^31 / (4095 * 128) ~ 4097 steps.
  imagegen::ImageBuilder b(test::loihi1());
  const std::vector<chip::CompartmentParams> params = extremeCompartments(80);
  b.addCore(params);
  const chip::Image image = b.build();
  constexpr uint32_t steps = 4200;
  for (golden::Isa isa :
       {golden::Isa::Generic, golden::Isa::Avx2, golden::Isa::Avx512}) {
    if (!GoldenModel::isaAvailable(isa))
      continue;
    for (bool wide : {false, true}) {
      SCOPED_TRACE(std::string(golden::isaName(isa)) + (wide ? " wide" : ""));
      golden::ModelOptions options;
      options.isa = isa;
      options.wideArithmetic = wide;
      Result<GoldenModel> m =
          GoldenModel::create(image, test::loihi1(), options);
      ASSERT_TRUE(bool(m)) << m.error();
      EXPECT_EQ(m->compartmentsIn32BitLanes(), wide ? 0u : params.size());
      std::vector<chip::CompartmentState> expected(params.size());
      for (uint32_t t = 0; t < steps; ++t) {
        m->step();
        for (uint32_t c = 0; c < params.size(); ++c) {
          chip::updateCompartment(expected[c], params[c], 0,
                                  test::loihi1().neuron);
          ASSERT_EQ(m->compartmentState(c), expected[c])
              << "step " << t << ", compartment " << c;
        }
      }
      EXPECT_EQ(expected[0].v, chip::vminValue(params[0]));
    }
  }
}

namespace {
/// One core of `params`, each starting in `start` (its initial state
/// words), stepped `steps` times in every loop variant: each step's state
/// must equal chip::updateCompartment's. Returns the states after them.
std::vector<chip::CompartmentState>
stepLikeUpdateCompartment(const std::vector<chip::CompartmentParams> &params,
                          const chip::CompartmentState &start, uint32_t steps) {
  imagegen::ImageBuilder b(test::loihi1());
  b.addCore(params);
  chip::Image image = b.build();
  chip::Core &core = image.cores[0];
  core.initialBegin.clear();
  for (uint32_t c = 0; c <= params.size(); ++c)
    core.initialBegin.push_back(3 * c);
  for (uint32_t c = 0; c < params.size(); ++c)
    core.initialWords.insert(core.initialWords.end(),
                             {start.u, start.v, start.refractoryLeft});
  std::vector<chip::CompartmentState> now(params.size(), start);
  for (golden::Isa isa :
       {golden::Isa::Generic, golden::Isa::Avx2, golden::Isa::Avx512}) {
    if (!GoldenModel::isaAvailable(isa))
      continue;
    SCOPED_TRACE(golden::isaName(isa));
    golden::ModelOptions options;
    options.isa = isa;
    Result<GoldenModel> m = GoldenModel::create(image, test::loihi1(), options);
    EXPECT_TRUE(bool(m)) << m.error();
    if (!m)
      continue;
    EXPECT_EQ(m->compartmentsIn32BitLanes(), params.size());
    now.assign(params.size(), start);
    for (uint32_t t = 0; t < steps; ++t) {
      m->step();
      for (uint32_t c = 0; c < params.size(); ++c) {
        chip::updateCompartment(now[c], params[c], 0, test::loihi1().neuron);
        if (!(m->compartmentState(c) == now[c])) {
          ADD_FAILURE() << "step " << t << ", compartment " << c;
          return now;
        }
      }
    }
  }
  return now;
}
} // namespace

TEST(GoldenModelTest, AStartFarBeyondVmaxDecaysExactlyInEveryLoopVariant) {
  // v keeps 1/4096 of itself per step: for |v| up to 2^17 - 1 (vmin and
  // vmax) the hand-written loops' one-product decay is exact (|v| * 4095 fits
  // 31 bits), but these neurons start at v = 2^28 (their initial state
  // words), where it is not: the model must see that and decay as
  // chip::updateCompartment does, to 2^16, inside the range.
  chip::CompartmentParams leaky;
  leaky.decayV = 4095;
  leaky.vminExponent = 17; // vmin = -2^17 + 1
  leaky.vmaxExponent = 4;  // vmax = 2^(9 + 8) - 1
  leaky.flags = chip::NoSpike;
  const std::vector<chip::CompartmentParams> params(80, leaky);
  const chip::CompartmentState start{0, int32_t(1) << 28, 0};
  const std::vector<chip::CompartmentState> after =
      stepLikeUpdateCompartment(params, start, 1);
  EXPECT_EQ(after[0].v, 1 << 16);
  stepLikeUpdateCompartment(params, start, 3);
}

TEST(GoldenModelTest, ALeakTooSlowForItsDriveStillClipsAtVmin) {
  // v leaks by 4/4096 per step, too little against u = -2^23 (the initial
  // state words) and the strongest negative bias: it falls to vmin =
  // -2^31 + 1 within 300 steps, where v + u + bias passes INT32_MIN. The
  // AVX-512 and AVX2 loops may leave that check out only for a leak that holds
  // v far enough above (Loader::provenFolds); this one must keep it.
  const chip::NeuronFormat &f = test::loihi1().neuron;
  chip::CompartmentParams sinking;
  sinking.decayU = 0;
  sinking.decayV = 4;
  sinking.biasMantissa = -int16_t(f.biasMantissaMax);
  sinking.biasExponent = uint8_t(f.biasExponentMax);
  sinking.vminExponent = uint8_t(f.vminExponentMax); // vmin = -2^31 + 1
  sinking.flags = chip::NoSpike;
  const std::vector<chip::CompartmentParams> params(80, sinking);
  const std::vector<chip::CompartmentState> after =
      stepLikeUpdateCompartment(params, {-(int32_t(1) << 23), 0, 0}, 300);
  EXPECT_EQ(after[0].v, chip::vminValue(params[0]));
}

TEST(GoldenModelTest, PopulationSpikesComeInNeuronOrderWhereverNeuronsSit) {
  // Two populations whose slices run backwards over six cores of 1,000
  // compartments, 50 compartments in none: the compartment order is not
  // the neuron order, and the 5,950 neurons need more than 4,096 bits
  // (lastSpikes sorts with a bitmap and a bitmap of its words). Biases
  // 20..116 with threshold 640 make a different subset fire every step.
  imagegen::ImageBuilder b(test::loihi1());
  for (uint32_t c = 0; c < 6; ++c) {
    std::vector<chip::CompartmentParams> comps;
    for (uint32_t i = 0; i < 1000; ++i)
      comps.push_back(integrator(int16_t(20 + (c * 1000 + i) * 31 % 97), 10));
    b.addCore(comps);
  }
  b.addPopulation("a", {{5, 0, 0, 1000},
                        {3, 0, 1000, 1000},
                        {1, 0, 2000, 1000},
                        {0, 900, 3000, 100}});
  b.addPopulation("b", {{0, 0, 0, 850}, {4, 0, 850, 1000}, {2, 0, 1850, 1000}});
  GoldenModel m = makeModel(b.build());
  // The answer from the compartments that fired, sorted.
  std::map<uint32_t, NeuronSpike> neuronAt;
  for (uint32_t p = 0; p < 2; ++p)
    for (uint32_t n = 0; n < m.populationSize(p); ++n)
      neuronAt[m.compartmentOf(p, n)] = {p, n};
  const auto byNeuron = [](const NeuronSpike &x, const NeuronSpike &y) {
    return std::make_pair(x.population, x.neuron) <
           std::make_pair(y.population, y.neuron);
  };
  std::vector<NeuronSpike> spikes, expected;
  uint64_t total = 0, stepsWithBoth = 0;
  for (uint32_t t = 0; t < 60; ++t) {
    m.step();
    m.lastSpikes(spikes);
    expected.clear();
    for (uint32_t g : m.lastSpikingCompartments())
      if (auto it = neuronAt.find(g); it != neuronAt.end())
        expected.push_back(it->second);
    std::sort(expected.begin(), expected.end(), byNeuron);
    ASSERT_EQ(spikes, expected) << "step " << t;
    total += spikes.size();
    // Flat neurons 0..3099 are a's, 3100.. b's: both bitmap halves used.
    stepsWithBoth += !spikes.empty() && spikes.front().population == 0 &&
                     spikes.back().population == 1 &&
                     spikes.back().neuron >= 4096 - 3100;
  }
  EXPECT_GT(total, 20000u) << "the neurons hardly fire: the test is weak";
  EXPECT_GT(stepsWithBoth, 10u);
}

/// An image where 129 source channels, all firing at step 0, reach
/// compartment i (one per entry of `lasts`) with mantissas 255 (128 of
/// them) and lasts[i], negated for odd i: compartment i receives at most
/// 255 * 128 + lasts[i] weight units (2^6: loihi1's weight shift) in a
/// step.
static chip::Image fanInImage(const std::vector<int32_t> &lasts) {
  imagegen::ImageBuilder b(test::loihi1());
  b.addCore(std::vector<chip::CompartmentParams>(lasts.size(), detector(1)));
  std::vector<chip::SourceSpike> spikes;
  for (uint32_t ch = 0; ch < 129; ++ch)
    spikes.push_back({0, ch});
  const uint32_t src = b.addSource(fileSource("in", 129, spikes));
  for (uint32_t ch = 0; ch < 129; ++ch) {
    std::vector<chip::Synapse> synapses;
    for (uint32_t i = 0; i < lasts.size(); ++i) {
      const int32_t m = ch < 128 ? 255 : lasts[i];
      synapses.push_back({i, i % 2 ? -m : m, 1});
    }
    b.addSourceTarget(src, ch, {0, b.addInputAxon(0, synapses, 8, 0, false)});
  }
  b.addPopulation("n", {{0, 0, 0, uint32_t(lasts.size())}});
  return b.build();
}

TEST(GoldenModelTest, Int16AccumulatorsOnlyWhereEveryStepsInputFits) {
  // 255 * 128 + 127 = 32767 units fit int16 (the accumulators count units
  // of 2^6, every weight's factor); 32768 do not.
  for (const int32_t last : {127, 128}) {
    SCOPED_TRACE("last mantissa " + std::to_string(last));
    const chip::Image image = fanInImage({last, last});
    GoldenModel m = makeModel(image);
    golden::ModelOptions options;
    options.narrowAccumulators = false;
    Result<GoldenModel> int32 =
        GoldenModel::create(image, test::loihi1(), options);
    ASSERT_TRUE(bool(int32));
    EXPECT_EQ(m.accumulatorBits(), last == 127 ? 16u : 32u);
    EXPECT_EQ(m.accumulatorShift(), last == 127 ? 6u : 0u);
    EXPECT_EQ(int32->accumulatorBits(), 32u);
    m.run(2);
    int32->run(2);
    // u of a detector is the step's input: the whole sum arrived at step 1
    // (clipped to the accumulator's range: 2^21 - 1 on loihi1).
    const int32_t limit =
        (int32_t(1) << test::loihi1().neuron.accumulatorBits) - 1;
    const int32_t sum = std::min((255 * 128 + last) << 6, limit);
    EXPECT_EQ(m.state(0, 0).u, sum);
    EXPECT_EQ(m.state(0, 1).u, -sum);
    EXPECT_EQ(int32->state(0, 0).u, sum);
    EXPECT_EQ(int32->state(0, 1).u, -sum);
  }
}

// From ModelOptions::splitBoundsFrom synapses, the load threads sum the
// input bounds each into its own range of compartments: every compartment
// must be counted, and once, whichever range it falls in. Seven
// compartments at int16's limit (255 * 128 + 127 units, every other one
// negative), or one of them a unit past it.
TEST(GoldenModelTest, SplitInputBoundsCountEveryCompartmentOnce) {
  for (const uint32_t threads : {1u, 2u, 3u, 4u})
    for (int past = -1; past < 7; ++past) {
      SCOPED_TRACE(std::to_string(threads) + " threads, compartment " +
                   std::to_string(past) + " past the limit");
      std::vector<int32_t> lasts(7, 127);
      if (past >= 0)
        lasts[size_t(past)] = 128;
      golden::ModelOptions options;
      options.threads = threads;
      if (threads > 1)
        options.splitBoundsFrom = 0;
      Result<GoldenModel> m =
          GoldenModel::create(fanInImage(lasts), test::loihi1(), options);
      ASSERT_TRUE(bool(m)) << m.error();
      EXPECT_EQ(m->accumulatorBits(), past < 0 ? 16u : 32u);
    }
}

TEST(GoldenModelTest, NegativeInputIsScaledExactlyInEveryLoopVariant) {
  // Compartment 1 receives -(255 * 128 + 127) units of 2^6: with int16
  // accumulators the loops scale a negative accumulator by 2^6, with int32
  // ones by 1. The scaling of a negative value must be well defined (no
  // left shift of a negative number: UBSan checks it in the sanitizer
  // build) and exact in every instruction set and lane width.
  const chip::Image image = fanInImage({127, 127});
  const int32_t sum = (255 * 128 + 127) << 6;
  for (golden::Isa isa :
       {golden::Isa::Generic, golden::Isa::Avx2, golden::Isa::Avx512}) {
    if (!GoldenModel::isaAvailable(isa))
      continue;
    for (const bool wide : {false, true})
      for (const bool narrow : {false, true}) {
        SCOPED_TRACE(std::string(golden::isaName(isa)) + (wide ? " wide" : "") +
                     (narrow ? " int16" : " int32"));
        golden::ModelOptions options;
        options.isa = isa;
        options.wideArithmetic = wide;
        options.narrowAccumulators = narrow;
        Result<GoldenModel> m =
            GoldenModel::create(image, test::loihi1(), options);
        ASSERT_TRUE(bool(m)) << m.error();
        // Wide (64-bit) lanes keep int32 accumulators.
        EXPECT_EQ(m->accumulatorShift(), narrow && !wide ? 6u : 0u);
        m->run(2);
        EXPECT_EQ(m->state(0, 0).u, sum);
        EXPECT_EQ(m->state(0, 1).u, -sum);
      }
  }
}
