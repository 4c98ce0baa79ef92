//===- CrossCheckTest.cpp - SystemC spikes equal golden spikes ------------===//
//
// Property test over seeded random multi-core images (tests/crosscheck
// RandomImage.h): every step, the SystemC model's spiking compartments and
// source spikes equal the golden model's; at the end, every counter and
// every compartment state are equal. Half of the seeds scatter the cores
// over the whole mesh (long multicast routes through many routers), and the
// seeds cycle through three profiles of the same mesh: loihi1, one with
// one-entry buffers and queues (back-pressure everywhere) and one with slow
// links; every fourth seed builds up to 16 larger cores. 200 seeds of 200
// steps in 20 tests of 10; each failure names its seed.
//
//===----------------------------------------------------------------------===//
#include "SystemCTestUtil.h"
#include "cajal/ImageGen/RandomImage.h"
#include "cajal/TestSupport/RandomRuns.h"

#include "cajal/Golden/GoldenModel.h"
#include "cajal/SystemC/SystemCEngine.h"

#include <gtest/gtest.h>

using namespace cajal;
using cajal::golden::GoldenModel;
using cajal::systemc::SystemCEngine;

namespace {

constexpr uint32_t kSteps = 200;
constexpr uint32_t kSeedsPerTest = 10;

chip::Profile variant(uint64_t seed) {
  chip::Profile p = sctest::loihi1();
  switch (seed % 3) {
  case 1: // back-pressure everywhere
    p.mesh.routerBufferDepth = 1;
    p.core.inputQueueDepth = 1;
    p.name = "loihi1-tight";
    break;
  case 2: // slow links and ejection
    p.mesh.linkPacketCycles = 3;
    p.cost.spikeInTileNs = 10;
    p.name = "loihi1-slow";
    break;
  default:
    break;
  }
  return p;
}

using test::giveExternalSpikes;

void expectCountersEqual(const emulator::Counters &g,
                         const emulator::Counters &s) {
  EXPECT_EQ(g.steps, s.steps);
  EXPECT_EQ(g.compartmentSpikes, s.compartmentSpikes);
  EXPECT_EQ(g.sourceSpikes, s.sourceSpikes);
  EXPECT_EQ(g.axonEvents, s.axonEvents);
  EXPECT_EQ(g.synapticEvents, s.synapticEvents);
  EXPECT_EQ(g.activeUpdates, s.activeUpdates);
  EXPECT_EQ(g.idleUpdates, s.idleUpdates);
}

void crossCheck(uint64_t seed) {
  SCOPED_TRACE("seed " + std::to_string(seed) +
               " (rerun: --gtest_filter=*CrossCheck*)");
  const chip::Profile profile = variant(seed);
  imagegen::RandomOptions o;
  o.seed = seed;
  o.steps = kSteps;
  if (seed % 4 == 3) { // larger cores, more of them
    o.maxCores = 16;
    o.maxCompartments = 160;
    o.maxInputAxons = 48;
  }
  imagegen::RandomNetwork net = imagegen::randomNetwork(profile, o);
  if (seed % 2 == 1)
    sctest::scatter(net.image, profile, seed);
  Result<GoldenModel> g = GoldenModel::create(net.image, profile);
  ASSERT_TRUE(bool(g)) << g.error();
  Result<SystemCEngine> s = SystemCEngine::create(net.image, profile);
  ASSERT_TRUE(bool(s)) << s.error();
  ASSERT_NO_FATAL_FAILURE(giveExternalSpikes(*g, net));
  ASSERT_NO_FATAL_FAILURE(giveExternalSpikes(*s, net));
  for (uint32_t t = 0; t < kSteps; ++t) {
    g->step();
    Status st = s->step();
    ASSERT_TRUE(bool(st)) << st.error();
    ASSERT_EQ(g->lastSpikingCompartments(), s->lastSpikingCompartments())
        << "step " << t;
    ASSERT_EQ(g->lastSourceSpikes(), s->lastSourceSpikes()) << "step " << t;
    ASSERT_GT(s->lastStepTiming().cycles, 0u);
  }
  expectCountersEqual(g->counters(), s->counters());
  ASSERT_EQ(g->coreCounters().size(), s->coreCounters().size());
  for (size_t c = 0; c < g->coreCounters().size(); ++c) {
    const emulator::CoreCounters &a = g->coreCounters()[c];
    const emulator::CoreCounters &b = s->coreCounters()[c];
    EXPECT_EQ(a.compartmentSpikes, b.compartmentSpikes) << "core " << c;
    EXPECT_EQ(a.axonEventsIn, b.axonEventsIn) << "core " << c;
    EXPECT_EQ(a.synapticEvents, b.synapticEvents) << "core " << c;
    EXPECT_EQ(a.activeUpdates, b.activeUpdates) << "core " << c;
    EXPECT_EQ(a.idleUpdates, b.idleUpdates) << "core " << c;
  }
  for (uint32_t c = 0; c < g->compartmentCount(); ++c)
    ASSERT_EQ(g->compartmentState(c), s->compartmentState(c))
        << "compartment " << c;
  std::vector<emulator::NeuronSpike> a, b;
  g->lastSpikes(a);
  s->lastSpikes(b);
  EXPECT_EQ(a, b);
}

class CrossCheck : public ::testing::TestWithParam<uint32_t> {};

TEST_P(CrossCheck, SpikesCountersAndStatesEqualGolden) {
  for (uint32_t k = 1; k <= kSeedsPerTest; ++k) {
    crossCheck(uint64_t(GetParam()) * kSeedsPerTest + k);
    if (HasFatalFailure())
      return;
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, CrossCheck, ::testing::Range(0u, 20u));

} // namespace
