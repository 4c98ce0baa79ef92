//===- UpdateAvx512.cpp - The 32-bit update loop in AVX-512 intrinsics ----===//
//
// The most used variant of the update loop (32-bit lanes, int32 or int16
// accumulators) written with AVX-512 intrinsics, 16 compartments per
// iteration, the tail under a lane mask. It computes exactly what
// update32 in UpdateKernels.cpp computes (the arithmetic and its proof of
// range are described there), and in addition compresses the indices of the
// compartments that spiked straight into the spike list (vpcompressd), so
// no flag array is written and none is scanned afterwards. Compiled with a
// function target attribute; chosen only where the CPU has AVX-512 F, BW,
// VL and DQ.
//
//===----------------------------------------------------------------------===//
#include "UpdateKernels.h"

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#include "Avx512Lanes.h"

#include <immintrin.h>

#include <array>
#include <utility>

namespace cajal::golden::detail {
namespace {

/// A constant of the range: compartment b's (Uniform) or lane i's.
template <bool Uniform, bool Full>
CAJAL_AVX512 inline __m512i param(const int32_t *array, __m512i uniform,
                                  uint32_t i, __mmask16 lanes) {
  return Uniform ? uniform : load<Full>(array + i, lanes);
}

/// The loop's constants, set up once per range.
struct Constants {
  __m128i bits, shift, accShift;
  __m512i lowMask, limit, negLimit, zero, one, int32Min;
  __m512i sU, sV, lo, hi, th, kp, ref, bias; ///< uniform ranges only
  __m512i dU, dV; ///< 2^bits - sU, 2^bits - sV (foldedShortDecay)
};

/// Compartments i .. i + 15 (those of `lanes` unless Full); appends the
/// spiking ones (`index` holds i .. i + 15) to out[spikes ..]. Q16: int16
/// accumulators. F: the folded* bits (UpdateKernels.h), the work a uniform
/// range leaves out.
template <bool Q16, IdleCount Idle, bool Uniform, unsigned F, bool Full>
CAJAL_AVX512 inline void update16(const UpdateArgs &a, const Constants &k,
                                  uint32_t i, __mmask16 lanes, __m512i index,
                                  uint32_t &idle, uint32_t &spikes) {
  __m512i q;
  if constexpr (Q16) {
    int16_t *slot = static_cast<int16_t *>(a.slot) + i;
    q = _mm512_sll_epi32(loadInt16<Full>(slot, lanes), k.accShift);
    zeroInt16<Full>(slot, lanes);
  } else {
    int32_t *slot = static_cast<int32_t *>(a.slot) + i;
    q = load<Full>(slot, lanes);
    store<Full>(slot, lanes, k.zero);
  }
  const __m512i u0 = load<Full>(a.u + i, lanes);
  const __m512i v0 = load<Full>(a.v + i, lanes);
  const __m512i r0 = (F & foldedNoRefractory)
                         ? k.zero
                         : load<Full>(a.refractoryLeft + i, lanes);
  const __m512i bias = param<Uniform, Full>(a.bias32, k.bias, i, lanes);
  if (Idle != NoIdleCount) {
    const __m512i all = _mm512_or_si512(
        _mm512_or_si512(q, u0), _mm512_or_si512(_mm512_or_si512(v0, r0), bias));
    const __mmask16 isIdle = _mm512_mask_cmpeq_epi32_mask(lanes, all, k.zero);
    idle += uint32_t(__builtin_popcount(isIdle));
    // Rare (a compartment with state, input and bias all zero): a branch.
    if (Idle == IdlePerCompartment && isIdle) {
      int32_t *count = reinterpret_cast<int32_t *>(a.idleCount) + i;
      const __m512i c = load<Full>(count, lanes);
      store<Full>(count, lanes, _mm512_mask_add_epi32(c, isIdle, c, k.one));
    }
  }
  const __m512i qs = _mm512_min_epi32(_mm512_max_epi32(q, k.negLimit), k.limit);
  const __m512i sU = param<Uniform, Full>(a.scaleU, k.sU, i, lanes);
  const __m512i du = (F & foldedShortDecay)
                         ? shortDecay16(u0, k.dU, k.bits, k.lowMask)
                         : decay16(u0, sU, k.bits, k.lowMask);
  const __m512i x = (F & foldedResetU) ? qs : _mm512_add_epi32(du, qs);
  const __m512i u = _mm512_sra_epi32(_mm512_sll_epi32(x, k.shift), k.shift);
  const __m512i sV = param<Uniform, Full>(a.scaleV, k.sV, i, lanes);
  const __m512i dv = (F & foldedKeepV) ? v0
                     : (F & foldedShortDecay)
                         ? shortDecay16(v0, k.dV, k.bits, k.lowMask)
                         : decay16(v0, sV, k.bits, k.lowMask);
  const __m512i w = _mm512_add_epi32(u, bias);
  const __m512i sum = _mm512_add_epi32(dv, w);
  // Sign of (dv ^ sum) & (w ^ sum): the sum went past INT32_MIN (unless
  // the range's constants prove it cannot).
  const __m512i v =
      (F & foldedNoUnderflow)
          ? sum
          : _mm512_mask_mov_epi32(
                sum,
                _mm512_movepi32_mask(_mm512_and_si512(
                    _mm512_xor_si512(dv, sum), _mm512_xor_si512(w, sum))),
                k.int32Min);
  const __m512i lo = param<Uniform, Full>(a.vmin, k.lo, i, lanes);
  const __m512i hi = param<Uniform, Full>(a.vmax, k.hi, i, lanes);
  const __m512i vc = _mm512_min_epi32(_mm512_max_epi32(v, lo), hi);
  const __m512i th = param<Uniform, Full>(a.fireAbove, k.th, i, lanes);
  const __mmask16 quiet = _mm512_mask_cmpeq_epi32_mask(lanes, r0, k.zero);
  const __mmask16 fire = _mm512_mask_cmpgt_epi32_mask(quiet, vc, th);
  const __m512i vQuiet = _mm512_maskz_mov_epi32(quiet, vc);
  const __m512i kp = param<Uniform, Full>(a.keepOnSpike, k.kp, i, lanes);
  const __m512i vFired = _mm512_and_si512(_mm512_sub_epi32(vc, th), kp);
  const __m512i rQuiet = _mm512_max_epi32(_mm512_sub_epi32(r0, k.one), k.zero);
  const __m512i ref = param<Uniform, Full>(a.refractory, k.ref, i, lanes);
  store<Full>(a.u + i, lanes, u);
  store<Full>(a.v + i, lanes, _mm512_mask_mov_epi32(vQuiet, fire, vFired));
  if (!(F & foldedNoRefractory))
    store<Full>(a.refractoryLeft + i, lanes,
                _mm512_mask_mov_epi32(rQuiet, fire, ref));
  // Compress in a register and store all 16 lanes, spike or not: no branch
  // to mispredict (a third of the vectors of a CNN have a spike), and no
  // compressing store, which AMD cores execute slowly. spikeOut has room
  // for 15 lanes past the range.
  _mm512_storeu_si512(a.spikeOut + spikes,
                      _mm512_maskz_compress_epi32(fire, index));
  spikes += uint32_t(__builtin_popcount(fire));
}

template <bool Q16, IdleCount Idle, bool Uniform, unsigned F = 0>
CAJAL_AVX512 UpdateCounts updateRange(const UpdateArgs &args, uint32_t b,
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
  k.lowMask = _mm512_set1_epi32((int32_t(1) << a.decayBits) - 1);
  k.limit = _mm512_set1_epi32(int32_t(a.accLimit));
  k.negLimit = _mm512_set1_epi32(-int32_t(a.accLimit));
  k.zero = _mm512_setzero_si512();
  k.one = _mm512_set1_epi32(1);
  k.int32Min = _mm512_set1_epi32(INT32_MIN);
  k.sU = _mm512_set1_epi32(a.scaleU[b]);
  k.sV = _mm512_set1_epi32(a.scaleV[b]);
  k.lo = _mm512_set1_epi32(a.vmin[b]);
  k.hi = _mm512_set1_epi32(a.vmax[b]);
  k.th = _mm512_set1_epi32(a.fireAbove[b]);
  k.kp = _mm512_set1_epi32(a.keepOnSpike[b]);
  k.ref = _mm512_set1_epi32(a.refractory[b]);
  k.bias = _mm512_set1_epi32(a.bias32[b]);
  const int32_t full = int32_t(1) << a.decayBits;
  k.dU = _mm512_set1_epi32(full - a.scaleU[b]);
  k.dV = _mm512_set1_epi32(full - a.scaleV[b]);
  __m512i index = _mm512_add_epi32(
      _mm512_set1_epi32(int32_t(b)),
      _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
  const __m512i sixteen = _mm512_set1_epi32(16);
  uint32_t idle = 0, spikes = 0, i = b;
  for (; e - i >= 16; i += 16) {
    update16<Q16, Idle, Uniform, F, true>(a, k, i, 0xFFFF, index, idle, spikes);
    index = _mm512_add_epi32(index, sixteen);
  }
  if (i < e)
    update16<Q16, Idle, Uniform, F, false>(
        a, k, i, __mmask16((1u << (e - i)) - 1), index, idle, spikes);
  return {idle, spikes};
}

/// updateRange as fusedKernelTable takes it. This loop leaves out the work of
/// the first five folded* bits (those below foldedInRange).
template <bool Q16, IdleCount Idle, bool Uniform, unsigned F> struct Loop {
  static constexpr UpdateFn range = updateRange<Q16, Idle, Uniform, F>;
};

} // namespace

const FusedKernels *fusedAvx512Kernels() {
  return fusedKernelTable<Loop, foldedInRange - 1>();
}

} // namespace cajal::golden::detail

#else

namespace cajal::golden::detail {
const FusedKernels *fusedAvx512Kernels() { return nullptr; }
} // namespace cajal::golden::detail

#endif
