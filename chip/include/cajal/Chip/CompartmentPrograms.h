//===- CompartmentPrograms.h - Which program each compartment runs -*- C++
//-*-===//
//
// Engines load per compartment: the program it runs and its parameter words.
// A compartment runs its population's program; a population whose program is
// kLifByRecord, and a compartment in no population, runs the LIF-family
// program its CompartmentParams record's flags name, with the record's words
// (lifParamWords). Every engine resolves programs through this one function,
// so that they agree on it.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_CHIP_COMPARTMENTPROGRAMS_H
#define CAJAL_CHIP_COMPARTMENTPROGRAMS_H

#include "cajal/Chip/Image.h"
#include "cajal/Chip/Neurocore.h"
#include "cajal/Chip/Profile.h"
#include "cajal/Chip/Result.h"

#include <cstdint>
#include <vector>

namespace cajal::chip {

struct ResolvedPrograms {
  /// Every program some compartment runs, each once: the image's programs
  /// that are used, then the LIF-family programs that records name.
  std::vector<Program> programs;
  /// lifFamily[p]: programs[p] is a LIF-family program of the profile, whose
  /// parameter words are its compartments' records (engines' LIF fast paths).
  std::vector<bool> lifFamily;
  /// compartmentProgram[core][c]: index into programs.
  std::vector<std::vector<uint32_t>> compartmentProgram;
  /// treeRoot[core][c]: for a compartment of a dendritic tree, the
  /// core-local index of its neuron's root (its own, for the root);
  /// kNotInTree for a point neuron. Empty when no population has a tree.
  std::vector<std::vector<uint32_t>> treeRoot;
  static constexpr uint32_t kNotInTree = UINT32_MAX;
};

/// Resolve every compartment's program (a tree compartment's own) and
/// validate each program that some compartment runs (validateProgram; a
/// point neuron's also validatePointNeuron) and each population's tree
/// (validateTree). Errors (population program index out of range, a record
/// whose flags disagree with its population's LIF program) name the
/// population; an invalid program is named.
Result<ResolvedPrograms> resolvePrograms(const Image &image,
                                         const Profile &profile);

/// A tree population's tree against the image's programs (validateTree)
/// and its program against its root's; the error names the population.
/// Ok for a population of point neurons.
Status checkTreePopulation(const Population &population,
                           const std::vector<Program> &programs,
                           const Profile &profile);

/// Compartment c's parameter words for `program`: from the record for the
/// LIF family, from core.paramWords otherwise.
std::vector<int64_t> compartmentParamWords(const Core &core, uint32_t c,
                                           bool lifFamily,
                                           const NeuronFormat &format);

/// The initial state words of `program` (StateWord::initial).
std::vector<int32_t> initialStateWords(const Program &program);
/// Compartment c's state words before step 0 when it runs `program`: its
/// own (Core::initialWords) where the image gives them, else the
/// program's.
std::vector<int32_t> initialStateWords(const Core &core, uint32_t c,
                                       const Program &program);

/// Every compartment's initial state words (Core::initialWords) against the
/// program it runs: none or one per state word, each inside the word's
/// declared width. The error names the core, the compartment, the word and
/// the value (and the population, where there is one).
Status checkInitialState(const Image &image, const ResolvedPrograms &resolved);

} // namespace cajal::chip

#endif // CAJAL_CHIP_COMPARTMENTPROGRAMS_H
