//===- rtl-lockstep.cpp - Many random configurations, RTL vs CoreLogic ----===//
//
// rtl-lockstep [--seeds N] [--first F] [--steps S] [--rtl-only 1]
//              [--profile NAME] [--min-programs P] [--min-luts L]
//              [--max-compartments C]:
// runs seeds F..F+N-1 of
// rtltest::randomCore / randomInputs through rtl::runLockstep and prints
// "N configurations, M steps, K mismatches" and, for each mismatching seed,
// its first divergence (seed, state words, spikes, spike and accept cycles,
// step cycles), then the cycles of the RTL and of the SystemC core model,
// and the simulation speed. The profile is rtl-small unless --profile names
// another (an installed one, e.g. loihi2); on a programmable profile the
// cores' populations run random programs (RandomOptions::
// programPopulations) and the line "P random programs" counts them (more
// compartments per core, --max-compartments, default 48, give more programs
// per configuration);
// --min-programs P fails a run that checked fewer. The same line counts
// the LUT instructions of those programs and the LUT slots the cores issued
// (per step, each compartment running a program issues its LUTs unless the
// update is idle, so this bounds the executed LUTs from above; the lower
// bound is in RtlProgramTest); --min-luts L fails a run whose programs hold
// fewer LUT instructions. --rtl-only 1 runs the
// same inputs on the RTL alone (no reference, no state reads) and prints its
// speed: the RTL simulation speed of docs/benchmarks.md. Exit status 1 on
// any mismatch or an error.
//
//===----------------------------------------------------------------------===//
#include "RtlTestSupport.h"
#include "cajal/Chip/Neurocore.h"
#include "cajal/Rtl/Lockstep.h"
#include "cajal/Rtl/RtlCore.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

using namespace cajal;

namespace {

/// The RTL alone on the same configurations: cycles per second of the
/// Verilated model (loading excluded).
int runRtlOnly(const chip::Profile &profile, uint64_t first, uint64_t seeds,
               uint32_t steps, uint32_t maxCompartments) {
  uint64_t cycles = 0, spikes = 0;
  double seconds = 0;
  for (uint64_t seed = first; seed < first + seeds; ++seed) {
    const rtltest::RandomCore rc =
        rtltest::randomProgramCore(profile, seed, maxCompartments);
    if (!rc.error.empty()) {
      std::fprintf(stderr, "seed %llu: %s\n", (unsigned long long)seed,
                   rc.error.c_str());
      return 1;
    }
    const chip::Core &core = rc.image.cores[0];
    const auto inputs =
        rtltest::randomInputs(seed, uint32_t(core.inputAxons.size()), steps);
    auto rtl = rtl::RtlCore::create(core, profile, rc.programs, 0);
    if (!rtl) {
      std::fprintf(stderr, "seed %llu: %s\n", (unsigned long long)seed,
                   rtl.error().c_str());
      return 1;
    }
    const auto begin = std::chrono::steady_clock::now();
    for (const auto &axons : inputs)
      spikes += (*rtl)->step(axons).spikes.size();
    seconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begin)
            .count();
    cycles += (*rtl)->cycles();
  }
  std::printf("RTL alone: %llu configurations, %llu steps, %llu cycles, "
              "%llu spikes in %.2f s: %.3g cycles/s\n",
              (unsigned long long)seeds, (unsigned long long)(seeds * steps),
              (unsigned long long)cycles, (unsigned long long)spikes, seconds,
              double(cycles) / seconds);
  return 0;
}

/// LUT instructions of a program.
uint64_t lutCount(const chip::Program &program) {
  uint64_t n = 0;
  for (uint64_t word : program.code)
    n += chip::isa::decode(word).op == chip::isa::Opcode::Lut;
  return n;
}

} // namespace

int main(int argc, char **argv) {
  uint64_t seeds = 1000, first = 1;
  uint32_t steps = 100;
  uint64_t minPrograms = 0, minLuts = 0;
  uint32_t maxCompartments = 48;
  std::string profileName;
  bool rtlOnly = false;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const uint64_t value = std::strtoull(argv[i + 1], nullptr, 10);
    if (flag == "--seeds")
      seeds = value;
    else if (flag == "--first")
      first = value;
    else if (flag == "--steps")
      steps = uint32_t(value);
    else if (flag == "--rtl-only")
      rtlOnly = value != 0;
    else if (flag == "--profile")
      profileName = argv[i + 1];
    else if (flag == "--min-programs")
      minPrograms = value;
    else if (flag == "--min-luts")
      minLuts = value;
    else if (flag == "--max-compartments")
      maxCompartments = uint32_t(value);
    else {
      std::fprintf(stderr, "rtl-lockstep: unknown option '%s'\n", argv[i]);
      return 2;
    }
  }
  auto profile =
      profileName.empty()
          ? rtltest::smallProfile()
          : chip::findProfile(profileName, chip::defaultProfileDir());
  if (!profile) {
    std::fprintf(stderr, "rtl-lockstep: %s\n", profile.error().c_str());
    return 2;
  }
  if (rtlOnly)
    return runRtlOnly(*profile, first, seeds, steps, maxCompartments);
  uint64_t totalSteps = 0, mismatches = 0, spikes = 0, cycles = 0;
  uint64_t reference = 0, inputSpikes = 0, programs = 0, luts = 0;
  uint64_t lutSlots = 0;
  const auto begin = std::chrono::steady_clock::now();
  for (uint64_t seed = first; seed < first + seeds; ++seed) {
    const rtltest::RandomCore rc =
        rtltest::randomProgramCore(*profile, seed, maxCompartments);
    if (!rc.error.empty()) {
      std::fprintf(stderr, "seed %llu: %s\n", (unsigned long long)seed,
                   rc.error.c_str());
      return 1;
    }
    const chip::Core &core = rc.image.cores[0];
    programs += rc.image.programs.size();
    for (const chip::Program &p : rc.image.programs)
      luts += lutCount(p);
    for (uint32_t p : rc.programs.compartmentProgram.at(0))
      lutSlots += uint64_t(steps) * lutCount(rc.programs.programs[p]);
    const auto inputs =
        rtltest::randomInputs(seed, uint32_t(core.inputAxons.size()), steps);
    auto rep =
        rtl::runLockstep(core, core, *profile, inputs, {}, {&rc.programs, 0});
    if (!rep) {
      std::fprintf(stderr, "seed %llu: %s\n", (unsigned long long)seed,
                   rep.error().c_str());
      return 1;
    }
    totalSteps += rep->steps;
    spikes += rep->spikes;
    cycles += rep->rtlCycles;
    reference += rep->referenceCycles;
    inputSpikes += rep->inputSpikes;
    if (rep->divergence) {
      ++mismatches;
      std::printf("seed %llu: first divergence at %s\n",
                  (unsigned long long)seed, rep->divergence->message().c_str());
    }
  }
  std::printf("%llu configurations, %llu steps, %llu mismatches "
              "(%llu spikes)\n",
              (unsigned long long)seeds, (unsigned long long)totalSteps,
              (unsigned long long)mismatches, (unsigned long long)spikes);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin)
          .count();
  std::printf("cycles: RTL %llu, SystemC core model %llu; %llu input spikes\n",
              (unsigned long long)cycles, (unsigned long long)reference,
              (unsigned long long)inputSpikes);
  if (profile->isa.programmable)
    std::printf("%llu random programs (profile '%s') with %llu LUT "
                "instructions; %llu LUT slots in updates, idle ones included\n",
                (unsigned long long)programs, profile->name.c_str(),
                (unsigned long long)luts, (unsigned long long)lutSlots);
  std::printf("%.2f s: %.3g lockstep steps/s, %.3g RTL cycles/s (with the "
              "reference and the state reads)\n",
              seconds, double(totalSteps) / seconds, double(cycles) / seconds);
  if (programs < minPrograms) {
    std::printf("fewer random programs than --min-programs %llu\n",
                (unsigned long long)minPrograms);
    return 1;
  }
  if (luts < minLuts) {
    std::printf("fewer LUT instructions than --min-luts %llu\n",
                (unsigned long long)minLuts);
    return 1;
  }
  return mismatches == 0 ? 0 : 1;
}
