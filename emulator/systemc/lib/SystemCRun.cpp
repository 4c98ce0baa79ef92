//===- SystemCRun.cpp - Run the SystemC model and record CSV files --------===//
//
// golden::recordRun over SystemCEngine. A failed step ends the loop; the
// files written so far are committed before the error is returned, so they
// hold every finished step; the engine's own outputs are then finished.
//
//===----------------------------------------------------------------------===//
#include "cajal/SystemC/SystemCRun.h"

namespace cajal::systemc {

Status runAndRecord(SystemCEngine &model, uint32_t steps,
                    const golden::RecordOptions &options) {
  Status result = golden::recordRun(model, steps, options,
                                    [&model] { return model.step(); });
  if (Status s = model.finish(); !s && result)
    result = s;
  return result;
}

} // namespace cajal::systemc
