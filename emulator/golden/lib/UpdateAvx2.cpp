//===- UpdateAvx2.cpp - The 32-bit update loop in AVX2 intrinsics ---------===//
//
// UpdateAvx512.cpp's loop for CPUs with AVX2 but not AVX-512 (AMD Zen 1-3,
// Intel before Skylake-X and its client cores): the same arithmetic (that
// of update32 in UpdateKernels.cpp) and folded variants (two more:
// foldedInRange, foldedResetToZero), 8 compartments per iteration. AVX2 has no
// compress instruction: the indices of the compartments that spiked are packed
// with one vpermd whose lane order comes from a 256-entry table (leftPack), so
// no flag array is written and none is scanned afterwards. AVX2 has no masked
// int16 loads either: the last, partial vector of a range runs on copies in
// local buffers, its padding lanes masked out of the counts and spikes.
//
//===----------------------------------------------------------------------===//
#include "UpdateKernels.h"

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#include <immintrin.h>

#include <algorithm>
#include <array>
#include <utility>

namespace cajal::golden::detail {
namespace {

#define CAJAL_AVX2 __attribute__((target("avx2,bmi,bmi2,popcnt")))

/// Byte j of entry m: the lane of the j-th set bit of m, the order in
/// which vpermd moves the spiking lanes of a mask m to the front.
constexpr std::array<uint64_t, 256> leftPackTable() {
  std::array<uint64_t, 256> table{};
  for (unsigned m = 0; m < 256; ++m)
    for (unsigned lane = 0, j = 0; lane < 8; ++lane)
      if ((m >> lane) & 1)
        table[m] |= uint64_t(lane) << (8 * j++);
  return table;
}
constexpr std::array<uint64_t, 256> leftPack = leftPackTable();

CAJAL_AVX2 inline __m256i load8(const int32_t *p) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i *>(p));
}
CAJAL_AVX2 inline void store8(int32_t *p, __m256i x) {
  _mm256_storeu_si256(reinterpret_cast<__m256i *>(p), x);
}
/// b where the sign bit of a lane of `mask` is set, else a.
CAJAL_AVX2 inline __m256i select(__m256i mask, __m256i a, __m256i b) {
  return _mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(a),
                                              _mm256_castsi256_ps(b),
                                              _mm256_castsi256_ps(mask)));
}
/// One bit per lane: its sign.
CAJAL_AVX2 inline unsigned signBits(__m256i x) {
  return unsigned(_mm256_movemask_ps(_mm256_castsi256_ps(x)));
}

/// decay16 of Avx512Lanes.h on 8 lanes: x * scale / 2^bits rounded toward
/// zero, exact for 0 <= scale <= 2^bits <= 2^15.
CAJAL_AVX2 inline __m256i decay8(__m256i x, __m256i scale, __m128i bits,
                                 __m256i lowMask) {
  const __m256i hi = _mm256_sra_epi32(x, bits);
  const __m256i lo = _mm256_and_si256(x, lowMask);
  const __m256i roundUp = _mm256_and_si256(_mm256_srai_epi32(x, 31), lowMask);
  const __m256i low = _mm256_sra_epi32(
      _mm256_add_epi32(_mm256_mullo_epi32(lo, scale), roundUp), bits);
  return _mm256_add_epi32(_mm256_mullo_epi32(hi, scale), low);
}

/// shortDecay16 on 8 lanes: x - sign(x) * ceil(|x| * d / 2^bits) where
/// that product fits 31 bits (`roundUp` is 2^bits - 1). vpsignd gives
/// sign(x) * lost (0 where x is 0, where lost is 0 too).
CAJAL_AVX2 inline __m256i shortDecay8(__m256i x, __m256i d, __m128i bits,
                                      __m256i roundUp) {
  const __m256i lost = _mm256_srl_epi32(
      _mm256_add_epi32(_mm256_mullo_epi32(_mm256_abs_epi32(x), d), roundUp),
      bits);
  return _mm256_sub_epi32(x, _mm256_sign_epi32(lost, x));
}

/// A constant of the range: compartment b's (Uniform) or lane i's.
template <bool Uniform>
CAJAL_AVX2 inline __m256i param(const int32_t *array, __m256i uniform,
                                uint32_t i) {
  return Uniform ? uniform : load8(array + i);
}

/// The loop's constants, set up once per range.
struct Constants {
  __m128i bits, shift, accShift;
  __m256i lowMask, limit, negLimit, zero, one, int32Min;
  __m256i sU, sV, lo, hi, th, kp, ref, bias; ///< uniform ranges only
  __m256i dU, dV; ///< 2^bits - sU, 2^bits - sV (foldedShortDecay)
};

/// Compartments i .. i + 7 of `a` (the lanes of `valid` count and spike);
/// appends the spiking ones (`index` holds their positions) to
/// a.spikeOut[spikes ..]. Q16: int16 accumulators. F: the folded* bits
/// (UpdateKernels.h), the work a uniform range leaves out. Rare: spikes are
/// rare (UpdateArgs::rareSpikes).
template <bool Q16, IdleCount Idle, bool Uniform, unsigned F, bool Rare>
CAJAL_AVX2 inline void update8(const UpdateArgs &a, const Constants &k,
                               uint32_t i, __m256i index, unsigned valid,
                               uint32_t &idle, uint32_t &spikes) {
  __m256i q;
  if constexpr (Q16) {
    auto *slot =
        reinterpret_cast<__m128i *>(static_cast<int16_t *>(a.slot) + i);
    q = _mm256_sll_epi32(_mm256_cvtepi16_epi32(_mm_loadu_si128(slot)),
                         k.accShift);
    _mm_storeu_si128(slot, _mm_setzero_si128());
  } else {
    int32_t *slot = static_cast<int32_t *>(a.slot) + i;
    q = load8(slot);
    store8(slot, k.zero);
  }
  const __m256i u0 = load8(a.u + i);
  const __m256i v0 = load8(a.v + i);
  const __m256i r0 =
      (F & foldedNoRefractory) ? k.zero : load8(a.refractoryLeft + i);
  const __m256i bias = param<Uniform>(a.bias32, k.bias, i);
  if (Idle != NoIdleCount) {
    const __m256i isIdle = _mm256_cmpeq_epi32(
        _mm256_or_si256(_mm256_or_si256(q, u0),
                        _mm256_or_si256(_mm256_or_si256(v0, r0), bias)),
        k.zero);
    const unsigned idleLanes = signBits(isIdle) & valid;
    idle += unsigned(__builtin_popcount(idleLanes));
    // Rare (a compartment with state, input and bias all zero): a branch.
    // (Padding lanes of a partial vector count into a scratch buffer.)
    if (Idle == IdlePerCompartment && idleLanes) {
      int32_t *count = reinterpret_cast<int32_t *>(a.idleCount) + i;
      store8(count, _mm256_sub_epi32(load8(count), isIdle));
    }
  }
  constexpr bool inRange = F & foldedInRange;
  const __m256i qs =
      inRange ? q : _mm256_min_epi32(_mm256_max_epi32(q, k.negLimit), k.limit);
  const __m256i sU = param<Uniform>(a.scaleU, k.sU, i);
  const __m256i du = (F & foldedShortDecay)
                         ? shortDecay8(u0, k.dU, k.bits, k.lowMask)
                         : decay8(u0, sU, k.bits, k.lowMask);
  const __m256i x = (F & foldedResetU) ? qs : _mm256_add_epi32(du, qs);
  const __m256i u =
      inRange ? x : _mm256_sra_epi32(_mm256_sll_epi32(x, k.shift), k.shift);
  const __m256i sV = param<Uniform>(a.scaleV, k.sV, i);
  const __m256i dv = (F & foldedKeepV) ? v0
                     : (F & foldedShortDecay)
                         ? shortDecay8(v0, k.dV, k.bits, k.lowMask)
                         : decay8(v0, sV, k.bits, k.lowMask);
  const __m256i w = _mm256_add_epi32(u, bias);
  const __m256i sum = _mm256_add_epi32(dv, w);
  // Sign of (dv ^ sum) & (w ^ sum): the sum went past INT32_MIN (unless
  // the range's constants prove it cannot).
  const __m256i v = (F & foldedNoUnderflow) || inRange
                        ? sum
                        : select(_mm256_and_si256(_mm256_xor_si256(dv, sum),
                                                  _mm256_xor_si256(w, sum)),
                                 sum, k.int32Min);
  const __m256i lo = param<Uniform>(a.vmin, k.lo, i);
  const __m256i hi = param<Uniform>(a.vmax, k.hi, i);
  const __m256i vc =
      inRange ? v : _mm256_min_epi32(_mm256_max_epi32(v, lo), hi);
  const __m256i th = param<Uniform>(a.fireAbove, k.th, i);
  const __m256i quiet = _mm256_cmpeq_epi32(r0, k.zero);
  const __m256i fire = _mm256_and_si256(quiet, _mm256_cmpgt_epi32(vc, th));
  const __m256i vQuiet = _mm256_and_si256(quiet, vc);
  store8(a.u + i, u);
  if constexpr (F & foldedResetToZero) {
    store8(a.v + i, _mm256_andnot_si256(fire, vQuiet));
  } else {
    const __m256i kp = param<Uniform>(a.keepOnSpike, k.kp, i);
    store8(a.v + i, select(fire, vQuiet,
                           _mm256_and_si256(_mm256_sub_epi32(vc, th), kp)));
  }
  if (!(F & foldedNoRefractory)) {
    const __m256i rQuiet =
        _mm256_max_epi32(_mm256_sub_epi32(r0, k.one), k.zero);
    const __m256i ref = param<Uniform>(a.refractory, k.ref, i);
    store8(a.refractoryLeft + i, select(fire, rQuiet, ref));
  }
  // Packed in a register and all 8 lanes stored, spike or not: no branch
  // to mispredict where spikes are common (the CNN: 18 % faster than a
  // branch); where they are rare a branch skips it (CUBA: 14 % faster).
  // spikeOut has room for 15 lanes past the range.
  const unsigned fired = signBits(fire) & valid;
  if (Rare && fired == 0)
    return;
  const __m256i order =
      _mm256_cvtepu8_epi32(_mm_cvtsi64_si128(int64_t(leftPack[fired])));
  _mm256_storeu_si256(reinterpret_cast<__m256i *>(a.spikeOut + spikes),
                      _mm256_permutevar8x32_epi32(index, order));
  spikes += unsigned(__builtin_popcount(fired));
}

/// The last n < 8 compartments from i, through copies: the lanes past n
/// hold zeros, which update8 counts as neither idle nor spiking.
template <bool Q16, IdleCount Idle, bool Uniform, unsigned F>
CAJAL_AVX2 void updateTail(const UpdateArgs &a, const Constants &k, uint32_t i,
                           uint32_t n, __m256i index, uint32_t &idle,
                           uint32_t &spikes) {
  alignas(32) int32_t state[4][8] = {}; // u, v, refractoryLeft, idleCount
  alignas(32) int32_t params[8][8] = {};
  alignas(32) int32_t slot32[8] = {};
  alignas(16) int16_t slot16[8] = {};
  UpdateArgs t = a;
  int32_t *const stateOf[3] = {a.u, a.v, a.refractoryLeft};
  for (unsigned s = 0; s < 3; ++s)
    std::copy_n(stateOf[s] + i, n, state[s]);
  t.u = state[0];
  t.v = state[1];
  t.refractoryLeft = state[2];
  if (Idle == IdlePerCompartment) {
    std::copy_n(a.idleCount + i, n, reinterpret_cast<uint32_t *>(state[3]));
    t.idleCount = reinterpret_cast<uint32_t *>(state[3]);
  }
  if (!Uniform) {
    const int32_t **const paramOf[8] = {
        &t.scaleU,    &t.scaleV,      &t.vmin,       &t.vmax,
        &t.fireAbove, &t.keepOnSpike, &t.refractory, &t.bias32};
    for (unsigned p = 0; p < 8; ++p) {
      std::copy_n(*paramOf[p] + i, n, params[p]);
      *paramOf[p] = params[p];
    }
  }
  if constexpr (Q16) {
    int16_t *slot = static_cast<int16_t *>(a.slot) + i;
    std::copy_n(slot, n, slot16);
    std::fill_n(slot, n, int16_t(0));
    t.slot = slot16;
  } else {
    int32_t *slot = static_cast<int32_t *>(a.slot) + i;
    std::copy_n(slot, n, slot32);
    std::fill_n(slot, n, 0);
    t.slot = slot32;
  }
  update8<Q16, Idle, Uniform, F, false>(t, k, 0, index, (1u << n) - 1, idle,
                                        spikes);
  for (unsigned s = 0; s < 3; ++s)
    std::copy_n(state[s], n, stateOf[s] + i);
  if (Idle == IdlePerCompartment)
    std::copy_n(reinterpret_cast<uint32_t *>(state[3]), n, a.idleCount + i);
}

/// Compartments [b, e): whole vectors, then the tail.
template <bool Q16, IdleCount Idle, bool Uniform, unsigned F, bool Rare>
CAJAL_AVX2 inline void updateVectors(const UpdateArgs &a, const Constants &k,
                                     uint32_t b, uint32_t e, uint32_t &idle,
                                     uint32_t &spikes) {
  __m256i index = _mm256_add_epi32(_mm256_set1_epi32(int32_t(b)),
                                   _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  const __m256i eight = _mm256_set1_epi32(8);
  uint32_t i = b;
  for (; e - i >= 8; i += 8) {
    update8<Q16, Idle, Uniform, F, Rare>(a, k, i, index, 0xFF, idle, spikes);
    index = _mm256_add_epi32(index, eight);
  }
  if (i < e)
    updateTail<Q16, Idle, Uniform, F>(a, k, i, e - i, index, idle, spikes);
}

template <bool Q16, IdleCount Idle, bool Uniform, unsigned F = 0>
CAJAL_AVX2 UpdateCounts updateRange(const UpdateArgs &args, uint32_t b,
                                    uint32_t e) {
  if (b >= e)
    return {};
  // A local copy: the stores through its pointers cannot change it, so the
  // pointers stay in registers.
  const UpdateArgs a = args;
  Constants k;
  k.bits = _mm_cvtsi32_si128(int(a.decayBits));
  k.shift = _mm_cvtsi32_si128(int(a.wrapShift));
  k.accShift = _mm_cvtsi32_si128(int(a.accShift));
  k.lowMask = _mm256_set1_epi32((int32_t(1) << a.decayBits) - 1);
  k.limit = _mm256_set1_epi32(int32_t(a.accLimit));
  k.negLimit = _mm256_set1_epi32(-int32_t(a.accLimit));
  k.zero = _mm256_setzero_si256();
  k.one = _mm256_set1_epi32(1);
  k.int32Min = _mm256_set1_epi32(INT32_MIN);
  k.sU = _mm256_set1_epi32(a.scaleU[b]);
  k.sV = _mm256_set1_epi32(a.scaleV[b]);
  k.lo = _mm256_set1_epi32(a.vmin[b]);
  k.hi = _mm256_set1_epi32(a.vmax[b]);
  k.th = _mm256_set1_epi32(a.fireAbove[b]);
  k.kp = _mm256_set1_epi32(a.keepOnSpike[b]);
  k.ref = _mm256_set1_epi32(a.refractory[b]);
  k.bias = _mm256_set1_epi32(a.bias32[b]);
  const int32_t full = int32_t(1) << a.decayBits;
  k.dU = _mm256_set1_epi32(full - a.scaleU[b]);
  k.dV = _mm256_set1_epi32(full - a.scaleV[b]);
  uint32_t idle = 0, spikes = 0;
  // Two copies of the loop: a test of rareSpikes inside it made the CNN's
  // update 70 % slower, even where it never branched.
  if (a.rareSpikes)
    updateVectors<Q16, Idle, Uniform, F, true>(a, k, b, e, idle, spikes);
  else
    updateVectors<Q16, Idle, Uniform, F, false>(a, k, b, e, idle, spikes);
  return {idle, spikes};
}

/// updateRange as fusedKernelTable takes it.
template <bool Q16, IdleCount Idle, bool Uniform, unsigned F> struct Loop {
  static constexpr UpdateFn range = updateRange<Q16, Idle, Uniform, F>;
};

} // namespace

const FusedKernels *fusedAvx2Kernels() {
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx2"))
    return nullptr;
  return fusedKernelTable<Loop, foldedVariants - 1>();
}

} // namespace cajal::golden::detail

#else

namespace cajal::golden::detail {
const FusedKernels *fusedAvx2Kernels() { return nullptr; }
} // namespace cajal::golden::detail

#endif
