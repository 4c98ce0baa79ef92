//===- ReferenceEngineTest.cpp - Hand-made images with known answers ------===//
//
// Tiny images whose spikes, states and counts follow by hand from
// docs/neuron-model.md (worked out in the comments): the time-step contract
// (a spike of step t arrives at step t + delay), the programs and words each
// compartment gets at load, external input and its errors, and the images
// the engine refuses.
//
//===----------------------------------------------------------------------===//
#include "ReferenceTestUtil.h"

#include "cajal/Chip/StandardPrograms.h"
#include "cajal/ImageGen/ImageBuilder.h"
#include "cajal/Reference/ReferenceEngine.h"

#include <gtest/gtest.h>

using namespace cajal;
using reference::ReferenceEngine;

namespace {

/// u and v forget everything each step (decayU = max gives u = q; decayV =
/// max keeps |v| / 4096): v = q + bias of this step, nearly.
chip::CompartmentParams detector(uint32_t thresholdMantissa,
                                 uint8_t flags = 0) {
  chip::CompartmentParams p;
  p.decayU = uint16_t((1u << reftest::loihi1().neuron.decayBits) - 1);
  p.decayV = p.decayU;
  p.thresholdMantissa = thresholdMantissa;
  p.refractory = 1;
  p.vmaxExponent = 7;
  p.vminExponent = 20;
  p.flags = flags;
  return p;
}

ReferenceEngine makeEngine(const chip::Image &image,
                           const chip::Profile &profile = reftest::loihi1()) {
  Result<ReferenceEngine> e = ReferenceEngine::create(image, profile);
  EXPECT_TRUE(bool(e)) << (e ? "" : e.error());
  return std::move(*e);
}

/// A File source fires at step 2 into detector A (core 0, weight 100 << 6 =
/// 6400, delay 1); A (threshold 1 << 6 = 64) fires at step 3 and sends to
/// B (core 1, NoSpike, weight 5 << 6 = 320, delay 7), whose u is q: 320 at
/// step 10, 0 at every other step.
chip::Image delayChain() {
  imagegen::ImageBuilder b(reftest::loihi1());
  const uint32_t a = b.addCore({detector(1)});
  const uint32_t bCore = b.addCore({detector(1, chip::NoSpike)});
  b.addInputAxon(a, {{0, 100, 1}}, 8, 0, false);
  b.addInputAxon(bCore, {{0, 5, 7}}, 8, 0, true);
  b.addOutput(a, 0, {bCore, 0});
  chip::Source kick;
  kick.name = "kick";
  kick.kind = chip::SourceKind::File;
  kick.size = 1;
  kick.spikes = {{2, 0}};
  b.addSourceTarget(b.addSource(kick), 0, {a, 0});
  b.addPopulation("a", {{a, 0, 0, 1}});
  b.addPopulation("b", {{bCore, 0, 0, 1}});
  return b.build();
}

TEST(ReferenceEngineTest, SpikeOfStepTArrivesAtStepTPlusDelay) {
  ReferenceEngine e = makeEngine(delayChain());
  const uint32_t b = e.compartmentOf(1, 0);
  std::vector<reference::NeuronSpike> spikes;
  for (uint32_t t = 0; t < 20; ++t) {
    e.step();
    e.lastSpikes(spikes);
    if (t == 3)
      EXPECT_EQ(spikes, std::vector<reference::NeuronSpike>({{0, 0}}));
    else
      EXPECT_TRUE(spikes.empty()) << "step " << t;
    EXPECT_EQ(e.lastSourceSpikes().size(), t == 2 ? 1u : 0u) << "step " << t;
    EXPECT_EQ(e.stateWords(b)[0], t == 10 ? 320 : 0) << "step " << t;
    EXPECT_EQ(e.state(1, 0).u, t == 10 ? 320 : 0) << "step " << t;
  }
}

TEST(ReferenceEngineTest, CountsEveryEvent) {
  // A is updated at step 3 (q = 6400) and 4 (u = 6400, refractory 1), B at
  // steps 10 (q = 320) and 11 (u = v = 320); every other update is idle.
  ReferenceEngine e = makeEngine(delayChain());
  e.run(20);
  const reference::Counters &c = e.counters();
  EXPECT_EQ(c.steps, 20u);
  EXPECT_EQ(c.compartmentSpikes, 1u);
  EXPECT_EQ(c.sourceSpikes, 1u);
  EXPECT_EQ(c.axonEvents, 2u);
  EXPECT_EQ(c.synapticEvents, 2u);
  EXPECT_EQ(c.activeUpdates, 4u);
  EXPECT_EQ(c.idleUpdates, 36u);
  ASSERT_EQ(e.coreCounters().size(), 2u);
  for (const reference::CoreCounters &core : e.coreCounters()) {
    EXPECT_EQ(core.axonEventsIn, 1u);
    EXPECT_EQ(core.synapticEvents, 1u);
    EXPECT_EQ(core.activeUpdates, 2u);
    EXPECT_EQ(core.idleUpdates, 18u);
  }
  EXPECT_EQ(e.coreCounters()[0].compartmentSpikes, 1u);
  EXPECT_EQ(e.coreCounters()[1].compartmentSpikes, 0u);
}

TEST(ReferenceEngineTest, EachCompartmentRunsTheProgramItsRecordAsksFor) {
  const chip::Profile profile = reftest::subtractingProfile();
  const std::vector<chip::CompartmentParams> records = {
      detector(5), detector(6, chip::ResetBySubtraction),
      detector(7, chip::NoSpike), detector(8)};
  imagegen::ImageBuilder b(profile);
  b.addCore(records);
  ReferenceEngine e = makeEngine(b.build(), profile);
  const chip::LifReset resets[] = {
      chip::LifReset::Zero, chip::LifReset::Subtract, chip::LifReset::NoSpike,
      chip::LifReset::Zero};
  for (uint32_t g = 0; g < records.size(); ++g) {
    EXPECT_EQ(e.program(g), chip::lifProgram(profile.neuron, resets[g]))
        << "compartment " << g;
    EXPECT_EQ(e.paramWords(g), chip::lifParamWords(records[g], profile.neuron))
        << "compartment " << g;
    EXPECT_EQ(e.stateWords(g), std::vector<int32_t>(3, 0))
        << "compartment " << g;
  }
  // Built once per variant: compartments of one variant share it.
  EXPECT_EQ(&e.program(0), &e.program(3));
}

/// One External source "ext" of 3 channels and one File source "file",
/// both into a detector that fires on any spike.
chip::Image externalInput() {
  imagegen::ImageBuilder b(reftest::loihi1());
  const uint32_t core = b.addCore({detector(1)});
  b.addInputAxon(core, {{0, 100, 1}}, 8, 0, false);
  chip::Source ext;
  ext.name = "ext";
  ext.kind = chip::SourceKind::External;
  ext.size = 3;
  const uint32_t extSource = b.addSource(ext);
  for (uint32_t i = 0; i < 3; ++i)
    b.addSourceTarget(extSource, i, {core, 0});
  chip::Source file = ext;
  file.name = "file";
  file.kind = chip::SourceKind::File;
  b.addSource(file);
  b.addPopulation("n", {{core, 0, 0, 1}});
  return b.build();
}

TEST(ReferenceEngineTest, ExternalSpikesAreCheckedAsTheGoldenModelDoes) {
  ReferenceEngine e = makeEngine(externalInput());
  const spikeio::NodeTable &nodes = e.nodes();
  const uint32_t ext = *nodes.find("ext"), file = *nodes.find("file");
  const auto errorOf = [&](std::vector<spikeio::SpikeRecord> spikes) {
    Status s = e.setExternalSpikes(std::move(spikes));
    return s ? std::string() : s.error();
  };
  EXPECT_NE(errorOf({{0, nodes.size(), 0}}).find("no such node"),
            std::string::npos);
  EXPECT_NE(errorOf({{0, 0, 0}}).find("node \"n\" is not an external source"),
            std::string::npos);
  EXPECT_NE(errorOf({{0, file, 0}}).find("is not an external source"),
            std::string::npos);
  EXPECT_NE(errorOf({{4, ext, 3}}).find("index 3 of \"ext\" out of range"),
            std::string::npos);
  EXPECT_NE(errorOf({{1, ext, 2}, {1, ext, 2}}).find("given twice"),
            std::string::npos);
}

TEST(ReferenceEngineTest, ExternalSpikesFireAtTheirStepsAndCanBeReplaced) {
  ReferenceEngine e = makeEngine(externalInput());
  const uint32_t ext = *e.nodes().find("ext");
  ASSERT_TRUE(
      bool(e.setExternalSpikes({{5, ext, 0}, {1, ext, 2}, {1, ext, 0}})));
  const auto channelsOfStep = [&] {
    e.step();
    std::vector<uint32_t> channels;
    for (const reference::SourceSpikeEvent &s : e.lastSourceSpikes()) {
      EXPECT_EQ(s.source, 0u);
      channels.push_back(s.index);
    }
    return channels;
  };
  EXPECT_EQ(channelsOfStep(), std::vector<uint32_t>());
  EXPECT_EQ(channelsOfStep(), std::vector<uint32_t>({0, 2}));
  // The neuron hears them one step later.
  EXPECT_EQ(channelsOfStep(), std::vector<uint32_t>());
  EXPECT_EQ(e.lastSpikingCompartments(), std::vector<uint32_t>({0}));
  // Replaced at step 3: the spike of step 5 is gone, step 1 is past.
  ASSERT_TRUE(bool(e.setExternalSpikes({{1, ext, 1}, {4, ext, 1}})));
  EXPECT_EQ(channelsOfStep(), std::vector<uint32_t>());
  EXPECT_EQ(channelsOfStep(), std::vector<uint32_t>({1}));
  EXPECT_EQ(channelsOfStep(), std::vector<uint32_t>());
  EXPECT_EQ(e.counters().sourceSpikes, 3u);
}

TEST(ReferenceEngineTest, RefusesBadImages) {
  chip::Image badTarget = delayChain();
  badTarget.cores[0].outputAxons[0].core = 7;
  Result<ReferenceEngine> e =
      ReferenceEngine::create(badTarget, reftest::loihi1());
  ASSERT_FALSE(bool(e));
  EXPECT_NE(e.error().find("core 7"), std::string::npos) << e.error();

  // Two populations on one compartment: each neuron needs its own.
  chip::Image shared = delayChain();
  shared.populations[1].slices[0] = shared.populations[0].slices[0];
  e = ReferenceEngine::create(shared, reftest::loihi1());
  ASSERT_FALSE(bool(e));
  EXPECT_NE(e.error().find("population \"b\": neuron 0 uses compartment 0 of "
                           "core 0, already used"),
            std::string::npos)
      << e.error();

  // Reset by subtraction on a profile without it.
  chip::Image subtracting = delayChain();
  subtracting.cores[0].compartments[0].flags = chip::ResetBySubtraction;
  e = ReferenceEngine::create(subtracting, reftest::loihi1());
  ASSERT_FALSE(bool(e));
}

} // namespace
