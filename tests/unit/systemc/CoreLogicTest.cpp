//===- CoreLogicTest.cpp - The functional neurocore of the SystemC model --===//
//
// The synapse unit must decode the packed words exactly as
// chip::unpackSynapse does and add chip::synapticWeight into the slot of
// step + delay; the update unit must follow chip::updateCompartment and
// report each spike at the cumulative cycle of its compartment.
//
//===----------------------------------------------------------------------===//
#include "SystemCTestUtil.h"
#include "cajal/ImageGen/ImageBuilder.h"

#include "cajal/Chip/Compartment.h"
#include "cajal/SystemC/CoreLogic.h"

#include <gtest/gtest.h>

#include <map>

using namespace cajal;
using cajal::systemc::CoreLogic;

namespace {

chip::CompartmentParams quiet() {
  chip::CompartmentParams p;
  p.thresholdMantissa = 1000;
  p.vmaxExponent = 7;
  p.vminExponent = 20;
  return p;
}

TEST(CoreLogicTest, ReceiveDecodesEveryFormatLikeUnpackSynapse) {
  const chip::Profile &profile = sctest::loihi1();
  const chip::SynapseFormat &f = profile.synapse;
  imagegen::ImageBuilder b(profile);
  const uint32_t comps = 40;
  b.addCore(std::vector<chip::CompartmentParams>(comps, quiet()));
  struct Shape {
    uint8_t bits;
    int8_t exponent;
    bool delay;
  };
  const Shape shapes[] = {{1, 0, false},  {8, 7, true},   {3, -8, true},
                          {5, -3, false}, {8, -7, false}, {2, 4, true}};
  uint64_t state = 7;
  for (const Shape &s : shapes) {
    std::vector<chip::Synapse> syn(13 + s.bits);
    for (chip::Synapse &x : syn) {
      const uint64_t r = chip::splitmix64(state++);
      const int32_t mantMax = (1 << s.bits) - 1;
      x.compartment = uint32_t(r % comps);
      x.mantissa = int32_t((r >> 16) % (2 * mantMax + 1)) - mantMax;
      x.delay = s.delay ? 1 + uint32_t((r >> 32) % f.maxDelay) : 1;
    }
    b.addInputAxon(0, syn, s.bits, s.exponent, s.delay);
  }
  const chip::Core core = b.build().cores[0];
  const uint32_t step = 1000;
  for (uint32_t a = 0; a < core.inputAxons.size(); ++a) {
    SCOPED_TRACE("axon " + std::to_string(a));
    CoreLogic logic(core, profile);
    const CoreLogic::ReadStats rs = logic.receive(step, a);
    const chip::InputAxon &ax = core.inputAxons[a];
    EXPECT_EQ(rs.synapses, ax.synapseCount);
    EXPECT_EQ(rs.words, chip::wordsForGroup(ax, f));
    std::map<std::pair<uint32_t, uint32_t>, int64_t> expect;
    for (uint32_t i = 0; i < ax.synapseCount; ++i) {
      const chip::Synapse s = chip::unpackSynapse(core.synapseWords, ax, i, f);
      expect[{s.delay, s.compartment}] +=
          chip::synapticWeight(s.mantissa, ax.weightExponent, f.weightShift);
    }
    for (uint32_t d = 1; d < logic.ringSlots(); ++d)
      for (uint32_t c = 0; c < comps; ++c) {
        auto it = expect.find({d, c});
        EXPECT_EQ(logic.pendingInput(step + d, c),
                  it == expect.end() ? 0 : it->second)
            << "delay " << d << " compartment " << c;
      }
  }
}

TEST(CoreLogicTest, UpdateFollowsTheArithmeticAndTimesEachSpike) {
  const chip::Profile &profile = sctest::loihi1();
  imagegen::ImageBuilder b(profile);
  std::vector<chip::CompartmentParams> params(6, quiet());
  params[1].biasMantissa = 600; // v = 600, 1200, ... > vth = 64000 later
  params[1].biasExponent = 5;   // 19200 per step: spikes at step 3
  params[3].biasMantissa = -5;  // active, never spikes
  params[4].biasMantissa = 2000;
  params[4].biasExponent = 7; // 256000 > 64000: spikes every other step
  b.addCore(params);
  const chip::Core core = b.build().cores[0];
  CoreLogic logic(core, profile);
  std::vector<chip::CompartmentState> ref(params.size());
  const uint32_t active = 9, inactive = 6;
  size_t fired = 0;
  for (uint32_t t = 0; t < 8; ++t) {
    std::vector<CoreLogic::Emission> spikes;
    const CoreLogic::UpdateStats st = logic.update(t, active, inactive, spikes);
    std::vector<CoreLogic::Emission> expect;
    uint64_t cycle = 0;
    uint32_t act = 0;
    for (uint32_t c = 0; c < params.size(); ++c) {
      const bool idle =
          ref[c] == chip::CompartmentState() && params[c].biasMantissa == 0;
      cycle += idle ? inactive : active;
      act += !idle;
      if (!idle &&
          chip::updateCompartment(ref[c], params[c], 0, profile.neuron))
        expect.push_back({c, cycle});
      EXPECT_EQ(logic.state(c), ref[c]) << "step " << t << " c " << c;
    }
    EXPECT_EQ(st.active, act);
    EXPECT_EQ(st.inactive, params.size() - act);
    EXPECT_EQ(st.cycles, cycle);
    ASSERT_EQ(spikes.size(), expect.size()) << "step " << t;
    fired += spikes.size();
    for (size_t i = 0; i < spikes.size(); ++i) {
      EXPECT_EQ(spikes[i].compartment, expect[i].compartment);
      EXPECT_EQ(spikes[i].cycle, expect[i].cycle);
    }
  }
  EXPECT_GE(fired, 5u); // compartment 4 every other step, 1 at step 3
  EXPECT_EQ(logic.state(0), chip::CompartmentState()); // never touched
}

} // namespace
