//===- Timing.h - Cycle counts from a profile -------------------*- C++ -*-===//
//
// The cycle-level model runs on one clock of cost.clockHz. Every latency of
// the profile (nanoseconds, Davies 2018 Table 2 for loihi1) becomes a whole
// number of cycles, rounded up: an operation never completes faster than its
// published figure. docs/emulator.md lists the resulting numbers.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_SYSTEMC_TIMING_H
#define CAJAL_SYSTEMC_TIMING_H

#include "cajal/Chip/Profile.h"

#include <cstdint>

namespace cajal::systemc {

struct Timing {
  double clockHz = 0;
  uint32_t synapticOpCycles = 0;      ///< per synapse read and applied
  uint32_t learningSynapseCycles = 0; ///< per learning synapse and epoch
  /// Per LIF-family compartment, computed: chip::programCost of the LIF
  /// program (other programs: their own programCost, CoreLogic).
  uint32_t activeUpdateCycles = 0;
  uint32_t inactiveUpdateCycles = 0; ///< per compartment, skipped
  uint32_t spikeInTileCycles = 0;    ///< router to core ejection
  uint32_t hopEastWestCycles = 0;    ///< router to router, along x
  uint32_t hopNorthSouthCycles = 0;  ///< router to router, along y
  uint32_t linkPacketCycles = 0;     ///< link occupancy per packet
  uint32_t routerBufferDepth = 0;    ///< packets per router input port
  uint32_t inputQueueDepth = 0;      ///< core input spike queue
  uint32_t spikeDispatchCycles = 0;  ///< per input spike, before its ops
  uint64_t stepTimeoutCycles = 0;    ///< watchdog per step
  double barrierMinNs = 0, barrierMaxNs = 0;
  uint32_t barrierMaxTiles = 1;

  /// ceil(ns * clockHz / 1e9), ignoring a floating-point excess below 1e-9;
  /// UINT64_MAX when that does not fit 64 bits.
  static uint64_t cyclesFor(double ns, double clockHz);
  /// Barrier time for `tiles` participating tiles: linear between
  /// (1, barrierMinNs) and (barrierMaxTiles, barrierMaxNs), extrapolated
  /// beyond; at least one tile.
  double barrierNs(uint32_t tiles) const;
  uint64_t barrierCycles(uint32_t tiles) const {
    return cyclesFor(barrierNs(tiles), clockHz);
  }
  double nsOf(uint64_t cycles) const { return double(cycles) * 1e9 / clockHz; }
};

Timing timingFor(const chip::Profile &profile);

} // namespace cajal::systemc

#endif // CAJAL_SYSTEMC_TIMING_H
