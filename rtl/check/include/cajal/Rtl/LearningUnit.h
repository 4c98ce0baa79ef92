//===- LearningUnit.h - The Verilated learning unit from C++ ---*- C++ -*-===//
//
// Wraps the Verilator model of rtl/src/learning_unit.sv (sized from the
// loihi1 profile at configure time): one trace step or one synapse's weight
// rule per call, start/done on one clock, with the cycles it took. create()
// refuses a profile whose learning widths differ from the build's;
// checkRule() names the first part of a rule the unit cannot evaluate.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_RTL_LEARNINGUNIT_H
#define CAJAL_RTL_LEARNINGUNIT_H

#include "cajal/Chip/Image.h"
#include "cajal/Chip/Learning.h"
#include "cajal/Chip/Profile.h"
#include "cajal/Chip/Result.h"

#include <cstdint>
#include <memory>

namespace cajal::rtl {

namespace detail {
class LearningModel;
} // namespace detail

/// A value the unit computed and the clock cycles from start to done.
struct LearningStep {
  int32_t value = 0;
  uint64_t cycles = 0;
};

class LearningUnit {
public:
  static Result<std::unique_ptr<LearningUnit>>
  create(const chip::Profile &profile, uint64_t seed);
  ~LearningUnit();

  /// Whether the unit evaluates `rule`: dw terms only (no dd, dt).
  static Status checkRule(const chip::LearningRule &rule);
  /// checkRule over every rule of the image, the error prefixed with
  /// "learning rule <index>: ".
  static Status checkLearning(const chip::ImageLearning &learning);

  /// Load the dw terms of a rule checkRule accepts.
  Status loadRule(const chip::LearningRule &rule,
                  chip::WeightSign sign = chip::WeightSign::Mixed);

  /// chip::stepTrace on the RTL.
  LearningStep stepTrace(uint32_t value, const chip::TraceParams &params,
                         bool spiked, uint64_t step, uint64_t traceIndex);
  /// The weight chip::applyRule gives the loaded rule for synapse
  /// `synapseIndex` (its weight, delay and tag) at the end of epoch `epoch`.
  LearningStep applyRule(const chip::LearningInputs &inputs,
                         const chip::SynapseState &synapse, uint64_t epoch,
                         uint64_t synapseIndex);

  /// Cycles the RTL takes, from the schedule in learning_unit.sv: one draw
  /// (four splitmix64 rounds) plus the cycle that combines.
  static unsigned drawCycles();
  static unsigned traceCycles();
  /// A rule's cycles: one per factor of each term (one for a term
  /// without), at least a draw's, plus one.
  static unsigned ruleCycles(const chip::LearningRule &rule);
  /// Cycles that load a rule into the term memory: a term and each of its
  /// factors a cycle, plus the count.
  static unsigned loadCycles(const chip::LearningRule &rule);

private:
  explicit LearningUnit(const chip::Profile &profile);
  std::unique_ptr<detail::LearningModel> model;
  chip::Profile profile;
  chip::LearningRule loaded;
};

} // namespace cajal::rtl

#endif // CAJAL_RTL_LEARNINGUNIT_H
