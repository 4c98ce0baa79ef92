//===- Compartment.h - Integer compartment arithmetic -----------*- C++ -*-===//
//
// The one definition of a compartment's update per time step, specified in
// docs/neuron-model.md. The golden model, the SystemC core model and the RTL
// check all call (or mirror) these functions; they are pure and header-only
// so that every engine inlines them.
//
// Per step t, with q the saturated sum of the weights arriving at t:
//   u = wrap(decay(u, du + 1) + q)            (currentBits, two's complement)
//   v = clip(decay(v, dv) + u + bias, vmin, vmax)
//   if refractory > 0: v = 0, refractory -= 1, no spike
//   else if spiking and v > vth: spike; v = 0 (or v - vth); refractory = ref
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_CHIP_COMPARTMENT_H
#define CAJAL_CHIP_COMPARTMENT_H

#include "cajal/Chip/Profile.h"

#include <cstdint>

namespace cajal::chip {

/// Compartment flags (bit set in CompartmentParams::flags).
enum CompartmentFlag : uint8_t {
  ResetBySubtraction = 1u << 0, ///< v <- v - vth on a spike, instead of 0
  NoSpike = 1u << 1,            ///< never spikes (leaky integrator readout)
};

/// Integer parameters of one compartment, as stored in the chip image.
struct CompartmentParams {
  uint16_t decayU = 0;       ///< [0, 2^decayBits)
  uint16_t decayV = 0;       ///< [0, 2^decayBits)
  int16_t biasMantissa = 0;  ///< |.| <= biasMantissaMax
  uint8_t biasExponent = 0;  ///< [0, biasExponentMax]
  uint8_t refractory = 1;    ///< [refractoryMin, refractoryMax] steps
  uint32_t thresholdMantissa = 0; ///< [0, 2^thresholdMantissaBits)
  uint8_t vminExponent = 0;  ///< [0, vminExponentMax]
  uint8_t vmaxExponent = 0;  ///< [0, vmaxExponentMax]
  uint8_t flags = 0;         ///< CompartmentFlag bits

  bool operator==(const CompartmentParams &o) const {
    return decayU == o.decayU && decayV == o.decayV &&
           biasMantissa == o.biasMantissa && biasExponent == o.biasExponent &&
           refractory == o.refractory &&
           thresholdMantissa == o.thresholdMantissa &&
           vminExponent == o.vminExponent && vmaxExponent == o.vmaxExponent &&
           flags == o.flags;
  }
};

/// Dynamic state of one compartment.
struct CompartmentState {
  int32_t u = 0;
  int32_t v = 0;
  uint8_t refractoryLeft = 0;
  bool operator==(const CompartmentState &o) const {
    return u == o.u && v == o.v && refractoryLeft == o.refractoryLeft;
  }
};

/// sign(x) * floor(|x| * (2^bits - d) / 2^bits): rounds toward zero.
/// d may equal 2^bits (full decay, result 0).
inline int64_t decay(int64_t x, uint32_t d, unsigned bits) {
  const int64_t scale = (int64_t(1) << bits) - int64_t(d);
  const int64_t magnitude = ((x < 0 ? -x : x) * scale) >> bits;
  return x < 0 ? -magnitude : magnitude;
}

/// Two's-complement wrap of x to `bits` bits.
inline int64_t wrapSigned(int64_t x, unsigned bits) {
  const uint64_t mask = (uint64_t(1) << bits) - 1;
  uint64_t r = uint64_t(x) & mask;
  if (r >> (bits - 1))
    r |= ~mask;
  return int64_t(r);
}

/// Saturate x to +-(2^bits - 1).
inline int64_t saturateSigned(int64_t x, unsigned bits) {
  const int64_t limit = (int64_t(1) << bits) - 1;
  return x > limit ? limit : (x < -limit ? -limit : x);
}

/// Effective synaptic weight: mantissa << (shift + exponent); a negative
/// total shift divides, rounding toward zero.
inline int64_t synapticWeight(int32_t mantissa, int exponent,
                              unsigned shift) {
  const int total = int(shift) + exponent;
  const int64_t magnitude = mantissa < 0 ? -int64_t(mantissa) : mantissa;
  const int64_t shifted =
      total >= 0 ? (magnitude << total) : (magnitude >> -total);
  return mantissa < 0 ? -shifted : shifted;
}

inline int64_t biasValue(const CompartmentParams &p) {
  return int64_t(p.biasMantissa) * (int64_t(1) << p.biasExponent);
}
inline int64_t thresholdValue(const CompartmentParams &p,
                              const NeuronFormat &f) {
  return int64_t(p.thresholdMantissa) << f.thresholdShift;
}
inline int64_t vminValue(const CompartmentParams &p) {
  return -(int64_t(1) << p.vminExponent) + 1;
}
inline int64_t vmaxValue(const CompartmentParams &p, const NeuronFormat &f) {
  return (int64_t(1) << (f.vmaxBase + 2 * p.vmaxExponent)) - 1;
}

/// Advance one compartment by one step, given the raw accumulated input q of
/// this step (any int64; saturated here). Returns true on a spike.
inline bool updateCompartment(CompartmentState &s, const CompartmentParams &p,
                              int64_t q, const NeuronFormat &f) {
  const int64_t qs = saturateSigned(q, f.accumulatorBits);
  const int64_t u =
      wrapSigned(decay(s.u, uint32_t(p.decayU) + 1, f.decayBits) + qs,
                 f.currentBits);
  int64_t v = decay(s.v, p.decayV, f.decayBits) + u + biasValue(p);
  const int64_t lo = vminValue(p), hi = vmaxValue(p, f);
  v = v < lo ? lo : (v > hi ? hi : v);
  s.u = int32_t(u);
  if (s.refractoryLeft > 0) {
    s.v = 0;
    --s.refractoryLeft;
    return false;
  }
  const int64_t vth = thresholdValue(p, f);
  if ((p.flags & NoSpike) || v <= vth) {
    s.v = int32_t(v);
    return false;
  }
  s.v = (p.flags & ResetBySubtraction) ? int32_t(v - vth) : 0;
  s.refractoryLeft = p.refractory;
  return true;
}

} // namespace cajal::chip

#endif // CAJAL_CHIP_COMPARTMENT_H
