//===- Report.cpp - The driver's error line -------------------------------===//
//
// Compiled into the driver and into each of its modules.
//
//===----------------------------------------------------------------------===//
#include "Report.h"

#include "llvm/Support/raw_ostream.h"

namespace cajal::driver {

int reportError(const std::string &message) {
  llvm::errs() << "cajal: error: " << message << "\n";
  return 1;
}

} // namespace cajal::driver
