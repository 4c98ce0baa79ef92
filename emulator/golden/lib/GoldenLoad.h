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
#include <vector>

namespace cajal::golden {

namespace detail {
/// Value ranges of one core's compartments, for the 32-bit proof
/// (Loader.cpp).
struct CoreRange;
} // namespace detail

/// The load-time steps of create(), each filling part of the model.
struct GoldenModel::Loader {
  /// Append the update constants of one compartment (see HotArrays).
  static void prepare(HotArrays &h, const chip::CompartmentParams &p,
                      const chip::NeuronFormat &f, detail::CoreRange &range);
  static std::vector<UpdateRun>
  layoutCompartments(GoldenModel &m, const chip::Image &image, bool wide,
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
  static Status prepareThreads(GoldenModel &m, const ModelOptions &options);
  /// ModelOptions::parts: which cores this part updates (after
  /// layoutCompartments). Errors name the option and its value.
  static Status assignPart(GoldenModel &m, const chip::Image &image,
                           const chip::Profile &profile,
                           const ModelOptions &options);
  static void permuteSenders(GoldenModel &m);
  static void orderCompartments(GoldenModel &m,
                                const std::vector<UpdateRun> &cores,
                                const std::vector<uint32_t> &placed,
                                const std::vector<uint8_t> &interpreted);
  static bool sameConstants(const HotArrays &h, uint32_t a, uint32_t b);
  static void appendRun(GoldenModel &m, const UpdateRun &run);
  static void finishRuns(GoldenModel &m);
  static Status chooseKernels(GoldenModel &m, const ModelOptions &options);
  static void wireOutputs(GoldenModel &m, const chip::Image &image);
  static void wireSources(GoldenModel &m, const chip::Image &image);
  static Status mapPopulations(GoldenModel &m, const chip::Image &image);
};

/// Synapse rows by sender (RowBuilder.cpp).
struct GoldenModel::RowBuilder {
  RowBuilder(GoldenModel &model, const chip::Image &img,
             const chip::SynapseFormat &synapseFormat, unsigned loadThreads)
      : m(model), image(img), format(synapseFormat), threads(loadThreads) {}
  GoldenModel &m;
  const chip::Image &image;
  const chip::SynapseFormat &format;
  /// Threads unpack() spreads the cores over (ModelOptions::threads).
  unsigned threads;
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
  /// The same for the axons of the cores this model updates
  /// (ModelOptions::parts): the synapses it delivers.
  template <typename F> void forEachDeliveredAxon(F f) const {
    forEachSenderAxon([&](uint32_t k, uint32_t a) {
      if (m.ownsCore(m.axonCore[a]))
        f(k, a);
    });
  }
  void countSenders();
  void layoutRows();
  Status unpack();
  /// unpack()'s work for core `c`; raises `maxDelay` to its largest delay.
  Status unpackCore(uint32_t c, uint32_t &maxDelay);
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

} // namespace cajal::golden

#endif // CAJAL_GOLDEN_LIB_GOLDENLOAD_H
