//===- ProgramUnit.h - The Verilated micro-sequencer, driven from C++ -*- C++
//-*-===//
//
// Wraps the Verilator model of rtl/src/neuron_program.sv (sized from the
// loihi2 profile at configure time): loads a program's code and header,
// then runs one compartment update per call, start/done on one clock. The
// tree stack persists from one update to the next, as in a neurocore
// running one neuron's compartments; loading a program empties it.
// create() refuses, with the reason, a profile or program the RTL cannot
// run: limits above the build's (instructions, words, lookup tables and
// their entries, the tree stack) or other cycle prices per cost class than
// the build's.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_RTL_PROGRAMUNIT_H
#define CAJAL_RTL_PROGRAMUNIT_H

#include "cajal/Chip/Neurocore.h"
#include "cajal/Chip/Profile.h"
#include "cajal/Chip/Result.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace cajal::rtl {

struct ProgramUpdate {
  std::vector<int32_t> state;
  bool spiked = false;
  bool idle = false;
  uint64_t cycles = 0;        ///< clock cycles the slots took (0 when idle)
  std::vector<int64_t> stack; ///< the tree stack after the update, top last
};

namespace detail {
class ProgramModel;
} // namespace detail

class ProgramUnit {
public:
  /// The profile's isa timing and limits must be the build's (loihi2's) and
  /// the program must validate on `profile`.
  static Result<std::unique_ptr<ProgramUnit>>
  create(const chip::Program &program, const chip::Profile &profile);
  ~ProgramUnit();

  /// Load another program into the same model (validated on the profile
  /// given to create()).
  Status load(const chip::Program &program);

  /// One update of one compartment; `bap`: its tree's root spiked in the
  /// previous step.
  ProgramUpdate update(const std::vector<int32_t> &state,
                       const std::vector<int64_t> &params, int64_t q,
                       bool bap = false);

  /// Values the build's tree stack holds.
  static unsigned stackDepth();

private:
  ProgramUnit() = default;
  std::unique_ptr<detail::ProgramModel> model;
  chip::Profile profile;
  size_t stateWords = 0;
};

} // namespace cajal::rtl

#endif // CAJAL_RTL_PROGRAMUNIT_H
