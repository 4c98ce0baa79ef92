//===- Inspect.cpp - `cajal inspect`: summarise or dump a chip image -----===//
//
// A summary, the whole configuration as JSON, or (--programs) the
// neurocore programs the image's compartments run (printProgramReport).
//
//===----------------------------------------------------------------------===//
#include "Driver.h"

#include "cajal/Chip/Image.h"
#include "cajal/Chip/ImageJson.h"

#include <iostream>

using namespace llvm;

namespace cajal::driver {
namespace {
cl::opt<std::string> imagePath(cl::Positional, cl::desc("<image.cjimg>"),
                               cl::Required, cl::sub(inspectCommand),
                               cl::cat(category()));
cl::opt<bool> asJson("json",
                     cl::desc("Print the whole configuration as JSON (every "
                              "core, compartment, synapse and route)"),
                     cl::sub(inspectCommand), cl::cat(category()));
cl::opt<bool> showPrograms(
    "programs",
    cl::desc("Print the neurocore program of each population, disassembled "
             "and grouped by program, with its cost per update on the "
             "profile (docs/neurocore-isa.md)"),
    cl::sub(inspectCommand), cl::cat(category()));
cl::opt<std::string>
    profileName("profile",
                cl::desc("Profile name or file to validate against "
                         "(default: the installed profile the image names)"),
                cl::sub(inspectCommand), cl::cat(category()));

} // namespace

int runInspect() {
  if (asJson && showPrograms)
    return reportError("inspect: --json and --programs print different "
                       "reports; give one");
  chip::Profile profile;
  Result<chip::Image> image = loadImage(imagePath, profileName, profile);
  if (!image)
    return reportError(image.error());
  if (asJson)
    chip::printImageJson(*image, profile, std::cout);
  else if (showPrograms) {
    if (Status s = printProgramReport(*image, profile, std::cout); !s)
      return reportError(s.error());
  } else
    chip::printImageSummary(*image, &profile, std::cout);
  return 0;
}

} // namespace cajal::driver
