//===- PopulationMap.h - Which compartment is which neuron ------*- C++ -*-===//
//
// Every engine maps the image's populations (slices of cores' compartments)
// to its global compartment indices, both ways, and refuses an image in
// which two neurons share a compartment: one definition of that mapping.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_EMULATOR_POPULATIONMAP_H
#define CAJAL_EMULATOR_POPULATIONMAP_H

#include "cajal/Chip/Image.h"
#include "cajal/Chip/Result.h"

#include <array>
#include <cstdint>
#include <vector>

namespace cajal::emulator {

/// Neurons are numbered flat: population p's neuron n is flat neuron
/// populationBase[p] + n. Compartments are global indices,
/// compBegin[core] + the compartment's index in its core.
struct PopulationMap {
  static constexpr uint32_t none = UINT32_MAX;
  /// populationBase[p] .. populationBase[p + 1]: population p's flat
  /// neurons (one entry more than there are populations).
  std::vector<uint32_t> populationBase;
  /// The compartment of each flat neuron (none if no slice places it): its
  /// root for a neuron with a dendritic tree, whose compartments all map to
  /// it below.
  std::vector<uint32_t> neuronCompartment;
  /// By compartment: its population and flat neuron, none outside every
  /// population.
  std::vector<uint32_t> compartmentPopulation, compartmentNeuron;
};

/// The map of `image`, whose core c's compartments are global indices
/// compBegin[c] .. compBegin[c + 1]. An error names the population, neuron
/// and compartment of a slice outside its core or on a compartment another
/// neuron already has.
Result<PopulationMap> mapPopulations(const chip::Image &image,
                                     const std::vector<uint32_t> &compBegin);

/// compBegin of `image` as every engine numbers compartments: core c's
/// compartments are compBegin[c] .. compBegin[c + 1], cores in image order.
std::vector<uint32_t> compartmentBegins(const chip::Image &image);

/// The post-synaptic trace parameters y1, y2, y3 (docs/learning.md) of each
/// global compartment: its population's postTraces, on every compartment of
/// a dendritic tree; zero outside every population. The slices must lie in
/// their cores (validate() and mapPopulations check).
std::vector<std::array<chip::TraceParams, 3>>
postTracesByCompartment(const chip::Image &image,
                        const std::vector<uint32_t> &compBegin);

} // namespace cajal::emulator

#endif // CAJAL_EMULATOR_POPULATIONMAP_H
