//===- cajal-opt.cpp - The Cajal optimizer driver -------------------------===//
//
// MlirOptMain with the snn and nc dialects, every Cajal pass and the MLIR
// passes a test needs (canonicalize, cse, symbol-dce). Each Cajal pass runs
// alone (`cajal-opt --snn-discretize in.mlir`); --cajal-compile runs the
// whole pipeline of `cajal compile`.
//
//===----------------------------------------------------------------------===//
#include "cajal/Conversion/Passes.h"
#include "cajal/Dialect/NC/NCDialect.h"
#include "cajal/Dialect/SNN/SNNDialect.h"
#include "cajal/Transforms/Passes.h"
#include "cajal/Transforms/Pipeline.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  registry.insert<cajal::snn::SNNDialect, cajal::nc::NCDialect>();

  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  mlir::registerSymbolDCEPass();
  mlir::registerStripDebugInfoPass();
  cajal::registerTransformsPasses();
  cajal::registerConversionPasses();
  cajal::registerCompilePipeline();

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "Cajal optimizer driver (snn and nc dialects)\n", registry));
}
