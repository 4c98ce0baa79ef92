//===- UpdateKernels.h - Compartment update loops -------------*- C++ -*-===//
//
// Internal to CajalGolden. The update of a range of compartments, in
// variants chosen once per core at load time:
//
// - arithmetic: 32-bit lanes when the core's value ranges provably fit
//   (Range32::fits), else 64-bit lanes;
// - accumulator ring: int16 holding input / 2^k when every weight is a
//   multiple of 2^k and no compartment can receive 2^15 * 2^k or more in
//   one step, int32 when none can receive 2^31 or more, else int64;
// - idle counting (IdleCount): none (cores without a zero-bias
//   compartment, the only kind that can be idle), per run (a run of one
//   core), or per compartment (runs that mix cores: re-ordered populations);
// - uniform: every compartment of the range has the same constants, held
//   in registers instead of read per compartment (half the memory traffic);
// - instruction set: AVX-512, AVX2 or the portable default, compiled as
//   separate copies of the same loop (function target attributes) and picked
//   at load: the best the CPU has, or the one CAJAL_GOLDEN_ISA names. With
//   AVX-512 or AVX2, 32-bit lanes and int32 or int16 accumulators, a
//   hand-written loop (UpdateAvx512.cpp, UpdateAvx2.cpp) also lists the
//   spikes, so no flags are scanned.
//
// Delivery into int32 and int16 accumulators (DeliveryKernels.h) is compiled
// into the same table: its windows are one vector add each (16 int32 lanes:
// one AVX-512 add, two AVX2 or four SSE2 ones; 16 int16 lanes: one AVX2 add).
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_GOLDEN_LIB_UPDATEKERNELS_H
#define CAJAL_GOLDEN_LIB_UPDATEKERNELS_H

#include "cajal/Golden/GoldenModel.h"

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

namespace cajal::golden::detail {

/// The update loop's view of the model's structure-of-arrays.
struct UpdateArgs {
  int32_t *u, *v, *refractoryLeft;
  const int32_t *scaleU, *scaleV, *vmin, *vmax, *fireAbove, *keepOnSpike,
      *refractory, *bias32;
  const int64_t *bias;
  int32_t *fired;      ///< 1 where the compartment spiked
  uint32_t *idleCount; ///< per compartment (IdleCount::PerCompartment)
  void *slot;        ///< int16_t, int32_t or int64_t accumulators of this step
  unsigned accShift; ///< int16 accumulators hold input / 2^accShift
  int64_t accLimit;  ///< 2^accumulatorBits - 1
  int64_t wrapHalf;  ///< 2^(currentBits - 1)
  int64_t wrapMask;  ///< 2^currentBits - 1
  unsigned decayBits;
  unsigned wrapShift; ///< 32 - currentBits (32-bit lanes)
  /// Fused kernels only: the indices of the compartments that spiked go
  /// here (room for the whole range and 15 more: the loop stores whole
  /// vectors), instead of flags into `fired`.
  uint32_t *spikeOut;
  /// Fused kernels only: spikes are rare (the last step's were), so a
  /// vector without one branches past the listing.
  bool rareSpikes;
};

/// How an update loop counts idle updates: not at all, in the range's
/// total only, or also per compartment (UpdateArgs::idleCount).
enum IdleCount : uint8_t { NoIdleCount, IdlePerRun, IdlePerCompartment };
constexpr unsigned idleCountModes = 3;

/// Idle and fired counts of a range.
struct UpdateCounts {
  uint32_t idle = 0, fired = 0;
};

/// Update compartments [b, e) of `a`; returns the range's counts (idle
/// only when the variant counts them).
using UpdateFn = UpdateCounts (*)(const UpdateArgs &a, uint32_t b, uint32_t e);

/// Write the indices i in [b, e) with flags[i] != 0 to out[0 ..],
/// ascending (there is room for e - b); returns the end of what it wrote.
using ScanFn = uint32_t *(*)(const int32_t *flags, uint32_t b, uint32_t e,
                             uint32_t *out);

/// The delivery loop's view of the synapse rows with int32 or int16
/// accumulators (GoldenModel.h): row parts of one delay, each with wide
/// windows, narrow windows and single synapses.
template <typename Acc> struct DeliveryArgs {
  const RowPart *parts;
  const uint32_t *wideOffset;
  const WideLanes<Acc> *wideWeights;
  const uint32_t *wideWeightIndex; ///< wide window i adds wideWeights[this[i]]
  const uint32_t *narrowOffset;
  const NarrowLanes<Acc> *narrowWeights;
  const FlatSynapse *synapses;
  Acc *ring;      ///< S slots of ringStride accumulators, 15 of padding
  uint32_t base;  ///< (t % S) * ringStride: offset 0 of this step's spikes
  uint32_t split; ///< S * ringStride - base: from here on, wrap to the start
};

/// Deliver parts[0 .. count) (the row parts of this step's spikes).
template <typename Acc>
using DeliverFn = void (*)(const DeliveryArgs<Acc> &a, const uint32_t *parts,
                           size_t count);

/// Accumulator types, the second index of KernelTable::fn.
enum AccumulatorKind : uint8_t { Acc64, Acc32, Acc16 };
constexpr unsigned accumulatorKinds = 3;

/// LearningKernels.h: decayTraceArray and poissonFiringChannels.
using DecayTracesFn = void (*)(uint32_t *values, const uint32_t *keep,
                               const uint64_t *randomIndex, size_t n,
                               uint64_t prefix, unsigned bits);
using PoissonFiringFn = size_t (*)(uint64_t seed, uint32_t probability,
                                   uint32_t step, uint32_t first, uint32_t n,
                                   uint32_t *out);

/// The variants for one instruction set:
/// [arith32][AccumulatorKind][IdleCount][uniform], the spike-flag scan and
/// the delivery into int32 and int16 accumulators, the learning traces' decay
/// and the Poisson sources' draws. A uniform variant takes
/// every constant of the range from its first compartment.
struct KernelTable {
  UpdateFn fn[2][accumulatorKinds][idleCountModes][2];
  ScanFn scan;
  DeliverFn<int32_t> deliver32;
  DeliverFn<int16_t> deliver16;
  DecayTracesFn decayTraces;
  PoissonFiringFn poissonFiring;
};

/// Kernels for `isa`, or null when this build or CPU does not have it.
const KernelTable *kernelTable(Isa isa);

/// What a uniform range's loop may leave out, as bits of an index
/// (FusedKernels::uniform), each proven at load from the range's constants,
/// the most input its compartments can take in a step and its initial state
/// (Loader::provenFolds): refractoryLeft when the refractory period is 0 (it
/// stays 0: neither read nor written), decay(u) when scaleU is 0 (u takes
/// the input alone: IAF and single-exponential neurons), decay(v) when
/// scaleV is 2^decayBits (v does not leak: IAF), the check of v + u + bias
/// against INT32_MIN when v, u and bias cannot pass it (every profile whose
/// vmin is well above -2^31: Loihi's 24-bit v), the decays' second product
/// when |x| * (2^decayBits - scale) fits 31 bits for every u and v of the
/// run (shortDecay16), the clips of the input, of u (its wrap) and of v when
/// none can act (the input and the leaks keep u and v inside; this implies
/// no underflow), and the reset's subtraction when v resets to zero.
enum : unsigned {
  foldedNoRefractory = 1,
  foldedResetU = 2,
  foldedKeepV = 4,
  foldedNoUnderflow = 8,
  foldedShortDecay = 16,
  foldedInRange = 32,
  foldedResetToZero = 64,
  foldedVariants = 128
};

/// Hand-written variants for 32-bit lanes and int32 or int16 accumulators
/// that list the spiking compartments themselves (UpdateArgs::spikeOut;
/// UpdateCounts::fired is their number), [int16 accumulators] and then:
/// [IdleCount] for ranges of varied constants, [IdleCount][folded* bits]
/// for uniform ones.
struct FusedKernels {
  UpdateFn varied[2][idleCountModes];
  std::array<UpdateFn, foldedVariants> uniform[2][idleCountModes];
};
/// The FusedKernels of a hand-written loop: Loop<Q16, Idle, Uniform,
/// F>::range is its variant, F the folded* bits it may leave work out for,
/// of those in `Used` (the others share the variant without them).
template <template <bool, IdleCount, bool, unsigned> class Loop, unsigned Used,
          bool Q16, IdleCount Idle, unsigned... F>
constexpr std::array<UpdateFn, foldedVariants>
uniformByFolding(std::integer_sequence<unsigned, F...>) {
  return {Loop<Q16, Idle, true, F & Used>::range...};
}
template <template <bool, IdleCount, bool, unsigned> class Loop, unsigned Used>
const FusedKernels *fusedKernelTable() {
  constexpr auto all = std::make_integer_sequence<unsigned, foldedVariants>();
  static const FusedKernels kernels = {
      {{Loop<false, NoIdleCount, false, 0>::range,
        Loop<false, IdlePerRun, false, 0>::range,
        Loop<false, IdlePerCompartment, false, 0>::range},
       {Loop<true, NoIdleCount, false, 0>::range,
        Loop<true, IdlePerRun, false, 0>::range,
        Loop<true, IdlePerCompartment, false, 0>::range}},
      {{uniformByFolding<Loop, Used, false, NoIdleCount>(all),
        uniformByFolding<Loop, Used, false, IdlePerRun>(all),
        uniformByFolding<Loop, Used, false, IdlePerCompartment>(all)},
       {uniformByFolding<Loop, Used, true, NoIdleCount>(all),
        uniformByFolding<Loop, Used, true, IdlePerRun>(all),
        uniformByFolding<Loop, Used, true, IdlePerCompartment>(all)}}};
  return &kernels;
}

/// The AVX-512 ones (UpdateAvx512.cpp), or null in a build without them;
/// use only when kernelTable(Isa::Avx512) is not null.
const FusedKernels *fusedAvx512Kernels();
/// The AVX2 ones (UpdateAvx2.cpp), or null in a build or on a CPU without
/// them.
const FusedKernels *fusedAvx2Kernels();

} // namespace cajal::golden::detail

#endif // CAJAL_GOLDEN_LIB_UPDATEKERNELS_H
