//===- LearningUnit.cpp - Drive the Verilated learning unit ---------------===//
//
// create() checks the profile's learning widths against the build's and
// sets the seed; loadRule() writes the dw terms through the term port, one
// per cycle. Each operation sets its operands, pulses its start and clocks
// until done, bounded by the longest schedule so that a hung unit is
// reported as a value the reference never gives rather than waited on.
//
//===----------------------------------------------------------------------===//
#include "cajal/Rtl/LearningUnit.h"

#include "Vlearning_unit.h"
#include "verilated.h"

#include <algorithm>
#include <string>

namespace cajal::rtl {

namespace detail {
class LearningModel {
public:
  VerilatedContext context;
  Vlearning_unit top{&context};
  void tick() {
    top.clk = 0;
    top.eval();
    top.clk = 1;
    top.eval();
  }
  /// Clock from a start until done; the cycles, or 0 when the unit hangs.
  uint64_t run(uint64_t limit) {
    tick();
    top.trace_start = 0;
    top.rule_start = 0;
    for (uint64_t cycles = 1; cycles <= limit; ++cycles) {
      if (top.done)
        return cycles;
      tick();
    }
    return 0;
  }
};
} // namespace detail

namespace {

/// Four chained splitmix64 rounds, one a cycle (learning_random.sv).
constexpr unsigned kDrawCycles = 4;
/// A hung unit is given this many cycles beyond its schedule.
constexpr unsigned kSlackCycles = 16;
/// cfg_term_exponent: signed, 8 bits.
constexpr unsigned kExponentPortBits = 8;

struct WidthCheck {
  const char *field;
  unsigned profile, build;
};

Status checkBuild(const chip::Profile &p) {
  const chip::LearningFormat &f = p.learning;
  const WidthCheck checks[] = {
      {"learning.traceBits", f.traceBits, CAJAL_RTL_LEARNING_TRACE_BITS},
      {"learning.traceImpulseFractionBits", f.traceImpulseFractionBits,
       CAJAL_RTL_LEARNING_IMPULSE_FRAC_BITS},
      {"learning.traceDecayBits", f.traceDecayBits,
       CAJAL_RTL_LEARNING_DECAY_BITS},
      {"learning.accumulatorBits", f.accumulatorBits,
       CAJAL_RTL_LEARNING_ACC_BITS},
      {"learning.scaleMantissaBits", f.scaleMantissaBits,
       CAJAL_RTL_LEARNING_MANT_BITS},
      {"learning.constantBits", f.constantBits, CAJAL_RTL_LEARNING_CONST_BITS},
      {"synapse.weightBitsMax", p.synapse.weightBitsMax,
       CAJAL_RTL_LEARNING_WEIGHT_BITS},
      {"learning.maxTerms", f.maxTerms, CAJAL_RTL_LEARNING_MAX_TERMS},
  };
  for (const WidthCheck &c : checks)
    if (c.profile != c.build)
      return makeError("profile '" + p.name + "': " + c.field + " = " +
                       std::to_string(c.profile) +
                       "; the RTL learning unit is built with " +
                       std::to_string(c.build) + " (from loihi1)");
  return Status::ok();
}

/// The low `bits` bits of x: a port of that width.
uint32_t lowBits(int64_t x, unsigned bits) {
  return uint32_t(uint64_t(x) & ((uint64_t(1) << bits) - 1));
}

bool isTrace(chip::LearningVariable v) {
  return v >= chip::LearningVariable::X1 && v <= chip::LearningVariable::Y3;
}

} // namespace

LearningUnit::LearningUnit(const chip::Profile &unitProfile)
    : model(std::make_unique<detail::LearningModel>()), profile(unitProfile) {}

LearningUnit::~LearningUnit() = default;

Result<std::unique_ptr<LearningUnit>>
LearningUnit::create(const chip::Profile &profile, uint64_t seed) {
  if (Status s = checkBuild(profile); !s)
    return makeError(s.error());
  std::unique_ptr<LearningUnit> unit(new LearningUnit(profile));
  auto &top = unit->model->top;
  top.cfg_seed = seed;
  top.rst = 1;
  unit->model->tick();
  top.rst = 0;
  unit->model->tick();
  return unit;
}

Status LearningUnit::checkRule(const chip::LearningRule &rule) {
  using chip::LearningTarget;
  using chip::LearningVariable;
  for (LearningTarget target : {LearningTarget::Delay, LearningTarget::Tag})
    if (!rule.of(target).empty())
      return makeError(std::string(chip::learningTargetName(target)) +
                       ": the RTL learning unit changes weights only (dw)");
  const std::vector<chip::RuleTerm> &terms = rule.of(LearningTarget::Weight);
  for (size_t i = 0; i < terms.size(); ++i) {
    const std::string where = "dw term " + std::to_string(i + 1) + ": ";
    if (terms[i].factors.size() > 1)
      return makeError(where + std::to_string(terms[i].factors.size()) +
                       " factors; the RTL learning unit evaluates one factor "
                       "a term (pair STDP: x1*y0, y1*x0)");
    for (const chip::RuleFactor &f : terms[i].factors)
      if (!isTrace(f.variable) && f.variable != LearningVariable::R &&
          f.variable != LearningVariable::W &&
          f.variable != LearningVariable::C)
        return makeError(where + "factor " +
                         chip::learningVariableName(f.variable) +
                         ": the RTL learning unit reads traces, r, w and "
                         "constants only");
  }
  return Status::ok();
}

Status LearningUnit::checkLearning(const chip::ImageLearning &learning) {
  for (size_t r = 0; r < learning.rules.size(); ++r)
    if (Status s = checkRule(learning.rules[r].rule); !s)
      return makeError("learning rule " + std::to_string(r) + ": " + s.error());
  return Status::ok();
}

Status LearningUnit::loadRule(const chip::LearningRule &rule) {
  if (Status s = checkRule(rule); !s)
    return s;
  if (Status s = chip::checkLearningRule(profile, rule); !s)
    return s;
  auto &top = model->top;
  const std::vector<chip::RuleTerm> &dw = rule.of(chip::LearningTarget::Weight);
  for (size_t i = 0; i < dw.size(); ++i) {
    const chip::RuleTerm &t = dw[i];
    top.cfg_term_we = 1;
    top.cfg_term_addr = uint32_t(i);
    top.cfg_term_mantissa =
        lowBits(t.mantissa, profile.learning.scaleMantissaBits + 1);
    top.cfg_term_exponent = lowBits(t.exponent, kExponentPortBits);
    top.cfg_term_dependency = static_cast<unsigned>(t.dependency) -
                              static_cast<unsigned>(chip::LearningVariable::X0);
    top.cfg_term_has_factor = !t.factors.empty();
    top.cfg_term_variable =
        t.factors.empty() ? 0 : static_cast<unsigned>(t.factors[0].variable);
    top.cfg_term_constant =
        t.factors.empty()
            ? 0
            : lowBits(t.factors[0].constant, profile.learning.constantBits + 1);
    model->tick();
  }
  top.cfg_term_we = 0;
  terms = unsigned(dw.size());
  top.cfg_term_count = terms;
  model->tick();
  return Status::ok();
}

LearningStep LearningUnit::stepTrace(uint32_t value,
                                     const chip::TraceParams &params,
                                     bool spiked, uint64_t step,
                                     uint64_t traceIndex) {
  auto &top = model->top;
  top.trace_value = value;
  top.trace_impulse_integer = params.impulseInteger;
  top.trace_impulse_fraction = params.impulseFraction;
  top.trace_decay = params.decay;
  top.trace_spiked = spiked;
  top.trace_step = step;
  top.trace_index = traceIndex;
  top.trace_start = 1;
  const uint64_t cycles = model->run(traceCycles() + kSlackCycles);
  return {cycles ? int32_t(top.result) : -1, cycles};
}

LearningStep LearningUnit::applyRule(const chip::LearningInputs &in,
                                     int32_t weight, uint64_t epoch,
                                     uint64_t synapseIndex) {
  auto &top = model->top;
  const unsigned bits = profile.learning.traceBits;
  const uint32_t mask = (uint32_t(1) << bits) - 1;
  for (unsigned d = 0; d < 3; ++d)
    for (unsigned k = 0; k < chip::kTraceCount; ++k) {
      // Packed little-endian: sample d, trace k at (5d + k) * bits.
      const unsigned at = (d * chip::kTraceCount + k) * bits;
      const uint32_t v = uint32_t(in.traces[d][k]) & mask;
      for (unsigned b = 0; b < bits; ++b) {
        const unsigned bit = at + b;
        uint32_t &word = top.rule_traces[bit / 32];
        word = (word & ~(uint32_t(1) << (bit % 32))) |
               (((v >> b) & 1u) << (bit % 32));
      }
    }
  top.rule_weight = lowBits(weight, profile.synapse.weightBitsMax + 1);
  top.rule_x0 = in.x0;
  top.rule_y0 = in.y0;
  top.rule_u = in.u;
  top.rule_reward = uint32_t(in.reward);
  top.rule_epoch = epoch;
  top.rule_synapse = synapseIndex;
  top.rule_start = 1;
  const uint64_t cycles = model->run(ruleCycles(terms) + kSlackCycles);
  return {cycles ? int32_t(top.result) : INT32_MIN, cycles};
}

unsigned LearningUnit::drawCycles() { return kDrawCycles; }
unsigned LearningUnit::traceCycles() { return kDrawCycles + 1; }
unsigned LearningUnit::ruleCycles(unsigned terms) {
  return std::max(terms + 1, kDrawCycles) + 1;
}

} // namespace cajal::rtl
