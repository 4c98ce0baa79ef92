//===- ReferenceRun.cpp - Run the reference engine, record CSV ------------===//

#include "cajal/Reference/ReferenceRun.h"

namespace cajal::reference {

Status runAndRecord(ReferenceEngine &engine, uint32_t steps,
                    const emulator::RecordOptions &options) {
  return emulator::recordRun(engine, steps, options, [&engine] {
    engine.step();
    return Status::ok();
  });
}

} // namespace cajal::reference
