//===- RecordRun.h - Run an engine, record spike and state CSV --*- C++ -*-===//
//
// The recording loop that every engine's runAndRecord shares (golden model,
// SystemC model), for any engine with the common observation API (nodes(),
// currentStep(), lastSpikes(), lastSourceSpikes(), state(), the population
// accessors): run a number of steps, write the spikes of the recorded
// populations (and, optionally, of the sources) as spike CSV and the state of
// the populations whose state is probed as state CSV. Files are written
// atomically: when a step fails none is written and the step's error is
// returned; a run stopped by onStep (Ctrl-C) commits them with every
// finished step.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_EMULATOR_RECORDRUN_H
#define CAJAL_EMULATOR_RECORDRUN_H

#include "cajal/Chip/Compartment.h"
#include "cajal/Chip/Result.h"
#include "cajal/Emulator/EngineTypes.h"
#include "cajal/Emulator/SpikeHdf5.h"
#include "cajal/Emulator/SpikeIO.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cajal::emulator {

/// What a run records, and where.
struct RecordOptions {
  std::string spikesPath; ///< spike CSV (HDF5 for .h5/.hdf5); empty: none
  std::string statePath;  ///< state CSV (`step,node,index,u,v`); empty: none
  bool recordSources = false; ///< also write the sources' spikes
  bool recordAll = false;     ///< every population, whatever its probe flag
  /// When set, resized to the population count and incremented by every
  /// spike of every population (recorded or not), for run summaries.
  std::vector<uint64_t> *spikeCounts = nullptr;
  /// When set, receives every spike of every population (recorded or not),
  /// by step, as (step, population node, neuron).
  std::vector<spikeio::SpikeRecord> *spikes = nullptr;
  /// When set, receives the state rows of the state-probed populations, as
  /// the state CSV has them (with or without statePath).
  std::vector<spikeio::StateRecord> *states = nullptr;
  /// When set, called after every finished step with (steps done, total);
  /// returning false stops the run there (Ctrl-C), with every file complete
  /// up to that step. The driver also draws its progress bar with it.
  std::function<bool(uint32_t, uint32_t)> onStep;
  /// When set, receives the wall time (s) the run spent formatting and
  /// writing the output files, so that callers can report the simulation
  /// apart from its file output (as simulators that record into memory do).
  double *writeSeconds = nullptr;
};

/// The loop behind every engine's runAndRecord: run `steps` steps of
/// `engine` from its current step, recording per `options`; `stepOnce()`
/// advances `engine` by one step and returns a Status. Rows are ordered by
/// (step, node id, index); state rows follow the update of their step.
template <typename Engine, typename StepOnce>
Status recordRun(Engine &engine, uint32_t steps, const RecordOptions &options,
                 StepOnce stepOnce) {
  const spikeio::NodeTable &nodes = engine.nodes();
  std::optional<spikeio::SpikeFileWriter> spikeOut;
  std::optional<spikeio::StateCsvWriter> stateOut;
  if (!options.spikesPath.empty()) {
    auto w = spikeio::SpikeFileWriter::create(options.spikesPath, nodes);
    if (!w)
      return w.takeError();
    spikeOut.emplace(std::move(*w));
  }
  if (!options.statePath.empty()) {
    auto w = spikeio::StateCsvWriter::create(options.statePath, nodes);
    if (!w)
      return w.takeError();
    stateOut.emplace(std::move(*w));
  }
  if (options.spikeCounts)
    options.spikeCounts->assign(engine.populationCount(), 0);
  std::vector<NeuronSpike> spikes;
  Status result;
  using Clock = std::chrono::steady_clock;
  Clock::duration writing{};
  // The spike file's rows are staged and written a batch at a time, so the
  // writing is timed per batch: two clock reads per step were about 3 % of
  // a small network's run (CUBA 4k: 1.5 us a step).
  constexpr size_t kStagedRows = 4096;
  std::vector<spikeio::SpikeRecord> staged;
  const auto writeStaged = [&] {
    const Clock::time_point written = Clock::now();
    for (const spikeio::SpikeRecord &row : staged)
      spikeOut->add(row);
    staged.clear();
    writing += Clock::now() - written;
  };
  for (uint32_t i = 0; i < steps; ++i) {
    const uint32_t t = engine.currentStep();
    result = stepOnce();
    if (!result)
      break;
    engine.lastSpikes(spikes);
    if (options.spikeCounts)
      for (const NeuronSpike &s : spikes)
        ++(*options.spikeCounts)[s.population];
    if (options.spikes)
      for (const NeuronSpike &s : spikes)
        options.spikes->push_back(
            {t, nodes.populationNode(s.population), s.neuron});
    if (spikeOut) {
      for (const NeuronSpike &s : spikes)
        if (options.recordAll || engine.recordsSpikes(s.population))
          staged.push_back({t, nodes.populationNode(s.population), s.neuron});
      if (options.recordSources)
        for (const SourceSpikeEvent &s : engine.lastSourceSpikes())
          staged.push_back({t, nodes.sourceNode(s.source), s.index});
      // Aliases have the highest node ids, population by population, so
      // their rows come last; `spikes` is sorted by population.
      for (size_t first = 0, j = 0; first < spikes.size(); first = j) {
        const uint32_t p = spikes[first].population;
        while (j < spikes.size() && spikes[j].population == p)
          ++j;
        if (options.recordAll || engine.recordsSpikes(p))
          for (uint32_t alias : nodes.aliasNodes(p))
            for (size_t k = first; k < j; ++k)
              staged.push_back({t, alias, spikes[k].neuron});
      }
      if (staged.size() >= kStagedRows)
        writeStaged();
    }
    if (stateOut || options.states) {
      const Clock::time_point written = Clock::now();
      for (uint32_t p = 0; p < engine.populationCount(); ++p) {
        if (!engine.recordsState(p))
          continue;
        for (uint32_t n = 0; n < engine.populationSize(p); ++n) {
          const chip::CompartmentState &s = engine.state(p, n);
          const spikeio::StateRecord row{t, nodes.populationNode(p), n, s.u,
                                         s.v};
          if (stateOut)
            stateOut->add(row);
          if (options.states)
            options.states->push_back(row);
        }
      }
      writing += Clock::now() - written;
    }
    if (options.onStep && !options.onStep(i + 1, steps))
      break;
  }
  // A failed step leaves no file: the writers discard their temporaries.
  if (!result)
    return result;
  // Commit what was recorded, keeping the first error.
  if (spikeOut)
    writeStaged();
  const Clock::time_point committed = Clock::now();
  if (spikeOut)
    if (Status s = spikeOut->finish(); !s && result)
      result = s;
  if (stateOut)
    if (Status s = stateOut->finish(); !s && result)
      result = s;
  writing += Clock::now() - committed;
  if (options.writeSeconds)
    *options.writeSeconds = std::chrono::duration<double>(writing).count();
  return result;
}

} // namespace cajal::emulator

#endif // CAJAL_EMULATOR_RECORDRUN_H
