//===- Quantize.h - Per-step floats to the chip integers --------*- C++ -*-===//
//
// Maps DiscreteParams to chip::CompartmentParams and projection weights to
// integer mantissas with a shared exponent, within the ranges of a
// chip::Profile. Each population gets one scale s (integer v units per model
// unit): v_int = s * v_model. s is the largest value for which the
// threshold, the bias and the largest incoming weight are representable,
// divided by 2^headroomBits so that u and v may overshoot the threshold
// without clipping or wrapping. A projection onto that population then
// gets the smallest exponent whose mantissas hold its largest weight in the
// profile's weight bits. docs/mapping.md gives the formulas.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_MAPPING_QUANTIZE_H
#define CAJAL_MAPPING_QUANTIZE_H

#include "cajal/Chip/Compartment.h"
#include "cajal/Chip/Learning.h"
#include "cajal/Chip/Profile.h"
#include "cajal/Chip/Result.h"
#include "cajal/Mapping/Discretize.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cajal::mapping {

struct QuantizeOptions {
  /// The threshold stays 2^headroomBits below the largest representable
  /// threshold (and v below vmax), leaving room for u and v to overshoot.
  unsigned headroomBits = 3;
};

/// What one population's scale must accommodate (maxima over its neurons
/// and over the synapses of every projection onto it, model units).
struct ScaleInputs {
  double maxThreshold = 0; ///< largest DiscreteParams::vTh
  double maxAbsBias = 0;   ///< largest |DiscreteParams::bias|
  double maxAbsWeight = 0; ///< largest |w * inputScale| of an incoming synapse
};

/// Integer v units per model unit for one population (> 0). When every
/// input is 0 the scale is the one a threshold of 1 would get. Fails on a
/// negative or non-finite input.
Result<double> choosePopulationScale(const ScaleInputs &in,
                                     const chip::Profile &profile,
                                     const QuantizeOptions &options = {});

/// Decay codes: decayV = round(f 2^decayBits); decayU = round(f 2^decayBits)
/// - 1 (the chip decays u by decayU + 1); both clamped to [0, 2^decayBits).
uint16_t quantizeDecayV(double fraction, const chip::NeuronFormat &format);
uint16_t quantizeDecayU(double fraction, const chip::NeuronFormat &format);

struct BiasCode {
  int16_t mantissa = 0;
  uint8_t exponent = 0;
};
/// The (mantissa, exponent) with the smallest exponent that holds
/// round(value / 2^exponent); saturates at the largest code.
BiasCode quantizeBias(double value, const chip::NeuronFormat &format);

/// Quantise one neuron with its population's scale. Errors: subtraction reset
/// on a profile without it, non-finite values. `notes` (optional) receives
/// lossy adjustments ("refractory 0 raised to 1 (profile minimum)").
Result<chip::CompartmentParams>
quantizeNeuron(const DiscreteParams &params, double scale,
               const chip::Profile &profile,
               std::vector<std::string> *notes = nullptr);

/// How a projection's model weights become mantissas:
/// mantissa = round(w * factor), factor = inputScale * postScale /
/// 2^(weightShift + exponent).
struct WeightScale {
  int8_t exponent = 0;
  double factor = 1;
};

/// The smallest exponent in the profile's range for which maxAbsWeight
/// (model units) fits the mantissa bits, and its factor.
/// The largest weight a synapse can carry, in integer units: the largest
/// mantissa at the largest exponent, or the accumulator's limit.
double largestWeight(const chip::Profile &profile);

Result<WeightScale> chooseWeightScale(double maxAbsWeight, double inputScale,
                                      double postScale,
                                      const chip::Profile &profile);

/// round(w * factor), clamped to +-(2^weightBitsMax - 1).
int32_t quantizeWeight(double w, const WeightScale &scale,
                       const chip::Profile &profile);
/// The model weight a mantissa stands for (mantissa / factor).
double dequantizeWeight(int32_t mantissa, const WeightScale &scale);

/// ||w - dequantize(quantize(w))||_2 / ||w||_2 (0 when every w is 0).
double relativeQuantizationError(const std::vector<double> &weights,
                                 const WeightScale &scale,
                                 const chip::Profile &profile);

/// A learning trace in the profile's fields (docs/learning.md): the
/// impulse's integer part and its fraction round(f x
/// 2^learning.traceImpulseFractionBits) (a fraction that rounds up to one
/// carries into the integer), the decay round(2^learning.traceDecayBits /
/// tau); tau 0 means no decay. impulse and tau must be finite and >= 0;
/// chip::checkTraceParams checks the result's ranges.
chip::TraceParams quantizeTrace(double impulse, double tau,
                                const chip::LearningFormat &format);

/// Bits needed for a mantissa magnitude (at least 1).
unsigned weightBitsFor(uint32_t maxAbsMantissa);

} // namespace cajal::mapping

#endif // CAJAL_MAPPING_QUANTIZE_H
