//===- Driver.h - The `cajal` user driver: shared declarations --*- C++ -*-===//
#ifndef CAJAL_TOOLS_DRIVER_H
#define CAJAL_TOOLS_DRIVER_H

#include "FrontEnd.h"
#include "Report.h"
#include "cajal/Chip/AtomicFile.h"
#include "cajal/Chip/Image.h"

#include "llvm/Support/CommandLine.h"

#include <string>
#include <vector>

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
/// `cajal plot|explore ARGS`: the Python package's `script` (plot.py,
/// explore.py) with ARGS (argv[2] on).
int runPythonTool(const std::string &script, int argc, char **argv);

/// A file named on the command line: the option that names it ("-o",
/// "--power", "input") and the path ("" when not given).
struct NamedPath {
  std::string option;
  std::string path;
};

/// Before any work: every output must be writable as a regular file (or a
/// symbolic link to one, written through), no two outputs may name the same
/// file and no output may name an input (compared as canonical paths).
Status checkOutputPaths(const std::vector<NamedPath> &outputs,
                        const std::vector<NamedPath> &inputs);

/// Outputs written to temporaries beside their targets and renamed into
/// place together by commit(): a command that fails leaves none of them.
class StagedOutputs {
public:
  /// A temporary for each output with a path.
  Status stage(const std::vector<NamedPath> &outputs);
  /// Where to write `path`'s content ("" stays "").
  std::string pathFor(const std::string &path) const;
  Status commit();

private:
  std::vector<AtomicFile> files;
};

/// Ctrl-C (or SIGTERM) removes every output temporary before the process
/// ends. With `onFirstInterrupt`, the first signal only calls it (a run
/// stops after its step and commits its files) and a second one removes the
/// temporaries not yet committed and ends the process.
void installInterruptCleanup(void (*onFirstInterrupt)() = nullptr);

/// `cajal run MODEL --engine float`: the model before quantisation, against
/// its quantised image on the golden model.
struct FloatRequest {
  std::string model; ///< .mlir or .nir
  unsigned steps = 0;
  std::string inputPath; ///< external input spikes (CSV), may be empty
  std::string spikesOut; ///< float spikes (CSV), may be empty
  std::string profile;   ///< for the quantised image; empty: loihi1
  bool quiet = false;
  unsigned calibrationSteps = 0; ///< as cajal compile --calibrate-steps
};
int runFloatEngine(const FloatRequest &request);

} // namespace cajal::driver

#endif // CAJAL_TOOLS_DRIVER_H
