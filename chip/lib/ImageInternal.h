//===- ImageInternal.h - Checks shared by validate and writer ---*- C++ -*-===//
//
// The streaming writer never holds the whole image, so the structural
// checks work on CoreShape (table sizes of a core) instead of Core.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_CHIP_LIB_IMAGEINTERNAL_H
#define CAJAL_CHIP_LIB_IMAGEINTERNAL_H

#include "cajal/Chip/Image.h"

#include <cstddef>
#include <string>
#include <vector>

namespace cajal::chip {

struct CoreShape {
  size_t compartments = 0;
  size_t inputAxons = 0;
};

std::vector<CoreShape> coreShapes(const Image &image);
Status checkTarget(const std::vector<CoreShape> &cores, const AxonTarget &t,
                   const std::string &where);
Status checkSourceStructure(const std::vector<CoreShape> &cores,
                            const Source &s, size_t index);
/// Slices inside their cores, and the program index inside the image's
/// `programCount` programs (or kLifByRecord).
Status checkPopulationStructure(const std::vector<CoreShape> &cores,
                                const Population &p, size_t programCount);
/// Checks of one core that need no other core: outputBegin, paramBegin,
/// firstWord.
Status validateCoreStructure(const Core &core, size_t index);

} // namespace cajal::chip

#endif // CAJAL_CHIP_LIB_IMAGEINTERNAL_H
