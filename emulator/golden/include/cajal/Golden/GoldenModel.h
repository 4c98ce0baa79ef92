//===- GoldenModel.h - The integer-exact reference model --------*- C++ -*-===//
//
// The golden model runs a chip image one time step at a time with exactly
// the compartment arithmetic of cajal/Chip/Compartment.h and the time-step
// contract: every compartment of step t is updated with the input that
// arrived for step t, then every spike of step t (compartments and host
// sources) is delivered through its output axons and synapses into the
// accumulator slot of step t + delay. It is the oracle that the SystemC model
// and the RTL are checked against, and it is built for speed: the image's
// synapse memory is unpacked once into flat rows per sender, and the update
// is a vectorised loop (AVX-512, AVX2 or portable, chosen at load) over
// structure-of-arrays. docs/golden-model.md describes the data layout, the
// loop variants and the counters.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_GOLDEN_GOLDENMODEL_H
#define CAJAL_GOLDEN_GOLDENMODEL_H

#include "cajal/Chip/Compartment.h"
#include "cajal/Chip/CoreTables.h"
#include "cajal/Chip/Image.h"
#include "cajal/Chip/Profile.h"
#include "cajal/Chip/Result.h"
#include "cajal/Emulator/EngineTypes.h"
#include "cajal/Emulator/SpikeIO.h"
#include "cajal/Golden/ProgramUpdate.h"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace cajal::golden {

/// Instruction sets of the update loop (docs/golden-model.md).
enum class Isa : uint8_t { Generic, Avx2, Avx512 };

/// Lower-case name of `isa` ("generic", "avx2", "avx512").
const char *isaName(Isa isa);

namespace detail {
struct KernelTable;
struct FusedKernels;
class WorkerPool;
/// A synapse: offset = delay * N + target (N compartments); for a spike of
/// step t it adds its weight to accumulator (t % S) * N + offset, less S * N
/// when that is past the end of the ring.
struct FlatSynapse {
  uint32_t offset;
  int32_t weight;
};
/// Weights of a window of adjacent accumulators (zero where the row has no
/// synapse), aligned for one vector load; T is the accumulator type.
constexpr uint32_t wideLanes = 16, narrowLanes = 4;
template <typename T> struct alignas(sizeof(T) * wideLanes) WideLanes {
  T lane[wideLanes];
};
template <typename T> struct alignas(sizeof(T) * narrowLanes) NarrowLanes {
  T lane[narrowLanes];
};
using WideWeights = WideLanes<int32_t>;
using NarrowWeights = NarrowLanes<int32_t>;
/// Where a part of a synapse row (its synapses of one delay) starts in the
/// window and single-synapse lists; the next part's starts are its ends.
struct RowPart {
  uint32_t wide, narrow, single;
  uint32_t delayOffset; ///< delay * N
};
/// A synapse of a learning or reward group (docs/golden-model.md,
/// "Learning"): kept out of the rows, delivered one by one.
struct SideSynapse {
  uint32_t compartment; ///< global index
  int32_t mantissa;
  uint32_t delay;
  int32_t tag;
  int64_t weight; ///< chip::synapticWeight of the mantissa
};
/// A learning or reward group (InputAxon::learns(), InputAxon::reward); a
/// learning group's traces and last spike are GoldenModel::preTraces and
/// preLastSpike at its learningIndex.
struct SideAxon {
  uint32_t core = 0, axon = 0; ///< local input axon
  uint64_t firstSynapse = 0;   ///< core * 2^32 + position in the core
  uint32_t rule = UINT32_MAX;  ///< rule index; UINT32_MAX: a reward group
  uint32_t learningIndex = UINT32_MAX; ///< UINT32_MAX: a reward group
  bool reward = false;
  int8_t weightExponent = 0;
  bool spikedNow = false;
  std::vector<SideSynapse> synapses;
};
/// A learning synapse by its group's learning index and its position there.
struct SideSynapseRef {
  uint32_t learningIndex, synapse;
};
/// K traces of each of a set of neurons (x1, x2 of the learning axons; y1,
/// y2, y3 of the compartments with traces) as a structure of arrays, so
/// that one step's decay of a trace of every neuron is one vectorised loop
/// (KernelTable::decayTraces). A trace whose parameters are zero for every
/// neuron stays 0 and is never stepped.
template <unsigned K> struct TraceBank {
  uint32_t size = 0;
  std::array<std::vector<uint32_t>, K> values;
  /// Per neuron: what the trace keeps each step (chip::traceKeptFraction),
  /// its draws' index (chip::traceRandomIndex), its parameters.
  std::array<std::vector<uint32_t>, K> keep;
  std::array<std::vector<uint64_t>, K> randomIndex;
  std::array<std::vector<chip::TraceParams>, K> params;
  std::array<bool, K> used{};
  /// The values after each step of the epoch but its last,
  /// history[k][slot * size + i]; after the last, the values are current.
  std::array<std::vector<uint32_t>, K> history;

  void add(const chip::TraceParams *traceParams, uint64_t neuron,
           chip::Trace first, unsigned decayBits);
  void reserveHistory(uint32_t epochSteps);
  void decay(const KernelTable &kernels, uint64_t prefix, unsigned decayBits);
  void addImpulse(uint32_t i, const chip::TraceStep &step);
  void record(size_t slot);
  /// Trace k of neuron i after the step of `slot` in the epoch, `last` the
  /// epoch's last slot (the step just taken). An unused trace has no
  /// history: it is 0 throughout.
  uint32_t at(unsigned k, uint32_t i, size_t slot, size_t last) const {
    return slot == last || !used[k] ? values[k][i]
                                    : history[k][slot * size + i];
  }
};
} // namespace detail

/// How the golden model stores the synapses it delivers (docs/golden-model.md):
/// with int32 accumulators, synapses of a row that fall close together are
/// merged into windows added with one vector instruction each.
struct DeliveryLayout {
  uint64_t wideWindows = 0; ///< 16 adjacent accumulators
  /// Copies of the wide windows' weights: windows with equal weights (a
  /// convolution's, position after position) share one.
  uint64_t wideWeightCopies = 0;
  uint64_t narrowWindows = 0;  ///< 4 adjacent accumulators
  uint64_t windowSynapses = 0; ///< synapses merged into windows
  uint64_t singleSynapses = 0; ///< synapses added one by one
  /// Compartments of populations re-ordered channels-last
  /// (ModelOptions::placeAccumulators).
  uint64_t placedCompartments = 0;
};

/// Joins each step's spikes among the processes that run the parts of one
/// image (ModelOptions::parts; `cajal run` under mpirun implements it with
/// MPI).
class SpikeExchange {
public:
  virtual ~SpikeExchange();
  /// Called once per step by every part, after its update: `spikes` holds
  /// the global compartment indices of this part's spikes; on return it
  /// holds every part's spikes of the step, in any order.
  virtual void exchange(std::vector<uint32_t> &spikes) = 0;
};

/// How GoldenModel::create builds the model.
struct ModelOptions {
  /// Instruction set of the update loop. Unset: the one the environment
  /// variable CAJAL_GOLDEN_ISA names (generic, avx2, avx512; valgrind 3.19
  /// decodes no AVX-512), else the best the CPU has. Every choice gives
  /// the same results.
  std::optional<Isa> isa;
  /// int16 accumulators where the loader proves them exact: every weight
  /// is a multiple of 2^k and no compartment can receive 2^15 * 2^k or more
  /// in a step (the accumulators then hold input / 2^k). Half the bytes of
  /// int32 ones for delivery and update to move. False keeps int32 (tests
  /// compare the two; results are the same).
  bool narrowAccumulators = true;
  /// The caller has already checked chip::validate(image, profile); create
  /// skips it (cajal run validates once, when it loads the image).
  bool imageValidated = false;
  /// 64-bit lanes and int64 accumulators everywhere, even where 32 bits are
  /// proven to suffice (tests compare the two; results are the same).
  bool wideArithmetic = false;
  /// With int32 accumulators, re-order the compartments of a population
  /// (their state and accumulators) when that puts the targets of a row
  /// next to each other (a CNN's channels-first layout does the opposite;
  /// docs/golden-model.md). False keeps compartment order (tests compare
  /// the two). Either way every observation (spikes, state, counters) is
  /// by the image's compartment index.
  bool placeAccumulators = true;
  /// Run the LIF-family compartments through the fused interpreter
  /// too, instead of the LIF kernels (tests compare the two; results are
  /// the same).
  bool interpretLif = false;
  /// Run the shipped Izhikevich and adaptive-LIF programs and the compiled
  /// trees' lifTreeProgram compartments through their straight-line
  /// kernels; false runs them in the fused interpreter
  /// (tests compare the two; results are the same).
  bool programFastPaths = true;
  /// Threads a step runs on (`cajal run --threads`; at least 1): the
  /// update runs and the delivery of the step's spikes are split among
  /// them, each thread delivering into an accumulator ring of its own,
  /// which the next update adds up. Integer sums do not depend on their
  /// order: every result is the same for any number of threads.
  uint32_t threads = 1;
  /// The load clears a synapse array of at least this many bytes on a
  /// thread of its own while it wires the rest (a large array's fresh pages
  /// cost seconds); a smaller one is cleared where it is filled, in pages
  /// the image read has just freed (a new thread's allocations start on
  /// fresh ones). The model is the same either way.
  uint64_t clearSynapsesAsideFrom = uint64_t(16) << 20;
  /// From this many synapses, the input bounds behind the accumulator
  /// width and the proven folds are summed on the load threads, each over
  /// every row into its own range of target compartments (below it, on one
  /// thread: starting threads would cost more). The bounds are the same
  /// either way.
  uint64_t splitBoundsFrom = uint64_t(1) << 20;
  /// An image that learns (Image::learning) runs with int64 accumulators
  /// in compartment order whatever narrowAccumulators and
  /// placeAccumulators say (learned weights void the width proof), and in
  /// one part only (docs/golden-model.md, "Learning").
  ///
  /// Run part `part` of `parts` (`mpirun -np N cajal run`): the chips of
  /// the image are split into `parts` ranges of consecutive chips of about
  /// equal work (compartments plus synapses), and this model updates only
  /// the compartments of its chips and keeps only the synapses into them.
  /// Every step it hands its spikes to `exchange` and delivers every part's
  /// spikes into its own chips, so its spikes, and the state words and
  /// counters of its cores, are those of the whole model; compartments of
  /// other parts' cores are not updated (their state is their initial one).
  uint32_t part = 0, parts = 1;
  SpikeExchange *exchange = nullptr; ///< required when parts > 1
};

class GoldenModel {
public:
  /// Validate `image` against `profile` and build the model at step 0.
  static Result<GoldenModel> create(const chip::Image &image,
                                    const chip::Profile &profile,
                                    const ModelOptions &options = {});
  /// The same, consuming `image`: each core's output axons, input axons and
  /// synapse words are released once the model holds them, so that a large
  /// image and the model built from it are not both in memory at once.
  static Result<GoldenModel> create(chip::Image &&image,
                                    const chip::Profile &profile,
                                    const ModelOptions &options = {});
  /// The same for an image whose cores' input axons and synapse words come
  /// from `tables` core by core (chip::readImageStreamed, which has
  /// validated it): the model never holds them all at once.
  static Result<GoldenModel> create(chip::Image &&image,
                                    chip::CoreTables &tables,
                                    const chip::Profile &profile,
                                    const ModelOptions &options = {});
  /// Can this build run `isa`'s update loop on this CPU?
  static bool isaAvailable(Isa isa);
  /// The instruction set the update loop runs with.
  Isa isa() const { return kernelIsa; }
  /// Compartments updated in 32-bit lanes (their value ranges fit, proven
  /// at load), the rest in 64-bit lanes; whether accumulators are 32-bit.
  uint32_t compartmentsIn32BitLanes() const { return lanes32; }
  /// Compartments whose update leaves out the clips of the input, of u (its
  /// wrap) and of v: the loader proved from their constants, the most input
  /// they can receive in a step and their initial state that none can act.
  uint32_t clipFreeCompartments() const;
  /// Bits of an accumulator: 16 or 32 (with int16 ones they hold input /
  /// 2^accumulatorShift()), else 64.
  unsigned accumulatorBits() const {
    return !ring16.empty() ? 16 : !ring32.empty() ? 32 : 64;
  }
  unsigned accumulatorShift() const { return accShift; }

  /// Spikes of the External sources (`cajal run --input`), nodes as in
  /// nodes(). Replaces earlier ones; spikes before the current step are
  /// ignored. Errors name the node and the value.
  Status setExternalSpikes(std::vector<spikeio::SpikeRecord> spikes);

  /// Run step currentStep(): update, then deliver its spikes.
  void step();
  /// Threads each step runs on (ModelOptions::threads).
  uint32_t threadCount() const { return threadRings; }
  /// Does this model update `core` (ModelOptions::parts: the cores of its
  /// part's chips; with one part, every core)?
  bool ownsCore(uint32_t core) const {
    return coreOwned.empty() || coreOwned[core];
  }
  void run(uint32_t steps) {
    for (uint32_t i = 0; i < steps; ++i)
      step();
  }
  /// Steps run so far; the last step run is currentStep() - 1.
  uint32_t currentStep() const { return stepIndex; }

  /// Compartments (global indices) that spiked in the last step, ascending.
  const std::vector<uint32_t> &lastSpikingCompartments() const;
  /// Population spikes of the last step, sorted by (population, neuron);
  /// compartments outside every population are left out.
  void lastSpikes(std::vector<emulator::NeuronSpike> &out) const;
  /// Source spikes of the last step, sorted by (source, index).
  const std::vector<emulator::SourceSpikeEvent> &lastSourceSpikes() const {
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
  /// For a compartment that runs a program outside the LIF family: u =
  /// state word 0, v = state word 1 (0 when absent), refractoryLeft = the
  /// refractory counter (0 when none).
  chip::CompartmentState compartmentState(uint32_t global) const {
    const uint32_t i = position[global];
    if ((!programGroupAt.empty() && programGroupAt[i] != kNoGroup) ||
        (!treeAt.empty() && treeAt[i] != kNoGroup))
      return programState(i);
    chip::CompartmentState s;
    s.u = hot.u[i];
    s.v = hot.v[i];
    s.refractoryLeft = uint8_t(hot.refractoryLeft[i]);
    return s;
  }
  /// Every state word of a compartment's program after the last step (for
  /// the LIF family: u, v, the refractory counter).
  std::vector<int32_t> stateWords(uint32_t population, uint32_t neuron) const {
    return compartmentStateWords(compartmentOf(population, neuron));
  }
  std::vector<int32_t> compartmentStateWords(uint32_t global) const;
  /// Compartments the program groups update (docs/golden-model.md).
  uint32_t interpretedCompartments() const { return interpreted; }
  /// First global compartment index of each core (cores + 1 entries).
  const std::vector<uint32_t> &coreCompartmentBegin() const {
    return compBegin;
  }
  uint32_t compartmentCount() const { return uint32_t(position.size()); }

  /// The axon and synaptic event counts are derived on demand from
  /// per-sender spike counts (the step loop keeps only those). With
  /// several parts, activeUpdates and idleUpdates count this part's
  /// compartments (the parts' sum is the whole model's); the rest are the
  /// whole model's.
  const emulator::Counters &counters() const;
  const DeliveryLayout &deliveryLayout() const { return layout; }
  /// Compartments of dendritic trees that run fused (docs/golden-model.md,
  /// "Dendritic trees"); a shape whose accumulators turn out too wide runs
  /// unfused from its first step on.
  uint64_t fusedTreeCompartments() const { return trees.fusedCount(); }
  /// Per core; derived on demand from per-sender spike counts (the step
  /// loop keeps only those), valid until the next step. With several
  /// parts, a core outside this part has no active or idle updates.
  const std::vector<emulator::CoreCounters> &coreCounters() const;
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

  /// Learning (docs/learning.md; docs/golden-model.md, "Learning"), the
  /// reference engine's views. Does the image learn?
  bool learns() const { return learningSetting.enabled(); }
  /// The synapses of a learning or reward group after the last step (local
  /// compartment, mantissa, delay, tag); empty for a fixed group, whose
  /// synapses the model keeps merged into its rows only.
  std::vector<chip::Synapse> synapses(uint32_t core, uint32_t axon) const;
  /// A learning axon's pre-synaptic trace x1 (which 0) or x2 (1) after the
  /// last step; 0 for an axon that does not learn.
  uint32_t preTrace(uint32_t core, uint32_t axon, unsigned which) const;
  /// A compartment's post-synaptic trace y1 (which 0), y2, y3 after the
  /// last step, and its third factor r (the reward of the current epoch).
  uint32_t postTrace(uint32_t global, unsigned which) const;
  int64_t reward(uint32_t global) const;

private:
  GoldenModel() = default;
  struct Loader;
  struct RowBuilder;
  /// create()'s work; `releasable` is the image itself when create() may
  /// release its output axons as it goes, else null; `tables` gives the
  /// cores' input axons and synapse words.
  static Result<GoldenModel> build(const chip::Image &image,
                                   chip::Image *releasable,
                                   chip::CoreTables &tables,
                                   const chip::Profile &profile,
                                   const ModelOptions &options);
  /// The core of global input axon `axon`, from `hint` (a core near it:
  /// the axons a walk visits in turn are mostly on one core).
  uint32_t coreOfAxon(uint32_t axon, uint32_t hint) const;
  void updateCompartments();
  /// Runs updateRuns[first, last) with the step's accumulators; spikes go
  /// to `spikes` (returned: past the last), idle counts of IdlePerRun runs
  /// to `idleOut` (per core), their sum to `idle`.
  uint32_t *updateRunRange(size_t first, size_t last, uint32_t *spikes,
                           uint64_t *idleOut, uint64_t &idle);
  /// With several threads: adds the other threads' rings' slot of this
  /// step into ring 0 (and zeroes them).
  void gatherRings();
  /// With several parts: replaces this part's spikes of the step with
  /// every part's (ModelOptions::exchange).
  void exchangeSpikes();
  /// The program groups; returns their idle updates.
  uint32_t updatePrograms(uint32_t *&spikes);
  chip::CompartmentState programState(uint32_t position) const;
  void emitSourceSpikes();
  /// Appends the spikes of Poisson group source `s` to sourceSpiking;
  /// returns the rows its repeated spikes add (on the worker threads when
  /// it has many channels).
  size_t drawPoissonGroup(uint32_t s);
  /// Appends the spikes of channels [from, to) of Poisson group `s` to
  /// `out`; returns the rows their repeated spikes add.
  size_t drawChannels(uint32_t s, uint32_t from, uint32_t to,
                      std::vector<emulator::SourceSpikeEvent> &out) const;
  /// Lists the rows (parts) of this step's spikes in rowEvents, counts
  /// them; returns how many.
  size_t queueSpikes();
  void deliverRows64(const uint32_t *events, size_t count, int64_t *ring);
  template <typename Acc>
  void deliverParts(const uint32_t *events, size_t count, Acc *ring,
                    const detail::WideLanes<Acc> *wide,
                    const detail::NarrowLanes<Acc> *narrow);
  void deliverSpikes();
  /// Learning: the step's spikes through the learning and reward groups
  /// (after the rows), rewards arriving, traces and, at an epoch's end,
  /// the rules (GoldenLearning.cpp).
  void deliverSideGroups();
  void takeRewards();
  void learn();
  void applyRules(uint64_t epoch);

  enum PopulationFlag : uint8_t { RecordSpikes = 1, RecordState = 2 };

  chip::NeuronFormat format;
  uint32_t stepIndex = 0;

  // Compartments, global index = compBegin[core] + local index. The update
  // loop reads structure-of-arrays: the state, and per compartment the
  // constants that chip::updateCompartment would derive from its
  // CompartmentParams and the NeuronFormat every step (docs/golden-model.md).
  // The arrays, and the accumulators of a ring slot, are in update order:
  // global compartment g is at position[g], compartment atPosition[i] at i.
  // That is the global order, except that re-ordered populations
  // (ModelOptions::placeAccumulators) come first, channels-last.
  std::vector<uint32_t> compBegin;
  std::vector<uint32_t> position, atPosition;
  bool reordered = false; ///< position is not the identity
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
    std::vector<int32_t> bias32;     ///< the same where it fits 32 bits
    std::vector<int32_t> fired;      ///< spike flags of the last update (int32:
                                     /// one lane width keeps the loop narrow)
  } hot;
  /// Runs of positions updated by one loop variant: stretches of
  /// compartments with identical constants (uniform: held in registers)
  /// and the rest, merged across cores of the same lane width. A core that
  /// has a zero-bias compartment (only those can be idle) has runs of its
  /// own, counting idle updates for `core` (idle = IdlePerRun), except in
  /// re-ordered populations, whose runs mix cores and count per compartment
  /// (IdlePerCompartment, into idlePerPosition).
  struct UpdateRun {
    uint32_t begin, end, core;
    bool lanes32;
    uint8_t idle; ///< detail::IdleCount
    bool uniform;
    /// Uniform: the work the hand-written loops may leave out, proven at
    /// load (the detail::folded* bits).
    uint8_t folded = 0;
  };
  std::vector<UpdateRun> updateRuns;
  /// Compartments outside the runs: one group per program, updated after
  /// the runs (ProgramUpdate.h). By update position: the group and lane of
  /// a compartment (kNoGroup: a LIF run's; empty when no compartment is in
  /// a group).
  std::vector<detail::ProgramGroup> programGroups;
  static constexpr uint32_t kNoGroup = UINT32_MAX;
  std::vector<uint32_t> programGroupAt, programLaneAt;
  /// The compartments of dendritic trees, updated after the groups; by
  /// update position, a compartment's index there (kNoGroup: not in a tree;
  /// empty when the image has no tree).
  detail::TreeCompartments trees;
  std::vector<uint32_t> treeAt;
  uint32_t interpreted = 0;
  const detail::KernelTable *kernels = nullptr;
  /// Loops that list spikes themselves (null: scan the flags).
  const detail::FusedKernels *fused = nullptr;
  Isa kernelIsa = Isa::Generic;
  uint32_t lanes32 = 0;
  std::vector<uint64_t> idlePerCore;
  std::vector<uint32_t> idlePerPosition; ///< empty: no IdlePerCompartment run

  // Senders: the compartment at update position i is sender i, global
  // source channel ch is sender N + ch (the loader builds these by global
  // index; orderCompartments puts them in update order). A spike of sender k
  // delivers the synapse rows senderRows[senderRowBegin[k] ..
  // senderRowBegin[k+1]): its private row (every synapse of the input axons
  // only it reaches, merged) and one row per input axon it shares with other
  // senders. With int64 accumulators row r is flatSynapses[rowBegin[r] ..
  // rowBegin[r+1]), sorted by offset. With int32 accumulators the rows are
  // split into parts of one delay each (senderRows lists parts), and part p
  // holds the windows wideOffset[ rowParts[p].wide .. rowParts[p+1].wide),
  // likewise the narrow ones, and single synapses from rowParts[p].single: the
  // synapses of the row that fall close together are in windows, the rest stay
  // single.
  std::vector<uint32_t> senderRowBegin, senderRows, rowBegin;
  using FlatSynapse = detail::FlatSynapse;
  std::vector<FlatSynapse> flatSynapses;
  std::vector<detail::RowPart> rowParts;
  /// A window adds its weights to the accumulators at offset .. offset +
  /// lanes - 1 (offset as for a synapse).
  std::vector<uint32_t> wideOffset, narrowOffset;
  std::vector<detail::WideWeights> wideWeights;
  /// Wide window i adds wideWeights[wideWeightIndex[i]]: windows with equal
  /// weights share them.
  std::vector<uint32_t> wideWeightIndex;
  std::vector<detail::NarrowWeights> narrowWeights;
  /// With int16 accumulators the window weights are these (weight / 2^k),
  /// and `synapses` holds weight / 2^k too; the int32 ones are empty.
  std::vector<detail::WideLanes<int16_t>> wideWeights16;
  std::vector<detail::NarrowLanes<int16_t>> narrowWeights16;
  DeliveryLayout layout;
  /// Per sender: output axons (or channel targets), synapses reached, and
  /// spikes so far (the per-core counters are derived from these).
  std::vector<uint32_t> senderAxons;
  std::vector<uint64_t> senderSynapses, senderSpikes;
  /// Rows (row parts with int32 accumulators) to deliver in the current
  /// step, from the start (size: every sender's, as each spikes at most
  /// once a step).
  std::vector<uint32_t> rowEvents;

  // For the per-core counters: output axons of global compartment c are
  // outTargets[outBegin[c] .. outBegin[c+1]) (global input axons, index =
  // axonBegin[core] + local); the synapse count of each input axon (while
  // the rows are built, RowBuilder keeps each axon's place in it instead).
  std::vector<uint32_t> outBegin, outTargets;
  std::vector<uint32_t> axonBegin, axonSynapseCount;

  /// Ring of S = ringSlots accumulator slots of ringStride accumulators,
  /// slot-major: the update reads the input of compartment c for step t at
  /// ring[(t % S) * ringStride + position[c]]. int32 when no compartment can
  /// receive 2^31 or more in a step (proven at load); then 15 zero accumulators
  /// follow the ring, for the lanes of a window past the last compartment
  /// (they only ever receive zero), and ring32 has 15 more of room so that
  /// the ring can start on a 64-byte boundary (ring32Start).
  std::vector<int32_t> ring32;
  std::vector<int64_t> ring64;
  /// The int16 ring (ModelOptions::narrowAccumulators), laid out as ring32,
  /// holding input / 2^accShift; ring32 is then empty.
  std::vector<int16_t> ring16;
  unsigned accShift = 0;
  template <typename T> static T *cacheLineStart(std::vector<T> &v) {
    const uintptr_t p = reinterpret_cast<uintptr_t>(v.data());
    return reinterpret_cast<T *>((p + 63) & ~uintptr_t(63));
  }
  /// The int32 ring starts on a 64-byte boundary within ring32 (it has 15
  /// accumulators of room for that), so that aligned windows are.
  int32_t *ring32Start() { return cacheLineStart(ring32); }
  int16_t *ring16Start() { return cacheLineStart(ring16); }
  uint32_t ringSlots = 1;
  /// Threads (ModelOptions::threads): ring t of thread t >= 1 is
  /// extraRings16/32/64[t - 1], laid out as ring 0; runSplit[t] .. [t+1]
  /// are thread t's update runs, writing spikes into threadSpikes[t] and
  /// idle counts into threadIdle[t] (per core; counters add them).
  uint32_t threadRings = 1;
  std::shared_ptr<detail::WorkerPool> pool;
  std::vector<std::vector<int16_t>> extraRings16;
  std::vector<std::vector<int32_t>> extraRings32;
  std::vector<std::vector<int64_t>> extraRings64;
  std::vector<size_t> runSplit;
  std::vector<std::vector<uint32_t>> threadSpikes;
  std::vector<std::vector<uint64_t>> threadIdle;
  /// Per thread, this step's idle updates and spikes (kept to avoid
  /// allocating every step).
  std::vector<uint64_t> threadIdleCount;
  std::vector<uint32_t> threadSpikeCount;
  /// Per thread, its Poisson group draws (drawPoissonGroup).
  std::vector<std::vector<emulator::SourceSpikeEvent>> threadDraws;
  std::vector<size_t> threadRepeatedRows;
  /// Ring t's start (t = 0: ring16Start() etc.).
  template <typename T> T *ringOf(uint32_t t);
  /// Parts (ModelOptions::parts): the cores this model updates (empty:
  /// every core), how many compartments they have, the exchange and its
  /// buffer of global compartment indices.
  std::vector<uint8_t> coreOwned;
  uint32_t ownedCompartments = 0;
  SpikeExchange *spikeExchange = nullptr;
  std::vector<uint32_t> exchanged;
  /// N, or with int32 accumulators N rounded up to 16 (so that slots start
  /// on 64-byte boundaries); accumulators past N only ever receive zero.
  uint32_t ringStride = 0;

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
  // compPopulation and flatNeuronAt = populationBase[p] + n, the flat
  // neuron index (UINT32_MAX outside every population). compPopulation is
  // by global index; flatNeuronAt by update position (built by global
  // index; orderCompartments puts it in update order).
  std::vector<uint32_t> populationBase, neuronCompartment;
  std::vector<uint32_t> compPopulation, flatNeuronAt;
  std::vector<uint8_t> populationFlags;
  spikeio::NodeTable nodeTable;

  /// The last update's spikes: spikingPositions[0 .. spikeCount), update
  /// positions in update order (room for every compartment and 15 more:
  /// the hand-written loops store whole vectors).
  std::vector<uint32_t> spikingPositions;
  uint32_t spikeCount = 0;
  bool rareSpikes = true; ///< of the last step (step())
  /// lastSpikingCompartments()' result: global indices, ascending.
  mutable std::vector<uint32_t> spikingGlobal;
  std::vector<emulator::SourceSpikeEvent> sourceSpiking;
  /// A Poisson source's channels that fire in the step (scratch).
  std::vector<uint32_t> firingChannels;
  /// flatNeuronAt ascends over the positions (outside-population ones
  /// aside): spikes, listed in position order, are in flat order already.
  bool spikesInFlatOrder = true;
  /// lastSpikes()' working space (kept to avoid allocating every step):
  /// flat neuron indices; a bit per flat neuron, and a bit per word of
  /// those (all zero between calls).
  mutable std::vector<uint32_t> flatScratch;
  mutable std::vector<uint64_t> flatBits, flatSummary;
  /// counters() completes it.
  mutable emulator::Counters totals;

  // Learning (GoldenLearning.cpp; empty when the image does not learn).
  chip::ImageLearning learningSetting;
  chip::Profile learningProfile; ///< the widths learning rounds to
  /// The learning and reward groups, in core and axon order; sideOf[global
  /// input axon] is a group's index there (none: a fixed group, in the
  /// rows). A spike of sender k (global compartment k, or source channel
  /// N + ch) reaches groups sideSenders[sideSenderBegin[k] ..
  /// sideSenderBegin[k + 1]).
  std::vector<detail::SideAxon> sideAxons;
  std::vector<uint32_t> sideOf, sideSenderBegin, sideSenders;
  /// x1, x2 and the step of the last spike of the learning groups' axons,
  /// by learning index; learningSide[learning index] is the group's index
  /// in sideAxons.
  detail::TraceBank<2> preTraces;
  std::vector<int64_t> preLastSpike;
  std::vector<uint32_t> learningSide;
  /// y1..y3 of the compartments with a trace of non-zero parameters
  /// (tracedCompartments[slot]; postSlot[global] is the inverse, none for
  /// the others, whose traces stay 0).
  detail::TraceBank<3> postTraces;
  std::vector<uint32_t> tracedCompartments, postSlot;
  /// Per global compartment: the step of its last spike, its third factor.
  std::vector<int64_t> postLastSpike, rewards;
  /// The learning synapses that end at each compartment:
  /// incoming[incomingBegin[g] .. incomingBegin[g + 1]).
  std::vector<uint32_t> incomingBegin;
  std::vector<detail::SideSynapseRef> incoming;
  /// Learning axons that received a spike in this step (learning indices).
  std::vector<uint32_t> preSpikingNow;
  /// The learning axons (learning indices) that spiked in the current
  /// epoch, and the
  /// targets of learning synapses that did: without u terms, an epoch
  /// changes only their synapses (chip::ruleLeavesUnchanged).
  std::vector<uint32_t> epochSpikingAxons, epochSpikingCompartments;
  /// A u term changes synapses in every epoch: none can be skipped. Only a
  /// rule with u terms reads the traces at the epoch's end.
  bool anyRuleHasUTerm = false;
  std::vector<uint8_t> ruleHasUTerm;
  uint64_t learningSynapseCount = 0;
  /// Rewards on their way: S slots of N, by global compartment.
  std::vector<int64_t> rewardRing;
  /// coreCounters()' result.
  mutable std::vector<emulator::CoreCounters> perCore;
};

} // namespace cajal::golden

#endif // CAJAL_GOLDEN_GOLDENMODEL_H
