//===- Pipeline.h - The whole snn -> chip image pipeline --------*- C++ -*-===//
//
// The fixed pipeline `cajal compile` runs, also available in cajal-opt as
// --cajal-compile="profile=... path=...":
//   on each snn.network: snn-discretize, snn-quantize, snn-partition,
//   canonicalize; then convert-snn-to-nc, nc-place, nc-route and, when an
//   image or fit-report path is given, nc-emit-image.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_TRANSFORMS_PIPELINE_H
#define CAJAL_TRANSFORMS_PIPELINE_H

#include "mlir/Pass/PassManager.h"

#include <string>

namespace cajal {

struct CompileOptions {
  std::string profile = "loihi1";         ///< profile name or path
  std::string imagePath;                  ///< chip image to write; empty: none
  std::string fitReportPath;              ///< JSON fit report; empty: none
  std::string discretizeMethod = "exact"; ///< exact | euler
  unsigned headroomBits = 3;              ///< see snn-quantize
  bool packSlices = true;                 ///< several slices may share a core
};

/// Add the compile pipeline to `pm`, which must run on builtin.module.
void buildCompilePipeline(mlir::OpPassManager &pm,
                          const CompileOptions &options);

/// Register --cajal-compile for cajal-opt.
void registerCompilePipeline();

} // namespace cajal

#endif // CAJAL_TRANSFORMS_PIPELINE_H
