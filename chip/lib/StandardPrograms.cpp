//===- StandardPrograms.cpp - LIF family, adaptive LIF, Izhikevich --------===//
//
// Each program is built from a small emitter so that it reads like its
// listing in docs/neurocore-isa.md. The LIF program mirrors
// chip::updateCompartment line by line:
//   SAT   r0, q, #accumulatorBits        q saturated
//   DECAY r1, s0.u, p0, #decayBits       u decays by du + 1
//   ADD   s0.u, r1, r0                   u wraps to currentBits on write
//   DECAY r2, s1.v, p1, #decayBits
//   ADD   r2, r2, s0.u
//   ADD   r2, r2, p2.bias
//   CLIP  r2, r2, p3.vmin, p4.vmax
//   REFR  s1.v                           refractory: v = 0, count down, halt
//   FIRE  s1.v, r2, p5.threshold         spike and reset (or never)
//
//===----------------------------------------------------------------------===//
#include "cajal/Chip/StandardPrograms.h"

#include "cajal/Chip/Profile.h"

#include <algorithm>
#include <cmath>

namespace cajal::chip {

using namespace isa;

namespace {

/// Appends encoded instructions to a program.
struct Emitter {
  Program &program;
  void op(Opcode code, Operand d, Operand a = none(), Operand b = none(),
          Operand c = none(), unsigned imm = 0, unsigned mode = 0) {
    program.code.push_back(encode(instruction(code, d, a, b, c, imm, mode)));
  }
  void mulShr(Operand d, Operand a, Operand b, unsigned shift) {
    op(Opcode::MulShr, d, a, b, none(), shift, unsigned(Rounding::HalfUp));
  }
  void fire(Operand d, Operand value, Operand threshold, Reset reset,
            Operand resetValue = none()) {
    op(Opcode::Fire, d, value, threshold, resetValue, 0, unsigned(reset));
  }
};

const char *lifName(LifReset reset) {
  switch (reset) {
  case LifReset::Zero:
    return "lif";
  case LifReset::Subtract:
    return "lif-subtract";
  case LifReset::NoSpike:
    return "li";
  }
  return "lif";
}

Reset fireReset(LifReset reset) {
  switch (reset) {
  case LifReset::Zero:
    return Reset::Zero;
  case LifReset::Subtract:
    return Reset::Subtract;
  case LifReset::NoSpike:
    return Reset::Never;
  }
  return Reset::Zero;
}

/// The u, v, refractory words and p0..p6 shared by LIF and adaptive LIF.
void declareLifWords(Program &p, const NeuronFormat &f, bool adaptation) {
  p.state = {{"u", uint8_t(f.currentBits), true, Overflow::Wrap},
             {"v", 32, true, Overflow::Saturate}};
  if (adaptation)
    p.state.push_back({"a", 32, true, Overflow::Saturate});
  p.state.push_back({"refractory", 8, false, Overflow::Wrap});
  const uint8_t decayWidth = uint8_t(f.decayBits + 1);
  p.params = {{"decayU1", decayWidth, false},
              {"decayV", decayWidth, false},
              {"bias", 64, true},
              {"vmin", 64, true},
              {"vmax", 64, true},
              {"threshold", 64, true},
              {"refractory", 8, false}};
  p.refractoryWord = int(p.state.size()) - 1;
  p.refractoryPeriod = param(6);
  p.skipIdle = true;
  p.idleParams = 1u << 2; // bias: a biased compartment is never idle
}

/// The LIF update up to v's clip, of the input `in`: v (unclipped to
/// state) ends in r2.
void emitLifIntegration(Emitter &e, const NeuronFormat &f,
                        Operand in = inputQ()) {
  e.op(Opcode::Sat, reg(0), in, none(), none(), f.accumulatorBits);
  e.op(Opcode::Decay, reg(1), state(0), param(0), none(), f.decayBits);
  e.op(Opcode::Add, state(0), reg(1), reg(0));
  e.op(Opcode::Decay, reg(2), state(1), param(1), none(), f.decayBits);
  e.op(Opcode::Add, reg(2), reg(2), state(0));
  e.op(Opcode::Add, reg(2), reg(2), param(2));
  e.op(Opcode::Clip, reg(2), reg(2), param(3), param(4));
}

int64_t fixedPoint(double x, unsigned fractionBits) {
  return int64_t(std::llround(std::ldexp(x, int(fractionBits))));
}

} // namespace

LifReset lifResetOf(const CompartmentParams &params) {
  if (params.flags & NoSpike)
    return LifReset::NoSpike;
  return (params.flags & ResetBySubtraction) ? LifReset::Subtract
                                             : LifReset::Zero;
}

Program lifProgram(const NeuronFormat &f, LifReset reset) {
  Program p;
  p.name = lifName(reset);
  declareLifWords(p, f, false);
  Emitter e{p};
  emitLifIntegration(e, f);
  e.op(Opcode::Refr, state(1));
  e.fire(state(1), reg(2), param(5), fireReset(reset));
  return p;
}

std::vector<int64_t> lifParamWords(const CompartmentParams &c,
                                   const NeuronFormat &f) {
  return {int64_t(c.decayU) + 1, c.decayV,        biasValue(c),
          vminValue(c),          vmaxValue(c, f), thresholdValue(c, f),
          c.refractory};
}

LifConstants lifConstants(const CompartmentParams &c, const NeuronFormat &f) {
  const std::vector<int64_t> p = lifParamWords(c, f);
  const int64_t full = int64_t(1) << f.decayBits;
  LifConstants k;
  k.scaleU = full - p[0];
  k.scaleV = full - p[1];
  k.bias = p[2];
  k.vmin = p[3];
  k.vmax = p[4];
  k.fireAbove =
      lifResetOf(c) == LifReset::NoSpike ? k.vmax : std::min(p[5], k.vmax);
  k.refractory = uint8_t(p[6]);
  k.resetBySubtraction = lifResetOf(c) == LifReset::Subtract;
  return k;
}

void lifStateToWords(const CompartmentState &s, int32_t *words) {
  words[0] = s.u;
  words[1] = s.v;
  words[2] = s.refractoryLeft;
}

CompartmentState lifStateFromWords(const int32_t *words) {
  CompartmentState s;
  s.u = words[0];
  s.v = words[1];
  s.refractoryLeft = uint8_t(words[2]);
  return s;
}

const char *treeJoinName(TreeJoin join) {
  switch (join) {
  case TreeJoin::Add:
    return "add";
  case TreeJoin::Min:
    return "min";
  case TreeJoin::Max:
    return "max";
  case TreeJoin::And:
    return "and";
  case TreeJoin::Or:
    return "or";
  }
  return "add";
}

const char *treeOutputName(TreeOutput output) {
  switch (output) {
  case TreeOutput::Current:
    return "current";
  case TreeOutput::Voltage:
    return "voltage";
  case TreeOutput::Active:
    return "active";
  case TreeOutput::AboveThreshold:
    return "above-threshold";
  }
  return "voltage";
}

/// Whether the dendrite's output goes through MULSHR.
static bool multipliesOutput(const LifTreeCompartment &c) {
  return !c.root && c.scaledOutput && c.output != TreeOutput::Active;
}

/// Whether the dendrite pushes its value without the gain.
static bool pushesUnscaled(const LifTreeCompartment &c) {
  return !c.root && !c.scaledOutput && c.output != TreeOutput::Active;
}

std::string lifTreeProgramName(const LifTreeCompartment &c) {
  std::string name = c.root
                         ? std::string(lifName(c.reset)) + "-soma"
                         : std::string("dendrite-") + treeOutputName(c.output);
  if (c.children)
    name +=
        std::string("-") + treeJoinName(c.join) + std::to_string(c.children);
  if (!c.root && c.resetOnBap)
    name += "-bap";
  if (pushesUnscaled(c))
    name += "-unscaled";
  return name;
}

Program lifTreeProgram(const NeuronFormat &f, const LifTreeCompartment &c) {
  Program p;
  p.name = lifTreeProgramName(c);
  declareLifWords(p, f, false);
  p.params.push_back({"joinWeight", 32, true});
  p.params.push_back({"gain", 32, true});
  // Every tree compartment pops or pushes, so none has the idle skip (the
  // stack discipline).
  p.skipIdle = false;
  p.idleParams = 0;
  if (!c.root) {
    // A dendrite never spikes: no refractory counter, no REFR (a PUSH may
    // not follow one).
    p.state.pop_back();
    p.refractoryWord = -1;
    p.refractoryPeriod = none();
  }
  Emitter e{p};
  Operand in = inputQ();
  if (c.children) {
    Opcode join = Opcode::Add;
    switch (c.join) {
    case TreeJoin::Add:
      join = Opcode::Add;
      break;
    case TreeJoin::Min:
      join = Opcode::Min;
      break;
    case TreeJoin::Max:
      join = Opcode::Max;
      break;
    case TreeJoin::And:
      join = Opcode::And;
      break;
    case TreeJoin::Or:
      join = Opcode::Or;
      break;
    }
    e.op(Opcode::Pop, reg(3));
    for (unsigned k = 1; k < c.children; ++k) {
      e.op(Opcode::Pop, reg(4));
      e.op(join, reg(3), reg(3), reg(4));
    }
    if (c.join == TreeJoin::And || c.join == TreeJoin::Or) {
      if (c.children == 1) // one child: active when non-zero
        e.op(join, reg(3), reg(3), reg(3));
      e.op(Opcode::Sel, reg(3), reg(3), param(7), none());
    }
    e.op(Opcode::Add, reg(3), reg(3), inputQ());
    in = reg(3);
  }
  emitLifIntegration(e, f, in);
  if (c.root) {
    e.op(Opcode::Refr, state(1));
    e.fire(state(1), reg(2), param(5), fireReset(c.reset));
    return p;
  }
  if (c.resetOnBap)
    e.op(Opcode::Sel, reg(2), inputBap(), none(), reg(2));
  e.op(Opcode::Mov, state(1), reg(2));
  const Operand gain = param(8);
  // What a Current, Voltage or AboveThreshold dendrite passes up: u or v,
  // times the gain where the chip can multiply.
  const auto output = [&](Operand value) {
    if (!multipliesOutput(c))
      return value;
    e.mulShr(reg(5), value, gain, kTreeGainShift);
    return reg(5);
  };
  switch (c.output) {
  case TreeOutput::Current:
    e.op(Opcode::Push, none(), output(state(0)));
    break;
  case TreeOutput::Voltage:
    e.op(Opcode::Push, none(), output(state(1)));
    break;
  case TreeOutput::Active:
    e.op(Opcode::CmpGt, reg(5), state(1), param(5));
    e.op(Opcode::Sel, reg(5), reg(5), gain, none());
    e.op(Opcode::Push, none(), reg(5));
    break;
  case TreeOutput::AboveThreshold: {
    e.op(Opcode::CmpGt, reg(4), state(1), param(5));
    const Operand value = output(state(1));
    e.op(Opcode::Sel, reg(5), reg(4), value, none());
    e.op(Opcode::Push, none(), reg(5));
    break;
  }
  }
  return p;
}

std::vector<int64_t> lifTreeParamWords(const CompartmentParams &params,
                                       int64_t joinWeight, int64_t gain,
                                       const NeuronFormat &f) {
  std::vector<int64_t> words = lifParamWords(params, f);
  words.push_back(joinWeight);
  words.push_back(gain);
  return words;
}

bool isLifFamilyProgram(const Program &program, const NeuronFormat &f) {
  for (LifReset reset : {LifReset::Zero, LifReset::Subtract, LifReset::NoSpike})
    if (program == lifProgram(f, reset))
      return true;
  return false;
}

bool isFixedFunction(const Program &program, const Profile &profile) {
  const LifReset resets[] = {LifReset::Zero, LifReset::Subtract,
                             LifReset::NoSpike};
  const auto resetAllowed = [&](LifReset reset) {
    return reset != LifReset::Subtract || profile.neuron.resetBySubtraction;
  };
  for (LifReset reset : resets)
    if (resetAllowed(reset) && program == lifProgram(profile.neuron, reset))
      return true;
  if (profile.isa.stackDepth == 0)
    return false;
  // The tree datapath: every shape whose name matches is built and
  // compared, so that only the exact programs pass.
  const auto matches = [&](const LifTreeCompartment &c) {
    return lifTreeProgramName(c) == program.name &&
           program == lifTreeProgram(profile.neuron, c);
  };
  const TreeJoin joins[] = {TreeJoin::Add, TreeJoin::Min, TreeJoin::Max,
                            TreeJoin::And, TreeJoin::Or};
  const TreeOutput outputs[] = {TreeOutput::Current, TreeOutput::Voltage,
                                TreeOutput::Active, TreeOutput::AboveThreshold};
  const unsigned maxChildren =
      std::min(profile.isa.maxPops, profile.isa.stackDepth);
  for (unsigned children = 0; children <= maxChildren; ++children)
    for (TreeJoin join : joins) {
      LifTreeCompartment c;
      c.children = children;
      c.join = join;
      c.scaledOutput = profile.isa.multiplier;
      c.root = true;
      for (LifReset reset : resets) {
        c.reset = reset;
        if (resetAllowed(reset) && matches(c))
          return true;
      }
      c.root = false;
      for (TreeOutput output : outputs)
        for (bool bap : {false, true}) {
          c.output = output;
          c.resetOnBap = bap;
          if (matches(c))
            return true;
        }
      if (children == 0)
        break; // a leaf has no join
    }
  return false;
}

Program adaptiveLifProgram(const NeuronFormat &f) {
  Program p;
  p.name = "adaptive-lif";
  declareLifWords(p, f, true);
  const uint8_t decayWidth = uint8_t(f.decayBits + 1);
  p.params.push_back({"decayA", decayWidth, false});
  p.params.push_back({"jump", 32, true});
  p.params.push_back({"beta", 32, true});
  const Operand a = state(2);
  Emitter e{p};
  emitLifIntegration(e, f);
  // The adaptation decays every step, refractory or not (LSNN's
  // a(t+1) = rho a(t) + (1 - rho) z(t), with the (1 - rho) in the jump).
  e.op(Opcode::Decay, a, a, param(7), none(), f.decayBits);
  e.mulShr(reg(1), a, param(9), kAdaptiveLifBetaShift);
  e.op(Opcode::Add, reg(1), reg(1), param(5));
  e.op(Opcode::Refr, state(1));
  e.fire(state(1), reg(2), reg(1), Reset::Zero);
  e.op(Opcode::Sel, reg(0), inputSpiked(), param(8), none());
  e.op(Opcode::Add, a, a, reg(0));
  return p;
}

Program izhikevichProgram(const IzhikevichParams &rest) {
  constexpr unsigned F = kIzhikevichFractionBits;
  constexpr unsigned K = kIzhikevichCoefficientBits;
  Program p;
  p.name = "izhikevich";
  const int64_t v0 = fixedPoint(rest.c, F);
  const int64_t u0 = fixedPoint(rest.b * rest.c, F);
  p.state = {{"v", 32, true, Overflow::Saturate, int32_t(v0)},
             {"u", 32, true, Overflow::Saturate, int32_t(u0)}};
  p.params = {{"a", 32, true},
              {"b", 32, true},
              {"c", 32, true},
              {"d", 32, true},
              {"current", 32, true}};
  // c0 0.04 (Q16), c1 140 mV/ms, c2 the spike peak 30 mV less one unit
  // (FIRE spikes on >, the model on >=).
  p.constants = {fixedPoint(0.04, K), fixedPoint(140.0, F),
                 fixedPoint(30.0, F) - 1};
  const Operand v = state(0), u = state(1), current = reg(0);
  const Operand dv = reg(1), scratch = reg(2), vHalf = reg(3);
  Emitter e{p};
  e.op(Opcode::Add, current, inputQ(), param(4));
  // Two half steps: v += (0.04 v^2 + 5 v + 140 - u + I) / 2.
  Operand from = v;
  for (int half = 0; half < 2; ++half) {
    e.mulShr(dv, from, from, F);      // v^2
    e.mulShr(dv, dv, constant(0), K); // 0.04 v^2
    e.op(Opcode::Shl, scratch, from, none(), none(), 2);
    e.op(Opcode::Add, scratch, scratch, from); // 5 v
    e.op(Opcode::Add, dv, dv, scratch);
    e.op(Opcode::Add, dv, dv, constant(1));
    e.op(Opcode::Sub, dv, dv, u);
    e.op(Opcode::Add, dv, dv, current);
    e.op(Opcode::Shr, dv, dv, none(), none(), 1);
    e.op(Opcode::Add, vHalf, from, dv);
    from = vHalf;
  }
  // u += a (b v - u), with the new v as in Izhikevich's code.
  e.mulShr(dv, vHalf, param(1), K);
  e.op(Opcode::Sub, dv, dv, u);
  e.mulShr(dv, dv, param(0), K);
  e.op(Opcode::Add, u, u, dv);
  // v >= 30 mV: spike, v = c, u += d.
  e.fire(v, vHalf, constant(2), Reset::ToValue, param(2));
  e.op(Opcode::Sel, dv, inputSpiked(), param(3), none());
  e.op(Opcode::Add, u, u, dv);
  return p;
}

std::vector<int64_t> izhikevichParamWords(const IzhikevichParams &p) {
  constexpr unsigned F = kIzhikevichFractionBits;
  constexpr unsigned K = kIzhikevichCoefficientBits;
  return {fixedPoint(p.a, K), fixedPoint(p.b, K), fixedPoint(p.c, F),
          fixedPoint(p.d, F), fixedPoint(p.current, F)};
}

} // namespace cajal::chip
