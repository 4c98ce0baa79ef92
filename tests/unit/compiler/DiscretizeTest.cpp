//===- DiscretizeTest.cpp - Discretisation and quantisation numbers ------===//
//
// Each expected value is computed by hand from the formulas in
// docs/mapping.md (exp(-0.05) = 0.951229424500714, exp(-0.2) =
// 0.818730753077982) and the loihi1 profile.
//
//===----------------------------------------------------------------------===//
#include "cajal/Mapping/Discretize.h"
#include "cajal/Mapping/Quantize.h"

#include "TestUtil.h"

#include <cmath>

using namespace cajal;
using namespace cajal::mapping;

namespace {

constexpr double kMs = 1e-3;
constexpr double kGMem = 0.048770575499286; // 1 - exp(-1/20)
constexpr double kGSyn = 0.181269246922018; // 1 - exp(-1/5)

TEST(DiscretizeTest, ParsesModelNames) {
  EXPECT_EQ(parseNeuronModel("cuba_lif"), NeuronModel::CubaLIF);
  EXPECT_EQ(parseNeuronModel("li"), NeuronModel::LI);
  EXPECT_FALSE(parseNeuronModel("adex").has_value());
  EXPECT_STREQ(neuronModelName(NeuronModel::IF), "if");
}

TEST(DiscretizeTest, LifExactExponential) {
  ContinuousParams c;
  c.tauMem = 20 * kMs;
  c.vTh = 1.0;
  c.vReset = -0.5;
  c.vLeak = 0.0;
  c.r = 2.0;
  c.tRef = 2 * kMs;
  auto d = discretize(NeuronModel::LIF, c, 1 * kMs);
  ASSERT_TRUE(d) << d.error();
  EXPECT_NEAR(d->decayV, kGMem, 1e-12);
  EXPECT_EQ(d->decayU, 1.0);
  EXPECT_NEAR(d->inputScale, 2.0 * kGMem, 1e-12);
  EXPECT_NEAR(d->vTh, 1.5, 1e-12);          // shifted by v_reset
  EXPECT_NEAR(d->bias, 0.5 * kGMem, 1e-12); // (v_leak - v_reset) g
  EXPECT_EQ(d->refractory, 2u);
  EXPECT_DOUBLE_EQ(d->vOffset, -0.5);
  EXPECT_TRUE(d->spiking);
}

TEST(DiscretizeTest, CubaLifMultipliesBothGains) {
  ContinuousParams c;
  c.tauMem = 20 * kMs;
  c.tauSyn = 5 * kMs;
  c.wIn = 3.0;
  auto d = discretize(NeuronModel::CubaLIF, c, 1 * kMs);
  ASSERT_TRUE(d) << d.error();
  EXPECT_NEAR(d->decayU, kGSyn, 1e-12);
  EXPECT_NEAR(d->decayV, kGMem, 1e-12);
  EXPECT_NEAR(d->inputScale, 3.0 * kGMem * kGSyn, 1e-12);
}

TEST(DiscretizeTest, EulerAndIf) {
  ContinuousParams c;
  c.tauMem = 20 * kMs;
  auto e =
      discretize(NeuronModel::LIF, c, 1 * kMs, DiscretizeMethod::ForwardEuler);
  ASSERT_TRUE(e);
  EXPECT_NEAR(e->decayV, 0.05, 1e-15);
  EXPECT_NEAR(e->inputScale, 0.05, 1e-15);
  c.r = 2.0;
  c.bias = 4.0;
  auto i = discretize(NeuronModel::IF, c, 1 * kMs);
  ASSERT_TRUE(i);
  EXPECT_EQ(i->decayV, 0.0);
  EXPECT_NEAR(i->inputScale, 0.002, 1e-15);
  EXPECT_NEAR(i->bias, 0.008, 1e-15);
  auto li = discretize(NeuronModel::LI, c, 1 * kMs);
  ASSERT_TRUE(li);
  EXPECT_FALSE(li->spiking);
}

TEST(DiscretizeTest, RejectsBadParameters) {
  ContinuousParams c;
  c.tauMem = -1 * kMs;
  auto d = discretize(NeuronModel::LIF, c, 1 * kMs);
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().find("tau_mem = -0.001"), std::string::npos) << d.error();
  c.tauMem = 20 * kMs;
  auto z = discretize(NeuronModel::CubaLIF, c, 1 * kMs); // tau_syn = 0
  ASSERT_FALSE(z);
  EXPECT_NE(z.error().find("tau_syn"), std::string::npos);
  auto dt = discretize(NeuronModel::LIF, c, 0.0);
  ASSERT_FALSE(dt);
  EXPECT_NE(dt.error().find("dt = 0"), std::string::npos);
  c.vTh = -1.0;
  auto th = discretize(NeuronModel::LIF, c, 1 * kMs);
  ASSERT_FALSE(th);
  EXPECT_NE(th.error().find("v_threshold"), std::string::npos);
}

TEST(QuantizeTest, DecayCodes) {
  const chip::NeuronFormat f = mapping::test::loihi1().neuron;
  EXPECT_EQ(quantizeDecayV(kGMem, f), 200); // round(199.77)
  EXPECT_EQ(quantizeDecayU(kGSyn, f), 741); // round(742.48) - 1
  EXPECT_EQ(quantizeDecayU(1.0, f), 4095);  // full decay
  EXPECT_EQ(quantizeDecayV(1.0, f), 4095);  // clamped
  EXPECT_EQ(quantizeDecayV(0.0, f), 0);
  EXPECT_EQ(quantizeDecayU(0.0, f), 0);
}

TEST(QuantizeTest, BiasUsesSmallestExponent) {
  const chip::NeuronFormat f = mapping::test::loihi1().neuron;
  BiasCode b = quantizeBias(10000, f);
  EXPECT_EQ(b.mantissa, 2500);
  EXPECT_EQ(b.exponent, 2);
  b = quantizeBias(-123.4, f);
  EXPECT_EQ(b.mantissa, -123);
  EXPECT_EQ(b.exponent, 0);
  b = quantizeBias(1e9, f); // saturates
  EXPECT_EQ(b.mantissa, 4095);
  EXPECT_EQ(b.exponent, 7);
}

TEST(QuantizeTest, PopulationScaleBounds) {
  const chip::Profile p = mapping::test::loihi1();
  // Threshold bound: min((2^17-1) << 6, 2^23-1) / 2^3 = 8388544 / 8.
  auto s = choosePopulationScale({1.0, 0.0, 0.0}, p);
  ASSERT_TRUE(s);
  EXPECT_DOUBLE_EQ(*s, 1048568.0);
  // Weight bound: 255 << 13 = 2088960 per unit of weight.
  s = choosePopulationScale({1.0, 0.0, 10.0}, p);
  ASSERT_TRUE(s);
  EXPECT_DOUBLE_EQ(*s, 208896.0);
  // Bias bound: 4095 << 7 = 524160.
  s = choosePopulationScale({1.0, 2.0, 0.0}, p);
  ASSERT_TRUE(s);
  EXPECT_DOUBLE_EQ(*s, 262080.0);
  EXPECT_FALSE(choosePopulationScale({-1.0, 0.0, 0.0}, p));
}

TEST(QuantizeTest, NeuronParams) {
  chip::Profile p = mapping::test::loihi1();
  p.neuron.refractoryMin = 1; // so that refractory 0 must be raised
  DiscreteParams d;
  d.decayU = kGSyn;
  d.decayV = kGMem;
  d.vTh = 1.5;
  d.bias = 0.01;
  d.refractory = 0;
  std::vector<std::string> notes;
  auto c = quantizeNeuron(d, 4096.0, p, &notes);
  ASSERT_TRUE(c) << c.error();
  EXPECT_EQ(c->decayU, 741);
  EXPECT_EQ(c->decayV, 200);
  EXPECT_EQ(c->thresholdMantissa, 96u); // 1.5 * 4096 / 64
  EXPECT_EQ(c->biasMantissa, 41);       // round(40.96)
  EXPECT_EQ(c->biasExponent, 0);
  EXPECT_EQ(c->refractory, 1); // raised to the profile minimum
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("refractory 0"), std::string::npos);
  EXPECT_EQ(c->vmaxExponent, p.neuron.vmaxExponentMax);
  EXPECT_EQ(c->flags, 0);
  d.refractory = 2;
  notes.clear();
  auto r = quantizeNeuron(d, 4096.0, p, &notes);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->refractory, 2);
  EXPECT_TRUE(notes.empty());
  d.reset = ResetMode::Subtract;
  auto sub = quantizeNeuron(d, 4096.0, p);
  ASSERT_FALSE(sub);
  EXPECT_NE(sub.error().find("loihi1"), std::string::npos);
  d.reset = ResetMode::Zero;
  d.spiking = false;
  auto li = quantizeNeuron(d, 4096.0, p);
  ASSERT_TRUE(li);
  EXPECT_EQ(li->flags & chip::NoSpike, chip::NoSpike);
}

TEST(QuantizeTest, WeightExponentAndMantissas) {
  const chip::Profile p = mapping::test::loihi1();
  // largest = 1 * 1 * 1000 integer units: 1000 / 2^(6-4) = 250 <= 255.
  auto w = chooseWeightScale(1.0, 1.0, 1000.0, p);
  ASSERT_TRUE(w) << w.error();
  EXPECT_EQ(w->exponent, -4);
  EXPECT_DOUBLE_EQ(w->factor, 250.0);
  EXPECT_EQ(quantizeWeight(0.5, *w, p), 125);
  EXPECT_EQ(quantizeWeight(-1.0, *w, p), -250);
  EXPECT_EQ(quantizeWeight(2.0, *w, p), 255); // clamped
  EXPECT_DOUBLE_EQ(dequantizeWeight(125, *w), 0.5);
  // 0.5 and 1 are exact; 0.001 rounds to 0: error = 0.001 / |w|.
  const std::vector<double> ws = {0.5, 1.0, 0.001};
  const double norm = std::sqrt(0.25 + 1.0 + 1e-6);
  EXPECT_NEAR(relativeQuantizationError(ws, *w, p), 0.001 / norm, 1e-12);
  EXPECT_EQ(relativeQuantizationError({0.0}, *w, p), 0.0);
  // Too large for the largest exponent.
  auto big = chooseWeightScale(1e9, 1.0, 1.0, p);
  ASSERT_FALSE(big);
  EXPECT_NE(big.error().find("loihi1"), std::string::npos);
}

TEST(QuantizeTest, WeightBits) {
  EXPECT_EQ(weightBitsFor(0), 1u);
  EXPECT_EQ(weightBitsFor(1), 1u);
  EXPECT_EQ(weightBitsFor(2), 2u);
  EXPECT_EQ(weightBitsFor(255), 8u);
  EXPECT_EQ(weightBitsFor(256), 9u);
}

} // namespace
