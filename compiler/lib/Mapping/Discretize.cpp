//===- Discretize.cpp - Continuous neuron parameters to per-step ones -----===//
//
// Each model is integrated over one step dt with the input held constant
// during the step. The membrane v relaxes towards v_leak with time constant
// tau_mem: exactly, v(t+dt) = v a + (1 - a)(v_leak + R I) with
// a = exp(-dt/tau_mem), so the fraction lost per step is 1 - a and an input
// I contributes R I (1 - a). The chip resets v to 0, so v is shifted by
// v_reset, which turns the leak target v_leak - v_reset into a constant
// bias per step. cuba_lif adds a synaptic current u with its own decay; its
// input scale is the product of both gains. docs/mapping.md has the table.
//
//===----------------------------------------------------------------------===//
#include "cajal/Mapping/Discretize.h"
#include "Internal.h"

#include <cmath>

namespace cajal::mapping {

using detail::fmt;

namespace {

Status checkTau(const char *name, double tau) {
  if (!(tau > 0) || std::isnan(tau))
    return makeError(std::string(name) + " = " + fmt(tau) + " s must be > 0");
  return Status::ok();
}

Status checkFinite(const char *name, double value) {
  if (!std::isfinite(value))
    return makeError(std::string(name) + " = " + fmt(value) +
                     " must be finite");
  return Status::ok();
}

Status checkCommon(const ContinuousParams &p, double dt) {
  if (!(dt > 0) || !std::isfinite(dt))
    return makeError("dt = " + fmt(dt) + " s must be > 0");
  const std::pair<const char *, double> finite[] = {
      {"v_threshold", p.vTh}, {"v_leak", p.vLeak},
      {"v_reset", p.vReset},  {"r", p.r},
      {"bias", p.bias},       {"w_in", p.wIn}};
  for (const auto &[name, value] : finite)
    if (Status s = checkFinite(name, value); !s)
      return s;
  if (!(p.tRef >= 0) || !std::isfinite(p.tRef))
    return makeError("t_ref = " + fmt(p.tRef) + " s must be >= 0");
  return Status::ok();
}

} // namespace

std::optional<NeuronModel> parseNeuronModel(const std::string &name) {
  if (name == "if")
    return NeuronModel::IF;
  if (name == "lif")
    return NeuronModel::LIF;
  if (name == "cuba_lif")
    return NeuronModel::CubaLIF;
  if (name == "li")
    return NeuronModel::LI;
  if (name == "adaptive_lif")
    return NeuronModel::AdaptiveLIF;
  return std::nullopt;
}

const char *neuronModelName(NeuronModel model) {
  switch (model) {
  case NeuronModel::IF:
    return "if";
  case NeuronModel::LIF:
    return "lif";
  case NeuronModel::CubaLIF:
    return "cuba_lif";
  case NeuronModel::LI:
    return "li";
  case NeuronModel::AdaptiveLIF:
    return "adaptive_lif";
  }
  return "?";
}

double decayFraction(double dt, double tau, DiscretizeMethod method) {
  if (std::isinf(tau))
    return 0;
  if (method == DiscretizeMethod::ForwardEuler)
    return std::min(1.0, dt / tau);
  return -std::expm1(-dt / tau);
}

Result<DiscreteParams> discretize(NeuronModel model, const ContinuousParams &p,
                                  double dt, DiscretizeMethod method) {
  if (Status s = checkCommon(p, dt); !s)
    return s.takeError();
  DiscreteParams d;
  d.reset = p.reset;
  d.spiking = model != NeuronModel::LI;
  // Zero reset: shift v so that the reset potential is 0 on the chip. A
  // subtraction reset is shift-free only with v_reset = 0, so it keeps v.
  d.vOffset = p.reset == ResetMode::Zero ? p.vReset : 0.0;
  d.vTh = p.vTh - d.vOffset;
  d.refractory = uint32_t(std::llround(p.tRef / dt));
  d.decayU = 1; // no synaptic memory unless cuba_lif

  if (model == NeuronModel::IF) {
    d.decayV = 0;
    d.inputScale = p.r * dt;
    d.bias = p.r * p.bias * dt;
  } else {
    if (Status s = checkTau("tau_mem", p.tauMem); !s)
      return s.takeError();
    const double gMem = decayFraction(dt, p.tauMem, method);
    d.decayV = gMem;
    d.inputScale = p.r * gMem;
    d.bias = (p.vLeak - d.vOffset + p.r * p.bias) * gMem;
    if (model == NeuronModel::CubaLIF) {
      if (Status s = checkTau("tau_syn", p.tauSyn); !s)
        return s.takeError();
      const double gSyn = decayFraction(dt, p.tauSyn, method);
      d.decayU = gSyn;
      d.inputScale *= p.wIn * gSyn;
    }
  }
  if (model == NeuronModel::AdaptiveLIF) {
    if (Status s = checkTau("tau_a", p.tauA); !s)
      return s.takeError();
    if (Status s = checkFinite("beta", p.beta); !s)
      return s.takeError();
    // LSNN's a(t+1) = rho a(t) + (1 - rho) z(t) is exact for any method.
    d.decayA = decayFraction(dt, p.tauA, method);
    d.jump = p.jump ? *p.jump : -std::expm1(-dt / p.tauA);
    if (Status s = checkFinite("jump", d.jump); !s)
      return s.takeError();
    d.beta = p.beta;
  }
  if (d.spiking && d.vTh < 0)
    return makeError("v_threshold - v_reset = " + fmt(d.vTh) +
                     " must be >= 0 (the threshold lies below the reset)");
  return d;
}

} // namespace cajal::mapping
