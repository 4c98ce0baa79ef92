//===- ProgramUpdate.h - Golden vectorised program interpreter -*- C++ -*-===//
//
// Part of CajalGolden (in the public header for GoldenModel's members
// only). Compartments whose program is outside the LIF
// family (or every compartment, with ModelOptions::interpretLif) are updated
// by this interpreter instead of the LIF kernels: the compartments sharing a
// program form a group stored as structure-of-arrays, one column per state
// word, parameter word, constant and scratch register, and each instruction
// is applied to all of the group's compartments before the next one runs
// (decoded once at load, dispatched once per step). The idle rule and the
// REFR halt are per-compartment masks, so every lane follows
// chip::interpret exactly.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_GOLDEN_PROGRAMUPDATE_H
#define CAJAL_GOLDEN_PROGRAMUPDATE_H

#include "cajal/Chip/Neurocore.h"

#include <cstdint>
#include <vector>

namespace cajal::golden::detail {

/// How a write to a column is narrowed (chip::narrowToStateWord).
enum class Narrow : uint8_t { Keep, WrapSigned, WrapUnsigned, Saturate };

/// The compartments of one program, lane k = one compartment.
class ProgramGroup {
public:
  ProgramGroup(const chip::Program &program, uint32_t registers);
  /// Add a compartment at update position `position` of core `core`.
  void addLane(uint32_t position, uint32_t core,
               const std::vector<int64_t> &params);
  /// Allocate the per-lane columns once every lane is added.
  void finish();

  /// One step: q of lane k is ring[position] * 2^accShift (then zeroed).
  /// Spiking lanes' positions are appended to `spikes`; idle updates are
  /// added to idlePerCore; returns the number of idle updates.
  template <typename Acc>
  uint32_t step(Acc *slot, unsigned accShift, uint32_t *&spikes,
                uint64_t *idlePerCore);

  uint32_t laneCount() const { return uint32_t(positions.size()); }
  const chip::Program &program() const { return prog; }
  /// State word w of lane k as stored (32 bits, the reference's layout).
  int32_t stateWord(uint32_t w, uint32_t k) const {
    return int32_t(uint32_t(uint64_t(state[w][k])));
  }
  const std::vector<uint32_t> &lanePositions() const { return positions; }

private:
  /// A column of one operand: the values of all lanes.
  const int64_t *source(chip::isa::Operand o) const;
  struct Dest {
    int64_t *column = nullptr; ///< null: the write is discarded
    Narrow narrow = Narrow::Keep;
    unsigned bits = 64;
    int64_t lo = 0, hi = 0;
  };
  Dest dest(chip::isa::Operand o);
  Dest stateDest(unsigned word);
  void runInstruction(const chip::isa::Instruction &in);
  void prepareLanes(); ///< registers, spiked, live (idle rule)

  chip::Program prog;
  std::vector<chip::isa::Instruction> code;
  uint32_t registerCount = 0;
  std::vector<uint32_t> positions, cores;
  std::vector<std::vector<int64_t>> state, params, constants, registers;
  std::vector<int64_t> q, spiked, zero;
  /// -1 where the lane still runs (not idle, not halted), else 0.
  std::vector<int64_t> live;
  /// Scratch: -1 where a lane is affected (REFR halts, FIRE spikes).
  std::vector<int64_t> hit;
  /// Scratch: a value read before the instruction's first write.
  std::vector<int64_t> held;
  std::vector<uint8_t> idleLane;
};

} // namespace cajal::golden::detail

#endif // CAJAL_GOLDEN_PROGRAMUPDATE_H
