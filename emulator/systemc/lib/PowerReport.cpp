//===- PowerReport.cpp - Energy and time of a SystemC run -----------------===//
//
// The JSON form is built with nlohmann::ordered_json so that keys keep the
// order of docs/power.md; the per-step array is written one step per line
// (it can hold a million steps). The table aggregates the per-step limiter
// into a histogram and lists every core.
//
//===----------------------------------------------------------------------===//
#include "cajal/SystemC/PowerReport.h"
#include "cajal/Emulator/SpikeIO.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <map>

namespace cajal::systemc {

using ojson = nlohmann::ordered_json;

EventCounts &EventCounts::operator+=(const EventCounts &o) {
  synapticOps += o.synapticOps;
  activeUpdates += o.activeUpdates;
  inactiveUpdates += o.inactiveUpdates;
  spikes += o.spikes;
  hopsEastWest += o.hopsEastWest;
  hopsNorthSouth += o.hopsNorthSouth;
  barrierTiles += o.barrierTiles;
  learningUpdates += o.learningUpdates;
  activeUpdatePJ += o.activeUpdatePJ;
  return *this;
}

double Energy::dynamic() const {
  return synapticOps + activeUpdates + inactiveUpdates + spikes + hopsEastWest +
         hopsNorthSouth + barrier + learning;
}

Energy dynamicEnergy(const EventCounts &n, const chip::CostTable &c) {
  Energy e;
  e.synapticOps = double(n.synapticOps) * c.synapticOpPJ;
  e.activeUpdates = n.activeUpdatePJ;
  e.inactiveUpdates = double(n.inactiveUpdates) * c.neuronUpdateInactivePJ;
  e.spikes = double(n.spikes) * c.spikeInTilePJ;
  e.hopsEastWest = double(n.hopsEastWest) * c.hopEastWestPJ;
  e.hopsNorthSouth = double(n.hopsNorthSouth) * c.hopNorthSouthPJ;
  e.barrier = double(n.barrierTiles) * c.barrierTilePJ;
  e.learning = double(n.learningUpdates) * c.learningSynapsePJ;
  return e;
}

const char *reasonName(Limiter::Reason r) {
  switch (r) {
  case Limiter::Reason::Idle:
    return "idle";
  case Limiter::Reason::Update:
    return "update";
  case Limiter::Reason::SynapticInput:
    return "synaptic input";
  case Limiter::Reason::Congestion:
    return "congestion";
  case Limiter::Reason::Learning:
    return "learning";
  case Limiter::Reason::SpikeLatency:
    return "spike latency";
  case Limiter::Reason::Injection:
    return "host injection";
  }
  return "?";
}

namespace {
const char *kindName(Limiter::Kind k) {
  switch (k) {
  case Limiter::Kind::None:
    return "none";
  case Limiter::Kind::Core:
    return "core";
  case Limiter::Kind::Router:
    return "router";
  case Limiter::Kind::Host:
    return "host";
  }
  return "?";
}
} // namespace

std::string Limiter::describe() const {
  std::string who;
  switch (kind) {
  case Kind::None:
    return "barrier only (idle)";
  case Kind::Core:
    who = "core " + std::to_string(index);
    break;
  case Kind::Router:
    who = "router (" + std::to_string(x) + "," + std::to_string(y) + ")";
    break;
  case Kind::Host:
    who = "host";
    break;
  }
  return who + " (" + reasonName(reason) + ")";
}

namespace {

// The learning entries appear in the report of an image that learns only:
// the reports of the others keep their layout.
ojson countsJson(const EventCounts &n, bool learns) {
  ojson counts{{"synapticOps", n.synapticOps},
               {"neuronUpdatesActive", n.activeUpdates},
               {"neuronUpdatesInactive", n.inactiveUpdates},
               {"spikes", n.spikes},
               {"hopsEastWest", n.hopsEastWest},
               {"hopsNorthSouth", n.hopsNorthSouth},
               {"barrierTiles", n.barrierTiles}};
  if (learns)
    counts["learningUpdates"] = n.learningUpdates;
  return counts;
}

ojson energyJson(const Energy &e, bool learns) {
  ojson energy{{"synapticOps", e.synapticOps},
               {"neuronUpdatesActive", e.activeUpdates},
               {"neuronUpdatesInactive", e.inactiveUpdates},
               {"spikes", e.spikes},
               {"hopsEastWest", e.hopsEastWest},
               {"hopsNorthSouth", e.hopsNorthSouth},
               {"barrier", e.barrier}};
  if (learns)
    energy["learning"] = e.learning;
  energy["static"] = e.staticEnergy;
  energy["dynamic"] = e.dynamic();
  energy["total"] = e.total();
  return energy;
}

ojson stepJson(const StepTiming &s, double clockHz) {
  ojson lim{{"kind", kindName(s.limiter.kind)},
            {"reason", reasonName(s.limiter.reason)}};
  if (s.limiter.kind == Limiter::Kind::Core)
    lim["core"] = s.limiter.index;
  if (s.limiter.kind == Limiter::Kind::Router)
    lim["router"] = {s.limiter.x, s.limiter.y};
  return ojson{{"step", s.step},
               {"cycles", s.cycles},
               {"ns", double(s.cycles) * 1e9 / clockHz},
               {"barrierCycles", s.barrierCycles},
               {"limiter", lim}};
}

} // namespace

std::string energyByKindJson(const Energy &e) {
  ojson kinds = energyJson(e, e.learning != 0);
  kinds.erase("dynamic");
  kinds.erase("total");
  return kinds.dump();
}

std::string powerJson(const PowerReport &r) {
  ojson doc;
  doc["format"] = "cajal-power/1";
  doc["profile"] = r.profile;
  doc["clockHz"] = r.clockHz;
  doc["chips"] = r.chips;
  doc["chipsUsed"] = r.chipsUsed;
  doc["powerGateUnusedChips"] = r.powerGateUnusedChips;
  doc["tiles"] = r.tiles;
  doc["steps"] = r.steps;
  const double meanCycles = r.steps ? double(r.cycles) / r.steps : 0.0;
  doc["time"] = ojson{{"cycles", r.cycles},
                      {"ns", double(r.cycles) * 1e9 / r.clockHz},
                      {"seconds", r.seconds},
                      {"stepCycles", ojson{{"min", r.minStepCycles},
                                           {"mean", meanCycles},
                                           {"max", r.maxStepCycles}}}};
  const double dynamicMW =
      r.seconds > 0 ? r.energy.dynamic() * 1e-9 / r.seconds : 0.0;
  doc["powerMW"] = ojson{{"average", r.averagePowerMW},
                         {"static", r.staticPowerMW},
                         {"dynamic", dynamicMW}};
  doc["energyPJ"] = energyJson(r.energy, r.learns);
  doc["counts"] = countsJson(r.counts, r.learns);
  ojson cores = ojson::array();
  for (const CoreReport &c : r.cores)
    cores.push_back(ojson{{"core", c.core},
                          {"x", c.x},
                          {"y", c.y},
                          {"slot", c.slot},
                          {"counts", countsJson(c.counts, r.learns)},
                          {"energyPJ", energyJson(c.energy, r.learns)},
                          {"updateCycles", c.updateCycles},
                          {"synapseCycles", c.synapseCycles},
                          {"wordsRead", c.wordsRead},
                          {"maxInputQueue", c.maxInputQueue},
                          {"limitedSteps", c.limitedSteps}});
  doc["cores"] = cores;
  ojson routers = ojson::array();
  for (const RouterReport &q : r.routers)
    routers.push_back(ojson{{"x", q.x},
                            {"y", q.y},
                            {"counts", countsJson(q.counts, r.learns)},
                            {"energyPJ", energyJson(q.energy, r.learns)},
                            {"stallCycles", q.stallCycles},
                            {"maxBuffered", q.maxBuffered},
                            {"limitedSteps", q.limitedSteps}});
  doc["routers"] = routers;
  std::string out = doc.dump(2);
  // Append "stepTimes" with one step per line.
  out.erase(out.find_last_of('}'));
  while (!out.empty() && (out.back() == '\n' || out.back() == ' '))
    out.pop_back();
  out += ",\n  \"stepTimes\": [";
  for (size_t i = 0; i < r.stepTimes.size(); ++i)
    out +=
        (i ? ",\n    " : "\n    ") + stepJson(r.stepTimes[i], r.clockHz).dump();
  out += r.stepTimes.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

Status writePowerJson(const PowerReport &report, const std::string &path) {
  Result<AtomicFile> file = AtomicFile::create(path);
  if (!file)
    return file.takeError();
  file->write(powerJson(report));
  return file->commit();
}

namespace {

/// `a` with `digits` significant digits (printf %g).
std::string significant(int digits, double a) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, a);
  return buf;
}

/// `a` with `decimals` digits after the point (printf %f).
std::string fixed(int decimals, double a) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, a);
  return buf;
}

void row(std::string &out, const char *kind, uint64_t count, bool hasCount,
         double pj, double total) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "  %-26s %14s %16.1f %7.2f%%\n", kind,
                hasCount ? std::to_string(count).c_str() : "-", pj,
                total > 0 ? 100.0 * pj / total : 0.0);
  out += buf;
}

std::string limiterHistogram(const PowerReport &r) {
  std::map<std::string, uint32_t> byWho;
  for (const StepTiming &s : r.stepTimes)
    ++byWho[s.limiter.describe()];
  std::vector<std::pair<uint32_t, std::string>> sorted;
  for (const auto &[who, n] : byWho)
    sorted.push_back({n, who});
  std::sort(sorted.begin(), sorted.end(), [](const auto &a, const auto &b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::string out;
  constexpr size_t shown = 6;
  for (size_t i = 0; i < sorted.size() && i < shown; ++i)
    out += "    " + sorted[i].second + ": " + std::to_string(sorted[i].first) +
           " steps\n";
  if (sorted.size() > shown)
    out += "    ... and " + std::to_string(sorted.size() - shown) +
           " more units\n";
  return out;
}

} // namespace

std::string formatPowerTable(const PowerReport &r) {
  std::string out;
  const double mean = r.steps ? double(r.cycles) / r.steps : 0.0;
  const double nsPerCycle = 1e9 / r.clockHz;
  out += "power: " + std::to_string(r.steps) + " steps on " + r.profile + " (" +
         std::to_string(r.chipsUsed) + " of " + std::to_string(r.chips) +
         " chip(s) used, " + std::to_string(r.tiles) +
         " tile(s) in the barrier), " + significant(6, r.seconds * 1e6) +
         " us emulated at " + significant(6, r.clockHz / 1e6) + " MHz\n";
  out += "  time per step: mean " + fixed(1, mean) + " cycles (" +
         fixed(1, mean * nsPerCycle) + " ns), min " +
         std::to_string(r.minStepCycles) + ", max " +
         std::to_string(r.maxStepCycles) + " cycles\n";
  char head[160];
  std::snprintf(head, sizeof head, "  %-26s %14s %16s %8s\n", "event kind",
                "count", "energy (pJ)", "share");
  out += head;
  const EventCounts &n = r.counts;
  const Energy &e = r.energy;
  const double t = e.total();
  row(out, "synaptic ops", n.synapticOps, true, e.synapticOps, t);
  row(out, "neuron updates (active)", n.activeUpdates, true, e.activeUpdates,
      t);
  row(out, "neuron updates (inactive)", n.inactiveUpdates, true,
      e.inactiveUpdates, t);
  row(out, "spikes (in tile)", n.spikes, true, e.spikes, t);
  row(out, "hops east-west", n.hopsEastWest, true, e.hopsEastWest, t);
  row(out, "hops north-south", n.hopsNorthSouth, true, e.hopsNorthSouth, t);
  row(out, "barrier (tile barriers)", n.barrierTiles, true, e.barrier, t);
  if (r.learns)
    row(out, "learning (synapse updates)", n.learningUpdates, true, e.learning,
        t);
  row(out, "static", 0, false, e.staticEnergy, t);
  row(out, "total", 0, false, t, t);
  out += "  average power " + significant(4, r.averagePowerMW) +
         " mW (static " + significant(4, r.staticPowerMW) + " mW: " +
         std::to_string(r.powerGateUnusedChips ? r.chipsUsed : r.chips) +
         " chip(s)" +
         (r.powerGateUnusedChips ? ", unused chips power-gated"
                                 : ", unused chips included") +
         ")\n";
  out += "  steps limited by:\n" + limiterHistogram(r);
  char line[200];
  std::snprintf(line, sizeof line,
                "  %-6s %-11s %12s %10s %10s %14s %12s %8s\n", "core",
                "(x,y,slot)", "synaptic ops", "updates", "spikes in",
                "energy (pJ)", "busy cycles", "limited");
  out += line;
  for (const CoreReport &c : r.cores) {
    const std::string where = "(" + std::to_string(c.x) + "," +
                              std::to_string(c.y) + "," +
                              std::to_string(c.slot) + ")";
    std::snprintf(
        line, sizeof line,
        "  %-6u %-11s %12llu %10llu %10llu %14.1f %12llu %8u\n", c.core,
        where.c_str(), (unsigned long long)c.counts.synapticOps,
        (unsigned long long)(c.counts.activeUpdates + c.counts.inactiveUpdates),
        (unsigned long long)c.counts.spikes, c.energy.total(),
        (unsigned long long)(c.updateCycles + c.synapseCycles), c.limitedSteps);
    out += line;
  }
  return out;
}

} // namespace cajal::systemc
