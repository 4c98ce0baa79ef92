//===- Profiles.cpp - A pass's profile and threads ------------------------===//
#include "cajal/Conversion/SNNToMapping.h"

#include "mlir/IR/MLIRContext.h"

#include <algorithm>

using namespace mlir;

FailureOr<cajal::chip::Profile> cajal::loadProfileFor(Operation *op,
                                                      StringRef nameOrPath) {
  Result<chip::Profile> profile =
      chip::findProfile(nameOrPath.str(), chip::defaultProfileDir());
  if (!profile)
    return op->emitError() << "cannot load profile '" << nameOrPath
                           << "': " << profile.error();
  return std::move(*profile);
}

unsigned cajal::mappingThreads(MLIRContext *context) {
  return context->isMultithreadingEnabled()
             ? std::max(1u, context->getNumThreads())
             : 1u;
}
