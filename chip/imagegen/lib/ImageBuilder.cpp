//===- ImageBuilder.cpp - Assemble chip images from cores and groups ------===//

#include "cajal/ImageGen/ImageBuilder.h"

namespace cajal::imagegen {

ImageBuilder::ImageBuilder(const chip::Profile &chipProfile)
    : profile(chipProfile) {
  image.profileName = chipProfile.name;
  image.profileFingerprint = chipProfile.fingerprint();
}

uint32_t ImageBuilder::addCore(std::vector<chip::CompartmentParams> comps) {
  const uint32_t index = uint32_t(image.cores.size());
  const chip::MeshShape &m = profile.mesh;
  const uint32_t tile = index / m.coresPerTile;
  const uint32_t width = m.tilesX * m.chipsX;
  chip::Core core;
  core.tileSlot = index % m.coresPerTile;
  core.x = tile % width;
  core.y = tile / width;
  outputs.emplace_back(comps.size());
  params.emplace_back(comps.size());
  core.compartments = std::move(comps);
  image.cores.push_back(std::move(core));
  return index;
}

uint32_t ImageBuilder::addGroup(uint32_t core,
                                const std::vector<chip::Synapse> &syn,
                                chip::InputAxon axon) {
  chip::Core &c = image.cores[core];
  chip::packSynapses(syn, axon, c.synapseWords, profile.synapse);
  c.inputAxons.push_back(axon);
  return uint32_t(c.inputAxons.size() - 1);
}

uint32_t ImageBuilder::addInputAxon(uint32_t core,
                                    const std::vector<chip::Synapse> &syn,
                                    uint8_t weightBits, int8_t weightExponent,
                                    bool hasDelay) {
  chip::InputAxon axon;
  axon.weightBits = weightBits;
  axon.weightExponent = weightExponent;
  axon.hasDelay = hasDelay;
  return addGroup(core, syn, axon);
}

uint32_t ImageBuilder::addLearningAxon(uint32_t core,
                                       const std::vector<chip::Synapse> &syn,
                                       int8_t weightExponent, uint32_t rule) {
  chip::InputAxon axon = widestAxon(weightExponent);
  axon.learning = rule;
  return addGroup(core, syn, axon);
}

uint32_t ImageBuilder::addRewardAxon(uint32_t core,
                                     const std::vector<chip::Synapse> &syn,
                                     int8_t weightExponent) {
  chip::InputAxon axon = widestAxon(weightExponent);
  axon.reward = true;
  return addGroup(core, syn, axon);
}

chip::InputAxon ImageBuilder::widestAxon(int8_t weightExponent) const {
  chip::InputAxon axon;
  axon.weightBits = uint8_t(profile.synapse.weightBitsMax);
  axon.weightExponent = weightExponent;
  axon.hasDelay = true;
  return axon;
}

uint32_t ImageBuilder::addLearningRule(chip::LearningRuleSetting rule) {
  image.learning.rules.push_back(std::move(rule));
  return uint32_t(image.learning.rules.size() - 1);
}

void ImageBuilder::setLearningEpoch(uint32_t epochSteps, uint64_t seed) {
  image.learning.epochSteps = epochSteps;
  image.learning.seed = seed;
}

void ImageBuilder::setPostTraces(
    uint32_t population, const std::array<chip::TraceParams, 3> &traces) {
  image.populations[population].postTraces = traces;
}

void ImageBuilder::addOutput(uint32_t core, uint32_t compartment,
                             chip::AxonTarget target) {
  outputs[core][compartment].push_back(target);
}

uint32_t ImageBuilder::addSource(chip::Source source) {
  sourceTargets.emplace_back(source.size);
  image.sources.push_back(std::move(source));
  return uint32_t(image.sources.size() - 1);
}

void ImageBuilder::addSourceTarget(uint32_t source, uint32_t channel,
                                   chip::AxonTarget target) {
  sourceTargets[source][channel].push_back(target);
}

uint32_t ImageBuilder::addPopulation(std::string name,
                                     std::vector<chip::Slice> slices,
                                     bool recordSpikes, bool recordState) {
  chip::Population p;
  p.name = std::move(name);
  for (const chip::Slice &s : slices)
    p.size += s.count;
  p.slices = std::move(slices);
  p.recordSpikes = recordSpikes;
  p.recordState = recordState;
  image.populations.push_back(std::move(p));
  return uint32_t(image.populations.size() - 1);
}

uint32_t ImageBuilder::addProgram(chip::Program program) {
  image.programs.push_back(std::move(program));
  return uint32_t(image.programs.size() - 1);
}

void ImageBuilder::setParamWords(uint32_t core, uint32_t compartment,
                                 std::vector<int64_t> words) {
  params[core][compartment] = std::move(words);
}

uint32_t ImageBuilder::addProgramPopulation(
    std::string name, std::vector<chip::Slice> slices, uint32_t program,
    const std::vector<std::vector<int64_t>> &paramWords, bool recordSpikes,
    bool recordState) {
  if (!paramWords.empty())
    for (const chip::Slice &s : slices)
      for (uint32_t i = 0; i < s.count; ++i)
        setParamWords(s.core, s.firstCompartment + i,
                      paramWords[s.firstNeuron + i]);
  const uint32_t index = addPopulation(std::move(name), std::move(slices),
                                       recordSpikes, recordState);
  image.populations[index].program = program;
  return index;
}

uint32_t ImageBuilder::addTreePopulation(
    std::string name, std::vector<chip::Slice> slices, chip::DendriticTree tree,
    const std::vector<std::vector<std::vector<int64_t>>> &paramWords,
    bool recordSpikes, bool recordState) {
  const uint32_t perNeuron = uint32_t(tree.size());
  if (!paramWords.empty())
    for (const chip::Slice &s : slices)
      for (uint32_t i = 0; i < s.count; ++i)
        for (uint32_t k = 0; k < perNeuron; ++k)
          setParamWords(s.core, s.firstCompartment + i * perNeuron + k,
                        paramWords[s.firstNeuron + i][k]);
  const uint32_t root =
      tree.empty() ? chip::Population::kLifByRecord : tree.back().program;
  const uint32_t index = addPopulation(std::move(name), std::move(slices),
                                       recordSpikes, recordState);
  image.populations[index].program = root;
  image.populations[index].tree = std::move(tree);
  return index;
}

chip::Image ImageBuilder::build() const {
  chip::Image out = image;
  for (size_t c = 0; c < out.cores.size(); ++c) {
    chip::Core &core = out.cores[c];
    core.outputBegin.assign(1, 0);
    core.outputAxons.clear();
    for (const auto &targets : outputs[c]) {
      core.outputAxons.insert(core.outputAxons.end(), targets.begin(),
                              targets.end());
      core.outputBegin.push_back(uint32_t(core.outputAxons.size()));
    }
    core.paramBegin.clear();
    core.paramWords.clear();
    bool anyWords = false;
    for (const auto &words : params[c])
      anyWords = anyWords || !words.empty();
    if (anyWords) {
      core.paramBegin.assign(1, 0);
      for (const auto &words : params[c]) {
        core.paramWords.insert(core.paramWords.end(), words.begin(),
                               words.end());
        core.paramBegin.push_back(uint32_t(core.paramWords.size()));
      }
    }
  }
  for (size_t s = 0; s < out.sources.size(); ++s) {
    chip::Source &src = out.sources[s];
    src.targetBegin.assign(1, 0);
    src.targets.clear();
    for (const auto &targets : sourceTargets[s]) {
      src.targets.insert(src.targets.end(), targets.begin(), targets.end());
      src.targetBegin.push_back(uint32_t(src.targets.size()));
    }
  }
  return out;
}

} // namespace cajal::imagegen
