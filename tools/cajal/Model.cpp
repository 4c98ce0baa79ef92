//===- Model.cpp - Load a network model named on the command line ---------===//
//
// `cajal compile` and `cajal run --engine float` both start from a model:
// an snn-dialect file or a NIR file. The --dt and --reset options belong to
// both subcommands and are read here.
//
//===----------------------------------------------------------------------===//
#include "Model.h"
#include "Driver.h"

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
} // namespace

mlir::OwningOpRef<mlir::ModuleOp> loadModel(const std::string &path,
                                            ModelContext &mc) {
  ModelOptions options;
  if (dt.getNumOccurrences())
    options.dt = dt;
  options.reset = resetMode;
  std::string error;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      loadModel(path, options, mc, error);
  if (!module && !error.empty())
    reportError(error);
  return module;
}

} // namespace cajal::driver
