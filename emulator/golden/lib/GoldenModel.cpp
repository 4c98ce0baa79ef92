//===- GoldenModel.cpp - The integer-exact reference model ---------------===//
//
// A step t has two phases (GoldenLoad.cpp builds the arrays).
//
// Update: every compartment takes q from its accumulator slot t % S of a
// ring of S = (largest delay in the image) + 1 slots and is advanced exactly
// as chip::updateCompartment does, by a branch-free loop over
// structure-of-arrays state and per-compartment constants
// (UpdateKernels.cpp, UpdateAvx512.cpp), run over a few long runs of
// compartments in 32- or 64-bit lanes; the AVX-512 loop lists the spiking
// compartments itself, the others write flags that are scanned only in runs
// that had a spike. A compartment whose state, bias and q are all zero would
// stay unchanged and silent (u = 0, v = clip(0) = 0 <= vth): it is counted as
// idle (only in cores that have a zero-bias compartment at all) but
// computed anyway.
//
// Deliver: each spike of step t (compartments, then host sources) names its
// sender's synapse rows; each row adds its weights into slot (t + delay) %
// S. A row is sorted by offset = delay * N + target, so the entries that
// wrap past the end of the ring are a contiguous tail: the row is two
// plain runs of indexed adds. Delays are 1..S-1, so step t never writes the
// slot it just consumed. Additions are exact (int64, or int32 where the
// loader proved no sum reaches 2^31), so delivery order cannot change a
// result. With int32 accumulators a row's nearby synapses are windows, one
// vector add each, and rows of upcoming spikes are prefetched: in large
// images they come from DRAM (DeliveryKernels.h); the accumulators of a
// re-placed population (GoldenLoad.cpp) follow the compartments' in each
// slot and are moved into place before the update reads the slot.
//
//===----------------------------------------------------------------------===//
#include "UpdateKernels.h"

#include "cajal/Chip/Source.h"
#include "cajal/Golden/GoldenModel.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>

namespace cajal::golden {

namespace {
constexpr uint32_t none = std::numeric_limits<uint32_t>::max();
std::string str(uint64_t v) { return std::to_string(v); }
} // namespace

Status
GoldenModel::setExternalSpikes(std::vector<spikeio::SpikeRecord> spikes) {
  std::sort(spikes.begin(), spikes.end());
  std::vector<std::vector<chip::SourceSpike>> lists(sources.size());
  for (size_t i = 0; i < spikes.size(); ++i) {
    const spikeio::SpikeRecord &r = spikes[i];
    // The messages are built only on the error path: this runs per spike.
    const auto what = [&r] {
      return "external spike (step " + str(r.step) + ", node " + str(r.node) +
             ", index " + str(r.index) + ")";
    };
    if (r.node >= nodeTable.size())
      return makeError(what() + ": no such node (the image has " +
                       str(nodeTable.size()) + ")");
    const auto name = [&] { return "\"" + nodeTable.name(r.node) + "\""; };
    if (!nodeTable.isExternalSource(r.node))
      return makeError(what() + ": node " + name() +
                       " is not an external source");
    if (r.index >= nodeTable.nodeSize(r.node))
      return makeError(what() + ": index " + str(r.index) + " of " + name() +
                       " out of range (size " +
                       str(nodeTable.nodeSize(r.node)) + ")");
    if (i > 0 && spikes[i - 1] == r)
      return makeError(what() + ": given twice");
    lists[nodeTable.sourceIndex(r.node)].push_back({r.step, r.index});
  }
  for (size_t s = 0; s < sources.size(); ++s) {
    if (sources[s].kind != chip::SourceKind::External)
      continue;
    listedSpikes[s] = std::move(lists[s]);
    listedCursor[s] = 0;
  }
  return Status::ok();
}

void GoldenModel::gatherPlaced(int32_t *slot) {
  int32_t *placed = slot + placedBegin;
  const uint32_t *to = placedCompartments.data();
  const size_t count = placedCompartments.size();
  for (size_t i = 0; i < count; ++i)
    slot[to[i]] = placed[i];
  std::memset(placed, 0, count * sizeof(int32_t));
}

void GoldenModel::updateCompartments() {
  const size_t base = size_t(stepIndex % ringSlots) * ringStride;
  if (!placedCompartments.empty())
    gatherPlaced(ring32Start() + base);
  const detail::UpdateArgs a{hot.u.data(),
                             hot.v.data(),
                             hot.refractoryLeft.data(),
                             hot.scaleU.data(),
                             hot.scaleV.data(),
                             hot.vmin.data(),
                             hot.vmax.data(),
                             hot.fireAbove.data(),
                             hot.keepOnSpike.data(),
                             hot.refractory.data(),
                             hot.bias32.data(),
                             hot.bias.data(),
                             hot.fired.data(),
                             ring32.empty()
                                 ? static_cast<void *>(ring64.data() + base)
                                 : static_cast<void *>(ring32Start() + base),
                             (int64_t(1) << format.accumulatorBits) - 1,
                             int64_t(1) << (format.currentBits - 1),
                             (int64_t(1) << format.currentBits) - 1,
                             format.decayBits,
                             32 - std::min(format.currentBits, 32u),
                             spikeBuffer.data()};
  const bool acc32 = !ring32.empty();
  uint64_t idle = 0, spikes = 0;
  for (const UpdateRun &r : updateRuns) {
    if (fused && r.lanes32 && acc32) {
      const detail::UpdateCounts c =
          fused->fn[r.countIdle][r.uniform](a, r.begin, r.end);
      spiking.insert(spiking.end(), spikeBuffer.begin(),
                     spikeBuffer.begin() + c.fired);
      spikes += c.fired;
      if (r.countIdle) {
        idlePerCore[r.core] += c.idle;
        idle += c.idle;
      }
      continue;
    }
    const detail::UpdateCounts c =
        kernels->fn[r.lanes32][acc32][r.countIdle][r.uniform](a, r.begin,
                                                              r.end);
    if (c.fired) {
      kernels->scan(hot.fired.data(), r.begin, r.end, spiking);
      spikes += c.fired;
    }
    if (r.countIdle) {
      idlePerCore[r.core] += c.idle;
      idle += c.idle;
    }
  }
  totals.activeUpdates += compartmentCount() - idle;
  totals.idleUpdates += idle;
  totals.compartmentSpikes += spikes;
}

void GoldenModel::emitSourceSpikes() {
  const uint32_t t = stepIndex;
  for (uint32_t s = 0; s < sources.size(); ++s) {
    const chip::Source &src = sources[s];
    switch (src.kind) {
    case chip::SourceKind::External:
    case chip::SourceKind::File: {
      const std::vector<chip::SourceSpike> &list = listedSpikes[s];
      size_t &k = listedCursor[s];
      while (k < list.size() && list[k].step < t)
        ++k; // External spikes given for steps already run
      for (; k < list.size() && list[k].step == t; ++k)
        sourceSpiking.push_back({s, list[k].index});
      break;
    }
    case chip::SourceKind::Poisson:
    case chip::SourceKind::Periodic:
      for (uint32_t i = 0; i < src.size; ++i)
        if (chip::sourceFires(src, t, i))
          sourceSpiking.push_back({s, i});
      break;
    }
  }
  totals.sourceSpikes += sourceSpiking.size();
}

inline void GoldenModel::queueSender(uint32_t k) {
  rowEvents.insert(rowEvents.end(), senderRows.begin() + senderRowBegin[k],
                   senderRows.begin() + senderRowBegin[k + 1]);
  totals.axonEvents += senderAxons[k];
  totals.synapticEvents += senderSynapses[k];
  ++senderSpikes[k];
}

void GoldenModel::deliverRows64() {
  int64_t *ring = ring64.data();
  const uint32_t ringSize = ringSlots * compartmentCount();
  const uint32_t base = (stepIndex % ringSlots) * compartmentCount();
  // Offsets at or past `split` wrap to the start of the ring.
  const uint32_t split = ringSize - base;
  const auto add = [](int64_t *acc, uint32_t less, const FlatSynapse *b,
                      const FlatSynapse *e) {
    for (; b != e; ++b)
      acc[b->offset - less] += b->weight;
  };
  for (const uint32_t r : rowEvents) {
    const FlatSynapse *b = synapses.data() + rowBegin[r];
    const FlatSynapse *e = synapses.data() + rowBegin[r + 1];
    const FlatSynapse *mid = e;
    if (b != e && e[-1].offset >= split)
      mid = std::partition_point(
          b, e, [split](const FlatSynapse &s) { return s.offset < split; });
    add(ring + base, 0, b, mid);
    add(ring, split, mid, e); // past the end: wraps to offset - split
  }
}

void GoldenModel::deliverSpikes() {
  rowEvents.clear();
  for (const uint32_t g : spiking)
    queueSender(g);
  const uint32_t n = compartmentCount();
  for (const SourceSpikeEvent &e : sourceSpiking)
    queueSender(n + channelBase[e.source] + e.index);
  if (ring32.empty()) {
    deliverRows64();
    return;
  }
  const uint32_t ringSize = ringSlots * ringStride;
  const uint32_t base = (stepIndex % ringSlots) * ringStride;
  const detail::DeliveryArgs a{
      rowParts.data(),        wideOffset.data(),   wideWeights.data(),
      wideWeightIndex.data(), narrowOffset.data(), narrowWeights.data(),
      synapses.data(),        ring32Start(),       base,
      ringSize - base};
  kernels->deliver32(a, rowEvents.data(), rowEvents.size());
}

void GoldenModel::step() {
  spiking.clear();
  sourceSpiking.clear();
  updateCompartments();
  emitSourceSpikes();
  deliverSpikes();
  ++stepIndex;
  ++totals.steps;
}

const std::vector<CoreCounters> &GoldenModel::coreCounters() const {
  const uint32_t cores = uint32_t(compBegin.size() - 1);
  perCore.assign(cores, CoreCounters());
  for (uint32_t c = 0; c < cores; ++c) {
    CoreCounters &cc = perCore[c];
    for (uint32_t g = compBegin[c]; g < compBegin[c + 1]; ++g)
      cc.compartmentSpikes += senderSpikes[g];
    cc.idleUpdates = idlePerCore[c];
    cc.activeUpdates = uint64_t(stepIndex) * (compBegin[c + 1] - compBegin[c]) -
                       cc.idleUpdates;
  }
  auto arrive = [&](uint64_t spikes, uint32_t axon) {
    CoreCounters &cc = perCore[axonCore[axon]];
    cc.axonEventsIn += spikes;
    cc.synapticEvents += spikes * axonSynapseCount[axon];
  };
  const uint32_t n = compartmentCount();
  for (uint32_t g = 0; g < n; ++g)
    if (senderSpikes[g])
      for (uint32_t o = outBegin[g]; o < outBegin[g + 1]; ++o)
        arrive(senderSpikes[g], outTargets[o]);
  for (uint32_t ch = 0; ch + 1 < channelTargetBegin.size(); ++ch)
    if (senderSpikes[n + ch])
      for (uint32_t k = channelTargetBegin[ch]; k < channelTargetBegin[ch + 1];
           ++k)
        arrive(senderSpikes[n + ch], channelTargets[k]);
  return perCore;
}

void GoldenModel::lastSpikes(std::vector<NeuronSpike> &out) const {
  out.clear();
  for (const uint32_t g : spiking)
    if (compPopulation[g] != none)
      out.push_back({compPopulation[g], compNeuron[g]});
  const auto before = [](const NeuronSpike &a, const NeuronSpike &b) {
    return a.population != b.population ? a.population < b.population
                                        : a.neuron < b.neuron;
  };
  // Compilers lay populations out in order: usually nothing to sort.
  if (std::is_sorted(out.begin(), out.end(), before))
    return;
  // Else bucket by population (a counting sort, stable: neurons keep their
  // compartment order, which is usually theirs), then sort what is not.
  const size_t populations = populationFlags.size();
  std::vector<uint32_t> &start = populationScratch;
  start.assign(populations + 1, 0);
  for (const NeuronSpike &s : out)
    ++start[s.population + 1];
  for (size_t p = 0; p < populations; ++p)
    start[p + 1] += start[p];
  spikeScratch.resize(out.size());
  for (const NeuronSpike &s : out)
    spikeScratch[start[s.population]++] = s;
  out.swap(spikeScratch);
  for (auto b = out.begin(); b != out.end();) {
    auto e = std::find_if(b, out.end(), [p = b->population](const auto &s) {
      return s.population != p;
    });
    // One population: the neuron index alone orders them.
    const auto byNeuron = [](const NeuronSpike &x, const NeuronSpike &y) {
      return x.neuron < y.neuron;
    };
    if (!std::is_sorted(b, e, byNeuron))
      std::sort(b, e, byNeuron);
    b = e;
  }
}

} // namespace cajal::golden
