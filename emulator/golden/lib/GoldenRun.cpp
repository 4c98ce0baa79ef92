//===- GoldenRun.cpp - Run the golden model and record CSV files ----------===//

#include "cajal/Golden/GoldenRun.h"

#include <optional>

namespace cajal::golden {

namespace {

/// Write the state rows of every state-probed population for step `t`.
void recordState(const GoldenModel &model, uint32_t t,
                 spikeio::StateCsvWriter &writer) {
  const spikeio::NodeTable &nodes = model.nodes();
  for (uint32_t p = 0; p < model.populationCount(); ++p) {
    if (!model.recordsState(p))
      continue;
    for (uint32_t n = 0; n < model.populationSize(p); ++n) {
      const chip::CompartmentState &s = model.state(p, n);
      writer.add({t, nodes.populationNode(p), n, s.u, s.v});
    }
  }
}

} // namespace

Status runAndRecord(GoldenModel &model, uint32_t steps,
                    const RecordOptions &options) {
  const spikeio::NodeTable &nodes = model.nodes();
  std::optional<spikeio::SpikeCsvWriter> spikeOut;
  std::optional<spikeio::StateCsvWriter> stateOut;
  if (!options.spikesPath.empty()) {
    auto w = spikeio::SpikeCsvWriter::create(options.spikesPath, nodes);
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
    options.spikeCounts->assign(model.populationCount(), 0);
  std::vector<NeuronSpike> spikes;
  for (uint32_t i = 0; i < steps; ++i) {
    const uint32_t t = model.currentStep();
    model.step();
    if (options.spikeCounts) {
      model.lastSpikes(spikes);
      for (const NeuronSpike &s : spikes)
        ++(*options.spikeCounts)[s.population];
    }
    if (spikeOut) {
      if (!options.spikeCounts)
        model.lastSpikes(spikes);
      for (const NeuronSpike &s : spikes)
        if (options.recordAll || model.recordsSpikes(s.population))
          spikeOut->add({t, nodes.populationNode(s.population), s.neuron});
      if (options.recordSources)
        for (const SourceSpikeEvent &s : model.lastSourceSpikes())
          spikeOut->add({t, nodes.sourceNode(s.source), s.index});
    }
    if (stateOut)
      recordState(model, t, *stateOut);
    if (options.onStep)
      options.onStep(i + 1, steps);
  }
  if (spikeOut)
    if (Status s = spikeOut->finish(); !s)
      return s;
  if (stateOut)
    if (Status s = stateOut->finish(); !s)
      return s;
  return Status::ok();
}

} // namespace cajal::golden
