//===- LearningTest.cpp - Traces, rules and their text (Learning.h) -------===//
#include "cajal/Chip/Learning.h"

#include "TestUtil.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace cajal;
using namespace cajal::chip;
using cajal::chip::test::loihi1;

namespace {

constexpr uint64_t kSeed = 20261204;

LearningRule parsed(const std::string &text) {
  Result<LearningRule> rule = parseLearningRule(text);
  EXPECT_TRUE(rule) << text << ": " << (rule ? "" : rule.error());
  return rule ? *rule : LearningRule{};
}

std::string parseError(const std::string &text) {
  Result<LearningRule> rule = parseLearningRule(text);
  EXPECT_FALSE(rule) << text << " parsed";
  return rule ? "" : rule.error();
}

/// The traces a rule sees when its dependency's spike found them at `x1`
/// (pre trace) and `y1` (post trace).
LearningInputs pairInputs(bool x0, bool y0, int32_t x1AtPost, int32_t y1AtPre) {
  LearningInputs in;
  in.x0 = x0;
  in.y0 = y0;
  in.u = false;
  in.traces[1][static_cast<unsigned>(Trace::X1)] = x1AtPost;
  in.traces[0][static_cast<unsigned>(Trace::Y1)] = y1AtPre;
  return in;
}

} // namespace

TEST(LearningTest, ImpulseSaturatesAtTheTraceWidth) {
  const Profile &p = loihi1();
  const uint32_t max = (1u << p.learning.traceBits) - 1;
  const TraceParams params{100, 0, 0};
  EXPECT_EQ(addImpulse(p, 0, params, 1, kSeed, 0), 100u);
  EXPECT_EQ(addImpulse(p, 100, params, 2, kSeed, 0), max);
  EXPECT_EQ(addImpulse(p, max, {max, 255, 0}, 3, kSeed, 0), max);
}

TEST(LearningTest, ImpulseFractionRoundsUpInProportion) {
  const Profile &p = loihi1();
  const uint32_t quarter = (1u << p.learning.traceImpulseFractionBits) / 4;
  int ups = 0;
  const int draws = 20000;
  for (int step = 0; step < draws; ++step)
    ups += int(addImpulse(p, 10, {2, quarter, 0}, step, kSeed, 3)) - 12;
  EXPECT_NEAR(double(ups) / draws, 0.25, 0.02);
}

TEST(LearningTest, DecayEdgeCases) {
  const Profile &p = loihi1();
  const uint32_t full = 1u << p.learning.traceDecayBits;
  // No decay keeps the trace over any number of steps; full decay clears it
  // in one; a trace at zero stays there.
  EXPECT_EQ(decayTrace(p, 127, 0, 0, 1000000000, kSeed, 0), 127u);
  EXPECT_EQ(decayTrace(p, 127, full, 0, 1, kSeed, 0), 0u);
  EXPECT_EQ(decayTrace(p, 0, 1, 0, 63, kSeed, 0), 0u);
  // Halving per step: after one step 127 * 2048 / 4096 = 63.5.
  const uint32_t once = decayTrace(p, 127, full / 2, 5, 1, kSeed, 0);
  EXPECT_TRUE(once == 63u || once == 64u) << once;
  // A long epoch at a slow decay ends near the exact exponential.
  const uint32_t decay = full / 64;
  double sum = 0;
  const int runs = 400;
  for (int run = 0; run < runs; ++run)
    sum += decayTrace(p, 127, decay, 0, p.learning.maxEpochSteps, kSeed, run);
  const double exact =
      127 * std::pow(1.0 - double(decay) / full, p.learning.maxEpochSteps);
  EXPECT_NEAR(sum / runs, exact, 0.5);
  // A long enough decay reaches zero.
  EXPECT_EQ(decayTrace(p, 127, full / 4, 0, 10000, kSeed, 1), 0u);
}

TEST(LearningTest, StepTraceDecaysThenAddsTheImpulse) {
  const Profile &p = loihi1();
  const uint32_t full = 1u << p.learning.traceDecayBits;
  EXPECT_EQ(stepTrace(p, 40, {20, 0, full}, true, 7, kSeed, 0), 20u);
  EXPECT_EQ(stepTrace(p, 40, {20, 0, 0}, false, 7, kSeed, 0), 40u);
}

TEST(LearningTest, TraceParamsOutsideTheirWidthsAreRefused) {
  const Profile &p = loihi1();
  EXPECT_TRUE(checkTraceParams(p, {127, 255, 4096}));
  const Status impulse = checkTraceParams(p, {128, 0, 0});
  ASSERT_FALSE(impulse);
  EXPECT_NE(impulse.error().find("learning.traceBits"), std::string::npos);
  EXPECT_FALSE(checkTraceParams(p, {0, 256, 0}));
  EXPECT_FALSE(checkTraceParams(p, {0, 0, 4097}));
}

TEST(LearningTest, StochasticRoundingIsUnbiasedAndReproducible) {
  // 3 + 5/16 in 4 fraction bits, rounded 100,000 times: the mean is within
  // 4 standard deviations of the exact value.
  const int64_t value = 3 * 16 + 5;
  const int draws = 100000;
  double sum = 0;
  for (int i = 0; i < draws; ++i)
    sum += roundStochastic(
        value, 4,
        learningRandom(RandomStream::SynapseRounding, {kSeed, 0, uint64_t(i)}));
  const double p = 5.0 / 16;
  EXPECT_NEAR(sum / draws, 3 + p, 4 * std::sqrt(p * (1 - p) / draws));
  // Negative values round down or up around their floor.
  EXPECT_EQ(roundStochastic(-17, 4, 0), -1);
  EXPECT_EQ(roundStochastic(-17, 4, 15), -2);
  EXPECT_EQ(roundStochastic(-16, 4, 0), -1);
  // The draws depend on the key only (splitmix64's published first output
  // for seed 0 fixes the finaliser).
  EXPECT_EQ(splitmix64(0), 0xE220A8397B1DCDAFULL);
  const RandomKey key{kSeed, 9, 4};
  EXPECT_EQ(learningRandom(RandomStream::TraceDecay, key),
            learningRandom(RandomStream::TraceDecay, key));
  EXPECT_NE(learningRandom(RandomStream::TraceDecay, key),
            learningRandom(RandomStream::TraceImpulse, key));
}

TEST(LearningTest, PairStdpPotentiatesPreBeforePostAndDepressesPostBeforePre) {
  const Profile &p = loihi1();
  const LearningRule rule = parsed("dw = 2^-2 * x1 * y0 - 2^-2 * y1 * x0");
  ASSERT_TRUE(checkLearningRule(p, rule));
  const SynapseState before{10, 1, 0};
  // Pre before post: the post spike finds x1 = 40 and the pre spike found
  // y1 = 0; dw = 40 / 4 = 10 exactly.
  const SynapseState potentiated =
      applyRule(p, rule, WeightSign::Mixed, pairInputs(true, true, 40, 0),
                before, kSeed, 0, 0);
  EXPECT_EQ(potentiated.weight, 20);
  // Post before pre: the pre spike finds y1 = 40.
  const SynapseState depressed =
      applyRule(p, rule, WeightSign::Mixed, pairInputs(true, true, 0, 40),
                before, kSeed, 0, 0);
  EXPECT_EQ(depressed.weight, 0);
  // Without a spike the rule does not change the weight; delay and tag have
  // no terms and keep their values.
  const SynapseState quiet =
      applyRule(p, rule, WeightSign::Mixed, pairInputs(false, false, 40, 40),
                before, kSeed, 0, 0);
  EXPECT_EQ(quiet.weight, 10);
  EXPECT_EQ(quiet.delay, 1);
}

TEST(LearningTest, RuleSaturatesTheWeightAndRoundsItsFraction) {
  const Profile &p = loihi1();
  const int32_t wMax = (1 << p.synapse.weightBitsMax) - 1;
  const LearningRule grow = parsed("dw = 15 * 2^4 * x1 * y0");
  const SynapseState top =
      applyRule(p, grow, WeightSign::Mixed, pairInputs(true, true, 127, 0),
                {wMax - 3, 1, 0}, kSeed, 0, 0);
  EXPECT_EQ(top.weight, wMax);
  const LearningRule shrink = parsed("dw = -15 * 2^4 * x1 * y0");
  const SynapseState bottom =
      applyRule(p, shrink, WeightSign::Mixed, pairInputs(true, true, 127, 0),
                {-wMax, 1, 0}, kSeed, 0, 0);
  EXPECT_EQ(bottom.weight, -wMax); // sign and magnitude: symmetric
  // A sign mode stops the weight at zero instead: an excitatory synapse
  // depressed past it stays a silent excitatory one, and likewise below.
  EXPECT_EQ(applyRule(p, shrink, WeightSign::Excitatory,
                      pairInputs(true, true, 127, 0), {40, 1, 0}, kSeed, 0, 0)
                .weight,
            0);
  EXPECT_EQ(applyRule(p, grow, WeightSign::Inhibitory,
                      pairInputs(true, true, 127, 0), {-40, 1, 0}, kSeed, 0, 0)
                .weight,
            0);
  EXPECT_EQ(applyRule(p, grow, WeightSign::Excitatory,
                      pairInputs(true, true, 127, 0), {wMax - 3, 1, 0}, kSeed,
                      0, 0)
                .weight,
            wMax);
  // dw = 1/4 each epoch: over many epochs the weight grows by a quarter.
  const LearningRule quarter = parsed("dw = 2^-2 * u");
  int32_t w = 0;
  LearningInputs epochEnd;
  const int epochs = 400;
  for (int e = 0; e < epochs; ++e)
    w = applyRule(p, quarter, WeightSign::Mixed, epochEnd, {w, 1, 0}, kSeed,
                  uint64_t(e), 5)
            .weight;
  EXPECT_NEAR(w, epochs / 4, 20);
  // The same seed gives the same weight.
  int32_t again = 0;
  for (int e = 0; e < epochs; ++e)
    again = applyRule(p, quarter, WeightSign::Mixed, epochEnd, {again, 1, 0},
                      kSeed, uint64_t(e), 5)
                .weight;
  EXPECT_EQ(again, w);
}

TEST(LearningTest, AnIdleRuleLeavesTheSynapseAsApplyRuleDoes) {
  // ruleLeavesUnchanged lets an engine skip a synapse; whenever it says so,
  // applyRule must agree, for every sign mode and at the range's edges.
  const Profile &p = loihi1();
  const int32_t wMax = (1 << p.synapse.weightBitsMax) - 1;
  const LearningRule pair = parsed("dw = 2^-3 * x1 * y0 - 2^-3 * y1 * x0");
  const LearningRule tagged =
      parsed("dt = x1 * y0 - 2^-2 * t * x0; dd = -x0; dw = 2^-4 * r * t * u");
  unsigned skipped = 0, applied = 0;
  for (const LearningRule *rule : {&pair, &tagged})
    for (unsigned sign = 0; sign < kWeightSignCount; ++sign)
      for (unsigned deps = 0; deps < 8; ++deps)
        for (int32_t w : {-wMax, -1, 0, 7, wMax})
          for (int32_t d : {1, 30, int32_t(p.synapse.maxDelay)}) {
            LearningInputs in = pairInputs(deps & 1, deps & 2, 40, 40);
            in.u = deps & 4;
            in.reward = 9;
            const SynapseState before{w, d, -3};
            const bool idle = ruleLeavesUnchanged(p, *rule, WeightSign(sign),
                                                  in.x0, in.y0, in.u, before);
            const SynapseState after =
                applyRule(p, *rule, WeightSign(sign), in, before, kSeed, 3, 11);
            if (idle) {
              ++skipped;
              EXPECT_EQ(after.weight, before.weight);
              EXPECT_EQ(after.delay, before.delay);
              EXPECT_EQ(after.tag, before.tag);
            } else {
              ++applied;
            }
          }
  // Both answers occur: pair STDP without spikes is idle unless the
  // weight lies outside its sign's range, every u epoch of `tagged` is not.
  EXPECT_GT(skipped, 20u);
  EXPECT_GT(applied, 100u);
}

TEST(LearningTest, ThirdFactorSignsTheChange) {
  const Profile &p = loihi1();
  const LearningRule rule = parsed("dw = 2^-2 * r * u; dt = 2 * (r - 4) * u");
  LearningInputs in;
  in.reward = 8;
  const SynapseState rewarded =
      applyRule(p, rule, WeightSign::Mixed, in, {0, 1, 0}, kSeed, 0, 0);
  EXPECT_EQ(rewarded.weight, 2);
  EXPECT_EQ(rewarded.tag, 8);
  in.reward = -8;
  const SynapseState punished =
      applyRule(p, rule, WeightSign::Mixed, in, {0, 1, 0}, kSeed, 0, 0);
  EXPECT_EQ(punished.weight, -2);
  EXPECT_EQ(punished.tag, -24);
  // As a factor the third factor is clamped to the trace width: a reward of
  // 1000 counts as 127.
  in.reward = 1000;
  const LearningRule plain = parsed("dw = r * u");
  EXPECT_EQ(
      applyRule(p, plain, WeightSign::Mixed, in, {0, 1, 0}, kSeed, 0, 0).weight,
      (1 << p.learning.traceBits) - 1);
}

TEST(LearningTest, ParserReadsTheIssuesExampleAndPrintsItBack) {
  const LearningRule rule = parsed("dw = 2^-4 * x1 * y0 - 2^-4 * y1 * x0");
  const std::vector<RuleTerm> &dw = rule.of(LearningTarget::Weight);
  ASSERT_EQ(dw.size(), 2u);
  EXPECT_EQ(dw[0].mantissa, 1);
  EXPECT_EQ(dw[0].exponent, -4);
  EXPECT_EQ(dw[0].dependency, LearningVariable::Y0);
  ASSERT_EQ(dw[0].factors.size(), 1u);
  EXPECT_EQ(dw[0].factors[0].variable, LearningVariable::X1);
  EXPECT_EQ(dw[1].mantissa, -1);
  EXPECT_EQ(dw[1].dependency, LearningVariable::X0);
  EXPECT_TRUE(rule.of(LearningTarget::Delay).empty());
  const std::string text =
      "dw = -3 * 2^-5 * y0 * (x1 - 16) * 7\ndt = u * (t + 2) * r; dd = x0";
  const LearningRule full = parsed(text);
  EXPECT_EQ(printLearningRule(parsed(printLearningRule(full))),
            printLearningRule(full));
  EXPECT_EQ(printLearningRule(full), "dw = -3 * 2^-5 * (x1 - 16) * 7 * y0; "
                                     "dd = x0; dt = (t + 2) * r * u");
}

// The printed text reads as a user writes a rule (docs/learning.md): the
// scale, the factors, the dependency last, and a term's sign as its
// operator. The synapse-rule library's texts print back unchanged.
TEST(LearningTest, PrintsRulesAsTheyAreWritten) {
  const std::string pairStdp = "dw = 2^-4 * x1 * y0 - 2^-4 * y1 * x0";
  EXPECT_EQ(printLearningRule(parsed(pairStdp)), pairStdp);
  // #snn.pair_stdp, #snn.triplet_stdp and #snn.reward_stdp as the compiler
  // expands them (docs/learning.md, "Synapse-rule library"); the rule keeps
  // no equation order, so dw prints before dt.
  for (const char *library :
       {"dw = 2^-4 * x1 * y0 - 5 * 2^-6 * y1 * x0",
        "dw = 2^-4 * x1 * y0 + 2^-8 * x1 * y2 * y0 - 2^-4 * y1 * x0",
        "dw = 2^-5 * r * t * u; dt = 2^-4 * x1 * y0 - 2^-4 * y1 * x0 - "
        "2^-3 * t * u"}) {
    const LearningRule rule = parsed(library);
    EXPECT_EQ(printLearningRule(rule), library);
    EXPECT_EQ(parsed(printLearningRule(rule)), rule) << library;
  }
  // A leading constant factor keeps its mantissa, or it would be read back
  // as one; a negative first term has no space after its minus.
  EXPECT_EQ(printLearningRule(parsed("dw = 1 * -7 * x1 * u - 1 * 3 * y0")),
            "dw = 1 * -7 * x1 * u - 1 * 3 * y0");
  EXPECT_EQ(printLearningRule(parsed("dd = -x0 * 2")), "dd = -1 * 2 * x0");
  EXPECT_EQ(printLearningRule(parsed("dt = - 2^-1 * (w + 3) * u")),
            "dt = -2^-1 * (w + 3) * u");
}

// parseLearningRule(printLearningRule(r)) == r over seeded random rules:
// every target, signed mantissas, exponents, each dependency, variable,
// offset and constant factors in any order. The seed is printed on failure.
TEST(LearningTest, PrintedRulesParseBackToTheSameRule) {
  constexpr LearningVariable kDependencies[] = {
      LearningVariable::X0, LearningVariable::Y0, LearningVariable::U};
  constexpr unsigned kFactorVariables =
      static_cast<unsigned>(LearningVariable::C) -
      static_cast<unsigned>(LearningVariable::X1) + 1;
  for (uint64_t seed = 1; seed <= 500; ++seed) {
    std::mt19937_64 random(seed);
    const auto draw = [&random](int64_t low, int64_t high) {
      return int32_t(std::uniform_int_distribution<int64_t>(low, high)(random));
    };
    LearningRule rule;
    for (unsigned k = 0; k < kLearningTargetCount; ++k) {
      const int32_t terms = draw(k == 0 ? 1 : 0, 3);
      for (int32_t i = 0; i < terms; ++i) {
        RuleTerm term;
        term.mantissa = draw(-15, 15);
        term.exponent = draw(0, 2) == 0 ? 0 : draw(-9, 3);
        term.dependency = kDependencies[draw(0, 2)];
        for (int32_t f = draw(0, 3); f > 0; --f) {
          RuleFactor factor;
          factor.variable = static_cast<LearningVariable>(
              static_cast<unsigned>(LearningVariable::X1) +
              draw(0, kFactorVariables - 1));
          const bool constant = factor.variable == LearningVariable::C;
          factor.constant = constant || draw(0, 1) ? draw(-40, 40) : 0;
          term.factors.push_back(factor);
        }
        rule.terms[k].push_back(term);
      }
    }
    const std::string text = printLearningRule(rule);
    Result<LearningRule> back = parseLearningRule(text);
    ASSERT_TRUE(back) << "seed " << seed << ": " << text << ": "
                      << (back ? "" : back.error());
    ASSERT_EQ(*back, rule) << "seed " << seed << ": " << text;
  }
}

TEST(LearningTest, ParserRefusesBadTextNamingTheTokenAndColumn) {
  EXPECT_EQ(
      parseError(""),
      "learning rule: column 1: empty rule (expected dw, dd or dt = ...)");
  EXPECT_EQ(parseError("dw = 2^-4 * x9 * y0"),
            "learning rule: column 13: unknown variable 'x9' (expected x0, y0, "
            "u, x1, x2, y1, y2, y3, r, w, d or t)");
  EXPECT_EQ(parseError("dw = 3^-4 * x1 * y0"),
            "learning rule: column 6: a scale is a power of 2, found '3'^");
  EXPECT_EQ(parseError("dw = 2^ * x1 * y0"),
            "learning rule: column 9: expected an integer, found '*'");
  EXPECT_EQ(parseError("dw = 2^-4 * x1"),
            "learning rule: column 6: the term at '2' has no dependency (x0, "
            "y0 or u)");
  EXPECT_EQ(parseError("dw = x0 * y0"), "learning rule: column 11: second "
                                        "dependency 'y0' in one term (one of "
                                        "x0, y0, u)");
  EXPECT_EQ(parseError("dw = x0; dw = y0"),
            "learning rule: column 10: second equation for dw");
  EXPECT_EQ(parseError("dz = x0"),
            "learning rule: column 1: expected dw, dd or dt, found 'dz'");
  EXPECT_EQ(parseError("dw = x0 * x1 $"),
            "learning rule: column 14: unexpected character '$'");
  EXPECT_EQ(parseError("dw = x0 * 99999999999"),
            "learning rule: column 11: integer '99999999999' is too large");
  EXPECT_EQ(parseError("dw = x0 x1"), "learning rule: column 9: expected '+', "
                                      "'-', ';' or end of line, found 'x1'");
  EXPECT_EQ(parseError("dw ="),
            "learning rule: column 5: expected a factor, found end of text");
  EXPECT_EQ(parseError("dw = (x0 + 1)"),
            "learning rule: column 7: the dependency 'x0' takes no constant");
}

TEST(LearningTest, RulesBeyondTheProfileAreRefused) {
  const Profile &p = loihi1();
  const auto refusal = [&](const std::string &text) {
    const Status s = checkLearningRule(p, parsed(text));
    EXPECT_FALSE(s) << text;
    return s ? std::string() : s.error();
  };
  EXPECT_EQ(
      refusal("dw = 16 * x0"),
      "dw term 1: mantissa 16 outside -15..15 (learning.scaleMantissaBits)");
  EXPECT_EQ(refusal("dd = x0 * x1 * x2 * y1 * y2"),
            "dd term 1: 5 factors with its dependency; profile \"loihi1\" "
            "allows 4 (learning.maxFactors)");
  EXPECT_EQ(
      refusal("dt = u * (y1 - 257)"),
      "dt term 1: constant -257 outside -256..255 (learning.constantBits)");
  EXPECT_EQ(
      refusal("dw = 2^16 * u"),
      "dw term 1: exponent 16 outside -15..15 (learning.accumulatorBits)");
  EXPECT_EQ(refusal("dw = u + u + u + u + u + u + u + u + u"),
            "dw: 9 terms; profile \"loihi1\" allows 8 (learning.maxTerms)");
  EXPECT_TRUE(checkLearningRule(p, parsed("dw = 15 * 2^-15 * u * w * d * t")));
}
