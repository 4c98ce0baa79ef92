//===- Discretize.h - Continuous parameters to per-step ones ----*- C++ -*-===//
//
// Pure functions that turn a neuron model's continuous parameters (NIR
// conventions, seconds and model units) and the time step dt into the
// per-step quantities the chip's compartment update uses: the fraction of u
// and of v lost per step, a scale applied to incoming weights, a bias added
// to v every step, the threshold and the refractory period in steps. The
// mathematics and its choices are written in docs/mapping.md.
//
// Models (NIR names):
//   if       dv/dt = R (I + bias)
//   lif      tau_mem dv/dt = (v_leak - v) + R (I + bias)
//   cuba_lif tau_syn dI/dt = -I + w_in S ;  tau_mem dv/dt = (v_leak - v) + R (I
//   + bias) li       like lif, never spikes
//   adaptive_lif  lif with threshold v_th + beta a; tau_a da/dt = -a, and a
//            jumps on each spike (LSNN, Bellec et al. 2018)
// Izhikevich populations are not discretised: their program takes 1 ms
// steps in the model's own units.
// The chip resets v to 0, so v is shifted by v_reset (zero reset): the
// discrete v is the model v minus vOffset.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_MAPPING_DISCRETIZE_H
#define CAJAL_MAPPING_DISCRETIZE_H

#include "cajal/Chip/Result.h"

#include <cstdint>
#include <optional>
#include <string>

namespace cajal::mapping {

enum class NeuronModel : uint8_t { IF, LIF, CubaLIF, LI, AdaptiveLIF };

/// "if", "lif", "cuba_lif", "li", "adaptive_lif"; nullopt for anything else.
std::optional<NeuronModel> parseNeuronModel(const std::string &name);
const char *neuronModelName(NeuronModel model);

enum class ResetMode : uint8_t {
  Zero,     ///< v <- v_reset on a spike
  Subtract, ///< v <- v - (v_th) on a spike (v_reset is ignored)
};

enum class DiscretizeMethod : uint8_t {
  /// Decay 1 - exp(-dt/tau); input held constant over a step (zero-order
  /// hold), so an input I adds R I (1 - exp(-dt/tau)). The default.
  ExactExponential,
  /// Decay dt/tau, input adds R I dt/tau (what snnTorch-style exports assume).
  ForwardEuler,
};

/// Continuous parameters of one neuron (NIR units: seconds, model volts).
struct ContinuousParams {
  double tauMem = 0; ///< s; lif, cuba_lif, li (> 0)
  double tauSyn = 0; ///< s; cuba_lif (> 0)
  double vTh = 1;    ///< threshold
  double vLeak = 0;  ///< resting potential (lif, cuba_lif, li)
  double vReset = 0; ///< potential after a spike (zero reset)
  double r = 1;      ///< input resistance
  double bias = 0;   ///< constant input current, added to I
  double tRef = 0;   ///< s, refractory period (>= 0)
  double wIn = 1;    ///< cuba_lif: weight of the input into the current
  double tauA = 0;   ///< s; adaptive_lif: adaptation time constant (> 0)
  double beta = 0;   ///< adaptive_lif: threshold increase per unit of a
  /// adaptive_lif: increase of a per spike; none: 1 - exp(-dt / tau_a)
  /// (LSNN's (1 - rho), whatever the method)
  std::optional<double> jump;
  ResetMode reset = ResetMode::Zero;
};

/// Per-step parameters (still floating point, model units).
struct DiscreteParams {
  double decayU = 1;     ///< fraction of u lost per step, [0, 1]; 1 = no memory
  double decayV = 0;     ///< fraction of v lost per step, [0, 1]
  double vTh = 1;        ///< threshold of the shifted v (model units)
  double bias = 0;       ///< added to v every step (model units)
  double inputScale = 1; ///< an incoming weight w adds w * inputScale to u
  uint32_t refractory = 0; ///< steps v is held at 0 after a spike
  ResetMode reset = ResetMode::Zero;
  bool spiking = true; ///< false for li
  double vOffset = 0;  ///< model v = discrete v + vOffset
  /// adaptive_lif: a loses decayA of itself per step and gains jump on a
  /// spike; the threshold is vTh + beta a. All 0 for the other models.
  double decayA = 0, jump = 0, beta = 0;
};

/// Fraction of a quantity lost per step: 1 - exp(-dt/tau) (exact) or dt/tau
/// (Euler, clamped to 1). tau <= 0 or infinite is the caller's business:
/// tau = +inf gives 0.
double
decayFraction(double dt, double tau,
              DiscretizeMethod method = DiscretizeMethod::ExactExponential);

/// Discretise one neuron. Errors name the parameter and its value
/// ("tau_mem = -0.001 s must be > 0"); the caller prefixes the population.
Result<DiscreteParams>
discretize(NeuronModel model, const ContinuousParams &params, double dt,
           DiscretizeMethod method = DiscretizeMethod::ExactExponential);

} // namespace cajal::mapping

#endif // CAJAL_MAPPING_DISCRETIZE_H
