//===- cajal-translate.cpp - Import NIR files as snn-dialect IR -----------===//
//
//   cajal-translate --import-nir model.nir --dt 1e-4 [--reset subtract]
//                   [--name net] [-o out.mlir]
// prints the snn.network that `cajal compile model.nir` starts from, so that
// lit tests can FileCheck the import. Errors print as
// "model.nir:0:0: error: node 'x': ..." and exit 1.
//
//===----------------------------------------------------------------------===//
#include "cajal/Dialect/SNN/SNNDialect.h"
#include "cajal/NIR/NIRImport.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Support/FileUtilities.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace {
cl::OptionCategory category("cajal-translate options");
cl::opt<std::string> input(cl::Positional, cl::desc("<model.nir>"),
                           cl::Required, cl::cat(category));
cl::opt<bool> importNir("import-nir",
                        cl::desc("Import a NIR (HDF5) file into the snn "
                                 "dialect (the only translation so far)"),
                        cl::cat(category));
cl::opt<double> dt("dt", cl::desc("Time step in seconds (required)"),
                   cl::init(0.0), cl::cat(category));
cl::opt<std::string> reset("reset",
                           cl::desc("Neuron reset: zero (NIR's v_reset, "
                                    "default) or subtract"),
                           cl::init("zero"), cl::cat(category));
cl::opt<std::string> name("name", cl::desc("Network name (default: file stem)"),
                          cl::cat(category));
cl::opt<std::string> output("o", cl::desc("Output file"), cl::init("-"),
                            cl::cat(category));
cl::opt<bool> elide("elide-blobs",
                    cl::desc("Print large weight blobs as <<elided>>"),
                    cl::cat(category));
} // namespace

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv, "Cajal translator (NIR -> snn)\n");
  if (!importNir) {
    errs() << "cajal-translate: error: choose a translation (--import-nir)\n";
    return 1;
  }
  if (reset != "zero" && reset != "subtract") {
    errs() << "cajal-translate: error: --reset must be zero or subtract, got '"
           << reset << "'\n";
    return 1;
  }
  mlir::MLIRContext context;
  context.loadDialect<cajal::snn::SNNDialect>();
  SourceMgr sourceMgr;
  mlir::SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  cajal::nir::NIRImportOptions options;
  options.dt = dt;
  options.resetBySubtraction = reset == "subtract";
  options.networkName = name;
  auto module = cajal::nir::importNIRFile(input, context, options);
  if (failed(module))
    return 1;
  std::string error;
  auto out = mlir::openOutputFile(output, &error);
  if (!out) {
    errs() << "cajal-translate: error: " << error << "\n";
    return 1;
  }
  mlir::OpPrintingFlags flags;
  if (elide)
    flags.elideLargeResourceString(64);
  (*module)->print(out->os(), flags);
  out->keep();
  return 0;
}
