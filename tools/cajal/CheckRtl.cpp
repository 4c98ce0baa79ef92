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
// (rtl::runLearningLockstep) on the core's golden inputs. The checks run in
// the driver's SystemC module (SystemCModule.cpp); this file holds the
// options.
//
//===----------------------------------------------------------------------===//
#include "Driver.h"
#include "Modules.h"
#include "SystemCModule.h"

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
  Result<void *> entry = loadModuleSymbol("cajal-systemc", "cajalCheckRtl");
  if (!entry)
    return reportError(entry.error());
  CheckRtlRequest request;
  request.imagePath = imagePath;
  request.coreIndex = coreIndex;
  request.allCores = allCores;
  request.steps = steps;
  request.randomCount = randomCount;
  request.seed = seed;
  request.profileName = profileName;
  request.profileDirectory = profileDirectory();
  request.vcdDir = vcdDir;
  request.learningUnit = learningUnit;
  return reinterpret_cast<CheckRtlFn>(*entry)(request);
}

} // namespace cajal::driver
