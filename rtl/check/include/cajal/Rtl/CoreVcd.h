//===- CoreVcd.h - The emulator core's VCD on the RTL ports -----*- C++ -*-===//
//
// `cajal check-rtl --vcd DIR` writes two waveforms of the same run: the
// RTL's (a Verilator trace, every signal) and the emulator's. CoreLogic is
// untimed, so its waveform places each event on the RTL's clock with the
// RTL's documented cycle contract (docs/neurocore.md): a step starts at the
// RTL cycle the harness started it; an input spike on a group of S synapses
// in W words keeps in_ready low for W + S cycles after its accept cycle;
// the update drops in_ready for N cycles and registers out_valid /
// out_compartment for compartment c at cycle 1 + c, step_done with the last.
// Signal names, scope and timescale are the RTL trace's
// (neurocore.in_ready, ...), and times follow the harness's dump: tick k
// at 2k (clock low) and 2k + 1.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_RTL_COREVCD_H
#define CAJAL_RTL_COREVCD_H

#include "cajal/Chip/Result.h"

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace cajal::rtl {

class CoreVcd {
public:
  /// `compartmentBits`: width of out_compartment (the RTL's CMP_ADDR_W).
  static Result<CoreVcd> create(const std::string &path,
                                unsigned compartmentBits);
  /// An input spike accepted at tick `tick`, busy for `busy` = W + S ticks.
  void spike(uint64_t tick, uint32_t busy);
  /// The update started at tick `tick` on `n` compartments; `spikes`
  /// ascending.
  void update(uint64_t tick, uint32_t n, const std::vector<uint32_t> &spikes);
  /// Flush; error if the file could not be written.
  Status finish();

private:
  void change(uint64_t time, char id, uint64_t value, unsigned bits);
  std::string path;
  std::ofstream out;
  unsigned cmpBits = 1;
  uint64_t now = 0;
  /// Last value written per signal: in_ready, out_valid, out_compartment,
  /// step_done.
  uint64_t last[4] = {1, 0, 0, 0};
};

} // namespace cajal::rtl

#endif // CAJAL_RTL_COREVCD_H
