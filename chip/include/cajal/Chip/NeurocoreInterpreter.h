//===- NeurocoreInterpreter.h - The reference interpreter -------*- C++ -*-===//
//-*-===//
//
// One compartment update, one instruction at a time, exactly as
// docs/neurocore-isa.md says. It is written to be read, not to be fast:
// the oracle every other engine (the golden model's fused interpreter and
// fast paths, the SystemC core, the RTL neurocore) is tested against.
// Programs must have passed validateProgram(); parameter words must lie in
// their declared ranges.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_CHIP_NEUROCOREINTERPRETER_H
#define CAJAL_CHIP_NEUROCOREINTERPRETER_H

#include "cajal/Chip/Neurocore.h"

#include <cstdint>
#include <vector>

namespace cajal::chip {

struct UpdateOutcome {
  bool spiked = false;
  bool idle = false; ///< the idle skip applied: no instruction ran
};

/// What an update sees of its neuron's dendritic tree (docs/neurocore-isa.md,
/// "Dendritic trees"). A point neuron has none: no stack, no bap.
struct TreeContext {
  /// The tree's stack: PUSH appends, POP takes the last value. A validated
  /// tree never pops more than its children pushed; without a stack, or
  /// from an empty one, POP reads 0.
  std::vector<int64_t> *stack = nullptr;
  /// The neuron's root compartment spiked in the previous step (input bap).
  bool backPropagated = false;
};

/// Advance one compartment by one step. `state` holds program.state.size()
/// words (updated in place), `params` program.params.size() words; `q` is
/// the step's raw synaptic input.
UpdateOutcome interpret(const Program &program, int32_t *state,
                        const int64_t *params, int64_t q,
                        TreeContext tree = {});

/// The value of one instruction's arithmetic on 64-bit operands, shared by
/// nothing but the interpreter and the tests that spell out the spec.
namespace isa {
int64_t mulShr(int64_t a, int64_t b, unsigned shift, Rounding rounding);
int64_t decayBy(int64_t a, int64_t decay, unsigned bits);
int64_t saturateMagnitude(int64_t a, unsigned bits);
int64_t wrapTo(int64_t a, unsigned bits);
/// LUT: `table` at `a`, interpolated between its two nearest entries and
/// rounded half up; clamped to the first and last entry outside the table.
int64_t lookup(const LookupTable &table, int64_t a);
} // namespace isa

} // namespace cajal::chip

#endif // CAJAL_CHIP_NEUROCOREINTERPRETER_H
