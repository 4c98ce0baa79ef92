//===- CoreLogicLayoutTest.cpp - CoreLogic against the chip functions -----===//
//
// CoreLogic unpacks each synapse group once into one of two layouts (16-bit
// offsets and mantissas with a per-group shift, or 32-bit offsets and exact
// 64-bit weights), splits each group where the accumulator ring wraps, and
// updates compartments with precomputed constants and masks instead of
// branches. These property tests drive it with seeded random cores in both
// layouts and check, step by step, every pending input against a reference
// built from chip::unpackSynapse and chip::synapticWeight, and every state,
// spike, spike cycle and end cycle against chip::updateCompartment.
//
//===----------------------------------------------------------------------===//
#include "SystemCTestUtil.h"

#include "cajal/Chip/Compartment.h"
#include "cajal/Chip/Image.h"
#include "cajal/SystemC/CoreLogic.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

using namespace cajal;
using cajal::systemc::CoreLogic;

namespace {

class Rng {
public:
  explicit Rng(uint64_t seed) : state(seed) {}
  uint64_t below(uint64_t n) { return n ? chip::splitmix64(state++) % n : 0; }
  int64_t between(int64_t lo, int64_t hi) {
    return lo + int64_t(below(uint64_t(hi - lo + 1)));
  }

private:
  uint64_t state;
};

/// Random parameters over the profile's whole ranges; about a third of the
/// compartments have no bias, so that some updates are inactive.
chip::CompartmentParams randomParams(Rng &rng, const chip::NeuronFormat &f) {
  chip::CompartmentParams p;
  p.decayU = uint16_t(rng.below(uint64_t(1) << f.decayBits));
  p.decayV = uint16_t(rng.below(uint64_t(1) << f.decayBits));
  if (rng.below(3) != 0)
    p.biasMantissa =
        int16_t(rng.between(-int64_t(f.biasMantissaMax), f.biasMantissaMax));
  p.biasExponent = uint8_t(rng.below(f.biasExponentMax + 1));
  p.refractory = uint8_t(rng.between(f.refractoryMin, f.refractoryMax));
  p.thresholdMantissa =
      uint32_t(rng.below(uint64_t(1) << f.thresholdMantissaBits));
  p.vminExponent = uint8_t(rng.below(f.vminExponentMax + 1));
  p.vmaxExponent = uint8_t(rng.below(f.vmaxExponentMax + 1));
  p.flags = uint8_t(rng.below(4)); // reset by subtraction, no spike
  return p;
}

/// A core of `comps` random compartments and `axons` random groups.
chip::Core randomCore(Rng &rng, const chip::Profile &profile, uint32_t comps,
                      uint32_t axons) {
  const chip::SynapseFormat &f = profile.synapse;
  chip::Core core;
  for (uint32_t c = 0; c < comps; ++c)
    core.compartments.push_back(randomParams(rng, profile.neuron));
  for (uint32_t a = 0; a < axons; ++a) {
    chip::InputAxon ax;
    ax.weightBits = uint8_t(1 + rng.below(f.weightBitsMax));
    ax.weightExponent =
        int8_t(rng.between(f.weightExponentMin, f.weightExponentMax));
    ax.hasDelay = rng.below(2) == 1;
    std::vector<chip::Synapse> syn(rng.below(40)); // empty groups too
    const int64_t mantMax = (int64_t(1) << ax.weightBits) - 1;
    for (chip::Synapse &s : syn) {
      s.compartment = uint32_t(rng.below(comps));
      s.mantissa = int32_t(rng.between(-mantMax, mantMax));
      s.delay = ax.hasDelay ? uint32_t(rng.between(1, f.maxDelay)) : 1;
    }
    chip::packSynapses(syn, ax, core.synapseWords, f);
    core.inputAxons.push_back(ax);
  }
  return core;
}

/// Run `steps` steps of random input spikes (several per axon and step)
/// through CoreLogic and through the chip functions, comparing everything.
void checkAgainstChip(const chip::Profile &profile, const chip::Core &core,
                      uint64_t seed, uint32_t steps) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  const chip::SynapseFormat &f = profile.synapse;
  const uint32_t n = uint32_t(core.compartments.size());
  CoreLogic logic(core, profile);
  ASSERT_EQ(logic.compartmentCount(), n);
  ASSERT_EQ(logic.inputAxonCount(), core.inputAxons.size());
  uint32_t maxDelay = 1;
  std::vector<std::vector<chip::Synapse>> groups;
  for (const chip::InputAxon &ax : core.inputAxons) {
    groups.emplace_back();
    chip::unpackSynapses(core.synapseWords, ax, f, groups.back());
    for (const chip::Synapse &s : groups.back())
      maxDelay = std::max(maxDelay, s.delay);
  }
  EXPECT_EQ(logic.ringSlots(), maxDelay + 1);
  Rng rng(seed);
  // Input per step and compartment, the rows of past steps erased.
  std::map<uint32_t, std::vector<int64_t>> pending;
  const auto row = [&](uint32_t step) -> std::vector<int64_t> & {
    std::vector<int64_t> &r = pending[step];
    r.resize(n);
    return r;
  };
  std::vector<chip::CompartmentState> ref(n);
  const uint32_t activeCycles = 7, inactiveCycles = 2;
  for (uint32_t t = 0; t < steps; ++t) {
    for (uint32_t k = rng.below(3 * core.inputAxons.size()); k > 0; --k) {
      const uint32_t a = uint32_t(rng.below(core.inputAxons.size()));
      const chip::InputAxon &ax = core.inputAxons[a];
      const CoreLogic::ReadStats rs = logic.receive(t, a);
      ASSERT_EQ(rs.synapses, ax.synapseCount);
      ASSERT_EQ(logic.synapseCount(a), ax.synapseCount);
      ASSERT_EQ(rs.words, ax.synapseCount ? chip::wordsForGroup(ax, f) : 0);
      for (const chip::Synapse &s : groups[a])
        row(t + s.delay)[s.compartment] +=
            chip::synapticWeight(s.mantissa, ax.weightExponent, f.weightShift);
    }
    for (uint32_t d = 1; d <= maxDelay; ++d) {
      const std::vector<int64_t> &in = row(t + d);
      for (uint32_t c = 0; c < n; ++c)
        ASSERT_EQ(logic.pendingInput(t + d, c), in[c])
            << "step " << t << " delay " << d << " compartment " << c;
    }
    std::vector<CoreLogic::Emission> spikes;
    std::vector<uint64_t> ends;
    const CoreLogic::UpdateStats st =
        logic.update(t, activeCycles, inactiveCycles, spikes, &ends);
    std::vector<CoreLogic::Emission> expect;
    std::vector<uint64_t> expectEnds;
    uint64_t cycle = 0;
    uint32_t active = 0;
    const std::vector<int64_t> in = row(t);
    pending.erase(t);
    for (uint32_t c = 0; c < n; ++c) {
      const int64_t q = in[c];
      const bool idle = q == 0 && ref[c] == chip::CompartmentState() &&
                        core.compartments[c].biasMantissa == 0;
      cycle += idle ? inactiveCycles : activeCycles;
      active += !idle;
      expectEnds.push_back(cycle);
      if (!idle && chip::updateCompartment(ref[c], core.compartments[c], q,
                                           profile.neuron))
        expect.push_back({c, cycle});
      ASSERT_EQ(logic.state(c), ref[c]) << "step " << t << " c " << c;
    }
    ASSERT_EQ(st.active, active) << "step " << t;
    ASSERT_EQ(st.inactive, n - active) << "step " << t;
    ASSERT_EQ(st.cycles, cycle) << "step " << t;
    ASSERT_EQ(ends, expectEnds) << "step " << t;
    ASSERT_EQ(spikes.size(), expect.size()) << "step " << t;
    for (size_t i = 0; i < spikes.size(); ++i) {
      EXPECT_EQ(spikes[i].compartment, expect[i].compartment);
      EXPECT_EQ(spikes[i].cycle, expect[i].cycle);
    }
  }
}

TEST(CoreLogicLayoutTest, CompactLayoutMatchesTheChipFunctions) {
  // loihi1: 16-bit offsets (62 x 1024 + 1023 < 2^16), mantissas shifted.
  const chip::Profile &profile = sctest::loihi1();
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    Rng rng(seed);
    const chip::Core core = randomCore(rng, profile, 1 + rng.below(200), 24);
    checkAgainstChip(profile, core, seed, 150);
  }
}

TEST(CoreLogicLayoutTest, WideLayoutMatchesTheChipFunctions) {
  // Offsets past 16 bits (delays up to 62 into 1,200 compartments) and
  // mantissas past 16 bits: the 64-bit layout.
  chip::Profile profile = sctest::loihi1();
  profile.synapse.compartmentIndexBits = 11;
  profile.synapse.weightBitsMax = 20;
  for (uint64_t seed = 11; seed <= 13; ++seed) {
    Rng rng(seed);
    const chip::Core core = randomCore(rng, profile, 1200, 24);
    checkAgainstChip(profile, core, seed, 140);
  }
}

TEST(CoreLogicLayoutTest, RingWrapsAtEverySlot) {
  // One group with every delay 1..maxDelay on two compartments: from each
  // slot of the ring some targets wrap around and some do not.
  const chip::Profile &profile = sctest::loihi1();
  Rng rng(5);
  chip::Core core;
  core.compartments.assign(2, randomParams(rng, profile.neuron));
  std::vector<chip::Synapse> syn;
  for (uint32_t d = 1; d <= profile.synapse.maxDelay; ++d)
    syn.push_back({d % 2, int32_t(d) - 30, d});
  chip::InputAxon ax;
  ax.weightBits = 6;
  ax.hasDelay = true;
  chip::packSynapses(syn, ax, core.synapseWords, profile.synapse);
  core.inputAxons.push_back(ax);
  checkAgainstChip(profile, core, 99, 3 * (profile.synapse.maxDelay + 1));
}

} // namespace
