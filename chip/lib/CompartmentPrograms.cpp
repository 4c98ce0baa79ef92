//===- CompartmentPrograms.cpp - Which program each compartment runs ------===//
//
// Programs are deduplicated by value: the image's table may hold a LIF-family
// program, and records may name the same one; both map to one entry, marked
// lifFamily, so that engines run one fast path for it.
//
//===----------------------------------------------------------------------===//
#include "cajal/Chip/CompartmentPrograms.h"

#include "cajal/Chip/StandardPrograms.h"

#include <string>

namespace cajal::chip {

namespace {

bool sameLifVariant(const Program &program, const CompartmentParams &record,
                    const NeuronFormat &f) {
  return program == lifProgram(f, lifResetOf(record));
}

/// Index of `program` in `resolved`, appending it when new.
uint32_t internProgram(ResolvedPrograms &resolved, const Program &program,
                       const Profile &profile) {
  for (size_t i = 0; i < resolved.programs.size(); ++i)
    if (resolved.programs[i] == program)
      return uint32_t(i);
  resolved.programs.push_back(program);
  bool lif = false;
  for (LifReset reset : {LifReset::Zero, LifReset::Subtract, LifReset::NoSpike})
    lif = lif || program == lifProgram(profile.neuron, reset);
  resolved.lifFamily.push_back(lif);
  return uint32_t(resolved.programs.size() - 1);
}

} // namespace

Result<ResolvedPrograms> resolvePrograms(const Image &image,
                                         const Profile &profile) {
  const NeuronFormat &f = profile.neuron;
  ResolvedPrograms resolved;
  // The LIF program of every compartment's record first; populations with a
  // program of their own overwrite their compartments below.
  resolved.compartmentProgram.resize(image.cores.size());
  for (size_t k = 0; k < image.cores.size(); ++k) {
    const Core &core = image.cores[k];
    std::vector<uint32_t> &map = resolved.compartmentProgram[k];
    map.reserve(core.compartments.size());
    for (const CompartmentParams &record : core.compartments)
      map.push_back(
          internProgram(resolved, lifProgram(f, lifResetOf(record)), profile));
  }
  for (const Population &pop : image.populations) {
    if (pop.program == Population::kLifByRecord)
      continue;
    const ErrorSubject subject{ErrorSubject::Kind::Population, pop.name,
                               "program"};
    if (pop.program >= image.programs.size())
      return makeError("population \"" + pop.name + "\": program " +
                           std::to_string(pop.program) + " does not exist (" +
                           std::to_string(image.programs.size()) + " programs)",
                       subject);
    const Program &program = image.programs[pop.program];
    const uint32_t index = internProgram(resolved, program, profile);
    for (const Slice &slice : pop.slices) {
      if (slice.core >= image.cores.size())
        continue; // validateStructure reports it
      const Core &core = image.cores[slice.core];
      for (uint32_t i = 0; i < slice.count; ++i) {
        const uint32_t c = slice.firstCompartment + i;
        if (c >= core.compartments.size())
          break;
        if (resolved.lifFamily[index] &&
            !sameLifVariant(program, core.compartments[c], f))
          return makeError("population \"" + pop.name + "\": compartment " +
                               std::to_string(c) + " of core " +
                               std::to_string(slice.core) +
                               " has flags that name another LIF program "
                               "than the population's \"" +
                               program.name + "\"",
                           subject);
        resolved.compartmentProgram[slice.core][c] = index;
      }
    }
  }
  return resolved;
}

std::vector<int64_t> compartmentParamWords(const Core &core, uint32_t c,
                                           bool lifFamily,
                                           const NeuronFormat &format) {
  if (lifFamily)
    return lifParamWords(core.compartments[c], format);
  if (core.paramBegin.empty())
    return {};
  return std::vector<int64_t>(core.paramWords.begin() + core.paramBegin[c],
                              core.paramWords.begin() + core.paramBegin[c + 1]);
}

std::vector<int32_t> initialStateWords(const Program &program) {
  std::vector<int32_t> words;
  for (const StateWord &w : program.state)
    words.push_back(w.initial);
  return words;
}

} // namespace cajal::chip
