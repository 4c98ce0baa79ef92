//===- Lockstep.cpp - RTL neurocore against the SystemC core logic --------===//
//
// Per step t: CoreLogic::receive(t, a) for each input spike, then
// CoreLogic::update(t); the RTL gets the same spikes and one start/done
// handshake. Then the spiking sets are compared (both in index order) and
// every compartment's state is read from the RTL's state port and compared
// field by field with CoreLogic::state.
//
//===----------------------------------------------------------------------===//
#include "cajal/Rtl/Lockstep.h"

#include "cajal/Rtl/CoreVcd.h"
#include "cajal/Rtl/RtlCore.h"
#include "cajal/SystemC/CoreLogic.h"
#include "cajal/SystemC/Timing.h"

#include <algorithm>

namespace cajal::rtl {

std::string Divergence::message() const {
  return "step " + std::to_string(step) + ", compartment " +
         std::to_string(compartment) + ", field " + field + ": RTL " +
         std::to_string(rtl) + ", reference " + std::to_string(reference);
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

std::optional<Divergence> compareState(uint32_t step, uint32_t c,
                                       const chip::CompartmentState &rtl,
                                       const chip::CompartmentState &ref) {
  if (rtl.u != ref.u)
    return Divergence{step, c, "u", rtl.u, ref.u};
  if (rtl.v != ref.v)
    return Divergence{step, c, "v", rtl.v, ref.v};
  if (rtl.refractoryLeft != ref.refractoryLeft)
    return Divergence{step, c, "refractory", rtl.refractoryLeft,
                      ref.refractoryLeft};
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
  auto rtl = RtlCore::create(rtlCore, profile);
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
  systemc::CoreLogic ref(referenceCore, profile);
  const systemc::Timing timing = systemc::timingFor(profile);
  LockstepReport rep;
  const uint32_t n = ref.compartmentCount();
  std::vector<systemc::CoreLogic::Emission> emissions;
  std::vector<uint32_t> refSpikes;
  for (uint32_t t = 0; t < inputs.size(); ++t) {
    uint64_t tick = (*rtl)->cycles(); // the emulator VCD's clock
    for (uint32_t a : inputs[t]) {
      const auto rd = ref.receive(t, a);
      if (vcd)
        vcd->spike(tick, rd.synapses ? rd.words + rd.synapses : 0);
      tick += 1 + (rd.synapses ? rd.words + rd.synapses : 0);
      rep.expectedRtlCycles += 1 + rd.words + rd.synapses;
      rep.systemcCoreCycles += uint64_t(rd.synapses) * timing.synapticOpCycles;
    }
    emissions.clear();
    const auto up = ref.update(t, timing.activeUpdateCycles,
                               timing.inactiveUpdateCycles, emissions);
    rep.expectedRtlCycles += 1 + n;
    rep.systemcCoreCycles += up.cycles;
    refSpikes.clear();
    for (const auto &e : emissions)
      refSpikes.push_back(e.compartment);
    if (vcd)
      vcd->update(tick, n, refSpikes);
    const RtlStep rs = (*rtl)->step(inputs[t]);
    rep.steps = t + 1;
    rep.spikes += rs.spikes.size();
    rep.rtlCycles += rs.synapseCycles + rs.updateCycles;
    if ((rep.divergence = compareSpikes(t, rs.spikes, refSpikes)))
      break;
    for (uint32_t c = 0; c < n && !rep.divergence; ++c) {
      rep.divergence = compareState(t, c, (*rtl)->state(c), ref.state(c));
      ++rep.stateChecks;
    }
    if (rep.divergence)
      break;
  }
  if (vcd)
    if (Status s = vcd->finish(); !s)
      return makeError(s.error());
  return rep;
}

} // namespace cajal::rtl
