//===- EngineImpl.h - State of a SystemCEngine ------------------*- C++ -*-===//
//
// Internal to CajalSystemC: what SystemCEngine keeps besides the fabric.
// The network-level maps (global compartment indices, populations, source
// channels) are laid out exactly as the golden model lays them out, so that
// both engines report spikes in the same order.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_SYSTEMC_LIB_ENGINEIMPL_H
#define CAJAL_SYSTEMC_LIB_ENGINEIMPL_H

#include "Fabric.h"
#include "Recorder.h"

#include "cajal/SystemC/SystemCEngine.h"

#include <memory>
#include <optional>
#include <vector>

namespace cajal::systemc {

struct SystemCEngine::Impl {
  chip::Profile profile;
  Options options;
  Timing timing;
  detail::Fabric *fabric = nullptr;
  std::vector<std::unique_ptr<detail::CoreUnit>> cores; ///< image order

  // Compartments: global index = compBegin[core] + local index.
  std::vector<uint32_t> compBegin, compCore;
  bool learns = false; ///< the image learns (its power report says so)

  // Sources: channel i of source s is global channel channelBase[s] + i and
  // goes to channelRoutes[channelRouteBegin[ch] .. channelRouteBegin[ch+1]).
  std::vector<chip::Source> sources; ///< without targets and spikes
  std::vector<uint32_t> channelBase, channelRouteBegin;
  std::vector<detail::RouteEntry> channelRoutes;
  std::vector<std::vector<chip::SourceSpike>> listedSpikes;
  std::vector<size_t> listedCursor;

  // Populations, as in the golden model.
  std::vector<uint32_t> populationBase, neuronCompartment;
  std::vector<uint32_t> compPopulation, compNeuron;
  std::vector<uint8_t> populationFlags;
  spikeio::NodeTable nodeTable;

  // Results.
  uint32_t stepIndex = 0;
  std::vector<uint32_t> spiking;
  std::vector<emulator::SourceSpikeEvent> sourceSpiking;
  emulator::Counters totals;
  std::vector<emulator::CoreCounters> perCore;
  std::vector<StepTiming> stepTimes;
  StepTiming last;
  uint64_t cycles = 0;       ///< end of the last finished step
  uint64_t barrierTiles = 0; ///< tiles x barriers
  std::optional<Error> failure;
  bool finished = false;

  std::unique_ptr<detail::Recorder> recorder;
  uint32_t stepSignal = 0, barrierSignal = 0, barrierTid = 0;

  enum PopulationFlag : uint8_t { RecordSpikes = 1, RecordState = 2 };

  // EngineLoad.cpp
  /// Errors: a program that does not resolve or validate.
  Status buildCores(const chip::Image &image);
  void buildSources(const chip::Image &image);
  Status mapPopulations(const chip::Image &image);
  Status openRecorder(const chip::Image &image);

  // SystemCEngine.cpp
  std::vector<detail::Packet> sourceSpikes();
  void collect();
  void record();
  uint32_t chipOf(uint32_t x, uint32_t y) const;
};

} // namespace cajal::systemc

#endif // CAJAL_SYSTEMC_LIB_ENGINEIMPL_H
