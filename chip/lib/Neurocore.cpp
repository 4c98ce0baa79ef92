//===- Neurocore.cpp - Encode, validate and print neurocore programs ------===//
//
// The validator is the loader's gate: an engine never sees a program that
// reads a word outside its tables, writes a read-only word, uses an opcode
// the chip lacks or exceeds the profile's budget. Each check names the
// instruction index and the offending value so that the image loader can
// prefix the population.
//
//===----------------------------------------------------------------------===//
#include "cajal/Chip/Neurocore.h"

#include "cajal/Chip/Profile.h"
#include "cajal/Chip/StandardPrograms.h"

#include <cinttypes>
#include <cstdio>

namespace cajal::chip {
namespace isa {

namespace {

constexpr unsigned kOperandBits = 7;
constexpr unsigned kIndexBits = 4;
constexpr uint64_t kOperandMask = (1u << kOperandBits) - 1;
constexpr unsigned kFieldD = 6, kFieldA = 13, kFieldB = 20, kFieldC = 27;
constexpr unsigned kFieldImm = 34, kFieldMode = 40;

uint64_t encodeOperand(Operand o) {
  return (uint64_t(o.kind) << kIndexBits) | (o.index & 0xf);
}
Operand decodeOperand(uint64_t bits) {
  return {OperandKind((bits >> kIndexBits) & 0x7), uint8_t(bits & 0xf)};
}

constexpr const char *kMnemonics[kBaseOpcodeCount] = {
    "NOP",   "MOV",   "ADD", "SUB",  "MULSHR", "DECAY", "SHL",
    "SHR",   "MIN",   "MAX", "CLIP", "SAT",    "WRAP",  "CMPGT",
    "CMPGE", "CMPEQ", "SEL", "REFR", "FIRE",   "LUT"};
constexpr const char
    *kDendriticMnemonics[kDendriticOpcodesAssigned - kDendriticOpcodesBegin] = {
        "PUSH", "POP", "AND", "OR"};

} // namespace

uint64_t encode(const Instruction &i) {
  return uint64_t(i.op) | encodeOperand(i.d) << kFieldD |
         encodeOperand(i.a) << kFieldA | encodeOperand(i.b) << kFieldB |
         encodeOperand(i.c) << kFieldC | uint64_t(i.imm & 0x3f) << kFieldImm |
         uint64_t(i.mode & 0x3) << kFieldMode;
}

Instruction decode(uint64_t word) {
  Instruction i;
  i.op = Opcode(rawOpcode(word));
  i.d = decodeOperand((word >> kFieldD) & kOperandMask);
  i.a = decodeOperand((word >> kFieldA) & kOperandMask);
  i.b = decodeOperand((word >> kFieldB) & kOperandMask);
  i.c = decodeOperand((word >> kFieldC) & kOperandMask);
  i.imm = uint8_t((word >> kFieldImm) & 0x3f);
  i.mode = uint8_t((word >> kFieldMode) & 0x3);
  return i;
}

std::string mnemonic(unsigned opcode) {
  if (opcode < kBaseOpcodeCount)
    return kMnemonics[opcode];
  if (isKnownOpcode(opcode))
    return kDendriticMnemonics[opcode - kDendriticOpcodesBegin];
  return "op" + std::to_string(opcode);
}

CostClass costClass(Opcode op) {
  switch (op) {
  case Opcode::MulShr:
  case Opcode::Decay:
    return CostClass::Multiply;
  case Opcode::Refr:
  case Opcode::Fire:
    return CostClass::Spike;
  case Opcode::Lut:
    return CostClass::Lookup;
  default:
    return CostClass::Alu;
  }
}

Signature signatureOf(Opcode op) {
  switch (op) {
  case Opcode::Nop:
    return {};
  case Opcode::Mov:
    return {true, true, false, false};
  case Opcode::Add:
  case Opcode::Sub:
  case Opcode::Min:
  case Opcode::Max:
  case Opcode::CmpGt:
  case Opcode::CmpGe:
  case Opcode::CmpEq:
    return {true, true, true, false};
  case Opcode::MulShr:
    return {true, true, true, false, true, 0, 63, 3};
  case Opcode::Decay:
    return {true, true, true, false, true, 0, 62};
  case Opcode::Shl:
  case Opcode::Shr:
    return {true, true, false, false, true, 0, 63};
  case Opcode::Clip:
  case Opcode::Sel:
    return {true, true, true, true};
  case Opcode::Sat:
    return {true, true, false, false, true, 1, 62};
  case Opcode::Wrap:
    return {true, true, false, false, true, 1, 63};
  case Opcode::Refr:
    return {true, false, false, false};
  case Opcode::Fire:
    // c is read only by Reset::ToValue.
    return {true, true, true, true, false, 0, 0, 4};
  case Opcode::Lut:
    // imm names the table; the validator checks that it is declared.
    return {true, true, false, false, true, 0, kMaxOperandIndex - 1};
  case Opcode::Push:
    return {false, true, false, false};
  case Opcode::Pop:
    return {true, false, false, false};
  case Opcode::And:
  case Opcode::Or:
    return {true, true, true, false};
  }
  return {};
}

} // namespace isa

using isa::Opcode;
using isa::Operand;
using isa::OperandKind;

int64_t wordMin(unsigned bits, bool isSigned) {
  if (!isSigned)
    return 0;
  return bits >= 64 ? INT64_MIN : -(int64_t(1) << (bits - 1));
}

int64_t wordMax(unsigned bits, bool isSigned) {
  const unsigned magnitude = isSigned ? bits - 1 : bits;
  return magnitude >= 63 ? INT64_MAX : (int64_t(1) << magnitude) - 1;
}

int64_t narrowToStateWord(int64_t value, const StateWord &w) {
  if (w.overflow == Overflow::Saturate) {
    const int64_t lo = wordMin(w.bits, w.isSigned);
    const int64_t hi = wordMax(w.bits, w.isSigned);
    return value < lo ? lo : (value > hi ? hi : value);
  }
  const uint64_t mask =
      w.bits >= 64 ? ~uint64_t(0) : (uint64_t(1) << w.bits) - 1;
  uint64_t r = uint64_t(value) & mask;
  if (w.isSigned && w.bits < 64 && (r >> (w.bits - 1)))
    r |= ~mask;
  return int64_t(r);
}

namespace {

std::string at(size_t index) {
  return "instruction " + std::to_string(index) + ": ";
}

std::string operandText(Operand o, const Program *program) {
  const unsigned i = o.index;
  switch (o.kind) {
  case OperandKind::None:
    return "_";
  case OperandKind::Reg:
    return "r" + std::to_string(i);
  case OperandKind::State:
    if (program && i < program->state.size())
      return "s" + std::to_string(i) + "." + program->state[i].name;
    return "s" + std::to_string(i);
  case OperandKind::Param:
    if (program && i < program->params.size())
      return "p" + std::to_string(i) + "." + program->params[i].name;
    return "p" + std::to_string(i);
  case OperandKind::Const:
    if (program && i < program->constants.size())
      return "c" + std::to_string(i) + "(" +
             std::to_string(program->constants[i]) + ")";
    return "c" + std::to_string(i);
  case OperandKind::Input:
    return i == isa::kInputQ        ? "q"
           : i == isa::kInputSpiked ? "spiked"
           : i == isa::kInputBap    ? "bap"
                                    : "in" + std::to_string(i);
  }
  return "?" + std::to_string(unsigned(o.kind)) + ":" + std::to_string(i);
}

Status checkSource(const Program &p, const Profile &profile, Operand o,
                   const char *slot, size_t index) {
  const std::string where = at(index) + "operand " + slot + " ";
  const unsigned i = o.index;
  switch (o.kind) {
  case OperandKind::None:
    if (i != 0)
      return makeError(where + "is none with index " + std::to_string(i) +
                       " (a none operand has index 0)");
    return Status::ok();
  case OperandKind::Reg:
    if (i >= profile.isa.registers)
      return makeError(where + "reads register r" + std::to_string(i) +
                       "; the profile has " +
                       std::to_string(profile.isa.registers) +
                       " (isa.registers)");
    return Status::ok();
  case OperandKind::State:
    if (i >= p.state.size())
      return makeError(where + "reads state word s" + std::to_string(i) +
                       "; the program declares " +
                       std::to_string(p.state.size()));
    return Status::ok();
  case OperandKind::Param:
    if (i >= p.params.size())
      return makeError(where + "reads parameter word p" + std::to_string(i) +
                       "; the program declares " +
                       std::to_string(p.params.size()));
    return Status::ok();
  case OperandKind::Const:
    if (i >= p.constants.size())
      return makeError(where + "reads constant c" + std::to_string(i) +
                       "; the program declares " +
                       std::to_string(p.constants.size()));
    return Status::ok();
  case OperandKind::Input:
    if (i >= isa::kInputCount)
      return makeError(where + "reads input in" + std::to_string(i) +
                       "; inputs are q (in0), spiked (in1) and bap (in2)");
    if (i == isa::kInputBap && profile.isa.stackDepth == 0)
      return makeError(where +
                       "reads bap, the back-propagating action potential of "
                       "a dendritic tree; the profile has no dendritic trees "
                       "(isa.stackDepth 0)");
    return Status::ok();
  }
  return makeError(where + "has unknown operand kind " +
                   std::to_string(unsigned(o.kind)));
}

Status checkDestination(const Program &p, const Profile &profile, Operand o,
                        size_t index) {
  if (o.kind == OperandKind::Reg || o.kind == OperandKind::State)
    return checkSource(p, profile, o, "d", index);
  return makeError(at(index) + "writes " + operandText(o, nullptr) +
                   ": only registers and state words are writable");
}

Status checkTables(const Program &p, const IsaLimits &limits) {
  if (p.tables.size() > limits.maxTables)
    return makeError("declares " + std::to_string(p.tables.size()) +
                     " lookup tables; the profile allows " +
                     std::to_string(limits.maxTables) + " (isa.maxTables)");
  uint64_t entries = 0;
  for (size_t t = 0; t < p.tables.size(); ++t) {
    const LookupTable &table = p.tables[t];
    const std::string name = "lookup table t" + std::to_string(t);
    if (table.entries.size() < 2)
      return makeError(name + " has " + std::to_string(table.entries.size()) +
                       " entries; a table has at least 2");
    if (table.shift > kMaxLookupShift)
      return makeError(name + " segment shift " + std::to_string(table.shift) +
                       " outside 0.." + std::to_string(kMaxLookupShift));
    entries += table.entries.size();
    // The last node must be a 64-bit value: (n << shift) + origin without
    // overflow. n is below 2^32 (the reader's count), shift at most 46.
    const __int128 last = __int128(table.origin) +
                          (__int128(table.entries.size() - 1) << table.shift);
    if (last > INT64_MAX)
      return makeError(name + " ends past the 64-bit range (origin " +
                       std::to_string(table.origin) + ", " +
                       std::to_string(table.entries.size()) +
                       " entries, shift " + std::to_string(table.shift) + ")");
  }
  if (entries > limits.maxTableEntries)
    return makeError("declares " + std::to_string(entries) +
                     " lookup table entries; the profile allows " +
                     std::to_string(limits.maxTableEntries) +
                     " (isa.maxTableEntries)");
  return Status::ok();
}

Status checkHeader(const Program &p, const Profile &profile) {
  const IsaLimits &limits = profile.isa;
  if (p.code.empty())
    return makeError("has no instructions");
  if (p.code.size() > limits.maxInstructions)
    return makeError("has " + std::to_string(p.code.size()) +
                     " instructions; the profile allows " +
                     std::to_string(limits.maxInstructions) +
                     " (isa.maxInstructions)");
  const auto tooMany = [](const char *what, size_t n, unsigned max,
                          const char *field) {
    return makeError("declares " + std::to_string(n) + " " + what +
                     "; the profile allows " + std::to_string(max) + " (" +
                     field + ")");
  };
  if (p.state.empty())
    return makeError("declares no state word");
  if (p.state.size() > limits.maxStateWords)
    return tooMany("state words", p.state.size(), limits.maxStateWords,
                   "isa.maxStateWords");
  if (p.params.size() > limits.maxParamWords)
    return tooMany("parameter words", p.params.size(), limits.maxParamWords,
                   "isa.maxParamWords");
  if (p.constants.size() > limits.maxConstants)
    return tooMany("constants", p.constants.size(), limits.maxConstants,
                   "isa.maxConstants");
  if (Status s = checkTables(p, limits); !s)
    return s;
  for (size_t i = 0; i < p.state.size(); ++i) {
    const StateWord &w = p.state[i];
    if (w.bits < 1 || w.bits > 32)
      return makeError("state word s" + std::to_string(i) + " (" + w.name +
                       ") is " + std::to_string(w.bits) +
                       " bits wide; state words are 1..32 bits");
    if (unsigned(w.overflow) > unsigned(Overflow::Saturate))
      return makeError("state word s" + std::to_string(i) + " (" + w.name +
                       ") has unknown overflow rule " +
                       std::to_string(unsigned(w.overflow)));
    // Stored in 32 bits and read back by the declaration (an unsigned
    // word's -1 is 4294967295), as the interpreter reads every state word.
    const int64_t initial =
        w.isSigned ? int64_t(w.initial) : int64_t(uint32_t(w.initial));
    const int64_t lo = wordMin(w.bits, w.isSigned);
    const int64_t hi = wordMax(w.bits, w.isSigned);
    if (initial < lo || initial > hi)
      return makeError("state word s" + std::to_string(i) + " (" + w.name +
                       ") initial value " + std::to_string(initial) +
                       " is outside its " + std::to_string(w.bits) + "-bit " +
                       (w.isSigned ? "signed" : "unsigned") + " range [" +
                       std::to_string(lo) + ", " + std::to_string(hi) + "]");
  }
  for (size_t i = 0; i < p.params.size(); ++i)
    if (p.params[i].bits < 1 || p.params[i].bits > 64)
      return makeError("parameter word p" + std::to_string(i) + " (" +
                       p.params[i].name + ") is " +
                       std::to_string(p.params[i].bits) +
                       " bits wide; parameter words are 1..64 bits");
  if (p.idleParams >> p.params.size())
    return makeError("idle rule names parameter words past the " +
                     std::to_string(p.params.size()) + " declared");
  if (p.refractoryWord < -1)
    return makeError("refractory counter " + std::to_string(p.refractoryWord) +
                     " is neither -1 (no counter) nor a state word index");
  if (p.refractoryWord >= 0) {
    if (size_t(p.refractoryWord) >= p.state.size())
      return makeError("refractory counter s" +
                       std::to_string(p.refractoryWord) +
                       " is not a declared state word");
    const Operand period = p.refractoryPeriod;
    if (period.kind != OperandKind::Param && period.kind != OperandKind::Const)
      return makeError("refractory period must be a parameter word or a "
                       "constant");
    if ((period.kind == OperandKind::Param &&
         period.index >= p.params.size()) ||
        (period.kind == OperandKind::Const &&
         period.index >= p.constants.size()))
      return makeError("refractory period " + operandText(period, nullptr) +
                       " is not declared");
  } else if (p.refractoryPeriod.kind == OperandKind::None &&
             p.refractoryPeriod.index != 0) {
    return makeError("refractory period is none with index " +
                     std::to_string(p.refractoryPeriod.index) +
                     " (a none operand has index 0)");
  } else if (p.refractoryPeriod.kind != OperandKind::None) {
    return makeError("refractory period " +
                     operandText(p.refractoryPeriod, nullptr) +
                     " given without a refractory counter");
  }
  return Status::ok();
}

Status checkInstruction(const Program &p, const Profile &profile, uint64_t word,
                        size_t index) {
  const unsigned raw = isa::rawOpcode(word);
  if (isa::isDendriticOpcode(raw) && !isa::isKnownOpcode(raw))
    return makeError(at(index) + "opcode " + std::to_string(raw) +
                     " is reserved for the dendritic tree; no instruction "
                     "has that number");
  if (raw >= isa::kLearningOpcodesBegin && raw < isa::kLearningOpcodesEnd)
    return makeError(at(index) + "opcode " + std::to_string(raw) +
                     " is reserved for learning; no instruction has that "
                     "number");
  if (!isa::isKnownOpcode(raw))
    return makeError(at(index) + "unknown opcode " + std::to_string(raw));
  if (isa::isDendriticOpcode(raw) && profile.isa.stackDepth == 0)
    return makeError(at(index) + isa::mnemonic(raw) +
                     " is a dendritic tree instruction; the profile has no "
                     "dendritic trees (isa.stackDepth 0)");
  if (isa::reservedBits(word)) {
    char hex[32];
    std::snprintf(hex, sizeof hex, "0x%016" PRIx64, word);
    return makeError(at(index) + "word " + hex + " sets reserved bits 42..63");
  }
  const isa::Instruction in = isa::decode(word);
  if (in.op == Opcode::MulShr && !profile.isa.multiplier)
    return makeError(at(index) +
                     "MULSHR needs a multiplier; the profile has none "
                     "(isa.multiplier)");
  const isa::Signature s = isa::signatureOf(in.op);
  const std::string name = isa::mnemonic(raw);
  const auto unused = [&](Operand o, const char *slot) -> Status {
    if (o.kind != OperandKind::None || o.index != 0)
      return makeError(at(index) + name + " does not use operand " + slot +
                       " (set to " + operandText(o, nullptr) + ")");
    return Status::ok();
  };
  if (s.d) {
    if (Status st = checkDestination(p, profile, in.d, index); !st)
      return st;
  } else if (Status st = unused(in.d, "d"); !st) {
    return st;
  }
  const bool readsC = s.c && !(in.op == Opcode::Fire &&
                               in.mode != unsigned(isa::Reset::ToValue));
  const std::pair<Operand, const char *> sources[] = {
      {in.a, "a"}, {in.b, "b"}, {in.c, "c"}};
  const bool reads[] = {s.a, s.b, readsC};
  for (int k = 0; k < 3; ++k) {
    Status st = reads[k] ? checkSource(p, profile, sources[k].first,
                                       sources[k].second, index)
                         : unused(sources[k].first, sources[k].second);
    if (!st)
      return st;
  }
  if (s.usesImm && (in.imm < s.minImm || in.imm > s.maxImm))
    return makeError(at(index) + name + " bit count or shift " +
                     std::to_string(in.imm) + " outside " +
                     std::to_string(s.minImm) + ".." +
                     std::to_string(s.maxImm));
  if (!s.usesImm && in.imm != 0)
    return makeError(at(index) + name + " does not use imm (set to " +
                     std::to_string(in.imm) + ")");
  if (in.mode >= s.modes)
    return makeError(at(index) + name + " mode " + std::to_string(in.mode) +
                     " is not defined");
  if (in.op == Opcode::Refr && p.refractoryWord < 0)
    return makeError(at(index) +
                     "REFR needs a refractory counter; the program has none");
  if (in.op == Opcode::Lut && in.imm >= p.tables.size())
    return makeError(at(index) + "LUT reads lookup table t" +
                     std::to_string(in.imm) + "; the program declares " +
                     std::to_string(p.tables.size()));
  return Status::ok();
}

/// The stack effect must not depend on the data, so that a tree's stack
/// depth is known before it runs: every POP before every PUSH, neither
/// after a REFR (whose halt would skip it), no idle skip (which runs no
/// instruction), and no more POPs than one join may combine.
Status checkStackDiscipline(const Program &p, const Profile &profile) {
  long firstPush = -1, firstRefr = -1, firstStackOp = -1;
  unsigned pops = 0;
  for (size_t i = 0; i < p.code.size(); ++i) {
    const Opcode op = isa::decode(p.code[i]).op;
    if (op == Opcode::Pop && ++pops > profile.isa.maxPops)
      return makeError(at(i) + "POP: the program pops " + std::to_string(pops) +
                       " values; a compartment of profile \"" + profile.name +
                       "\" pops at most " +
                       std::to_string(profile.isa.maxPops) + " (isa.maxPops)");
    if (op == Opcode::Refr && firstRefr < 0)
      firstRefr = long(i);
    if (op != Opcode::Push && op != Opcode::Pop)
      continue;
    if (firstStackOp < 0)
      firstStackOp = long(i);
    if (firstRefr >= 0)
      return makeError(at(i) + isa::mnemonic(unsigned(op)) +
                       " after REFR (instruction " + std::to_string(firstRefr) +
                       "): a refractory halt would skip it and unbalance the "
                       "tree's stack");
    if (op == Opcode::Pop && firstPush >= 0)
      return makeError(at(i) + "POP after PUSH (instruction " +
                       std::to_string(firstPush) +
                       "): a program pops its children's values before it "
                       "pushes its own");
    if (op == Opcode::Push && firstPush < 0)
      firstPush = long(i);
  }
  if (firstStackOp >= 0 && p.skipIdle)
    return makeError("uses the tree stack (instruction " +
                     std::to_string(firstStackOp) +
                     ") and the idle skip, which would skip its PUSH and POP");
  return Status::ok();
}

} // namespace

Status validateProgram(const Program &p, const Profile &profile) {
  if (Status s = checkHeader(p, profile); !s)
    return s;
  for (size_t i = 0; i < p.code.size(); ++i)
    if (Status s = checkInstruction(p, profile, p.code[i], i); !s)
      return s;
  if (Status s = checkStackDiscipline(p, profile); !s)
    return s;
  if (!profile.isa.programmable && !isFixedFunction(p, profile))
    return makeError("is not one of the fixed-function programs of profile \"" +
                     profile.name +
                     "\" (isa.programmable is false; the LIF family of "
                     "docs/neurocore-isa.md is)");
  return Status::ok();
}

std::string disassemble(const isa::Instruction &in, const Program *program) {
  const unsigned raw = unsigned(in.op);
  std::string text = isa::mnemonic(raw);
  if (in.op == Opcode::MulShr) {
    static const char *const rounding[] = {".floor", ".zero", ".half", ".?"};
    text += rounding[in.mode & 3];
  } else if (in.op == Opcode::Fire) {
    static const char *const reset[] = {".zero", ".sub", ".never", ".to"};
    text += reset[in.mode & 3];
  }
  const isa::Signature s =
      isa::isKnownOpcode(raw) ? isa::signatureOf(in.op) : isa::Signature{};
  std::string operands;
  const auto add = [&](const std::string &t) {
    operands += (operands.empty() ? " " : ", ") + t;
  };
  if (s.d)
    add(operandText(in.d, program));
  if (s.a)
    add(operandText(in.a, program));
  if (s.b)
    add(operandText(in.b, program));
  if (s.c &&
      !(in.op == Opcode::Fire && in.mode != unsigned(isa::Reset::ToValue)))
    add(operandText(in.c, program));
  if (in.op == Opcode::Lut)
    add("t" + std::to_string(in.imm));
  else if (s.usesImm)
    add("#" + std::to_string(in.imm));
  return text + operands;
}

std::string disassemble(const Program &p) {
  std::string out = "program " + p.name + "\n";
  for (size_t i = 0; i < p.state.size(); ++i) {
    const StateWord &w = p.state[i];
    out += "  state s" + std::to_string(i) + " " + w.name + ": " +
           (w.isSigned ? "i" : "u") + std::to_string(w.bits) +
           (w.overflow == Overflow::Wrap ? " wrap" : " saturate") + "\n";
  }
  for (size_t i = 0; i < p.params.size(); ++i)
    out += "  param p" + std::to_string(i) + " " + p.params[i].name + ": " +
           (p.params[i].isSigned ? "i" : "u") +
           std::to_string(p.params[i].bits) + "\n";
  for (size_t i = 0; i < p.constants.size(); ++i)
    out += "  const c" + std::to_string(i) + " = " +
           std::to_string(p.constants[i]) + "\n";
  for (size_t t = 0; t < p.tables.size(); ++t) {
    const LookupTable &table = p.tables[t];
    out += "  table t" + std::to_string(t) + ": " +
           std::to_string(table.entries.size()) + " entries from " +
           std::to_string(table.origin) + " every 2^" +
           std::to_string(table.shift) + "\n";
  }
  if (p.refractoryWord >= 0)
    out += "  refractory counter s" + std::to_string(p.refractoryWord) +
           ", period " + operandText(p.refractoryPeriod, &p) + "\n";
  if (p.skipIdle) {
    out += "  idle when q, every state word";
    for (size_t i = 0; i < p.params.size(); ++i)
      if (p.idleParams >> i & 1)
        out += ", p" + std::to_string(i);
    out += " are 0\n";
  }
  for (size_t i = 0; i < p.code.size(); ++i) {
    char number[32];
    std::snprintf(number, sizeof number, "  %3zu  ", i);
    out += number + disassemble(isa::decode(p.code[i]), &p) + "\n";
  }
  return out;
}

StackEffect stackEffect(const Program &p) {
  StackEffect effect;
  for (uint64_t word : p.code) {
    const Opcode op = isa::decode(word).op;
    effect.pops += op == Opcode::Pop;
    effect.pushes += op == Opcode::Push;
  }
  return effect;
}

bool readsBackPropagation(const Program &p) {
  const Operand bap = isa::inputBap();
  for (uint64_t word : p.code) {
    const isa::Instruction in = isa::decode(word);
    if (in.a == bap || in.b == bap || in.c == bap)
      return true;
  }
  return false;
}

Status validatePointNeuron(const Program &p) {
  const Operand bap = isa::inputBap();
  for (size_t i = 0; i < p.code.size(); ++i) {
    const isa::Instruction in = isa::decode(p.code[i]);
    if (in.op == Opcode::Push || in.op == Opcode::Pop)
      return makeError(at(i) + isa::mnemonic(unsigned(in.op)) +
                       " needs a dendritic tree; the population's neurons "
                       "are points (no tree stack)");
    if (in.a == bap || in.b == bap || in.c == bap)
      return makeError(at(i) +
                       "reads bap, which only a dendritic tree's "
                       "compartments have; the population's neurons are "
                       "points");
  }
  return Status::ok();
}

ProgramCost programCost(const Program &p, const Profile &profile) {
  ProgramCost cost;
  for (uint64_t word : p.code) {
    switch (isa::costClass(isa::decode(word).op)) {
    case isa::CostClass::Alu:
      cost.cycles += profile.isa.aluCycles;
      cost.energyPJ += profile.isa.aluPJ;
      break;
    case isa::CostClass::Multiply:
      cost.cycles += profile.isa.multiplyCycles;
      cost.energyPJ += profile.isa.multiplyPJ;
      break;
    case isa::CostClass::Spike:
      cost.cycles += profile.isa.spikeCycles;
      cost.energyPJ += profile.isa.spikePJ;
      break;
    case isa::CostClass::Lookup:
      cost.cycles += profile.isa.lookupCycles;
      cost.energyPJ += profile.isa.lookupPJ;
      break;
    }
  }
  return cost;
}

} // namespace cajal::chip
