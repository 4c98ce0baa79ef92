//===- GoldenRecord.h - A golden-model run recorded for comparison -*- C++
//-*-===//
//
// The tests that split the golden model's work (threads, parts) run one random
// network several ways and compare everything a run shows: the spikes of
// every step, the final state words, the counters and the per-core counters.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_TESTSUPPORT_GOLDENRECORD_H
#define CAJAL_TESTSUPPORT_GOLDENRECORD_H

#include "cajal/Chip/CoreTables.h"
#include "cajal/Golden/GoldenModel.h"
#include "cajal/ImageGen/RandomImage.h"
#include "cajal/TestSupport/Files.h"
#include "cajal/TestSupport/RandomRuns.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace cajal::test {

struct GoldenRecord {
  std::vector<std::vector<uint32_t>> spikes; ///< per step
  std::vector<std::vector<int32_t>> state;   ///< per compartment, at the end
  emulator::Counters counters;
  std::vector<emulator::CoreCounters> cores;
  std::vector<uint8_t> owned;  ///< per core: GoldenModel::ownsCore
  std::vector<uint32_t> begin; ///< first compartment of each core, and end
  unsigned accumulatorBits = 0;
  uint32_t threads = 0;
};

/// How recordGolden hands the image to GoldenModel::create.
enum class ImageUse {
  Borrow,  ///< create(const Image &)
  Consume, ///< create(Image &&) of a copy, whose tables it must release
  /// create(Image &&, CoreTables &) from the image written to a file and
  /// read with chip::readImageStreamed, as `cajal run` does
  Stream
};

/// `steps` steps of the golden model built with `options` on `net`, with the
/// network's External spikes.
inline GoldenRecord recordGolden(const imagegen::RandomNetwork &net,
                                 const chip::Profile &profile,
                                 const golden::ModelOptions &options,
                                 uint32_t steps,
                                 ImageUse use = ImageUse::Borrow) {
  chip::Image consumed;
  if (use == ImageUse::Consume)
    consumed = net.image;
  const auto streamed = [&]() -> Result<golden::GoldenModel> {
    TempDir dir;
    const std::string path = dir.file("net.cjimg");
    if (Status written = chip::writeImage(net.image, path); !written)
      return Error{written.error()};
    Result<chip::StreamedImage> read = chip::readImageStreamed(path, profile);
    if (!read)
      return read.takeError();
    for (const chip::Core &core : read->image.cores)
      EXPECT_TRUE(core.inputAxons.empty() && core.synapseWords.empty())
          << "readImageStreamed kept a core's synapse tables";
    return golden::GoldenModel::create(std::move(read->image), *read->tables,
                                       profile, options);
  };
  Result<golden::GoldenModel> m =
      use == ImageUse::Stream ? streamed()
      : use == ImageUse::Consume
          ? golden::GoldenModel::create(std::move(consumed), profile, options)
          : golden::GoldenModel::create(net.image, profile, options);
  EXPECT_TRUE(bool(m)) << m.error();
  if (m && use == ImageUse::Consume) {
    for (const chip::Core &core : consumed.cores) {
      EXPECT_TRUE(core.inputAxons.empty() && core.synapseWords.empty() &&
                  core.outputAxons.empty())
          << "create(Image &&) kept a core's synapse tables";
    }
  }
  GoldenRecord r;
  if (!m)
    return r;
  EXPECT_TRUE(
      bool(m->setExternalSpikes(test::externalRecords(net, m->nodes()))));
  for (uint32_t t = 0; t < steps; ++t) {
    m->step();
    r.spikes.push_back(m->lastSpikingCompartments());
  }
  for (uint32_t c = 0; c < m->compartmentCount(); ++c)
    r.state.push_back(m->compartmentStateWords(c));
  r.counters = m->counters();
  r.cores = m->coreCounters();
  r.begin = m->coreCompartmentBegin();
  for (uint32_t c = 0; c + 1 < r.begin.size(); ++c)
    r.owned.push_back(m->ownsCore(c));
  r.accumulatorBits = m->accumulatorBits();
  r.threads = m->threadCount();
  return r;
}

/// Weights whose sums fit int16 accumulators: weight exponents of 0, and
/// Poisson group channels, which may send 255 spikes in one step (the
/// bound the golden model must assume), turned into Poisson channels that
/// fire when the group would send one or more (probability 1 - e^-mean).
inline void int16Weights(chip::Image &image) {
  for (chip::Core &core : image.cores)
    for (chip::InputAxon &axon : core.inputAxons)
      axon.weightExponent = 0;
  for (chip::Source &s : image.sources)
    if (s.kind == chip::SourceKind::PoissonGroup) {
      s.kind = chip::SourceKind::Poisson;
      s.probability = ~s.probability;
    }
}

/// Options (and, for int16, weights) that give seed after seed int16, int32
/// and int64 accumulators in turn.
inline golden::ModelOptions
rotateAccumulatorWidths(imagegen::RandomNetwork &net, uint64_t seed) {
  if (seed % 3 == 0)
    int16Weights(net.image);
  golden::ModelOptions options;
  options.narrowAccumulators = seed % 3 != 1;
  options.wideArithmetic = seed % 3 == 2;
  return options;
}

} // namespace cajal::test

#endif // CAJAL_TESTSUPPORT_GOLDENRECORD_H
