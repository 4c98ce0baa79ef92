//===- Router.cpp - One mesh router of the SystemC model ------------------===//
//
// A router has an input buffer of mesh.routerBufferDepth packets per input
// port and one output link per direction and per core slot. It routes by
// dimension order (x first, then y) as a multicast tree: a packet's
// destinations are sorted by (x, y, slot), so at router (rx, ry) the
// destinations west of rx are a prefix, those east a suffix, and those in
// column rx split into south, local and north ranges; each non-empty range
// is one branch. A mesh branch is one copy of the packet (one hop); a local
// branch is ejected destination by destination into the core's input queue
// (one in-tile spike each).
//
// Each activation serves the input ports round-robin: the head packet of a
// port, once its arrival cycle has come, sends each pending branch whose
// output link is free (a link is busy mesh.linkPacketCycles per packet) and
// whose receiver has room (credit-based back-pressure); the head leaves the
// buffer when every branch is sent. The router then sleeps until the next
// cycle at which something it waits for happens: a packet arrives, a link
// frees, a core queue entry frees; a full neighbour buffer wakes it when it
// frees a slot. Head-of-line blocking and link contention therefore cost
// exactly the cycles they would in a clocked router.
//
//===----------------------------------------------------------------------===//
#include "Fabric.h"

#include <algorithm>

namespace cajal::systemc::detail {

namespace {
uint32_t opposite(uint32_t port) {
  switch (port) {
  case East:
    return West;
  case West:
    return East;
  case North:
    return South;
  default:
    return North;
  }
}
} // namespace

RouterModule::RouterModule(sc_core::sc_module_name name, Fabric &owner,
                           uint32_t column, uint32_t row, uint32_t coresPerTile)
    : sc_module(name), x(column), y(row), index(column + row * owner.width),
      fabric(owner) {
  cores.assign(coresPerTile, nullptr);
  SC_METHOD(activate);
  sensitive << wake;
  dont_initialize();
}

void RouterModule::reset(uint32_t depth) {
  wake.cancel();
  scheduled = kNever;
  inputs.assign(Local + cores.size() + 1, InPort());
  for (InPort &in : inputs) {
    in.ring.assign(depth, Packet());
    in.branch.assign(Local + cores.size(), Range());
  }
  occupied = 0;
  linkFree.assign(Local + cores.size(), 0);
  waitingCredit.assign(Local, false);
  roundRobin = 0;
  held = 0;
  events = EventCounts();
  stallCycles = 0;
  maxBuffered = limitedSteps = 0;
}

void RouterModule::wakeAt(uint64_t cycle) {
  if (cycle >= scheduled)
    return; // an earlier wake-up is pending: it recomputes what is next
  scheduled = cycle;
  fabric.wakeAt(wake, cycle);
}

void RouterModule::accept(uint32_t port, const Packet &p) {
  InPort &in = inputs[port];
  const uint32_t size = uint32_t(in.ring.size());
  in.ring[(in.head + in.count) % size] = p;
  ++in.count;
  occupied |= uint64_t(1) << port;
  ++held;
  maxBuffered = std::max(maxBuffered, held);
  fabric.logRouter(index, p.readyAt, +1);
  if (in.count == 1)
    wakeAt(p.readyAt); // behind a head it waits for that head anyway
}

uint32_t RouterModule::buffered() const { return held; }

void RouterModule::activate() {
  const uint64_t now = fabric.now();
  scheduled = kNever;
  uint64_t next = kNever;
  const uint32_t ports = uint32_t(inputs.size());
  // Serve occupied ports starting at roundRobin, wrapping around.
  const uint64_t all = occupied;
  const uint64_t high = all & (~uint64_t(0) << roundRobin);
  for (uint64_t m = high; m; m &= m - 1)
    serve(uint32_t(__builtin_ctzll(m)), now, next);
  for (uint64_t m = all & ~high; m; m &= m - 1)
    serve(uint32_t(__builtin_ctzll(m)), now, next);
  roundRobin = (roundRobin + 1) % ports;
  if (next != kNever)
    wakeAt(next);
}

void RouterModule::serve(uint32_t port, uint64_t now, uint64_t &next) {
  InPort &in = inputs[port];
  while (in.count > 0) {
    Packet &head = in.front();
    if (head.readyAt > now) {
      next = std::min(next, head.readyAt);
      return;
    }
    if (!in.routed)
      route(in);
    for (uint64_t m = in.pending; m; m &= m - 1) {
      const uint32_t out = uint32_t(__builtin_ctzll(m));
      if (out < Local)
        sendMesh(in, out, now, next);
      else
        eject(in, out, now, next);
    }
    if (in.pending)
      return;
    pop(port, now);
  }
}

void RouterModule::route(InPort &in) {
  const Packet &p = in.front();
  const RouteEntry *t = p.targets;
  const uint32_t e = p.end;
  in.pending = 0;
  auto set = [&](uint32_t out, uint32_t b, uint32_t end) {
    if (b == end)
      return;
    in.branch[out] = {b, end};
    in.pending |= uint64_t(1) << out;
  };
  uint32_t westEnd = p.begin;
  while (westEnd < e && t[westEnd].x < x)
    ++westEnd;
  set(West, p.begin, westEnd);
  uint32_t columnEnd = westEnd;
  while (columnEnd < e && t[columnEnd].x == x)
    ++columnEnd;
  set(East, columnEnd, e);
  uint32_t k = westEnd;
  while (k < columnEnd && t[k].y < y)
    ++k;
  set(South, westEnd, k);
  uint32_t m = k;
  while (m < columnEnd && t[m].y == y)
    ++m;
  set(North, m, columnEnd);
  while (k < m) {
    const uint32_t b = k;
    while (k < m && t[k].slot == t[b].slot)
      ++k;
    set(Local + t[b].slot, b, k);
  }
  in.routed = true;
}

void RouterModule::sendMesh(InPort &in, uint32_t out, uint64_t now,
                            uint64_t &next) {
  if (linkFree[out] > now) {
    next = std::min(next, linkFree[out]);
    return;
  }
  RouterModule *nb = neighbor[out];
  const uint32_t port = opposite(out);
  if (!nb->hasSpace(port)) {
    waitingCredit[out] = true; // nb wakes us when it frees a slot
    return;
  }
  const Packet &head = in.front();
  Packet copy = head;
  copy.begin = in.branch[out].begin;
  copy.end = in.branch[out].end;
  const uint64_t wait = now - head.readyAt;
  if (wait > copy.stall) {
    copy.stall = uint32_t(wait);
    copy.stallRouter = index;
  }
  const bool alongX = out == East || out == West;
  copy.readyAt = now + (alongX ? fabric.timing.hopEastWestCycles
                               : fabric.timing.hopNorthSouthCycles);
  ++(alongX ? events.hopsEastWest : events.hopsNorthSouth);
  stallCycles += wait;
  linkFree[out] = now + fabric.timing.linkPacketCycles;
  in.pending &= ~(uint64_t(1) << out);
  fabric.addOutstanding(+1);
  nb->accept(port, copy);
}

void RouterModule::eject(InPort &in, uint32_t out, uint64_t now,
                         uint64_t &next) {
  Range &r = in.branch[out];
  CoreModule *core = cores[out - Local];
  if (linkFree[out] > now) {
    next = std::min(next, linkFree[out]);
    return;
  }
  const uint64_t freeAt = core->inputSlotFreeAt(now);
  if (freeAt > now) {
    next = std::min(next, freeAt);
    return;
  }
  const Packet &head = in.front();
  Packet info = head;
  const uint64_t wait = now - head.readyAt;
  if (wait > info.stall) {
    info.stall = uint32_t(wait);
    info.stallRouter = index;
  }
  stallCycles += wait;
  core->deliver(head.targets[r.begin], now, info);
  linkFree[out] = now + fabric.timing.linkPacketCycles;
  if (++r.begin == r.end)
    in.pending &= ~(uint64_t(1) << out);
  else
    next = std::min(next, linkFree[out]);
}

void RouterModule::pop(uint32_t port, uint64_t now) {
  InPort &in = inputs[port];
  in.head = (in.head + 1) % uint32_t(in.ring.size());
  if (--in.count == 0)
    occupied &= ~(uint64_t(1) << port);
  --held;
  in.routed = false;
  fabric.logRouter(index, now, -1);
  fabric.addOutstanding(-1);
  if (port < Local) {
    RouterModule *up = neighbor[port];
    const uint32_t upOut = opposite(port);
    if (up && up->waitingCredit[upOut]) {
      up->waitingCredit[upOut] = false;
      up->scheduled = std::min(up->scheduled, now);
      up->wake.notify(sc_core::SC_ZERO_TIME);
    }
  } else if (port < hostPort()) {
    cores[port - Local]->creditReturned();
  } else {
    host->creditReturned();
  }
}

std::string RouterModule::blockedReason() const {
  for (uint32_t p = 0; p < inputs.size(); ++p) {
    const InPort &in = inputs[p];
    if (in.count == 0)
      continue;
    std::string where =
        p < Local        ? std::string("from the ") + (p == East    ? "east"
                                                       : p == West  ? "west"
                                                       : p == North ? "north"
                                                                    : "south")
        : p < hostPort() ? "from core slot " + std::to_string(p - Local)
                         : std::string("from the host");
    std::string why = "waiting for its arrival cycle";
    for (uint32_t out = 0; in.routed && out < Local; ++out)
      if ((in.pending >> out & 1) && waitingCredit[out])
        why = "blocked: the input buffer of router (" +
              std::to_string(neighbor[out]->x) + "," +
              std::to_string(neighbor[out]->y) + ") is full";
    return std::to_string(in.count) + " packet(s) " + where + ", " + why;
  }
  return "empty";
}

} // namespace cajal::systemc::detail
