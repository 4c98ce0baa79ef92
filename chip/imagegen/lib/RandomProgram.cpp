//===- RandomProgram.cpp - Seeded random neurocore programs ---------------===//
//
// Each instruction picks an opcode the chip has, then fills exactly the
// operand slots its signature uses, each from an operand kind that exists in
// the program (registers, declared words, inputs, or none), so that every
// generated program validates. Values favour the edges: zero, one, the
// width limits and large magnitudes, where fixed-point engines disagree first.
//
//===----------------------------------------------------------------------===//
#include "cajal/ImageGen/RandomProgram.h"
#include "cajal/Chip/StandardPrograms.h"

#include <algorithm>

namespace cajal::imagegen {

using namespace chip::isa;

uint64_t Rng::next() {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

int64_t Rng::range(int64_t lo, int64_t hi) {
  const uint64_t span = uint64_t(hi) - uint64_t(lo) + 1;
  return span == 0 ? int64_t(next()) : int64_t(uint64_t(lo) + next() % span);
}

int64_t Rng::anyValue() {
  switch (range(0, 5)) {
  case 0:
    return range(-2, 2);
  case 1:
    return range(-4096, 4096);
  case 2:
    return range(-(int64_t(1) << 31), int64_t(1) << 31);
  case 3:
    return int64_t(next()) >> range(0, 63);
  case 4:
    return coin() ? INT64_MAX - range(0, 2) : INT64_MIN + range(0, 2);
  default:
    return int64_t(next());
  }
}

namespace {

Operand randomSource(Rng &rng, const chip::Program &p,
                     const chip::Profile &profile) {
  for (;;) {
    switch (rng.range(0, 6)) {
    case 0:
      return none();
    case 1:
    case 2:
      return reg(uint8_t(rng.range(0, profile.isa.registers - 1)));
    case 3:
      return state(uint8_t(rng.range(0, int64_t(p.state.size()) - 1)));
    case 4:
      if (!p.params.empty())
        return param(uint8_t(rng.range(0, int64_t(p.params.size()) - 1)));
      break;
    case 5:
      if (!p.constants.empty())
        return constant(uint8_t(rng.range(0, int64_t(p.constants.size()) - 1)));
      break;
    default:
      // q or spiked: bap is a dendritic tree's input.
      return {OperandKind::Input, uint8_t(rng.range(0, kInputSpiked))};
    }
  }
}

Operand randomDestination(Rng &rng, const chip::Program &p,
                          const chip::Profile &profile) {
  if (rng.coin())
    return reg(uint8_t(rng.range(0, profile.isa.registers - 1)));
  return state(uint8_t(rng.range(0, int64_t(p.state.size()) - 1)));
}

uint64_t randomInstruction(Rng &rng, const chip::Program &p,
                           const chip::Profile &profile) {
  Opcode op;
  do {
    op = Opcode(rng.range(0, kBaseOpcodeCount - 1));
  } while ((op == Opcode::MulShr && !profile.isa.multiplier) ||
           (op == Opcode::Refr && p.refractoryWord < 0) ||
           (op == Opcode::Lut && p.tables.empty()));
  const Signature s = signatureOf(op);
  Instruction in;
  in.op = op;
  in.mode = uint8_t(rng.range(0, s.modes - 1));
  if (s.d)
    in.d = randomDestination(rng, p, profile);
  if (s.a)
    in.a = randomSource(rng, p, profile);
  if (s.b)
    in.b = randomSource(rng, p, profile);
  if (s.c && !(op == Opcode::Fire && in.mode != unsigned(Reset::ToValue)))
    in.c = randomSource(rng, p, profile);
  if (op == Opcode::Lut) {
    in.imm = uint8_t(rng.range(0, int64_t(p.tables.size()) - 1));
  } else if (s.usesImm) {
    // Decay's scale is mostly in range; shifts favour small amounts.
    in.imm = uint8_t(rng.coin() ? rng.range(s.minImm, std::min(s.maxImm, 16u))
                                : rng.range(s.minImm, s.maxImm));
  }
  return encode(in);
}

/// Tables within the profile's budget: entries at the 32-bit edges (the
/// interpolation's difference needs 33 bits), segment widths from 1 to
/// 2^46, origins near the small values programs compute and anywhere in the
/// 64-bit range that leaves room for the table.
std::vector<chip::LookupTable> randomTables(Rng &rng,
                                            const chip::IsaLimits &limits) {
  std::vector<chip::LookupTable> tables;
  int64_t budget = limits.maxTableEntries;
  const int64_t count = rng.range(0, limits.maxTables);
  for (int64_t t = 0; t < count && budget >= 2; ++t) {
    chip::LookupTable table;
    const int64_t entries =
        rng.range(2, std::min<int64_t>(budget, rng.coin() ? 9 : 300));
    budget -= entries;
    table.shift = uint8_t(rng.coin() ? rng.range(0, 8)
                                     : rng.range(0, chip::kMaxLookupShift));
    for (int64_t k = 0; k < entries; ++k)
      table.entries.push_back(
          rng.range(0, 3) == 0
              ? (rng.coin() ? INT32_MAX : INT32_MIN)
              : int32_t(rng.coin() ? rng.range(-4096, 4096)
                                   : int64_t(int32_t(rng.next()))));
    const __int128 span = __int128(entries - 1) << table.shift;
    const int64_t origin = rng.coin() ? rng.range(-5000, 100) : rng.anyValue();
    table.origin = __int128(origin) + span > INT64_MAX
                       ? int64_t(__int128(INT64_MAX) - span)
                       : origin;
    tables.push_back(std::move(table));
  }
  return tables;
}

} // namespace

chip::Program randomProgram(Rng &rng, const chip::Profile &profile) {
  const chip::IsaLimits &limits = profile.isa;
  chip::Program p;
  p.name = "random";
  const int64_t states = rng.range(1, limits.maxStateWords);
  for (int64_t i = 0; i < states; ++i) {
    chip::StateWord w;
    w.name = "s" + std::to_string(i);
    w.bits = uint8_t(rng.coin() ? 32 : rng.range(1, 32));
    w.isSigned = rng.range(0, 3) != 0;
    w.overflow = rng.coin() ? chip::Overflow::Wrap : chip::Overflow::Saturate;
    w.initial = int32_t(chip::narrowToStateWord(rng.anyValue(), w));
    p.state.push_back(w);
  }
  const int64_t params = rng.range(0, limits.maxParamWords);
  for (int64_t i = 0; i < params; ++i)
    p.params.push_back({"p" + std::to_string(i),
                        uint8_t(rng.coin() ? 64 : rng.range(1, 64)),
                        rng.range(0, 3) != 0});
  const int64_t constants = rng.range(0, limits.maxConstants);
  for (int64_t i = 0; i < constants; ++i)
    p.constants.push_back(rng.anyValue());
  if (limits.maxTables > 0)
    p.tables = randomTables(rng, limits);
  if (rng.coin()) {
    p.refractoryWord = int(rng.range(0, states - 1));
    if (!p.params.empty() && (p.constants.empty() || rng.coin()))
      p.refractoryPeriod = param(uint8_t(rng.range(0, params - 1)));
    else if (!p.constants.empty())
      p.refractoryPeriod = constant(uint8_t(rng.range(0, constants - 1)));
    else
      p.refractoryWord = -1;
  }
  p.skipIdle = rng.coin();
  if (p.skipIdle && params > 0)
    p.idleParams = uint32_t(rng.next() & ((uint64_t(1) << params) - 1));
  const int64_t length = rng.range(1, limits.maxInstructions);
  for (int64_t i = 0; i < length; ++i)
    p.code.push_back(randomInstruction(rng, p, profile));
  return p;
}

std::vector<int64_t> randomParamWords(Rng &rng, const chip::Program &p) {
  std::vector<int64_t> words;
  for (const chip::ParamWord &w : p.params) {
    const int64_t lo = chip::wordMin(w.bits, w.isSigned);
    const int64_t hi = chip::wordMax(w.bits, w.isSigned);
    int64_t v = rng.anyValue();
    if (rng.range(0, 3) == 0)
      v = 0;
    words.push_back(v < lo ? lo : (v > hi ? hi : v));
  }
  return words;
}

std::vector<int32_t> randomStateWords(Rng &rng, const chip::Program &p) {
  std::vector<int32_t> words;
  for (size_t i = 0; i < p.state.size(); ++i) {
    chip::StateWord w = p.state[i];
    w.overflow = chip::Overflow::Wrap;
    int64_t v = rng.range(0, 3) == 0 ? 0 : rng.anyValue();
    if (int(i) == p.refractoryWord)
      v = rng.range(0, 3);
    words.push_back(int32_t(uint32_t(chip::narrowToStateWord(v, w))));
  }
  return words;
}

int64_t randomInput(Rng &rng) {
  return rng.range(0, 2) == 0 ? 0 : rng.anyValue();
}

namespace {

/// A random program with `pops` POPs and `pushes` PUSHes at random places
/// (the POPs first), AND and OR instructions and reads of bap mixed in. It
/// may break the stack discipline (a PUSH after a REFR, the idle skip): the
/// validator decides.
chip::Program randomTreeProgram(Rng &rng, const chip::Profile &profile,
                                unsigned pops, unsigned pushes) {
  chip::Program p = randomProgram(rng, profile);
  const auto anyRegister = [&] {
    return reg(uint8_t(rng.range(0, profile.isa.registers - 1)));
  };
  std::vector<uint64_t> code = p.code;
  for (int k = int(rng.range(0, 2)); k > 0; --k) {
    const Opcode join = rng.coin() ? Opcode::And : Opcode::Or;
    code.insert(code.begin() + rng.range(0, int64_t(code.size())),
                encode(instruction(join, anyRegister(), anyRegister(),
                                   rng.coin() ? inputBap() : state(0))));
  }
  // Positions: the POPs' before the PUSHes'.
  const int64_t split = rng.range(0, int64_t(code.size()));
  for (unsigned k = 0; k < pushes; ++k)
    code.insert(code.begin() + rng.range(split, int64_t(code.size())),
                encode(instruction(Opcode::Push, none(),
                                   rng.coin() ? state(0) : anyRegister())));
  for (unsigned k = 0; k < pops; ++k)
    code.insert(code.begin() + rng.range(0, split),
                encode(instruction(Opcode::Pop, anyRegister())));
  p.code = code;
  if (p.code.size() > profile.isa.maxInstructions)
    p.code.resize(profile.isa.maxInstructions);
  return p;
}

/// The shape: compartments in post-order and what each pops and pushes.
struct TreeShape {
  chip::DendriticTree tree;
  std::vector<unsigned> pops, pushes;
};

void addSubtree(Rng &rng, TreeShape &shape, unsigned depth, unsigned &budget,
                unsigned maxFanIn = 3, unsigned maxPushes = 2) {
  std::vector<unsigned> children;
  const unsigned fanIn =
      depth == 0 ? 0
                 : unsigned(rng.range(0, std::min<int64_t>(maxFanIn, budget)));
  for (unsigned c = 0; c < fanIn && budget > 0; ++c) {
    --budget;
    addSubtree(rng, shape, depth - 1, budget, maxFanIn, maxPushes);
    children.push_back(unsigned(shape.tree.size() - 1));
  }
  const unsigned self = unsigned(shape.tree.size());
  unsigned pops = 0;
  for (unsigned c : children) {
    shape.tree[c].parent = int32_t(self);
    pops += shape.pushes[c];
  }
  shape.tree.push_back({"c" + std::to_string(self), self, -1});
  shape.pops.push_back(pops);
  shape.pushes.push_back(unsigned(rng.range(1, maxPushes)));
}

} // namespace

RandomTree randomTree(Rng &rng, const chip::Profile &profile,
                      unsigned maxCompartments, unsigned *refused) {
  TreeShape shape;
  unsigned budget = unsigned(rng.range(0, int64_t(maxCompartments) - 1));
  addSubtree(rng, shape, unsigned(rng.range(0, 4)), budget);
  shape.pushes.back() = 0; // the root
  RandomTree t{shape.tree, {}};
  for (size_t k = 0; k < shape.tree.size(); ++k) {
    for (;;) {
      chip::Program p =
          randomTreeProgram(rng, profile, shape.pops[k], shape.pushes[k]);
      p.name = "c" + std::to_string(k);
      const chip::StackEffect effect = chip::stackEffect(p);
      if (chip::validateProgram(p, profile) && effect.pops == shape.pops[k] &&
          effect.pushes == shape.pushes[k]) {
        t.programs.push_back(std::move(p));
        break;
      }
      if (refused)
        ++*refused;
    }
  }
  return t;
}

RandomTree randomLifTree(Rng &rng, const chip::Profile &profile,
                         unsigned maxCompartments) {
  TreeShape shape;
  unsigned budget = unsigned(rng.range(0, int64_t(maxCompartments) - 1));
  const unsigned maxFanIn = std::min(3u, profile.isa.maxPops);
  addSubtree(rng, shape, unsigned(rng.range(0, 4)), budget, maxFanIn, 1);
  RandomTree t{shape.tree, {}};
  const chip::TreeJoin joins[] = {chip::TreeJoin::Add, chip::TreeJoin::Min,
                                  chip::TreeJoin::Max, chip::TreeJoin::And,
                                  chip::TreeJoin::Or};
  const chip::TreeOutput outputs[] = {
      chip::TreeOutput::Current, chip::TreeOutput::Voltage,
      chip::TreeOutput::Active, chip::TreeOutput::AboveThreshold};
  for (size_t k = 0; k < shape.tree.size(); ++k) {
    chip::LifTreeCompartment c;
    c.children = shape.pops[k];
    c.join = joins[rng.range(0, 4)];
    c.root = k + 1 == shape.tree.size();
    c.reset = rng.coin() ? chip::LifReset::NoSpike : chip::LifReset::Zero;
    if (profile.neuron.resetBySubtraction && rng.coin())
      c.reset = chip::LifReset::Subtract;
    c.output = outputs[rng.range(0, 3)];
    c.resetOnBap = rng.coin();
    c.scaledOutput = profile.isa.multiplier;
    t.programs.push_back(chip::lifTreeProgram(profile.neuron, c));
  }
  return t;
}

} // namespace cajal::imagegen
