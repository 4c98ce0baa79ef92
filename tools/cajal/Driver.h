//===- Driver.h - The `cajal` user driver: shared declarations --*- C++ -*-===//
#ifndef CAJAL_TOOLS_DRIVER_H
#define CAJAL_TOOLS_DRIVER_H

#include "cajal/Chip/Image.h"

#include "llvm/Support/CommandLine.h"

#include <string>

namespace cajal::driver {

/// The one option category: `cajal --help` shows only these.
llvm::cl::OptionCategory &category();

extern llvm::cl::SubCommand compileCommand;
extern llvm::cl::SubCommand runCommand;
extern llvm::cl::SubCommand inspectCommand;
extern llvm::cl::SubCommand checkRtlCommand;

/// Each returns the process exit code (0 ok, 1 user error).
int runCompile();
int runRun();
int runInspect();
int runCheckRtl();

/// Print "cajal: error: <message>" to stderr; returns 1.
int reportError(const std::string &message);

/// The directory of installed profiles.
std::string profileDirectory();

/// Read the image at `path` once and validate it against `requestedProfile`
/// (a name or file) or, when that is empty, the profile the image names;
/// that profile is returned in `profile`.
Result<chip::Image> loadImage(const std::string &path,
                              const std::string &requestedProfile,
                              chip::Profile &profile);

/// `cajal run MODEL --engine float`: the model before quantisation, against
/// its quantised image on the golden model.
struct FloatRequest {
  std::string model; ///< .mlir or .nir
  unsigned steps = 0;
  std::string inputPath; ///< external input spikes (CSV), may be empty
  std::string spikesOut; ///< float spikes (CSV), may be empty
  std::string profile;   ///< for the quantised image; empty: loihi1
  bool quiet = false;
};
int runFloatEngine(const FloatRequest &request);

} // namespace cajal::driver

#endif // CAJAL_TOOLS_DRIVER_H
