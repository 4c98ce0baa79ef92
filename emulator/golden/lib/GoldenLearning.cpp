//===- GoldenLearning.cpp - Learning and reward groups, traces, rules -----===//
//
// On-chip learning (docs/learning.md) in the golden model. The rows and
// windows of the fixed synapses, and the accumulator widths proven from
// their weights, assume weights that never change, so the learning and
// reward groups stay out of them (docs/golden-model.md, "Learning"):
//
// Load (Loader::loadLearning): every learning or reward group is unpacked
// into a SideAxon of its own (global target, mantissa, delay, tag, weight);
// RowBuilder leaves these axons out of the rows. An image that learns runs
// with int64 accumulators in compartment order (no int16/int32 proof, no
// re-ordering, no windows) and a ring of at least synapse.maxDelay slots,
// since a learned delay may grow to it; it cannot be split into parts.
//
// Step t, after the rows are delivered:
//   1. deliverSideGroups: each spike of step t (compartments, then source
//      channels, a Poisson group channel once per spike) reaches its
//      sender's side groups; a learning group's synapses add their weights
//      to ring 0 at slot (t + delay) % S, a reward group's to the reward
//      ring; the group is marked as having received a spike;
//   2. learn: every learning axon's x1, x2 and every compartment's y1..y3
//      take one step (chip::TraceStep's arithmetic and random keys): the
//      decay as one vectorised loop per trace over a TraceBank, then the
//      impulses of the step's spikes; when t ends an epoch, applyRules
//      gives the learning synapses their rule (chip::applyRule) with the
//      inputs the contract samples, and the epoch's rewards are forgotten.
//      Without u terms a synapse whose axon and compartment were both
//      silent in the epoch keeps its state (chip::ruleLeavesUnchanged), so
//      only the synapses of the epoch's spiking axons and those ending at
//      its spiking compartments (incoming) are visited; the first epoch
//      visits every one, where an initial weight outside its sign's range
//      is clamped as in every engine.
// Rewards that arrive for step t are added to their compartments' r at the
// start of step t (takeRewards). Everything here runs on the calling
// thread, after the worker threads' delivery: with several threads the
// result is the same.
//
//===----------------------------------------------------------------------===//
#include "GoldenLoad.h"
#include "UpdateKernels.h"

#include "cajal/Chip/Learning.h"
#include "cajal/Emulator/PopulationMap.h"

#include <algorithm>
#include <cstddef>
#include <limits>

namespace cajal::golden {

namespace {
constexpr uint32_t none = std::numeric_limits<uint32_t>::max();
constexpr chip::Trace kPreTraces[2] = {chip::Trace::X1, chip::Trace::X2};
constexpr chip::Trace kPostTraces[3] = {chip::Trace::Y1, chip::Trace::Y2,
                                        chip::Trace::Y3};
bool anyTrace(const std::array<chip::TraceParams, 3> &p) {
  const chip::TraceParams zero;
  return p[0] != zero || p[1] != zero || p[2] != zero;
}
} // namespace

Status GoldenModel::Loader::loadLearning(GoldenModel &m,
                                         const chip::Image &image,
                                         chip::CoreTables &tables,
                                         const chip::Profile &profile,
                                         const ModelOptions &options) {
  if (!image.learning.enabled())
    return Status::ok();
  if (options.parts > 1)
    return makeError("parts: " + std::to_string(options.parts) +
                     ": an image that learns (learning.epochSteps " +
                     std::to_string(image.learning.epochSteps) +
                     ") runs as one part only");
  m.learningSetting = image.learning;
  m.learningProfile = profile;
  for (const chip::LearningRuleSetting &r : image.learning.rules) {
    bool uTerms = false;
    for (const std::vector<chip::RuleTerm> &terms : r.rule.terms)
      for (const chip::RuleTerm &term : terms)
        uTerms |= term.dependency == chip::LearningVariable::U;
    m.ruleHasUTerm.push_back(uTerms);
    m.anyRuleHasUTerm |= uTerms;
  }
  const uint32_t n = m.compartmentCount();
  const uint32_t epochSteps = image.learning.epochSteps;
  const chip::SynapseFormat &format = profile.synapse;
  const unsigned decayBits = profile.learning.traceDecayBits;
  m.sideOf.assign(m.axonSynapseCount.size(), none);
  m.incomingBegin.assign(size_t(n) + 1, 0);
  std::vector<chip::Synapse> group;
  bool rewards = false;
  // In core order (one thread): the side groups and traces are numbered so.
  const auto visit = [&](uint32_t c, const std::vector<chip::InputAxon> &axons,
                         const std::vector<uint64_t> &words) -> Status {
    uint64_t position = 0; // of the axon's first synapse in the core
    for (uint32_t a = 0; a < axons.size(); ++a) {
      const chip::InputAxon &axon = axons[a];
      const uint64_t first = position;
      position += axon.synapseCount;
      if (!axon.learns() && !axon.reward)
        continue;
      detail::SideAxon side;
      side.core = c;
      side.axon = a;
      side.firstSynapse = (uint64_t(c) << 32) + first;
      side.rule = axon.learning;
      side.reward = axon.reward;
      side.weightExponent = axon.weightExponent;
      if (axon.learns()) {
        const chip::LearningRuleSetting &rule =
            image.learning.rules.at(axon.learning);
        const chip::TraceParams params[2] = {rule.x1, rule.x2};
        side.learningIndex = m.preTraces.size;
        m.preTraces.add(params, m.axonBegin[c] + a, chip::Trace::X1, decayBits);
        m.learningSide.push_back(uint32_t(m.sideAxons.size()));
        m.preLastSpike.push_back(-1);
        m.learningSynapseCount += axon.synapseCount;
      }
      rewards |= axon.reward;
      chip::unpackSynapses(words, axon, format, group);
      for (uint32_t i = 0; i < axon.synapseCount; ++i) {
        const chip::Synapse &s = group[i];
        const uint32_t g = m.compBegin[c] + s.compartment;
        side.synapses.push_back(
            {g, s.mantissa, s.delay, s.tag,
             chip::synapticWeight(s.mantissa, axon.weightExponent,
                                  format.weightShift)});
        if (axon.learns())
          ++m.incomingBegin[g + 1];
      }
      m.sideOf[m.axonBegin[c] + a] = uint32_t(m.sideAxons.size());
      m.sideAxons.push_back(std::move(side));
    }
    return Status::ok();
  };
  if (Status s = tables.forEachCore(1, false, visit); !s)
    return s;
  // The learning synapses by the compartment they end at.
  for (uint32_t g = 0; g < n; ++g)
    m.incomingBegin[g + 1] += m.incomingBegin[g];
  m.incoming.resize(m.incomingBegin[n]);
  std::vector<uint32_t> filled(m.incomingBegin.begin(),
                               m.incomingBegin.end() - 1);
  for (uint32_t l = 0; l < m.learningSide.size(); ++l) {
    const detail::SideAxon &a = m.sideAxons[m.learningSide[l]];
    for (uint32_t i = 0; i < a.synapses.size(); ++i)
      m.incoming[filled[a.synapses[i].compartment]++] = {l, i};
  }
  // Per sender, the side groups its spikes reach (as forEachSenderAxon
  // walks them: compartments by global index, then source channels).
  m.sideSenderBegin.assign(1, 0);
  const auto walk = [&](const std::vector<uint32_t> &begin,
                        const std::vector<uint32_t> &targets) {
    for (uint32_t k = 0; k + 1 < begin.size(); ++k) {
      for (uint32_t o = begin[k]; o < begin[k + 1]; ++o)
        if (m.sideOf[targets[o]] != none)
          m.sideSenders.push_back(m.sideOf[targets[o]]);
      m.sideSenderBegin.push_back(uint32_t(m.sideSenders.size()));
    }
  };
  walk(m.outBegin, m.outTargets);
  walk(m.channelTargetBegin, m.channelTargets);
  // Post-synaptic traces: the population's, none outside populations.
  const std::vector<std::array<chip::TraceParams, 3>> postParams =
      emulator::postTracesByCompartment(image, m.compBegin);
  m.postSlot.assign(n, none);
  for (uint32_t g = 0; g < n; ++g)
    if (anyTrace(postParams[g])) {
      m.postSlot[g] = m.postTraces.size;
      m.tracedCompartments.push_back(g);
      m.postTraces.add(postParams[g].data(), g, chip::Trace::Y1, decayBits);
    }
  m.preTraces.reserveHistory(epochSteps);
  m.postTraces.reserveHistory(epochSteps);
  m.postLastSpike.assign(n, -1);
  m.rewards.assign(n, 0);
  if (rewards)
    m.rewardRing.assign(size_t(std::max(format.maxDelay, 1u)) * n, 0);
  return Status::ok();
}

template <unsigned K>
void detail::TraceBank<K>::add(const chip::TraceParams *traceParams,
                               uint64_t neuron, chip::Trace first,
                               unsigned decayBits) {
  for (unsigned k = 0; k < K; ++k) {
    const chip::TraceParams &p = traceParams[k];
    values[k].push_back(0);
    keep[k].push_back(chip::traceKeptFraction(decayBits, p.decay));
    randomIndex[k].push_back(
        chip::traceRandomIndex(neuron, chip::Trace(unsigned(first) + k)));
    params[k].push_back(p);
    used[k] = used[k] || p != chip::TraceParams();
  }
  ++size;
}

template <unsigned K>
void detail::TraceBank<K>::reserveHistory(uint32_t epochSteps) {
  for (unsigned k = 0; k < K; ++k)
    if (used[k])
      history[k].assign(size_t(epochSteps - 1) * size, 0);
}

template <unsigned K>
void detail::TraceBank<K>::decay(const KernelTable &kernels, uint64_t prefix,
                                 unsigned decayBits) {
  for (unsigned k = 0; k < K; ++k)
    if (used[k])
      kernels.decayTraces(values[k].data(), keep[k].data(),
                          randomIndex[k].data(), size, prefix, decayBits);
}

template <unsigned K>
void detail::TraceBank<K>::addImpulse(uint32_t i, const chip::TraceStep &step) {
  for (unsigned k = 0; k < K; ++k)
    if (used[k])
      values[k][i] =
          step.addImpulse(values[k][i], params[k][i], randomIndex[k][i]);
}

template <unsigned K> void detail::TraceBank<K>::record(size_t slot) {
  for (unsigned k = 0; k < K; ++k)
    if (used[k] && slot * size < history[k].size())
      std::copy(values[k].begin(), values[k].end(),
                history[k].begin() + ptrdiff_t(slot * size));
}

void GoldenModel::takeRewards() {
  const uint32_t n = compartmentCount();
  const uint32_t slots = uint32_t(rewardRing.size() / n);
  int64_t *arriving = rewardRing.data() + size_t(stepIndex % slots) * n;
  for (uint32_t g = 0; g < n; ++g) {
    rewards[g] += arriving[g];
    arriving[g] = 0;
  }
}

void GoldenModel::deliverSideGroups() {
  const uint32_t n = compartmentCount();
  int64_t *ring = ring64.data();
  const uint32_t rewardSlots =
      rewardRing.empty() ? 1 : uint32_t(rewardRing.size() / n);
  const auto send = [&](uint32_t sender) {
    for (uint32_t i = sideSenderBegin[sender]; i < sideSenderBegin[sender + 1];
         ++i) {
      detail::SideAxon &a = sideAxons[sideSenders[i]];
      if (a.reward) {
        for (const detail::SideSynapse &s : a.synapses)
          rewardRing[size_t((stepIndex + s.delay) % rewardSlots) * n +
                     s.compartment] += s.weight;
      } else {
        for (const detail::SideSynapse &s : a.synapses)
          ring[size_t((stepIndex + s.delay) % ringSlots) * ringStride +
               position[s.compartment]] += s.weight;
      }
      if (!a.spikedNow && a.learningIndex != none) {
        a.spikedNow = true;
        preSpikingNow.push_back(a.learningIndex);
      }
    }
  };
  for (uint32_t k = 0; k < spikeCount; ++k)
    send(atPosition[spikingPositions[k]]);
  for (const emulator::SourceSpikeEvent &e : sourceSpiking)
    send(n + channelBase[e.source] + e.index);
}

void GoldenModel::learn() {
  const chip::Profile &profile = learningProfile;
  const uint64_t t = stepIndex;
  const uint32_t epochSteps = learningSetting.epochSteps;
  const size_t slot = size_t(t % epochSteps);
  const int64_t epochStart = int64_t(t - slot);
  const chip::TraceStep stepTrace(profile, t, learningSetting.seed);
  const unsigned decayBits = profile.learning.traceDecayBits;
  preTraces.decay(*kernels, stepTrace.decayPrefix(), decayBits);
  postTraces.decay(*kernels, stepTrace.decayPrefix(), decayBits);
  for (const uint32_t i : preSpikingNow) {
    preTraces.addImpulse(i, stepTrace);
    if (preLastSpike[i] < epochStart)
      epochSpikingAxons.push_back(i);
    preLastSpike[i] = int64_t(t);
    sideAxons[learningSide[i]].spikedNow = false;
  }
  preSpikingNow.clear();
  for (uint32_t k = 0; k < spikeCount; ++k) {
    const uint32_t g = atPosition[spikingPositions[k]];
    if (postSlot[g] != none)
      postTraces.addImpulse(postSlot[g], stepTrace);
    if (postLastSpike[g] < epochStart &&
        incomingBegin[g] != incomingBegin[g + 1])
      epochSpikingCompartments.push_back(g);
    postLastSpike[g] = int64_t(t);
  }
  preTraces.record(slot);
  postTraces.record(slot);
  if ((t + 1) % epochSteps == 0) {
    applyRules((t + 1) / epochSteps - 1);
    std::fill(rewards.begin(), rewards.end(), 0);
  }
}

void GoldenModel::applyRules(uint64_t epoch) {
  const chip::Profile &profile = learningProfile;
  const uint32_t epochSteps = learningSetting.epochSteps;
  const int64_t epochStart = int64_t(epoch * epochSteps);
  const size_t last = epochSteps - 1;
  // The five traces of learning axon l's synapse to g at the step of
  // `slot` in the epoch (a compartment without traces has them all 0).
  const auto sample = [&](uint32_t l, uint32_t g, size_t slot) {
    std::array<int32_t, chip::kTraceCount> traces{};
    for (unsigned k = 0; k < 2; ++k)
      traces[size_t(kPreTraces[k])] = int32_t(preTraces.at(k, l, slot, last));
    if (postSlot[g] != none)
      for (unsigned k = 0; k < 3; ++k)
        traces[size_t(kPostTraces[k])] =
            int32_t(postTraces.at(k, postSlot[g], slot, last));
    return traces;
  };
  const auto learnSynapse = [&](uint32_t l, uint32_t i) {
    detail::SideAxon &a = sideAxons[learningSide[l]];
    const chip::LearningRuleSetting &setting = learningSetting.rules[a.rule];
    detail::SideSynapse &s = a.synapses[i];
    const uint32_t g = s.compartment;
    chip::LearningInputs in;
    in.x0 = preLastSpike[l] >= epochStart;
    in.y0 = postLastSpike[g] >= epochStart;
    in.u = true;
    // Pair rules without u terms leave most synapses alone in most
    // epochs: neither side spiked.
    if (chip::ruleLeavesUnchanged(profile, setting.rule, setting.sign, in.x0,
                                  in.y0, in.u,
                                  {s.mantissa, int32_t(s.delay), s.tag}))
      return;
    if (in.x0)
      in.traces[0] = sample(l, g, size_t(preLastSpike[l] - epochStart));
    if (in.y0)
      in.traces[1] = sample(l, g, size_t(postLastSpike[g] - epochStart));
    if (ruleHasUTerm[a.rule])
      in.traces[2] = sample(l, g, last);
    in.reward = int32_t(
        std::clamp<int64_t>(rewards[g], std::numeric_limits<int32_t>::min(),
                            std::numeric_limits<int32_t>::max()));
    const chip::SynapseState after =
        chip::applyRule(profile, setting.rule, setting.sign, in,
                        {s.mantissa, int32_t(s.delay), s.tag},
                        learningSetting.seed, epoch, a.firstSynapse + i);
    s.mantissa = after.weight;
    s.delay = uint32_t(after.delay);
    s.tag = after.tag;
    s.weight = chip::synapticWeight(s.mantissa, a.weightExponent,
                                    profile.synapse.weightShift);
  };
  if (epoch == 0 || anyRuleHasUTerm) {
    for (uint32_t l = 0; l < learningSide.size(); ++l)
      for (uint32_t i = 0; i < sideAxons[learningSide[l]].synapses.size(); ++i)
        learnSynapse(l, i);
  } else {
    for (const uint32_t l : epochSpikingAxons)
      for (uint32_t i = 0; i < sideAxons[learningSide[l]].synapses.size(); ++i)
        learnSynapse(l, i);
    // The synapses of silent axons whose compartment spiked (those of
    // spiking axons are done).
    for (const uint32_t g : epochSpikingCompartments)
      for (uint32_t e = incomingBegin[g]; e < incomingBegin[g + 1]; ++e)
        if (preLastSpike[incoming[e].learningIndex] < epochStart)
          learnSynapse(incoming[e].learningIndex, incoming[e].synapse);
  }
  // The chip's learning engine visits every learning synapse each epoch.
  totals.learningUpdates += learningSynapseCount;
  epochSpikingAxons.clear();
  epochSpikingCompartments.clear();
}

std::vector<chip::Synapse> GoldenModel::synapses(uint32_t core,
                                                 uint32_t axon) const {
  std::vector<chip::Synapse> out;
  if (sideOf.empty())
    return out;
  const uint32_t k = sideOf[axonBegin[core] + axon];
  if (k == none)
    return out;
  for (const detail::SideSynapse &s : sideAxons[k].synapses)
    out.push_back(
        {s.compartment - compBegin[core], s.mantissa, s.delay, s.tag});
  return out;
}

uint32_t GoldenModel::preTrace(uint32_t core, uint32_t axon,
                               unsigned which) const {
  if (sideOf.empty())
    return 0;
  const uint32_t k = sideOf[axonBegin[core] + axon];
  if (k == none || sideAxons[k].learningIndex == none)
    return 0;
  return preTraces.values[which][sideAxons[k].learningIndex];
}

uint32_t GoldenModel::postTrace(uint32_t global, unsigned which) const {
  if (postSlot.empty() || postSlot[global] == none)
    return 0;
  return postTraces.values[which][postSlot[global]];
}

int64_t GoldenModel::reward(uint32_t global) const {
  return rewards.empty() ? 0 : rewards[global];
}

} // namespace cajal::golden
