//===- PartitionPack.cpp - Pack slices onto cores, number input axons ----===//
//
// First-fit decreasing: slices are taken in decreasing order of their
// largest resource fraction (used / per-core limit; ties by slice index) and
// each goes to the first core where all four resources still fit, or to a
// new core. Resources are additive (a slice's input axons are its own), so
// a core's use is the sum of its slices'. Input axons are then numbered core
// by core: slices in the order they sit on the core, projections in index
// order, pre neurons ascending. Traffic counts, per pair of cores, the
// input axons of the destination fed by neurons of the source.
//
//===----------------------------------------------------------------------===//
#include "Internal.h"

#include <algorithm>
#include <map>
#include <numeric>

namespace cajal::mapping::detail {

unsigned magnitudeBits(uint32_t magnitude) {
  unsigned b = 1;
  while (b < 32 && (uint64_t(1) << b) <= magnitude)
    ++b;
  return b;
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

void computeTraffic(const Network &net, Partitioning &part) {
  std::map<std::pair<uint32_t, uint32_t>, uint64_t> traffic;
  for (const AxonGroup &g : part.axonGroups) {
    const NodeRef pre = net.projections[g.projection].pre;
    if (pre.kind != NodeRef::PopulationNode)
      continue;
    const uint32_t to = part.slices[g.slice].core;
    for (uint32_t i : g.pre)
      ++traffic[{part.slices[sliceOf(part, pre.index, i)].core, to}];
  }
  for (const auto &[pair, axons] : traffic)
    part.traffic.push_back(CoreTraffic{pair.first, pair.second, axons});
}

} // namespace

Result<Partitioning> packSlices(const Network &net,
                                const chip::Profile &profile,
                                const PartitionOptions &options,
                                std::vector<SliceInfo> slices,
                                std::vector<AxonGroup> groups) {
  Partitioning part;
  part.lowerBound = lowerBound(slices, profile.core);
  const std::vector<uint32_t> core = firstFitDecreasing(
      slices, profile.core, options.packSlices, part.coreUse);
  const uint32_t available = profile.mesh.totalCores();
  if (part.coreUse.size() > available)
    return makeError("network \"" + net.name + "\" needs " +
                     std::to_string(part.coreUse.size()) + " cores; the chip " +
                     "(profile " + profile.name + ") has " +
                     std::to_string(available) +
                     ": use a profile with more chips or cores, or a smaller "
                     "network");
  part.coreSlices.resize(part.coreUse.size());
  for (uint32_t s = 0; s < slices.size(); ++s)
    part.coreSlices[core[s]].push_back(s);
  for (uint32_t c = 0; c < part.coreSlices.size(); ++c) {
    uint32_t next = 0;
    for (uint32_t s : part.coreSlices[c]) {
      slices[s].core = c;
      slices[s].firstCompartment = next;
      next += slices[s].count;
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
  computeTraffic(net, part);
  return part;
}

} // namespace cajal::mapping::detail
