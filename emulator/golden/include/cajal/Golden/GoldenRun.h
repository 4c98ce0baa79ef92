//===- GoldenRun.h - Run the golden model, record CSV -----------*- C++ -*-===//
//
// runAndRecord for the golden model: emulator::recordRun (RecordRun.h, shared
// by every engine) over GoldenModel, as `cajal run` and cajal-golden-run use
// it.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_GOLDEN_GOLDENRUN_H
#define CAJAL_GOLDEN_GOLDENRUN_H

#include "cajal/Emulator/RecordRun.h"
#include "cajal/Golden/GoldenModel.h"

#include <cstdint>

namespace cajal::golden {

/// Run `steps` steps of the golden model from its current step, recording
/// per `options`. Rows are ordered by (step, node id, index); state rows
/// follow the update of their step.
Status runAndRecord(GoldenModel &model, uint32_t steps,
                    const emulator::RecordOptions &options);

} // namespace cajal::golden

#endif // CAJAL_GOLDEN_GOLDENRUN_H
