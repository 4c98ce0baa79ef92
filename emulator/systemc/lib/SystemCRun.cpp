//===- SystemCRun.cpp - Run the SystemC model and record CSV files --------===//
//
// emulator::recordRun over SystemCEngine. A failed step ends the loop and
// returns its error with no file written: the CSV files are discarded, and
// the engine's own outputs (power, VCD, trace) are left unfinished, so that
// destroying the engine discards them too. Otherwise the engine is finished.
//
//===----------------------------------------------------------------------===//
#include "cajal/SystemC/SystemCRun.h"

namespace cajal::systemc {

Status runAndRecord(SystemCEngine &model, uint32_t steps,
                    const emulator::RecordOptions &options) {
  Status result = emulator::recordRun(model, steps, options,
                                      [&model] { return model.step(); });
  if (!result)
    return result;
  return model.finish();
}

} // namespace cajal::systemc
