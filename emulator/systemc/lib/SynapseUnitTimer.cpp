//===- SynapseUnitTimer.cpp - When a neurocore's synapse unit works -------===//

#include "cajal/SystemC/SynapseUnitTimer.h"

#include "cajal/SystemC/Timing.h"

#include <algorithm>

namespace cajal::systemc {

SynapseUnitTimer::SynapseUnitTimer(const Timing &timing)
    : dispatchCycles(timing.spikeDispatchCycles),
      synapticOpCycles(timing.synapticOpCycles),
      begins(std::max<uint32_t>(timing.inputQueueDepth, 1), 0) {}

void SynapseUnitTimer::reset(uint64_t now) {
  head = count = 0;
  busyEnd = now;
}

uint64_t SynapseUnitTimer::slotFreeAt(uint64_t now) {
  const uint32_t depth = uint32_t(begins.size());
  // An entry is free from the cycle its spike is taken.
  while (count > 0 && begins[head] <= now) {
    head = head + 1 == depth ? 0 : head + 1;
    --count;
  }
  return count < depth ? now : begins[head];
}

SynapseUnitTimer::Service SynapseUnitTimer::accept(uint64_t arrival,
                                                   uint32_t synapses) {
  slotFreeAt(arrival);
  Service s;
  s.begin = std::max(arrival, busyEnd);
  s.finish = s.begin + dispatchCycles + uint64_t(synapses) * synapticOpCycles;
  busyEnd = s.finish;
  const uint32_t depth = uint32_t(begins.size());
  begins[(head + count) % depth] = s.begin;
  ++count;
  return s;
}

} // namespace cajal::systemc
