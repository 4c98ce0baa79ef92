//===- Model.cpp - Load a network model for the driver --------------------===//
//
// `cajal compile` and `cajal run --engine float` both start from a model:
// an snn-dialect file or a NIR file. The --dt and --reset options belong to
// both subcommands and are read here.
//
//===----------------------------------------------------------------------===//
#include "Model.h"
#include "Driver.h"

#include "cajal/Dialect/NC/NCDialect.h"
#include "cajal/Dialect/SNN/SNNDialect.h"
#include "cajal/Dialect/SNN/SNNOps.h"
#include "cajal/NIR/NIRImport.h"
#include "cajal/Transforms/Pipeline.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"

#include "llvm/Support/Path.h"

#include <cmath>

using namespace llvm;

namespace cajal::driver {
namespace {
cl::opt<double> dt("dt",
                   cl::desc("Time step in seconds (required for NIR models; "
                            "overrides an snn network's)"),
                   cl::init(0.0), cl::sub(compileCommand), cl::sub(runCommand),
                   cl::cat(category()));
cl::opt<std::string> resetMode(
    "reset",
    cl::desc("NIR models: reset to v_reset (zero, the default) or by "
             "subtraction (needs a profile allowing it, e.g. loihi1-nir)"),
    cl::init("zero"), cl::sub(compileCommand), cl::sub(runCommand),
    cl::cat(category()));

bool validTimeStep(const std::string &path, bool required) {
  if (dt.getNumOccurrences() == 0) {
    if (required)
      reportError(path + ": a NIR model needs --dt (seconds per step)");
    return !required;
  }
  if (!(dt > 0.0) || !std::isfinite(dt)) {
    reportError("--dt must be finite positive seconds, got " +
                std::to_string(dt));
    return false;
  }
  return true;
}

mlir::OwningOpRef<mlir::ModuleOp> parseMlir(const std::string &path,
                                            ModelContext &mc) {
  if (!validTimeStep(path, /*required=*/false))
    return nullptr;
  std::string error;
  std::unique_ptr<MemoryBuffer> input = mlir::openInputFile(path, &error);
  if (!input) {
    reportError(path + ": " + error);
    return nullptr;
  }
  mc.sourceMgr.AddNewSourceBuffer(std::move(input), SMLoc());
  mlir::OwningOpRef<mlir::ModuleOp> module =
      parseModel(mc.sourceMgr, mc.context);
  if (module && dt.getNumOccurrences()) {
    mlir::Builder b(&mc.context);
    module->walk(
        [&](snn::NetworkOp net) { net->setAttr("dt", b.getF64FloatAttr(dt)); });
  }
  return module;
}

mlir::OwningOpRef<mlir::ModuleOp> importNir(const std::string &path,
                                            ModelContext &mc) {
  if (!validTimeStep(path, /*required=*/true))
    return nullptr;
  if (resetMode != "zero" && resetMode != "subtract") {
    reportError("--reset must be zero or subtract, got '" + resetMode + "'");
    return nullptr;
  }
  nir::NIRImportOptions options;
  options.dt = dt;
  options.resetBySubtraction = resetMode == "subtract";
  auto imported = nir::importNIRFile(path, mc.context, options);
  if (failed(imported))
    return nullptr; // diagnosed, with the file and the node
  return std::move(*imported);
}
} // namespace

ModelContext::ModelContext(bool showRemarks) {
  mlir::DialectRegistry registry;
  registry.insert<snn::SNNDialect, nc::NCDialect>();
  context.appendDialectRegistry(registry);
  context.loadAllAvailableDialects();
  // Errors name the op and its location; dumping the whole network is noise.
  context.printOpOnDiagnostic(false);
  diagnostics =
      std::make_unique<mlir::SourceMgrDiagnosticHandler>(sourceMgr, &context);
  // Registered last, this handler runs first: it swallows remarks.
  context.getDiagEngine().registerHandler([showRemarks](mlir::Diagnostic &d) {
    return success(!showRemarks &&
                   d.getSeverity() == mlir::DiagnosticSeverity::Remark);
  });
}

bool isModelPath(const std::string &path) {
  const StringRef extension = sys::path::extension(path);
  return extension.equals_insensitive(".nir") ||
         extension.equals_insensitive(".mlir");
}

mlir::OwningOpRef<mlir::ModuleOp> loadModel(const std::string &path,
                                            ModelContext &mc) {
  const StringRef extension = sys::path::extension(path);
  if (extension.equals_insensitive(".nir"))
    return importNir(path, mc);
  if (extension.equals_insensitive(".mlir"))
    return parseMlir(path, mc);
  reportError(path + ": unsupported input kind '" + extension.str() +
              "'; models are .mlir (snn dialect) or .nir (NIR, HDF5) files");
  return nullptr;
}

} // namespace cajal::driver
