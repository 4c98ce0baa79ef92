//===- RtlTimingTest.cpp - The RTL neurocore's cycles, by hand ------------===//
//
// The micro-architecture of docs/neurocore.md with hand-computed cycle
// counts for the rtl-small build (loihi1 timing: synaptic op 4 cycles,
// active update 9, inactive 6, dispatch 1; input queue of 4): the update
// phase, a queue that fills and holds in_ready low, empty groups, a core
// without compartments; the lockstep check naming a step whose cycles
// differ; and the harness refusing a profile whose timing is not the RTL's.
//
//===----------------------------------------------------------------------===//
#include "RtlTestSupport.h"
#include "cajal/Rtl/Lockstep.h"
#include "cajal/Rtl/RtlCore.h"
#include "cajal/SystemC/Timing.h"

#include <gtest/gtest.h>

using namespace cajal;

namespace {

/// A compartment that stays at rest without input: updated as inactive.
chip::CompartmentParams resting() {
  chip::CompartmentParams p;
  p.decayU = 4095;
  p.decayV = 4095;
  p.thresholdMantissa = 1; // vth = 64
  p.vminExponent = 20;
  p.vmaxExponent = 0;
  return p;
}

/// A compartment whose bias crosses the threshold every step.
chip::CompartmentParams firing() {
  chip::CompartmentParams p = resting();
  p.biasMantissa = 65;
  return p;
}

/// An input axon of `n` zero-weight synapses to compartment 0.
chip::InputAxon zeroGroup(chip::Core &core, const chip::Profile &profile,
                          uint32_t n) {
  chip::InputAxon ax;
  ax.weightBits = 1;
  std::vector<chip::Synapse> syn(n, chip::Synapse{0, 0, 1});
  if (n > 0)
    chip::packSynapses(syn, ax, core.synapseWords, profile.synapse);
  return ax;
}

class RtlTiming : public ::testing::Test {
protected:
  void SetUp() override {
    auto p = rtltest::smallProfile();
    ASSERT_TRUE(p) << p.error();
    profile = *p;
    timing = systemc::timingFor(profile);
    // The numbers below are computed for these.
    ASSERT_EQ(timing.synapticOpCycles, 4u);
    ASSERT_EQ(timing.activeUpdateCycles, 9u);
    ASSERT_EQ(timing.inactiveUpdateCycles, 6u);
    ASSERT_EQ(timing.spikeDispatchCycles, 1u);
    ASSERT_EQ(timing.inputQueueDepth, 4u);
  }
  chip::Profile profile;
  systemc::Timing timing;
};

} // namespace

TEST_F(RtlTiming, ActiveAndInactiveUpdates) {
  chip::Core core;
  core.compartments = {firing(), resting(), firing()};
  auto rtl = rtl::RtlCore::create(core, profile);
  ASSERT_TRUE(rtl) << rtl.error();
  const rtl::RtlStep s = (*rtl)->step({});
  // 9 + 6 + 9 cycles; a spike leaves at the edge ending its update.
  EXPECT_EQ(s.cycles, 24u);
  EXPECT_EQ(s.spikes, (std::vector<uint32_t>{0, 2}));
  EXPECT_EQ(s.spikeCycles, (std::vector<uint64_t>{9, 24}));
}

TEST_F(RtlTiming, FullQueueHoldsInReadyLow) {
  chip::Core core;
  core.compartments = {resting()};
  core.inputAxons.push_back(zeroGroup(core, profile, 2));
  auto rtl = rtl::RtlCore::create(core, profile);
  ASSERT_TRUE(rtl) << rtl.error();
  // Each spike keeps the synapse unit 1 + 2 x 4 = 9 cycles. The first goes
  // straight to it (edge 0), the next four fill the queue (edges 1-4); the
  // sixth waits until the second leaves the queue at edge 9.
  const rtl::RtlStep s = (*rtl)->step({0, 0, 0, 0, 0, 0});
  EXPECT_EQ(s.acceptCycles, (std::vector<uint64_t>{0, 1, 2, 3, 4, 9}));
  EXPECT_EQ(s.cycles, 54u); // six spikes back to back; the update took 6
  EXPECT_TRUE(s.spikes.empty());
  EXPECT_EQ((*rtl)->step({}).cycles, 6u); // an empty step: the update only
}

TEST_F(RtlTiming, EmptyGroupsAndNoCompartments) {
  chip::Core core; // no compartments: the update is done at edge 0
  core.inputAxons.push_back(zeroGroup(core, profile, 0));
  auto rtl = rtl::RtlCore::create(core, profile);
  ASSERT_TRUE(rtl) << rtl.error();
  EXPECT_EQ((*rtl)->step({}).cycles, 0u);
  // An empty group still costs its dispatch cycle.
  const rtl::RtlStep s = (*rtl)->step({0, 0, 0});
  EXPECT_EQ(s.acceptCycles, (std::vector<uint64_t>{0, 1, 2}));
  EXPECT_EQ(s.cycles, 3u);
}

TEST_F(RtlTiming, LockstepNamesACycleDivergence) {
  chip::Core rtlCore;
  rtlCore.compartments = {resting()};
  rtlCore.inputAxons.push_back(zeroGroup(rtlCore, profile, 2));
  chip::Core refCore;
  refCore.compartments = {resting()};
  refCore.inputAxons.push_back(zeroGroup(refCore, profile, 3));
  // Zero weights: the states and spikes agree, only the time differs
  // (1 + 2 x 4 = 9 against 1 + 3 x 4 = 13 cycles).
  auto rep = rtl::runLockstep(rtlCore, refCore, profile, {{}, {0}});
  ASSERT_TRUE(rep) << rep.error();
  ASSERT_TRUE(rep->divergence);
  EXPECT_EQ(rep->divergence->message(),
            "step 1, field cycles: RTL 9, reference 13");
  EXPECT_EQ(rep->rtlCycles, 6u + 9u);
  EXPECT_EQ(rep->referenceCycles, 6u + 13u);
}

TEST_F(RtlTiming, RefusesAProfileWithOtherTiming) {
  chip::Profile slower = profile;
  slower.cost.synapticOpNs = 4.5; // 5 cycles, the RTL was built for 4
  Status s = rtl::checkRtlProfile(slower);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().find("cost.synapticOpNs (in cycles) is 5 but the RTL "
                           "was generated with 4"),
            std::string::npos)
      << s.error();
  chip::Profile deeper = profile;
  deeper.core.inputQueueDepth = 8;
  s = rtl::checkRtlProfile(deeper);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().find("core.inputQueueDepth is 8"), std::string::npos)
      << s.error();
}
