//===- Neurocore.h - The neurocore instruction set: programs and words -*- C++
//-*-===//
//
// What a compartment does in one time step is a program in a small
// fixed-point instruction set (docs/neurocore-isa.md, the contract every
// engine and the RTL implement). A program is shared by all compartments of a
// population; it runs over the compartment's state words (persistent,
// declared width, wrap or saturate on write), its parameter words
// (read-only), the program's constants and the step's synaptic input q, with
// a few 64-bit scratch registers. This header holds the data types, the
// 64-bit encoding, the validator and the disassembler; the reference
// interpreter is in NeurocoreInterpreter.h, the standard programs (the LIF
// family, adaptive LIF, Izhikevich) in StandardPrograms.h.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_CHIP_NEUROCORE_H
#define CAJAL_CHIP_NEUROCORE_H

#include "cajal/Chip/Result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cajal::chip {

struct Profile;

namespace isa {

/// Operation codes (6 bits). Values are the encoding; never renumber.
enum class Opcode : uint8_t {
  Nop = 0,
  Mov = 1,    ///< d = a
  Add = 2,    ///< d = a + b (64-bit wrap)
  Sub = 3,    ///< d = a - b (64-bit wrap)
  MulShr = 4, ///< d = round(a * b / 2^imm), rounding per mode
  Decay = 5,  ///< d = sign(a) * trunc(|a| * (2^imm - b) / 2^imm)
  Shl = 6,    ///< d = a << imm (64-bit wrap)
  Shr = 7,    ///< d = a >> imm (arithmetic: rounds toward -inf)
  Min = 8,    ///< d = min(a, b)
  Max = 9,    ///< d = max(a, b)
  Clip = 10,  ///< d = min(max(a, b), c)
  Sat = 11,   ///< d = clamp(a, -(2^imm - 1), 2^imm - 1)
  Wrap = 12,  ///< d = a wrapped to imm bits, two's complement
  CmpGt = 13, ///< d = a > b ? 1 : 0
  CmpGe = 14, ///< d = a >= b ? 1 : 0
  CmpEq = 15, ///< d = a == b ? 1 : 0
  Sel = 16,   ///< d = a != 0 ? b : c
  Refr = 17,  ///< refractory counter > 0: decrement it, d = 0, halt
  Fire = 18,  ///< a > b: spike and reset d per mode; else d = a
  Lut = 19,   ///< d = lookup table imm at a, interpolated linearly
  // 20..31 unassigned. 32..39: the dendritic tree (docs/neurocore-isa.md,
  // "Dendritic trees"); they need a profile with a stack (isa.stackDepth).
  Push = 32, ///< push a onto the neuron's tree stack
  Pop = 33,  ///< d = the stack's top value, removed
  And = 34,  ///< d = (a != 0 and b != 0) ? 1 : 0
  Or = 35,   ///< d = (a != 0 or b != 0) ? 1 : 0
  // 36..39 are reserved for the dendritic tree and 40..47 for learning
  // hooks; the validator names them as such.
};
/// Opcodes 0 .. kBaseOpcodeCount - 1 are the base instruction set.
constexpr unsigned kBaseOpcodeCount = 20;
constexpr unsigned kDendriticOpcodesBegin = 32, kDendriticOpcodesEnd = 40;
/// The dendritic opcodes assigned so far: 32 .. kDendriticOpcodesAssigned-1.
constexpr unsigned kDendriticOpcodesAssigned = 36;
constexpr unsigned kLearningOpcodesBegin = 40, kLearningOpcodesEnd = 48;
/// A 6-bit opcode the instruction set defines (base or dendritic).
constexpr bool isKnownOpcode(unsigned opcode) {
  return opcode < kBaseOpcodeCount || (opcode >= kDendriticOpcodesBegin &&
                                       opcode < kDendriticOpcodesAssigned);
}
constexpr bool isDendriticOpcode(unsigned opcode) {
  return opcode >= kDendriticOpcodesBegin && opcode < kDendriticOpcodesEnd;
}

/// Where an operand lives (3 bits).
enum class OperandKind : uint8_t {
  None = 0,  ///< reads 0; not a destination
  Reg = 1,   ///< scratch register r0..r(registers-1), 64-bit, zero at start
  State = 2, ///< the compartment's state word s_i
  Param = 3, ///< the compartment's parameter word p_i (read-only)
  Const = 4, ///< the program's constant c_i (read-only)
  /// in0 = q (this step's synaptic input), in1 = spiked (0/1), in2 = bap
  /// (1 when the neuron's root compartment spiked in the previous step)
  Input = 5,
};
constexpr unsigned kInputQ = 0, kInputSpiked = 1, kInputBap = 2,
                   kInputCount = 3;
/// Operand indices are 4 bits: at most 16 of each kind.
constexpr unsigned kMaxOperandIndex = 16;

struct Operand {
  OperandKind kind = OperandKind::None;
  uint8_t index = 0;
  bool operator==(const Operand &o) const {
    return kind == o.kind && index == o.index;
  }
  bool operator!=(const Operand &o) const { return !(*this == o); }
};

constexpr Operand none() { return {OperandKind::None, 0}; }
constexpr Operand reg(uint8_t i) { return {OperandKind::Reg, i}; }
constexpr Operand state(uint8_t i) { return {OperandKind::State, i}; }
constexpr Operand param(uint8_t i) { return {OperandKind::Param, i}; }
constexpr Operand constant(uint8_t i) { return {OperandKind::Const, i}; }
constexpr Operand inputQ() { return {OperandKind::Input, kInputQ}; }
constexpr Operand inputSpiked() { return {OperandKind::Input, kInputSpiked}; }
constexpr Operand inputBap() { return {OperandKind::Input, kInputBap}; }

/// MulShr rounding (mode field).
enum class Rounding : uint8_t { Floor = 0, TowardZero = 1, HalfUp = 2 };
/// Fire reset (mode field).
enum class Reset : uint8_t { Zero = 0, Subtract = 1, Never = 2, ToValue = 3 };

/// The multiplier's operand width: MulShr and Decay wrap their operands to
/// this many bits (two's complement) before the exact product.
constexpr unsigned kMultiplierBits = 48;

/// One decoded instruction. Encoding (64 bits, little end first):
///   [5:0] opcode  [12:6] d  [19:13] a  [26:20] b  [33:27] c
///   [39:34] imm   [41:40] mode  [63:42] zero
/// with each operand (kind << 4 | index).
struct Instruction {
  Opcode op = Opcode::Nop;
  Operand d, a, b, c;
  uint8_t imm = 0;  ///< shift amount or bit count, 0..63
  uint8_t mode = 0; ///< Rounding for MulShr, Reset for Fire, else 0
  bool operator==(const Instruction &o) const {
    return op == o.op && d == o.d && a == o.a && b == o.b && c == o.c &&
           imm == o.imm && mode == o.mode;
  }
};

/// The instruction `op d, a, b, c` with `imm` and `mode`, as the ISA's
/// listings write it (docs/neurocore-isa.md).
constexpr Instruction instruction(Opcode op, Operand d, Operand a = none(),
                                  Operand b = none(), Operand c = none(),
                                  unsigned imm = 0, unsigned mode = 0) {
  Instruction in;
  in.op = op;
  in.d = d;
  in.a = a;
  in.b = b;
  in.c = c;
  in.imm = uint8_t(imm);
  in.mode = uint8_t(mode);
  return in;
}

uint64_t encode(const Instruction &instruction);
/// Split a word into fields without judging them (the validator does):
/// unknown opcodes and kinds come back as their raw numbers.
Instruction decode(uint64_t word);
/// The raw opcode and the reserved high bits of a word.
inline unsigned rawOpcode(uint64_t word) { return unsigned(word & 0x3f); }
inline uint64_t reservedBits(uint64_t word) { return word >> 42; }

/// The mnemonic of a known opcode ("ADD"), or "op<N>".
std::string mnemonic(unsigned opcode);

/// Which operand slots an opcode uses and what its imm and mode may be.
struct Signature {
  bool d = false, a = false, b = false, c = false;
  bool usesImm = false; ///< imm is a shift or bit count
  unsigned minImm = 0, maxImm = 0;
  unsigned modes = 1; ///< valid mode values are [0, modes)
};
/// For a known opcode (isKnownOpcode).
Signature signatureOf(Opcode op);

/// Cost class of an opcode: what the profile prices (isa.* fields).
enum class CostClass : uint8_t { Alu, Multiply, Spike, Lookup };
CostClass costClass(Opcode op);

} // namespace isa

/// How a state word behaves when written.
enum class Overflow : uint8_t { Wrap = 0, Saturate = 1 };

struct StateWord {
  std::string name;
  uint8_t bits = 32; ///< 1..32
  bool isSigned = true;
  Overflow overflow = Overflow::Wrap;
  int32_t initial = 0; ///< every compartment's value before step 0
  bool operator==(const StateWord &o) const {
    return name == o.name && bits == o.bits && isSigned == o.isSigned &&
           overflow == o.overflow && initial == o.initial;
  }
};

struct ParamWord {
  std::string name;
  uint8_t bits = 32; ///< 1..64
  bool isSigned = true;
  bool operator==(const ParamWord &o) const {
    return name == o.name && bits == o.bits && isSigned == o.isSigned;
  }
};

/// A function of one value, sampled at origin + k * 2^shift for k = 0..n
/// (n + 1 entries); Lut interpolates between the samples
/// (docs/neurocore-isa.md).
struct LookupTable {
  int64_t origin = 0;
  uint8_t shift = 0; ///< 0..kMaxLookupShift
  std::vector<int32_t> entries;
  bool operator==(const LookupTable &o) const {
    return origin == o.origin && shift == o.shift && entries == o.entries;
  }
};
/// The widest segment: the interpolation's product (a 33-bit difference
/// times a fraction of at most 2^46) fits the 48-bit multiplier's ports.
constexpr unsigned kMaxLookupShift = 46;

/// A neuron model: one program shared by every compartment of a population.
struct Program {
  std::string name;
  std::vector<StateWord> state;
  std::vector<ParamWord> params;
  std::vector<int64_t> constants;
  std::vector<LookupTable> tables; ///< read by Lut, t0...
  /// The state word that is the refractory counter (Refr, Fire), or -1.
  int refractoryWord = -1;
  /// Where Fire reads the refractory period (a Param or Const operand);
  /// None when the program has no refractory counter.
  isa::Operand refractoryPeriod;
  /// Idle skip: when q, every state word and every parameter word in
  /// idleParams (bit i = p_i) are zero, no instruction runs and the update
  /// costs the profile's inactive update. The program must leave such a
  /// compartment unchanged and silent for the skip to be invisible.
  bool skipIdle = false;
  uint32_t idleParams = 0;
  std::vector<uint64_t> code;

  bool operator==(const Program &o) const {
    return name == o.name && state == o.state && params == o.params &&
           constants == o.constants && tables == o.tables &&
           refractoryWord == o.refractoryWord &&
           refractoryPeriod == o.refractoryPeriod && skipIdle == o.skipIdle &&
           idleParams == o.idleParams && code == o.code;
  }
};

/// Value range of a state or parameter word of `bits` bits.
int64_t wordMin(unsigned bits, bool isSigned);
int64_t wordMax(unsigned bits, bool isSigned);
/// A value written to state word `w`: wrapped or saturated to its width.
int64_t narrowToStateWord(int64_t value, const StateWord &w);

/// Check a program against the instruction set and the profile's isa
/// limits: every opcode known and available on the chip, every operand
/// inside its table, destinations writable, immediates and modes in range,
/// length, registers and word counts within the profile, widths legal, and
/// on a non-programmable chip (loihi1) the program one of its fixed
/// functions. The error names the instruction index and the value; callers
/// add the population.
Status validateProgram(const Program &program, const Profile &profile);

/// One instruction as text ("ADD r2, r2, s0"); words named from `program`
/// when given.
std::string disassemble(const isa::Instruction &instruction,
                        const Program *program = nullptr);
/// The whole program: header (state, params, constants, refractory, idle
/// rule) and one numbered line per instruction.
std::string disassemble(const Program &program);

/// Cycles and energy of one non-idle update of `program` on `profile`: the
/// sum over its instructions (every instruction slot issues, also after a
/// Refr halt, so the cost is the same for every update).
struct ProgramCost {
  uint64_t cycles = 0;
  double energyPJ = 0;
};
ProgramCost programCost(const Program &program, const Profile &profile);

/// What one update of `program` does to its neuron's tree stack: it pops
/// `pops` values, then pushes `pushes` (the validator has checked that every
/// POP precedes every PUSH and that no REFR can skip either).
struct StackEffect {
  unsigned pops = 0, pushes = 0;
};
StackEffect stackEffect(const Program &program);
/// The program reads the bap input (the root's spike of the previous step).
bool readsBackPropagation(const Program &program);
/// A program a population of point neurons runs: it has no tree, so no
/// PUSH or POP (no children, no parent) and no bap. The error names the
/// instruction.
Status validatePointNeuron(const Program &program);

} // namespace cajal::chip

#endif // CAJAL_CHIP_NEUROCORE_H
