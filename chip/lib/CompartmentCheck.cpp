//===- CompartmentCheck.cpp - Range checks of compartment parameters -----===//

#include "cajal/Chip/CompartmentCheck.h"

#include <string>

namespace cajal::chip {
namespace {

Status outOfRange(const char *field, int64_t value, int64_t lo, int64_t hi) {
  return makeError(std::string(field) + " " + std::to_string(value) +
                   " out of range [" + std::to_string(lo) + ", " +
                   std::to_string(hi) + "]");
}

} // namespace

Status validateParams(const CompartmentParams &p, const Profile &profile) {
  const NeuronFormat &f = profile.neuron;
  const int64_t decayMax = (int64_t(1) << f.decayBits) - 1;
  const int64_t biasMax = f.biasMantissaMax;
  const int64_t thresholdMax = (int64_t(1) << f.thresholdMantissaBits) - 1;
  if (p.decayU > decayMax)
    return outOfRange("decayU", p.decayU, 0, decayMax);
  if (p.decayV > decayMax)
    return outOfRange("decayV", p.decayV, 0, decayMax);
  if (p.biasMantissa > biasMax || p.biasMantissa < -biasMax)
    return outOfRange("biasMantissa", p.biasMantissa, -biasMax, biasMax);
  if (p.biasExponent > f.biasExponentMax)
    return outOfRange("biasExponent", p.biasExponent, 0, f.biasExponentMax);
  if (p.refractory < f.refractoryMin || p.refractory > f.refractoryMax)
    return outOfRange("refractory", p.refractory, f.refractoryMin,
                      f.refractoryMax);
  if (p.thresholdMantissa > thresholdMax)
    return outOfRange("thresholdMantissa", p.thresholdMantissa, 0,
                      thresholdMax);
  if (p.vminExponent > f.vminExponentMax)
    return outOfRange("vminExponent", p.vminExponent, 0, f.vminExponentMax);
  if (p.vmaxExponent > f.vmaxExponentMax)
    return outOfRange("vmaxExponent", p.vmaxExponent, 0, f.vmaxExponentMax);
  const unsigned known = ResetBySubtraction | NoSpike;
  if (p.flags & ~known)
    return makeError("flags " + std::to_string(p.flags) +
                     " has unknown bits (known: ResetBySubtraction = 1, "
                     "NoSpike = 2)");
  if ((p.flags & ResetBySubtraction) && !f.resetBySubtraction)
    return makeError("flags " + std::to_string(p.flags) +
                     ": ResetBySubtraction is not allowed by profile \"" +
                     profile.name + "\" (neuron.resetBySubtraction = false)");
  return Status::ok();
}

} // namespace cajal::chip
