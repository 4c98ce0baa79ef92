//===- ParallelFor.h - Per-core work on several threads ---------*- C++ -*-===//
//
// Loading a large image is per-core work (decode, check, unpack synapses)
// that needs no other core: the image reader and the golden model's loader
// spread it over threads with parallelForCores, keeping the error a loop in
// core order would report.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_CHIP_PARALLELFOR_H
#define CAJAL_CHIP_PARALLELFOR_H

#include "cajal/Chip/Result.h"

#include <cstddef>
#include <functional>

namespace cajal::chip {

/// Calls f(i) for i in [0, n) on up to `threads` threads (each i at most
/// once, in no particular order) and returns the error of the smallest i
/// that failed: the error a loop in order would have stopped at. After a
/// failure at i, no index above i is started. An exception from f stops
/// every thread and is thrown again once all have returned.
Status parallelForCores(size_t n, unsigned threads,
                        const std::function<Status(size_t)> &f);

/// Threads a load spreads its per-core work over: the machine's, at most
/// 8, whatever number of threads the run itself uses (the load's result
/// does not depend on it).
unsigned loadThreads();

} // namespace cajal::chip

#endif // CAJAL_CHIP_PARALLELFOR_H
