//===- RowBuilder.cpp - Synapse rows and delivery windows -----------------===//
//
// GoldenModel::RowBuilder regroups the synapses by sender (compartment or
// source channel), the layout Brian2 uses: an input axon reached by one
// sender only is merged into that sender's private row, an axon shared by
// several senders stays a row of its own. Each group is unpacked once
// (chip::forEachSynapse) straight into its place, with the effective weight
// (chip::synapticWeight) and offset = delay * N + target; each row is then
// sorted by offset, so that delivery walks every accumulator slot upwards
// and the ring wrap splits a row into at most two contiguous runs. A
// compartment's input per step is bounded by the sum of |weight| x senders
// over the synapses that reach it; when every bound is below 2^31 the
// accumulators are int32. Then each row is split into parts of one delay
// (a part wraps whole), and the synapses of a part that lie close together
// (targets within 16 or 4 adjacent accumulators) become windows, one
// vector add each at delivery; the rest stay single. Windows with equal
// weights share one copy.
//
// Compartments need not be updated in global order. A convolution stored
// channels-first (as NIR and the importer number it) gives runs of 2-3
// adjacent targets per kernel row; stored channels-last, runs of 3 x the
// output channels, whole wide windows. So before the windows are built,
// placeAccumulators tries, per population of size S, every channels-last
// order (neuron j at (j % P) * (S / P) + j / P for each divisor P of S) on
// a sample of rows, and re-orders the population's compartments (state,
// constants, accumulators) in the order with the fewest runs of adjacent
// targets when that halves them. Re-ordered populations take the first
// positions (Loader::orderCompartments lays the constants out in that
// order). The other compartments follow in global order, except that each
// run of like dendritic trees (Loader::likeTrees) lies position by
// position, as the fused tree loop reads it (TreeKernels.h).
//
//===----------------------------------------------------------------------===//
#include "GoldenLoad.h"
#include "HugePages.h"
#include "cajal/Chip/ParallelFor.h"
#include "cajal/Chip/Source.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <malloc.h>
#include <numeric>
#include <string>

namespace cajal::golden {

namespace {
constexpr uint32_t none = std::numeric_limits<uint32_t>::max();
constexpr int64_t int32Max = std::numeric_limits<int32_t>::max();
constexpr int64_t int32Min = std::numeric_limits<int32_t>::min();
/// Delivery windows (see buildWindows): a 16-lane add costs about two
/// 4-lane ones (AVX-512 on 256-bit datapaths, or two AVX2 adds), so a wide
/// window is taken when it holds at least 8 synapses, a narrow one when it
/// holds 2 (on AMD Zen 4 gathers and scatters are microcoded: windows
/// are the vectorised delivery that pays off).
using detail::narrowLanes;
using detail::wideLanes;
constexpr uint32_t wideMinSynapses = 8, narrowMinSynapses = 2;
std::string str(uint64_t v) { return std::to_string(v); }

/// a / d and a % d for 32-bit a by multiplications with a 64-bit reciprocal
/// (Lemire, Kaser and Kurz 2019, exact for every 32-bit a and d >= 2; the
/// reciprocal of 1 wraps to 0): a synapse's offset is delay x N +
/// compartment, split per synapse (10^8 of them at scale) where a division
/// would cost 20-40 cycles each.
class DivideBy {
public:
  explicit DivideBy(uint32_t divisor)
      : d(divisor), reciprocal(~uint64_t(0) / divisor + 1) {}
  uint32_t quotient(uint32_t a) const {
    return d == 1 ? a : uint32_t((unsigned __int128)reciprocal * a >> 64);
  }
  uint32_t remainder(uint32_t a) const {
    return uint32_t((unsigned __int128)(reciprocal * a) * d >> 64);
  }

private:
  uint32_t d;
  uint64_t reciprocal;
};
} // namespace

void GoldenModel::RowBuilder::countSenderAxons() {
  senderCount =
      m.compartmentCount() + uint32_t(m.channelTargetBegin.size() - 1);
  m.senderAxons.assign(senderCount, 0);
  m.senderSynapses.assign(senderCount, 0);
  m.senderSpikes.assign(senderCount, 0);
  const uint32_t n = m.compartmentCount();
  for (uint32_t k = 0; k + 1 < m.outBegin.size(); ++k)
    m.senderAxons[k] = m.outBegin[k + 1] - m.outBegin[k];
  for (uint32_t ch = 0; ch + 1 < m.channelTargetBegin.size(); ++ch)
    m.senderAxons[n + ch] =
        m.channelTargetBegin[ch + 1] - m.channelTargetBegin[ch];
}

uint32_t GoldenModel::RowBuilder::mostSpikesPerStep(uint32_t k) const {
  const uint32_t n = m.compartmentCount();
  if (k < n)
    return 1;
  const size_t s = size_t(
      std::upper_bound(m.channelBase.begin(), m.channelBase.end(), k - n) -
      m.channelBase.begin() - 1);
  return m.sources[s].kind == chip::SourceKind::PoissonGroup
             ? chip::kPoissonGroupMaxCount
             : 1;
}

void GoldenModel::RowBuilder::countSenders() {
  countSenderAxons();
  detail::assignHuge(axonRecords, m.axonSynapseCount.size(), AxonRecord());
  // The event counters count every axon; the rows hold the delivered ones
  // (those of the cores this model updates, ModelOptions::parts), and not
  // the learning and reward groups, which are delivered apart
  // (GoldenLearning.cpp). Only delivered senders are counted in the
  // records, so the passes below need not look at the axon's core again.
  const auto countSender = [&](uint32_t k, uint32_t a) {
    AxonRecord &r = axonRecords[a];
    ++r.senders;
    r.slot = k;
  };
  const auto prefetch = [&](uint32_t a) {
    __builtin_prefetch(&axonRecords[a], 1);
  };
  if (m.coreOwned.empty() && m.sideOf.empty()) {
    // Every axon is delivered: nothing but the record's update in the
    // loop, so that many of its cache misses are in flight at once.
    forEachSenderAxon(countSender, prefetch);
    return;
  }
  const bool ownsAll = m.coreOwned.empty();
  uint32_t core = 0;
  forEachSenderAxon(
      [&](uint32_t k, uint32_t a) {
        if (!ownsAll)
          core = m.coreOfAxon(a, core);
        if ((ownsAll || m.coreOwned[core]) &&
            (m.sideOf.empty() || m.sideOf[a] == none))
          countSender(k, a);
      },
      prefetch);
}

bool GoldenModel::RowBuilder::layoutPrivateRows(uint64_t synapseTotal) {
  // The starts are written over the counts, marked by `visited`, so every
  // count and the total must stay below it.
  constexpr uint32_t visited = uint32_t(1) << 31;
  if (!m.coreOwned.empty() || !m.sideOf.empty() || synapseTotal >= visited)
    return false;
  uint32_t *const count = m.axonSynapseCount.data();
  const size_t axons = m.axonSynapseCount.size();
  countSenderAxons();
  // In sender order, an axon's group starts where the previous sender
  // axon's group ends: each axon is read and written once, at random. A
  // second visit means a shared axon (or a sender reaching an axon twice):
  // the counts are restored and the general layout takes over.
  const uint32_t n = m.compartmentCount();
  uint32_t cursor = 0;
  uint64_t visits = 0;
  bool shared = false;
  const auto visit = [&](uint32_t firstSender,
                         const std::vector<uint32_t> &begin,
                         const std::vector<uint32_t> &targets) {
    if (shared || begin.empty())
      return;
    const uint32_t end = begin.back();
    uint32_t o = begin[0];
    for (uint32_t k = 0; k + 1 < begin.size(); ++k) {
      uint64_t synapses = 0;
      for (; o < begin[k + 1]; ++o) {
        if (o + prefetchDistance < end)
          __builtin_prefetch(count + targets[o + prefetchDistance], 1);
        const uint32_t a = targets[o];
        const uint32_t w = count[a];
        if (w & visited) {
          shared = true;
          return;
        }
        count[a] = visited | cursor;
        cursor += w;
        synapses += w;
        ++visits;
      }
      m.senderSynapses[firstSender + k] = synapses;
    }
  };
  visit(0, m.outBegin, m.outTargets);
  visit(n, m.channelTargetBegin, m.channelTargets);
  if (shared) {
    restoreCounts(visits, cursor);
    return false;
  }
  m.rowBegin.resize(size_t(senderCount) + 1);
  m.senderRowBegin.resize(size_t(senderCount) + 1);
  m.rowBegin[0] = m.senderRowBegin[0] = 0;
  m.senderRows.clear();
  for (uint32_t k = 0; k < senderCount; ++k) {
    m.rowBegin[k + 1] = m.rowBegin[k] + uint32_t(m.senderSynapses[k]);
    if (m.senderSynapses[k] > 0)
      m.senderRows.push_back(k);
    m.senderRowBegin[k + 1] = uint32_t(m.senderRows.size());
  }
  m.rowEvents.assign(m.senderRows.size(), 0);
  for (size_t a = 0; a < axons; ++a)
    count[a] = count[a] & visited ? count[a] & ~visited : none;
  return true;
}

void GoldenModel::RowBuilder::restoreCounts(uint64_t visits, uint32_t cursor) {
  // The first `visits` sender axons were visited once each, in this
  // order, and their starts are consecutive: each count is the next
  // start minus its own.
  constexpr uint32_t visited = uint32_t(1) << 31;
  uint32_t *const count = m.axonSynapseCount.data();
  uint64_t seen = 0;
  uint32_t previous = none, previousStart = 0;
  const auto walk = [&](const std::vector<uint32_t> &targets) {
    for (size_t o = 0; o < targets.size() && seen < visits; ++o, ++seen) {
      const uint32_t a = targets[o];
      const uint32_t start = count[a] & ~visited;
      if (previous != none)
        count[previous] = start - previousStart;
      previous = a;
      previousStart = start;
    }
  };
  walk(m.outTargets);
  walk(m.channelTargets);
  if (previous != none)
    count[previous] = cursor - previousStart;
}

void GoldenModel::RowBuilder::layoutRows() {
  // Rows 0 .. senderCount-1 are the private rows; then one row per shared
  // axon.
  std::vector<uint64_t> privateSize(senderCount, 0);
  const size_t axons = axonRecords.size();
  for (size_t a = 0; a < axons; ++a) {
    AxonRecord &r = axonRecords[a];
    if (r.senders != 1)
      continue;
    const uint32_t synapses = m.axonSynapseCount[a];
    privateSize[r.slot] += synapses;
    // The pass in sender order below then finds the count in the record
    // it updates anyway, not in a second line of memory.
    if (synapses < AxonRecord::privateCount)
      r.senders = AxonRecord::privateCount | synapses;
  }
  m.rowBegin.assign(1, 0);
  for (uint32_t k = 0; k < senderCount; ++k)
    m.rowBegin.push_back(uint32_t(m.rowBegin.back() + privateSize[k]));
  for (size_t a = 0; a < axons; ++a) {
    AxonRecord &r = axonRecords[a];
    if (!r.shared())
      continue;
    r.slot = uint32_t(m.rowBegin.size() - 1);
    sharedRowSenders.push_back(r.senders);
    m.rowBegin.push_back(m.rowBegin.back() + m.axonSynapseCount[a]);
  }
  // Private groups go one after the other into their sender's row, in the
  // sender's axon order; every sender's row list is its private row (if
  // not empty) and its shared axons' rows.
  std::vector<uint32_t> cursor(m.rowBegin.begin(),
                               m.rowBegin.begin() + senderCount);
  std::vector<uint32_t> rowCount(senderCount, 0);
  // Each sender's synapses are counted here, where every axon's count is
  // read anyway, not in countSenders: there an axon costs one cache miss
  // (its record), not two.
  forEachSenderAxon(
      [&](uint32_t k, uint32_t a) {
        AxonRecord &r = axonRecords[a];
        const bool counted = r.senders & AxonRecord::privateCount;
        const uint32_t synapses = counted
                                      ? r.senders & ~AxonRecord::privateCount
                                      : m.axonSynapseCount[a];
        m.senderSynapses[k] += synapses;
        if (counted || r.senders == 1) {
          r.slot = cursor[k];
          cursor[k] += synapses;
        } else if (r.senders > 1) {
          ++rowCount[k];
          sharedRowSenders[r.slot - senderCount] += mostSpikesPerStep(k) - 1;
        }
      },
      [&](uint32_t a) { __builtin_prefetch(&axonRecords[a], 1); });
  m.senderRowBegin.assign(1, 0);
  for (uint32_t k = 0; k < senderCount; ++k)
    m.senderRowBegin.push_back(m.senderRowBegin.back() + rowCount[k] +
                               (privateSize[k] > 0));
  m.senderRows.resize(m.senderRowBegin.back());
  std::vector<uint32_t> fill(m.senderRowBegin.begin(),
                             m.senderRowBegin.end() - 1);
  for (uint32_t k = 0; k < senderCount; ++k)
    if (privateSize[k] > 0)
      m.senderRows[fill[k]++] = k;
  if (!sharedRowSenders.empty())
    forEachSenderAxon(
        [&](uint32_t k, uint32_t a) {
          if (axonRecords[a].shared())
            m.senderRows[fill[k]++] = axonRecords[a].slot;
        },
        [&](uint32_t a) { __builtin_prefetch(&axonRecords[a]); });
  m.rowEvents.assign(m.senderRows.size(), 0);
  // unpack() needs the starts only, and not the counts its cores give
  // again: the starts take the counts' place.
  for (size_t a = 0; a < axons; ++a) {
    const AxonRecord &r = axonRecords[a];
    m.axonSynapseCount[a] = r.senders == 0 ? none
                            : r.shared()   ? m.rowBegin[r.slot]
                                           : r.slot;
  }
  std::vector<AxonRecord>().swap(axonRecords);
}

Status GoldenModel::RowBuilder::unpack(std::vector<FlatSynapse> room) {
  const uint64_t n = m.compartmentCount();
  if ((uint64_t(format.maxDelay) + 1) * n >
      std::numeric_limits<uint32_t>::max())
    return makeError(str(n) + " compartments with delays up to " +
                     str(format.maxDelay) +
                     " exceed the model's 32-bit accumulator index");
  if (room.size() == m.rowBegin.back()) {
    m.flatSynapses = std::move(room);
  } else {
    std::vector<FlatSynapse>().swap(room);
    detail::assignHuge(m.flatSynapses, m.rowBegin.back(), FlatSynapse());
  }
  // Every group has its own place in `synapses` (its start), so the cores
  // are unpacked on several threads; each keeps its largest delay.
  std::vector<uint32_t> coreMaxDelay(tables.coreCount(), 1);
  if (Status s = tables.forEachCore(
          threads, /*last=*/true,
          [&](uint32_t c, const std::vector<chip::InputAxon> &axons,
              const std::vector<uint64_t> &words) -> Status {
            if (axons.size() != m.axonBegin[c + 1] - m.axonBegin[c])
              return makeError("core " + str(c) + ": " + str(axons.size()) +
                               " input axons, " +
                               str(m.axonBegin[c + 1] - m.axonBegin[c]) +
                               " when the rows were laid out");
            return unpackCore(c, axons, words, coreMaxDelay[c]);
          });
      !s)
    return s;
  const uint32_t maxDelay =
      coreMaxDelay.empty()
          ? 1
          : *std::max_element(coreMaxDelay.begin(), coreMaxDelay.end());
  // The update of step t consumes slot t % S before step t delivers, so
  // the slot of t + D is the one just consumed: D slots are enough.
  m.ringSlots = maxDelay;
  return Status::ok();
}

namespace {
/// A synapse unpacked and its place in `synapses`, staged before the store.
struct PlacedSynapse {
  uint32_t place;
  detail::FlatSynapse synapse;
};
/// Staged synapses per flush: a few pages, in L1 and L2.
constexpr uint32_t stagedSynapses = 2048;

/// Stores the staged synapses in their places. The places are at random
/// (each group goes to its sender's row), so every store misses the cache;
/// alone in a tight loop, dozens of them are in flight at once. Interleaved
/// with the unpacking, whose own stores queue behind each miss in order,
/// only a few would be.
void storeStaged(detail::FlatSynapse *synapses, const PlacedSynapse *staged,
                 uint32_t count) {
  for (uint32_t i = 0; i < count; ++i)
    synapses[staged[i].place] = staged[i].synapse;
}
} // namespace

Status GoldenModel::RowBuilder::unpackCore(
    uint32_t c, const std::vector<chip::InputAxon> &axons,
    const std::vector<uint64_t> &words, uint32_t &maxDelay) {
  const uint64_t n = m.compartmentCount();
  thread_local std::vector<PlacedSynapse> staging;
  // One TLS lookup per core.
  std::vector<PlacedSynapse> &staged = staging;
  staged.resize(stagedSynapses);
  uint32_t pending = 0;
  detail::FlatSynapse *synapses = m.flatSynapses.data();
  // Kept in a register, written once: the cores' maxima share cache lines.
  uint32_t largestDelay = maxDelay;
  // The axons' starts, which become their synapse counts again.
  uint32_t *starts = m.axonSynapseCount.data() + m.axonBegin[c];
  const uint32_t count = uint32_t(axons.size());
  // Another part delivers into a core this part does not own.
  const bool owned = m.ownsCore(c);
  const uint32_t coreBegin = m.compBegin[c];
  chip::SynapseFieldTable shapes(format);
  Status bad = Status::ok();
  for (uint32_t a = 0; a < count && bad; ++a) {
    const chip::InputAxon &axon = axons[a];
    const uint32_t start = starts[a];
    starts[a] = axon.synapseCount;
    if (!owned)
      continue;
    chip::forEachSynapse(
        words, axon, shapes[axon], [&](uint32_t i, const chip::Synapse &s) {
          const int64_t w = chip::synapticWeight(
              s.mantissa, axon.weightExponent, format.weightShift);
          if (w > int32Max || w < int32Min) {
            bad = makeError("core " + str(c) + ": input axon " + str(a) +
                            ": synapse " + str(i) + ": weight " +
                            std::to_string(w) + " does not fit 32 bits");
            return false;
          }
          largestDelay = std::max(largestDelay, s.delay);
          if (start == none)
            return true;
          if (pending == stagedSynapses) {
            storeStaged(synapses, staged.data(), pending);
            pending = 0;
          }
          staged[pending++] = {
              start + i,
              {uint32_t(s.delay * n + coreBegin + s.compartment), int32_t(w)}};
          return true;
        });
  }
  if (!bad)
    return bad;
  storeStaged(synapses, staged.data(), pending);
  maxDelay = largestDelay;
  return Status::ok();
}

Status
GoldenModel::RowBuilder::sortAndBound(bool wide, bool narrow,
                                      const std::vector<uint8_t> &runsProgram,
                                      uint64_t splitFrom) {
  const uint32_t n = m.compartmentCount();
  inputRise.assign(n, 0);
  inputFall.assign(n, 0);
  inputHold.assign(n, std::numeric_limits<uint8_t>::max());
  const uint32_t rows = uint32_t(m.rowBegin.size() - 1);
  forEachRowBlock([&](uint32_t begin, uint32_t end) {
    for (uint32_t r = begin; r < end; ++r)
      std::sort(m.flatSynapses.data() + m.rowBegin[r],
                m.flatSynapses.data() + m.rowBegin[r + 1],
                [](const FlatSynapse &x, const FlatSynapse &y) {
                  return x.offset < y.offset;
                });
  });
  // The bounds are summed on the load threads too, each thread over every
  // row but only into its own range of targets: no entry has two writers,
  // and integer sums and minima are the same in any order. A row's synapses
  // are sorted by (delay, target), so within a delay a part's targets are
  // one run and the range test is well predicted.
  const uint32_t parts = m.flatSynapses.size() < splitFrom
                             ? 1
                             : std::min(threads, std::max(n, 1u));
  std::vector<uint32_t> partWeightBits(parts, 0);
  (void)chip::parallelForCores(parts, threads, [&](size_t p) -> Status {
    const uint32_t lo = uint32_t(uint64_t(n) * p / parts);
    const uint32_t span = uint32_t(uint64_t(n) * (p + 1) / parts) - lo;
    // Locals: the byte stores into inputHold may alias anything, so members
    // read in the loop would be read again after each.
    const DivideBy byN(n);
    const FlatSynapse *synapses = m.flatSynapses.data();
    const uint32_t *rowStart = m.rowBegin.data();
    int64_t *rise = inputRise.data(), *fall = inputFall.data();
    uint8_t *holds = inputHold.data();
    const FlatSynapse *const last = synapses + m.flatSynapses.size();
    constexpr uint32_t sumPrefetchDistance = 16;
    uint32_t bits = 0;
    for (uint32_t r = 0; r < rows; ++r) {
      // A synapse adds at most |weight| x (the spikes its row's senders can
      // send in one step) to the step it arrives in.
      const int64_t senders = r < senderCount
                                  ? mostSpikesPerStep(r)
                                  : sharedRowSenders[r - senderCount];
      // A LIF compartment's own row arrives at most once in hold + 1 steps.
      const uint8_t hold =
          r < n && !runsProgram[r] ? uint8_t(m.hot.refractory[r]) : 0;
      const FlatSynapse *e = synapses + rowStart[r + 1];
      for (const FlatSynapse *s = synapses + rowStart[r]; s != e; ++s) {
        // The sums are read and written at random: the sum of a synapse
        // further on is fetched ahead.
        if (s + sumPrefetchDistance < last) {
          const FlatSynapse &ahead = s[sumPrefetchDistance];
          const uint32_t a = byN.remainder(ahead.offset);
          if (a - lo < span)
            __builtin_prefetch(ahead.weight < 0 ? fall + a : rise + a, 1);
        }
        const uint32_t g = byN.remainder(s->offset);
        if (g - lo >= span)
          continue;
        bits |= uint32_t(s->weight);
        if (s->weight < 0)
          fall[g] -= int64_t(s->weight) * senders;
        else
          rise[g] += int64_t(s->weight) * senders;
        holds[g] = std::min(holds[g], hold);
      }
    }
    partWeightBits[p] = bits;
    return Status::ok();
  });
  std::vector<int64_t> bound(n);
  for (uint32_t g = 0; g < n; ++g)
    bound[g] = inputRise[g] + inputFall[g];
  fits32 = !wide && std::all_of(bound.begin(), bound.end(),
                                [](int64_t b) { return b <= int32Max; });
  // int16 accumulators hold the input in units of the largest power of two
  // that divides every weight; a compartment's bound is a multiple of it.
  uint32_t weightBits = 0;
  for (uint32_t bits : partWeightBits)
    weightBits |= bits;
  shift16 = weightBits == 0 ? 0 : unsigned(__builtin_ctz(weightBits));
  constexpr int64_t int16Max = std::numeric_limits<int16_t>::max();
  fits16 = fits32 && narrow &&
           std::all_of(bound.begin(), bound.end(),
                       [&](int64_t b) { return (b >> shift16) <= int16Max; });
  m.ringStride = n;
  return Status::ok();
}

std::vector<uint32_t> GoldenModel::RowBuilder::placeAccumulators() {
  const uint32_t n = m.compartmentCount();
  const uint32_t rows = uint32_t(m.rowBegin.size() - 1);
  // A sample of the rows: their synapses into each population, as (row,
  // delay, neuron). Runs of adjacent accumulators in it measure an order.
  // About 512 rows, fewer when that is more than about 2^16 synapses: the
  // search below sorts a population's sample once per divisor of its size.
  const uint64_t synapseCount = m.rowBegin.back();
  const uint32_t every =
      uint32_t(std::max<uint64_t>({1, rows / 512, synapseCount / 65536}));
  std::vector<std::vector<std::array<uint32_t, 3>>> sample(m.populationCount());
  for (uint32_t r = 0; r < rows; r += every)
    for (uint32_t i = m.rowBegin[r]; i < m.rowBegin[r + 1]; ++i) {
      const uint32_t c = m.flatSynapses[i].offset % n;
      if (const uint32_t p = m.compPopulation[c]; p != none)
        sample[p].push_back({r, m.flatSynapses[i].offset / n,
                             m.flatNeuronAt[c] - m.populationBase[p]});
    }
  // Runs are counted within each (row, delay), a segment of tens of
  // synapses: a run starts at each distinct key whose predecessor is not in
  // the segment, so two passes over a bitmap of the population's keys count
  // them, in linear time (sorting each segment for each divisor made the
  // search a quarter of CUBA 4k's build). The rows are sorted by offset,
  // delay first (sortAndBound), so a population's sample comes grouped by
  // (row, delay).
  std::vector<uint32_t> segmentBegin, keyOf;
  std::vector<uint64_t> present, counted; // bit k: key k in the segment
  const auto segment = [&](uint32_t p) {
    segmentBegin.assign(1, 0);
    for (uint32_t i = 1; i < sample[p].size(); ++i)
      if (sample[p][i][0] != sample[p][i - 1][0] ||
          sample[p][i][1] != sample[p][i - 1][1])
        segmentBegin.push_back(i);
    segmentBegin.push_back(uint32_t(sample[p].size()));
  };
  const auto bit = [](const std::vector<uint64_t> &bits, uint32_t k) {
    return (bits[k >> 6] >> (k & 63)) & 1;
  };
  // The runs of `period`'s order in the first `segments` segments, or a
  // count past `limit` once it is.
  const auto runs = [&](uint32_t p, uint32_t period, uint64_t limit,
                        size_t segments) {
    // Neuron j at (j % period) * (size / period) + j / period: the
    // channels-first layout of `size / period` channels made channels-last.
    const uint32_t size = m.populationSize(p), channels = size / period;
    keyOf.resize(size);
    for (uint32_t j = 0, at = 0, row = 0; j < size; ++j) {
      keyOf[j] = at * channels + row;
      if (++at == period) {
        at = 0;
        ++row;
      }
    }
    present.assign((size + 63) / 64, 0);
    counted.assign(present.size(), 0);
    const std::array<uint32_t, 3> *neurons = sample[p].data();
    uint64_t count = 0;
    for (size_t s = 0; s < segments && count <= limit; ++s) {
      const uint32_t b = segmentBegin[s], e = segmentBegin[s + 1];
      for (uint32_t i = b; i < e; ++i) {
        const uint32_t k = keyOf[neurons[i][2]];
        present[k >> 6] |= uint64_t(1) << (k & 63);
      }
      for (uint32_t i = b; i < e; ++i) {
        const uint32_t k = keyOf[neurons[i][2]];
        if (bit(counted, k))
          continue; // a repeated target
        counted[k >> 6] |= uint64_t(1) << (k & 63);
        count += k == 0 || !bit(present, k - 1);
      }
      for (uint32_t i = b; i < e; ++i) {
        const uint32_t k = keyOf[neurons[i][2]];
        present[k >> 6] = counted[k >> 6] = 0;
      }
    }
    return count;
  };
  // Per population, the channel count (a divisor of its size) whose
  // channels-last order gives the fewest runs; taken when it halves them.
  // An order stops being counted once it cannot be taken (more than half
  // the runs) or cannot be the first with the fewest. Each order is first
  // counted on an eighth of the segments and dropped there unless it saves
  // a quarter of their runs: a population of random targets (CUBA's) has
  // dozens of divisors, none of which helps, and a layout that halves the
  // runs of the whole sample does so in every part of it.
  std::vector<uint32_t> tail; // re-ordered compartments, in their new order
  for (uint32_t p = 0; p < m.populationCount(); ++p) {
    const uint32_t size = m.populationSize(p);
    if (size < 2 * wideLanes || sample[p].empty())
      continue;
    segment(p);
    const size_t segments = segmentBegin.size() - 1;
    const size_t firstEighth = std::max<size_t>(1, segments / 8);
    const uint64_t unlimited = std::numeric_limits<uint64_t>::max();
    const uint64_t nowInEighth = runs(p, size, unlimited, firstEighth);
    // The whole sample's runs, counted once an order passes the first test.
    uint64_t now = 0, best = 0;
    uint32_t bestPeriod = size;
    for (uint32_t period = 2; period <= size / 2; ++period) {
      if (size % period != 0 || runs(p, period, nowInEighth * 3 / 4,
                                     firstEighth) > nowInEighth * 3 / 4)
        continue;
      if (now == 0)
        now = best = runs(p, size, unlimited, segments);
      if (const uint64_t r =
              runs(p, period, std::min(best - 1, now / 2), segments);
          r < best && r <= now / 2) {
        best = r;
        bestPeriod = period;
      }
    }
    if (bestPeriod == size || best * 2 > now)
      continue;
    const uint32_t channels = size / bestPeriod;
    for (uint32_t k = 0; k < size; ++k) // k = position * channels + channel
      if (const uint32_t c =
              m.compartmentOf(p, k % channels * bestPeriod + k / channels);
          c != none)
        tail.push_back(c);
    placedPopulations.push_back(p);
  }
  return tail;
}

void GoldenModel::RowBuilder::orderPositions(
    const std::vector<uint32_t> &placed,
    const std::vector<LikeTrees> &treeRuns) {
  const uint32_t n = m.compartmentCount();
  if (!placed.empty() || !treeRuns.empty()) {
    // The re-ordered populations first, one after the other (from position
    // 0, a 64-byte boundary: a convolution's windows of 16 channels are
    // then aligned), then the other compartments in global order, each run
    // of like trees position by position (unless a population of it was
    // placed).
    std::vector<uint8_t> moved(n, 0);
    for (const uint32_t c : placed)
      moved[c] = 1;
    m.atPosition = placed;
    m.atPosition.reserve(n);
    auto run = treeRuns.begin();
    for (uint32_t c = 0; c < n;) {
      if (run != treeRuns.end() && run->first == c) {
        const uint32_t end = c + run->width * run->count;
        if (std::none_of(moved.begin() + c, moved.begin() + end,
                         [](uint8_t x) { return x != 0; })) {
          for (uint32_t p = 0; p < run->width; ++p)
            for (uint32_t t = 0; t < run->count; ++t)
              m.atPosition.push_back(c + t * run->width + p);
          c = end;
          ++run;
          continue;
        }
        ++run;
      }
      if (!moved[c])
        m.atPosition.push_back(c);
      ++c;
    }
    for (uint32_t i = 0; i < n; ++i)
      m.position[m.atPosition[i]] = i;
    m.reordered = true;
    m.layout.placedCompartments = placed.size();
  }
  layoutSlots();
}

void GoldenModel::RowBuilder::layoutSlots() {
  const uint32_t n = m.compartmentCount();
  // Slots start on 16-accumulator boundaries, so that wide windows can too,
  // unless the offsets (up to delay S: (S + 1) slots) would pass 2^32.
  const uint64_t stride = (uint64_t(n) + wideLanes - 1) & ~(wideLanes - 1);
  m.ringStride = uint64_t(m.ringSlots + 1) * stride + wideLanes <=
                         std::numeric_limits<uint32_t>::max()
                     ? uint32_t(stride)
                     : n;
  if (m.ringStride == n && !m.reordered)
    return;
  const DivideBy byN(n);
  forEachRowBlock([&](uint32_t begin, uint32_t end) {
    for (uint32_t r = begin; r < end; ++r) {
      FlatSynapse *b = m.flatSynapses.data() + m.rowBegin[r];
      FlatSynapse *e = m.flatSynapses.data() + m.rowBegin[r + 1];
      for (FlatSynapse *s = b; s != e; ++s)
        s->offset = byN.quotient(s->offset) * m.ringStride +
                    m.position[byN.remainder(s->offset)];
      if (m.reordered)
        std::sort(b, e, [](const FlatSynapse &x, const FlatSynapse &y) {
          return x.offset < y.offset;
        });
    }
  });
}

void GoldenModel::RowBuilder::forEachRowBlock(
    const std::function<void(uint32_t, uint32_t)> &work) {
  const uint32_t rows = uint32_t(m.rowBegin.size() - 1);
  // About 8 blocks per thread (no fewer than 2^16 synapses each), so that
  // a few long rows do not leave a thread idle; the result is the same on
  // any number.
  const uint64_t blockSynapses = std::max<uint64_t>(
      1 << 16, m.flatSynapses.size() / (8 * uint64_t(threads)));
  std::vector<uint32_t> blockBegin(1, 0);
  for (uint32_t r = 0; r < rows; ++r)
    if (m.rowBegin[r + 1] - m.rowBegin[blockBegin.back()] >= blockSynapses)
      blockBegin.push_back(r + 1);
  if (blockBegin.back() != rows)
    blockBegin.push_back(rows);
  (void)chip::parallelForCores(blockBegin.size() - 1, threads,
                               [&](size_t block) -> Status {
                                 work(blockBegin[block], blockBegin[block + 1]);
                                 return Status::ok();
                               });
}

void GoldenModel::RowBuilder::allocateRing() {
  const size_t ringSize = size_t(m.ringSlots) * m.ringStride;
  // See GoldenModel::ring32: padding for windows, room to align the start.
  if (fits16) {
    m.ring16.assign(ringSize + (wideLanes - 1) + 64 / sizeof(int16_t), 0);
    m.accShift = shift16;
  } else if (fits32) {
    m.ring32.assign(ringSize + 2 * (wideLanes - 1), 0);
  } else {
    m.ring64.assign(ringSize, 0);
  }
}

void GoldenModel::RowBuilder::buildWindows() {
  const uint32_t n = m.ringStride; // offset = delay * n + accumulator
  // Slot starts are 64-byte aligned when n is a multiple of 16 (ring32Start).
  const bool alignWide = n % wideLanes == 0;
  const uint32_t rows = uint32_t(m.rowBegin.size() - 1);
  // Single synapses are compacted in place: never more than have been read.
  size_t singles = 0;
  // Row r becomes parts [firstPart[r], firstPart[r + 1]), one per delay.
  std::vector<uint32_t> firstPart(rows + 1, 0);
  m.rowParts.clear();
  // Room for the most windows there can be, so that the lists never grow
  // by copying: pages never written are never resident.
  const size_t total = m.flatSynapses.size();
  m.wideOffset.reserve(total / wideMinSynapses);
  m.wideWeights.reserve(total / wideMinSynapses);
  m.narrowOffset.reserve(total / narrowMinSynapses);
  m.narrowWeights.reserve(total / narrowMinSynapses);
  const auto startPart = [&](uint32_t delayOffset) {
    m.rowParts.push_back({uint32_t(m.wideOffset.size()),
                          uint32_t(m.narrowOffset.size()), uint32_t(singles),
                          delayOffset});
  };
  for (uint32_t r = 0; r < rows; ++r) {
    firstPart[r] = uint32_t(m.rowParts.size());
    const FlatSynapse *s = m.flatSynapses.data() + m.rowBegin[r];
    const FlatSynapse *e = m.flatSynapses.data() + m.rowBegin[r + 1];
    uint64_t delayEnd = 0; // past the current part's accumulators
    while (s != e) {
      if (s->offset >= delayEnd) {
        const uint32_t delayOffset = s->offset / n * n;
        delayEnd = uint64_t(delayOffset) + n;
        startPart(delayOffset);
      }
      // Nothing else of the row within 16 accumulators: no window can hold
      // it (random connectivity's synapses are nearly all so).
      if (s + 1 == e || s[1].offset - s->offset >= wideLanes) {
        m.flatSynapses[singles++] = *s++;
        continue;
      }
      // Synapses of this delay from s on, below start + lanes.
      const auto within = [&](uint32_t start, uint32_t lanes) {
        const uint64_t end = std::min(uint64_t(start) + lanes, delayEnd);
        const FlatSynapse *t = s;
        while (t != e && t->offset < end)
          ++t;
        return uint32_t(t - s);
      };
      // A wide window starts on a 64-byte boundary where it can (one cache
      // line instead of two); lanes before s add zero.
      uint32_t start = alignWide ? s->offset & ~(wideLanes - 1) : s->offset;
      uint32_t wide = within(start, wideLanes);
      if (wide < wideMinSynapses) {
        start = s->offset;
        wide = within(start, wideLanes);
      }
      const uint32_t narrow =
          wide >= wideMinSynapses ? 0 : within(s->offset, narrowLanes);
      int32_t *lane = nullptr;
      uint32_t taken = 0;
      if (wide >= wideMinSynapses) {
        m.wideOffset.push_back(start);
        lane = m.wideWeights.emplace_back().lane;
        taken = wide;
      } else if (narrow >= narrowMinSynapses) {
        start = s->offset;
        m.narrowOffset.push_back(start);
        lane = m.narrowWeights.emplace_back().lane;
        taken = narrow;
      } else {
        m.flatSynapses[singles++] = *s++;
        continue;
      }
      // Repeated targets share a lane: the sum stays within the bound
      // proven for the compartment.
      for (const FlatSynapse *t = s; t != s + taken; ++t)
        lane[t->offset - start] += t->weight;
      m.layout.windowSynapses += taken;
      s += taken;
    }
  }
  firstPart[rows] = uint32_t(m.rowParts.size());
  startPart(0); // the ends of the last part
  shareWideWeights();
  if (fits16)
    narrowWeights();
  // Give the memory back when windows took most synapses (copying, so
  // not when they took few).
  const bool shrink = singles < m.flatSynapses.size() / 2;
  m.flatSynapses.resize(singles);
  if (shrink)
    m.flatSynapses.shrink_to_fit();
  std::vector<uint32_t>().swap(m.rowBegin);
  // Senders now name parts.
  std::vector<uint32_t> senderParts;
  std::vector<uint32_t> senderPartBegin(1, 0);
  for (uint32_t k = 0; k + 1 < m.senderRowBegin.size(); ++k) {
    for (uint32_t i = m.senderRowBegin[k]; i < m.senderRowBegin[k + 1]; ++i)
      for (uint32_t p = firstPart[m.senderRows[i]];
           p < firstPart[m.senderRows[i] + 1]; ++p)
        senderParts.push_back(p);
    senderPartBegin.push_back(uint32_t(senderParts.size()));
  }
  m.senderRows.swap(senderParts);
  m.senderRowBegin.swap(senderPartBegin);
  m.rowEvents.assign(m.senderRows.size(), 0);
}

/// Windows with the same 16 weights share one copy: a convolution repeats
/// its kernel's windows in every row of an input channel, and the shared
/// copies stay in cache (the CNN of bench/peer-brian2: 2.7 of 74 k).
void GoldenModel::RowBuilder::shareWideWeights() {
  std::vector<detail::WideWeights> &w = m.wideWeights;
  const uint32_t count = uint32_t(w.size());
  // first[i]: the first window with i's weights, found in a hash table of
  // the windows seen so far (open addressing, at most half full): one
  // comparison of 64 bytes per window where a sort made dozens.
  constexpr uint32_t empty = UINT32_MAX;
  size_t slots = 16;
  while (slots < 2 * size_t(count))
    slots *= 2;
  std::vector<uint32_t> table(slots, empty);
  std::vector<uint32_t> first(count);
  for (uint32_t i = 0; i < count; ++i) {
    uint64_t words[sizeof(detail::WideWeights) / sizeof(uint64_t)];
    std::memcpy(words, w[i].lane, sizeof words);
    uint64_t h = 0;
    for (uint64_t word : words)
      h = (h ^ word) * 0x9E3779B97F4A7C15u;
    size_t slot = (h ^ h >> 29) & (slots - 1);
    while (table[slot] != empty &&
           std::memcmp(w[table[slot]].lane, w[i].lane, sizeof w[i].lane) != 0)
      slot = (slot + 1) & (slots - 1);
    if (table[slot] == empty)
      table[slot] = i;
    first[i] = table[slot];
  }
  // Keep the first copies in window order (in place: the copy kept for
  // window i moves to a place at or before i).
  m.wideWeightIndex.resize(count);
  uint32_t kept = 0;
  for (uint32_t i = 0; i < count; ++i) {
    if (first[i] == i) {
      w[kept] = w[i];
      m.wideWeightIndex[i] = kept++;
    } else {
      m.wideWeightIndex[i] = m.wideWeightIndex[first[i]];
    }
  }
  w.resize(kept);
  w.shrink_to_fit();
}

/// With int16 accumulators: every weight in accumulator units (weight /
/// 2^shift16, exact: every weight is a multiple of it), the window weights
/// as int16 (a lane sums the synapses of one target, within its bound).
void GoldenModel::RowBuilder::narrowWeights() {
  for (FlatSynapse &s : m.flatSynapses)
    s.weight >>= shift16;
  const auto narrow = [&](const auto &from, auto &to) {
    to.resize(from.size());
    for (size_t i = 0; i < from.size(); ++i)
      for (size_t l = 0; l < std::size(from[i].lane); ++l)
        to[i].lane[l] = int16_t(from[i].lane[l] >> shift16);
  };
  narrow(m.wideWeights, m.wideWeights16);
  narrow(m.narrowWeights, m.narrowWeights16);
  std::vector<detail::WideWeights>().swap(m.wideWeights);
  std::vector<detail::NarrowWeights>().swap(m.narrowWeights);
}

} // namespace cajal::golden
