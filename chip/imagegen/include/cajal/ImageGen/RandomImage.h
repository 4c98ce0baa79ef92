//===- RandomImage.h - Seeded random chip images -----------------*- C++
//-*-===//
//
// A random but valid image for a profile: 2..8 cores whose compartment
// parameters cover the profile's full legal ranges (mixed with parameters
// that make neurons fire often), random synapse groups with every weight
// width, exponent and delay, output axons to any core, and one source of each
// kind (Poisson, Periodic, File, External). The same seed gives the same
// image on every platform (own integer RNG, no std distributions).
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_IMAGEGEN_RANDOMIMAGE_H
#define CAJAL_IMAGEGEN_RANDOMIMAGE_H

#include "cajal/Chip/Image.h"
#include "cajal/Chip/Profile.h"

#include <cstdint>
#include <vector>

namespace cajal::imagegen {

/// A spike given to an External source at run time.
struct ExternalSpike {
  uint32_t source = 0; ///< index into Image::sources
  uint32_t step = 0;
  uint32_t index = 0;
};

struct RandomNetwork {
  chip::Image image;
  std::vector<ExternalSpike> external; ///< sorted by (step, source, index)
};

struct RandomOptions {
  uint64_t seed = 1;
  uint32_t steps = 200; ///< File and External spikes lie in [0, steps)
  uint32_t minCores = 2, maxCores = 8;
  uint32_t maxCompartments = 48; ///< per core
  uint32_t maxInputAxons = 24;   ///< per core
  /// On a programmable profile: every core is cut into populations of 1..8
  /// compartments, about three in four of which run a random program
  /// (RandomProgram.h) with random parameter words, the rest LIF. Off, the
  /// image is the same as before this option existed (1..4 LIF populations).
  bool programPopulations = false;
  /// With programPopulations, on a profile with isa.stackDepth >= 8: about
  /// half of the program populations are neurons with dendritic trees
  /// (randomTree, up to 4 compartments each, from a stream of their own;
  /// on a profile that is not programmable, randomLifTree and the other
  /// populations LIF); their non-root compartments lose their output axons.
  bool treePopulations = false;
  /// About one compartment in three starts in state words of its own
  /// (Core::initialWords): for the LIF family u and v inside their ranges
  /// and a short refractory count, for other programs randomStateWords.
  /// They are drawn from a stream of their own, so the rest of the image is
  /// the same either way.
  bool initialState = true;
  /// A Poisson group source (several spikes per channel and step) after the
  /// others, from a stream of its own: off, the image is the same but for it.
  bool poissonGroup = true;
  /// On-chip learning (docs/learning.md), from a stream of its own: off, the
  /// image is the same as before this option existed. On: an epoch of
  /// 1..learning.maxEpochSteps steps (mostly short), a random seed, 1..4
  /// random rules within the profile's limits (random terms of dw, dd and
  /// dt, random dependencies and factors over every variable and
  /// constants) with random x1, x2 traces, random y1..y3 traces on about
  /// two populations in three, about a third of the input axons turned into
  /// learning groups (weightBitsMax, delays, random tags) and a few into
  /// reward groups. Groups that would overflow a core's synapse words stay
  /// as they were.
  bool learning = false;
};

RandomNetwork randomNetwork(const chip::Profile &profile,
                            const RandomOptions &options);

} // namespace cajal::imagegen

#endif // CAJAL_IMAGEGEN_RANDOMIMAGE_H
