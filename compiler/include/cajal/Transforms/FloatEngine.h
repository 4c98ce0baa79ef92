//===- FloatEngine.h - Run a discretised snn.network in floating point -*- C++
//-*-===//
//
// The float engine runs an snn.network whose populations are #snn.discrete
// (after snn-discretize, before snn-quantize) step by step in double
// precision, with the chip's update order and timing (docs/neuron-model.md):
//   u = u (1 - decay_u) + q,  v = v (1 - decay_v) + u + bias,
//   refractory: v = 0; else spike when v > v_th, then v = 0 (or v - v_th),
// where q sums w * input_scale over the spikes arriving this step, and a
// spike sent in step t arrives in step t + delay. adaptive_lif raises the
// threshold by beta a (a decays by decay_a each step, jumps on a spike);
// izhikevich populations take their program's 1 ms step (two 0.5 ms Euler
// half steps for v, then u) with I = bias + q. Populations of an equation
// model (#snn.equations) run its discretised snn.neuron_model regions in f64
// (cajal/Transforms/EquationTape.h) with q as the input: dynamics, spike
// condition, reset. Comparing its spike counts with the golden model's
// measures what quantisation changed. Learning rules do not run: a learning
// projection keeps its initial weights and a reward projection (which only
// sets the third factor rules read) delivers nothing.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_TRANSFORMS_FLOATENGINE_H
#define CAJAL_TRANSFORMS_FLOATENGINE_H

#include "cajal/Dialect/SNN/SNNOps.h"

#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace cajal {

/// One spike of a population (output) or an external input (input).
struct FloatSpike {
  uint32_t step = 0;
  std::string node; ///< population or snn.input symbol name
  uint32_t index = 0;
};

struct FloatRun {
  std::vector<FloatSpike> spikes; ///< by step, then population order
  std::vector<std::string> populations;
  std::vector<uint32_t> sizes;       ///< neurons per population
  std::vector<uint64_t> spikeCounts; ///< per population
};

/// Called after every step for every population of an equation model with
/// its name and its neurons' states (neuron i's `perNeuron` states at
/// i * perNeuron).
using FloatStateObserver =
    std::function<void(uint32_t step, const std::string &population,
                       llvm::ArrayRef<double> states, unsigned perNeuron)>;

/// Run `steps` steps of `net` with `inputs` (spikes of snn.input nodes).
/// `observe`, when set, sees the equation populations' states every step.
/// Errors (emitted on the op concerned): a population that is neither
/// #snn.discrete, #snn.izhikevich nor of a discretised equation model, a
/// Poisson source or fixed_prob rule
/// (their random streams are the chip's), an input naming no snn.input or out
/// of range.
mlir::FailureOr<FloatRun> runFloat(snn::NetworkOp net, uint32_t steps,
                                   const std::vector<FloatSpike> &inputs,
                                   const FloatStateObserver &observe = {});

} // namespace cajal

#endif // CAJAL_TRANSFORMS_FLOATENGINE_H
