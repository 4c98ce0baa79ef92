//===- TreeKernels.h - Dendritic trees fused into one loop -----*- C++ -*-===//
//
// Internal to CajalGolden. A tree shape (TreeCompartments) whose every
// position is a lifTreeProgram compartment, laid out position by position
// in runs of neurons (FusedTreeSegment; the golden model's loader lays like
// trees out so), and whose values provably fit 32-bit lanes (fuseLifTree,
// ProgramUpdate.cpp) runs fused: its state in blocks of 16 neurons, its
// positions run block by block of neurons with every value in a 32-bit lane
// (TreeAvx512.cpp). It computes exactly what the LifTree kernel of
// ProgramKernels.cpp computes position by position in 64-bit lanes.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_GOLDEN_LIB_TREEKERNELS_H
#define CAJAL_GOLDEN_LIB_TREEKERNELS_H

#include "cajal/Chip/StandardPrograms.h"

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <iterator>
#include <utility>
#include <vector>

namespace cajal::golden::detail {

/// The most positions and stack slots a fused tree has.
constexpr uint32_t kFusedTreeWidth = 32, kFusedTreeSlots = 16;

/// The 32-bit words a fused position reads, per lane.
enum FusedTreeWord : uint8_t {
  ScaleU,     ///< 2^decayBits - p0
  ScaleV,     ///< 2^decayBits - p1
  Bias,       ///< p2
  VMin,       ///< p3
  VMax,       ///< p4
  Threshold,  ///< p5
  Period,     ///< p6 & the refractory counter's mask (the root's)
  JoinWeight, ///< p7
  Gain,       ///< p8
  kFusedTreeWords
};

/// One position of a fused tree shape.
struct FusedTreePosition {
  chip::LifTreeCompartment shape;
  /// Word w of neuron n: word[w][n * wordStep[w]] (step 0: every neuron
  /// has the same; the pointer is then to 16 copies of it).
  std::array<const int32_t *, kFusedTreeWords> word{};
  std::array<uint32_t, kFusedTreeWords> wordStep{};
  /// Where every neuron has the same word: that word.
  std::array<int32_t, kFusedTreeWords> value{};
  /// Every neuron's u scale is 0 (u is the input alone: no synaptic
  /// current), or its v scale 2^decayBits (v does not leak): the loop
  /// leaves out that decay's multiplies, as the LIF kernels do.
  bool uIsInput = false, vKeeps = false;
  /// Every neuron's |gain| < 2^15: the scaled push multiplies in 32 bits.
  bool narrowGain = false;
  /// A root whose every refractory period is 0 and counter starts at 0:
  /// the counter stays 0, and the loop neither reads nor writes it.
  bool neverRefractory = false;
  /// Where u, v and the root's refractory counter of 16 neurons lie in
  /// their block of FusedTree::state.
  uint32_t uAt = 0, vAt = 0, refractoryAt = 0;
  /// The stack slots its POPs read and its PUSH writes.
  std::array<uint8_t, kFusedTreeSlots> pops{};
  uint8_t push = 0;
  /// |children's join| <= joinBound: q is first clamped to
  /// +-(accLimit + joinBound), which leaves the saturated sum unchanged and
  /// keeps it inside 32 bits.
  int32_t inputLimit = 0;
  int32_t vlo = 0, vhi = 0; ///< v's state word range
};

/// A run of a fused shape's neurons whose compartments lie position by
/// position: neuron firstLane + n's position p at update position
/// firstPosition + p * neurons + n (the golden model's loader lays each run
/// of like trees on a core out so), so that 16 neurons' inputs at a
/// position are one 16-accumulator run, as a point neuron's are.
struct FusedTreeSegment {
  uint32_t firstPosition = 0, neurons = 0;
  uint32_t firstLane = 0;  ///< its first neuron's lane in the shape
  uint32_t firstBlock = 0; ///< its first 16 neurons' block of state
};

/// A tree shape fused for the 32-bit loop.
struct FusedTree {
  std::vector<FusedTreePosition> positions; ///< tree order, the root last
  uint32_t neurons = 0;
  /// Every word of every position is the same for every neuron (the loop
  /// then reads FusedTreePosition::value).
  bool uniform = false;
  /// The shape's neurons, run by run, in lane order.
  std::vector<FusedTreeSegment> segments;
  int32_t accLimit = 0;    ///< the input's saturation, 2^accumulatorBits - 1
  int32_t counterMask = 0; ///< the root's refractory counter's range
  unsigned decayBits = 0, uShift = 0; ///< u wraps by << uShift >> uShift
  /// The 32-bit words' storage (FusedTreePosition::word points into it).
  std::vector<int32_t> words;
  /// The state words while the shape runs fused (its groups' columns are
  /// then stale): a segment's neurons 16 i .. 16 i + 15 in the block at
  /// state[stateStart + (firstBlock + i) * blockWords], every position's
  /// words in one run, so that the loop reads one stream; lanes past a
  /// segment's last neuron are padding. The blocks start on a 64-byte
  /// boundary (stateStart words in): a vector that straddled two cache
  /// lines would cost two accesses.
  std::vector<int32_t> state;
  uint32_t stateStart = 0, blockWords = 0;
  int32_t *blockAt(uint32_t block) {
    return state.data() + stateStart + size_t(block) * blockWords;
  }
  /// Per block of 16 neurons: whose root spiked in the previous step.
  std::vector<uint16_t> bap;
  /// The block of lane k and k's lane in it.
  std::pair<uint32_t, uint32_t> blockOf(uint32_t k) const {
    const FusedTreeSegment &s = *std::prev(
        std::upper_bound(segments.begin(), segments.end(), k,
                         [](uint32_t lane, const FusedTreeSegment &x) {
                           return lane < x.firstLane;
                         }));
    return {s.firstBlock + (k - s.firstLane) / 16, (k - s.firstLane) % 16};
  }
  /// Word w of compartment `position` of the neuron in lane k, in `state`.
  size_t stateAt(uint32_t position, uint32_t w, uint32_t k) const {
    const FusedTreePosition &d = positions[position];
    const uint32_t at = w == 0 ? d.uAt : (w == 1 ? d.vAt : d.refractoryAt);
    const auto [block, lane] = blockOf(k);
    return stateStart + size_t(block) * blockWords + at + lane;
  }
};

/// The bound an accumulator is clamped to before q = acc * 2^shift: past
/// it, q is past the position's inputLimit anyway.
inline int64_t fusedAccumulatorClamp(int32_t inputLimit, unsigned shift) {
  return (int64_t(inputLimit) >> shift) + 1;
}
/// Whether the clamped accumulators times 2^shift fit 32 bits.
inline bool fusedInputFits(const FusedTree &tree, unsigned shift) {
  if (shift > 30)
    return false;
  for (const FusedTreePosition &p : tree.positions)
    if (fusedAccumulatorClamp(p.inputLimit, shift) << shift > INT32_MAX)
      return false;
  return true;
}

/// Run every neuron of `tree` one step: q of a segment's neuron n's
/// position p is slot[firstPosition + p * neurons + n] * 2^accShift (then
/// zeroed); the
/// roots' update positions that spike are appended to `spikes` (which may be
/// written up to 15 values past its end).
template <typename Acc>
using FusedTreeFn = void (*)(FusedTree &tree, Acc *slot, unsigned accShift,
                             uint32_t *&spikes);
struct FusedTreeKernels {
  FusedTreeFn<int16_t> run16;
  FusedTreeFn<int32_t> run32;
};
/// The AVX-512 ones, or null in a build without them; use only when the
/// model's instruction set is Isa::Avx512.
const FusedTreeKernels *fusedTreeAvx512Kernels();

} // namespace cajal::golden::detail

#endif // CAJAL_GOLDEN_LIB_TREEKERNELS_H
