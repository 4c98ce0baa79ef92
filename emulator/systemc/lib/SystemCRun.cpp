//===- SystemCRun.cpp - Run the SystemC model and record CSV files --------===//
//
// The loop of golden::runAndRecord over SystemCEngine. A failed step ends
// the loop; the files written so far are committed before the error is
// returned, so they hold every finished step.
//
//===----------------------------------------------------------------------===//
#include "cajal/SystemC/SystemCRun.h"

#include <optional>

namespace cajal::systemc {

namespace {

void recordState(const SystemCEngine &model, uint32_t t,
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

void recordSpikes(const SystemCEngine &model, uint32_t t,
                  const golden::RecordOptions &options,
                  std::vector<golden::NeuronSpike> &spikes,
                  spikeio::SpikeCsvWriter *out) {
  const spikeio::NodeTable &nodes = model.nodes();
  model.lastSpikes(spikes);
  if (options.spikeCounts)
    for (const golden::NeuronSpike &s : spikes)
      ++(*options.spikeCounts)[s.population];
  if (!out)
    return;
  for (const golden::NeuronSpike &s : spikes)
    if (options.recordAll || model.recordsSpikes(s.population))
      out->add({t, nodes.populationNode(s.population), s.neuron});
  if (options.recordSources)
    for (const golden::SourceSpikeEvent &s : model.lastSourceSpikes())
      out->add({t, nodes.sourceNode(s.source), s.index});
}

} // namespace

Status runAndRecord(SystemCEngine &model, uint32_t steps,
                    const golden::RecordOptions &options) {
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
  std::vector<golden::NeuronSpike> spikes;
  Status result;
  for (uint32_t i = 0; i < steps && result; ++i) {
    const uint32_t t = model.currentStep();
    result = model.step();
    if (!result)
      break;
    recordSpikes(model, t, options, spikes, spikeOut ? &*spikeOut : nullptr);
    if (stateOut)
      recordState(model, t, *stateOut);
    if (options.onStep)
      options.onStep(i + 1, steps);
  }
  // Commit everything, keeping the first error.
  auto keep = [&result](Status s) {
    if (!s && result)
      result = std::move(s);
  };
  if (spikeOut)
    keep(spikeOut->finish());
  if (stateOut)
    keep(stateOut->finish());
  keep(model.finish());
  return result;
}

} // namespace cajal::systemc
