//===- cajal-learning-cases.cpp - Seeded trace and rule cases as JSON -----===//
//
// cajal-learning-cases [--cases N] [--seed S] [--profile NAME|PATH]
// prints N seeded random cases of each kind, one JSON object per line, with
// the chip library's answer (Learning.h): "trace" (a trace stepped through
// an epoch of spikes), "decay" (a trace decayed over many steps at once) and
// "rule" (a random rule applied to random inputs and a synapse).
// learning_traces.py recomputes every answer from docs/learning.md.
//
//===----------------------------------------------------------------------===//
#include "cajal/Chip/Learning.h"

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

using namespace cajal;
using namespace cajal::chip;

namespace {

class Cases {
public:
  Cases(const Profile &chipProfile, uint64_t seed)
      : profile(chipProfile), generator(seed) {}

  /// A uniform integer in lo..hi.
  int64_t uniform(int64_t lo, int64_t hi) {
    return lo + int64_t(generator() % uint64_t(hi - lo + 1));
  }

  void traceCase() {
    const LearningFormat &f = profile.learning;
    const TraceParams params{
        uint32_t(uniform(0, (1 << f.traceBits) - 1)),
        uint32_t(uniform(0, (1 << f.traceImpulseFractionBits) - 1)),
        uint32_t(uniform(0, 3) == 0 ? uniform(0, 1) * (1 << f.traceDecayBits)
                                    : uniform(0, 1 << f.traceDecayBits))};
    const uint64_t seed = generator(), index = uniform(0, 1 << 20);
    const uint64_t first = uniform(0, 1 << 30);
    uint32_t value = uint32_t(uniform(0, (1 << f.traceBits) - 1));
    std::string spikes, values;
    std::printf("{\"kind\": \"trace\", \"seed\": %llu, \"index\": %llu, "
                "\"first\": %llu, \"impulse\": [%u, %u], \"decay\": %u, "
                "\"init\": %u, ",
                (unsigned long long)seed, (unsigned long long)index,
                (unsigned long long)first, params.impulseInteger,
                params.impulseFraction, params.decay, value);
    const int64_t steps = uniform(1, f.maxEpochSteps);
    for (int64_t t = 0; t < steps; ++t) {
      const bool spiked = uniform(0, 2) == 0;
      value = stepTrace(profile, value, params, spiked, first + t, seed, index);
      spikes += (t ? ", " : "") + std::to_string(spiked);
      values += (t ? ", " : "") + std::to_string(value);
    }
    std::printf("\"spikes\": [%s], \"values\": [%s]}\n", spikes.c_str(),
                values.c_str());
  }

  void decayCase() {
    const LearningFormat &f = profile.learning;
    const uint32_t decay = uint32_t(uniform(0, 1 << (f.traceDecayBits - 4)));
    const uint32_t value = uint32_t(uniform(0, (1 << f.traceBits) - 1));
    const uint64_t seed = generator(), index = uniform(0, 1 << 20);
    const uint64_t first = uniform(0, 1 << 30), steps = uniform(0, 1000);
    std::printf("{\"kind\": \"decay\", \"seed\": %llu, \"index\": %llu, "
                "\"first\": %llu, \"steps\": %llu, \"decay\": %u, "
                "\"init\": %u, \"result\": %u}\n",
                (unsigned long long)seed, (unsigned long long)index,
                (unsigned long long)first, (unsigned long long)steps, decay,
                value,
                decayTrace(profile, value, decay, first, steps, seed, index));
  }

  void ruleCase() {
    const LearningRule rule = randomRule();
    LearningInputs in;
    in.x0 = uniform(0, 3) != 0;
    in.y0 = uniform(0, 3) != 0;
    in.u = uniform(0, 1) != 0;
    for (auto &sample : in.traces)
      for (int32_t &trace : sample)
        trace = int32_t(uniform(0, (1 << profile.learning.traceBits) - 1));
    in.reward = int32_t(uniform(-200, 200));
    const int32_t wMax = (1 << profile.synapse.weightBitsMax) - 1;
    const int32_t tMax = (1 << profile.synapse.tagBits) - 1;
    const SynapseState synapse{int32_t(uniform(-wMax - 1, wMax)),
                               int32_t(uniform(1, profile.synapse.maxDelay)),
                               int32_t(uniform(-tMax - 1, tMax))};
    const uint64_t seed = generator(), epoch = uniform(0, 1 << 20),
                   index = uniform(0, 1 << 20);
    const auto sign = WeightSign(uniform(0, kWeightSignCount - 1));
    const SynapseState next =
        applyRule(profile, rule, sign, in, synapse, seed, epoch, index);
    std::string traces;
    for (const auto &sample : in.traces) {
      traces += traces.empty() ? "[" : ", [";
      for (unsigned k = 0; k < kTraceCount; ++k)
        traces += (k ? ", " : "") + std::to_string(sample[k]);
      traces += "]";
    }
    std::printf("{\"kind\": \"rule\", \"rule\": \"%s\", \"sign\": \"%s\", "
                "\"x0\": %d, "
                "\"y0\": %d, \"u\": %d, \"traces\": [%s], \"reward\": %d, "
                "\"synapse\": [%d, %d, %d], \"seed\": %llu, \"epoch\": %llu, "
                "\"index\": %llu, \"result\": [%d, %d, %d]}\n",
                printLearningRule(rule).c_str(), weightSignName(sign), in.x0,
                in.y0, in.u, traces.c_str(), in.reward, synapse.weight,
                synapse.delay, synapse.tag, (unsigned long long)seed,
                (unsigned long long)epoch, (unsigned long long)index,
                next.weight, next.delay, next.tag);
  }

private:
  /// A rule within the profile's limits, at least one term in all.
  LearningRule randomRule() {
    const LearningFormat &f = profile.learning;
    const int64_t mantissaMax = (1 << f.scaleMantissaBits) - 1;
    const int64_t constantMax = int64_t(1) << f.constantBits;
    // Half the rules are small changes (few terms, small scales) that
    // seldom saturate, so that the stochastic rounding is what is compared.
    const bool gentle = uniform(0, 1) == 0;
    LearningRule rule;
    for (auto &terms : rule.terms) {
      const int64_t count = uniform(0, gentle ? 2 : f.maxTerms);
      for (int64_t i = 0; i < count; ++i) {
        RuleTerm term;
        term.mantissa = int32_t(uniform(-mantissaMax, mantissaMax));
        term.exponent = int32_t(gentle ? uniform(-16, -8) : uniform(-12, 6));
        term.dependency = static_cast<LearningVariable>(uniform(0, 2));
        const int64_t factors = uniform(0, f.maxFactors - 1);
        for (int64_t j = 0; j < factors; ++j) {
          RuleFactor factor;
          factor.variable = static_cast<LearningVariable>(uniform(
              int64_t(LearningVariable::X1), int64_t(LearningVariable::C)));
          if (factor.variable == LearningVariable::C || uniform(0, 1))
            factor.constant = int32_t(uniform(-constantMax, constantMax - 1));
          term.factors.push_back(factor);
        }
        terms.push_back(term);
      }
    }
    if (printLearningRule(rule).empty())
      rule.of(LearningTarget::Weight).push_back(RuleTerm{});
    return rule;
  }

  const Profile &profile;
  std::mt19937_64 generator;
};

int usage(const char *message) {
  std::fprintf(stderr, "cajal-learning-cases: error: %s\n", message);
  return 1;
}

} // namespace

int main(int argc, char **argv) {
  uint64_t cases = 200, seed = 1;
  std::string profileName = "loihi1";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc)
      return usage(("missing value after " + arg).c_str());
    const std::string value = argv[++i];
    if (arg == "--cases")
      cases = std::strtoull(value.c_str(), nullptr, 10);
    else if (arg == "--seed")
      seed = std::strtoull(value.c_str(), nullptr, 10);
    else if (arg == "--profile")
      profileName = value;
    else
      return usage(("unknown option " + arg).c_str());
  }
  Result<Profile> profile = findProfile(profileName, defaultProfileDir());
  if (!profile)
    return usage(profile.error().c_str());
  Cases generate(*profile, seed);
  for (uint64_t i = 0; i < cases; ++i) {
    generate.traceCase();
    generate.decayCase();
    generate.ruleCase();
  }
  return 0;
}
