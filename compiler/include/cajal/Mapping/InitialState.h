//===- InitialState.h - The state each neuron starts from -------*- C++ -*-===//
//
// A population's `initial` values (mapping::InitialValue, docs/mapping.md
// "Initial state") become each compartment's initial state words in the
// image (Core::initialWords): the program's declared initial values, with
// the named words replaced by round(value * scale), the value given per
// neuron or drawn per neuron from a stream keyed by (seed, population name,
// state name, neuron), so that a neuron's start does not depend on how the
// network is sliced onto cores.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_MAPPING_INITIALSTATE_H
#define CAJAL_MAPPING_INITIALSTATE_H

#include "cajal/Chip/Neurocore.h"
#include "cajal/Chip/Result.h"
#include "cajal/Mapping/Network.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cajal::mapping {

/// Error unless every initial value of `pop` names a state word of
/// `program`, and every value, or every draw its distribution can give,
/// lies in the value's [lower, upper] and, scaled, inside the word's
/// declared width. The error names the population, the state, the value
/// (or the draws' range) and the word's range.
Status checkInitialState(const Population &pop, const chip::Program &program);

/// The value (in the units of the population's params) `init` gives neuron
/// `neuron` of population `population`.
double initialValue(const InitialValue &init, const std::string &population,
                    uint32_t neuron);

/// The state words neuron `i` of `pop` starts from when it runs `program`
/// (checkInitialState must have passed).
std::vector<int32_t> initialStateWords(const Population &pop, uint32_t i,
                                       const chip::Program &program);

} // namespace cajal::mapping

#endif // CAJAL_MAPPING_INITIALSTATE_H
