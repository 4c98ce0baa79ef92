//===- SystemCModule.cpp - libcajal-systemc.so: SystemC runs, check-rtl ---===//
//
// `cajal run --engine systemc` and `cajal check-rtl`, loaded by the driver
// only for them (SystemCModule.h). check-rtl: two forms. With an image: one
// core's slice runs on the Verilated RTL neurocore and on the SystemC core
// logic in lockstep (rtl::runLockstep), driven by the input-axon spikes that
// core receives in a golden run of the whole image
// (rtl::coreInputsFromGolden). With --random N: N seeded random single-core
// configurations for the profile the RTL is generated from (on a
// programmable profile, with random programs). Either prints "N
// configurations, M steps, K mismatches" or the first divergence and exits
// 1 (CheckRtl.cpp describes the options).
//
//===----------------------------------------------------------------------===//
#include "SystemCModule.h"
#include "Report.h"

#include "cajal/Chip/AtomicFile.h"
#include "cajal/Chip/CompartmentPrograms.h"
#include "cajal/ImageGen/RandomImage.h"
#include "cajal/Rtl/CoreInputs.h"
#include "cajal/Rtl/LearningLockstep.h"
#include "cajal/Rtl/LearningUnit.h"
#include "cajal/Rtl/Lockstep.h"
#include "cajal/Rtl/RtlCore.h"
#include "cajal/SystemC/SystemCEngine.h"
#include "cajal/SystemC/SystemCRun.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace cajal::driver {
namespace {

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
Result<chip::Profile> profileFor(const CheckRtlRequest &r,
                                 const std::string &name,
                                 bool fromImage = false) {
  for (const rtl::RtlBuild &b : rtl::RtlCore::builds())
    if (b.profile == name)
      return chip::loadProfile(b.profilePath);
  return fromImage ? chip::findInstalledProfile(name, r.profileDirectory)
                   : chip::findProfile(name, r.profileDirectory);
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
int checkLearningUnit(const CheckRtlRequest &r, const chip::Image &image,
                      const chip::Profile &profile, uint32_t first,
                      uint32_t last) {
  uint64_t cores = 0, stepCount = 0, epochs = 0, traceSteps = 0, rules = 0,
           traceCycles = 0, ruleCycles = 0;
  for (uint32_t c = first; c < last; ++c) {
    auto inputs = rtl::coreInputsFromGolden(image, profile, c, r.steps);
    if (!inputs)
      return reportError(r.imagePath + ": " + inputs.error());
    auto rep = rtl::runLearningLockstep(image, c, profile, *inputs);
    if (!rep)
      return reportError(r.imagePath + ": core " + std::to_string(c) + ": " +
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

int checkImage(const CheckRtlRequest &r) {
  auto image = chip::readImageUnchecked(r.imagePath);
  if (!image)
    return reportError(image.error());
  auto profile = r.profileName.empty()
                     ? profileFor(r, image->profileName, /*fromImage=*/true)
                     : profileFor(r, r.profileName);
  if (!profile)
    return reportError(profile.error());
  if (Status s = chip::validate(*image, *profile); !s)
    return reportError(r.imagePath + ": " + s.error());
  if (!r.allCores && r.coreIndex >= image->cores.size())
    return reportError(r.imagePath + ": core " + std::to_string(r.coreIndex) +
                       " does not exist (the image has " +
                       std::to_string(image->cores.size()) + " cores)");
  const uint32_t first = r.allCores ? 0 : r.coreIndex;
  const uint32_t last = r.allCores ? uint32_t(image->cores.size()) : first + 1;
  if (image->learning.enabled()) {
    if (Status s = rtl::LearningUnit::checkLearning(image->learning); !s)
      return reportError(r.imagePath + ": " + s.error());
    if (r.learningUnit)
      return checkLearningUnit(r, *image, *profile, first, last);
  }
  if (r.learningUnit)
    return reportError(r.imagePath + ": --learning-unit: the image does not "
                                     "learn");
  if (Status s = rtl::checkRtlProfile(*profile); !s) {
    const size_t n = image->cores[first].compartments.size();
    return reportError(
        r.imagePath + ": core " + std::to_string(first) + " has " +
        std::to_string(n) + " compartments (profile '" + profile->name +
        "'); the RTL builds are sized for " + buildSizes() + ": " + s.error());
  }
  if (image->learning.enabled())
    if (Status s = rtl::checkRtlLearning(*image, *profile); !s)
      return reportError(r.imagePath + ": " + s.error());
  auto resolved = chip::resolvePrograms(*image, *profile);
  if (!resolved)
    return reportError(r.imagePath + ": " + resolved.error());
  if (Status s = rtl::checkRtlPrograms(*image, *resolved, *profile); !s)
    return reportError(r.imagePath + ": " + s.error());
  if (!r.vcdDir.empty())
    if (std::error_code ec = sys::fs::create_directories(r.vcdDir))
      return reportError(r.vcdDir +
                         ": cannot create directory: " + ec.message());
  Totals totals;
  totals.learns = image->learning.enabled();
  for (uint32_t c = first; c < last; ++c) {
    // One golden run of the whole image per core: its inputs, recorded.
    auto inputs = rtl::coreInputsFromGolden(*image, *profile, c, r.steps);
    if (!inputs)
      return reportError(r.imagePath + ": " + inputs.error());
    rtl::LockstepTrace trace;
    if (!r.vcdDir.empty()) {
      const std::string base = r.vcdDir + "/core" + std::to_string(c) + "-";
      trace.rtlVcd = base + "rtl.vcd";
      trace.emulatorVcd = base + "emulator.vcd";
    }
    const chip::Core &core = image->cores[c];
    auto rep = rtl::runLockstep(
        core, core, *profile, *inputs, trace,
        {&*resolved, c, image->learning.enabled() ? &*image : nullptr});
    if (!rep)
      return reportError(r.imagePath + ": core " + std::to_string(c) + ": " +
                         rep.error());
    add(totals, *rep, "core " + std::to_string(c));
    if (rep->divergence)
      break;
  }
  return totals.print();
}

int checkRandom(const CheckRtlRequest &r) {
  auto profile = profileFor(r, r.profileName.empty()
                                   ? rtl::RtlCore::builds().front().profile
                                   : r.profileName);
  if (!profile)
    return reportError(profile.error());
  if (Status s = rtl::checkRtlProfile(*profile); !s)
    return reportError("profile '" + profile->name +
                       "': the RTL builds are sized for " + buildSizes() +
                       ": " + s.error());
  Totals totals;
  for (uint64_t s = r.seed; s < r.seed + r.randomCount; ++s) {
    imagegen::RandomOptions o;
    o.seed = s;
    o.minCores = o.maxCores = 1;
    o.steps = r.steps;
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
        rtl::randomInputs(s, uint32_t(core.inputAxons.size()), r.steps);
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

/// --engine systemc: the same recording, then the power table. A step that
/// cannot finish, or Ctrl-C, still leaves every output complete up to the
/// last finished step.
int runSystemC(const SystemCRunRequest &request) {
  const RunSettings &run = request.run;
  systemc::Options options;
  options.powerPath = request.powerOut;
  options.vcdPath = request.vcdOut;
  options.tracePath = request.traceOut;
  Result<systemc::SystemCEngine> model =
      systemc::SystemCEngine::create(*request.image, *request.profile, options);
  if (!model)
    return reportError(model.error());
  if (Status s = readInput(run, *model); !s)
    return reportError(s.error());
  std::vector<uint64_t> spikesPerPopulation;
  double writeSeconds = 0;
  emulator::RecordOptions record =
      recordOptions(run, spikesPerPopulation, writeSeconds);
  if (request.weights)
    snapshotWeights(run, *request.weights, *model, record);
  const auto start = std::chrono::steady_clock::now();
  if (Status s = systemc::runAndRecord(*model, run.steps, record); !s)
    return reportError(s.error());
  if (request.weights)
    request.weights->snapshot(model->currentStep(), *model);
  if (!run.quiet) {
    printSummary(*model, "SystemC model", spikesPerPopulation,
                 secondsSince(start), writeSeconds);
    outs() << systemc::formatPowerTable(model->powerReport());
  }
  return *run.interrupted ? reportInterrupt(model->currentStep()) : 0;
}

} // namespace

// The entry points: this module's llvm::outs() is its own, flushed before
// the driver writes again.
__attribute__((visibility("default"))) int
cajalRunSystemC(const SystemCRunRequest &request) {
  const int code = runSystemC(request);
  outs().flush();
  return code;
}

__attribute__((visibility("default"))) int
cajalCheckRtl(const CheckRtlRequest &request) {
  const int code =
      request.imagePath.empty() ? checkRandom(request) : checkImage(request);
  outs().flush();
  return code;
}

__attribute__((visibility("default"))) void cajalRemoveTemporaries() {
  AtomicFile::removeTemporaries();
}

} // namespace cajal::driver
