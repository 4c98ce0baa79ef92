//===- Pipeline.cpp - The whole snn -> chip image pipeline ----------------===//
#include "cajal/Transforms/Pipeline.h"
#include "cajal/Conversion/Passes.h"
#include "cajal/Transforms/Passes.h"

#include "mlir/Pass/PassOptions.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void cajal::buildCompilePipeline(OpPassManager &pm,
                                 const CompileOptions &options) {
  // Equation models first (a no-op without them): their step follows the
  // networks' dt, as the populations' parameters do in snn-discretize.
  pm.addPass(createSNNDiscretizeEquations());
  if (options.calibrationSteps > 0) {
    SNNCalibrateRangesOptions calibration;
    calibration.steps = options.calibrationSteps;
    pm.addPass(createSNNCalibrateRanges(calibration));
  }
  OpPassManager &net = pm.nest<snn::NetworkOp>();
  net.addPass(createSNNDiscretize({options.discretizeMethod}));
  net.addPass(createSNNQuantize({options.profile, options.headroomBits}));
  net.addPass(createCanonicalizerPass());
  net.addPass(createSNNPartition({options.profile, options.packSlices}));
  pm.addPass(createConvertSNNToNC({options.profile, options.packSlices}));
  pm.addPass(createNCPlace());
  pm.addPass(createNCRoute());
  if (!options.imagePath.empty() || !options.fitReportPath.empty())
    pm.addPass(createNCEmitImage(
        {options.imagePath, options.fitReportPath, options.packSlices}));
}

namespace {
struct CompilePipelineOptions
    : public PassPipelineOptions<CompilePipelineOptions> {
  Option<std::string> profile{*this, "profile",
                              llvm::cl::desc("profile name or path"),
                              llvm::cl::init("loihi1")};
  Option<std::string> path{*this, "path",
                           llvm::cl::desc("chip image to write")};
  Option<std::string> fitReport{*this, "fit-report",
                                llvm::cl::desc("JSON fit report to write")};
  Option<std::string> method{*this, "method",
                             llvm::cl::desc("discretization: exact | euler"),
                             llvm::cl::init("exact")};
  Option<bool> pack{*this, "pack",
                    llvm::cl::desc("several slices may share a core"),
                    llvm::cl::init(true)};
};
} // namespace

void cajal::registerCompilePipeline() {
  PassPipelineRegistration<CompilePipelineOptions>(
      "cajal-compile", "Compile snn.networks to a chip image",
      [](OpPassManager &pm, const CompilePipelineOptions &o) {
        CompileOptions options;
        options.profile = o.profile;
        options.imagePath = o.path;
        options.fitReportPath = o.fitReport;
        options.discretizeMethod = o.method;
        options.packSlices = o.pack;
        buildCompilePipeline(pm, options);
      });
}
