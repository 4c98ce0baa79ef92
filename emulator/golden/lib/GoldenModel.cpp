//===- GoldenModel.cpp - The integer-exact reference model ---------------===//
//
// Loading flattens the image: compartments of all cores get one global index
// (core by core), input axons likewise, and each input axon's synapse group
// is unpacked once (chip::unpackSynapse) into 8-byte entries holding the
// effective weight (chip::synapticWeight) and delay * N + the target's global
// compartment index, sorted by (delay, target). Output axons and source
// channels are resolved to global input-axon indices.
//
// A step t has two phases. Update: every compartment takes q from its
// accumulator slot t % S of a ring of S = (largest delay in the image) + 1
// slots and is advanced exactly as chip::updateCompartment does, by a
// branch-free loop over structure-of-arrays state and per-compartment
// constants precomputed at load (decay scales, bias, vmin, vmax, threshold,
// reset mask), which the compiler vectorises (an AVX2 clone is picked at run
// time where the CPU has it). The decay products |x| * scale (|x| <= 2^31,
// scale <= 2^16 by the profile's limits) are exact 32 x 32 -> 64-bit
// products; the current wraps as ((x + 2^(b-1)) & (2^b - 1)) - 2^(b-1).
// A compartment whose state, bias and q are all zero would stay unchanged
// and silent (u = 0, v = clip(0) = 0 <= vth): it is counted as idle (only
// in cores that have a zero-bias compartment at all) but computed anyway.
// Deliver: each spike of step t (compartments, then host sources) walks its
// axons' synapses and adds the weight into slot (t + delay) % S. Delays are
// 1..S-1, so step t never writes the slot it just consumed. Additions are
// exact in int64, so delivery order cannot change a result. Synapse rows of
// upcoming axon events are prefetched: in large images they come from DRAM.
//
//===----------------------------------------------------------------------===//
#include "cajal/Golden/GoldenModel.h"
#include "cajal/Chip/Source.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>

// Function multiversioning: an AVX2 clone of the update loop, chosen when
// the program starts, and the portable default.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) &&         \
    defined(__linux__)
#define CAJAL_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define CAJAL_VECTOR_CLONES
#endif

namespace cajal::golden {

namespace {
constexpr uint32_t none = std::numeric_limits<uint32_t>::max();
constexpr size_t cacheLineBytes = 64; ///< of the host CPU, for prefetching
std::string str(uint64_t v) { return std::to_string(v); }
} // namespace

/// The load-time steps of create(), each filling part of the model.
struct GoldenModel::Loader {
  /// Append the update constants of one compartment (see HotArrays).
  static void prepare(HotArrays &h, const chip::CompartmentParams &p,
                      const chip::NeuronFormat &f);
  static void layoutCompartments(GoldenModel &m, const chip::Image &image);
  static Status unpackSynapses(GoldenModel &m, const chip::Image &image,
                               const chip::SynapseFormat &f);
  static void wireOutputs(GoldenModel &m, const chip::Image &image);
  static void wireSources(GoldenModel &m, const chip::Image &image);
  static Status mapPopulations(GoldenModel &m, const chip::Image &image);
};

void GoldenModel::Loader::prepare(HotArrays &h,
                                  const chip::CompartmentParams &p,
                                  const chip::NeuronFormat &f) {
  constexpr int64_t top = std::numeric_limits<int32_t>::max();
  const int64_t full = int64_t(1) << f.decayBits;
  h.scaleU.push_back(int32_t(full - p.decayU - 1));
  h.scaleV.push_back(int32_t(full - p.decayV));
  h.vmin.push_back(int32_t(chip::vminValue(p)));
  h.vmax.push_back(int32_t(chip::vmaxValue(p, f)));
  const int64_t vth = std::min(chip::thresholdValue(p, f), top);
  h.fireAbove.push_back(int32_t((p.flags & chip::NoSpike) ? top : vth));
  h.keepOnSpike.push_back((p.flags & chip::ResetBySubtraction) ? -1 : 0);
  h.refractory.push_back(p.refractory);
  h.bias.push_back(chip::biasValue(p));
}

void GoldenModel::Loader::layoutCompartments(GoldenModel &m,
                                             const chip::Image &image) {
  m.compBegin.assign(1, 0);
  m.axonBegin.assign(1, 0);
  for (uint32_t c = 0; c < image.cores.size(); ++c) {
    const chip::Core &core = image.cores[c];
    bool mayIdle = false;
    for (const chip::CompartmentParams &p : core.compartments) {
      prepare(m.hot, p, m.format);
      mayIdle |= p.biasMantissa == 0;
    }
    m.coreMayIdle.push_back(mayIdle);
    m.axonCore.insert(m.axonCore.end(), core.inputAxons.size(), c);
    m.compBegin.push_back(uint32_t(m.hot.bias.size()));
    m.axonBegin.push_back(uint32_t(m.axonCore.size()));
  }
  const size_t n = m.hot.bias.size();
  m.hot.u.assign(n, 0);
  m.hot.v.assign(n, 0);
  m.hot.refractoryLeft.assign(n, 0);
  m.hot.fired.assign(n, 0);
  m.perCore.assign(image.cores.size(), CoreCounters());
}

namespace {
/// One unpacked synapse at load time, ordered by (delay, target) so that
/// delivery walks each accumulator slot with ascending addresses.
struct LoadSynapse {
  uint32_t delay, target;
  int32_t weight;
  bool operator<(const LoadSynapse &o) const {
    return delay != o.delay ? delay < o.delay : target < o.target;
  }
};
} // namespace

Status GoldenModel::Loader::unpackSynapses(GoldenModel &m,
                                           const chip::Image &image,
                                           const chip::SynapseFormat &f) {
  size_t total = 0;
  for (const chip::Core &core : image.cores)
    for (const chip::InputAxon &axon : core.inputAxons)
      total += axon.synapseCount;
  const uint64_t n = m.compartmentCount();
  m.synapses.reserve(total);
  m.synBegin.assign(1, 0);
  if ((uint64_t(f.maxDelay) + 1) * n > std::numeric_limits<uint32_t>::max())
    return makeError(str(n) + " compartments with delays up to " +
                     str(f.maxDelay) +
                     " exceed the model's 32-bit "
                     "accumulator index");
  uint32_t maxDelay = 1;
  std::vector<LoadSynapse> group;
  for (uint32_t c = 0; c < image.cores.size(); ++c) {
    const chip::Core &core = image.cores[c];
    for (uint32_t a = 0; a < core.inputAxons.size(); ++a) {
      const chip::InputAxon &axon = core.inputAxons[a];
      group.clear();
      for (uint32_t i = 0; i < axon.synapseCount; ++i) {
        const chip::Synapse s =
            chip::unpackSynapse(core.synapseWords, axon, i, f);
        const int64_t w = chip::synapticWeight(s.mantissa, axon.weightExponent,
                                               f.weightShift);
        if (w > std::numeric_limits<int32_t>::max() ||
            w < std::numeric_limits<int32_t>::min())
          return makeError("core " + str(c) + ": input axon " + str(a) +
                           ": synapse " + str(i) + ": weight " +
                           std::to_string(w) + " does not fit 32 bits");
        group.push_back({s.delay, m.compBegin[c] + s.compartment, int32_t(w)});
        maxDelay = std::max(maxDelay, s.delay);
      }
      std::sort(group.begin(), group.end());
      for (const LoadSynapse &s : group)
        m.synapses.push_back({uint32_t(s.delay * n + s.target), s.weight});
      m.synBegin.push_back(uint32_t(m.synapses.size()));
    }
  }
  m.ringSlots = maxDelay + 1;
  m.ring.assign(size_t(m.ringSlots) * n, 0);
  return Status::ok();
}

void GoldenModel::Loader::wireOutputs(GoldenModel &m,
                                      const chip::Image &image) {
  m.outBegin.assign(1, 0);
  for (const chip::Core &core : image.cores) {
    for (uint32_t l = 0; l < core.compartments.size(); ++l) {
      for (uint32_t o = core.outputBegin[l]; o < core.outputBegin[l + 1]; ++o) {
        const chip::AxonTarget &t = core.outputAxons[o];
        m.outTargets.push_back(m.axonBegin[t.core] + t.inputAxon);
      }
      m.outBegin.push_back(uint32_t(m.outTargets.size()));
    }
  }
}

void GoldenModel::Loader::wireSources(GoldenModel &m,
                                      const chip::Image &image) {
  m.channelBase.clear();
  m.channelTargetBegin.assign(1, 0);
  for (const chip::Source &src : image.sources) {
    m.channelBase.push_back(uint32_t(m.channelTargetBegin.size() - 1));
    for (uint32_t i = 0; i < src.size; ++i) {
      for (uint32_t k = src.targetBegin[i]; k < src.targetBegin[i + 1]; ++k) {
        const chip::AxonTarget &t = src.targets[k];
        m.channelTargets.push_back(m.axonBegin[t.core] + t.inputAxon);
      }
      m.channelTargetBegin.push_back(uint32_t(m.channelTargets.size()));
    }
    chip::Source light = src;
    light.targets.clear();
    light.targetBegin.clear();
    light.spikes.clear();
    m.sources.push_back(std::move(light));
    m.listedSpikes.push_back(src.kind == chip::SourceKind::File
                                 ? src.spikes
                                 : std::vector<chip::SourceSpike>());
  }
  m.listedCursor.assign(m.sources.size(), 0);
}

Status GoldenModel::Loader::mapPopulations(GoldenModel &m,
                                           const chip::Image &image) {
  m.populationBase.assign(1, 0);
  m.compPopulation.assign(m.compartmentCount(), none);
  m.compNeuron.assign(m.compartmentCount(), none);
  for (uint32_t p = 0; p < image.populations.size(); ++p) {
    const chip::Population &pop = image.populations[p];
    const uint32_t base = m.populationBase.back();
    m.neuronCompartment.resize(base + size_t(pop.size), none);
    for (const chip::Slice &sl : pop.slices) {
      for (uint32_t k = 0; k < sl.count; ++k) {
        const uint32_t g = m.compBegin[sl.core] + sl.firstCompartment + k;
        if (m.compPopulation[g] != none)
          return makeError("population \"" + pop.name + "\": neuron " +
                           str(sl.firstNeuron + k) + " uses compartment " +
                           str(sl.firstCompartment + k) + " of core " +
                           str(sl.core) + ", already used by population \"" +
                           image.populations[m.compPopulation[g]].name + "\"");
        m.compPopulation[g] = p;
        m.compNeuron[g] = sl.firstNeuron + k;
        m.neuronCompartment[base + sl.firstNeuron + k] = g;
      }
    }
    m.populationBase.push_back(base + pop.size);
    m.populationFlags.push_back(uint8_t((pop.recordSpikes ? RecordSpikes : 0) |
                                        (pop.recordState ? RecordState : 0)));
  }
  m.nodeTable = spikeio::NodeTable(image);
  return Status::ok();
}

Result<GoldenModel> GoldenModel::create(const chip::Image &image,
                                        const chip::Profile &profile) {
  if (Status s = chip::validate(image, profile); !s)
    return makeError(s.error());
  GoldenModel m;
  m.format = profile.neuron;
  Loader::layoutCompartments(m, image);
  if (Status s = Loader::unpackSynapses(m, image, profile.synapse); !s)
    return makeError(s.error());
  Loader::wireOutputs(m, image);
  Loader::wireSources(m, image);
  if (Status s = Loader::mapPopulations(m, image); !s)
    return makeError(s.error());
  m.spiking.reserve(m.compartmentCount());
  m.axonEvents.reserve(m.outTargets.size() + m.channelTargets.size());
  size_t channels = m.channelTargetBegin.size() - 1;
  m.sourceSpiking.reserve(channels);
  return m;
}

Status
GoldenModel::setExternalSpikes(std::vector<spikeio::SpikeRecord> spikes) {
  std::sort(spikes.begin(), spikes.end());
  std::vector<std::vector<chip::SourceSpike>> lists(sources.size());
  for (size_t i = 0; i < spikes.size(); ++i) {
    const spikeio::SpikeRecord &r = spikes[i];
    const std::string what = "external spike (step " + str(r.step) + ", node " +
                             str(r.node) + ", index " + str(r.index) + ")";
    if (r.node >= nodeTable.size())
      return makeError(what + ": no such node (the image has " +
                       str(nodeTable.size()) + ")");
    const std::string name = "\"" + nodeTable.name(r.node) + "\"";
    if (!nodeTable.isExternalSource(r.node))
      return makeError(what + ": node " + name + " is not an external source");
    if (r.index >= nodeTable.nodeSize(r.node))
      return makeError(what + ": index " + str(r.index) + " of " + name +
                       " out of range (size " +
                       str(nodeTable.nodeSize(r.node)) + ")");
    if (i > 0 && spikes[i - 1] == r)
      return makeError(what + ": given twice");
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

namespace {
/// The update loop's view of the model: the arrays of GoldenModel::HotArrays
/// and the NeuronFormat's limits as masks.
struct UpdateArgs {
  int32_t *u, *v, *refractoryLeft;
  const int32_t *scaleU, *scaleV, *vmin, *vmax, *fireAbove, *keepOnSpike,
      *refractory;
  const int64_t *bias;
  uint8_t *fired;
  int64_t *slot;
  int64_t accLimit; ///< 2^accumulatorBits - 1
  int64_t wrapHalf; ///< 2^(currentBits - 1)
  int64_t wrapMask; ///< 2^currentBits - 1
  unsigned decayBits;
};

/// sign(x) * ((|x| * scale) >> bits) for |x| <= 2^31, 0 <= scale < 2^32:
/// chip::decay with one exact 32 x 32 -> 64-bit product.
inline int64_t decayScaled(int64_t x, int32_t scale, unsigned bits) {
  const uint32_t magnitude = uint32_t(x < 0 ? -x : x);
  const int64_t m = int64_t((uint64_t(magnitude) * uint32_t(scale)) >> bits);
  return x < 0 ? -m : m;
}

/// Compartments [b, e): chip::updateCompartment without branches. Returns
/// the number that were idle (all-zero state, bias and q) if CountIdle.
template <bool CountIdle>
inline __attribute__((always_inline)) uint32_t
updateRange(const UpdateArgs &a, uint32_t b, uint32_t e) {
  // Every array is read unconditionally into a local, so that the selects
  // below are if-converted and the loop vectorised.
  int32_t *__restrict us = a.u, *__restrict vs = a.v;
  int32_t *__restrict rs = a.refractoryLeft;
  const int32_t *__restrict scaleU = a.scaleU, *__restrict scaleV = a.scaleV;
  const int32_t *__restrict vmin = a.vmin, *__restrict vmax = a.vmax;
  const int32_t *__restrict fireAbove = a.fireAbove;
  const int32_t *__restrict keep = a.keepOnSpike;
  const int32_t *__restrict refractory = a.refractory;
  const int64_t *__restrict bias = a.bias;
  uint8_t *__restrict fired = a.fired;
  int64_t *__restrict slot = a.slot;
  const int64_t limit = a.accLimit, half = a.wrapHalf, mask = a.wrapMask;
  const unsigned bits = a.decayBits;
  uint32_t idle = 0;
  // The arrays are distinct vectors: no alias checks are needed.
#pragma GCC ivdep
  for (uint32_t i = b; i < e; ++i) {
    const int64_t q = slot[i], bi = bias[i];
    const int32_t u0 = us[i], v0 = vs[i], r0 = rs[i];
    const int32_t lo = vmin[i], hi = vmax[i], th = fireAbove[i];
    const int32_t kp = keep[i], ref = refractory[i];
    if (CountIdle)
      idle += (q | u0 | v0 | r0 | bi) == 0;
    slot[i] = 0;
    const int64_t qs = std::min(std::max(q, -limit), limit);
    const int64_t u =
        ((decayScaled(u0, scaleU[i], bits) + qs + half) & mask) - half;
    const int64_t v = decayScaled(v0, scaleV[i], bits) + u + bi;
    const int32_t vc = int32_t(std::min(std::max(v, int64_t(lo)), int64_t(hi)));
    const bool fire = (r0 == 0) & (vc > th);
    const int32_t vFired = (vc - th) & kp;
    us[i] = int32_t(u);
    vs[i] = r0 > 0 ? 0 : (fire ? vFired : vc);
    rs[i] = r0 > 0 ? r0 - 1 : (fire ? ref : 0);
    fired[i] = fire;
  }
  return idle;
}

CAJAL_VECTOR_CLONES uint32_t updateIdleCounted(const UpdateArgs &a, uint32_t b,
                                               uint32_t e) {
  return updateRange<true>(a, b, e);
}
CAJAL_VECTOR_CLONES void updateAllActive(const UpdateArgs &a, uint32_t b,
                                         uint32_t e) {
  updateRange<false>(a, b, e);
}

/// Append the indices of the nonzero flags[b, e) to `out`, eight at a time.
uint32_t collectFlags(const uint8_t *flags, uint32_t b, uint32_t e,
                      std::vector<uint32_t> &out) {
  const size_t before = out.size();
  uint32_t i = b;
  for (; i + 8 <= e; i += 8) {
    uint64_t word;
    std::memcpy(&word, flags + i, 8);
    if (word == 0)
      continue;
    for (uint32_t k = 0; k < 8; ++k)
      if (flags[i + k])
        out.push_back(i + k);
  }
  for (; i < e; ++i)
    if (flags[i])
      out.push_back(i);
  return uint32_t(out.size() - before);
}
} // namespace

void GoldenModel::updateCompartments(int64_t *slot) {
  const UpdateArgs a{hot.u.data(),
                     hot.v.data(),
                     hot.refractoryLeft.data(),
                     hot.scaleU.data(),
                     hot.scaleV.data(),
                     hot.vmin.data(),
                     hot.vmax.data(),
                     hot.fireAbove.data(),
                     hot.keepOnSpike.data(),
                     hot.refractory.data(),
                     hot.bias.data(),
                     hot.fired.data(),
                     slot,
                     (int64_t(1) << format.accumulatorBits) - 1,
                     int64_t(1) << (format.currentBits - 1),
                     (int64_t(1) << format.currentBits) - 1,
                     format.decayBits};
  for (uint32_t c = 0; c + 1 < compBegin.size(); ++c) {
    const uint32_t b = compBegin[c], e = compBegin[c + 1];
    uint32_t idle = 0;
    if (coreMayIdle[c])
      idle = updateIdleCounted(a, b, e);
    else
      updateAllActive(a, b, e);
    const uint32_t fired = collectFlags(hot.fired.data(), b, e, spiking);
    const uint64_t active = (e - b) - idle;
    CoreCounters &cc = perCore[c];
    cc.activeUpdates += active;
    cc.idleUpdates += idle;
    cc.compartmentSpikes += fired;
    totals.activeUpdates += active;
    totals.idleUpdates += idle;
    totals.compartmentSpikes += fired;
  }
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

inline void GoldenModel::deliver(uint32_t axon, size_t base) {
  const uint32_t b = synBegin[axon], e = synBegin[axon + 1];
  CoreCounters &cc = perCore[axonCore[axon]];
  ++cc.axonEventsIn;
  cc.synapticEvents += e - b;
  totals.synapticEvents += e - b;
  const FlatSynapse *syn = synapses.data();
  int64_t *acc = ring.data();
  const size_t wrap = ring.size();
  for (uint32_t i = b; i < e; ++i) {
    const size_t at = base + syn[i].offset;
    acc[at >= wrap ? at - wrap : at] += syn[i].weight;
  }
}

void GoldenModel::deliverSpikes() {
  axonEvents.clear();
  for (const uint32_t g : spiking)
    axonEvents.insert(axonEvents.end(), outTargets.begin() + outBegin[g],
                      outTargets.begin() + outBegin[g + 1]);
  for (const SourceSpikeEvent &e : sourceSpiking) {
    const uint32_t ch = channelBase[e.source] + e.index;
    axonEvents.insert(axonEvents.end(),
                      channelTargets.begin() + channelTargetBegin[ch],
                      channelTargets.begin() + channelTargetBegin[ch + 1]);
  }
  totals.axonEvents += axonEvents.size();
  // Synapse rows of random axons come from memory: prefetch the row of the
  // event `ahead` positions on, up to `rowLines` cache lines of it.
  constexpr size_t ahead = 8, rowLines = 8;
  constexpr size_t lineSynapses = cacheLineBytes / sizeof(FlatSynapse);
  const size_t base = size_t(stepIndex % ringSlots) * compartmentCount();
  const size_t count = axonEvents.size();
  for (size_t i = 0; i < count; ++i) {
    if (i + ahead < count) {
      const uint32_t a = axonEvents[i + ahead];
      const FlatSynapse *row = synapses.data() + synBegin[a];
      const size_t len = std::min<size_t>(synBegin[a + 1] - synBegin[a],
                                          lineSynapses * rowLines);
      for (size_t k = 0; k < len; k += lineSynapses)
        __builtin_prefetch(row + k);
    }
    deliver(axonEvents[i], base);
  }
}

void GoldenModel::step() {
  spiking.clear();
  sourceSpiking.clear();
  updateCompartments(ring.data() +
                     size_t(stepIndex % ringSlots) * compartmentCount());
  emitSourceSpikes();
  deliverSpikes();
  ++stepIndex;
  ++totals.steps;
}

void GoldenModel::lastSpikes(std::vector<NeuronSpike> &out) const {
  out.clear();
  for (const uint32_t g : spiking)
    if (compPopulation[g] != none)
      out.push_back({compPopulation[g], compNeuron[g]});
  std::sort(out.begin(), out.end(),
            [](const NeuronSpike &a, const NeuronSpike &b) {
              return a.population != b.population ? a.population < b.population
                                                  : a.neuron < b.neuron;
            });
}

} // namespace cajal::golden
