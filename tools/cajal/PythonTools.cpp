//===- Plot.cpp - `cajal plot` and `cajal explore`: the Python tools ------===//
//
// Two commands are the Python package's scripts: cajal/plot.py draws a run
// directory's figures (matplotlib), cajal/explore.py compiles and runs a
// model over variants of a profile by calling this binary. `cajal plot ARGS`
// and `cajal explore ARGS` run them with Debian's python3, passing ARGS
// through and returning their exit code.
//
//===----------------------------------------------------------------------===//
#include "Driver.h"

#include "cajal/Chip/Profile.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"

#include <csignal>
#include <string>
#include <vector>

extern char **environ;

namespace cajal::driver {

int runPythonTool(const std::string &script, int argc, char **argv) {
  const llvm::StringRef python = CAJAL_PYTHON_EXECUTABLE;
  // Scripts, not `-m cajal.plot`: they need numpy and matplotlib, not the
  // extension module that importing the package loads.
  const std::string path = CAJAL_PYTHON_PACKAGE_PARENT "/cajal/" + script;
  std::vector<llvm::StringRef> args = {python, path};
  for (int i = 2; i < argc; ++i)
    args.push_back(argv[i]);
  // explore runs this binary and reads the installed profiles.
  std::vector<std::string> environment;
  for (char **e = environ; *e; ++e)
    environment.push_back(*e);
  static int anchor;
  environment.push_back("CAJAL_BINARY=" +
                        llvm::sys::fs::getMainExecutable(argv[0], &anchor));
  environment.push_back("CAJAL_INSTALLED_PROFILES=" + profileDirectory());
  const std::vector<llvm::StringRef> env(environment.begin(),
                                         environment.end());
  // Ctrl-C is the tool's to handle (explore finishes its point files and
  // exits 130): this process only waits for it, as system(3) does. A caught
  // signal, unlike an ignored one, is reset to its default in the child.
  struct sigaction wait = {};
  wait.sa_handler = [](int) {};
  sigemptyset(&wait.sa_mask);
  sigaction(SIGINT, &wait, nullptr);
  std::string error;
  const int code =
      llvm::sys::ExecuteAndWait(python, args, env, {}, 0, 0, &error);
  if (code < 0)
    return reportError("cannot run " + python.str() + " for " + script + ": " +
                       error);
  return code;
}

} // namespace cajal::driver
