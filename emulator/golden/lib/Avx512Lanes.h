//===- Avx512Lanes.h - 16 int32 lanes: the shared AVX-512 helpers -*- C++
//-*-===//
//
// Internal to CajalGolden, included only by the hand-written AVX-512 loops
// (UpdateAvx512.cpp, TreeAvx512.cpp) inside their GCC x86-64 guard: the
// target attribute they are compiled with, the exact 32-bit decay and the
// whole-or-masked loads and stores of 16 lanes.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_GOLDEN_LIB_AVX512LANES_H
#define CAJAL_GOLDEN_LIB_AVX512LANES_H

#include <immintrin.h>

#include <cstdint>

namespace cajal::golden::detail {

#define CAJAL_AVX512                                                           \
  __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,avx2,bmi,bmi2,"    \
                        "popcnt")))

/// decay32 of UpdateKernels.cpp on 16 lanes: x * scale / 2^bits rounded
/// toward zero, exact for 0 <= scale <= 2^bits <= 2^15 (`lowMask` is
/// 2^bits - 1).
CAJAL_AVX512 inline __m512i decay16(__m512i x, __m512i scale, __m128i bits,
                                    __m512i lowMask) {
  const __m512i hi = _mm512_sra_epi32(x, bits);
  const __m512i lo = _mm512_and_si512(x, lowMask);
  const __m512i roundUp = _mm512_and_si512(_mm512_srai_epi32(x, 31), lowMask);
  const __m512i low = _mm512_sra_epi32(
      _mm512_add_epi32(_mm512_mullo_epi32(lo, scale), roundUp), bits);
  return _mm512_add_epi32(_mm512_mullo_epi32(hi, scale), low);
}

/// decay16 where |x| * (2^bits - scale) + 2^bits - 1 fits 31 bits (`d` is
/// 2^bits - scale, `roundUp` 2^bits - 1): x * scale / 2^bits rounded toward
/// zero is x - sign(x) * ceil(|x| * d / 2^bits), one product instead of
/// two (the decays of most neurons take a small share per step).
CAJAL_AVX512 inline __m512i shortDecay16(__m512i x, __m512i d, __m128i bits,
                                         __m512i roundUp) {
  const __m512i lost = _mm512_srl_epi32(
      _mm512_add_epi32(_mm512_mullo_epi32(_mm512_abs_epi32(x), d), roundUp),
      bits);
  return _mm512_mask_add_epi32(_mm512_sub_epi32(x, lost),
                               _mm512_movepi32_mask(x), x, lost);
}

/// 16 lanes at p: all of them (Full, a loop body) or those of `lanes` (the
/// tail, which must not touch memory past the range).
template <bool Full>
CAJAL_AVX512 inline __m512i load(const int32_t *p, __mmask16 lanes) {
  return Full ? _mm512_loadu_si512(p) : _mm512_maskz_loadu_epi32(lanes, p);
}
template <bool Full>
CAJAL_AVX512 inline void store(int32_t *p, __mmask16 lanes, __m512i x) {
  if (Full)
    _mm512_storeu_si512(p, x);
  else
    _mm512_mask_storeu_epi32(p, lanes, x);
}

/// 16 int16 accumulators at p (those of `lanes` unless Full) as 32-bit
/// lanes, and their zeroing.
template <bool Full>
CAJAL_AVX512 inline __m512i loadInt16(const int16_t *p, __mmask16 lanes) {
  return _mm512_cvtepi16_epi32(
      Full ? _mm256_loadu_si256(reinterpret_cast<const __m256i *>(p))
           : _mm256_maskz_loadu_epi16(lanes, p));
}
template <bool Full>
CAJAL_AVX512 inline void zeroInt16(int16_t *p, __mmask16 lanes) {
  if (Full)
    _mm256_storeu_si256(reinterpret_cast<__m256i *>(p), _mm256_setzero_si256());
  else
    _mm256_mask_storeu_epi16(p, lanes, _mm256_setzero_si256());
}

} // namespace cajal::golden::detail

#endif // CAJAL_GOLDEN_LIB_AVX512LANES_H
