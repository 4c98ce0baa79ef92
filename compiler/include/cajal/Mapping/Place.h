//===- Place.h - Cores onto mesh coordinates --------------------*- C++ -*-===//
//
// Assigns each virtual core a position (tile x, tile y, slot in the tile) on
// the profile's mesh (chips side by side: x spans chipsX * tilesX tiles),
// minimising sum over core pairs of axons x hops, hops being the Manhattan
// distance between tiles. Greedy: cores in order of traffic to the cores
// already placed go to the cheapest tile with a free slot; then pairwise
// swaps (each core against the slots of the few tiles cheaper than its own;
// on small meshes every pair of slots) improve the cost until none helps.
// The core graph is a Boost.Graph adjacency list. Deterministic: ties break
// by index.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_MAPPING_PLACE_H
#define CAJAL_MAPPING_PLACE_H

#include "cajal/Chip/Profile.h"
#include "cajal/Chip/Result.h"
#include "cajal/Mapping/Partition.h"

#include <cstdint>
#include <vector>

namespace cajal::mapping {

struct CoreLocation {
  uint32_t x = 0, y = 0; ///< tile coordinates over the whole system
  uint32_t slot = 0;     ///< core within the tile
  bool operator==(const CoreLocation &o) const {
    return x == o.x && y == o.y && slot == o.slot;
  }
};

struct Placement {
  std::vector<CoreLocation> cores; ///< per virtual core
  uint64_t cost = 0;               ///< sum of axons x hops
};

/// Manhattan distance between the tiles of a and b.
uint32_t hopDistance(const CoreLocation &a, const CoreLocation &b);

/// Sum over traffic of axons x hopDistance.
uint64_t placementCost(const std::vector<CoreLocation> &cores,
                       const std::vector<CoreTraffic> &traffic);

struct PlaceOptions {
  bool improve = true; ///< run the pairwise-swap pass
  unsigned maxSwapRounds = 16;
};

/// Place `coreCount` cores with the given traffic. Error when the mesh has
/// fewer cores.
Result<Placement> place(uint32_t coreCount,
                        const std::vector<CoreTraffic> &traffic,
                        const chip::Profile &profile,
                        const PlaceOptions &options = {});
inline Result<Placement> place(const Partitioning &part,
                               const chip::Profile &profile,
                               const PlaceOptions &options = {}) {
  return place(part.coreCount(), part.traffic, profile, options);
}

} // namespace cajal::mapping

#endif // CAJAL_MAPPING_PLACE_H
