//===- GoldenLoad.cpp - Build the golden model from a chip image ----------===//
//
// Loading flattens the image. Compartments of all cores get one global index
// (core by core) and their update constants are precomputed into
// structure-of-arrays (see GoldenModel.h); input axons likewise get global
// indices.
//
// Per core the loader proves whether the 32-bit update loop is exact: u
// stays in [-2^(c-1), 2^(c-1)) (c = currentBits) and v in [vmin, vmax], so
// every intermediate of the update fits 32 bits when decayBits <= 15,
// c <= 31, accumulatorBits <= 30, 2^(c-1) + 2^accumulatorBits - 1 < 2^31
// and vmax + 2^(c-1) + |bias| < 2^31 (v + u + bias may pass below INT32_MIN,
// as vmin goes down to -2^31 + 1: the loop detects that, UpdateKernels.cpp).
// Other cores use 64-bit lanes.
//
// Synapses are regrouped by sender (compartment or source channel), the
// layout Brian2 uses: an input axon reached by one sender only is merged
// into that sender's private row, an axon shared by several senders stays
// a row of its own. Each group is unpacked once (chip::unpackSynapse)
// straight into its place, with the effective weight
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
// positions; orderCompartments then lays the constants out in that order
// and builds the update runs over positions.
//
//===----------------------------------------------------------------------===//
#include "UpdateKernels.h"

#include "cajal/Golden/GoldenModel.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <limits>
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

/// Value ranges of one core's compartments, for the 32-bit proof.
struct CoreRange {
  int64_t vmaxHigh = 0, biasMax = 0;
  bool fits32(const chip::NeuronFormat &f) const {
    if (f.decayBits > 15 || f.currentBits > 31 || f.accumulatorBits > 30)
      return false;
    const int64_t half = int64_t(1) << (f.currentBits - 1);
    const int64_t q = (int64_t(1) << f.accumulatorBits) - 1;
    return half + q <= int32Max && half + biasMax <= int32Max &&
           vmaxHigh + half + biasMax <= int32Max;
  }
};
} // namespace

const char *isaName(Isa isa) {
  switch (isa) {
  case Isa::Generic:
    return "generic";
  case Isa::Avx2:
    return "avx2";
  case Isa::Avx512:
    return "avx512";
  }
  return "?";
}

bool GoldenModel::isaAvailable(Isa isa) {
  return detail::kernelTable(isa) != nullptr;
}

/// The load-time steps of create(), each filling part of the model.
struct GoldenModel::Loader {
  /// Append the update constants of one compartment (see HotArrays).
  static void prepare(HotArrays &h, const chip::CompartmentParams &p,
                      const chip::NeuronFormat &f, CoreRange &range);
  static std::vector<UpdateRun>
  layoutCompartments(GoldenModel &m, const chip::Image &image, bool wide);
  static void permuteSenders(GoldenModel &m);
  static void orderCompartments(GoldenModel &m,
                                const std::vector<UpdateRun> &cores,
                                const std::vector<uint32_t> &placed);
  static bool sameConstants(const HotArrays &h, uint32_t a, uint32_t b);
  static void appendRun(GoldenModel &m, const UpdateRun &run);
  static void finishRuns(GoldenModel &m);
  static Status chooseKernels(GoldenModel &m, const ModelOptions &options);
  static void wireOutputs(GoldenModel &m, const chip::Image &image);
  static void wireSources(GoldenModel &m, const chip::Image &image);
  static Status mapPopulations(GoldenModel &m, const chip::Image &image);
};

void GoldenModel::Loader::prepare(HotArrays &h,
                                  const chip::CompartmentParams &p,
                                  const chip::NeuronFormat &f,
                                  CoreRange &range) {
  const int64_t full = int64_t(1) << f.decayBits;
  h.scaleU.push_back(int32_t(full - p.decayU - 1));
  h.scaleV.push_back(int32_t(full - p.decayV));
  const int64_t vmin = chip::vminValue(p), vmax = chip::vmaxValue(p, f);
  h.vmin.push_back(int32_t(vmin));
  h.vmax.push_back(int32_t(vmax));
  const int64_t vth = std::min(chip::thresholdValue(p, f), int32Max);
  h.fireAbove.push_back(int32_t((p.flags & chip::NoSpike) ? int32Max : vth));
  h.keepOnSpike.push_back((p.flags & chip::ResetBySubtraction) ? -1 : 0);
  h.refractory.push_back(p.refractory);
  const int64_t bias = chip::biasValue(p);
  h.bias.push_back(bias);
  const bool biasFits = bias >= int32Min && bias <= int32Max;
  h.bias32.push_back(biasFits ? int32_t(bias) : 0);
  range.vmaxHigh = std::max(range.vmaxHigh, vmax);
  range.biasMax = std::max(range.biasMax, bias < 0 ? -bias : bias);
}

bool GoldenModel::Loader::sameConstants(const HotArrays &h, uint32_t a,
                                        uint32_t b) {
  return h.scaleU[a] == h.scaleU[b] && h.scaleV[a] == h.scaleV[b] &&
         h.vmin[a] == h.vmin[b] && h.vmax[a] == h.vmax[b] &&
         h.fireAbove[a] == h.fireAbove[b] &&
         h.keepOnSpike[a] == h.keepOnSpike[b] &&
         h.refractory[a] == h.refractory[b] && h.bias[a] == h.bias[b];
}

/// Append `run`, merged into the last run when the same loop can continue:
/// same variant, and for uniform runs the same constants; runs that count
/// idle updates per run merge only within their core.
void GoldenModel::Loader::appendRun(GoldenModel &m, const UpdateRun &run) {
  UpdateRun *last = m.updateRuns.empty() ? nullptr : &m.updateRuns.back();
  if (last && last->end == run.begin && last->lanes32 == run.lanes32 &&
      last->idle == run.idle && last->uniform == run.uniform &&
      (run.idle != detail::IdlePerRun || last->core == run.core) &&
      (!run.uniform || sameConstants(m.hot, last->begin, run.begin)))
    last->end = run.end;
  else
    m.updateRuns.push_back(run);
}

/// Uniform runs shorter than `minUniform` (after merging across cores) are
/// not worth a loop of their own: they join their non-uniform neighbours.
void GoldenModel::Loader::finishRuns(GoldenModel &m) {
  constexpr uint32_t minUniform = 64;
  std::vector<UpdateRun> runs;
  runs.swap(m.updateRuns);
  for (UpdateRun r : runs) {
    r.uniform = r.uniform && r.end - r.begin >= minUniform;
    appendRun(m, r);
  }
  for (UpdateRun &r : m.updateRuns)
    if (r.uniform) {
      const uint32_t b = r.begin;
      r.folded = uint8_t(
          (m.hot.refractory[b] == 0 ? unsigned(detail::foldedNoRefractory)
                                    : 0u) |
          (m.hot.scaleU[b] == 0 ? unsigned(detail::foldedResetU) : 0u) |
          (m.hot.scaleV[b] == int32_t(1) << m.format.decayBits
               ? unsigned(detail::foldedKeepV)
               : 0u));
    }
}

/// The update constants in global order, and per core its compartments,
/// lane width and idle counting (orderCompartments builds the runs).
std::vector<GoldenModel::UpdateRun>
GoldenModel::Loader::layoutCompartments(GoldenModel &m,
                                        const chip::Image &image, bool wide) {
  std::vector<UpdateRun> cores;
  m.compBegin.assign(1, 0);
  m.axonBegin.assign(1, 0);
  for (uint32_t c = 0; c < image.cores.size(); ++c) {
    const chip::Core &core = image.cores[c];
    bool mayIdle = false;
    CoreRange range;
    for (const chip::CompartmentParams &p : core.compartments) {
      prepare(m.hot, p, m.format, range);
      mayIdle |= p.biasMantissa == 0;
    }
    m.axonCore.insert(m.axonCore.end(), core.inputAxons.size(), c);
    for (const chip::InputAxon &axon : core.inputAxons)
      m.axonSynapseCount.push_back(axon.synapseCount);
    const uint32_t begin = m.compBegin.back();
    const uint32_t end = uint32_t(m.hot.bias.size());
    m.compBegin.push_back(end);
    m.axonBegin.push_back(uint32_t(m.axonCore.size()));
    const bool lanes32 = !wide && range.fits32(m.format);
    cores.push_back({begin, end, c, lanes32,
                     mayIdle ? detail::IdlePerRun : detail::NoIdleCount,
                     false});
  }
  m.position.resize(m.hot.bias.size());
  std::iota(m.position.begin(), m.position.end(), 0u);
  m.atPosition = m.position;
  return cores;
}

/// Compartment senders in update order (sender i = the compartment at
/// position i); the sources' senders stay after them.
void GoldenModel::Loader::permuteSenders(GoldenModel &m) {
  const uint32_t n = m.compartmentCount();
  std::vector<uint32_t> begin(1, 0), rows;
  rows.reserve(m.senderRows.size());
  const auto take = [&](uint32_t k) {
    rows.insert(rows.end(), m.senderRows.begin() + m.senderRowBegin[k],
                m.senderRows.begin() + m.senderRowBegin[k + 1]);
    begin.push_back(uint32_t(rows.size()));
  };
  for (uint32_t i = 0; i < n; ++i)
    take(m.atPosition[i]);
  for (uint32_t k = n; k + 1 < m.senderRowBegin.size(); ++k)
    take(k);
  m.senderRowBegin.swap(begin);
  m.senderRows.swap(rows);
  const auto permute = [&](auto &perSender) {
    std::remove_reference_t<decltype(perSender)> out(perSender);
    for (uint32_t i = 0; i < n; ++i)
      out[i] = perSender[m.atPosition[i]];
    perSender.swap(out);
  };
  permute(m.senderAxons);
  permute(m.senderSynapses);
}

/// Put the constants in update order (m.atPosition), split the positions
/// into update runs and allocate the state. `placed`: the re-ordered
/// populations; each runs in 32-bit lanes only if all its cores can.
void GoldenModel::Loader::orderCompartments(
    GoldenModel &m, const std::vector<UpdateRun> &cores,
    const std::vector<uint32_t> &placed) {
  const uint32_t n = m.compartmentCount();
  std::vector<uint32_t> coreOf(n);
  std::vector<uint8_t> lanes32(n), inPlaced(n, 0);
  for (const UpdateRun &core : cores)
    for (uint32_t g = core.begin; g < core.end; ++g) {
      coreOf[g] = core.core;
      lanes32[g] = core.lanes32;
    }
  for (const uint32_t p : placed) {
    const auto begin = m.neuronCompartment.begin() + m.populationBase[p];
    const auto end = m.neuronCompartment.begin() + m.populationBase[p + 1];
    const bool all32 = std::all_of(
        begin, end, [&](uint32_t g) { return g == none || lanes32[g]; });
    for (auto it = begin; it != end; ++it)
      if (*it != none) {
        lanes32[*it] = all32;
        inPlaced[*it] = 1;
      }
  }
  if (m.reordered) {
    const auto permute = [&](auto &array) {
      std::remove_reference_t<decltype(array)> out(n);
      for (uint32_t i = 0; i < n; ++i)
        out[i] = array[m.atPosition[i]];
      array.swap(out);
    };
    HotArrays &h = m.hot;
    permute(h.scaleU);
    permute(h.scaleV);
    permute(h.vmin);
    permute(h.vmax);
    permute(h.fireAbove);
    permute(h.keepOnSpike);
    permute(h.refractory);
    permute(h.bias);
    permute(h.bias32);
    permute(m.flatNeuronAt);
    permuteSenders(m);
  }
  // Stretches of identical constants (appendRun merges them); finishRuns()
  // then drops the uniform mark of short ones.
  m.updateRuns.clear();
  m.lanes32 = 0;
  bool perCompartment = false;
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t g = m.atPosition[i];
    const UpdateRun &core = cores[coreOf[g]];
    UpdateRun run{i, i + 1, core.core, bool(lanes32[g]), core.idle, true};
    if (inPlaced[g] && run.idle == detail::IdlePerRun)
      run.idle = detail::IdlePerCompartment;
    perCompartment |= run.idle == detail::IdlePerCompartment;
    m.lanes32 += run.lanes32;
    appendRun(m, run);
  }
  finishRuns(m);
  m.hot.u.assign(n, 0);
  m.hot.v.assign(n, 0);
  m.hot.refractoryLeft.assign(n, 0);
  m.hot.fired.assign(n, 0);
  // Room for a whole vector past the last compartment (the AVX-512 loop).
  m.spikingPositions.assign(n + 16, 0);
  m.idlePerCore.assign(cores.size(), 0);
  m.idlePerPosition.assign(perCompartment ? n : 0, 0);
  // Spikes are listed in position order (the runs ascend).
  uint32_t last = 0;
  bool first = true;
  m.spikesInFlatOrder = true;
  for (const uint32_t k : m.flatNeuronAt)
    if (k != none) {
      m.spikesInFlatOrder &= first || k > last;
      first = false;
      last = k;
    }
  const size_t words = (m.populationBase.back() + 63) / 64;
  m.flatBits.assign(m.spikesInFlatOrder ? 0 : words, 0);
  m.flatSummary.assign(m.spikesInFlatOrder ? 0 : (words + 63) / 64, 0);
}

Status GoldenModel::Loader::chooseKernels(GoldenModel &m,
                                          const ModelOptions &options) {
  std::optional<Isa> isa = options.isa;
  if (!isa) {
    if (const char *env = std::getenv("CAJAL_GOLDEN_ISA"); env && *env) {
      for (Isa i : {Isa::Generic, Isa::Avx2, Isa::Avx512})
        if (std::strcmp(env, isaName(i)) == 0)
          isa = i;
      if (!isa)
        return makeError(std::string("CAJAL_GOLDEN_ISA: unknown instruction "
                                     "set \"") +
                         env + "\" (generic, avx2 or avx512)");
    }
  }
  if (isa) {
    m.kernels = detail::kernelTable(*isa);
    m.kernelIsa = *isa;
    if (!m.kernels)
      return makeError(std::string("instruction set ") + isaName(*isa) +
                       " is not available on this CPU or in this build");
  } else {
    for (Isa i : {Isa::Avx512, Isa::Avx2, Isa::Generic})
      if ((m.kernels = detail::kernelTable(i))) {
        m.kernelIsa = i;
        break;
      }
  }
  if (m.kernelIsa == Isa::Avx512)
    m.fused = detail::fusedAvx512Kernels();
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
  m.flatNeuronAt.assign(m.compartmentCount(), none);
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
        m.flatNeuronAt[g] = base + sl.firstNeuron + k;
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

/// Synapse rows by sender (see the file comment).
struct GoldenModel::RowBuilder {
  RowBuilder(GoldenModel &model, const chip::Image &img,
             const chip::SynapseFormat &synapseFormat)
      : m(model), image(img), format(synapseFormat) {}
  GoldenModel &m;
  const chip::Image &image;
  const chip::SynapseFormat &format;
  uint32_t senderCount = 0;
  /// Per global input axon: senders reaching it, and (for an axon of one
  /// sender) that sender, and where its group starts in `synapses`.
  std::vector<uint32_t> axonSenders, axonOwner, axonStart;
  /// Senders of each shared row (row senderCount + i).
  std::vector<uint32_t> sharedRowSenders;

  /// Call f(sender, global axon) for every axon of every sender.
  template <typename F> void forEachSenderAxon(F f) const {
    const uint32_t n = m.compartmentCount();
    for (uint32_t g = 0; g < n; ++g)
      for (uint32_t o = m.outBegin[g]; o < m.outBegin[g + 1]; ++o)
        f(g, m.outTargets[o]);
    for (uint32_t ch = 0; ch + 1 < m.channelTargetBegin.size(); ++ch)
      for (uint32_t k = m.channelTargetBegin[ch];
           k < m.channelTargetBegin[ch + 1]; ++k)
        f(n + ch, m.channelTargets[k]);
  }
  void countSenders();
  void layoutRows();
  Status unpack();
  /// Whether sortAndBound proved that int32 accumulators suffice, and
  /// int16 ones holding input / 2^shift16.
  bool fits32 = false, fits16 = false;
  unsigned shift16 = 0;
  Status sortAndBound(bool wide, bool narrow);
  /// Populations placeAccumulators re-ordered.
  std::vector<uint32_t> placedPopulations;
  void placeAccumulators();
  void layoutSlots();
  void allocateRing();
  void buildWindows();
  void shareWideWeights();
  void narrowWeights();
};

void GoldenModel::RowBuilder::countSenders() {
  senderCount =
      m.compartmentCount() + uint32_t(m.channelTargetBegin.size() - 1);
  const size_t axons = m.axonCore.size();
  axonSenders.assign(axons, 0);
  axonOwner.assign(axons, none);
  m.senderAxons.assign(senderCount, 0);
  m.senderSynapses.assign(senderCount, 0);
  m.senderSpikes.assign(senderCount, 0);
  forEachSenderAxon([&](uint32_t k, uint32_t a) {
    ++axonSenders[a];
    axonOwner[a] = k;
    ++m.senderAxons[k];
    m.senderSynapses[k] += m.axonSynapseCount[a];
  });
}

void GoldenModel::RowBuilder::layoutRows() {
  // Rows 0 .. senderCount-1 are the private rows; then one row per shared
  // axon. axonStart places each axon's group (none: reached by no sender).
  std::vector<uint64_t> privateSize(senderCount, 0);
  for (size_t a = 0; a < axonSenders.size(); ++a)
    if (axonSenders[a] == 1)
      privateSize[axonOwner[a]] += m.axonSynapseCount[a];
  m.rowBegin.assign(1, 0);
  for (uint32_t k = 0; k < senderCount; ++k)
    m.rowBegin.push_back(uint32_t(m.rowBegin.back() + privateSize[k]));
  axonStart.assign(axonSenders.size(), none);
  // The owners are not needed any more: their array becomes the row of
  // each shared axon (saves a 4-byte array per input axon at 10^7 axons).
  std::vector<uint32_t> &sharedRow = axonOwner;
  for (size_t a = 0; a < axonSenders.size(); ++a) {
    if (axonSenders[a] < 2)
      continue;
    sharedRow[a] = uint32_t(m.rowBegin.size() - 1);
    sharedRowSenders.push_back(axonSenders[a]);
    axonStart[a] = m.rowBegin.back();
    m.rowBegin.push_back(m.rowBegin.back() + m.axonSynapseCount[a]);
  }
  // Private groups go one after the other into their sender's row, in the
  // sender's axon order; every sender's row list is its private row (if
  // not empty) and its shared axons' rows.
  std::vector<uint32_t> cursor(m.rowBegin.begin(),
                               m.rowBegin.begin() + senderCount);
  std::vector<uint32_t> rowCount(senderCount, 0);
  forEachSenderAxon([&](uint32_t k, uint32_t a) {
    if (axonSenders[a] == 1) {
      axonStart[a] = cursor[k];
      cursor[k] += m.axonSynapseCount[a];
    } else {
      ++rowCount[k];
    }
  });
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
  forEachSenderAxon([&](uint32_t k, uint32_t a) {
    if (axonSenders[a] > 1)
      m.senderRows[fill[k]++] = sharedRow[a];
  });
  m.rowEvents.assign(m.senderRows.size(), 0);
  std::vector<uint32_t>().swap(axonSenders); // unpack() needs axonStart only
  std::vector<uint32_t>().swap(axonOwner);
}

Status GoldenModel::RowBuilder::unpack() {
  const uint64_t n = m.compartmentCount();
  if ((uint64_t(format.maxDelay) + 1) * n >
      std::numeric_limits<uint32_t>::max())
    return makeError(str(n) + " compartments with delays up to " +
                     str(format.maxDelay) +
                     " exceed the model's 32-bit accumulator index");
  m.synapses.resize(m.rowBegin.back());
  uint32_t maxDelay = 1;
  std::vector<chip::Synapse> group;
  for (uint32_t c = 0; c < image.cores.size(); ++c) {
    const chip::Core &core = image.cores[c];
    for (uint32_t a = 0; a < core.inputAxons.size(); ++a) {
      const chip::InputAxon &axon = core.inputAxons[a];
      const uint32_t start = axonStart[m.axonBegin[c] + a];
      chip::unpackSynapses(core.synapseWords, axon, format, group);
      for (uint32_t i = 0; i < axon.synapseCount; ++i) {
        const chip::Synapse &s = group[i];
        const int64_t w = chip::synapticWeight(s.mantissa, axon.weightExponent,
                                               format.weightShift);
        if (w > int32Max || w < int32Min)
          return makeError("core " + str(c) + ": input axon " + str(a) +
                           ": synapse " + str(i) + ": weight " +
                           std::to_string(w) + " does not fit 32 bits");
        maxDelay = std::max(maxDelay, s.delay);
        if (start != none)
          m.synapses[start + i] = {
              uint32_t(s.delay * n + m.compBegin[c] + s.compartment),
              int32_t(w)};
      }
    }
  }
  // The update of step t consumes slot t % S before step t delivers, so
  // the slot of t + D is the one just consumed: D slots are enough.
  m.ringSlots = maxDelay;
  std::vector<uint32_t>().swap(axonStart);
  return Status::ok();
}

Status GoldenModel::RowBuilder::sortAndBound(bool wide, bool narrow) {
  const uint32_t n = m.compartmentCount();
  std::vector<int64_t> bound(n, 0);
  const uint32_t rows = uint32_t(m.rowBegin.size() - 1);
  for (uint32_t r = 0; r < rows; ++r) {
    FlatSynapse *b = m.synapses.data() + m.rowBegin[r];
    FlatSynapse *e = m.synapses.data() + m.rowBegin[r + 1];
    std::sort(b, e, [](const FlatSynapse &x, const FlatSynapse &y) {
      return x.offset < y.offset;
    });
    // Each sender spikes at most once per step, so a synapse adds at most
    // |weight| x (senders of its row) to the step it arrives in.
    const int64_t senders =
        r < senderCount ? 1 : sharedRowSenders[r - senderCount];
    for (const FlatSynapse *s = b; s != e; ++s) {
      const int64_t w = s->weight < 0 ? -int64_t(s->weight) : s->weight;
      bound[s->offset % n] += w * senders;
    }
  }
  fits32 = !wide && std::all_of(bound.begin(), bound.end(),
                                [](int64_t b) { return b <= int32Max; });
  // int16 accumulators hold the input in units of the largest power of two
  // that divides every weight; a compartment's bound is a multiple of it.
  uint32_t weightBits = 0;
  for (const FlatSynapse &s : m.synapses)
    weightBits |= uint32_t(s.weight);
  shift16 = weightBits == 0 ? 0 : unsigned(__builtin_ctz(weightBits));
  constexpr int64_t int16Max = std::numeric_limits<int16_t>::max();
  fits16 = fits32 && narrow &&
           std::all_of(bound.begin(), bound.end(),
                       [&](int64_t b) { return (b >> shift16) <= int16Max; });
  m.ringStride = n;
  return Status::ok();
}

void GoldenModel::RowBuilder::placeAccumulators() {
  const uint32_t n = m.compartmentCount();
  const uint32_t rows = uint32_t(m.rowBegin.size() - 1);
  // A sample of the rows: their synapses into each population, as (row,
  // delay, neuron). Runs of adjacent accumulators in it measure an order.
  const uint32_t every = std::max(1u, rows / 512);
  std::vector<std::vector<std::array<uint32_t, 3>>> sample(m.populationCount());
  for (uint32_t r = 0; r < rows; r += every)
    for (uint32_t i = m.rowBegin[r]; i < m.rowBegin[r + 1]; ++i) {
      const uint32_t c = m.synapses[i].offset % n;
      if (const uint32_t p = m.compPopulation[c]; p != none)
        sample[p].push_back({r, m.synapses[i].offset / n,
                             m.flatNeuronAt[c] - m.populationBase[p]});
    }
  std::vector<std::array<uint32_t, 3>> keyed;
  const auto runs = [&](uint32_t p, uint32_t period) {
    // Neuron j at (j % period) * (size / period) + j / period: the
    // channels-first layout of `size / period` channels made channels-last.
    const uint32_t channels = m.populationSize(p) / period;
    keyed = sample[p];
    for (auto &k : keyed)
      k[2] = k[2] % period * channels + k[2] / period;
    std::sort(keyed.begin(), keyed.end());
    uint64_t count = 0;
    for (size_t i = 0; i < keyed.size(); ++i)
      count += !(i > 0 && keyed[i][0] == keyed[i - 1][0] &&
                 keyed[i][1] == keyed[i - 1][1] &&
                 keyed[i][2] <= keyed[i - 1][2] + 1);
    return count;
  };
  // Per population, the channel count (a divisor of its size) whose
  // channels-last order gives the fewest runs; taken when it halves them.
  std::vector<uint32_t> tail; // re-ordered compartments, in their new order
  for (uint32_t p = 0; p < m.populationCount(); ++p) {
    const uint32_t size = m.populationSize(p);
    if (size < 2 * wideLanes || sample[p].empty())
      continue;
    const uint64_t now = runs(p, size);
    uint64_t best = now;
    uint32_t bestPeriod = size;
    for (uint32_t period = 2; period <= size / 2; ++period)
      if (size % period == 0)
        if (const uint64_t r = runs(p, period); r < best) {
          best = r;
          bestPeriod = period;
        }
    if (best * 2 > now)
      continue;
    const uint32_t channels = size / bestPeriod;
    for (uint32_t k = 0; k < size; ++k) // k = position * channels + channel
      if (const uint32_t c =
              m.compartmentOf(p, k % channels * bestPeriod + k / channels);
          c != none)
        tail.push_back(c);
    placedPopulations.push_back(p);
  }
  if (!tail.empty()) {
    // The re-ordered populations first, one after the other (from position
    // 0, a 64-byte boundary: a convolution's windows of 16 channels are
    // then aligned), then the other compartments in global order.
    std::vector<uint8_t> moved(n, 0);
    for (const uint32_t c : tail)
      moved[c] = 1;
    m.atPosition = tail;
    for (uint32_t c = 0; c < n; ++c)
      if (!moved[c])
        m.atPosition.push_back(c);
    for (uint32_t i = 0; i < n; ++i)
      m.position[m.atPosition[i]] = i;
    m.reordered = true;
    m.layout.placedCompartments = tail.size();
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
  const uint32_t rows = uint32_t(m.rowBegin.size() - 1);
  for (uint32_t r = 0; r < rows; ++r) {
    FlatSynapse *b = m.synapses.data() + m.rowBegin[r];
    FlatSynapse *e = m.synapses.data() + m.rowBegin[r + 1];
    for (FlatSynapse *s = b; s != e; ++s)
      s->offset = s->offset / n * m.ringStride + m.position[s->offset % n];
    if (m.reordered)
      std::sort(b, e, [](const FlatSynapse &x, const FlatSynapse &y) {
        return x.offset < y.offset;
      });
  }
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
  const size_t total = m.synapses.size();
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
    const FlatSynapse *s = m.synapses.data() + m.rowBegin[r];
    const FlatSynapse *e = m.synapses.data() + m.rowBegin[r + 1];
    uint64_t delayEnd = 0; // past the current part's accumulators
    while (s != e) {
      if (s->offset >= delayEnd) {
        const uint32_t delayOffset = s->offset / n * n;
        delayEnd = uint64_t(delayOffset) + n;
        startPart(delayOffset);
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
        m.synapses[singles++] = *s++;
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
  const bool shrink = singles < m.synapses.size() / 2;
  m.synapses.resize(singles);
  if (shrink)
    m.synapses.shrink_to_fit();
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
/// copies stay in cache (the CNN of bench/peer-brian2: 4.8 of 75 k).
void GoldenModel::RowBuilder::shareWideWeights() {
  std::vector<detail::WideWeights> &w = m.wideWeights;
  const uint32_t count = uint32_t(w.size());
  std::vector<uint32_t> order(count);
  std::iota(order.begin(), order.end(), 0u);
  const auto less = [&](uint32_t a, uint32_t b) {
    return std::memcmp(w[a].lane, w[b].lane, sizeof w[a].lane) < 0;
  };
  std::stable_sort(order.begin(), order.end(), less);
  // first[i]: the first window with i's weights (equal ones are adjacent
  // in `order`, the first of them first).
  std::vector<uint32_t> first(count);
  for (uint32_t k = 0; k < count; ++k)
    first[order[k]] =
        k > 0 && !less(order[k - 1], order[k]) ? first[order[k - 1]] : order[k];
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
  for (FlatSynapse &s : m.synapses)
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

Result<GoldenModel> GoldenModel::create(const chip::Image &image,
                                        const chip::Profile &profile,
                                        const ModelOptions &options) {
  if (!options.imageValidated)
    if (Status s = chip::validate(image, profile); !s)
      return makeError(s.error());
  GoldenModel m;
  m.format = profile.neuron;
  if (Status s = Loader::chooseKernels(m, options); !s)
    return makeError(s.error());
  const std::vector<UpdateRun> cores =
      Loader::layoutCompartments(m, image, options.wideArithmetic);
  Loader::wireOutputs(m, image);
  Loader::wireSources(m, image);
  if (Status s = Loader::mapPopulations(m, image); !s)
    return makeError(s.error());
  RowBuilder rows{m, image, profile.synapse};
  rows.countSenders();
  rows.layoutRows();
  if (Status s = rows.unpack(); !s)
    return makeError(s.error());
  if (Status s =
          rows.sortAndBound(options.wideArithmetic, options.narrowAccumulators);
      !s)
    return makeError(s.error());
  if (rows.fits32 && options.placeAccumulators)
    rows.placeAccumulators();
  else if (rows.fits32)
    rows.layoutSlots();
  rows.allocateRing();
  if (m.accumulatorBits() < 64)
    rows.buildWindows();
  Loader::orderCompartments(m, cores, rows.placedPopulations);
  m.layout.wideWindows = m.wideOffset.size();
  m.layout.narrowWindows = m.narrowOffset.size();
  m.layout.singleSynapses = m.synapses.size();
  m.sourceSpiking.reserve(m.channelTargetBegin.size() - 1);
  return m;
}

} // namespace cajal::golden
