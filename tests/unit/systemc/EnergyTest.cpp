//===- EnergyTest.cpp - Cycle and energy accounting with known counts -----===//
//
// Hand-made images whose event counts and cycle counts follow from the
// model (docs/emulator.md, docs/power.md) by hand: an idle step costs the
// barrier alone; N quiescent compartments cost N inactive updates; a spike
// from the host to a core three tiles east and two north costs 3 + 2 hops,
// one in-tile spike and S synaptic ops, and arrives after the sum of the
// latencies; a multicast shares its common path; 64 spikes to one core are
// limited by that core's synapse unit, or, when the synapse unit is fast,
// by the congested router. Energies must equal count x profile figure
// exactly.
//
//===----------------------------------------------------------------------===//
#include "SystemCTestUtil.h"

#include "cajal/Chip/StandardPrograms.h"
#include "cajal/ImageGen/ImageBuilder.h"

#include "cajal/SystemC/SystemCEngine.h"
#include "cajal/SystemC/Timing.h"

#include <gtest/gtest.h>

using namespace cajal;
using cajal::systemc::Limiter;
using cajal::systemc::PowerReport;
using cajal::systemc::SystemCEngine;
using cajal::systemc::Timing;

namespace {

/// Never spikes; inactive unless it gets input.
chip::CompartmentParams quiet() {
  chip::CompartmentParams p;
  p.thresholdMantissa = (1u << 17) - 1;
  p.vmaxExponent = 7;
  p.vminExponent = 20;
  return p;
}
/// Active every step (a bias), never spikes.
chip::CompartmentParams busy() {
  chip::CompartmentParams p = quiet();
  p.biasMantissa = 1;
  return p;
}

/// A host source firing on every channel at every step.
chip::Source everyStep(uint32_t channels) {
  chip::Source s;
  s.name = "clock";
  s.kind = chip::SourceKind::Periodic;
  s.size = channels;
  s.period = 1;
  return s;
}

std::vector<chip::Synapse> synapses(uint32_t n) {
  std::vector<chip::Synapse> syn(n);
  for (uint32_t i = 0; i < n; ++i)
    syn[i] = {0, 1, 1};
  return syn;
}

void place(chip::Image &img, uint32_t core, uint32_t x, uint32_t y) {
  img.cores[core].x = x;
  img.cores[core].y = y;
  img.cores[core].tileSlot = 0;
}

SystemCEngine makeEngine(const chip::Image &img, const chip::Profile &p) {
  Result<SystemCEngine> e = SystemCEngine::create(img, p);
  EXPECT_TRUE(bool(e)) << (e ? "" : e.error());
  return std::move(*e);
}

void runSteps(SystemCEngine &e, uint32_t n) {
  Status s = e.run(n);
  ASSERT_TRUE(bool(s)) << s.error();
}

/// Every dynamic energy equals its count times the profile figure.
void expectEnergyIsCountTimesFigure(const PowerReport &r,
                                    const chip::Profile &p) {
  const chip::CostTable &c = p.cost;
  EXPECT_EQ(r.energy.synapticOps,
            double(r.counts.synapticOps) * c.synapticOpPJ);
  // An active update of the LIF program costs chip::programCost of it.
  const double activePJ =
      chip::programCost(chip::lifProgram(p.neuron, chip::LifReset::Zero), p)
          .energyPJ;
  EXPECT_EQ(r.energy.activeUpdates, double(r.counts.activeUpdates) * activePJ);
  EXPECT_EQ(r.energy.inactiveUpdates,
            double(r.counts.inactiveUpdates) * c.neuronUpdateInactivePJ);
  EXPECT_EQ(r.energy.spikes, double(r.counts.spikes) * c.spikeInTilePJ);
  EXPECT_EQ(r.energy.hopsEastWest,
            double(r.counts.hopsEastWest) * c.hopEastWestPJ);
  EXPECT_EQ(r.energy.hopsNorthSouth,
            double(r.counts.hopsNorthSouth) * c.hopNorthSouthPJ);
  EXPECT_EQ(r.energy.barrier, double(r.counts.barrierTiles) * c.barrierTilePJ);
  EXPECT_DOUBLE_EQ(r.energy.staticEnergy,
                   c.staticPowerMW * r.chips * r.seconds * 1e9);
  EXPECT_DOUBLE_EQ(r.averagePowerMW, r.energy.total() * 1e-9 / r.seconds);
}

TEST(TimingTest, ProfileFiguresBecomeWholeCycles) {
  EXPECT_EQ(Timing::cyclesFor(3.5, 1e9), 4u);
  EXPECT_EQ(Timing::cyclesFor(4.1, 1e9), 5u);
  EXPECT_EQ(Timing::cyclesFor(2.0, 1e9), 2u);
  EXPECT_EQ(Timing::cyclesFor(0.0, 1e9), 0u);
  EXPECT_EQ(Timing::cyclesFor(3.5, 2e9), 7u);
  EXPECT_EQ(Timing::cyclesFor(0.1 * 3, 1e10), 3u); // 2.9999999999999996
  const chip::Profile &p = sctest::loihi1();
  EXPECT_EQ(p.mesh.routerBufferDepth, 8u);
  EXPECT_EQ(p.mesh.linkPacketCycles, 1u);
  EXPECT_EQ(p.core.inputQueueDepth, 16u);
  EXPECT_DOUBLE_EQ(p.cost.barrierTilePJ, 6.0);
  EXPECT_DOUBLE_EQ(p.cost.stepTimeoutNs, 1e7);
  const Timing t = systemc::timingFor(p);
  // The numbers docs/emulator.md lists for loihi1.
  EXPECT_EQ(t.synapticOpCycles, 4u);
  EXPECT_EQ(t.activeUpdateCycles, 9u);
  EXPECT_EQ(t.inactiveUpdateCycles, 6u);
  EXPECT_EQ(t.spikeInTileCycles, 3u);
  EXPECT_EQ(t.hopEastWestCycles, 5u);
  EXPECT_EQ(t.hopNorthSouthCycles, 7u);
  EXPECT_EQ(t.barrierCycles(1), 113u);
  EXPECT_EQ(t.barrierCycles(32), 465u);
  EXPECT_EQ(t.barrierCycles(3), 136u);  // 113 + 352 * 2 / 31 = 135.7
  EXPECT_EQ(t.barrierCycles(63), 817u); // extrapolated: 113 + 352 * 62 / 31
}

TEST(EnergyTest, IdleStepCostsExactlyTheBarrier) {
  const chip::Profile &p = sctest::loihi1();
  const Timing t = systemc::timingFor(p);
  for (uint32_t cores : {1u, 3u}) {
    SCOPED_TRACE(std::to_string(cores) + " empty cores");
    imagegen::ImageBuilder b(p);
    for (uint32_t c = 0; c < cores; ++c)
      b.addCore({});
    chip::Image img = b.build();
    for (uint32_t c = 0; c < cores; ++c)
      place(img, c, c, 0); // one tile each
    SystemCEngine e = makeEngine(img, p);
    runSteps(e, 10);
    EXPECT_EQ(e.lastStepTiming().cycles, t.barrierCycles(cores));
    EXPECT_EQ(e.lastStepTiming().barrierCycles, t.barrierCycles(cores));
    EXPECT_EQ(e.lastStepTiming().limiter.kind, Limiter::Kind::None);
    const PowerReport r = e.powerReport();
    EXPECT_EQ(r.cycles, 10 * t.barrierCycles(cores));
    EXPECT_EQ(r.counts.barrierTiles, 10u * cores);
    EXPECT_EQ(r.energy.dynamic(), r.energy.barrier);
    EXPECT_EQ(r.energy.barrier, 10.0 * cores * p.cost.barrierTilePJ);
    expectEnergyIsCountTimesFigure(r, p);
  }
}

TEST(EnergyTest, QuiescentCompartmentsCostInactiveUpdates) {
  const chip::Profile &p = sctest::loihi1();
  const Timing t = systemc::timingFor(p);
  imagegen::ImageBuilder b(p);
  b.addCore(std::vector<chip::CompartmentParams>(10, quiet()));
  b.addCore({busy(), busy(), quiet()});
  chip::Image img = b.build(); // both cores in tile (0, 0)
  SystemCEngine e = makeEngine(img, p);
  runSteps(e, 5);
  const PowerReport r = e.powerReport();
  EXPECT_EQ(r.counts.inactiveUpdates, 5u * 11);
  EXPECT_EQ(r.counts.activeUpdates, 5u * 2);
  EXPECT_EQ(r.counts.synapticOps + r.counts.spikes + r.counts.hopsEastWest +
                r.counts.hopsNorthSouth,
            0u);
  EXPECT_EQ(r.cores[0].counts.inactiveUpdates, 50u);
  EXPECT_EQ(r.cores[1].counts.activeUpdates, 10u);
  EXPECT_EQ(r.cores[0].energy.inactiveUpdates,
            50 * p.cost.neuronUpdateInactivePJ);
  // The longer update phase (10 x 6 cycles) closes the step.
  EXPECT_EQ(e.lastStepTiming().cycles,
            10 * t.inactiveUpdateCycles + t.barrierCycles(1));
  EXPECT_EQ(e.lastStepTiming().limiter.kind, Limiter::Kind::Core);
  EXPECT_EQ(e.lastStepTiming().limiter.index, 0u);
  EXPECT_EQ(e.lastStepTiming().limiter.reason, Limiter::Reason::Update);
  expectEnergyIsCountTimesFigure(r, p);
}

TEST(EnergyTest, HostSpikeCostsHopsSpikeAndSynapticOps) {
  const chip::Profile &p = sctest::loihi1();
  const Timing t = systemc::timingFor(p);
  const uint32_t synCount = 5, steps = 7;
  imagegen::ImageBuilder b(p);
  b.addCore({busy()});
  b.addInputAxon(0, synapses(synCount), 1, 0, false);
  b.addSource(everyStep(1));
  b.addSourceTarget(0, 0, {0, 0});
  chip::Image img = b.build();
  place(img, 0, 3, 2); // host at (0, 0): 3 hops east, 2 north
  SystemCEngine e = makeEngine(img, p);
  runSteps(e, steps);
  const PowerReport r = e.powerReport();
  EXPECT_EQ(r.counts.synapticOps, uint64_t(synCount) * steps);
  EXPECT_EQ(r.counts.spikes, steps);
  EXPECT_EQ(r.counts.hopsEastWest, 3u * steps);
  EXPECT_EQ(r.counts.hopsNorthSouth, 2u * steps);
  EXPECT_EQ(r.counts.activeUpdates, steps);
  EXPECT_EQ(r.counts.inactiveUpdates, 0u);
  expectEnergyIsCountTimesFigure(r, p);
  const uint64_t work = 3 * t.hopEastWestCycles + 2 * t.hopNorthSouthCycles +
                        t.spikeInTileCycles + t.spikeDispatchCycles +
                        synCount * t.synapticOpCycles;
  EXPECT_EQ(work, 53u);
  EXPECT_EQ(e.lastStepTiming().cycles, work + t.barrierCycles(1));
  EXPECT_EQ(e.lastStepTiming().limiter.kind, Limiter::Kind::Host);
  EXPECT_EQ(r.cycles, steps * (work + t.barrierCycles(1)));
}

TEST(EnergyTest, MulticastSharesItsCommonPath) {
  const chip::Profile &p = sctest::loihi1();
  imagegen::ImageBuilder b(p);
  b.addCore({quiet()});
  b.addCore({quiet()});
  b.addInputAxon(0, synapses(1), 1, 0, false);
  b.addInputAxon(1, synapses(2), 1, 0, false);
  b.addSource(everyStep(1));
  b.addSourceTarget(0, 0, {0, 0});
  b.addSourceTarget(0, 0, {1, 0});
  chip::Image img = b.build();
  place(img, 0, 2, 0);
  place(img, 1, 2, 1);
  SystemCEngine e = makeEngine(img, p);
  runSteps(e, 4);
  const PowerReport r = e.powerReport();
  EXPECT_EQ(r.counts.hopsEastWest, 2u * 4); // (0,0) -> (1,0) -> (2,0), once
  EXPECT_EQ(r.counts.hopsNorthSouth, 1u * 4);
  EXPECT_EQ(r.counts.spikes, 2u * 4);
  EXPECT_EQ(r.counts.synapticOps, 3u * 4);
  EXPECT_EQ(r.cores[0].counts.synapticOps, 4u);
  EXPECT_EQ(r.cores[1].counts.synapticOps, 8u);
  expectEnergyIsCountTimesFigure(r, p);
}

/// 64 spikes per step from the host to one core one tile east.
chip::Image burstImage(const chip::Profile &p) {
  imagegen::ImageBuilder b(p);
  b.addCore({quiet()});
  b.addInputAxon(0, synapses(1), 1, 0, false);
  b.addSource(everyStep(64));
  for (uint32_t i = 0; i < 64; ++i)
    b.addSourceTarget(0, i, {0, 0});
  chip::Image img = b.build();
  place(img, 0, 1, 0);
  return img;
}

TEST(EnergyTest, BurstIsLimitedByTheSynapseUnit) {
  const chip::Profile &p = sctest::loihi1();
  const Timing t = systemc::timingFor(p);
  SystemCEngine e = makeEngine(burstImage(p), p);
  runSteps(e, 3);
  // First arrival after one hop and the in-tile leg; then the queue never
  // runs dry: one spike per dispatch and synaptic op.
  const uint64_t work = t.hopEastWestCycles + t.spikeInTileCycles +
                        64 * (t.spikeDispatchCycles + t.synapticOpCycles);
  EXPECT_EQ(e.lastStepTiming().cycles, work + t.barrierCycles(1));
  EXPECT_EQ(e.lastStepTiming().limiter.kind, Limiter::Kind::Core);
  EXPECT_EQ(e.lastStepTiming().limiter.reason, Limiter::Reason::SynapticInput);
  const PowerReport r = e.powerReport();
  EXPECT_EQ(r.cores[0].maxInputQueue, p.core.inputQueueDepth);
  EXPECT_EQ(r.counts.hopsEastWest, 3u * 64);
  EXPECT_EQ(r.counts.spikes, 3u * 64);
  EXPECT_EQ(r.cores[0].limitedSteps, 3u);
  bool fullBuffer = false;
  for (const systemc::RouterReport &q : r.routers)
    fullBuffer |= q.maxBuffered >= p.mesh.routerBufferDepth;
  EXPECT_TRUE(fullBuffer); // back-pressure reached the routers
  expectEnergyIsCountTimesFigure(r, p);
}

TEST(EnergyTest, BurstIsLimitedByTheCongestedRouter) {
  chip::Profile p = sctest::loihi1();
  p.cost.synapticOpNs = 0.5;      // one cycle and no dispatch cycle: the core
  p.core.spikeDispatchCycles = 0; // keeps up with the link
  const Timing t = systemc::timingFor(p);
  SystemCEngine e = makeEngine(burstImage(p), p);
  runSteps(e, 2);
  // The host link sends one packet per link cycle; the last leaves (0, 0)
  // 63 link cycles after the first.
  const uint64_t work = 63 * t.linkPacketCycles + t.hopEastWestCycles +
                        t.spikeInTileCycles + t.synapticOpCycles;
  EXPECT_EQ(e.lastStepTiming().cycles, work + t.barrierCycles(1));
  const Limiter &l = e.lastStepTiming().limiter;
  EXPECT_EQ(l.kind, Limiter::Kind::Router);
  EXPECT_EQ(l.reason, Limiter::Reason::Congestion);
  EXPECT_EQ(l.x, 0u);
  EXPECT_EQ(l.y, 0u);
  EXPECT_EQ(l.describe(), "router (0,0) (congestion)");
}

TEST(EnergyTest, SpikeLeavesWhenItsCompartmentIsUpdated) {
  const chip::Profile &p = sctest::loihi1();
  const Timing t = systemc::timingFor(p);
  chip::CompartmentParams spiker = quiet();
  spiker.thresholdMantissa = 1;
  spiker.biasMantissa = 4095;
  spiker.biasExponent = 7;
  spiker.refractory = 0; // spikes every step
  std::vector<chip::CompartmentParams> first(5, quiet());
  first.push_back(spiker);
  imagegen::ImageBuilder b(p);
  b.addCore(first);
  b.addCore({quiet()});
  b.addInputAxon(1, synapses(2), 1, 0, false);
  b.addOutput(0, 5, {1, 0});
  SystemCEngine e = makeEngine(b.build(), p); // both cores in tile (0, 0)
  runSteps(e, 3);
  // Compartment 5 finishes its update after 5 inactive and 1 active update;
  // its spike is ejected at once into core 1 (in-tile leg), dispatched and
  // takes two synaptic ops there.
  const uint64_t emitted = 5 * t.inactiveUpdateCycles + t.activeUpdateCycles;
  const uint64_t work = emitted + t.spikeInTileCycles + t.spikeDispatchCycles +
                        2 * t.synapticOpCycles;
  EXPECT_EQ(e.lastStepTiming().cycles, work + t.barrierCycles(1));
  const Limiter &l = e.lastStepTiming().limiter;
  EXPECT_EQ(l.kind, Limiter::Kind::Core);
  EXPECT_EQ(l.index, 0u);
  EXPECT_EQ(l.reason, Limiter::Reason::SpikeLatency);
  const PowerReport r = e.powerReport();
  EXPECT_EQ(r.counts.spikes, 3u);
  EXPECT_EQ(r.counts.hopsEastWest + r.counts.hopsNorthSouth, 0u);
}

TEST(EnergyTest, ShallowBuffersThrottleTheLink) {
  chip::Profile p = sctest::loihi1();
  p.cost.synapticOpNs = 0.5;
  p.core.spikeDispatchCycles = 0;
  p.mesh.routerBufferDepth = 4; // below the 5-cycle east-west hop
  const Timing t = systemc::timingFor(p);
  ASSERT_EQ(t.hopEastWestCycles, 5u);
  SystemCEngine e = makeEngine(burstImage(p), p);
  runSteps(e, 1);
  // A slot of (1, 0) is reserved when a packet leaves (0, 0) and freed when
  // it leaves (1, 0) one hop later: 4 packets per 5 cycles. Packet k leaves
  // (0, 0) at 5 * (k / 4) + k % 4, the last at 78.
  const uint64_t lastSend = 5 * (63 / 4) + 63 % 4;
  const uint64_t work =
      lastSend + t.hopEastWestCycles + t.spikeInTileCycles + t.synapticOpCycles;
  EXPECT_EQ(e.lastStepTiming().cycles, work + t.barrierCycles(1));
  EXPECT_EQ(e.powerReport().counts.spikes, 64u);
}

} // namespace
