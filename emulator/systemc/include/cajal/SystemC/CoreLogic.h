//===- CoreLogic.h - The functional neurocore -------------------*- C++ -*-===//
//
// What one neurocore computes, without SystemC and without time: the
// dendritic accumulators (one slot per delay), the synapse unit that reads a
// synapse group from the packed synapse memory word by word in the profile's
// format, and the time-multiplexed compartment update that calls
// chip::updateCompartment for each compartment in index order. The SystemC
// core module wraps it with timing; the RTL lockstep checker can drive it
// directly (same states, same spikes).
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_SYSTEMC_CORELOGIC_H
#define CAJAL_SYSTEMC_CORELOGIC_H

#include "cajal/Chip/Compartment.h"
#include "cajal/Chip/Image.h"
#include "cajal/Chip/Profile.h"

#include <cstdint>
#include <vector>

namespace cajal::systemc {

class CoreLogic {
public:
  /// `core` must have passed chip::validate against `profile`.
  CoreLogic(const chip::Core &core, const chip::Profile &profile);

  /// A spike of the update unit: local compartment and the cycle, counted
  /// from the start of the update phase, at which its update finished.
  struct Emission {
    uint32_t compartment;
    uint64_t cycle;
  };
  struct UpdateStats {
    uint32_t active = 0;   ///< updates computed
    uint32_t inactive = 0; ///< state all zero, no bias, no input: skipped
    uint64_t cycles = 0;   ///< length of the update phase
  };
  /// Update every compartment for `step` from its accumulator slot, in
  /// index order; an active update takes `activeCycles`, an inactive one
  /// `inactiveCycles`. Appends the spikes to `spikes` in index order and,
  /// if `ends` is given, every compartment's end cycle to `ends`.
  UpdateStats update(uint32_t step, uint32_t activeCycles,
                     uint32_t inactiveCycles, std::vector<Emission> &spikes,
                     std::vector<uint64_t> *ends = nullptr);

  struct ReadStats {
    uint32_t synapses = 0; ///< synaptic ops (weights added)
    uint32_t words = 0;    ///< synapse-memory words read
  };
  /// A spike of step `step` on input axon `axon`: read its group word by
  /// word and add each weight to the slot of step + delay.
  ReadStats receive(uint32_t step, uint32_t axon);

  uint32_t compartmentCount() const { return uint32_t(params.size()); }
  uint32_t inputAxonCount() const { return uint32_t(axons.size()); }
  uint32_t synapseCount(uint32_t axon) const {
    return axons[axon].synapseCount;
  }
  const chip::CompartmentState &state(uint32_t c) const { return states[c]; }
  /// Accumulated input of compartment c for step `step` (not saturated).
  int64_t pendingInput(uint32_t step, uint32_t c) const {
    return acc[size_t(step % slots) * params.size() + c];
  }
  uint32_t ringSlots() const { return slots; }

private:
  chip::NeuronFormat neuron;
  chip::SynapseFormat synapse;
  std::vector<chip::CompartmentParams> params;
  std::vector<chip::CompartmentState> states;
  std::vector<chip::InputAxon> axons;
  std::vector<uint64_t> words;
  /// Dendritic accumulators: slot-major, slot s holds the input of the
  /// steps t with t % slots == s. slots = largest delay of the core + 1.
  std::vector<int64_t> acc;
  uint32_t slots = 2;
};

} // namespace cajal::systemc

#endif // CAJAL_SYSTEMC_CORELOGIC_H
