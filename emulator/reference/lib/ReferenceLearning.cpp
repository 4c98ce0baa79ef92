//===- ReferenceLearning.cpp - Traces and rules, the plainest way ---------===//
//
// Learning as docs/learning.md states it, with the chip-level functions of
// cajal/Chip/Learning.h and nothing faster. At the end of every step t:
//   1. every learning axon's x1, x2 and every compartment's y1, y2, y3 take
//      one step (chip::stepTrace: decay, then the impulse if the axon
//      received a spike, or the compartment spiked, in step t); the values
//      are kept for each step of the epoch, so that a rule can read them as
//      they were at the step of the axon's or the compartment's last spike;
//   2. when t ends an epoch (t + 1 a multiple of epochSteps), every synapse
//      of every learning group gets its rule (chip::applyRule) with the
//      inputs sampled as the contract says, in core, axon, synapse order
//      (the order cannot matter: each synapse's rounding has its own draw);
//      then the epoch's spikes and rewards are forgotten.
//
//===----------------------------------------------------------------------===//
#include "cajal/Reference/ReferenceEngine.h"

#include "cajal/Chip/Compartment.h"

#include <algorithm>
#include <cstdint>

namespace cajal::reference {

namespace {

constexpr chip::Trace kPreTraces[2] = {chip::Trace::X1, chip::Trace::X2};
constexpr chip::Trace kPostTraces[3] = {chip::Trace::Y1, chip::Trace::Y2,
                                        chip::Trace::Y3};

} // namespace

void ReferenceEngine::learn() {
  const uint64_t t = stepIndex;
  const uint32_t epochSteps = learning.epochSteps;
  const size_t slot = size_t(t % epochSteps);
  for (uint32_t c = 0; c < axonInfo.size(); ++c)
    for (AxonInfo &a : axonInfo[c]) {
      if (a.learning != chip::InputAxon::kNoLearning) {
        const chip::LearningRuleSetting &rule = learning.rules[a.learning];
        const chip::TraceParams *params[2] = {&rule.x1, &rule.x2};
        for (unsigned k = 0; k < 2; ++k)
          a.trace[k] = chip::stepTrace(
              chipProfile, a.trace[k], *params[k], a.spikedNow, t,
              learning.seed,
              chip::traceRandomIndex(a.traceNeuron, kPreTraces[k]));
        a.history[slot] = a.trace;
        if (a.spikedNow)
          a.lastSpike = int64_t(t);
      }
      a.spikedNow = false;
    }
  for (uint32_t g : spikingCompartments)
    compartmentLearning[g].spikedNow = true;
  for (uint32_t g = 0; g < compartments.size(); ++g) {
    CompartmentLearning &l = compartmentLearning[g];
    for (unsigned k = 0; k < 3; ++k)
      l.trace[k] = chip::stepTrace(chipProfile, l.trace[k], l.params[k],
                                   l.spikedNow, t, learning.seed,
                                   chip::traceRandomIndex(g, kPostTraces[k]));
    l.history[slot] = l.trace;
    if (l.spikedNow)
      l.lastSpike = int64_t(t);
    l.spikedNow = false;
  }
  if ((t + 1) % epochSteps == 0) {
    applyRules((t + 1) / epochSteps - 1);
    for (std::vector<AxonInfo> &core : axonInfo)
      for (AxonInfo &a : core)
        a.lastSpike = -1;
    for (CompartmentLearning &l : compartmentLearning) {
      l.lastSpike = -1;
      l.reward = 0;
    }
  }
}

void ReferenceEngine::applyRules(uint64_t epoch) {
  const uint32_t epochSteps = learning.epochSteps;
  const int64_t epochStart = int64_t(epoch * epochSteps);
  const size_t last = epochSteps - 1;
  // The five traces of a synapse at the step of `slot` in the epoch.
  const auto sample = [](const AxonInfo &a, const CompartmentLearning &l,
                         size_t slot) {
    std::array<int32_t, chip::kTraceCount> traces{};
    traces[size_t(chip::Trace::X1)] = int32_t(a.history[slot][0]);
    traces[size_t(chip::Trace::X2)] = int32_t(a.history[slot][1]);
    for (unsigned k = 0; k < 3; ++k)
      traces[size_t(kPostTraces[k])] = int32_t(l.history[slot][k]);
    return traces;
  };
  for (uint32_t c = 0; c < axonInfo.size(); ++c)
    for (uint32_t axon = 0; axon < axonInfo[c].size(); ++axon) {
      const AxonInfo &a = axonInfo[c][axon];
      if (a.learning == chip::InputAxon::kNoLearning)
        continue;
      const chip::LearningRuleSetting &setting = learning.rules[a.learning];
      std::vector<Synapse> &group = inputAxons[c][axon];
      for (uint32_t i = 0; i < group.size(); ++i) {
        Synapse &s = group[i];
        const CompartmentLearning &l = compartmentLearning[s.compartment];
        chip::LearningInputs in;
        in.x0 = a.lastSpike >= epochStart;
        in.y0 = l.lastSpike >= epochStart;
        in.u = true;
        if (in.x0)
          in.traces[0] = sample(a, l, size_t(a.lastSpike - epochStart));
        if (in.y0)
          in.traces[1] = sample(a, l, size_t(l.lastSpike - epochStart));
        in.traces[2] = sample(a, l, last);
        in.reward =
            int32_t(std::clamp<int64_t>(l.reward, INT32_MIN, INT32_MAX));
        const chip::SynapseState after =
            chip::applyRule(chipProfile, setting.rule, setting.sign, in,
                            {s.mantissa, int32_t(s.delay), s.tag},
                            learning.seed, epoch, a.firstSynapse + i);
        s.mantissa = after.weight;
        s.delay = uint32_t(after.delay);
        s.tag = after.tag;
        s.weight = chip::synapticWeight(s.mantissa, a.weightExponent,
                                        chipProfile.synapse.weightShift);
      }
      totals.learningUpdates += group.size();
    }
}

std::vector<chip::Synapse> ReferenceEngine::synapses(uint32_t core,
                                                     uint32_t axon) const {
  std::vector<chip::Synapse> out;
  for (const Synapse &s : inputAxons[core][axon])
    out.push_back(
        {s.compartment - compBegin[core], s.mantissa, s.delay, s.tag});
  return out;
}

uint32_t ReferenceEngine::preTrace(uint32_t core, uint32_t axon,
                                   unsigned which) const {
  return axonInfo[core][axon].trace[which];
}

uint32_t ReferenceEngine::postTrace(uint32_t global, unsigned which) const {
  return compartmentLearning.empty() ? 0
                                     : compartmentLearning[global].trace[which];
}

int64_t ReferenceEngine::reward(uint32_t global) const {
  return compartmentLearning.empty() ? 0 : compartmentLearning[global].reward;
}

} // namespace cajal::reference
