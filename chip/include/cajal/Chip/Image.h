//===- Image.h - The chip image: what the compiler hands to engines -*- C++
//-*-===//
//
// A chip image is the complete configuration of a chip: every used core with
// its compartment parameters, input-axon table, synapse memory (packed words
// in the profile's format) and output axons; the host-side spike sources;
// and the map from network names (populations, sources) to core slices. It
// is versioned and self-describing (docs/chip-image.md) and is the only thing
// the compiler hands to the golden model, the SystemC emulator and the RTL.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_CHIP_IMAGE_H
#define CAJAL_CHIP_IMAGE_H

#include "cajal/Chip/Compartment.h"
#include "cajal/Chip/DendriticTree.h"
#include "cajal/Chip/Learning.h"
#include "cajal/Chip/Neurocore.h"
#include "cajal/Chip/Profile.h"
#include "cajal/Chip/Result.h"

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace cajal::chip {

/// Where an output axon (or a source channel) sends a spike.
struct AxonTarget {
  uint32_t core = 0;      ///< index into Image::cores
  uint32_t inputAxon = 0; ///< index into that core's inputAxons
  bool operator==(const AxonTarget &o) const {
    return core == o.core && inputAxon == o.inputAxon;
  }
};

/// One input axon's synapse group: `synapseCount` synapses packed from word
/// `firstWord` of the core's synapse memory, all in one format.
struct InputAxon {
  // The 32-bit fields first and the bytes together: 16 bytes, not 20, and a
  // decoded image of random connectivity holds one per synapse.
  uint32_t firstWord = 0;
  uint32_t synapseCount = 0;
  /// Index into ImageLearning::rules of the rule the group's synapses learn
  /// by (docs/learning.md); kNoLearning: fixed synapses. A learning group
  /// stores a tag per synapse, has delays and learning.weightBits.
  uint32_t learning = kNoLearning;
  static constexpr uint32_t kNoLearning = UINT32_MAX;
  uint8_t weightBits = 1; ///< mantissa magnitude bits (a sign bit follows)
  int8_t weightExponent = 0;
  bool hasDelay = false; ///< false: every synapse has delay 1
  /// A reward axon's synapses add their weights to their compartments'
  /// third factor r, not to their input (docs/learning.md, "Third factor").
  bool reward = false;
  bool learns() const { return learning != kNoLearning; }
  bool operator==(const InputAxon &o) const {
    return firstWord == o.firstWord && synapseCount == o.synapseCount &&
           weightBits == o.weightBits && weightExponent == o.weightExponent &&
           hasDelay == o.hasDelay && learning == o.learning &&
           reward == o.reward;
  }
};

/// One synapse, unpacked.
static_assert(sizeof(InputAxon) == 16, "InputAxon's fields are packed");

struct Synapse {
  uint32_t compartment = 0;
  int32_t mantissa = 0;
  uint32_t delay = 1;
  int32_t tag = 0; ///< learning groups only
  bool operator==(const Synapse &o) const {
    return compartment == o.compartment && mantissa == o.mantissa &&
           delay == o.delay && tag == o.tag;
  }
};

struct Core {
  uint32_t x = 0, y = 0; ///< mesh coordinates of the core's tile
  uint32_t tileSlot = 0; ///< which of the tile's cores
  std::vector<CompartmentParams> compartments;
  std::vector<InputAxon> inputAxons;
  std::vector<uint64_t> synapseWords;
  /// Output axons of compartment c are outputAxons[outputBegin[c] ..
  /// outputBegin[c+1]); outputBegin has compartments.size() + 1 entries.
  std::vector<uint32_t> outputBegin;
  std::vector<AxonTarget> outputAxons;
  /// Parameter words of the compartments that run a program outside the
  /// LIF family: compartment c's are paramWords[paramBegin[c] ..
  /// paramBegin[c+1]), as many as its program declares. Empty paramBegin:
  /// no compartment of the core has any (every one runs the LIF family,
  /// whose words come from its CompartmentParams record: lifParamWords).
  /// Otherwise paramBegin has compartments.size() + 1 entries.
  std::vector<uint32_t> paramBegin;
  std::vector<int64_t> paramWords;
  /// State words the compartments hold before step 0, where they are not
  /// their program's StateWord::initial values: compartment c's are
  /// initialWords[initialBegin[c] .. initialBegin[c+1]), none (its
  /// program's) or one per state word of its program (for the LIF family
  /// u, v, the refractory counter), each within its declared width. Empty
  /// initialBegin: every compartment starts at its program's values.
  /// Otherwise initialBegin has compartments.size() + 1 entries.
  std::vector<uint32_t> initialBegin;
  std::vector<int32_t> initialWords;
};

/// A spike source on the host side (Loihi's embedded x86 / host).
enum class SourceKind : uint8_t {
  External = 0, ///< spikes given at run time (`cajal run --input`)
  File = 1,     ///< spikes embedded at compile time
  Poisson = 2,  ///< Bernoulli per step with probability, seeded
  Periodic = 3, ///< every `period` steps from `phase`
  /// Poisson-distributed spike counts per step (the exact sum of a group of
  /// Poisson trains), seeded; `probability` holds e^-mean as a 0.32 fraction
  PoissonGroup = 4,
};

struct SourceSpike {
  uint32_t step = 0;
  uint32_t index = 0;
};

struct Source {
  std::string name;
  SourceKind kind = SourceKind::External;
  uint32_t size = 0;
  /// Poisson: spike probability per step as a 0.32 fixed-point fraction.
  /// PoissonGroup: e^-mean as a 0.32 fraction (>= kPoissonGroupMinThreshold).
  uint32_t probability = 0;
  uint64_t seed = 0;
  uint32_t period = 0, phase = 0;  ///< Periodic
  std::vector<SourceSpike> spikes; ///< File, sorted by (step, index)
  /// Channel i fans out to targets[targetBegin[i] .. targetBegin[i+1]).
  std::vector<uint32_t> targetBegin;
  std::vector<AxonTarget> targets;
};

/// A contiguous piece of a population placed on one core: `count` neurons
/// from firstNeuron, each taking compartmentsPerNeuron(population)
/// consecutive compartments from firstCompartment.
struct Slice {
  uint32_t core = 0;
  uint32_t firstCompartment = 0;
  uint32_t firstNeuron = 0; ///< flat index within the population
  uint32_t count = 0;       ///< neurons
};

struct Population {
  std::string name;
  uint32_t size = 0;
  std::vector<Slice> slices; ///< sorted by firstNeuron, covering [0, size)
  bool recordSpikes = true;  ///< probed (all populations when none is)
  bool recordState = false;  ///< u and v probed
  /// Other names under which its spikes are recorded too (a NIR Output node
  /// fed by this population); unique among all node names.
  std::vector<std::string> aliases;
  /// Index into Image::programs of the program every compartment of the
  /// population runs; kLifByRecord: the LIF-family program its records'
  /// flags name (lifProgram(profile.neuron, lifResetOf(record))). Stored
  /// as is in image files.
  uint32_t program = kLifByRecord;
  static constexpr uint32_t kLifByRecord = UINT32_MAX;
  /// Each neuron's dendritic tree (docs/neurocore-isa.md, "Dendritic
  /// trees"), its compartments' programs indices into Image::programs;
  /// empty: point neurons. A tree population's `program` is its root's.
  /// Neuron n of a slice takes compartments firstCompartment + (n -
  /// firstNeuron) * tree.size() + k, k in tree order, the root last.
  DendriticTree tree = {};
  /// The post-synaptic traces y1, y2, y3 of its compartments
  /// (docs/learning.md); all zero: its compartments have none (they stay 0).
  std::array<TraceParams, 3> postTraces = {};
};

/// Compartments one neuron of `p` takes: its tree's, or 1.
inline uint32_t compartmentsPerNeuron(const Population &p) {
  return p.tree.empty() ? 1u : uint32_t(p.tree.size());
}

/// One rule synapse groups learn by, with the pre-synaptic traces of their
/// input axons.
struct LearningRuleSetting {
  LearningRule rule;
  TraceParams x1, x2;
  WeightSign sign = WeightSign::Mixed;
  bool operator==(const LearningRuleSetting &o) const {
    return rule == o.rule && x1 == o.x1 && x2 == o.x2 && sign == o.sign;
  }
};

/// The image's learning (docs/learning.md): the epoch, the seed of every
/// stochastic rounding, the rules. epochSteps 0: the image does not learn
/// (no rules, no learning or reward axons).
struct ImageLearning {
  uint32_t epochSteps = 0;
  uint64_t seed = 0;
  std::vector<LearningRuleSetting> rules;
  bool enabled() const { return epochSteps != 0; }
};

struct Image {
  static constexpr uint32_t formatVersion = 9;
  std::string profileName;
  uint64_t profileFingerprint = 0;
  /// The neuron programs populations run (docs/neurocore-isa.md), each
  /// stored once however many populations and compartments share it.
  std::vector<Program> programs;
  std::vector<Core> cores;
  std::vector<Source> sources;
  std::vector<Population> populations;
  ImageLearning learning;
};

/// Bits of a synapse's tag field: synapse.tagBits + 1 (two's complement)
/// in a learning group, none otherwise.
unsigned tagFieldBits(const InputAxon &axon, const SynapseFormat &f);
/// Synapses of a packed group per the profile's format.
unsigned synapseBits(const InputAxon &axon, const SynapseFormat &f);
unsigned synapsesPerWord(const InputAxon &axon, const SynapseFormat &f);
/// Words a group occupies, in 64 bits (a count near 2^32 needs them).
uint64_t wordsForGroup(const InputAxon &axon, const SynapseFormat &f);
/// Append `synapses` to `words` packed in `axon`'s format and set
/// axon.firstWord / synapseCount. Values must fit (checked by validate()).
void packSynapses(const std::vector<Synapse> &synapses, InputAxon &axon,
                  std::vector<uint64_t> &words, const SynapseFormat &f);
/// Unpack synapse `i` of `axon` from `words`.
Synapse unpackSynapse(const std::vector<uint64_t> &words, const InputAxon &axon,
                      uint32_t i, const SynapseFormat &f);
/// Unpack every synapse of `axon` into `out` (resized to synapseCount),
/// exactly as unpackSynapse one by one (zero past the end of `words`), but
/// walking the words once.
void unpackSynapses(const std::vector<uint64_t> &words, const InputAxon &axon,
                    const SynapseFormat &f, std::vector<Synapse> &out);

/// Where a group's fields sit in a packed synapse (the format of
/// docs/chip-image.md), worked out once per group, inline: with random
/// connectivity most groups hold one synapse, and validate() and the
/// loaders decode every group of the image.
struct SynapseFields {
  SynapseFields() = default; // unset; SynapseFieldTable fills it
  SynapseFields(const InputAxon &axon, const SynapseFormat &f)
      : tagBits(axon.learns() ? f.tagBits + 1 : 0),
        bits(f.compartmentIndexBits + 1 + axon.weightBits +
             (axon.hasDelay ? f.delayBits : 0) + tagBits),
        perWord(bits > f.wordBits ? 0 : f.wordBits / bits),
        signAt(f.compartmentIndexBits), weightAt(signAt + 1),
        delayAt(weightAt + axon.weightBits),
        tagAt(delayAt + (axon.hasDelay ? f.delayBits : 0)),
        hasDelay(axon.hasDelay), fieldMask(lowBits(bits)),
        indexMask(lowBits(f.compartmentIndexBits)),
        weightMask(lowBits(axon.weightBits)), delayMask(lowBits(f.delayBits)),
        tagMask(lowBits(tagBits)) {}

  static uint64_t lowBits(unsigned n) {
    return n >= 64 ? ~uint64_t(0) : (uint64_t(1) << n) - 1;
  }
  /// Words a group of `count` synapses occupies (none when a synapse is
  /// wider than a word: validate() reports that group).
  uint64_t wordsFor(uint64_t count) const {
    return perWord == 0 ? 0 : (count + perWord - 1) / perWord;
  }
  /// Whether `count` synapses from word `first` end within `size` words,
  /// without wordsFor's division.
  bool fitsIn(uint64_t first, uint64_t count, uint64_t size) const {
    if (count == 0)
      return true;
    return perWord == 0 ? first <= size
                        : first < size && count <= (size - first) * perWord;
  }
  /// The synapse in the low `bits` of `field`.
  Synapse decode(uint64_t field) const {
    Synapse s;
    s.compartment = uint32_t(field & indexMask);
    const int32_t magnitude = int32_t((field >> weightAt) & weightMask);
    s.mantissa = (field >> signAt) & 1 ? -magnitude : magnitude;
    s.delay = hasDelay ? uint32_t((field >> delayAt) & delayMask) : 1;
    if (tagBits != 0) { // two's complement
      const uint64_t sign = uint64_t(1) << (tagBits - 1);
      s.tag =
          int32_t(int64_t(((field >> tagAt) & tagMask) ^ sign) - int64_t(sign));
    }
    return s;
  }

  unsigned tagBits, bits, perWord, signAt, weightAt, delayAt, tagAt;
  bool hasDelay;
  uint64_t fieldMask, indexMask, weightMask, delayMask, tagMask;
};

/// The fields of the group shapes a format allows (weight bits up to
/// synapse.weightBitsMax <= 31, with or without delays and tags), each
/// worked out when first asked for: a division per group is a cost the
/// per-group loops of validate() and the loaders notice.
class SynapseFieldTable {
public:
  explicit SynapseFieldTable(const SynapseFormat &f) : format(f) {}
  /// The fields of `axon`'s group; its weightBits must be at most the
  /// format's weightBitsMax (validate() checks that first).
  const SynapseFields &operator[](const InputAxon &axon) {
    const unsigned shape = (axon.weightBits & 31u) * 4u +
                           (axon.hasDelay ? 1u : 0u) +
                           (axon.learns() ? 2u : 0u);
    if (!known[shape]) {
      table[shape] = SynapseFields(axon, format);
      known[shape] = true;
    }
    return table[shape];
  }

private:
  static constexpr unsigned kShapes = 32 * 4;
  const SynapseFormat &format;
  std::array<SynapseFields, kShapes> table;
  std::array<bool, kShapes> known{};
};

/// Calls `visit(i, synapse)` for the synapses of `axon` in order, decoded
/// as unpackSynapse does, and stops early when it returns false or the
/// words end (validate() checks that they hold the group). Nothing is
/// stored: the loaders' per-group loops take the fields as they come.
template <typename Visit>
inline void forEachSynapse(const std::vector<uint64_t> &words,
                           const InputAxon &axon, const SynapseFields &fields,
                           Visit &&visit) {
  if (fields.perWord == 0 || axon.firstWord >= words.size())
    return;
  const uint64_t *word = words.data() + axon.firstWord;
  const uint64_t *end = words.data() + words.size();
  for (uint32_t i = 0; i < axon.synapseCount && word != end; ++word) {
    uint64_t w = *word;
    for (unsigned k = 0; k < fields.perWord && i < axon.synapseCount;
         ++k, ++i) {
      if (!visit(i, fields.decode(w & fields.fieldMask)))
        return;
      w = fields.bits >= 64 ? 0 : w >> fields.bits;
    }
  }
}

/// Whether a core's mesh position (x, y, slot in the tile) exists on the
/// profile's mesh; the error names the position and the mesh. validate()
/// runs it on every core; the compiler runs it on the cores it places.
Status checkCorePosition(uint32_t x, uint32_t y, uint32_t slot,
                         const Profile &profile);

/// Check every field against the profile and every index against its table,
/// every program (validateProgram, the error prefixed with the populations
/// that run it) and every compartment's parameter words against its
/// program (count and declared widths; none for the LIF family). The error
/// names the core/axon/compartment or population and the value.
/// Also checks that the image was built for `profile` (checkProfileMatch).
Status validate(const Image &image, const Profile &profile);
/// The checks that need no profile: every index (output and source targets,
/// population slices and programs, outputBegin/targetBegin/paramBegin
/// offsets, synapse words) points inside its table; File spikes are sorted.
/// The writers run it.
Status validateStructure(const Image &image);
/// Error naming both profiles when image.profileName/profileFingerprint do
/// not match `profile`.
Status checkProfileMatch(const Image &image, const Profile &profile);
/// "0x" and 16 lower-case hex digits.
std::string fingerprintHex(uint64_t fingerprint);

/// Write atomically (temporary file + rename): no partial file on failure.
/// Runs validateStructure() first; on any error no file is created.
Status writeImage(const Image &image, const std::string &path);
/// As above, but runs the full validate() against `profile` first.
Status writeImage(const Image &image, const Profile &profile,
                  const std::string &path);
/// Streaming writer: cores are written one at a time (or a batch at a time)
/// so that the compiler holds a few cores' synapses in memory, not the
/// network's.
class ImageWriter {
public:
  /// Begin a file at `path` (written to a temporary until finish()).
  static Result<ImageWriter> create(const std::string &path,
                                    const Image &header, uint32_t coreCount);
  Status addCore(const Core &core);
  /// Adds the next `count` cores, core k of them being build(k), built and
  /// compressed on up to `threads` threads and written in order: the file is
  /// the same whatever `threads`. The first error in core order is
  /// returned (build's as it gives it).
  Status addCores(uint32_t count, unsigned threads,
                  const std::function<Result<Core>(uint32_t)> &build);
  /// Writes sources, programs and populations (the trailer's), then renames
  /// into place.
  Status finish(const Image &trailer);
  ImageWriter(ImageWriter &&) noexcept;
  ImageWriter &operator=(ImageWriter &&) noexcept;
  ~ImageWriter(); ///< removes the temporary if finish() was not reached

private:
  ImageWriter() = default;
  struct Impl;
  Impl *impl = nullptr;
};

/// What the HEAD section says: enough to find the image's profile.
struct ImageHeader {
  std::string profileName;
  uint64_t profileFingerprint = 0;
  uint32_t coreCount = 0;
};

/// Read the preamble and the HEAD section only (a few bytes, whatever the
/// image's size): the driver resolves the profile before loading synapses.
/// Errors as readImage's for those bytes; the checksum is not verified.
Result<ImageHeader> readImageHeader(const std::string &path);
/// checkProfileMatch on the header alone.
Status checkProfileMatch(const ImageHeader &header, const Profile &profile);

/// Read and validate against `profile`: wrong magic, version, truncation,
/// checksum, profile mismatch and out-of-range indices each give their own
/// error naming the file.
Result<Image> readImage(const std::string &path, const Profile &profile);
/// Read without a profile (for `inspect`): structure and checksum only.
Result<Image> readImageUnchecked(const std::string &path);
/// readImageUnchecked for a file already in memory; `name` stands for the
/// file in messages (the fuzz target reads its inputs so).
Result<Image> parseImageUnchecked(const std::string &bytes,
                                  const std::string &name);

} // namespace cajal::chip

#endif // CAJAL_CHIP_IMAGE_H
