//===- Profiles.cpp - Load an architecture profile for a pass -------------===//
#include "cajal/Conversion/SNNToMapping.h"

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
