//===- SystemCEngine.cpp - The cycle-level SystemC model of the chip ------===//
//
// step(): the host's source spikes of step t are drawn exactly as the golden
// model draws them (listed spikes with a cursor, chip::sourceSpikeCount for
// Poisson and Periodic), the fabric runs the step until its barrier pauses
// the simulation, and the engine collects spikes and counts: compartment
// spikes in core order (ascending global index, as the golden model), the
// per-core counters, the step's cycles and limiter, and the recorder's
// signals. A step that does not close leaves the engine failed with the
// fabric's diagnostic.
//
//===----------------------------------------------------------------------===//
#include "EngineImpl.h"

#include "cajal/Chip/Source.h"

#include <algorithm>
#include <set>

// SystemC's library defines main() and calls sc_main(); Cajal's programs
// have their own main(), so the symbol only has to exist. Weak, so that a
// SystemC testbench linking this library keeps its own sc_main.
extern "C" int sc_main(int, char **) __attribute__((weak));
extern "C" int sc_main(int, char **) { return 1; }

namespace cajal::systemc {

namespace {
std::string str(uint64_t v) { return std::to_string(v); }
} // namespace

SystemCEngine::SystemCEngine() : impl(std::make_unique<Impl>()) {}
SystemCEngine::SystemCEngine(SystemCEngine &&) noexcept = default;
SystemCEngine &SystemCEngine::operator=(SystemCEngine &&o) noexcept {
  if (this != &o) {
    close();
    impl = std::move(o.impl);
  }
  return *this;
}

SystemCEngine::~SystemCEngine() { close(); }

void SystemCEngine::close() {
  if (!impl)
    return;
  // Outputs not committed by finish() are discarded with the recorder.
  if (impl->fabric)
    impl->fabric->release();
  impl.reset();
}

Result<SystemCEngine> SystemCEngine::create(const chip::Image &image,
                                            const chip::Profile &profile,
                                            const Options &options) {
  if (Status s = chip::validate(image, profile); !s)
    return makeError(s.error());
  SystemCEngine e;
  Impl &m = *e.impl;
  // Until create() succeeds there is nothing to finish: a failed create()
  // writes no output file.
  m.finished = true;
  m.profile = profile;
  m.options = options;
  m.timing = timingFor(profile);
  m.learns = image.learning.enabled();
  if (Status s = m.buildCores(image); !s)
    return makeError(s.error());
  m.buildSources(image);
  if (Status s = m.mapPopulations(image); !s)
    return makeError(s.error());
  Result<detail::Fabric *> fabric = detail::Fabric::acquire(profile);
  if (!fabric)
    return fabric.takeError();
  m.fabric = *fabric;
  std::vector<detail::CoreUnit *> units;
  for (auto &u : m.cores)
    units.push_back(u.get());
  if (Status s = m.fabric->load(units, image, m.timing, nullptr); !s)
    return makeError(s.error());
  if (Status s = m.openRecorder(image); !s)
    return makeError(s.error());
  m.fabric->recorder = m.recorder.get();
  m.finished = false;
  return e;
}

Status
SystemCEngine::setExternalSpikes(std::vector<spikeio::SpikeRecord> spikes) {
  Impl &m = *impl;
  std::sort(spikes.begin(), spikes.end());
  std::vector<std::vector<chip::SourceSpike>> lists(m.sources.size());
  for (size_t i = 0; i < spikes.size(); ++i) {
    const spikeio::SpikeRecord &r = spikes[i];
    const std::string what = "external spike (step " + str(r.step) + ", node " +
                             str(r.node) + ", index " + str(r.index) + ")";
    if (r.node >= m.nodeTable.size())
      return makeError(what + ": no such node (the image has " +
                       str(m.nodeTable.size()) + ")");
    const std::string name = "\"" + m.nodeTable.name(r.node) + "\"";
    if (!m.nodeTable.isExternalSource(r.node))
      return makeError(what + ": node " + name + " is not an external source");
    if (r.index >= m.nodeTable.nodeSize(r.node))
      return makeError(what + ": index " + str(r.index) + " of " + name +
                       " out of range (size " +
                       str(m.nodeTable.nodeSize(r.node)) + ")");
    if (i > 0 && spikes[i - 1] == r)
      return makeError(what + ": given twice");
    lists[m.nodeTable.sourceIndex(r.node)].push_back({r.step, r.index});
  }
  for (size_t s = 0; s < m.sources.size(); ++s) {
    if (m.sources[s].kind != chip::SourceKind::External)
      continue;
    m.listedSpikes[s] = std::move(lists[s]);
    m.listedCursor[s] = 0;
  }
  return Status::ok();
}

std::vector<detail::Packet> SystemCEngine::Impl::sourceSpikes() {
  const uint32_t t = stepIndex;
  sourceSpiking.clear();
  for (uint32_t s = 0; s < sources.size(); ++s) {
    const chip::Source &src = sources[s];
    if (src.kind == chip::SourceKind::External ||
        src.kind == chip::SourceKind::File) {
      const std::vector<chip::SourceSpike> &list = listedSpikes[s];
      size_t &k = listedCursor[s];
      while (k < list.size() && list[k].step < t)
        ++k;
      for (; k < list.size() && list[k].step == t; ++k)
        sourceSpiking.push_back({s, list[k].index});
      continue;
    }
    for (uint32_t i = 0; i < src.size; ++i)
      for (uint32_t n = chip::sourceSpikeCount(src, t, i); n > 0; --n)
        sourceSpiking.push_back({s, i});
  }
  std::vector<detail::Packet> packets;
  for (const emulator::SourceSpikeEvent &e : sourceSpiking) {
    const uint32_t ch = channelBase[e.source] + e.index;
    detail::Packet p;
    p.targets = channelRoutes.data();
    p.begin = channelRouteBegin[ch];
    p.end = channelRouteBegin[ch + 1];
    if (p.begin != p.end)
      packets.push_back(p);
  }
  return packets;
}

Status SystemCEngine::step() {
  Impl &m = *impl;
  if (m.failure)
    return *m.failure;
  if (m.finished)
    return makeError("SystemC model: step() after finish()");
  std::vector<detail::Packet> hostSpikes = m.sourceSpikes();
  detail::Fabric &f = *m.fabric;
  if (m.recorder)
    m.recorder->set(f.now(), m.stepSignal, m.stepIndex);
  if (!f.runStep(m.stepIndex, std::move(hostSpikes))) {
    m.failure = makeError("SystemC model: " + f.diagnose(m.stepIndex));
    return *m.failure;
  }
  m.collect();
  m.record();
  ++m.stepIndex;
  return Status::ok();
}

Status SystemCEngine::run(uint32_t steps) {
  for (uint32_t i = 0; i < steps; ++i)
    if (Status s = step(); !s)
      return s;
  return Status::ok();
}

void SystemCEngine::Impl::collect() {
  const detail::Fabric &f = *fabric;
  spiking.clear();
  for (auto &up : cores) {
    detail::CoreUnit &u = *up;
    const detail::CoreStep &s = u.step;
    for (const CoreLogic::Emission &e : u.emissions)
      spiking.push_back(compBegin[u.index] + e.compartment);
    emulator::CoreCounters &cc = perCore[u.index];
    cc.compartmentSpikes += s.spikes;
    cc.axonEventsIn += s.axonEvents;
    cc.synapticEvents += s.synapticOps;
    cc.activeUpdates += s.active;
    cc.idleUpdates += s.inactive;
    u.events.synapticOps += s.synapticOps;
    u.events.activeUpdates += s.active;
    u.events.activeUpdatePJ += s.activePJ;
    u.events.inactiveUpdates += s.inactive;
    u.events.spikes += s.axonEvents;
    u.events.learningUpdates += s.learningUpdates;
    totals.learningUpdates += s.learningUpdates;
    u.updateCycles += u.updateDoneAt - f.stepStart;
    u.synapseCycles += s.synapseCycles;
    u.wordsRead += s.words;
    u.maxQueue = std::max(u.maxQueue, s.maxQueue);
    totals.compartmentSpikes += s.spikes;
    totals.axonEvents += s.axonEvents;
    totals.synapticEvents += s.synapticOps;
    totals.activeUpdates += s.active;
    totals.idleUpdates += s.inactive;
  }
  totals.sourceSpikes += sourceSpiking.size();
  ++totals.steps;
  last.step = stepIndex;
  last.cycles = f.stepEnd - f.stepStart;
  last.barrierCycles = f.stepEnd - f.workEnd;
  last.limiter = f.limiter;
  if (last.limiter.kind == Limiter::Kind::Core)
    ++cores[last.limiter.index]->limitedSteps;
  else if (last.limiter.kind == Limiter::Kind::Router)
    ++f.routers[last.limiter.index]->limitedSteps;
  stepTimes.push_back(last);
  cycles = f.stepEnd;
  barrierTiles += f.tiles;
}

void SystemCEngine::Impl::record() {
  if (!recorder)
    return;
  const detail::Fabric &f = *fabric;
  const std::string step = str(stepIndex);
  for (auto &up : cores) {
    const detail::CoreUnit &u = *up;
    const detail::CoreStep &s = u.step;
    const uint64_t end = std::max(u.updateDoneAt, u.synBusyUntil);
    const std::string args =
        "{\"activeUpdates\":" + str(s.active) +
        ",\"inactiveUpdates\":" + str(s.inactive) +
        ",\"spikesOut\":" + str(s.spikes) +
        ",\"spikesIn\":" + str(s.axonEvents) +
        ",\"synapticOps\":" + str(s.synapticOps) +
        ",\"updateCycles\":" + str(u.updateDoneAt - f.stepStart) + "}";
    recorder->span(u.chip, u.index, "step " + step, f.stepStart, end, args);
  }
  recorder->change(f.workEnd, barrierSignal, +1);
  recorder->change(f.stepEnd, barrierSignal, -1);
  recorder->span(0, barrierTid, "barrier " + step, f.workEnd, f.stepEnd,
                 "{\"limiter\":\"" + last.limiter.describe() + "\"}");
  recorder->endStep(f.stepEnd);
}

uint32_t SystemCEngine::currentStep() const { return impl->stepIndex; }

const std::vector<uint32_t> &SystemCEngine::lastSpikingCompartments() const {
  return impl->spiking;
}

void SystemCEngine::lastSpikes(std::vector<emulator::NeuronSpike> &out) const {
  const Impl &m = *impl;
  out.clear();
  for (const uint32_t g : m.spiking)
    if (m.compPopulation[g] != detail::kNone)
      out.push_back({m.compPopulation[g], m.compNeuron[g]});
  std::sort(out.begin(), out.end(),
            [](const emulator::NeuronSpike &a, const emulator::NeuronSpike &b) {
              return a.population != b.population ? a.population < b.population
                                                  : a.neuron < b.neuron;
            });
}

const std::vector<emulator::SourceSpikeEvent> &
SystemCEngine::lastSourceSpikes() const {
  return impl->sourceSpiking;
}

uint32_t SystemCEngine::compartmentOf(uint32_t population,
                                      uint32_t neuron) const {
  return impl->neuronCompartment[impl->populationBase[population] + neuron];
}

const chip::CompartmentState &SystemCEngine::state(uint32_t population,
                                                   uint32_t neuron) const {
  return compartmentState(compartmentOf(population, neuron));
}

const chip::CompartmentState &
SystemCEngine::compartmentState(uint32_t global) const {
  const uint32_t c = impl->compCore[global];
  return impl->cores[c]->logic.state(global - impl->compBegin[c]);
}

std::vector<chip::Synapse> SystemCEngine::synapses(uint32_t core,
                                                   uint32_t axon) const {
  return impl->cores[core]->logic.synapses(axon);
}

uint32_t SystemCEngine::preTrace(uint32_t core, uint32_t axon,
                                 unsigned which) const {
  return impl->cores[core]->logic.preTrace(axon, which);
}

uint32_t SystemCEngine::postTrace(uint32_t global, unsigned which) const {
  const uint32_t c = impl->compCore[global];
  return impl->cores[c]->logic.postTrace(global - impl->compBegin[c], which);
}

int64_t SystemCEngine::reward(uint32_t global) const {
  const uint32_t c = impl->compCore[global];
  return impl->cores[c]->logic.reward(global - impl->compBegin[c]);
}

std::vector<int32_t>
SystemCEngine::compartmentStateWords(uint32_t global) const {
  const uint32_t c = impl->compCore[global];
  return impl->cores[c]->logic.stateWords(global - impl->compBegin[c]);
}

const std::vector<uint32_t> &SystemCEngine::coreCompartmentBegin() const {
  return impl->compBegin;
}
uint32_t SystemCEngine::compartmentCount() const {
  return uint32_t(impl->compCore.size());
}
const emulator::Counters &SystemCEngine::counters() const {
  return impl->totals;
}
const std::vector<emulator::CoreCounters> &SystemCEngine::coreCounters() const {
  return impl->perCore;
}
const spikeio::NodeTable &SystemCEngine::nodes() const {
  return impl->nodeTable;
}
bool SystemCEngine::recordsSpikes(uint32_t p) const {
  return impl->populationFlags[p] & Impl::RecordSpikes;
}
bool SystemCEngine::recordsState(uint32_t p) const {
  return impl->populationFlags[p] & Impl::RecordState;
}
uint32_t SystemCEngine::populationSize(uint32_t p) const {
  return impl->populationBase[p + 1] - impl->populationBase[p];
}
uint32_t SystemCEngine::populationCount() const {
  return uint32_t(impl->populationFlags.size());
}
const StepTiming &SystemCEngine::lastStepTiming() const { return impl->last; }

PowerReport SystemCEngine::powerReport() const {
  const Impl &m = *impl;
  const detail::Fabric &f = *m.fabric;
  const chip::CostTable &cost = m.profile.cost;
  PowerReport r;
  r.profile = m.profile.name;
  r.clockHz = m.timing.clockHz;
  r.chips = m.profile.mesh.chips();
  std::set<uint32_t> usedChips;
  for (const auto &up : m.cores)
    usedChips.insert(up->chip);
  r.chipsUsed = uint32_t(usedChips.size());
  r.powerGateUnusedChips = cost.powerGateUnusedChips;
  r.tiles = f.tiles;
  r.steps = uint32_t(m.totals.steps);
  r.cycles = m.cycles;
  r.seconds = double(m.cycles) / m.timing.clockHz;
  r.staticPowerMW =
      cost.staticPowerMW * (r.powerGateUnusedChips ? r.chipsUsed : r.chips);
  for (const auto &up : m.cores) {
    const detail::CoreUnit &u = *up;
    CoreReport c;
    c.core = u.index;
    c.x = u.x;
    c.y = u.y;
    c.slot = u.slot;
    c.counts = u.events;
    c.energy = dynamicEnergy(u.events, cost);
    c.updateCycles = u.updateCycles;
    c.synapseCycles = u.synapseCycles;
    c.wordsRead = u.wordsRead;
    c.maxInputQueue = u.maxQueue;
    c.limitedSteps = u.limitedSteps;
    r.counts += u.events;
    r.cores.push_back(c);
  }
  for (const detail::RouterModule *q : f.routers) {
    r.counts += q->events;
    if (q->events.hopsEastWest + q->events.hopsNorthSouth == 0 &&
        q->stallCycles == 0 && q->limitedSteps == 0)
      continue;
    RouterReport rr;
    rr.x = q->x;
    rr.y = q->y;
    rr.counts = q->events;
    rr.energy = dynamicEnergy(q->events, cost);
    rr.stallCycles = q->stallCycles;
    rr.maxBuffered = q->maxBuffered;
    rr.limitedSteps = q->limitedSteps;
    r.routers.push_back(rr);
  }
  r.counts.barrierTiles = m.barrierTiles;
  r.learns = m.learns;
  r.energy = dynamicEnergy(r.counts, cost);
  // mW x s = mJ = 1e9 pJ.
  r.energy.staticEnergy = r.staticPowerMW * r.seconds * 1e9;
  r.averagePowerMW = r.seconds > 0 ? r.energy.total() * 1e-9 / r.seconds : 0;
  r.stepTimes = m.stepTimes;
  for (size_t i = 0; i < m.stepTimes.size(); ++i) {
    const uint64_t c = m.stepTimes[i].cycles;
    r.minStepCycles = i ? std::min(r.minStepCycles, c) : c;
    r.maxStepCycles = std::max(r.maxStepCycles, c);
  }
  return r;
}

Status SystemCEngine::finish() {
  Impl &m = *impl;
  if (m.finished)
    return Status::ok();
  m.finished = true;
  Status result;
  if (!m.options.powerPath.empty())
    result = writePowerJson(powerReport(), m.options.powerPath);
  if (m.recorder) {
    Status s = m.recorder->finish(m.cycles);
    if (!s && result)
      result = s;
    m.fabric->recorder = nullptr;
  }
  return result;
}

} // namespace cajal::systemc
