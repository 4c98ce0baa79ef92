//===- Learning.cpp - Traces and sum-of-products learning rules -----------===//
//
// A trace is an unsigned integer of learning.traceBits bits. Each step it is
// multiplied by (2^D - decay) and divided by 2^D (D = learning.traceDecayBits)
// with stochastic rounding; a spike then adds the impulse, whose fraction is
// rounded stochastically too, and the sum saturates at the width.
//
// A rule's change dz is accumulated in a signed fixed-point accumulator of
// learning.accumulatorBits magnitude bits whose fraction is the bits the
// accumulator has beyond z's width. It starts at z; each term's product is
// formed exactly (every factor clamped to its width, so it fits in 64 bits),
// shifted by its exponent plus that fraction (flooring), saturated and
// added with saturation. The sum is rounded stochastically back to z's width
// and saturated to z's range. docs/learning.md is the contract; the numpy
// model in tests/crosscheck/learning_traces.py is written from it.
//
//===----------------------------------------------------------------------===//
#include "cajal/Chip/Learning.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

namespace cajal::chip {
namespace {

constexpr unsigned kDependencyCount = 3;
/// Factor widths are capped here so that three factors and a mantissa stay
/// far inside 64 bits whatever the profile says.
constexpr unsigned kMaxFactorBits = 16;

int64_t clampTo(int64_t value, int64_t lo, int64_t hi) {
  return std::min(std::max(value, lo), hi);
}

/// Floor of value / 2^bits (C++17 leaves >> of negatives to the compiler).
int64_t floorShiftRight(int64_t value, unsigned bits) {
  if (bits >= 63)
    return value < 0 ? -1 : 0;
  if (value >= 0)
    return value >> bits;
  return -((-(value + 1)) >> bits) - 1;
}

bool isDependency(LearningVariable v) {
  return v == LearningVariable::X0 || v == LearningVariable::Y0 ||
         v == LearningVariable::U;
}

unsigned targetBits(const Profile &profile, LearningTarget target) {
  switch (target) {
  case LearningTarget::Weight:
    return profile.synapse.weightBitsMax;
  case LearningTarget::Delay:
    return profile.synapse.delayBits;
  case LearningTarget::Tag:
    return profile.synapse.tagBits;
  }
  return 0;
}

/// Bits the accumulator holds below z's least significant bit.
unsigned fractionBits(const Profile &profile, LearningTarget target) {
  const unsigned bits = targetBits(profile, target);
  const unsigned acc = profile.learning.accumulatorBits;
  return acc > bits ? acc - bits : 0;
}

/// A factor of `width` bits holds -2^width .. 2^width - 1 (as Lava's
/// LearningRuleApplierBitApprox clamps it).
unsigned factorBits(const Profile &profile, LearningVariable v) {
  const LearningFormat &f = profile.learning;
  unsigned bits = 1;
  switch (v) {
  case LearningVariable::X0:
  case LearningVariable::Y0:
  case LearningVariable::U:
    bits = 1;
    break;
  case LearningVariable::X1:
  case LearningVariable::X2:
  case LearningVariable::Y1:
  case LearningVariable::Y2:
  case LearningVariable::Y3:
  case LearningVariable::R:
    bits = f.traceBits;
    break;
  case LearningVariable::W:
    bits = profile.synapse.weightBitsMax + 1;
    break;
  case LearningVariable::D:
    bits = profile.synapse.delayBits + 1;
    break;
  case LearningVariable::T:
    bits = profile.synapse.tagBits + 1;
    break;
  case LearningVariable::C:
    bits = f.constantBits;
    break;
  }
  return std::min(bits, kMaxFactorBits);
}

int64_t variableValue(LearningVariable v, unsigned dependency,
                      const LearningInputs &in, const SynapseState &syn) {
  const auto trace = [&](Trace t) {
    return int64_t(in.traces[dependency][static_cast<unsigned>(t)]);
  };
  switch (v) {
  case LearningVariable::X0:
    return in.x0;
  case LearningVariable::Y0:
    return in.y0;
  case LearningVariable::U:
    return in.u;
  case LearningVariable::X1:
    return trace(Trace::X1);
  case LearningVariable::X2:
    return trace(Trace::X2);
  case LearningVariable::Y1:
    return trace(Trace::Y1);
  case LearningVariable::Y2:
    return trace(Trace::Y2);
  case LearningVariable::Y3:
    return trace(Trace::Y3);
  case LearningVariable::R:
    return in.reward;
  case LearningVariable::W:
    return syn.weight;
  case LearningVariable::D:
    return syn.delay;
  case LearningVariable::T:
    return syn.tag;
  case LearningVariable::C:
    return 0;
  }
  return 0;
}

/// One term's contribution in accumulator units, saturated to the
/// accumulator.
int64_t evaluateTerm(const Profile &profile, const RuleTerm &term,
                     LearningTarget target, const LearningInputs &in,
                     const SynapseState &syn) {
  const unsigned dependency = static_cast<unsigned>(term.dependency) -
                              static_cast<unsigned>(LearningVariable::X0);
  if (dependency >= kDependencyCount ||
      variableValue(term.dependency, 0, in, syn) == 0)
    return 0;
  const int64_t accMax = (int64_t(1) << profile.learning.accumulatorBits) - 1;
  const int64_t accMin = -(int64_t(1) << profile.learning.accumulatorBits);
  int64_t product = term.mantissa;
  for (const RuleFactor &factor : term.factors) {
    const unsigned bits = factorBits(profile, factor.variable);
    const int64_t value =
        variableValue(factor.variable, dependency, in, syn) + factor.constant;
    product *= clampTo(value, -(int64_t(1) << bits), (int64_t(1) << bits) - 1);
  }
  const int64_t shift = int64_t(term.exponent) + fractionBits(profile, target);
  if (product == 0)
    return 0;
  if (shift < 0)
    return clampTo(floorShiftRight(product, unsigned(-shift)), accMin, accMax);
  // A left shift saturates once the product passes the accumulator's range.
  if (shift >= 62)
    return product > 0 ? accMax : accMin;
  const int64_t limit = accMax >> shift;
  if (product > limit)
    return accMax;
  if (product < -limit - 1)
    return accMin;
  return clampTo(product * (int64_t(1) << shift), accMin, accMax);
}

/// The values z may take: a delay 1 .. maxDelay, a weight in sign and
/// magnitude within its sign mode's half, a tag in two's complement.
std::pair<int64_t, int64_t>
targetRange(const Profile &profile, LearningTarget target, WeightSign sign) {
  const int64_t top = int64_t(1) << targetBits(profile, target);
  switch (target) {
  case LearningTarget::Delay:
    return {1, profile.synapse.maxDelay};
  case LearningTarget::Weight:
    return {sign == WeightSign::Excitatory ? 0 : 1 - top,
            sign == WeightSign::Inhibitory ? 0 : top - 1};
  case LearningTarget::Tag:
    break;
  }
  return {-top, top - 1};
}

int32_t applyTarget(const Profile &profile, const std::vector<RuleTerm> &terms,
                    LearningTarget target, WeightSign sign,
                    const LearningInputs &in, const SynapseState &syn,
                    int32_t value, uint64_t random) {
  const unsigned frac = fractionBits(profile, target);
  const int64_t accMax = (int64_t(1) << profile.learning.accumulatorBits) - 1;
  const int64_t accMin = -(int64_t(1) << profile.learning.accumulatorBits);
  int64_t acc = clampTo(int64_t(value) * (int64_t(1) << frac), accMin, accMax);
  for (const RuleTerm &term : terms)
    acc = clampTo(acc + evaluateTerm(profile, term, target, in, syn), accMin,
                  accMax);
  const int64_t rounded = roundStochastic(acc, frac, random);
  const auto [lo, hi] = targetRange(profile, target, sign);
  return int32_t(clampTo(rounded, lo, hi));
}

} // namespace

//===----------------------------------------------------------------------===//
// Random numbers and rounding
//===----------------------------------------------------------------------===//

uint64_t learningRandomPrefix(RandomStream stream, uint64_t seed,
                              uint64_t counter) {
  const uint64_t h =
      splitmix64(splitmix64(seed) ^ static_cast<uint64_t>(stream));
  return splitmix64(h ^ counter);
}

uint64_t learningRandom(RandomStream stream, const RandomKey &key) {
  return splitmix64(learningRandomPrefix(stream, key.seed, key.counter) ^
                    key.index);
}

int64_t roundStochastic(int64_t value, unsigned fractionBits, uint64_t random) {
  if (fractionBits == 0)
    return value;
  const unsigned bits = std::min(fractionBits, 62u);
  const int64_t whole = floorShiftRight(value, bits);
  const uint64_t dropped = uint64_t(value - whole * (int64_t(1) << bits));
  const uint64_t mask = (uint64_t(1) << bits) - 1;
  return whole + ((random & mask) < dropped ? 1 : 0);
}

//===----------------------------------------------------------------------===//
// Traces
//===----------------------------------------------------------------------===//

uint64_t traceRandomIndex(uint64_t neuron, Trace trace) {
  return neuron * 8 + static_cast<uint64_t>(trace);
}

Status checkTraceParams(const Profile &profile, const TraceParams &params) {
  const LearningFormat &f = profile.learning;
  const auto outOf = [](const char *field, uint32_t value, uint64_t max,
                        const char *width) {
    return Error("trace " + std::string(field) + " " + std::to_string(value) +
                 " outside 0.." + std::to_string(max) + " (" + width + ")");
  };
  if (params.impulseInteger > (1u << f.traceBits) - 1)
    return outOf("impulse", params.impulseInteger, (1u << f.traceBits) - 1,
                 "learning.traceBits");
  if (params.impulseFraction >= (1u << f.traceImpulseFractionBits))
    return outOf("impulse fraction", params.impulseFraction,
                 (1u << f.traceImpulseFractionBits) - 1,
                 "learning.traceImpulseFractionBits");
  if (params.decay > (1u << f.traceDecayBits))
    return outOf("decay", params.decay, 1u << f.traceDecayBits,
                 "learning.traceDecayBits");
  return Status::ok();
}

namespace {
/// One step's decay of a non-zero trace: keep / 2^bits of it, rounded
/// stochastically by `random`.
uint32_t decayOnce(uint32_t value, uint64_t keep, unsigned bits,
                   uint64_t random) {
  return uint32_t(
      roundStochastic(int64_t(uint64_t(value) * keep), bits, random));
}

/// `value` plus one impulse rounded by `random`, saturated at the width.
uint32_t addImpulseWith(uint32_t value, const TraceParams &params,
                        unsigned fracBits, unsigned traceBits,
                        uint64_t random) {
  const uint64_t impulse =
      (uint64_t(params.impulseInteger) << fracBits) + params.impulseFraction;
  const uint64_t sum = uint64_t(
      roundStochastic(int64_t(impulse), fracBits, random) + int64_t(value));
  return uint32_t(std::min<uint64_t>(sum, (uint64_t(1) << traceBits) - 1));
}
} // namespace

uint32_t traceKeptFraction(unsigned decayBits, uint32_t decay) {
  const uint64_t one = uint64_t(1) << decayBits;
  return uint32_t(one - std::min<uint64_t>(decay, one));
}

uint32_t decayTrace(const Profile &profile, uint32_t value, uint32_t decay,
                    uint64_t firstStep, uint64_t steps, uint64_t seed,
                    uint64_t traceIndex) {
  const unsigned bits = profile.learning.traceDecayBits;
  const uint64_t keep = traceKeptFraction(bits, decay);
  // A trace at 0 or without decay stays where it is: no draw changes it.
  for (uint64_t i = 0; i < steps && value != 0 && keep != (uint64_t(1) << bits);
       ++i)
    value = decayOnce(value, keep, bits,
                      learningRandom(RandomStream::TraceDecay,
                                     {seed, firstStep + i, traceIndex}));
  return value;
}

uint32_t addImpulse(const Profile &profile, uint32_t value,
                    const TraceParams &params, uint64_t step, uint64_t seed,
                    uint64_t traceIndex) {
  return addImpulseWith(
      value, params, profile.learning.traceImpulseFractionBits,
      profile.learning.traceBits,
      learningRandom(RandomStream::TraceImpulse, {seed, step, traceIndex}));
}

uint32_t stepTrace(const Profile &profile, uint32_t value,
                   const TraceParams &params, bool spiked, uint64_t step,
                   uint64_t seed, uint64_t traceIndex) {
  return TraceStep(profile, step, seed)(value, params, spiked, traceIndex);
}

TraceStep::TraceStep(const Profile &profile, uint64_t step, uint64_t seed)
    : decayBits(profile.learning.traceDecayBits),
      impulseFractionBits(profile.learning.traceImpulseFractionBits),
      traceBits(profile.learning.traceBits),
      decayKey(learningRandomPrefix(RandomStream::TraceDecay, seed, step)),
      impulseKey(learningRandomPrefix(RandomStream::TraceImpulse, seed, step)) {
}

uint32_t TraceStep::operator()(uint32_t value, const TraceParams &params,
                               bool spiked, uint64_t traceIndex) const {
  if (value != 0 && params.decay != 0)
    value = decayOnce(value, traceKeptFraction(decayBits, params.decay),
                      decayBits, splitmix64(decayKey ^ traceIndex));
  return spiked ? addImpulse(value, params, traceIndex) : value;
}

uint32_t TraceStep::addImpulse(uint32_t value, const TraceParams &params,
                               uint64_t traceIndex) const {
  // A zero impulse adds nothing whatever the draw.
  if (params.impulseInteger == 0 && params.impulseFraction == 0)
    return value;
  return addImpulseWith(value, params, impulseFractionBits, traceBits,
                        splitmix64(impulseKey ^ traceIndex));
}

//===----------------------------------------------------------------------===//
// Rules
//===----------------------------------------------------------------------===//

const char *learningVariableName(LearningVariable variable) {
  static const char *const names[] = {"x0", "y0", "u", "x1", "x2", "y1", "y2",
                                      "y3", "r",  "w", "d",  "t",  "C"};
  return names[static_cast<unsigned>(variable)];
}

const char *learningTargetName(LearningTarget target) {
  static const char *const names[] = {"dw", "dd", "dt"};
  return names[static_cast<unsigned>(target)];
}

Status checkLearningRule(const Profile &profile, const LearningRule &rule) {
  const LearningFormat &f = profile.learning;
  const int64_t mantissaMax = (int64_t(1) << f.scaleMantissaBits) - 1;
  const int64_t constantMax = int64_t(1) << f.constantBits;
  const int64_t exponentMax = f.accumulatorBits;
  for (unsigned k = 0; k < kLearningTargetCount; ++k) {
    const auto target = static_cast<LearningTarget>(k);
    const std::vector<RuleTerm> &terms = rule.of(target);
    const std::string name = learningTargetName(target);
    if (terms.size() > f.maxTerms)
      return Error(name + ": " + std::to_string(terms.size()) +
                   " terms; profile \"" + profile.name + "\" allows " +
                   std::to_string(f.maxTerms) + " (learning.maxTerms)");
    for (size_t i = 0; i < terms.size(); ++i) {
      const RuleTerm &term = terms[i];
      const std::string where = name + " term " + std::to_string(i + 1) + ": ";
      if (!isDependency(term.dependency))
        return Error(where + "its dependency is " +
                     learningVariableName(term.dependency) +
                     "; expected x0, y0 or u");
      if (term.factors.size() + 1 > f.maxFactors)
        return Error(where + std::to_string(term.factors.size() + 1) +
                     " factors with its dependency; profile \"" + profile.name +
                     "\" allows " + std::to_string(f.maxFactors) +
                     " (learning.maxFactors)");
      if (std::abs(int64_t(term.mantissa)) > mantissaMax)
        return Error(where + "mantissa " + std::to_string(term.mantissa) +
                     " outside -" + std::to_string(mantissaMax) + ".." +
                     std::to_string(mantissaMax) +
                     " (learning.scaleMantissaBits)");
      if (std::abs(int64_t(term.exponent)) > exponentMax)
        return Error(where + "exponent " + std::to_string(term.exponent) +
                     " outside -" + std::to_string(exponentMax) + ".." +
                     std::to_string(exponentMax) +
                     " (learning.accumulatorBits)");
      for (const RuleFactor &factor : term.factors) {
        if (isDependency(factor.variable))
          return Error(where + "a second dependency " +
                       learningVariableName(factor.variable));
        if (factor.constant < -constantMax || factor.constant >= constantMax)
          return Error(where + "constant " + std::to_string(factor.constant) +
                       " outside -" + std::to_string(constantMax) + ".." +
                       std::to_string(constantMax - 1) +
                       " (learning.constantBits)");
      }
    }
  }
  return Status::ok();
}

bool ruleLeavesUnchanged(const Profile &profile, const LearningRule &rule,
                         WeightSign sign, bool x0, bool y0, bool u,
                         const SynapseState &synapse) {
  const int32_t values[] = {synapse.weight, synapse.delay, synapse.tag};
  for (unsigned k = 0; k < kLearningTargetCount; ++k) {
    const auto target = static_cast<LearningTarget>(k);
    const std::vector<RuleTerm> &terms = rule.of(target);
    if (terms.empty())
      continue;
    for (const RuleTerm &term : terms)
      if (term.dependency == LearningVariable::X0   ? x0
          : term.dependency == LearningVariable::Y0 ? y0
                                                    : u)
        return false;
    // No active term: z' = clamp(z), which is z inside the range.
    const auto [lo, hi] = targetRange(profile, target, sign);
    if (values[k] < lo || values[k] > hi)
      return false;
  }
  return true;
}

const char *weightSignName(WeightSign sign) {
  switch (sign) {
  case WeightSign::Mixed:
    return "mixed";
  case WeightSign::Excitatory:
    return "excitatory";
  case WeightSign::Inhibitory:
    return "inhibitory";
  }
  return "?";
}

SynapseState applyRule(const Profile &profile, const LearningRule &rule,
                       WeightSign sign, const LearningInputs &inputs,
                       const SynapseState &synapse, uint64_t seed,
                       uint64_t epoch, uint64_t synapseIndex) {
  // Every target reads the synapse as it was before this epoch's learning.
  SynapseState next = synapse;
  int32_t *const fields[] = {&next.weight, &next.delay, &next.tag};
  for (unsigned k = 0; k < kLearningTargetCount; ++k) {
    const auto target = static_cast<LearningTarget>(k);
    if (rule.of(target).empty())
      continue;
    const uint64_t random =
        learningRandom(RandomStream::SynapseRounding,
                       {seed, epoch, synapseIndex * kLearningTargetCount + k});
    *fields[k] = applyTarget(profile, rule.of(target), target, sign, inputs,
                             synapse, *fields[k], random);
  }
  return next;
}

} // namespace cajal::chip
