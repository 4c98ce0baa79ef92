//===- Image.cpp - Synapse packing and chip-image validation --------------===//
//
// Packing: a synapse group (one input axon) stores each synapse in
// B = compartmentIndexBits + 1 + weightBits (+ delayBits if the group has
// delays) bits, LSB first: compartment index, sign, mantissa magnitude,
// delay. floor(wordBits / B) synapses fit a word and a synapse never
// straddles two words; unused high bits of a word are zero.
//
// Validation has two layers. validateStructure() needs no profile: every
// table index (output/source targets, population slices, synapse words) must
// point inside its table and every prefix-offset array must be well formed;
// the writers run it so that no image with dangling indices is ever written.
// validate() adds the profile: core counts and mesh coordinates, per-core
// resources, compartment parameter ranges, the synapse format of each group
// and every unpacked synapse's compartment and delay, every program
// (validateProgram, named by the populations that run it) and every
// compartment's parameter words against the program it runs.
//
//===----------------------------------------------------------------------===//

#include "cajal/Chip/Image.h"
#include "ImageInternal.h"
#include "cajal/Chip/CompartmentCheck.h"
#include "cajal/Chip/CompartmentPrograms.h"
#include "cajal/Chip/CoreTables.h"
#include "cajal/Chip/HugePages.h"
#include "cajal/Chip/Source.h"
#include "cajal/Chip/StandardPrograms.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string>
#include <tuple>

namespace cajal::chip {

//===----------------------------------------------------------------------===//
// Packing
//===----------------------------------------------------------------------===//

unsigned tagFieldBits(const InputAxon &axon, const SynapseFormat &f) {
  return SynapseFields(axon, f).tagBits;
}

unsigned synapseBits(const InputAxon &axon, const SynapseFormat &f) {
  return SynapseFields(axon, f).bits;
}

unsigned synapsesPerWord(const InputAxon &axon, const SynapseFormat &f) {
  return SynapseFields(axon, f).perWord;
}

uint64_t wordsForGroup(const InputAxon &axon, const SynapseFormat &f) {
  return SynapseFields(axon, f).wordsFor(axon.synapseCount);
}

void packSynapses(const std::vector<Synapse> &synapses, InputAxon &axon,
                  std::vector<uint64_t> &words, const SynapseFormat &f) {
  axon.firstWord = uint32_t(words.size());
  axon.synapseCount = uint32_t(synapses.size());
  const SynapseFields fields(axon, f);
  if (fields.perWord == 0)
    return; // an invalid group; validate() reports it
  for (size_t i = 0; i < synapses.size(); ++i) {
    if (i % fields.perWord == 0)
      words.push_back(0);
    const Synapse &s = synapses[i];
    const uint64_t magnitude =
        s.mantissa < 0 ? uint64_t(-int64_t(s.mantissa)) : uint64_t(s.mantissa);
    uint64_t field = uint64_t(s.compartment) & fields.indexMask;
    field |= uint64_t(s.mantissa < 0) << fields.signAt;
    field |= (magnitude & fields.weightMask) << fields.weightAt;
    if (axon.hasDelay)
      field |= (uint64_t(s.delay) & fields.delayMask) << fields.delayAt;
    field |= (uint64_t(uint32_t(s.tag)) & fields.tagMask) << fields.tagAt;
    words.back() |= field << ((i % fields.perWord) * fields.bits);
  }
}

Synapse unpackSynapse(const std::vector<uint64_t> &words, const InputAxon &axon,
                      uint32_t i, const SynapseFormat &f) {
  const SynapseFields fields(axon, f);
  if (fields.perWord == 0)
    return Synapse();
  const size_t word = size_t(axon.firstWord) + i / fields.perWord;
  if (word >= words.size())
    return Synapse();
  return fields.decode((words[word] >> ((i % fields.perWord) * fields.bits)) &
                       fields.fieldMask);
}

void unpackSynapses(const std::vector<uint64_t> &words, const InputAxon &axon,
                    const SynapseFormat &f, std::vector<Synapse> &out) {
  out.assign(axon.synapseCount, Synapse()); // zero past the end of `words`
  forEachSynapse(words, axon, SynapseFields(axon, f),
                 [&](uint32_t i, const Synapse &s) {
                   out[i] = s;
                   return true;
                 });
}

//===----------------------------------------------------------------------===//
// Validation
//===----------------------------------------------------------------------===//

namespace {

std::string str(uint64_t v) { return std::to_string(v); }

/// The most synapses any format packs into a word (64 bits of one bit each).
constexpr uint64_t kMaxSynapsesPerWord = 64;

/// A prefix-offset array `begin` of n + 1 entries into a table of `total`.
Status checkOffsets(const std::vector<uint32_t> &begin, size_t n, size_t total,
                    const std::string &what) {
  if (begin.size() != n + 1)
    return makeError(what + " has " + str(begin.size()) +
                     " entries, expected " + str(n + 1));
  if (begin[0] != 0)
    return makeError(what + "[0] is " + str(begin[0]) + ", expected 0");
  for (size_t i = 0; i < n; ++i)
    if (begin[i + 1] < begin[i])
      return makeError(what + " decreases at " + str(i + 1) + " (" +
                       str(begin[i]) + " then " + str(begin[i + 1]) + ")");
  if (begin[n] != total)
    return makeError(what + " ends at " + str(begin[n]) +
                     " but the table has " + str(total) + " entries");
  return Status::ok();
}

} // namespace

CoreShape coreShape(const Core &core) {
  CoreShape shape;
  shape.compartments = core.compartments.size();
  shape.inputAxons = core.inputAxons.size();
  for (size_t a = 0; a < core.inputAxons.size(); ++a) {
    const InputAxon &ax = core.inputAxons[a];
    if (ax.learns() && (shape.learningAxon == CoreShape::kNone ||
                        ax.learning > shape.highestRule)) {
      shape.learningAxon = a;
      shape.highestRule = ax.learning;
    }
    if (ax.reward && shape.rewardAxon == CoreShape::kNone)
      shape.rewardAxon = a;
  }
  return shape;
}

std::vector<CoreShape> coreShapes(const Image &image) {
  std::vector<CoreShape> shapes;
  shapes.reserve(image.cores.size());
  for (const Core &c : image.cores)
    shapes.push_back(coreShape(c));
  return shapes;
}

Status checkLearningStructure(const std::vector<CoreShape> &cores,
                              const ImageLearning &l) {
  if (!l.enabled() && !l.rules.empty())
    return makeError("learning: " + str(l.rules.size()) +
                     " rules but epochSteps 0 (the image does not learn)");
  for (size_t c = 0; c < cores.size(); ++c) {
    const CoreShape &shape = cores[c];
    if (shape.learningAxon != CoreShape::kNone &&
        shape.highestRule >= l.rules.size())
      return makeError(
          "core " + str(c) + ": input axon " + str(shape.learningAxon) +
          ": learning rule " + str(shape.highestRule) +
          " out of range (the image has " + str(l.rules.size()) + " rules)");
    if (shape.rewardAxon != CoreShape::kNone && !l.enabled())
      return makeError("core " + str(c) + ": input axon " +
                       str(shape.rewardAxon) +
                       ": a reward axon in an image that does not learn "
                       "(learning.epochSteps 0)");
  }
  return Status::ok();
}

Status checkTarget(const std::vector<CoreShape> &cores, const AxonTarget &t,
                   const std::string &where) {
  if (t.core >= cores.size())
    return makeError(where + ": target core " + str(t.core) +
                     " out of range (image has " + str(cores.size()) +
                     " cores)");
  const size_t axons = cores[t.core].inputAxons;
  if (t.inputAxon >= axons)
    return makeError(where + ": input axon " + str(t.inputAxon) + " of core " +
                     str(t.core) + " out of range (core has " + str(axons) +
                     " input axons)");
  return Status::ok();
}

Status checkSourceStructure(const std::vector<CoreShape> &cores,
                            const Source &s, size_t si) {
  const std::string where = "source " + str(si) + " \"" + s.name + "\"";
  if (uint8_t(s.kind) > uint8_t(SourceKind::PoissonGroup))
    return makeError(where + ": unknown kind " + str(uint8_t(s.kind)));
  if (Status st = checkOffsets(s.targetBegin, s.size, s.targets.size(),
                               where + ": targetBegin");
      !st)
    return st;
  for (size_t i = 0; i < s.targets.size(); ++i)
    if (!targetOk(cores, s.targets[i]))
      return checkTarget(cores, s.targets[i], where + ": target " + str(i));
  for (size_t i = 0; i < s.spikes.size(); ++i) {
    const SourceSpike &sp = s.spikes[i];
    if (sp.index >= s.size)
      return makeError(where + ": spike " + str(i) + ": index " +
                       str(sp.index) + " out of range (size " + str(s.size) +
                       ")");
    if (i > 0 && std::tie(s.spikes[i - 1].step, s.spikes[i - 1].index) >=
                     std::tie(sp.step, sp.index))
      return makeError(where + ": spike " + str(i) + " (step " + str(sp.step) +
                       ", index " + str(sp.index) +
                       ") is not after the previous one: spikes must be "
                       "sorted by (step, index) without duplicates");
  }
  if (s.kind == SourceKind::Periodic && s.period == 0)
    return makeError(where +
                     ": period 0 (a periodic source needs period >= 1)");
  if (s.kind == SourceKind::PoissonGroup &&
      s.probability < kPoissonGroupMinThreshold)
    return makeError(where + ": Poisson group threshold " + str(s.probability) +
                     " means more than " + str(uint32_t(kPoissonGroupMaxMean)) +
                     " spikes per step on average (threshold >= " +
                     str(kPoissonGroupMinThreshold) + ")");
  return Status::ok();
}

Status checkPopulationStructure(const std::vector<CoreShape> &cores,
                                const Population &p, size_t programCount) {
  const std::string where = "population \"" + p.name + "\"";
  if (p.program != Population::kLifByRecord && p.program >= programCount)
    return makeError(where + ": program index " + str(p.program) +
                         " out of range (image has " + str(programCount) +
                         " programs)",
                     {ErrorSubject::Kind::Population, p.name, "program"});
  uint64_t next = 0;
  for (size_t i = 0; i < p.slices.size(); ++i) {
    const Slice &sl = p.slices[i];
    const std::string at = where + ": slice " + str(i);
    if (sl.firstNeuron != next)
      return makeError(at + ": firstNeuron " + str(sl.firstNeuron) +
                       ", expected " + str(next) +
                       " (slices must cover the population in order)");
    if (sl.core >= cores.size())
      return makeError(at + ": core " + str(sl.core) +
                       " out of range (image has " + str(cores.size()) +
                       " cores)");
    const size_t comps = cores[sl.core].compartments;
    const uint64_t end = uint64_t(sl.firstCompartment) +
                         uint64_t(sl.count) * compartmentsPerNeuron(p);
    if (end > comps)
      return makeError(at + ": compartments [" + str(sl.firstCompartment) +
                       ", " + str(end) + ") out of range (core " +
                       str(sl.core) + " has " + str(comps) + " compartments)");
    next += sl.count;
  }
  if (next != p.size)
    return makeError(where + ": slices cover " + str(next) +
                     " neurons, population size is " + str(p.size));
  return Status::ok();
}

namespace {
/// Spike files name populations, sources and aliases in one namespace: every
/// name must be non-empty and unique.
Status checkNodeNames(const Image &image) {
  std::map<std::string, std::string> seen; // name -> what carries it
  auto add = [&seen](const std::string &name,
                     const std::string &what) -> Status {
    if (name.empty())
      return makeError(what + " has an empty name");
    auto [it, fresh] = seen.emplace(name, what);
    if (!fresh)
      return makeError(what + " is named \"" + name + "\" like " + it->second +
                       " (node names must be unique)");
    return Status::ok();
  };
  for (size_t i = 0; i < image.populations.size(); ++i)
    if (Status s = add(image.populations[i].name, "population " + str(i)); !s)
      return s;
  for (size_t i = 0; i < image.sources.size(); ++i)
    if (Status s = add(image.sources[i].name, "source " + str(i)); !s)
      return s;
  for (const Population &p : image.populations)
    for (const std::string &alias : p.aliases)
      if (Status s = add(alias, "alias of population \"" + p.name + "\""); !s)
        return s;
  return Status::ok();
}
} // namespace

Status validateCoreStructure(const Core &core, size_t index) {
  const std::string where = "core " + str(index);
  for (size_t a = 0; a < core.inputAxons.size(); ++a)
    if (core.inputAxons[a].reward && core.inputAxons[a].learns())
      return makeError(where + ": input axon " + str(a) +
                       ": a reward axon cannot learn");
  if (Status s = checkOffsets(core.outputBegin, core.compartments.size(),
                              core.outputAxons.size(), where + ": outputBegin");
      !s)
    return s;
  // Parameter words: none at all, or a prefix-offset array over them.
  if (core.paramBegin.empty()) {
    if (!core.paramWords.empty())
      return makeError(where + ": " + str(core.paramWords.size()) +
                       " parameter words but no paramBegin table");
  } else if (Status s =
                 checkOffsets(core.paramBegin, core.compartments.size(),
                              core.paramWords.size(), where + ": paramBegin");
             !s) {
    return s;
  }
  if (core.initialBegin.empty()) {
    if (!core.initialWords.empty())
      return makeError(where + ": " + str(core.initialWords.size()) +
                       " initial state words but no initialBegin table");
  } else if (Status s = checkOffsets(
                 core.initialBegin, core.compartments.size(),
                 core.initialWords.size(), where + ": initialBegin");
             !s) {
    return s;
  }
  for (size_t a = 0; a < core.inputAxons.size(); ++a) {
    const InputAxon &ax = core.inputAxons[a];
    if (ax.synapseCount == 0)
      continue;
    if (ax.firstWord >= core.synapseWords.size())
      return makeError(where + ": input axon " + str(a) + ": firstWord " +
                       str(ax.firstWord) + " out of range (core has " +
                       str(core.synapseWords.size()) + " synapse words)");
    // Without the profile's format, a synapse takes at least one bit of a
    // 64-bit word: a count beyond that cannot be stored in the words there,
    // and is refused before anything is unpacked for it.
    const uint64_t wordsLeft = core.synapseWords.size() - ax.firstWord;
    if (ax.synapseCount > wordsLeft * kMaxSynapsesPerWord)
      return makeError(where + ": input axon " + str(a) + ": synapseCount " +
                       str(ax.synapseCount) + " cannot fit the " +
                       str(wordsLeft) + " synapse words from firstWord " +
                       str(ax.firstWord));
  }
  return Status::ok();
}

Status validateReferences(const Image &image,
                          const std::vector<CoreShape> &shapes) {
  for (size_t c = 0; c < image.cores.size(); ++c) {
    const Core &core = image.cores[c];
    for (size_t o = 0; o < core.outputAxons.size(); ++o)
      if (!targetOk(shapes, core.outputAxons[o]))
        return checkTarget(shapes, core.outputAxons[o],
                           "core " + str(c) + ": output axon " + str(o));
  }
  for (size_t i = 0; i < image.sources.size(); ++i)
    if (Status s = checkSourceStructure(shapes, image.sources[i], i); !s)
      return s;
  for (size_t i = 0; i < image.populations.size(); ++i)
    if (Status s = checkPopulationStructure(shapes, image.populations[i],
                                            image.programs.size());
        !s)
      return s;
  if (Status s = checkLearningStructure(shapes, image.learning); !s)
    return s;
  return checkNodeNames(image);
}

Status validateStructure(const Image &image) {
  for (size_t c = 0; c < image.cores.size(); ++c)
    if (Status s = validateCoreStructure(image.cores[c], c); !s)
      return s;
  return validateReferences(image, coreShapes(image));
}

namespace {

Status checkLimit(const std::string &where, const char *what, size_t used,
                  unsigned limit) {
  if (used > limit)
    return makeError(where + ": " + str(used) + " " + what +
                     " exceed the core's " + str(limit));
  return Status::ok();
}

Status checkAxon(const Core &core, size_t a, const Profile &profile,
                 const std::string &where, SynapseFieldTable &shapes) {
  const SynapseFormat &f = profile.synapse;
  const InputAxon &ax = core.inputAxons[a];
  // The error context is built only on the failure path: this runs for
  // every axon of the image.
  const auto at = [&] { return where + ": input axon " + str(a); };
  if (ax.weightBits < 1 || ax.weightBits > f.weightBitsMax)
    return makeError(at() + ": weightBits " + str(ax.weightBits) +
                     " out of range [1, " + str(f.weightBitsMax) + "]");
  if (ax.weightExponent < f.weightExponentMin ||
      ax.weightExponent > f.weightExponentMax)
    return makeError(at() + ": weightExponent " +
                     std::to_string(int(ax.weightExponent)) +
                     " out of range [" + std::to_string(f.weightExponentMin) +
                     ", " + std::to_string(f.weightExponentMax) + "]");
  if (ax.hasDelay && f.delayBits == 0)
    return makeError(at() + ": hasDelay but the profile has no delay bits");
  if (ax.learns() && (ax.weightBits != f.weightBitsMax || !ax.hasDelay))
    return makeError(
        at() + ": a learning group has weightBits " + str(f.weightBitsMax) +
        " (synapse.weightBitsMax) and delays; it has weightBits " +
        str(ax.weightBits) + (ax.hasDelay ? "" : " and no delays"));
  const SynapseFields &fields = shapes[ax];
  if (!fields.fitsIn(ax.firstWord, ax.synapseCount, core.synapseWords.size()))
    return makeError(
        at() + ": synapse words [" + str(ax.firstWord) + ", " +
        str(uint64_t(ax.firstWord) + fields.wordsFor(ax.synapseCount)) +
        ") out of range (core has " + str(core.synapseWords.size()) +
        " synapse words)");
  // The first bad synapse, reported after the loop: a Status per group
  // is a cost at one synapse per group.
  bool bad = false;
  uint32_t badIndex = 0;
  Synapse badSynapse;
  forEachSynapse(core.synapseWords, ax, fields,
                 [&](uint32_t i, const Synapse &s) {
                   if (s.compartment < core.compartments.size() &&
                       s.delay >= 1 && s.delay <= f.maxDelay)
                     return true;
                   bad = true;
                   badIndex = i;
                   badSynapse = s;
                   return false;
                 });
  if (!bad)
    return Status::ok();
  if (badSynapse.compartment >= core.compartments.size())
    return makeError(at() + ": synapse " + str(badIndex) + ": compartment " +
                     str(badSynapse.compartment) + " out of range (core has " +
                     str(core.compartments.size()) + " compartments)");
  return makeError(at() + ": synapse " + str(badIndex) + ": delay " +
                   str(badSynapse.delay) + " out of range [1, " +
                   str(f.maxDelay) + "]");
}

} // namespace

Status checkCore(const Core &core, size_t c, const Profile &profile) {
  const std::string where = "core " + str(c);
  if (Status s = checkCorePosition(core.x, core.y, core.tileSlot, profile); !s)
    return makeError(where + ": " + s.error());
  const CoreLimits &l = profile.core;
  if (Status s = checkLimit(where, "compartments", core.compartments.size(),
                            l.compartments);
      !s)
    return s;
  if (Status s = checkLimit(where, "input axons", core.inputAxons.size(),
                            l.inputAxons);
      !s)
    return s;
  if (Status s = checkLimit(where, "output axons", core.outputAxons.size(),
                            l.outputAxons);
      !s)
    return s;
  if (Status s = checkLimit(where, "synapse words", core.synapseWords.size(),
                            l.synapseWords);
      !s)
    return s;
  for (size_t i = 0; i < core.compartments.size(); ++i)
    if (Status s = validateParams(core.compartments[i], profile); !s)
      return makeError(where + ": compartment " + str(i) + ": " + s.error());
  SynapseFieldTable shapes(profile.synapse);
  for (size_t a = 0; a < core.inputAxons.size(); ++a)
    if (Status s = checkAxon(core, a, profile, where, shapes); !s)
      return s;
  return Status::ok();
}

namespace {

/// The populations that run program `index`, as a message prefix
/// ("population \"a\": ", "populations \"a\", \"b\": "); empty when none.
std::string programUsers(const Image &image, size_t index) {
  std::string names;
  size_t count = 0;
  for (const Population &p : image.populations)
    if (p.program == index)
      names += (count++ ? ", \"" : "\"") + p.name + "\"";
  if (count == 0)
    return "";
  return (count == 1 ? "population " : "populations ") + names + ": ";
}

ErrorSubject populationSubject(const Population &p, const char *field) {
  return {ErrorSubject::Kind::Population, p.name, field};
}

/// Program `index` is some point-neuron population's (or no population's).
bool runsAsPointNeuron(const Image &image, size_t index) {
  bool inTree = false;
  for (const Population &p : image.populations) {
    if (p.tree.empty() && p.program == index)
      return true;
    for (const TreeCompartment &t : p.tree)
      inTree = inTree || t.program == index;
  }
  return !inTree;
}

/// Every program against the profile, every tree (validateTree), then
/// every compartment's parameter words against the program it runs
/// (docs/chip-image.md, "Validation").
Status checkPrograms(const Image &image, const Profile &profile) {
  for (size_t i = 0; i < image.programs.size(); ++i) {
    const Program &program = image.programs[i];
    Status s = validateProgram(program, profile);
    if (s && runsAsPointNeuron(image, i))
      s = validatePointNeuron(program);
    if (!s) {
      ErrorSubject subject;
      for (const Population &p : image.populations)
        if (p.program == i) {
          subject = populationSubject(p, "program");
          break;
        }
      return makeError(programUsers(image, i) + "program \"" + program.name +
                           "\": " + s.error(),
                       subject);
    }
  }
  // lifVariant[r]: the LIF program a record with reset r names;
  // isVariant[i][r]: image program i is that program.
  const NeuronFormat &f = profile.neuron;
  const Program lifVariant[3] = {lifProgram(f, LifReset::Zero),
                                 lifProgram(f, LifReset::Subtract),
                                 lifProgram(f, LifReset::NoSpike)};
  std::vector<std::array<bool, 3>> isVariant(image.programs.size());
  std::vector<bool> lifFamily(image.programs.size());
  for (size_t i = 0; i < image.programs.size(); ++i) {
    for (size_t r = 0; r < 3; ++r) {
      isVariant[i][r] = image.programs[i] == lifVariant[r];
      lifFamily[i] = lifFamily[i] || isVariant[i][r];
    }
  }
  for (const Population &pop : image.populations)
    if (Status s = checkTreePopulation(pop, image.programs, profile); !s)
      return s;
  // The population each compartment belongs to (the first that names it)
  // and the program it runs there (its tree compartment's, for a tree).
  constexpr uint32_t kNone = UINT32_MAX;
  std::vector<std::vector<uint32_t>> owner(image.cores.size());
  std::vector<std::vector<uint32_t>> ownerProgram(image.cores.size());
  for (size_t k = 0; k < image.cores.size(); ++k) {
    owner[k].assign(image.cores[k].compartments.size(), kNone);
    ownerProgram[k].assign(image.cores[k].compartments.size(), kNone);
  }
  for (size_t n = 0; n < image.populations.size(); ++n) {
    const Population &pop = image.populations[n];
    const uint32_t perNeuron = compartmentsPerNeuron(pop);
    for (const Slice &sl : pop.slices)
      for (uint64_t i = 0; i < uint64_t(sl.count) * perNeuron; ++i) {
        const size_t c = size_t(sl.firstCompartment + i);
        if (owner[sl.core][c] != kNone)
          continue;
        owner[sl.core][c] = uint32_t(n);
        const uint32_t k = uint32_t(i % perNeuron);
        ownerProgram[sl.core][c] =
            pop.tree.empty() ? pop.program : pop.tree[k].program;
        const bool root = k + 1 == perNeuron;
        const Core &core = image.cores[sl.core];
        if (!root && core.outputBegin[c + 1] != core.outputBegin[c])
          return makeError("population \"" + pop.name + "\": core " +
                               str(sl.core) + " compartment " + str(c) +
                               " (tree compartment \"" + pop.tree[k].name +
                               "\") has output axons; only a tree's root "
                               "sends spikes",
                           populationSubject(pop, "tree"));
      }
  }
  for (size_t k = 0; k < image.cores.size(); ++k) {
    const Core &core = image.cores[k];
    for (size_t c = 0; c < core.compartments.size(); ++c) {
      const size_t words = core.paramBegin.empty()
                               ? 0
                               : core.paramBegin[c + 1] - core.paramBegin[c];
      // The error context is built only on the failure path: this runs
      // for every compartment of the image.
      const auto at = [&] {
        return "core " + str(k) + " compartment " + str(c) + ": ";
      };
      if (owner[k][c] == kNone) {
        if (words != 0)
          return makeError(at() + str(words) +
                           " parameter words, but the compartment is in no "
                           "population: it runs the LIF program its record "
                           "names, whose words come from the record "
                           "(expected none)");
        continue;
      }
      const Population &pop = image.populations[owner[k][c]];
      const uint32_t programIndex = ownerProgram[k][c];
      const auto where = [&] {
        return "population \"" + pop.name + "\": " + at();
      };
      if (programIndex == Population::kLifByRecord) {
        if (words != 0)
          return makeError(where() + str(words) +
                               " parameter words, but the population runs "
                               "the LIF program its records name, whose "
                               "words come from the record (expected none)",
                           populationSubject(pop, "paramWords"));
        continue;
      }
      const Program &program = image.programs[programIndex];
      if (lifFamily[programIndex]) {
        const CompartmentParams &record = core.compartments[c];
        const LifReset reset = lifResetOf(record);
        if (!isVariant[programIndex][size_t(reset)])
          return makeError(
              where() + "record flags " + str(record.flags) +
                  " name LIF program \"" + lifVariant[size_t(reset)].name +
                  "\", but the population runs \"" + program.name + "\"",
              populationSubject(pop, "flags"));
        if (words != 0)
          return makeError(where() + str(words) +
                               " parameter words, but LIF-family program \"" +
                               program.name +
                               "\" takes its words from the compartment "
                               "record (expected none)",
                           populationSubject(pop, "paramWords"));
        continue;
      }
      if (words != program.params.size())
        return makeError(where() + str(words) + " parameter words, program \"" +
                             program.name + "\" declares " +
                             str(program.params.size()),
                         populationSubject(pop, "paramWords"));
      for (size_t w = 0; w < words; ++w) {
        const int64_t value = core.paramWords[core.paramBegin[c] + w];
        const ParamWord &decl = program.params[w];
        const int64_t lo = wordMin(decl.bits, decl.isSigned);
        const int64_t hi = wordMax(decl.bits, decl.isSigned);
        if (value < lo || value > hi)
          return makeError(where() + "parameter word p" + str(w) + " (" +
                               decl.name + ") = " + std::to_string(value) +
                               " is outside its " + str(decl.bits) + "-bit " +
                               (decl.isSigned ? "signed" : "unsigned") +
                               " range [" + std::to_string(lo) + ", " +
                               std::to_string(hi) + "]",
                           populationSubject(pop, "paramWords"));
      }
    }
  }
  return Status::ok();
}

} // namespace

Status checkCorePosition(uint32_t x, uint32_t y, uint32_t slot,
                         const Profile &profile) {
  const MeshShape &m = profile.mesh;
  const uint64_t width = uint64_t(m.tilesX) * m.chipsX;
  const uint64_t height = uint64_t(m.tilesY) * m.chipsY;
  if (x >= width || y >= height || slot >= m.coresPerTile)
    return makeError("position (x " + str(x) + ", y " + str(y) + ", slot " +
                     str(slot) + ") out of range (mesh " + str(width) + " x " +
                     str(height) + " tiles, " + str(m.coresPerTile) +
                     " cores per tile)");
  return Status::ok();
}

Status checkProfileMatch(const Image &image, const Profile &profile) {
  return checkProfileMatch(ImageHeader{image.profileName,
                                       image.profileFingerprint,
                                       uint32_t(image.cores.size())},
                           profile);
}

Status checkProfileMatch(const ImageHeader &image, const Profile &profile) {
  const uint64_t fp = profile.fingerprint();
  if (image.profileName == profile.name && image.profileFingerprint == fp)
    return Status::ok();
  return makeError("profile mismatch: image was built for profile \"" +
                   image.profileName + "\" (fingerprint " +
                   fingerprintHex(image.profileFingerprint) +
                   "), but the profile given is \"" + profile.name +
                   "\" (fingerprint " + fingerprintHex(fp) + ")");
}

std::string fingerprintHex(uint64_t fp) {
  static const char digits[] = "0123456789abcdef";
  std::string s = "0x";
  for (int i = 15; i >= 0; --i)
    s.push_back(digits[(fp >> (4 * i)) & 0xf]);
  return s;
}

namespace {

/// The rules, the epoch and every trace against the profile's learning
/// format.
Status checkLearning(const Image &image, const Profile &profile) {
  const ImageLearning &l = image.learning;
  if (!l.enabled())
    return Status::ok();
  if (l.epochSteps > profile.learning.maxEpochSteps)
    return makeError(
        "learning: epochSteps " + str(l.epochSteps) + " out of range [1, " +
        str(profile.learning.maxEpochSteps) + "] (learning.maxEpochSteps)");
  for (size_t r = 0; r < l.rules.size(); ++r) {
    const LearningRuleSetting &rule = l.rules[r];
    const std::string where = "learning rule " + str(r);
    if (Status s = checkLearningRule(profile, rule.rule); !s)
      return makeError(where + ": " + s.error());
    if (Status s = checkTraceParams(profile, rule.x1); !s)
      return makeError(where + ": x1: " + s.error());
    if (Status s = checkTraceParams(profile, rule.x2); !s)
      return makeError(where + ": x2: " + s.error());
  }
  for (const Population &p : image.populations)
    for (unsigned k = 0; k < p.postTraces.size(); ++k)
      if (Status s = checkTraceParams(profile, p.postTraces[k]); !s)
        return makeError("population \"" + p.name + "\": y" + str(k + 1) +
                         ": " + s.error());
  return Status::ok();
}

} // namespace

Status validate(const Image &image, const Profile &profile) {
  if (Status s = checkProfileMatch(image, profile); !s)
    return s;
  if (Status s = checkCoreCount(image.cores.size(), profile); !s)
    return s;
  if (Status s = validateStructure(image); !s)
    return s;
  // Every synapse is unpacked and checked: the cores go in parallel.
  if (Status s = parallelForCores(
          image.cores.size(), loadThreads(),
          [&](size_t c) { return checkCore(image.cores[c], c, profile); });
      !s)
    return s;
  return validateAcrossCores(image, profile);
}

Status checkCoreCount(size_t cores, const Profile &profile) {
  if (cores > profile.mesh.totalCores())
    return makeError(str(cores) + " cores exceed the " +
                     str(profile.mesh.totalCores()) + " cores of profile \"" +
                     profile.name + "\"");
  return Status::ok();
}

Status validateAcrossCores(const Image &image, const Profile &profile) {
  std::set<std::tuple<uint32_t, uint32_t, uint32_t>> used;
  for (size_t c = 0; c < image.cores.size(); ++c) {
    const Core &core = image.cores[c];
    if (!used.insert({core.x, core.y, core.tileSlot}).second)
      return makeError("core " + str(c) + ": position (x " + str(core.x) +
                       ", y " + str(core.y) + ", slot " + str(core.tileSlot) +
                       ") is used by another core");
  }
  if (Status s = checkPrograms(image, profile); !s)
    return s;
  if (Status s = checkLearning(image, profile); !s)
    return s;
  if (std::any_of(image.cores.begin(), image.cores.end(),
                  [](const Core &c) { return !c.initialBegin.empty(); })) {
    Result<ResolvedPrograms> resolved = resolvePrograms(image, profile);
    if (!resolved)
      return resolved.takeError();
    return checkInitialState(image, *resolved);
  }
  return Status::ok();
}

} // namespace cajal::chip

namespace cajal::chip {

std::vector<uint32_t> ImageTables::takeSynapseCounts() {
  size_t axons = 0;
  for (const Core &core : image.cores)
    axons += core.inputAxons.size();
  std::vector<uint32_t> counts;
  reserveHuge(counts, axons);
  for (const Core &core : image.cores)
    for (const InputAxon &axon : core.inputAxons)
      counts.push_back(axon.synapseCount);
  return counts;
}

std::vector<uint32_t>
ImageTables::takeOutputTargets(const std::vector<uint32_t> &axonBegin) {
  size_t outputs = 0;
  for (const Core &core : image.cores)
    outputs += core.outputAxons.size();
  // Exactly: grown by doubling, 10^8 targets would take twice the room for
  // a moment (and keep up to twice).
  std::vector<uint32_t> targets;
  reserveHuge(targets, outputs);
  for (size_t c = 0; c < image.cores.size(); ++c) {
    for (const AxonTarget &t : image.cores[c].outputAxons)
      targets.push_back(axonBegin[t.core] + t.inputAxon);
    if (releasable)
      std::vector<AxonTarget>().swap(releasable->cores[c].outputAxons);
  }
  if (releasable)
    returnFreedPages();
  return targets;
}

Status ImageTables::forEachCore(unsigned threads, bool last,
                                const Visit &visit) {
  if (Status s = parallelForCores(
          image.cores.size(), threads,
          [&](size_t c) -> Status {
            const Core &core = image.cores[c];
            if (Status v =
                    visit(uint32_t(c), core.inputAxons, core.synapseWords);
                !v)
              return v;
            if (last && releasable) {
              std::vector<InputAxon>().swap(releasable->cores[c].inputAxons);
              std::vector<uint64_t>().swap(releasable->cores[c].synapseWords);
            }
            return Status::ok();
          });
      !s)
    return s;
  // Freed core by core, the tables are pieces malloc keeps for reuse; the
  // loader's own arrays are larger than any piece: return the pages now.
  if (last && releasable)
    returnFreedPages();
  return Status::ok();
}

} // namespace cajal::chip
