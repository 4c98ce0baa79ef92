//===- Partition.cpp - Slice populations into cores ----------------------===//
//
// Slicing walks each population's neurons in order and grows the current
// slice one neuron at a time. For neuron j it materialises the synapses of
// every projection onto j, merges them into the slice's input-axon groups
// (one per (projection, pre neuron)) and computes what the slice would then
// need: compartments, input axons (groups), synapse words (sum of
// chip::wordsForGroup over groups, with the group's weight bits and delay
// flag; a learning projection's groups at the widest weights with a delay
// and a tag, detail::axonFormat) and output axons (sum of the neurons' output
// counts). When that exceeds a core, the slice is closed and j starts the next
// one. Resources only grow as a slice grows, so this greedy cut gives the
// fewest contiguous slices; each synapse is generated once per round. The open
// slice's groups are found through a dense per-(projection, pre) table,
// reset as the slice closes, rather than a hash map.
//
// A neuron's output count (how many (projection, post slice) pairs it
// reaches) depends on the slicing of its targets, so slicing runs in
// rounds: round r uses the counts of round r-1 (taking the maximum over
// rounds, so slices only shrink) until every slice fits with the counts of
// its own round. Slices are then packed onto cores by first-fit decreasing
// on their largest resource fraction, every resource being additive.
//
// partitionGiven accounts slices chosen elsewhere (snn-partition's
// annotations) with the same slicer, one pass over the synapses, no fit-
// driven cuts, runs of slices on several threads: the passes after
// snn-partition use it instead of slicing again.
//
//===----------------------------------------------------------------------===//
#include "cajal/Mapping/Partition.h"

#include "Internal.h"
#include "cajal/Chip/Image.h"
#include "cajal/Chip/ParallelFor.h"
#include "cajal/Mapping/Connectivity.h"

#include <algorithm>
#include <thread>
#include <utility>

namespace cajal::mapping {

CoreResources &CoreResources::operator+=(const CoreResources &o) {
  compartments += o.compartments;
  inputAxons += o.inputAxons;
  outputAxons += o.outputAxons;
  synapseWords += o.synapseWords;
  synapses += o.synapses;
  learningSynapses += o.learningSynapses;
  learningSynapseWords += o.learningSynapseWords;
  return *this;
}

bool CoreResources::fits(const chip::CoreLimits &l) const {
  return compartments <= l.compartments && inputAxons <= l.inputAxons &&
         outputAxons <= l.outputAxons && synapseWords <= l.synapseWords;
}

namespace {

/// Sorts `keys` ascending by least-significant-digit radix over the bits in
/// which they differ (11 at a time): a slice's (projection, pre) group keys
/// number about its neurons x their fan-in, and std::sort of them takes a
/// sixth of compiling a large random network.
void radixSort(std::vector<uint64_t> &keys) {
  if (keys.size() < 2)
    return;
  uint64_t low = keys[0], high = keys[0];
  for (uint64_t k : keys) {
    low = std::min(low, k);
    high = std::max(high, k);
  }
  // Bits above the highest one in which some key differs from `low` are the
  // same in every key.
  const unsigned bits =
      low == high ? 0 : 64 - unsigned(__builtin_clzll(low ^ high));
  constexpr unsigned digitBits = 11;
  constexpr size_t buckets = size_t(1) << digitBits;
  std::vector<uint64_t> other(keys.size());
  std::vector<size_t> count(buckets);
  for (unsigned shift = 0; shift < bits; shift += digitBits) {
    std::fill(count.begin(), count.end(), 0);
    for (uint64_t k : keys)
      ++count[(k >> shift) & (buckets - 1)];
    size_t sum = 0;
    for (size_t &c : count)
      sum += std::exchange(c, sum);
    for (uint64_t k : keys)
      other[count[(k >> shift) & (buckets - 1)]++] = k;
    keys.swap(other);
  }
}

struct Group {
  uint32_t synapses = 0;
  uint32_t maxAbs = 0;
  bool hasDelay = false;
};

/// One neuron's synapses from one (projection, pre): the group they form,
/// and the synapse words that group takes on its own.
struct PendingGroup {
  uint64_t key = 0;
  Group add;
  uint32_t freshWords = 0;
};

/// Neurons [first, first + count) of one population collected: neuron
/// first + k's groups are groups[begin[k] .. begin[k + 1]). Collecting
/// stops at the first neuron whose synapses the profile cannot hold:
/// `failure` is then that neuron's error (neuron first + count).
struct CollectedNeurons {
  uint32_t first = 0, count = 0;
  std::vector<uint32_t> begin;
  std::vector<PendingGroup> groups;
  Status failure;
};

/// Neurons collected per block: a block is collected on another thread
/// while the one before it is sliced.
constexpr uint32_t kCollectBlock = 2048;

/// A slice under construction: its groups keyed by (projection, pre), in
/// the order they appeared (Slicer::groupAt finds them).
struct OpenSlice {
  uint32_t first = 0, count = 0;
  CoreResources use;
  std::vector<std::pair<uint64_t, Group>> groups;
};

uint64_t groupKey(uint32_t slot, uint32_t pre) {
  return (uint64_t(slot) << 32) | pre;
}

/// The resource that first exceeds `limits`, with its amount and limit.
struct Excess {
  const char *resource = nullptr;
  const char *field = nullptr; ///< the profile's limit of it
  unsigned chip::CoreLimits::*limit = nullptr;
  uint64_t needed = 0, available = 0;
  std::string change() const {
    return std::string(field) + " >= " + std::to_string(needed);
  }
};

Excess firstExcess(const CoreResources &u, const chip::CoreLimits &l) {
  if (u.compartments > l.compartments)
    return {"compartments", "core.compartments",
            &chip::CoreLimits::compartments, u.compartments, l.compartments};
  if (u.inputAxons > l.inputAxons)
    return {"input axons", "core.inputAxons", &chip::CoreLimits::inputAxons,
            u.inputAxons, l.inputAxons};
  if (u.outputAxons > l.outputAxons)
    return {"output axons", "core.outputAxons", &chip::CoreLimits::outputAxons,
            u.outputAxons, l.outputAxons};
  if (u.synapseWords > l.synapseWords)
    return {"synapse-memory words", "core.synapseWords",
            &chip::CoreLimits::synapseWords, u.synapseWords, l.synapseWords};
  return {};
}

/// What to change when one neuron alone exceeds a core: its network, or
/// the profile as `profileChange` says (the fields a core would need).
std::string fixFor(const std::string &resource,
                   const std::string &profileChange) {
  const std::string profile = "use a profile with " + profileChange;
  if (resource == "input axons")
    return "reduce the number of distinct pre neurons reaching one neuron "
           "(fan-in), or " +
           profile;
  if (resource == "output axons")
    return "reduce how many post slices one neuron reaches (fan-out), or " +
           profile;
  if (resource == "synapse-memory words")
    return "reduce the fan-in or the weight bits of the projections onto it, "
           "or " +
           profile;
  return profile;
}

class Slicer {
public:
  /// `collectThreads` > 1: the next neurons' synapses are drawn on another
  /// thread while the current ones are sliced.
  Slicer(const Network &network, const chip::Profile &chipProfile,
         const std::vector<SynapseGenerator> &generators,
         unsigned collectThreads = 1)
      : net(network), profile(chipProfile), gens(generators),
        threads(collectThreads), incoming(net.populations.size()),
        groupAt(net.projections.size()) {
    for (uint32_t p = 0; p < net.projections.size(); ++p) {
      incoming[net.projections[p].post].push_back(p);
      groupAt[p].assign(gens[p].preSize(), 0);
    }
  }

  /// Slice population `pop` given per-neuron output counts; appends slices
  /// (with use) and their axon groups (slice = index in `slices`).
  Status slicePopulation(uint32_t pop, const std::vector<uint32_t> &outCount,
                         std::vector<SliceInfo> &slices,
                         std::vector<AxonGroup> &groups);
  /// Account one given slice (no fit check; output axons left at 0).
  Status sliceGiven(const SliceAssignment &given,
                    std::vector<SliceInfo> &slices,
                    std::vector<AxonGroup> &groups);

private:
  /// Append neuron j's groups (merged per (projection, pre), in that order)
  /// to `out`; errors name the projection and the weight or delay that the
  /// profile cannot hold.
  Status collect(uint32_t pop, uint32_t j, std::vector<SynapseRecord> &buffer,
                 std::vector<PendingGroup> &out) const;
  void collectRange(uint32_t pop, uint32_t first, uint32_t end,
                    CollectedNeurons &into) const;
  /// Calls slice(j) for neurons j in [first, end) in order with `pending`
  /// set to neuron j's groups, collecting the next block on another thread
  /// when `threads` > 1; stops at slice's or collect's first error.
  template <typename F>
  Status forEachCollected(uint32_t pop, uint32_t first, uint32_t end, F slice);
  /// Sets `pending` to neuron j's groups alone (collected here).
  Status collectOne(uint32_t pop, uint32_t j);
  /// The smallest core limits with which each neuron of `pop` from `from`
  /// on fits a core alone, as profile fields: "core.inputAxons >= 5078".
  /// Needs every slice of the population closed.
  Result<std::string> smallestFit(uint32_t pop, uint32_t from,
                                  const std::vector<uint32_t> &outCount);
  /// The open slice with the collected neuron added: its `compartments`
  /// (a dendritic tree's) and `outputs` output axons.
  CoreResources tryAdd(const OpenSlice &s, uint32_t outputs,
                       uint32_t compartments) const;
  void apply(OpenSlice &s, const CoreResources &use);
  void close(uint32_t pop, OpenSlice &s, std::vector<SliceInfo> &slices,
             std::vector<AxonGroup> &groups);
  uint32_t words(const Group &g, uint32_t slot) const {
    // Any rule index will do: a learning group's width does not depend on
    // which rule it learns by.
    chip::InputAxon a = detail::axonFormat(net.projections[slot], g.maxAbs,
                                           g.hasDelay, profile, 0);
    a.synapseCount = g.synapses;
    return chip::wordsForGroup(a, profile.synapse);
  }

  const Network &net;
  const chip::Profile &profile;
  const std::vector<SynapseGenerator> &gens;
  unsigned threads;
  std::vector<std::vector<uint32_t>> incoming;
  /// Per projection and pre neuron: 1 + index of its group in the open
  /// slice, 0 when absent (a dense table instead of a hash map; reset as
  /// the slice closes).
  std::vector<std::vector<uint32_t>> groupAt;
  /// The neuron being sliced: its groups (in a CollectedNeurons or in
  /// `single`).
  const PendingGroup *pending = nullptr;
  uint32_t pendingCount = 0;
  std::vector<PendingGroup> single;
  std::vector<SynapseRecord> buffer;
};

Status Slicer::collect(uint32_t pop, uint32_t j,
                       std::vector<SynapseRecord> &records,
                       std::vector<PendingGroup> &out) const {
  const chip::SynapseFormat &f = profile.synapse;
  const uint32_t mantissaTop = (uint32_t(1) << f.weightBitsMax) - 1;
  for (uint32_t p : incoming[pop]) {
    records.clear();
    gens[p].appendInto(j, IndexRange{0, gens[p].preSize()}, records);
    const size_t projectionBegin = out.size();
    for (const SynapseRecord &s : records) {
      const uint32_t m = uint32_t(std::abs(int64_t(s.mantissa)));
      if (m > mantissaTop)
        return makeError(
            "projection \"" + net.projections[p].name + "\": weight mantissa " +
                std::to_string(s.mantissa) + " needs more than the " +
                std::to_string(f.weightBitsMax) + " weight bits of profile " +
                profile.name,
            aboutProjection(net.projections[p].name, "weight"));
      if (s.delay > f.maxDelay)
        return makeError("projection \"" + net.projections[p].name +
                             "\": delay " + std::to_string(s.delay) +
                             " exceeds the profile's " +
                             std::to_string(f.maxDelay) + " steps",
                         aboutProjection(net.projections[p].name, "delay"));
      const uint64_t key = groupKey(p, s.pre);
      if (out.size() == projectionBegin || out.back().key != key)
        out.push_back({key, Group{}, 0});
      Group &g = out.back().add;
      ++g.synapses;
      g.maxAbs = std::max(g.maxAbs, m);
      g.hasDelay |= s.delay != 1;
    }
    for (size_t k = projectionBegin; k < out.size(); ++k)
      out[k].freshWords = words(out[k].add, p);
  }
  return Status::ok();
}

void Slicer::collectRange(uint32_t pop, uint32_t first, uint32_t end,
                          CollectedNeurons &into) const {
  into.first = first;
  into.count = 0;
  into.begin.assign(1, 0);
  into.groups.clear();
  into.failure = Status::ok();
  std::vector<SynapseRecord> records;
  for (uint32_t j = first; j < end; ++j) {
    if (Status st = collect(pop, j, records, into.groups); !st) {
      into.failure = std::move(st);
      return;
    }
    into.begin.push_back(uint32_t(into.groups.size()));
    ++into.count;
  }
}

template <typename F>
Status Slicer::forEachCollected(uint32_t pop, uint32_t first, uint32_t end,
                                F slice) {
  CollectedNeurons current, next;
  collectRange(pop, first, std::min(end, first + kCollectBlock), current);
  for (;;) {
    const uint32_t nextFirst = current.first + current.count;
    const bool more = current.failure && nextFirst < end;
    std::thread ahead;
    if (more && threads > 1)
      ahead = std::thread([&, nextFirst] {
        collectRange(pop, nextFirst, std::min(end, nextFirst + kCollectBlock),
                     next);
      });
    Status status;
    for (uint32_t k = 0; k < current.count && status; ++k) {
      pending = current.groups.data() + current.begin[k];
      pendingCount = current.begin[k + 1] - current.begin[k];
      status = slice(current.first + k);
    }
    if (ahead.joinable())
      ahead.join();
    if (!status)
      return status;
    if (!current.failure)
      return std::move(current.failure);
    if (!more)
      return Status::ok();
    if (threads <= 1)
      collectRange(pop, nextFirst, std::min(end, nextFirst + kCollectBlock),
                   next);
    std::swap(current, next);
  }
}

Status Slicer::collectOne(uint32_t pop, uint32_t j) {
  single.clear();
  if (Status st = collect(pop, j, buffer, single); !st)
    return st;
  pending = single.data();
  pendingCount = uint32_t(single.size());
  return Status::ok();
}

CoreResources Slicer::tryAdd(const OpenSlice &s, uint32_t outputs,
                             uint32_t compartments) const {
  CoreResources u = s.use;
  u.compartments += compartments;
  u.outputAxons += outputs;
  for (uint32_t k = 0; k < pendingCount; ++k) {
    const PendingGroup &add = pending[k];
    const uint32_t slot = uint32_t(add.key >> 32);
    const uint32_t at = groupAt[slot][uint32_t(add.key)];
    uint32_t addedWords = add.freshWords;
    if (at == 0) {
      u.inputAxons += 1;
    } else {
      const Group &old = s.groups[at - 1].second;
      Group merged = old;
      merged.synapses += add.add.synapses;
      merged.maxAbs = std::max(merged.maxAbs, add.add.maxAbs);
      merged.hasDelay |= add.add.hasDelay;
      addedWords = words(merged, slot) - words(old, slot);
    }
    u.synapses += add.add.synapses;
    u.synapseWords += addedWords;
    if (net.projections[slot].learns()) {
      u.learningSynapses += add.add.synapses;
      u.learningSynapseWords += addedWords;
    }
  }
  return u;
}

void Slicer::apply(OpenSlice &s, const CoreResources &use) {
  s.use = use;
  s.count += 1;
  for (uint32_t k = 0; k < pendingCount; ++k) {
    const PendingGroup &add = pending[k];
    uint32_t &at = groupAt[uint32_t(add.key >> 32)][uint32_t(add.key)];
    if (at == 0) {
      s.groups.push_back({add.key, Group{}});
      at = uint32_t(s.groups.size());
    }
    Group &g = s.groups[at - 1].second;
    g.synapses += add.add.synapses;
    g.maxAbs = std::max(g.maxAbs, add.add.maxAbs);
    g.hasDelay |= add.add.hasDelay;
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
  std::vector<uint64_t> keys;
  keys.reserve(s.groups.size());
  for (const auto &entry : s.groups) {
    keys.push_back(entry.first);
    groupAt[uint32_t(entry.first >> 32)][uint32_t(entry.first)] = 0;
  }
  radixSort(keys); // by (projection, pre)
  for (size_t k = 0; k < keys.size(); ++k) {
    const uint32_t proj = uint32_t(keys[k] >> 32);
    if (k == 0 || uint32_t(keys[k - 1] >> 32) != proj) {
      AxonGroup g;
      g.slice = index;
      g.projection = proj;
      groups.push_back(std::move(g));
    }
    groups.back().pre.push_back(uint32_t(keys[k]));
  }
  s = OpenSlice{};
}

Result<std::string> Slicer::smallestFit(uint32_t pop, uint32_t from,
                                        const std::vector<uint32_t> &outCount) {
  const OpenSlice empty;
  CoreResources most;
  for (uint32_t k = from; k < net.populations[pop].size; ++k) {
    if (Status st = collectOne(pop, k); !st)
      return st.error();
    const CoreResources u =
        tryAdd(empty, outCount.empty() ? 0 : outCount[k],
               net.populations[pop].compartmentsPerNeuron());
    most.compartments = std::max(most.compartments, u.compartments);
    most.inputAxons = std::max(most.inputAxons, u.inputAxons);
    most.outputAxons = std::max(most.outputAxons, u.outputAxons);
    most.synapseWords = std::max(most.synapseWords, u.synapseWords);
  }
  // Each resource the neurons exceed, in firstExcess's order.
  chip::CoreLimits limits = profile.core;
  std::string change;
  for (Excess e = firstExcess(most, limits); e.resource;
       e = firstExcess(most, limits)) {
    change += (change.empty() ? "" : " and ") + e.change();
    limits.*e.limit = unsigned(e.needed);
  }
  return change + " (every neuron of \"" + net.populations[pop].name +
         "\" then fits a core alone)";
}

Status Slicer::slicePopulation(uint32_t pop,
                               const std::vector<uint32_t> &outCount,
                               std::vector<SliceInfo> &slices,
                               std::vector<AxonGroup> &groups) {
  const Population &P = net.populations[pop];
  const chip::CoreLimits &limits = profile.core;
  OpenSlice open;
  Status sliced = forEachCollected(pop, 0, P.size, [&](uint32_t j) -> Status {
    const uint32_t outputs = outCount.empty() ? 0 : outCount[j];
    CoreResources u = tryAdd(open, outputs, P.compartmentsPerNeuron());
    if (open.count > 0 && !u.fits(limits)) {
      close(pop, open, slices, groups);
      open.first = j;
      u = tryAdd(open, outputs, P.compartmentsPerNeuron());
    }
    if (!u.fits(limits)) {
      const Excess e = firstExcess(u, limits);
      Result<std::string> change = smallestFit(pop, j, outCount);
      if (!change)
        return makeError(change.error());
      return makeError("population \"" + P.name + "\" needs " +
                           std::to_string(e.needed) + " " + e.resource +
                           " per slice (neuron " + std::to_string(j) +
                           " alone" +
                           (P.tree.empty() ? std::string()
                                           : ", a dendritic tree of " +
                                                 std::to_string(P.tree.size()) +
                                                 " compartments") +
                           "); a core has " + std::to_string(e.available) +
                           ": " + fixFor(e.resource, *change),
                       aboutPopulation(P.name, e.resource));
    }
    apply(open, u);
    return Status::ok();
  });
  if (!sliced)
    return sliced;
  if (open.count > 0)
    close(pop, open, slices, groups);
  return Status::ok();
}

Status Slicer::sliceGiven(const SliceAssignment &given,
                          std::vector<SliceInfo> &slices,
                          std::vector<AxonGroup> &groups) {
  OpenSlice open;
  open.first = given.firstNeuron;
  const uint32_t compartments =
      net.populations[given.population].compartmentsPerNeuron();
  Status sliced =
      forEachCollected(given.population, given.firstNeuron,
                       given.firstNeuron + given.count, [&](uint32_t) {
                         apply(open, tryAdd(open, 0, compartments));
                         return Status::ok();
                       });
  if (!sliced)
    return sliced;
  close(given.population, open, slices, groups);
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

/// Set every slice's output axons from the counts of its neurons.
void setOutputAxons(const Network &net, const std::vector<AxonGroup> &groups,
                    std::vector<SliceInfo> &slices) {
  const auto fresh = outputCounts(net, groups);
  for (SliceInfo &s : slices) {
    uint32_t outputs = 0;
    for (uint32_t j = 0; j < s.count; ++j)
      outputs += fresh[s.population][s.firstNeuron + j];
    s.use.outputAxons = outputs;
  }
}

/// Given slices must be sorted, cover each population exactly and use
/// cores 0..n-1, each at least once; n is returned in coreCount.
Status checkGiven(const Network &net, const chip::Profile &profile,
                  const std::vector<SliceAssignment> &given,
                  uint32_t &coreCount) {
  std::vector<uint32_t> covered(net.populations.size(), 0);
  coreCount = 0;
  for (const SliceAssignment &s : given) {
    if (s.population >= net.populations.size())
      return makeError("slice of population index " +
                       std::to_string(s.population) + ": the network has " +
                       std::to_string(net.populations.size()) + " populations");
    const Population &P = net.populations[s.population];
    if (s.count == 0 || s.firstNeuron != covered[s.population] ||
        uint64_t(s.firstNeuron) + s.count > P.size)
      return makeError("population \"" + P.name + "\": slice [" +
                           std::to_string(s.firstNeuron) + ", " +
                           std::to_string(uint64_t(s.firstNeuron) + s.count) +
                           ") does not continue the slices before it at "
                           "neuron " +
                           std::to_string(covered[s.population]) + " of " +
                           std::to_string(P.size),
                       aboutPopulation(P.name, "slices"));
    covered[s.population] += s.count;
    coreCount = std::max(coreCount, s.core + 1);
  }
  for (size_t p = 0; p < net.populations.size(); ++p)
    if (covered[p] != net.populations[p].size)
      return makeError("population \"" + net.populations[p].name +
                           "\": slices cover " + std::to_string(covered[p]) +
                           " of its " +
                           std::to_string(net.populations[p].size) + " neurons",
                       aboutPopulation(net.populations[p].name, "slices"));
  std::vector<bool> used(coreCount, false);
  for (const SliceAssignment &s : given)
    used[s.core] = true;
  for (uint32_t c = 0; c < coreCount; ++c)
    if (!used[c])
      return makeError("core " + std::to_string(c) +
                       " holds no slice; cores must be numbered 0.." +
                       std::to_string(coreCount - 1));
  if (coreCount > profile.mesh.totalCores())
    return makeError("network \"" + net.name + "\" uses " +
                     std::to_string(coreCount) + " cores; the chip (profile " +
                     profile.name + ") has " +
                     std::to_string(profile.mesh.totalCores()));
  return Status::ok();
}

Status checkNetwork(const Network &net, const chip::Profile &profile) {
  std::vector<PopulationSize> sizes;
  sizes.reserve(net.populations.size());
  for (const Population &p : net.populations)
    sizes.push_back({p.name, p.size, p.compartmentsPerNeuron()});
  if (Status s = checkCapacity(net.name, sizes, profile); !s)
    return s;
  for (const Population &p : net.populations)
    if (p.params.size() != 1 && p.params.size() != p.size)
      return makeError("population \"" + p.name + "\" has " +
                           std::to_string(p.params.size()) +
                           " parameter sets; expected 1 or " +
                           std::to_string(p.size),
                       aboutPopulation(p.name, "params"));
  const chip::SynapseFormat &f = profile.synapse;
  for (const Projection &p : net.projections)
    if (p.weightExponent < f.weightExponentMin ||
        p.weightExponent > f.weightExponentMax)
      return makeError("projection \"" + p.name + "\": weight exponent " +
                           std::to_string(p.weightExponent) + " outside [" +
                           std::to_string(f.weightExponentMin) + ", " +
                           std::to_string(f.weightExponentMax) +
                           "] of profile " + profile.name,
                       aboutProjection(p.name, "weight_exponent"));
  return Status::ok();
}

/// Slice every population until output counts are stable.
Status sliceAll(const Network &net, const chip::Profile &profile,
                const std::vector<SynapseGenerator> &gens,
                const PartitionOptions &options, std::vector<SliceInfo> &slices,
                std::vector<AxonGroup> &groups, uint32_t &rounds) {
  Slicer slicer(net, profile, gens, options.threads);
  std::vector<std::vector<uint32_t>> counts(net.populations.size());
  for (unsigned round = 0; round < std::max(1u, options.maxIterations);
       ++round) {
    slices.clear();
    groups.clear();
    for (uint32_t p = 0; p < net.populations.size(); ++p)
      if (Status s = slicer.slicePopulation(p, counts[p], slices, groups); !s)
        return s;
    setOutputAxons(net, groups, slices);
    bool stable = true;
    for (const SliceInfo &s : slices)
      stable &= s.use.fits(profile.core);
    rounds = round + 1;
    if (stable)
      return Status::ok();
    const auto fresh = outputCounts(net, groups);
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

Result<std::vector<SynapseGenerator>> generators(const Network &net) {
  std::vector<SynapseGenerator> gens;
  gens.reserve(net.projections.size());
  for (uint32_t p = 0; p < net.projections.size(); ++p) {
    auto g = SynapseGenerator::create(net, p);
    if (!g)
      return g.takeError();
    gens.push_back(std::move(*g));
  }
  return gens;
}

/// The first resource of core `c` (or its slice) that exceeds a core.
Status checkFits(const Network &net, const chip::Profile &profile,
                 const Partitioning &part) {
  for (uint32_t c = 0; c < part.coreCount(); ++c) {
    const Excess e = firstExcess(part.coreUse[c], profile.core);
    if (!e.resource)
      continue;
    const SliceInfo &s = part.slices[part.coreSlices[c].front()];
    return makeError(
        "core " + std::to_string(c) + " (population \"" +
            net.populations[s.population].name + "\" from neuron " +
            std::to_string(s.firstNeuron) + ") needs " +
            std::to_string(e.needed) + " " + e.resource + "; a core has " +
            std::to_string(e.available) + ": " +
            fixFor(e.resource, e.change()) + ", or split its slices",
        aboutPopulation(net.populations[s.population].name, e.resource));
  }
  return Status::ok();
}

} // namespace

Status checkCapacity(const std::string &network,
                     const std::vector<PopulationSize> &sizes,
                     const chip::Profile &profile) {
  const uint64_t cores = profile.mesh.totalCores();
  const uint64_t capacity = cores * profile.core.compartments;
  const std::string chip = "; the chip (profile " + profile.name + ") has " +
                           std::to_string(capacity) + " compartments (" +
                           std::to_string(cores) + " cores x " +
                           std::to_string(profile.core.compartments) +
                           "): use a profile with more chips or cores, or a "
                           "smaller network";
  uint64_t total = 0, neurons = 0;
  for (const PopulationSize &p : sizes) {
    // Sizes are below 2^32 and trees below 2^16 compartments: no overflow.
    const uint64_t needed = p.neurons * p.compartmentsPerNeuron;
    const std::string what =
        p.compartmentsPerNeuron == 1
            ? "has " + std::to_string(p.neurons) + " neurons"
            : "needs " + std::to_string(p.compartmentsPerNeuron) +
                  " compartments per neuron x " + std::to_string(p.neurons) +
                  " neurons = " + std::to_string(needed);
    if (needed > capacity)
      return makeError("population \"" + p.name + "\" " + what + chip,
                       aboutPopulation(p.name, "compartments"));
    total += needed;
    neurons += p.neurons;
  }
  if (total > capacity)
    return makeError(
        "network \"" + network + "\" has " + std::to_string(neurons) +
        " neurons in " + std::to_string(sizes.size()) + " populations" +
        (total == neurons ? std::string()
                          : " (" + std::to_string(total) + " compartments)") +
        chip);
  return Status::ok();
}

Status appendSlices(uint32_t population, const std::vector<int64_t> &bounds,
                    const std::vector<int64_t> &cores,
                    std::vector<SliceAssignment> &out) {
  if (bounds.size() != cores.size() + 1)
    return makeError(std::to_string(bounds.size()) + " slice boundaries for " +
                     std::to_string(cores.size()) + " cores; expected " +
                     std::to_string(cores.size() + 1));
  for (size_t k = 0; k < cores.size(); ++k) {
    if (bounds[k] < 0 || bounds[k + 1] <= bounds[k] ||
        bounds[k + 1] > int64_t(UINT32_MAX))
      return makeError("slice boundaries " + std::to_string(bounds[k]) + ", " +
                       std::to_string(bounds[k + 1]) + " do not increase");
    if (cores[k] < 0 || cores[k] > int64_t(UINT32_MAX))
      return makeError("core " + std::to_string(cores[k]) + " out of range");
  }
  for (size_t k = 0; k < cores.size(); ++k)
    out.push_back(SliceAssignment{population, uint32_t(bounds[k]),
                                  uint32_t(bounds[k + 1] - bounds[k]),
                                  uint32_t(cores[k])});
  return Status::ok();
}

Result<Partitioning> partitionGiven(const Network &net,
                                    const chip::Profile &profile,
                                    const std::vector<SliceAssignment> &given,
                                    const PartitionOptions &options) {
  uint32_t coreCount = 0;
  if (Status s = checkNetwork(net, profile); !s)
    return s.takeError();
  if (Status s = checkGiven(net, profile, given, coreCount); !s)
    return s.takeError();
  auto gens = generators(net);
  if (!gens)
    return gens.takeError();
  // Runs of consecutive given slices, each accounted by its own Slicer
  // (they need no other slice), a few per thread so that uneven slices even
  // out; then joined in order, as one Slicer would have appended them.
  const size_t runs = std::min<size_t>(
      given.size(), options.threads <= 1 ? 1 : size_t(options.threads) * 4);
  std::vector<std::vector<SliceInfo>> runSlices(runs);
  std::vector<std::vector<AxonGroup>> runGroups(runs);
  if (Status st = chip::parallelForCores(
          runs, options.threads,
          [&](size_t r) -> Status {
            Slicer slicer(net, profile, *gens);
            for (size_t k = given.size() * r / runs;
                 k < given.size() * (r + 1) / runs; ++k)
              if (Status s =
                      slicer.sliceGiven(given[k], runSlices[r], runGroups[r]);
                  !s)
                return s;
            return Status::ok();
          });
      !st)
    return st.takeError();
  std::vector<SliceInfo> slices;
  std::vector<AxonGroup> groups;
  slices.reserve(given.size());
  for (size_t r = 0; r < runs; ++r) {
    const uint32_t offset = uint32_t(slices.size());
    for (AxonGroup &g : runGroups[r]) {
      g.slice += offset;
      groups.push_back(std::move(g));
    }
    slices.insert(slices.end(), runSlices[r].begin(), runSlices[r].end());
    std::vector<AxonGroup>().swap(runGroups[r]);
  }
  std::vector<uint32_t> core;
  core.reserve(given.size());
  for (const SliceAssignment &s : given)
    core.push_back(s.core);
  setOutputAxons(net, groups, slices);
  Partitioning part =
      detail::assembleCores(net, profile, options, std::move(slices),
                            std::move(groups), core, coreCount);
  if (Status s = checkFits(net, profile, part); !s)
    return s.takeError();
  return part;
}

Result<Partitioning> partition(const Network &net, const chip::Profile &profile,
                               const PartitionOptions &options) {
  if (Status s = checkNetwork(net, profile); !s)
    return s.takeError();
  auto gens = generators(net);
  if (!gens)
    return gens.takeError();
  std::vector<SliceInfo> slices;
  std::vector<AxonGroup> groups;
  uint32_t rounds = 0;
  if (Status s = sliceAll(net, profile, *gens, options, slices, groups, rounds);
      !s)
    return s.takeError();
  auto part = detail::packSlices(net, profile, options, std::move(slices),
                                 std::move(groups));
  if (part)
    part->slicingRounds = rounds;
  return part;
}

} // namespace cajal::mapping
