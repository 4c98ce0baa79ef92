//===- CoreLogic.cpp - The functional neurocore of the SystemC model ------===//
//
// Construction does the decoding once. Each input axon's group is unpacked
// from the packed synapse words (chip::unpackSynapses, the image format of
// docs/chip-image.md) into targets: offset = delay * N + compartment and a
// weight, sorted by offset. Where every offset fits 16 bits and every
// weight is a 16-bit mantissa times 2^shift of its group (or, for a negative
// total shift, a small exact weight), a target takes 4 bytes, within 2x of
// the packed words: the synapse unit is bound by memory, as spikes reach
// random axons. Other cores keep exact 64-bit weights. A spike of step t
// then adds each weight to acc[(t % S) * N + offset], S the ring's slots:
// because the offsets are sorted, the targets that pass the ring's end are
// a suffix, and a table per axon and slot gives where it starts, so the
// synapse unit is two loops of one load and one add each. Accumulators are
// int64 and saturated only when the compartment reads them, as in the golden
// model, so neither the order of spikes nor that of a group's synapses can
// change a result. `receive` still reports the words the packed group
// occupies (chip::wordsForGroup): the RTL and the power model count them.
//
// The update is chip::updateCompartment with each compartment's constants
// precomputed (bias, clip bounds, threshold, decay scales) and its branches
// turned into masks. It runs for every compartment: on an inactive one
// (all-zero state, zero bias, zero input) it leaves the state unchanged
// (u = 0, v = clip(0) = 0, no spike, since vmin <= 0 <= vmax and the
// threshold >= 0), so only the cycle count tells the two apart. Spikes are
// written to a scratch array at the running spike count, without a branch.
//
// A core with compartments outside the LIF family, or with dendritic trees,
// updates compartment by compartment: LIF ones as above, the others with
// chip::interpret on their state and parameter words (a tree's on one stack,
// reading its root's last spike as bap), an active update taking its
// program's chip::programCost cycles and energy, an idle one (the program's
// idle rule) the inactive update's. Only a tree's root spikes.
//
//===----------------------------------------------------------------------===//
#include "cajal/SystemC/CoreLogic.h"

#include "cajal/Chip/CompartmentPrograms.h"
#include "cajal/Chip/NeurocoreInterpreter.h"
#include "cajal/Chip/StandardPrograms.h"

#include <algorithm>
#include <limits>

namespace cajal::systemc {

namespace {

/// chip::decay for |x| <= 2^31 and 0 <= scale <= 2^bits: one exact
/// unsigned product of the magnitude, the sign restored after the shift
/// (rounds toward zero). Masks instead of branches: the sign of u and v
/// is unpredictable.
inline int64_t decayTowardZero(int64_t x, uint64_t scale, unsigned bits) {
  const int64_t sign = x >> 63; // 0 or -1
  const uint64_t magnitude = uint64_t((x ^ sign) - sign);
  const int64_t m = int64_t((magnitude * scale) >> bits);
  return (m ^ sign) - sign;
}

struct UpdateTotals {
  uint32_t active = 0, spikes = 0;
};

/// The cycle at which compartment c's update ends, `active` of [0, c]
/// having been active.
inline uint64_t endCycle(uint32_t c, uint64_t active, uint64_t activeCycles,
                         uint64_t inactiveCycles) {
  return active * activeCycles + (c + 1 - active) * inactiveCycles;
}

/// Update compartments [0, n): the arithmetic of chip::updateCompartment
/// with constants `k` and core-wide constants `nc`. Every compartment's
/// slot is cleared. Spikes go to `out` (room for n) with, in place of the
/// cycle, the number of active compartments up to theirs (fewer live
/// registers in the loop); end cycles go to `ends` when RecordEnds.
template <bool RecordEnds, typename Constants, typename Neuron>
UpdateTotals updateAll(chip::CompartmentState *states, const Constants *k,
                       const Neuron &nc, int64_t *slot, uint32_t n,
                       uint64_t activeCycles, uint64_t inactiveCycles,
                       CoreLogic::Emission *out, uint64_t *ends) {
  UpdateTotals t;
  const int64_t limit = nc.accLimit, half = nc.wrapHalf, mask = nc.wrapMask;
  const unsigned bits = nc.decayBits;
  for (uint32_t c = 0; c < n; ++c) {
    chip::CompartmentState &s = states[c];
    const auto &p = k[c];
    const int64_t q = slot[c];
    const int32_t u0 = s.u, v0 = s.v;
    const uint32_t r0 = s.refractoryLeft;
    const bool idle =
        (q | int64_t(u0) | int64_t(v0) | int64_t(r0) | p.bias) == 0;
    slot[c] = 0;
    const int64_t qs = std::min(std::max(q, -limit), limit);
    const int64_t u =
        ((decayTowardZero(u0, p.scaleU, bits) + qs + half) & mask) - half;
    const int64_t v =
        std::min(std::max(decayTowardZero(v0, p.scaleV, bits) + u + p.bias,
                          int64_t(p.vmin)),
                 int64_t(p.vmax));
    // Masks, not selects: GCC turns the selects into branches, and spikes
    // and refractory periods come unpredictably.
    const int64_t awake = -int64_t(r0 == 0);
    const int64_t fire = awake & -int64_t(v > p.fireAbove);
    s.u = int32_t(u);
    const int64_t keep = -int64_t(p.resetBySubtraction);
    s.v = int32_t((fire & (v - p.fireAbove) & keep) | (~fire & awake & v));
    s.refractoryLeft = uint8_t((uint32_t(fire) & p.refractory) |
                               (~uint32_t(fire) & (r0 - (r0 != 0))));
    t.active += !idle;
    out[t.spikes] = {c, t.active};
    t.spikes += uint32_t(fire & 1);
    if (RecordEnds)
      ends[c] = endCycle(c, t.active, activeCycles, inactiveCycles);
  }
  return t;
}

/// Add a group's weights, each shifted left by `shift`: targets [0, split)
/// land at base + offset, the rest (larger offsets) past the ring's end,
/// so at offset - (ring - base).
template <typename Target>
inline void addTargets(const Target *t, uint32_t split, uint32_t count,
                       unsigned shift, int64_t *acc, size_t base, size_t ring) {
  int64_t *here = acc + base;
  for (uint32_t i = 0; i < split; ++i)
    here[t[i].offset] += int64_t(uint64_t(int64_t(t[i].weight)) << shift);
  const size_t back = ring - base;
  for (uint32_t i = split; i < count; ++i)
    acc[t[i].offset - back] += int64_t(uint64_t(int64_t(t[i].weight)) << shift);
}

template <typename T> bool fits(int64_t v) {
  return v >= std::numeric_limits<T>::min() &&
         v <= std::numeric_limits<T>::max();
}

/// Energy of one active LIF update: the LIF program's cost (every reset
/// mode has the same instructions).
double lifUpdateEnergy(const chip::Profile &profile) {
  return chip::programCost(
             chip::lifProgram(profile.neuron, chip::LifReset::Zero), profile)
      .energyPJ;
}

} // namespace

CoreLogic::CoreLogic(const chip::Core &core, const chip::Profile &profile)
    : states(core.compartments.size()), fired(core.compartments.size()) {
  prepareUpdate(core, profile.neuron);
  setInitialLifState(core);
  lifEnergyPJ = lifUpdateEnergy(profile);
  unpackGroups(core, profile.synapse);
  acc.assign(size_t(slots) * states.size(), 0);
}

CoreLogic::CoreLogic(const chip::Core &core, const chip::Profile &profile,
                     const chip::ResolvedPrograms &resolved, uint32_t imageCore,
                     const LearningSetup *setup)
    : states(core.compartments.size()), fired(core.compartments.size()) {
  prepareUpdate(core, profile.neuron);
  lifEnergyPJ = lifUpdateEnergy(profile);
  preparePrograms(core, profile, resolved, imageCore);
  setInitialLifState(core);
  if (setup && setup->learning && setup->learning->enabled())
    prepareLearning(core, profile, *setup, imageCore);
  unpackGroups(core, profile.synapse);
  acc.assign(size_t(slots) * states.size(), 0);
  if (learning.enabled())
    rewardAcc = acc;
}

void CoreLogic::preparePrograms(const chip::Core &core,
                                const chip::Profile &profile,
                                const chip::ResolvedPrograms &resolved,
                                uint32_t imageCore) {
  const std::vector<uint32_t> &map = resolved.compartmentProgram[imageCore];
  bool any = false;
  for (uint32_t p : map)
    any |= !resolved.lifFamily[p];
  // A core with a dendritic tree updates compartment by compartment too.
  if (!resolved.treeRoot.empty()) {
    const std::vector<uint32_t> &roots = resolved.treeRoot[imageCore];
    if (std::any_of(roots.begin(), roots.end(), [](uint32_t r) {
          return r != chip::ResolvedPrograms::kNotInTree;
        })) {
      treeRoot = roots;
      rootSpiked.assign(roots.size(), 0);
      any = true;
    }
  }
  if (!any)
    return;
  std::vector<uint32_t> local(resolved.programs.size(), kLif);
  programOf.assign(core.compartments.size(), kLif);
  words.resize(core.compartments.size());
  params.resize(core.compartments.size());
  for (uint32_t c = 0; c < map.size(); ++c) {
    const uint32_t p = map[c];
    if (resolved.lifFamily[p])
      continue;
    if (local[p] == kLif) {
      local[p] = uint32_t(programs.size());
      const chip::ProgramCost cost =
          chip::programCost(resolved.programs[p], profile);
      programs.push_back({resolved.programs[p], cost.cycles, cost.energyPJ});
    }
    programOf[c] = local[p];
    words[c] = chip::initialStateWords(core, c, resolved.programs[p]);
    params[c] = chip::compartmentParamWords(core, c, false, profile.neuron);
    chip::CompartmentState &s = states[c];
    s.u = words[c].size() > 0 ? words[c][0] : 0;
    s.v = words[c].size() > 1 ? words[c][1] : 0;
    const int counter = resolved.programs[p].refractoryWord;
    s.refractoryLeft = counter >= 0 ? uint8_t(words[c][size_t(counter)]) : 0;
  }
}

void CoreLogic::setInitialLifState(const chip::Core &core) {
  if (core.initialBegin.empty())
    return;
  for (uint32_t c = 0; c < states.size(); ++c) {
    const uint32_t first = core.initialBegin[c];
    if (interprets(c) || core.initialBegin[c + 1] == first)
      continue;
    states[c] = chip::lifStateFromWords(&core.initialWords[first]);
  }
}

std::vector<int32_t> CoreLogic::stateWords(uint32_t c) const {
  if (interprets(c))
    return words[c];
  const chip::CompartmentState &s = states[c];
  return {s.u, s.v, int32_t(s.refractoryLeft)};
}

CoreLogic::UpdateStats CoreLogic::updateMixed(int64_t *slot,
                                              uint32_t activeCycles,
                                              uint32_t inactiveCycles,
                                              std::vector<Emission> &spikes,
                                              std::vector<uint64_t> *ends) {
  const uint32_t n = uint32_t(states.size());
  UpdateStats st;
  uint64_t cycle = 0, lifActive = 0;
  for (uint32_t c = 0; c < n; ++c) {
    bool spiked = false, active = false;
    if (programOf[c] == kLif) {
      const UpdateTotals t =
          updateAll<false>(&states[c], &constants[c], neuron, slot + c, 1,
                           activeCycles, inactiveCycles, fired.data(), nullptr);
      active = t.active != 0;
      spiked = t.spikes != 0;
      cycle += active ? activeCycles : inactiveCycles;
      lifActive += active;
    } else {
      const CoreProgram &p = programs[programOf[c]];
      std::vector<int32_t> &w = words[c];
      const bool bap = !treeRoot.empty() &&
                       treeRoot[c] != chip::ResolvedPrograms::kNotInTree &&
                       rootSpiked[treeRoot[c]];
      const chip::UpdateOutcome outcome =
          chip::interpret(p.program, w.data(), params[c].data(), slot[c],
                          chip::TreeContext{&treeStack, bap});
      slot[c] = 0;
      active = !outcome.idle;
      spiked = outcome.spiked;
      cycle += active ? p.cycles : inactiveCycles;
      if (active)
        st.activeEnergyPJ += p.energyPJ;
      chip::CompartmentState &s = states[c];
      s.u = w.size() > 0 ? w[0] : 0;
      s.v = w.size() > 1 ? w[1] : 0;
      if (p.program.refractoryWord >= 0)
        s.refractoryLeft = uint8_t(w[size_t(p.program.refractoryWord)]);
    }
    st.active += active;
    // A tree's compartments are consecutive, its root last: the root's flag
    // is the previous step's until the root itself updates. Only the root
    // spikes for the neuron; another compartment's FIRE only resets it.
    if (!treeRoot.empty() &&
        treeRoot[c] != chip::ResolvedPrograms::kNotInTree) {
      if (treeRoot[c] == c)
        rootSpiked[c] = spiked;
      else
        spiked = false;
    }
    if (spiked)
      spikes.push_back({c, cycle});
    if (ends)
      ends->push_back(cycle);
  }
  st.activeEnergyPJ += double(lifActive) * lifEnergyPJ;
  st.inactive = n - st.active;
  st.cycles = cycle;
  return st;
}

void CoreLogic::prepareUpdate(const chip::Core &core,
                              const chip::NeuronFormat &f) {
  neuron.accLimit = (int64_t(1) << f.accumulatorBits) - 1;
  neuron.wrapHalf = int64_t(1) << (f.currentBits - 1);
  neuron.wrapMask = (int64_t(1) << f.currentBits) - 1;
  neuron.decayBits = f.decayBits;
  constants.reserve(core.compartments.size());
  for (const chip::CompartmentParams &p : core.compartments) {
    const chip::LifConstants lif = chip::lifConstants(p, f);
    UpdateConstants k;
    k.bias = lif.bias;
    k.vmin = int32_t(lif.vmin);
    k.vmax = int32_t(lif.vmax);
    k.fireAbove = int32_t(lif.fireAbove);
    k.scaleU = uint32_t(lif.scaleU);
    k.scaleV = uint32_t(lif.scaleV);
    k.refractory = lif.refractory;
    k.resetBySubtraction = lif.resetBySubtraction ? 1 : 0;
    constants.push_back(k);
  }
}

void CoreLogic::unpackGroups(const chip::Core &core,
                             const chip::SynapseFormat &f) {
  const uint32_t n = uint32_t(states.size());
  // Weights before the group's shift: the mantissa where the total shift
  // is >= 0 (then weight = mantissa * 2^shift exactly), else the weight.
  std::vector<WideTarget> all;
  std::vector<chip::Synapse> group;
  uint32_t maxDelay = 1;
  bool compact = true;
  groups.reserve(core.inputAxons.size());
  for (uint32_t axon = 0; axon < core.inputAxons.size(); ++axon) {
    const chip::InputAxon &a = core.inputAxons[axon];
    const int total = int(f.weightShift) + a.weightExponent;
    // A validated group lies inside the core's synapse words: 32 bits.
    const uint32_t groupWords =
        uint32_t(a.synapseCount ? chip::wordsForGroup(a, f) : 0);
    if (!sideOf.empty() && sideOf[axon] != kNoSide) {
      // Delivered from its side group; no delivery-table entries.
      groups.push_back({uint32_t(all.size()), 0, groupWords, 0});
      sideGroups[sideOf[axon]].words = groupWords;
      for (const SideSynapse &s : sideGroups[sideOf[axon]].synapses)
        maxDelay = std::max(maxDelay, s.delay);
      continue;
    }
    groups.push_back({uint32_t(all.size()), a.synapseCount, groupWords,
                      uint32_t(std::max(total, 0))});
    chip::unpackSynapses(core.synapseWords, a, f, group);
    for (const chip::Synapse &s : group) {
      const int64_t w = total >= 0
                            ? s.mantissa
                            : chip::synapticWeight(s.mantissa, a.weightExponent,
                                                   f.weightShift);
      const uint64_t offset = uint64_t(s.delay) * n + s.compartment;
      compact &= fits<int16_t>(w) && offset <= UINT16_MAX;
      maxDelay = std::max(maxDelay, s.delay);
      all.push_back({uint32_t(offset), w});
    }
    std::sort(all.begin() + groups.back().begin, all.end(),
              [](const WideTarget &x, const WideTarget &y) {
                return x.offset < y.offset;
              });
  }
  // A learned delay may grow to the profile's longest.
  if (learning.enabled())
    maxDelay = std::max(maxDelay, f.maxDelay);
  slots = maxDelay + 1;
  // From slot s, offsets below (slots - s) * n stay before the ring's end.
  unwrapped.reserve(groups.size() * size_t(slots));
  for (const Group &g : groups) {
    const auto b = all.begin() + g.begin, e = b + g.synapses;
    for (uint32_t s = 0; s < slots; ++s) {
      const uint64_t end = uint64_t(slots - s) * n;
      unwrapped.push_back(uint32_t(
          std::partition_point(
              b, e, [end](const WideTarget &t) { return t.offset < end; }) -
          b));
    }
  }
  if (compact) {
    compactTargets.reserve(all.size());
    for (const WideTarget &t : all)
      compactTargets.push_back({uint16_t(t.offset), int16_t(t.weight)});
    return;
  }
  for (Group &g : groups) { // exact weights, no shift
    for (uint32_t i = g.begin; i < g.begin + g.synapses; ++i)
      all[i].weight = int64_t(uint64_t(all[i].weight) << g.shift);
    g.shift = 0;
  }
  wideTargets = std::move(all);
}

CoreLogic::UpdateStats CoreLogic::update(uint32_t step, uint32_t activeCycles,
                                         uint32_t inactiveCycles,
                                         std::vector<Emission> &spikes,
                                         std::vector<uint64_t> *ends) {
  const uint32_t n = uint32_t(states.size());
  int64_t *slot = acc.data() + size_t(slotOf(step)) * n;
  if (!programOf.empty())
    return updateMixed(slot, activeCycles, inactiveCycles, spikes, ends);
  UpdateTotals t;
  if (ends) {
    const size_t before = ends->size();
    ends->resize(before + n);
    t = updateAll<true>(states.data(), constants.data(), neuron, slot, n,
                        activeCycles, inactiveCycles, fired.data(),
                        ends->data() + before);
  } else {
    t = updateAll<false>(states.data(), constants.data(), neuron, slot, n,
                         activeCycles, inactiveCycles, fired.data(), nullptr);
  }
  for (uint32_t i = 0; i < t.spikes; ++i) {
    const Emission &e = fired[i];
    spikes.push_back({e.compartment, endCycle(e.compartment, e.cycle,
                                              activeCycles, inactiveCycles)});
  }
  UpdateStats st;
  st.active = t.active;
  st.inactive = n - t.active;
  st.cycles = n ? endCycle(n - 1, t.active, activeCycles, inactiveCycles) : 0;
  st.activeEnergyPJ = double(t.active) * lifEnergyPJ;
  return st;
}

CoreLogic::ReadStats CoreLogic::receive(uint32_t step, uint32_t axon) {
  if (!sideOf.empty() && sideOf[axon] != kNoSide)
    return receiveSideGroup(step, axon);
  const Group &g = groups[axon];
  const uint32_t s = slotOf(step);
  const size_t n = states.size();
  const uint32_t split = unwrapped[size_t(axon) * slots + s];
  if (wideTargets.empty())
    addTargets(compactTargets.data() + g.begin, split, g.synapses, g.shift,
               acc.data(), s * n, slots * n);
  else
    addTargets(wideTargets.data() + g.begin, split, g.synapses, g.shift,
               acc.data(), s * n, slots * n);
  ReadStats rs;
  rs.synapses = g.synapses;
  rs.words = g.words;
  return rs;
}

} // namespace cajal::systemc
