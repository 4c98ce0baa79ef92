//===- DeliveryKernels.h - Spike delivery into accumulators ----*- C++ -*-===//
//
// Internal to CajalGolden, included by UpdateKernels.cpp, which compiles
// deliverParts once per instruction set and accumulator type (int32, or
// int16 holding input / 2^k). A spike delivers row parts of one
// delay each (RowBuilder.cpp builds them): wide windows (16 adjacent
// accumulators, one vector add), narrow windows (4) and single synapses.
// A part's accumulators are either all in the ring after this step's slot
// or all wrapped to its start, so one index adjustment per part serves
// every entry: base, or base - S * N (modulo 2^32). A window's lanes
// without a synapse add zero, also where they reach past the last
// compartment (into the next slot, or the ring's padding), so a window
// needs no mask.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_GOLDEN_LIB_DELIVERYKERNELS_H
#define CAJAL_GOLDEN_LIB_DELIVERYKERNELS_H

#include "UpdateKernels.h"

#include <algorithm>
#include <cstring>

namespace cajal::golden::detail {

#define CAJAL_DELIVERY_HOT inline __attribute__((always_inline))

/// acc[0 .. lanes) += w[0 .. lanes) as one vector add (memcpy: acc is
/// unaligned; GCC turns it into plain vector loads and stores).
template <typename Acc, typename Weights>
CAJAL_DELIVERY_HOT void addWindow(Acc *acc, const Weights &w) {
  typedef Acc Lanes __attribute__((vector_size(sizeof(Weights))));
  Lanes sum, add;
  std::memcpy(&sum, acc, sizeof sum);
  std::memcpy(&add, w.lane, sizeof add);
  sum += add;
  std::memcpy(acc, &sum, sizeof sum);
}

template <typename Acc, typename Weights>
CAJAL_DELIVERY_HOT void
addWindows(Acc *ring, uint32_t adjust, const uint32_t *offset,
           const Weights *weights, uint32_t b, uint32_t e) {
  for (uint32_t i = b; i < e; ++i)
    addWindow(ring + uint32_t(offset[i] + adjust), weights[i]);
}

/// ring[s.offset + adjust] += s.weight for s in [b, e), four at a time.
/// Offsets may repeat (a sender reaching one compartment twice), so the
/// adds stay in order. (int16: the weights are scaled to the accumulators,
/// and the sums are proven to fit.)
template <typename Acc>
CAJAL_DELIVERY_HOT void addSingles(Acc *ring, uint32_t adjust,
                                   const FlatSynapse *b, const FlatSynapse *e) {
  const auto add = [ring, adjust](const FlatSynapse &s) {
    Acc &acc = ring[uint32_t(s.offset + adjust)];
    acc = Acc(acc + s.weight);
  };
  for (; e - b >= 4; b += 4) {
    add(b[0]);
    add(b[1]);
    add(b[2]);
    add(b[3]);
  }
  for (; b != e; ++b)
    add(*b);
}

/// Prefetches a row part: up to `lines` cache lines of its single
/// synapses and the first line of each of its window lists. (Arguments,
/// not a lambda's captures: the delivery loop's pointers stay in registers.)
template <typename Acc>
CAJAL_DELIVERY_HOT void
prefetchPart(const RowPart *p, const FlatSynapse *synapses,
             const uint32_t *wideOffset, const uint32_t *weightIndex,
             const uint32_t *narrowOffset,
             const NarrowLanes<Acc> *narrowWeights) {
  constexpr size_t lines = 8, lineSynapses = 64 / sizeof(FlatSynapse);
  const size_t len =
      std::min<size_t>(p[1].single - p[0].single, lineSynapses * lines);
  for (size_t i = 0; i < len; i += lineSynapses)
    __builtin_prefetch(synapses + p[0].single + i);
  __builtin_prefetch(wideOffset + p[0].wide);
  __builtin_prefetch(weightIndex + p[0].wide);
  __builtin_prefetch(narrowOffset + p[0].narrow);
  __builtin_prefetch(narrowWeights + p[0].narrow);
}

template <typename Acc>
CAJAL_DELIVERY_HOT void deliverParts(const DeliveryArgs<Acc> &a,
                                     const uint32_t *parts, size_t count) {
  // Every pointer and bound in a local: the window stores are memcpy, which
  // may alias anything in memory, so GCC would reload them per window.
  const RowPart *rowParts = a.parts;
  const uint32_t *wideOffset = a.wideOffset, *weightIndex = a.wideWeightIndex;
  const WideLanes<Acc> *wideWeights = a.wideWeights;
  const uint32_t *narrowOffset = a.narrowOffset;
  const NarrowLanes<Acc> *narrowWeights = a.narrowWeights;
  const FlatSynapse *synapses = a.synapses;
  Acc *ring = a.ring;
  // Parts of random senders come from memory in large images: prefetch the
  // part of the event `ahead` positions on, and the part's starts twice as
  // far ahead.
  constexpr size_t ahead = 8;
  const uint32_t split = a.split, base = a.base;
  const uint32_t wrapped = base - (split + base); // modulo 2^32: -split
  // The first `ahead` events are prefetched before any is delivered: a
  // step of a few spikes (CUBA's five) would otherwise prefetch nothing
  // and wait for each row in turn.
  for (size_t k = 0; k < std::min(count, 2 * ahead); ++k)
    __builtin_prefetch(rowParts + parts[k]);
  for (size_t k = 0; k < std::min(count, ahead); ++k)
    prefetchPart(rowParts + parts[k], synapses, wideOffset, weightIndex,
                 narrowOffset, narrowWeights);
  for (size_t k = 0; k < count; ++k) {
    if (k + 2 * ahead < count)
      __builtin_prefetch(rowParts + parts[k + 2 * ahead]);
    if (k + ahead < count)
      prefetchPart(rowParts + parts[k + ahead], synapses, wideOffset,
                   weightIndex, narrowOffset, narrowWeights);
    const RowPart *p = rowParts + parts[k];
    const uint32_t wideBegin = p[0].wide, wideEnd = p[1].wide;
    const uint32_t narrowBegin = p[0].narrow, narrowEnd = p[1].narrow;
    const uint32_t singleBegin = p[0].single, singleEnd = p[1].single;
    const uint32_t adjust = p[0].delayOffset >= split ? wrapped : base;
    for (uint32_t i = wideBegin; i < wideEnd; ++i)
      addWindow(ring + uint32_t(wideOffset[i] + adjust),
                wideWeights[weightIndex[i]]);
    addWindows(ring, adjust, narrowOffset, narrowWeights, narrowBegin,
               narrowEnd);
    addSingles(ring, adjust, synapses + singleBegin, synapses + singleEnd);
  }
}

#undef CAJAL_DELIVERY_HOT

} // namespace cajal::golden::detail

#endif // CAJAL_GOLDEN_LIB_DELIVERYKERNELS_H
