//===- StandardProgramsTest.cpp - The LIF program is updateCompartment ----===//
//
// The LIF family written as a program, run by the reference interpreter,
// must give the states and spikes of chip::updateCompartment on random
// parameters, states and inputs; the fixed-function check must accept the
// family and nothing else on loihi1; the program must cost the published
// loihi1 figure.
//
//===----------------------------------------------------------------------===//

#include "cajal/Chip/StandardPrograms.h"
#include "TestUtil.h"
#include "cajal/Chip/CompartmentCheck.h"
#include "cajal/Chip/NeurocoreInterpreter.h"

#include <gtest/gtest.h>

#include <random>

using namespace cajal::chip;
using cajal::Status;
using cajal::chip::test::loihi1;

namespace {

Profile withSubtraction(Profile p) {
  p.neuron.resetBySubtraction = true;
  return p;
}

CompartmentParams randomLifParams(std::mt19937_64 &rng, const Profile &p) {
  auto uni = [&](long long lo, long long hi) {
    return std::uniform_int_distribution<long long>(lo, hi)(rng);
  };
  const NeuronFormat &f = p.neuron;
  CompartmentParams c;
  c.decayU = uint16_t(uni(0, (1 << f.decayBits) - 1));
  c.decayV = uint16_t(uni(0, (1 << f.decayBits) - 1));
  c.biasMantissa = int16_t(uni(-long(f.biasMantissaMax), f.biasMantissaMax));
  c.biasExponent = uint8_t(uni(0, f.biasExponentMax));
  c.refractory = uint8_t(uni(f.refractoryMin, f.refractoryMax));
  // Thresholds spread over every magnitude, so that compartments spike.
  c.thresholdMantissa = uint32_t(uni(0, (1ll << f.thresholdMantissaBits) - 1) >>
                                 uni(0, f.thresholdMantissaBits));
  c.vminExponent = uint8_t(uni(0, f.vminExponentMax));
  c.vmaxExponent = uint8_t(uni(0, f.vmaxExponentMax));
  c.flags = uint8_t(uni(0, 3));
  // Sparse bias and input keep some compartments idle, as in networks.
  if (uni(0, 3) == 0)
    c.biasMantissa = 0;
  return c;
}

TEST(StandardProgramsTest, LifProgramEqualsUpdateCompartment) {
  const Profile profile = withSubtraction(loihi1());
  const NeuronFormat &f = profile.neuron;
  const unsigned seed = 16;
  std::mt19937_64 rng(seed);
  auto uni = [&](long long lo, long long hi) {
    return std::uniform_int_distribution<long long>(lo, hi)(rng);
  };
  uint64_t idleUpdates = 0, spikes = 0;
  for (int n = 0; n < 3000; ++n) {
    const CompartmentParams c = randomLifParams(rng, profile);
    ASSERT_TRUE(bool(validateParams(c, profile)));
    const Program program = lifProgram(f, lifResetOf(c));
    ASSERT_TRUE(bool(validateProgram(program, profile)))
        << validateProgram(program, profile).error();
    const std::vector<int64_t> params = lifParamWords(c, f);
    CompartmentState expected;
    int32_t words[3] = {0, 0, 0};
    // Input in the first half only: leaky compartments without bias
    // return to the all-zero state, where the idle skip applies.
    for (int t = 0; t < 100; ++t) {
      const int64_t q = t >= 50 || uni(0, 2) == 0
                            ? 0
                            : uni(-(1ll << 23), 1ll << 23) >> uni(0, 23);
      const bool spiked = updateCompartment(expected, c, q, f);
      const UpdateOutcome got = interpret(program, words, params.data(), q);
      const CompartmentState s = lifStateFromWords(words);
      ASSERT_EQ(got.spiked, spiked)
          << "seed " << seed << " compartment " << n << " step " << t;
      ASSERT_EQ(s, expected)
          << "seed " << seed << " compartment " << n << " step " << t << ": u "
          << s.u << " v " << s.v << " refractory " << int(s.refractoryLeft);
      idleUpdates += got.idle;
      spikes += spiked;
    }
  }
  // The sample must exercise both the idle skip and spiking.
  EXPECT_GT(idleUpdates, 10000u);
  EXPECT_GT(spikes, 2000u);
}

TEST(StandardProgramsTest, LifProgramCostsThePublishedLoihi1Update) {
  const Profile profile = loihi1();
  for (LifReset reset : {LifReset::Zero, LifReset::NoSpike}) {
    const ProgramCost cost =
        programCost(lifProgram(profile.neuron, reset), profile);
    EXPECT_EQ(cost.cycles, 9u);
    EXPECT_DOUBLE_EQ(cost.energyPJ, 81.0); // davies2018 Table 2, active
  }
}

TEST(StandardProgramsTest, Loihi1AcceptsOnlyItsFixedFunctionPrograms) {
  const Profile profile = loihi1();
  EXPECT_TRUE(bool(
      validateProgram(lifProgram(profile.neuron, LifReset::Zero), profile)));
  EXPECT_TRUE(bool(
      validateProgram(lifProgram(profile.neuron, LifReset::NoSpike), profile)));
  // loihi1 has no reset by subtraction; loihi1-nir has.
  const Status sub =
      validateProgram(lifProgram(profile.neuron, LifReset::Subtract), profile);
  ASSERT_FALSE(bool(sub));
  EXPECT_NE(sub.error().find("fixed-function"), std::string::npos)
      << sub.error();
  EXPECT_TRUE(
      bool(validateProgram(lifProgram(profile.neuron, LifReset::Subtract),
                           withSubtraction(profile))));
  // A LIF program for another neuron format is not loihi1's.
  NeuronFormat other = profile.neuron;
  other.accumulatorBits = 20;
  EXPECT_FALSE(
      bool(validateProgram(lifProgram(other, LifReset::Zero), profile)));
}

TEST(StandardProgramsTest, DisassemblyNamesWords) {
  const Profile profile = loihi1();
  const std::string text =
      disassemble(lifProgram(profile.neuron, LifReset::Zero));
  EXPECT_NE(text.find("program lif\n"), std::string::npos) << text;
  EXPECT_NE(text.find("state s0 u: i24 wrap"), std::string::npos) << text;
  EXPECT_NE(text.find("SAT r0, q, #21"), std::string::npos) << text;
  EXPECT_NE(text.find("DECAY r1, s0.u, p0.decayU1, #12"), std::string::npos)
      << text;
  EXPECT_NE(text.find("CLIP r2, r2, p3.vmin, p4.vmax"), std::string::npos)
      << text;
  EXPECT_NE(text.find("FIRE.zero s1.v, r2, p5.threshold"), std::string::npos)
      << text;
  EXPECT_NE(text.find("idle when q, every state word, p2 are 0"),
            std::string::npos)
      << text;
}

} // namespace
