//===- Lockstep.h - RTL neurocore against SystemC CoreLogic -----*- C++ -*-===//
//
// Runs one core in the RTL and in systemc::CoreLogic (the functional core
// of the SystemC emulator) with the same input spikes, and after every step
// compares every compartment's u, v and refractory count and the set of
// spiking compartments. Stops at the first divergence and reports it.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_RTL_LOCKSTEP_H
#define CAJAL_RTL_LOCKSTEP_H

#include "cajal/Chip/Image.h"
#include "cajal/Chip/Profile.h"
#include "cajal/Chip/Result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cajal::rtl {

struct Divergence {
  uint32_t step = 0;
  uint32_t compartment = 0;
  std::string field; ///< "u", "v", "refractory" or "spike"
  int64_t rtl = 0, reference = 0;
  std::string message() const; ///< "step S, compartment C, field F: ..."
};

struct LockstepReport {
  uint32_t steps = 0;       ///< steps compared
  uint64_t stateChecks = 0; ///< compartment states compared
  uint64_t spikes = 0;      ///< spikes seen (RTL)
  uint64_t rtlCycles = 0;   ///< RTL cycles of the steps (no state reads)
  /// The RTL's documented cycle count (docs/neurocore.md) from the
  /// reference's activity: per input spike 1 + words + synapses, per step
  /// 1 + compartments. Equal to rtlCycles when the RTL keeps its contract.
  uint64_t expectedRtlCycles = 0;
  /// The SystemC model's core time for the same work (systemc::Timing:
  /// synapses x synapticOpCycles + active/inactive update cycles), without
  /// routing and barrier.
  uint64_t systemcCoreCycles = 0;
  std::optional<Divergence> divergence;
};

/// Run `inputs.size()` steps; inputs[t] lists the input axons spiking at t.
/// `rtlCore` goes to the RTL, `referenceCore` to CoreLogic (the same core,
/// except in tests that check that a difference is found). Errors: the
/// profile or core does not fit the RTL, an axon id out of range.
Result<LockstepReport>
runLockstep(const chip::Core &rtlCore, const chip::Core &referenceCore,
            const chip::Profile &profile,
            const std::vector<std::vector<uint32_t>> &inputs);

/// Waveforms of a lockstep run; an empty path writes none.
struct LockstepTrace {
  std::string rtlVcd;      ///< Verilator trace of the RTL, every signal
  std::string emulatorVcd; ///< CoreLogic on the RTL's ports (CoreVcd.h)
};
Result<LockstepReport>
runLockstep(const chip::Core &rtlCore, const chip::Core &referenceCore,
            const chip::Profile &profile,
            const std::vector<std::vector<uint32_t>> &inputs,
            const LockstepTrace &trace);

} // namespace cajal::rtl

#endif // CAJAL_RTL_LOCKSTEP_H
