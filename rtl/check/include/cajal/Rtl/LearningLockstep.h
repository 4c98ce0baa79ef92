//===- LearningLockstep.h - RTL learning unit against CoreLogic -*- C++ -*-===//
//
// One core of an image that learns, run step by step on the SystemC core
// logic (systemc::CoreLogic: deliveries, updates, its learning phase) while
// a learning-phase sequencer computes every trace step and every learning
// synapse's weight rule on the Verilated learning unit (rtl::LearningUnit),
// with the keys every engine uses (global axon, compartment and synapse
// numbers). After each step every trace is compared, after each epoch every
// learning synapse's weight; the first difference is reported.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_RTL_LEARNINGLOCKSTEP_H
#define CAJAL_RTL_LEARNINGLOCKSTEP_H

#include "cajal/Chip/Image.h"
#include "cajal/Chip/Profile.h"
#include "cajal/Chip/Result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cajal::rtl {

struct LearningDivergence {
  uint32_t step = 0;
  std::string where; ///< "axon 3 x1", "compartment 5 y2", "axon 3 synapse 7"
  std::string field; ///< "trace" or "weight"
  int64_t rtl = 0, reference = 0;
  std::string message() const;
};

struct LearningLockstepReport {
  uint32_t steps = 0, epochs = 0;
  uint64_t traceSteps = 0, ruleApplications = 0;
  /// Clock cycles of the learning unit: trace steps, rule loads, rules.
  uint64_t traceCycles = 0, ruleCycles = 0;
  /// Learning-phase cycles of each epoch, in order.
  std::vector<uint64_t> epochCycles;
  std::optional<LearningDivergence> divergence;
};

/// Core `core` of `image` (which learns, on `profile`) over inputs[t], the
/// core's input axons spiking at step t. Errors: the image does not learn,
/// a rule the learning unit cannot evaluate (LearningUnit::checkLearning),
/// a profile the unit was not built for.
Result<LearningLockstepReport>
runLearningLockstep(const chip::Image &image, uint32_t core,
                    const chip::Profile &profile,
                    const std::vector<std::vector<uint32_t>> &inputs);

} // namespace cajal::rtl

#endif // CAJAL_RTL_LEARNINGLOCKSTEP_H
