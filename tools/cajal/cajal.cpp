//===- cajal.cpp - The Cajal user driver --------------------------------===//
//
// `cajal compile | run | inspect | check-rtl`: the user-facing commands. Like
// CIRCT's firtool, the driver is thin: fixed pipelines, one option category,
// quiet by default. Each subcommand lives in its own file.
//
//===----------------------------------------------------------------------===//
#include "Driver.h"

#include "cajal/Chip/Profile.h"

#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace cajal::driver {

cl::OptionCategory &category() {
  static cl::OptionCategory cat("Cajal options");
  return cat;
}

cl::SubCommand compileCommand("compile",
                              "Compile a network (.mlir) to a chip image");
cl::SubCommand runCommand("run", "Run a chip image on an engine");
cl::SubCommand inspectCommand("inspect", "Summarise or dump a chip image");

int reportError(const std::string &message) {
  errs() << "cajal: error: " << message << "\n";
  return 1;
}

std::string profileDirectory() { return chip::defaultProfileDir(); }

Result<chip::Image> loadImage(const std::string &path,
                              const std::string &requestedProfile,
                              chip::Profile &profile) {
  Result<chip::Image> image = chip::readImageUnchecked(path);
  if (!image)
    return image;
  Result<chip::Profile> found = chip::findProfile(
      requestedProfile.empty() ? image->profileName : requestedProfile,
      profileDirectory());
  if (!found)
    return found.takeError();
  profile = std::move(*found);
  if (Status s = chip::validate(*image, profile); !s)
    return makeError(path + ": " + s.error());
  return image;
}

} // namespace cajal::driver

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  using namespace cajal::driver;
  cl::HideUnrelatedOptions(category());
  cl::ParseCommandLineOptions(
      argc, argv,
      "Cajal: compile spiking networks to a neuromorphic chip and run them\n\n"
      "  cajal compile net.mlir -o net.cjimg --report fit.json\n"
      "  cajal run net.cjimg --steps 1000 --engine golden --spikes-out s.csv\n"
      "  cajal inspect net.cjimg [--json]\n"
      "  cajal check-rtl net.cjimg --core 3 --steps 500\n");
  if (compileCommand)
    return runCompile();
  if (runCommand)
    return runRun();
  if (inspectCommand)
    return runInspect();
  if (checkRtlCommand)
    return runCheckRtl();
  errs()
      << "cajal: error: expected a command: compile, run, inspect or check-rtl "
         "(cajal --help)\n";
  return 1;
}
