//===- Driver.h - The `cajal` user driver: shared declarations --*- C++ -*-===//
#ifndef CAJAL_TOOLS_DRIVER_H
#define CAJAL_TOOLS_DRIVER_H

#include "llvm/Support/CommandLine.h"

#include <string>

namespace cajal::driver {

/// The one option category: `cajal --help` shows only these.
llvm::cl::OptionCategory &category();

extern llvm::cl::SubCommand compileCommand;
extern llvm::cl::SubCommand runCommand;
extern llvm::cl::SubCommand inspectCommand;

/// Each returns the process exit code (0 ok, 1 user error).
int runCompile();
int runRun();
int runInspect();

/// Print "cajal: error: <message>" to stderr; returns 1.
int reportError(const std::string &message);

/// Resolve a profile for an image or a compile: `requested` if given, else
/// the profile named in the image, from the installed profile directory.
std::string profileDirectory();

} // namespace cajal::driver

#endif // CAJAL_TOOLS_DRIVER_H
