//===- GoldenLoad.h - The load steps of GoldenModel::create -----*- C++ -*-===//
//
// Internal to CajalGolden. GoldenModel::create (GoldenLoad.cpp) builds the
// model in steps of two helpers: Loader (Loader.cpp) flattens the
// compartments, their update constants, output axons, sources and
// populations and lays out the update runs; RowBuilder (RowBuilder.cpp)
// regroups the synapses into rows by sender, proves the accumulator width,
// re-orders populations for delivery and builds the delivery windows.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_GOLDEN_LIB_GOLDENLOAD_H
#define CAJAL_GOLDEN_LIB_GOLDENLOAD_H

#include "cajal/Chip/Compartment.h"
#include "cajal/Chip/CompartmentPrograms.h"
#include "cajal/Chip/Image.h"
#include "cajal/Chip/Result.h"
#include "cajal/Golden/GoldenModel.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace cajal::golden {

namespace detail {
/// Value ranges of one core's compartments, for the 32-bit proof
/// (Loader.cpp).
struct CoreRange;
} // namespace detail

/// A run of `count` dendritic trees of `width` compartments each, the first
/// at global compartment `first`, one after the other on one core, alike
/// position by position (Loader::likeTrees).
struct LikeTrees {
  uint32_t first = 0, width = 0, count = 0;
};

/// The load-time steps of create(), each filling part of the model.
struct GoldenModel::Loader {
  /// Append the update constants of one compartment (see HotArrays).
  static void prepare(HotArrays &h, const chip::CompartmentParams &p,
                      const chip::NeuronFormat &f, detail::CoreRange &range);
  /// Takes each core's synapse counts from `tables`.
  static std::vector<UpdateRun>
  layoutCompartments(GoldenModel &m, const chip::Image &image,
                     chip::CoreTables &tables, bool wide,
                     const std::vector<uint8_t> &interpreted);
  /// Which compartments (by global index) the program groups run:
  /// those whose program is outside the LIF family (all with
  /// ModelOptions::interpretLif). Errors name the program.
  static Status resolvePrograms(const chip::Image &image,
                                const chip::Profile &profile,
                                const ModelOptions &options,
                                chip::ResolvedPrograms &resolved,
                                std::vector<uint8_t> &interpreted);
  /// The program groups, once the update order is known (each with its
  /// fast path unless ModelOptions::programFastPaths is off).
  static void buildProgramGroups(GoldenModel &m, const chip::Image &image,
                                 const chip::Profile &profile,
                                 const ModelOptions &options,
                                 const chip::ResolvedPrograms &resolved,
                                 const std::vector<uint8_t> &interpreted);
  /// The LIF compartments' state before step 0 (Core::initialWords; zero
  /// where the image gives none), once the update order is known.
  static void setInitialState(GoldenModel &m, const chip::Image &image,
                              const std::vector<uint8_t> &interpreted);
  /// ModelOptions::threads: the workers, the rings of threads 1.., the
  /// split of the update runs (by compartments), the threads' spike lists.
  static void prepareThreads(GoldenModel &m, const ModelOptions &options);
  /// ModelOptions::parts: which cores this part updates (after
  /// layoutCompartments). Errors name the option and its value.
  static Status assignPart(GoldenModel &m, const chip::Image &image,
                           const chip::Profile &profile,
                           const ModelOptions &options);
  /// Per core, the runs of consecutive dendritic trees with the same
  /// programs position by position (two trees or more of two compartments
  /// or more); the update order lays each run out position by position,
  /// which the fused tree loop needs (TreeKernels.h).
  static std::vector<LikeTrees>
  likeTrees(const GoldenModel &m, const chip::Image &image,
            const chip::ResolvedPrograms &resolved,
            const std::vector<uint8_t> &interpreted);
  static void permuteSenders(GoldenModel &m);
  /// `dendrite` (Loader::dendrites): per global compartment, whether it
  /// is a tree compartment other than the root, which never spikes.
  static void orderCompartments(GoldenModel &m,
                                const std::vector<UpdateRun> &cores,
                                const std::vector<uint32_t> &placed,
                                const std::vector<uint8_t> &interpreted,
                                const std::vector<uint8_t> &dendrite);
  /// Per global compartment, whether it is a dendrite of a tree (in a tree,
  /// not its root); empty when no population has a tree.
  static std::vector<uint8_t> dendrites(const GoldenModel &m,
                                        const chip::Image &image,
                                        const chip::ResolvedPrograms &resolved);
  static bool sameConstants(const HotArrays &h, uint32_t a, uint32_t b);
  static void appendRun(GoldenModel &m, const UpdateRun &run);
  static void finishRuns(GoldenModel &m);
  /// The folded* bits of every uniform run (UpdateKernels.h), after
  /// setInitialState, from the rows' input bounds (RowBuilder::inputRise,
  /// inputFall, inputHold).
  static void foldRuns(GoldenModel &m, const RowBuilder &rows);
  static unsigned provenFolds(const GoldenModel &m, const UpdateRun &r,
                              int64_t rise, int64_t fall, unsigned hold);
  static Status chooseKernels(GoldenModel &m, const ModelOptions &options);
  /// The output axons from `tables`, after layoutCompartments; frees each
  /// core's output table when `releasable` (the image) is given.
  static void wireOutputs(GoldenModel &m, const chip::Image &image,
                          chip::CoreTables &tables, chip::Image *releasable);
  static void wireSources(GoldenModel &m, const chip::Image &image);
  static Status mapPopulations(GoldenModel &m, const chip::Image &image);
  /// The learning and reward groups, traces and rewards of an image that
  /// learns (GoldenLearning.cpp), after wireOutputs and wireSources and
  /// before the rows (which leave those groups out). Errors: parts > 1.
  static Status loadLearning(GoldenModel &m, const chip::Image &image,
                             chip::CoreTables &tables,
                             const chip::Profile &profile,
                             const ModelOptions &options);
};

/// Synapse rows by sender (RowBuilder.cpp).
struct GoldenModel::RowBuilder {
  RowBuilder(GoldenModel &model, chip::CoreTables &coreTables,
             const chip::SynapseFormat &synapseFormat, unsigned loadThreads)
      : m(model), tables(coreTables), format(synapseFormat),
        threads(loadThreads) {}
  GoldenModel &m;
  /// The cores' input axons and synapse words, visited once by unpack(),
  /// which lets them go core by core.
  chip::CoreTables &tables;
  const chip::SynapseFormat &format;
  /// Threads unpack() spreads the cores over (ModelOptions::threads).
  unsigned threads;
  uint32_t senderCount = 0;
  /// Per global input axon while the rows are laid out: how many delivered
  /// senders reach it, and `slot`: after countSenders its (last) sender,
  /// after layoutRows where its group starts in `synapses` (one sender) or
  /// its shared row (several). One record per axon, so that the passes in
  /// sender order, which reach the axons at random, miss the cache once per
  /// axon, not once per array. Once the rows are laid out, the starts go
  /// into m.axonSynapseCount (`none`: no delivered sender), and unpack()
  /// puts each axon's synapse count back as it unpacks its core: 4 bytes
  /// per axon, not 8 more, beside the synapses. layoutRows marks an axon
  /// with one sender (a private group) by `privateCount` in `senders`, its
  /// synapse count in the other bits.
  struct AxonRecord {
    static constexpr uint32_t privateCount = uint32_t(1) << 31;
    uint32_t senders = 0;
    uint32_t slot = 0;
    bool shared() const { return senders > 1 && !(senders & privateCount); }
  };
  std::vector<AxonRecord> axonRecords;
  /// The most spikes of each shared row's senders in one step (row
  /// senderCount + i): one per sender, a Poisson group channel's
  /// kPoissonGroupMaxCount.
  std::vector<uint32_t> sharedRowSenders;
  /// The most spikes sender k sends in one step (a Poisson group channel
  /// repeats its spike, chip::poissonGroupCount).
  uint32_t mostSpikesPerStep(uint32_t k) const;

  /// Call f(sender, global axon) for every axon of every sender, in sender
  /// order; prefetch(a) is called for the axon `prefetchDistance` entries
  /// ahead, so that the random accesses f makes overlap.
  static constexpr uint32_t prefetchDistance = 16;
  template <typename F, typename P>
  void forEachSenderAxon(F f, P prefetch) const {
    const uint32_t n = m.compartmentCount();
    const auto walk = [&](uint32_t firstSender,
                          const std::vector<uint32_t> &begin,
                          const std::vector<uint32_t> &targets) {
      const uint32_t total = begin.empty() ? 0 : begin.back();
      uint32_t o = begin.empty() ? 0 : begin[0];
      for (uint32_t k = 0; k + 1 < begin.size(); ++k)
        for (; o < begin[k + 1]; ++o) {
          if (o + prefetchDistance < total)
            prefetch(targets[o + prefetchDistance]);
          f(firstSender + k, targets[o]);
        }
    };
    walk(0, m.outBegin, m.outTargets);
    walk(n, m.channelTargetBegin, m.channelTargets);
  }
  /// The sender counts of every sender's axons; the synapse and spike
  /// counters zeroed.
  void countSenderAxons();
  /// The layout when every delivered axon has one sender (no shared rows),
  /// every core is owned and none learns: one pass in sender order puts
  /// each axon's start in m.axonSynapseCount. False, with the counts as
  /// they were, when that does not hold: then countSenders and layoutRows.
  bool layoutPrivateRows(uint64_t synapseTotal);
  /// Puts back the counts of the first `visits` sender axons, whose starts
  /// layoutPrivateRows wrote before it met a shared axon (`cursor`: where
  /// the next group would have started).
  void restoreCounts(uint64_t visits, uint32_t cursor);
  void countSenders();
  void layoutRows();
  /// `room`: the synapses' array, used when it has the rows' size.
  Status unpack(std::vector<detail::FlatSynapse> room);
  /// unpack()'s work for core `c`; raises `maxDelay` to its largest delay.
  Status unpackCore(uint32_t c, const std::vector<chip::InputAxon> &axons,
                    const std::vector<uint64_t> &words, uint32_t &maxDelay);
  /// Whether sortAndBound proved that int32 accumulators suffice, and
  /// int16 ones holding input / 2^shift16.
  bool fits32 = false, fits16 = false;
  unsigned shift16 = 0;
  /// Per global compartment, the most its input can rise and fall in one
  /// step (sortAndBound): the sums of weight x senders over its synapses of
  /// positive and of negative weight (the latter negated).
  std::vector<int64_t> inputRise, inputFall;
  /// Per global compartment, the shortest refractory hold of the senders
  /// whose rows reach it (0 for sources, shared rows and compartments that
  /// run programs): each of those rows arrives at most once in hold + 1
  /// steps.
  std::vector<uint8_t> inputHold;
  /// `runsProgram`: per global compartment, whether it runs a program
  /// (Loader::resolvePrograms' `interpreted`), not the LIF loops.
  /// `splitFrom`: ModelOptions::splitBoundsFrom.
  Status sortAndBound(bool wide, bool narrow,
                      const std::vector<uint8_t> &runsProgram,
                      uint64_t splitFrom);
  /// Populations placeAccumulators re-ordered.
  std::vector<uint32_t> placedPopulations;
  /// The compartments of the populations whose accumulators are better
  /// placed channels-last, in their new order (placedPopulations).
  std::vector<uint32_t> placeAccumulators();
  /// The update order: `placed` first, then every other compartment in
  /// global order, except that each run of like trees (Loader::likeTrees)
  /// lies position by position; then layoutSlots.
  void orderPositions(const std::vector<uint32_t> &placed,
                      const std::vector<LikeTrees> &treeRuns);
  void layoutSlots();
  /// work(b, e) for blocks of rows [b, e) of about equal synapse counts,
  /// on the load threads (no row's work touches another row).
  void forEachRowBlock(const std::function<void(uint32_t, uint32_t)> &work);
  void allocateRing();
  void buildWindows();
  void shareWideWeights();
  void narrowWeights();
};

} // namespace cajal::golden

#endif // CAJAL_GOLDEN_LIB_GOLDENLOAD_H
