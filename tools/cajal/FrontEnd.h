//===- FrontEnd.h - Models and images for the driver and Python -*- C++ -*-===//
//
// What `cajal` and the Python module (python/) share before an engine runs:
// a context whose diagnostics print as the compiler's, a model loaded from
// an snn-dialect file, MLIR text or a NIR file, the compile pipeline run on
// it, and a chip image read and validated against its profile.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_TOOLS_FRONTEND_H
#define CAJAL_TOOLS_FRONTEND_H

#include "cajal/Chip/CoreTables.h"
#include "cajal/Chip/Image.h"
#include "cajal/Chip/Profile.h"
#include "cajal/Chip/Result.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <optional>
#include <ostream>
#include <string>

namespace cajal::driver {

/// A context with the snn and nc dialects whose diagnostics print with their
/// source location (to `diagnostics`, stderr by default); remarks
/// (quantisation error, placement) only if `showRemarks`.
struct ModelContext {
  explicit ModelContext(bool showRemarks,
                        llvm::raw_ostream &diagnostics = llvm::errs());
  mlir::MLIRContext context;
  llvm::SourceMgr sourceMgr;
  std::unique_ptr<mlir::SourceMgrDiagnosticHandler> handler;
};

/// How a model file is read: `cajal compile`'s --dt and --reset.
struct ModelOptions {
  /// Seconds per step: required for NIR, overrides an snn network's.
  std::optional<double> dt;
  /// NIR: reset to v_reset ("zero") or by subtraction ("subtract").
  std::string reset = "zero";
};

/// Whether `path` names a model (.mlir or .nir) rather than a chip image.
bool isModelPath(const std::string &path);

/// Parse an snn-dialect .mlir file or import a .nir file. Null on failure:
/// MLIR's errors went to the context's handler, any other one is in `error`.
mlir::OwningOpRef<mlir::ModuleOp> loadModel(const std::string &path,
                                            const ModelOptions &options,
                                            ModelContext &mc,
                                            std::string &error);
/// loadModel for snn-dialect text in memory, named `name` in messages.
mlir::OwningOpRef<mlir::ModuleOp> parseModelText(const std::string &text,
                                                 const std::string &name,
                                                 const ModelOptions &options,
                                                 ModelContext &mc,
                                                 std::string &error);

/// The directory of installed profiles.
std::string profileDirectory();

/// Read the image at `path` and validate it against `requestedProfile` (a
/// name or file the user gave) or, when that is empty, the installed profile
/// the image names. The profile is found and matched from the image's header
/// before the rest of the image is read; it is returned in `profile`.
Result<chip::Image> loadImage(const std::string &path,
                              const std::string &requestedProfile,
                              chip::Profile &profile);
/// The same, read for a loader that takes the synapse tables core by core
/// (chip::readImageStreamed): the golden model of `cajal run`.
Result<chip::StreamedImage>
loadImageStreamed(const std::string &path, const std::string &requestedProfile,
                  chip::Profile &profile);

/// `cajal inspect --programs`: the neurocore programs the image's
/// compartments run (docs/neurocore-isa.md), as chip::resolvePrograms gives
/// them (a population's program from the image's table, or the LIF-family
/// program each compartment's record names). Each program is printed once,
/// disassembled, with the populations that run it and its cost per update on
/// the profile (programCost), and each population with the cost of updating
/// all its neurons once.
Status printProgramReport(const chip::Image &image,
                          const chip::Profile &profile, std::ostream &os);

} // namespace cajal::driver

#endif // CAJAL_TOOLS_FRONTEND_H
