//===- CoreLogic.cpp - The functional neurocore of the SystemC model ------===//
//
// The synapse unit walks a group's words in memory order: a word holds
// P = floor(wordBits / B) synapses of B bits, least significant first
// (docs/chip-image.md), so each word is read once and shifted B bits per
// synapse. Each weight is the field's mantissa shifted as
// chip::synapticWeight shifts it (magnitude << (shift + exponent), or >>
// for a negative total, then the sign), added in int64 to the accumulator
// of step
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
                                         std::vector<Emission> &spikes,
                                         std::vector<uint64_t> *ends) {
  UpdateStats st;
  int64_t *slot = acc.data() + size_t(step % slots) * params.size();
  for (uint32_t c = 0, n = uint32_t(params.size()); c < n; ++c) {
    chip::CompartmentState &s = states[c];
    const int64_t q = slot[c];
    if ((q | int64_t(s.u) | int64_t(s.v) | int64_t(s.refractoryLeft)) == 0 &&
        params[c].biasMantissa == 0) {
      ++st.inactive;
      st.cycles += inactiveCycles;
    } else {
      slot[c] = 0;
      ++st.active;
      st.cycles += activeCycles;
      if (chip::updateCompartment(s, params[c], q, neuron))
        spikes.push_back({c, st.cycles});
    }
    if (ends)
      ends->push_back(st.cycles);
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
  const unsigned shiftBits = bits < 64 ? bits : 0; // P = 1 when B = 64
  const unsigned cib = synapse.compartmentIndexBits;
  const uint64_t fieldMask = lowMask(bits), indexMask = lowMask(cib);
  const uint64_t weightMask = lowMask(a.weightBits);
  const uint64_t delayMask = lowMask(synapse.delayBits);
  const unsigned delayAt = cib + 1 + a.weightBits;
  const int total = int(synapse.weightShift) + a.weightExponent;
  const size_t n = params.size();
  // Slot of step + delay: base + delay * n, less the ring when past its end.
  const size_t base = size_t(step % slots) * n;
  const size_t ring = size_t(slots) * n;
  int64_t *accs = acc.data();
  uint32_t left = a.synapseCount;
  for (uint32_t w = a.firstWord; left > 0; ++w) {
    uint64_t word = words[w]; // one synapse-memory read
    ++rs.words;
    const uint32_t here = left < perWord ? left : perWord;
    for (uint32_t k = 0; k < here; ++k) {
      const uint64_t field = word & fieldMask;
      word >>= shiftBits;
      const int64_t magnitude = int64_t((field >> (cib + 1)) & weightMask);
      const int64_t shifted =
          total >= 0 ? magnitude << total : magnitude >> -total;
      const uint64_t delay = a.hasDelay ? (field >> delayAt) & delayMask : 1;
      size_t at = base + delay * n + (field & indexMask);
      at = at >= ring ? at - ring : at;
      accs[at] += (field >> cib) & 1 ? -shifted : shifted;
    }
    left -= here;
    rs.synapses += here;
  }
  return rs;
}

} // namespace cajal::systemc
