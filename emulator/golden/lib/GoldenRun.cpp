//===- GoldenRun.cpp - Run the golden model and record CSV files ----------===//

#include "cajal/Golden/GoldenRun.h"

namespace cajal::golden {

Status runAndRecord(GoldenModel &model, uint32_t steps,
                    const emulator::RecordOptions &options) {
  return emulator::recordRun(model, steps, options, [&model] {
    model.step();
    return Status::ok();
  });
}

} // namespace cajal::golden
