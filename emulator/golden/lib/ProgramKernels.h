//===- ProgramKernels.h - Block kernels of the program groups ---*- C++ -*-===//
//
// Internal to CajalGolden. The kernels that update one block of a program
// group (ProgramUpdate.h): the fused interpreter and the straight-line
// Izhikevich, adaptive-LIF and LIF-tree kernels, each compiled once per
// instruction set (ProgramKernels.cpp) like the LIF loops of UpdateKernels.h.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_GOLDEN_LIB_PROGRAMKERNELS_H
#define CAJAL_GOLDEN_LIB_PROGRAMKERNELS_H

#include "cajal/Golden/GoldenModel.h"
#include "cajal/Golden/ProgramUpdate.h"

#include <cstdint>

namespace cajal::golden::detail {

/// Update one block; returns the OR of the flags it wrote (ProgramBlock).
using ProgramBlockFn = uint32_t (*)(const ProgramPlan &, const ProgramBlock &);

/// Append positions[k] for every lane k < m whose flags have kSpiked to
/// out[0 ..]; returns the end. May write up to 15 values past the end (the
/// spike list has room for them).
using ListSpikesFn = uint32_t *(*)(const int32_t *flags,
                                   const uint32_t *positions, uint32_t m,
                                   uint32_t *out);

/// q[k] = in[k] * 2^shift, in[k] = 0 for k < m (the block's accumulators,
/// contiguous).
template <typename Acc>
using LoadInputFn = void (*)(Acc *in, unsigned shift, uint32_t m, int64_t *q);

/// q[p][k] = in[k * width + p] * 2^shift for p < width and k < m, then
/// in[0 .. m * width) = 0 (the accumulators of m tree neurons whose
/// compartments lie one after the other: TreeCompartments).
template <typename Acc>
using LoadInterleavedFn = void (*)(Acc *in, unsigned width, unsigned shift,
                                   uint32_t m, int64_t *const *q);

/// The kernels of one instruction set, by ProgramKernel, its spike listing
/// and its input loads.
struct ProgramKernelTable {
  ProgramBlockFn fn[kProgramKernels];
  ListSpikesFn listSpikes;
  LoadInputFn<int16_t> loadInput16;
  LoadInputFn<int32_t> loadInput32;
  LoadInputFn<int64_t> loadInput64;
  LoadInterleavedFn<int16_t> loadInterleaved16;
  LoadInterleavedFn<int32_t> loadInterleaved32;
  LoadInterleavedFn<int64_t> loadInterleaved64;
};

/// The kernels for `isa` (which the CPU must have: GoldenModel::isa()).
const ProgramKernelTable &programKernels(Isa isa);

/// Scratch columns of the interpreter: registers, state words, constants,
/// then zero, spiked, live, hit, held (kInterpreterColumns).
constexpr uint32_t kInterpreterColumns = 5;
inline uint32_t scratchColumns(const ProgramPlan &plan) {
  return plan.registers + uint32_t(plan.state.size()) +
         uint32_t(plan.constants.size()) + kInterpreterColumns;
}

/// A fast path's bound on its values: -2^bits <= x < 2^bits.
inline bool within(int64_t x, unsigned bits) {
  return uint64_t(x) + (uint64_t(1) << bits) < (uint64_t(1) << (bits + 1));
}

} // namespace cajal::golden::detail

#endif // CAJAL_GOLDEN_LIB_PROGRAMKERNELS_H
