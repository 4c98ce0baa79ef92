//===- Loader.cpp - Compartments, outputs, sources, populations -----------===//
//
// GoldenModel::Loader flattens the image. Compartments of all cores get one
// global index (core by core) and their update constants are precomputed
// into structure-of-arrays (see GoldenModel.h); input axons likewise get
// global indices.
//
// Per core the loader proves whether the 32-bit update loop is exact: u
// stays in [-2^(c-1), 2^(c-1)) (c = currentBits) and v in [vmin, vmax], so
// every intermediate of the update fits 32 bits when decayBits <= 15,
// c <= 31, accumulatorBits <= 30, 2^(c-1) + 2^accumulatorBits - 1 < 2^31
// and vmax + 2^(c-1) + |bias| < 2^31 (v + u + bias may pass below INT32_MIN,
// as vmin goes down to -2^31 + 1: the loop detects that, UpdateKernels.cpp).
// Other cores use 64-bit lanes.
//
// Once RowBuilder has chosen the update order (re-ordered populations take
// the first positions), orderCompartments lays the constants out in that
// order and builds the update runs over positions.
//
//===----------------------------------------------------------------------===//
#include "GoldenLoad.h"
#include "HugePages.h"
#include "UpdateKernels.h"
#include "cajal/Chip/StandardPrograms.h"
#include "cajal/Emulator/PopulationMap.h"

#include <map>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <numeric>
#include <optional>
#include <string>

namespace cajal::golden {

namespace {
constexpr uint32_t none = std::numeric_limits<uint32_t>::max();
constexpr int64_t int32Max = std::numeric_limits<int32_t>::max();
constexpr int64_t int32Min = std::numeric_limits<int32_t>::min();
} // namespace

namespace detail {
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
} // namespace detail

void GoldenModel::Loader::prepare(HotArrays &h,
                                  const chip::CompartmentParams &p,
                                  const chip::NeuronFormat &f,
                                  detail::CoreRange &range) {
  const chip::LifConstants lif = chip::lifConstants(p, f);
  h.scaleU.push_back(int32_t(lif.scaleU));
  h.scaleV.push_back(int32_t(lif.scaleV));
  const int64_t vmin = lif.vmin, vmax = lif.vmax;
  h.vmin.push_back(int32_t(vmin));
  h.vmax.push_back(int32_t(vmax));
  h.fireAbove.push_back(int32_t(lif.fireAbove));
  h.keepOnSpike.push_back(lif.resetBySubtraction ? -1 : 0);
  h.refractory.push_back(lif.refractory);
  const int64_t bias = lif.bias;
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
}

/// The update constants in global order, and per core its compartments,
/// lane width and idle counting (orderCompartments builds the runs).
std::vector<GoldenModel::UpdateRun> GoldenModel::Loader::layoutCompartments(
    GoldenModel &m, const chip::Image &image, chip::CoreTables &tables,
    bool wide, const std::vector<uint8_t> &interpreted) {
  std::vector<UpdateRun> cores;
  m.compBegin.assign(1, 0);
  m.axonBegin.assign(1, 0);
  // Read at random when the synapses are regrouped by sender.
  m.axonSynapseCount = tables.takeSynapseCounts();
  for (uint32_t c = 0; c < image.cores.size(); ++c) {
    const chip::Core &core = image.cores[c];
    bool mayIdle = false;
    detail::CoreRange range, unused;
    for (uint32_t l = 0; l < core.compartments.size(); ++l) {
      const chip::CompartmentParams &p = core.compartments[l];
      // Interpreted compartments keep (unused) constants, so that the
      // arrays stay indexed by position, but do not widen the core's lanes.
      const bool lif = !interpreted[m.hot.bias.size()];
      prepare(m.hot, p, m.format, lif ? range : unused);
      mayIdle |= lif && p.biasMantissa == 0;
      // The proof bounds |v| by vmax; an initial v beyond it widens the
      // bound for the first update.
      if (lif && !core.initialBegin.empty() &&
          core.initialBegin[l + 1] - core.initialBegin[l] > 1) {
        const int64_t v = core.initialWords[core.initialBegin[l] + 1];
        range.vmaxHigh = std::max(range.vmaxHigh, v < 0 ? -v : v);
      }
    }
    const uint32_t begin = m.compBegin.back();
    const uint32_t end = uint32_t(m.hot.bias.size());
    m.compBegin.push_back(end);
    m.axonBegin.push_back(m.axonBegin.back() +
                          uint32_t(tables.inputAxonCount(c)));
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
    const std::vector<uint32_t> &placed,
    const std::vector<uint8_t> &interpreted,
    const std::vector<uint8_t> &dendrite) {
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
    if (interpreted[g])
      continue; // a program group's (buildProgramGroups)
    if (!m.ownsCore(coreOf[g]))
      continue; // another part's (ModelOptions::parts)
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
  // Spikes are listed in position order (the runs ascend). A tree's
  // dendrites never spike (only its root's spike is listed), whichever
  // population numbers them.
  uint32_t last = 0;
  bool first = true;
  m.spikesInFlatOrder = true;
  for (uint32_t i = 0; i < n; ++i)
    if (const uint32_t k = m.flatNeuronAt[i];
        k != none && (dendrite.empty() || !dendrite[m.atPosition[i]])) {
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
  else if (m.kernelIsa == Isa::Avx2)
    m.fused = detail::fusedAvx2Kernels();
  return Status::ok();
}

void GoldenModel::Loader::wireOutputs(GoldenModel &m, const chip::Image &image,
                                      chip::CoreTables &tables,
                                      chip::Image *releasable) {
  m.outTargets = tables.takeOutputTargets(m.axonBegin);
  m.outBegin.assign(1, 0);
  m.outBegin.reserve(m.compartmentCount() + 1);
  uint32_t coreFirst = 0;
  for (uint32_t c = 0; c < image.cores.size(); ++c) {
    const std::vector<uint32_t> &begin = image.cores[c].outputBegin;
    for (size_t l = 1; l < begin.size(); ++l)
      m.outBegin.push_back(coreFirst + begin[l]);
    coreFirst += begin.empty() ? 0 : begin.back();
    if (releasable)
      std::vector<uint32_t>().swap(releasable->cores[c].outputBegin);
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
  Result<emulator::PopulationMap> map =
      emulator::mapPopulations(image, m.compBegin);
  if (!map)
    return makeError(map.error());
  m.populationBase = std::move(map->populationBase);
  m.neuronCompartment = std::move(map->neuronCompartment);
  m.compPopulation = std::move(map->compartmentPopulation);
  m.flatNeuronAt = std::move(map->compartmentNeuron);
  for (const chip::Population &pop : image.populations)
    m.populationFlags.push_back(uint8_t((pop.recordSpikes ? RecordSpikes : 0) |
                                        (pop.recordState ? RecordState : 0)));
  m.nodeTable = spikeio::NodeTable(image);
  return Status::ok();
}

Status GoldenModel::Loader::resolvePrograms(const chip::Image &image,
                                            const chip::Profile &profile,
                                            const ModelOptions &options,
                                            chip::ResolvedPrograms &resolved,
                                            std::vector<uint8_t> &interpreted) {
  Result<chip::ResolvedPrograms> r = chip::resolvePrograms(image, profile);
  if (!r)
    return r.takeError();
  resolved = std::move(*r);
  interpreted.clear();
  for (size_t c = 0; c < resolved.compartmentProgram.size(); ++c)
    for (size_t l = 0; l < resolved.compartmentProgram[c].size(); ++l) {
      const uint32_t p = resolved.compartmentProgram[c][l];
      // A dendritic tree's compartments leave the LIF runs whatever they
      // run (buildProgramGroups gives them to the tree path).
      const bool inTree =
          !resolved.treeRoot.empty() &&
          resolved.treeRoot[c][l] != chip::ResolvedPrograms::kNotInTree;
      interpreted.push_back(options.interpretLif || !resolved.lifFamily[p] ||
                            inTree);
    }
  return Status::ok();
}

void GoldenModel::Loader::setInitialState(
    GoldenModel &m, const chip::Image &image,
    const std::vector<uint8_t> &interpreted) {
  for (uint32_t c = 0; c < image.cores.size(); ++c) {
    const chip::Core &core = image.cores[c];
    if (core.initialBegin.empty())
      continue;
    for (uint32_t l = 0; l < core.compartments.size(); ++l) {
      const uint32_t g = m.compBegin[c] + l, first = core.initialBegin[l];
      if (interpreted[g] || core.initialBegin[l + 1] == first)
        continue;
      const chip::CompartmentState s =
          chip::lifStateFromWords(&core.initialWords[first]);
      const uint32_t i = m.position[g];
      m.hot.u[i] = s.u;
      m.hot.v[i] = s.v;
      m.hot.refractoryLeft[i] = s.refractoryLeft;
    }
  }
}

namespace {
/// ceil(a / b) for a >= 0, b > 0.
int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }
} // namespace

/// The work a uniform run's update provably leaves out, from its constants
/// (those of position r.begin), the most its compartments' input can rise
/// and fall in a step (Q+, Q-) and its initial state. Each bound below holds
/// for the state a step starts from and so, by induction, for the one it
/// leaves:
/// - u <= U+ and u >= -U-: where u decays (d = 2^decayBits - scaleU > 0)
///   by |u| d / 2^decayBits or more (toward 0) and the input adds at most
///   Q+, U+ = max(u0, ceil(Q+ 2^decayBits / d)) holds, and the same for
///   U- (u taking the input alone: U+ = Q+). Below 2^(c-1) (c =
///   currentBits) u never wraps; else the wrap bounds it by 2^(c-1).
/// - the sum dv + u + bias before the clip is at least
///   L = min(v0, -ceil(P 2^decayBits / dV)) with P = U- - bias: the decay
///   lifts a v < 0 by |v| dV / 2^decayBits or more, which from
///   -ceil(P 2^decayBits / dV) down is at least P. A v at or above L stays
///   there; one below (a start) only rises.
/// - a step stores at most th (quiet: else it fires), 0 (a hold, a reset
///   to zero) or sum - th (reset by subtraction), and the sum adds at most
///   R = U+ + bias to the decayed v: it stays at or below
///   H = max(th, 0, v0) + R, with subtraction only where th >= R (then
///   H - th is at most max(th, 0, v0)).
unsigned GoldenModel::Loader::provenFolds(const GoldenModel &m,
                                          const UpdateRun &r, int64_t rise,
                                          int64_t fall, unsigned hold) {
  const HotArrays &h = m.hot;
  const uint32_t b = r.begin;
  const int64_t full = int64_t(1) << m.format.decayBits;
  const int64_t wrap = int64_t(1) << (m.format.currentBits - 1);
  const int64_t accLimit = (int64_t(1) << m.format.accumulatorBits) - 1;
  const int64_t scaleU = h.scaleU[b], scaleV = h.scaleV[b];
  const int64_t vmin = h.vmin[b], vmax = h.vmax[b], th = h.fireAbove[b];
  const int64_t bias = h.bias32[b];
  const bool resetToZero = h.keepOnSpike[b] == 0;
  // The initial state's extremes (0 stands for resets and holds).
  bool holding = false;
  int64_t leastV = 0, mostV = 0, leastU = 0, mostU = 0;
  for (uint32_t i = r.begin; i < r.end; ++i) {
    holding |= h.refractoryLeft[i] != 0;
    leastV = std::min<int64_t>(leastV, h.v[i]);
    mostV = std::max<int64_t>(mostV, h.v[i]);
    leastU = std::min<int64_t>(leastU, h.u[i]);
    mostU = std::max<int64_t>(mostU, h.u[i]);
  }
  constexpr int64_t unbounded = std::numeric_limits<int64_t>::max() / 4;
  const int64_t dU = full - scaleU;
  // Each sender's row arrives at most once in hold + 1 steps, so the
  // decayed sum of its arrivals is at most 1 / (1 - s^(hold + 1)) times its
  // weight, s = scaleU / 2^decayBits (in double, 10^-9 above: its rounding
  // errors are far below that).
  double heldSum = 0;
  if (scaleU > 0 && dU > 0) {
    const double s = double(scaleU) / double(full);
    double kept = 1;
    for (unsigned k = 0; k <= hold; ++k)
      kept *= s;
    heldSum = (1 + 1e-9) / (1 - kept);
  }
  // The bound of u on one side, from the input's on that side and the
  // start's. (The clip at accLimit bounds each step's input, not the sum
  // of the rows' arrivals: senders out of phase can reach it every step.)
  const auto settle = [&](int64_t input, int64_t start) {
    const int64_t q = std::min(input, accLimit);
    if (scaleU == 0)
      return q;
    if (dU == 0)
      return q == 0 ? start : unbounded;
    const int64_t perStep = std::max(start, ceilDiv(q * full, dU));
    const double held = double(start) + std::ceil(double(input) * heldSum) + 1;
    return held < double(perStep) ? int64_t(held) : perStep;
  };
  int64_t uUp = settle(rise, mostU), uDown = settle(fall, -leastU);
  const bool wrapFree = uUp < wrap && uDown < wrap;
  if (!wrapFree) {
    uUp = std::max(mostU, wrap);
    uDown = std::max(-leastU, wrap);
  }
  const int64_t push = std::max<int64_t>(uDown - bias, 0);
  const int64_t lift = std::max<int64_t>(uUp + bias, 0);
  const int64_t dV = full - scaleV;
  const bool leaks = dV > 0;
  const int64_t sumLow =
      leaks ? std::min(leastV, -ceilDiv(push * full, dV)) : -unbounded;
  const bool highKnown = resetToZero || th >= lift;
  const int64_t sumHigh =
      highKnown ? std::max({th, int64_t(0), mostV}) + lift : unbounded;
  // What v can be stored as, the clips at vmin and vmax included.
  const int64_t lowV =
      std::min(std::max(std::min<int64_t>(vmin, 0), sumLow), leastV);
  const int64_t highV = std::max(mostV, std::min(vmax, sumHigh));
  const bool inRange = rise <= accLimit && fall <= accLimit && wrapFree &&
                       leaks && sumLow >= vmin && sumHigh <= vmax;
  const auto fits31 = [full](int64_t x, int64_t d) {
    return x * d + full - 1 <= int32Max;
  };
  unsigned folded = 0;
  const auto foldIf = [&folded](bool proven, unsigned bit) {
    folded |= proven ? bit : 0u;
  };
  foldIf(h.refractory[b] == 0 && !holding, detail::foldedNoRefractory);
  foldIf(scaleU == 0, detail::foldedResetU);
  foldIf(scaleV == full, detail::foldedKeepV);
  foldIf(lowV - push >= int32Min, detail::foldedNoUnderflow);
  foldIf((scaleU == 0 || fits31(std::max(uUp, uDown), dU)) &&
             (scaleV == full || fits31(std::max(-lowV, highV), dV)),
         detail::foldedShortDecay);
  foldIf(inRange, detail::foldedInRange);
  foldIf(resetToZero, detail::foldedResetToZero);
  return folded;
}

void GoldenModel::Loader::foldRuns(GoldenModel &m, const RowBuilder &rows) {
  for (UpdateRun &r : m.updateRuns) {
    if (!r.uniform)
      continue;
    int64_t rise = 0, fall = 0;
    unsigned hold = std::numeric_limits<uint8_t>::max();
    for (uint32_t i = r.begin; i < r.end; ++i) {
      const uint32_t g = m.atPosition[i];
      rise = std::max(rise, rows.inputRise[g]);
      fall = std::max(fall, rows.inputFall[g]);
      hold = std::min<unsigned>(hold, rows.inputHold[g]);
    }
    r.folded = uint8_t(provenFolds(m, r, rise, fall, hold));
  }
}

std::vector<uint8_t>
GoldenModel::Loader::dendrites(const GoldenModel &m, const chip::Image &image,
                               const chip::ResolvedPrograms &resolved) {
  std::vector<uint8_t> out;
  if (resolved.treeRoot.empty())
    return out;
  out.assign(m.compartmentCount(), 0);
  for (uint32_t c = 0; c < image.cores.size(); ++c)
    for (uint32_t l = 0; l < resolved.treeRoot[c].size(); ++l)
      out[m.compBegin[c] + l] =
          resolved.treeRoot[c][l] != chip::ResolvedPrograms::kNotInTree &&
          resolved.treeRoot[c][l] != l;
  return out;
}

std::vector<LikeTrees>
GoldenModel::Loader::likeTrees(const GoldenModel &m, const chip::Image &image,
                               const chip::ResolvedPrograms &resolved,
                               const std::vector<uint8_t> &interpreted) {
  std::vector<LikeTrees> runs;
  if (resolved.treeRoot.empty())
    return runs;
  for (uint32_t c = 0; c < image.cores.size(); ++c) {
    const std::vector<uint32_t> &root = resolved.treeRoot[c];
    const std::vector<uint32_t> &program = resolved.compartmentProgram[c];
    const uint32_t size = uint32_t(root.size());
    // Whether compartments [l, l + width) are a tree like the one at
    // `first` (its root last, every compartment run by its program).
    const auto alike = [&](uint32_t first, uint32_t l, uint32_t width) {
      if (l + width > size || root[l] != l + width - 1)
        return false;
      for (uint32_t j = 0; j < width; ++j)
        if (root[l + j] != l + width - 1 ||
            !interpreted[m.compBegin[c] + l + j] ||
            program[l + j] != program[first + j])
          return false;
      return true;
    };
    for (uint32_t l = 0; l < size;) {
      if (root[l] == chip::ResolvedPrograms::kNotInTree || root[l] < l) {
        ++l;
        continue;
      }
      const uint32_t width = root[l] - l + 1;
      if (!alike(l, l, width)) {
        l += width;
        continue;
      }
      uint32_t count = 1;
      while (alike(l, l + count * width, width))
        ++count;
      if (width > 1 && count > 1)
        runs.push_back({m.compBegin[c] + l, width, count});
      l += count * width;
    }
  }
  return runs;
}

void GoldenModel::Loader::buildProgramGroups(
    GoldenModel &m, const chip::Image &image, const chip::Profile &profile,
    const ModelOptions &options, const chip::ResolvedPrograms &resolved,
    const std::vector<uint8_t> &interpreted) {
  const uint32_t n = m.compartmentCount();
  m.interpreted =
      uint32_t(std::count(interpreted.begin(), interpreted.end(), uint8_t(1)));
  if (m.interpreted == 0)
    return;
  m.programGroupAt.assign(n, kNoGroup);
  m.programLaneAt.assign(n, 0);
  if (!resolved.treeRoot.empty())
    m.treeAt.assign(n, kNoGroup);
  std::map<uint32_t, uint32_t> groupOf; // program index -> group
  for (uint32_t c = 0; c < image.cores.size(); ++c) {
    if (!m.ownsCore(c))
      continue; // another part's (ModelOptions::parts)
    const chip::Core &core = image.cores[c];
    for (uint32_t l = 0; l < core.compartments.size(); ++l) {
      const uint32_t g = m.compBegin[c] + l;
      if (!interpreted[g])
        continue;
      const uint32_t p = resolved.compartmentProgram[c][l];
      const uint32_t i = m.position[g];
      const std::vector<int64_t> params = chip::compartmentParamWords(
          core, l, resolved.lifFamily[p], profile.neuron);
      if (!m.treeAt.empty() &&
          resolved.treeRoot[c][l] != chip::ResolvedPrograms::kNotInTree) {
        // A neuron's compartments come one after the other, its root last.
        const uint32_t k = m.trees.size();
        m.treeAt[i] = k;
        m.trees.add(i, c, resolved.programs[p], params,
                    chip::initialStateWords(core, l, resolved.programs[p]),
                    k + resolved.treeRoot[c][l] - l);
        continue;
      }
      auto [it, added] = groupOf.emplace(p, uint32_t(m.programGroups.size()));
      if (added) {
        const chip::Program &program = resolved.programs[p];
        m.programGroups.emplace_back(
            program, profile.isa.registers,
            options.programFastPaths
                ? detail::fastPathFor(program, profile.neuron)
                : detail::ProgramKernel::Interpreter,
            m.kernelIsa);
      }
      detail::ProgramGroup &group = m.programGroups[it->second];
      m.programGroupAt[i] = it->second;
      m.programLaneAt[i] = group.laneCount();
      group.addLane(i, c, params,
                    chip::initialStateWords(core, l, resolved.programs[p]));
    }
  }
  for (detail::ProgramGroup &group : m.programGroups)
    group.finish();
  m.trees.finish(profile.isa.registers, m.kernelIsa, profile.neuron,
                 options.programFastPaths);
}

} // namespace cajal::golden
