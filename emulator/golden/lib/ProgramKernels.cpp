//===- ProgramKernels.cpp - Fused interpreter and program fast paths ------===//
//
// The fused interpreter runs every instruction of the program over one block
// of lanes before the next block: the block's state words (read values,
// sign- or zero-extended as declared), registers, constants and the none
// operand are 64-bit columns of blockLanes values in L1-resident scratch,
// parameter words are read in place, so every operand is a plain array and
// each instruction is one element-wise loop that GCC vectorises, dispatched
// once per instruction per block. A lane runs while live[k] is -1: the idle
// rule clears it before the first instruction, a REFR that halts the lane
// clears it after its own writes; writes are blended with live only once some
// lane of the block has stopped (until then they are plain stores), and a
// block whose lanes have all stopped skips its remaining instructions. The
// order of writes inside an instruction (REFR: d then the counter; FIRE: d
// then the counter) is the reference interpreter's. MULSHR and DECAY take a
// 64-bit product when the block's operands prove it exact (|a| <= 2^la and
// |b| <= 2^lb from one OR over the lanes: la, lb <= 47, so the 48-bit
// multiplier port is the identity, and la + lb <= 61, so the product and its
// rounding fit), else the reference's 128-bit one lane by lane.
//
// The fast paths are the Izhikevich, adaptive-LIF and lifTreeProgram
// programs as one straight-line loop over the block, every value in a 64-bit
// lane register:
//
// - adaptive LIF is exact for every input (given parameter words inside
//   their declared ranges, which the group checks): its state words are 32
//   bits or less and the decays' scales 2^decayBits - d fit 32 bits, so each
//   DECAY, sign(x) sign(s) (|x| |s| >> decayBits) = x s / 2^decayBits
//   rounded toward zero, is one exact 32 x 32 -> 64-bit product, as is the
//   MULSHR a * beta; the 64-bit parameter words only enter additions (which
//   wrap as the instruction set's do) and comparisons.
// - Izhikevich is exact for -2^40 <= q < 2^40, |v| and the half-step v below
//   2^29, and |a|, |b| below 2^17 (regular spiking keeps v under 2^23): then
//   v^2 < 2^58, its Q12 value stays inside the 48-bit multiplier port, the
//   half-step sum is below 2^43, b * v < 2^60 and a * (b v - u) < 2^63. A
//   lane outside these bounds is left unchanged and flagged kExact; the group
//   runs it through chip::interpret. The bounds on a and b are checked per
//   lane only in a group where some lane exceeds them (smallCoefficients).
// - a lifTreeProgram compartment (any shape) is exact for every input for
//   the same reasons as adaptive LIF (lifTreeLoop).
//
// Every kernel is compiled once per instruction set (function target
// attributes), as UpdateKernels.cpp does.
//
//===----------------------------------------------------------------------===//
#include "ProgramKernels.h"

#include "cajal/Chip/NeurocoreInterpreter.h"
#include "cajal/Chip/StandardPrograms.h"

#include <algorithm>
#include <type_traits>

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#include <immintrin.h>
#endif

namespace cajal::golden::detail {
namespace {

using chip::isa::Opcode;
using chip::isa::Operand;
using chip::isa::OperandKind;

#define CAJAL_HOT inline __attribute__((always_inline))
/// Lambdas are compiled without the enclosing function's target attribute
/// unless they are inlined into it.
#define CAJAL_INLINE_LAMBDA __attribute__((always_inline))
// "No loop-carried dependence": GCC does not take restrict on the local
// column pointers of an inlined function, and would otherwise version (or,
// past ten columns, give up on) every loop for aliasing. Lanes only ever
// read and write their own index.
#if defined(__GNUC__) && !defined(__clang__)
#define CAJAL_IVDEP _Pragma("GCC ivdep")
#else
#define CAJAL_IVDEP
#endif

/// mask ? x : y for a 0 / -1 mask, without a branch.
CAJAL_HOT int64_t blend(int64_t mask, int64_t x, int64_t y) {
  return (x & mask) | (y & ~mask);
}
/// Two's-complement arithmetic without C++'s signed-overflow rule.
CAJAL_HOT int64_t wrapAdd(int64_t x, int64_t y) {
  return int64_t(uint64_t(x) + uint64_t(y));
}
CAJAL_HOT int64_t wrapSub(int64_t x, int64_t y) {
  return int64_t(uint64_t(x) - uint64_t(y));
}
CAJAL_HOT int64_t wrapMul(int64_t x, int64_t y) {
  return int64_t(uint64_t(x) * uint64_t(y));
}
CAJAL_HOT int64_t clamp(int64_t x, int64_t lo, int64_t hi) {
  return std::min(std::max(x, lo), hi);
}

/// Where an instruction's result goes: a column and how it narrows (null
/// column: discarded).
struct Target {
  int64_t *column = nullptr;
  Narrow narrow = Narrow::Keep;
  unsigned bits = 64;
  int64_t lo = 0, hi = 0;
};

/// out[k] = narrow(f(k)) for every lane (Masked: where mask[k] is -1).
template <bool Masked, typename F>
CAJAL_HOT void store(const Target &t, const int64_t *__restrict mask,
                     uint32_t m, F f) {
  int64_t *__restrict out = t.column;
  if (!out)
    return;
  const auto put = [&](uint32_t k, int64_t x) CAJAL_INLINE_LAMBDA {
    out[k] = Masked ? blend(mask[k], x, out[k]) : x;
  };
  const unsigned up = 64 - t.bits;
  const uint64_t low =
      t.bits >= 64 ? ~uint64_t(0) : (uint64_t(1) << t.bits) - 1;
  const int64_t lo = t.lo, hi = t.hi;
  switch (t.narrow) {
  case Narrow::Keep:
    CAJAL_IVDEP for (uint32_t k = 0; k < m; ++k) put(k, f(k));
    break;
  case Narrow::WrapSigned:
    CAJAL_IVDEP for (uint32_t k = 0; k < m; ++k)
        put(k, int64_t(uint64_t(f(k)) << up) >> up);
    break;
  case Narrow::WrapUnsigned:
    CAJAL_IVDEP for (uint32_t k = 0; k < m; ++k)
        put(k, int64_t(uint64_t(f(k)) & low));
    break;
  case Narrow::Saturate:
    CAJAL_IVDEP for (uint32_t k = 0; k < m; ++k) put(k, clamp(f(k), lo, hi));
    break;
  }
}

/// The least b with -2^b <= x[k] <= 2^b - 1... for every lane: bits of
/// |x| (|x| <= 2^b).
CAJAL_HOT unsigned magnitudeBits(const int64_t *__restrict x, uint32_t m) {
  uint64_t any = 0;
  for (uint32_t k = 0; k < m; ++k)
    any |= uint64_t(x[k] ^ (x[k] >> 63));
  return any ? 64 - unsigned(__builtin_clzll(any)) : 0;
}

/// The fused interpreter's view of one block.
struct Block {
  const ProgramPlan &plan;
  const ProgramBlock &io;
  uint32_t lanes, m;
  int64_t *regs, *state, *constants, *zero, *spiked, *live, *hit, *held;

  Block(const ProgramPlan &p, const ProgramBlock &b)
      : plan(p), io(b), lanes(p.blockLanes), m(b.count) {
    regs = b.scratch;
    state = regs + size_t(p.registers) * lanes;
    constants = state + p.state.size() * lanes;
    zero = constants + p.constants.size() * lanes;
    spiked = zero + lanes;
    live = spiked + lanes;
    hit = live + lanes;
    held = hit + lanes;
  }

  const int64_t *source(Operand o) const {
    switch (o.kind) {
    case OperandKind::Reg:
      return regs + size_t(o.index) * lanes;
    case OperandKind::State:
      return state + size_t(o.index) * lanes;
    case OperandKind::Param:
      return io.params[o.index];
    case OperandKind::Const:
      return constants + size_t(o.index) * lanes;
    case OperandKind::Input:
      if (o.index == chip::isa::kInputQ)
        return io.q;
      if (o.index == chip::isa::kInputSpiked)
        return spiked;
      return io.bap ? io.bap : zero; // kInputBap
    case OperandKind::None:
      break;
    }
    return zero;
  }
  Target stateTarget(unsigned word) const {
    const ProgramPlan::Word &w = plan.state[word];
    return {state + size_t(word) * lanes, w.narrow, w.bits, w.lo, w.hi};
  }
  Target target(Operand o) const {
    if (o.kind == OperandKind::Reg)
      return {regs + size_t(o.index) * lanes, Narrow::Keep, 64, 0, 0};
    if (o.kind == OperandKind::State)
      return stateTarget(o.index);
    return {};
  }

  /// Load the block's state and registers, apply the idle rule; returns the
  /// number of idle lanes.
  CAJAL_HOT uint32_t prepare() {
    for (size_t w = 0; w < plan.state.size(); ++w) {
      const int32_t *__restrict in = io.state[w];
      int64_t *__restrict out = state + w * lanes;
      if (plan.state[w].isSigned)
        for (uint32_t k = 0; k < m; ++k)
          out[k] = in[k];
      else
        for (uint32_t k = 0; k < m; ++k)
          out[k] = int64_t(uint32_t(in[k]));
    }
    std::fill(regs, regs + size_t(plan.registers) * lanes, 0);
    std::fill(spiked, spiked + m, 0);
    int64_t *__restrict lv = live;
    int32_t *__restrict flags = io.flags;
    if (!plan.skipIdle) {
      for (uint32_t k = 0; k < m; ++k) {
        lv[k] = -1;
        flags[k] = 0;
      }
      return 0;
    }
    // The idle rule: q, every state word and the named parameters zero.
    int64_t *__restrict any = hit;
    const int64_t *__restrict qs = io.q;
    for (uint32_t k = 0; k < m; ++k)
      any[k] = qs[k];
    for (size_t w = 0; w < plan.state.size(); ++w) {
      const int64_t *__restrict column = state + w * lanes;
      for (uint32_t k = 0; k < m; ++k)
        any[k] |= column[k];
    }
    for (uint32_t w = 0; w < plan.paramWords; ++w)
      if (plan.idleParams >> w & 1) {
        const int64_t *__restrict column = io.params[w];
        for (uint32_t k = 0; k < m; ++k)
          any[k] |= column[k];
      }
    uint32_t idle = 0;
    for (uint32_t k = 0; k < m; ++k) {
      const bool isIdle = any[k] == 0;
      idle += isIdle;
      lv[k] = isIdle ? 0 : -1;
      flags[k] = isIdle ? kIdle : 0;
    }
    return idle;
  }

  /// Run one instruction; returns the lanes a REFR halted.
  template <bool Masked>
  CAJAL_HOT uint32_t run(const chip::isa::Instruction &in) {
    const int64_t *__restrict a = source(in.a);
    const int64_t *__restrict b = source(in.b);
    const int64_t *__restrict c = source(in.c);
    const int64_t *__restrict lv = live;
    const Target d = target(in.d);
    const uint32_t n = m;
    const auto put = [&](auto f)
                         CAJAL_INLINE_LAMBDA { store<Masked>(d, lv, n, f); };
    const unsigned imm = in.imm;
    switch (in.op) {
    case Opcode::Nop:
      break;
    case Opcode::Mov:
      put([=](uint32_t k) CAJAL_INLINE_LAMBDA { return a[k]; });
      break;
    case Opcode::Add:
      put([=](uint32_t k) CAJAL_INLINE_LAMBDA { return wrapAdd(a[k], b[k]); });
      break;
    case Opcode::Sub:
      put([=](uint32_t k) CAJAL_INLINE_LAMBDA { return wrapSub(a[k], b[k]); });
      break;
    case Opcode::MulShr:
      mulShr<Masked>(in, a, b, d);
      break;
    case Opcode::Decay:
      decay<Masked>(in, a, b, d);
      break;
    case Opcode::Shl:
      put([=](uint32_t k)
              CAJAL_INLINE_LAMBDA { return int64_t(uint64_t(a[k]) << imm); });
      break;
    case Opcode::Shr:
      put([=](uint32_t k) CAJAL_INLINE_LAMBDA { return a[k] >> imm; });
      break;
    case Opcode::Min:
      put([=](uint32_t k) CAJAL_INLINE_LAMBDA { return std::min(a[k], b[k]); });
      break;
    case Opcode::Max:
      put([=](uint32_t k) CAJAL_INLINE_LAMBDA { return std::max(a[k], b[k]); });
      break;
    case Opcode::Clip:
      put([=](uint32_t k) CAJAL_INLINE_LAMBDA {
        return std::min(std::max(a[k], b[k]), c[k]);
      });
      break;
    case Opcode::Sat: {
      const int64_t limit = (int64_t(1) << imm) - 1;
      put([=](uint32_t k)
              CAJAL_INLINE_LAMBDA { return clamp(a[k], -limit, limit); });
      break;
    }
    case Opcode::Wrap: {
      const unsigned up = 64 - imm;
      put([=](uint32_t k) CAJAL_INLINE_LAMBDA {
        return int64_t(uint64_t(a[k]) << up) >> up;
      });
      break;
    }
    case Opcode::CmpGt:
      put([=](uint32_t k) CAJAL_INLINE_LAMBDA { return int64_t(a[k] > b[k]); });
      break;
    case Opcode::CmpGe:
      put([=](uint32_t k)
              CAJAL_INLINE_LAMBDA { return int64_t(a[k] >= b[k]); });
      break;
    case Opcode::CmpEq:
      put([=](uint32_t k)
              CAJAL_INLINE_LAMBDA { return int64_t(a[k] == b[k]); });
      break;
    case Opcode::Sel:
      put([=](uint32_t k)
              CAJAL_INLINE_LAMBDA { return a[k] != 0 ? b[k] : c[k]; });
      break;
    case Opcode::Refr:
      return refr(in, d);
    case Opcode::Fire:
      fire<Masked>(in, a, b, c, d);
      break;
    case Opcode::Lut: {
      const chip::LookupTable &t = plan.tables[imm];
      put([&t, a](uint32_t k)
              CAJAL_INLINE_LAMBDA { return chip::isa::lookup(t, a[k]); });
      break;
    }
    case Opcode::And:
      put([=](uint32_t k)
              CAJAL_INLINE_LAMBDA { return int64_t(a[k] != 0 && b[k] != 0); });
      break;
    case Opcode::Or:
      put([=](uint32_t k)
              CAJAL_INLINE_LAMBDA { return int64_t(a[k] != 0 || b[k] != 0); });
      break;
    case Opcode::Push: {
      // imm is the slot (ProgramGroup's plan). No lane has halted: the
      // validator allows no PUSH after a REFR, nor an idle skip.
      int64_t *__restrict slot = io.stack[imm];
      for (uint32_t k = 0; k < n; ++k)
        slot[k] = a[k];
      break;
    }
    case Opcode::Pop: {
      const int64_t *__restrict slot = io.stack[imm];
      put([=](uint32_t k) CAJAL_INLINE_LAMBDA { return slot[k]; });
      break;
    }
    }
    return 0;
  }

  template <bool Masked>
  CAJAL_HOT void mulShr(const chip::isa::Instruction &in,
                        const int64_t *__restrict a,
                        const int64_t *__restrict b, const Target &d) {
    const unsigned imm = in.imm;
    const auto put = [&](auto f)
                         CAJAL_INLINE_LAMBDA { store<Masked>(d, live, m, f); };
    const unsigned la = magnitudeBits(a, m);
    const unsigned lb = a == b ? la : magnitudeBits(b, m);
    const chip::isa::Rounding r = chip::isa::Rounding(in.mode);
    const bool wide = la + lb > 61;
    if (la > 47 || lb > 47 || (wide && r != chip::isa::Rounding::HalfUp)) {
      put([=](uint32_t k) CAJAL_INLINE_LAMBDA {
        return chip::isa::mulShr(a[k], b[k], imm, r);
      });
      return;
    }
    if (wide) {
      // The ports are the identity but the product needs more than 64
      // bits (compiled equation models multiply by constants near 2^46):
      // the exact 128-bit product inline, lane by lane.
      const __int128 half = imm == 0 ? 0 : __int128(1) << (imm - 1);
      put([=](uint32_t k) CAJAL_INLINE_LAMBDA {
        const __int128 p = __int128(a[k]) * b[k] + half;
        return int64_t(uint64_t(static_cast<unsigned __int128>(p >> imm)));
      });
      return;
    }
    switch (r) {
    case chip::isa::Rounding::TowardZero:
      put([=](uint32_t k) CAJAL_INLINE_LAMBDA {
        const int64_t p = a[k] * b[k];
        return p < 0 ? -((-p) >> imm) : p >> imm;
      });
      break;
    case chip::isa::Rounding::HalfUp: {
      const int64_t half = imm == 0 ? 0 : int64_t(1) << (imm - 1);
      put([=](uint32_t k)
              CAJAL_INLINE_LAMBDA { return (a[k] * b[k] + half) >> imm; });
      break;
    }
    case chip::isa::Rounding::Floor:
    default:
      put([=](uint32_t k) CAJAL_INLINE_LAMBDA { return (a[k] * b[k]) >> imm; });
      break;
    }
  }

  template <bool Masked>
  CAJAL_HOT void decay(const chip::isa::Instruction &in,
                       const int64_t *__restrict a, const int64_t *__restrict b,
                       const Target &d) {
    const unsigned imm = in.imm;
    const auto put = [&](auto f)
                         CAJAL_INLINE_LAMBDA { store<Masked>(d, live, m, f); };
    const unsigned la = magnitudeBits(a, m), lb = magnitudeBits(b, m);
    // |scale| = |2^imm - b| <= 2^ls.
    const unsigned ls = std::max(imm, lb) + 1;
    if (la > 47 || lb > 47 || la + ls > 62) {
      put([=](uint32_t k) CAJAL_INLINE_LAMBDA {
        return chip::isa::decayBy(a[k], b[k], imm);
      });
      return;
    }
    // sign(x) sign(s) (|x| |s| >> imm) is x s / 2^imm rounded toward zero.
    const int64_t full = int64_t(1) << imm, low = full - 1;
    put([=](uint32_t k) CAJAL_INLINE_LAMBDA {
      const int64_t p = a[k] * (full - b[k]);
      return (p + ((p >> 63) & low)) >> imm;
    });
  }

  CAJAL_HOT uint32_t refr(const chip::isa::Instruction &, const Target &d) {
    const unsigned counter = unsigned(plan.refractoryWord);
    int64_t *__restrict halt = hit;
    int64_t *__restrict next = held;
    const int64_t *__restrict lv = live;
    uint32_t halted = 0;
    {
      const int64_t *__restrict left = state + size_t(counter) * lanes;
      for (uint32_t k = 0; k < m; ++k) {
        halt[k] = lv[k] & -int64_t(left[k] > 0);
        halted += uint32_t(halt[k] & 1);
        next[k] = left[k] - 1;
      }
    }
    if (!halted)
      return 0;
    // d first, then the counter (d may name the counter; the counter's
    // new value is the one read before d was written).
    store<true>(d, halt, m,
                [](uint32_t) CAJAL_INLINE_LAMBDA { return int64_t(0); });
    store<true>(stateTarget(counter), halt, m,
                [=](uint32_t k) CAJAL_INLINE_LAMBDA { return next[k]; });
    int64_t *__restrict running = live;
    for (uint32_t k = 0; k < m; ++k)
      running[k] &= ~halt[k];
    return halted;
  }

  template <bool Masked>
  CAJAL_HOT void fire(const chip::isa::Instruction &in,
                      const int64_t *__restrict a, const int64_t *__restrict b,
                      const int64_t *__restrict c, const Target &d) {
    const chip::isa::Reset reset = chip::isa::Reset(in.mode);
    const int64_t *__restrict lv = live;
    int64_t *__restrict fires = hit;
    const auto put = [&](auto f)
                         CAJAL_INLINE_LAMBDA { store<Masked>(d, lv, m, f); };
    // Every operand is read before the instruction writes: the spike
    // decision first, into `fires`, then d.
    int64_t any = 0;
    for (uint32_t k = 0; k < m; ++k) {
      fires[k] = reset == chip::isa::Reset::Never
                     ? 0
                     : (Masked ? lv[k] : int64_t(-1)) & -int64_t(a[k] > b[k]);
      any |= fires[k];
    }
    switch (reset) {
    case chip::isa::Reset::Zero:
      put([=](uint32_t k) CAJAL_INLINE_LAMBDA { return fires[k] ? 0 : a[k]; });
      break;
    case chip::isa::Reset::Subtract:
      put([=](uint32_t k) CAJAL_INLINE_LAMBDA {
        return fires[k] ? wrapSub(a[k], b[k]) : a[k];
      });
      break;
    case chip::isa::Reset::ToValue:
      put([=](uint32_t k)
              CAJAL_INLINE_LAMBDA { return fires[k] ? c[k] : a[k]; });
      break;
    case chip::isa::Reset::Never:
      put([=](uint32_t k) CAJAL_INLINE_LAMBDA { return a[k]; });
      break;
    }
    if (!any)
      return;
    int64_t *__restrict sp = spiked;
    for (uint32_t k = 0; k < m; ++k)
      sp[k] |= fires[k] & 1;
    if (plan.refractoryWord >= 0) {
      const int64_t *__restrict period = source(plan.refractoryPeriod);
      store<true>(stateTarget(unsigned(plan.refractoryWord)), fires, m,
                  [=](uint32_t k) CAJAL_INLINE_LAMBDA { return period[k]; });
    }
  }

  /// Write the block's state back; returns the OR of the flags.
  CAJAL_HOT uint32_t finish() {
    for (size_t w = 0; w < plan.state.size(); ++w) {
      const int64_t *__restrict in = state + w * lanes;
      int32_t *__restrict out = io.state[w];
      for (uint32_t k = 0; k < m; ++k)
        out[k] = int32_t(uint32_t(uint64_t(in[k])));
    }
    int64_t any = 0;
    int32_t *__restrict flags = io.flags;
    const int64_t *__restrict sp = spiked;
    for (uint32_t k = 0; k < m; ++k) {
      flags[k] |= int32_t(sp[k]);
      any |= flags[k];
    }
    return uint32_t(any);
  }
};

CAJAL_HOT uint32_t interpretBlock(const ProgramPlan &plan,
                                  const ProgramBlock &io) {
  Block block(plan, io);
  const uint32_t idle = block.prepare();
  uint32_t running = io.count - idle;
  bool masked = idle > 0;
  for (const chip::isa::Instruction &in : plan.code) {
    if (running == 0)
      break; // every lane idle or halted
    const uint32_t halted = masked ? block.run<true>(in) : block.run<false>(in);
    running -= halted;
    masked |= halted > 0;
  }
  return block.finish();
}

/// chip::isa::decayBy(x, d, bits) is sign(x) sign(s) (|x| |s| >> bits) with
/// s = 2^bits - d: the quotient x s / 2^bits rounded toward zero. Exact here
/// for x and s of 32 bits (the product is one 32 x 32 -> 64-bit multiply).
CAJAL_HOT int64_t decayLane(int64_t x, int64_t d, unsigned bits) {
  const int64_t p =
      int64_t(int32_t(x)) * int64_t(int32_t((int64_t(1) << bits) - d));
  return (p + ((p >> 63) & ((int64_t(1) << bits) - 1))) >> bits;
}

/// The widths the LIF integration of a program takes from it: the input's
/// saturation, the decays' bits and the u word's width (shifted up by uUp).
struct LifWidths {
  int64_t accLimit = 0;
  unsigned bits = 0, uUp = 0;
};
struct LifLane {
  int64_t u = 0, v = 0; ///< u wrapped to its word; v clipped to [vmin, vmax]
};
/// The LIF integration of one lane (chip::lifProgram's first instructions,
/// shared by adaptive LIF and the tree compartments): u decays and adds the
/// saturated input; v decays and adds u and the bias.
CAJAL_HOT LifLane integrateLif(int64_t input, int64_t u, int64_t v,
                               int64_t decayU, int64_t decayV, int64_t bias,
                               int64_t vmin, int64_t vmax, const LifWidths &w) {
  const int64_t in = clamp(input, -w.accLimit, w.accLimit);
  const int64_t uNew =
      int64_t(uint64_t(decayLane(u, decayU, w.bits) + in) << w.uUp) >> w.uUp;
  const int64_t sum =
      wrapAdd(wrapAdd(decayLane(v, decayV, w.bits), uNew), bias);
  return {uNew, clamp(sum, vmin, vmax)};
}

/// chip::izhikevichProgram over a block (see the file comment for the
/// bounds that make it exact).
template <bool CheckCoefficients, bool CheckInput>
CAJAL_HOT uint32_t izhikevichLoop(const ProgramPlan &plan,
                                  const ProgramBlock &io) {
  constexpr unsigned F = chip::kIzhikevichFractionBits;
  constexpr unsigned K = chip::kIzhikevichCoefficientBits;
  constexpr int64_t halfF = int64_t(1) << (F - 1), halfK = int64_t(1)
                                                           << (K - 1);
  const uint32_t m = io.count;
  int32_t *__restrict vs = io.state[0];
  int32_t *__restrict us = io.state[1];
  const int64_t *__restrict pa = io.params[0];
  const int64_t *__restrict pb = io.params[1];
  const int64_t *__restrict pc = io.params[2];
  const int64_t *__restrict pd = io.params[3];
  const int64_t *__restrict pi = io.params[4];
  const int64_t *__restrict qs = io.q;
  int32_t *__restrict flags = io.flags;
  const int64_t c0 = plan.constants[0], c1 = plan.constants[1];
  const int64_t peak = plan.constants[2];
  const int64_t vlo = plan.state[0].lo, vhi = plan.state[0].hi;
  const int64_t ulo = plan.state[1].lo, uhi = plan.state[1].hi;
  int64_t any = 0;
  CAJAL_IVDEP for (uint32_t k = 0; k < m; ++k) {
    const int64_t v = vs[k], u = us[k], a = pa[k], b = pb[k];
    const int64_t reset = pc[k], kick = pd[k];
    const int64_t current = wrapAdd(qs[k], pi[k]);
    bool bad = !within(v, 29);
    if (CheckInput)
      bad |= !within(qs[k], 40);
    if (CheckCoefficients) {
      bad |= !within(a, 17);
      bad |= !within(b, 17);
    }
    // 140 - u + I, the same in both half steps.
    const int64_t drive = wrapAdd(wrapSub(c1, u), current);
    // Two half steps: v += (0.04 v^2 + 5 v + 140 - u + I) / 2.
    const auto half = [&](int64_t from) CAJAL_INLINE_LAMBDA {
      // |from| < 2^29 where the lane is kept: one 32 x 32 -> 64 product.
      const int64_t from32 = int32_t(from);
      const int64_t square = (from32 * from32 + halfF) >> F;
      const int64_t quadratic = wrapAdd(wrapMul(square, c0), halfK) >> K;
      const int64_t dv = wrapAdd(wrapAdd(quadratic, wrapMul(from, 5)), drive);
      return wrapAdd(from, dv >> 1);
    };
    const int64_t v1 = half(v);
    bad |= !within(v1, 29);
    const int64_t v2 = half(v1);
    // u += a (b v - u).
    const int64_t bv = wrapAdd(wrapMul(v2, b), halfK) >> K;
    const int64_t du = wrapAdd(wrapMul(wrapSub(bv, u), a), halfK) >> K;
    const int64_t u1 = clamp(wrapAdd(u, du), ulo, uhi);
    const bool fire = v2 > peak;
    const int64_t vNew = clamp(fire ? reset : v2, vlo, vhi);
    const int64_t uNew = clamp(wrapAdd(u1, fire ? kick : 0), ulo, uhi);
    // A lane outside the bounds keeps its words (wrapping arithmetic above:
    // its values are discarded, never undefined).
    vs[k] = bad ? vs[k] : int32_t(vNew);
    us[k] = bad ? us[k] : int32_t(uNew);
    const int32_t f = bad ? kExact : (fire ? kSpiked : 0);
    flags[k] = int32_t(f);
    any |= f;
  }
  return uint32_t(any);
}

/// The coefficient bounds checked per lane only when some lane's a or b is
/// 2^17 or more (ProgramPlan::smallCoefficients), the input's only when the
/// accumulators do not bound it (ProgramBlock::smallInput).
CAJAL_HOT uint32_t izhikevichBlock(const ProgramPlan &plan,
                                   const ProgramBlock &io) {
  if (plan.smallCoefficients)
    return io.smallInput ? izhikevichLoop<false, false>(plan, io)
                         : izhikevichLoop<false, true>(plan, io);
  return io.smallInput ? izhikevichLoop<true, false>(plan, io)
                       : izhikevichLoop<true, true>(plan, io);
}

/// chip::adaptiveLifProgram over a block: exact for every input (see the
/// file comment). The format's numbers are read from the program.
CAJAL_HOT uint32_t adaptiveLifBlock(const ProgramPlan &plan,
                                    const ProgramBlock &io) {
  const uint32_t m = io.count;
  int32_t *__restrict us = io.state[0];
  int32_t *__restrict vs = io.state[1];
  int32_t *__restrict as = io.state[2];
  int32_t *__restrict rs = io.state[3];
  const int64_t *__restrict decayU = io.params[0];
  const int64_t *__restrict decayV = io.params[1];
  const int64_t *__restrict bias = io.params[2];
  const int64_t *__restrict vmin = io.params[3];
  const int64_t *__restrict vmax = io.params[4];
  const int64_t *__restrict threshold = io.params[5];
  const int64_t *__restrict period = io.params[6];
  const int64_t *__restrict decayA = io.params[7];
  const int64_t *__restrict jump = io.params[8];
  const int64_t *__restrict beta = io.params[9];
  const int64_t *__restrict qs = io.q;
  int32_t *__restrict flags = io.flags;
  // SAT r0, q, #accumulatorBits; DECAY r1, s0, p0, #decayBits; the u word's
  // width; MULSHR r1, a, p9, #betaShift (emitted by adaptiveLifProgram).
  const LifWidths widths{(int64_t(1) << plan.code[0].imm) - 1, plan.code[1].imm,
                         64u - plan.state[0].bits};
  const unsigned bits = widths.bits;
  const unsigned betaShift = plan.code[8].imm;
  const int64_t betaHalf = betaShift ? int64_t(1) << (betaShift - 1) : 0;
  const int64_t vlo = plan.state[1].lo, vhi = plan.state[1].hi;
  const int64_t alo = plan.state[2].lo, ahi = plan.state[2].hi;
  const int64_t counterMask = plan.state[3].hi;
  const bool skipIdle = plan.skipIdle;
  int64_t any = 0;
  CAJAL_IVDEP for (uint32_t k = 0; k < m; ++k) {
    const int64_t q = qs[k], u = us[k], v = vs[k], a = as[k];
    const int64_t left = rs[k]; // 8 bits, unsigned: stored non-negative
    // Every parameter loaded whether used or not: no control flow in the
    // loop, so that it vectorises.
    const int64_t jumpBy = jump[k], periodOf = period[k];
    const bool idle = skipIdle & ((q | u | v | a | left | bias[k]) == 0);
    const LifLane lif = integrateLif(q, u, v, decayU[k], decayV[k], bias[k],
                                     vmin[k], vmax[k], widths);
    const int64_t uNew = lif.u, vClip = lif.v;
    const int64_t aDecayed = clamp(decayLane(a, decayA[k], bits), alo, ahi);
    const int64_t fireAbove = wrapAdd(
        (int64_t(int32_t(aDecayed)) * int64_t(int32_t(beta[k])) + betaHalf) >>
            betaShift,
        threshold[k]);
    const bool refractory = left > 0;
    const bool fire = !idle & !refractory & (vClip > fireAbove);
    const int64_t vNew = (refractory | fire) ? 0 : clamp(vClip, vlo, vhi);
    const int64_t leftNew = refractory ? (left - 1) & counterMask
                                       : (fire ? periodOf & counterMask : left);
    const int64_t aNew = fire ? clamp(aDecayed + jumpBy, alo, ahi) : aDecayed;
    // An idle lane's words are all zero and stay so (a masked result, not
    // a select of the old value: GCC turns that into a conditional store
    // and gives up vectorising).
    const int64_t busy = int64_t(idle) - 1;
    us[k] = int32_t(uNew & busy);
    vs[k] = int32_t(vNew & busy);
    as[k] = int32_t(aNew & busy);
    rs[k] = int32_t(leftNew & busy);
    const int32_t f = idle ? kIdle : (fire ? kSpiked : 0);
    flags[k] = int32_t(f);
    any |= f;
  }
  return uint32_t(any);
}

/// The first instruction of `plan` with opcode `op` (the LifTree kernel
/// reads its immediates: the format's numbers).
const chip::isa::Instruction &firstOf(const ProgramPlan &plan, Opcode op) {
  return *std::find_if(
      plan.code.begin(), plan.code.end(),
      [op](const chip::isa::Instruction &in) { return in.op == op; });
}

/// A lifTreeProgram's join over the block: its POPs' slots in order (the
/// last child's value first), folded as the program folds them, an AND or
/// OR join's 0 or 1 selecting p7, plus q. Returns `out`.
template <Opcode Join>
CAJAL_HOT const int64_t *joinChildren(const ProgramPlan &plan,
                                      const ProgramBlock &io,
                                      int64_t *__restrict out) {
  constexpr bool logical = Join == Opcode::And || Join == Opcode::Or;
  const uint32_t m = io.count;
  bool first = true;
  for (const chip::isa::Instruction &in : plan.code) {
    if (in.op != Opcode::Pop)
      continue;
    const int64_t *__restrict child = io.stack[in.imm];
    if (first) {
      // AND and OR of one value is whether it is non-zero.
      CAJAL_IVDEP for (uint32_t k = 0; k < m; ++k) out[k] =
          logical ? int64_t(child[k] != 0) : child[k];
      first = false;
      continue;
    }
    CAJAL_IVDEP for (uint32_t k = 0; k < m; ++k) {
      const int64_t x = out[k], y = child[k];
      switch (Join) {
      case Opcode::Min:
        out[k] = std::min(x, y);
        break;
      case Opcode::Max:
        out[k] = std::max(x, y);
        break;
      case Opcode::And:
        out[k] = int64_t((x != 0) & (y != 0));
        break;
      case Opcode::Or:
        out[k] = int64_t((x != 0) | (y != 0));
        break;
      default:
        out[k] = wrapAdd(x, y);
        break;
      }
    }
  }
  const int64_t *__restrict weight = io.params[7];
  const int64_t *__restrict qs = io.q;
  CAJAL_IVDEP for (uint32_t k = 0; k < m; ++k) {
    // A mask, not a select of a load: no control flow in the loop.
    const int64_t joined = logical ? weight[k] & -int64_t(out[k] != 0) : out[k];
    out[k] = wrapAdd(joined, qs[k]);
  }
  return out;
}

/// chip::lifTreeProgram over a block, on `input` (q plus the children's
/// join): exact for every input, as adaptive LIF is (32-bit state words and
/// decay scales, one 32 x 32 -> 64-bit product per DECAY; a dendrite's
/// MULSHR multiplies its 32-bit u or v by the 32-bit gain, |product| <=
/// 2^62, inside the 48-bit ports). The root's REFR and FIRE are the LIF
/// program's; a dendrite stores v (cleared by bap with ResetOnBap) and
/// pushes its output.
/// Where lifTreeLoop's input comes from: a column (q, or the join of two or
/// more children), or one child's value joined here (AND and OR: whether it
/// is non-zero, selecting p7), which saves the join's passes over the block.
enum class TreeInput : uint8_t { Column, Child, LogicalChild };

template <TreeInput In, bool Root, chip::LifReset Reset,
          chip::TreeOutput Output, bool ResetOnBap>
CAJAL_HOT uint32_t lifTreeLoop(const ProgramPlan &plan, const ProgramBlock &io,
                               const int64_t *__restrict input) {
  using chip::TreeOutput;
  const uint32_t m = io.count;
  int32_t *__restrict us = io.state[0];
  int32_t *__restrict vs = io.state[1];
  const int64_t *__restrict decayU = io.params[0];
  const int64_t *__restrict decayV = io.params[1];
  const int64_t *__restrict bias = io.params[2];
  const int64_t *__restrict vmin = io.params[3];
  const int64_t *__restrict vmax = io.params[4];
  const int64_t *__restrict threshold = io.params[5];
  const int64_t *__restrict gain = io.params[8];
  int32_t *__restrict flags = io.flags;
  const LifWidths widths{(int64_t(1) << firstOf(plan, Opcode::Sat).imm) - 1,
                         firstOf(plan, Opcode::Decay).imm,
                         64u - plan.state[0].bits};
  const int64_t vlo = plan.state[1].lo, vhi = plan.state[1].hi;
  constexpr unsigned gainShift = chip::kTreeGainShift;
  constexpr int64_t gainHalf = int64_t(1) << (gainShift - 1);
  // MULSHR.half of a 32-bit word by the 32-bit gain; on a chip without a
  // multiplier (LifTreeCompartment::scaledOutput false) the word itself.
  const int64_t multiplies = -int64_t(plan.lifTree.scaledOutput);
  const auto scaled = [multiplies](int64_t x, int64_t g) CAJAL_INLINE_LAMBDA {
    return blend(
        multiplies,
        (int64_t(int32_t(x)) * int64_t(int32_t(g)) + gainHalf) >> gainShift, x);
  };
  int32_t *__restrict rs = Root ? io.state[2] : nullptr;
  const int64_t *__restrict period = Root ? io.params[6] : nullptr;
  const int64_t counterMask = Root ? plan.state[2].hi : 0;
  const int64_t *__restrict bap = ResetOnBap ? io.bap : nullptr;
  const int64_t *__restrict child =
      In == TreeInput::Column ? nullptr
                              : io.stack[firstOf(plan, Opcode::Pop).imm];
  const int64_t *__restrict weight = io.params[7];
  const int64_t *__restrict qs = io.q;
  int64_t *__restrict push =
      Root ? nullptr : io.stack[firstOf(plan, Opcode::Push).imm];
  int64_t any = 0;
  CAJAL_IVDEP for (uint32_t k = 0; k < m; ++k) {
    int64_t joined = 0;
    if constexpr (In == TreeInput::Column)
      joined = input[k];
    else if constexpr (In == TreeInput::Child)
      joined = wrapAdd(child[k], qs[k]);
    else
      joined = wrapAdd(weight[k] & -int64_t(child[k] != 0), qs[k]);
    const LifLane lif = integrateLif(joined, us[k], vs[k], decayU[k], decayV[k],
                                     bias[k], vmin[k], vmax[k], widths);
    const int64_t uNew = lif.u, vClip = lif.v;
    us[k] = int32_t(uNew);
    // Selections as masks and every word loaded whether used or not: no
    // control flow in the loop, so that it vectorises.
    const int64_t above = threshold[k], g = gain[k];
    if constexpr (Root) {
      const int64_t left = rs[k]; // 8 bits, unsigned: stored non-negative
      const int64_t periodOf = period[k];
      const int64_t refractory = -int64_t(left > 0);
      const int64_t fire =
          (Reset == chip::LifReset::NoSpike ? 0 : ~refractory) &
          -int64_t(vClip > above);
      const int64_t reset =
          Reset == chip::LifReset::Subtract ? wrapSub(vClip, above) : 0;
      const int64_t vNew =
          clamp(blend(fire, reset, vClip), vlo, vhi) & ~refractory;
      const int64_t leftNew = blend(refractory, (left - 1) & counterMask,
                                    blend(fire, periodOf & counterMask, left));
      vs[k] = int32_t(vNew);
      rs[k] = int32_t(leftNew);
      const int32_t f = int32_t(fire & kSpiked);
      flags[k] = f;
      any |= f;
    } else {
      const int64_t kept = ResetOnBap ? -int64_t(bap[k] == 0) : -1;
      const int64_t vNew = clamp(vClip & kept, vlo, vhi);
      vs[k] = int32_t(vNew);
      const int64_t active = -int64_t(vNew > above);
      int64_t out = 0;
      switch (Output) {
      case TreeOutput::Current:
        out = scaled(uNew, g);
        break;
      case TreeOutput::Voltage:
        out = scaled(vNew, g);
        break;
      case TreeOutput::Active:
        out = g & active;
        break;
      case TreeOutput::AboveThreshold:
        out = scaled(vNew, g) & active;
        break;
      }
      push[k] = out;
      flags[k] = 0;
    }
  }
  return uint32_t(any);
}

/// The lifTreeProgram of the plan's shape (ProgramPlan::lifTree) over a
/// block: two or more children's join into the block's scratch column, then
/// one loop.
CAJAL_HOT uint32_t lifTreeBlock(const ProgramPlan &plan,
                                const ProgramBlock &io) {
  using chip::LifReset;
  using chip::TreeOutput;
  const chip::LifTreeCompartment &shape = plan.lifTree;
  const int64_t *input = io.q;
  const auto run = [&](auto from) CAJAL_INLINE_LAMBDA {
    constexpr TreeInput i = decltype(from)::value;
    constexpr TreeOutput anyOutput = TreeOutput::Voltage; // unused by a root
    if (shape.root)
      switch (shape.reset) {
      case LifReset::Zero:
        return lifTreeLoop<i, true, LifReset::Zero, anyOutput, false>(plan, io,
                                                                      input);
      case LifReset::Subtract:
        return lifTreeLoop<i, true, LifReset::Subtract, anyOutput, false>(
            plan, io, input);
      case LifReset::NoSpike:
        return lifTreeLoop<i, true, LifReset::NoSpike, anyOutput, false>(
            plan, io, input);
      }
    const auto dendrite = [&](auto output) CAJAL_INLINE_LAMBDA {
      constexpr TreeOutput o = decltype(output)::value;
      return shape.resetOnBap
                 ? lifTreeLoop<i, false, LifReset::Zero, o, true>(plan, io,
                                                                  input)
                 : lifTreeLoop<i, false, LifReset::Zero, o, false>(plan, io,
                                                                   input);
    };
    switch (shape.output) {
    case TreeOutput::Current:
      return dendrite(
          std::integral_constant<TreeOutput, TreeOutput::Current>{});
    case TreeOutput::Voltage:
      return dendrite(
          std::integral_constant<TreeOutput, TreeOutput::Voltage>{});
    case TreeOutput::Active:
      return dendrite(std::integral_constant<TreeOutput, TreeOutput::Active>{});
    case TreeOutput::AboveThreshold:
      return dendrite(
          std::integral_constant<TreeOutput, TreeOutput::AboveThreshold>{});
    }
    return 0u;
  };
  using Input = TreeInput;
  const bool logical =
      shape.join == chip::TreeJoin::And || shape.join == chip::TreeJoin::Or;
  if (shape.children == 1)
    return logical ? run(std::integral_constant<Input, Input::LogicalChild>{})
                   : run(std::integral_constant<Input, Input::Child>{});
  if (shape.children > 1)
    switch (shape.join) {
    case chip::TreeJoin::Add:
      input = joinChildren<Opcode::Add>(plan, io, io.scratch);
      break;
    case chip::TreeJoin::Min:
      input = joinChildren<Opcode::Min>(plan, io, io.scratch);
      break;
    case chip::TreeJoin::Max:
      input = joinChildren<Opcode::Max>(plan, io, io.scratch);
      break;
    case chip::TreeJoin::And:
      input = joinChildren<Opcode::And>(plan, io, io.scratch);
      break;
    case chip::TreeJoin::Or:
      input = joinChildren<Opcode::Or>(plan, io, io.scratch);
      break;
    }
  return run(std::integral_constant<Input, Input::Column>{});
}

/// Branch-free: a spike costs what a silent lane costs (spikes are too
/// frequent in a block to predict).
CAJAL_HOT uint32_t *listSpikesScalar(const int32_t *__restrict flags,
                                     const uint32_t *__restrict positions,
                                     uint32_t m, uint32_t *__restrict out) {
  for (uint32_t k = 0; k < m; ++k) {
    *out = positions[k];
    out += flags[k] & kSpiked;
  }
  return out;
}

template <typename Acc>
CAJAL_HOT void loadInput(Acc *__restrict in, unsigned shift, uint32_t m,
                         int64_t *__restrict q) {
  CAJAL_IVDEP for (uint32_t k = 0; k < m; ++k) {
    q[k] = int64_t(uint64_t(int64_t(in[k])) << shift);
    in[k] = 0;
  }
}

/// A run of m neurons' accumulators, `Width` compartments each, into one q
/// column per compartment; the run is then cleared. Width a constant: GCC
/// vectorises the grouped loads with permutes.
template <unsigned Width, typename Acc>
CAJAL_HOT void loadInterleavedOf(Acc *__restrict in, unsigned shift, uint32_t m,
                                 int64_t *const *q) {
  int64_t *__restrict out[Width];
  for (unsigned p = 0; p < Width; ++p)
    out[p] = q[p];
  CAJAL_IVDEP for (uint32_t k = 0; k < m; ++k) {
    const Acc *at = in + size_t(k) * Width;
    for (unsigned p = 0; p < Width; ++p)
      out[p][k] = int64_t(uint64_t(int64_t(at[p])) << shift);
  }
  std::fill(in, in + size_t(m) * Width, Acc(0));
}

template <typename Acc>
CAJAL_HOT void loadInterleaved(Acc *__restrict in, unsigned width,
                               unsigned shift, uint32_t m, int64_t *const *q) {
  switch (width) {
  case 1:
    return loadInterleavedOf<1>(in, shift, m, q);
  case 2:
    return loadInterleavedOf<2>(in, shift, m, q);
  case 3:
    return loadInterleavedOf<3>(in, shift, m, q);
  case 4:
    return loadInterleavedOf<4>(in, shift, m, q);
  case 8:
    return loadInterleavedOf<8>(in, shift, m, q);
  default:
    break;
  }
  for (unsigned p = 0; p < width; ++p) {
    int64_t *__restrict out = q[p];
    const Acc *__restrict from = in + p;
    for (uint32_t k = 0; k < m; ++k)
      out[k] = int64_t(uint64_t(int64_t(from[size_t(k) * width])) << shift);
  }
  std::fill(in, in + size_t(m) * width, Acc(0));
}

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
/// 16 lanes at a time: the spiking lanes' positions compressed in a
/// register and stored whole, spike or not (no branch to mispredict, and no
/// compressing store: see UpdateAvx512.cpp).
__attribute__((target("avx512f,avx512vl,avx512dq,avx2,popcnt"))) uint32_t *
listSpikesAvx512(const int32_t *flags, const uint32_t *positions, uint32_t m,
                 uint32_t *out) {
  const __m512i spiked = _mm512_set1_epi32(kSpiked);
  uint32_t k = 0;
  for (; k + 16 <= m; k += 16) {
    const __mmask16 fire =
        _mm512_test_epi32_mask(_mm512_loadu_si512(flags + k), spiked);
    _mm512_storeu_si512(out, _mm512_maskz_compress_epi32(
                                 fire, _mm512_loadu_si512(positions + k)));
    out += __builtin_popcount(fire);
  }
  return listSpikesScalar(flags + k, positions + k, m - k, out);
}
#endif

// One copy of every kernel per instruction set.
#define CAJAL_PROGRAM_KERNELS(NAME, ATTRIBUTES)                                \
  ATTRIBUTES uint32_t NAME##Interpret(const ProgramPlan &p,                    \
                                      const ProgramBlock &b) {                 \
    return interpretBlock(p, b);                                               \
  }                                                                            \
  ATTRIBUTES uint32_t NAME##Izhikevich(const ProgramPlan &p,                   \
                                       const ProgramBlock &b) {                \
    return izhikevichBlock(p, b);                                              \
  }                                                                            \
  ATTRIBUTES uint32_t NAME##AdaptiveLif(const ProgramPlan &p,                  \
                                        const ProgramBlock &b) {               \
    return adaptiveLifBlock(p, b);                                             \
  }                                                                            \
  ATTRIBUTES uint32_t NAME##LifTree(const ProgramPlan &p,                      \
                                    const ProgramBlock &b) {                   \
    return lifTreeBlock(p, b);                                                 \
  }                                                                            \
  ATTRIBUTES uint32_t *NAME##ListSpikes(const int32_t *flags,                  \
                                        const uint32_t *positions, uint32_t m, \
                                        uint32_t *out) {                       \
    return listSpikesScalar(flags, positions, m, out);                         \
  }                                                                            \
  template <typename Acc>                                                      \
  ATTRIBUTES void NAME##LoadInput(Acc *in, unsigned shift, uint32_t m,         \
                                  int64_t *q) {                                \
    loadInput(in, shift, m, q);                                                \
  }                                                                            \
  template <typename Acc>                                                      \
  ATTRIBUTES void NAME##LoadInterleaved(Acc *in, unsigned width,               \
                                        unsigned shift, uint32_t m,            \
                                        int64_t *const *q) {                   \
    loadInterleaved(in, width, shift, m, q);                                   \
  }                                                                            \
  const ProgramKernelTable NAME##Table = {                                     \
      {NAME##Interpret, NAME##Izhikevich, NAME##AdaptiveLif, NAME##LifTree},   \
      NAME##ListSpikes,                                                        \
      NAME##LoadInput<int16_t>,                                                \
      NAME##LoadInput<int32_t>,                                                \
      NAME##LoadInput<int64_t>,                                                \
      NAME##LoadInterleaved<int16_t>,                                          \
      NAME##LoadInterleaved<int32_t>,                                          \
      NAME##LoadInterleaved<int64_t>};

CAJAL_PROGRAM_KERNELS(generic, )

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define CAJAL_X86_PROGRAM_KERNELS 1
CAJAL_PROGRAM_KERNELS(avx2, __attribute__((target("avx2,bmi,bmi2,popcnt"))))
CAJAL_PROGRAM_KERNELS(avx512,
                      __attribute__((target("avx512f,avx512bw,avx512vl,"
                                            "avx512dq,avx2,bmi,bmi2,popcnt,"
                                            "prefer-vector-width=512"))))
#endif

} // namespace

const ProgramKernelTable &programKernels(Isa isa) {
#ifdef CAJAL_X86_PROGRAM_KERNELS
  static const ProgramKernelTable avx512Compressing = [] {
    ProgramKernelTable t = avx512Table;
    t.listSpikes = listSpikesAvx512;
    return t;
  }();
  if (isa == Isa::Avx512)
    return avx512Compressing;
  if (isa == Isa::Avx2)
    return avx2Table;
#endif
  (void)isa;
  return genericTable;
}

} // namespace cajal::golden::detail
