//===- ReferenceRun.h - Run the reference engine, record CSV ----*- C++ -*-===//
//
// runAndRecord for the reference engine: the same recorder
// (emulator::recordRun), so the spike and state CSV files of either engine
// have the same rows in the same order and can be compared byte for byte.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_REFERENCE_REFERENCERUN_H
#define CAJAL_REFERENCE_REFERENCERUN_H

#include "cajal/Emulator/RecordRun.h"
#include "cajal/Reference/ReferenceEngine.h"

namespace cajal::reference {

/// Run `steps` steps from the engine's current step, recording per
/// `options` (emulator::RecordOptions).
Status runAndRecord(ReferenceEngine &engine, uint32_t steps,
                    const emulator::RecordOptions &options);

} // namespace cajal::reference

#endif // CAJAL_REFERENCE_REFERENCERUN_H
