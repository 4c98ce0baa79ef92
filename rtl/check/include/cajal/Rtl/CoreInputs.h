//===- CoreInputs.h - Input spikes of one core of a whole image -*- C++ -*-===//
//
// check-rtl drives one core of an image in isolation: the RTL and the
// SystemC core logic get the input-axon spikes that core receives when the
// whole image runs. They are recorded from a golden-model run: every spike
// of step t (a compartment of any core, or a host source channel) reaches
// the input axons its output axons / source targets name on this core, and
// in the lockstep contract (CoreLogic::receive(t, a) before update(t)) those
// are the inputs of step t. The recording is checked: the core logic fed
// with them must spike exactly as the core did in the golden run.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_RTL_COREINPUTS_H
#define CAJAL_RTL_COREINPUTS_H

#include "cajal/Chip/Image.h"
#include "cajal/Chip/Profile.h"
#include "cajal/Chip/Result.h"

#include <cstdint>
#include <vector>

namespace cajal::rtl {

/// inputs[t]: the input axons of `image.cores[core]` hit at step t (an axon
/// appears once per spike that reaches it), for `steps` steps of a golden
/// run of the whole image. Errors: no such core, the image does not
/// validate, or the recorded inputs do not reproduce the core's golden
/// spikes (the message names the step and compartment).
Result<std::vector<std::vector<uint32_t>>>
coreInputsFromGolden(const chip::Image &image, const chip::Profile &profile,
                     uint32_t core, uint32_t steps);

/// Seeded random input spikes: every step each of `axons` input axons
/// spikes with probability 1/3, and sometimes twice.
std::vector<std::vector<uint32_t>> randomInputs(uint64_t seed, uint32_t axons,
                                                uint32_t steps);

} // namespace cajal::rtl

#endif // CAJAL_RTL_COREINPUTS_H
