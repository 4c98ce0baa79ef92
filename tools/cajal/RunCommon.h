//===- RunCommon.h - What every engine's `cajal run` shares -----*- C++ -*-===//
//
// Reading the input spikes, the recording's callbacks (progress bar, Ctrl-C,
// weight snapshots) and the summary, for any engine with the golden model's
// interface: the driver's engines (Run.cpp) and the SystemC model in its
// module (SystemCModule.cpp) use the same code.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_TOOLS_RUNCOMMON_H
#define CAJAL_TOOLS_RUNCOMMON_H

#include "cajal/Emulator/RecordRun.h"
#include "cajal/Emulator/SpikeIO.h"
#include "cajal/Emulator/WeightsOut.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

namespace cajal::driver {

/// The options of `cajal run` that every engine's run reads.
struct RunSettings {
  unsigned steps = 0;
  std::string inputPath; ///< external input spikes (CSV); may be empty
  std::string spikesOut, probesOut;
  bool quiet = false;
  unsigned weightsEvery = 0;
  /// Set by the first Ctrl-C: the run stops after its step.
  const std::atomic<bool> *interrupted = nullptr;
};

/// `seconds`: the run's wall time, `writeSeconds` of it formatting and
/// writing output files; events per second count the rest.
template <typename Model>
void printSummary(const Model &model, const char *engineName,
                  const std::vector<uint64_t> &spikesPerPopulation,
                  double seconds, double writeSeconds) {
  using llvm::format;
  using llvm::outs;
  const emulator::Counters &c = model.counters();
  outs() << "ran " << c.steps << " steps on the " << engineName << " in "
         << format("%.3g", seconds) << " s ("
         << format("%.3g", seconds - writeSeconds) << " s simulating, "
         << format("%.3g", writeSeconds) << " s writing output files)\n";
  seconds -= writeSeconds;
  outs() << "  population                  neurons       spikes  "
            "spikes/neuron/step\n";
  for (uint32_t p = 0; p < model.populationCount(); ++p) {
    const uint32_t size = model.populationSize(p);
    const double rate =
        size && c.steps ? double(spikesPerPopulation[p]) / size / c.steps : 0;
    outs() << format("  %-24s %10u %12llu %14.5f\n",
                     model.nodes().name(p).c_str(), size,
                     (unsigned long long)spikesPerPopulation[p], rate);
  }
  outs() << "  source spikes " << c.sourceSpikes << ", synaptic events "
         << c.synapticEvents << " ("
         << format("%.3g", seconds > 0 ? c.synapticEvents / seconds : 0.0)
         << " per second)\n";
}

template <typename Model>
Status readInput(const RunSettings &run, Model &model) {
  if (run.inputPath.empty())
    return Status::ok();
  auto spikes = spikeio::readSpikeCsv(run.inputPath, model.nodes(),
                                      spikeio::NodeSet::ExternalSources);
  if (!spikes)
    return spikes.takeError();
  return model.setExternalSpikes(std::move(*spikes));
}

/// A progress bar on stderr, only when it is a terminal and not --quiet;
/// redrawn at most 100 times per run.
inline void drawProgress(uint32_t done, uint32_t total) {
  constexpr unsigned width = 40;
  if (done != total &&
      (uint64_t(done) * 100 / total) == (uint64_t(done - 1) * 100 / total))
    return;
  const unsigned filled = unsigned(uint64_t(done) * width / total);
  llvm::errs() << "\r[" << std::string(filled, '#')
               << std::string(width - filled, ' ') << "] " << done << "/"
               << total << " steps" << (done == total ? "\n" : "");
  llvm::errs().flush();
}

inline emulator::RecordOptions recordOptions(const RunSettings &run,
                                             std::vector<uint64_t> &counts,
                                             double &writeSeconds) {
  emulator::RecordOptions record;
  record.writeSeconds = &writeSeconds;
  record.spikesPath = run.spikesOut;
  record.statePath = run.probesOut;
  record.spikeCounts = &counts;
  const bool progress =
      !run.quiet && llvm::sys::Process::StandardErrIsDisplayed();
  record.onStep = [progress, interrupted = run.interrupted](uint32_t done,
                                                            uint32_t total) {
    if (progress)
      drawProgress(done, total);
    return !*interrupted;
  };
  return record;
}

/// After a run stopped by Ctrl-C: say how far it got; exit code 130 as a
/// shell reports SIGINT. Every output file holds the finished steps.
inline int reportInterrupt(uint32_t stepsDone) {
  llvm::errs() << "\ncajal: interrupted after " << stepsDone
               << " steps; the output files hold those steps\n";
  return 130;
}

inline double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

/// --weights-out: the weights before the first step, and every
/// --weights-every steps of the run (the last step's snapshot is taken when
/// the run ends, however it ends).
template <typename Model>
void snapshotWeights(const RunSettings &run, emulator::WeightsWriter &weights,
                     Model &model, emulator::RecordOptions &record) {
  weights.snapshot(model.currentStep(), model);
  record.onStep = [&weights, &model, every = run.weightsEvery,
                   progress = record.onStep](uint32_t done, uint32_t total) {
    if (every != 0 && done % every == 0 && done != total)
      weights.snapshot(model.currentStep(), model);
    return progress ? progress(done, total) : true;
  };
}

} // namespace cajal::driver

#endif // CAJAL_TOOLS_RUNCOMMON_H
