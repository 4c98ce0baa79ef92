//===- SystemCEngine.h - The cycle-level SystemC model ----------*- C++ -*-===//
//
// Runs a chip image on a SystemC model of the chip (docs/emulator.md): one
// module per neurocore (input spike queue, synapse unit timed as reading the
// packed synapse memory word by word, dendritic accumulators per delay slot,
// time-multiplexed compartment update, output-axon fan-out into packets),
// one per router of the 2-D mesh (dimension-order multicast routing, finite
// buffers with back-pressure, link contention, per-hop latency), a host
// interface and a barrier that closes each step after the last spike is
// delivered. Spikes equal the golden model's exactly; on top it counts
// cycles and energy (docs/power.md) and can write VCD and Chrome traces.
//
// The API is the one every engine has (the golden model's too), with the
// shared types of cajal/Emulator/EngineTypes.h, so that a driver can swap
// engines.
// SystemC elaborates once per process: the first engine builds the chip for
// its profile's mesh; later engines in the same process reuse it (same mesh
// shape, any costs), one engine alive at a time. This header includes no
// SystemC header.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_SYSTEMC_SYSTEMCENGINE_H
#define CAJAL_SYSTEMC_SYSTEMCENGINE_H

#include "cajal/Chip/Compartment.h"
#include "cajal/Chip/Image.h"
#include "cajal/Chip/Profile.h"
#include "cajal/Chip/Result.h"
#include "cajal/Emulator/EngineTypes.h"
#include "cajal/Emulator/SpikeIO.h"
#include "cajal/SystemC/PowerReport.h"

#include <memory>
#include <string>
#include <vector>

namespace cajal::systemc {

struct Options {
  std::string powerPath; ///< power report JSON, written by finish()
  std::string vcdPath;   ///< VCD of per-core and per-router activity
  std::string tracePath; ///< Chrome/Perfetto trace JSON
};

class SystemCEngine {
public:
  /// Validate `image` against `profile`, elaborate (or reuse) the chip and
  /// load the image at step 0. Output files are opened here.
  static Result<SystemCEngine> create(const chip::Image &image,
                                      const chip::Profile &profile,
                                      const Options &options = Options());
  SystemCEngine(SystemCEngine &&) noexcept;
  SystemCEngine &operator=(SystemCEngine &&) noexcept;
  /// Frees the chip for the next engine of this process. Output files that
  /// finish() did not commit are discarded: a run that ends in an error
  /// leaves none.
  ~SystemCEngine();

  /// As GoldenModel::setExternalSpikes: spikes of the External sources,
  /// replacing earlier ones; errors name the node and the value.
  Status setExternalSpikes(std::vector<spikeio::SpikeRecord> spikes);
  /// Run step currentStep() until its barrier. A step that cannot finish
  /// (deadlock, cost.stepTimeoutNs exceeded) returns an error naming the
  /// step, the core or router and the reason; every later step() returns it
  /// again. Outputs stay complete up to the last finished step.
  Status step();
  Status run(uint32_t steps);
  uint32_t currentStep() const;

  // The views every engine has (EngineTypes.h), after the last finished step.
  const std::vector<uint32_t> &lastSpikingCompartments() const;
  void lastSpikes(std::vector<emulator::NeuronSpike> &out) const;
  const std::vector<emulator::SourceSpikeEvent> &lastSourceSpikes() const;
  uint32_t compartmentOf(uint32_t population, uint32_t neuron) const;
  const chip::CompartmentState &state(uint32_t population,
                                      uint32_t neuron) const;
  const chip::CompartmentState &compartmentState(uint32_t global) const;
  /// Every state word of the compartment's program (LIF family: u, v, the
  /// refractory counter), as the reference engine's stateWords.
  std::vector<int32_t> compartmentStateWords(uint32_t global) const;
  std::vector<int32_t> stateWords(uint32_t population, uint32_t neuron) const {
    return compartmentStateWords(compartmentOf(population, neuron));
  }
  const std::vector<uint32_t> &coreCompartmentBegin() const;
  uint32_t compartmentCount() const;
  const emulator::Counters &counters() const;
  const std::vector<emulator::CoreCounters> &coreCounters() const;
  const spikeio::NodeTable &nodes() const;
  bool recordsSpikes(uint32_t population) const;
  bool recordsState(uint32_t population) const;
  uint32_t populationSize(uint32_t population) const;
  uint32_t populationCount() const;

  /// Learning (docs/learning.md): a learning or reward group's synapses as
  /// they are now (local compartments), a learning axon's x1/x2, a
  /// compartment's y1..y3 and its reward of the current epoch.
  std::vector<chip::Synapse> synapses(uint32_t core, uint32_t axon) const;
  uint32_t preTrace(uint32_t core, uint32_t axon, unsigned which) const;
  uint32_t postTrace(uint32_t global, unsigned which) const;
  int64_t reward(uint32_t global) const;

  // Time and energy.
  /// Cycles, barrier share and limiting unit of the last finished step.
  const StepTiming &lastStepTiming() const;
  /// Energy and time of the finished steps.
  PowerReport powerReport() const;
  /// Write the power JSON (Options::powerPath) and commit the VCD and trace
  /// files; idempotent. After a failed step, calling it commits files that
  /// hold every finished step; not calling it leaves no file.
  Status finish();

private:
  SystemCEngine();
  void close();
  struct Impl;
  std::unique_ptr<Impl> impl;
};

} // namespace cajal::systemc

#endif // CAJAL_SYSTEMC_SYSTEMCENGINE_H
