//===- TreeAvx512.cpp - Fused dendritic trees in AVX-512 intrinsics -------===//
//
// The loop of TreeKernels.h: 16 neurons of a fused tree shape per
// iteration (the tail under a lane mask), every position of the tree in
// order with the stack in registers, each value in a 32-bit lane. Per
// position it computes what lifTreeLoop (ProgramKernels.cpp) computes:
// fuseLifTrees (ProgramUpdate.cpp) has proved every sum and product below
// fits 32 bits, and a q clamped first to +-(accLimit + joinBound) gives the
// same saturated input as the 64-bit sum. The neurons' accumulators lie
// one run of `width` per neuron; each position's 16 values are picked out
// of the run, loaded once into registers, by two-source permutes, and the
// run is then cleared. The roots' spikes are compressed straight into the
// spike list, as UpdateAvx512.cpp does.
//
//===----------------------------------------------------------------------===//
#include "TreeKernels.h"

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#include "Avx512Lanes.h"

#include <immintrin.h>

namespace cajal::golden::detail {
namespace {

using chip::LifReset;
using chip::TreeJoin;
using chip::TreeOutput;

/// The loop's constants, set up once per step.
struct Constants {
  bool shifted; ///< the accumulators hold q / 2^accShift, accShift > 0
  __m128i bits, uShift, accShift;
  __m512i lowMask, accLimit, negAccLimit, zero, one, counterMask, gainHalf;
  __m512i one64, int32Min;
};

/// (x * g + 2^15) >> 16 per lane (MULSHR.half by a tree gain), from 64-bit
/// products of the even and the odd lanes; the result fits 32 bits.
CAJAL_AVX512 inline __m512i mulShrGain(__m512i x, __m512i g,
                                       const Constants &k) {
  constexpr int shift = int(chip::kTreeGainShift);
  const __m512i even = _mm512_srai_epi64(
      _mm512_add_epi64(_mm512_mul_epi32(x, g), k.gainHalf), shift);
  const __m512i odd = _mm512_srai_epi64(
      _mm512_add_epi64(
          _mm512_mul_epi32(_mm512_srli_epi64(x, 32), _mm512_srli_epi64(g, 32)),
          k.gainHalf),
      shift);
  return _mm512_mask_blend_epi32(0xAAAA, even, _mm512_slli_epi64(odd, 32));
}

CAJAL_AVX512 inline __m512i clamp(__m512i x, __m512i lo, __m512i hi) {
  return _mm512_min_epi32(_mm512_max_epi32(x, lo), hi);
}

/// A position's words in registers, where the tree's words are the same
/// for every neuron (Uniform): read once per position, not per vector (the
/// state stores in between may alias them, so the compiler would reload).
struct UniformWords {
  __m512i w[kFusedTreeWords];
};
template <bool Uniform>
CAJAL_AVX512 inline void broadcastWords(const FusedTreePosition &d,
                                        UniformWords &words) {
  if constexpr (Uniform)
    for (unsigned w = 0; w < kFusedTreeWords; ++w)
      words.w[w] = _mm512_set1_epi32(d.value[w]);
}

/// Word w of position d for neurons n .. n + 15.
template <bool Uniform, bool Full>
CAJAL_AVX512 inline __m512i word(const FusedTreePosition &d,
                                 const UniformWords &words, FusedTreeWord w,
                                 uint32_t n, __mmask16 lanes) {
  if constexpr (Uniform)
    return words.w[w];
  else
    return load<Full>(d.word[w] + size_t(n) * d.wordStep[w], lanes);
}

/// The accumulators' elements per 64-byte vector.
template <typename Acc> constexpr uint32_t kPerVector = 64 / sizeof(Acc);

/// The first `count` elements of the 64 bytes at p (the rest zero), and
/// their clearing.
template <typename Acc>
CAJAL_AVX512 inline __m512i loadClearing(Acc *p, uint32_t count) {
  if (count >= kPerVector<Acc>) {
    const __m512i x = _mm512_loadu_si512(p);
    _mm512_storeu_si512(p, _mm512_setzero_si512());
    return x;
  }
  if constexpr (sizeof(Acc) == 2) {
    const __mmask32 m =
        count >= 32 ? ~__mmask32(0) : __mmask32((1u << count) - 1);
    const __m512i x = _mm512_maskz_loadu_epi16(m, p);
    _mm512_mask_storeu_epi16(p, m, _mm512_setzero_si512());
    return x;
  } else {
    const __mmask16 m =
        count >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << count) - 1);
    const __m512i x = _mm512_maskz_loadu_epi32(m, p);
    _mm512_mask_storeu_epi32(p, m, _mm512_setzero_si512());
    return x;
  }
}

/// Position p's accumulators of the 16 neurons, as int32 lanes, from the
/// run held in `run` (pairs of vectors).
template <typename Acc>
CAJAL_AVX512 inline __m512i
pick(const __m512i *run, const FusedTree::Gather *gather, uint32_t pairs) {
  __m512i x = _mm512_setzero_si512();
  for (uint32_t j = 0; j < pairs; ++j) {
    if constexpr (sizeof(Acc) == 2) {
      const __m512i y = _mm512_permutex2var_epi16(
          run[2 * j], _mm512_loadu_si512(gather[j].index16.data()),
          run[2 * j + 1]);
      x = _mm512_mask_mov_epi32(
          x, __mmask16(gather[j].lanes16),
          _mm512_cvtepi16_epi32(_mm512_castsi512_si256(y)));
    } else {
      const __m512i y = _mm512_permutex2var_epi32(
          run[2 * j], _mm512_loadu_si512(gather[j].index32.data()),
          run[2 * j + 1]);
      x = _mm512_mask_mov_epi32(x, __mmask16(gather[j].lanes32), y);
    }
  }
  return x;
}

/// Neurons n .. n + 16 V - 1 (those of `lanes` unless Full; V is 1 then)
/// through every position; appends the spiking roots' positions
/// (`rootIndex` of each vector) to out[spikes ..]. V vectors of neurons at
/// once: a position waits for its children's values, so one vector alone
/// leaves the core idle on that chain of latencies.
template <typename Acc, bool Uniform, bool Full, unsigned V>
CAJAL_AVX512 inline void
treeVectors(FusedTree &t, const Constants &constants, const int32_t *accClamp,
            Acc *slot, uint32_t n, __mmask16 lanes, const __m512i *rootIndex,
            uint32_t *out, uint32_t &spikes) {
  static_assert(Full || V == 1, "a partial vector comes alone");
  // A local copy: the state stores cannot change it, so it stays in
  // registers.
  const Constants k = constants;
  const uint32_t width = uint32_t(t.positions.size());
  constexpr uint32_t perVector = kPerVector<Acc>;
  const uint32_t pairs = (16 * width + 2 * perVector - 1) / (2 * perVector);
  const uint32_t count = uint32_t(__builtin_popcount(lanes)) * width;
  __m512i inputs[V][2 * kFusedTreeWidth];
  __mmask16 bapLanes[V], fired[V];
  __m512i stack[V][kFusedTreeSlots];
  for (unsigned i = 0; i < V; ++i) {
    Acc *run = slot + t.firstPosition + size_t(n + 16 * i) * width;
    for (uint32_t r = 0; r < 2 * pairs; ++r)
      inputs[i][r] = r * perVector < count ? loadClearing(run + r * perVector,
                                                          count - r * perVector)
                                           : _mm512_setzero_si512();
    bapLanes[i] = t.bap[n / 16 + i];
    fired[i] = 0;
  }
  for (uint32_t p = 0; p < width; ++p) {
    const FusedTreePosition &d = t.positions[p];
    const chip::LifTreeCompartment &s = d.shape;
    const FusedTree::Gather *gather =
        (sizeof(Acc) == 2 ? t.gather16.data() : t.gather32.data()) +
        size_t(p) * pairs;
    const bool logical = s.join == TreeJoin::And || s.join == TreeJoin::Or;
    const __m512i a = _mm512_set1_epi32(accClamp[p]);
    const __m512i limit = _mm512_set1_epi32(d.inputLimit);
    const __m512i vlo = _mm512_set1_epi32(d.vlo),
                  vhi = _mm512_set1_epi32(d.vhi);
    UniformWords words;
    broadcastWords<Uniform>(d, words);
    for (unsigned i = 0; i < V; ++i) {
      const uint32_t at = n + 16 * i;
      int32_t *block = t.state.data() + size_t(at / 16) * t.blockWords;
      __m512i in = pick<Acc>(inputs[i], gather, pairs);
      if (k.shifted)
        in = _mm512_sll_epi32(clamp(in, _mm512_sub_epi32(k.zero, a), a),
                              k.accShift);
      if (s.children) {
        in = clamp(in, _mm512_sub_epi32(k.zero, limit), limit);
        const __m512i *pushed = stack[i];
        __m512i joined = pushed[d.pops[0]];
        if (logical) {
          __mmask16 active = _mm512_test_epi32_mask(joined, joined);
          for (unsigned c = 1; c < s.children; ++c) {
            const __m512i y = pushed[d.pops[c]];
            const __mmask16 m = _mm512_test_epi32_mask(y, y);
            active = s.join == TreeJoin::And ? __mmask16(active & m)
                                             : __mmask16(active | m);
          }
          joined = _mm512_maskz_mov_epi32(
              active, word<Uniform, Full>(d, words, JoinWeight, at, lanes));
        } else {
          for (unsigned c = 1; c < s.children; ++c) {
            const __m512i y = pushed[d.pops[c]];
            joined = s.join == TreeJoin::Add   ? _mm512_add_epi32(joined, y)
                     : s.join == TreeJoin::Min ? _mm512_min_epi32(joined, y)
                                               : _mm512_max_epi32(joined, y);
          }
        }
        in = _mm512_add_epi32(in, joined);
      }
      in = clamp(in, k.negAccLimit, k.accLimit);
      const __m512i u0 = _mm512_loadu_si512(block + d.uAt);
      const __m512i v0 = _mm512_loadu_si512(block + d.vAt);
      const __m512i x =
          d.uIsInput
              ? in
              : _mm512_add_epi32(
                    decay16(u0,
                            word<Uniform, Full>(d, words, ScaleU, at, lanes),
                            k.bits, k.lowMask),
                    in);
      const __m512i u =
          _mm512_sra_epi32(_mm512_sll_epi32(x, k.uShift), k.uShift);
      const __m512i dv =
          d.vKeeps
              ? v0
              : decay16(v0, word<Uniform, Full>(d, words, ScaleV, at, lanes),
                        k.bits, k.lowMask);
      const __m512i w =
          _mm512_add_epi32(u, word<Uniform, Full>(d, words, Bias, at, lanes));
      const __m512i sum = _mm512_add_epi32(dv, w);
      // Sign of (dv ^ sum) & (w ^ sum): the sum went past INT32_MIN (never
      // past INT32_MAX: fuseLifTree), where the clip gives vmin.
      const __mmask16 under = _mm512_movepi32_mask(_mm512_and_si512(
          _mm512_xor_si512(dv, sum), _mm512_xor_si512(w, sum)));
      const __m512i v = clamp(_mm512_mask_mov_epi32(sum, under, k.int32Min),
                              word<Uniform, Full>(d, words, VMin, at, lanes),
                              word<Uniform, Full>(d, words, VMax, at, lanes));
      _mm512_storeu_si512(block + d.uAt, u);
      const __m512i th = word<Uniform, Full>(d, words, Threshold, at, lanes);
      if (s.root) {
        const __m512i r0 = _mm512_loadu_si512(block + d.refractoryAt);
        const __mmask16 quiet = _mm512_cmpeq_epi32_mask(r0, k.zero);
        const __mmask16 fire =
            s.reset == LifReset::NoSpike
                ? __mmask16(0)
                : _mm512_mask_cmpgt_epi32_mask(__mmask16(quiet & lanes), v, th);
        const __m512i chosen =
            s.reset == LifReset::Subtract
                ? _mm512_mask_mov_epi32(v, fire, _mm512_sub_epi32(v, th))
                : _mm512_maskz_mov_epi32(__mmask16(~fire), v);
        _mm512_storeu_si512(block + d.vAt, _mm512_maskz_mov_epi32(
                                               quiet, clamp(chosen, vlo, vhi)));
        const __m512i counting = _mm512_mask_mov_epi32(
            r0, __mmask16(~quiet),
            _mm512_and_si512(_mm512_sub_epi32(r0, k.one), k.counterMask));
        _mm512_storeu_si512(
            block + d.refractoryAt,
            _mm512_mask_mov_epi32(
                counting, fire,
                word<Uniform, Full>(d, words, Period, at, lanes)));
        fired[i] = fire;
        continue;
      }
      const __m512i kept =
          s.resetOnBap ? _mm512_maskz_mov_epi32(__mmask16(~bapLanes[i]), v) : v;
      const __m512i vNew = clamp(kept, vlo, vhi);
      _mm512_storeu_si512(block + d.vAt, vNew);
      const __m512i g = word<Uniform, Full>(d, words, Gain, at, lanes);
      // What the dendrite passes up: u or v, times the gain where the chip
      // multiplies; Active passes the gain.
      const __m512i value = s.output == TreeOutput::Current ? u : vNew;
      __m512i pushed = s.output == TreeOutput::Active
                           ? g
                           : (s.scaledOutput ? mulShrGain(value, g, k) : value);
      if (s.output == TreeOutput::Active ||
          s.output == TreeOutput::AboveThreshold)
        pushed =
            _mm512_maskz_mov_epi32(_mm512_cmpgt_epi32_mask(vNew, th), pushed);
      stack[i][d.push] = pushed;
    }
  }
  for (unsigned i = 0; i < V; ++i) {
    t.bap[n / 16 + i] = fired[i];
    // Compressed in a register and stored whole: the spike list has room
    // for 15 lanes past the end (see UpdateAvx512.cpp).
    _mm512_storeu_si512(out + spikes,
                        _mm512_maskz_compress_epi32(fired[i], rootIndex[i]));
    spikes += uint32_t(__builtin_popcount(fired[i]));
  }
}

template <typename Acc, bool Uniform>
CAJAL_AVX512 void runTreeOf(FusedTree &t, Acc *slot, unsigned accShift,
                            uint32_t *&spikes) {
  const uint32_t width = uint32_t(t.positions.size());
  Constants k;
  k.bits = _mm_cvtsi32_si128(int(t.decayBits));
  k.uShift = _mm_cvtsi32_si128(int(t.uShift));
  k.shifted = accShift > 0;
  k.accShift = _mm_cvtsi32_si128(int(accShift));
  k.lowMask = _mm512_set1_epi32((int32_t(1) << t.decayBits) - 1);
  k.accLimit = _mm512_set1_epi32(t.accLimit);
  k.negAccLimit = _mm512_set1_epi32(-t.accLimit);
  k.zero = _mm512_setzero_si512();
  k.one = _mm512_set1_epi32(1);
  k.counterMask = _mm512_set1_epi32(t.counterMask);
  k.gainHalf = _mm512_set1_epi64(int64_t(1) << (chip::kTreeGainShift - 1));
  k.one64 = _mm512_set1_epi64(1);
  k.int32Min = _mm512_set1_epi32(INT32_MIN);
  int32_t accClamp[kFusedTreeWidth];
  for (uint32_t p = 0; p < width; ++p)
    accClamp[p] =
        int32_t(fusedAccumulatorClamp(t.positions[p].inputLimit, accShift));
  __m512i rootIndex = _mm512_add_epi32(
      _mm512_set1_epi32(int32_t(t.firstPosition + width - 1)),
      _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
                                           12, 13, 14, 15),
                         _mm512_set1_epi32(int32_t(width))));
  const __m512i step = _mm512_set1_epi32(int32_t(16 * width));
  uint32_t *out = spikes, count = 0, n = 0;
  constexpr unsigned V = 2;
  for (; n + 16 * V <= t.neurons; n += 16 * V) {
    __m512i roots[V];
    for (unsigned i = 0; i < V; ++i)
      roots[i] = i ? _mm512_add_epi32(roots[i - 1], step) : rootIndex;
    treeVectors<Acc, Uniform, true, V>(t, k, accClamp, slot, n, 0xFFFF, roots,
                                       out, count);
    rootIndex = _mm512_add_epi32(roots[V - 1], step);
  }
  for (; n + 16 <= t.neurons; n += 16) {
    treeVectors<Acc, Uniform, true, 1>(t, k, accClamp, slot, n, 0xFFFF,
                                       &rootIndex, out, count);
    rootIndex = _mm512_add_epi32(rootIndex, step);
  }
  if (n < t.neurons)
    treeVectors<Acc, Uniform, false, 1>(t, k, accClamp, slot, n,
                                        __mmask16((1u << (t.neurons - n)) - 1),
                                        &rootIndex, out, count);
  spikes = out + count;
}

template <typename Acc>
CAJAL_AVX512 void runTree(FusedTree &t, Acc *slot, unsigned accShift,
                          uint32_t *&spikes) {
  if (t.uniform)
    runTreeOf<Acc, true>(t, slot, accShift, spikes);
  else
    runTreeOf<Acc, false>(t, slot, accShift, spikes);
}

} // namespace

const FusedTreeKernels *fusedTreeAvx512Kernels() {
  static const FusedTreeKernels kernels = {runTree<int16_t>, runTree<int32_t>};
  return &kernels;
}

} // namespace cajal::golden::detail

#else

namespace cajal::golden::detail {
const FusedTreeKernels *fusedTreeAvx512Kernels() { return nullptr; }
} // namespace cajal::golden::detail

#endif
