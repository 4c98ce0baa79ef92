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
      {"synapse.delayBits", p.synapse.delayBits,
       CAJAL_RTL_LEARNING_SYN_DELAY_BITS},
      {"synapse.tagBits", p.synapse.tagBits, CAJAL_RTL_LEARNING_TAG_BITS},
      {"learning.maxTerms", f.maxTerms, CAJAL_RTL_LEARNING_MAX_TERMS},
      {"learning.maxFactors", f.maxFactors, CAJAL_RTL_LEARNING_MAX_FACTORS},
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
  for (chip::LearningTarget target :
       {chip::LearningTarget::Delay, chip::LearningTarget::Tag})
    if (!rule.of(target).empty())
      return makeError(std::string(chip::learningTargetName(target)) +
                       " term 1: the RTL learning unit changes weights only "
                       "(dw)");
  return Status::ok();
}

Status LearningUnit::checkLearning(const chip::ImageLearning &learning) {
  for (size_t r = 0; r < learning.rules.size(); ++r)
    if (Status s = checkRule(learning.rules[r].rule); !s)
      return makeError("learning rule " + std::to_string(r) + ": " + s.error());
  return Status::ok();
}

Status LearningUnit::loadRule(const chip::LearningRule &rule,
                              chip::WeightSign sign) {
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
    top.cfg_term_factors = uint32_t(t.factors.size());
    model->tick();
    top.cfg_term_we = 0;
    for (size_t f = 0; f < t.factors.size(); ++f) {
      top.cfg_factor_we = 1;
      top.cfg_factor_term = uint32_t(i);
      top.cfg_factor_index = uint32_t(f);
      top.cfg_factor_variable = static_cast<unsigned>(t.factors[f].variable);
      top.cfg_factor_constant =
          lowBits(t.factors[f].constant, profile.learning.constantBits + 1);
      model->tick();
    }
    top.cfg_factor_we = 0;
  }
  loaded = rule;
  top.cfg_term_count = uint32_t(dw.size());
  top.cfg_weight_sign = static_cast<unsigned>(sign);
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
                                     const chip::SynapseState &synapse,
                                     uint64_t epoch, uint64_t synapseIndex) {
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
  top.rule_weight = lowBits(synapse.weight, profile.synapse.weightBitsMax + 1);
  top.rule_delay = lowBits(synapse.delay, profile.synapse.delayBits);
  top.rule_tag = lowBits(synapse.tag, profile.synapse.tagBits + 1);
  top.rule_x0 = in.x0;
  top.rule_y0 = in.y0;
  top.rule_u = in.u;
  top.rule_reward = uint32_t(in.reward);
  top.rule_epoch = epoch;
  top.rule_synapse = synapseIndex;
  top.rule_start = 1;
  const uint64_t cycles = model->run(ruleCycles(loaded) + kSlackCycles);
  return {cycles ? int32_t(top.result) : INT32_MIN, cycles};
}

unsigned LearningUnit::drawCycles() { return kDrawCycles; }
unsigned LearningUnit::traceCycles() { return kDrawCycles + 1; }
unsigned LearningUnit::ruleCycles(const chip::LearningRule &rule) {
  unsigned factorCycles = 0;
  for (const chip::RuleTerm &t : rule.of(chip::LearningTarget::Weight))
    factorCycles += std::max<unsigned>(unsigned(t.factors.size()), 1);
  return std::max(factorCycles + 1, kDrawCycles) + 1;
}

unsigned LearningUnit::loadCycles(const chip::LearningRule &rule) {
  unsigned cycles = 1; // the count
  for (const chip::RuleTerm &t : rule.of(chip::LearningTarget::Weight))
    cycles += 1 + unsigned(t.factors.size());
  return cycles;
}

} // namespace cajal::rtl
