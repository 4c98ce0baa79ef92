//===- rtl-lockstep.cpp - Many random configurations, RTL vs CoreLogic ----===//
//
// rtl-lockstep [--seeds N] [--first F] [--steps S]: runs seeds F..F+N-1 of
// rtltest::randomCore / randomInputs through rtl::runLockstep and prints
// "N configurations, M steps, K mismatches" and, for each mismatching seed,
// its first divergence, then the cycles: the RTL's, its documented contract
// (docs/neurocore.md) and the SystemC core timing for the same work. Exit
// status 1 on any mismatch, a broken cycle contract or an error.
//
//===----------------------------------------------------------------------===//
#include "RtlTestSupport.h"
#include "cajal/Rtl/Lockstep.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

using namespace cajal;

int main(int argc, char **argv) {
  uint64_t seeds = 1000, first = 1;
  uint32_t steps = 100;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const uint64_t value = std::strtoull(argv[i + 1], nullptr, 10);
    if (flag == "--seeds")
      seeds = value;
    else if (flag == "--first")
      first = value;
    else if (flag == "--steps")
      steps = uint32_t(value);
    else {
      std::fprintf(stderr, "rtl-lockstep: unknown option '%s'\n", argv[i]);
      return 2;
    }
  }
  auto profile = rtltest::smallProfile();
  if (!profile) {
    std::fprintf(stderr, "rtl-lockstep: %s\n", profile.error().c_str());
    return 2;
  }
  uint64_t totalSteps = 0, mismatches = 0, spikes = 0, cycles = 0;
  uint64_t expected = 0, systemc = 0;
  for (uint64_t seed = first; seed < first + seeds; ++seed) {
    const chip::Core core = rtltest::randomCore(*profile, seed);
    const auto inputs =
        rtltest::randomInputs(seed, uint32_t(core.inputAxons.size()), steps);
    auto rep = rtl::runLockstep(core, core, *profile, inputs);
    if (!rep) {
      std::fprintf(stderr, "seed %llu: %s\n", (unsigned long long)seed,
                   rep.error().c_str());
      return 1;
    }
    totalSteps += rep->steps;
    spikes += rep->spikes;
    cycles += rep->rtlCycles;
    expected += rep->expectedRtlCycles;
    systemc += rep->systemcCoreCycles;
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
  std::printf("cycles: RTL %llu, RTL contract %llu, SystemC core timing %llu\n",
              (unsigned long long)cycles, (unsigned long long)expected,
              (unsigned long long)systemc);
  if (mismatches == 0 && cycles != expected)
    std::printf("cycle contract broken: RTL %llu != %llu\n",
                (unsigned long long)cycles, (unsigned long long)expected);
  return mismatches == 0 && cycles == expected ? 0 : 1;
}
