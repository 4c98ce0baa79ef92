//===- Lockstep.h - RTL neurocore against SystemC CoreLogic -----*- C++ -*-===//
//
// Runs one core in the RTL and in the SystemC emulator's core model
// (systemc::CoreLogic for what it computes, systemc::SynapseUnitTimer and
// the update cycles of systemc::Timing and chip::programCost for when) with
// the same input spikes, and after every step compares the spiking
// compartments, the cycle each spike left, the cycles the step took, and
// every compartment's state words. Compartments run the LIF program their
// records name or, given the image's resolved programs, their population's
// program. Stops at the first divergence and reports it.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_RTL_LOCKSTEP_H
#define CAJAL_RTL_LOCKSTEP_H

#include "cajal/Chip/CompartmentPrograms.h"
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
  uint32_t compartment = 0; ///< unused for "cycles"
  /// a state word's name ("u", "v", "refractory" for the LIF program),
  /// "spike", "spike cycle" (the cycle of the compartment's spike),
  /// "accept cycle", "cycles" (the step's length), "learning cycles" (the
  /// learning phase's, against its schedule), "trace y1" ... (a
  /// compartment's trace), "trace x1 of axon A" or "weight of axon A
  /// synapse I" (a learned weight; compartment: the synapse's)
  std::string field;
  int64_t rtl = 0, reference = 0;
  /// "step S, compartment C, field F: RTL x, <referenceName> y"
  std::string message(const char *referenceName = "reference") const;
};

struct LockstepReport {
  uint32_t steps = 0;       ///< steps compared
  uint64_t stateChecks = 0; ///< compartment states compared
  uint64_t spikes = 0;      ///< spikes seen (RTL)
  uint64_t inputSpikes = 0; ///< input spikes given to both
  uint64_t rtlCycles = 0;   ///< RTL cycles of the steps (no state reads)
  /// The SystemC core model's cycles for the same steps; equal to rtlCycles
  /// unless a step's cycles diverged.
  uint64_t referenceCycles = 0;
  /// A core that learns: its learning phases' RTL cycles (each step's
  /// checked against RtlCore::expectedLearnCycles), the epochs, the learning
  /// synapses' weights compared after each epoch, and how many of them
  /// differ from the image's at the last epoch compared.
  uint64_t learnCycles = 0;
  uint32_t epochs = 0;
  uint64_t weightChecks = 0, weightsChanged = 0;
  uint64_t traceChecks = 0; ///< traces compared (after every step)
  std::optional<Divergence> divergence;
};

/// Run `inputs.size()` steps; inputs[t] lists the input axons spiking at t,
/// offered to the core from the step's first cycle on, one per cycle (the
/// next in the cycle after the previous is accepted).
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

/// Which programs the compartments run: the image's resolved programs and
/// the core's index in the image (both sides run the same programs).
struct LockstepPrograms {
  const chip::ResolvedPrograms *resolved = nullptr;
  uint32_t imageCore = 0;
  /// The image, when it learns: both sides run its learning phase
  /// (CoreLogic::learn, the RTL's learning_phase.sv); needs `resolved`.
  const chip::Image *image = nullptr;
};
Result<LockstepReport>
runLockstep(const chip::Core &rtlCore, const chip::Core &referenceCore,
            const chip::Profile &profile,
            const std::vector<std::vector<uint32_t>> &inputs,
            const LockstepTrace &trace, const LockstepPrograms &programs);

} // namespace cajal::rtl

#endif // CAJAL_RTL_LOCKSTEP_H
