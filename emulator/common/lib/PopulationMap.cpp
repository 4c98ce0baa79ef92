//===- PopulationMap.cpp - Which compartment is which neuron --------------===//
#include "cajal/Emulator/PopulationMap.h"

#include <algorithm>
#include <string>

namespace cajal::emulator {

Result<PopulationMap> mapPopulations(const chip::Image &image,
                                     const std::vector<uint32_t> &compBegin) {
  using std::to_string;
  constexpr uint32_t none = PopulationMap::none;
  const uint32_t compartments = compBegin.empty() ? 0 : compBegin.back();
  PopulationMap map;
  map.populationBase.assign(1, 0);
  map.compartmentPopulation.assign(compartments, none);
  map.compartmentNeuron.assign(compartments, none);
  for (uint32_t p = 0; p < image.populations.size(); ++p) {
    const chip::Population &pop = image.populations[p];
    const uint32_t base = map.populationBase.back();
    map.neuronCompartment.resize(size_t(base) + pop.size, none);
    for (const chip::Slice &sl : pop.slices) {
      const std::string what = "population \"" + pop.name + "\": neurons " +
                               to_string(sl.firstNeuron) + ".." +
                               to_string(uint64_t(sl.firstNeuron) + sl.count);
      if (uint64_t(sl.firstNeuron) + sl.count > pop.size)
        return makeError(what + " exceed its " + to_string(pop.size) +
                         " neurons");
      // A neuron of a dendritic tree takes its tree's compartments; it is
      // its root (the last) where spikes and state are recorded.
      const uint32_t perNeuron = chip::compartmentsPerNeuron(pop);
      if (size_t(sl.core) + 1 >= compBegin.size() ||
          uint64_t(sl.firstCompartment) + uint64_t(sl.count) * perNeuron >
              compBegin[sl.core + 1] - compBegin[sl.core])
        return makeError(what + " lie outside the compartments of core " +
                         to_string(sl.core));
      for (uint32_t k = 0; k < sl.count; ++k)
        for (uint32_t j = 0; j < perNeuron; ++j) {
          const uint32_t local = sl.firstCompartment + k * perNeuron + j;
          const uint32_t g = compBegin[sl.core] + local;
          if (map.compartmentPopulation[g] != none)
            return makeError(
                "population \"" + pop.name + "\": neuron " +
                to_string(sl.firstNeuron + k) + " uses compartment " +
                to_string(local) + " of core " + to_string(sl.core) +
                ", already used by population \"" +
                image.populations[map.compartmentPopulation[g]].name + "\"");
          map.compartmentPopulation[g] = p;
          map.compartmentNeuron[g] = base + sl.firstNeuron + k;
          map.neuronCompartment[base + sl.firstNeuron + k] = g;
        }
    }
    map.populationBase.push_back(base + pop.size);
  }
  return map;
}

std::vector<uint32_t> compartmentBegins(const chip::Image &image) {
  std::vector<uint32_t> compBegin(1, 0);
  for (const chip::Core &core : image.cores)
    compBegin.push_back(compBegin.back() + uint32_t(core.compartments.size()));
  return compBegin;
}

std::vector<std::array<chip::TraceParams, 3>>
postTracesByCompartment(const chip::Image &image,
                        const std::vector<uint32_t> &compBegin) {
  std::vector<std::array<chip::TraceParams, 3>> traces(
      compBegin.empty() ? 0 : compBegin.back());
  for (const chip::Population &pop : image.populations) {
    const uint32_t perNeuron = chip::compartmentsPerNeuron(pop);
    for (const chip::Slice &slice : pop.slices) {
      const uint32_t first = compBegin[slice.core] + slice.firstCompartment;
      std::fill_n(traces.begin() + first, size_t(slice.count) * perNeuron,
                  pop.postTraces);
    }
  }
  return traces;
}

} // namespace cajal::emulator
