//===- RtlCore.cpp - The Verilated RTL neurocore, driven from C++ ---------===//
//
// The neurocore is Verilated once per profile (RtlCoreSmall.cpp,
// RtlCoreLoihi1.cpp, RtlCoreLoihi2.cpp, RtlCoreTrees.cpp, each from
// RtlVariant.inc). RtlCore picks the build whose package matches the
// profile, builds the core's program table (the distinct programs its
// compartments run, each loaded once, and each compartment's tree root) and
// checks that every program fits the build's tables and every tree its tree
// stack before the model is loaded.
//
//===----------------------------------------------------------------------===//
#include "cajal/Rtl/RtlCore.h"

#include "RtlVariant.h"

#include "cajal/Chip/DendriticTree.h"
#include "cajal/Chip/StandardPrograms.h"
#include "cajal/Rtl/LearningUnit.h"
#include "cajal/SystemC/CoreLogic.h"

namespace cajal::rtl {

namespace {

std::vector<const detail::RtlVariant *> variants() {
  return {&detail::smallVariant(), &detail::loihi1Variant(),
          &detail::loihi2Variant(), &detail::treesVariant()};
}

const detail::RtlVariant *variantFor(const chip::Profile &profile) {
  for (const detail::RtlVariant *v : variants())
    if (v->check(profile))
      return v;
  return nullptr;
}

/// Highest scratch register a program names, plus one.
uint32_t registersUsed(const chip::Program &program) {
  uint32_t used = 0;
  for (uint64_t word : program.code) {
    const chip::isa::Instruction in = chip::isa::decode(word);
    for (const chip::isa::Operand &o : {in.d, in.a, in.b, in.c})
      if (o.kind == chip::isa::OperandKind::Reg)
        used = std::max(used, uint32_t(o.index) + 1);
  }
  return used;
}

/// Whether `program` fits the build's tables; the error says what exceeds
/// what.
Status programFits(const chip::Program &program, const RtlBuild &b) {
  const auto exceeds = [&](const std::string &what, size_t have, uint32_t holds,
                           const char *per) {
    return makeError("program \"" + program.name + "\" has " +
                     std::to_string(have) + " " + what +
                     "; the RTL neurocore " + "(profile '" + b.profile +
                     "') holds " + std::to_string(holds) + " " + per);
  };
  if (program.code.size() > b.instructions)
    return exceeds("instructions", program.code.size(), b.instructions,
                   "per program");
  if (registersUsed(program) > b.registers)
    return exceeds("registers in use", registersUsed(program), b.registers,
                   "scratch registers");
  if (program.state.size() > b.stateWords)
    return exceeds("state words", program.state.size(), b.stateWords,
                   "per compartment");
  if (program.params.size() > b.paramWords)
    return exceeds("parameter words", program.params.size(), b.paramWords,
                   "per compartment");
  if (program.constants.size() > b.constants)
    return exceeds("constants", program.constants.size(), b.constants,
                   "per program");
  if (program.tables.size() > b.tables)
    return exceeds("lookup tables", program.tables.size(), b.tables,
                   "per program");
  size_t entries = 0;
  for (const chip::LookupTable &t : program.tables)
    entries += t.entries.size();
  if (entries > b.tableEntries)
    return exceeds("lookup table entries", entries, b.tableEntries,
                   "per program");
  return Status::ok();
}

/// A tree's stack of `depth` values on the build's stack; the error, after
/// what stacks up, has both numbers.
Status stackFits(unsigned depth, const RtlBuild &b) {
  if (depth > b.stackDepth)
    return makeError("stack up to " + std::to_string(depth) +
                     " values; the RTL neurocore (profile '" + b.profile +
                     "') holds " + std::to_string(b.stackDepth) +
                     " (isa.stackDepth)");
  return Status::ok();
}

/// The deepest the tree stack gets in one step of the core: its trees'
/// compartments in index order (each tree consecutive, its root last).
unsigned coreStackDepth(const CoreProgramTable &t) {
  unsigned depth = 0, deepest = 0;
  for (size_t c = 0; c < t.programOf.size(); ++c) {
    if (t.treeRoot[c] == chip::ResolvedPrograms::kNotInTree)
      continue;
    const chip::StackEffect e = chip::stackEffect(t.programs[t.programOf[c]]);
    depth = depth >= e.pops ? depth - e.pops : 0;
    depth += e.pushes;
    deepest = std::max(deepest, depth);
  }
  return deepest;
}

Status tableFits(size_t programs, const RtlBuild &b) {
  if (programs > b.programs)
    return makeError("runs " + std::to_string(programs) +
                     " distinct programs; the RTL neurocore (profile '" +
                     b.profile + "') holds " + std::to_string(b.programs) +
                     " per core");
  return Status::ok();
}

} // namespace

CoreProgramTable coreProgramTable(const chip::Core &core,
                                  const chip::Profile &profile,
                                  const chip::ResolvedPrograms *resolved,
                                  uint32_t imageCore) {
  CoreProgramTable t;
  const uint32_t n = uint32_t(core.compartments.size());
  // Image program index -> table index (UINT32_MAX: not loaded yet).
  std::vector<uint32_t> local(resolved ? resolved->programs.size() : 3,
                              UINT32_MAX);
  for (uint32_t c = 0; c < n; ++c) {
    uint32_t p;
    bool lif = true;
    if (resolved) {
      p = resolved->compartmentProgram[imageCore][c];
      lif = resolved->lifFamily[p];
    } else {
      p = uint32_t(chip::lifResetOf(core.compartments[c]));
    }
    if (local[p] == UINT32_MAX) {
      local[p] = uint32_t(t.programs.size());
      t.programs.push_back(
          resolved ? resolved->programs[p]
                   : chip::lifProgram(profile.neuron, chip::LifReset(p)));
    }
    t.programOf.push_back(local[p]);
    t.treeRoot.push_back(resolved && !resolved->treeRoot.empty()
                             ? resolved->treeRoot[imageCore][c]
                             : chip::ResolvedPrograms::kNotInTree);
    t.params.push_back(
        chip::compartmentParamWords(core, c, lif, profile.neuron));
    t.state.push_back(chip::initialStateWords(core, c, t.programs[local[p]]));
  }
  return t;
}

Status checkRtlProfile(const chip::Profile &profile) {
  // The build of the same name, else the one with the fewest differences.
  const detail::RtlVariant *nearest = nullptr;
  for (const detail::RtlVariant *v : variants()) {
    if (v->check(profile))
      return Status::ok();
    if (v->build.profile == profile.name)
      return v->check(profile);
    if (!nearest || v->distance(profile) < nearest->distance(profile))
      nearest = v;
  }
  return nearest->check(profile);
}

namespace {

/// checkRtlLearning for one core, the build aside.
Status checkCoreLearning(const chip::Image &image, uint32_t k) {
  const chip::Core &core = image.cores[k];
  uint32_t rule = chip::InputAxon::kNoLearning, first = 0;
  for (uint32_t a = 0; a < core.inputAxons.size(); ++a) {
    const chip::InputAxon &axon = core.inputAxons[a];
    if (axon.reward)
      return makeError("core " + std::to_string(k) + ": input axon " +
                       std::to_string(a) +
                       " is a reward axon; the RTL neurocore has no reward "
                       "ring (docs/neurocore.md, \"Learning unit\")");
    if (!axon.learns())
      continue;
    if (rule == chip::InputAxon::kNoLearning) {
      rule = axon.learning;
      first = a;
    } else if (axon.learning != rule) {
      return makeError(
          "core " + std::to_string(k) + ": input axons " +
          std::to_string(first) + " and " + std::to_string(a) +
          " learn by rules " + std::to_string(rule) + " and " +
          std::to_string(axon.learning) +
          "; the RTL neurocore's learning phase holds one rule per core");
    }
  }
  return Status::ok();
}

} // namespace

Status checkRtlLearning(const chip::Image &image,
                        const chip::Profile &profile) {
  if (Status s = LearningUnit::checkLearning(image.learning); !s)
    return s;
  const detail::RtlVariant *v = variantFor(profile);
  if (!v)
    return checkRtlProfile(profile);
  if (!v->build.learning)
    return makeError("the RTL neurocore for profile '" + v->build.profile +
                     "' is built without the learning phase");
  for (uint32_t k = 0; k < image.cores.size(); ++k)
    if (Status s = checkCoreLearning(image, k); !s)
      return s;
  return Status::ok();
}

Status RtlCore::checkRtlLearning(const chip::Image &image, uint32_t imageCore) {
  if (Status s = LearningUnit::checkLearning(image.learning); !s)
    return s;
  if (imageCore >= image.cores.size())
    return makeError("RTL neurocore: core " + std::to_string(imageCore) +
                     " out of range");
  return checkCoreLearning(image, imageCore);
}

Status checkRtlPrograms(const chip::Image &image,
                        const chip::ResolvedPrograms &resolved,
                        const chip::Profile &profile) {
  const detail::RtlVariant *v = variantFor(profile);
  if (!v)
    return checkRtlProfile(profile);
  for (const chip::Population &pop : image.populations) {
    if (pop.program == chip::Population::kLifByRecord ||
        pop.program >= image.programs.size())
      continue;
    if (Status s = programFits(image.programs[pop.program], v->build); !s)
      return makeError("population \"" + pop.name + "\" runs " + s.error());
    if (pop.tree.empty())
      continue;
    for (const chip::TreeCompartment &k : pop.tree)
      if (k.program < image.programs.size())
        if (Status s = programFits(image.programs[k.program], v->build); !s)
          return makeError("population \"" + pop.name +
                           "\": tree compartment \"" + k.name + "\" runs " +
                           s.error());
    if (Status s =
            stackFits(chip::treeStackDepth(pop.tree, image.programs), v->build);
        !s)
      return makeError("population \"" + pop.name + "\" has dendritic trees (" +
                       std::to_string(pop.tree.size()) +
                       " compartments per neuron) that " + s.error());
  }
  for (uint32_t k = 0; k < resolved.compartmentProgram.size(); ++k) {
    std::vector<bool> used(resolved.programs.size(), false);
    size_t distinct = 0;
    for (uint32_t p : resolved.compartmentProgram[k]) {
      if (!used[p]) {
        used[p] = true;
        ++distinct;
        // LIF programs named by records only (no population names them).
        if (Status s = programFits(resolved.programs[p], v->build); !s)
          return makeError("core " + std::to_string(k) + " runs " + s.error());
      }
    }
    if (Status s = tableFits(distinct, v->build); !s)
      return makeError("core " + std::to_string(k) + " " + s.error());
  }
  return Status::ok();
}

std::vector<RtlBuild> RtlCore::builds() {
  std::vector<RtlBuild> out;
  for (const detail::RtlVariant *v : variants())
    out.push_back(v->build);
  return out;
}

Result<std::unique_ptr<RtlCore>> RtlCore::create(const chip::Core &core,
                                                 const chip::Profile &profile,
                                                 CoreProgramTable table) {
  const detail::RtlVariant *v = variantFor(profile);
  if (!v)
    return makeError(checkRtlProfile(profile).error());
  if (Status s = tableFits(table.programs.size(), v->build); !s)
    return makeError("RTL neurocore: the core " + s.error());
  for (const chip::Program &p : table.programs)
    if (Status s = programFits(p, v->build); !s)
      return makeError("RTL neurocore: " + s.error());
  if (Status s = stackFits(coreStackDepth(table), v->build); !s)
    return makeError("RTL neurocore: the core's dendritic trees " + s.error());
  auto m = v->create(core, table);
  if (!m)
    return m.takeError();
  std::unique_ptr<RtlCore> c(
      new RtlCore(std::move(*m), std::move(table), core, profile));
  c->buildLearns = v->build.learning;
  return c;
}

Result<std::unique_ptr<RtlCore>> RtlCore::create(const chip::Core &core,
                                                 const chip::Profile &profile) {
  return create(core, profile, coreProgramTable(core, profile, nullptr, 0));
}

Result<std::unique_ptr<RtlCore>>
RtlCore::create(const chip::Core &core, const chip::Profile &profile,
                const chip::ResolvedPrograms &resolved, uint32_t imageCore) {
  return create(core, profile,
                coreProgramTable(core, profile, &resolved, imageCore));
}

RtlCore::RtlCore(std::unique_ptr<detail::RtlModel> m, CoreProgramTable t,
                 const chip::Core &core, const chip::Profile &profile)
    : model(std::move(m)), table(std::move(t)), inputAxons(core.inputAxons),
      format(profile.synapse) {}
RtlCore::~RtlCore() = default;

RtlStep RtlCore::step(const std::vector<uint32_t> &axons) {
  return model->step(axons);
}

std::vector<int32_t> RtlCore::stateWords(uint32_t c) {
  std::vector<int32_t> words = model->stateWords(c);
  words.resize(table.programs[table.programOf[c]].state.size());
  return words;
}

chip::CompartmentState RtlCore::state(uint32_t c) {
  const std::vector<int32_t> w = stateWords(c);
  const chip::Program &p = table.programs[table.programOf[c]];
  chip::CompartmentState s;
  s.u = w.size() > 0 ? w[0] : 0;
  s.v = w.size() > 1 ? w[1] : 0;
  s.refractoryLeft =
      p.refractoryWord >= 0 ? uint8_t(w[size_t(p.refractoryWord)]) : 0;
  return s;
}

uint64_t RtlCore::cycles() const { return model->cycles(); }

Status RtlCore::loadLearning(const chip::Image &image, uint32_t imageCore) {
  if (Status s = checkRtlLearning(image, imageCore); !s)
    return s;
  if (!buildLearns)
    return makeError("RTL neurocore: this build has no learning phase");
  const chip::Core &core = image.cores[imageCore];
  const systemc::CoreLogic::LearningSetup setup =
      systemc::CoreLogic::learningSetupFor(image, imageCore);
  detail::LearningConfig c;
  c.seed = image.learning.seed;
  c.epochSteps = image.learning.epochSteps;
  c.firstAxon = setup.firstAxon;
  c.firstCompartment = setup.firstCompartment;
  c.y = setup.postTraces;
  uint64_t position = 0;
  uint32_t rule = chip::InputAxon::kNoLearning;
  groupOf.assign(core.inputAxons.size(), UINT32_MAX);
  for (uint32_t a = 0; a < core.inputAxons.size(); ++a) {
    const chip::InputAxon &axon = core.inputAxons[a];
    if (axon.learns()) {
      groupOf[a] = uint32_t(c.groups.size());
      rule = axon.learning;
      if (axon.synapseCount != 0)
        c.rules.push_back(uint32_t(c.groups.size()));
      c.groups.push_back({a, axon.firstWord, axon.synapseCount, axon.weightBits,
                          (uint64_t(imageCore) << 32) + position});
    }
    position += axon.synapseCount;
  }
  traceCycles = 1 + (2 * c.groups.size() + 3 * c.y.size()) *
                        uint64_t(LearningUnit::traceCycles());
  ruleCycles = 0;
  if (rule != chip::InputAxon::kNoLearning) {
    const chip::LearningRuleSetting &setting = image.learning.rules[rule];
    c.x[0] = setting.x1;
    c.x[1] = setting.x2;
    c.terms = setting.rule.of(chip::LearningTarget::Weight);
    c.sign = setting.sign;
    for (const detail::LearningConfig::Group &g : c.groups)
      ruleCycles += uint64_t(g.count) * LearningUnit::ruleCycles(setting.rule);
  }
  return model->loadLearning(c);
}

std::array<uint32_t, 2> RtlCore::preTraces(uint32_t axon) {
  if (axon >= groupOf.size() || groupOf[axon] == UINT32_MAX)
    return {0, 0};
  const std::array<uint32_t, 3> t = model->traces(false, groupOf[axon]);
  return {t[0], t[1]};
}

std::array<uint32_t, 3> RtlCore::postTraces(uint32_t c) {
  return model->traces(true, c);
}

uint64_t RtlCore::expectedLearnCycles(bool epochEnd) const {
  return traceCycles + (epochEnd ? ruleCycles : 0);
}

std::vector<chip::Synapse> RtlCore::synapses(uint32_t axon) {
  const chip::InputAxon &a = inputAxons[axon];
  const uint64_t words = chip::wordsForGroup(a, format);
  std::vector<uint64_t> memory(a.firstWord, 0);
  const std::vector<uint64_t> read =
      model->synapseWords(a.firstWord, uint32_t(words));
  memory.insert(memory.end(), read.begin(), read.end());
  std::vector<chip::Synapse> out;
  chip::unpackSynapses(memory, a, format, out);
  return out;
}
Status RtlCore::openTrace(const std::string &vcdPath) {
  return model->openTrace(vcdPath);
}

} // namespace cajal::rtl
