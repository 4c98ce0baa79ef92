//===- Timing.cpp - Cycle counts of the SystemC model from a profile ------===//

#include "cajal/SystemC/Timing.h"

#include "cajal/Chip/StandardPrograms.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace cajal::systemc {

namespace {
/// 2^64 as a double: a cycle count at or beyond it does not convert.
constexpr double kCycleCountLimit = 18446744073709551616.0;
} // namespace

uint64_t Timing::cyclesFor(double ns, double clockHz) {
  const double cycles = ns * clockHz / 1e9;
  if (!(cycles > 0))
    return 0;
  // Checked before converting: a count past 2^64 (a huge watchdog,
  // cost.stepTimeoutNs = 1e300) would convert to garbage, often 0.
  if (cycles >= kCycleCountLimit)
    return UINT64_MAX;
  const double whole = std::floor(cycles);
  // 4.1 ns * 1 GHz may come out as 4.1000000000000005: no extra cycle for
  // the representation error of an integral product (2.0000000000000004).
  const double tolerance = 1e-9 * std::max(1.0, cycles);
  return uint64_t(cycles - whole <= tolerance ? whole : whole + 1);
}

double Timing::barrierNs(uint32_t tiles) const {
  const double n = tiles < 1 ? 1 : tiles;
  if (barrierMaxTiles <= 1)
    return barrierMinNs;
  return barrierMinNs +
         (barrierMaxNs - barrierMinNs) * (n - 1) / double(barrierMaxTiles - 1);
}

Timing timingFor(const chip::Profile &p) {
  const chip::CostTable &c = p.cost;
  Timing t;
  t.clockHz = c.clockHz;
  // Latencies saturate at 2^32 - 1 cycles rather than wrap (the step
  // watchdog then reports the unit that never finishes).
  auto cyc = [&](double ns) {
    return uint32_t(
        std::min<uint64_t>(Timing::cyclesFor(ns, c.clockHz), UINT32_MAX));
  };
  t.synapticOpCycles = cyc(c.synapticOpNs);
  t.learningSynapseCycles = cyc(c.learningSynapseNs);
  // An active update of a LIF-family compartment: its program's cost (every
  // variant's is the same); other programs' come from chip::programCost.
  t.activeUpdateCycles = uint32_t(std::min<uint64_t>(
      chip::programCost(chip::lifProgram(p.neuron, chip::LifReset::Zero), p)
          .cycles,
      UINT32_MAX));
  t.inactiveUpdateCycles = cyc(c.neuronUpdateInactiveNs);
  t.spikeInTileCycles = cyc(c.spikeInTileNs);
  t.hopEastWestCycles = cyc(c.hopEastWestNs);
  t.hopNorthSouthCycles = cyc(c.hopNorthSouthNs);
  t.linkPacketCycles = p.mesh.linkPacketCycles;
  t.routerBufferDepth = p.mesh.routerBufferDepth;
  t.inputQueueDepth = p.core.inputQueueDepth;
  t.spikeDispatchCycles = p.core.spikeDispatchCycles;
  t.stepTimeoutCycles = Timing::cyclesFor(c.stepTimeoutNs, c.clockHz);
  t.barrierMinNs = c.barrierMinNs;
  t.barrierMaxNs = c.barrierMaxNs;
  t.barrierMaxTiles = c.barrierMaxTiles;
  return t;
}

} // namespace cajal::systemc
