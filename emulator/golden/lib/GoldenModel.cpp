//===- GoldenModel.cpp - The integer-exact reference model ---------------===//
//
// A step t has two phases (GoldenLoad.cpp, Loader.cpp and RowBuilder.cpp build
// the arrays).
//
// Update: every compartment takes q from its accumulator slot t % S of a
// ring of S = (largest delay in the image) slots and is advanced exactly
// as chip::updateCompartment does, by a branch-free loop over
// structure-of-arrays state and per-compartment constants
// (UpdateKernels.cpp, UpdateAvx512.cpp, UpdateAvx2.cpp), run over a few
// long runs of compartments in 32- or 64-bit lanes; the hand-written loops
// list the spiking compartments themselves, the others write flags that are
// scanned only in runs that had a spike. A compartment whose state, bias and q
// are all zero would stay unchanged and silent (u = 0, v = clip(0) = 0 <= vth):
// it is counted as idle (only in cores that have a zero-bias compartment at
// all) but computed anyway.
//
// Deliver: each spike of step t (compartments, then host sources) names its
// sender's synapse rows; each row adds its weights into slot (t + delay) %
// S. A row is sorted by offset = delay * N + target, so the entries that
// wrap past the end of the ring are a contiguous tail: the row is two
// plain runs of indexed adds. Delays are 1..S; delay S lands in the slot
// the update of step t has just consumed (and zeroed). Additions are exact
// (int64, or int32 where the loader proved no sum reaches 2^31), so delivery
// order cannot change a result. With int32 accumulators a row's nearby synapses
// are windows, one vector add each, and rows of upcoming spikes are prefetched:
// in large images they come from DRAM (DeliveryKernels.h). Compartments are
// updated in update order (position[], RowBuilder.cpp), which re-orders some
// populations channels-last; spikes are mapped back to global indices.
//
//===----------------------------------------------------------------------===//
#include "UpdateKernels.h"
#include "WorkerPool.h"

#include "cajal/Chip/Source.h"
#include "cajal/Golden/GoldenModel.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <limits>
#include <string>

namespace cajal::golden {

SpikeExchange::~SpikeExchange() = default;

namespace {
constexpr uint32_t none = std::numeric_limits<uint32_t>::max();
std::string str(uint64_t v) { return std::to_string(v); }
} // namespace

Status
GoldenModel::setExternalSpikes(std::vector<spikeio::SpikeRecord> spikes) {
  if (!std::is_sorted(spikes.begin(), spikes.end())) // as the files give them
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

template <typename T> T *GoldenModel::ringOf(uint32_t t) {
  if constexpr (sizeof(T) == 2)
    return t == 0 ? ring16Start() : cacheLineStart(extraRings16[t - 1]);
  else if constexpr (sizeof(T) == 4)
    return t == 0 ? ring32Start() : cacheLineStart(extraRings32[t - 1]);
  else
    return t == 0 ? ring64.data() : extraRings64[t - 1].data();
}

uint32_t *GoldenModel::updateRunRange(size_t first, size_t last,
                                      uint32_t *spikes, uint64_t *idleOut,
                                      uint64_t &idle) {
  const size_t base = size_t(stepIndex % ringSlots) * ringStride;
  detail::UpdateArgs a{
      hot.u.data(),
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
      idlePerPosition.data(),
      !ring16.empty()   ? static_cast<void *>(ring16Start() + base)
      : !ring32.empty() ? static_cast<void *>(ring32Start() + base)
                        : static_cast<void *>(ring64.data() + base),
      accShift,
      (int64_t(1) << format.accumulatorBits) - 1,
      int64_t(1) << (format.currentBits - 1),
      (int64_t(1) << format.currentBits) - 1,
      format.decayBits,
      32 - std::min(format.currentBits, 32u),
      nullptr,
      rareSpikes};
  const detail::AccumulatorKind acc = !ring16.empty()   ? detail::Acc16
                                      : !ring32.empty() ? detail::Acc32
                                                        : detail::Acc64;
  const bool acc16 = acc == detail::Acc16;
  for (size_t k = first; k < last; ++k) {
    const UpdateRun &r = updateRuns[k];
    detail::UpdateCounts c;
    if (fused && r.lanes32 && acc != detail::Acc64) {
      a.spikeOut = spikes;
      c = (r.uniform ? fused->uniform[acc16][r.idle][r.folded]
                     : fused->varied[acc16][r.idle])(a, r.begin, r.end);
      spikes += c.fired;
    } else {
      c = kernels->fn[r.lanes32][acc][r.idle][r.uniform](a, r.begin, r.end);
      if (c.fired)
        spikes = kernels->scan(hot.fired.data(), r.begin, r.end, spikes);
    }
    if (r.idle == detail::IdlePerRun)
      idleOut[r.core] += c.idle;
    idle += c.idle;
  }
  return spikes;
}

void GoldenModel::updateCompartments() {
  uint64_t idle = 0;
  uint32_t *spikes = spikingPositions.data();
  if (threadRings == 1) {
    spikes =
        updateRunRange(0, updateRuns.size(), spikes, idlePerCore.data(), idle);
  } else {
    // Thread t updates its stretch of runs, listing its spikes apart; they
    // are appended in thread order, which is position order.
    std::vector<uint64_t> &idleOf = threadIdleCount;
    std::vector<uint32_t> &spikesOf = threadSpikeCount;
    std::fill(idleOf.begin(), idleOf.end(), 0);
    pool->run([&](unsigned t) {
      uint32_t *out = t == 0 ? spikingPositions.data() : threadSpikes[t].data();
      uint64_t *idleOut = t == 0 ? idlePerCore.data() : threadIdle[t].data();
      spikesOf[t] = uint32_t(updateRunRange(runSplit[t], runSplit[t + 1], out,
                                            idleOut, idleOf[t]) -
                             out);
    });
    spikes += spikesOf[0];
    for (uint32_t t = 1; t < threadRings; ++t) {
      std::copy_n(threadSpikes[t].data(), spikesOf[t], spikes);
      spikes += spikesOf[t];
    }
    for (uint64_t i : idleOf)
      idle += i;
  }
  if (!programGroups.empty() || trees.size() > 0) {
    uint32_t *first = spikes;
    idle += updatePrograms(spikes);
    // The runs list their spikes in position order; the groups' follow
    // (in order already when one group follows no run: checked, not
    // assumed).
    if (spikes != first && !std::is_sorted(spikingPositions.data(), spikes))
      std::sort(spikingPositions.data(), spikes);
  }
  spikeCount = uint32_t(spikes - spikingPositions.data());
  totals.activeUpdates += ownedCompartments - idle;
  totals.idleUpdates += idle;
}

void GoldenModel::exchangeSpikes() {
  exchanged.resize(spikeCount);
  for (uint32_t k = 0; k < spikeCount; ++k)
    exchanged[k] = atPosition[spikingPositions[k]];
  spikeExchange->exchange(exchanged);
  // SpikeExchange's contract: each compartment at most once.
  assert(exchanged.size() <= compartmentCount());
  // In position order, as the update lists them (lastSpikes relies on it).
  for (size_t k = 0; k < exchanged.size(); ++k)
    spikingPositions[k] = position[exchanged[k]];
  spikeCount = uint32_t(exchanged.size());
  std::sort(spikingPositions.begin(), spikingPositions.begin() + spikeCount);
}

void GoldenModel::gatherRings() {
  const size_t base = size_t(stepIndex % ringSlots) * ringStride;
  const auto gather = [&](auto accumulator) {
    using Acc = decltype(accumulator);
    // Thread t adds up its share of the slot from every other ring.
    pool->run([&](unsigned t) {
      const size_t from = base + size_t(ringStride) * t / threadRings;
      const size_t to = base + size_t(ringStride) * (t + 1) / threadRings;
      Acc *sum = ringOf<Acc>(0);
      for (uint32_t k = 1; k < threadRings; ++k) {
        Acc *other = ringOf<Acc>(k);
        for (size_t i = from; i < to; ++i) {
          sum[i] = Acc(sum[i] + other[i]);
          other[i] = 0;
        }
      }
    });
  };
  if (!ring16.empty())
    gather(int16_t{});
  else if (!ring32.empty())
    gather(int32_t{});
  else
    gather(int64_t{});
}

uint32_t GoldenModel::updatePrograms(uint32_t *&spikes) {
  const size_t base = size_t(stepIndex % ringSlots) * ringStride;
  uint32_t idle = 0;
  const auto stepAll = [&](auto &compartments) {
    if (!ring16.empty())
      return compartments.step(ring16Start() + base, accShift, spikes,
                               idlePerCore.data());
    if (!ring32.empty())
      return compartments.step(ring32Start() + base, 0, spikes,
                               idlePerCore.data());
    return compartments.step(ring64.data() + base, 0, spikes,
                             idlePerCore.data());
  };
  for (detail::ProgramGroup &group : programGroups)
    idle += stepAll(group);
  if (trees.size() > 0)
    idle += stepAll(trees);
  return idle;
}

chip::CompartmentState GoldenModel::programState(uint32_t i) const {
  if (!treeAt.empty() && treeAt[i] != kNoGroup) {
    const std::vector<int32_t> &w = trees.stateWords(treeAt[i]);
    const chip::Program &p = trees.program(treeAt[i]);
    chip::CompartmentState s;
    s.u = w.size() > 0 ? w[0] : 0;
    s.v = w.size() > 1 ? w[1] : 0;
    if (p.refractoryWord >= 0)
      s.refractoryLeft = uint8_t(w[size_t(p.refractoryWord)]);
    return s;
  }
  const detail::ProgramGroup &group = programGroups[programGroupAt[i]];
  const uint32_t lane = programLaneAt[i];
  const chip::Program &p = group.program();
  chip::CompartmentState s;
  s.u = p.state.size() > 0 ? group.stateWord(0, lane) : 0;
  s.v = p.state.size() > 1 ? group.stateWord(1, lane) : 0;
  if (p.refractoryWord >= 0)
    s.refractoryLeft =
        uint8_t(group.stateWord(uint32_t(p.refractoryWord), lane));
  return s;
}

std::vector<int32_t> GoldenModel::compartmentStateWords(uint32_t global) const {
  const uint32_t i = position[global];
  if (!treeAt.empty() && treeAt[i] != kNoGroup)
    return trees.stateWords(treeAt[i]);
  if (!programGroupAt.empty() && programGroupAt[i] != kNoGroup) {
    const detail::ProgramGroup &group = programGroups[programGroupAt[i]];
    std::vector<int32_t> words;
    for (uint32_t w = 0; w < group.program().state.size(); ++w)
      words.push_back(group.stateWord(w, programLaneAt[i]));
    return words;
  }
  return {hot.u[i], hot.v[i], hot.refractoryLeft[i]};
}

const std::vector<uint32_t> &GoldenModel::lastSpikingCompartments() const {
  const uint32_t *positions = spikingPositions.data();
  spikingGlobal.assign(positions, positions + spikeCount);
  if (reordered) {
    for (uint32_t &g : spikingGlobal)
      g = atPosition[g];
    std::sort(spikingGlobal.begin(), spikingGlobal.end());
  }
  return spikingGlobal;
}

void GoldenModel::emitSourceSpikes() {
  const uint32_t t = stepIndex;
  size_t repeatedRows = 0;
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
    case chip::SourceKind::Poisson: {
      firingChannels.resize(src.size);
      const size_t firing = kernels->poissonFiring(
          src.seed, src.probability, t, 0, src.size, firingChannels.data());
      for (size_t k = 0; k < firing; ++k)
        sourceSpiking.push_back({s, firingChannels[k]});
      break;
    }
    case chip::SourceKind::Periodic:
      for (uint32_t i = 0; i < src.size; ++i)
        if (chip::sourceSpikeCount(src, t, i))
          sourceSpiking.push_back({s, i});
      break;
    case chip::SourceKind::PoissonGroup:
      repeatedRows += drawPoissonGroup(s);
      break;
    }
  }
  totals.sourceSpikes += sourceSpiking.size();
  // rowEvents holds every sender's rows once; a Poisson group channel that
  // sends several spikes in a step queues its rows once per spike.
  if (senderRows.size() + repeatedRows > rowEvents.size())
    rowEvents.resize(senderRows.size() + repeatedRows);
}

size_t
GoldenModel::drawChannels(uint32_t s, uint32_t from, uint32_t to,
                          std::vector<emulator::SourceSpikeEvent> &out) const {
  // chip::poissonGroupCount for a block of channels at a time, without its
  // unpredictable loop exit: every channel takes its first uniform, then
  // each round advances only the channels still drawing (a list compacted
  // without branches), and the counts are written out 4 spikes at a time
  // (a count above 4, rare at the means of a background, loops).
  const chip::Source &src = sources[s];
  const uint64_t threshold = src.probability;
  const uint32_t firstSender = compartmentCount() + channelBase[s];
  constexpr uint32_t block = 64, written = 4;
  uint64_t h[block], p[block];
  uint32_t count[block], drawing[block];
  size_t repeatedRows = 0;
  for (uint32_t base = from; base < to; base += block) {
    const uint32_t n = std::min(block, to - base);
    uint32_t left = 0;
    for (uint32_t i = 0; i < n; ++i) {
      h[i] = chip::channelHash(src.seed, stepIndex, base + i);
      p[i] = h[i] >> 32;
      count[i] = 0;
      drawing[left] = i;
      left += p[i] > threshold;
    }
    while (left > 0) {
      uint32_t still = 0;
      for (uint32_t k = 0; k < left; ++k) {
        const uint32_t i = drawing[k];
        ++count[i];
        p[i] = chip::poissonGroupProduct(h[i], p[i]);
        drawing[still] = i;
        still += (p[i] > threshold) & (count[i] < chip::kPoissonGroupMaxCount);
      }
      left = still;
    }
    size_t total = 0;
    for (uint32_t i = 0; i < n; ++i)
      total += count[i];
    const size_t at = out.size();
    out.resize(at + total + written);
    emulator::SourceSpikeEvent *o = out.data() + at;
    for (uint32_t i = 0; i < n; ++i) {
      const emulator::SourceSpikeEvent e{s, base + i};
      for (uint32_t k = 0; k < written; ++k)
        o[k] = e;
      for (uint32_t k = written; k < count[i]; ++k)
        o[k] = e;
      o += count[i];
      if (count[i] > 1) {
        const uint32_t sender = firstSender + base + i;
        repeatedRows += size_t(count[i] - 1) *
                        (senderRowBegin[sender + 1] - senderRowBegin[sender]);
      }
    }
    out.resize(at + total);
  }
  return repeatedRows;
}

size_t GoldenModel::drawPoissonGroup(uint32_t s) {
  // The draws are the step's most costly source work (tens of ns per
  // channel): with threads, thread t draws its stretch of channels and the
  // stretches are appended in order, so the spikes are the same.
  const uint32_t size = sources[s].size;
  constexpr uint32_t channelsWorthAThread = 1024;
  if (threadRings == 1 || size < channelsWorthAThread)
    return drawChannels(s, 0, size, sourceSpiking);
  threadDraws.resize(threadRings);
  threadRepeatedRows.resize(threadRings);
  pool->run([&](unsigned t) {
    threadDraws[t].clear();
    threadRepeatedRows[t] = drawChannels(
        s, uint32_t(uint64_t(size) * t / threadRings),
        uint32_t(uint64_t(size) * (t + 1) / threadRings), threadDraws[t]);
  });
  size_t repeatedRows = 0;
  for (uint32_t t = 0; t < threadRings; ++t) {
    sourceSpiking.insert(sourceSpiking.end(), threadDraws[t].begin(),
                         threadDraws[t].end());
    repeatedRows += threadRepeatedRows[t];
  }
  return repeatedRows;
}

size_t GoldenModel::queueSpikes() {
  // Raw pointers: the stores into rowEvents might alias the vectors'
  // contents and ends, which GCC would reload per row otherwise. A plain
  // copy: most senders have one or two rows. The axon and synaptic event
  // counts are derived from the per-sender spike counts (counters()).
  const uint32_t *rowStart = senderRowBegin.data(), *rows = senderRows.data();
  uint64_t *spikesOf = senderSpikes.data();
  uint32_t *events = rowEvents.data();
  const auto queue = [&](uint32_t k) {
    const uint32_t b = rowStart[k], e = rowStart[k + 1];
    for (uint32_t i = b; i < e; ++i)
      *events++ = rows[i];
    ++spikesOf[k];
  };
  const uint32_t *positions = spikingPositions.data();
  for (uint32_t k = 0, count = spikeCount; k < count; ++k)
    queue(positions[k]);
  const uint32_t n = compartmentCount();
  for (const emulator::SourceSpikeEvent &e : sourceSpiking)
    queue(n + channelBase[e.source] + e.index);
  return size_t(events - rowEvents.data());
}

const emulator::Counters &GoldenModel::counters() const {
  uint64_t axonEvents = 0, synapticEvents = 0;
  for (size_t k = 0; k < senderSpikes.size(); ++k) {
    axonEvents += senderSpikes[k] * senderAxons[k];
    synapticEvents += senderSpikes[k] * senderSynapses[k];
  }
  totals.axonEvents = axonEvents;
  totals.synapticEvents = synapticEvents;
  return totals;
}

void GoldenModel::deliverRows64(const uint32_t *events, size_t count,
                                int64_t *ring) {
  const uint32_t ringSize = ringSlots * compartmentCount();
  const uint32_t base = (stepIndex % ringSlots) * compartmentCount();
  // Offsets at or past `split` wrap to the start of the ring.
  const uint32_t split = ringSize - base;
  const auto add = [](int64_t *acc, uint32_t less, const FlatSynapse *b,
                      const FlatSynapse *e) {
    for (; b != e; ++b)
      acc[b->offset - less] += b->weight;
  };
  for (size_t k = 0; k < count; ++k) {
    const uint32_t r = events[k];
    const FlatSynapse *b = flatSynapses.data() + rowBegin[r];
    const FlatSynapse *e = flatSynapses.data() + rowBegin[r + 1];
    const FlatSynapse *mid = e;
    if (b != e && e[-1].offset >= split)
      mid = std::partition_point(
          b, e, [split](const FlatSynapse &s) { return s.offset < split; });
    add(ring + base, 0, b, mid);
    add(ring, split, mid, e); // past the end: wraps to offset - split
  }
}

template <typename Acc>
void GoldenModel::deliverParts(const uint32_t *events, size_t count, Acc *ring,
                               const detail::WideLanes<Acc> *wide,
                               const detail::NarrowLanes<Acc> *narrow) {
  const uint32_t ringSize = ringSlots * ringStride;
  const uint32_t base = (stepIndex % ringSlots) * ringStride;
  const detail::DeliveryArgs<Acc> a{rowParts.data(),
                                    wideOffset.data(),
                                    wide,
                                    wideWeightIndex.data(),
                                    narrowOffset.data(),
                                    narrow,
                                    flatSynapses.data(),
                                    ring,
                                    base,
                                    ringSize - base};
  if constexpr (sizeof(Acc) == 2)
    kernels->deliver16(a, events, count);
  else
    kernels->deliver32(a, events, count);
}

void GoldenModel::deliverSpikes() {
  // Each sender spikes at most once per step, a Poisson group channel
  // excepted (emitSourceSpikes): rowEvents has room for all their rows.
  const size_t queued = queueSpikes();
  // Thread t delivers its share of the rows into ring t.
  const auto deliver = [&](uint32_t t) {
    const size_t from = queued * t / threadRings;
    const size_t to = queued * (t + 1) / threadRings;
    const uint32_t *events = rowEvents.data() + from;
    if (!ring16.empty())
      deliverParts(events, to - from, ringOf<int16_t>(t), wideWeights16.data(),
                   narrowWeights16.data());
    else if (!ring32.empty())
      deliverParts(events, to - from, ringOf<int32_t>(t), wideWeights.data(),
                   narrowWeights.data());
    else
      deliverRows64(events, to - from, ringOf<int64_t>(t));
  };
  if (threadRings == 1)
    deliver(0);
  else
    pool->run([&](unsigned t) { deliver(t); });
}

uint32_t GoldenModel::clipFreeCompartments() const {
  uint32_t count = 0;
  for (const UpdateRun &r : updateRuns)
    if (r.uniform && (r.folded & detail::foldedInRange))
      count += r.end - r.begin;
  return count;
}

void GoldenModel::step() {
  // Fewer than one compartment in 256 spiked in the last step: the fused
  // update loops branch past vectors without a spike.
  rareSpikes = uint64_t(spikeCount) * 256 < compartmentCount();
  spikeCount = 0;
  sourceSpiking.clear();
  if (threadRings > 1)
    gatherRings();
  if (!rewardRing.empty())
    takeRewards();
  updateCompartments();
  if (spikeExchange)
    exchangeSpikes();
  totals.compartmentSpikes += spikeCount;
  emitSourceSpikes();
  deliverSpikes();
  if (learningSetting.enabled()) {
    deliverSideGroups();
    learn();
  }
  ++stepIndex;
  ++totals.steps;
}

uint32_t GoldenModel::coreOfAxon(uint32_t axon, uint32_t hint) const {
  if (axon >= axonBegin[hint] && axon < axonBegin[hint + 1])
    return hint;
  // The last core whose first axon is at or before `axon` (and that has
  // any: cores without input axons share their begin with the next).
  return uint32_t(std::upper_bound(axonBegin.begin(), axonBegin.end(), axon) -
                  axonBegin.begin() - 1);
}

const std::vector<emulator::CoreCounters> &GoldenModel::coreCounters() const {
  const uint32_t cores = uint32_t(compBegin.size() - 1);
  perCore.assign(cores, emulator::CoreCounters());
  for (uint32_t c = 0; c < cores; ++c) {
    emulator::CoreCounters &cc = perCore[c];
    for (uint32_t g = compBegin[c]; g < compBegin[c + 1]; ++g)
      cc.compartmentSpikes += senderSpikes[position[g]];
    cc.idleUpdates = idlePerCore[c];
    for (uint32_t t = 1; t < threadRings; ++t)
      cc.idleUpdates += threadIdle[t][c];
    if (!idlePerPosition.empty())
      for (uint32_t g = compBegin[c]; g < compBegin[c + 1]; ++g)
        cc.idleUpdates += idlePerPosition[position[g]];
    if (ownsCore(c))
      cc.activeUpdates =
          uint64_t(stepIndex) * (compBegin[c + 1] - compBegin[c]) -
          cc.idleUpdates;
  }
  uint32_t core = 0;
  auto arrive = [&](uint64_t spikes, uint32_t axon) {
    core = coreOfAxon(axon, core);
    emulator::CoreCounters &cc = perCore[core];
    cc.axonEventsIn += spikes;
    cc.synapticEvents += spikes * axonSynapseCount[axon];
  };
  const uint32_t n = compartmentCount();
  for (uint32_t g = 0; g < n; ++g)
    if (const uint64_t spikes = senderSpikes[position[g]])
      for (uint32_t o = outBegin[g]; o < outBegin[g + 1]; ++o)
        arrive(spikes, outTargets[o]);
  for (uint32_t ch = 0; ch + 1 < channelTargetBegin.size(); ++ch)
    if (senderSpikes[n + ch])
      for (uint32_t k = channelTargetBegin[ch]; k < channelTargetBegin[ch + 1];
           ++k)
        arrive(senderSpikes[n + ch], channelTargets[k]);
  return perCore;
}

void GoldenModel::lastSpikes(std::vector<emulator::NeuronSpike> &out) const {
  // Raw pointers and locals below: through the vectors and members GCC
  // reloads them after every store (the stores might alias them).
  const uint32_t count = spikeCount;
  std::vector<uint32_t> &flat = flatScratch;
  flat.resize(count + 8); // the word decoding below writes 8 ahead
  uint32_t *f = flat.data();
  size_t listed = 0;
  const uint32_t *positions = spikingPositions.data();
  const uint32_t *flatNeuron = flatNeuronAt.data();
  if (spikesInFlatOrder) {
    for (uint32_t i = 0; i < count; ++i)
      if (const uint32_t k = flatNeuron[positions[i]]; k != none)
        f[listed++] = k;
  } else {
    // A bit per flat neuron and a bit per non-zero word of those, read back
    // in order: O(spikes + neurons / 4096) where a sort costs O(s log s).
    uint64_t *bits = flatBits.data(), *summary = flatSummary.data();
    for (uint32_t i = 0; i < count; ++i)
      if (const uint32_t k = flatNeuron[positions[i]]; k != none) {
        bits[k / 64] |= uint64_t(1) << (k % 64);
        summary[k / 4096] |= uint64_t(1) << (k / 64 % 64);
      }
    const size_t summaryWords = flatSummary.size();
    for (size_t j = 0; j < summaryWords; ++j) {
      for (uint64_t s = summary[j]; s != 0; s &= s - 1) {
        const uint32_t w = uint32_t(j * 64 + __builtin_ctzll(s));
        uint64_t word = bits[w];
        bits[w] = 0;
        // Eight bits without a branch (a word seldom has more), the rest in
        // a loop: a branch per bit would mispredict per word. (No popcount:
        // without -mpopcnt it is a library call.)
        for (uint32_t b = 0; b < 8; ++b) {
          f[listed] =
              w * 64 + uint32_t(__builtin_ctzll(word | (uint64_t(1) << 63)));
          listed += word != 0;
          word &= word - 1;
        }
        for (; word != 0; word &= word - 1)
          f[listed++] = w * 64 + uint32_t(__builtin_ctzll(word));
      }
      summary[j] = 0;
    }
  }
  out.resize(listed);
  emulator::NeuronSpike *o = out.data();
  const uint32_t *base = populationBase.data();
  uint32_t p = 0;
  for (size_t i = 0; i < listed; ++i) {
    while (f[i] >= base[p + 1])
      ++p;
    o[i] = {p, f[i] - base[p]};
  }
}

} // namespace cajal::golden
