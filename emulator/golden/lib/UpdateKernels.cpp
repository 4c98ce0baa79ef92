//===- UpdateKernels.cpp - The golden model's compartment update loops ----===//
//
// chip::updateCompartment for a range of compartments, branch-free over
// structure-of-arrays so that GCC vectorises it, in two arithmetic widths:
//
// 64-bit lanes (any legal profile): decay(x, d) = sign(x) * ((|x| * scale)
// >> bits) with one exact 32 x 32 -> 64-bit product; the current wraps as
// ((x + 2^(b-1)) & (2^b - 1)) - 2^(b-1).
//
// 32-bit lanes (twice the lanes; used only where the loader proved every
// intermediate fits, see CoreRange in Loader.cpp): x = hi * 2^bits + lo
// with hi = x >> bits (floor) and 0 <= lo < 2^bits, so
//   floor(x * s / 2^bits) = hi * s + ((lo * s) >> bits)
// and, for x < 0, rounding toward zero adds 2^bits - 1 before the shift:
//   decay(x) = hi * s + ((lo * s + (x < 0 ? 2^bits - 1 : 0)) >> bits).
// With s <= 2^bits <= 2^15 both products fit 32 bits. The current wraps by
// shifting left by 32 - currentBits and back (arithmetic). v + u + bias may
// pass below INT32_MIN (vmin goes down to -2^31 + 1): the sum is taken
// modulo 2^32, an underflow detected from the signs, and there the clip's
// answer is vmin (the loader proves the sum never passes INT32_MAX).
//
// Uniform variants take every constant of the range from its first
// compartment (held in registers). Spike flags go to an int32 array (one
// lane width: a byte array makes GCC process four vectors per iteration and
// spill) and are counted; the caller scans the flags only where the count is
// not zero. Each loop is compiled three times: with AVX-512 (16 lanes of
// int32), AVX2 and the portable default.
//
//===----------------------------------------------------------------------===//
#include "UpdateKernels.h"
#include "DeliveryKernels.h"
#include "LearningKernels.h"

#include <algorithm>
#include <limits>
#include <type_traits>

namespace cajal::golden::detail {
namespace {

#define CAJAL_HOT inline __attribute__((always_inline))
// GCC's "no loop-carried dependence" hint; clang has no such pragma (it
// vectorises these loops from the __restrict pointers alone).
#if defined(__GNUC__) && !defined(__clang__)
#define CAJAL_IVDEP _Pragma("GCC ivdep")
#else
#define CAJAL_IVDEP
#endif
constexpr int32_t int32Min = std::numeric_limits<int32_t>::min();

/// x * 2^shift, defined for negative x too (C++17 leaves a left shift of a
/// negative value undefined): the shift of the two's-complement bits is the
/// same instruction.
template <typename T> CAJAL_HOT T shiftLeft(T x, unsigned shift) {
  return T(std::make_unsigned_t<T>(x) << shift);
}

/// sign(x) * ((|x| * scale) >> bits) for |x| <= 2^31, 0 <= scale < 2^32.
CAJAL_HOT int64_t decay64(int64_t x, int32_t scale, unsigned bits) {
  const uint32_t magnitude = uint32_t(x < 0 ? -x : x);
  const int64_t m = int64_t((uint64_t(magnitude) * uint32_t(scale)) >> bits);
  return x < 0 ? -m : m;
}

/// The same in 32 bits for 0 <= scale <= 2^bits, bits <= 15 (see above).
CAJAL_HOT int32_t decay32(int32_t x, int32_t scale, unsigned bits,
                          int32_t lowMask) {
  const int32_t hi = x >> bits;
  const int32_t lo = x & lowMask;
  const int32_t roundUp = (x >> 31) & lowMask;
  return hi * scale + ((lo * scale + roundUp) >> bits);
}

/// The constant of compartment i: with Uniform, every compartment of the
/// range has compartment b's (held in a register, not read per lane).
#define CAJAL_PARAM(array, i) (Uniform ? array##Of##b : array[i])
#define CAJAL_UNIFORM(array) const auto array##Of##b = array[b]

/// Compartments [b, e) in 64-bit lanes.
template <typename Acc, IdleCount Idle, bool Uniform>
CAJAL_HOT UpdateCounts update64(const UpdateArgs &a, uint32_t b, uint32_t e) {
  // Every array is read unconditionally into a local, so that the selects
  // below are if-converted and the loop vectorised.
  int32_t *__restrict us = a.u, *__restrict vs = a.v;
  int32_t *__restrict rs = a.refractoryLeft;
  const int32_t *__restrict scaleU = a.scaleU, *__restrict scaleV = a.scaleV;
  const int32_t *__restrict vmin = a.vmin, *__restrict vmax = a.vmax;
  const int32_t *__restrict fireAbove = a.fireAbove;
  const int32_t *__restrict keep = a.keepOnSpike;
  const int32_t *__restrict refractory = a.refractory;
  const int64_t *__restrict bias = a.bias;
  int32_t *__restrict fired = a.fired;
  uint32_t *__restrict idleCount = a.idleCount;
  Acc *__restrict slot = static_cast<Acc *>(a.slot);
  const unsigned accShift = a.accShift;
  const int64_t limit = a.accLimit, half = a.wrapHalf, mask = a.wrapMask;
  const unsigned bits = a.decayBits;
  uint32_t idle = 0, spikes = 0;
  if (b >= e)
    return {};
  CAJAL_UNIFORM(scaleU);
  CAJAL_UNIFORM(scaleV);
  CAJAL_UNIFORM(vmin);
  CAJAL_UNIFORM(vmax);
  CAJAL_UNIFORM(fireAbove);
  CAJAL_UNIFORM(keep);
  CAJAL_UNIFORM(refractory);
  CAJAL_UNIFORM(bias);
  // The arrays are distinct vectors: no alias checks are needed.
  CAJAL_IVDEP
  for (uint32_t i = b; i < e; ++i) {
    const int64_t q = shiftLeft(int64_t(slot[i]), accShift),
                  bi = CAJAL_PARAM(bias, i);
    const int32_t u0 = us[i], v0 = vs[i], r0 = rs[i];
    const int32_t lo = CAJAL_PARAM(vmin, i), hi = CAJAL_PARAM(vmax, i);
    const int32_t th = CAJAL_PARAM(fireAbove, i), kp = CAJAL_PARAM(keep, i);
    const int32_t ref = CAJAL_PARAM(refractory, i);
    if (Idle != NoIdleCount) {
      const bool isIdle = (q | u0 | v0 | r0 | bi) == 0;
      idle += isIdle;
      if (Idle == IdlePerCompartment)
        idleCount[i] += isIdle;
    }
    slot[i] = 0;
    const int64_t qs = std::min(std::max(q, -limit), limit);
    const int64_t u =
        ((decay64(u0, CAJAL_PARAM(scaleU, i), bits) + qs + half) & mask) - half;
    const int64_t v = decay64(v0, CAJAL_PARAM(scaleV, i), bits) + u + bi;
    const int32_t vc = int32_t(std::min(std::max(v, int64_t(lo)), int64_t(hi)));
    const bool fire = (r0 == 0) & (vc > th);
    // In 64 bits: th may be INT32_MAX (a compartment that never fires).
    const int32_t vFired = int32_t((int64_t(vc) - th) & kp);
    us[i] = int32_t(u);
    vs[i] = r0 > 0 ? 0 : (fire ? vFired : vc);
    rs[i] = r0 > 0 ? r0 - 1 : (fire ? ref : 0);
    fired[i] = fire;
    spikes += fire;
  }
  return {idle, spikes};
}

/// Compartments [b, e) in 32-bit lanes: only for ranges proven to fit.
template <typename Acc, IdleCount Idle, bool Uniform>
CAJAL_HOT UpdateCounts update32(const UpdateArgs &a, uint32_t b, uint32_t e) {
  int32_t *__restrict us = a.u, *__restrict vs = a.v;
  int32_t *__restrict rs = a.refractoryLeft;
  const int32_t *__restrict scaleU = a.scaleU, *__restrict scaleV = a.scaleV;
  const int32_t *__restrict vmin = a.vmin, *__restrict vmax = a.vmax;
  const int32_t *__restrict fireAbove = a.fireAbove;
  const int32_t *__restrict keep = a.keepOnSpike;
  const int32_t *__restrict refractory = a.refractory;
  const int32_t *__restrict bias = a.bias32;
  int32_t *__restrict fired = a.fired;
  uint32_t *__restrict idleCount = a.idleCount;
  Acc *__restrict slot = static_cast<Acc *>(a.slot);
  // The input: int16 accumulators hold it shifted right by accShift.
  using Input = std::conditional_t<sizeof(Acc) < 4, int32_t, Acc>;
  const unsigned accShift = a.accShift;
  const Input limit = Input(a.accLimit);
  const unsigned bits = a.decayBits, shift = a.wrapShift;
  const int32_t lowMask = (int32_t(1) << bits) - 1;
  uint32_t idle = 0, spikes = 0;
  if (b >= e)
    return {};
  CAJAL_UNIFORM(scaleU);
  CAJAL_UNIFORM(scaleV);
  CAJAL_UNIFORM(vmin);
  CAJAL_UNIFORM(vmax);
  CAJAL_UNIFORM(fireAbove);
  CAJAL_UNIFORM(keep);
  CAJAL_UNIFORM(refractory);
  CAJAL_UNIFORM(bias);
  CAJAL_IVDEP
  for (uint32_t i = b; i < e; ++i) {
    const Input q = shiftLeft(Input(slot[i]), accShift);
    const int32_t bi = CAJAL_PARAM(bias, i);
    const int32_t u0 = us[i], v0 = vs[i], r0 = rs[i];
    const int32_t lo = CAJAL_PARAM(vmin, i), hi = CAJAL_PARAM(vmax, i);
    const int32_t th = CAJAL_PARAM(fireAbove, i), kp = CAJAL_PARAM(keep, i);
    const int32_t ref = CAJAL_PARAM(refractory, i);
    if (Idle != NoIdleCount) {
      const bool isIdle = ((int32_t(q != 0)) | u0 | v0 | r0 | bi) == 0;
      idle += isIdle;
      if (Idle == IdlePerCompartment)
        idleCount[i] += isIdle;
    }
    slot[i] = 0;
    const int32_t qs = int32_t(std::min(std::max(q, Input(-limit)), limit));
    const int32_t x = decay32(u0, CAJAL_PARAM(scaleU, i), bits, lowMask) + qs;
    const int32_t u = int32_t(uint32_t(x) << shift) >> shift;
    // v = clip(dv + w, vmin, vmax). The sum may pass below INT32_MIN (vmin
    // goes down to -2^31 + 1), never above INT32_MAX (proven at load). An
    // overflow flips the sign against both operands; there the sum is
    // replaced by INT32_MIN, which the clip turns into vmin. (Masks, not a
    // select: GCC 12 does not vectorise the select.)
    const int32_t dv = decay32(v0, CAJAL_PARAM(scaleV, i), bits, lowMask),
                  w = u + bi;
    const int32_t sum = int32_t(uint32_t(dv) + uint32_t(w));
    const int32_t under = ((dv ^ sum) & (w ^ sum)) >> 31;
    const int32_t v = (sum & ~under) | (under & int32Min);
    const int32_t vc = std::min(std::max(v, lo), hi);
    const bool inRefractory = r0 > 0;
    const bool fire = !inRefractory & (vc > th);
    const int32_t vQuiet = inRefractory ? 0 : vc;
    const int32_t rQuiet = std::max(r0 - 1, 0);
    us[i] = u;
    vs[i] = fire ? (vc - th) & kp : vQuiet;
    rs[i] = fire ? ref : rQuiet;
    fired[i] = fire;
    spikes += fire;
  }
  return {idle, spikes};
}

/// Writes the indices of the nonzero flags[b, e) to out; returns the end.
/// Blocks of 64 flags are skipped with one vectorised OR when silent (most
/// are).
CAJAL_HOT uint32_t *scanFlags(const int32_t *flags, uint32_t b, uint32_t e,
                              uint32_t *out) {
  constexpr uint32_t block = 64;
  uint32_t i = b;
  for (; i + block <= e; i += block) {
    const int32_t *p = flags + i; // a pointer: the OR loop then vectorises
    int32_t any = 0;
    for (uint32_t k = 0; k < block; ++k)
      any |= p[k];
    if (any == 0)
      continue;
    for (uint32_t k = 0; k < block; ++k)
      if (flags[i + k])
        *out++ = i + k;
  }
  for (; i < e; ++i)
    if (flags[i])
      *out++ = i;
  return out;
}

#undef CAJAL_PARAM
#undef CAJAL_UNIFORM

template <bool A32, AccumulatorKind Q, IdleCount Idle, bool Uniform>
CAJAL_HOT UpdateCounts updateVariant(const UpdateArgs &a, uint32_t b,
                                     uint32_t e) {
  using Acc =
      std::conditional_t<Q == Acc16, int16_t,
                         std::conditional_t<Q == Acc32, int32_t, int64_t>>;
  if constexpr (A32)
    return update32<Acc, Idle, Uniform>(a, b, e);
  else
    return update64<Acc, Idle, Uniform>(a, b, e);
}

// One copy of every variant per instruction set. The loops above are
// always_inline, so each copy is compiled for its target.
#define CAJAL_KERNEL_TABLE(NAME, ATTRIBUTES)                                   \
  template <bool A32, AccumulatorKind Q, IdleCount Idle, bool Uniform>         \
  ATTRIBUTES UpdateCounts NAME(const UpdateArgs &a, uint32_t b, uint32_t e) {  \
    return updateVariant<A32, Q, Idle, Uniform>(a, b, e);                      \
  }                                                                            \
  ATTRIBUTES uint32_t *NAME##Scan(const int32_t *flags, uint32_t b,            \
                                  uint32_t e, uint32_t *out) {                 \
    return scanFlags(flags, b, e, out);                                        \
  }                                                                            \
  template <typename Acc>                                                      \
  ATTRIBUTES void NAME##Deliver(const DeliveryArgs<Acc> &a,                    \
                                const uint32_t *parts, size_t count) {         \
    deliverParts(a, parts, count);                                             \
  }                                                                            \
  ATTRIBUTES void NAME##DecayTraces(uint32_t *values, const uint32_t *keep,    \
                                    const uint64_t *randomIndex, size_t n,     \
                                    uint64_t prefix, unsigned bits) {          \
    decayTraceArray(values, keep, randomIndex, n, prefix, bits);               \
  }                                                                            \
  ATTRIBUTES size_t NAME##PoissonFiring(uint64_t seed, uint32_t probability,   \
                                        uint32_t step, uint32_t first,         \
                                        uint32_t n, uint32_t *out) {           \
    return poissonFiringChannels(seed, probability, step, first, n, out);      \
  }                                                                            \
  const KernelTable NAME##Table = {                                            \
      {CAJAL_ARITH_VARIANTS(NAME, 0), CAJAL_ARITH_VARIANTS(NAME, 1)},          \
      NAME##Scan,                                                              \
      NAME##Deliver<int32_t>,                                                  \
      NAME##Deliver<int16_t>,                                                  \
      NAME##DecayTraces,                                                       \
      NAME##PoissonFiring};

/// fn[A32][..][..][..] of a kernel table:
/// [AccumulatorKind][IdleCount][uniform].
#define CAJAL_ARITH_VARIANTS(NAME, A32)                                        \
  {                                                                            \
    {CAJAL_IDLE_VARIANTS(NAME, A32, Acc64)},                                   \
        {CAJAL_IDLE_VARIANTS(NAME, A32, Acc32)}, {                             \
      CAJAL_IDLE_VARIANTS(NAME, A32, Acc16)                                    \
    }                                                                          \
  }
#define CAJAL_IDLE_VARIANTS(NAME, A32, Q)                                      \
  {NAME<A32, Q, NoIdleCount, 0>, NAME<A32, Q, NoIdleCount, 1>},                \
      {NAME<A32, Q, IdlePerRun, 0>, NAME<A32, Q, IdlePerRun, 1>}, {            \
    NAME<A32, Q, IdlePerCompartment, 0>, NAME<A32, Q, IdlePerCompartment, 1>   \
  }

CAJAL_KERNEL_TABLE(generic, )

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define CAJAL_X86_KERNELS 1
CAJAL_KERNEL_TABLE(avx2, __attribute__((target("avx2,bmi,bmi2,popcnt"))))
CAJAL_KERNEL_TABLE(avx512,
                   __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,"
                                         "avx2,bmi,bmi2,popcnt,"
                                         "prefer-vector-width=512"))))
#endif

} // namespace

const KernelTable *kernelTable(Isa isa) {
  switch (isa) {
  case Isa::Generic:
    return &genericTable;
#ifdef CAJAL_X86_KERNELS
  case Isa::Avx2:
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") ? &avx2Table : nullptr;
  case Isa::Avx512:
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") &&
                   __builtin_cpu_supports("avx512bw") &&
                   __builtin_cpu_supports("avx512vl") &&
                   __builtin_cpu_supports("avx512dq")
               ? &avx512Table
               : nullptr;
#endif
  default:
    return nullptr;
  }
}

} // namespace cajal::golden::detail
