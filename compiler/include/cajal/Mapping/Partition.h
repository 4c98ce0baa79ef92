//===- Partition.h - Slice populations into cores ---------------*- C++ -*-===//
//
// Splits every population into contiguous slices that each fit one core in
// all four resources (compartments; input axons = distinct (projection, pre
// neuron) pairs with a synapse into the slice; output axons = per
// compartment, the number of (projection, post slice) pairs it reaches;
// synapse-memory words = sum over input axons of chip::wordsForGroup), then
// packs slices onto cores (first-fit decreasing). Every resource of a core
// is the sum over its slices, so the accounting equals what emission
// writes. Output axons depend on how the target populations are sliced, so
// slicing repeats until it is stable.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_MAPPING_PARTITION_H
#define CAJAL_MAPPING_PARTITION_H

#include "cajal/Chip/Profile.h"
#include "cajal/Chip/Result.h"
#include "cajal/Mapping/Network.h"

#include <cstdint>
#include <vector>

namespace cajal::mapping {

/// Usage of the four per-core resources.
struct CoreResources {
  uint32_t compartments = 0;
  uint32_t inputAxons = 0;
  uint32_t outputAxons = 0;
  uint32_t synapseWords = 0;
  uint64_t synapses = 0; ///< reported, not a limit: words bound the memory
  CoreResources &operator+=(const CoreResources &o);
  /// True when every field is <= the profile's per-core limit.
  bool fits(const chip::CoreLimits &limits) const;
};

/// A contiguous piece of one population, placed on one (virtual) core.
struct SliceInfo {
  uint32_t population = 0;
  uint32_t firstNeuron = 0;
  uint32_t count = 0;
  uint32_t core = 0;             ///< virtual core index
  uint32_t firstCompartment = 0; ///< on that core
  CoreResources use;
};

/// The input axons one (slice, projection) pair needs: one per distinct pre
/// neuron, numbered firstInputAxon + rank in `pre` on the slice's core.
struct AxonGroup {
  uint32_t slice = 0;      ///< index into Partitioning::slices
  uint32_t projection = 0; ///< index into Network::projections
  uint32_t firstInputAxon = 0;
  std::vector<uint32_t> pre; ///< sorted, distinct pre neuron indices
};

/// Axons (spike messages per pre spike) from one core to another; sources
/// live on the host and are not counted.
struct CoreTraffic {
  uint32_t from = 0, to = 0;
  uint64_t axons = 0;
};

struct Partitioning {
  std::vector<SliceInfo> slices; ///< sorted by (population, firstNeuron)
  /// Per core, its slice indices in compartment order.
  std::vector<std::vector<uint32_t>> coreSlices;
  std::vector<CoreResources> coreUse; ///< per core
  /// Sorted by (core, position of the slice on the core, projection).
  std::vector<AxonGroup> axonGroups;
  std::vector<CoreTraffic> traffic; ///< sorted by (from, to)
  /// max over resources of ceil(total / per-core limit).
  uint32_t lowerBound = 0;
  /// Slicing rounds run until output axons settled (1 when none mattered).
  uint32_t slicingRounds = 0;
  uint32_t coreCount() const { return uint32_t(coreSlices.size()); }
};

struct PartitionOptions {
  bool packSlices = true;     ///< several slices may share a core
  unsigned maxIterations = 8; ///< rounds of output-axon re-slicing
};

/// Partition `net` for `profile`. A network that cannot fit gives an error
/// naming the population, the resource, the amount needed and available and
/// a fix; a network needing more cores than the chip has names both numbers.
Result<Partitioning> partition(const Network &net, const chip::Profile &profile,
                               const PartitionOptions &options = {});

} // namespace cajal::mapping

#endif // CAJAL_MAPPING_PARTITION_H
