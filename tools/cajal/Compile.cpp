//===- Compile.cpp - `cajal compile`: network to chip image ---------------===//
//
// Parses an snn-dialect file, optionally overrides the network time step,
// and runs the fixed pipeline of cajal/Transforms/Pipeline.h through the MLIR
// pass manager. Diagnostics print with their source location; the image and
// the fit report are written atomically by nc-emit-image, so a failed compile
// leaves neither behind.
//
//===----------------------------------------------------------------------===//
#include "Driver.h"

#include "cajal/Dialect/NC/NCDialect.h"
#include "cajal/Dialect/SNN/SNNDialect.h"
#include "cajal/Dialect/SNN/SNNOps.h"
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
cl::opt<std::string> inputPath(cl::Positional, cl::desc("<network.mlir>"),
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
cl::opt<bool> verbose("verbose", cl::desc("Print each pass as it runs"),
                      cl::sub(compileCommand), cl::cat(category()));

/// Apply --dt to every network; a non-positive value is a user error.
LogicalResult overrideTimeStep(mlir::ModuleOp module) {
  if (dt.getNumOccurrences() == 0)
    return success();
  if (!(dt > 0.0)) {
    errs() << "cajal: error: --dt must be positive seconds, got " << dt
           << "\n";
    return failure();
  }
  mlir::Builder b(module.getContext());
  module.walk([&](snn::NetworkOp net) {
    net->setAttr("dt", b.getF64FloatAttr(dt));
  });
  return success();
}
} // namespace

int runCompile() {
  if (!sys::path::extension(inputPath).equals_insensitive(".mlir"))
    return reportError(inputPath + ": unsupported input kind '" +
                       sys::path::extension(inputPath).str() +
                       "'; cajal compile reads snn-dialect .mlir files");
  std::string error;
  std::unique_ptr<MemoryBuffer> input = mlir::openInputFile(inputPath, &error);
  if (!input)
    return reportError(inputPath + ": " + error);

  mlir::DialectRegistry registry;
  registry.insert<snn::SNNDialect, nc::NCDialect>();
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();
  // Errors name the op and its location; dumping the whole network is noise.
  context.printOpOnDiagnostic(false);
  SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(input), SMLoc());
  mlir::SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  // Quiet by default: the passes report quantisation error and placement as
  // remarks, shown with --verbose. Registered last, this handler runs first.
  context.getDiagEngine().registerHandler([](mlir::Diagnostic &d) {
    return success(!verbose && d.getSeverity() == mlir::DiagnosticSeverity::Remark);
  });

  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
  if (!module || failed(overrideTimeStep(*module)))
    return 1;

  CompileOptions options;
  options.profile = profile;
  options.imagePath = outputPath;
  options.fitReportPath = reportPath;
  mlir::PassManager pm(&context);
  if (verbose)
    pm.enableIRPrinting(
        /*shouldPrintBeforePass=*/[](mlir::Pass *, mlir::Operation *) {
          return false;
        },
        /*shouldPrintAfterPass=*/
        [](mlir::Pass *p, mlir::Operation *) {
          errs() << "cajal: ran " << p->getArgument() << "\n";
          return false;
        });
  buildCompilePipeline(pm, options);
  if (failed(pm.run(*module)))
    return 1;

  if (!emitMlir.empty()) {
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
