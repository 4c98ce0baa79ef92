//===- ReferenceEngine.cpp - The simple engine: the oracle ----------------===//
//
// Load: every compartment gets its program and parameter words once
// (chip::resolvePrograms: its population's program, or the LIF program its
// record names with the record's words) and its state words at their
// declared initial values; every input axon's synapse group is unpacked
// once into (global compartment, delay, weight) with chip::unpackSynapses
// and chip::synapticWeight.
//
// Step t:
//   1. every compartment g, in global order, runs chip::interpret on
//      q = pendingInput[t % S][g], which is then cleared for step t + S; a
//      dendritic tree's compartments (consecutive, the root last) share one
//      stack and read their root's spike of step t - 1 as bap, and only the
//      root's spike is the neuron's (docs/neurocore-isa.md);
//   2. the sources emit their spikes of step t (chip/Source.h, as every
//      engine draws them; External ones from setExternalSpikes);
//   3. each spike of step t, of a compartment or of a source channel, goes
//      to each of its targets (core, input axon), and each synapse there
//      adds its weight to pendingInput[(t + delay) % S][target].
// S is the longest delay plus one, so step 3 never writes the slot step 1
// of step t + 1 reads before step t has delivered everything (delay >= 1).
// Sums are exact in 64 bits and saturated only by the program (SAT on q),
// so the order of delivery cannot change a result.
//
//===----------------------------------------------------------------------===//
#include "cajal/Reference/ReferenceEngine.h"

#include "cajal/Chip/CompartmentPrograms.h"

#include "cajal/Chip/NeurocoreInterpreter.h"
#include "cajal/Chip/Source.h"
#include "cajal/Chip/StandardPrograms.h"
#include "cajal/Emulator/PopulationMap.h"

#include <algorithm>
#include <map>
#include <string>

namespace cajal::reference {

namespace {
std::string str(uint64_t v) { return std::to_string(v); }
} // namespace

/// Builds the engine's tables from an image (see the file comment).
struct ReferenceEngine::Loader {
  ReferenceEngine &engine;
  const chip::Image &image;
  const chip::Profile &profile;

  Status loadCompartments();
  void loadSynapses();
  Status mapPopulations();
};

Status ReferenceEngine::Loader::loadCompartments() {
  Result<chip::ResolvedPrograms> resolved =
      chip::resolvePrograms(image, profile);
  if (!resolved)
    return resolved.takeError();
  engine.programs = resolved->programs;
  engine.compBegin.assign(1, 0);
  for (uint32_t c = 0; c < image.cores.size(); ++c) {
    const chip::Core &core = image.cores[c];
    for (uint32_t l = 0; l < core.compartments.size(); ++l) {
      Compartment comp;
      comp.core = c;
      comp.program = resolved->compartmentProgram[c][l];
      comp.params = chip::compartmentParamWords(
          core, l, resolved->lifFamily[comp.program], profile.neuron);
      comp.state =
          chip::initialStateWords(core, l, engine.programs[comp.program]);
      comp.outputAxons.assign(core.outputAxons.begin() + core.outputBegin[l],
                              core.outputAxons.begin() +
                                  core.outputBegin[l + 1]);
      if (!resolved->treeRoot.empty() &&
          resolved->treeRoot[c][l] != chip::ResolvedPrograms::kNotInTree)
        comp.treeRoot = engine.compBegin.back() + resolved->treeRoot[c][l];
      engine.compartments.push_back(std::move(comp));
    }
    engine.compBegin.push_back(uint32_t(engine.compartments.size()));
  }
  return Status::ok();
}

void ReferenceEngine::Loader::loadSynapses() {
  const chip::SynapseFormat &format = profile.synapse;
  uint32_t longestDelay = 1;
  std::vector<chip::Synapse> group;
  const bool learns = image.learning.enabled();
  engine.inputAxons.resize(image.cores.size());
  engine.axonInfo.resize(image.cores.size());
  uint64_t globalAxon = 0;
  for (uint32_t c = 0; c < image.cores.size(); ++c) {
    const chip::Core &core = image.cores[c];
    uint64_t position = 0; // of the axon's first synapse in the core
    for (const chip::InputAxon &axon : core.inputAxons) {
      chip::unpackSynapses(core.synapseWords, axon, format, group);
      std::vector<Synapse> synapses;
      for (const chip::Synapse &s : group) {
        const int64_t weight = chip::synapticWeight(
            s.mantissa, axon.weightExponent, format.weightShift);
        synapses.push_back({engine.compBegin[c] + s.compartment, s.delay,
                            weight, s.mantissa, s.tag});
        longestDelay = std::max(longestDelay, s.delay);
      }
      engine.inputAxons[c].push_back(std::move(synapses));
      AxonInfo info;
      info.learning = axon.learning;
      info.reward = axon.reward;
      info.weightExponent = axon.weightExponent;
      info.traceNeuron = globalAxon++;
      info.firstSynapse = (uint64_t(c) << 32) + position;
      if (axon.learns())
        info.history.assign(image.learning.epochSteps, {});
      engine.axonInfo[c].push_back(std::move(info));
      position += axon.synapseCount;
    }
  }
  // A learned delay may grow to the profile's longest.
  if (learns)
    longestDelay = std::max(longestDelay, profile.synapse.maxDelay);
  engine.pendingInput.assign(
      longestDelay + 1, std::vector<int64_t>(engine.compartments.size(), 0));
  if (learns)
    engine.pendingReward = engine.pendingInput;
}

Status ReferenceEngine::Loader::mapPopulations() {
  Result<emulator::PopulationMap> map =
      emulator::mapPopulations(image, engine.compBegin);
  if (!map)
    return makeError(map.error());
  engine.populationBase = std::move(map->populationBase);
  engine.neuronCompartment = std::move(map->neuronCompartment);
  engine.flatNeuronOf = std::move(map->compartmentNeuron);
  for (const chip::Population &pop : image.populations)
    engine.populations.push_back({pop.recordSpikes, pop.recordState});
  engine.nodeTable = spikeio::NodeTable(image);
  return Status::ok();
}

Result<ReferenceEngine> ReferenceEngine::create(const chip::Image &image,
                                                const chip::Profile &profile,
                                                const Options &options) {
  if (!options.imageValidated)
    if (Status s = chip::validate(image, profile); !s)
      return s.takeError();
  ReferenceEngine engine;
  Loader loader{engine, image, profile};
  if (Status s = loader.loadCompartments(); !s)
    return s.takeError();
  loader.loadSynapses();
  if (Status s = loader.mapPopulations(); !s)
    return s.takeError();
  engine.learning = image.learning;
  engine.chipProfile = profile;
  if (image.learning.enabled()) {
    const std::vector<std::array<chip::TraceParams, 3>> postTraces =
        emulator::postTracesByCompartment(image, engine.compBegin);
    engine.compartmentLearning.resize(engine.compartments.size());
    for (uint32_t g = 0; g < engine.compartmentLearning.size(); ++g) {
      CompartmentLearning &l = engine.compartmentLearning[g];
      l.history.assign(image.learning.epochSteps, {});
      l.params = postTraces[g];
    }
  }
  engine.sources = image.sources;
  for (chip::Source &src : engine.sources)
    if (src.kind == chip::SourceKind::External)
      src.spikes.clear();
  engine.perCore.assign(image.cores.size(), CoreCounters());
  return engine;
}

Status
ReferenceEngine::setExternalSpikes(std::vector<spikeio::SpikeRecord> spikes) {
  std::sort(spikes.begin(), spikes.end());
  std::vector<std::vector<chip::SourceSpike>> lists(sources.size());
  for (size_t i = 0; i < spikes.size(); ++i) {
    const spikeio::SpikeRecord &r = spikes[i];
    const std::string what = "external spike (step " + str(r.step) + ", node " +
                             str(r.node) + ", index " + str(r.index) + ")";
    if (r.node >= nodeTable.size())
      return makeError(what + ": no such node (the image has " +
                       str(nodeTable.size()) + ")");
    const std::string name = "\"" + nodeTable.name(r.node) + "\"";
    if (!nodeTable.isExternalSource(r.node))
      return makeError(what + ": node " + name + " is not an external source");
    if (r.index >= nodeTable.nodeSize(r.node))
      return makeError(what + ": index " + str(r.index) + " of " + name +
                       " out of range (size " +
                       str(nodeTable.nodeSize(r.node)) + ")");
    if (i > 0 && spikes[i - 1] == r)
      return makeError(what + ": given twice");
    lists[nodeTable.sourceIndex(r.node)].push_back({r.step, r.index});
  }
  for (size_t s = 0; s < sources.size(); ++s)
    if (sources[s].kind == chip::SourceKind::External)
      sources[s].spikes = std::move(lists[s]);
  return Status::ok();
}

void ReferenceEngine::updateCompartments() {
  std::vector<int64_t> &input = pendingInput[stepIndex % pendingInput.size()];
  if (!pendingReward.empty()) {
    std::vector<int64_t> &arriving =
        pendingReward[stepIndex % pendingReward.size()];
    for (uint32_t g = 0; g < compartments.size(); ++g) {
      compartmentLearning[g].reward += arriving[g];
      arriving[g] = 0;
    }
  }
  spikingCompartments.clear();
  lastIdle.resize(compartments.size());
  rootSpiked.resize(compartments.size());
  for (uint32_t g = 0; g < compartments.size(); ++g) {
    Compartment &c = compartments[g];
    // A tree's compartments are consecutive, its root last: the stack is
    // empty again after the root, and the root's flag is still the
    // previous step's when the others read it as bap.
    const bool inTree = c.treeRoot != Compartment::noTree;
    chip::UpdateOutcome outcome = chip::interpret(
        programs[c.program], c.state.data(), c.params.data(), input[g],
        chip::TreeContext{&treeStack, inTree && rootSpiked[c.treeRoot]});
    if (inTree && c.treeRoot == g)
      rootSpiked[g] = outcome.spiked;
    // Only a tree's root spikes for its neuron; another compartment's FIRE
    // only resets it.
    outcome.spiked = outcome.spiked && (!inTree || c.treeRoot == g);
    input[g] = 0; // this slot next holds the input of step t + S
    lastIdle[g] = outcome.idle;
    CoreCounters &core = perCore[c.core];
    if (outcome.idle) {
      ++totals.idleUpdates;
      ++core.idleUpdates;
    } else {
      ++totals.activeUpdates;
      ++core.activeUpdates;
    }
    if (outcome.spiked) {
      spikingCompartments.push_back(g);
      ++totals.compartmentSpikes;
      ++core.compartmentSpikes;
    }
  }
}

void ReferenceEngine::emitSourceSpikes() {
  const uint32_t t = stepIndex;
  sourceSpikes.clear();
  std::vector<uint32_t> channels;
  for (uint32_t s = 0; s < sources.size(); ++s) {
    const chip::Source &src = sources[s];
    channels.clear();
    if (src.kind == chip::SourceKind::External) {
      // The given spikes are listed as a File source's are.
      const auto [first, last] = chip::fileSpikeRange(src, t);
      for (size_t i = first; i < last; ++i)
        channels.push_back(src.spikes[i].index);
    } else {
      chip::firingChannels(src, t, channels);
    }
    for (uint32_t channel : channels)
      sourceSpikes.push_back({s, channel});
  }
  totals.sourceSpikes += sourceSpikes.size();
}

void ReferenceEngine::sendToInputAxon(const chip::AxonTarget &target) {
  const std::vector<Synapse> &synapses =
      inputAxons[target.core][target.inputAxon];
  AxonInfo &info = axonInfo[target.core][target.inputAxon];
  // A reward group's weights go to the third factor, not the input.
  std::vector<std::vector<int64_t>> &pending =
      info.reward ? pendingReward : pendingInput;
  for (const Synapse &s : synapses)
    pending[(stepIndex + s.delay) % pending.size()][s.compartment] += s.weight;
  info.spikedNow = true;
  CoreCounters &core = perCore[target.core];
  ++totals.axonEvents;
  ++core.axonEventsIn;
  totals.synapticEvents += synapses.size();
  core.synapticEvents += synapses.size();
}

void ReferenceEngine::step() {
  updateCompartments();
  emitSourceSpikes();
  for (uint32_t g : spikingCompartments)
    for (const chip::AxonTarget &target : compartments[g].outputAxons)
      sendToInputAxon(target);
  for (const SourceSpikeEvent &e : sourceSpikes) {
    const chip::Source &src = sources[e.source];
    for (uint32_t k = src.targetBegin[e.index];
         k < src.targetBegin[e.index + 1]; ++k)
      sendToInputAxon(src.targets[k]);
  }
  if (learning.enabled())
    learn();
  ++stepIndex;
  ++totals.steps;
}

void ReferenceEngine::lastSpikes(std::vector<NeuronSpike> &out) const {
  std::vector<uint32_t> flat;
  for (uint32_t g : spikingCompartments)
    if (flatNeuronOf[g] != kNoNeuron)
      flat.push_back(flatNeuronOf[g]);
  std::sort(flat.begin(), flat.end());
  out.clear();
  for (uint32_t k : flat) {
    // The population whose flat range [base[p], base[p + 1]) holds k.
    const uint32_t p = uint32_t(
        std::upper_bound(populationBase.begin(), populationBase.end(), k) -
        populationBase.begin() - 1);
    out.push_back({p, k - populationBase[p]});
  }
}

chip::CompartmentState
ReferenceEngine::compartmentState(uint32_t global) const {
  const Compartment &c = compartments[global];
  const chip::Program &p = programs[c.program];
  chip::CompartmentState s;
  s.u = c.state.size() > 0 ? c.state[0] : 0;
  s.v = c.state.size() > 1 ? c.state[1] : 0;
  if (p.refractoryWord >= 0)
    s.refractoryLeft = uint8_t(c.state[size_t(p.refractoryWord)]);
  return s;
}

} // namespace cajal::reference
