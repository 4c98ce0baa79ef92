//===- RtlNeurocoreTest.cpp - Directed tests of the RTL neurocore ---------===//
//
// Hand-made cores with known answers, run in the Verilated RTL alone: the
// threshold is strict (v == vth does not spike), the refractory hold, the
// synapse decode (sign, weight shift, per-synapse delay through the ring),
// the v clip at vmin, and the profile check of the harness.
//
//===----------------------------------------------------------------------===//
#include "RtlTestSupport.h"
#include "cajal/Rtl/RtlCore.h"

#include <gtest/gtest.h>

using namespace cajal;

namespace {

chip::CompartmentParams quiet() {
  chip::CompartmentParams p;
  p.decayU = 4095; // u = q every step (full decay)
  p.decayV = 4095; // v = floor(v / 4096) + u + bias
  p.refractory = 0;
  p.thresholdMantissa = 1; // vth = 64
  p.vminExponent = 20;
  p.vmaxExponent = 0; // vmax = 511
  return p;
}

} // namespace

TEST(RtlNeurocore, ThresholdIsStrictAndRefractoryHolds) {
  auto profile = rtltest::smallProfile();
  ASSERT_TRUE(profile) << profile.error();
  chip::Core core;
  core.compartments.assign(3, quiet());
  core.compartments[0].biasMantissa = 64; // v == vth every step: no spike
  core.compartments[1].biasMantissa = 65; // v > vth every step
  core.compartments[2].biasMantissa = 65;
  core.compartments[2].refractory = 2; // spike, hold 2 steps, spike, ...
  auto rtl = rtl::RtlCore::create(core, *profile);
  ASSERT_TRUE(rtl) << rtl.error();
  std::vector<std::vector<uint32_t>> spikes;
  for (int t = 0; t < 7; ++t) {
    spikes.push_back((*rtl)->step({}).spikes);
    EXPECT_EQ((*rtl)->state(0).v, 64) << "step " << t;
  }
  const std::vector<std::vector<uint32_t>> expected = {
      {1, 2}, {1}, {1}, {1, 2}, {1}, {1}, {1, 2}};
  EXPECT_EQ(spikes, expected);
}

TEST(RtlNeurocore, SynapseSignShiftAndDelay) {
  auto profile = rtltest::smallProfile();
  ASSERT_TRUE(profile) << profile.error();
  chip::Core core;
  core.compartments.assign(2, quiet());
  for (auto &p : core.compartments) {
    p.flags = chip::NoSpike;
    p.vmaxExponent = 2; // vmax = 2^13 - 1
  }
  chip::InputAxon ax;
  ax.weightBits = 3;
  ax.weightExponent = -2; // weight = mantissa << (shift - 2)
  ax.hasDelay = true;
  chip::packSynapses({{0, -3, 2}, {1, 5, 1}, {1, 7, 3}}, ax, core.synapseWords,
                     profile->synapse);
  core.inputAxons.push_back(ax);
  auto rtl = rtl::RtlCore::create(core, *profile);
  ASSERT_TRUE(rtl) << rtl.error();
  const int64_t unit = int64_t(1) << (profile->synapse.weightShift - 2);
  (*rtl)->step({0});
  EXPECT_EQ((*rtl)->state(0).u, 0);
  EXPECT_EQ((*rtl)->state(1).u, 0);
  (*rtl)->step({});
  EXPECT_EQ((*rtl)->state(1).u, 5 * unit);
  EXPECT_EQ((*rtl)->state(1).v, 5 * unit);
  (*rtl)->step({});
  EXPECT_EQ((*rtl)->state(0).u, -3 * unit);
  EXPECT_EQ((*rtl)->state(0).v, -3 * unit);
  EXPECT_EQ((*rtl)->state(1).u, 0);
  (*rtl)->step({});
  EXPECT_EQ((*rtl)->state(1).u, 7 * unit);
}

// Two spikes a step on the largest weight, positive to compartment 0 and
// negative to compartment 1: q saturates both ways, and u (no decay) grows
// past 2^(currentBits-1) and wraps; compared with Compartment.h.
TEST(RtlNeurocore, QSaturatesAndUWraps) {
  auto profile = rtltest::smallProfile();
  ASSERT_TRUE(profile) << profile.error();
  chip::Core core;
  core.compartments.assign(2, quiet());
  for (auto &p : core.compartments) {
    p.decayU = 0;
    p.flags = chip::NoSpike;
    p.vmaxExponent = 7;
  }
  const int32_t mantissa = (1 << profile->synapse.weightBitsMax) - 1;
  for (uint32_t c = 0; c < 2; ++c) {
    chip::InputAxon ax;
    ax.weightBits = uint8_t(profile->synapse.weightBitsMax);
    ax.weightExponent = int8_t(profile->synapse.weightExponentMax);
    chip::packSynapses({{c, c == 0 ? mantissa : -mantissa, 1}}, ax,
                       core.synapseWords, profile->synapse);
    core.inputAxons.push_back(ax);
  }
  auto rtl = rtl::RtlCore::create(core, *profile);
  ASSERT_TRUE(rtl) << rtl.error();
  const int64_t q =
      2 * chip::synapticWeight(mantissa, profile->synapse.weightExponentMax,
                               profile->synapse.weightShift);
  ASSERT_GT(q, (int64_t(1) << profile->neuron.accumulatorBits) - 1);
  chip::CompartmentState ref[2];
  bool wrapped[2] = {false, false};
  for (uint32_t t = 0; t < 12; ++t) {
    (*rtl)->step({0, 0, 1, 1});
    for (uint32_t c = 0; c < 2; ++c) {
      const int64_t in = t == 0 ? 0 : c == 0 ? q : -q;
      chip::updateCompartment(ref[c], core.compartments[c], in,
                              profile->neuron);
      wrapped[c] |= c == 0 ? ref[c].u < 0 : ref[c].u > 0;
      const chip::CompartmentState got = (*rtl)->state(c);
      EXPECT_EQ(got.u, ref[c].u) << "step " << t << ", compartment " << c;
      EXPECT_EQ(got.v, ref[c].v) << "step " << t << ", compartment " << c;
    }
  }
  EXPECT_TRUE(wrapped[0]);
  EXPECT_TRUE(wrapped[1]);
}

TEST(RtlNeurocore, VClipsAtVmin) {
  auto profile = rtltest::smallProfile();
  ASSERT_TRUE(profile) << profile.error();
  chip::Core core;
  core.compartments.assign(1, quiet());
  core.compartments[0].biasMantissa = -100;
  core.compartments[0].vminExponent = 4; // vmin = -15
  auto rtl = rtl::RtlCore::create(core, *profile);
  ASSERT_TRUE(rtl) << rtl.error();
  (*rtl)->step({});
  EXPECT_EQ((*rtl)->state(0).v, -15);
}

TEST(RtlNeurocore, RejectsAnotherProfile) {
  auto loihi1 = chip::findProfile("loihi1", chip::defaultProfileDir());
  ASSERT_TRUE(loihi1) << loihi1.error();
  auto small = rtltest::smallProfile();
  ASSERT_TRUE(small) << small.error();
  // Both sizes are built; a profile matching neither is refused, and the
  // error names the field against the build of the same name.
  EXPECT_TRUE(rtl::checkRtlProfile(*small));
  EXPECT_TRUE(rtl::checkRtlProfile(*loihi1));
  chip::Profile other = *loihi1;
  other.core.compartments /= 2;
  Status s = rtl::checkRtlProfile(other);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().find("core.compartments is 512"), std::string::npos)
      << s.error();
  EXPECT_NE(s.error().find("(profile 'loihi1')"), std::string::npos)
      << s.error();
  chip::Core core;
  core.compartments.assign(1, quiet());
  EXPECT_FALSE(rtl::RtlCore::create(core, other));
  const auto builds = rtl::RtlCore::builds();
  ASSERT_EQ(builds.size(), 4u);
  EXPECT_EQ(builds[0].profile, small->name);
  EXPECT_EQ(builds[0].compartments, small->core.compartments);
  EXPECT_EQ(builds[1].profile, loihi1->name);
  EXPECT_EQ(builds[1].compartments, loihi1->core.compartments);
  // The programmable build's tables are the profile's isa.* limits.
  auto loihi2 = chip::findProfile("loihi2", chip::defaultProfileDir());
  ASSERT_TRUE(loihi2) << loihi2.error();
  EXPECT_TRUE(rtl::checkRtlProfile(*loihi2));
  EXPECT_EQ(builds[2].profile, loihi2->name);
  EXPECT_EQ(builds[2].instructions, loihi2->isa.maxInstructions);
  EXPECT_EQ(builds[2].registers, loihi2->isa.registers);
  EXPECT_EQ(builds[2].stateWords, loihi2->isa.maxStateWords);
  EXPECT_EQ(builds[2].paramWords, loihi2->isa.maxParamWords);
  EXPECT_EQ(builds[2].constants, loihi2->isa.maxConstants);
  EXPECT_EQ(builds[1].instructions, loihi1->isa.maxInstructions);
  // The tree stack is the profile's isa.stackDepth; the tree build's test
  // profile has one.
  EXPECT_EQ(builds[2].stackDepth, loihi2->isa.stackDepth);
  EXPECT_EQ(builds[0].stackDepth, small->isa.stackDepth);
  EXPECT_EQ(builds[3].profile, "rtl-trees");
  EXPECT_EQ(builds[3].stackDepth, 8u);
  EXPECT_EQ(builds[3].compartments, 64u);
}

TEST(RtlNeurocore, RunsTheLoihi1Build) {
  // The full-size build: the last compartment of 1,024 is reachable.
  auto loihi1 = chip::findProfile("loihi1", chip::defaultProfileDir());
  ASSERT_TRUE(loihi1) << loihi1.error();
  chip::Core core;
  core.compartments.assign(loihi1->core.compartments, quiet());
  core.compartments.back().biasMantissa = -100;
  core.compartments.back().vminExponent = 4; // vmin = -15
  auto rtl = rtl::RtlCore::create(core, *loihi1);
  ASSERT_TRUE(rtl) << rtl.error();
  (*rtl)->step({});
  EXPECT_EQ((*rtl)->state(loihi1->core.compartments - 1).v, -15);
  EXPECT_EQ((*rtl)->state(0).v, 0);
}
