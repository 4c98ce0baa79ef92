//===- ImageJson.cpp - Chip image as JSON and as a human summary ----------===//
//
// The JSON is streamed (never built in memory) by a small writer that keeps
// a stack of open containers: containers opened "inline" are written on one
// line, the others put each element on its own indented line. Keys always
// come in the same order, numbers are integers (seeds and fingerprints
// included: 64-bit values, exact in Python's json), so the output is a
// stable text form of the image for diffs and for the numpy reference.
//
//===----------------------------------------------------------------------===//

#include "cajal/Chip/ImageJson.h"
#include "cajal/Chip/Source.h"

#include <cstdio>
#include <iomanip>
#include <string>
#include <vector>

namespace cajal::chip {
namespace {

/// Streaming JSON with one element per line outside inline containers.
class JsonOut {
public:
  explicit JsonOut(std::ostream &out) : os(out) {}

  void beginObject(bool inlined = false) { open('{', inlined); }
  void endObject() { close('}'); }
  void beginArray(bool inlined = false) { open('[', inlined); }
  void endArray() { close(']'); }

  /// Write the key of the next member of the current object.
  JsonOut &key(const char *k) {
    separate();
    quote(k);
    os << ": ";
    pendingValue = true;
    return *this;
  }
  template <typename T> JsonOut &num(T v) {
    element();
    os << +v;
    return *this;
  }
  JsonOut &boolean(bool v) {
    element();
    os << (v ? "true" : "false");
    return *this;
  }
  JsonOut &text(const std::string &s) {
    element();
    quote(s);
    return *this;
  }
  template <typename T> void field(const char *k, T v) { key(k).num(v); }
  void flag(const char *k, bool v) { key(k).boolean(v); }
  void string(const char *k, const std::string &v) { key(k).text(v); }
  /// Called by begin*/values: a separator unless a key precedes.
  void element() {
    if (pendingValue)
      pendingValue = false;
    else
      separate();
  }

private:
  struct Level {
    bool first = true;
    bool inlined = false;
  };
  void open(char c, bool inlined) {
    element();
    os << c;
    const bool parentInline = !stack.empty() && stack.back().inlined;
    stack.push_back({true, inlined || parentInline});
  }
  void close(char c) {
    const Level l = stack.back();
    stack.pop_back();
    if (!l.inlined && !l.first)
      newline();
    os << c;
    if (stack.empty())
      os << '\n';
  }
  void separate() {
    if (stack.empty())
      return;
    Level &l = stack.back();
    if (!l.first)
      os << (l.inlined ? ", " : ",");
    if (!l.inlined)
      newline();
    l.first = false;
  }
  void newline() { os << '\n' << std::string(2 * stack.size(), ' '); }
  void quote(const std::string &s) {
    os << '"';
    for (unsigned char c : s) {
      if (c == '"' || c == '\\')
        os << '\\' << c;
      else if (c < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        os << buf;
      } else
        os << c;
    }
    os << '"';
  }

  std::ostream &os;
  std::vector<Level> stack;
  bool pendingValue = false;
};

const char *kindName(SourceKind k) {
  switch (k) {
  case SourceKind::External:
    return "external";
  case SourceKind::File:
    return "file";
  case SourceKind::Poisson:
    return "poisson";
  case SourceKind::Periodic:
    return "periodic";
  case SourceKind::PoissonGroup:
    return "poisson_group";
  }
  return "unknown";
}

void writeFormats(JsonOut &j, const Profile &p) {
  const NeuronFormat &n = p.neuron;
  j.key("neuronFormat").beginObject();
  j.field("decayBits", n.decayBits);
  j.field("currentBits", n.currentBits);
  j.field("accumulatorBits", n.accumulatorBits);
  j.field("biasMantissaMax", n.biasMantissaMax);
  j.field("biasExponentMax", n.biasExponentMax);
  j.field("thresholdMantissaBits", n.thresholdMantissaBits);
  j.field("thresholdShift", n.thresholdShift);
  j.field("vminExponentMax", n.vminExponentMax);
  j.field("vmaxExponentMax", n.vmaxExponentMax);
  j.field("vmaxBase", n.vmaxBase);
  j.field("refractoryMin", n.refractoryMin);
  j.field("refractoryMax", n.refractoryMax);
  j.flag("resetBySubtraction", n.resetBySubtraction);
  j.endObject();
  const SynapseFormat &s = p.synapse;
  j.key("synapseFormat").beginObject();
  j.field("wordBits", s.wordBits);
  j.field("compartmentIndexBits", s.compartmentIndexBits);
  j.field("weightBitsMax", s.weightBitsMax);
  j.field("weightExponentMin", s.weightExponentMin);
  j.field("weightExponentMax", s.weightExponentMax);
  j.field("weightShift", s.weightShift);
  j.field("delayBits", s.delayBits);
  j.field("maxDelay", s.maxDelay);
  j.endObject();
}

void writeTargets(JsonOut &j, const char *k,
                  const std::vector<AxonTarget> &targets) {
  j.key(k).beginArray();
  for (const AxonTarget &t : targets) {
    j.beginArray(true);
    j.num(t.core).num(t.inputAxon);
    j.endArray();
  }
  j.endArray();
}

void writeOffsets(JsonOut &j, const char *k, const std::vector<uint32_t> &v) {
  j.key(k).beginArray(true);
  for (uint32_t x : v)
    j.num(x);
  j.endArray();
}

const char *operandKindName(isa::OperandKind k) {
  switch (k) {
  case isa::OperandKind::None:
    return "none";
  case isa::OperandKind::Reg:
    return "reg";
  case isa::OperandKind::State:
    return "state";
  case isa::OperandKind::Param:
    return "param";
  case isa::OperandKind::Const:
    return "const";
  case isa::OperandKind::Input:
    return "input";
  }
  return "unknown";
}

void writeProgram(JsonOut &j, const Program &p) {
  j.beginObject();
  j.string("name", p.name);
  j.key("state").beginArray();
  for (const StateWord &w : p.state) {
    j.beginObject(true);
    j.string("name", w.name);
    j.field("bits", w.bits);
    j.flag("signed", w.isSigned);
    j.string("overflow", w.overflow == Overflow::Wrap       ? "wrap"
                         : w.overflow == Overflow::Saturate ? "saturate"
                                                            : "unknown");
    j.field("initial", w.initial);
    j.endObject();
  }
  j.endArray();
  j.key("params").beginArray();
  for (const ParamWord &w : p.params) {
    j.beginObject(true);
    j.string("name", w.name);
    j.field("bits", w.bits);
    j.flag("signed", w.isSigned);
    j.endObject();
  }
  j.endArray();
  j.key("constants").beginArray(true);
  for (int64_t c : p.constants)
    j.num(c);
  j.endArray();
  j.key("tables").beginArray();
  for (const LookupTable &t : p.tables) {
    j.beginObject(true);
    j.field("origin", t.origin);
    j.field("shift", unsigned(t.shift));
    j.key("entries").beginArray(true);
    for (int32_t e : t.entries)
      j.num(e);
    j.endArray();
    j.endObject();
  }
  j.endArray();
  j.field("refractoryWord", p.refractoryWord);
  j.key("refractoryPeriod").beginObject(true);
  j.string("kind", operandKindName(p.refractoryPeriod.kind));
  j.field("index", p.refractoryPeriod.index);
  j.endObject();
  j.flag("skipIdle", p.skipIdle);
  j.field("idleParams", p.idleParams);
  j.key("code").beginArray(true);
  for (uint64_t word : p.code)
    j.num(word);
  j.endArray();
  j.key("disassembly").beginArray();
  for (uint64_t word : p.code)
    j.text(disassemble(isa::decode(word), &p));
  j.endArray();
  j.endObject();
}

void writeCompartment(JsonOut &j, const CompartmentParams &p, const Core &core,
                      size_t index) {
  j.beginObject(true);
  j.field("decayU", p.decayU);
  j.field("decayV", p.decayV);
  j.field("biasMantissa", p.biasMantissa);
  j.field("biasExponent", p.biasExponent);
  j.field("refractory", p.refractory);
  j.field("thresholdMantissa", p.thresholdMantissa);
  j.field("vminExponent", p.vminExponent);
  j.field("vmaxExponent", p.vmaxExponent);
  j.field("flags", p.flags);
  j.flag("resetBySubtraction", p.flags & ResetBySubtraction);
  j.flag("noSpike", p.flags & NoSpike);
  if (!core.paramBegin.empty()) {
    j.key("paramWords").beginArray(true);
    for (uint32_t w = core.paramBegin[index]; w < core.paramBegin[index + 1];
         ++w)
      j.num(core.paramWords[w]);
    j.endArray();
  }
  if (!core.initialBegin.empty() &&
      core.initialBegin[index] != core.initialBegin[index + 1]) {
    j.key("initialState").beginArray(true);
    for (uint32_t w = core.initialBegin[index];
         w < core.initialBegin[index + 1]; ++w)
      j.num(core.initialWords[w]);
    j.endArray();
  }
  j.endObject();
}

void writeAxon(JsonOut &j, const Core &core, const InputAxon &a,
               const SynapseFormat &f) {
  j.beginObject();
  j.field("firstWord", a.firstWord);
  j.field("synapseCount", a.synapseCount);
  j.field("weightBits", a.weightBits);
  j.field("weightExponent", a.weightExponent);
  j.flag("hasDelay", a.hasDelay);
  // Learning fields only where they are used: images that do not learn
  // print as they always have.
  if (a.learns())
    j.field("learning", a.learning);
  if (a.reward)
    j.flag("reward", true);
  j.key("synapses").beginArray();
  for (uint32_t i = 0; i < a.synapseCount; ++i) {
    const Synapse s = unpackSynapse(core.synapseWords, a, i, f);
    j.beginArray(true);
    j.num(s.compartment).num(s.mantissa).num(s.delay);
    if (a.learns())
      j.num(s.tag);
    j.endArray();
  }
  j.endArray();
  j.endObject();
}

void writeCore(JsonOut &j, const Core &core, size_t index,
               const SynapseFormat &f) {
  j.beginObject();
  j.field("index", index);
  j.field("x", core.x);
  j.field("y", core.y);
  j.field("tileSlot", core.tileSlot);
  j.key("compartments").beginArray();
  for (size_t c = 0; c < core.compartments.size(); ++c)
    writeCompartment(j, core.compartments[c], core, c);
  j.endArray();
  j.key("inputAxons").beginArray();
  for (const InputAxon &a : core.inputAxons)
    writeAxon(j, core, a, f);
  j.endArray();
  j.field("synapseWordCount", core.synapseWords.size());
  writeOffsets(j, "outputBegin", core.outputBegin);
  writeTargets(j, "outputAxons", core.outputAxons);
  j.endObject();
}

void writeSource(JsonOut &j, const Source &s) {
  j.beginObject();
  j.string("name", s.name);
  j.string("kind", kindName(s.kind));
  j.field("size", s.size);
  j.field("probability", s.probability);
  j.field("seed", s.seed);
  j.field("period", s.period);
  j.field("phase", s.phase);
  j.key("spikes").beginArray();
  for (const SourceSpike &sp : s.spikes) {
    j.beginArray(true);
    j.num(sp.step).num(sp.index);
    j.endArray();
  }
  j.endArray();
  writeOffsets(j, "targetBegin", s.targetBegin);
  writeTargets(j, "targets", s.targets);
  j.endObject();
}

void writeTraceParams(JsonOut &j, const TraceParams &t) {
  j.beginObject(true);
  j.field("impulse", t.impulseInteger);
  j.field("impulseFraction", t.impulseFraction);
  j.field("decay", t.decay);
  j.endObject();
}

void writePopulation(JsonOut &j, const Population &p) {
  j.beginObject();
  j.string("name", p.name);
  j.field("size", p.size);
  j.flag("recordSpikes", p.recordSpikes);
  j.flag("recordState", p.recordState);
  // -1: the LIF program each compartment's record names.
  j.field("program", p.program == Population::kLifByRecord
                         ? int64_t(-1)
                         : int64_t(p.program));
  j.key("slices").beginArray();
  for (const Slice &s : p.slices) {
    j.beginObject(true);
    j.field("core", s.core);
    j.field("firstCompartment", s.firstCompartment);
    j.field("firstNeuron", s.firstNeuron);
    j.field("count", s.count);
    j.endObject();
  }
  j.endArray();
  j.key("aliases").beginArray(true);
  for (const std::string &alias : p.aliases)
    j.text(alias);
  j.endArray();
  // Each neuron's dendritic tree in update order (empty: point neurons).
  j.key("tree").beginArray();
  for (const TreeCompartment &t : p.tree) {
    j.beginObject(true);
    j.string("name", t.name);
    j.field("program", t.program);
    j.field("parent", int64_t(t.parent));
    j.endObject();
  }
  j.endArray();
  if (p.postTraces != std::array<TraceParams, 3>{}) {
    j.key("postTraces").beginArray();
    for (const TraceParams &t : p.postTraces)
      writeTraceParams(j, t);
    j.endArray();
  }
  j.endObject();
}

void writeLearning(JsonOut &j, const ImageLearning &l) {
  j.key("learning").beginObject();
  j.field("epochSteps", l.epochSteps);
  j.field("seed", l.seed);
  j.key("rules").beginArray();
  for (const LearningRuleSetting &r : l.rules) {
    j.beginObject();
    j.string("rule", printLearningRule(r.rule));
    j.string("weightSign", weightSignName(r.sign));
    j.key("x1");
    writeTraceParams(j, r.x1);
    j.key("x2");
    writeTraceParams(j, r.x2);
    j.endObject();
  }
  j.endArray();
  j.endObject();
}

} // namespace

void printImageJson(const Image &image, const Profile &profile,
                    std::ostream &os) {
  JsonOut j(os);
  j.beginObject();
  j.string("format", "cajal-image-json/1");
  j.field("imageVersion", Image::formatVersion);
  j.string("profile", image.profileName);
  j.field("profileFingerprint", image.profileFingerprint);
  writeFormats(j, profile);
  j.key("programs").beginArray();
  for (const Program &p : image.programs)
    writeProgram(j, p);
  j.endArray();
  j.key("cores").beginArray();
  for (size_t c = 0; c < image.cores.size(); ++c)
    writeCore(j, image.cores[c], c, profile.synapse);
  j.endArray();
  j.key("sources").beginArray();
  for (const Source &s : image.sources)
    writeSource(j, s);
  j.endArray();
  j.key("populations").beginArray();
  for (const Population &p : image.populations)
    writePopulation(j, p);
  j.endArray();
  if (image.learning.enabled())
    writeLearning(j, image.learning);
  j.endObject();
}

Status printImageJson(const Image &image, std::ostream &os) {
  Result<Profile> profile = findProfile(image.profileName, defaultProfileDir());
  if (!profile)
    return makeError("image JSON: " + profile.error());
  if (Status s = checkProfileMatch(image, *profile); !s)
    return makeError("image JSON: " + s.error());
  printImageJson(image, *profile, os);
  return Status::ok();
}

namespace {

std::string percent(uint64_t used, unsigned limit) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%5.1f%%",
                limit ? 100.0 * double(used) / limit : 0.0);
  return buf;
}

std::string usage(uint64_t used, const Profile *p, unsigned CoreLimits::*m) {
  std::string s = std::to_string(used);
  if (p)
    s += "/" + std::to_string(p->core.*m) + " " + percent(used, p->core.*m);
  return s;
}

} // namespace

void printImageSummary(const Image &image, const Profile *profile,
                       std::ostream &os) {
  os << "image for profile \"" << image.profileName << "\" (fingerprint "
     << fingerprintHex(image.profileFingerprint) << ")\n";
  os << "cores used: " << image.cores.size();
  if (profile)
    os << " of " << profile->mesh.totalCores();
  os << "\n";
  uint64_t synapses = 0, learning = 0, reward = 0;
  for (size_t c = 0; c < image.cores.size(); ++c) {
    const Core &core = image.cores[c];
    uint64_t coreSynapses = 0;
    for (const InputAxon &a : core.inputAxons) {
      coreSynapses += a.synapseCount;
      learning += a.learns() ? a.synapseCount : 0;
      reward += a.reward ? a.synapseCount : 0;
    }
    synapses += coreSynapses;
    os << "  core " << c << " (x " << core.x << ", y " << core.y << ", slot "
       << core.tileSlot << "): compartments "
       << usage(core.compartments.size(), profile, &CoreLimits::compartments)
       << ", input axons "
       << usage(core.inputAxons.size(), profile, &CoreLimits::inputAxons)
       << ", output axons "
       << usage(core.outputAxons.size(), profile, &CoreLimits::outputAxons)
       << ", synapse words "
       << usage(core.synapseWords.size(), profile, &CoreLimits::synapseWords)
       << ", synapses " << coreSynapses << "\n";
  }
  os << "synapses: " << synapses;
  if (image.learning.enabled())
    os << " (" << learning << " learning, " << reward << " reward)";
  os << "\n";
  if (image.learning.enabled()) {
    os << "learning: epochs of " << image.learning.epochSteps
       << (image.learning.epochSteps == 1 ? " step" : " steps") << ", seed "
       << image.learning.seed << ", " << image.learning.rules.size()
       << (image.learning.rules.size() == 1 ? " rule" : " rules") << "\n";
    for (size_t r = 0; r < image.learning.rules.size(); ++r)
      os << "  rule " << r << ": "
         << printLearningRule(image.learning.rules[r].rule) << " ("
         << weightSignName(image.learning.rules[r].sign) << " weights)\n";
  }
  os << "populations: " << image.populations.size() << "\n";
  for (const Population &p : image.populations) {
    os << "  " << p.name << ": " << p.size << " neurons in " << p.slices.size()
       << " slice(s)";
    for (const Slice &s : p.slices)
      os << " [core " << s.core << ": " << s.firstNeuron << ".."
         << s.firstNeuron + s.count << " at compartment " << s.firstCompartment
         << "]";
    if (!p.tree.empty())
      os << ", a dendritic tree of " << p.tree.size()
         << (p.tree.size() == 1 ? " compartment" : " compartments");
    if (p.program < image.programs.size())
      os << ", program " << image.programs[p.program].name;
    os << (p.recordSpikes ? ", spikes recorded" : "")
       << (p.recordState ? ", state recorded" : "");
    for (const std::string &alias : p.aliases)
      os << ", also as \"" << alias << "\"";
    os << "\n";
  }
  os << "sources: " << image.sources.size() << "\n";
  for (const Source &s : image.sources) {
    os << "  " << s.name << ": " << kindName(s.kind) << ", " << s.size
       << " channels, " << s.targets.size() << " targets";
    if (s.kind == SourceKind::Poisson)
      os << ", p = " << std::setprecision(6) << s.probability / 4294967296.0
         << " per step, seed " << s.seed;
    if (s.kind == SourceKind::PoissonGroup)
      os << ", mean " << std::setprecision(6) << poissonGroupMean(s.probability)
         << " spikes per step per channel, seed " << s.seed;
    if (s.kind == SourceKind::Periodic)
      os << ", period " << s.period << ", phase " << s.phase;
    if (s.kind == SourceKind::File)
      os << ", " << s.spikes.size() << " spikes";
    os << "\n";
  }
}

} // namespace cajal::chip
