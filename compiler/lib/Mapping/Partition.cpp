//===- Partition.cpp - Slice populations into cores ----------------------===//
//
// Slicing walks each population's neurons in order and grows the current
// slice one neuron at a time. For neuron j it materialises the synapses of
// every projection onto j, merges them into the slice's input-axon groups
// (one per (projection, pre neuron)) and computes what the slice would then
// need: compartments, input axons (groups), synapse words (sum of
// chip::wordsForGroup over groups, with the group's weight bits and delay
// flag) and output axons (sum of the neurons' output counts). When that
// exceeds a core, the slice is closed and j starts the next one. Resources
// only grow as a slice grows, so this greedy cut gives the fewest
// contiguous slices; each synapse is generated once per round.
//
// A neuron's output count (how many (projection, post slice) pairs it
// reaches) depends on the slicing of its targets, so slicing runs in
// rounds: round r uses the counts of round r-1 (taking the maximum over
// rounds, so slices only shrink) until every slice fits with the counts of
// its own round. Slices are then packed onto cores by first-fit decreasing
// on their largest resource fraction, every resource being additive.
//
//===----------------------------------------------------------------------===//
#include "cajal/Mapping/Partition.h"

#include "Internal.h"
#include "cajal/Chip/Image.h"
#include "cajal/Mapping/Connectivity.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace cajal::mapping {

CoreResources &CoreResources::operator+=(const CoreResources &o) {
  compartments += o.compartments;
  inputAxons += o.inputAxons;
  outputAxons += o.outputAxons;
  synapseWords += o.synapseWords;
  synapses += o.synapses;
  return *this;
}

bool CoreResources::fits(const chip::CoreLimits &l) const {
  return compartments <= l.compartments && inputAxons <= l.inputAxons &&
         outputAxons <= l.outputAxons && synapseWords <= l.synapseWords;
}

namespace {

struct Group {
  uint32_t synapses = 0;
  uint32_t maxAbs = 0;
  bool hasDelay = false;
};

/// A slice under construction: its groups keyed by (incoming slot, pre).
struct OpenSlice {
  uint32_t first = 0, count = 0;
  CoreResources use;
  std::unordered_map<uint64_t, Group> groups;
};

uint64_t groupKey(uint32_t slot, uint32_t pre) {
  return (uint64_t(slot) << 32) | pre;
}

/// The resource that first exceeds `limits`, with its amount and limit.
struct Excess {
  const char *resource = nullptr;
  uint64_t needed = 0, available = 0;
};

Excess firstExcess(const CoreResources &u, const chip::CoreLimits &l) {
  if (u.compartments > l.compartments)
    return {"compartments", u.compartments, l.compartments};
  if (u.inputAxons > l.inputAxons)
    return {"input axons", u.inputAxons, l.inputAxons};
  if (u.outputAxons > l.outputAxons)
    return {"output axons", u.outputAxons, l.outputAxons};
  if (u.synapseWords > l.synapseWords)
    return {"synapse-memory words", u.synapseWords, l.synapseWords};
  return {};
}

std::string fixFor(const std::string &resource) {
  if (resource == "input axons")
    return "reduce the number of distinct pre neurons reaching one neuron "
           "(fan-in), or use a profile with more input axons per core";
  if (resource == "output axons")
    return "reduce how many post slices one neuron reaches (fan-out), or use "
           "a profile with more output axons per core";
  if (resource == "synapse-memory words")
    return "reduce the fan-in or the weight bits of the projections onto it, "
           "or use a profile with more synapse memory per core";
  return "use a profile with more compartments per core";
}

class Slicer {
public:
  Slicer(const Network &net, const chip::Profile &profile,
         const std::vector<SynapseGenerator> &gens)
      : net(net), profile(profile), gens(gens),
        incoming(net.populations.size()) {
    for (uint32_t p = 0; p < net.projections.size(); ++p)
      incoming[net.projections[p].post].push_back(p);
  }

  /// Slice population `pop` given per-neuron output counts; appends slices
  /// (with use) and their axon groups (slice = index in `slices`).
  Status slicePopulation(uint32_t pop, const std::vector<uint32_t> &outCount,
                         std::vector<SliceInfo> &slices,
                         std::vector<AxonGroup> &groups);

private:
  Status collect(uint32_t pop, uint32_t j);
  CoreResources tryAdd(const OpenSlice &s, uint32_t outputs) const;
  void apply(OpenSlice &s, const CoreResources &use);
  void close(uint32_t pop, OpenSlice &s, std::vector<SliceInfo> &slices,
             std::vector<AxonGroup> &groups);
  uint32_t words(const Group &g, uint32_t slot) const {
    chip::InputAxon a;
    a.synapseCount = g.synapses;
    a.weightBits = uint8_t(detail::magnitudeBits(g.maxAbs));
    a.weightExponent = net.projections[slot].weightExponent;
    a.hasDelay = g.hasDelay;
    return chip::wordsForGroup(a, profile.synapse);
  }

  const Network &net;
  const chip::Profile &profile;
  const std::vector<SynapseGenerator> &gens;
  std::vector<std::vector<uint32_t>> incoming;
  /// Neuron j's synapses merged per (projection, pre), in that order.
  std::vector<std::pair<uint64_t, Group>> pending;
  std::vector<SynapseRecord> buffer;
};

Status Slicer::collect(uint32_t pop, uint32_t j) {
  pending.clear();
  const chip::SynapseFormat &f = profile.synapse;
  const uint32_t mantissaTop = (uint32_t(1) << f.weightBitsMax) - 1;
  for (uint32_t p : incoming[pop]) {
    buffer.clear();
    gens[p].appendInto(j, IndexRange{0, gens[p].preSize()}, buffer);
    for (const SynapseRecord &s : buffer) {
      const uint32_t m = uint32_t(std::abs(int64_t(s.mantissa)));
      if (m > mantissaTop)
        return makeError("projection \"" + net.projections[p].name +
                         "\": weight mantissa " + std::to_string(s.mantissa) +
                         " needs more than the " +
                         std::to_string(f.weightBitsMax) +
                         " weight bits of profile " + profile.name);
      if (s.delay > f.maxDelay)
        return makeError("projection \"" + net.projections[p].name +
                         "\": delay " + std::to_string(s.delay) +
                         " exceeds the profile's " +
                         std::to_string(f.maxDelay) + " steps");
      const uint64_t key = groupKey(p, s.pre);
      if (pending.empty() || pending.back().first != key)
        pending.push_back({key, Group{}});
      Group &g = pending.back().second;
      ++g.synapses;
      g.maxAbs = std::max(g.maxAbs, m);
      g.hasDelay |= s.delay != 1;
    }
  }
  return Status::ok();
}

CoreResources Slicer::tryAdd(const OpenSlice &s, uint32_t outputs) const {
  CoreResources u = s.use;
  u.compartments += 1;
  u.outputAxons += outputs;
  for (const auto &[key, add] : pending) {
    const uint32_t slot = uint32_t(key >> 32);
    u.synapses += add.synapses;
    auto it = s.groups.find(key);
    if (it == s.groups.end()) {
      u.inputAxons += 1;
      u.synapseWords += words(add, slot);
      continue;
    }
    Group merged = it->second;
    merged.synapses += add.synapses;
    merged.maxAbs = std::max(merged.maxAbs, add.maxAbs);
    merged.hasDelay |= add.hasDelay;
    u.synapseWords += words(merged, slot) - words(it->second, slot);
  }
  return u;
}

void Slicer::apply(OpenSlice &s, const CoreResources &use) {
  s.use = use;
  s.count += 1;
  for (const auto &[key, add] : pending) {
    Group &g = s.groups[key];
    g.synapses += add.synapses;
    g.maxAbs = std::max(g.maxAbs, add.maxAbs);
    g.hasDelay |= add.hasDelay;
  }
}

void Slicer::close(uint32_t pop, OpenSlice &s, std::vector<SliceInfo> &slices,
                   std::vector<AxonGroup> &groups) {
  SliceInfo info;
  info.population = pop;
  info.firstNeuron = s.first;
  info.count = s.count;
  info.use = s.use;
  const uint32_t index = uint32_t(slices.size());
  slices.push_back(info);
  std::map<uint32_t, std::vector<uint32_t>> byProjection;
  for (const auto &entry : s.groups)
    byProjection[uint32_t(entry.first >> 32)].push_back(uint32_t(entry.first));
  for (auto &[proj, pre] : byProjection) {
    std::sort(pre.begin(), pre.end());
    AxonGroup g;
    g.slice = index;
    g.projection = proj;
    g.pre = std::move(pre);
    groups.push_back(std::move(g));
  }
  s = OpenSlice{};
}

Status Slicer::slicePopulation(uint32_t pop,
                               const std::vector<uint32_t> &outCount,
                               std::vector<SliceInfo> &slices,
                               std::vector<AxonGroup> &groups) {
  const Population &P = net.populations[pop];
  const chip::CoreLimits &limits = profile.core;
  OpenSlice open;
  for (uint32_t j = 0; j < P.size; ++j) {
    if (Status st = collect(pop, j); !st)
      return st;
    const uint32_t outputs = outCount.empty() ? 0 : outCount[j];
    CoreResources u = tryAdd(open, outputs);
    if (open.count > 0 && !u.fits(limits)) {
      close(pop, open, slices, groups);
      open.first = j;
      u = tryAdd(open, outputs);
    }
    if (!u.fits(limits)) {
      const Excess e = firstExcess(u, limits);
      return makeError("population \"" + P.name + "\" needs " +
                       std::to_string(e.needed) + " " + e.resource +
                       " per slice (neuron " + std::to_string(j) +
                       " alone); a core has " + std::to_string(e.available) +
                       ": " + fixFor(e.resource));
    }
    apply(open, u);
  }
  if (open.count > 0)
    close(pop, open, slices, groups);
  return Status::ok();
}

/// Output count per neuron of every population, from the axon groups.
std::vector<std::vector<uint32_t>>
outputCounts(const Network &net, const std::vector<AxonGroup> &groups) {
  std::vector<std::vector<uint32_t>> counts(net.populations.size());
  for (size_t p = 0; p < net.populations.size(); ++p)
    counts[p].assign(net.populations[p].size, 0);
  for (const AxonGroup &g : groups) {
    const NodeRef pre = net.projections[g.projection].pre;
    if (pre.kind != NodeRef::PopulationNode)
      continue;
    for (uint32_t i : g.pre)
      ++counts[pre.index][i];
  }
  return counts;
}

Status checkNetwork(const Network &net, const chip::Profile &profile) {
  for (const Population &p : net.populations)
    if (p.params.size() != 1 && p.params.size() != p.size)
      return makeError("population \"" + p.name + "\" has " +
                       std::to_string(p.params.size()) +
                       " parameter sets; expected 1 or " +
                       std::to_string(p.size));
  const chip::SynapseFormat &f = profile.synapse;
  for (const Projection &p : net.projections)
    if (p.weightExponent < f.weightExponentMin ||
        p.weightExponent > f.weightExponentMax)
      return makeError("projection \"" + p.name + "\": weight exponent " +
                       std::to_string(p.weightExponent) + " outside [" +
                       std::to_string(f.weightExponentMin) + ", " +
                       std::to_string(f.weightExponentMax) + "] of profile " +
                       profile.name);
  return Status::ok();
}

/// Slice every population until output counts are stable.
Status sliceAll(const Network &net, const chip::Profile &profile,
                const std::vector<SynapseGenerator> &gens,
                const PartitionOptions &options, std::vector<SliceInfo> &slices,
                std::vector<AxonGroup> &groups, uint32_t &rounds) {
  Slicer slicer(net, profile, gens);
  std::vector<std::vector<uint32_t>> counts(net.populations.size());
  for (unsigned round = 0; round < std::max(1u, options.maxIterations);
       ++round) {
    slices.clear();
    groups.clear();
    for (uint32_t p = 0; p < net.populations.size(); ++p)
      if (Status s = slicer.slicePopulation(p, counts[p], slices, groups); !s)
        return s;
    const auto fresh = outputCounts(net, groups);
    bool stable = true;
    for (SliceInfo &s : slices) {
      uint32_t outputs = 0;
      for (uint32_t j = 0; j < s.count; ++j)
        outputs += fresh[s.population][s.firstNeuron + j];
      s.use.outputAxons = outputs;
      stable &= s.use.fits(profile.core);
    }
    rounds = round + 1;
    if (stable)
      return Status::ok();
    for (size_t p = 0; p < counts.size(); ++p) {
      if (counts[p].empty())
        counts[p] = fresh[p];
      for (size_t i = 0; i < counts[p].size(); ++i)
        counts[p][i] = std::max(counts[p][i], fresh[p][i]);
    }
  }
  return makeError("network \"" + net.name +
                   "\": output axons did not settle after " +
                   std::to_string(options.maxIterations) +
                   " slicing rounds; reduce the fan-out of its populations");
}

} // namespace

Result<Partitioning> partition(const Network &net, const chip::Profile &profile,
                               const PartitionOptions &options) {
  if (Status s = checkNetwork(net, profile); !s)
    return makeError(s.error());
  std::vector<SynapseGenerator> gens;
  gens.reserve(net.projections.size());
  for (uint32_t p = 0; p < net.projections.size(); ++p) {
    auto g = SynapseGenerator::create(net, p);
    if (!g)
      return g.takeError();
    gens.push_back(std::move(*g));
  }
  std::vector<SliceInfo> slices;
  std::vector<AxonGroup> groups;
  uint32_t rounds = 0;
  if (Status s = sliceAll(net, profile, gens, options, slices, groups, rounds);
      !s)
    return makeError(s.error());
  auto part = detail::packSlices(net, profile, options, std::move(slices),
                                 std::move(groups));
  if (part)
    part->slicingRounds = rounds;
  return part;
}

} // namespace cajal::mapping
