//===- Compile.cpp - `cajal compile`: network to chip image ---------------===//
//
// Parses an snn-dialect file (optionally overriding its time step) or
// imports a NIR file with the given --dt, and runs the fixed pipeline of
// cajal/Transforms/Pipeline.h through the MLIR pass manager. Diagnostics print
// with their source location; the image and the fit report are written
// atomically by nc-emit-image, so a failed compile leaves neither behind.
//
//===----------------------------------------------------------------------===//
#include "Driver.h"

#include "cajal/Dialect/NC/NCDialect.h"
#include "cajal/Dialect/SNN/SNNDialect.h"
#include "cajal/Dialect/SNN/SNNOps.h"
#include "cajal/NIR/NIRImport.h"
#include "cajal/Transforms/Pipeline.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace cajal::driver {
namespace {
cl::opt<std::string> inputPath(cl::Positional,
                               cl::desc("<network.mlir | model.nir>"),
                               cl::Required, cl::sub(compileCommand),
                               cl::cat(category()));
cl::opt<std::string> outputPath("o", cl::desc("Chip image to write"),
                                cl::value_desc("image.cjimg"), cl::Required,
                                cl::sub(compileCommand), cl::cat(category()));
cl::opt<std::string>
    reportPath("report",
               cl::desc("Write the fit report (JSON: per core, each resource "
                        "used/limit; totals)"),
               cl::value_desc("fit.json"), cl::sub(compileCommand),
               cl::cat(category()));
cl::opt<std::string> profile("profile",
                             cl::desc("Architecture profile, name or file"),
                             cl::init("loihi1"), cl::sub(compileCommand),
                             cl::cat(category()));
cl::opt<double> dt("dt",
                   cl::desc("Time step in seconds (overrides the network's)"),
                   cl::init(0.0), cl::sub(compileCommand), cl::cat(category()));
cl::opt<std::string> emitMlir(
    "emit-mlir",
    cl::desc("Also write the final IR (snn and nc dialects) to this file"),
    cl::value_desc("out.mlir"), cl::sub(compileCommand), cl::cat(category()));
cl::opt<std::string> resetMode(
    "reset",
    cl::desc("NIR models: reset to v_reset (zero, the default) or by "
             "subtraction (needs a profile allowing it, e.g. loihi1-nir)"),
    cl::init("zero"), cl::sub(compileCommand), cl::cat(category()));
cl::opt<bool> verbose("verbose", cl::desc("Print each pass as it runs"),
                      cl::sub(compileCommand), cl::cat(category()));

/// Apply --dt to every network; a non-positive value is a user error.
LogicalResult overrideTimeStep(mlir::ModuleOp module) {
  if (dt.getNumOccurrences() == 0)
    return success();
  if (!(dt > 0.0)) {
    errs() << "cajal: error: --dt must be positive seconds, got " << dt << "\n";
    return failure();
  }
  mlir::Builder b(module.getContext());
  module.walk(
      [&](snn::NetworkOp net) { net->setAttr("dt", b.getF64FloatAttr(dt)); });
  return success();
}

/// Parse an snn-dialect file; diagnostics go through `sourceMgr`.
mlir::OwningOpRef<mlir::ModuleOp> parseMlir(SourceMgr &sourceMgr,
                                            mlir::MLIRContext &context) {
  std::string error;
  std::unique_ptr<MemoryBuffer> input = mlir::openInputFile(inputPath, &error);
  if (!input) {
    reportError(inputPath + ": " + error);
    return nullptr;
  }
  sourceMgr.AddNewSourceBuffer(std::move(input), SMLoc());
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
  if (!module || failed(overrideTimeStep(*module)))
    return nullptr;
  return module;
}

/// Import a NIR file (HDF5) with the --dt and --reset the user gave.
mlir::OwningOpRef<mlir::ModuleOp> importNir(mlir::MLIRContext &context) {
  if (dt.getNumOccurrences() == 0) {
    reportError(inputPath + ": a NIR model needs --dt (seconds per step)");
    return nullptr;
  }
  if (!(dt > 0.0) || (resetMode != "zero" && resetMode != "subtract")) {
    reportError(!(dt > 0.0) ? "--dt must be positive seconds"
                            : "--reset must be zero or subtract, got '" +
                                  resetMode + "'");
    return nullptr;
  }
  nir::NIRImportOptions options;
  options.dt = dt;
  options.resetBySubtraction = resetMode == "subtract";
  auto imported = nir::importNIRFile(inputPath, context, options);
  if (failed(imported))
    return nullptr; // diagnosed, with the file and the node
  return std::move(*imported);
}
} // namespace

int runCompile() {
  const StringRef extension = sys::path::extension(inputPath);
  const bool isNir = extension.equals_insensitive(".nir");
  if (!isNir && !extension.equals_insensitive(".mlir"))
    return reportError(inputPath + ": unsupported input kind '" +
                       extension.str() +
                       "'; cajal compile reads .mlir (snn dialect) and .nir "
                       "(NIR, HDF5) files");

  mlir::DialectRegistry registry;
  registry.insert<snn::SNNDialect, nc::NCDialect>();
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();
  // Errors name the op and its location; dumping the whole network is noise.
  context.printOpOnDiagnostic(false);
  SourceMgr sourceMgr;
  mlir::SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  // Quiet by default: the passes report quantisation error and placement as
  // remarks, shown with --verbose. Registered last, this handler runs first.
  context.getDiagEngine().registerHandler([](mlir::Diagnostic &d) {
    return success(!verbose &&
                   d.getSeverity() == mlir::DiagnosticSeverity::Remark);
  });

  mlir::OwningOpRef<mlir::ModuleOp> module =
      isNir ? importNir(context) : parseMlir(sourceMgr, context);
  if (!module)
    return 1;

  CompileOptions options;
  options.profile = profile;
  options.imagePath = outputPath;
  options.fitReportPath = reportPath;
  mlir::PassManager pm(&context);
  if (verbose)
    pm.enableIRPrinting(
        /*shouldPrintBeforePass=*/[](mlir::Pass *,
                                     mlir::Operation *) { return false; },
        /*shouldPrintAfterPass=*/
        [](mlir::Pass *p, mlir::Operation *) {
          errs() << "cajal: ran " << p->getArgument() << "\n";
          return false;
        });
  buildCompilePipeline(pm, options);
  if (failed(pm.run(*module)))
    return 1;

  if (!emitMlir.empty()) {
    std::string error;
    auto out = mlir::openOutputFile(emitMlir, &error);
    if (!out)
      return reportError(emitMlir + ": " + error);
    module->print(out->os());
    out->keep();
  }
  if (verbose)
    errs() << "cajal: wrote " << outputPath << "\n";
  return 0;
}

} // namespace cajal::driver
