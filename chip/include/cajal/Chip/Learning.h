//===- Learning.h - Traces and sum-of-products learning rules ---*- C++ -*-===//
//
// The chip-level reference of on-chip learning (docs/learning.md): the
// pre- and post-synaptic traces with their stochastic decay and impulse, the
// sum-of-products rules for a synapse's weight, delay and tag, their bit-exact
// evaluation with the profile's widths, saturation and stochastic rounding,
// the counter-based generator that makes a run reproducible, and the parser
// of a rule's text form. Every engine is held to these functions.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_CHIP_LEARNING_H
#define CAJAL_CHIP_LEARNING_H

#include "cajal/Chip/Profile.h"
#include "cajal/Chip/Result.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace cajal::chip {

//===----------------------------------------------------------------------===//
// Reproducible randomness
//===----------------------------------------------------------------------===//

/// Which rounding a random draw serves; part of the draw's key so that the
/// draws of different roundings never coincide.
enum class RandomStream : uint64_t {
  TraceDecay = 1,
  TraceImpulse = 2,
  SynapseRounding = 3
};

/// The key of one draw: the run's seed, the time step (traces) or epoch
/// (synapses), and the trace or synapse variable drawn for.
struct RandomKey {
  uint64_t seed = 0;
  uint64_t counter = 0;
  uint64_t index = 0;
};

/// The splitmix64 finaliser of Steele, Lea and Flood (2014), one round: the
/// hash behind every counter-based draw (learning and sources).
inline uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

/// The 64 random bits of one draw: splitmix64 chained over the key's parts
/// (docs/learning.md, "Random numbers"). Equal on every platform.
uint64_t learningRandom(RandomStream stream, const RandomKey &key);

/// The part of a draw that every index of one (stream, seed, counter)
/// shares: learningRandom(stream, {seed, counter, index}) ==
/// splitmix64(learningRandomPrefix(stream, seed, counter) ^ index), so an
/// engine drawing for many traces in one step hashes the prefix once.
uint64_t learningRandomPrefix(RandomStream stream, uint64_t seed,
                              uint64_t counter);

/// `value / 2^fractionBits` rounded down, plus one with probability
/// (value mod 2^fractionBits) / 2^fractionBits: one more exactly when the low
/// `fractionBits` bits of `random` are below the dropped fraction.
int64_t roundStochastic(int64_t value, unsigned fractionBits, uint64_t random);

//===----------------------------------------------------------------------===//
// Traces
//===----------------------------------------------------------------------===//

/// Pre-synaptic traces x1, x2 (per input axon) and post-synaptic traces
/// y1, y2, y3 (per compartment).
enum class Trace : uint8_t { X1, X2, Y1, Y2, Y3 };
constexpr unsigned kTraceCount = 5;

/// The draw index of a trace: 8 * neuron + trace, so that an axon's x
/// traces (0, 1) and a compartment's y traces (2, 3, 4) never share one.
uint64_t traceRandomIndex(uint64_t neuron, Trace trace);

/// One trace's configuration. A spike adds impulseInteger +
/// impulseFraction / 2^learning.traceImpulseFractionBits; each step keeps
/// (2^learning.traceDecayBits - decay) / 2^learning.traceDecayBits of the
/// trace (decay 0: no decay, decay 2^traceDecayBits: cleared every step).
struct TraceParams {
  uint32_t impulseInteger = 0;
  uint32_t impulseFraction = 0;
  uint32_t decay = 0;
  bool operator==(const TraceParams &o) const {
    return impulseInteger == o.impulseInteger &&
           impulseFraction == o.impulseFraction && decay == o.decay;
  }
  bool operator!=(const TraceParams &o) const { return !(*this == o); }
};

/// Whether `params` fits the profile's trace widths; the error names the
/// field and its range.
Status checkTraceParams(const Profile &profile, const TraceParams &params);

/// `value` decayed over `steps` steps, the first of them time step
/// `firstStep`; each step rounds stochastically with the draw
/// (TraceDecay, {seed, step, traceIndex}).
uint32_t decayTrace(const Profile &profile, uint32_t value, uint32_t decay,
                    uint64_t firstStep, uint64_t steps, uint64_t seed,
                    uint64_t traceIndex);

/// `value` plus one impulse at time step `step`, saturated at
/// 2^learning.traceBits - 1.
uint32_t addImpulse(const Profile &profile, uint32_t value,
                    const TraceParams &params, uint64_t step, uint64_t seed,
                    uint64_t traceIndex);

/// What a trace with `decay` keeps of itself each step, in units of
/// 2^decayBits (2^decayBits - decay, at least 0).
uint32_t traceKeptFraction(unsigned decayBits, uint32_t decay);

/// One time step of a trace: decay, then the impulse when the trace's
/// neuron spiked in that step.
uint32_t stepTrace(const Profile &profile, uint32_t value,
                   const TraceParams &params, bool spiked, uint64_t step,
                   uint64_t seed, uint64_t traceIndex);

/// stepTrace for every trace of one time step: the draws' prefixes are
/// hashed once, and a trace that no draw can change (at 0 or without decay,
/// no spike or a zero impulse) draws nothing.
class TraceStep {
public:
  TraceStep(const Profile &profile, uint64_t step, uint64_t seed);
  uint32_t operator()(uint32_t value, const TraceParams &params, bool spiked,
                      uint64_t traceIndex) const;
  /// The impulse alone (the step's decay already taken).
  uint32_t addImpulse(uint32_t value, const TraceParams &params,
                      uint64_t traceIndex) const;
  /// The decay draw of trace `traceIndex` is splitmix64(decayPrefix() ^
  /// traceIndex): an engine that decays many traces at once hashes it so.
  uint64_t decayPrefix() const { return decayKey; }

private:
  unsigned decayBits, impulseFractionBits, traceBits;
  uint64_t decayKey, impulseKey;
};

//===----------------------------------------------------------------------===//
// Rules
//===----------------------------------------------------------------------===//

/// The variables a rule's factor reads. X0, Y0 and U are the dependencies:
/// each term is gated by exactly one. R is the compartment's third factor
/// (reward); W, D, T the synapse's weight, delay and tag; C a constant only.
enum class LearningVariable : uint8_t {
  X0,
  Y0,
  U,
  X1,
  X2,
  Y1,
  Y2,
  Y3,
  R,
  W,
  D,
  T,
  C
};

/// The synaptic variable a rule changes.
enum class LearningTarget : uint8_t { Weight, Delay, Tag };
constexpr unsigned kLearningTargetCount = 3;

/// The rule's name of a variable ("x1") and of a target's change ("dw").
const char *learningVariableName(LearningVariable variable);
const char *learningTargetName(LearningTarget target);

/// (variable + constant); for LearningVariable::C just the constant.
struct RuleFactor {
  LearningVariable variable = LearningVariable::C;
  int32_t constant = 0;
  bool operator==(const RuleFactor &o) const {
    return variable == o.variable && constant == o.constant;
  }
};

/// mantissa * 2^exponent * dependency * product of factors.
struct RuleTerm {
  int32_t mantissa = 1;
  int32_t exponent = 0;
  LearningVariable dependency = LearningVariable::U;
  std::vector<RuleFactor> factors;
  bool operator==(const RuleTerm &o) const {
    return mantissa == o.mantissa && exponent == o.exponent &&
           dependency == o.dependency && factors == o.factors;
  }
};

/// The terms of dw, dd and dt (indexed by LearningTarget); a target without
/// terms does not change.
struct LearningRule {
  std::array<std::vector<RuleTerm>, kLearningTargetCount> terms;
  std::vector<RuleTerm> &of(LearningTarget target) {
    return terms[static_cast<unsigned>(target)];
  }
  const std::vector<RuleTerm> &of(LearningTarget target) const {
    return terms[static_cast<unsigned>(target)];
  }
  bool operator==(const LearningRule &o) const { return terms == o.terms; }
};

/// Whether a rule fits the profile: terms per target, factors per term
/// (the dependency counts as one), mantissa, exponent and constant ranges.
Status checkLearningRule(const Profile &profile, const LearningRule &rule);

/// What one synapse's rule reads at the end of an epoch: the dependencies
/// (did the pre-synaptic axon, the post-synaptic compartment spike in the
/// epoch; is the epoch a u epoch), the traces as sampled for each dependency
/// (at the pre spike, at the post spike, at the epoch's end) and the
/// compartment's third factor.
struct LearningInputs {
  bool x0 = false, y0 = false, u = true;
  /// traces[dependency][trace], dependency 0 = x0, 1 = y0, 2 = u.
  std::array<std::array<int32_t, kTraceCount>, 3> traces{};
  int32_t reward = 0;
};

/// The sign a learned weight keeps (Lava's sign_mode): mixed weights range
/// over -(2^weightBits - 1) .. 2^weightBits - 1; an excitatory weight stops
/// at 0 from above and an inhibitory one from below, so a synapse that is
/// depressed to nothing stays a silent synapse of its kind.
enum class WeightSign : uint8_t { Mixed, Excitatory, Inhibitory };
constexpr unsigned kWeightSignCount = 3;

/// "mixed", "excitatory", "inhibitory".
const char *weightSignName(WeightSign sign);

struct SynapseState {
  int32_t weight = 0;
  int32_t delay = 0;
  int32_t tag = 0;
};

/// The synapse after one epoch's learning: for each target with terms,
/// z' = saturate(round(z + dz)) as docs/learning.md specifies, a weight
/// within the range of `sign`. The rounding of target k draws
/// (SynapseRounding, {seed, epoch, synapse * 3 + k}). The rule must have
/// passed checkLearningRule.
SynapseState applyRule(const Profile &profile, const LearningRule &rule,
                       WeightSign sign, const LearningInputs &inputs,
                       const SynapseState &synapse, uint64_t seed,
                       uint64_t epoch, uint64_t synapseIndex);

/// Whether applyRule would return `synapse` unchanged whatever the traces,
/// reward and draws: no term of the rule has an active dependency (x0, y0,
/// u as given), so every target keeps its value, which already lies within
/// its range (the weight's by `sign`). An engine may then skip the synapse.
bool ruleLeavesUnchanged(const Profile &profile, const LearningRule &rule,
                         WeightSign sign, bool x0, bool y0, bool u,
                         const SynapseState &synapse);

/// The rule of a text such as
///   "dw = 2^-4 * x1 * y0 - 2^-4 * y1 * x0; dt = 3 * 2^-2 * (y1 - 8) * u"
/// (docs/learning.md, "Text form"). Errors name the offending token and its
/// column. Syntax only: checkLearningRule applies the profile's limits.
Result<LearningRule> parseLearningRule(const std::string &text);

/// The text form of a rule as a user writes it: equations dw, dd, dt joined
/// by "; ", each term's scale, then its factors, then its dependency
/// ("dw = 2^-4 * x1 * y0 - 2^-4 * y1 * x0"); parseLearningRule reads it back
/// to an equal rule.
std::string printLearningRule(const LearningRule &rule);

} // namespace cajal::chip

#endif // CAJAL_CHIP_LEARNING_H
