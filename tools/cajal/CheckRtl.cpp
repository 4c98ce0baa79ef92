//===- CheckRtl.cpp - `cajal check-rtl`: RTL neurocore vs the emulator ----===//
//
// Two forms. With an image: one core's slice runs on the Verilated RTL
// neurocore and on the SystemC core logic in lockstep (rtl::runLockstep),
// driven by the input-axon spikes that core receives in a golden run of the
// whole image (rtl::coreInputsFromGolden). With --random N: N seeded random
// single-core configurations for the profile the RTL is generated from (on a
// programmable profile, with random programs). Either prints
// "N configurations, M steps, K mismatches" or the first divergence and
// exits 1. Compartments run their programs on both sides (a dendritic
// tree's compartments on the tree stack; random configurations have trees
// on a profile with isa.stackDepth >= 8). The RTL is
// generated for a few profiles; an image for another profile is refused
// with the sizes of the builds, and a program the build cannot hold with
// the population, the program and what exceeds what (a tree: the stack it
// needs and the build's). --vcd DIR writes
// the RTL's Verilator trace and the emulator core's waveform on the same
// port names and clock (rtl::CoreVcd). An image that learns runs its
// learning phase on both sides (the RTL's learning_phase.sv, CoreLogic::learn)
// and the learned weights are compared after every epoch; one the RTL cannot
// run is refused, naming the rule (dd, dt), core or axon
// (rtl::checkRtlLearning). --learning-unit checks the learning unit alone
// (rtl::runLearningLockstep) on the core's golden inputs.
//
//===----------------------------------------------------------------------===//
#include "Driver.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include "cajal/Chip/CompartmentPrograms.h"
#include "cajal/ImageGen/RandomImage.h"
#include "cajal/Rtl/CoreInputs.h"
#include "cajal/Rtl/LearningLockstep.h"
#include "cajal/Rtl/LearningUnit.h"
#include "cajal/Rtl/Lockstep.h"
#include "cajal/Rtl/RtlCore.h"

using namespace llvm;

namespace cajal::driver {

cl::SubCommand checkRtlCommand(
    "check-rtl", "Check the RTL neurocore against the emulator, in lockstep");

namespace {

cl::opt<std::string> imagePath(cl::Positional, cl::desc("[<image.cjimg>]"),
                               cl::sub(checkRtlCommand), cl::cat(category()));
cl::opt<unsigned> coreIndex("core", cl::desc("Core of the image to check"),
                            cl::init(0), cl::sub(checkRtlCommand),
                            cl::cat(category()));
cl::opt<bool> allCores("all-cores",
                       cl::desc("Check every core of the image, one by one"),
                       cl::sub(checkRtlCommand), cl::cat(category()));
cl::opt<unsigned> steps("steps", cl::desc("Time steps per configuration"),
                        cl::init(100), cl::sub(checkRtlCommand),
                        cl::cat(category()));
cl::opt<unsigned>
    randomCount("random", cl::desc("Check N seeded random core configurations"),
                cl::init(0), cl::sub(checkRtlCommand), cl::cat(category()));
cl::opt<unsigned long long> seed("seed",
                                 cl::desc("First seed of --random (default 1)"),
                                 cl::init(1), cl::sub(checkRtlCommand),
                                 cl::cat(category()));
cl::opt<std::string> profileName(
    "profile",
    cl::desc("Profile (default: the one the image names; with --random "
             "the RTL test profile rtl-small)"),
    cl::sub(checkRtlCommand), cl::cat(category()));

cl::opt<std::string>
    vcdDir("vcd",
           cl::desc("Write DIR/core<C>-rtl.vcd (Verilator trace) and "
                    "DIR/core<C>-emulator.vcd (same port names); image form"),
           cl::value_desc("DIR"), cl::sub(checkRtlCommand),
           cl::cat(category()));

cl::opt<bool> learningUnit(
    "learning-unit",
    cl::desc("For an image that learns: check the RTL learning unit (every "
             "trace step and weight rule) against the SystemC core, in "
             "lockstep; the neurocore itself is not run"),
    cl::sub(checkRtlCommand), cl::cat(category()));

/// Totals over configurations; prints the summary line.
struct Totals {
  uint64_t configurations = 0, steps = 0, mismatches = 0, spikes = 0;
  uint64_t rtlCycles = 0, emulatorCycles = 0;
  bool learns = false;
  uint64_t epochs = 0, weightChecks = 0, weightsChanged = 0, learnCycles = 0;
  uint64_t traceChecks = 0;
  int print() const {
    outs() << configurations << " configurations, " << steps << " steps, "
           << mismatches << " mismatches (" << spikes << " RTL spikes)\n"
           << "cycles: RTL " << rtlCycles << ", emulator core "
           << emulatorCycles << "\n";
    if (learns)
      outs() << "learning: " << epochs << " epochs, " << weightChecks
             << " learned weights compared (" << weightsChanged << " changed), "
             << traceChecks << " traces, RTL learning-phase cycles "
             << learnCycles << " (each step's as scheduled)\n";
    return mismatches ? 1 : 0;
  }
};

/// Add one lockstep report; prints its divergence, if any.
void add(Totals &totals, const rtl::LockstepReport &rep,
         const std::string &what) {
  ++totals.configurations;
  totals.steps += rep.steps;
  totals.spikes += rep.spikes;
  totals.rtlCycles += rep.rtlCycles;
  totals.emulatorCycles += rep.referenceCycles;
  totals.epochs += rep.epochs;
  totals.weightChecks += rep.weightChecks;
  totals.weightsChanged += rep.weightsChanged;
  totals.traceChecks += rep.traceChecks;
  totals.learnCycles += rep.learnCycles;
  if (!rep.divergence)
    return;
  ++totals.mismatches;
  outs() << what << ": first divergence at "
         << rep.divergence->message("emulator") << "\n";
}

/// The profile named `name` (or a file): the file a build was generated
/// from when a build has that name, else an installed profile.
/// A name read from an image is looked up only among the RTL builds and the
/// installed profiles, never opened as a path.
Result<chip::Profile> profileFor(const std::string &name,
                                 bool fromImage = false) {
  for (const rtl::RtlBuild &b : rtl::RtlCore::builds())
    if (b.profile == name)
      return chip::loadProfile(b.profilePath);
  return fromImage ? chip::findInstalledProfile(name, profileDirectory())
                   : chip::findProfile(name, profileDirectory());
}

/// "64 (profile 'rtl-small'), 1024 (profile 'loihi1')".
std::string buildSizes() {
  std::string out;
  for (const rtl::RtlBuild &b : rtl::RtlCore::builds())
    out += (out.empty() ? "" : ", ") + std::to_string(b.compartments) +
           " (profile '" + b.profile + "')";
  return out;
}

/// --learning-unit: the learning-phase lockstep of each core, driven by the
/// core's inputs of a golden run.
int checkLearningUnit(const chip::Image &image, const chip::Profile &profile,
                      uint32_t first, uint32_t last) {
  uint64_t cores = 0, stepCount = 0, epochs = 0, traceSteps = 0, rules = 0,
           traceCycles = 0, ruleCycles = 0;
  for (uint32_t c = first; c < last; ++c) {
    auto inputs = rtl::coreInputsFromGolden(image, profile, c, steps);
    if (!inputs)
      return reportError(imagePath + ": " + inputs.error());
    auto rep = rtl::runLearningLockstep(image, c, profile, *inputs);
    if (!rep)
      return reportError(imagePath + ": core " + std::to_string(c) + ": " +
                         rep.error());
    ++cores;
    stepCount += rep->steps;
    epochs += rep->epochs;
    traceSteps += rep->traceSteps;
    rules += rep->ruleApplications;
    traceCycles += rep->traceCycles;
    ruleCycles += rep->ruleCycles;
    if (rep->divergence) {
      outs() << "core " << c << ": first divergence of the learning unit at "
             << rep->divergence->message() << "\n";
      return 1;
    }
  }
  outs() << "learning unit: " << cores << " cores, " << stepCount << " steps, "
         << epochs << " epochs, " << traceSteps << " trace steps, " << rules
         << " weight rules, 0 mismatches\n"
         << "learning-unit cycles: " << traceCycles << " trace steps, "
         << ruleCycles << " rules (loads included)\n";
  return 0;
}

int checkImage() {
  auto image = chip::readImageUnchecked(imagePath);
  if (!image)
    return reportError(image.error());
  auto profile = profileName.empty()
                     ? profileFor(image->profileName, /*fromImage=*/true)
                     : profileFor(profileName);
  if (!profile)
    return reportError(profile.error());
  if (Status s = chip::validate(*image, *profile); !s)
    return reportError(imagePath + ": " + s.error());
  if (!allCores && coreIndex >= image->cores.size())
    return reportError(imagePath + ": core " + std::to_string(coreIndex) +
                       " does not exist (the image has " +
                       std::to_string(image->cores.size()) + " cores)");
  const uint32_t first = allCores ? 0 : coreIndex;
  const uint32_t last = allCores ? uint32_t(image->cores.size()) : first + 1;
  if (image->learning.enabled()) {
    if (Status s = rtl::LearningUnit::checkLearning(image->learning); !s)
      return reportError(imagePath + ": " + s.error());
    if (learningUnit)
      return checkLearningUnit(*image, *profile, first, last);
  }
  if (learningUnit)
    return reportError(imagePath + ": --learning-unit: the image does not "
                                   "learn");
  if (Status s = rtl::checkRtlProfile(*profile); !s) {
    const size_t n = image->cores[first].compartments.size();
    return reportError(imagePath + ": core " + std::to_string(first) + " has " +
                       std::to_string(n) + " compartments (profile '" +
                       profile->name + "'); the RTL builds are sized for " +
                       buildSizes() + ": " + s.error());
  }
  if (image->learning.enabled())
    if (Status s = rtl::checkRtlLearning(*image, *profile); !s)
      return reportError(imagePath + ": " + s.error());
  auto resolved = chip::resolvePrograms(*image, *profile);
  if (!resolved)
    return reportError(imagePath + ": " + resolved.error());
  if (Status s = rtl::checkRtlPrograms(*image, *resolved, *profile); !s)
    return reportError(imagePath + ": " + s.error());
  if (!vcdDir.empty())
    if (std::error_code ec = sys::fs::create_directories(vcdDir))
      return reportError(vcdDir + ": cannot create directory: " + ec.message());
  Totals totals;
  totals.learns = image->learning.enabled();
  for (uint32_t c = first; c < last; ++c) {
    // One golden run of the whole image per core: its inputs, recorded.
    auto inputs = rtl::coreInputsFromGolden(*image, *profile, c, steps);
    if (!inputs)
      return reportError(imagePath + ": " + inputs.error());
    rtl::LockstepTrace trace;
    if (!vcdDir.empty()) {
      const std::string base = vcdDir + "/core" + std::to_string(c) + "-";
      trace.rtlVcd = base + "rtl.vcd";
      trace.emulatorVcd = base + "emulator.vcd";
    }
    const chip::Core &core = image->cores[c];
    auto rep = rtl::runLockstep(
        core, core, *profile, *inputs, trace,
        {&*resolved, c, image->learning.enabled() ? &*image : nullptr});
    if (!rep)
      return reportError(imagePath + ": core " + std::to_string(c) + ": " +
                         rep.error());
    add(totals, *rep, "core " + std::to_string(c));
    if (rep->divergence)
      break;
  }
  return totals.print();
}

int checkRandom() {
  auto profile =
      profileFor(profileName.empty() ? rtl::RtlCore::builds().front().profile
                                     : std::string(profileName));
  if (!profile)
    return reportError(profile.error());
  if (Status s = rtl::checkRtlProfile(*profile); !s)
    return reportError("profile '" + profile->name +
                       "': the RTL builds are sized for " + buildSizes() +
                       ": " + s.error());
  Totals totals;
  for (uint64_t s = seed; s < seed + randomCount; ++s) {
    imagegen::RandomOptions o;
    o.seed = s;
    o.minCores = o.maxCores = 1;
    o.steps = steps;
    // Random dendritic trees where the RTL build has room for imagegen's
    // (on a fixed-function chip, the compiler's tree compartments).
    o.treePopulations = profile->isa.stackDepth >= 8;
    o.programPopulations = profile->isa.programmable || o.treePopulations;
    const chip::Image image = imagegen::randomNetwork(*profile, o).image;
    auto resolved = chip::resolvePrograms(image, *profile);
    if (!resolved)
      return reportError("seed " + std::to_string(s) + ": " + resolved.error());
    const chip::Core &core = image.cores.at(0);
    const auto inputs =
        rtl::randomInputs(s, uint32_t(core.inputAxons.size()), steps);
    auto rep =
        rtl::runLockstep(core, core, *profile, inputs, {}, {&*resolved, 0});
    if (!rep)
      return reportError("seed " + std::to_string(s) + ": " + rep.error());
    add(totals, *rep, "seed " + std::to_string(s));
    if (rep->divergence)
      break;
  }
  return totals.print();
}

} // namespace

int runCheckRtl() {
  if (imagePath.empty() == (randomCount == 0))
    return reportError("check-rtl: give an image or --random N (not both)");
  if (steps == 0)
    return reportError("check-rtl: --steps must be at least 1");
  if (!vcdDir.empty() && imagePath.empty())
    return reportError("check-rtl: --vcd needs an image (one core)");
  if (allCores && imagePath.empty())
    return reportError("check-rtl: --all-cores needs an image");
  return imagePath.empty() ? checkRandom() : checkImage();
}

} // namespace cajal::driver
