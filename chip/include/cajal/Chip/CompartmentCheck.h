//===- CompartmentCheck.h - Compartment parameter ranges --------*- C++ -*-===//
//
// The compartment parameters stored in a chip image must lie in the ranges of
// the profile's NeuronFormat (docs/neuron-model.md): the compiler checks
// them before emission and the image loader checks them again.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_CHIP_COMPARTMENTCHECK_H
#define CAJAL_CHIP_COMPARTMENTCHECK_H

#include "cajal/Chip/Compartment.h"
#include "cajal/Chip/Profile.h"
#include "cajal/Chip/Result.h"

namespace cajal::chip {

/// Check every field of `p` against `profile.neuron`. The error names the
/// field, its value and the allowed range, e.g.
/// "decayU 4096 out of range [0, 4095]"; callers prefix the location.
Status validateParams(const CompartmentParams &p, const Profile &profile);

} // namespace cajal::chip

#endif // CAJAL_CHIP_COMPARTMENTCHECK_H
