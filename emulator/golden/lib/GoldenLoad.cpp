//===- GoldenLoad.cpp - Build the golden model from a chip image ----------===//
//
// GoldenModel::create validates the image, then runs the load steps in
// order (GoldenLoad.h): Loader picks the update loop's instruction set and
// flattens the compartments, output axons, sources and populations into
// global indices; RowBuilder regroups the synapses into rows by sender,
// proves the accumulator width, re-orders populations for delivery and
// builds the delivery windows; Loader then puts the compartments in update
// order and builds the update runs.
//
//===----------------------------------------------------------------------===//
#include "GoldenLoad.h"
#include "HugePages.h"
#include "UpdateKernels.h"
#include "WorkerPool.h"
#include "cajal/Chip/ParallelFor.h"

#include <algorithm>
#include <cassert>
#include <map>
#include <numeric>
#include <string>

namespace cajal::golden {

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

Result<GoldenModel> GoldenModel::create(const chip::Image &image,
                                        const chip::Profile &profile,
                                        const ModelOptions &options) {
  chip::ImageTables tables(image, nullptr);
  return build(image, nullptr, tables, profile, options);
}

Result<GoldenModel> GoldenModel::create(chip::Image &&image,
                                        const chip::Profile &profile,
                                        const ModelOptions &options) {
  chip::ImageTables tables(image, &image);
  return build(image, &image, tables, profile, options);
}

Result<GoldenModel> GoldenModel::create(chip::Image &&image,
                                        chip::CoreTables &tables,
                                        const chip::Profile &profile,
                                        const ModelOptions &options) {
  if (tables.coreCount() != image.cores.size())
    return makeError("the image has " + std::to_string(image.cores.size()) +
                     " cores, its synapse tables " +
                     std::to_string(tables.coreCount()));
  ModelOptions validated = options;
  validated.imageValidated = true; // by readImageStreamed
  return build(image, &image, tables, profile, validated);
}

Result<GoldenModel> GoldenModel::build(const chip::Image &image,
                                       chip::Image *releasable,
                                       chip::CoreTables &tables,
                                       const chip::Profile &profile,
                                       const ModelOptions &options) {
  if (!options.imageValidated)
    if (Status s = chip::validate(image, profile); !s)
      return makeError(s.error());
  if (options.threads == 0)
    return makeError("threads: 0; a run needs at least 1");
  // The load's per-core work (unpacking, sorting the rows) runs on the
  // machine's threads, more than the run's when it asks for fewer: the
  // model built is the same on any number.
  const uint32_t loadThreads = std::max(options.threads, chip::loadThreads());
  GoldenModel m;
  m.format = profile.neuron;
  if (Status s = Loader::chooseKernels(m, options); !s)
    return makeError(s.error());
  chip::ResolvedPrograms resolved;
  std::vector<uint8_t> interpreted;
  if (Status s = Loader::resolvePrograms(image, profile, options, resolved,
                                         interpreted);
      !s)
    return makeError(s.error());
  const std::vector<UpdateRun> cores = Loader::layoutCompartments(
      m, image, tables, options.wideArithmetic, interpreted);
  const uint64_t synapseTotal = std::accumulate(
      m.axonSynapseCount.begin(), m.axonSynapseCount.end(), uint64_t(0));
  // Every synapse is in a row when every core is delivered here and none
  // learns (and every axon has a sender, which the layout tells). A large
  // array is then cleared aside (ModelOptions::clearSynapsesAsideFrom: the
  // 1M-neuron load's unpack starts about 2 s sooner), a small one by unpack
  // (CUBA 4k's 2.5 MB took 7 ms aside, 2 ms there).
  const bool learns = image.learning.enabled();
  const bool warm = loadThreads > 1 && options.parts == 1 && !learns &&
                    synapseTotal * sizeof(detail::FlatSynapse) >=
                        options.clearSynapsesAsideFrom;
  detail::WarmArray<detail::FlatSynapse> synapses(warm ? synapseTotal : 0,
                                                  warm);
  if (Status s = Loader::assignPart(m, image, profile, options); !s)
    return makeError(s.error());
  Loader::wireOutputs(m, image, tables, releasable);
  Loader::wireSources(m, image);
  if (Status s = Loader::mapPopulations(m, image); !s)
    return makeError(s.error());
  // Learning and reward groups stay out of the rows (GoldenLearning.cpp);
  // an image that learns runs with int64 accumulators in compartment order
  // and a ring long enough for any learned delay.
  if (Status s = Loader::loadLearning(m, image, tables, profile, options); !s)
    return makeError(s.error());
  assert(!warm || (m.coreOwned.empty() && m.sideOf.empty()));
  RowBuilder rows{m, tables, profile.synapse, loadThreads};
  if (!rows.layoutPrivateRows(synapseTotal)) {
    rows.countSenders();
    rows.layoutRows();
  }
  if (Status s = rows.unpack(synapses.take()); !s)
    return makeError(s.error());
  if (learns)
    m.ringSlots = std::max(m.ringSlots, profile.synapse.maxDelay);
  if (Status s = rows.sortAndBound(options.wideArithmetic || learns,
                                   options.narrowAccumulators, interpreted,
                                   options.splitBoundsFrom);
      !s)
    return makeError(s.error());
  if (rows.fits32)
    rows.orderPositions(options.placeAccumulators ? rows.placeAccumulators()
                                                  : std::vector<uint32_t>(),
                        Loader::likeTrees(m, image, resolved, interpreted));
  rows.allocateRing();
  if (m.accumulatorBits() < 64)
    rows.buildWindows();
  Loader::orderCompartments(m, cores, rows.placedPopulations, interpreted,
                            Loader::dendrites(m, image, resolved));
  Loader::setInitialState(m, image, interpreted);
  Loader::foldRuns(m, rows);
  Loader::buildProgramGroups(m, image, profile, options, resolved, interpreted);
  Loader::prepareThreads(m, options);
  m.layout.wideWindows = m.wideOffset.size();
  m.layout.wideWeightCopies =
      std::max(m.wideWeights.size(), m.wideWeights16.size());
  m.layout.narrowWindows = m.narrowOffset.size();
  m.layout.singleSynapses = m.flatSynapses.size();
  m.sourceSpiking.reserve(m.channelTargetBegin.size() - 1);
  return m;
}

Status GoldenModel::Loader::assignPart(GoldenModel &m, const chip::Image &image,
                                       const chip::Profile &profile,
                                       const ModelOptions &options) {
  const uint32_t cores = uint32_t(image.cores.size());
  m.ownedCompartments = m.compartmentCount();
  if (options.parts == 0)
    return makeError("parts: 0; a run has at least 1");
  if (options.part >= options.parts)
    return makeError("part " + std::to_string(options.part) + " of " +
                     std::to_string(options.parts) +
                     ": parts are numbered from 0");
  if (options.parts == 1)
    return Status::ok();
  if (!options.exchange)
    return makeError("parts: " + std::to_string(options.parts) +
                     " needs a spike exchange");
  m.spikeExchange = options.exchange;
  // The work of each chip: its compartments and synapses.
  std::map<uint32_t, uint64_t> chipWork;
  std::vector<uint32_t> chipOfCore(cores);
  for (uint32_t c = 0; c < cores; ++c) {
    const chip::Core &core = image.cores[c];
    chipOfCore[c] = profile.mesh.chipOf(core.x, core.y);
    uint64_t work = core.compartments.size();
    for (uint32_t a = m.axonBegin[c]; a < m.axonBegin[c + 1]; ++a)
      work += m.axonSynapseCount[a];
    chipWork[chipOfCore[c]] += work;
  }
  uint64_t total = 0;
  for (const auto &[chip, work] : chipWork)
    total += work;
  // Chip ranges of about equal work: a chip goes to the part its middle
  // falls in.
  std::map<uint32_t, uint32_t> partOfChip;
  uint64_t before = 0;
  for (const auto &[chip, work] : chipWork) {
    const uint64_t middle = before + work / 2;
    partOfChip[chip] =
        total == 0 ? 0
                   : uint32_t(std::min<uint64_t>(
                         options.parts - 1, middle * options.parts / total));
    before += work;
  }
  m.coreOwned.assign(cores, 0);
  m.ownedCompartments = 0;
  for (uint32_t c = 0; c < cores; ++c)
    if (partOfChip[chipOfCore[c]] == options.part) {
      m.coreOwned[c] = 1;
      m.ownedCompartments += m.compBegin[c + 1] - m.compBegin[c];
    }
  return Status::ok();
}

void GoldenModel::Loader::prepareThreads(GoldenModel &m,
                                         const ModelOptions &options) {
  const uint32_t threads = options.threads; // at least 1 (build)
  m.threadRings = threads;
  if (threads == 1)
    return;
  m.extraRings16.assign(threads - 1, std::vector<int16_t>(m.ring16.size(), 0));
  m.extraRings32.assign(threads - 1, std::vector<int32_t>(m.ring32.size(), 0));
  m.extraRings64.assign(threads - 1, std::vector<int64_t>(m.ring64.size(), 0));
  // Thread t takes the runs up to where t + 1 shares of the compartments
  // are updated.
  uint64_t total = 0;
  for (const UpdateRun &r : m.updateRuns)
    total += r.end - r.begin;
  m.runSplit.assign(1, 0);
  uint64_t done = 0;
  for (size_t k = 0; k < m.updateRuns.size(); ++k) {
    done += m.updateRuns[k].end - m.updateRuns[k].begin;
    while (m.runSplit.size() < threads &&
           done * threads >= total * m.runSplit.size())
      m.runSplit.push_back(k + 1);
  }
  while (m.runSplit.size() <= threads)
    m.runSplit.push_back(m.updateRuns.size());
  m.threadIdleCount.assign(threads, 0);
  m.threadSpikeCount.assign(threads, 0);
  m.threadSpikes.assign(threads, {});
  m.threadIdle.assign(threads, {});
  for (uint32_t t = 1; t < threads; ++t) {
    // Room for a whole vector past the last spike (the AVX-512 loop).
    m.threadSpikes[t].assign(size_t(m.compartmentCount()) + 16, 0);
    m.threadIdle[t].assign(m.idlePerCore.size(), 0);
  }
  m.pool = std::make_shared<detail::WorkerPool>(threads);
}

} // namespace cajal::golden
