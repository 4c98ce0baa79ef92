//===- RtlProgramTest.cpp - The RTL micro-sequencer equals the interpreter
//-===//
//
// 10,000 seeded random programs on loihi2's budget (with random lookup
// tables and LUTs), each with random parameter words, states and inputs over
// several updates: the Verilated neuron_program.sv must give the reference
// interpreter's state words, spike and idle flags, and exactly the
// program's cost in cycles. Also the standard programs, LUT on the docs'
// example and on tables at the edges of the 32- and 64-bit ranges (against
// isa::lookup), a LUT slot's cycles, and the refusal of a profile the build
// cannot run. The tree instructions: 10,000 more random programs with PUSH,
// POP, AND, OR and reads of bap mixed in, updated several times on one
// persistent tree stack, against the interpreter on a stack of its own
// (state words, spike, cycles and the stack's contents after each update).
//
//===----------------------------------------------------------------------===//
#include "cajal/Chip/NeurocoreInterpreter.h"
#include "cajal/Chip/StandardPrograms.h"
#include "cajal/ImageGen/RandomProgram.h"
#include "cajal/Rtl/ProgramUnit.h"

#include <gtest/gtest.h>

#include <cstdio>

using namespace cajal;
using cajal::Status;

namespace {

chip::Profile profileNamed(const char *name) {
  Result<chip::Profile> p = chip::findProfile(name, chip::defaultProfileDir());
  EXPECT_TRUE(bool(p)) << (p ? "" : p.error());
  return p ? *p : chip::Profile{};
}

/// Runs `updates` updates of `program` on the RTL and the interpreter from
/// the same words; returns a description of the first difference, or "".
std::string compare(rtl::ProgramUnit &unit, const chip::Program &program,
                    const chip::Profile &profile, imagegen::Rng &rng,
                    std::vector<int32_t> state,
                    const std::vector<int64_t> &params, int updates) {
  if (Status s = unit.load(program); !s)
    return "refused: " + s.error();
  const uint64_t cost = chip::programCost(program, profile).cycles;
  std::vector<int32_t> expected = state;
  for (int t = 0; t < updates; ++t) {
    const int64_t q = imagegen::randomInput(rng);
    const chip::UpdateOutcome want =
        chip::interpret(program, expected.data(), params.data(), q);
    const rtl::ProgramUpdate got = unit.update(state, params, q);
    state = got.state;
    std::string diff;
    if (got.state != expected)
      diff = "state words differ";
    else if (got.spiked != want.spiked)
      diff = "spike differs";
    else if (got.idle != want.idle)
      diff = "idle differs";
    else if (got.cycles != (want.idle ? 0 : cost))
      diff = "cycles " + std::to_string(got.cycles) + ", program costs " +
             std::to_string(cost);
    if (!diff.empty()) {
      std::string words;
      for (size_t i = 0; i < expected.size(); ++i)
        words += " s" + std::to_string(i) + " rtl " +
                 std::to_string(got.state[i]) + " interpreter " +
                 std::to_string(expected[i]) + ";";
      return "update " + std::to_string(t) + " (q " + std::to_string(q) +
             "): " + diff + ":" + words + "\n" + chip::disassemble(program);
    }
  }
  return "";
}

/// One model for every program of a test (as a core reloads its microcode).
std::unique_ptr<rtl::ProgramUnit> unitFor(const chip::Profile &profile) {
  auto unit = rtl::ProgramUnit::create(
      chip::lifProgram(profile.neuron, chip::LifReset::Zero), profile);
  EXPECT_TRUE(bool(unit)) << (unit ? "" : unit.error());
  return unit ? std::move(*unit) : nullptr;
}

/// LUT slots that run in every active update of `program`: those before
/// its first REFR (which may halt the rest).
uint64_t lutsBeforeRefr(const chip::Program &program) {
  uint64_t luts = 0;
  for (uint64_t word : program.code) {
    const chip::isa::Opcode op = chip::isa::decode(word).op;
    if (op == chip::isa::Opcode::Refr)
      break;
    luts += op == chip::isa::Opcode::Lut;
  }
  return luts;
}

TEST(RtlProgramTest, RandomProgramsEqualTheInterpreter) {
  const chip::Profile profile = profileNamed("loihi2");
  auto unit = unitFor(profile);
  ASSERT_TRUE(unit);
  const uint64_t firstSeed = 1;
  const int programs = 10000;
  const int updates = 4;
  uint64_t lutsRun = 0, withTables = 0;
  for (uint64_t seed = firstSeed; seed < firstSeed + programs; ++seed) {
    imagegen::Rng rng(seed);
    const chip::Program program = imagegen::randomProgram(rng, profile);
    const std::vector<int64_t> params =
        imagegen::randomParamWords(rng, program);
    const std::vector<int32_t> state = imagegen::randomStateWords(rng, program);
    const std::string diff =
        compare(*unit, program, profile, rng, state, params, updates);
    ASSERT_EQ(diff, "") << "seed " << seed;
    withTables += !program.tables.empty();
    // Updates of a program without the idle skip are all active.
    if (!program.skipIdle)
      lutsRun += updates * lutsBeforeRefr(program);
  }
  // The random programs exercise LUT (a lower bound: LUTs of active
  // updates before any REFR).
  std::printf("%llu of %d programs with lookup tables; at least %llu LUTs "
              "executed\n",
              (unsigned long long)withTables, programs,
              (unsigned long long)lutsRun);
  EXPECT_GE(withTables, uint64_t(programs / 2));
  EXPECT_GE(lutsRun, 5000u);
}

/// A random program with the tree instructions mixed in, valid on
/// `profile`: `pops` POPs and `pushes` PUSHes (the POPs first, all before
/// any REFR), AND and OR of registers, s0 and bap anywhere, MOV of bap to a
/// register. Redrawn until the validator accepts it.
chip::Program randomTreeInstructions(imagegen::Rng &rng,
                                     const chip::Profile &profile,
                                     unsigned &pops, unsigned &pushes) {
  using namespace chip::isa;
  for (;;) {
    chip::Program p = imagegen::randomProgram(rng, profile);
    p.skipIdle = false; // no idle skip in a program that pushes or pops
    pops = unsigned(rng.range(0, 3));
    pushes = unsigned(rng.range(0, 3));
    const auto anyRegister = [&] {
      return reg(uint8_t(rng.range(0, profile.isa.registers - 1)));
    };
    const auto source = [&] {
      switch (rng.range(0, 3)) {
      case 0:
        return inputBap();
      case 1:
        return state(0);
      case 2:
        return inputQ();
      default:
        return anyRegister();
      }
    };
    std::vector<uint64_t> code = p.code;
    for (int k = int(rng.range(0, 3)); k > 0; --k) {
      const int64_t kind = rng.range(0, 2);
      const Instruction in =
          kind == 2 ? instruction(Opcode::Mov, anyRegister(), inputBap())
                    : instruction(kind ? Opcode::And : Opcode::Or,
                                  rng.coin() ? anyRegister() : state(0),
                                  source(), source());
      code.insert(code.begin() + rng.range(0, int64_t(code.size())),
                  encode(in));
    }
    // The stack operations before the first REFR, the POPs first.
    int64_t refr = int64_t(code.size());
    for (size_t i = 0; i < code.size(); ++i)
      if (decode(code[i]).op == Opcode::Refr) {
        refr = int64_t(i);
        break;
      }
    const int64_t split = rng.range(0, refr);
    for (unsigned k = 0; k < pushes; ++k)
      code.insert(code.begin() + rng.range(split, refr),
                  encode(instruction(Opcode::Push, none(), source())));
    for (unsigned k = 0; k < pops; ++k)
      code.insert(
          code.begin() + rng.range(0, split),
          encode(instruction(Opcode::Pop,
                             rng.range(0, 3) ? anyRegister() : state(0))));
    p.code = code;
    if (chip::validateProgram(p, profile))
      return p;
  }
}

TEST(RtlProgramTest, RandomTreeInstructionsEqualTheInterpreter) {
  chip::Profile profile = profileNamed("loihi2");
  profile.isa.stackDepth = rtl::ProgramUnit::stackDepth();
  auto unit = unitFor(profile);
  ASSERT_TRUE(unit);
  const int programs = 10000;
  const int updates = 4;
  uint64_t pushesRun = 0, popsRun = 0, emptyPops = 0, bapUpdates = 0;
  for (uint64_t seed = 1; seed <= uint64_t(programs); ++seed) {
    imagegen::Rng rng(seed ^ 0x7ee5eedull);
    unsigned pops = 0, pushes = 0;
    const chip::Program program =
        randomTreeInstructions(rng, profile, pops, pushes);
    const std::vector<int64_t> params =
        imagegen::randomParamWords(rng, program);
    std::vector<int32_t> state = imagegen::randomStateWords(rng, program);
    ASSERT_TRUE(bool(unit->load(program))) << "seed " << seed;
    const uint64_t cost = chip::programCost(program, profile).cycles;
    std::vector<int32_t> expected = state;
    std::vector<int64_t> stack; // the interpreter's; loading empties the RTL's
    for (int t = 0; t < updates; ++t) {
      // Stay within the build's stack (a valid tree always does).
      const size_t depth = (stack.size() > pops ? stack.size() - pops : 0);
      if (depth + pushes > rtl::ProgramUnit::stackDepth())
        break;
      emptyPops += pops > stack.size() ? pops - stack.size() : 0;
      const int64_t q = imagegen::randomInput(rng);
      const bool bap = rng.coin();
      const chip::UpdateOutcome want =
          chip::interpret(program, expected.data(), params.data(), q,
                          chip::TreeContext{&stack, bap});
      const rtl::ProgramUpdate got = unit->update(state, params, q, bap);
      state = got.state;
      ASSERT_EQ(got.state, expected) << "seed " << seed << " update " << t
                                     << " (q " << q << ", bap " << bap << ")\n"
                                     << chip::disassemble(program);
      ASSERT_EQ(got.stack, stack) << "seed " << seed << " update " << t << "\n"
                                  << chip::disassemble(program);
      ASSERT_EQ(got.spiked, want.spiked) << "seed " << seed << " update " << t;
      ASSERT_FALSE(got.idle);
      ASSERT_EQ(got.cycles, cost) << "seed " << seed << " update " << t;
      pushesRun += pushes;
      popsRun += pops;
      bapUpdates += bap;
    }
  }
  std::printf("%d programs with tree instructions: %llu PUSHes and %llu POPs "
              "run (%llu of an empty stack), %llu updates with bap\n",
              programs, (unsigned long long)pushesRun,
              (unsigned long long)popsRun, (unsigned long long)emptyPops,
              (unsigned long long)bapUpdates);
  EXPECT_GE(pushesRun, 10000u);
  EXPECT_GE(popsRun, 10000u);
  EXPECT_GE(emptyPops, 100u);
}

/// One program: state word s_t = LUT(p0, table t) for each table t.
chip::Program lookupProgram(std::vector<chip::LookupTable> tables) {
  using namespace chip::isa;
  chip::Program p;
  p.name = "lookups";
  p.params.push_back({"a", 64, true});
  for (size_t t = 0; t < tables.size(); ++t) {
    p.state.push_back({"y" + std::to_string(t), 32, true});
    p.code.push_back(
        encode(instruction(Opcode::Lut, state(uint8_t(t)), param(0), none(),
                           none(), unsigned(t))));
  }
  p.tables = std::move(tables);
  return p;
}

/// LUT of every table of `program` at `a` on the RTL, against isa::lookup;
/// "" or the first difference.
std::string lookupsAt(rtl::ProgramUnit &unit, const chip::Program &program,
                      int64_t a) {
  const rtl::ProgramUpdate got =
      unit.update(std::vector<int32_t>(program.state.size(), 0), {a}, /*q=*/0);
  for (size_t t = 0; t < program.tables.size(); ++t) {
    const int64_t want = chip::isa::lookup(program.tables[t], a);
    if (got.state[t] != want)
      return "table t" + std::to_string(t) + " at " + std::to_string(a) +
             ": RTL " + std::to_string(got.state[t]) + ", isa::lookup " +
             std::to_string(want);
  }
  return "";
}

TEST(RtlProgramTest, LookupIsTheDocsExample) {
  const chip::Profile profile = profileNamed("loihi2");
  auto unit = unitFor(profile);
  ASSERT_TRUE(unit);
  const chip::Program program =
      lookupProgram({chip::LookupTable{-8, 2, {10, 20, -20}}});
  ASSERT_TRUE(unit->load(program));
  const std::pair<int64_t, int32_t> docs[] = {
      {-100, 10}, {-6, 15},    {-4, 20},        {-3, 10},
      {0, -20},   {1000, -20}, {INT64_MIN, 10}, {INT64_MAX, -20},
      {-8, 10},   {-7, 13},    {-5, 18},        {-2, 0}};
  for (auto [a, d] : docs) {
    const rtl::ProgramUpdate got = unit->update({0}, {a}, 0);
    EXPECT_EQ(got.state.at(0), d) << "LUT at " << a;
    EXPECT_EQ(lookupsAt(*unit, program, a), "");
  }
}

TEST(RtlProgramTest, LookupAtTheEdgesEqualsTheInterpreter) {
  const chip::Profile profile = profileNamed("loihi2");
  auto unit = unitFor(profile);
  ASSERT_TRUE(unit);
  constexpr int32_t lo = INT32_MIN, hi = INT32_MAX;
  constexpr int64_t wide = int64_t(1) << 46;
  const std::vector<chip::LookupTable> tables = {
      // Widest segments, ending at INT64_MAX; 33-bit differences.
      {INT64_MAX - 4 * wide, 46, {lo, hi, lo, hi - 1, lo + 1}},
      // Unit segments from INT64_MIN.
      {INT64_MIN, 0, {hi, lo, 5, -5, hi}},
      // One widest segment from INT64_MIN.
      {INT64_MIN, 46, {lo, hi}},
      // Half-way points round up, also on a falling segment.
      {-3, 1, {0, 1, 0, 2, lo, hi}},
      // Shift 0 around zero, neighbours of the 32-bit edges.
      {-2, 0, {hi - 1, hi, lo, lo + 1}},
      // A long table near the middle of the range.
      {-(int64_t(1) << 40), 33, {}},
  };
  std::vector<chip::LookupTable> all = tables;
  for (int k = 0; k < 200; ++k)
    all.back().entries.push_back(k % 3 == 0   ? (k % 2 ? hi : lo)
                                 : k % 3 == 1 ? k * 1000003
                                              : -k * 7919);
  const chip::Program program = lookupProgram(all);
  ASSERT_TRUE(unit->load(program));
  std::vector<int64_t> at = {
      INT64_MIN, INT64_MIN + 1, INT64_MAX, INT64_MAX - 1, -1, 0, 1};
  // Each table's nodes, their neighbours and the points half-way and a
  // quarter of the way between them.
  for (const chip::LookupTable &t : all) {
    for (size_t k = 0; k < t.entries.size(); ++k) {
      const __int128 node = __int128(t.origin) + (__int128(k) << t.shift);
      for (__int128 d :
           {__int128(-1), __int128(0), __int128(1),
            (__int128(1) << t.shift) / 2, (__int128(1) << t.shift) / 2 - 1,
            (__int128(1) << t.shift) / 4 + 1})
        if (node + d >= INT64_MIN && node + d <= INT64_MAX)
          at.push_back(int64_t(node + d));
    }
  }
  imagegen::Rng rng(46);
  for (int k = 0; k < 2000; ++k)
    at.push_back(rng.anyValue());
  for (int64_t a : at)
    ASSERT_EQ(lookupsAt(*unit, program, a), "");
  // A few by hand: INT32_MIN to INT32_MAX is a step of 2^32 - 1.
  const rtl::ProgramUpdate mid =
      unit->update(std::vector<int32_t>(all.size(), 0),
                   {INT64_MAX - 4 * wide + wide / 2}, 0);
  EXPECT_EQ(mid.state[0], 0); // INT32_MIN + (2^32 - 1) / 2 rounded half up
  const rtl::ProgramUpdate rising =
      unit->update(std::vector<int32_t>(all.size(), 0), {-2}, 0);
  EXPECT_EQ(rising.state[3], 1); // 0 + 1/2 rounds half up to 1
  const rtl::ProgramUpdate falling =
      unit->update(std::vector<int32_t>(all.size(), 0), {0}, 0);
  EXPECT_EQ(falling.state[3], 1); // 1 - 1/2 rounds half up to 1
}

TEST(RtlProgramTest, ALookupSlotLastsTheLookupCycles) {
  using namespace chip::isa;
  const chip::Profile profile = profileNamed("loihi2");
  auto unit = unitFor(profile);
  ASSERT_TRUE(unit);
  chip::Program program = lookupProgram({chip::LookupTable{0, 3, {1, 9}}});
  ASSERT_TRUE(unit->load(program));
  EXPECT_EQ(unit->update({0}, {4}, 0).cycles, profile.isa.lookupCycles);
  EXPECT_EQ(profile.isa.lookupCycles, 3u);
  // LUT between two ALU slots: their cycles add up.
  program.code.insert(program.code.begin(),
                      encode(instruction(Opcode::Mov, reg(0), param(0))));
  program.code.push_back(
      encode(instruction(Opcode::Add, reg(0), reg(0), param(0))));
  ASSERT_TRUE(unit->load(program));
  const rtl::ProgramUpdate got = unit->update({0}, {4}, 0);
  EXPECT_EQ(got.cycles, profile.isa.lookupCycles + 2 * profile.isa.aluCycles);
  EXPECT_EQ(got.cycles, chip::programCost(program, profile).cycles);
  EXPECT_EQ(got.state.at(0), 5);
}

TEST(RtlProgramTest, StandardProgramsEqualTheInterpreter) {
  const chip::Profile profile = profileNamed("loihi2");
  auto unit = unitFor(profile);
  ASSERT_TRUE(unit);
  imagegen::Rng rng(7);
  chip::CompartmentParams lif;
  lif.decayU = 410;
  lif.decayV = 205;
  lif.thresholdMantissa = 40;
  lif.refractory = 2;
  lif.vmaxExponent = 7;
  lif.vminExponent = 24;
  const chip::Program lifProgram =
      chip::lifProgram(profile.neuron, chip::LifReset::Zero);
  EXPECT_EQ(compare(*unit, lifProgram, profile, rng, {0, 0, 0},
                    chip::lifParamWords(lif, profile.neuron), 200),
            "");
  const chip::IzhikevichParams rs;
  const chip::Program iz = chip::izhikevichProgram(rs);
  EXPECT_EQ(compare(*unit, iz, profile, rng,
                    {iz.state[0].initial, iz.state[1].initial},
                    chip::izhikevichParamWords(rs), 200),
            "");
}

TEST(RtlProgramTest, RefusesAProfileItIsNotBuiltFor) {
  const chip::Profile loihi1 = profileNamed("loihi1");
  auto unit = rtl::ProgramUnit::create(
      chip::lifProgram(loihi1.neuron, chip::LifReset::Zero), loihi1);
  ASSERT_FALSE(bool(unit));
  EXPECT_EQ(unit.error(), "profile 'loihi1': isa.multiplyCycles = 1; the RTL "
                          "micro-sequencer is built with 2 (from loihi2)");
  // Table limits above the build's, or another lookup price.
  const chip::Profile loihi2 = profileNamed("loihi2");
  const chip::Program lif =
      chip::lifProgram(loihi2.neuron, chip::LifReset::Zero);
  chip::Profile moreTables = loihi2;
  moreTables.isa.maxTables = 9;
  auto refused = rtl::ProgramUnit::create(lif, moreTables);
  ASSERT_FALSE(bool(refused));
  EXPECT_EQ(refused.error(), "profile 'loihi2': isa.maxTables = 9; the RTL "
                             "micro-sequencer is built with 8 (from loihi2)");
  chip::Profile moreEntries = loihi2;
  moreEntries.isa.maxTableEntries = 4096;
  refused = rtl::ProgramUnit::create(lif, moreEntries);
  ASSERT_FALSE(bool(refused));
  EXPECT_EQ(refused.error(),
            "profile 'loihi2': isa.maxTableEntries = 4096; the RTL "
            "micro-sequencer is built with 2048 (from loihi2)");
  chip::Profile slowerLookup = loihi2;
  slowerLookup.isa.lookupCycles = 4;
  refused = rtl::ProgramUnit::create(lif, slowerLookup);
  ASSERT_FALSE(bool(refused));
  EXPECT_EQ(refused.error(), "profile 'loihi2': isa.lookupCycles = 4; the RTL "
                             "micro-sequencer is built with 3 (from loihi2)");
}

} // namespace
