//===- PartitionPack.cpp - Pack slices onto cores, number input axons ----===//
//
// First-fit decreasing: slices are taken in decreasing order of their
// largest resource fraction (used / per-core limit; ties by slice index) and
// each goes to the first core where all four resources still fit, or to a
// new core. Resources are additive (a slice's input axons are its own), so
// a core's use is the sum of its slices'. Input axons are then numbered core
// by core: slices in the order they sit on the core, projections in index
// order, pre neurons ascending. Given slices (partitionGiven) skip the
// packing and keep their cores. Traffic counts, per pair of cores, the
// input axons of the destination fed by neurons of the source: destination
// by destination with a dense counter over source cores, keeping the
// heaviest maxTrafficSources sources of each (the rest is only summed), so
// the table is O(cores) even when every core feeds every other.
//
//===----------------------------------------------------------------------===//
#include "Internal.h"

#include <algorithm>
#include <numeric>

namespace cajal::mapping::detail {

unsigned magnitudeBits(uint32_t magnitude) {
  unsigned b = 1;
  while (b < 32 && (uint64_t(1) << b) <= magnitude)
    ++b;
  return b;
}

chip::InputAxon axonFormat(const Projection &proj, uint32_t maxAbs,
                           bool anyDelay, const chip::Profile &profile,
                           uint32_t rule) {
  chip::InputAxon axon;
  axon.weightExponent = proj.weightExponent;
  axon.reward = proj.reward;
  if (proj.learns()) {
    axon.learning = rule;
    axon.weightBits = uint8_t(profile.synapse.weightBitsMax);
    axon.hasDelay = true;
  } else {
    axon.weightBits = uint8_t(magnitudeBits(maxAbs));
    axon.hasDelay = anyDelay;
  }
  return axon;
}

uint32_t sliceOf(const Partitioning &part, uint32_t pop, uint32_t neuron) {
  auto it = std::upper_bound(
      part.slices.begin(), part.slices.end(), std::make_pair(pop, neuron),
      [](const std::pair<uint32_t, uint32_t> &key, const SliceInfo &s) {
        return key.first < s.population ||
               (key.first == s.population && key.second < s.firstNeuron);
      });
  return uint32_t(it - part.slices.begin()) - 1;
}

namespace {

double largestFraction(const CoreResources &u, const chip::CoreLimits &l) {
  auto frac = [](uint32_t used, uint32_t limit) {
    return limit == 0 ? 0.0 : double(used) / double(limit);
  };
  return std::max({frac(u.compartments, l.compartments),
                   frac(u.inputAxons, l.inputAxons),
                   frac(u.outputAxons, l.outputAxons),
                   frac(u.synapseWords, l.synapseWords)});
}

} // namespace

uint32_t lowerBound(const std::vector<SliceInfo> &slices,
                    const chip::CoreLimits &l) {
  CoreResources total;
  for (const SliceInfo &s : slices)
    total += s.use;
  auto ceilDiv = [](uint64_t a, uint64_t b) -> uint64_t {
    return b == 0 ? 0 : (a + b - 1) / b;
  };
  return uint32_t(std::max({ceilDiv(total.compartments, l.compartments),
                            ceilDiv(total.inputAxons, l.inputAxons),
                            ceilDiv(total.outputAxons, l.outputAxons),
                            ceilDiv(total.synapseWords, l.synapseWords)}));
}

namespace {

/// Core of each slice.
std::vector<uint32_t> firstFitDecreasing(const std::vector<SliceInfo> &slices,
                                         const chip::CoreLimits &limits,
                                         bool pack,
                                         std::vector<CoreResources> &bins) {
  std::vector<uint32_t> order(slices.size());
  std::iota(order.begin(), order.end(), 0);
  std::vector<double> key(slices.size());
  for (size_t i = 0; i < slices.size(); ++i)
    key[i] = largestFraction(slices[i].use, limits);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return key[a] > key[b]; });
  std::vector<uint32_t> core(slices.size(), 0);
  for (uint32_t s : order) {
    uint32_t b = 0;
    if (pack) {
      for (; b < bins.size(); ++b) {
        CoreResources u = bins[b];
        u += slices[s].use;
        if (u.fits(limits))
          break;
      }
    } else {
      b = uint32_t(bins.size());
    }
    if (b == bins.size())
      bins.push_back(CoreResources{});
    bins[b] += slices[s].use;
    core[s] = b;
  }
  return core;
}

/// Core of every neuron of every population, from the slices.
std::vector<std::vector<uint32_t>> neuronCores(const Network &net,
                                               const Partitioning &part) {
  std::vector<std::vector<uint32_t>> cores(net.populations.size());
  for (size_t p = 0; p < net.populations.size(); ++p)
    cores[p].assign(net.populations[p].size, 0);
  for (const SliceInfo &s : part.slices)
    std::fill_n(cores[s.population].begin() + s.firstNeuron, s.count, s.core);
  return cores;
}

/// Per destination core (its axon groups are contiguous), count the input
/// axons fed by each source core in a dense counter, keep the heaviest
/// maxTrafficSources sources and add the rest to omittedTraffic.
void computeTraffic(const Network &net, const PartitionOptions &options,
                    Partitioning &part) {
  const std::vector<std::vector<uint32_t>> coreOf = neuronCores(net, part);
  std::vector<uint64_t> count(part.coreCount(), 0);
  std::vector<uint32_t> touched;
  auto flush = [&](uint32_t to) {
    const size_t keep =
        std::min<size_t>(touched.size(), options.maxTrafficSources);
    auto heavier = [&](uint32_t a, uint32_t b) {
      return count[a] != count[b] ? count[a] > count[b] : a < b;
    };
    std::partial_sort(touched.begin(), touched.begin() + keep, touched.end(),
                      heavier);
    for (size_t k = 0; k < touched.size(); ++k) {
      if (k < keep)
        part.traffic.push_back(CoreTraffic{touched[k], to, count[touched[k]]});
      else
        part.omittedTraffic += count[touched[k]];
      count[touched[k]] = 0;
    }
    touched.clear();
  };
  uint32_t current = UINT32_MAX;
  for (const AxonGroup &g : part.axonGroups) {
    const uint32_t to = part.slices[g.slice].core;
    if (to != current && current != UINT32_MAX)
      flush(current);
    current = to;
    const NodeRef pre = net.projections[g.projection].pre;
    if (pre.kind != NodeRef::PopulationNode)
      continue;
    for (uint32_t i : g.pre) {
      const uint32_t from = coreOf[pre.index][i];
      if (count[from]++ == 0)
        touched.push_back(from);
    }
  }
  if (current != UINT32_MAX)
    flush(current);
  std::sort(part.traffic.begin(), part.traffic.end(),
            [](const CoreTraffic &a, const CoreTraffic &b) {
              return a.from != b.from ? a.from < b.from : a.to < b.to;
            });
}

} // namespace

Partitioning assembleCores(const Network &net, const chip::Profile &profile,
                           const PartitionOptions &options,
                           std::vector<SliceInfo> slices,
                           std::vector<AxonGroup> groups,
                           const std::vector<uint32_t> &core,
                           uint32_t coreCount) {
  Partitioning part;
  part.lowerBound = lowerBound(slices, profile.core);
  part.coreUse.assign(coreCount, CoreResources{});
  part.coreSlices.resize(coreCount);
  for (uint32_t s = 0; s < slices.size(); ++s) {
    part.coreSlices[core[s]].push_back(s);
    part.coreUse[core[s]] += slices[s].use;
  }
  for (uint32_t c = 0; c < part.coreSlices.size(); ++c) {
    uint32_t next = 0;
    for (uint32_t s : part.coreSlices[c]) {
      slices[s].core = c;
      slices[s].firstCompartment = next;
      next += slices[s].count *
              net.populations[slices[s].population].compartmentsPerNeuron();
    }
  }
  part.slices = std::move(slices);

  // Groups arrive sorted by (slice, projection); reorder them core by core.
  std::vector<uint32_t> groupBegin(part.slices.size() + 1, 0);
  for (const AxonGroup &g : groups)
    ++groupBegin[g.slice + 1];
  for (size_t s = 0; s < part.slices.size(); ++s)
    groupBegin[s + 1] += groupBegin[s];
  part.axonGroups.reserve(groups.size());
  for (const std::vector<uint32_t> &onCore : part.coreSlices) {
    uint32_t next = 0;
    for (uint32_t s : onCore)
      for (uint32_t k = groupBegin[s]; k < groupBegin[s + 1]; ++k) {
        AxonGroup g = std::move(groups[k]);
        g.firstInputAxon = next;
        next += uint32_t(g.pre.size());
        part.axonGroups.push_back(std::move(g));
      }
  }
  computeTraffic(net, options, part);
  return part;
}

Result<Partitioning> packSlices(const Network &net,
                                const chip::Profile &profile,
                                const PartitionOptions &options,
                                std::vector<SliceInfo> slices,
                                std::vector<AxonGroup> groups) {
  std::vector<CoreResources> bins;
  const std::vector<uint32_t> core =
      firstFitDecreasing(slices, profile.core, options.packSlices, bins);
  const uint32_t available = profile.mesh.totalCores();
  if (bins.size() > available)
    return makeError("network \"" + net.name + "\" needs " +
                     std::to_string(bins.size()) + " cores; the chip " +
                     "(profile " + profile.name + ") has " +
                     std::to_string(available) +
                     ": use a profile with more chips or cores, or a smaller "
                     "network");
  return assembleCores(net, profile, options, std::move(slices),
                       std::move(groups), core, uint32_t(bins.size()));
}

} // namespace cajal::mapping::detail
