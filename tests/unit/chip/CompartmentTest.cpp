//===- CompartmentTest.cpp - Compartment arithmetic against an oracle -----===//
//
// The oracle below is written from docs/neuron-model.md independently of
// Compartment.h: decay by signed division (C++ '/' truncates toward zero)
// instead of shifts of magnitudes, wrap by modular arithmetic instead of
// masks, bias by multiplication, thresholds by multiplication.
//
//===----------------------------------------------------------------------===//

#include "cajal/Chip/Compartment.h"
#include "TestUtil.h"
#include "cajal/Chip/CompartmentCheck.h"

#include <gtest/gtest.h>

#include <random>

using namespace cajal::chip;
using cajal::Result;
using cajal::chip::test::loihi1;

namespace {

struct OracleState {
  long long u = 0, v = 0;
  int refractoryLeft = 0;
};

long long pow2(unsigned e) {
  long long r = 1;
  for (unsigned i = 0; i < e; ++i)
    r *= 2;
  return r;
}

long long oracleDecay(long long x, long long d, unsigned bits) {
  const long long full = pow2(bits);
  return x * (full - d) / full; // '/' truncates toward zero
}

long long oracleWrap(long long x, unsigned bits) {
  const long long m = pow2(bits), half = pow2(bits - 1);
  long long r = (x + half) % m;
  if (r < 0)
    r += m;
  return r - half;
}

long long clampLL(long long x, long long lo, long long hi) {
  return x < lo ? lo : (x > hi ? hi : x);
}

bool oracleStep(OracleState &s, const CompartmentParams &p, long long q,
                const NeuronFormat &f) {
  const long long qMax = pow2(f.accumulatorBits) - 1;
  const long long qs = clampLL(q, -qMax, qMax);
  s.u = oracleWrap(oracleDecay(s.u, p.decayU + 1, f.decayBits) + qs,
                   f.currentBits);
  long long v = oracleDecay(s.v, p.decayV, f.decayBits) + s.u +
                p.biasMantissa * pow2(p.biasExponent);
  v = clampLL(v, 1 - pow2(p.vminExponent),
              pow2(f.vmaxBase + 2 * p.vmaxExponent) - 1);
  if (s.refractoryLeft > 0) {
    s.v = 0;
    s.refractoryLeft -= 1;
    return false;
  }
  const long long vth = p.thresholdMantissa * pow2(f.thresholdShift);
  if ((p.flags & NoSpike) != 0 || !(v > vth)) {
    s.v = v;
    return false;
  }
  s.v = (p.flags & ResetBySubtraction) ? v - vth : 0;
  s.refractoryLeft = p.refractory;
  return true;
}

class CompartmentTest : public ::testing::Test {
protected:
  Profile profile = loihi1();
  NeuronFormat &f = profile.neuron;
};

TEST_F(CompartmentTest, DecayRoundsNegativeValuesTowardZero) {
  // -5 * 2048 / 4096 = -2.5: toward zero is -2 (flooring would give -3).
  EXPECT_EQ(decay(-5, 2048, 12), -2);
  EXPECT_EQ(decay(5, 2048, 12), 2);
  EXPECT_EQ(decay(-1, 1, 12), 0);
  EXPECT_EQ(decay(-4096, 1, 12), -4095);
  EXPECT_EQ(decay(-7, 4096, 12), 0); // full decay
}

TEST_F(CompartmentTest, EveryDecayValueMatchesOracle) {
  const unsigned seed = 20240611;
  std::mt19937_64 rng(seed);
  std::vector<long long> xs = {0,        1,          -1,         2,     -2,
                               4095,     -4095,      4096,       -4096, 8388607,
                               -8388608, 2147483647, -2147483647};
  std::uniform_int_distribution<long long> any(-(1ll << 31) + 1, 1ll << 31);
  for (int i = 0; i < 40; ++i)
    xs.push_back(any(rng));
  for (unsigned d = 0; d <= 4096; ++d)
    for (long long x : xs)
      ASSERT_EQ(decay(x, d, f.decayBits), oracleDecay(x, d, f.decayBits))
          << "seed " << seed << " x " << x << " d " << d;
}

TEST_F(CompartmentTest, CurrentWrapsAtCurrentBits) {
  ASSERT_EQ(f.currentBits, 24u);
  EXPECT_EQ(wrapSigned((1ll << 23), 24), -(1ll << 23));
  EXPECT_EQ(wrapSigned((1ll << 23) - 1, 24), (1ll << 23) - 1);
  EXPECT_EQ(wrapSigned(-(1ll << 23) - 1, 24), (1ll << 23) - 1);
  // Through the update: u near the top plus a large q wraps to negative.
  CompartmentParams p;
  p.decayU = 0; // decay(u, 1) keeps u * 4095 / 4096
  CompartmentState s;
  s.u = (1 << 23) - 10;
  const long long expected =
      oracleWrap(oracleDecay(s.u, 1, 12) + ((1ll << 21) - 1), 24);
  updateCompartment(s, p, (1ll << 21) - 1, f);
  EXPECT_LT(s.u, 0);
  EXPECT_EQ(s.u, expected);
}

TEST_F(CompartmentTest, InputSaturatesAtAccumulatorBits) {
  CompartmentParams p;
  p.decayU = 4095; // u = q each step
  p.thresholdMantissa = (1u << 17) - 1;
  p.vmaxExponent = 7;
  p.vminExponent = 31;
  CompartmentState s;
  updateCompartment(s, p, 1ll << 40, f);
  EXPECT_EQ(s.u, (1 << 21) - 1);
  updateCompartment(s, p, -(1ll << 40), f);
  EXPECT_EQ(s.u, -((1 << 21) - 1));
}

TEST_F(CompartmentTest, VoltageClipsAtVminAndVmax) {
  CompartmentParams p;
  p.decayV = 0;
  p.flags = NoSpike;
  p.biasMantissa = 4095;
  p.biasExponent = 7;
  p.vmaxExponent = 0; // vmax = 2^9 - 1
  CompartmentState s;
  updateCompartment(s, p, 0, f);
  EXPECT_EQ(s.v, 511);
  p.vmaxExponent = 2; // vmax = 2^13 - 1
  for (int i = 0; i < 3; ++i)
    updateCompartment(s, p, 0, f);
  EXPECT_EQ(s.v, 8191);
  p.biasMantissa = -4095;
  p.vminExponent = 3; // vmin = -7
  updateCompartment(s, p, 0, f);
  EXPECT_EQ(s.v, -7);
  p.vminExponent = 0; // vmin = 0
  updateCompartment(s, p, 0, f);
  EXPECT_EQ(s.v, 0);
}

TEST_F(CompartmentTest, VoltageEqualToThresholdDoesNotSpike) {
  CompartmentParams p;
  p.decayV = 4095;         // v decays to 0 each step for small v: v = bias
  p.thresholdMantissa = 1; // vth = 64
  p.biasMantissa = 64;
  CompartmentState s;
  for (int i = 0; i < 5; ++i)
    EXPECT_FALSE(updateCompartment(s, p, 0, f));
  EXPECT_EQ(s.v, 64);
  p.biasMantissa = 65;
  EXPECT_TRUE(updateCompartment(s, p, 0, f));
  EXPECT_EQ(s.v, 0);
}

TEST_F(CompartmentTest, RefractoryHoldsExactlyTheGivenSteps) {
  for (unsigned ref = f.refractoryMin; ref <= f.refractoryMax; ++ref) {
    CompartmentParams p;
    p.thresholdMantissa = 1;
    p.biasMantissa = 4095; // spikes whenever allowed
    p.refractory = uint8_t(ref);
    CompartmentState s;
    std::vector<int> spikes;
    for (int t = 0; t < 200; ++t) {
      const bool spiked = updateCompartment(s, p, 0, f);
      if (spiked)
        spikes.push_back(t);
      else if (!spikes.empty() && t - spikes.back() <= int(ref)) {
        ASSERT_EQ(s.v, 0) << "refractory " << ref << " step " << t;
      }
    }
    ASSERT_GE(spikes.size(), 2u);
    for (size_t i = 1; i < spikes.size(); ++i)
      ASSERT_EQ(spikes[i] - spikes[i - 1], int(ref) + 1)
          << "refractory " << ref;
  }
}

TEST_F(CompartmentTest, RefractoryStillIntegratesCurrent) {
  CompartmentParams p;
  p.thresholdMantissa = 1;
  p.biasMantissa = 4095;
  p.refractory = 5;
  CompartmentState s;
  ASSERT_TRUE(updateCompartment(s, p, 0, f));
  updateCompartment(s, p, 1000, f);
  EXPECT_EQ(s.v, 0);
  EXPECT_EQ(s.u, oracleDecay(0, 1, 12) + 1000);
  EXPECT_EQ(s.refractoryLeft, 4);
}

TEST_F(CompartmentTest, BiasIsMantissaTimesPowerOfTwo) {
  for (int exp = 0; exp <= int(f.biasExponentMax); ++exp)
    for (int mant : {-4095, -1000, -1, 0, 1, 7, 4095}) {
      CompartmentParams p;
      p.biasMantissa = int16_t(mant);
      p.biasExponent = uint8_t(exp);
      EXPECT_EQ(biasValue(p), mant * pow2(exp));
    }
}

TEST_F(CompartmentTest, ResetBySubtractionKeepsTheExcess) {
  CompartmentParams p;
  p.decayV = 0;
  p.thresholdMantissa = 10; // vth = 640
  p.biasMantissa = 1000;
  p.flags = ResetBySubtraction;
  p.refractory = 1;
  p.vmaxExponent = 2; // vmax 8191 (the default 511 would clip below vth)
  CompartmentState s;
  ASSERT_TRUE(updateCompartment(s, p, 0, f));
  EXPECT_EQ(s.v, 1000 - 640);
  EXPECT_FALSE(updateCompartment(s, p, 0, f)); // refractory step: v held at 0
  EXPECT_EQ(s.v, 0);
}

TEST_F(CompartmentTest, NoSpikeNeverSpikes) {
  CompartmentParams p;
  p.decayV = 0;
  p.thresholdMantissa = 0;
  p.biasMantissa = 100;
  p.flags = NoSpike;
  p.vmaxExponent = 7;
  CompartmentState s;
  for (int t = 1; t <= 50; ++t) {
    ASSERT_FALSE(updateCompartment(s, p, 0, f));
    ASSERT_EQ(s.v, 100 * t);
  }
}

TEST_F(CompartmentTest, RandomTrajectoriesMatchOracle) {
  const unsigned seed = 7;
  std::mt19937_64 rng(seed);
  auto uni = [&](long long lo, long long hi) {
    return std::uniform_int_distribution<long long>(lo, hi)(rng);
  };
  for (int n = 0; n < 2000; ++n) {
    CompartmentParams p;
    p.decayU = uint16_t(uni(0, 4095));
    p.decayV = uint16_t(uni(0, 4095));
    p.biasMantissa = int16_t(uni(-4095, 4095));
    p.biasExponent = uint8_t(uni(0, 7));
    p.refractory = uint8_t(uni(0, 62));
    p.thresholdMantissa = uint32_t(uni(0, (1 << 17) - 1));
    p.vminExponent = uint8_t(uni(0, 31));
    p.vmaxExponent = uint8_t(uni(0, 7));
    p.flags = uint8_t(uni(0, 3));
    ASSERT_TRUE(bool(validateParams(p, [&] {
      Profile q = profile;
      q.neuron.resetBySubtraction = true;
      return q;
    }())));
    CompartmentState s;
    OracleState o;
    for (int t = 0; t < 200; ++t) {
      const long long q = uni(-(1ll << 23), 1ll << 23);
      const bool a = updateCompartment(s, p, q, f);
      const bool b = oracleStep(o, p, q, f);
      ASSERT_EQ(a, b) << "seed " << seed << " neuron " << n << " step " << t;
      ASSERT_EQ(s.u, o.u) << "seed " << seed << " neuron " << n << " step "
                          << t;
      ASSERT_EQ(s.v, o.v) << "seed " << seed << " neuron " << n << " step "
                          << t;
      ASSERT_EQ(s.refractoryLeft, o.refractoryLeft) << "seed " << seed;
    }
  }
}

TEST_F(CompartmentTest, SynapticWeightShiftsByShiftPlusExponent) {
  EXPECT_EQ(synapticWeight(3, 0, 6), 3 * 64);
  EXPECT_EQ(synapticWeight(-3, 2, 6), -3 * 256);
  EXPECT_EQ(synapticWeight(-255, -8, 6), -255 / 4); // toward zero
  EXPECT_EQ(synapticWeight(255, 7, 6), 255ll * 8192);
}

TEST_F(CompartmentTest, ValidateParamsNamesFieldAndValue) {
  CompartmentParams ok;
  EXPECT_TRUE(bool(validateParams(ok, profile)));
  struct Case {
    void (*set)(CompartmentParams &);
    const char *expect;
  };
  const Case cases[] = {
      {[](CompartmentParams &p) { p.decayU = 4096; }, "decayU 4096"},
      {[](CompartmentParams &p) { p.decayV = 5000; }, "decayV 5000"},
      {[](CompartmentParams &p) { p.biasMantissa = -4096; },
       "biasMantissa -4096"},
      {[](CompartmentParams &p) { p.biasExponent = 8; }, "biasExponent 8"},
      {[](CompartmentParams &p) { p.refractory = 63; }, "refractory 63"},
      {[](CompartmentParams &p) { p.thresholdMantissa = 1u << 17; },
       "thresholdMantissa 131072"},
      {[](CompartmentParams &p) { p.vminExponent = 32; }, "vminExponent 32"},
      {[](CompartmentParams &p) { p.vmaxExponent = 8; }, "vmaxExponent 8"},
      {[](CompartmentParams &p) { p.flags = 4; }, "flags 4"},
      {[](CompartmentParams &p) { p.flags = ResetBySubtraction; },
       "ResetBySubtraction is not allowed"},
  };
  for (const Case &c : cases) {
    CompartmentParams p;
    c.set(p);
    const cajal::Status s = validateParams(p, profile);
    ASSERT_FALSE(bool(s)) << c.expect;
    EXPECT_NE(s.error().find(c.expect), std::string::npos) << s.error();
  }
}

} // namespace
