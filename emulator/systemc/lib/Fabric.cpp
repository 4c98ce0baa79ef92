//===- Fabric.cpp - Neurocore, host and barrier modules; the chip ---------===//
//
// A step (docs/emulator.md draws it): the engine gives the host its source
// spikes and notifies `start` of every used core and of the host. Each core
// runs its whole update phase in one activation (the compartments'
// functional update is independent of this step's input, which lands in
// later accumulator slots), so every spike is known with the cycle its
// compartment's update finishes; the spikes enter the router's local port
// as buffer space allows. The synapse unit is a FIFO server whose timing is
// computed when a spike is ejected into it: start = max(arrival, previous
// finish), finish = start + synapses x synaptic-op cycles; its weights are
// added at once. A counter of outstanding work (cores still generating,
// packets in buffers) reaches zero when the last spike has been ejected;
// the barrier then waits for the busiest unit to finish, adds the barrier
// time for the participating tiles and pauses the simulation.
//
//===----------------------------------------------------------------------===//
#include "Fabric.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

namespace cajal::systemc::detail {

using sc_core::sc_module_name;
using sc_core::SC_ZERO_TIME;

namespace {
std::string str(uint64_t v) { return std::to_string(v); }
std::string shortNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}
/// Keep timed notifications far from the 64-bit end of SystemC time.
constexpr uint64_t kMaxTimeoutTicks = uint64_t(1) << 60;
/// The longest clock period, in ticks of the SystemC time resolution: at
/// 1 ps, clocks down to about 233 Hz.
constexpr double kMaxTicksPerCycle = 4294967296.0;
/// The fabric elaborates a module for every core slot and router of the
/// mesh: 2^17 slots hold Pohoiki Springs' 98,304 cores.
constexpr uint64_t kMaxModelCoreSlots = uint64_t(1) << 17;
} // namespace

//===----------------------------------------------------------------------===//
// CoreModule
//===----------------------------------------------------------------------===//

CoreModule::CoreModule(sc_module_name name, Fabric &owner, uint32_t tileSlot)
    : sc_module(name), slot(tileSlot), fabric(owner) {
  SC_METHOD(activate);
  sensitive << start;
  dont_initialize();
}

void CoreModule::activate() {
  if (!unit)
    return;
  CoreUnit &u = *unit;
  const uint64_t now = fabric.now();
  const Timing &t = fabric.timing;
  u.emissions.clear();
  u.pending.clear();
  u.cursor = 0;
  u.synUnit.reset(now);
  u.step = CoreStep();
  u.hasLast = false;
  u.synBusyUntil = now;
  const CoreLogic::UpdateStats st =
      u.logic.update(fabric.stepIndex, t.activeUpdateCycles,
                     t.inactiveUpdateCycles, u.emissions);
  u.updateDoneAt = now + st.cycles;
  u.step.active = st.active;
  u.step.inactive = st.inactive;
  u.step.activePJ = st.activeEnergyPJ;
  u.step.spikes = uint32_t(u.emissions.size());
  if (st.cycles > 0) {
    fabric.logCore(u, Fabric::UpdateBusy, now, +1);
    fabric.logCore(u, Fabric::UpdateBusy, u.updateDoneAt, -1);
  }
  for (const CoreLogic::Emission &e : u.emissions) {
    const uint32_t b = u.routeBegin[e.compartment];
    const uint32_t end = u.routeBegin[e.compartment + 1];
    if (b == end)
      continue; // a spike without output axons stays in the core
    Packet p;
    p.targets = u.routes.data();
    p.begin = b;
    p.end = end;
    p.readyAt = now + e.cycle;
    p.source = u.index;
    u.pending.push_back(p);
    fabric.logCore(u, Fabric::OutputQueue, p.readyAt, +1);
  }
  if (!u.pending.empty())
    fabric.addOutstanding(int64_t(u.pending.size()));
  pushOutputs(now);
  fabric.addOutstanding(-1); // this core has generated its spikes
}

void CoreModule::pushOutputs(uint64_t now) {
  CoreUnit &u = *unit;
  const uint32_t port = Local + slot;
  while (u.cursor < u.pending.size() && router->hasSpace(port)) {
    Packet p = u.pending[u.cursor++];
    p.readyAt = std::max(p.readyAt, now);
    fabric.logCore(u, Fabric::OutputQueue, p.readyAt, -1);
    router->accept(port, p);
  }
}

void CoreModule::creditReturned() {
  if (unit)
    pushOutputs(fabric.now());
}

uint64_t CoreModule::inputSlotFreeAt(uint64_t now) {
  return unit->synUnit.slotFreeAt(now);
}

void CoreModule::deliver(const RouteEntry &e, uint64_t now, const Packet &p) {
  CoreUnit &u = *unit;
  const Timing &t = fabric.timing;
  const uint64_t arrival = now + t.spikeInTileCycles;
  const CoreLogic::ReadStats rs = u.logic.receive(fabric.stepIndex, e.axon);
  const SynapseUnitTimer::Service sv = u.synUnit.accept(arrival, rs.synapses);
  const uint64_t begin = sv.begin, service = sv.cycles();
  u.synBusyUntil = sv.finish;
  u.step.maxQueue = std::max(u.step.maxQueue, u.synUnit.waiting());
  ++u.step.axonEvents;
  u.step.synapticOps += rs.synapses;
  u.step.words += rs.words;
  u.step.synapseCycles += service;
  u.hasLast = true;
  u.lastArrival = arrival;
  u.lastStart = begin;
  u.lastPacket = p;
  fabric.logCore(u, Fabric::InputQueue, arrival, +1);
  fabric.logCore(u, Fabric::InputQueue, begin, -1);
  if (service > 0) {
    fabric.logCore(u, Fabric::SynapseBusy, begin, +1);
    fabric.logCore(u, Fabric::SynapseBusy, begin + service, -1);
  }
}

//===----------------------------------------------------------------------===//
// HostModule, BarrierModule
//===----------------------------------------------------------------------===//

HostModule::HostModule(sc_module_name name, Fabric &owner)
    : sc_module(name), fabric(owner) {
  SC_METHOD(activate);
  sensitive << start;
  dont_initialize();
}

void HostModule::activate() {
  if (!pending.empty())
    fabric.addOutstanding(int64_t(pending.size()));
  creditReturned();
  fabric.addOutstanding(-1); // the host has injected its spikes
}

void HostModule::creditReturned() {
  const uint64_t now = fabric.now();
  const uint32_t port = router->hostPort();
  while (cursor < pending.size() && router->hasSpace(port)) {
    Packet p = pending[cursor++];
    p.readyAt = now;
    router->accept(port, p);
  }
}

BarrierModule::BarrierModule(sc_module_name name, Fabric &owner)
    : sc_module(name), fabric(owner) {
  SC_METHOD(onDelivered);
  sensitive << delivered;
  dont_initialize();
  SC_METHOD(onRelease);
  sensitive << release;
  dont_initialize();
}

void BarrierModule::onDelivered() {
  fabric.closeWork();
  fabric.wakeAt(release, fabric.stepEnd);
}

void BarrierModule::onRelease() {
  fabric.closeStep();
  sc_core::sc_pause();
}

//===----------------------------------------------------------------------===//
// Fabric
//===----------------------------------------------------------------------===//

namespace {
Fabric *theFabric = nullptr;
std::string shapeText(uint32_t w, uint32_t h, uint32_t c) {
  return str(w) + " x " + str(h) + " tiles of " + str(c) + " cores";
}
} // namespace

Result<uint64_t> Fabric::ticksPerCycleFor(const chip::Profile &profile) {
  const double clockHz = profile.cost.clockHz;
  const double resolution = sc_core::sc_get_time_resolution().to_seconds();
  // Checked as a double before converting: a period beyond 2^64 ticks would
  // convert to garbage (0 on x86), and now() divides by it.
  const double ticks = 1.0 / clockHz / resolution;
  if (ticks >= 1 && ticks <= kMaxTicksPerCycle)
    return uint64_t(ticks + 0.5);
  return makeError("SystemC model: profile \"" + profile.name +
                   "\": cost.clockHz = " + shortNumber(clockHz) +
                   " Hz gives a clock period of " + shortNumber(ticks) +
                   " ticks of the SystemC time resolution (" +
                   sc_core::sc_get_time_resolution().to_string() +
                   "); the model supports 1 to " +
                   shortNumber(kMaxTicksPerCycle) + " ticks (" +
                   shortNumber(1.0 / (resolution * kMaxTicksPerCycle)) +
                   " Hz to " + shortNumber(1.0 / resolution) + " Hz)");
}

Result<Fabric *> Fabric::acquire(const chip::Profile &profile) {
  const chip::MeshShape &m = profile.mesh;
  const uint64_t slots =
      uint64_t(m.tilesX) * m.chipsX * m.tilesY * m.chipsY * m.coresPerTile;
  if (m.coresPerTile > kMaxCoresPerTile)
    return makeError("SystemC model: profile \"" + profile.name +
                     "\": " + "mesh.coresPerTile = " + str(m.coresPerTile) +
                     " exceeds the model's " + str(kMaxCoresPerTile) +
                     " cores per router");
  if (slots > kMaxModelCoreSlots)
    return makeError("SystemC model: profile \"" + profile.name +
                     "\": the "
                     "mesh has " +
                     str(slots) +
                     " core slots; the model "
                     "elaborates every slot and supports at most " +
                     str(kMaxModelCoreSlots));
  Result<uint64_t> ticks = ticksPerCycleFor(profile);
  if (!ticks)
    return ticks.takeError();
  // Both products fit 32 bits now.
  const uint32_t w = m.tilesX * m.chipsX, h = m.tilesY * m.chipsY;
  if (!theFabric) {
    if (sc_core::sc_get_status() != sc_core::SC_ELABORATION)
      return makeError("SystemC model: this process already started a "
                       "SystemC simulation; the chip must be elaborated "
                       "before the first sc_start");
    // The banner of the SystemC library would go to stdout.
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    auto *f = new Fabric();
    try {
      f->elaborate(profile);
    } catch (const std::exception &e) {
      return makeError(std::string("SystemC model: elaboration failed: ") +
                       e.what());
    }
    theFabric = f;
  } else if (theFabric->width != w || theFabric->height != h ||
             theFabric->coresPerTile != m.coresPerTile) {
    return makeError(
        "SystemC model: profile \"" + profile.name + "\" has a mesh of " +
        shapeText(w, h, m.coresPerTile) + ", but this process elaborated " +
        shapeText(theFabric->width, theFabric->height,
                  theFabric->coresPerTile) +
        " (SystemC elaborates once per process: run it in a new process)");
  }
  if (theFabric->inUse)
    return makeError("SystemC model: another SystemCEngine is alive in this "
                     "process (one at a time)");
  theFabric->inUse = true;
  theFabric->ticksPerCycle = *ticks;
  return theFabric;
}

void Fabric::release() {
  reset();
  inUse = false;
}

void Fabric::elaborate(const chip::Profile &profile) {
  const chip::MeshShape &m = profile.mesh;
  width = m.tilesX * m.chipsX;
  height = m.tilesY * m.chipsY;
  coresPerTile = m.coresPerTile;
  for (uint32_t y = 0; y < height; ++y)
    for (uint32_t x = 0; x < width; ++x) {
      const std::string at = str(x) + "_" + str(y);
      auto *r = new RouterModule(("cajal_router_" + at).c_str(), *this, x, y,
                                 coresPerTile);
      routers.push_back(r);
      for (uint32_t s = 0; s < coresPerTile; ++s) {
        auto *c = new CoreModule(("cajal_core_" + at + "_" + str(s)).c_str(),
                                 *this, s);
        c->router = r;
        r->cores[s] = c;
        cores.push_back(c);
      }
    }
  for (RouterModule *r : routers) {
    auto at = [&](uint32_t x, uint32_t y) { return routers[x + y * width]; };
    r->neighbor[East] = r->x + 1 < width ? at(r->x + 1, r->y) : nullptr;
    r->neighbor[West] = r->x > 0 ? at(r->x - 1, r->y) : nullptr;
    r->neighbor[North] = r->y + 1 < height ? at(r->x, r->y + 1) : nullptr;
    r->neighbor[South] = r->y > 0 ? at(r->x, r->y - 1) : nullptr;
  }
  host = new HostModule("cajal_host", *this);
  host->router = routers[0];
  routers[0]->host = host;
  barrier = new BarrierModule("cajal_barrier", *this);
}

void Fabric::reset() {
  for (RouterModule *r : routers)
    r->reset(timing.routerBufferDepth ? timing.routerBufferDepth : 1);
  for (CoreModule *c : used) {
    c->start.cancel();
    c->unit = nullptr;
  }
  used.clear();
  host->start.cancel();
  host->pending.clear();
  host->cursor = 0;
  barrier->delivered.cancel();
  barrier->release.cancel();
  outstanding = 0;
  recorder = nullptr;
}

Status Fabric::load(std::vector<CoreUnit *> units, const chip::Image &image,
                    const Timing &t, Recorder *rec) {
  timing = t;
  reset();
  recorder = rec;
  originTicks = sc_core::sc_time_stamp().value();
  std::set<std::pair<uint32_t, uint32_t>> tileSet;
  for (CoreUnit *u : units) {
    const chip::Core &c = image.cores[u->index];
    CoreModule *m = cores[(c.y * width + c.x) * coresPerTile + c.tileSlot];
    m->unit = u;
    used.push_back(m);
    tileSet.insert({c.x, c.y});
  }
  tiles = uint32_t(tileSet.size());
  barrierCycles = timing.barrierCycles(tiles);
  return Status::ok();
}

uint64_t Fabric::now() const {
  return (sc_core::sc_time_stamp().value() - originTicks) / ticksPerCycle;
}

void Fabric::wakeAt(sc_core::sc_event &e, uint64_t cycle) {
  const uint64_t n = now();
  if (cycle <= n)
    e.notify(SC_ZERO_TIME);
  else
    e.notify(sc_core::sc_time::from_value((cycle - n) * ticksPerCycle));
}

bool Fabric::runStep(uint32_t step, std::vector<Packet> hostSpikes) {
  stepIndex = step;
  stepStart = workEnd = stepEnd = now();
  stepClosed = false;
  limiter = Limiter();
  host->pending = std::move(hostSpikes);
  host->cursor = 0;
  outstanding = int64_t(used.size()) + 1;
  for (CoreModule *c : used)
    c->start.notify(SC_ZERO_TIME);
  host->start.notify(SC_ZERO_TIME);
  const uint64_t budget =
      std::min(timing.stepTimeoutCycles, kMaxTimeoutTicks / ticksPerCycle);
  sc_core::sc_start(sc_core::sc_time::from_value(budget * ticksPerCycle));
  return stepClosed;
}

void Fabric::closeWork() {
  uint64_t end = std::max(stepStart, now());
  // Every spike is delivered: each core's learning phase follows its own
  // work (docs/learning.md, "Within an engine's step").
  for (CoreModule *m : used) {
    CoreUnit &u = *m->unit;
    u.step.learningUpdates = u.logic.learn(stepIndex, u.emissions);
    u.learningDoneAt = std::max(u.updateDoneAt, u.synBusyUntil) +
                       u.step.learningUpdates * timing.learningSynapseCycles;
    end = std::max({end, u.updateDoneAt, u.synBusyUntil, u.learningDoneAt});
  }
  workEnd = end;
  stepEnd = workEnd + barrierCycles;
  limiter = findLimiter();
}

void Fabric::closeStep() { stepClosed = true; }

Limiter Fabric::findLimiter() const {
  Limiter l;
  const CoreUnit *worst = nullptr;
  uint64_t worstEnd = stepStart;
  for (CoreModule *m : used) {
    const CoreUnit &u = *m->unit;
    const uint64_t end =
        std::max({u.updateDoneAt, u.synBusyUntil, u.learningDoneAt});
    if (end > worstEnd) {
      worstEnd = end;
      worst = &u;
    }
  }
  if (!worst)
    return l; // idle: the barrier alone
  auto core = [&](uint32_t c, Limiter::Reason why) {
    l.kind = Limiter::Kind::Core;
    l.index = c;
    l.reason = why;
    return l;
  };
  if (worst->learningDoneAt >
      std::max(worst->updateDoneAt, worst->synBusyUntil))
    return core(worst->index, Limiter::Reason::Learning);
  if (worst->updateDoneAt >= worst->synBusyUntil || !worst->hasLast)
    return core(worst->index, Limiter::Reason::Update);
  if (worst->lastStart > worst->lastArrival)
    return core(worst->index, Limiter::Reason::SynapticInput);
  const Packet &p = worst->lastPacket;
  if (p.stall > 0 && p.stallRouter != kNone) {
    l.kind = Limiter::Kind::Router;
    l.reason = Limiter::Reason::Congestion;
    l.index = p.stallRouter;
    l.x = p.stallRouter % width;
    l.y = p.stallRouter / width;
    return l;
  }
  if (p.source == kNone) {
    l.kind = Limiter::Kind::Host;
    l.reason = Limiter::Reason::Injection;
    return l;
  }
  return core(p.source, Limiter::Reason::SpikeLatency);
}

} // namespace cajal::systemc::detail

namespace cajal::systemc::detail {

/// After a step that did not close: what is still pending, the culprit
/// first (a router holding packets, a core with spikes to send, the core
/// with the most synaptic work left).
std::string Fabric::diagnose(uint32_t step) const {
  const uint64_t n = now();
  std::string msg = "step " + str(step) + " did not finish: ";
  if (!sc_core::sc_pending_activity())
    msg += "deadlock, no event is pending with " + str(uint64_t(outstanding)) +
           " packet(s) undelivered";
  else
    msg += "still open after " + str(n - stepStart) +
           " cycles (cost.stepTimeoutNs = " +
           shortNumber(timing.nsOf(timing.stepTimeoutCycles)) + " ns)";
  std::vector<std::string> why;
  const RouterModule *fullest = nullptr;
  for (const RouterModule *r : routers)
    if (r->buffered() > 0 && (!fullest || r->buffered() > fullest->buffered()))
      fullest = r;
  if (fullest)
    why.push_back("router (" + str(fullest->x) + "," + str(fullest->y) +
                  ") holds " + fullest->blockedReason());
  const CoreUnit *busiest = nullptr;
  for (const CoreModule *m : used) {
    const CoreUnit &u = *m->unit;
    if (u.cursor < u.pending.size())
      why.push_back("core " + str(u.index) + " has " +
                    str(u.pending.size() - u.cursor) +
                    " spike(s) waiting to enter router (" + str(m->router->x) +
                    "," + str(m->router->y) + ")");
    if (!busiest || std::max(u.synBusyUntil, u.updateDoneAt) >
                        std::max(busiest->synBusyUntil, busiest->updateDoneAt))
      busiest = &u;
  }
  if (busiest) {
    const uint64_t end = std::max(busiest->synBusyUntil, busiest->updateDoneAt);
    if (end > n)
      why.push_back("core " + str(busiest->index) + " is busy until cycle " +
                    str(end - stepStart) + " of the step (update phase " +
                    str(busiest->updateDoneAt - stepStart) + " cycles, " +
                    str(busiest->step.axonEvents) + " input spikes, " +
                    str(busiest->step.synapticOps) + " synaptic ops so far)");
  }
  if (why.empty())
    why.push_back("the barrier did not close");
  constexpr size_t shown = 3;
  for (size_t i = 0; i < why.size() && i < shown; ++i)
    msg += (i ? "; " : ": ") + why[i];
  if (why.size() > shown)
    msg += "; and " + str(why.size() - shown) + " more";
  return msg;
}

} // namespace cajal::systemc::detail
