//===- RandomProgram.h - Seeded random neurocore programs --------*- C++
//-*-===//
//
// Valid but arbitrary programs for a profile's isa budget (every opcode the
// chip has, every operand kind, widths, wrap and saturate, refractory
// counters, idle rules), with parameter words and states inside their
// declared ranges: the input of the tests that hold every engine and the RTL
// to the reference interpreter. The same seed gives the same program on every
// platform (own integer RNG).
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_IMAGEGEN_RANDOMPROGRAM_H
#define CAJAL_IMAGEGEN_RANDOMPROGRAM_H

#include "cajal/Chip/DendriticTree.h"
#include "cajal/Chip/Neurocore.h"
#include "cajal/Chip/Profile.h"

#include <cstdint>
#include <vector>

namespace cajal::imagegen {

/// splitmix64: small, fast and the same everywhere.
class Rng {
public:
  explicit Rng(uint64_t seed) : state(seed) {}
  uint64_t next();
  /// Uniform in [lo, hi] (inclusive).
  int64_t range(int64_t lo, int64_t hi);
  bool coin() { return next() & 1; }
  /// An int64 drawn so that small, large and extreme magnitudes all occur.
  int64_t anyValue();

private:
  uint64_t state;
};

/// A program that passes chip::validateProgram on `profile` (which must be
/// programmable).
chip::Program randomProgram(Rng &rng, const chip::Profile &profile);
/// Parameter words inside the program's declared ranges.
std::vector<int64_t> randomParamWords(Rng &rng, const chip::Program &program);
/// State words inside their declared ranges (refractory counters small).
std::vector<int32_t> randomStateWords(Rng &rng, const chip::Program &program);
/// A synaptic input q: zero often, otherwise of any magnitude.
int64_t randomInput(Rng &rng);

/// A neuron's dendritic tree and the programs of its compartments
/// (tree[k].program = k).
struct RandomTree {
  chip::DendriticTree tree;
  std::vector<chip::Program> programs;
};
/// A random tree of 1 .. maxCompartments compartments (depth up to 4,
/// fan-in up to 3, each child pushing 1 or 2 values) that passes
/// chip::validateTree on `profile` when its isa.stackDepth is at least 2 x
/// maxCompartments (the deepest such a tree's stack can get): each
/// compartment's program is a random program with its POPs and PUSHes at
/// random places, AND, OR and reads of bap mixed in, redrawn until it passes
/// the validator (the stack discipline refuses many); `refused` counts the
/// redraws.
RandomTree randomTree(Rng &rng, const chip::Profile &profile,
                      unsigned maxCompartments, unsigned *refused = nullptr);
/// A random tree of the compiler's compartments (chip::lifTreeProgram): a
/// random join, reset, output and bap reset each, fan-in up to
/// min(3, isa.maxPops), outputs scaled where the profile has a multiplier;
/// so it runs on a fixed-function chip with a tree stack (loihi1).
RandomTree randomLifTree(Rng &rng, const chip::Profile &profile,
                         unsigned maxCompartments);

} // namespace cajal::imagegen

#endif // CAJAL_IMAGEGEN_RANDOMPROGRAM_H
