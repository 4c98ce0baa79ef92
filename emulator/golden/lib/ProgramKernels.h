//===- ProgramKernels.h - Block kernels of the program groups ---*- C++ -*-===//
//
// Internal to CajalGolden. The kernels that update one block of a program
// group (ProgramUpdate.h): the fused interpreter and the straight-line
// Izhikevich and adaptive-LIF kernels, each compiled once per instruction
// set (ProgramKernels.cpp) like the LIF loops of UpdateKernels.h.
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

/// The kernels of one instruction set, by ProgramKernel.
struct ProgramKernelTable {
  ProgramBlockFn fn[kProgramKernels];
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
  return uint64_t(x + (int64_t(1) << bits)) < (uint64_t(1) << (bits + 1));
}

} // namespace cajal::golden::detail

#endif // CAJAL_GOLDEN_LIB_PROGRAMKERNELS_H
