//===- EngineLoad.cpp - Load a chip image into the SystemC model ----------===//
//
// Loading turns the image into what the modules read while running: a
// CoreLogic per image core (its own copy of the compartments, input axons
// and packed synapse words), the route table of every compartment and
// every source channel (its output-axon targets with their mesh positions,
// sorted by (x, y, slot) for the routers' multicast split; a stable sort
// keeps the image's order within one core), the population maps of the
// golden model, and the signal layout of the VCD and trace recorder.
//
//===----------------------------------------------------------------------===//
#include "EngineImpl.h"
#include "cajal/Emulator/PopulationMap.h"

#include <algorithm>
#include <limits>
#include <set>
#include <tuple>

namespace cajal::systemc {

namespace {
constexpr uint32_t none = std::numeric_limits<uint32_t>::max();
std::string str(uint64_t v) { return std::to_string(v); }

/// Append the route entries of `targets` to `out`, sorted by mesh position.
void appendRoutes(const chip::Image &image,
                  std::vector<chip::AxonTarget>::const_iterator first,
                  std::vector<chip::AxonTarget>::const_iterator last,
                  std::vector<detail::RouteEntry> &out) {
  const size_t begin = out.size();
  for (auto it = first; it != last; ++it) {
    const chip::Core &c = image.cores[it->core];
    out.push_back({c.x, c.y, c.tileSlot, it->core, it->inputAxon});
  }
  std::stable_sort(
      out.begin() + begin, out.end(),
      [](const detail::RouteEntry &a, const detail::RouteEntry &b) {
        return std::tie(a.x, a.y, a.slot) < std::tie(b.x, b.y, b.slot);
      });
}
} // namespace

Status SystemCEngine::Impl::buildCores(const chip::Image &image) {
  Result<chip::ResolvedPrograms> programs =
      chip::resolvePrograms(image, profile);
  if (!programs)
    return programs.takeError();
  compBegin.assign(1, 0);
  // Each compartment's post-synaptic traces, from its population.
  const std::vector<uint32_t> begins = emulator::compartmentBegins(image);
  std::vector<std::array<chip::TraceParams, 3>> postTraces;
  if (image.learning.enabled())
    postTraces = emulator::postTracesByCompartment(image, begins);
  uint64_t firstAxon = 0;
  for (uint32_t c = 0; c < image.cores.size(); ++c) {
    const chip::Core &core = image.cores[c];
    CoreLogic::LearningSetup learning;
    if (image.learning.enabled()) {
      learning.learning = &image.learning;
      learning.firstAxon = firstAxon;
      learning.firstCompartment = compBegin.back();
      learning.postTraces.assign(postTraces.begin() + begins[c],
                                 postTraces.begin() + begins[c + 1]);
    }
    firstAxon += core.inputAxons.size();
    auto unit = std::make_unique<detail::CoreUnit>(core, profile, *programs, c,
                                                   &learning);
    unit->x = core.x;
    unit->y = core.y;
    unit->slot = core.tileSlot;
    unit->chip = chipOf(core.x, core.y);
    unit->routeBegin.assign(1, 0);
    for (uint32_t l = 0; l < core.compartments.size(); ++l) {
      appendRoutes(image, core.outputAxons.begin() + core.outputBegin[l],
                   core.outputAxons.begin() + core.outputBegin[l + 1],
                   unit->routes);
      unit->routeBegin.push_back(uint32_t(unit->routes.size()));
    }
    compCore.insert(compCore.end(), core.compartments.size(), c);
    compBegin.push_back(uint32_t(compCore.size()));
    cores.push_back(std::move(unit));
  }
  perCore.assign(image.cores.size(), emulator::CoreCounters());
  return Status::ok();
}

void SystemCEngine::Impl::buildSources(const chip::Image &image) {
  channelRouteBegin.assign(1, 0);
  for (const chip::Source &src : image.sources) {
    channelBase.push_back(uint32_t(channelRouteBegin.size() - 1));
    for (uint32_t i = 0; i < src.size; ++i) {
      appendRoutes(image, src.targets.begin() + src.targetBegin[i],
                   src.targets.begin() + src.targetBegin[i + 1], channelRoutes);
      channelRouteBegin.push_back(uint32_t(channelRoutes.size()));
    }
    chip::Source light = src;
    light.targets.clear();
    light.targetBegin.clear();
    light.spikes.clear();
    sources.push_back(std::move(light));
    listedSpikes.push_back(src.kind == chip::SourceKind::File
                               ? src.spikes
                               : std::vector<chip::SourceSpike>());
  }
  listedCursor.assign(sources.size(), 0);
}

Status SystemCEngine::Impl::mapPopulations(const chip::Image &image) {
  Result<emulator::PopulationMap> map =
      emulator::mapPopulations(image, compBegin);
  if (!map)
    return makeError(map.error());
  populationBase = std::move(map->populationBase);
  neuronCompartment = std::move(map->neuronCompartment);
  compPopulation = std::move(map->compartmentPopulation);
  compNeuron = std::move(map->compartmentNeuron);
  for (uint32_t g = 0; g < compNeuron.size(); ++g)
    if (compPopulation[g] != none)
      compNeuron[g] -= populationBase[compPopulation[g]];
  for (const chip::Population &pop : image.populations)
    populationFlags.push_back(uint8_t((pop.recordSpikes ? RecordSpikes : 0) |
                                      (pop.recordState ? RecordState : 0)));
  nodeTable = spikeio::NodeTable(image);
  return Status::ok();
}

uint32_t SystemCEngine::Impl::chipOf(uint32_t x, uint32_t y) const {
  return profile.mesh.chipOf(x, y);
}

/// Signals: "step" and "barrier" under chip; per core update, synapse,
/// input_queue, output_queue; per router (those in the bounding box of the
/// used tiles, and the host's) buffered. Trace: one process per chip, one
/// thread per core, one for the barrier.
Status SystemCEngine::Impl::openRecorder(const chip::Image &image) {
  if (options.vcdPath.empty() && options.tracePath.empty())
    return Status::ok();
  detail::Fabric &f = *fabric;
  detail::Recorder::Layout layout;
  layout.clockHz = timing.clockHz;
  layout.ticksPerCycle = f.ticks();
  layout.timescale = sc_core::sc_get_time_resolution().to_string();
  stepSignal = 0;
  barrierSignal = 1;
  layout.signals.push_back({"", "step", 32, "", 0});
  layout.signals.push_back({"", "barrier", 1, "", 0});
  for (uint32_t p = 0; p < profile.mesh.chipsX * profile.mesh.chipsY; ++p)
    layout.processes.push_back("chip " + str(p));
  f.coreSignal.assign(image.cores.size(), 0);
  uint32_t x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  for (uint32_t c = 0; c < image.cores.size(); ++c) {
    const chip::Core &core = image.cores[c];
    const uint32_t pid = chipOf(core.x, core.y);
    const std::string scope = "core" + str(c);
    f.coreSignal[c] = uint32_t(layout.signals.size());
    layout.signals.push_back({scope, "update", 1, "", pid});
    layout.signals.push_back({scope, "synapse", 1, "", pid});
    layout.signals.push_back(
        {scope, "input_queue", 32, "core " + str(c) + " input queue", pid});
    layout.signals.push_back(
        {scope, "output_queue", 32, "core " + str(c) + " output queue", pid});
    layout.tracks.push_back({pid, c,
                             "core " + str(c) + " (" + str(core.x) + "," +
                                 str(core.y) + "," + str(core.tileSlot) + ")"});
    x1 = std::max(x1, core.x);
    y1 = std::max(y1, core.y);
  }
  barrierTid = uint32_t(image.cores.size());
  layout.tracks.push_back({0, barrierTid, "barrier"});
  f.routerSignal.assign(f.routers.size(), detail::kNone);
  for (uint32_t y = y0; y <= y1 && y < f.height; ++y)
    for (uint32_t x = x0; x <= x1 && x < f.width; ++x) {
      const std::string at = str(x) + "_" + str(y);
      f.routerSignal[x + y * f.width] = uint32_t(layout.signals.size());
      layout.signals.push_back(
          {"router_" + at, "buffered", 32,
           "router (" + str(x) + "," + str(y) + ") buffered", chipOf(x, y)});
    }
  Result<std::unique_ptr<detail::Recorder>> r = detail::Recorder::create(
      options.vcdPath, options.tracePath, std::move(layout));
  if (!r)
    return r.takeError();
  recorder = std::move(*r);
  return Status::ok();
}

} // namespace cajal::systemc
