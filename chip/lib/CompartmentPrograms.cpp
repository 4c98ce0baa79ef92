//===- CompartmentPrograms.cpp - Which program each compartment runs ------===//
//
// Programs are deduplicated by value: the image's table may hold a LIF-family
// program, and records may name the same one; both map to one entry, marked
// lifFamily, so that engines run one fast path for it. The three LIF
// programs are built once per image, not per compartment, and programs no
// compartment runs are dropped at the end.
//
//===----------------------------------------------------------------------===//
#include "cajal/Chip/CompartmentPrograms.h"

#include "cajal/Chip/StandardPrograms.h"

#include <string>

namespace cajal::chip {

namespace {

constexpr LifReset kLifResets[] = {LifReset::Zero, LifReset::Subtract,
                                   LifReset::NoSpike};

/// Index of `program` in `resolved`, appending it when new.
uint32_t internProgram(ResolvedPrograms &resolved, const Program &program,
                       const std::vector<Program> &lifPrograms) {
  for (size_t i = 0; i < resolved.programs.size(); ++i)
    if (resolved.programs[i] == program)
      return uint32_t(i);
  resolved.programs.push_back(program);
  bool lif = false;
  for (const Program &candidate : lifPrograms)
    lif = lif || program == candidate;
  resolved.lifFamily.push_back(lif);
  return uint32_t(resolved.programs.size() - 1);
}

/// Keep only the programs some compartment runs, renumbering the map.
void dropUnused(ResolvedPrograms &resolved) {
  std::vector<bool> used(resolved.programs.size(), false);
  for (const std::vector<uint32_t> &core : resolved.compartmentProgram)
    for (uint32_t p : core)
      used[p] = true;
  std::vector<uint32_t> renumber(resolved.programs.size());
  ResolvedPrograms kept;
  for (size_t p = 0; p < used.size(); ++p) {
    if (!used[p])
      continue;
    renumber[p] = uint32_t(kept.programs.size());
    kept.programs.push_back(std::move(resolved.programs[p]));
    kept.lifFamily.push_back(resolved.lifFamily[p]);
  }
  for (std::vector<uint32_t> &core : resolved.compartmentProgram)
    for (uint32_t &p : core)
      p = renumber[p];
  resolved.programs = std::move(kept.programs);
  resolved.lifFamily = std::move(kept.lifFamily);
}

} // namespace

Result<ResolvedPrograms> resolvePrograms(const Image &image,
                                         const Profile &profile) {
  const NeuronFormat &f = profile.neuron;
  // The three LIF programs, built once: every record names one of them.
  std::vector<Program> lifPrograms;
  for (LifReset reset : kLifResets)
    lifPrograms.push_back(lifProgram(f, reset));
  ResolvedPrograms resolved;
  uint32_t lifIndex[3];
  for (size_t r = 0; r < 3; ++r)
    lifIndex[r] = internProgram(resolved, lifPrograms[r], lifPrograms);
  // The LIF program of every compartment's record first; populations with a
  // program of their own overwrite their compartments below.
  resolved.compartmentProgram.resize(image.cores.size());
  for (size_t k = 0; k < image.cores.size(); ++k) {
    const Core &core = image.cores[k];
    std::vector<uint32_t> &map = resolved.compartmentProgram[k];
    map.reserve(core.compartments.size());
    for (const CompartmentParams &record : core.compartments)
      map.push_back(lifIndex[size_t(lifResetOf(record))]);
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
    if (!pop.tree.empty()) {
      if (Status s = checkTreePopulation(pop, image.programs, profile); !s)
        return s.takeError();
      if (resolved.treeRoot.empty()) {
        resolved.treeRoot.resize(image.cores.size());
        for (size_t k = 0; k < image.cores.size(); ++k)
          resolved.treeRoot[k].assign(image.cores[k].compartments.size(),
                                      ResolvedPrograms::kNotInTree);
      }
    }
    // The program of each of a neuron's compartments (one for a point
    // neuron).
    std::vector<uint32_t> perNeuron;
    if (pop.tree.empty())
      perNeuron.push_back(
          internProgram(resolved, image.programs[pop.program], lifPrograms));
    for (const TreeCompartment &t : pop.tree)
      perNeuron.push_back(
          internProgram(resolved, image.programs[t.program], lifPrograms));
    const uint32_t n = uint32_t(perNeuron.size());
    for (const Slice &slice : pop.slices) {
      if (slice.core >= image.cores.size())
        continue; // validateStructure reports it
      const Core &core = image.cores[slice.core];
      for (uint64_t i = 0; i < uint64_t(slice.count) * n; ++i) {
        const uint64_t c = slice.firstCompartment + i;
        if (c >= core.compartments.size())
          break;
        const uint32_t index = perNeuron[i % n];
        if (resolved.lifFamily[index] &&
            resolved.compartmentProgram[slice.core][c] != index)
          return makeError("population \"" + pop.name + "\": compartment " +
                               std::to_string(c) + " of core " +
                               std::to_string(slice.core) +
                               " has flags that name another LIF program "
                               "than the population's \"" +
                               resolved.programs[index].name + "\"",
                           subject);
        resolved.compartmentProgram[slice.core][c] = index;
        if (!pop.tree.empty())
          resolved.treeRoot[slice.core][c] = uint32_t(c - i % n + n - 1);
      }
    }
  }
  dropUnused(resolved);
  // What an engine will run passes the validator, however the image was
  // loaded (validate() names the populations; this is the engines' guard).
  std::vector<bool> runsAsPoint(resolved.programs.size(), false);
  for (size_t k = 0; k < resolved.compartmentProgram.size(); ++k)
    for (size_t c = 0; c < resolved.compartmentProgram[k].size(); ++c)
      if (resolved.treeRoot.empty() ||
          resolved.treeRoot[k][c] == ResolvedPrograms::kNotInTree)
        runsAsPoint[resolved.compartmentProgram[k][c]] = true;
  for (size_t p = 0; p < resolved.programs.size(); ++p) {
    const Program &program = resolved.programs[p];
    Status s = validateProgram(program, profile);
    if (s && runsAsPoint[p])
      s = validatePointNeuron(program);
    if (!s)
      return makeError("program \"" + program.name + "\": " + s.error());
  }
  return resolved;
}

Status checkTreePopulation(const Population &pop,
                           const std::vector<Program> &programs,
                           const Profile &profile) {
  if (pop.tree.empty())
    return Status::ok();
  const ErrorSubject subject{ErrorSubject::Kind::Population, pop.name, "tree"};
  if (Status s = validateTree(pop.tree, programs, profile); !s)
    return makeError("population \"" + pop.name + "\": " + s.error(), subject);
  if (pop.program != pop.tree.back().program)
    return makeError(
        "population \"" + pop.name + "\": program index " +
            std::to_string(pop.program) + ", but its tree's root \"" +
            pop.tree.back().name + "\" runs program " +
            std::to_string(pop.tree.back().program) +
            " (a tree population's program is its root's)",
        ErrorSubject{ErrorSubject::Kind::Population, pop.name, "program"});
  return Status::ok();
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

std::vector<int32_t> initialStateWords(const Core &core, uint32_t c,
                                       const Program &program) {
  if (core.initialBegin.empty() ||
      core.initialBegin[c] == core.initialBegin[c + 1])
    return initialStateWords(program);
  return std::vector<int32_t>(core.initialWords.begin() + core.initialBegin[c],
                              core.initialWords.begin() +
                                  core.initialBegin[c + 1]);
}

Status checkInitialState(const Image &image, const ResolvedPrograms &resolved) {
  // The population of each compartment, for the messages (found on the
  // error path only).
  const auto owner = [&image](size_t k, uint32_t c) -> std::string {
    for (const Population &pop : image.populations)
      for (const Slice &sl : pop.slices)
        if (sl.core == k && c >= sl.firstCompartment &&
            c - sl.firstCompartment < sl.count)
          return "population \"" + pop.name + "\" neuron " +
                 std::to_string(sl.firstNeuron + (c - sl.firstCompartment)) +
                 ": ";
    return "";
  };
  for (size_t k = 0; k < image.cores.size(); ++k) {
    const Core &core = image.cores[k];
    if (core.initialBegin.empty())
      continue;
    for (uint32_t c = 0; c < core.compartments.size(); ++c) {
      const uint32_t words = core.initialBegin[c + 1] - core.initialBegin[c];
      if (words == 0)
        continue;
      const Program &program =
          resolved.programs[resolved.compartmentProgram[k][c]];
      const std::string at = "core " + std::to_string(k) + " compartment " +
                             std::to_string(c) + ": ";
      if (words != program.state.size())
        return makeError(owner(k, c) + at + std::to_string(words) +
                         " initial state words, program \"" + program.name +
                         "\" declares " + std::to_string(program.state.size()) +
                         " (or none: the program's initial values)");
      for (uint32_t w = 0; w < words; ++w) {
        const StateWord &decl = program.state[w];
        const int32_t stored = core.initialWords[core.initialBegin[c] + w];
        // Read back by the declaration, as the interpreter reads state.
        const int64_t value =
            decl.isSigned ? int64_t(stored) : int64_t(uint32_t(stored));
        const int64_t lo = wordMin(decl.bits, decl.isSigned);
        const int64_t hi = wordMax(decl.bits, decl.isSigned);
        if (value < lo || value > hi)
          return makeError(
              owner(k, c) + at + "initial state word s" + std::to_string(w) +
              " (" + decl.name + ") = " + std::to_string(value) +
              " is outside its " + std::to_string(decl.bits) + "-bit " +
              (decl.isSigned ? "signed" : "unsigned") + " range [" +
              std::to_string(lo) + ", " + std::to_string(hi) + "]");
      }
    }
  }
  return Status::ok();
}

} // namespace cajal::chip
