//===- CoreLogic.cpp - The functional neurocore of the SystemC model ------===//
//
// The synapse unit walks a group's words in memory order: a word holds
// P = floor(wordBits / B) synapses of B bits, least significant first
// (docs/chip-image.md), so each word is read once and shifted B bits per
// synapse. Each weight is chip::synapticWeight of the field's mantissa and
// the group's exponent, added in int64 to the accumulator of step
// t + delay; saturation happens when the compartment reads it, as in the
// golden model, so the order in which spikes arrive cannot change a
// result. The update skips exactly the compartments the golden model skips
// (all-zero state, zero bias, zero input), which leaves them unchanged, and
// counts them as inactive updates.
//
//===----------------------------------------------------------------------===//
#include "cajal/SystemC/CoreLogic.h"

#include <algorithm>

namespace cajal::systemc {

namespace {
uint64_t lowMask(unsigned bits) {
  return bits >= 64 ? ~uint64_t(0) : (uint64_t(1) << bits) - 1;
}
} // namespace

CoreLogic::CoreLogic(const chip::Core &core, const chip::Profile &profile)
    : neuron(profile.neuron), synapse(profile.synapse),
      params(core.compartments), states(core.compartments.size()),
      axons(core.inputAxons), words(core.synapseWords) {
  uint32_t maxDelay = 1;
  for (const chip::InputAxon &a : axons) {
    if (!a.hasDelay)
      continue;
    for (uint32_t i = 0; i < a.synapseCount; ++i)
      maxDelay =
          std::max(maxDelay, chip::unpackSynapse(words, a, i, synapse).delay);
  }
  slots = maxDelay + 1;
  acc.assign(size_t(slots) * params.size(), 0);
}

CoreLogic::UpdateStats CoreLogic::update(uint32_t step, uint32_t activeCycles,
                                         uint32_t inactiveCycles,
                                         std::vector<Emission> &spikes) {
  UpdateStats st;
  int64_t *slot = acc.data() + size_t(step % slots) * params.size();
  for (uint32_t c = 0, n = uint32_t(params.size()); c < n; ++c) {
    chip::CompartmentState &s = states[c];
    const int64_t q = slot[c];
    if ((q | int64_t(s.u) | int64_t(s.v) | int64_t(s.refractoryLeft)) == 0 &&
        params[c].biasMantissa == 0) {
      ++st.inactive;
      st.cycles += inactiveCycles;
      continue;
    }
    slot[c] = 0;
    ++st.active;
    st.cycles += activeCycles;
    if (chip::updateCompartment(s, params[c], q, neuron))
      spikes.push_back({c, st.cycles});
  }
  return st;
}

CoreLogic::ReadStats CoreLogic::receive(uint32_t step, uint32_t axon) {
  const chip::InputAxon &a = axons[axon];
  ReadStats rs;
  if (a.synapseCount == 0)
    return rs;
  const unsigned bits = chip::synapseBits(a, synapse);
  const unsigned perWord = chip::synapsesPerWord(a, synapse);
  const unsigned cib = synapse.compartmentIndexBits;
  const uint64_t fieldMask = lowMask(bits), indexMask = lowMask(cib);
  const uint64_t weightMask = lowMask(a.weightBits);
  const uint64_t delayMask = lowMask(synapse.delayBits);
  const unsigned delayAt = cib + 1 + a.weightBits;
  const size_t n = params.size();
  uint32_t left = a.synapseCount;
  for (uint32_t w = a.firstWord; left > 0; ++w) {
    uint64_t word = words[w]; // one synapse-memory read
    ++rs.words;
    for (unsigned k = 0; k < perWord && left > 0; ++k, --left) {
      const uint64_t field = word & fieldMask;
      word = bits >= 64 ? 0 : word >> bits;
      const uint32_t target = uint32_t(field & indexMask);
      const int32_t magnitude = int32_t((field >> (cib + 1)) & weightMask);
      const int32_t mantissa = (field >> cib) & 1 ? -magnitude : magnitude;
      const uint32_t delay =
          a.hasDelay ? uint32_t((field >> delayAt) & delayMask) : 1;
      const size_t at = size_t((step + delay) % slots) * n + target;
      acc[at] += chip::synapticWeight(mantissa, a.weightExponent,
                                      synapse.weightShift);
      ++rs.synapses;
    }
  }
  return rs;
}

} // namespace cajal::systemc
