//===- NeurocoreInterpreter.cpp - The reference interpreter ---------------===//
//
// A switch over opcodes, one compartment at a time, with every operand read
// through one function and every write through another: the shape of the
// spec in docs/neurocore-isa.md. Products are exact in 128 bits; everything
// else is 64-bit two's-complement arithmetic.
//
//===----------------------------------------------------------------------===//
#include "cajal/Chip/NeurocoreInterpreter.h"

#include <algorithm>

namespace cajal::chip {
namespace isa {

namespace {
using Wide = __int128;

/// A multiplier port: the operand wrapped to kMultiplierBits.
int64_t multiplierPort(int64_t x) { return wrapTo(x, kMultiplierBits); }

int64_t low64(Wide x) {
  return int64_t(uint64_t(static_cast<unsigned __int128>(x)));
}

Wide magnitude(Wide x) { return x < 0 ? -x : x; }
} // namespace

int64_t wrapTo(int64_t a, unsigned bits) {
  if (bits >= 64)
    return a;
  const uint64_t mask = (uint64_t(1) << bits) - 1;
  uint64_t r = uint64_t(a) & mask;
  if (r >> (bits - 1))
    r |= ~mask;
  return int64_t(r);
}

int64_t saturateMagnitude(int64_t a, unsigned bits) {
  const int64_t limit = (int64_t(1) << bits) - 1;
  return a > limit ? limit : (a < -limit ? -limit : a);
}

int64_t mulShr(int64_t a, int64_t b, unsigned shift, Rounding rounding) {
  const Wide product = Wide(multiplierPort(a)) * Wide(multiplierPort(b));
  Wide r;
  switch (rounding) {
  case Rounding::TowardZero: {
    const Wide m = magnitude(product) >> shift;
    r = product < 0 ? -m : m;
    break;
  }
  case Rounding::HalfUp:
    r = shift == 0 ? product : (product + (Wide(1) << (shift - 1))) >> shift;
    break;
  case Rounding::Floor:
  default:
    r = product >> shift;
    break;
  }
  return low64(r);
}

int64_t decayBy(int64_t a, int64_t decay, unsigned bits) {
  const Wide x = multiplierPort(a);
  const Wide scale = (Wide(1) << bits) - Wide(multiplierPort(decay));
  const Wide t = magnitude(x) * scale;
  const Wide m = t < 0 ? -(magnitude(t) >> bits) : (t >> bits);
  return low64(x < 0 ? -m : m);
}

int64_t lookup(const LookupTable &table, int64_t a) {
  const size_t segments = table.entries.size() - 1;
  const Wide span = Wide(segments) << table.shift;
  Wide x = Wide(a) - Wide(table.origin);
  x = x < 0 ? 0 : (x > span ? span : x);
  const size_t k = std::min(size_t(x >> table.shift), segments - 1);
  const Wide fraction = x - (Wide(k) << table.shift);
  const int64_t low = table.entries[k], high = table.entries[k + 1];
  const Wide step = Wide(high - low) * fraction;
  const Wide rounded =
      table.shift == 0 ? step
                       : (step + (Wide(1) << (table.shift - 1))) >> table.shift;
  return low + int64_t(rounded);
}

} // namespace isa

using isa::Opcode;
using isa::Operand;
using isa::OperandKind;

namespace {

/// The machine of one update: the compartment's words and the scratch
/// registers.
struct Machine {
  const Program &program;
  int32_t *state;
  const int64_t *params;
  int64_t q;
  TreeContext tree;
  int64_t registers[isa::kMaxOperandIndex] = {};
  bool spiked = false;

  int64_t readState(unsigned i) const {
    const StateWord &w = program.state[i];
    return w.isSigned ? int64_t(state[i]) : int64_t(uint32_t(state[i]));
  }
  void writeState(unsigned i, int64_t value) {
    state[i] = int32_t(uint32_t(narrowToStateWord(value, program.state[i])));
  }

  int64_t read(Operand o) const {
    switch (o.kind) {
    case OperandKind::Reg:
      return registers[o.index];
    case OperandKind::State:
      return readState(o.index);
    case OperandKind::Param:
      return params[o.index];
    case OperandKind::Const:
      return program.constants[o.index];
    case OperandKind::Input:
      return o.index == isa::kInputQ        ? q
             : o.index == isa::kInputSpiked ? int64_t(spiked)
                                            : int64_t(tree.backPropagated);
    case OperandKind::None:
      break;
    }
    return 0;
  }
  void write(Operand o, int64_t value) {
    if (o.kind == OperandKind::Reg)
      registers[o.index] = value;
    else if (o.kind == OperandKind::State)
      writeState(o.index, value);
  }

  bool idle() const {
    if (!program.skipIdle || q != 0)
      return false;
    for (size_t i = 0; i < program.state.size(); ++i)
      if (state[i] != 0)
        return false;
    for (size_t i = 0; i < program.params.size(); ++i)
      if ((program.idleParams >> i & 1) && params[i] != 0)
        return false;
    return true;
  }

  /// Run one instruction; false when it halts the program.
  bool step(const isa::Instruction &in) {
    const auto a = [&] { return read(in.a); };
    const auto b = [&] { return read(in.b); };
    const auto c = [&] { return read(in.c); };
    const auto wrapAdd = [](int64_t x, int64_t y) {
      return int64_t(uint64_t(x) + uint64_t(y));
    };
    switch (in.op) {
    case Opcode::Nop:
      break;
    case Opcode::Mov:
      write(in.d, a());
      break;
    case Opcode::Add:
      write(in.d, wrapAdd(a(), b()));
      break;
    case Opcode::Sub:
      write(in.d, int64_t(uint64_t(a()) - uint64_t(b())));
      break;
    case Opcode::MulShr:
      write(in.d, isa::mulShr(a(), b(), in.imm, isa::Rounding(in.mode)));
      break;
    case Opcode::Decay:
      write(in.d, isa::decayBy(a(), b(), in.imm));
      break;
    case Opcode::Shl:
      write(in.d, int64_t(uint64_t(a()) << in.imm));
      break;
    case Opcode::Shr:
      write(in.d, a() >> in.imm);
      break;
    case Opcode::Min:
      write(in.d, a() < b() ? a() : b());
      break;
    case Opcode::Max:
      write(in.d, a() > b() ? a() : b());
      break;
    case Opcode::Clip: {
      const int64_t lo = b(), hi = c();
      int64_t x = a();
      x = x < lo ? lo : x;
      write(in.d, x > hi ? hi : x);
      break;
    }
    case Opcode::Sat:
      write(in.d, isa::saturateMagnitude(a(), in.imm));
      break;
    case Opcode::Wrap:
      write(in.d, isa::wrapTo(a(), in.imm));
      break;
    case Opcode::CmpGt:
      write(in.d, a() > b());
      break;
    case Opcode::CmpGe:
      write(in.d, a() >= b());
      break;
    case Opcode::CmpEq:
      write(in.d, a() == b());
      break;
    case Opcode::Sel:
      write(in.d, a() != 0 ? b() : c());
      break;
    case Opcode::Refr: {
      const unsigned counter = unsigned(program.refractoryWord);
      const int64_t left = readState(counter);
      if (left > 0) {
        // d first, then the counter (as Fire): d may name the counter.
        write(in.d, 0);
        writeState(counter, left - 1);
        return false;
      }
      break;
    }
    case Opcode::Fire:
      fire(in);
      break;
    case Opcode::Lut:
      write(in.d, isa::lookup(program.tables[in.imm], a()));
      break;
    case Opcode::Push:
      if (tree.stack)
        tree.stack->push_back(a());
      break;
    case Opcode::Pop: {
      int64_t top = 0;
      if (tree.stack && !tree.stack->empty()) {
        top = tree.stack->back();
        tree.stack->pop_back();
      }
      write(in.d, top);
      break;
    }
    case Opcode::And:
      write(in.d, a() != 0 && b() != 0);
      break;
    case Opcode::Or:
      write(in.d, a() != 0 || b() != 0);
      break;
    }
    return true;
  }

  void fire(const isa::Instruction &in) {
    // Every operand is read before the instruction takes effect: c (the
    // reset value) may be the spiked input that this FIRE sets.
    const int64_t value = read(in.a), threshold = read(in.b);
    const int64_t resetValue = read(in.c);
    const isa::Reset reset = isa::Reset(in.mode);
    if (reset == isa::Reset::Never || value <= threshold) {
      write(in.d, value);
      return;
    }
    spiked = true;
    switch (reset) {
    case isa::Reset::Zero:
      write(in.d, 0);
      break;
    case isa::Reset::Subtract:
      write(in.d, int64_t(uint64_t(value) - uint64_t(threshold)));
      break;
    case isa::Reset::ToValue:
      write(in.d, resetValue);
      break;
    case isa::Reset::Never:
      break;
    }
    if (program.refractoryWord >= 0)
      writeState(unsigned(program.refractoryWord),
                 read(program.refractoryPeriod));
  }
};

} // namespace

UpdateOutcome interpret(const Program &program, int32_t *state,
                        const int64_t *params, int64_t q, TreeContext tree) {
  Machine m{program, state, params, q, tree};
  if (m.idle())
    return {false, true};
  for (uint64_t word : program.code)
    if (!m.step(isa::decode(word)))
      break;
  return {m.spiked, false};
}

} // namespace cajal::chip
