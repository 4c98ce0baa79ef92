//===- SystemCRun.h - Run SystemC, record CSV -------------------*- C++ -*-===//
//
// runAndRecord for the SystemC model: emulator::recordRun, as for the golden
// model, so the same spike and state CSV files in the same order, and `cajal
// run` records either engine with the same options. When a step fails, its
// error is returned and no file is written: the CSV files are discarded and
// the engine is not finished (its power JSON, VCD and trace are discarded
// when it is destroyed).
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_SYSTEMC_SYSTEMCRUN_H
#define CAJAL_SYSTEMC_SYSTEMCRUN_H

#include "cajal/Emulator/RecordRun.h"
#include "cajal/SystemC/SystemCEngine.h"

namespace cajal::systemc {

/// Run `steps` steps from the engine's current step, recording per
/// `options` (emulator::RecordOptions), then SystemCEngine::finish() unless a
/// step failed.
Status runAndRecord(SystemCEngine &engine, uint32_t steps,
                    const emulator::RecordOptions &options);

} // namespace cajal::systemc

#endif // CAJAL_SYSTEMC_SYSTEMCRUN_H
