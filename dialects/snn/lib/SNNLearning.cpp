//===- SNNLearning.cpp - Learning attributes as rule text and traces ------===//
//
// Each library rule is written out as the text of docs/learning.md with its
// coefficients as exact scales m * 2^e, so that the chip computes the rule
// the attribute's description gives, not a rounded one: a coefficient that
// is not dyadic is refused with the nearest ones that are.
//
//===----------------------------------------------------------------------===//
#include "cajal/Dialect/SNN/SNNLearning.h"
#include "cajal/Dialect/SNN/SNNAttributes.h"

#include "llvm/ADT/SmallVector.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

using namespace mlir;
using namespace cajal::snn;

const char *const cajal::snn::kLearningTraceNames[kLearningTraceCount] = {
    "x1", "x2", "y1", "y2", "y3"};

std::string cajal::snn::formatNumber(double value) {
  char text[32];
  // At least the integer digits, so that 20 prints as "20", not "2e+01".
  const double magnitude = std::fabs(value);
  const int digits =
      magnitude >= 1 && magnitude < 1e17
          ? std::min(17, int(std::floor(std::log10(magnitude))) + 1)
          : 1;
  for (int precision = digits; precision <= 17; ++precision) {
    std::snprintf(text, sizeof text, "%.*g", precision, value);
    if (std::strtod(text, nullptr) == value)
      break;
  }
  return text;
}

std::optional<std::string> cajal::snn::dyadicScale(double value) {
  if (!(value >= 0) || !std::isfinite(value))
    return std::nullopt;
  if (value == 0)
    return std::string("0");
  // The largest exponent leaves the smallest (odd) integer mantissa. A
  // rule's mantissa and exponent are 32-bit integers (chip::RuleTerm), so
  // 0.1, exactly 3602879701896397 * 2^-55 as a double, is not dyadic here.
  for (int e = 31; e >= -31; --e) {
    const double m = std::ldexp(value, -e);
    if (m != std::floor(m))
      continue;
    if (m >= 0x1p31)
      return std::nullopt;
    std::string out = m == 1 ? "" : std::to_string(int64_t(m)) + " * ";
    return out + "2^" + std::to_string(e);
  }
  return std::nullopt;
}

namespace {

/// Reads the parameters of one attribute, reporting the first bad one.
class ParamReader {
public:
  ParamReader(StringRef attrName, function_ref<InFlightDiagnostic()> diagnostic)
      : attr(attrName), emitError(diagnostic) {}

  /// A single finite number >= 0 (`fallback` when absent).
  double number(StringRef name, Attribute field, double fallback) {
    if (!field || failed)
      return fallback;
    SmallVector<double> values;
    if (mlir::failed(readField(field, values)) || values.size() != 1) {
      fail() << "#snn." << attr << " parameter '" << name
             << "' must be one number, got " << field;
      return fallback;
    }
    if (!std::isfinite(values[0]) || values[0] < 0) {
      fail() << "#snn." << attr << " parameter '" << name
             << "' must be finite and >= 0, got " << formatNumber(values[0]);
      return fallback;
    }
    return values[0];
  }

  /// A coefficient of the rule as its scale text; "" when it is 0.
  std::string scale(StringRef name, Attribute field) {
    const double value = number(name, field, 0);
    if (failed)
      return "";
    if (std::optional<std::string> s = dyadicScale(value))
      return *s == "0" ? "" : *s;
    // The nearest scales with a 4-bit mantissa, as loihi1's rules hold.
    const int e = int(std::floor(std::log2(value))) - 3;
    const double below = std::ldexp(std::floor(std::ldexp(value, -e)), e);
    const double above = std::ldexp(std::ceil(std::ldexp(value, -e)), e);
    fail() << "#snn." << attr << " parameter '" << name
           << "' = " << formatNumber(value)
           << " is not m * 2^e (an integer times a power of two), which a "
              "rule's scale must be; the nearest with a 4-bit m are "
           << formatNumber(below) << " and " << formatNumber(above);
    return "";
  }

  std::optional<TraceSpec> trace(StringRef impulseName, Attribute impulse,
                                 double impulseDefault, StringRef tauName,
                                 Attribute tau) {
    TraceSpec t;
    t.impulse = number(impulseName, impulse, impulseDefault);
    t.tau = number(tauName, tau, 0);
    return t;
  }

  bool failed = false;

private:
  InFlightDiagnostic fail() {
    failed = true;
    return emitError();
  }
  StringRef attr;
  function_ref<InFlightDiagnostic()> emitError;
};

/// A trace's default impulse in the library rules: an eighth of loihi1's
/// 7-bit trace range, so that several spikes in a time constant do not
/// saturate it.
constexpr double kLibraryImpulse = 16;

/// "dz = a * b - c * d ..." from (sign, scale, factors) terms, dropping the
/// terms whose scale is "" (a coefficient of 0).
struct RuleWriter {
  std::string text;
  void target(StringRef name) {
    if (!text.empty())
      text += "; ";
    text += name.str() + " =";
    first = true;
  }
  void term(bool negative, const std::string &scale, StringRef factors) {
    if (scale.empty())
      return;
    text += first ? (negative ? " -" : "") : (negative ? " -" : " +");
    text += " " + scale + " * " + factors.str();
    first = false;
  }
  bool first = true;
};

} // namespace

FailureOr<LearningSpec>
cajal::snn::expandLearning(Attribute attr,
                           function_ref<InFlightDiagnostic()> emitError) {
  LearningSpec spec;
  if (auto rule = dyn_cast<LearningAttr>(attr)) {
    spec.rule = rule.getRule().str();
    ParamReader read("learning", emitError);
    const TraceAttr traces[kLearningTraceCount] = {
        rule.getX1(), rule.getX2(), rule.getY1(), rule.getY2(), rule.getY3()};
    for (unsigned k = 0; k < kLearningTraceCount; ++k) {
      if (!traces[k])
        continue;
      const std::string name = kLearningTraceNames[k];
      spec.traces[k] = read.trace(name + " impulse", traces[k].getImpulse(), 0,
                                  name + " tau", traces[k].getTau());
    }
    if (read.failed)
      return failure();
    return spec;
  }
  if (auto pair = dyn_cast<PairStdpAttr>(attr)) {
    ParamReader read("pair_stdp", emitError);
    RuleWriter w;
    w.target("dw");
    w.term(false, read.scale("a_plus", pair.getAPlus()), "x1 * y0");
    w.term(true, read.scale("a_minus", pair.getAMinus()), "y1 * x0");
    spec.traces[0] = read.trace("impulse", pair.getImpulse(), kLibraryImpulse,
                                "tau_plus", pair.getTauPlus());
    spec.traces[2] = read.trace("impulse", pair.getImpulse(), kLibraryImpulse,
                                "tau_minus", pair.getTauMinus());
    if (read.failed)
      return failure();
    if (w.first)
      return emitError() << "#snn.pair_stdp: a_plus and a_minus are both 0 "
                            "(a rule that never changes a weight)";
    spec.rule = w.text;
    return spec;
  }
  if (auto triplet = dyn_cast<TripletStdpAttr>(attr)) {
    ParamReader read("triplet_stdp", emitError);
    RuleWriter w;
    w.target("dw");
    w.term(false, read.scale("a2_plus", triplet.getA2Plus()), "x1 * y0");
    w.term(false, read.scale("a3_plus", triplet.getA3Plus()), "x1 * y2 * y0");
    w.term(true, read.scale("a2_minus", triplet.getA2Minus()), "y1 * x0");
    w.term(true, read.scale("a3_minus", triplet.getA3Minus()), "y1 * x2 * x0");
    const Attribute impulse = triplet.getImpulse();
    spec.traces[0] = read.trace("impulse", impulse, kLibraryImpulse, "tau_plus",
                                triplet.getTauPlus());
    spec.traces[1] = read.trace("impulse", impulse, kLibraryImpulse, "tau_x",
                                triplet.getTauX());
    spec.traces[2] = read.trace("impulse", impulse, kLibraryImpulse,
                                "tau_minus", triplet.getTauMinus());
    spec.traces[3] = read.trace("impulse", impulse, kLibraryImpulse, "tau_y",
                                triplet.getTauY());
    if (read.failed)
      return failure();
    if (w.first)
      return emitError() << "#snn.triplet_stdp: every coefficient is 0 (a "
                            "rule that never changes a weight)";
    spec.rule = w.text;
    return spec;
  }
  auto reward = cast<RewardStdpAttr>(attr);
  ParamReader read("reward_stdp", emitError);
  RuleWriter w;
  w.target("dt");
  w.term(false, read.scale("a_plus", reward.getAPlus()), "x1 * y0");
  w.term(true, read.scale("a_minus", reward.getAMinus()), "y1 * x0");
  w.term(true, read.scale("tag_decay", reward.getTagDecay()), "t * u");
  const bool tagChanges = !w.first;
  w.target("dw");
  w.term(false, read.scale("learning_rate", reward.getLearningRate()),
         "r * t * u");
  spec.traces[0] = read.trace("impulse", reward.getImpulse(), kLibraryImpulse,
                              "tau_plus", reward.getTauPlus());
  spec.traces[2] = read.trace("impulse", reward.getImpulse(), kLibraryImpulse,
                              "tau_minus", reward.getTauMinus());
  if (read.failed)
    return failure();
  if (!tagChanges || w.first)
    return emitError() << "#snn.reward_stdp: "
                       << (tagChanges ? "learning_rate" : "a_plus and a_minus")
                       << " 0 makes a rule that never changes a weight";
  spec.rule = w.text;
  return spec;
}

std::optional<cajal::chip::WeightSign>
cajal::snn::parseWeightSign(llvm::StringRef text) {
  for (unsigned k = 0; k < cajal::chip::kWeightSignCount; ++k) {
    const auto sign = cajal::chip::WeightSign(k);
    if (text == cajal::chip::weightSignName(sign))
      return sign;
  }
  return std::nullopt;
}
