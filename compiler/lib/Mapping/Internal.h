//===- Internal.h - Shared internals of the mapping library -----*- C++ -*-===//
#ifndef CAJAL_MAPPING_LIB_INTERNAL_H
#define CAJAL_MAPPING_LIB_INTERNAL_H

#include "cajal/Mapping/Partition.h"

#include <string>
#include <vector>

namespace cajal::mapping::detail {

/// Pack slices (sorted by population, firstNeuron; `use` filled) onto cores,
/// number the input axons and compute the core traffic.
Result<Partitioning> packSlices(const Network &net,
                                const chip::Profile &profile,
                                const PartitionOptions &options,
                                std::vector<SliceInfo> slices,
                                std::vector<AxonGroup> groups);

/// Put slices (sorted by population, firstNeuron; `use` filled) on the
/// given cores (core[s] for slice s, dense 0..n-1), number the input axons
/// and compute the core traffic. No fit check.
Partitioning assembleCores(const Network &net, const chip::Profile &profile,
                           const PartitionOptions &options,
                           std::vector<SliceInfo> slices,
                           std::vector<AxonGroup> groups,
                           const std::vector<uint32_t> &core,
                           uint32_t coreCount);

/// max over resources of ceil(total / per-core limit).
uint32_t lowerBound(const std::vector<SliceInfo> &slices,
                    const chip::CoreLimits &limits);

/// Index of the slice of population `pop` holding neuron `neuron`, found by
/// binary search in part.slices.
uint32_t sliceOf(const Partitioning &part, uint32_t pop, uint32_t neuron);

/// A number as a diagnostic shows it (shortest of %g's forms).
std::string fmt(double v);

/// Bits needed for a mantissa magnitude (at least 1).
unsigned magnitudeBits(uint32_t magnitude);

/// The format of one input axon of `proj` (no synapses yet) whose synapses'
/// largest |mantissa| is `maxAbs` and whose delays are not all 1 when
/// `anyDelay`: the fewest weight bits and a delay field only when needed;
/// a learning projection's group learns by rule `rule` and is stored with
/// synapse.weightBitsMax weight bits and a delay and tag per synapse (its
/// weights and delays change), which chip::synapseBits counts. The
/// partitioner counts words and the emitter packs with this one format.
chip::InputAxon axonFormat(const Projection &proj, uint32_t maxAbs,
                           bool anyDelay, const chip::Profile &profile,
                           uint32_t rule);

} // namespace cajal::mapping::detail

#endif // CAJAL_MAPPING_LIB_INTERNAL_H
