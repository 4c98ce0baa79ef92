//===- RtlTestSupport.h - Random inputs for RTL tests -----------*- C++ -*-===//
//
// The test profile the RTL harness is generated from (rtl/profiles/
// rtl-small.json), seeded single-core random configurations (chip/imagegen,
// RandomImage.h; on a programmable profile with random programs) and seeded
// random input spikes: each step every input axon spikes with probability
// 1/3, and sometimes one axon spikes twice in a step.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_TESTS_RTL_RTLTESTSUPPORT_H
#define CAJAL_TESTS_RTL_RTLTESTSUPPORT_H

#include "cajal/Chip/CompartmentPrograms.h"
#include "cajal/Chip/Profile.h"
#include "cajal/ImageGen/RandomImage.h"
#include "cajal/Rtl/CoreInputs.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cajal::rtltest {

inline Result<chip::Profile> smallProfile() {
  return chip::loadProfile(CAJAL_RTL_TEST_PROFILE);
}

/// Core 0 of a seeded random single-core image for `profile`.
inline chip::Core randomCore(const chip::Profile &profile, uint64_t seed) {
  imagegen::RandomOptions o;
  o.seed = seed;
  o.minCores = o.maxCores = 1;
  o.steps = 100;
  return imagegen::randomNetwork(profile, o).image.cores.at(0);
}

/// A seeded random single-core image and its resolved programs: on a
/// programmable profile most populations run a random program of their own
/// (RandomOptions::programPopulations), the rest LIF; with `trees` (on a
/// profile with isa.stackDepth >= 8) about half of those are neurons with
/// random dendritic trees (RandomOptions::treePopulations).
struct RandomCore {
  chip::Image image;
  chip::ResolvedPrograms programs;
  std::string error; ///< resolvePrograms' error, if any
};
inline RandomCore randomProgramCore(const chip::Profile &profile, uint64_t seed,
                                    uint32_t maxCompartments = 48,
                                    bool trees = false) {
  imagegen::RandomOptions o;
  o.seed = seed;
  o.maxCompartments = maxCompartments;
  o.minCores = o.maxCores = 1;
  o.steps = 100;
  o.programPopulations = profile.isa.programmable || trees;
  o.treePopulations = trees;
  RandomCore rc;
  rc.image = imagegen::randomNetwork(profile, o).image;
  auto resolved = chip::resolvePrograms(rc.image, profile);
  if (resolved)
    rc.programs = std::move(*resolved);
  else
    rc.error = resolved.error();
  return rc;
}

/// inputs[t]: the axons spiking at step t (rtl::randomInputs).
inline std::vector<std::vector<uint32_t>>
randomInputs(uint64_t seed, uint32_t axons, uint32_t steps) {
  return rtl::randomInputs(seed, axons, steps);
}

} // namespace cajal::rtltest

#endif // CAJAL_TESTS_RTL_RTLTESTSUPPORT_H
