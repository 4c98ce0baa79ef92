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
  /// Of synapses and synapseWords, those of learning projections (reported;
  /// docs/learning.md: a learning synapse is wider).
  uint64_t learningSynapses = 0;
  uint32_t learningSynapseWords = 0;
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
/// live on the host and are not counted. Per destination core only its
/// PartitionOptions::maxTrafficSources heaviest source cores are listed, so
/// the table grows with the cores, not with their square.
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
  /// Core-to-core axons left out of `traffic` (sources beyond the heaviest
  /// maxTrafficSources of their destination core).
  uint64_t omittedTraffic = 0;
  /// max over resources of ceil(total / per-core limit).
  uint32_t lowerBound = 0;
  /// Slicing rounds run until output axons settled (1 when none mattered).
  uint32_t slicingRounds = 0;
  uint32_t coreCount() const { return uint32_t(coreSlices.size()); }
};

struct PartitionOptions {
  bool packSlices = true;     ///< several slices may share a core
  unsigned maxIterations = 8; ///< rounds of output-axon re-slicing
  /// Per destination core, the heaviest source cores kept in `traffic`
  /// (ties: lower core index); the rest is summed into omittedTraffic.
  uint32_t maxTrafficSources = 32;
  /// Threads the partitioning may use: partition() draws the next
  /// neurons' synapses on a second thread while it slices the current ones;
  /// partitionGiven accounts runs of slices on each. The result does not
  /// depend on it.
  unsigned threads = 1;
};

/// A slice fixed by the caller: neurons [firstNeuron, firstNeuron + count)
/// of `population` on virtual core `core`.
struct SliceAssignment {
  uint32_t population = 0;
  uint32_t firstNeuron = 0;
  uint32_t count = 0;
  uint32_t core = 0;
};

/// The fit check that runs before any per-neuron work, costing one pass
/// over the populations: a population with more neurons than the chip has
/// compartments (profile: cores x compartments per core), or populations
/// that together have more, cannot fit. The error names the population (its
/// subject) or the network, and both numbers. A neuron with a dendritic
/// tree takes one compartment per tree compartment.
struct PopulationSize {
  std::string name;
  uint64_t neurons = 0;
  uint32_t compartmentsPerNeuron = 1;
};
Status checkCapacity(const std::string &network,
                     const std::vector<PopulationSize> &sizes,
                     const chip::Profile &profile);

/// Partition `net` for `profile`. A network that cannot fit gives an error
/// naming the population, the resource, the amount needed and available and
/// a fix; a network needing more cores than the chip has names both numbers.
Result<Partitioning> partition(const Network &net, const chip::Profile &profile,
                               const PartitionOptions &options = {});

/// Append the slices of `population` recorded as boundaries (first neuron
/// of each slice, then one past each slice's last) and one core per slice,
/// as snn-partition annotates them. Error when the lengths disagree, the
/// boundaries do not increase or a core is negative (`out` unchanged).
Status appendSlices(uint32_t population, const std::vector<int64_t> &bounds,
                    const std::vector<int64_t> &cores,
                    std::vector<SliceAssignment> &out);

/// Account given slices instead of choosing them: the Partitioning that
/// partition() returns when it chose these slices and cores (same resources,
/// axon numbering and traffic), with one pass over the synapses. `slices`
/// must be sorted by (population, firstNeuron) and cover every population
/// exactly; cores are numbered 0..n-1 and a core's slices sit on it in that
/// order. Errors name the population or core and the resource that does not
/// fit. options.packSlices and maxIterations are not used.
Result<Partitioning> partitionGiven(const Network &net,
                                    const chip::Profile &profile,
                                    const std::vector<SliceAssignment> &slices,
                                    const PartitionOptions &options = {});

} // namespace cajal::mapping

#endif // CAJAL_MAPPING_PARTITION_H
