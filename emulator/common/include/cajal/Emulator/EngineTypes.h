//===- EngineTypes.h - Spikes and counters every engine reports -*- C++ -*-===//
//
// The observation types that the engines (golden model, SystemC model) share,
// so that a driver, the recording loop (RecordRun.h) and the cross-checks
// handle any engine alike: the spikes of a step, of populations and of host
// sources, and the event counts in total and per core.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_EMULATOR_ENGINETYPES_H
#define CAJAL_EMULATOR_ENGINETYPES_H

#include <cstdint>

namespace cajal::emulator {

/// A spike of neuron `neuron` (flat index) of Image::populations[population].
struct NeuronSpike {
  uint32_t population = 0;
  uint32_t neuron = 0;
  bool operator==(const NeuronSpike &o) const {
    return population == o.population && neuron == o.neuron;
  }
};

/// A spike of channel `index` of Image::sources[source].
struct SourceSpikeEvent {
  uint32_t source = 0;
  uint32_t index = 0;
  bool operator==(const SourceSpikeEvent &o) const {
    return source == o.source && index == o.index;
  }
};

/// Event counts, for reports and the power model.
struct Counters {
  uint64_t steps = 0;
  uint64_t compartmentSpikes = 0; ///< spikes emitted by compartments
  uint64_t sourceSpikes = 0;      ///< spikes emitted by host sources
  uint64_t axonEvents = 0;        ///< (spike, output axon or source target)
  uint64_t synapticEvents = 0;    ///< synapses applied to an accumulator
  uint64_t activeUpdates = 0;     ///< compartment updates computed
  uint64_t idleUpdates = 0;       ///< updates skipped: state provably unchanged
  /// Learning synapses a rule was applied to (each one once an epoch).
  uint64_t learningUpdates = 0;
};

/// The same counts per core (index into Image::cores).
struct CoreCounters {
  uint64_t compartmentSpikes = 0; ///< spikes of this core's compartments
  uint64_t axonEventsIn = 0;      ///< spikes arriving at its input axons
  uint64_t synapticEvents = 0;    ///< synapses of this core applied
  uint64_t activeUpdates = 0;
  uint64_t idleUpdates = 0;
};

} // namespace cajal::emulator

#endif // CAJAL_EMULATOR_ENGINETYPES_H
