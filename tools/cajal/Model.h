//===- Model.h - Load a network model for the driver ------------*- C++ -*-===//
#ifndef CAJAL_TOOLS_MODEL_H
#define CAJAL_TOOLS_MODEL_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

#include "llvm/Support/SourceMgr.h"

#include <memory>
#include <string>

namespace cajal::driver {

/// A context with the snn and nc dialects whose diagnostics print with their
/// source location; remarks (quantisation error, placement) only if
/// `showRemarks`.
struct ModelContext {
  explicit ModelContext(bool showRemarks);
  mlir::MLIRContext context;
  llvm::SourceMgr sourceMgr;
  std::unique_ptr<mlir::SourceMgrDiagnosticHandler> diagnostics;
};

/// Whether `path` names a model (.mlir or .nir) rather than a chip image.
bool isModelPath(const std::string &path);

/// Parse an snn-dialect .mlir file (applying --dt if given) or import a .nir
/// file (which needs --dt; --reset chooses the reset mode). Errors are
/// printed; returns null on failure.
mlir::OwningOpRef<mlir::ModuleOp> loadModel(const std::string &path,
                                            ModelContext &mc);

} // namespace cajal::driver

#endif // CAJAL_TOOLS_MODEL_H
