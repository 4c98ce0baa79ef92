//===- ReferenceEngine.h - The simple engine: the oracle --------*- C++ -*-===//
//
// The reference engine runs a chip image the plainest way the contracts
// allow. Each step t, every compartment of every core, in image order, runs
// its program in the reference interpreter (chip::interpret) on the input q
// that arrived for step t; then every spike of step t (compartments first,
// then host sources) travels through its output axons (or the source
// channel's targets) to input axons, and each synapse of those adds its
// weight to the input of its compartment for step t + delay. It is written
// to be read, not to be fast: every other engine (the golden model, the
// SystemC model, the RTL) is tested against it (docs/emulator.md, "The
// reference engine: the oracle").
//
// The observation API is the golden model's, so that the same recorder
// (emulator::recordRun) and `cajal run` drive either engine.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_REFERENCE_REFERENCEENGINE_H
#define CAJAL_REFERENCE_REFERENCEENGINE_H

#include "cajal/Chip/Compartment.h"
#include "cajal/Chip/Image.h"
#include "cajal/Chip/Neurocore.h"
#include "cajal/Chip/Profile.h"
#include "cajal/Chip/Result.h"
#include "cajal/Emulator/SpikeIO.h"
// The spike and counter types that every engine shares are still declared
// in the golden model's header; this engine uses nothing else of it.
#include "cajal/Emulator/EngineTypes.h"

#include <array>
#include <cstdint>
#include <vector>

namespace cajal::reference {

using emulator::CoreCounters;
using emulator::Counters;
using emulator::NeuronSpike;
using emulator::SourceSpikeEvent;

struct Options {
  /// The caller has already checked chip::validate(image, profile); create
  /// skips it (cajal run validates once, when it loads the image).
  bool imageValidated = false;
};

class ReferenceEngine {
public:
  /// Validate `image` against `profile` (and every compartment's program
  /// against the profile's instruction set) and build the engine at step 0.
  static Result<ReferenceEngine> create(const chip::Image &image,
                                        const chip::Profile &profile,
                                        const Options &options = {});

  /// Spikes of the External sources (`cajal run --input`), nodes as in
  /// nodes(). Replaces earlier ones; spikes before the current step are
  /// ignored. Errors name the node and the value.
  Status setExternalSpikes(std::vector<spikeio::SpikeRecord> spikes);

  /// Run step currentStep(): update every compartment, then deliver the
  /// step's spikes.
  void step();
  void run(uint32_t steps) {
    for (uint32_t i = 0; i < steps; ++i)
      step();
  }
  /// Steps run so far; the last step run is currentStep() - 1.
  uint32_t currentStep() const { return stepIndex; }

  /// Compartments (global indices) that spiked in the last step, ascending.
  const std::vector<uint32_t> &lastSpikingCompartments() const {
    return spikingCompartments;
  }
  /// Population spikes of the last step, sorted by (population, neuron);
  /// compartments outside every population are left out.
  void lastSpikes(std::vector<NeuronSpike> &out) const;
  /// Source spikes of the last step, sorted by (source, index).
  const std::vector<SourceSpikeEvent> &lastSourceSpikes() const {
    return sourceSpikes;
  }

  /// Global compartment index (compartment l of core c is
  /// coreCompartmentBegin()[c] + l) of a neuron.
  uint32_t compartmentOf(uint32_t population, uint32_t neuron) const {
    return neuronCompartment[populationBase[population] + neuron];
  }
  /// A compartment's state after the last step, as the state CSV shows it:
  /// u is state word 0, v state word 1, refractoryLeft the program's
  /// refractory counter (a word the program lacks reads 0).
  chip::CompartmentState state(uint32_t population, uint32_t neuron) const {
    return compartmentState(compartmentOf(population, neuron));
  }
  chip::CompartmentState compartmentState(uint32_t global) const;

  /// The program a compartment runs, its parameter words and its state
  /// words after the last step.
  const chip::Program &program(uint32_t global) const {
    return programs[compartments[global].program];
  }
  const std::vector<int64_t> &paramWords(uint32_t global) const {
    return compartments[global].params;
  }
  const std::vector<int32_t> &stateWords(uint32_t global) const {
    return compartments[global].state;
  }
  /// Whether the compartment's last update was idle (the idle rule: no
  /// instruction ran), for the tests of engines that price updates.
  bool lastUpdateIdle(uint32_t global) const { return lastIdle[global] != 0; }

  /// First global compartment index of each core (cores + 1 entries).
  const std::vector<uint32_t> &coreCompartmentBegin() const {
    return compBegin;
  }
  uint32_t compartmentCount() const { return uint32_t(compartments.size()); }

  /// Learning (docs/learning.md). The synapses of input axon `axon` of
  /// core `core` as they are now: compartment (local), mantissa, delay,
  /// tag; a fixed group's never change.
  std::vector<chip::Synapse> synapses(uint32_t core, uint32_t axon) const;
  /// A learning axon's pre-synaptic trace x1 (which 0) or x2 (1) after the
  /// last step; 0 for an axon that does not learn.
  uint32_t preTrace(uint32_t core, uint32_t axon, unsigned which) const;
  /// A compartment's post-synaptic trace y1 (which 0), y2, y3 after the
  /// last step, and its third factor r (the reward of the current epoch).
  uint32_t postTrace(uint32_t global, unsigned which) const;
  int64_t reward(uint32_t global) const;

  const Counters &counters() const { return totals; }
  /// Per core (index into Image::cores).
  const std::vector<CoreCounters> &coreCounters() const { return perCore; }
  /// Populations and sources of the image, by NodeTable id.
  const spikeio::NodeTable &nodes() const { return nodeTable; }
  bool recordsSpikes(uint32_t population) const {
    return populations[population].recordSpikes;
  }
  bool recordsState(uint32_t population) const {
    return populations[population].recordState;
  }
  uint32_t populationSize(uint32_t population) const {
    return populationBase[population + 1] - populationBase[population];
  }
  uint32_t populationCount() const { return uint32_t(populations.size()); }

private:
  ReferenceEngine() = default;
  struct Loader;

  void updateCompartments();
  /// The traces' step, then at an epoch's end the rules.
  void learn();
  void applyRules(uint64_t epoch);
  void emitSourceSpikes();
  /// A spike of step currentStep() arriving at `target`: each synapse of
  /// the input axon adds its weight to the input of step + delay.
  void sendToInputAxon(const chip::AxonTarget &target);

  /// One compartment: what it runs, its words, where its spikes go.
  struct Compartment {
    uint32_t core = 0;
    uint32_t program = 0;        ///< index into programs
    std::vector<int64_t> params; ///< the program's parameter words
    std::vector<int32_t> state;  ///< the program's state words
    std::vector<chip::AxonTarget> outputAxons;
    /// In a dendritic tree: the global index of its neuron's root (its own
    /// for the root); noTree for a point neuron.
    uint32_t treeRoot = noTree;
    static constexpr uint32_t noTree = UINT32_MAX;
  };
  /// A synapse as delivery applies it.
  struct Synapse {
    uint32_t compartment = 0; ///< global index
    uint32_t delay = 1;
    int64_t weight = 0; ///< chip::synapticWeight of the stored mantissa
    int32_t mantissa = 0, tag = 0;
  };
  /// One input axon as learning sees it.
  struct AxonInfo {
    uint32_t learning = chip::InputAxon::kNoLearning; ///< rule index
    bool reward = false;
    int8_t weightExponent = 0;
    uint64_t traceNeuron = 0;        ///< its global axon index (random draws)
    uint64_t firstSynapse = 0;       ///< core * 2^32 + position in the core
    std::array<uint32_t, 2> trace{}; ///< x1, x2
    /// x1, x2 at the end of each step of the current epoch.
    std::vector<std::array<uint32_t, 2>> history;
    int64_t lastSpike = -1; ///< step of its last spike in the epoch
    bool spikedNow = false;
  };
  /// One compartment as learning sees it.
  struct CompartmentLearning {
    std::array<chip::TraceParams, 3> params{}; ///< y1, y2, y3
    std::array<uint32_t, 3> trace{};
    std::vector<std::array<uint32_t, 3>> history;
    int64_t lastSpike = -1;
    int64_t reward = 0;
    bool spikedNow = false; ///< it spiked in the step being learned
  };
  /// What is recorded of a population (its probes).
  struct PopulationInfo {
    bool recordSpikes = false;
    bool recordState = false;
  };
  static constexpr uint32_t kNoNeuron = UINT32_MAX;

  uint32_t stepIndex = 0;

  /// The distinct programs of the image, computed once at load.
  std::vector<chip::Program> programs;
  std::vector<Compartment> compartments; ///< by global index
  std::vector<uint32_t> compBegin;
  /// inputAxons[core][axon]: the synapses of that input axon.
  std::vector<std::vector<std::vector<Synapse>>> inputAxons;
  /// axonInfo[core][axon].
  std::vector<std::vector<AxonInfo>> axonInfo;
  /// The image's learning; learning.enabled() false: no trace, no rule.
  chip::ImageLearning learning;
  chip::Profile chipProfile; ///< the widths learning rounds to
  std::vector<CompartmentLearning> compartmentLearning; ///< by global index
  /// Reward arriving at step t: pendingReward[t % size][g], as
  /// pendingInput (empty when the image does not learn).
  std::vector<std::vector<int64_t>> pendingReward;

  /// The input of future steps: the input of compartment g for step t is
  /// pendingInput[t % pendingInput.size()][g]. There is one slot more than
  /// the longest delay, so a delivery never lands in the slot being read.
  std::vector<std::vector<int64_t>> pendingInput;

  /// The image's sources; for External ones `spikes` holds the spikes
  /// given by setExternalSpikes, sorted by (step, index).
  std::vector<chip::Source> sources;

  /// Flat neuron k (population p's neuron k - populationBase[p]) is global
  /// compartment neuronCompartment[k]; flatNeuronOf is the inverse
  /// (kNoNeuron outside every population).
  std::vector<PopulationInfo> populations;
  std::vector<uint32_t> populationBase, neuronCompartment, flatNeuronOf;
  spikeio::NodeTable nodeTable;

  std::vector<uint32_t> spikingCompartments;
  std::vector<uint8_t> lastIdle; ///< by global index
  /// By global index, for a tree's root: it spiked in the last update (bap).
  std::vector<uint8_t> rootSpiked;
  std::vector<int64_t> treeStack; ///< the tree being updated's stack
  std::vector<SourceSpikeEvent> sourceSpikes;
  Counters totals;
  std::vector<CoreCounters> perCore;
};

} // namespace cajal::reference

#endif // CAJAL_REFERENCE_REFERENCEENGINE_H
