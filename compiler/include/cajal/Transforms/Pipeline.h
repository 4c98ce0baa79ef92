//===- Pipeline.h - The whole snn -> chip image pipeline --------*- C++ -*-===//
//
// The fixed pipeline `cajal compile` runs, also available in cajal-opt as
// --cajal-compile="profile=... path=...":
//   snn-discretize-equations (equation models get their step); on each
//   snn.network: snn-discretize, snn-quantize, snn-partition,
//   canonicalize; then convert-snn-to-nc, nc-place, nc-route and, when an
//   image or fit-report path is given, nc-emit-image.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_TRANSFORMS_PIPELINE_H
#define CAJAL_TRANSFORMS_PIPELINE_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/SourceMgr.h"

#include <string>

namespace cajal {

struct CompileOptions {
  std::string profile = "loihi1";         ///< profile name or path
  std::string imagePath;                  ///< chip image to write; empty: none
  std::string fitReportPath;              ///< JSON fit report; empty: none
  std::string discretizeMethod = "exact"; ///< exact | euler
  unsigned headroomBits = 3;              ///< see snn-quantize
  /// Steps of the float-engine run that gives undeclared state ranges
  /// (snn-calibrate-ranges); 0: none, an undeclared range is an error.
  unsigned calibrationSteps = 0;
  bool packSlices = true; ///< several slices may share a core
};

/// Add the compile pipeline to `pm`, which must run on builtin.module.
void buildCompilePipeline(mlir::OpPassManager &pm,
                          const CompileOptions &options);

/// Register --cajal-compile for cajal-opt.
void registerCompilePipeline();

/// The deepest nesting of brackets ({ [ ( <) a model may have: MLIR's
/// parser, verifier and printer recurse per level.
constexpr unsigned kMaxModelNesting = 256;

/// Parse the main buffer of `sourceMgr` as a module, after one linear scan
/// that refuses nesting deeper than kMaxModelNesting (an error at the file,
/// line and column of the first bracket too deep). Errors go to the
/// context's diagnostic handler; null on failure.
mlir::OwningOpRef<mlir::ModuleOp> parseModel(llvm::SourceMgr &sourceMgr,
                                             mlir::MLIRContext &context);

} // namespace cajal

#endif // CAJAL_TRANSFORMS_PIPELINE_H
