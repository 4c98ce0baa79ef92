//===- Model.h - Load a network model named on the command line -*- C++ -*-===//
#ifndef CAJAL_TOOLS_MODEL_H
#define CAJAL_TOOLS_MODEL_H

#include "FrontEnd.h"

namespace cajal::driver {

/// loadModel with the command line's --dt and --reset; errors are printed.
/// Null on failure.
mlir::OwningOpRef<mlir::ModuleOp> loadModel(const std::string &path,
                                            ModelContext &mc);

} // namespace cajal::driver

#endif // CAJAL_TOOLS_MODEL_H
