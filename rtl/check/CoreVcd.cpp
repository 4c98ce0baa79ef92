//===- CoreVcd.cpp - A VCD of the emulator core on the RTL's ports --------===//
//
// Values are scheduled per (time, signal) and written in time order once
// no later step can change them: a step's falling edges (out_valid,
// step_done) may land on the next step's first edge, where the next step's
// own value wins, as it does in the RTL. A signal is written only when its
// value changes, so the file has the same change list as the RTL's trace
// of the same signals when the RTL keeps the cycle contract.
//
//===----------------------------------------------------------------------===//
#include "cajal/Rtl/CoreVcd.h"

#include <algorithm>

namespace cajal::rtl {

namespace {
// VCD identifiers of in_ready, out_valid, out_compartment, step_done.
constexpr char kIds[4] = {'r', 'o', 'c', 'd'};
/// Dump time of the values after edge `edge` of a step starting at `tick`.
uint64_t after(uint64_t tick, uint64_t edge) { return 2 * (tick + edge) + 1; }
} // namespace

Result<CoreVcd> CoreVcd::create(const std::string &path,
                                unsigned compartmentBits) {
  CoreVcd v;
  v.path = path;
  v.cmpBits = compartmentBits ? compartmentBits : 1;
  v.out.open(path);
  if (!v.out)
    return makeError(path + ": cannot open for writing");
  v.out << "$version cajal check-rtl: the SystemC core model on the RTL's "
           "ports $end\n$timescale 1ps $end\n"
           "$scope module neurocore $end\n"
        << "$var wire 1 r in_ready $end\n$var wire 1 o out_valid $end\n"
        << "$var wire " << v.cmpBits << " c out_compartment [" << v.cmpBits - 1
        << ":0] $end\n$var wire 1 d step_done $end\n"
        << "$upscope $end\n$enddefinitions $end\n#0\n"
        << "$dumpvars\n1r\n0o\nb0 c\n0d\n$end\n";
  return v;
}

void CoreVcd::set(uint64_t time, Signal s, uint64_t value) {
  auto it = pending.find(time);
  if (it == pending.end()) {
    std::array<int64_t, SignalCount> none;
    none.fill(kUnset);
    it = pending.emplace(time, none).first;
  }
  it->second[s] = int64_t(value);
}

void CoreVcd::flushBefore(uint64_t time) {
  while (!pending.empty() && pending.begin()->first < time) {
    const auto &[t, values] = *pending.begin();
    for (int s = 0; s < SignalCount; ++s)
      if (values[s] != kUnset)
        write(t, Signal(s), uint64_t(values[s]));
    pending.erase(pending.begin());
  }
}

void CoreVcd::write(uint64_t time, Signal s, uint64_t value) {
  if (last[s] == value)
    return;
  last[s] = value;
  if (time != now) {
    out << "#" << time << "\n";
    now = time;
  }
  if (s != OutCompartment) {
    out << value << kIds[s] << "\n";
    return;
  }
  std::string b;
  for (unsigned i = cmpBits; i-- > 0;)
    if (!b.empty() || (value >> i) & 1 || i == 0)
      b += char('0' + ((value >> i) & 1));
  out << "b" << b << " " << kIds[s] << "\n";
}

void CoreVcd::setInReady(const CoreVcdStep &s) {
  // After edge j the queue holds the spikes accepted at or before j and
  // taken after j; in_ready is low when it is full and none is taken at
  // edge j + 1. Both lists are in order (the queue is first in, first out).
  if (s.queued.empty())
    return;
  size_t pushed = 0, taken = 0;
  bool ready = true;
  const uint64_t first = s.queued.front().first;
  const uint64_t lastTaken = s.queued.back().second;
  for (uint64_t j = first; j <= lastTaken; ++j) {
    while (pushed < s.queued.size() && s.queued[pushed].first <= j)
      ++pushed;
    while (taken < s.queued.size() && s.queued[taken].second <= j)
      ++taken;
    const bool takeNext = taken < pushed && s.queued[taken].second == j + 1;
    const bool readyAfter = pushed - taken < s.queueDepth || takeNext;
    if (readyAfter != ready)
      set(after(s.tick, j), InReady, readyAfter);
    ready = readyAfter;
  }
}

void CoreVcd::step(const CoreVcdStep &s) {
  flushBefore(after(s.tick, 0));
  setInReady(s);
  size_t next = 0;
  for (uint32_t c = 0; c < s.compartmentEnds.size(); ++c) {
    const uint64_t e = s.compartmentEnds[c];
    const bool spiking = next < s.spikes.size() && s.spikes[next] == c;
    next += spiking;
    set(after(s.tick, e), OutCompartment, c);
    set(after(s.tick, e), OutValid, spiking);
    if (spiking)
      set(after(s.tick, e + 1), OutValid, 0);
  }
  set(after(s.tick, s.updateEnd), StepDone, 1);
  set(after(s.tick, s.updateEnd + 1), StepDone, 0);
}

Status CoreVcd::finish() {
  flushBefore(UINT64_MAX);
  out.flush();
  if (!out)
    return makeError(path + ": write failed");
  out.close();
  return Status::ok();
}

} // namespace cajal::rtl
