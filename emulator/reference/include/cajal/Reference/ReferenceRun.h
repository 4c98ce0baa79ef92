//===- ReferenceRun.h - Run the reference engine, record CSV ----*- C++ -*-===//
//
// golden::runAndRecord for the reference engine: the same recorder
// (golden::recordRun), so the spike and state CSV files of either engine
// have the same rows in the same order and can be compared byte for byte.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_REFERENCE_REFERENCERUN_H
#define CAJAL_REFERENCE_REFERENCERUN_H

// The recorder is still declared in the golden model's header.
#include "cajal/Golden/GoldenRun.h"
#include "cajal/Reference/ReferenceEngine.h"

namespace cajal::reference {

/// Run `steps` steps from the engine's current step, recording per
/// `options` (golden::RecordOptions).
Status runAndRecord(ReferenceEngine &engine, uint32_t steps,
                    const golden::RecordOptions &options);

} // namespace cajal::reference

#endif // CAJAL_REFERENCE_REFERENCERUN_H
