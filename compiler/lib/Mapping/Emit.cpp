//===- Emit.cpp - Write the chip image core by core ----------------------===//
//
// Before any core is built, the fan-out of every population neuron and
// source channel is derived from the Partitioning's axon groups alone
// (group g on core d gives pre neuron pre[r] the target (d, firstInputAxon +
// r)), so a core's output axons are known without materialising its
// targets. Each core is then built on its own: compartments of its slices
// in order; for each of its axon groups, the synapses of the projection
// onto the slice are generated post neuron by post neuron and bucketed by
// the rank of their pre neuron; each bucket becomes one input axon with the
// fewest weight bits holding its largest |mantissa|, the projection's
// exponent and a delay field when any delay differs from 1, packed with
// chip::packSynapses (a learning projection's at the widest weights, with
// a delay and a tag, learning by its rule's index in the image's rules,
// each distinct rule stored once). The core goes to the writer and is
// dropped; the writer builds a few cores at a time on several threads
// (buildCore is const), so each core's scratch is its own.
// Programs (Programs.h) are assigned per population once, before the first
// core: the image stores each distinct program once, and a core with a
// compartment outside the LIF family carries every compartment's parameter
// words (none for the LIF family's, whose words are their records').
//
//===----------------------------------------------------------------------===//
#include "cajal/Mapping/Emit.h"
#include "cajal/Mapping/InitialState.h"

#include "Internal.h"
#include "cajal/Mapping/Connectivity.h"
#include "cajal/Mapping/Programs.h"

#include <algorithm>

namespace cajal::mapping {

namespace {

/// Targets of every population neuron and source channel, in CSR form.
struct Fanout {
  std::vector<uint32_t> begin;
  std::vector<chip::AxonTarget> targets;
};

class Emitter {
public:
  Emitter(const Network &network, const Partitioning &partitioning,
          const Placement &where, const chip::Profile &chipProfile)
      : net(network), part(partitioning), placement(where),
        profile(chipProfile) {}

  Status prepare();
  /// Core c; safe to call for several cores at once (its scratch is its own).
  Result<chip::Core> buildCore(uint32_t c) const;
  chip::Image header() const;
  chip::Image trailer() const;

private:
  uint32_t nodeIndex(NodeRef n) const {
    return n.kind == NodeRef::PopulationNode
               ? n.index
               : uint32_t(net.populations.size()) + n.index;
  }
  void buildFanout();
  Status assignPrograms();
  void assignRules();
  /// A learning group's initial weights agree with its rule's sign mode.
  static Status checkWeightSigns(const Projection &proj,
                                 const std::vector<chip::Synapse> &group);
  uint32_t internProgram(const chip::Program &program);
  /// buildGroup's working arrays, kept from group to group of a core.
  struct GroupScratch {
    std::vector<std::pair<uint32_t, chip::Synapse>> ranked;
    std::vector<chip::Synapse> sorted, bucket;
    std::vector<uint32_t> rankBegin, fill;
    std::vector<SynapseRecord> buffer;
  };
  Status buildGroup(const AxonGroup &g, chip::Core &core,
                    GroupScratch &scratch) const;

  const Network &net;
  const Partitioning &part;
  const Placement &placement;
  const chip::Profile &profile;
  std::vector<SynapseGenerator> gens;
  std::vector<Fanout> fanout;          ///< per node (populations, sources)
  std::vector<uint32_t> groupBegin;    ///< per core, into part.axonGroups
  std::vector<chip::Program> programs; ///< Image::programs
  /// Per population: its Image::Population::program.
  std::vector<uint32_t> populationProgram;
  std::vector<chip::DendriticTree> populationTree;
  /// Image::learning.rules, each distinct (rule, x1, x2) once, and per
  /// projection its index there (kNoLearning for a fixed projection).
  std::vector<chip::LearningRuleSetting> rules;
  std::vector<uint32_t> ruleOf;
  /// Per population with initial values: the program whose state words
  /// they set (empty otherwise).
  std::vector<chip::Program> initialProgram;
};

Status Emitter::prepare() {
  if (placement.cores.size() != part.coreCount())
    return makeError("placement has " + std::to_string(placement.cores.size()) +
                     " cores; the partitioning has " +
                     std::to_string(part.coreCount()));
  for (uint32_t p = 0; p < net.projections.size(); ++p) {
    auto g = SynapseGenerator::create(net, p);
    if (!g)
      return g.takeError();
    gens.push_back(std::move(*g));
  }
  groupBegin.assign(part.coreCount() + 1, 0);
  for (const AxonGroup &g : part.axonGroups)
    ++groupBegin[part.slices[g.slice].core + 1];
  for (uint32_t c = 0; c < part.coreCount(); ++c)
    groupBegin[c + 1] += groupBegin[c];
  buildFanout();
  assignRules();
  return assignPrograms();
}

Status Emitter::checkWeightSigns(const Projection &proj,
                                 const std::vector<chip::Synapse> &group) {
  if (!proj.learns() || proj.learning->sign == chip::WeightSign::Mixed)
    return Status::ok();
  const bool excitatory = proj.learning->sign == chip::WeightSign::Excitatory;
  for (const chip::Synapse &s : group)
    if (excitatory ? s.mantissa < 0 : s.mantissa > 0)
      return makeError("projection \"" + proj.name + "\": an " +
                           chip::weightSignName(proj.learning->sign) +
                           " learning projection has an initial weight of "
                           "the other sign (mantissa " +
                           std::to_string(s.mantissa) + ")",
                       aboutProjection(proj.name));
  return Status::ok();
}

void Emitter::assignRules() {
  ruleOf.assign(net.projections.size(), chip::InputAxon::kNoLearning);
  for (size_t p = 0; p < net.projections.size(); ++p) {
    const Projection &proj = net.projections[p];
    if (!proj.learns())
      continue;
    auto same = std::find(rules.begin(), rules.end(), *proj.learning);
    ruleOf[p] = uint32_t(same - rules.begin());
    if (same == rules.end())
      rules.push_back(*proj.learning);
  }
}

uint32_t Emitter::internProgram(const chip::Program &program) {
  for (uint32_t k = 0; k < programs.size(); ++k)
    if (programs[k] == program)
      return k;
  programs.push_back(program);
  return uint32_t(programs.size() - 1);
}

/// Each population's program, stored once: adaptive LIF and Izhikevich
/// their standard program (when the profile accepts it); the LIF family
/// the LIF program of its records' variant when every record names the
/// same one (that is the program each record names, so no spike changes),
/// else kLifByRecord.
Status Emitter::assignPrograms() {
  populationProgram.assign(net.populations.size(),
                           chip::Population::kLifByRecord);
  initialProgram.assign(net.populations.size(), chip::Program{});
  populationTree.assign(net.populations.size(), chip::DendriticTree{});
  for (size_t p = 0; p < net.populations.size(); ++p) {
    const Population &pop = net.populations[p];
    if (Status s = checkPopulationProgram(pop, profile); !s)
      return s;
    std::optional<chip::Program> program =
        mapping::populationProgram(pop, profile);
    if (pop.program == PopulationProgram::LifTree) {
      const std::vector<chip::Program> tree = treePrograms(pop, profile);
      for (size_t k = 0; k < pop.tree.size(); ++k)
        populationTree[p].push_back(
            {pop.tree[k].name, internProgram(tree[k]), pop.tree[k].parent});
      populationProgram[p] = populationTree[p].back().program;
    } else if (program) {
      populationProgram[p] = internProgram(*program);
    } else {
      const chip::LifReset reset = chip::lifResetOf(pop.params.front());
      if (std::all_of(pop.params.begin(), pop.params.end(),
                      [&](const chip::CompartmentParams &record) {
                        return chip::lifResetOf(record) == reset;
                      }))
        populationProgram[p] =
            internProgram(chip::lifProgram(profile.neuron, reset));
      // Every LIF variant declares the same state words.
      program = chip::lifProgram(profile.neuron, reset);
    }
    if (pop.initial.empty())
      continue;
    if (Status s = checkInitialState(pop, *program); !s)
      return s;
    initialProgram[p] = std::move(*program);
  }
  return Status::ok();
}

void Emitter::buildFanout() {
  fanout.resize(net.populations.size() + net.sources.size());
  for (size_t n = 0; n < fanout.size(); ++n) {
    const uint32_t size = n < net.populations.size()
                              ? net.populations[n].size
                              : net.sources[n - net.populations.size()].size;
    fanout[n].begin.assign(size_t(size) + 1, 0);
  }
  for (const AxonGroup &g : part.axonGroups) {
    Fanout &f = fanout[nodeIndex(net.projections[g.projection].pre)];
    for (uint32_t i : g.pre)
      ++f.begin[i + 1];
  }
  std::vector<std::vector<uint32_t>> next(fanout.size());
  for (size_t n = 0; n < fanout.size(); ++n) {
    Fanout &f = fanout[n];
    for (size_t i = 0; i + 1 < f.begin.size(); ++i)
      f.begin[i + 1] += f.begin[i];
    f.targets.resize(f.begin.back());
    next[n].assign(f.begin.begin(), f.begin.end() - 1);
  }
  for (const AxonGroup &g : part.axonGroups) {
    const uint32_t n = nodeIndex(net.projections[g.projection].pre);
    const uint32_t core = part.slices[g.slice].core;
    for (uint32_t r = 0; r < g.pre.size(); ++r)
      fanout[n].targets[next[n][g.pre[r]]++] =
          chip::AxonTarget{core, g.firstInputAxon + r};
  }
  auto less = [](const chip::AxonTarget &a, const chip::AxonTarget &b) {
    return a.core != b.core ? a.core < b.core : a.inputAxon < b.inputAxon;
  };
  for (Fanout &f : fanout)
    for (size_t i = 0; i + 1 < f.begin.size(); ++i)
      std::sort(f.targets.begin() + f.begin[i],
                f.targets.begin() + f.begin[i + 1], less);
}

Status Emitter::buildGroup(const AxonGroup &g, chip::Core &core,
                           GroupScratch &scratch) const {
  auto &[ranked, sorted, bucket, rankBegin, fill, buffer] = scratch;
  const SliceInfo &slice = part.slices[g.slice];
  const SynapseGenerator &gen = gens[g.projection];
  // Synapses with the rank of their pre neuron, then counting-sorted by
  // rank (stable: post order within a rank) into one flat array.
  ranked.clear();
  const Population &post = net.populations[slice.population];
  const uint32_t perNeuron = post.compartmentsPerNeuron();
  const int32_t target = gen.projection().postCompartment;
  const uint32_t compartment =
      target < 0 ? perNeuron - 1 : uint32_t(target); // the root is last
  for (uint32_t k = 0; k < slice.count; ++k) {
    buffer.clear();
    gen.appendInto(slice.firstNeuron + k, IndexRange{0, gen.preSize()}, buffer);
    for (const SynapseRecord &s : buffer) {
      auto it = std::lower_bound(g.pre.begin(), g.pre.end(), s.pre);
      if (it == g.pre.end() || *it != s.pre)
        return makeError("projection \"" + gen.projection().name +
                             "\": synapse from pre " + std::to_string(s.pre) +
                             " has no input axon on core " +
                             std::to_string(slice.core) +
                             " (partitioning is stale for this network)",
                         aboutProjection(gen.projection().name));
      ranked.push_back(
          {uint32_t(it - g.pre.begin()),
           chip::Synapse{slice.firstCompartment + k * perNeuron + compartment,
                         s.mantissa, s.delay}});
    }
  }
  rankBegin.assign(g.pre.size() + 1, 0);
  for (const auto &r : ranked)
    ++rankBegin[r.first + 1];
  for (size_t r = 0; r < g.pre.size(); ++r)
    rankBegin[r + 1] += rankBegin[r];
  sorted.resize(ranked.size());
  fill.assign(rankBegin.begin(), rankBegin.end() - 1);
  for (const auto &r : ranked)
    sorted[fill[r.first]++] = r.second;
  for (size_t r = 0; r < g.pre.size(); ++r) {
    bucket.assign(sorted.begin() + rankBegin[r],
                  sorted.begin() + rankBegin[r + 1]);
    uint32_t maxAbs = 0;
    bool anyDelay = false;
    if (Status s = checkWeightSigns(gen.projection(), bucket); !s)
      return s;
    for (const chip::Synapse &s : bucket) {
      maxAbs = std::max(maxAbs, uint32_t(std::abs(int64_t(s.mantissa))));
      anyDelay |= s.delay != 1;
    }
    // Tags start at 0 (chip::Synapse's default).
    chip::InputAxon axon = detail::axonFormat(
        gen.projection(), maxAbs, anyDelay, profile, ruleOf[g.projection]);
    chip::packSynapses(bucket, axon, core.synapseWords, profile.synapse);
    core.inputAxons.push_back(axon);
  }
  return Status::ok();
}

Result<chip::Core> Emitter::buildCore(uint32_t c) const {
  chip::Core core;
  const CoreLocation &at = placement.cores[c];
  core.x = at.x;
  core.y = at.y;
  core.tileSlot = at.slot;
  core.outputBegin.push_back(0);
  // Parameter words only on a core with a compartment outside the LIF
  // family (Core::paramBegin empty otherwise).
  const bool anyWords = std::any_of(
      part.coreSlices[c].begin(), part.coreSlices[c].end(), [&](uint32_t s) {
        return net.populations[part.slices[s].population].program !=
               PopulationProgram::LifFamily;
      });
  if (anyWords)
    core.paramBegin.push_back(0);
  // Initial state words only on a core with a population that has initial
  // values (Core::initialBegin empty otherwise).
  const bool anyInitial = std::any_of(
      part.coreSlices[c].begin(), part.coreSlices[c].end(), [&](uint32_t s) {
        return !net.populations[part.slices[s].population].initial.empty();
      });
  if (anyInitial)
    core.initialBegin.push_back(0);
  const auto appendParamWords = [&core](const std::vector<int64_t> &words) {
    core.paramWords.insert(core.paramWords.end(), words.begin(), words.end());
    core.paramBegin.push_back(uint32_t(core.paramWords.size()));
  };
  for (uint32_t s : part.coreSlices[c]) {
    const SliceInfo &slice = part.slices[s];
    const Population &pop = net.populations[slice.population];
    const Fanout &f = fanout[slice.population];
    for (uint32_t k = 0; k < slice.count; ++k) {
      const uint32_t i = slice.firstNeuron + k;
      // A tree's dendrites come first, at rest, without output axons.
      for (uint32_t d = 0; d + 1 < pop.tree.size(); ++d) {
        core.compartments.push_back(pop.tree[d].paramsOf(i));
        appendParamWords(treeCompartmentWords(pop, d, i, profile.neuron));
        if (anyInitial)
          core.initialBegin.push_back(uint32_t(core.initialWords.size()));
        core.outputBegin.push_back(uint32_t(core.outputAxons.size()));
      }
      if (pop.program == PopulationProgram::Izhikevich ||
          pop.program == PopulationProgram::Equations)
        core.compartments.push_back(inertRecord(profile));
      else
        core.compartments.push_back(pop.paramsOf(i));
      if (anyWords)
        appendParamWords(compartmentWords(pop, i, profile.neuron));
      if (anyInitial) {
        if (!pop.initial.empty()) {
          const std::vector<int32_t> words =
              initialStateWords(pop, i, initialProgram[slice.population]);
          core.initialWords.insert(core.initialWords.end(), words.begin(),
                                   words.end());
        }
        core.initialBegin.push_back(uint32_t(core.initialWords.size()));
      }
      core.outputAxons.insert(core.outputAxons.end(),
                              f.targets.begin() + f.begin[i],
                              f.targets.begin() + f.begin[i + 1]);
      core.outputBegin.push_back(uint32_t(core.outputAxons.size()));
    }
  }
  GroupScratch scratch;
  for (uint32_t k = groupBegin[c]; k < groupBegin[c + 1]; ++k)
    if (Status s = buildGroup(part.axonGroups[k], core, scratch); !s)
      return s.takeError();
  return core;
}

chip::Image Emitter::header() const {
  chip::Image image;
  image.profileName = profile.name;
  image.profileFingerprint = profile.fingerprint();
  image.programs = programs;
  return image;
}

chip::Image Emitter::trailer() const {
  chip::Image image = header();
  const size_t pops = net.populations.size();
  for (size_t n = 0; n < net.sources.size(); ++n) {
    const Source &in = net.sources[n];
    chip::Source s;
    s.name = in.name;
    s.kind = in.kind;
    s.size = in.size;
    s.probability = in.probability;
    s.seed = in.seed;
    s.period = in.period;
    s.phase = in.phase;
    s.spikes = in.spikes;
    s.targetBegin = fanout[pops + n].begin;
    s.targets = fanout[pops + n].targets;
    image.sources.push_back(std::move(s));
  }
  for (uint32_t p = 0; p < pops; ++p) {
    const Population &in = net.populations[p];
    chip::Population out;
    out.name = in.name;
    out.size = in.size;
    out.recordSpikes = in.recordSpikes;
    out.recordState = in.recordState;
    out.aliases = in.aliases;
    out.program = populationProgram[p];
    out.tree = populationTree[p];
    out.postTraces = in.postTraces;
    image.populations.push_back(std::move(out));
  }
  if (net.learns()) {
    image.learning.epochSteps = net.learningEpoch;
    image.learning.seed = net.learningSeed;
    image.learning.rules = rules;
  }
  for (const SliceInfo &s : part.slices)
    image.populations[s.population].slices.push_back(
        chip::Slice{s.core, s.firstCompartment, s.firstNeuron, s.count});
  return image;
}

} // namespace

Result<chip::Image> buildImage(const Network &net, const Partitioning &part,
                               const Placement &placement,
                               const chip::Profile &profile) {
  Emitter emitter(net, part, placement, profile);
  if (Status s = emitter.prepare(); !s)
    return s.takeError();
  chip::Image image = emitter.trailer();
  for (uint32_t c = 0; c < part.coreCount(); ++c) {
    auto core = emitter.buildCore(c);
    if (!core)
      return core.takeError();
    image.cores.push_back(std::move(*core));
  }
  return image;
}

Status emitImage(const Network &net, const Partitioning &part,
                 const Placement &placement, const chip::Profile &profile,
                 const std::string &path, unsigned threads) {
  Emitter emitter(net, part, placement, profile);
  if (Status s = emitter.prepare(); !s)
    return withContext(path + ": ", s.takeError());
  auto writer =
      chip::ImageWriter::create(path, emitter.header(), part.coreCount());
  if (!writer)
    return writer.takeError();
  if (Status s = writer->addCores(part.coreCount(), threads,
                                  [&](uint32_t c) -> Result<chip::Core> {
                                    auto core = emitter.buildCore(c);
                                    if (!core)
                                      return withContext(path + ": ",
                                                         core.takeError());
                                    return core;
                                  });
      !s)
    return s;
  return writer->finish(emitter.trailer());
}

} // namespace cajal::mapping
