//===- cajal.cpp - The Cajal user driver --------------------------------===//
//
// `cajal compile | run | inspect | check-rtl`: the user-facing commands. Like
// CIRCT's firtool, the driver is thin: fixed pipelines, one option category,
// quiet by default. Each subcommand lives in its own file.
//
//===----------------------------------------------------------------------===//
#include "Driver.h"
#include "Modules.h"

#include "cajal/Chip/AtomicFile.h"
#include "cajal/Chip/Profile.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/raw_ostream.h"

#include <csignal>
#include <utility>

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

Status checkOutputPaths(const std::vector<NamedPath> &outputs,
                        const std::vector<NamedPath> &inputs) {
  auto named = [](const NamedPath &p) { return p.option + " " + p.path; };
  std::vector<std::pair<const NamedPath *, std::string>> seen;
  for (const NamedPath &out : outputs) {
    if (out.path.empty())
      continue;
    Result<std::string> target = resolveOutputPath(out.path);
    if (!target)
      return makeError(out.option + ": " + target.error());
    const std::string canonical = canonicalPath(*target);
    for (const auto &[other, otherCanonical] : seen)
      if (canonical == otherCanonical)
        return makeError(named(*other) + " and " + named(out) +
                         " name the same file; give each output its own "
                         "path");
    for (const NamedPath &in : inputs)
      if (!in.path.empty() && sys::fs::exists(in.path) &&
          canonicalPath(in.path) == canonical)
        return makeError(named(out) + " is the " + in.option +
                         " file; an output never overwrites an input");
    seen.push_back({&out, canonical});
  }
  return Status::ok();
}

Status StagedOutputs::stage(const std::vector<NamedPath> &outputs) {
  for (const NamedPath &out : outputs) {
    if (out.path.empty())
      continue;
    Result<AtomicFile> file = AtomicFile::create(out.path);
    if (!file)
      return makeError(out.option + ": " + file.error());
    files.push_back(std::move(*file));
  }
  return Status::ok();
}

std::string StagedOutputs::pathFor(const std::string &path) const {
  for (const AtomicFile &f : files)
    if (f.path() == path)
      return f.temporaryPath();
  if (Result<std::string> target = resolveOutputPath(path); target)
    for (const AtomicFile &f : files)
      if (f.path() == *target) // staged through a symbolic link
        return f.temporaryPath();
  return path;
}

Status StagedOutputs::commit() {
  for (AtomicFile &f : files)
    if (Status s = f.commit(); !s)
      return s;
  files.clear();
  return Status::ok();
}

namespace {
void (*firstInterrupt)() = nullptr;

/// The driver's output temporaries and its loaded modules'.
void removeAllTemporaries() {
  AtomicFile::removeTemporaries();
  removeModuleTemporaries();
}

/// The second SIGINT/SIGTERM: remove the temporaries and end as signalled.
void onSecondInterrupt(int signal) {
  removeAllTemporaries();
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

/// Called by LLVM's handler, which has restored the default actions.
void onInterruptSignal() {
  if (!firstInterrupt) {
    removeAllTemporaries();
    std::raise(SIGINT);
    return;
  }
  firstInterrupt();
  struct sigaction action = {};
  action.sa_handler = onSecondInterrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}
} // namespace

void installInterruptCleanup(void (*onFirstInterrupt)()) {
  firstInterrupt = onFirstInterrupt;
  sys::SetInterruptFunction(onInterruptSignal);
  // A crash (an abort on exhausted memory, say) removes them too.
  static bool onCrash = false;
  if (!std::exchange(onCrash, true))
    sys::AddSignalHandler([](void *) { removeAllTemporaries(); }, nullptr);
}

} // namespace cajal::driver

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  using namespace cajal::driver;
  // Their options are those of the Python package's scripts.
  if (argc >= 2 && StringRef(argv[1]) == "plot")
    return runPythonTool("plot.py", argc, argv);
  if (argc >= 2 && StringRef(argv[1]) == "explore")
    return runPythonTool("explore.py", argc, argv);
  // Ctrl-C removes every output temporary (`cajal run` stops at a step).
  installInterruptCleanup();
  cl::HideUnrelatedOptions(category());
  cl::ParseCommandLineOptions(
      argc, argv,
      "Cajal: compile spiking networks to a neuromorphic chip and run them\n\n"
      "  cajal compile net.mlir -o net.cjimg --report fit.json\n"
      "  cajal run net.cjimg --steps 1000 --engine golden --spikes-out s.csv\n"
      "  mpirun -np 4 cajal run net.cjimg --steps 1000 --spikes-out s.h5\n"
      "    (the golden model, the image's chips split among 4 processes)\n"
      "  cajal inspect net.cjimg [--json | --programs]\n"
      "  cajal check-rtl net.cjimg --core 3 --steps 500\n"
      "  cajal plot run-dir/ -o figures/   (cajal plot --help)\n"
      "  cajal explore net.mlir --vary core.compartments=256,1024 -o sweep/\n\n"
      "Outputs are regular files, written whole or not at all: a command\n"
      "that fails (or a second Ctrl-C) leaves none. A symbolic link given as\n"
      "an output is written through (the link stays); a device, FIFO or\n"
      "directory is refused, as are two outputs on one file and an output on\n"
      "an input.\n");
  if (compileCommand)
    return runCompile();
  if (runCommand)
    return runRun();
  if (inspectCommand)
    return runInspect();
  if (checkRtlCommand)
    return runCheckRtl();
  errs() << "cajal: error: expected a command: compile, run, inspect, "
            "check-rtl, plot or explore (cajal --help)\n";
  return 1;
}
