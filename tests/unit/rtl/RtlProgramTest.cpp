//===- RtlProgramTest.cpp - The RTL micro-sequencer equals the interpreter
//-===//
//
// 10,000 seeded random programs on loihi2's budget, each with random
// parameter words, states and inputs over several updates: the Verilated
// neuron_program.sv must give the reference interpreter's state words,
// spike and idle flags, and exactly the program's cost in cycles. Also the
// standard programs, and the refusal of a profile the build cannot run.
//
//===----------------------------------------------------------------------===//
#include "cajal/Chip/NeurocoreInterpreter.h"
#include "cajal/Chip/StandardPrograms.h"
#include "cajal/ImageGen/RandomProgram.h"
#include "cajal/Rtl/ProgramUnit.h"

#include <gtest/gtest.h>

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

TEST(RtlProgramTest, RandomProgramsEqualTheInterpreter) {
  const chip::Profile profile = profileNamed("loihi2");
  auto unit = unitFor(profile);
  ASSERT_TRUE(unit);
  const uint64_t firstSeed = 1;
  const int programs = 10000;
  for (uint64_t seed = firstSeed; seed < firstSeed + programs; ++seed) {
    imagegen::Rng rng(seed);
    const chip::Program program = imagegen::randomProgram(rng, profile);
    const std::vector<int64_t> params =
        imagegen::randomParamWords(rng, program);
    const std::vector<int32_t> state = imagegen::randomStateWords(rng, program);
    const std::string diff =
        compare(*unit, program, profile, rng, state, params, 4);
    ASSERT_EQ(diff, "") << "seed " << seed;
  }
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
}

} // namespace
