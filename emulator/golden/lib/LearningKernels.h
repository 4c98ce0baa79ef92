//===- LearningKernels.h - Trace decay and Poisson draws in bulk -*- C++
//-*-===//
//
// Internal to CajalGolden, included by UpdateKernels.cpp, which compiles
// these loops once per instruction set. Both hash every element of an
// array each step (a trace's decay draw, a Poisson channel's draw), which
// is what a learning run spends its time on; written without branches,
// they vectorise (AVX-512 has the 64-bit multiplies splitmix64 needs).
//
// decayTraces is chip::TraceStep's decay (docs/learning.md, "Traces") for
// every trace of an array at once. A trace at 0 and a trace without decay
// (keep = 2^bits) need no special case: the product's dropped bits are then
// 0, so no draw rounds it up, exactly as TraceStep, which skips their draw.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_GOLDEN_LIB_LEARNINGKERNELS_H
#define CAJAL_GOLDEN_LIB_LEARNINGKERNELS_H

#include "UpdateKernels.h"

#include "cajal/Chip/Source.h"

#include <algorithm>
#include <cstring>

namespace cajal::golden::detail {

#define CAJAL_LEARNING_HOT inline __attribute__((always_inline))

/// values[i] = values[i] * keep[i] / 2^bits, rounded up when the low `bits`
/// bits of splitmix64(prefix ^ randomIndex[i]) are below the dropped bits.
CAJAL_LEARNING_HOT void decayTraceArray(uint32_t *values, const uint32_t *keep,
                                        const uint64_t *randomIndex, size_t n,
                                        uint64_t prefix, unsigned bits) {
  const uint64_t mask = (uint64_t(1) << bits) - 1;
  for (size_t i = 0; i < n; ++i) {
    const uint64_t product = uint64_t(values[i]) * keep[i];
    const uint64_t random = chip::splitmix64(prefix ^ randomIndex[i]);
    values[i] = uint32_t((product >> bits) +
                         ((random & mask) < (product & mask) ? 1 : 0));
  }
}

/// The channels first .. first + n - 1 of a Poisson source that fire at
/// `step` (chip::poissonFires), written to `out` in order; returns how
/// many. The hashes of a block are computed apart from the listing, so
/// that their loop vectorises; firing is sparse, so the listing skips
/// eight silent channels at a time.
CAJAL_LEARNING_HOT size_t poissonFiringChannels(uint64_t seed,
                                                uint32_t probability,
                                                uint32_t step, uint32_t first,
                                                uint32_t n, uint32_t *out) {
  constexpr uint32_t block = 64;
  uint8_t fires[block];
  size_t count = 0;
  for (uint32_t base = 0; base < n; base += block) {
    const uint32_t m = std::min(block, n - base);
    for (uint32_t i = 0; i < m; ++i)
      fires[i] = uint32_t(chip::channelHash(seed, step, first + base + i) >>
                          32) < probability;
    for (uint32_t i = m; i < block; ++i)
      fires[i] = 0;
    for (uint32_t word = 0; word < block; word += 8) {
      uint64_t eight;
      std::memcpy(&eight, fires + word, sizeof eight);
      for (uint32_t i = word; eight != 0 && i < word + 8; ++i)
        if (fires[i])
          out[count++] = first + base + i;
    }
  }
  return count;
}

} // namespace cajal::golden::detail

#endif // CAJAL_GOLDEN_LIB_LEARNINGKERNELS_H
