//===- TreeAvx512.cpp - Fused dendritic trees in AVX-512 intrinsics -------===//
//
// The loop of TreeKernels.h, each value in a 32-bit lane. A step takes the
// shape's neurons segment by segment in blocks of sixteen vectors of 16
// (the last under a lane mask): it reads every position's input as a point
// neuron's is read, 16 accumulators of one run per vector (the segment lies
// position by position), and clears them, then runs the positions in
// tree order, each over the whole block: a join of several children, or of
// one by AND or OR, in a loop of its own per join kind, then the position's
// own loop, straight-line code compiled for its shape (root by reset;
// dendrite by output, scaling and bap reset; whether it adds its one
// child's value itself), whose vectors the core overlaps. Inputs and the
// stack stay in L1 between the push and the pop; the state is read as one
// stream (the fused blocks of FusedTree::state). Per position it computes
// what lifTreeLoop (ProgramKernels.cpp) computes: fuseLifTree
// (ProgramUpdate.cpp) has proved every sum and product fits 32 bits, and a
// q clamped first to +-(accLimit + join bound) gives the same saturated
// input as the 64-bit sum. The roots' spikes are compressed straight into
// the spike list, as UpdateAvx512.cpp does.
//
//===----------------------------------------------------------------------===//
#include "TreeKernels.h"

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#include "Avx512Lanes.h"

#include <immintrin.h>

#include <algorithm>
#include <type_traits>

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
  __m512i gainHalf32, lowHalf; ///< 2^15 and 2^16 - 1 in 32-bit lanes
  __m512i int32Min;
};

/// How a dendrite's pushed value is scaled by its gain g (MULSHR.half):
/// not at all, or (x * g + 2^15) >> 16 in 32-bit products where every
/// |g| < 2^15 (Narrow), else in 64-bit ones (Wide).
enum class GainScale { Unscaled, Narrow, Wide };

/// (x * g + 2^15) >> 16 per lane, from 64-bit products of the even and the
/// odd lanes; the result fits 32 bits.
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

/// The same where |g| < 2^15: with x = h 2^16 + l (0 <= l < 2^16), it is
/// h g + ((l g + 2^15) >> 16), every term inside 32 bits.
CAJAL_AVX512 inline __m512i mulShrNarrowGain(__m512i x, __m512i g,
                                             const Constants &k) {
  constexpr int shift = int(chip::kTreeGainShift);
  const __m512i low = _mm512_and_si512(x, k.lowHalf);
  const __m512i rounded = _mm512_srai_epi32(
      _mm512_add_epi32(_mm512_mullo_epi32(low, g), k.gainHalf32), shift);
  return _mm512_add_epi32(_mm512_mullo_epi32(_mm512_srai_epi32(x, shift), g),
                          rounded);
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

/// Vectors of 16 neurons a block runs through each position before the
/// next: the positions' inputs and the stack stay in L1 between the push
/// and the pop (16 KB of inputs for 16 positions), and each position's
/// loop over the block is straight-line code for its shape, whose vectors
/// the core overlaps; its set-up (the words' broadcasts) is paid per 256
/// neurons.
constexpr uint32_t kBlockVectors = 16;

/// One block of neurons (lanes [n, n + 16 vectors) of the shape, inside
/// one segment), the last vector's lanes `lastLanes`.
struct Block {
  uint32_t n = 0, vectors = 0;
  __mmask16 lastLanes = 0;
  int32_t *state = nullptr; ///< the first vector's block of FusedTree::state
  __m512i *input = nullptr; ///< [position * kBlockVectors + vector]
  __m512i *stack = nullptr; ///< [slot * kBlockVectors + vector]
  uint16_t *bap = nullptr;  ///< the first vector's
  __m512i rootIndex;        ///< the first vector's roots' update positions
  uint32_t *out = nullptr, *spikes = nullptr;
};

CAJAL_AVX512 inline __mmask16 lanesOf(const Block &b, uint32_t v) {
  return v + 1 == b.vectors ? b.lastLanes : __mmask16(0xFFFF);
}

/// Word w of neurons at .. at + 15.
template <bool Uniform>
CAJAL_AVX512 inline __m512i wordOf(const FusedTreePosition &d,
                                   const UniformWords &words, FusedTreeWord w,
                                   uint32_t at, __mmask16 lanes) {
  if constexpr (Uniform)
    return words.w[w];
  else
    return _mm512_maskz_loadu_epi32(lanes,
                                    d.word[w] + size_t(at) * d.wordStep[w]);
}

/// One position of a fused tree over a block: its input saturated (with,
/// where it has one child joined by ADD, MIN or MAX (SingleChild), that
/// child's value added first: the join of one value is the value), the LIF
/// integration, and the root's REFR and FIRE or the dendrite's store, bap
/// reset and push. Every scalar it reads per vector is a local copy: the
/// state stores could alias the structures', which would be read again.
/// UIsInput, VKeeps and Counts: FusedTreePosition's uIsInput, vKeeps and
/// (a root's) !neverRefractory (a loop each, not a branch per vector).
template <bool Uniform, bool SingleChild, bool Root, LifReset Reset,
          TreeOutput Output, GainScale Scale, bool ResetOnBap, bool UIsInput,
          bool VKeeps, bool Counts>
CAJAL_AVX512 void positionLoop(const FusedTree &t, const FusedTreePosition &d,
                               const Constants &constants, uint32_t p,
                               Block &b) {
  const Constants k = constants;
  UniformWords words;
  broadcastWords<Uniform>(d, words);
  const __m512i vlo = _mm512_set1_epi32(d.vlo), vhi = _mm512_set1_epi32(d.vhi);
  const uint32_t uAt = d.uAt, vAt = d.vAt, refractoryAt = d.refractoryAt;
  const size_t blockWords = t.blockWords;
  const uint32_t vectors = b.vectors, n = b.n;
  int32_t *const state = b.state;
  const __m512i *const input = b.input + p * kBlockVectors;
  const __m512i *const child = b.stack + d.pops[0] * kBlockVectors;
  __m512i *const pushTo = b.stack + d.push * kBlockVectors;
  const __m512i limit = _mm512_set1_epi32(d.inputLimit);
  const __m512i negLimit = _mm512_sub_epi32(k.zero, limit);
  uint16_t *const bap = b.bap;
  uint32_t *const out = b.out;
  uint32_t spikes = *b.spikes;
  const __m512i sixteen = _mm512_set1_epi32(16);
  __m512i roots = b.rootIndex;
  for (uint32_t v = 0; v < vectors; ++v) {
    const __mmask16 lanes = lanesOf(b, v);
    const uint32_t at = n + 16 * v;
    int32_t *block = state + v * blockWords;
    __m512i q = input[v];
    if constexpr (SingleChild)
      q = _mm512_add_epi32(clamp(q, negLimit, limit), child[v]);
    const __m512i in = clamp(q, k.negAccLimit, k.accLimit);
    const __m512i u0 = _mm512_loadu_si512(block + uAt);
    const __m512i v0 = _mm512_loadu_si512(block + vAt);
    const __m512i x =
        UIsInput ? in
                 : _mm512_add_epi32(
                       decay16(u0, wordOf<Uniform>(d, words, ScaleU, at, lanes),
                               k.bits, k.lowMask),
                       in);
    const __m512i u = _mm512_sra_epi32(_mm512_sll_epi32(x, k.uShift), k.uShift);
    const __m512i dv =
        VKeeps ? v0
               : decay16(v0, wordOf<Uniform>(d, words, ScaleV, at, lanes),
                         k.bits, k.lowMask);
    const __m512i w =
        _mm512_add_epi32(u, wordOf<Uniform>(d, words, Bias, at, lanes));
    const __m512i sum = _mm512_add_epi32(dv, w);
    // Sign of (dv ^ sum) & (w ^ sum): the sum went past INT32_MIN (never
    // past INT32_MAX: fuseLifTree), where the clip gives vmin.
    const __mmask16 under = _mm512_movepi32_mask(
        _mm512_and_si512(_mm512_xor_si512(dv, sum), _mm512_xor_si512(w, sum)));
    const __m512i vc = clamp(_mm512_mask_mov_epi32(sum, under, k.int32Min),
                             wordOf<Uniform>(d, words, VMin, at, lanes),
                             wordOf<Uniform>(d, words, VMax, at, lanes));
    _mm512_storeu_si512(block + uAt, u);
    const __m512i th = wordOf<Uniform>(d, words, Threshold, at, lanes);
    if constexpr (Root) {
      const __m512i r0 =
          Counts ? _mm512_loadu_si512(block + refractoryAt) : k.zero;
      const __mmask16 quiet =
          Counts ? _mm512_cmpeq_epi32_mask(r0, k.zero) : __mmask16(0xFFFF);
      const __mmask16 fire =
          Reset == LifReset::NoSpike
              ? __mmask16(0)
              : _mm512_mask_cmpgt_epi32_mask(__mmask16(quiet & lanes), vc, th);
      const __m512i chosen =
          Reset == LifReset::Subtract
              ? _mm512_mask_mov_epi32(vc, fire, _mm512_sub_epi32(vc, th))
              : _mm512_maskz_mov_epi32(__mmask16(~fire), vc);
      _mm512_storeu_si512(
          block + vAt, _mm512_maskz_mov_epi32(quiet, clamp(chosen, vlo, vhi)));
      if constexpr (Counts) {
        const __m512i counting = _mm512_mask_mov_epi32(
            r0, __mmask16(~quiet),
            _mm512_and_si512(_mm512_sub_epi32(r0, k.one), k.counterMask));
        _mm512_storeu_si512(
            block + refractoryAt,
            _mm512_mask_mov_epi32(
                counting, fire, wordOf<Uniform>(d, words, Period, at, lanes)));
      }
      bap[v] = fire;
      // Compressed in a register and stored whole (the spike list has room
      // for 15 lanes past the end, see UpdateAvx512.cpp), where a lane
      // fires: a store to the list's end for every vector would straddle
      // two cache lines whenever the list is not 64-byte aligned.
      if (fire)
        _mm512_storeu_si512(out + spikes,
                            _mm512_maskz_compress_epi32(fire, roots));
      spikes += uint32_t(__builtin_popcount(fire));
      roots = _mm512_add_epi32(roots, sixteen);
    } else {
      const __m512i kept =
          ResetOnBap ? _mm512_maskz_mov_epi32(__mmask16(~bap[v]), vc) : vc;
      const __m512i vNew = clamp(kept, vlo, vhi);
      _mm512_storeu_si512(block + vAt, vNew);
      const __m512i g = wordOf<Uniform>(d, words, Gain, at, lanes);
      // What the dendrite passes up: u or v, times the gain where the chip
      // multiplies; Active passes the gain.
      const __m512i value = Output == TreeOutput::Current ? u : vNew;
      __m512i pushed = Output == TreeOutput::Active ? g
                       : Scale == GainScale::Wide   ? mulShrGain(value, g, k)
                       : Scale == GainScale::Narrow
                           ? mulShrNarrowGain(value, g, k)
                           : value;
      if (Output == TreeOutput::Active || Output == TreeOutput::AboveThreshold)
        pushed =
            _mm512_maskz_mov_epi32(_mm512_cmpgt_epi32_mask(vNew, th), pushed);
      pushTo[v] = pushed;
    }
  }
  *b.spikes = spikes;
}

/// positionLoop for d's uIsInput and vKeeps, and a root's refractory
/// counter (a dendrite has none).
template <bool Uniform, bool SingleChild, bool Root, LifReset Reset,
          TreeOutput Output, GainScale Scale, bool ResetOnBap>
CAJAL_AVX512 void runPosition(const FusedTree &t, const FusedTreePosition &d,
                              const Constants &k, uint32_t p, Block &b) {
  constexpr auto loop = [](auto uIsInput, auto vKeeps, auto counts) {
    return positionLoop<Uniform, SingleChild, Root, Reset, Output, Scale,
                        ResetOnBap, decltype(uIsInput)::value,
                        decltype(vKeeps)::value, decltype(counts)::value>;
  };
  const auto withCounter = [&](auto counts) {
    using Yes = std::true_type;
    using No = std::false_type;
    return d.uIsInput ? (d.vKeeps ? loop(Yes{}, Yes{}, counts)
                                  : loop(Yes{}, No{}, counts))
                      : (d.vKeeps ? loop(No{}, Yes{}, counts)
                                  : loop(No{}, No{}, counts));
  };
  if constexpr (Root)
    if (!d.neverRefractory) {
      withCounter(std::true_type{})(t, d, k, p, b);
      return;
    }
  withCounter(std::false_type{})(t, d, k, p, b);
}

using PositionFn = void (*)(const FusedTree &, const FusedTreePosition &,
                            const Constants &, uint32_t, Block &);

/// runPosition for position d: roots by reset, dendrites by output,
/// scaling and bap reset.
template <bool Uniform, bool SingleChild>
PositionFn positionFn(const FusedTreePosition &d) {
  const chip::LifTreeCompartment &shape = d.shape;
  constexpr GainScale none = GainScale::Unscaled;
  if (shape.root)
    switch (shape.reset) {
    case LifReset::Subtract:
      return runPosition<Uniform, SingleChild, true, LifReset::Subtract,
                         TreeOutput::Voltage, none, false>;
    case LifReset::NoSpike:
      return runPosition<Uniform, SingleChild, true, LifReset::NoSpike,
                         TreeOutput::Voltage, none, false>;
    default:
      return runPosition<Uniform, SingleChild, true, LifReset::Zero,
                         TreeOutput::Voltage, none, false>;
    }
  const auto dendrite = [&](auto output, auto scale) -> PositionFn {
    constexpr TreeOutput o = decltype(output)::value;
    constexpr GainScale g = decltype(scale)::value;
    constexpr LifReset z = LifReset::Zero;
    return shape.resetOnBap
               ? runPosition<Uniform, SingleChild, false, z, o, g, true>
               : runPosition<Uniform, SingleChild, false, z, o, g, false>;
  };
  const auto scaled = [&](auto output) -> PositionFn {
    using Scale = GainScale;
    if (!shape.scaledOutput)
      return dendrite(output, std::integral_constant<Scale, Scale::Unscaled>{});
    if (d.narrowGain)
      return dendrite(output, std::integral_constant<Scale, Scale::Narrow>{});
    return dendrite(output, std::integral_constant<Scale, Scale::Wide>{});
  };
  switch (shape.output) {
  case TreeOutput::Current:
    return scaled(std::integral_constant<TreeOutput, TreeOutput::Current>{});
  case TreeOutput::Active:
    return scaled(std::integral_constant<TreeOutput, TreeOutput::Active>{});
  case TreeOutput::AboveThreshold:
    return scaled(
        std::integral_constant<TreeOutput, TreeOutput::AboveThreshold>{});
  default:
    return scaled(std::integral_constant<TreeOutput, TreeOutput::Voltage>{});
  }
}

/// Whether position d's join is its one child's value, which runPosition
/// then adds itself (no pass of its own).
inline bool joinsOneValue(const FusedTreePosition &d) {
  const TreeJoin j = d.shape.join;
  return d.shape.children == 1 &&
         (j == TreeJoin::Add || j == TreeJoin::Min || j == TreeJoin::Max);
}

/// 16 accumulators at `at` (those of `lanes` unless Full) as 32-bit lanes,
/// and their zeroing.
template <typename Acc, bool Full>
CAJAL_AVX512 inline __m512i takeInput(Acc *at, __mmask16 lanes) {
  if constexpr (sizeof(Acc) == 2) {
    const __m512i x = loadInt16<Full>(at, lanes);
    zeroInt16<Full>(at, lanes);
    return x;
  } else {
    const __m512i x = load<Full>(at, lanes);
    store<Full>(at, lanes, _mm512_setzero_si512());
    return x;
  }
}

/// Every position's input for the block's vectors, read from its run of
/// the segment's accumulators (16 neurons' one 16-accumulator run, as a
/// point neuron's), shifted, and the accumulators cleared.
template <typename Acc>
CAJAL_AVX512 void loadInputs(const FusedTree &t, const FusedTreeSegment &s,
                             uint32_t n, const Constants &k,
                             const int32_t *accClamp, Acc *slot, Block &b) {
  const uint32_t width = uint32_t(t.positions.size());
  const uint32_t full = b.lastLanes == 0xFFFF ? b.vectors : b.vectors - 1;
  for (uint32_t p = 0; p < width; ++p) {
    Acc *run = slot + s.firstPosition + size_t(p) * s.neurons + n;
    __m512i *in = b.input + p * kBlockVectors;
    uint32_t v = 0;
    for (; v < full; ++v)
      in[v] = takeInput<Acc, true>(run + 16 * v, 0xFFFF);
    if (v < b.vectors)
      in[v] = takeInput<Acc, false>(run + 16 * v, b.lastLanes);
    if (k.shifted) {
      const __m512i a = _mm512_set1_epi32(accClamp[p]);
      const __m512i negA = _mm512_sub_epi32(k.zero, a);
      for (v = 0; v < b.vectors; ++v)
        in[v] = _mm512_sll_epi32(clamp(in[v], negA, a), k.accShift);
    }
  }
}

/// Position p's children's join added to its input (q clamped first to
/// +-inputLimit), over the block.
template <TreeJoin Join>
CAJAL_AVX512 void joinChildren(const FusedTree &t, const Constants &k,
                               uint32_t p, Block &b) {
  const FusedTreePosition &d = t.positions[p];
  const unsigned children = d.shape.children;
  const __m512i limit = _mm512_set1_epi32(d.inputLimit);
  const __m512i negLimit = _mm512_sub_epi32(k.zero, limit);
  constexpr bool logical = Join == TreeJoin::And || Join == TreeJoin::Or;
  for (uint32_t v = 0; v < b.vectors; ++v) {
    __m512i joined = b.stack[d.pops[0] * kBlockVectors + v];
    if constexpr (logical) {
      __mmask16 active = _mm512_test_epi32_mask(joined, joined);
      for (unsigned c = 1; c < children; ++c) {
        const __m512i y = b.stack[d.pops[c] * kBlockVectors + v];
        const __mmask16 m = _mm512_test_epi32_mask(y, y);
        active = Join == TreeJoin::And ? __mmask16(active & m)
                                       : __mmask16(active | m);
      }
      const __m512i weight =
          d.wordStep[JoinWeight] == 0
              ? _mm512_set1_epi32(d.value[JoinWeight])
              : _mm512_maskz_loadu_epi32(lanesOf(b, v),
                                         d.word[JoinWeight] + b.n + 16 * v);
      joined = _mm512_maskz_mov_epi32(active, weight);
    } else {
      for (unsigned c = 1; c < children; ++c) {
        const __m512i y = b.stack[d.pops[c] * kBlockVectors + v];
        joined = Join == TreeJoin::Add   ? _mm512_add_epi32(joined, y)
                 : Join == TreeJoin::Min ? _mm512_min_epi32(joined, y)
                                         : _mm512_max_epi32(joined, y);
      }
    }
    __m512i &in = b.input[p * kBlockVectors + v];
    in = _mm512_add_epi32(clamp(in, negLimit, limit), joined);
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
  k.gainHalf32 = _mm512_set1_epi32(int32_t(1) << (chip::kTreeGainShift - 1));
  k.lowHalf = _mm512_set1_epi32((int32_t(1) << chip::kTreeGainShift) - 1);
  k.int32Min = _mm512_set1_epi32(INT32_MIN);
  int32_t accClamp[kFusedTreeWidth];
  PositionFn run[kFusedTreeWidth];
  using JoinFn =
      void (*)(const FusedTree &, const Constants &, uint32_t, Block &);
  JoinFn join[kFusedTreeWidth];
  for (uint32_t p = 0; p < width; ++p) {
    const FusedTreePosition &d = t.positions[p];
    accClamp[p] = int32_t(fusedAccumulatorClamp(d.inputLimit, accShift));
    const bool single = joinsOneValue(d);
    run[p] =
        single ? positionFn<Uniform, true>(d) : positionFn<Uniform, false>(d);
    // By TreeJoin: Add, Min, Max, And, Or.
    static constexpr JoinFn kJoins[] = {
        joinChildren<TreeJoin::Add>, joinChildren<TreeJoin::Min>,
        joinChildren<TreeJoin::Max>, joinChildren<TreeJoin::And>,
        joinChildren<TreeJoin::Or>};
    join[p] =
        d.shape.children && !single ? kJoins[unsigned(d.shape.join)] : nullptr;
  }
  alignas(64) __m512i input[kFusedTreeWidth * kBlockVectors];
  alignas(64) __m512i stack[kFusedTreeSlots * kBlockVectors];
  uint32_t count = 0;
  Block b;
  b.input = input;
  b.stack = stack;
  b.out = spikes;
  b.spikes = &count;
  const __m512i lane =
      _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  for (const FusedTreeSegment &s : t.segments) {
    // The segment's roots are its last run of positions.
    const uint32_t roots = s.firstPosition + (width - 1) * s.neurons;
    for (uint32_t n = 0; n < s.neurons; n += 16 * kBlockVectors) {
      const uint32_t left = s.neurons - n;
      b.n = s.firstLane + n;
      b.vectors = std::min(kBlockVectors, (left + 15) / 16);
      const uint32_t last = left - 16 * (b.vectors - 1);
      b.lastLanes =
          last >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << last) - 1);
      const uint32_t block = s.firstBlock + n / 16;
      b.state = t.blockAt(block);
      b.bap = t.bap.data() + block;
      b.rootIndex =
          _mm512_add_epi32(_mm512_set1_epi32(int32_t(roots + n)), lane);
      loadInputs(t, s, n, k, accClamp, slot, b);
      for (uint32_t p = 0; p < width; ++p) {
        if (join[p])
          join[p](t, k, p, b);
        run[p](t, t.positions[p], k, p, b);
      }
    }
  }
  spikes += count;
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
