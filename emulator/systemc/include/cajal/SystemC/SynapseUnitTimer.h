//===- SynapseUnitTimer.h - When a neurocore's synapse unit works -*- C++ -*-//
//
// The timing half of a neurocore's synapse unit (docs/neurocore.md): an
// input spike arriving at cycle a waits in a queue of core.inputQueueDepth
// entries until the unit is free, is taken at begin = max(a, previous
// finish) (its queue entry is freed then) and keeps the unit busy until
// finish = begin + spikeDispatchCycles + synapses x synapticOpCycles. The
// SystemC core module and the RTL lockstep check both time input spikes
// with this class, so the RTL is held to the same micro-architecture.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_SYSTEMC_SYNAPSEUNITTIMER_H
#define CAJAL_SYSTEMC_SYNAPSEUNITTIMER_H

#include <cstdint>
#include <vector>

namespace cajal::systemc {

struct Timing;

class SynapseUnitTimer {
public:
  SynapseUnitTimer() = default;
  explicit SynapseUnitTimer(const Timing &timing);

  /// Start of a step at cycle `now`: the queue is empty, the unit idle.
  void reset(uint64_t now);
  /// Earliest cycle >= now at which the queue has a free entry.
  uint64_t slotFreeAt(uint64_t now);

  struct Service {
    uint64_t begin = 0;  ///< the unit takes the spike
    uint64_t finish = 0; ///< the unit can take the next one
    uint64_t cycles() const { return finish - begin; }
  };
  /// A spike with `synapses` synapses arrives at `arrival`, which must be
  /// >= slotFreeAt(arrival) (the sender waits for room).
  Service accept(uint64_t arrival, uint32_t synapses);

  uint64_t busyUntil() const { return busyEnd; }
  /// Queue entries held after the last accept (including a spike taken at
  /// its arrival cycle, whose entry frees at the next query).
  uint32_t waiting() const { return count; }

private:
  uint32_t dispatchCycles = 0, synapticOpCycles = 0;
  std::vector<uint64_t> begins; ///< ring: begin cycle of each queued spike
  uint32_t head = 0, count = 0;
  uint64_t busyEnd = 0;
};

} // namespace cajal::systemc

#endif // CAJAL_SYSTEMC_SYNAPSEUNITTIMER_H
