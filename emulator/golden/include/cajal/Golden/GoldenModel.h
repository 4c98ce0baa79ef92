//===- GoldenModel.h - The integer-exact reference model --------*- C++ -*-===//
//
// The golden model runs a chip image one time step at a time with exactly
// the compartment arithmetic of cajal/Chip/Compartment.h and the time-step
// contract: every compartment of step t is updated with the input that
// arrived for step t, then every spike of step t (compartments and host
// sources) is delivered through its output axons and synapses into the
// accumulator slot of step t + delay. It is the oracle that the SystemC model
// and the RTL are checked against, and it is built for speed: the image's
// synapse memory is unpacked once into flat arrays per input axon.
// docs/golden-model.md describes the data layout and the counters.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_GOLDEN_GOLDENMODEL_H
#define CAJAL_GOLDEN_GOLDENMODEL_H

#include "cajal/Chip/Compartment.h"
#include "cajal/Chip/Image.h"
#include "cajal/Chip/Profile.h"
#include "cajal/Chip/Result.h"
#include "cajal/Emulator/SpikeIO.h"

#include <cstdint>
#include <vector>

namespace cajal::golden {

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
};

/// The same counts per core (index into Image::cores).
struct CoreCounters {
  uint64_t compartmentSpikes = 0; ///< spikes of this core's compartments
  uint64_t axonEventsIn = 0;      ///< spikes arriving at its input axons
  uint64_t synapticEvents = 0;    ///< synapses of this core applied
  uint64_t activeUpdates = 0;
  uint64_t idleUpdates = 0;
};

class GoldenModel {
public:
  /// Validate `image` against `profile` and build the model at step 0.
  static Result<GoldenModel> create(const chip::Image &image,
                                    const chip::Profile &profile);

  /// Spikes of the External sources (`cajal run --input`), nodes as in
  /// nodes(). Replaces earlier ones; spikes before the current step are
  /// ignored. Errors name the node and the value.
  Status setExternalSpikes(std::vector<spikeio::SpikeRecord> spikes);

  /// Run step currentStep(): update, then deliver its spikes.
  void step();
  void run(uint32_t steps) {
    for (uint32_t i = 0; i < steps; ++i)
      step();
  }
  /// Steps run so far; the last step run is currentStep() - 1.
  uint32_t currentStep() const { return stepIndex; }

  /// Compartments (global indices) that spiked in the last step, ascending.
  const std::vector<uint32_t> &lastSpikingCompartments() const {
    return spiking;
  }
  /// Population spikes of the last step, sorted by (population, neuron);
  /// compartments outside every population are left out.
  void lastSpikes(std::vector<NeuronSpike> &out) const;
  /// Source spikes of the last step, sorted by (source, index).
  const std::vector<SourceSpikeEvent> &lastSourceSpikes() const {
    return sourceSpiking;
  }

  /// Global compartment index of a neuron, and its state after the last step.
  uint32_t compartmentOf(uint32_t population, uint32_t neuron) const {
    return neuronCompartment[populationBase[population] + neuron];
  }
  /// (By value: the model keeps u, v and refractoryLeft in separate arrays.)
  chip::CompartmentState state(uint32_t population, uint32_t neuron) const {
    return compartmentState(compartmentOf(population, neuron));
  }
  chip::CompartmentState compartmentState(uint32_t global) const {
    chip::CompartmentState s;
    s.u = hot.u[global];
    s.v = hot.v[global];
    s.refractoryLeft = uint8_t(hot.refractoryLeft[global]);
    return s;
  }
  /// First global compartment index of each core (cores + 1 entries).
  const std::vector<uint32_t> &coreCompartmentBegin() const {
    return compBegin;
  }
  uint32_t compartmentCount() const { return uint32_t(hot.u.size()); }

  const Counters &counters() const { return totals; }
  const std::vector<CoreCounters> &coreCounters() const { return perCore; }
  /// Populations and sources of the image, by NodeTable id.
  const spikeio::NodeTable &nodes() const { return nodeTable; }
  bool recordsSpikes(uint32_t population) const {
    return populationFlags[population] & RecordSpikes;
  }
  bool recordsState(uint32_t population) const {
    return populationFlags[population] & RecordState;
  }
  uint32_t populationSize(uint32_t population) const {
    return populationBase[population + 1] - populationBase[population];
  }
  uint32_t populationCount() const { return uint32_t(populationFlags.size()); }

private:
  GoldenModel() = default;
  struct Loader;
  void updateCompartments(int64_t *slot);
  void emitSourceSpikes();
  void deliver(uint32_t globalAxon, size_t base);
  void deliverSpikes();

  enum PopulationFlag : uint8_t { RecordSpikes = 1, RecordState = 2 };

  chip::NeuronFormat format;
  uint32_t stepIndex = 0;

  // Compartments, global index = compBegin[core] + local index. The update
  // loop reads structure-of-arrays: the state, and per compartment the
  // constants that chip::updateCompartment would derive from its
  // CompartmentParams and the NeuronFormat every step (docs/golden-model.md).
  std::vector<uint32_t> compBegin;
  struct HotArrays {
    std::vector<int32_t> u, v, refractoryLeft; ///< the state
    std::vector<int32_t> scaleU;               ///< 2^decayBits - decayU - 1
    std::vector<int32_t> scaleV;               ///< 2^decayBits - decayV
    std::vector<int32_t> vmin, vmax;
    /// Threshold: v > fireAbove spikes (INT32_MAX for NoSpike; vth capped
    /// at INT32_MAX, which changes nothing since v <= vmax < 2^31).
    std::vector<int32_t> fireAbove;
    /// v after a spike is (v - fireAbove) & keepOnSpike: 0 or -1 mask.
    std::vector<int32_t> keepOnSpike;
    std::vector<int32_t> refractory; ///< refractoryLeft after a spike
    std::vector<int64_t> bias;       ///< chip::biasValue
    std::vector<uint8_t> fired;      ///< spike flags of the last update
  } hot;
  /// Per core: does any compartment have zero bias (only those can be idle)?
  std::vector<uint8_t> coreMayIdle;
  /// Output axons of global compartment c: outTargets[outBegin[c] ..
  /// outBegin[c+1]), each a global input-axon index.
  std::vector<uint32_t> outBegin, outTargets;

  // Input axons, global index = axonBegin[core] + local index. Synapses of
  // axon g are synapses[synBegin[g] .. synBegin[g+1]), sorted by (delay,
  // target). A synapse stores offset = delay * N + target (N compartments):
  // for a spike of step t it adds its weight to ring[(t % S) * N + offset],
  // less S * N when that is past the end of the ring.
  struct FlatSynapse {
    uint32_t offset;
    int32_t weight;
  };
  std::vector<uint32_t> axonBegin, axonCore, synBegin;
  std::vector<FlatSynapse> synapses;

  /// Ring of S = ringSlots accumulator slots, slot-major: the input of
  /// compartment c for step t is ring[(t % S) * N + c].
  std::vector<int64_t> ring;
  uint32_t ringSlots = 1;
  /// Input axons hit in the current step (capacity: every output axon and
  /// source target, so that it never grows while running).
  std::vector<uint32_t> axonEvents;

  // Host sources. Channel i of source s is global channel
  // channelBase[s] + i; it fans out to the global input axons
  // channelTargets[channelTargetBegin[ch] .. channelTargetBegin[ch+1]).
  std::vector<chip::Source> sources; ///< without their targets and spikes
  std::vector<uint32_t> channelBase, channelTargetBegin, channelTargets;
  /// File spikes (from the image) or External spikes (setExternalSpikes)
  /// per source, sorted by (step, index), and the next one to emit.
  std::vector<std::vector<chip::SourceSpike>> listedSpikes;
  std::vector<size_t> listedCursor;

  // Populations: neuron n of population p is global compartment
  // neuronCompartment[populationBase[p] + n]; the inverse maps are
  // compPopulation / compNeuron (UINT32_MAX outside every population).
  std::vector<uint32_t> populationBase, neuronCompartment;
  std::vector<uint32_t> compPopulation, compNeuron;
  std::vector<uint8_t> populationFlags;
  spikeio::NodeTable nodeTable;

  std::vector<uint32_t> spiking;
  std::vector<SourceSpikeEvent> sourceSpiking;
  Counters totals;
  std::vector<CoreCounters> perCore;
};

} // namespace cajal::golden

#endif // CAJAL_GOLDEN_GOLDENMODEL_H
