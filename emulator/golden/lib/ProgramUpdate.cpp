//===- ProgramUpdate.cpp - The golden model's vectorised interpreter ------===//
//
// Every value is a 64-bit column over the group's lanes: state words hold
// their read value (narrowed, sign- or zero-extended as declared), constants
// and the none operand are broadcast columns, so that every operand of every
// instruction is a plain array and the per-instruction loops are straight
// element-wise code that GCC vectorises (MULSHR and DECAY use 128-bit
// products, lane by lane). A lane runs while live[k] is -1: the idle rule
// clears it before the first instruction, a REFR that halts the lane clears
// it after its own writes. Writes are blended with live, so a stopped lane
// keeps its words. The order of writes inside an instruction (REFR: d then
// the counter; FIRE: d then the counter) is the reference interpreter's.
//
//===----------------------------------------------------------------------===//
#include "cajal/Golden/ProgramUpdate.h"

#include "cajal/Chip/NeurocoreInterpreter.h"

#include <algorithm>

namespace cajal::golden::detail {

using chip::isa::Opcode;
using chip::isa::Operand;
using chip::isa::OperandKind;

namespace {

#define CAJAL_HOT inline __attribute__((always_inline))

/// mask ? x : y for a 0 / -1 mask, without a branch.
CAJAL_HOT int64_t blend(int64_t mask, int64_t x, int64_t y) {
  return (x & mask) | (y & ~mask);
}

/// d[k] = narrow(f(k)) where mask[k] is -1, for every lane.
template <typename F>
CAJAL_HOT void store(int64_t *__restrict out, Narrow narrow, unsigned bits,
                     int64_t lo, int64_t hi, const int64_t *__restrict mask,
                     uint32_t n, F f) {
  if (!out)
    return;
  const unsigned up = 64 - bits;
  const uint64_t low = bits >= 64 ? ~uint64_t(0) : (uint64_t(1) << bits) - 1;
  switch (narrow) {
  case Narrow::Keep:
    for (uint32_t k = 0; k < n; ++k)
      out[k] = blend(mask[k], f(k), out[k]);
    break;
  case Narrow::WrapSigned:
    for (uint32_t k = 0; k < n; ++k)
      out[k] = blend(mask[k], int64_t(uint64_t(f(k)) << up) >> up, out[k]);
    break;
  case Narrow::WrapUnsigned:
    for (uint32_t k = 0; k < n; ++k)
      out[k] = blend(mask[k], int64_t(uint64_t(f(k)) & low), out[k]);
    break;
  case Narrow::Saturate:
    for (uint32_t k = 0; k < n; ++k)
      out[k] = blend(mask[k], std::min(std::max(f(k), lo), hi), out[k]);
    break;
  }
}

} // namespace

ProgramGroup::ProgramGroup(const chip::Program &program, uint32_t regs)
    : prog(program), registerCount(regs) {
  for (uint64_t word : prog.code)
    code.push_back(chip::isa::decode(word));
  // Registers the code names, whatever the profile allows.
  for (const chip::isa::Instruction &in : code)
    for (Operand o : {in.d, in.a, in.b, in.c})
      if (o.kind == OperandKind::Reg)
        registerCount = std::max(registerCount, uint32_t(o.index) + 1);
}

void ProgramGroup::addLane(uint32_t position, uint32_t core,
                           const std::vector<int64_t> &words) {
  positions.push_back(position);
  cores.push_back(core);
  params.resize(prog.params.size());
  for (size_t w = 0; w < prog.params.size(); ++w)
    params[w].push_back(w < words.size() ? words[w] : 0);
}

void ProgramGroup::finish() {
  const uint32_t n = laneCount();
  params.resize(prog.params.size(), std::vector<int64_t>(n, 0));
  state.clear();
  for (const chip::StateWord &w : prog.state) {
    const int64_t initial =
        w.isSigned ? int64_t(w.initial) : int64_t(uint32_t(w.initial));
    state.emplace_back(n, initial);
  }
  constants.clear();
  for (int64_t c : prog.constants)
    constants.emplace_back(n, c);
  registers.assign(registerCount, std::vector<int64_t>(n, 0));
  q.assign(n, 0);
  spiked.assign(n, 0);
  zero.assign(n, 0);
  live.assign(n, 0);
  hit.assign(n, 0);
  held.assign(n, 0);
  idleLane.assign(n, 0);
}

const int64_t *ProgramGroup::source(Operand o) const {
  switch (o.kind) {
  case OperandKind::Reg:
    return registers[o.index].data();
  case OperandKind::State:
    return state[o.index].data();
  case OperandKind::Param:
    return params[o.index].data();
  case OperandKind::Const:
    return constants[o.index].data();
  case OperandKind::Input:
    return o.index == chip::isa::kInputQ ? q.data() : spiked.data();
  case OperandKind::None:
    break;
  }
  return zero.data();
}

ProgramGroup::Dest ProgramGroup::stateDest(unsigned word) {
  const chip::StateWord &w = prog.state[word];
  Dest d;
  d.column = state[word].data();
  d.bits = w.bits;
  d.lo = chip::wordMin(w.bits, w.isSigned);
  d.hi = chip::wordMax(w.bits, w.isSigned);
  d.narrow = w.overflow == chip::Overflow::Saturate
                 ? Narrow::Saturate
                 : (w.isSigned ? Narrow::WrapSigned : Narrow::WrapUnsigned);
  return d;
}

ProgramGroup::Dest ProgramGroup::dest(Operand o) {
  if (o.kind == OperandKind::Reg) {
    Dest d;
    d.column = registers[o.index].data();
    return d;
  }
  if (o.kind == OperandKind::State)
    return stateDest(o.index);
  return {};
}

void ProgramGroup::prepareLanes() {
  const uint32_t n = laneCount();
  for (std::vector<int64_t> &r : registers)
    std::fill(r.begin(), r.end(), 0);
  std::fill(spiked.begin(), spiked.end(), 0);
  // The idle rule: q, every state word and the named parameters zero.
  int64_t *__restrict any = hit.data();
  const int64_t *__restrict qs = q.data();
  for (uint32_t k = 0; k < n; ++k)
    any[k] = qs[k];
  for (const std::vector<int64_t> &column : state)
    for (uint32_t k = 0; k < n; ++k)
      any[k] |= column[k];
  for (size_t w = 0; w < params.size(); ++w)
    if (prog.idleParams >> w & 1)
      for (uint32_t k = 0; k < n; ++k)
        any[k] |= params[w][k];
  int64_t *__restrict lv = live.data();
  uint8_t *__restrict idle = idleLane.data();
  for (uint32_t k = 0; k < n; ++k) {
    const bool isIdle = prog.skipIdle && any[k] == 0;
    idle[k] = isIdle;
    lv[k] = isIdle ? 0 : -1;
  }
}

void ProgramGroup::runInstruction(const chip::isa::Instruction &in) {
  const uint32_t n = laneCount();
  const int64_t *__restrict a = source(in.a);
  const int64_t *__restrict b = source(in.b);
  const int64_t *__restrict c = source(in.c);
  const int64_t *lv = live.data();
  const Dest d = dest(in.d);
  const auto put = [&](const int64_t *mask, auto f) {
    store(d.column, d.narrow, d.bits, d.lo, d.hi, mask, n, f);
  };
  const unsigned imm = in.imm;
  switch (in.op) {
  case Opcode::Nop:
    break;
  case Opcode::Mov:
    put(lv, [=](uint32_t k) { return a[k]; });
    break;
  case Opcode::Add:
    put(lv,
        [=](uint32_t k) { return int64_t(uint64_t(a[k]) + uint64_t(b[k])); });
    break;
  case Opcode::Sub:
    put(lv,
        [=](uint32_t k) { return int64_t(uint64_t(a[k]) - uint64_t(b[k])); });
    break;
  case Opcode::MulShr: {
    const chip::isa::Rounding r = chip::isa::Rounding(in.mode);
    put(lv, [=](uint32_t k) { return chip::isa::mulShr(a[k], b[k], imm, r); });
    break;
  }
  case Opcode::Decay:
    put(lv, [=](uint32_t k) { return chip::isa::decayBy(a[k], b[k], imm); });
    break;
  case Opcode::Shl:
    put(lv, [=](uint32_t k) { return int64_t(uint64_t(a[k]) << imm); });
    break;
  case Opcode::Shr:
    put(lv, [=](uint32_t k) { return a[k] >> imm; });
    break;
  case Opcode::Min:
    put(lv, [=](uint32_t k) { return std::min(a[k], b[k]); });
    break;
  case Opcode::Max:
    put(lv, [=](uint32_t k) { return std::max(a[k], b[k]); });
    break;
  case Opcode::Clip:
    put(lv, [=](uint32_t k) { return std::min(std::max(a[k], b[k]), c[k]); });
    break;
  case Opcode::Sat: {
    const int64_t limit = (int64_t(1) << imm) - 1;
    put(lv,
        [=](uint32_t k) { return std::min(std::max(a[k], -limit), limit); });
    break;
  }
  case Opcode::Wrap: {
    const unsigned up = 64 - imm;
    put(lv, [=](uint32_t k) { return int64_t(uint64_t(a[k]) << up) >> up; });
    break;
  }
  case Opcode::CmpGt:
    put(lv, [=](uint32_t k) { return int64_t(a[k] > b[k]); });
    break;
  case Opcode::CmpGe:
    put(lv, [=](uint32_t k) { return int64_t(a[k] >= b[k]); });
    break;
  case Opcode::CmpEq:
    put(lv, [=](uint32_t k) { return int64_t(a[k] == b[k]); });
    break;
  case Opcode::Sel:
    put(lv, [=](uint32_t k) { return a[k] != 0 ? b[k] : c[k]; });
    break;
  case Opcode::Refr: {
    const unsigned counter = unsigned(prog.refractoryWord);
    int64_t *__restrict halt = hit.data();
    int64_t *__restrict next = held.data();
    {
      const int64_t *__restrict left = state[counter].data();
      for (uint32_t k = 0; k < n; ++k) {
        halt[k] = lv[k] & -int64_t(left[k] > 0);
        next[k] = left[k] - 1;
      }
    }
    // d first, then the counter (d may name the counter; the counter's
    // new value is the one read before d was written).
    put(halt, [](uint32_t) { return int64_t(0); });
    const Dest cd = stateDest(counter);
    store(cd.column, cd.narrow, cd.bits, cd.lo, cd.hi, halt, n,
          [=](uint32_t k) { return next[k]; });
    int64_t *__restrict running = live.data();
    for (uint32_t k = 0; k < n; ++k)
      running[k] &= ~halt[k];
    break;
  }
  case Opcode::Fire: {
    const chip::isa::Reset reset = chip::isa::Reset(in.mode);
    int64_t *__restrict fires = hit.data();
    // Every operand is read before the instruction writes: the spike
    // decision first, into `fires`, then d.
    for (uint32_t k = 0; k < n; ++k)
      fires[k] =
          reset == chip::isa::Reset::Never ? 0 : lv[k] & -int64_t(a[k] > b[k]);
    switch (reset) {
    case chip::isa::Reset::Zero:
      put(lv, [=](uint32_t k) { return fires[k] ? 0 : a[k]; });
      break;
    case chip::isa::Reset::Subtract:
      put(lv, [=](uint32_t k) {
        return fires[k] ? int64_t(uint64_t(a[k]) - uint64_t(b[k])) : a[k];
      });
      break;
    case chip::isa::Reset::ToValue:
      put(lv, [=](uint32_t k) { return fires[k] ? c[k] : a[k]; });
      break;
    case chip::isa::Reset::Never:
      put(lv, [=](uint32_t k) { return a[k]; });
      break;
    }
    int64_t *__restrict sp = spiked.data();
    for (uint32_t k = 0; k < n; ++k)
      sp[k] |= fires[k] & 1;
    if (prog.refractoryWord >= 0) {
      const Dest cd = stateDest(unsigned(prog.refractoryWord));
      const int64_t *period = source(prog.refractoryPeriod);
      store(cd.column, cd.narrow, cd.bits, cd.lo, cd.hi, fires, n,
            [=](uint32_t k) { return period[k]; });
    }
    break;
  }
  }
}

template <typename Acc>
uint32_t ProgramGroup::step(Acc *slot, unsigned accShift, uint32_t *&spikes,
                            uint64_t *idlePerCore) {
  const uint32_t n = laneCount();
  for (uint32_t k = 0; k < n; ++k) {
    q[k] = int64_t(uint64_t(int64_t(slot[positions[k]])) << accShift);
    slot[positions[k]] = 0;
  }
  prepareLanes();
  for (const chip::isa::Instruction &in : code)
    runInstruction(in);
  uint32_t idle = 0;
  for (uint32_t k = 0; k < n; ++k) {
    if (idleLane[k]) {
      ++idle;
      ++idlePerCore[cores[k]];
    }
    if (spiked[k])
      *spikes++ = positions[k];
  }
  return idle;
}

template uint32_t ProgramGroup::step(int16_t *, unsigned, uint32_t *&,
                                     uint64_t *);
template uint32_t ProgramGroup::step(int32_t *, unsigned, uint32_t *&,
                                     uint64_t *);
template uint32_t ProgramGroup::step(int64_t *, unsigned, uint32_t *&,
                                     uint64_t *);

} // namespace cajal::golden::detail
