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
#include "Model.h"

#include "cajal/Transforms/Pipeline.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"

#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>

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
cl::opt<std::string> emitMlir(
    "emit-mlir",
    cl::desc("Also write the final IR (snn and nc dialects) to this file"),
    cl::value_desc("out.mlir"), cl::sub(compileCommand), cl::cat(category()));
cl::opt<unsigned> calibrateSteps(
    "calibrate-steps",
    cl::desc("Give each equation-model state without a declared range the "
             "range it reaches in this many steps of the float engine "
             "(snn-calibrate-ranges); 0: none"),
    cl::init(0), cl::sub(compileCommand), cl::cat(category()));
cl::opt<bool> verbose("verbose",
                      cl::desc("Print each pass as it runs (on one thread)"),
                      cl::sub(compileCommand), cl::cat(category()));
cl::opt<unsigned>
    threads("threads",
            cl::desc("Threads for partitioning and emitting the cores (0: one "
                     "per hardware thread); the image is the same whatever "
                     "the number"),
            cl::init(0), cl::sub(compileCommand), cl::cat(category()));

} // namespace

int runCompile() {
  // Outputs are checked before any work and staged: they appear together
  // when every one of them was written, or not at all.
  const std::vector<NamedPath> outputs = {
      {"-o", outputPath}, {"--report", reportPath}, {"--emit-mlir", emitMlir}};
  if (Status s = checkOutputPaths(
          outputs, {{"input", inputPath}, {"--profile", profile}});
      !s)
    return reportError(s.error());
  StagedOutputs staged;
  if (Status s = staged.stage(outputs); !s)
    return reportError(s.error());
  // Declared before the context, which must not outlive it.
  std::optional<llvm::DefaultThreadPool> pool;
  ModelContext mc(/*showRemarks=*/verbose);
  mlir::OwningOpRef<mlir::ModuleOp> module = loadModel(inputPath, mc);
  if (!module)
    return 1;
  mlir::MLIRContext &context = mc.context;
  if (threads == 1) {
    context.disableMultithreading();
  } else if (threads > 1) {
    pool.emplace(llvm::hardware_concurrency(threads));
    context.disableMultithreading(); // setThreadPool's precondition
    context.setThreadPool(*pool);
  }

  CompileOptions options;
  options.profile = profile;
  options.imagePath = staged.pathFor(outputPath);
  options.fitReportPath = staged.pathFor(reportPath);
  options.calibrationSteps = calibrateSteps;
  mlir::PassManager pm(&context);
  if (verbose) {
    // The pass manager's IR-printing hooks need a single-threaded context
    // (as mlir-opt sets up); it also keeps the progress lines in order.
    context.disableMultithreading();
    pm.enableIRPrinting(
        /*shouldPrintBeforePass=*/[](mlir::Pass *,
                                     mlir::Operation *) { return false; },
        /*shouldPrintAfterPass=*/
        [](mlir::Pass *p, mlir::Operation *) {
          errs() << "cajal: ran " << p->getArgument() << "\n";
          return false;
        });
  }
  buildCompilePipeline(pm, options);
  if (failed(pm.run(*module)))
    return 1;

  if (!emitMlir.empty()) {
    std::string error;
    auto out = mlir::openOutputFile(staged.pathFor(emitMlir), &error);
    if (!out)
      return reportError(emitMlir + ": " + error);
    module->print(out->os());
    out->keep();
  }
  if (Status s = staged.commit(); !s)
    return reportError(s.error());
  if (verbose)
    errs() << "cajal: wrote " << outputPath << "\n";
  return 0;
}

} // namespace cajal::driver
