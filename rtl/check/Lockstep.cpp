//===- Lockstep.cpp - RTL neurocore against the SystemC core logic --------===//
//
// Per step t the reference takes each input spike (CoreLogic::receive(t, a))
// at the cycle the RTL's harness offers it and its queue has room
// (SynapseUnitTimer, the SystemC core's timing), then runs
// CoreLogic::update(t), whose spikes carry the cycle their compartment's
// update ends (an active update its program's chip::programCost, an idle one
// the inactive update's); the step ends when the update and the synapse unit
// are both done. The RTL gets step_start and the same spikes from the same
// cycle. Compared, in order: the spiking sets (both in index order), each
// spike's cycle, each input's accept cycle, the step's cycles, and every
// compartment's state words, read through the RTL's state port.
//
//===----------------------------------------------------------------------===//
#include "cajal/Rtl/Lockstep.h"

#include "cajal/Rtl/CoreVcd.h"
#include "cajal/Rtl/RtlCore.h"
#include "cajal/SystemC/CoreLogic.h"
#include "cajal/SystemC/SynapseUnitTimer.h"
#include "cajal/SystemC/Timing.h"

#include <algorithm>
#include <climits>

namespace cajal::rtl {

std::string Divergence::message(const char *referenceName) const {
  const std::string where =
      field == "cycles" || field == "learning cycles" ||
              field.rfind("trace x", 0) == 0
          ? ""
      : field == "accept cycle"
          ? ", input spike " + std::to_string(compartment)
          : ", compartment " + std::to_string(compartment);
  return "step " + std::to_string(step) + where + ", field " + field +
         ": RTL " + std::to_string(rtl) + ", " + referenceName + " " +
         std::to_string(reference);
}

namespace {

/// Bits of an index in [0, n): the RTL's CMP_ADDR_W for n compartments.
unsigned addressBits(uint32_t n) {
  unsigned b = 1;
  while ((uint64_t(1) << b) < n)
    ++b;
  return b;
}

/// First difference of two sorted spike lists, as a Divergence.
std::optional<Divergence> compareSpikes(uint32_t step,
                                        const std::vector<uint32_t> &rtl,
                                        const std::vector<uint32_t> &ref) {
  size_t i = 0;
  while (i < rtl.size() && i < ref.size() && rtl[i] == ref[i])
    ++i;
  if (i == rtl.size() && i == ref.size())
    return std::nullopt;
  // The smaller index is the compartment present on one side only.
  const bool inRtl = i < rtl.size() && (i >= ref.size() || rtl[i] < ref[i]);
  const uint32_t c = inRtl ? rtl[i] : ref[i];
  return Divergence{step, c, "spike", inRtl ? 1 : 0, inRtl ? 0 : 1};
}

/// First difference of two cycle lists of the same length (spikes or
/// accepted inputs); `ids` names the entries (compartments), or the index.
std::optional<Divergence> compareCycles(uint32_t step, const char *field,
                                        const std::vector<uint64_t> &rtl,
                                        const std::vector<uint64_t> &ref,
                                        const std::vector<uint32_t> *ids) {
  for (size_t i = 0; i < rtl.size() && i < ref.size(); ++i)
    if (rtl[i] != ref[i])
      return Divergence{step, ids ? (*ids)[i] : uint32_t(i), field,
                        int64_t(rtl[i]), int64_t(ref[i])};
  if (rtl.size() != ref.size()) // an input the RTL never accepted
    return Divergence{step, uint32_t(std::min(rtl.size(), ref.size())), field,
                      -1, 0};
  return std::nullopt;
}

/// First differing state word; fields are named after the program's words.
std::optional<Divergence> compareState(uint32_t step, uint32_t c,
                                       const chip::Program &program,
                                       const std::vector<int32_t> &rtl,
                                       const std::vector<int32_t> &ref) {
  for (size_t i = 0; i < ref.size(); ++i) {
    const int32_t got = i < rtl.size() ? rtl[i] : 0;
    if (got != ref[i])
      return Divergence{step, c,
                        i < program.state.size() ? program.state[i].name
                                                 : "s" + std::to_string(i),
                        got, ref[i]};
  }
  return std::nullopt;
}

/// After a step: every learning axon's and compartment's traces in the RTL
/// against the reference's.
std::optional<Divergence> compareTraces(uint32_t step, const chip::Core &core,
                                        RtlCore &rtl,
                                        const systemc::CoreLogic &ref,
                                        LockstepReport &rep) {
  static const char *const kPre[2] = {"x1", "x2"};
  static const char *const kPost[3] = {"y1", "y2", "y3"};
  for (uint32_t a = 0; a < core.inputAxons.size(); ++a) {
    if (!core.inputAxons[a].learns())
      continue;
    const std::array<uint32_t, 2> got = rtl.preTraces(a);
    for (unsigned k = 0; k < 2; ++k) {
      ++rep.traceChecks;
      if (got[k] != ref.preTrace(a, k))
        return Divergence{step, 0,
                          std::string("trace ") + kPre[k] + " of axon " +
                              std::to_string(a),
                          got[k], ref.preTrace(a, k)};
    }
  }
  for (uint32_t c = 0; c < core.compartments.size(); ++c) {
    const std::array<uint32_t, 3> got = rtl.postTraces(c);
    for (unsigned k = 0; k < 3; ++k) {
      ++rep.traceChecks;
      if (got[k] != ref.postTrace(c, k))
        return Divergence{step, c, std::string("trace ") + kPost[k], got[k],
                          ref.postTrace(c, k)};
    }
  }
  return std::nullopt;
}

/// After an epoch: every learning synapse's weight in the RTL's synapse
/// memory against the reference's; counts those that left the image's.
std::optional<Divergence> compareWeights(uint32_t step, const chip::Core &core,
                                         const chip::Core &imageCore,
                                         RtlCore &rtl,
                                         const systemc::CoreLogic &ref,
                                         LockstepReport &rep) {
  rep.weightsChanged = 0;
  std::vector<chip::Synapse> initial;
  for (uint32_t a = 0; a < core.inputAxons.size(); ++a) {
    const chip::InputAxon &axon = core.inputAxons[a];
    if (!axon.learns())
      continue;
    const std::vector<chip::Synapse> got = rtl.synapses(a);
    const std::vector<chip::Synapse> want = ref.synapses(a);
    chip::unpackSynapses(imageCore.synapseWords, imageCore.inputAxons[a],
                         rtl.synapseFormat(), initial);
    for (size_t i = 0; i < want.size(); ++i) {
      ++rep.weightChecks;
      const int32_t w = i < got.size() ? got[i].mantissa : INT32_MIN;
      if (w != want[i].mantissa)
        return Divergence{step, want[i].compartment,
                          "weight of axon " + std::to_string(a) + " synapse " +
                              std::to_string(i),
                          w, want[i].mantissa};
      if (i < initial.size() && w != initial[i].mantissa)
        ++rep.weightsChanged;
    }
  }
  return std::nullopt;
}

} // namespace

Result<LockstepReport>
runLockstep(const chip::Core &rtlCore, const chip::Core &referenceCore,
            const chip::Profile &profile,
            const std::vector<std::vector<uint32_t>> &inputs) {
  return runLockstep(rtlCore, referenceCore, profile, inputs, {});
}

Result<LockstepReport>
runLockstep(const chip::Core &rtlCore, const chip::Core &referenceCore,
            const chip::Profile &profile,
            const std::vector<std::vector<uint32_t>> &inputs,
            const LockstepTrace &trace) {
  return runLockstep(rtlCore, referenceCore, profile, inputs, trace, {});
}

Result<LockstepReport>
runLockstep(const chip::Core &rtlCore, const chip::Core &referenceCore,
            const chip::Profile &profile,
            const std::vector<std::vector<uint32_t>> &inputs,
            const LockstepTrace &trace, const LockstepPrograms &programs) {
  if (rtlCore.compartments.size() != referenceCore.compartments.size())
    return makeError("lockstep: RTL core has " +
                     std::to_string(rtlCore.compartments.size()) +
                     " compartments, reference core " +
                     std::to_string(referenceCore.compartments.size()));
  const uint32_t axonCount = uint32_t(
      std::min(rtlCore.inputAxons.size(), referenceCore.inputAxons.size()));
  for (size_t t = 0; t < inputs.size(); ++t)
    for (uint32_t a : inputs[t])
      if (a >= axonCount)
        return makeError("lockstep: step " + std::to_string(t) +
                         ": input axon " + std::to_string(a) +
                         " out of range (core has " +
                         std::to_string(axonCount) + " input axons)");
  auto rtl = programs.resolved
                 ? RtlCore::create(rtlCore, profile, *programs.resolved,
                                   programs.imageCore)
                 : RtlCore::create(rtlCore, profile);
  if (!rtl)
    return rtl.takeError();
  std::optional<CoreVcd> vcd;
  if (!trace.rtlVcd.empty())
    if (Status s = (*rtl)->openTrace(trace.rtlVcd); !s)
      return makeError(s.error());
  if (!trace.emulatorVcd.empty()) {
    auto v = CoreVcd::create(trace.emulatorVcd,
                             addressBits(profile.core.compartments));
    if (!v)
      return v.takeError();
    vcd.emplace(std::move(*v));
  }
  const bool learns = programs.image && programs.image->learning.enabled();
  if (learns && !programs.resolved)
    return makeError("lockstep: a core that learns needs the image's "
                     "resolved programs");
  systemc::CoreLogic::LearningSetup setup;
  if (learns) {
    setup = systemc::CoreLogic::learningSetupFor(*programs.image,
                                                 programs.imageCore);
    if (Status s = (*rtl)->loadLearning(*programs.image, programs.imageCore);
        !s)
      return makeError(s.error());
  }
  std::optional<systemc::CoreLogic> logic;
  if (programs.resolved)
    logic.emplace(referenceCore, profile, *programs.resolved,
                  programs.imageCore, learns ? &setup : nullptr);
  else
    logic.emplace(referenceCore, profile);
  systemc::CoreLogic &ref = *logic;
  // The state words' names, per compartment's program.
  const CoreProgramTable table = coreProgramTable(
      referenceCore, profile, programs.resolved, programs.imageCore);
  const systemc::Timing timing = systemc::timingFor(profile);
  systemc::SynapseUnitTimer synapseUnit(timing);
  LockstepReport rep;
  const uint32_t n = ref.compartmentCount();
  std::vector<systemc::CoreLogic::Emission> emissions;
  std::vector<uint32_t> refSpikes;
  std::vector<uint64_t> refSpikeCycles, refAccepts;
  CoreVcdStep vs;
  vs.queueDepth = timing.inputQueueDepth;
  for (uint32_t t = 0; t < inputs.size(); ++t) {
    vs.tick = (*rtl)->cycles();
    vs.queued.clear();
    vs.compartmentEnds.clear();
    synapseUnit.reset(0);
    refAccepts.clear();
    uint64_t offer = 0; // the harness offers the next spike from this cycle
    for (uint32_t a : inputs[t]) {
      const systemc::CoreLogic::ReadStats rd = ref.receive(t, a);
      const uint64_t arrival = synapseUnit.slotFreeAt(offer);
      const auto service = synapseUnit.accept(arrival, rd.synapses);
      if (service.begin > arrival)
        vs.queued.push_back({arrival, service.begin});
      refAccepts.push_back(arrival);
      offer = arrival + 1;
    }
    emissions.clear();
    const auto up =
        ref.update(t, timing.activeUpdateCycles, timing.inactiveUpdateCycles,
                   emissions, vcd ? &vs.compartmentEnds : nullptr);
    const uint64_t refCycles = std::max(up.cycles, synapseUnit.busyUntil());
    refSpikes.clear();
    refSpikeCycles.clear();
    for (const auto &e : emissions) {
      refSpikes.push_back(e.compartment);
      refSpikeCycles.push_back(e.cycle);
    }
    if (vcd) {
      vs.spikes = refSpikes;
      vs.updateEnd = up.cycles;
      vs.end = refCycles;
      vcd->step(vs);
    }
    const RtlStep rs = (*rtl)->step(inputs[t]);
    rep.steps = t + 1;
    rep.spikes += rs.spikes.size();
    rep.inputSpikes += inputs[t].size();
    rep.rtlCycles += rs.cycles;
    rep.referenceCycles += refCycles;
    if ((rep.divergence = compareSpikes(t, rs.spikes, refSpikes)) ||
        (rep.divergence = compareCycles(t, "spike cycle", rs.spikeCycles,
                                        refSpikeCycles, &refSpikes)) ||
        (rep.divergence = compareCycles(t, "accept cycle", rs.acceptCycles,
                                        refAccepts, nullptr)))
      break;
    if (rs.hung || rs.cycles != refCycles) {
      rep.divergence =
          Divergence{t, 0, "cycles", int64_t(rs.cycles), int64_t(refCycles)};
      break;
    }
    bool epochEnd = false;
    if (learns) {
      ref.learn(t, emissions);
      epochEnd = (uint64_t(t) + 1) % programs.image->learning.epochSteps == 0;
      rep.learnCycles += rs.learnCycles;
      const uint64_t want = (*rtl)->expectedLearnCycles(epochEnd);
      if (rs.learnCycles != want) {
        rep.divergence = Divergence{t, 0, "learning cycles",
                                    int64_t(rs.learnCycles), int64_t(want)};
        break;
      }
    }
    for (uint32_t c = 0; c < n && !rep.divergence; ++c) {
      rep.divergence = compareState(t, c, table.programs[table.programOf[c]],
                                    (*rtl)->stateWords(c), ref.stateWords(c));
      ++rep.stateChecks;
    }
    if (rep.divergence)
      break;
    if (learns &&
        (rep.divergence = compareTraces(t, referenceCore, **rtl, ref, rep)))
      break;
    if (epochEnd) {
      ++rep.epochs;
      rep.divergence = compareWeights(t, referenceCore,
                                      programs.image->cores[programs.imageCore],
                                      **rtl, ref, rep);
      if (rep.divergence)
        break;
    }
  }
  if (vcd)
    if (Status s = vcd->finish(); !s)
      return makeError(s.error());
  return rep;
}

} // namespace cajal::rtl
