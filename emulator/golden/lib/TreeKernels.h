//===- TreeKernels.h - Dendritic trees fused into one loop -----*- C++ -*-===//
//
// Internal to CajalGolden. A tree shape (TreeCompartments) whose every
// position is a lifTreeProgram compartment, laid out as the compiler lays
// trees out (a neuron's compartments one after the other), and whose
// values provably fit 32-bit lanes (fuseLifTree, ProgramUpdate.cpp) runs
// fused: its state in blocks of 16 neurons, its positions run block by
// block of neurons with every value in a 32-bit lane (TreeAvx512.cpp). It
// computes exactly what the LifTree kernel of ProgramKernels.cpp computes
// position by position in 64-bit lanes.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_GOLDEN_LIB_TREEKERNELS_H
#define CAJAL_GOLDEN_LIB_TREEKERNELS_H

#include "cajal/Chip/StandardPrograms.h"

#include <array>
#include <climits>
#include <cstdint>
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

/// A tree shape fused for the 32-bit loop.
struct FusedTree {
  std::vector<FusedTreePosition> positions; ///< tree order, the root last
  uint32_t neurons = 0;
  /// Every word of every position is the same for every neuron (the loop
  /// then reads FusedTreePosition::value).
  bool uniform = false;
  /// Neuron n's position p has accumulator firstPosition + n * width + p.
  uint32_t firstPosition = 0;
  int32_t accLimit = 0;    ///< the input's saturation, 2^accumulatorBits - 1
  int32_t counterMask = 0; ///< the root's refractory counter's range
  unsigned decayBits = 0, uShift = 0; ///< u wraps by << uShift >> uShift
  /// Per position p and pair j of 64-byte vectors of the 16 neurons'
  /// accumulators: the element of each lane (int16 then int32 accumulators:
  /// 32 and 16 entries used), and which lanes the pair holds.
  struct Gather {
    std::array<int16_t, 32> index16{};
    std::array<int32_t, 16> index32{};
    uint32_t lanes16 = 0, lanes32 = 0;
  };
  std::vector<Gather> gather16, gather32; ///< [p * pairs + j]
  /// The 32-bit words' storage (FusedTreePosition::word points into it).
  std::vector<int32_t> words;
  /// The state words while the shape runs fused (its groups' columns are
  /// then stale): neurons 16 i .. 16 i + 15 in the block at
  /// state[i * blockWords], every position's words in one run, so that the
  /// loop reads one stream; lanes past the last neuron are padding.
  std::vector<int32_t> state;
  uint32_t blockWords = 0;
  /// Per 16 neurons: whose root spiked in the previous step.
  std::vector<uint16_t> bap;
  /// Word w of compartment `position` of neuron n, in `state`.
  size_t stateAt(uint32_t position, uint32_t w, uint32_t n) const {
    const FusedTreePosition &d = positions[position];
    const uint32_t at = w == 0 ? d.uAt : (w == 1 ? d.vAt : d.refractoryAt);
    return size_t(n / 16) * blockWords + at + n % 16;
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

/// Run every neuron of `tree` one step: q of neuron n's position p is
/// slot[firstPosition + n * width + p] * 2^accShift (then zeroed); the
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
