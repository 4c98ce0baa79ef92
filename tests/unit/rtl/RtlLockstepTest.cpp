//===- RtlLockstepTest.cpp - RTL neurocore vs SystemC CoreLogic -----------===//
//
// Seeded random single-core configurations run in lockstep (every
// compartment's u, v, refractory and the spiking set after every step), and
// checks that the lockstep finds and names an injected difference.
//
//===----------------------------------------------------------------------===//
#include "RtlTestSupport.h"
#include "cajal/Rtl/Lockstep.h"

#include <gtest/gtest.h>

using namespace cajal;

namespace {

chip::Core fiveBiased() {
  chip::Core core;
  chip::CompartmentParams p;
  p.decayU = 0;
  p.decayV = 100;
  p.biasMantissa = 10;
  p.refractory = 1;
  p.thresholdMantissa = 1000;
  p.vminExponent = 10;
  p.vmaxExponent = 3;
  core.compartments.assign(5, p);
  return core;
}

} // namespace

class RtlLockstepShard : public ::testing::TestWithParam<uint64_t> {};

// 4 shards x 25 seeds x 100 steps (the 1,000-configuration run is the
// rtl.lockstep-1000 ctest of rtl-lockstep).
TEST_P(RtlLockstepShard, MatchesCoreLogic) {
  auto profile = rtltest::smallProfile();
  ASSERT_TRUE(profile) << profile.error();
  for (uint64_t seed = GetParam() * 25 + 1; seed <= GetParam() * 25 + 25;
       ++seed) {
    const chip::Core core = rtltest::randomCore(*profile, seed);
    const auto inputs =
        rtltest::randomInputs(seed, uint32_t(core.inputAxons.size()), 100);
    auto rep = rtl::runLockstep(core, core, *profile, inputs);
    ASSERT_TRUE(rep) << "seed " << seed << ": " << rep.error();
    ASSERT_FALSE(rep->divergence)
        << "seed " << seed << ": " << rep->divergence->message();
    EXPECT_EQ(rep->steps, 100u) << "seed " << seed;
    EXPECT_EQ(rep->stateChecks, 100u * core.compartments.size());
    EXPECT_EQ(rep->rtlCycles, rep->referenceCycles) << "seed " << seed;
  }
}
INSTANTIATE_TEST_SUITE_P(Seeds, RtlLockstepShard,
                         ::testing::Range<uint64_t>(0, 4));

TEST(RtlLockstep, NamesTheFirstStateDivergence) {
  auto profile = rtltest::smallProfile();
  ASSERT_TRUE(profile) << profile.error();
  const chip::Core rtlCore = fiveBiased();
  chip::Core refCore = rtlCore;
  refCore.compartments[3].biasMantissa = 11;
  auto rep = rtl::runLockstep(rtlCore, refCore, *profile, {{}, {}});
  ASSERT_TRUE(rep) << rep.error();
  ASSERT_TRUE(rep->divergence);
  EXPECT_EQ(rep->divergence->message(),
            "step 0, compartment 3, field v: RTL 10, reference 11");
}

TEST(RtlLockstep, NamesASpikeDivergence) {
  auto profile = rtltest::smallProfile();
  ASSERT_TRUE(profile) << profile.error();
  const chip::Core rtlCore = fiveBiased();
  chip::Core refCore = rtlCore;
  refCore.compartments[2].thresholdMantissa = 0; // v = 10 > 0: spikes
  auto rep = rtl::runLockstep(rtlCore, refCore, *profile, {{}});
  ASSERT_TRUE(rep) << rep.error();
  ASSERT_TRUE(rep->divergence);
  EXPECT_EQ(rep->divergence->message(),
            "step 0, compartment 2, field spike: RTL 0, reference 1");
}

TEST(RtlLockstep, RejectsAnAxonOutOfRange) {
  auto profile = rtltest::smallProfile();
  ASSERT_TRUE(profile) << profile.error();
  auto rep = rtl::runLockstep(fiveBiased(), fiveBiased(), *profile, {{0}});
  ASSERT_FALSE(rep);
  EXPECT_NE(rep.error().find("input axon 0 out of range"), std::string::npos)
      << rep.error();
}
