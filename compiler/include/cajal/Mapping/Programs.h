//===- Programs.h - The neurocore program each population runs --*- C++ -*-===//
//
// A population of the LIF family runs the LIF program its compartment
// records name (chip::lifProgram); adaptive LIF and Izhikevich populations
// run the standard programs of chip/StandardPrograms.h with per-compartment
// parameter words (chip::Core::paramWords). This is where the mapping
// library turns a population into its program and words, fixes the
// fixed-point scales of the words the compiler chooses (the adaptation's
// units), and checks that the profile accepts the program.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_MAPPING_PROGRAMS_H
#define CAJAL_MAPPING_PROGRAMS_H

#include "cajal/Chip/Compartment.h"
#include "cajal/Chip/Neurocore.h"
#include "cajal/Chip/Profile.h"
#include "cajal/Chip/Result.h"
#include "cajal/Chip/StandardPrograms.h"
#include "cajal/Mapping/Network.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cajal::mapping {

/// The snn model name of a program kind ("adaptive_lif", "izhikevich";
/// "lif" for the LIF family).
const char *programModelName(PopulationProgram program);

/// The program every compartment of `pop` runs, when it is not the LIF
/// family (whose program each record names): nullopt for the LIF family.
std::optional<chip::Program> populationProgram(const Population &pop,
                                               const chip::Profile &profile);

/// round(value), when it fits a signed 32-bit program word; else an error
/// naming the parameter, its model value and the rounded value.
Result<int64_t> programWord32(const char *name, double model, double value);

/// A tree compartment's program on `profile`: node.shape, its output
/// unscaled where the chip has no multiplier.
chip::Program treeProgram(const TreeNode &node, const chip::Profile &profile);

/// The profile accepts `pop`'s program: on a profile that is not
/// programmable, an error naming the population, the model and the profile
/// (`population "iz": model izhikevich needs a programmable neurocore;
/// profile "loihi1" runs only the LIF family (isa.programmable)`); else
/// chip::validateProgram's error with the population and model in front.
Status checkPopulationProgram(const Population &pop,
                              const chip::Profile &profile);

/// The adaptation state a of the adaptive LIF program counts units of
/// 2^-kAdaptationFractionBits: LSNN's a in [0, 1] spans 2^16 units.
constexpr unsigned kAdaptationFractionBits = 16;

/// The adaptive LIF program's words p7 (decayA), p8 (jump) and p9 (beta)
/// for a population whose v counts `voltageScale` units per model unit.
struct AdaptationWords {
  int64_t decayA = 0; ///< fraction of a lost per step, x 2^decayBits
  int64_t jump = 0;   ///< a's increase per spike, x 2^16
  /// v units per unit of a, x 2^kAdaptiveLifBetaShift / 2^16: the
  /// threshold is p5 + (beta * a >> kAdaptiveLifBetaShift)
  int64_t beta = 0;
};
/// Errors (a value outside its 32-bit word) name the parameter and value;
/// the caller prefixes the population.
Result<AdaptationWords> quantizeAdaptation(double decayA, double jump,
                                           double beta, double voltageScale,
                                           const chip::NeuronFormat &format);

/// Izhikevich's words (chip::izhikevichParamWords), each checked to fit its
/// 32-bit parameter word; the error names the parameter and the value.
Result<std::vector<int64_t>>
izhikevichWords(const chip::IzhikevichParams &params);

/// Compartment i's parameter words for its population's program, or none
/// for the LIF family (its words come from its record).
std::vector<int64_t> compartmentWords(const Population &pop, uint32_t i,
                                      const chip::NeuronFormat &format);

/// A LifTree population's programs, one per compartment of its tree in
/// tree order, and compartment k of neuron i's parameter words.
std::vector<chip::Program> treePrograms(const Population &pop,
                                        const chip::Profile &profile);
std::vector<int64_t> treeCompartmentWords(const Population &pop, uint32_t k,
                                          uint32_t i,
                                          const chip::NeuronFormat &format);

/// The record a compartment carries when its program does not read it
/// (Izhikevich): valid on `profile`, and one that never spikes, so that an
/// engine that ran the record instead of the program would stay silent.
chip::CompartmentParams inertRecord(const chip::Profile &profile);

} // namespace cajal::mapping

#endif // CAJAL_MAPPING_PROGRAMS_H
