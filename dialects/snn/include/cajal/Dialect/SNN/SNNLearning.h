//===- SNNLearning.h - What a projection's learning attribute means -*- C++
//-*-===//
//
// A projection's `learning` attribute is either a rule written out
// (#snn.learning: its text form and its traces) or a library rule
// (#snn.pair_stdp, #snn.triplet_stdp, #snn.reward_stdp) that stands for one.
// expandLearning turns either into the same thing, the text and the five
// traces as written, so that the verifier, the mapping and the docs agree on
// what a library rule is.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_DIALECT_SNN_SNNLEARNING_H
#define CAJAL_DIALECT_SNN_SNNLEARNING_H

#include "cajal/Chip/Learning.h"

#include "mlir/IR/Attributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace cajal::snn {

/// A trace as written: impulse in trace units, tau in time steps (0: the
/// trace never decays).
struct TraceSpec {
  double impulse = 0;
  double tau = 0;
  bool operator==(const TraceSpec &o) const {
    return impulse == o.impulse && tau == o.tau;
  }
  bool operator!=(const TraceSpec &o) const { return !(*this == o); }
};

/// The traces in chip order: x1, x2, y1, y2, y3.
constexpr unsigned kLearningTraceCount = 5;
extern const char *const kLearningTraceNames[kLearningTraceCount];

/// What a learning attribute stands for: the rule's text form
/// (docs/learning.md) and its traces, absent ones zero (they never change).
struct LearningSpec {
  std::string rule;
  std::array<std::optional<TraceSpec>, kLearningTraceCount> traces;
  /// The post-synaptic traces y1, y2, y3 (absent: zero).
  std::array<TraceSpec, 3> postTraces() const {
    std::array<TraceSpec, 3> out;
    for (unsigned k = 0; k < 3; ++k)
      out[k] = traces[2 + k].value_or(TraceSpec{});
    return out;
  }
};

/// The rule of `attr` (#snn.learning or a library rule). Fails, with an
/// error from `emitError` naming the parameter and its value, on a trace or
/// coefficient the attribute's description does not allow (not finite,
/// negative, a coefficient that is not m * 2^e). The text is not parsed:
/// chip::parseLearningRule does that.
mlir::FailureOr<LearningSpec>
expandLearning(mlir::Attribute attr,
               llvm::function_ref<mlir::InFlightDiagnostic()> emitError);

/// The weight sign of a projection's `sign_mode` ("mixed", "excitatory",
/// "inhibitory"); nullopt for any other text.
std::optional<cajal::chip::WeightSign> parseWeightSign(llvm::StringRef text);

/// A non-negative dyadic value as the rule text's scale, "m * 2^e" with m
/// odd (or "2^e" when m is 1); nullopt when `value` is not m * 2^e with
/// integer 0 <= m < 2^31 and |e| <= 31 (a rule term's 32-bit fields).
std::optional<std::string> dyadicScale(double value);

/// `value` in the shortest decimal form that reads back to it ("0.1",
/// "20", "6.25e-02" stays "0.0625"), for messages that quote a parameter.
std::string formatNumber(double value);

} // namespace cajal::snn

#endif // CAJAL_DIALECT_SNN_SNNLEARNING_H
