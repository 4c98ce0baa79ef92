//===- ImageInternal.h - Checks shared by validate and writer ---*- C++ -*-===//
//
// The streaming writer never holds the whole image, so the structural
// checks work on CoreShape (table sizes of a core) instead of Core.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_CHIP_LIB_IMAGEINTERNAL_H
#define CAJAL_CHIP_LIB_IMAGEINTERNAL_H

#include "cajal/Chip/Image.h"
#include "cajal/Chip/ParallelFor.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cajal::chip {

/// How a CORE section's body holds the core's columns (docs/chip-image.md).
enum class CoreEncoding : uint8_t { Stored = 0, Zstd = 1 };
/// Columns shorter than this are stored as they are: compressing a small
/// core gains little, and stored bodies keep small images readable by eye.
constexpr size_t kCompressCoreFrom = 4096;
/// zstd's fastest standard level: compile time matters at scale, and the
/// columns' size comes mostly from the synapses' own bits.
constexpr int kCoreZstdLevel = 1;
/// A zstd frame expands its input at most 2^15-fold (an RLE block: 4 bytes
/// for 128 KiB), so a stated length above this times the compressed bytes is
/// damage, refused before anything is allocated for it.
constexpr uint64_t kZstdMaxExpansion = uint64_t(1) << 15;

struct CoreShape {
  size_t compartments = 0;
  size_t inputAxons = 0;
  /// The first learning axon naming the highest rule index, and that index;
  /// the first reward axon (each kNone when there is none).
  size_t learningAxon = kNone, rewardAxon = kNone;
  uint32_t highestRule = 0;
  static constexpr size_t kNone = SIZE_MAX;
};

/// The shape of one core.
CoreShape coreShape(const Core &core);
std::vector<CoreShape> coreShapes(const Image &image);
/// Learning and reward axons name a rule that exists, in an image that
/// learns.
Status checkLearningStructure(const std::vector<CoreShape> &cores,
                              const ImageLearning &learning);
/// checkTarget's test alone, so that callers build the error context only
/// when a target is bad (inline: it runs once per output axon, 10^8 of them
/// at scale).
inline bool targetOk(const std::vector<CoreShape> &cores, const AxonTarget &t) {
  return t.core < cores.size() && t.inputAxon < cores[t.core].inputAxons;
}
Status checkTarget(const std::vector<CoreShape> &cores, const AxonTarget &t,
                   const std::string &where);
Status checkSourceStructure(const std::vector<CoreShape> &cores,
                            const Source &s, size_t index);
/// Slices inside their cores, and the program index inside the image's
/// `programCount` programs (or kLifByRecord).
Status checkPopulationStructure(const std::vector<CoreShape> &cores,
                                const Population &p, size_t programCount);
/// Checks of one core that need no other core: outputBegin, paramBegin,
/// firstWord, no axon both learning and reward.
Status validateCoreStructure(const Core &core, size_t index);
/// validateStructure's checks beyond each core's own: output axon targets,
/// sources, populations, learning and names, against the cores' shapes.
Status validateReferences(const Image &image,
                          const std::vector<CoreShape> &shapes);
/// validate()'s checks, in order: the profile matches and the cores fit its
/// mesh (checkCoreCount); then per core (after validateCoreStructure) its
/// position, limits, parameters and every synapse; then, once every core
/// passed, distinct positions, programs, learning and initial state.
Status checkCoreCount(size_t cores, const Profile &profile);
Status checkCore(const Core &core, size_t index, const Profile &profile);
Status validateAcrossCores(const Image &image, const Profile &profile);

} // namespace cajal::chip

#endif // CAJAL_CHIP_LIB_IMAGEINTERNAL_H
