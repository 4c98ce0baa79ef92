//===- LearningLockstep.cpp - RTL learning unit against CoreLogic ---------===//
//
// The reference runs each step as the SystemC core does: receive every
// input spike, update, learn. The learning-phase sequencer keeps what the
// hardware keeps beside the unit (docs/neurocore.md, "Learning unit"): each
// learning axon's x1, x2 and each compartment's y1..y3 with their values at
// every step of the epoch, the epoch's last spike of each, and a copy of
// each learning synapse's weight. After the reference's learning phase it
// steps every trace on the unit (axons in index order, then compartments),
// and at an epoch's end loads each learning group's rule and applies it to
// the group's synapses in stored order, reading the samples at the last
// spikes as CoreLogic::learn does.
//
//===----------------------------------------------------------------------===//
#include "cajal/Rtl/LearningLockstep.h"

#include "cajal/Chip/CompartmentPrograms.h"
#include "cajal/Chip/Learning.h"
#include "cajal/Rtl/LearningUnit.h"
#include "cajal/SystemC/CoreLogic.h"

#include <algorithm>
#include <array>
#include <climits>

namespace cajal::rtl {

std::string LearningDivergence::message() const {
  return "step " + std::to_string(step) + ", " + where + ", field " + field +
         ": RTL " + std::to_string(rtl) + ", SystemC " +
         std::to_string(reference);
}

namespace {

constexpr chip::Trace kPreTraces[2] = {chip::Trace::X1, chip::Trace::X2};
constexpr chip::Trace kPostTraces[3] = {chip::Trace::Y1, chip::Trace::Y2,
                                        chip::Trace::Y3};
constexpr const char *kPreNames[2] = {"x1", "x2"};
constexpr const char *kPostNames[3] = {"y1", "y2", "y3"};

/// One side of the sequencer's trace memory: the traces of one axon (2) or
/// compartment (3), their per-step history in the epoch, the last spike.
template <unsigned N> struct TraceSet {
  std::array<uint32_t, N> value{};
  std::vector<std::array<uint32_t, N>> history;
  int64_t lastSpike = -1;
};

struct Group {
  uint32_t axon = 0, rule = 0;
  uint64_t firstSynapse = 0; ///< global synapse number of the first
  std::vector<chip::Synapse> synapses;
  TraceSet<2> pre;
};

/// The learning-phase sequencer: its trace and history memories, the
/// learning groups' weights, and the unit that computes them.
class Sequencer {
public:
  Sequencer(const chip::Image &image, uint32_t coreIndex,
            const chip::Profile &profile, LearningUnit &unit,
            const systemc::CoreLogic::LearningSetup &setup,
            LearningLockstepReport &rep);
  /// Step every trace after step t; compare with the reference's.
  void stepTraces(uint32_t t, const std::vector<uint8_t> &axonSpiked,
                  const std::vector<uint8_t> &spiked,
                  const systemc::CoreLogic &ref);
  /// The rules at the end of the epoch that step t ends; compare each
  /// weight with the reference's.
  Status endEpoch(uint32_t t, const std::vector<int32_t> &rewards,
                  const systemc::CoreLogic &ref);

private:
  std::array<int32_t, chip::kTraceCount>
  sample(const Group &g, const TraceSet<3> &p, size_t at) const;
  void trace(uint32_t &value, const chip::TraceParams &params, bool spike,
             uint32_t step, uint64_t neuron, chip::Trace which);

  const chip::ImageLearning &learning;
  LearningUnit &unit;
  const systemc::CoreLogic::LearningSetup &setup;
  LearningLockstepReport &rep;
  std::vector<Group> groups;
  std::vector<TraceSet<3>> post; ///< by compartment
  uint64_t epochCycles = 0;
  uint32_t loadedRule = chip::InputAxon::kNoLearning;
};

Sequencer::Sequencer(const chip::Image &image, uint32_t coreIndex,
                     const chip::Profile &profile, LearningUnit &learningUnit,
                     const systemc::CoreLogic::LearningSetup &coreSetup,
                     LearningLockstepReport &report)
    : learning(image.learning), unit(learningUnit), setup(coreSetup),
      rep(report) {
  const chip::Core &core = image.cores[coreIndex];
  const uint32_t epochSteps = learning.epochSteps;
  uint64_t position = 0;
  for (uint32_t a = 0; a < core.inputAxons.size(); ++a) {
    const chip::InputAxon &axon = core.inputAxons[a];
    if (axon.learns()) {
      Group g;
      g.axon = a;
      g.rule = axon.learning;
      g.firstSynapse = (uint64_t(coreIndex) << 32) + position;
      chip::unpackSynapses(core.synapseWords, axon, profile.synapse,
                           g.synapses);
      g.pre.history.assign(epochSteps, {});
      groups.push_back(std::move(g));
    }
    position += axon.synapseCount;
  }
  post.resize(core.compartments.size());
  for (TraceSet<3> &p : post)
    p.history.assign(epochSteps, {});
}

void Sequencer::trace(uint32_t &value, const chip::TraceParams &params,
                      bool spike, uint32_t step, uint64_t neuron,
                      chip::Trace which) {
  const LearningStep s = unit.stepTrace(value, params, spike, step,
                                        chip::traceRandomIndex(neuron, which));
  rep.traceCycles += s.cycles;
  epochCycles += s.cycles;
  ++rep.traceSteps;
  value = uint32_t(s.value);
}

void Sequencer::stepTraces(uint32_t t, const std::vector<uint8_t> &axonSpiked,
                           const std::vector<uint8_t> &spiked,
                           const systemc::CoreLogic &ref) {
  const size_t slot = t % learning.epochSteps;
  for (Group &g : groups) {
    const chip::LearningRuleSetting &setting = learning.rules[g.rule];
    const chip::TraceParams *params[2] = {&setting.x1, &setting.x2};
    for (unsigned k = 0; k < 2 && !rep.divergence; ++k) {
      trace(g.pre.value[k], *params[k], axonSpiked[g.axon] != 0, t,
            setup.firstAxon + g.axon, kPreTraces[k]);
      const uint32_t want = ref.preTrace(g.axon, k);
      if (g.pre.value[k] != want)
        rep.divergence = LearningDivergence{
            t, "axon " + std::to_string(g.axon) + " " + kPreNames[k], "trace",
            g.pre.value[k], want};
    }
    g.pre.history[slot] = g.pre.value;
    if (axonSpiked[g.axon])
      g.pre.lastSpike = t;
  }
  for (uint32_t c = 0; c < post.size() && !rep.divergence; ++c) {
    TraceSet<3> &p = post[c];
    for (unsigned k = 0; k < 3 && !rep.divergence; ++k) {
      trace(p.value[k], setup.postTraces[c][k], spiked[c] != 0, t,
            setup.firstCompartment + c, kPostTraces[k]);
      const uint32_t want = ref.postTrace(c, k);
      if (p.value[k] != want)
        rep.divergence = LearningDivergence{
            t, "compartment " + std::to_string(c) + " " + kPostNames[k],
            "trace", p.value[k], want};
    }
    p.history[slot] = p.value;
    if (spiked[c])
      p.lastSpike = t;
  }
}

std::array<int32_t, chip::kTraceCount>
Sequencer::sample(const Group &g, const TraceSet<3> &p, size_t at) const {
  std::array<int32_t, chip::kTraceCount> traces{};
  for (unsigned k = 0; k < 2; ++k)
    traces[size_t(kPreTraces[k])] = int32_t(g.pre.history[at][k]);
  for (unsigned k = 0; k < 3; ++k)
    traces[size_t(kPostTraces[k])] = int32_t(p.history[at][k]);
  return traces;
}

Status Sequencer::endEpoch(uint32_t t, const std::vector<int32_t> &rewards,
                           const systemc::CoreLogic &ref) {
  const uint32_t epochSteps = learning.epochSteps;
  const uint64_t epoch = (uint64_t(t) + 1) / epochSteps - 1;
  const int64_t start = int64_t(epoch * epochSteps);
  for (Group &g : groups) {
    if (rep.divergence)
      break;
    const chip::LearningRule &rule = learning.rules[g.rule].rule;
    // The term memory holds one rule: it is written when the next group
    // learns by another (LearningUnit::loadCycles).
    if (loadedRule != g.rule) {
      if (Status s = unit.loadRule(rule, learning.rules[g.rule].sign); !s)
        return s;
      rep.ruleCycles += LearningUnit::loadCycles(rule);
      epochCycles += LearningUnit::loadCycles(rule);
      loadedRule = g.rule;
    }
    const std::vector<chip::Synapse> want = ref.synapses(g.axon);
    for (size_t i = 0; i < g.synapses.size(); ++i) {
      chip::Synapse &s = g.synapses[i];
      const TraceSet<3> &p = post[s.compartment];
      chip::LearningInputs in;
      in.x0 = g.pre.lastSpike >= start;
      in.y0 = p.lastSpike >= start;
      if (in.x0)
        in.traces[0] = sample(g, p, size_t(g.pre.lastSpike - start));
      if (in.y0)
        in.traces[1] = sample(g, p, size_t(p.lastSpike - start));
      in.traces[2] = sample(g, p, epochSteps - 1);
      in.reward = rewards[s.compartment];
      const LearningStep r = unit.applyRule(
          in, {s.mantissa, int32_t(s.delay), s.tag}, epoch, g.firstSynapse + i);
      rep.ruleCycles += r.cycles;
      epochCycles += r.cycles;
      ++rep.ruleApplications;
      s.mantissa = r.value;
      if (i >= want.size() || s.mantissa != want[i].mantissa) {
        rep.divergence = LearningDivergence{
            t,
            "axon " + std::to_string(g.axon) + " synapse " + std::to_string(i),
            "weight", s.mantissa, i < want.size() ? want[i].mantissa : 0};
        break;
      }
    }
  }
  for (Group &g : groups)
    g.pre.lastSpike = -1;
  for (TraceSet<3> &p : post)
    p.lastSpike = -1;
  ++rep.epochs;
  rep.epochCycles.push_back(epochCycles);
  epochCycles = 0;
  return Status::ok();
}

} // namespace

Result<LearningLockstepReport>
runLearningLockstep(const chip::Image &image, uint32_t coreIndex,
                    const chip::Profile &profile,
                    const std::vector<std::vector<uint32_t>> &inputs) {
  const chip::ImageLearning &learning = image.learning;
  if (!learning.enabled())
    return makeError("learning lockstep: the image does not learn");
  if (coreIndex >= image.cores.size())
    return makeError("learning lockstep: core " + std::to_string(coreIndex) +
                     " out of range (image has " +
                     std::to_string(image.cores.size()) + " cores)");
  if (Status s = LearningUnit::checkLearning(learning); !s)
    return makeError(s.error());
  auto programs = chip::resolvePrograms(image, profile);
  if (!programs)
    return programs.takeError();
  auto unit = LearningUnit::create(profile, learning.seed);
  if (!unit)
    return unit.takeError();
  const chip::Core &core = image.cores[coreIndex];
  // Where the core sits in the image: the keys of its draws.
  const systemc::CoreLogic::LearningSetup setup =
      systemc::CoreLogic::learningSetupFor(image, coreIndex);
  systemc::CoreLogic ref(core, profile, *programs, coreIndex, &setup);
  LearningLockstepReport rep;
  Sequencer sequencer(image, coreIndex, profile, **unit, setup, rep);

  const uint32_t n = uint32_t(core.compartments.size());
  std::vector<systemc::CoreLogic::Emission> emissions;
  std::vector<uint8_t> axonSpiked(core.inputAxons.size()), spiked(n);
  std::vector<int32_t> rewards(n);
  for (uint32_t t = 0; t < inputs.size() && !rep.divergence; ++t) {
    std::fill(axonSpiked.begin(), axonSpiked.end(), 0);
    for (uint32_t a : inputs[t]) {
      if (a >= core.inputAxons.size())
        return makeError("learning lockstep: step " + std::to_string(t) +
                         ": input axon " + std::to_string(a) + " out of range");
      ref.receive(t, a);
      axonSpiked[a] = 1;
    }
    emissions.clear();
    ref.update(t, 1, 1, emissions);
    std::fill(spiked.begin(), spiked.end(), 0);
    for (const auto &e : emissions)
      spiked[e.compartment] = 1;
    const bool epochEnd = (uint64_t(t) + 1) % learning.epochSteps == 0;
    // The reward a rule reads: the epoch's, with this step's arrivals.
    if (epochEnd)
      for (uint32_t c = 0; c < n; ++c)
        rewards[c] = int32_t(std::clamp<int64_t>(
            ref.reward(c) + ref.pendingReward(t, c), INT32_MIN, INT32_MAX));
    ref.learn(t, emissions);
    rep.steps = t + 1;
    sequencer.stepTraces(t, axonSpiked, spiked, ref);
    if (!rep.divergence && epochEnd)
      if (Status s = sequencer.endEpoch(t, rewards, ref); !s)
        return makeError(s.error());
  }
  return rep;
}

} // namespace cajal::rtl
