//===- Programs.cpp - The neurocore program each population runs ----------===//
//
// Adaptive LIF keeps the LIF record (p0..p6 from lifParamWords) and adds
// three words: decayA, a DECAY code like the record's decays; jump, a's
// increase per spike in units of 2^-16; beta, the threshold's increase per
// unit of a in v units, scaled so that the program's
// (beta * a) >> kAdaptiveLifBetaShift is beta_model * a_model * scale v
// units. Izhikevich's words are chip::izhikevichParamWords. Values that do
// not fit their 32-bit parameter words are errors, never wrapped.
//
//===----------------------------------------------------------------------===//
#include "cajal/Mapping/Programs.h"
#include "Internal.h"
#include "cajal/Chip/DendriticTree.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cajal::mapping {

using detail::fmt;

Result<int64_t> programWord32(const char *name, double model, double value) {
  const double rounded = std::round(value);
  if (!(std::fabs(rounded) <= double(std::numeric_limits<int32_t>::max())))
    return makeError(std::string(name) + " = " + fmt(model) + " becomes " +
                     fmt(rounded) +
                     " integer units, outside the program's 32-bit word");
  return int64_t(rounded);
}

const char *programModelName(PopulationProgram program) {
  switch (program) {
  case PopulationProgram::LifFamily:
    return "lif";
  case PopulationProgram::AdaptiveLif:
    return "adaptive_lif";
  case PopulationProgram::Izhikevich:
    return "izhikevich";
  case PopulationProgram::Equations:
    return "equations";
  case PopulationProgram::LifTree:
    return "lif (a dendritic tree)";
  }
  return "lif";
}

std::optional<chip::Program> populationProgram(const Population &pop,
                                               const chip::Profile &profile) {
  switch (pop.program) {
  case PopulationProgram::LifFamily:
    return std::nullopt;
  case PopulationProgram::AdaptiveLif:
    return chip::adaptiveLifProgram(profile.neuron);
  case PopulationProgram::Izhikevich:
    return chip::izhikevichProgram(pop.izhikevichRest);
  case PopulationProgram::Equations:
    if (pop.equationProgram)
      return *pop.equationProgram;
    return std::nullopt;
  case PopulationProgram::LifTree:
    return treeProgram(pop.tree.back(), profile);
  }
  return std::nullopt;
}

chip::Program treeProgram(const TreeNode &node, const chip::Profile &profile) {
  chip::LifTreeCompartment shape = node.shape;
  shape.scaledOutput = profile.isa.multiplier;
  return chip::lifTreeProgram(profile.neuron, shape);
}

std::vector<chip::Program> treePrograms(const Population &pop,
                                        const chip::Profile &profile) {
  std::vector<chip::Program> programs;
  for (const TreeNode &node : pop.tree)
    programs.push_back(treeProgram(node, profile));
  return programs;
}

std::vector<int64_t> treeCompartmentWords(const Population &pop, uint32_t k,
                                          uint32_t i,
                                          const chip::NeuronFormat &format) {
  const TreeNode &node = pop.tree[k];
  const chip::CompartmentParams &record =
      node.parent < 0 ? pop.paramsOf(i) : node.paramsOf(i);
  return chip::lifTreeParamWords(record, node.joinWeight, node.gain, format);
}

/// The profile accepts every program of `pop`'s tree and the tree itself
/// (its stack depth): chip::validateTree's error, with the population in
/// front.
static Status checkTreePrograms(const Population &pop,
                                const chip::Profile &profile) {
  const int64_t unitGain = int64_t(1) << chip::kTreeGainShift;
  for (const TreeNode &node : pop.tree)
    if (!profile.isa.multiplier && node.parent >= 0 &&
        node.shape.output != chip::TreeOutput::Active && node.gain != unitGain)
      return makeError(
          "population \"" + pop.name + "\": dendrite \"" + node.name +
              "\" passes its " + chip::treeOutputName(node.shape.output) +
              " times " + fmt(double(node.gain) / double(unitGain)) +
              " (its coupling, with its parent's voltage scale over its "
              "own); profile \"" +
              profile.name +
              "\" has no multiplier (isa.multiplier) and passes a "
              "dendrite's value unscaled: give it coupling 1 and scale its "
              "input weights instead",
          aboutPopulation(node.name, "coupling"));
  std::vector<chip::Program> programs = treePrograms(pop, profile);
  chip::DendriticTree tree;
  for (uint32_t k = 0; k < pop.tree.size(); ++k)
    tree.push_back({pop.tree[k].name, k, pop.tree[k].parent});
  if (Status s = chip::validateTree(tree, programs, profile); !s)
    return makeError("population \"" + pop.name +
                         "\": its dendritic tree is "
                         "refused by profile \"" +
                         profile.name + "\": " + s.error(),
                     aboutPopulation(pop.name, "model"));
  return Status::ok();
}

Status checkPopulationProgram(const Population &pop,
                              const chip::Profile &profile) {
  std::optional<chip::Program> program = populationProgram(pop, profile);
  if (!program && pop.program == PopulationProgram::Equations)
    return makeError("population \"" + pop.name +
                         "\": its equations have no program yet "
                         "(lowerEquationPopulations makes it)",
                     aboutPopulation(pop.name, "model"));
  if (!program)
    return Status::ok();
  const std::string model = programModelName(pop.program);
  const ErrorSubject subject = aboutPopulation(pop.name, "model");
  // A fixed-function chip with a tree stack runs the LIF trees
  // (chip::isFixedFunction), which validateTree checks.
  if (pop.program == PopulationProgram::LifTree)
    return checkTreePrograms(pop, profile);
  if (!profile.isa.programmable)
    return makeError("population \"" + pop.name + "\": model " + model +
                         " needs a programmable neurocore; profile \"" +
                         profile.name +
                         "\" runs only the LIF family (isa.programmable)",
                     subject);
  if (Status s = chip::validateProgram(*program, profile); !s)
    return makeError("population \"" + pop.name + "\": model " + model +
                         ": program " + program->name +
                         " is refused by profile \"" + profile.name +
                         "\": " + s.error(),
                     subject);
  return Status::ok();
}

Result<AdaptationWords> quantizeAdaptation(double decayA, double jump,
                                           double beta, double voltageScale,
                                           const chip::NeuronFormat &format) {
  for (auto [name, value] : {std::pair<const char *, double>{"decay_a", decayA},
                             {"jump", jump},
                             {"beta", beta}})
    if (!std::isfinite(value))
      return makeError(std::string(name) + " = " + fmt(value) +
                       " must be finite");
  AdaptationWords w;
  // A DECAY code: 2^decayBits clears a every step (decay_a = 1).
  const double full = std::ldexp(1.0, int(format.decayBits));
  w.decayA = int64_t(std::clamp(std::round(decayA * full), 0.0, full));
  Result<int64_t> jumpWord = programWord32(
      "jump", jump, std::ldexp(jump, int(kAdaptationFractionBits)));
  if (!jumpWord)
    return jumpWord.takeError();
  w.jump = *jumpWord;
  const int shift =
      int(chip::kAdaptiveLifBetaShift) - int(kAdaptationFractionBits);
  Result<int64_t> betaWord =
      programWord32("beta", beta, std::ldexp(beta * voltageScale, shift));
  if (!betaWord)
    return betaWord.takeError();
  w.beta = *betaWord;
  return w;
}

Result<std::vector<int64_t>>
izhikevichWords(const chip::IzhikevichParams &params) {
  const std::vector<int64_t> words = chip::izhikevichParamWords(params);
  const char *names[] = {"a", "b", "c", "d", "bias"};
  const double values[] = {params.a, params.b, params.c, params.d,
                           params.current};
  const unsigned bits[] = {
      chip::kIzhikevichCoefficientBits, chip::kIzhikevichCoefficientBits,
      chip::kIzhikevichFractionBits, chip::kIzhikevichFractionBits,
      chip::kIzhikevichFractionBits};
  for (size_t k = 0; k < words.size(); ++k)
    if (Result<int64_t> w = programWord32(names[k], values[k],
                                          std::ldexp(values[k], int(bits[k])));
        !w)
      return w.takeError();
  return words;
}

std::vector<int64_t> compartmentWords(const Population &pop, uint32_t i,
                                      const chip::NeuronFormat &format) {
  switch (pop.program) {
  case PopulationProgram::LifFamily:
    return {};
  case PopulationProgram::AdaptiveLif: {
    std::vector<int64_t> words = chip::lifParamWords(pop.paramsOf(i), format);
    const std::vector<int64_t> &extra = pop.programWordsOf(i);
    words.insert(words.end(), extra.begin(), extra.end());
    return words;
  }
  case PopulationProgram::Izhikevich:
  case PopulationProgram::Equations:
    return pop.programWordsOf(i);
  case PopulationProgram::LifTree:
    return treeCompartmentWords(pop, uint32_t(pop.tree.size() - 1), i, format);
  }
  return {};
}

chip::CompartmentParams inertRecord(const chip::Profile &profile) {
  chip::CompartmentParams record;
  record.refractory = uint8_t(std::max(1u, profile.neuron.refractoryMin));
  record.refractory = uint8_t(
      std::min<unsigned>(record.refractory, profile.neuron.refractoryMax));
  record.flags = chip::NoSpike;
  return record;
}

} // namespace cajal::mapping
