//===- Fabric.h - Core, router, host, barrier modules -----------*- C++ -*-===//
//
// Internal to CajalSystemC. The fabric is the elaborated chip: one
// RouterModule per tile of the profile's mesh, one CoreModule per core slot,
// one HostModule and one BarrierModule. SystemC allows one elaboration per
// process, so the fabric is built once (for a mesh shape) and an image is
// loaded into it, as a program is loaded into a chip; the modules of unused
// cores stay asleep. Every process is an SC_METHOD woken by an sc_event that
// is notified with the delay of the work it waits for: no process runs per
// cycle, and work of known length is one timed notification.
//
// Packets move by direct calls between modules (like TLM non-blocking
// transport): a sender checks hasSpace() on the receiver's input buffer,
// calls accept(), and the receiver wakes at the packet's arrival cycle.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_SYSTEMC_LIB_FABRIC_H
#define CAJAL_SYSTEMC_LIB_FABRIC_H

#include "Recorder.h"

#include "cajal/Chip/Profile.h"
#include "cajal/Chip/Result.h"
#include "cajal/SystemC/CoreLogic.h"
#include "cajal/SystemC/PowerReport.h"
#include "cajal/SystemC/SynapseUnitTimer.h"
#include "cajal/SystemC/Timing.h"

#include <systemc>

#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

namespace cajal::systemc::detail {

constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
constexpr uint64_t kNever = std::numeric_limits<uint64_t>::max();

/// One destination of a spike: an input axon of an image core, with the
/// mesh position of that core. Route tables are sorted by (x, y, slot), so
/// every branch of a dimension-order multicast tree is a contiguous range.
struct RouteEntry {
  uint32_t x = 0, y = 0, slot = 0;
  uint32_t core = 0; ///< image core index
  uint32_t axon = 0; ///< its input axon
};

/// A spike message: the destinations [begin, end) of a route table.
struct Packet {
  const RouteEntry *targets = nullptr;
  uint32_t begin = 0, end = 0;
  uint64_t readyAt = 0;         ///< cycle it is at the receiving buffer
  uint32_t source = kNone;      ///< image core that spiked; kNone: the host
  uint32_t stall = 0;           ///< longest wait in one router so far
  uint32_t stallRouter = kNone; ///< that router's index
};

/// Ports are bits of a 64-bit mask: at most this many cores per tile.
constexpr uint32_t kMaxCoresPerTile = 59;

/// Router ports. Outputs: the four mesh links, then one ejection link per
/// core slot. Inputs: the four mesh links (named by the side a packet
/// enters from), one per core slot, then the host link.
enum Port : uint32_t { East = 0, West = 1, North = 2, South = 3, Local = 4 };

/// A counted event of one step of one core (emulator::CoreCounters plus time).
struct CoreStep {
  uint32_t active = 0, inactive = 0, spikes = 0;
  double activePJ = 0; ///< energy of the active updates
  uint64_t axonEvents = 0, synapticOps = 0, words = 0, synapseCycles = 0;
  uint32_t maxQueue = 0;
  uint64_t learningUpdates = 0; ///< synapses the learning phase updated
};

/// The per-image state of a used neurocore.
struct CoreUnit {
  CoreUnit(const chip::Core &core, const chip::Profile &p,
           const chip::ResolvedPrograms &programs, uint32_t coreIndex,
           const CoreLogic::LearningSetup *learning = nullptr)
      : logic(core, p, programs, coreIndex, learning), index(coreIndex),
        synUnit(timingFor(p)) {}
  CoreLogic logic;
  uint32_t index;                            ///< image core
  uint32_t x = 0, y = 0, slot = 0, chip = 0; ///< where it sits
  /// Route table: destinations of compartment c are
  /// routes[routeBegin[c] .. routeBegin[c + 1]).
  std::vector<uint32_t> routeBegin;
  std::vector<RouteEntry> routes;

  // The current step.
  std::vector<CoreLogic::Emission> emissions;
  std::vector<Packet> pending; ///< spikes not yet in the router
  size_t cursor = 0;
  /// The input queue and synapse unit's timing; synBusyUntil mirrors its
  /// busyUntil() for the barrier and the step report.
  SynapseUnitTimer synUnit;
  uint64_t updateDoneAt = 0, synBusyUntil = 0;
  /// When its learning phase ends: after its update and synaptic input.
  uint64_t learningDoneAt = 0;
  bool hasLast = false; ///< the last spike the synapse unit took
  uint64_t lastArrival = 0, lastStart = 0;
  Packet lastPacket;
  CoreStep step;

  // Totals over the run.
  EventCounts events;
  uint64_t updateCycles = 0, synapseCycles = 0, wordsRead = 0;
  uint32_t maxQueue = 0, limitedSteps = 0;
};

class Fabric;
class RouterModule;

class CoreModule : public sc_core::sc_module {
public:
  SC_HAS_PROCESS(CoreModule);
  CoreModule(sc_core::sc_module_name name, Fabric &fabric, uint32_t slot);
  sc_core::sc_event start;
  CoreUnit *unit = nullptr;
  RouterModule *router = nullptr;
  uint32_t slot;

  /// The router took a packet from this core's port: send the next one.
  void creditReturned();
  /// Earliest cycle >= now at which the input queue has a free entry.
  uint64_t inputSlotFreeAt(uint64_t now);
  /// Eject destination `e` of `p` into the input queue at cycle `now`.
  void deliver(const RouteEntry &e, uint64_t now, const Packet &p);

private:
  void activate(); ///< step start: the update phase
  void pushOutputs(uint64_t now);
  Fabric &fabric;
};

class HostModule : public sc_core::sc_module {
public:
  SC_HAS_PROCESS(HostModule);
  HostModule(sc_core::sc_module_name name, Fabric &fabric);
  sc_core::sc_event start;
  std::vector<Packet> pending; ///< source spikes of this step
  size_t cursor = 0;
  RouterModule *router = nullptr;
  void creditReturned();

private:
  void activate();
  Fabric &fabric;
};

class RouterModule : public sc_core::sc_module {
public:
  SC_HAS_PROCESS(RouterModule);
  RouterModule(sc_core::sc_module_name name, Fabric &fabric, uint32_t x,
               uint32_t y, uint32_t coresPerTile);
  sc_core::sc_event wake;
  const uint32_t x, y, index;
  RouterModule *neighbor[4] = {nullptr, nullptr, nullptr, nullptr};
  std::vector<CoreModule *> cores; ///< by slot
  HostModule *host = nullptr;

  void reset(uint32_t depth);
  uint32_t hostPort() const { return Local + uint32_t(cores.size()); }
  bool hasSpace(uint32_t port) const {
    return inputs[port].count < inputs[port].ring.size();
  }
  void accept(uint32_t port, const Packet &p);
  /// Packets held, and a diagnostic of what the oldest one waits for.
  uint32_t buffered() const;
  std::string blockedReason() const;

  // Statistics over the run.
  EventCounts events; ///< hops sent
  uint64_t stallCycles = 0;
  uint32_t maxBuffered = 0, limitedSteps = 0;

private:
  struct Range {
    uint32_t begin = 0, end = 0;
  };
  struct InPort {
    std::vector<Packet> ring;
    uint32_t head = 0, count = 0;
    bool routed = false;       ///< branches of the head computed
    uint64_t pending = 0;      ///< output ports with a branch left to send
    std::vector<Range> branch; ///< per output port
    Packet &front() { return ring[head]; }
  };
  void activate();
  void serve(uint32_t port, uint64_t now, uint64_t &next);
  void route(InPort &in);
  void sendMesh(InPort &in, uint32_t out, uint64_t now, uint64_t &next);
  void eject(InPort &in, uint32_t out, uint64_t now, uint64_t &next);
  void pop(uint32_t port, uint64_t now);
  void wakeAt(uint64_t cycle);

  Fabric &fabric;
  std::vector<InPort> inputs;
  uint64_t occupied = 0;           ///< input ports holding packets
  std::vector<uint64_t> linkFree;  ///< per output: cycle it is free
  std::vector<bool> waitingCredit; ///< per mesh output: blocked on space
  uint64_t scheduled = kNever;     ///< cycle of the pending wake-up
  uint32_t roundRobin = 0;
  uint32_t held = 0;
};

class BarrierModule : public sc_core::sc_module {
public:
  SC_HAS_PROCESS(BarrierModule);
  BarrierModule(sc_core::sc_module_name name, Fabric &fabric);
  sc_core::sc_event delivered; ///< every packet of the step delivered
  sc_core::sc_event release;   ///< the barrier completes

private:
  void onDelivered();
  void onRelease();
  Fabric &fabric;
};

/// The elaborated chip and the state of the current step.
class Fabric {
public:
  /// The process-wide fabric for `profile`'s mesh, elaborated on first use.
  /// Errors: a fabric of another mesh shape exists, or is in use.
  /// Also refuses a mesh with more core slots than the model elaborates
  /// and a clock whose period is not 1 to 2^32 ticks of SystemC time.
  static Result<Fabric *> acquire(const chip::Profile &profile);
  /// The clock period of `profile` in ticks of the SystemC time resolution,
  /// or an error naming the profile and cost.clockHz.
  static Result<uint64_t> ticksPerCycleFor(const chip::Profile &profile);
  void release();

  /// Attach the image's used cores (by mesh position) and the timing.
  Status load(std::vector<CoreUnit *> units, const chip::Image &image,
              const Timing &timing, Recorder *recorder);
  /// Run one step from the current time. Returns false if it did not
  /// close (see diagnose()).
  bool runStep(uint32_t step, std::vector<Packet> hostSpikes);
  std::string diagnose(uint32_t step) const;

  uint64_t now() const;
  void wakeAt(sc_core::sc_event &e, uint64_t cycle);
  /// Packets in flight (and cores still generating) in this step.
  void addOutstanding(int64_t n) {
    outstanding += n;
    if (outstanding == 0)
      barrier->delivered.notify(sc_core::SC_ZERO_TIME);
  }
  void logRouter(uint32_t router, uint64_t cycle, int64_t delta) {
    if (recorder && routerSignal[router] != kNone)
      recorder->change(cycle, routerSignal[router], delta);
  }
  void logCore(const CoreUnit &u, uint32_t which, uint64_t cycle,
               int64_t delta) {
    if (recorder)
      recorder->change(cycle, coreSignal[u.index] + which, delta);
  }
  /// Offsets of a core's signals from coreSignal[core].
  enum CoreSignal : uint32_t {
    UpdateBusy,
    SynapseBusy,
    InputQueue,
    OutputQueue
  };
  void closeWork(); ///< the barrier starts: find the step's limiter
  void closeStep(); ///< the barrier completes
  uint64_t ticks() const { return ticksPerCycle; }

  uint32_t width = 0, height = 0, coresPerTile = 0;
  Timing timing;
  Recorder *recorder = nullptr;
  std::vector<uint32_t> coreSignal;   ///< first signal of each image core
  std::vector<uint32_t> routerSignal; ///< per router, kNone: not recorded
  uint32_t stepIndex = 0;
  uint64_t stepStart = 0, workEnd = 0, stepEnd = 0;
  uint64_t barrierCycles = 0;
  uint32_t tiles = 0;
  bool stepClosed = false;
  Limiter limiter;
  std::vector<RouterModule *> routers;
  std::vector<CoreModule *> cores; ///< by (y * width + x) * coresPerTile + slot
  std::vector<CoreModule *> used;  ///< modules of the image's cores
  HostModule *host = nullptr;

private:
  Fabric() = default;
  void elaborate(const chip::Profile &profile);
  void reset();
  Limiter findLimiter() const;
  BarrierModule *barrier = nullptr;
  int64_t outstanding = 0;
  uint64_t ticksPerCycle = 1; ///< SystemC time units per clock cycle
  uint64_t originTicks = 0;   ///< SystemC time of cycle 0 of this image
  bool inUse = false;
};

} // namespace cajal::systemc::detail

#endif // CAJAL_SYSTEMC_LIB_FABRIC_H
