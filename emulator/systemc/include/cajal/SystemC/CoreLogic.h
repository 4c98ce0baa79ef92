//===- CoreLogic.h - The functional neurocore -------------------*- C++ -*-===//
//
// What one neurocore computes, without SystemC and without time: the
// dendritic accumulators (one slot per delay), the synapse unit that adds a
// synapse group's weights into them (the group unpacked once, at
// construction, from the packed synapse memory in the profile's format), and
// the time-multiplexed compartment update that follows
// chip::updateCompartment for each compartment in index order (the LIF
// family) or runs the compartment's program in chip::interpret (any other
// program; its update takes chip::programCost cycles). The SystemC
// core module wraps it with timing; the RTL lockstep checker can drive it
// directly (same states, same spikes).
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_SYSTEMC_CORELOGIC_H
#define CAJAL_SYSTEMC_CORELOGIC_H

#include "cajal/Chip/Compartment.h"
#include "cajal/Chip/CompartmentPrograms.h"
#include "cajal/Chip/Image.h"
#include "cajal/Chip/Profile.h"
#include "cajal/Chip/Result.h"

#include <array>
#include <cstdint>
#include <vector>

namespace cajal::systemc {

class CoreLogic {
public:
  /// `core` must have passed chip::validate against `profile`. Every
  /// compartment runs the LIF program its record names.
  CoreLogic(const chip::Core &core, const chip::Profile &profile);
  /// With the image's resolved programs (chip::resolvePrograms) and the
  /// core's index in the image: compartments outside the LIF family run
  /// their program in chip::interpret.
  /// Where a core's learning sits in the image (docs/learning.md): the
  /// image's learning, the global index of the core's first input axon and
  /// first compartment (the random draws' keys), and each compartment's
  /// post-synaptic traces.
  struct LearningSetup {
    const chip::ImageLearning *learning = nullptr;
    uint64_t firstAxon = 0;
    uint32_t firstCompartment = 0;
    std::vector<std::array<chip::TraceParams, 3>> postTraces;
  };
  /// Core `core`'s setup in `image` (which it points into); learning null
  /// when the image does not learn.
  static LearningSetup learningSetupFor(const chip::Image &image,
                                        uint32_t core);
  /// `learning` null or not enabled: the core does not learn.
  CoreLogic(const chip::Core &core, const chip::Profile &profile,
            const chip::ResolvedPrograms &programs, uint32_t imageCore,
            const LearningSetup *learning = nullptr);

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
    /// Energy of the active updates: chip::programCost of each one's
    /// program (the LIF family's on the profile for LIF compartments).
    double activeEnergyPJ = 0;
  };
  /// Update every compartment for `step` from its accumulator slot, in
  /// index order; an active update of a LIF-family compartment takes
  /// `activeCycles`, one of another program chip::programCost(program)
  /// cycles, an inactive one (the program's idle rule) `inactiveCycles`.
  /// Appends the spikes to `spikes` in index order and, if `ends` is given,
  /// every compartment's end cycle to `ends`.
  UpdateStats update(uint32_t step, uint32_t activeCycles,
                     uint32_t inactiveCycles, std::vector<Emission> &spikes,
                     std::vector<uint64_t> *ends = nullptr);

  struct ReadStats {
    uint32_t synapses = 0; ///< synaptic ops (weights added)
    uint32_t words = 0;    ///< synapse-memory words the group occupies
  };
  /// A spike of step `step` on input axon `axon`: add each weight of its
  /// group to the slot of step + delay.
  ReadStats receive(uint32_t step, uint32_t axon);

  /// The learning phase after step `step`'s deliveries: every trace's step,
  /// and at an epoch's end the rules; `spikes` are the step's emissions.
  /// Returns the learning synapses updated (0 outside an epoch's end).
  uint64_t learn(uint32_t step, const std::vector<Emission> &spikes);
  bool learns() const { return learning.enabled(); }
  /// A learning or reward group's synapses as they are now (local
  /// compartments); empty for the other groups.
  std::vector<chip::Synapse> synapses(uint32_t axon) const;
  uint32_t preTrace(uint32_t axon, unsigned which) const;
  uint32_t postTrace(uint32_t compartment, unsigned which) const;
  int64_t reward(uint32_t compartment) const;
  /// The reward arriving for step `step` at compartment c: learn(step)
  /// adds it to reward(c) (0 when the core does not learn).
  int64_t pendingReward(uint32_t step, uint32_t c) const {
    return rewardAcc.empty()
               ? 0
               : rewardAcc[size_t(step % slots) * states.size() + c];
  }

  uint32_t compartmentCount() const { return uint32_t(states.size()); }
  uint32_t inputAxonCount() const { return uint32_t(groups.size()); }
  uint32_t synapseCount(uint32_t axon) const { return groups[axon].synapses; }
  /// For a compartment outside the LIF family: u = state word 0, v = state
  /// word 1 (0 when absent), refractoryLeft = the refractory counter.
  const chip::CompartmentState &state(uint32_t c) const { return states[c]; }
  /// Every state word of compartment c's program (LIF family: u, v, the
  /// refractory counter).
  std::vector<int32_t> stateWords(uint32_t c) const;
  /// Whether compartment c runs in chip::interpret.
  bool interprets(uint32_t c) const {
    return !programOf.empty() && programOf[c] != kLif;
  }
  /// Accumulated input of compartment c for step `step` (not saturated).
  int64_t pendingInput(uint32_t step, uint32_t c) const {
    return acc[size_t(step % slots) * states.size() + c];
  }
  uint32_t ringSlots() const { return slots; }

private:
  /// A compartment's update constants, precomputed from its parameters
  /// (32 bytes: the update streams them every step).
  struct UpdateConstants {
    int64_t bias;       ///< chip::biasValue
    int32_t vmin, vmax; ///< clip bounds of v (fit 32 bits: chip::Profile)
    /// min(threshold, vmax): the same spikes, as v <= vmax; vmax for
    /// NoSpike.
    int32_t fireAbove;
    uint32_t scaleU;    ///< 2^decayBits - (decayU + 1)
    uint32_t scaleV;    ///< 2^decayBits - decayV
    uint8_t refractory; ///< steps
    uint8_t resetBySubtraction;
  };
  /// The core-wide part of chip::updateCompartment.
  struct NeuronConstants {
    int64_t accLimit; ///< q saturates to +-accLimit
    int64_t wrapHalf; ///< 2^(currentBits - 1)
    int64_t wrapMask; ///< 2^currentBits - 1
    unsigned decayBits;
  };
  /// One synapse of an unpacked group: accumulator offset delay * N +
  /// target, and a weight that the group's shift scales to the effective
  /// weight (chip::synapticWeight).
  template <typename Offset, typename Weight> struct Target {
    Offset offset;
    Weight weight;
  };
  /// Four bytes a synapse, the packed memory's density within 2x: used when
  /// every offset fits 16 bits and every weight is a 16-bit mantissa
  /// shifted left (or, for a negative total shift, a small exact weight).
  using CompactTarget = Target<uint16_t, int16_t>;
  /// Any legal core: exact 64-bit weights, shift 0.
  using WideTarget = Target<uint32_t, int64_t>;

  /// An input axon's synapses: targets[begin, begin + synapses), sorted by
  /// offset; `words` synapse-memory words in the packed image.
  struct Group {
    uint32_t begin, synapses, words, shift;
  };
  void prepareUpdate(const chip::Core &core, const chip::NeuronFormat &f);
  /// The LIF compartments' state before step 0 (Core::initialWords).
  void setInitialLifState(const chip::Core &core);
  void preparePrograms(const chip::Core &core, const chip::Profile &profile,
                       const chip::ResolvedPrograms &programs,
                       uint32_t imageCore);
  /// The update of a core with compartments outside the LIF family.
  UpdateStats updateMixed(int64_t *slot, uint32_t activeCycles,
                          uint32_t inactiveCycles,
                          std::vector<Emission> &spikes,
                          std::vector<uint64_t> *ends);

  /// Compartments outside the LIF family: programOf[c] indexes programs
  /// (kLif for a LIF compartment; empty when the core has none), with the
  /// compartment's state and parameter words.
  static constexpr uint32_t kLif = UINT32_MAX;
  struct CoreProgram {
    chip::Program program;
    uint64_t cycles = 0;
    double energyPJ = 0;
  };
  std::vector<CoreProgram> programs;
  std::vector<uint32_t> programOf;
  std::vector<std::vector<int32_t>> words;
  std::vector<std::vector<int64_t>> params;
  /// Dendritic trees (docs/neurocore-isa.md): treeRoot[c] is the root of
  /// compartment c's neuron (ResolvedPrograms::kNotInTree for a point
  /// neuron; empty when the core has no tree), rootSpiked[r] whether root
  /// r spiked in its last update (bap), treeStack the stack of the tree
  /// being updated.
  std::vector<uint32_t> treeRoot;
  std::vector<uint8_t> rootSpiked;
  std::vector<int64_t> treeStack;
  /// chip::programCost of the LIF program: every LIF-family variant's.
  double lifEnergyPJ = 0;
  void unpackGroups(const chip::Core &core, const chip::SynapseFormat &f);
  void prepareLearning(const chip::Core &core, const chip::Profile &profile,
                       const LearningSetup &setup, uint32_t imageCore);
  ReadStats receiveSideGroup(uint32_t step, uint32_t axon);

  /// Learning and reward groups stay out of the delivery tables (their
  /// weights change, or go to r): each is a plain list in stored order.
  struct SideSynapse {
    uint32_t compartment = 0;
    int32_t mantissa = 0, tag = 0;
    uint32_t delay = 1;
    int64_t weight = 0;
  };
  struct SideGroup {
    uint32_t rule = chip::InputAxon::kNoLearning;
    bool reward = false;
    int8_t weightExponent = 0;
    uint32_t words = 0;
    uint64_t traceNeuron = 0, firstSynapse = 0;
    std::vector<SideSynapse> synapses;
    std::array<uint32_t, 2> trace{};
    std::vector<std::array<uint32_t, 2>> history;
    int64_t lastSpike = -1;
    bool spikedNow = false;
  };
  struct PostLearning {
    std::array<chip::TraceParams, 3> params{};
    std::array<uint32_t, 3> trace{};
    std::vector<std::array<uint32_t, 3>> history;
    int64_t lastSpike = -1;
    int64_t reward = 0;
  };
  static constexpr uint32_t kNoSide = UINT32_MAX;
  chip::ImageLearning learning;
  chip::Profile learningProfile; ///< the widths learning rounds to
  uint32_t firstCompartment = 0;
  std::vector<uint32_t> sideOf; ///< by axon; empty when nothing learns
  std::vector<SideGroup> sideGroups;
  std::vector<PostLearning> post; ///< by compartment
  std::vector<int64_t> rewardAcc; ///< reward ring, as acc
  /// step % slots, remembered: every spike of a step asks for it.
  uint32_t slotOf(uint32_t step) {
    if (step != cachedStep) {
      cachedStep = step;
      cachedSlot = step % slots;
    }
    return cachedSlot;
  }

  NeuronConstants neuron;
  std::vector<UpdateConstants> constants;
  std::vector<chip::CompartmentState> states;
  std::vector<Group> groups;
  /// Every group's targets in one of the two layouts (the other is empty).
  std::vector<CompactTarget> compactTargets;
  std::vector<WideTarget> wideTargets;
  /// [axon * slots + s]: how many of the axon's targets lie before the
  /// ring's end when the current step has slot s (the rest wrap around).
  std::vector<uint32_t> unwrapped;
  /// Dendritic accumulators: slot-major, slot s holds the input of the
  /// steps t with t % slots == s. slots = largest delay of the core + 1.
  std::vector<int64_t> acc;
  uint32_t slots = 2;
  uint32_t cachedStep = 0, cachedSlot = 0;
  /// The spikes of an update, written without a branch (room for all).
  std::vector<Emission> fired;
};

} // namespace cajal::systemc

#endif // CAJAL_SYSTEMC_CORELOGIC_H
