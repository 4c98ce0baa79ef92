//===- Profile.cpp - Load, check and fingerprint architecture profiles ----===//
//
// A profile file is JSON (docs/profiles.md): a format tag, a name, optional
// `base`, a table of citable `sources` and a flat map of dotted `fields`,
// each {value, unit, source}. Loading resolves the `base` chain first (same
// directory, cycles rejected), then overlays the file's own fields, so a
// derived profile names only what it changes. Every field is described once
// in the table `fieldTable()` (name, JSON type, range, where it lives in
// Profile); the loader, the range checks and the fingerprint all walk that
// table, so adding a member to Profile means adding one row. Cross-field
// constraints (a synapse must fit a word, the compartment index must address
// every compartment, ...) are checked after all fields are known.
//
//===----------------------------------------------------------------------===//

#include "cajal/Chip/Profile.h"

#include <nlohmann/json.hpp>

#include "cajal/Chip/AtomicFile.h"

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <utility>
#include <vector>

using cajal::Error;
using cajal::makeError;
using cajal::Result;
using cajal::Status;
using json = nlohmann::json;

namespace cajal::chip {
namespace {

enum class FieldKind { Unsigned, Signed, Real, Flag };

/// One row of the profile schema.
struct FieldDesc {
  const char *name;
  FieldKind kind;
  double min, max; ///< inclusive range of the value
  std::function<void *(Profile &)> member;
};

constexpr double kU32Max = 4294967295.0;
/// Bit widths that feed a 64-bit shift must stay below 64.
constexpr double kMaxShiftBits = 63;

#define CAJAL_FIELD(NAME, KIND, MIN, MAX, MEMBER)                              \
  FieldDesc {                                                                  \
    NAME, FieldKind::KIND, MIN, MAX,                                           \
        [](Profile &p) -> void * { return &p.MEMBER; }                         \
  }

const std::vector<FieldDesc> &fieldTable() {
  static const std::vector<FieldDesc> table = {
      CAJAL_FIELD("mesh.tilesX", Unsigned, 1, 65536, mesh.tilesX),
      CAJAL_FIELD("mesh.tilesY", Unsigned, 1, 65536, mesh.tilesY),
      CAJAL_FIELD("mesh.coresPerTile", Unsigned, 1, 65536, mesh.coresPerTile),
      CAJAL_FIELD("mesh.chipsX", Unsigned, 1, 65536, mesh.chipsX),
      CAJAL_FIELD("mesh.chipsY", Unsigned, 1, 65536, mesh.chipsY),
      CAJAL_FIELD("mesh.routerBufferDepth", Unsigned, 1, 65536,
                  mesh.routerBufferDepth),
      CAJAL_FIELD("mesh.linkPacketCycles", Unsigned, 1, 65536,
                  mesh.linkPacketCycles),
      CAJAL_FIELD("core.compartments", Unsigned, 1, 16777216,
                  core.compartments),
      CAJAL_FIELD("core.inputAxons", Unsigned, 1, 16777216, core.inputAxons),
      CAJAL_FIELD("core.outputAxons", Unsigned, 1, 16777216, core.outputAxons),
      CAJAL_FIELD("core.synapseWords", Unsigned, 1, 268435456,
                  core.synapseWords),
      CAJAL_FIELD("core.inputQueueDepth", Unsigned, 1, 16777216,
                  core.inputQueueDepth),
      CAJAL_FIELD("core.spikeDispatchCycles", Unsigned, 0, 65536,
                  core.spikeDispatchCycles),
      // Ranges follow the storage types of CompartmentParams/State.
      CAJAL_FIELD("neuron.decayBits", Unsigned, 1, 16, neuron.decayBits),
      CAJAL_FIELD("neuron.currentBits", Unsigned, 2, 32, neuron.currentBits),
      CAJAL_FIELD("neuron.accumulatorBits", Unsigned, 1, 62,
                  neuron.accumulatorBits),
      CAJAL_FIELD("neuron.biasMantissaMax", Unsigned, 0, 32767,
                  neuron.biasMantissaMax),
      CAJAL_FIELD("neuron.biasExponentMax", Unsigned, 0, 31,
                  neuron.biasExponentMax),
      CAJAL_FIELD("neuron.thresholdMantissaBits", Unsigned, 1, 32,
                  neuron.thresholdMantissaBits),
      CAJAL_FIELD("neuron.thresholdShift", Unsigned, 0, 30,
                  neuron.thresholdShift),
      CAJAL_FIELD("neuron.vminExponentMax", Unsigned, 0, 31,
                  neuron.vminExponentMax),
      CAJAL_FIELD("neuron.vmaxExponentMax", Unsigned, 0, 15,
                  neuron.vmaxExponentMax),
      CAJAL_FIELD("neuron.vmaxBase", Unsigned, 0, 31, neuron.vmaxBase),
      CAJAL_FIELD("neuron.refractoryMin", Unsigned, 0, 255,
                  neuron.refractoryMin),
      CAJAL_FIELD("neuron.refractoryMax", Unsigned, 0, 255,
                  neuron.refractoryMax),
      CAJAL_FIELD("neuron.resetBySubtraction", Flag, 0, 1,
                  neuron.resetBySubtraction),
      CAJAL_FIELD("synapse.wordBits", Unsigned, 1, 64, synapse.wordBits),
      CAJAL_FIELD("synapse.compartmentIndexBits", Unsigned, 1, 32,
                  synapse.compartmentIndexBits),
      CAJAL_FIELD("synapse.weightBitsMax", Unsigned, 1, 31,
                  synapse.weightBitsMax),
      CAJAL_FIELD("synapse.weightExponentMin", Signed, -32, 32,
                  synapse.weightExponentMin),
      CAJAL_FIELD("synapse.weightExponentMax", Signed, -32, 32,
                  synapse.weightExponentMax),
      CAJAL_FIELD("synapse.weightShift", Unsigned, 0, 32, synapse.weightShift),
      CAJAL_FIELD("synapse.delayBits", Unsigned, 0, 32, synapse.delayBits),
      CAJAL_FIELD("synapse.maxDelay", Unsigned, 1, kU32Max, synapse.maxDelay),
      CAJAL_FIELD("synapse.tagBits", Unsigned, 1, 15, synapse.tagBits),
      CAJAL_FIELD("cost.clockHz", Real, 1e-300, 1e300, cost.clockHz),
      CAJAL_FIELD("cost.synapticOpPJ", Real, 0, 1e300, cost.synapticOpPJ),
      CAJAL_FIELD("cost.synapticOpNs", Real, 0, 1e300, cost.synapticOpNs),
      CAJAL_FIELD("cost.learningSynapsePJ", Real, 0, 1e300,
                  cost.learningSynapsePJ),
      CAJAL_FIELD("cost.learningSynapseNs", Real, 0, 1e300,
                  cost.learningSynapseNs),
      CAJAL_FIELD("cost.neuronUpdateInactivePJ", Real, 0, 1e300,
                  cost.neuronUpdateInactivePJ),
      CAJAL_FIELD("cost.neuronUpdateInactiveNs", Real, 0, 1e300,
                  cost.neuronUpdateInactiveNs),
      CAJAL_FIELD("cost.spikeInTilePJ", Real, 0, 1e300, cost.spikeInTilePJ),
      CAJAL_FIELD("cost.spikeInTileNs", Real, 0, 1e300, cost.spikeInTileNs),
      CAJAL_FIELD("cost.hopEastWestPJ", Real, 0, 1e300, cost.hopEastWestPJ),
      CAJAL_FIELD("cost.hopEastWestNs", Real, 0, 1e300, cost.hopEastWestNs),
      CAJAL_FIELD("cost.hopNorthSouthPJ", Real, 0, 1e300, cost.hopNorthSouthPJ),
      CAJAL_FIELD("cost.hopNorthSouthNs", Real, 0, 1e300, cost.hopNorthSouthNs),
      CAJAL_FIELD("cost.barrierMinNs", Real, 0, 1e300, cost.barrierMinNs),
      CAJAL_FIELD("cost.barrierMaxNs", Real, 0, 1e300, cost.barrierMaxNs),
      CAJAL_FIELD("cost.barrierMaxTiles", Unsigned, 1, kU32Max,
                  cost.barrierMaxTiles),
      CAJAL_FIELD("cost.barrierTilePJ", Real, 0, 1e300, cost.barrierTilePJ),
      CAJAL_FIELD("cost.staticPowerMW", Real, 0, 1e300, cost.staticPowerMW),
      CAJAL_FIELD("cost.powerGateUnusedChips", Flag, 0, 1,
                  cost.powerGateUnusedChips),
      CAJAL_FIELD("cost.stepTimeoutNs", Real, 1, 1e300, cost.stepTimeoutNs),
      // Operand fields are 4 bits: at most 16 registers and words of a kind.
      CAJAL_FIELD("isa.programmable", Flag, 0, 1, isa.programmable),
      CAJAL_FIELD("isa.multiplier", Flag, 0, 1, isa.multiplier),
      CAJAL_FIELD("isa.maxInstructions", Unsigned, 1, 4096,
                  isa.maxInstructions),
      CAJAL_FIELD("isa.registers", Unsigned, 1, 16, isa.registers),
      CAJAL_FIELD("isa.maxStateWords", Unsigned, 1, 16, isa.maxStateWords),
      CAJAL_FIELD("isa.maxParamWords", Unsigned, 0, 16, isa.maxParamWords),
      CAJAL_FIELD("isa.maxConstants", Unsigned, 0, 16, isa.maxConstants),
      CAJAL_FIELD("isa.aluCycles", Unsigned, 0, 65536, isa.aluCycles),
      CAJAL_FIELD("isa.multiplyCycles", Unsigned, 0, 65536, isa.multiplyCycles),
      CAJAL_FIELD("isa.spikeCycles", Unsigned, 0, 65536, isa.spikeCycles),
      CAJAL_FIELD("isa.aluPJ", Real, 0, 1e300, isa.aluPJ),
      CAJAL_FIELD("isa.multiplyPJ", Real, 0, 1e300, isa.multiplyPJ),
      CAJAL_FIELD("isa.spikePJ", Real, 0, 1e300, isa.spikePJ),
      CAJAL_FIELD("isa.maxTables", Unsigned, 0, 16, isa.maxTables),
      CAJAL_FIELD("isa.maxTableEntries", Unsigned, 0, 65536,
                  isa.maxTableEntries),
      CAJAL_FIELD("isa.lookupCycles", Unsigned, 0, 65536, isa.lookupCycles),
      CAJAL_FIELD("isa.lookupPJ", Real, 0, 1e300, isa.lookupPJ),
      CAJAL_FIELD("isa.stackDepth", Unsigned, 0, 256, isa.stackDepth),
      CAJAL_FIELD("isa.maxPops", Unsigned, 0, 256, isa.maxPops),
      // Learning products are formed in 64 bits (docs/learning.md): the
      // widths below keep every product and shift within them.
      CAJAL_FIELD("learning.traceBits", Unsigned, 1, 15, learning.traceBits),
      CAJAL_FIELD("learning.traceImpulseFractionBits", Unsigned, 0, 16,
                  learning.traceImpulseFractionBits),
      CAJAL_FIELD("learning.traceDecayBits", Unsigned, 1, 16,
                  learning.traceDecayBits),
      CAJAL_FIELD("learning.accumulatorBits", Unsigned, 1, 30,
                  learning.accumulatorBits),
      CAJAL_FIELD("learning.scaleMantissaBits", Unsigned, 1, 8,
                  learning.scaleMantissaBits),
      CAJAL_FIELD("learning.constantBits", Unsigned, 1, 15,
                  learning.constantBits),
      CAJAL_FIELD("learning.maxTerms", Unsigned, 1, 64, learning.maxTerms),
      CAJAL_FIELD("learning.maxFactors", Unsigned, 1, 4, learning.maxFactors),
      CAJAL_FIELD("learning.maxEpochSteps", Unsigned, 1, 65536,
                  learning.maxEpochSteps),
  };
  return table;
}
#undef CAJAL_FIELD

/// A field entry after `base` resolution: its JSON value and where it was
/// set (the file named in errors).
struct RawField {
  json value;
  std::string file;
};

struct RawProfile {
  std::string name, description;
  std::set<std::string> sources;
  std::map<std::string, RawField> fields;
};

std::string directoryOf(const std::string &path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

std::string shortJson(const json &v) {
  // Text from outside may be any bytes: invalid UTF-8 prints as U+FFFD.
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  return s.size() > 40 ? s.substr(0, 37) + "..." : s;
}

Error fieldError(const std::string &file, const std::string &field,
                 const std::string &what) {
  return makeError(file + ": field \"" + field + "\": " + what);
}

const FieldDesc *lookupField(const std::string &name) {
  for (const FieldDesc &d : fieldTable())
    if (name == d.name)
      return &d;
  return nullptr;
}

/// The first word of a field's "source" must name a declared source.
std::string sourceKey(const std::string &source) {
  const size_t end = source.find_first_of(" (,;:");
  return source.substr(0, end);
}

Status checkEntry(const std::string &file, const std::string &name,
                  const json &entry, const std::set<std::string> &sources) {
  if (!lookupField(name))
    return fieldError(file, name, "unknown field");
  if (!entry.is_object())
    return fieldError(file, name,
                      "expected an object {value, unit, source}, "
                      "got " +
                          shortJson(entry));
  for (auto it = entry.begin(); it != entry.end(); ++it)
    if (it.key() != "value" && it.key() != "unit" && it.key() != "source")
      return fieldError(file, name, "unknown key \"" + it.key() + "\"");
  for (const char *key : {"value", "unit", "source"})
    if (!entry.contains(key))
      return fieldError(file, name, std::string("missing \"") + key + "\"");
  for (const char *key : {"unit", "source"})
    if (!entry[key].is_string() || entry[key].get<std::string>().empty())
      return fieldError(file, name,
                        std::string("\"") + key +
                            "\" must be a non-empty string, got " +
                            shortJson(entry[key]));
  const std::string key = sourceKey(entry["source"].get<std::string>());
  if (key != "derived" && !sources.count(key))
    return fieldError(file, name,
                      "source \"" + key +
                          "\" is not declared in \"sources\" "
                          "(or write \"derived ...\")");
  return Status::ok();
}

Status readJsonFile(const std::string &path, json &out) {
  // The C library would read a NUL byte as the end of the path ("dir/\0x"
  // opens "dir/"), and reading a directory throws from inside the parser.
  if (path.find('\0') != std::string::npos)
    return makeError("profile path \"" + path.substr(0, path.find('\0')) +
                     "...\" contains a NUL byte");
  struct stat info;
  if (::stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode))
    return makeError(path + ": cannot open profile: not a regular file");
  std::ifstream in(path);
  if (!in)
    return makeError(path + ": cannot open profile: " + std::strerror(errno));
  try {
    out = json::parse(in);
  } catch (const json::exception &e) {
    return makeError(path + ": invalid JSON: " + e.what());
  } catch (const std::ios_base::failure &e) {
    return makeError(path + ": cannot read profile: " + e.what());
  }
  if (!out.is_object())
    return makeError(path + ": a profile must be a JSON object");
  return Status::ok();
}

Status checkTopLevel(const std::string &path, const json &doc) {
  static const std::set<std::string> known = {
      "format", "name", "description", "base", "sources", "fields"};
  for (auto it = doc.begin(); it != doc.end(); ++it)
    if (!known.count(it.key()))
      return makeError(path + ": unknown top-level key \"" + it.key() + "\"");
  if (!doc.contains("format") || doc["format"] != "cajal-profile/1")
    return makeError(path + ": \"format\" must be \"cajal-profile/1\", got " +
                     (doc.contains("format") ? shortJson(doc["format"])
                                             : std::string("nothing")));
  for (const char *key : {"name", "description"})
    if (!doc.contains(key) || !doc[key].is_string())
      return makeError(path + ": \"" + key + "\" must be a string");
  // Chip images carry the name and tools look it up as a file name.
  if (!isPlainProfileName(doc["name"].get<std::string>()))
    return makeError(path + ": \"name\" " + shortJson(doc["name"]) +
                     " is not a profile name (1 to 64 letters, digits, '.', "
                     "'_' or '-', not starting with '.')");
  if (doc.contains("base") && !doc["base"].is_string())
    return makeError(path + ": \"base\" must be a profile name (a string)");
  if (!doc.contains("fields") || !doc["fields"].is_object())
    return makeError(path + ": \"fields\" must be an object");
  if (doc.contains("sources") && !doc["sources"].is_object())
    return makeError(path + ": \"sources\" must be an object");
  return Status::ok();
}

/// Longest `base` chain: loihi1-derived profiles use one level.
constexpr size_t kMaxBaseDepth = 16;

/// Load `path` and its base chain into `raw`; `chain` holds the canonical
/// paths of the files being loaded, so that a cycle is found however the
/// paths are spelt ("./itself", a symbolic link).
Status loadRaw(const std::string &path, std::vector<std::string> &chain,
               RawProfile &raw) {
  const std::string canonical = canonicalPath(path);
  for (const std::string &seen : chain)
    if (seen == canonical) {
      std::string cycle;
      for (const std::string &p : chain)
        cycle += p + " -> ";
      return makeError(path + ": \"base\" cycle: " + cycle + canonical);
    }
  if (chain.size() >= kMaxBaseDepth)
    return makeError(path + ": \"base\" chain deeper than " +
                     std::to_string(kMaxBaseDepth) + " profiles");
  json doc;
  if (Status s = readJsonFile(path, doc); !s)
    return s;
  if (Status s = checkTopLevel(path, doc); !s)
    return s;
  chain.push_back(canonical);
  if (doc.contains("base")) {
    const std::string base = doc["base"].get<std::string>();
    // A base is looked up beside the profile first, then among the installed
    // profiles, so a user's co-design profile can say "base": "loihi1".
    std::string basePath = directoryOf(path) + "/" + base + ".json";
    if (!std::ifstream(basePath))
      basePath = defaultProfileDir() + "/" + base + ".json";
    std::ifstream probe(basePath);
    if (!probe)
      return makeError(path + ": base profile \"" + base +
                       "\" not found beside it or in " + defaultProfileDir());
    if (Status s = loadRaw(basePath, chain, raw); !s)
      return s;
  }
  chain.pop_back();
  raw.name = doc["name"].get<std::string>();
  raw.description = doc["description"].get<std::string>();
  if (doc.contains("sources"))
    for (auto it = doc["sources"].begin(); it != doc["sources"].end(); ++it) {
      if (!it.value().is_string())
        return makeError(path + ": source \"" + it.key() +
                         "\" must be a string (a citation)");
      raw.sources.insert(it.key());
    }
  const json &fields = doc["fields"];
  for (auto it = fields.begin(); it != fields.end(); ++it) {
    if (Status s = checkEntry(path, it.key(), it.value(), raw.sources); !s)
      return s;
    raw.fields[it.key()] = RawField{it.value()["value"], path};
  }
  return Status::ok();
}

Status assignField(const FieldDesc &d, const RawField &f, Profile &p) {
  const json &v = f.value;
  const std::string got = shortJson(v);
  void *member = d.member(p);
  if (d.kind == FieldKind::Flag) {
    if (!v.is_boolean())
      return fieldError(f.file, d.name, "expected true or false, got " + got);
    *static_cast<bool *>(member) = v.get<bool>();
    return Status::ok();
  }
  const bool integral = d.kind != FieldKind::Real;
  if (v.is_boolean() || !v.is_number() || (integral && !v.is_number_integer()))
    return fieldError(f.file, d.name,
                      std::string("expected ") +
                          (integral ? "an integer" : "a number") + ", got " +
                          got);
  const double value = v.get<double>();
  if (!(value >= d.min && value <= d.max)) {
    std::ostringstream os;
    os << "value " << got << " out of range [" << d.min << ", " << d.max << "]";
    return fieldError(f.file, d.name, os.str());
  }
  if (d.kind == FieldKind::Unsigned)
    *static_cast<unsigned *>(member) = v.get<unsigned>();
  else if (d.kind == FieldKind::Signed)
    *static_cast<int *>(member) = v.get<int>();
  else
    *static_cast<double *>(member) = value;
  return Status::ok();
}

/// Where field `name` was set, for cross-field errors.
std::string fileOf(const RawProfile &raw, const std::string &name) {
  auto it = raw.fields.find(name);
  return it == raw.fields.end() ? std::string("?") : it->second.file;
}

/// Tools allocate per core slot: the product of the five mesh fields, in 64
/// bits, is bounded. The error names the largest factor's field and file.
Status checkMeshSize(const MeshShape &m, const RawProfile &raw) {
  const uint64_t slots =
      uint64_t(m.tilesX) * m.tilesY * m.coresPerTile * m.chipsX * m.chipsY;
  if (slots <= kMaxCoreSlots)
    return Status::ok();
  const std::pair<const char *, unsigned> factors[] = {
      {"mesh.tilesX", m.tilesX},
      {"mesh.tilesY", m.tilesY},
      {"mesh.coresPerTile", m.coresPerTile},
      {"mesh.chipsX", m.chipsX},
      {"mesh.chipsY", m.chipsY}};
  const auto *largest = &factors[0];
  for (const auto &f : factors)
    if (f.second > largest->second)
      largest = &f;
  return fieldError(
      fileOf(raw, largest->first), largest->first,
      "value " + std::to_string(largest->second) + " makes the mesh " +
          std::to_string(m.tilesX) + " x " + std::to_string(m.tilesY) +
          " tiles x " + std::to_string(m.coresPerTile) + " cores x " +
          std::to_string(m.chipsX) + " x " + std::to_string(m.chipsY) +
          " chips = " + std::to_string(slots) + " core slots, more than the " +
          std::to_string(kMaxCoreSlots) + " a profile may have");
}

Status crossCheck(const Profile &p, const RawProfile &raw) {
  auto fail = [&](const char *field, const std::string &what) -> Status {
    return fieldError(fileOf(raw, field), field, what);
  };
  const auto &s = p.synapse;
  const auto &n = p.neuron;
  if (s.compartmentIndexBits < 32 &&
      (uint64_t(1) << s.compartmentIndexBits) < p.core.compartments)
    return fail("synapse.compartmentIndexBits",
                "value " + std::to_string(s.compartmentIndexBits) +
                    " cannot address core.compartments = " +
                    std::to_string(p.core.compartments));
  const unsigned widest =
      s.compartmentIndexBits + 1 + s.weightBitsMax + s.delayBits;
  if (widest > s.wordBits)
    return fail("synapse.wordBits", "value " + std::to_string(s.wordBits) +
                                        " cannot hold the widest synapse (" +
                                        std::to_string(widest) +
                                        " bits: index + sign + weight + "
                                        "delay)");
  const unsigned widestLearning = widest + s.tagBits + 1;
  if (widestLearning > s.wordBits)
    return fail("synapse.tagBits",
                "value " + std::to_string(s.tagBits) +
                    ": a learning synapse (index + sign + weight + delay + "
                    "tag and its sign, " +
                    std::to_string(widestLearning) +
                    " bits) does not fit synapse.wordBits = " +
                    std::to_string(s.wordBits));
  if (s.weightExponentMin > s.weightExponentMax)
    return fail("synapse.weightExponentMin",
                "value " + std::to_string(s.weightExponentMin) +
                    " exceeds synapse.weightExponentMax = " +
                    std::to_string(s.weightExponentMax));
  if (int(s.weightShift) + s.weightExponentMax + int(s.weightBitsMax) >
      int(kMaxShiftBits) - 1)
    return fail("synapse.weightShift",
                "weightShift + weightExponentMax + weightBitsMax exceeds 62 "
                "bits");
  if (s.delayBits < 32 && s.maxDelay > (uint64_t(1) << s.delayBits) - 1 &&
      s.maxDelay > 1)
    return fail("synapse.maxDelay",
                "value " + std::to_string(s.maxDelay) + " does not fit " +
                    std::to_string(s.delayBits) + " delay bits");
  if (n.refractoryMin > n.refractoryMax)
    return fail("neuron.refractoryMin", "value " +
                                            std::to_string(n.refractoryMin) +
                                            " exceeds neuron.refractoryMax = " +
                                            std::to_string(n.refractoryMax));
  if (n.vmaxBase + 2 * n.vmaxExponentMax > 31)
    return fail("neuron.vmaxExponentMax",
                "vmax = 2^(vmaxBase + 2e) - 1 must fit 32-bit v: vmaxBase + "
                "2 * vmaxExponentMax = " +
                    std::to_string(n.vmaxBase + 2 * n.vmaxExponentMax) +
                    " > 31");
  if (n.thresholdMantissaBits + n.thresholdShift > 32)
    return fail("neuron.thresholdShift",
                "thresholdMantissaBits + thresholdShift exceeds 32 bits");
  if (p.cost.barrierMinNs > p.cost.barrierMaxNs)
    return fail("cost.barrierMinNs", "exceeds cost.barrierMaxNs");
  return checkMeshSize(p.mesh, raw);
}

void appendBytes(std::string &out, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    out.push_back(char((v >> (8 * i)) & 0xff));
}

} // namespace

Result<Profile> loadProfile(const std::string &path) {
  RawProfile raw;
  std::vector<std::string> chain;
  if (Status s = loadRaw(path, chain, raw); !s)
    return Error{s.error()};
  Profile p;
  p.name = raw.name;
  p.description = raw.description;
  for (const FieldDesc &d : fieldTable()) {
    auto it = raw.fields.find(d.name);
    if (it == raw.fields.end())
      return fieldError(path, d.name,
                        "missing (every field must be given, "
                        "here or in a base profile)");
    if (Status s = assignField(d, it->second, p); !s)
      return Error{s.error()};
  }
  if (Status s = crossCheck(p, raw); !s)
    return Error{s.error()};
  return p;
}

Result<Profile> findProfile(const std::string &nameOrPath,
                            const std::string &searchDir) {
  const bool isPath =
      nameOrPath.find('/') != std::string::npos ||
      (nameOrPath.size() > 5 &&
       nameOrPath.compare(nameOrPath.size() - 5, 5, ".json") == 0);
  if (isPath)
    return loadProfile(nameOrPath);
  const std::string path = searchDir + "/" + nameOrPath + ".json";
  std::ifstream probe(path);
  if (!probe)
    return makeError("profile \"" + nameOrPath + "\" not found in " +
                     searchDir + " (no " + path + ")");
  return loadProfile(path);
}

bool isPlainProfileName(const std::string &name) {
  constexpr size_t kMaxNameLength = 64;
  if (name.empty() || name.size() > kMaxNameLength || name[0] == '.')
    return false;
  for (const char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' &&
        c != '-')
      return false;
  return true;
}

Result<Profile> findInstalledProfile(const std::string &name,
                                     const std::string &searchDir) {
  if (!isPlainProfileName(name))
    return makeError(shortJson(json(name)) +
                     " is not a profile name (letters, digits, '.', '_', '-')");
  const std::string path = searchDir + "/" + name + ".json";
  struct stat st;
  if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    return makeError("profile \"" + name + "\" is not installed (no " + path +
                     ")");
  return loadProfile(path);
}

std::string defaultProfileDir() {
  if (const char *env = std::getenv("CAJAL_PROFILE_DIR"); env && *env)
    return env;
  return CAJAL_PROFILE_DIR;
}

/// Canonical form: the fields of fieldTable() in order, each as 8
/// little-endian bytes (unsigned/flag as u64, signed as two's-complement
/// i64, real as its IEEE-754 bit pattern); then FNV-1a 64 over the bytes.
uint64_t Profile::fingerprint() const {
  Profile copy = *this;
  std::string bytes;
  for (const FieldDesc &d : fieldTable()) {
    void *m = d.member(copy);
    switch (d.kind) {
    case FieldKind::Unsigned:
      appendBytes(bytes, *static_cast<unsigned *>(m));
      break;
    case FieldKind::Signed:
      appendBytes(bytes, uint64_t(int64_t(*static_cast<int *>(m))));
      break;
    case FieldKind::Flag:
      appendBytes(bytes, *static_cast<bool *>(m) ? 1 : 0);
      break;
    case FieldKind::Real: {
      uint64_t bits;
      std::memcpy(&bits, m, sizeof bits);
      appendBytes(bytes, bits);
      break;
    }
    }
  }
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

std::vector<std::string> profileFieldNames() {
  std::vector<std::string> names;
  for (const FieldDesc &d : fieldTable())
    names.push_back(d.name);
  return names;
}

} // namespace cajal::chip
