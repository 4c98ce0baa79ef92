//===- GoldenRun.h - Run the golden model, record CSV -----------*- C++ -*-===//
//
// The recording loop that tools share (`cajal run`, cajal-golden-run): run a
// number of steps, write the spikes of the recorded populations (and,
// optionally, of the sources) as spike CSV and the state of the populations
// whose state is probed as state CSV. Files are written atomically.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_GOLDEN_GOLDENRUN_H
#define CAJAL_GOLDEN_GOLDENRUN_H

#include "cajal/Golden/GoldenModel.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace cajal::golden {

struct RecordOptions {
  std::string spikesPath; ///< spike CSV; empty: none
  std::string statePath;  ///< state CSV (`step,node,index,u,v`); empty: none
  bool recordSources = false; ///< also write the sources' spikes
  bool recordAll = false;     ///< every population, whatever its probe flag
  /// When set, resized to the population count and incremented by every
  /// spike of every population (recorded or not), for run summaries.
  std::vector<uint64_t> *spikeCounts = nullptr;
  /// When set, called after every finished step with (steps done, total):
  /// the driver draws its progress bar with it.
  std::function<void(uint32_t, uint32_t)> onStep;
};

/// Run `steps` steps from the model's current step, recording per `options`.
/// Rows are ordered by (step, node id, index); state rows follow the update
/// of their step.
Status runAndRecord(GoldenModel &model, uint32_t steps,
                    const RecordOptions &options);

} // namespace cajal::golden

#endif // CAJAL_GOLDEN_GOLDENRUN_H
