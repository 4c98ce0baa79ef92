//===- Source.h - When host-side spike sources fire -------------*- C++ -*-===//
//
// The one definition of a source's spikes, shared by every engine (golden,
// SystemC, the numpy reference) so that they agree bit for bit; specified
// in docs/chip-image.md ("Sources").
//
// Steps are numbered as the engines number them, the first simulated step
// being 0. A Poisson channel fires at step t with probability
// probability / 2^32, decided by a counter-based hash, so the answer depends
// only on (seed, t, index) and never on evaluation order or thread count:
//   key  = (uint64(t) << 32) | index
//   h    = splitmix64(seed ^ splitmix64(key))
//   fire = (h >> 32) < probability
// A Poisson group channel is the exact sum of many Poisson trains: its spike
// count at step t is Poisson-distributed with mean lambda, drawn by Knuth's
// product of uniforms in 0.32 fixed point against the image's threshold
// e^-lambda * 2^32 (docs/chip-image.md gives the loop); each of the count's
// spikes is delivered like any other.
// A Periodic source fires on every channel at steps phase, phase + period,
// phase + 2 * period, ... File sources list their spikes, sorted by
// (step, index); External sources are given at run time and never fire here.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_CHIP_SOURCE_H
#define CAJAL_CHIP_SOURCE_H

#include "cajal/Chip/Image.h"
#include "cajal/Chip/Learning.h" // splitmix64

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

namespace cajal::chip {

/// The hash of channel `index` at `step` that starts every random draw of
/// a source; its high word is the draw's first uniform.
inline uint64_t channelHash(uint64_t seed, uint32_t step, uint32_t index) {
  const uint64_t key = (uint64_t(step) << 32) | index;
  return splitmix64(seed ^ splitmix64(key));
}

/// The Poisson draw of channel `index` at `step`.
inline bool poissonFires(uint64_t seed, uint32_t probability, uint32_t step,
                         uint32_t index) {
  return uint32_t(channelHash(seed, step, index) >> 32) < probability;
}

/// A Poisson group's mean count per step is at most this many spikes: the
/// threshold e^-lambda * 2^32 keeps three significant digits up to here.
constexpr double kPoissonGroupMaxMean = 16.0;
/// The smallest threshold an image may hold: floor(e^-16 * 2^32).
constexpr uint32_t kPoissonGroupMinThreshold = 483;
/// A channel delivers at most this many spikes in one step (reached with
/// probability below 10^-200 at the largest mean): it bounds the draw's loop.
constexpr uint32_t kPoissonGroupMaxCount = 255;

/// The threshold e^-mean * 2^32 of a Poisson group with `mean` spikes per
/// step (at most kPoissonGroupMaxMean), rounded, as the image holds it.
inline uint32_t poissonGroupThreshold(double mean) {
  const double threshold = std::round(std::exp(-mean) * 4294967296.0);
  return uint32_t(
      std::clamp(threshold, double(kPoissonGroupMinThreshold), 4294967295.0));
}

/// The mean spikes per step of a Poisson group's threshold.
inline double poissonGroupMean(uint32_t threshold) {
  return -std::log(threshold / 4294967296.0);
}

/// One more factor of a Poisson group draw's product: advances the hash
/// chain `h` and returns (p * u) >> 32, u its new high word.
inline uint64_t poissonGroupProduct(uint64_t &h, uint64_t p) {
  h = splitmix64(h);
  return (p * (h >> 32)) >> 32;
}

/// The Poisson group draw of channel `index` at `step`: Knuth's method with
/// the uniforms u_j = h_j >> 32 of the chain h_0 = splitmix64(seed ^
/// splitmix64(key)), h_j+1 = splitmix64(h_j); p starts at 2^32 and becomes
/// (p * u_j) >> 32 until p <= threshold; the count is the number of
/// multiplications before that, minus one.
inline uint32_t poissonGroupCount(uint64_t seed, uint32_t threshold,
                                  uint32_t step, uint32_t index) {
  uint64_t h = channelHash(seed, step, index);
  uint64_t p = h >> 32; // (2^32 * u_0) >> 32
  for (uint32_t count = 0; count < kPoissonGroupMaxCount; ++count) {
    if (p <= threshold)
      return count;
    p = poissonGroupProduct(h, p);
  }
  return kPoissonGroupMaxCount;
}

/// File spikes of `step`: the index range [first, second) into src.spikes.
inline std::pair<size_t, size_t> fileSpikeRange(const Source &src,
                                                uint32_t step) {
  auto byStep = [](const SourceSpike &s, uint32_t t) { return s.step < t; };
  auto first =
      std::lower_bound(src.spikes.begin(), src.spikes.end(), step, byStep);
  auto last = first;
  while (last != src.spikes.end() && last->step == step)
    ++last;
  return {size_t(first - src.spikes.begin()),
          size_t(last - src.spikes.begin())};
}

/// How many spikes channel `index` of `src` sends at `step`: 0 or 1, except
/// for a Poisson group. (External: none.)
inline uint32_t sourceSpikeCount(const Source &src, uint32_t step,
                                 uint32_t index) {
  if (index >= src.size)
    return 0;
  switch (src.kind) {
  case SourceKind::Poisson:
    return poissonFires(src.seed, src.probability, step, index);
  case SourceKind::PoissonGroup:
    return poissonGroupCount(src.seed, src.probability, step, index);
  case SourceKind::Periodic:
    return src.period > 0 && step >= src.phase &&
           (step - src.phase) % src.period == 0;
  case SourceKind::File: {
    const auto [first, last] = fileSpikeRange(src, step);
    for (size_t i = first; i < last; ++i)
      if (src.spikes[i].index == index)
        return 1;
    return 0;
  }
  case SourceKind::External:
    return 0;
  }
  return 0;
}

/// Append the channels of `src` that fire at `step` to `out`, ascending, a
/// channel once per spike it sends.
inline void firingChannels(const Source &src, uint32_t step,
                           std::vector<uint32_t> &out) {
  if (src.kind == SourceKind::File) {
    const auto [first, last] = fileSpikeRange(src, step);
    for (size_t i = first; i < last; ++i)
      out.push_back(src.spikes[i].index);
    return;
  }
  if (src.kind == SourceKind::External)
    return;
  for (uint32_t i = 0; i < src.size; ++i)
    for (uint32_t n = sourceSpikeCount(src, step, i); n > 0; --n)
      out.push_back(i);
}

} // namespace cajal::chip

#endif // CAJAL_CHIP_SOURCE_H
