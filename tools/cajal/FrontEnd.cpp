//===- FrontEnd.cpp - Models and images for the driver and Python ---------===//
#include "FrontEnd.h"

#include "cajal/Dialect/NC/NCDialect.h"
#include "cajal/Dialect/SNN/SNNDialect.h"
#include "cajal/Dialect/SNN/SNNOps.h"
#include "cajal/NIR/NIRImport.h"
#include "cajal/Transforms/Pipeline.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Support/FileUtilities.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cmath>

using namespace llvm;

namespace cajal::driver {
namespace {
/// A given --dt must be finite and positive; a NIR model must have one.
bool validTimeStep(const std::string &path, const ModelOptions &options,
                   bool required, std::string &error) {
  if (!options.dt) {
    if (required)
      error = path + ": a NIR model needs --dt (seconds per step)";
    return !required;
  }
  if (!(*options.dt > 0.0) || !std::isfinite(*options.dt)) {
    error = "--dt must be finite positive seconds, got " +
            std::to_string(*options.dt);
    return false;
  }
  return true;
}

/// Parse the source manager's last buffer; apply --dt to every network.
mlir::OwningOpRef<mlir::ModuleOp> parseBuffer(std::unique_ptr<MemoryBuffer> in,
                                              const ModelOptions &options,
                                              ModelContext &mc) {
  mc.sourceMgr.AddNewSourceBuffer(std::move(in), SMLoc());
  mlir::OwningOpRef<mlir::ModuleOp> module =
      parseModel(mc.sourceMgr, mc.context);
  if (module && options.dt) {
    mlir::Builder b(&mc.context);
    module->walk([&](snn::NetworkOp net) {
      net->setAttr("dt", b.getF64FloatAttr(*options.dt));
    });
  }
  return module;
}

mlir::OwningOpRef<mlir::ModuleOp> importNir(const std::string &path,
                                            const ModelOptions &options,
                                            ModelContext &mc,
                                            std::string &error) {
  if (!validTimeStep(path, options, /*required=*/true, error))
    return nullptr;
  if (options.reset != "zero" && options.reset != "subtract") {
    error = "--reset must be zero or subtract, got '" + options.reset + "'";
    return nullptr;
  }
  nir::NIRImportOptions nirOptions;
  nirOptions.dt = *options.dt;
  nirOptions.resetBySubtraction = options.reset == "subtract";
  auto imported = nir::importNIRFile(path, mc.context, nirOptions);
  if (failed(imported))
    return nullptr; // diagnosed, with the file and the node
  return std::move(*imported);
}
} // namespace

ModelContext::ModelContext(bool showRemarks, raw_ostream &diagnostics) {
  mlir::DialectRegistry registry;
  registry.insert<snn::SNNDialect, nc::NCDialect>();
  context.appendDialectRegistry(registry);
  context.loadAllAvailableDialects();
  // Errors name the op and its location; dumping the whole network is noise.
  context.printOpOnDiagnostic(false);
  handler = std::make_unique<mlir::SourceMgrDiagnosticHandler>(
      sourceMgr, &context, diagnostics);
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
                                            const ModelOptions &options,
                                            ModelContext &mc,
                                            std::string &error) {
  const StringRef extension = sys::path::extension(path);
  if (extension.equals_insensitive(".nir"))
    return importNir(path, options, mc, error);
  if (!extension.equals_insensitive(".mlir")) {
    error = path + ": unsupported input kind '" + extension.str() +
            "'; models are .mlir (snn dialect) or .nir (NIR, HDF5) files";
    return nullptr;
  }
  if (!validTimeStep(path, options, /*required=*/false, error))
    return nullptr;
  std::unique_ptr<MemoryBuffer> input = mlir::openInputFile(path, &error);
  if (!input) {
    error = path + ": " + error;
    return nullptr;
  }
  return parseBuffer(std::move(input), options, mc);
}

mlir::OwningOpRef<mlir::ModuleOp> parseModelText(const std::string &text,
                                                 const std::string &name,
                                                 const ModelOptions &options,
                                                 ModelContext &mc,
                                                 std::string &error) {
  if (!validTimeStep(name, options, /*required=*/false, error))
    return nullptr;
  return parseBuffer(MemoryBuffer::getMemBufferCopy(text, name), options, mc);
}

std::string profileDirectory() { return chip::defaultProfileDir(); }

Result<chip::Image> loadImage(const std::string &path,
                              const std::string &requestedProfile,
                              chip::Profile &profile) {
  // The header names the profile: find and match it before the synapses
  // are read. A name from an image is only looked up among the installed
  // profiles, never opened as a path.
  Result<chip::ImageHeader> header = chip::readImageHeader(path);
  if (!header)
    return header.takeError();
  Result<chip::Profile> found =
      requestedProfile.empty()
          ? chip::findInstalledProfile(header->profileName, profileDirectory())
          : chip::findProfile(requestedProfile, profileDirectory());
  if (!found && requestedProfile.empty())
    return makeError(path + ": " + found.error() +
                     "; if the image was compiled with a profile file, "
                     "pass that file: --profile FILE");
  if (!found)
    return found.takeError();
  profile = std::move(*found);
  if (Status s = chip::checkProfileMatch(*header, profile); !s)
    return makeError(path + ": " + s.error());
  Result<chip::Image> image = chip::readImageUnchecked(path);
  if (!image)
    return image;
  if (Status s = chip::validate(*image, profile); !s)
    return makeError(path + ": " + s.error());
  return image;
}

} // namespace cajal::driver
