//===- CoreLearning.cpp - A neurocore's learning engine -------------------===//
//
// The learning and reward groups of one core (docs/learning.md). Their
// synapses stay out of the delivery tables, whose weights are fixed and
// sorted: each group is a list in stored order, delivered synapse by
// synapse into the accumulator ring (learning) or the reward ring (reward).
// After a step's deliveries the core's learning phase steps every trace and,
// at an epoch's end, applies each learning synapse's rule, with the chip
// functions of cajal/Chip/Learning.h and the same random keys as every
// engine (global axon, compartment and synapse numbers).
//
//===----------------------------------------------------------------------===//
#include "cajal/SystemC/CoreLogic.h"

#include "cajal/Chip/Learning.h"

#include <algorithm>
#include <climits>

namespace cajal::systemc {

namespace {
constexpr chip::Trace kPreTraces[2] = {chip::Trace::X1, chip::Trace::X2};
constexpr chip::Trace kPostTraces[3] = {chip::Trace::Y1, chip::Trace::Y2,
                                        chip::Trace::Y3};
} // namespace

CoreLogic::LearningSetup CoreLogic::learningSetupFor(const chip::Image &image,
                                                     uint32_t core) {
  LearningSetup setup;
  if (!image.learning.enabled())
    return setup;
  setup.learning = &image.learning;
  for (uint32_t c = 0; c < core; ++c) {
    setup.firstAxon += image.cores[c].inputAxons.size();
    setup.firstCompartment += uint32_t(image.cores[c].compartments.size());
  }
  setup.postTraces.resize(image.cores[core].compartments.size());
  for (const chip::Population &pop : image.populations)
    for (const chip::Slice &slice : pop.slices)
      if (slice.core == core)
        for (uint32_t k = 0; k < slice.count * chip::compartmentsPerNeuron(pop);
             ++k)
          setup.postTraces[slice.firstCompartment + k] = pop.postTraces;
  return setup;
}

void CoreLogic::prepareLearning(const chip::Core &core,
                                const chip::Profile &profile,
                                const LearningSetup &setup,
                                uint32_t imageCore) {
  learning = *setup.learning;
  learningProfile = profile;
  firstCompartment = setup.firstCompartment;
  const uint32_t n = uint32_t(core.compartments.size());
  post.resize(n);
  for (uint32_t c = 0; c < n; ++c) {
    post[c].params = setup.postTraces[c];
    post[c].history.assign(learning.epochSteps, {});
  }
  sideOf.assign(core.inputAxons.size(), kNoSide);
  std::vector<chip::Synapse> group;
  uint64_t position = 0; // of the axon's first synapse in the core
  for (uint32_t a = 0; a < core.inputAxons.size(); ++a) {
    const chip::InputAxon &axon = core.inputAxons[a];
    if (axon.learns() || axon.reward) {
      SideGroup side;
      side.rule = axon.learning;
      side.reward = axon.reward;
      side.weightExponent = axon.weightExponent;
      side.traceNeuron = setup.firstAxon + a;
      side.firstSynapse = (uint64_t(imageCore) << 32) + position;
      chip::unpackSynapses(core.synapseWords, axon, profile.synapse, group);
      for (const chip::Synapse &s : group)
        side.synapses.push_back(
            {s.compartment, s.mantissa, s.tag, s.delay,
             chip::synapticWeight(s.mantissa, axon.weightExponent,
                                  profile.synapse.weightShift)});
      if (axon.learns())
        side.history.assign(learning.epochSteps, {});
      sideOf[a] = uint32_t(sideGroups.size());
      sideGroups.push_back(std::move(side));
    }
    position += axon.synapseCount;
  }
}

CoreLogic::ReadStats CoreLogic::receiveSideGroup(uint32_t step, uint32_t axon) {
  SideGroup &g = sideGroups[sideOf[axon]];
  const size_t n = states.size();
  std::vector<int64_t> &ring = g.reward ? rewardAcc : acc;
  for (const SideSynapse &s : g.synapses)
    ring[size_t((step + s.delay) % slots) * n + s.compartment] += s.weight;
  g.spikedNow = true;
  ReadStats rs;
  rs.synapses = uint32_t(g.synapses.size());
  rs.words = g.words;
  return rs;
}

uint64_t CoreLogic::learn(uint32_t step, const std::vector<Emission> &spikes) {
  if (!learning.enabled())
    return 0;
  const uint32_t epochSteps = learning.epochSteps;
  const size_t slot = step % epochSteps;
  const uint64_t seed = learning.seed;
  const size_t n = states.size();
  // The rewards that arrived for this step.
  int64_t *arriving = rewardAcc.data() + size_t(step % slots) * n;
  for (size_t c = 0; c < n; ++c) {
    post[c].reward += arriving[c];
    arriving[c] = 0;
  }
  for (SideGroup &g : sideGroups) {
    if (g.rule != chip::InputAxon::kNoLearning) {
      const chip::LearningRuleSetting &rule = learning.rules[g.rule];
      const chip::TraceParams *preParams[2] = {&rule.x1, &rule.x2};
      for (unsigned k = 0; k < 2; ++k)
        g.trace[k] = chip::stepTrace(
            learningProfile, g.trace[k], *preParams[k], g.spikedNow, step, seed,
            chip::traceRandomIndex(g.traceNeuron, kPreTraces[k]));
      g.history[slot] = g.trace;
      if (g.spikedNow)
        g.lastSpike = int64_t(step);
    }
    g.spikedNow = false;
  }
  std::vector<uint8_t> spiked(n, 0);
  for (const Emission &e : spikes)
    spiked[e.compartment] = 1;
  for (uint32_t c = 0; c < n; ++c) {
    PostLearning &p = post[c];
    for (unsigned k = 0; k < 3; ++k)
      p.trace[k] = chip::stepTrace(
          learningProfile, p.trace[k], p.params[k], spiked[c] != 0, step, seed,
          chip::traceRandomIndex(firstCompartment + c, kPostTraces[k]));
    p.history[slot] = p.trace;
    if (spiked[c])
      p.lastSpike = int64_t(step);
  }
  if ((uint64_t(step) + 1) % epochSteps != 0)
    return 0;
  const uint64_t epoch = (uint64_t(step) + 1) / epochSteps - 1;
  const int64_t epochStart = int64_t(epoch * epochSteps);
  const auto sample = [](const SideGroup &g, const PostLearning &p, size_t at) {
    std::array<int32_t, chip::kTraceCount> traces{};
    traces[size_t(chip::Trace::X1)] = int32_t(g.history[at][0]);
    traces[size_t(chip::Trace::X2)] = int32_t(g.history[at][1]);
    for (unsigned k = 0; k < 3; ++k)
      traces[size_t(kPostTraces[k])] = int32_t(p.history[at][k]);
    return traces;
  };
  uint64_t updated = 0;
  for (SideGroup &g : sideGroups) {
    if (g.rule == chip::InputAxon::kNoLearning)
      continue;
    const chip::LearningRuleSetting &setting = learning.rules[g.rule];
    for (size_t i = 0; i < g.synapses.size(); ++i) {
      SideSynapse &s = g.synapses[i];
      const PostLearning &p = post[s.compartment];
      chip::LearningInputs in;
      in.x0 = g.lastSpike >= epochStart;
      in.y0 = p.lastSpike >= epochStart;
      if (in.x0)
        in.traces[0] = sample(g, p, size_t(g.lastSpike - epochStart));
      if (in.y0)
        in.traces[1] = sample(g, p, size_t(p.lastSpike - epochStart));
      in.traces[2] = sample(g, p, epochSteps - 1);
      in.reward = int32_t(std::clamp<int64_t>(p.reward, INT32_MIN, INT32_MAX));
      const chip::SynapseState after =
          chip::applyRule(learningProfile, setting.rule, setting.sign, in,
                          {s.mantissa, int32_t(s.delay), s.tag}, seed, epoch,
                          g.firstSynapse + i);
      s.mantissa = after.weight;
      s.delay = uint32_t(after.delay);
      s.tag = after.tag;
      s.weight = chip::synapticWeight(s.mantissa, g.weightExponent,
                                      learningProfile.synapse.weightShift);
    }
    updated += g.synapses.size();
  }
  for (SideGroup &g : sideGroups)
    g.lastSpike = -1;
  for (PostLearning &p : post) {
    p.lastSpike = -1;
    p.reward = 0;
  }
  return updated;
}

std::vector<chip::Synapse> CoreLogic::synapses(uint32_t axon) const {
  std::vector<chip::Synapse> out;
  if (sideOf.empty() || sideOf[axon] == kNoSide)
    return out;
  for (const SideSynapse &s : sideGroups[sideOf[axon]].synapses)
    out.push_back({s.compartment, s.mantissa, s.delay, s.tag});
  return out;
}

uint32_t CoreLogic::preTrace(uint32_t axon, unsigned which) const {
  return sideOf.empty() || sideOf[axon] == kNoSide
             ? 0
             : sideGroups[sideOf[axon]].trace[which];
}

uint32_t CoreLogic::postTrace(uint32_t compartment, unsigned which) const {
  return post.empty() ? 0 : post[compartment].trace[which];
}

int64_t CoreLogic::reward(uint32_t compartment) const {
  return post.empty() ? 0 : post[compartment].reward;
}

} // namespace cajal::systemc
