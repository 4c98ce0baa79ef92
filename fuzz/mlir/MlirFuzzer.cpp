//===- MlirFuzzer.cpp - libFuzzer target: `cajal compile` on MLIR input ---===//
//
// An input is an snn-dialect .mlir file. It goes the way `cajal compile`
// takes it (tools/cajal/Compile.cpp): parsed and verified in a context with
// the snn and nc dialects, then the whole compile pipeline
// (buildCompilePipeline with the loihi1 profile) writes a chip image and a
// fit report into a scratch directory. Oracles: a failed compile leaves no
// image behind, and an image the compiler wrote must read and validate
// against the profile it was compiled for. Inputs are kept small
// (-max_len in scripts/fuzz): a few populations, not a large network.
//
//===----------------------------------------------------------------------===//
#include "FuzzSupport.h"

#include "cajal/Chip/Image.h"
#include "cajal/Chip/Profile.h"
#include "cajal/Dialect/NC/NCDialect.h"
#include "cajal/Dialect/SNN/SNNDialect.h"
#include "cajal/Transforms/Pipeline.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

using namespace cajal;

namespace {
const char *const kProfile = "loihi1";

const chip::Profile &profile() {
  static const chip::Profile loaded = [] {
    Result<chip::Profile> p =
        chip::findProfile(kProfile, chip::defaultProfileDir());
    if (!p)
      fuzz::oracleFailure("cannot load the loihi1 profile: " + p.error());
    return *p;
  }();
  return loaded;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::DialectRegistry registry;
  registry.insert<snn::SNNDialect, nc::NCDialect>();
  mlir::MLIRContext context(registry, mlir::MLIRContext::Threading::DISABLED);
  context.loadAllAvailableDialects();
  context.printOpOnDiagnostic(false);
  mlir::ScopedDiagnosticHandler quiet(&context, [](mlir::Diagnostic &d) {
    if (fuzz::verbose())
      llvm::errs() << d << "\n";
    return mlir::success();
  });
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(reinterpret_cast<const char *>(data), size),
          "fuzz.mlir"),
      llvm::SMLoc());
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
  if (!module)
    return 0;

  CompileOptions options;
  options.profile = kProfile;
  options.imagePath = fuzz::scratchDir() + "/fuzz.cjimg";
  options.fitReportPath = fuzz::scratchDir() + "/fit.json";
  fuzz::removeFile(options.imagePath);
  fuzz::removeFile(options.fitReportPath);
  mlir::PassManager pm(&context);
  buildCompilePipeline(pm, options);
  const mlir::LogicalResult compiled = pm.run(*module);
  // Writing the fit report (an llvm::ToolOutputFile) installs LLVM's signal
  // handlers over libFuzzer's; an abort() would then end the process
  // without saving the input. Give libFuzzer its handlers back.
  llvm::sys::unregisterHandlers();
  if (mlir::failed(compiled)) {
    if (fuzz::fileExists(options.imagePath))
      fuzz::oracleFailure("a failed compile left its image behind");
    return 0;
  }
  if (!fuzz::fileExists(options.imagePath))
    return 0; // a module without an snn.network compiles to nothing
  Result<chip::Image> image = chip::readImage(options.imagePath, profile());
  if (!image)
    fuzz::oracleFailure("the compiler wrote an image the loader rejects: " +
                        image.error());
  return 0;
}
