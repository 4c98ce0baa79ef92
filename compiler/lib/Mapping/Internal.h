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

} // namespace cajal::mapping::detail

#endif // CAJAL_MAPPING_LIB_INTERNAL_H
