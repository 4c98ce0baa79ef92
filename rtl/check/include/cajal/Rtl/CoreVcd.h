//===- CoreVcd.h - The emulator core's VCD on the RTL ports -----*- C++ -*-===//
//
// `cajal check-rtl --vcd DIR` writes two waveforms of the same run: the
// RTL's (a Verilator trace, every signal) and the emulator's. The emulator's
// is drawn from the SystemC core model's events of each step (when inputs
// were accepted and taken, when each compartment's update ended) on the
// RTL's ports, by the micro-architecture's rules (docs/neurocore.md):
// in_ready is low while the queue is full and no entry leaves; out_valid /
// out_compartment change at the edge ending a compartment's update and
// out_valid falls one edge later; step_done is high for the edge after the
// last compartment. Signal names, scope and timescale are the RTL trace's
// (neurocore.in_ready, ...), and times follow the harness's dump: tick k at
// 2k (clock low) and 2k + 1 (after the edge).
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_RTL_COREVCD_H
#define CAJAL_RTL_COREVCD_H

#include "cajal/Chip/Result.h"

#include <array>
#include <cstdint>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace cajal::rtl {

/// One step of the emulator core; cycles count edges from the step's
/// edge 0 (the one taking step_start).
struct CoreVcdStep {
  uint64_t tick = 0; ///< the RTL tick of edge 0
  uint32_t queueDepth = 1;
  /// Input spikes that waited in the queue: (accepted, taken) edges.
  std::vector<std::pair<uint64_t, uint64_t>> queued;
  std::vector<uint64_t> compartmentEnds; ///< edge ending each update
  std::vector<uint32_t> spikes;          ///< spiking compartments, ascending
  uint64_t updateEnd = 0;                ///< last compartment's end (0: none)
  uint64_t end = 0;                      ///< the step's last edge
};

class CoreVcd {
public:
  /// `compartmentBits`: width of out_compartment (the RTL's CMP_ADDR_W).
  static Result<CoreVcd> create(const std::string &path,
                                unsigned compartmentBits);
  /// Steps must come in time order.
  void step(const CoreVcdStep &s);
  /// Flush; error if the file could not be written.
  Status finish();

private:
  enum Signal { InReady, OutValid, OutCompartment, StepDone, SignalCount };
  /// Schedule `value` at `time`; a later call for the same time wins.
  void set(uint64_t time, Signal s, uint64_t value);
  /// Write the scheduled values before `time` in time order.
  void flushBefore(uint64_t time);
  void write(uint64_t time, Signal s, uint64_t value);
  void setInReady(const CoreVcdStep &s);

  std::string path;
  std::ofstream out;
  unsigned cmpBits = 1;
  uint64_t now = 0;
  static constexpr int64_t kUnset = -1;
  std::map<uint64_t, std::array<int64_t, SignalCount>> pending;
  /// Last value written per signal.
  uint64_t last[SignalCount] = {1, 0, 0, 0};
};

} // namespace cajal::rtl

#endif // CAJAL_RTL_COREVCD_H
