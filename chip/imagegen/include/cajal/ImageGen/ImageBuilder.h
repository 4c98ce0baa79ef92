//===- ImageBuilder.h - Assemble chip images from cores and groups -*- C++
//-*-===//
//
// Tests, `check-rtl --random` and the random generator describe an image as
// cores, synapse groups, output axons, sources, programs and populations; the
// builder packs the synapses in the profile's format, places the cores on
// free mesh positions and lays out the offset tables (outputBegin,
// targetBegin, paramBegin).
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_IMAGEGEN_IMAGEBUILDER_H
#define CAJAL_IMAGEGEN_IMAGEBUILDER_H

#include "cajal/Chip/Image.h"
#include "cajal/Chip/Profile.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cajal::imagegen {

class ImageBuilder {
public:
  explicit ImageBuilder(const chip::Profile &profile);

  /// A core with these compartments, at the next free mesh position.
  uint32_t addCore(std::vector<chip::CompartmentParams> compartments);
  /// An input axon of `core` whose synapse group holds `synapses`.
  uint32_t addInputAxon(uint32_t core, const std::vector<chip::Synapse> &syn,
                        uint8_t weightBits, int8_t weightExponent,
                        bool hasDelay);
  /// An input axon whose synapses learn by rule `rule` (an addLearningRule
  /// index): the widest weights, delays and a tag per synapse.
  uint32_t addLearningAxon(uint32_t core, const std::vector<chip::Synapse> &syn,
                           int8_t weightExponent, uint32_t rule);
  /// An input axon whose synapses feed their compartments' third factor.
  uint32_t addRewardAxon(uint32_t core, const std::vector<chip::Synapse> &syn,
                         int8_t weightExponent);
  /// A learning rule with its pre-synaptic traces; its index.
  uint32_t addLearningRule(chip::LearningRuleSetting rule);
  /// The learning epoch and seed (docs/learning.md).
  void setLearningEpoch(uint32_t epochSteps, uint64_t seed);
  /// The post-synaptic traces y1, y2, y3 of a population's compartments.
  void setPostTraces(uint32_t population,
                     const std::array<chip::TraceParams, 3> &traces);
  /// An output axon of compartment `compartment` of `core`.
  void addOutput(uint32_t core, uint32_t compartment, chip::AxonTarget target);
  /// A source (its targets are added with addSourceTarget).
  uint32_t addSource(chip::Source source);
  void addSourceTarget(uint32_t source, uint32_t channel,
                       chip::AxonTarget target);
  /// A population; slices are given in neuron order. Its compartments run
  /// the LIF program their records name (Population::kLifByRecord).
  uint32_t addPopulation(std::string name, std::vector<chip::Slice> slices,
                         bool recordSpikes = true, bool recordState = false);

  /// A program for populations to run; its index in Image::programs. Not
  /// deduplicated: each call adds one.
  uint32_t addProgram(chip::Program program);
  /// Parameter words of one compartment (build() lays out paramBegin and
  /// paramWords; compartments given none have none).
  void setParamWords(uint32_t core, uint32_t compartment,
                     std::vector<int64_t> words);
  /// A population running program `program` (an addProgram index, or
  /// kLifByRecord); paramWords[n] are the words of neuron n (flat index in
  /// the population), set on the compartment its slice places it on. Empty
  /// paramWords: the compartments keep whatever words they have.
  uint32_t
  addProgramPopulation(std::string name, std::vector<chip::Slice> slices,
                       uint32_t program,
                       const std::vector<std::vector<int64_t>> &paramWords = {},
                       bool recordSpikes = true, bool recordState = false);

  /// A population of neurons with dendritic trees: each slice's neuron n
  /// takes tree.size() consecutive compartments from firstCompartment + (n
  /// - firstNeuron) * tree.size(); paramWords[n][k] are the words of its
  /// compartment k (empty: none set).
  uint32_t addTreePopulation(
      std::string name, std::vector<chip::Slice> slices,
      chip::DendriticTree tree,
      const std::vector<std::vector<std::vector<int64_t>>> &paramWords = {},
      bool recordSpikes = true, bool recordState = false);

  const chip::Core &core(uint32_t c) const { return image.cores[c]; }
  chip::Image build() const;

private:
  /// Packs `syn` into `core`'s synapse words as the group `axon` describes
  /// (its firstWord and synapseCount are filled in); the axon's index.
  uint32_t addGroup(uint32_t core, const std::vector<chip::Synapse> &syn,
                    chip::InputAxon axon);
  /// An axon with the widest weights and delays, as learning and reward
  /// groups store them.
  chip::InputAxon widestAxon(int8_t weightExponent) const;

  const chip::Profile &profile;
  chip::Image image;
  /// Output axons per core per compartment, and targets per source channel.
  std::vector<std::vector<std::vector<chip::AxonTarget>>> outputs;
  std::vector<std::vector<std::vector<chip::AxonTarget>>> sourceTargets;
  /// Parameter words per core per compartment.
  std::vector<std::vector<std::vector<int64_t>>> params;
};

} // namespace cajal::imagegen

#endif // CAJAL_IMAGEGEN_IMAGEBUILDER_H
