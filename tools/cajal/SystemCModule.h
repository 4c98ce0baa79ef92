//===- SystemCModule.h - The driver's SystemC and RTL module -----*- C++
//-*-===//
//
// The SystemC kernel's library initialises its pools at every start of a
// process that links it (about 15 ms), and only `cajal run --engine
// systemc` and `cajal check-rtl` use it. Both live in a module the driver
// loads when one of them runs (lib/cajal/libcajal-systemc.so, Modules.h),
// with the Verilated RTL. The module is built from the same sources and
// flags as the driver, so the requests below pass C++ objects.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_TOOLS_SYSTEMCMODULE_H
#define CAJAL_TOOLS_SYSTEMCMODULE_H

#include "RunCommon.h"

#include "cajal/Chip/Image.h"
#include "cajal/Chip/Profile.h"

#include <string>

namespace cajal::driver {

/// `cajal run --engine systemc`: the image and profile as loaded and
/// validated by the driver, which also writes the weights file (`weights`,
/// null without --weights-out) after the run.
struct SystemCRunRequest {
  const chip::Image *image = nullptr;
  const chip::Profile *profile = nullptr;
  RunSettings run;
  std::string powerOut, vcdOut, traceOut;
  emulator::WeightsWriter *weights = nullptr;
};

/// `cajal check-rtl`, its options checked by the driver.
struct CheckRtlRequest {
  std::string imagePath; ///< empty: randomCount random configurations
  unsigned coreIndex = 0;
  bool allCores = false;
  unsigned steps = 0;
  unsigned randomCount = 0;
  unsigned long long seed = 1;
  std::string profileName;
  std::string profileDirectory; ///< installed profiles
  std::string vcdDir;
  bool learningUnit = false;
};

/// The module's entry points (looked up by these names); each returns the
/// process exit code and has printed its result or error.
extern "C" {
int cajalRunSystemC(const SystemCRunRequest &request);
int cajalCheckRtl(const CheckRtlRequest &request);
/// Removes the temporaries of the outputs the module has open (Ctrl-C,
/// crash); async-signal-safe (Modules.h).
void cajalRemoveTemporaries();
using RunSystemCFn = int (*)(const SystemCRunRequest &);
using CheckRtlFn = int (*)(const CheckRtlRequest &);
}

} // namespace cajal::driver

#endif // CAJAL_TOOLS_SYSTEMCMODULE_H
