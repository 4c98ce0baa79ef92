//===- Quantize.cpp - Per-step floats to the chip's integers --------------===//
//
// A population's scale s is the minimum of three bounds, each the largest
// representable integer divided by the largest model value it must hold:
//   threshold  min((2^thresholdMantissaBits - 1) << thresholdShift, vmax)
//              / 2^headroomBits / max v_th
//   weight     ((2^weightBitsMax - 1) << (weightShift + weightExponentMax),
//              capped by the accumulator) / max |w inputScale|
//   bias       (biasMantissaMax << biasExponentMax) / max |bias|
// so that the threshold uses the mantissa range as well as the weights and
// bias allow. Weights then take the smallest exponent whose mantissas hold
// the projection's largest weight; all rounding is to nearest.
//
//===----------------------------------------------------------------------===//
#include "cajal/Mapping/Quantize.h"
#include "Internal.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace cajal::mapping {

std::string detail::fmt(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

using detail::fmt;

namespace {

double pow2(int e) { return std::ldexp(1.0, e); }

double largestThreshold(const chip::NeuronFormat &f) {
  const double mantissa = pow2(int(f.thresholdMantissaBits)) - 1;
  const double threshold = mantissa * pow2(int(f.thresholdShift));
  const double vmax = pow2(int(f.vmaxBase + 2 * f.vmaxExponentMax)) - 1;
  return std::min(threshold, vmax);
}

uint16_t decayCode(double code, const chip::NeuronFormat &f) {
  const double top = pow2(int(f.decayBits)) - 1;
  if (!(code > 0)) // also NaN
    return 0;
  return uint16_t(std::min(code, top));
}

} // namespace

double largestWeight(const chip::Profile &p) {
  const chip::SynapseFormat &s = p.synapse;
  const double mantissa = pow2(int(s.weightBitsMax)) - 1;
  const double weight =
      mantissa * pow2(int(s.weightShift) + s.weightExponentMax);
  const double accumulator = pow2(int(p.neuron.accumulatorBits)) - 1;
  return std::min(weight, accumulator);
}

Result<double> choosePopulationScale(const ScaleInputs &in,
                                     const chip::Profile &profile,
                                     const QuantizeOptions &options) {
  const std::pair<const char *, double> inputs[] = {
      {"threshold", in.maxThreshold},
      {"bias", in.maxAbsBias},
      {"weight", in.maxAbsWeight}};
  for (const auto &[name, value] : inputs)
    if (!(value >= 0) || !std::isfinite(value))
      return makeError("largest " + std::string(name) + " " + fmt(value) +
                       " must be finite and >= 0");
  const double thresholdRoom =
      largestThreshold(profile.neuron) / pow2(int(options.headroomBits));
  double scale = std::numeric_limits<double>::infinity();
  if (in.maxThreshold > 0)
    scale = thresholdRoom / in.maxThreshold;
  if (in.maxAbsWeight > 0)
    scale = std::min(scale, largestWeight(profile) / in.maxAbsWeight);
  if (in.maxAbsBias > 0) {
    const double bias = double(profile.neuron.biasMantissaMax) *
                        pow2(int(profile.neuron.biasExponentMax));
    scale = std::min(scale, bias / in.maxAbsBias);
  }
  if (std::isinf(scale))
    scale = thresholdRoom;
  return scale;
}

uint16_t quantizeDecayV(double fraction, const chip::NeuronFormat &f) {
  return decayCode(std::round(fraction * pow2(int(f.decayBits))), f);
}

uint16_t quantizeDecayU(double fraction, const chip::NeuronFormat &f) {
  return decayCode(std::round(fraction * pow2(int(f.decayBits))) - 1, f);
}

BiasCode quantizeBias(double value, const chip::NeuronFormat &f) {
  BiasCode code;
  if (!std::isfinite(value) || value == 0)
    return code;
  const double magnitude = std::fabs(value);
  double mantissa = 0;
  unsigned e = 0;
  for (; e <= f.biasExponentMax; ++e) {
    mantissa = std::round(magnitude / pow2(int(e)));
    if (mantissa <= f.biasMantissaMax)
      break;
  }
  if (e > f.biasExponentMax) {
    e = f.biasExponentMax;
    mantissa = f.biasMantissaMax;
  }
  code.exponent = uint8_t(e);
  code.mantissa = int16_t(value < 0 ? -mantissa : mantissa);
  return code;
}

Result<chip::CompartmentParams>
quantizeNeuron(const DiscreteParams &d, double scale,
               const chip::Profile &profile, std::vector<std::string> *notes) {
  const chip::NeuronFormat &f = profile.neuron;
  if (!(scale > 0) || !std::isfinite(scale))
    return makeError("scale " + fmt(scale) + " must be finite and > 0");
  for (double v : {d.decayU, d.decayV, d.vTh, d.bias})
    if (!std::isfinite(v))
      return makeError("discrete parameter " + fmt(v) + " is not finite");
  chip::CompartmentParams c;
  c.decayU = quantizeDecayU(d.decayU, f);
  c.decayV = quantizeDecayV(d.decayV, f);
  const BiasCode bias = quantizeBias(d.bias * scale, f);
  c.biasMantissa = bias.mantissa;
  c.biasExponent = bias.exponent;

  const double thresholdTop = pow2(int(f.thresholdMantissaBits)) - 1;
  double threshold = std::round(d.vTh * scale / pow2(int(f.thresholdShift)));
  if (!d.spiking)
    threshold = thresholdTop;
  else if (threshold > thresholdTop) {
    if (notes)
      notes->push_back("threshold mantissa " + fmt(threshold) + " clamped to " +
                       fmt(thresholdTop));
    threshold = thresholdTop;
  }
  c.thresholdMantissa = uint32_t(std::max(0.0, threshold));

  uint32_t refractory = d.refractory;
  if (refractory < f.refractoryMin || refractory > f.refractoryMax) {
    const uint32_t clamped =
        std::clamp<uint32_t>(refractory, f.refractoryMin, f.refractoryMax);
    if (notes)
      notes->push_back("refractory " + std::to_string(refractory) +
                       " steps set to " + std::to_string(clamped) +
                       " (profile range " + std::to_string(f.refractoryMin) +
                       ".." + std::to_string(f.refractoryMax) + ")");
    refractory = clamped;
  }
  c.refractory = uint8_t(refractory);
  c.vminExponent = uint8_t(f.vminExponentMax);
  c.vmaxExponent = uint8_t(f.vmaxExponentMax);
  if (!d.spiking)
    c.flags |= chip::NoSpike;
  if (d.reset == ResetMode::Subtract) {
    if (!f.resetBySubtraction)
      return makeError("reset by subtraction is not available on profile " +
                       profile.name + " (neuron.resetBySubtraction is false)");
    c.flags |= chip::ResetBySubtraction;
  }
  return c;
}

Result<WeightScale> chooseWeightScale(double maxAbsWeight, double inputScale,
                                      double postScale,
                                      const chip::Profile &profile) {
  const chip::SynapseFormat &s = profile.synapse;
  const double gain = inputScale * postScale;
  if (!std::isfinite(maxAbsWeight) || !std::isfinite(gain))
    return makeError("weight " + fmt(maxAbsWeight) + " x gain " + fmt(gain) +
                     " is not finite");
  const double largest = std::fabs(maxAbsWeight * gain);
  const double mantissaTop = pow2(int(s.weightBitsMax)) - 1;
  int e = s.weightExponentMin;
  for (; e <= s.weightExponentMax; ++e)
    if (std::round(largest / pow2(int(s.weightShift) + e)) <= mantissaTop)
      break;
  if (e > s.weightExponentMax)
    return makeError(
        "weight " + fmt(maxAbsWeight) + " becomes " + fmt(largest) +
        " integer units, more than the largest " +
        fmt(mantissaTop * pow2(int(s.weightShift) + s.weightExponentMax)) +
        " the profile " + profile.name + " can hold");
  WeightScale w;
  w.exponent = int8_t(e);
  w.factor = gain / pow2(int(s.weightShift) + e);
  return w;
}

int32_t quantizeWeight(double w, const WeightScale &scale,
                       const chip::Profile &profile) {
  const double top = pow2(int(profile.synapse.weightBitsMax)) - 1;
  const double m = std::round(w * scale.factor);
  if (!std::isfinite(m))
    return 0;
  return int32_t(std::clamp(m, -top, top));
}

double dequantizeWeight(int32_t mantissa, const WeightScale &scale) {
  return scale.factor == 0 ? 0.0 : double(mantissa) / scale.factor;
}

double relativeQuantizationError(const std::vector<double> &weights,
                                 const WeightScale &scale,
                                 const chip::Profile &profile) {
  double err = 0, norm = 0;
  for (double w : weights) {
    const double back =
        dequantizeWeight(quantizeWeight(w, scale, profile), scale);
    err += (w - back) * (w - back);
    norm += w * w;
  }
  return norm == 0 ? 0.0 : std::sqrt(err / norm);
}

chip::TraceParams quantizeTrace(double impulse, double tau,
                                const chip::LearningFormat &format) {
  // Values beyond a field saturate at UINT32_MAX so that
  // chip::checkTraceParams names them rather than a wrapped value.
  const auto field = [](double v) {
    return v >= 4294967295.0 ? UINT32_MAX : uint32_t(v);
  };
  chip::TraceParams t;
  const double whole = std::floor(impulse);
  const double fraction = std::round(
      std::ldexp(impulse - whole, int(format.traceImpulseFractionBits)));
  const double one = std::ldexp(1.0, int(format.traceImpulseFractionBits));
  t.impulseInteger = field(fraction >= one ? whole + 1 : whole);
  t.impulseFraction = fraction >= one ? 0 : uint32_t(fraction);
  if (tau > 0)
    t.decay =
        field(std::round(std::ldexp(1.0, int(format.traceDecayBits)) / tau));
  return t;
}

unsigned weightBitsFor(uint32_t maxAbsMantissa) {
  unsigned bits = 1;
  while (bits < 32 && (uint64_t(1) << bits) <= maxAbsMantissa)
    ++bits;
  return bits;
}

} // namespace cajal::mapping
