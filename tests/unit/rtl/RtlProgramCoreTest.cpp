//===- RtlProgramCoreTest.cpp - The RTL neurocore runs neuron programs ----===//
//
// The loihi2 build of the neurocore with Izhikevich, adaptive-LIF and LIF
// populations on one core, in lockstep with the SystemC core model (state
// words, spikes, cycles per step), with the step's cycles computed by hand
// from the programs' prices; and the refusal, with the reason, of programs
// the build cannot hold: longer than its instruction memory, more lookup
// tables or table entries than its table memories, more distinct programs
// on a core than its program table.
//
//===----------------------------------------------------------------------===//
#include "RtlTestSupport.h"
#include "cajal/Chip/StandardPrograms.h"
#include "cajal/ImageGen/ImageBuilder.h"
#include "cajal/Rtl/Lockstep.h"
#include "cajal/Rtl/RtlCore.h"

#include <gtest/gtest.h>

using namespace cajal;

namespace {

chip::Profile loihi2() {
  auto p = chip::findProfile("loihi2", chip::defaultProfileDir());
  EXPECT_TRUE(bool(p)) << (p ? "" : p.error());
  return p ? *p : chip::Profile{};
}

/// One core: 4 Izhikevich, 4 adaptive-LIF and 4 LIF compartments, every
/// one driven by input axon 0 (weight 100 << 6 each).
chip::Image mixedImage(const chip::Profile &profile) {
  imagegen::ImageBuilder b(profile);
  chip::CompartmentParams lif;
  lif.decayU = 1000;
  lif.decayV = 200;
  lif.thresholdMantissa = 300;
  lif.vminExponent = 10;
  lif.vmaxExponent = 3;
  lif.refractory = 2;
  b.addCore(std::vector<chip::CompartmentParams>(12, lif));
  std::vector<chip::Synapse> syn;
  for (uint32_t c = 0; c < 12; ++c)
    syn.push_back({c, 100, 1});
  b.addInputAxon(0, syn, 8, 0, false);
  const uint32_t iz = b.addProgram(chip::izhikevichProgram({}));
  const uint32_t alif = b.addProgram(chip::adaptiveLifProgram(profile.neuron));
  chip::IzhikevichParams driven;
  driven.current = 10;
  std::vector<std::vector<int64_t>> izWords(4,
                                            chip::izhikevichParamWords(driven));
  izWords[0] = chip::izhikevichParamWords({}); // resting unless driven
  std::vector<int64_t> alifWords = chip::lifParamWords(lif, profile.neuron);
  alifWords.push_back(100); // p7: decay of a
  alifWords.push_back(500); // p8: jump of a on a spike
  alifWords.push_back(256); // p9: beta
  b.addProgramPopulation("iz", {{0, 0, 0, 4}}, iz, izWords);
  b.addProgramPopulation("alif", {{0, 4, 0, 4}}, alif,
                         std::vector<std::vector<int64_t>>(4, alifWords));
  b.addPopulation("lif", {{0, 8, 0, 4}});
  return b.build();
}

} // namespace

TEST(RtlProgramCore, IzhikevichAdaptiveLifAndLifInLockstep) {
  const chip::Profile profile = loihi2();
  const chip::Image image = mixedImage(profile);
  ASSERT_TRUE(chip::validate(image, profile))
      << chip::validate(image, profile).error();
  auto resolved = chip::resolvePrograms(image, profile);
  ASSERT_TRUE(resolved) << resolved.error();
  ASSERT_TRUE(rtl::checkRtlPrograms(image, *resolved, profile));
  std::vector<std::vector<uint32_t>> inputs(200);
  for (uint32_t t = 0; t < inputs.size(); t += 3)
    inputs[t] = {0};
  const chip::Core &core = image.cores[0];
  auto rep = rtl::runLockstep(core, core, profile, inputs, {}, {&*resolved, 0});
  ASSERT_TRUE(rep) << rep.error();
  ASSERT_FALSE(rep->divergence) << rep->divergence->message();
  EXPECT_EQ(rep->steps, 200u);
  EXPECT_GT(rep->spikes, 0u);
  EXPECT_EQ(rep->rtlCycles, rep->referenceCycles);
}

TEST(RtlProgramCore, ActiveUpdatesCostTheirProgram) {
  // Step 0 with every compartment active (Izhikevich rests at v = c, not
  // zero; the driven ones have a current): the update phase is the sum of
  // the programs' prices, on loihi2 a MULSHR/DECAY slot takes 2 cycles.
  const chip::Profile profile = loihi2();
  const chip::Image image = mixedImage(profile);
  auto resolved = chip::resolvePrograms(image, profile);
  ASSERT_TRUE(resolved) << resolved.error();
  auto rtl = rtl::RtlCore::create(image.cores[0], profile, *resolved, 0);
  ASSERT_TRUE(rtl) << rtl.error();
  const uint64_t iz =
      chip::programCost(chip::izhikevichProgram({}), profile).cycles;
  const uint64_t lif =
      chip::programCost(chip::lifProgram(profile.neuron, chip::LifReset::Zero),
                        profile)
          .cycles;
  const uint64_t inactive = 6; // cost.neuronUpdateInactiveNs
  // Step 0 without input: Izhikevich active (v = c), the adaptive-LIF and
  // LIF compartments idle (zero state, no bias, no input).
  const rtl::RtlStep s = (*rtl)->step({});
  EXPECT_EQ(s.cycles, 4 * iz + 8 * inactive);
  EXPECT_GT(iz, lif);
  // The Izhikevich state words come back through the state port.
  EXPECT_EQ((*rtl)->stateWords(0).size(), 2u);
}

TEST(RtlProgramCore, RefusesAProgramLongerThanTheBuild) {
  // A profile that allows 128 instructions runs on the loihi2 build (same
  // timing and sizes), but a 100-instruction program does not fit it.
  chip::Profile profile = loihi2();
  profile.isa.maxInstructions = 256;
  ASSERT_TRUE(rtl::checkRtlProfile(profile));
  imagegen::ImageBuilder b(profile);
  b.addCore(std::vector<chip::CompartmentParams>(2));
  chip::Program longer = chip::lifProgram(profile.neuron, chip::LifReset::Zero);
  longer.name = "long-lif";
  while (longer.code.size() < 200)
    longer.code.insert(longer.code.begin(), 0); // NOP
  const uint32_t p = b.addProgram(longer);
  b.addProgramPopulation(
      "slow", {{0, 0, 0, 2}}, p,
      std::vector<std::vector<int64_t>>(
          2, chip::lifParamWords(chip::CompartmentParams{}, profile.neuron)));
  const chip::Image image = b.build();
  auto resolved = chip::resolvePrograms(image, profile);
  ASSERT_TRUE(resolved) << resolved.error();
  const Status s = rtl::checkRtlPrograms(image, *resolved, profile);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error(),
            "population \"slow\" runs program \"long-lif\" has 200 "
            "instructions; the RTL neurocore (profile 'loihi2') holds 128 "
            "per program");
  auto rtl = rtl::RtlCore::create(image.cores[0], profile, *resolved, 0);
  ASSERT_FALSE(rtl);
  EXPECT_NE(rtl.error().find("has 200 instructions"), std::string::npos)
      << rtl.error();
}

TEST(RtlProgramCore, RefusesMoreProgramsThanTheTable) {
  const chip::Profile profile = loihi2();
  imagegen::ImageBuilder b(profile);
  const uint32_t n = 65; // one more than the loihi2 build's program table
  b.addCore(std::vector<chip::CompartmentParams>(n));
  for (uint32_t c = 0; c < n; ++c) {
    chip::Program p = chip::lifProgram(profile.neuron, chip::LifReset::Zero);
    p.name = "lif" + std::to_string(c);
    p.constants.push_back(c); // a distinct program per compartment
    b.addProgramPopulation(
        "pop" + std::to_string(c), {{0, c, 0, 1}}, b.addProgram(p),
        {chip::lifParamWords(chip::CompartmentParams{}, profile.neuron)});
  }
  const chip::Image image = b.build();
  auto resolved = chip::resolvePrograms(image, profile);
  ASSERT_TRUE(resolved) << resolved.error();
  const Status s = rtl::checkRtlPrograms(image, *resolved, profile);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error(), "core 0 runs 65 distinct programs; the RTL neurocore "
                       "(profile 'loihi2') holds 64 per core");
}

TEST(RtlProgramCore, RefusesTablesBeyondTheBuild) {
  // Profiles that allow more tables or entries than loihi2 run on the
  // loihi2 build, but a program using them does not fit it.
  const auto refusal = [](const chip::Profile &profile,
                          std::vector<chip::LookupTable> tables) {
    imagegen::ImageBuilder b(profile);
    b.addCore(std::vector<chip::CompartmentParams>(2));
    chip::Program p = chip::lifProgram(profile.neuron, chip::LifReset::Zero);
    p.name = "lif-tables";
    p.tables = std::move(tables);
    b.addProgramPopulation(
        "tabled", {{0, 0, 0, 2}}, b.addProgram(p),
        std::vector<std::vector<int64_t>>(
            2, chip::lifParamWords(chip::CompartmentParams{}, profile.neuron)));
    const chip::Image image = b.build();
    auto resolved = chip::resolvePrograms(image, profile);
    if (!resolved)
      return "resolvePrograms: " + resolved.error();
    const Status s = rtl::checkRtlPrograms(image, *resolved, profile);
    auto rtl = rtl::RtlCore::create(image.cores[0], profile, *resolved, 0);
    if (s || rtl)
      return std::string("accepted");
    EXPECT_NE(rtl.error().find(s.error().substr(s.error().find("has "))),
              std::string::npos)
        << rtl.error();
    return s.error();
  };
  chip::Profile moreTables = loihi2();
  moreTables.isa.maxTables = 9;
  ASSERT_TRUE(rtl::checkRtlProfile(moreTables));
  EXPECT_EQ(refusal(moreTables, std::vector<chip::LookupTable>(
                                    9, chip::LookupTable{0, 0, {1, 2}})),
            "population \"tabled\" runs program \"lif-tables\" has 9 lookup "
            "tables; the RTL neurocore (profile 'loihi2') holds 8 per program");
  EXPECT_EQ(refusal(moreTables, std::vector<chip::LookupTable>(
                                    8, chip::LookupTable{0, 0, {1, 2}})),
            "accepted");
  chip::Profile moreEntries = loihi2();
  moreEntries.isa.maxTableEntries = 4096;
  ASSERT_TRUE(rtl::checkRtlProfile(moreEntries));
  chip::LookupTable big{0, 0, std::vector<int32_t>(3000, 7)};
  EXPECT_EQ(refusal(moreEntries, {big}),
            "population \"tabled\" runs program \"lif-tables\" has 3000 "
            "lookup table entries; the RTL neurocore (profile 'loihi2') holds "
            "2048 per program");
  big.entries.resize(2048);
  EXPECT_EQ(refusal(moreEntries, {big}), "accepted");
}

TEST(RtlProgramCore, ProgramsWithTablesInLockstep) {
  // Two programs with lookup tables on one core (packed one after the
  // other in the table-entry memory): s0 follows a table of q, s1 of s0.
  using namespace chip::isa;
  const chip::Profile profile = loihi2();
  imagegen::ImageBuilder b(profile);
  b.addCore(std::vector<chip::CompartmentParams>(6));
  std::vector<chip::Synapse> syn;
  for (uint32_t c = 0; c < 6; ++c)
    syn.push_back({c, 60 + int32_t(c), 1});
  b.addInputAxon(0, syn, 8, 0, false);
  const auto tabled = [](const char *name, int64_t origin, unsigned shift,
                         std::vector<int32_t> first) {
    chip::Program p;
    p.name = name;
    p.state = {{"x", 32, true}, {"y", 32, true}};
    p.params = {{"bias", 32, true}};
    p.tables = {chip::LookupTable{origin, uint8_t(shift), std::move(first)},
                chip::LookupTable{-1000, 4, {5, -7, 300, 299, INT32_MAX}}};
    p.code = {
        encode(instruction(Opcode::Add, reg(0), inputQ(), param(0))),
        encode(instruction(Opcode::Lut, reg(1), reg(0), none(), none(), 0)),
        encode(instruction(Opcode::Add, state(0), state(0), reg(1))),
        encode(instruction(Opcode::Lut, state(1), state(0), none(), none(), 1)),
        encode(instruction(Opcode::Fire, state(0), state(0), param(0), none(),
                           0, unsigned(Reset::Subtract)))};
    return p;
  };
  const uint32_t p0 = b.addProgram(tabled("lut-a", -50, 5, {-3, 9, 40, 250}));
  const uint32_t p1 =
      b.addProgram(tabled("lut-b", 0, 12, {INT32_MIN, 0, 17, -17, 1, 2, 3}));
  b.addProgramPopulation("a", {{0, 0, 0, 3}}, p0, {{200}, {5000}, {100000}});
  b.addProgramPopulation("b", {{0, 3, 0, 3}}, p1, {{300}, {7000}, {900000}});
  const chip::Image image = b.build();
  ASSERT_TRUE(chip::validate(image, profile))
      << chip::validate(image, profile).error();
  auto resolved = chip::resolvePrograms(image, profile);
  ASSERT_TRUE(resolved) << resolved.error();
  std::vector<std::vector<uint32_t>> inputs(100);
  for (uint32_t t = 0; t < inputs.size(); t += 2)
    inputs[t] = {0};
  const chip::Core &core = image.cores[0];
  auto rep = rtl::runLockstep(core, core, profile, inputs, {}, {&*resolved, 0});
  ASSERT_TRUE(rep) << rep.error();
  ASSERT_FALSE(rep->divergence) << rep->divergence->message();
  EXPECT_GT(rep->spikes, 0u);
  EXPECT_EQ(rep->rtlCycles, rep->referenceCycles);
}
