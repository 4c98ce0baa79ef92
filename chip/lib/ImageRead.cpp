//===- ImageRead.cpp - Chip-image binary file: read and check -------------===//
//
// Reading happens in four passes over the file, each with its own error
// kind, so that a user learns what is wrong with the file. A file is read in
// pieces (a megabyte at a time for the checksum, then the cores in batches
// of about 64 MiB, decoded on several threads, then one section body at a
// time), never whole: the peak is the decoded image and one batch, not the
// file beside it.
//   1. preamble: too short (truncated), wrong magic, unsupported version;
//   2. section walk (after 3 when the file ends with END): tag and length of
//   every section up to END; a section
//      that runs past the end of the file is reported as truncated, with the
//      section (e.g. "CORE #3") and offsets;
//   3. checksum: FNV-1a 64 of all bytes before the END tag. When the file
//      ends with a whole END section it was not cut short, so the checksum
//      is verified before the walk and a damaged length field is reported
//      as a checksum mismatch, not as a truncation;
//   4. decode: the section order HEAD, CORE x n, SRCS, PRGS, POPS, END and the
//      bodies (bounds-checked: a count larger than the bytes left is an
//      error, never a huge allocation), then validateStructure().
// readImage() then checks the profile (name and fingerprint) and validate().
// The layout is in ImageFile.cpp and docs/chip-image.md.
//
//===----------------------------------------------------------------------===//

#include "ImageInternal.h"
#include "cajal/Chip/CoreTables.h"
#include "cajal/Chip/HugePages.h"
#include "cajal/Chip/Image.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <string_view>
#include <sys/stat.h>
#include <thread>
#include <type_traits>
#include <unistd.h>
#include <utility>

#include <zstd.h>

namespace cajal::chip {
namespace {

constexpr char kMagic[8] = {'C', 'A', 'J', 'A', 'L', 'I', 'M', 'G'};
constexpr size_t kPreambleBytes = 12;
constexpr size_t kSectionHeaderBytes = 12;
constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ull;
constexpr uint64_t kFnvPrime = 0x100000001b3ull;

std::string str(uint64_t v) { return std::to_string(v); }

uint64_t readLE(const std::string &b, size_t at, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i)
    v |= uint64_t(uint8_t(b[at + i])) << (8 * i);
  return v;
}

struct SectionRef {
  std::string tag;
  size_t offset = 0; ///< of the section header
  size_t body = 0;   ///< of the body
  uint64_t length = 0;
};

/// Bytes of the file from offset `base` on: a section body read for the
/// decode, or the whole file when it is in memory (base 0).
struct Piece {
  const std::string *bytes = nullptr;
  size_t base = 0;
};

/// A bounds-checked little-endian reader over one section body; offsets (in
/// messages too) are the file's.
class Cursor {
public:
  Cursor(Piece piece, const SectionRef &s, std::string label)
      : b(*piece.bytes), base(piece.base), pos(s.body), end(s.body + s.length),
        name(std::move(label)) {}

  bool ok() const { return err.empty(); }
  const std::string &error() const { return err; }
  bool atEnd() const { return pos == end; }

  uint64_t uN(int n) {
    if (!need(n, "a field"))
      return 0;
    const uint64_t v = readLE(b, pos - base, n);
    pos += n;
    return v;
  }
  uint8_t u8() { return uint8_t(uN(1)); }
  uint16_t u16() { return uint16_t(uN(2)); }
  uint32_t u32() { return uint32_t(uN(4)); }
  uint64_t u64() { return uN(8); }
  /// A count of elements of at least `elemBytes` bytes each.
  uint32_t count(size_t elemBytes, const char *what) {
    const uint32_t n = u32();
    if (ok() && uint64_t(n) * elemBytes > end - pos)
      fail(std::string(what) + " count " + str(n) + " needs " +
           str(uint64_t(n) * elemBytes) + " bytes, only " + str(end - pos) +
           " left");
    return ok() ? n : 0;
  }
  /// The next `n` bytes, or null (and an error) when fewer remain.
  const uint8_t *take(size_t n, const char *what) {
    if (!need(n, what))
      return nullptr;
    const uint8_t *p =
        reinterpret_cast<const uint8_t *>(b.data()) + (pos - base);
    pos += n;
    return p;
  }
  /// The bytes from here to the end of the body, consumed.
  std::string_view takeRest() {
    const std::string_view rest(b.data() + (pos - base), end - pos);
    pos = end;
    return rest;
  }
  size_t left() const { return end - pos; }
  std::string text(const char *what) {
    const uint32_t n = count(1, what);
    if (!ok())
      return {};
    std::string s = b.substr(pos - base, n);
    pos += n;
    return s;
  }
  /// Take another cursor's whole error as this one's.
  void adopt(const std::string &error) {
    if (err.empty())
      err = error;
  }
  void fail(const std::string &message) {
    if (err.empty())
      err = "malformed " + name + " at offset " + str(pos) + ": " + message;
  }

private:
  bool need(size_t n, const char *what) {
    if (!ok())
      return false;
    if (end - pos < n) {
      fail(std::string("body ends before ") + what);
      return false;
    }
    return true;
  }
  const std::string &b;
  size_t base, pos, end;
  std::string name;
  std::string err;
};

TraceParams getTraceParams(Cursor &c) {
  TraceParams t;
  t.impulseInteger = c.u32();
  t.impulseFraction = c.u32();
  t.decay = c.u32();
  return t;
}

AxonTarget getTarget(Cursor &c) {
  AxonTarget t;
  t.core = c.u32();
  t.inputAxon = c.u32();
  return t;
}

std::vector<uint32_t> getOffsets(Cursor &c, const char *what) {
  std::vector<uint32_t> v(c.count(4, what));
  for (uint32_t &x : v)
    x = c.u32();
  return v;
}

/// `n` values stored as byte planes (ImageFile.cpp, putPlanes).
template <typename T>
void getPlanes(Cursor &c, size_t n, bool delta, const char *what,
               std::vector<T> &out) {
  using U = std::make_unsigned_t<T>;
  out.assign(n, T(0));
  const uint8_t *in = c.take(n * sizeof(T), what);
  if (!in)
    return;
  U previous = 0;
  for (size_t i = 0; i < n; ++i) {
    U v = 0;
    for (size_t k = 0; k < sizeof(T); ++k)
      v |= U(U(in[k * n + i]) << (8 * k));
    previous = delta ? U(previous + v) : v;
    out[i] = T(previous);
  }
}

/// Which of a core's columns decodeCore fills in.
enum class CoreColumns {
  All,
  /// Its input axons and synapse words only, of a core decoded and checked
  /// before (the rest is skipped, not read).
  SynapseTables,
};

void decodeCoreColumns(Cursor &c, Core &core, CoreColumns columns) {
  core.x = c.u32();
  core.y = c.u32();
  core.tileSlot = c.u32();
  const size_t compartments = c.count(15, "compartment");
  if (columns == CoreColumns::SynapseTables)
    c.take(15 * compartments, "compartment");
  core.compartments.resize(columns == CoreColumns::All ? compartments : 0);
  for (CompartmentParams &p : core.compartments) {
    p.decayU = c.u16();
    p.decayV = c.u16();
    p.biasMantissa = int16_t(c.u16());
    p.biasExponent = c.u8();
    p.refractory = c.u8();
    p.thresholdMantissa = c.u32();
    p.vminExponent = c.u8();
    p.vmaxExponent = c.u8();
    p.flags = c.u8();
  }
  const size_t axons = c.count(16, "input axon");
  std::vector<uint32_t> firstWord, synapseCount;
  std::vector<uint8_t> weightBits, hasDelay, reward;
  std::vector<uint32_t> learning;
  std::vector<int8_t> weightExponent;
  getPlanes(c, axons, /*delta=*/true, "input axon firstWord", firstWord);
  getPlanes(c, axons, false, "input axon synapseCount", synapseCount);
  getPlanes(c, axons, false, "input axon weightBits", weightBits);
  getPlanes(c, axons, false, "input axon weightExponent", weightExponent);
  getPlanes(c, axons, false, "input axon hasDelay", hasDelay);
  getPlanes(c, axons, false, "input axon learning", learning);
  getPlanes(c, axons, false, "input axon reward", reward);
  core.inputAxons.resize(c.ok() ? axons : 0);
  for (size_t a = 0; a < core.inputAxons.size(); ++a) {
    InputAxon &in = core.inputAxons[a];
    in.firstWord = firstWord[a];
    in.synapseCount = synapseCount[a];
    in.weightBits = weightBits[a];
    in.weightExponent = weightExponent[a];
    if (hasDelay[a] > 1)
      c.fail("input axon " + str(a) + ": hasDelay byte " + str(hasDelay[a]) +
             " is neither 0 nor 1");
    in.hasDelay = hasDelay[a] == 1;
    in.learning = learning[a];
    if (reward[a] > 1)
      c.fail("input axon " + str(a) + ": reward byte " + str(reward[a]) +
             " is neither 0 nor 1");
    in.reward = reward[a] == 1;
  }
  getPlanes(c, c.count(8, "synapse word"), false, "synapse words",
            core.synapseWords);
  if (columns == CoreColumns::SynapseTables)
    return;
  getPlanes(c, c.count(4, "outputBegin"), /*delta=*/true, "outputBegin",
            core.outputBegin);
  const size_t outputs = c.count(8, "output axon");
  std::vector<uint32_t> targetCore, targetAxon;
  getPlanes(c, outputs, /*delta=*/true, "output axon core", targetCore);
  getPlanes(c, outputs, false, "output axon inputAxon", targetAxon);
  core.outputAxons.resize(c.ok() ? outputs : 0);
  for (size_t i = 0; i < core.outputAxons.size(); ++i)
    core.outputAxons[i] = AxonTarget{targetCore[i], targetAxon[i]};
  core.paramBegin = getOffsets(c, "paramBegin");
  core.paramWords.resize(c.count(8, "parameter word"));
  for (int64_t &w : core.paramWords)
    w = int64_t(c.u64());
  core.initialBegin = getOffsets(c, "initialBegin");
  core.initialWords.resize(c.count(4, "initial state word"));
  for (int32_t &w : core.initialWords)
    w = int32_t(c.u32());
}

/// A CORE body: its encoding byte, then the columns as they are or
/// zstd-compressed behind their length.
void decodeCore(Cursor &c, Core &core, const std::string &name,
                CoreColumns which = CoreColumns::All) {
  // Per thread: cores are decoded on several (decode()).
  thread_local std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx *)> decompressor(
      ZSTD_createDCtx(), ZSTD_freeDCtx);
  thread_local std::string columns;
  const uint8_t encoding = c.u8();
  if (!c.ok())
    return;
  if (encoding == uint8_t(CoreEncoding::Stored)) {
    decodeCoreColumns(c, core, which);
    return;
  }
  if (encoding != uint8_t(CoreEncoding::Zstd)) {
    c.fail("unknown core encoding " + str(encoding) + " (0 stored, 1 zstd)");
    return;
  }
  const uint64_t length = c.u64();
  if (!c.ok())
    return;
  if (length > c.left() * kZstdMaxExpansion) {
    c.fail("compressed columns state " + str(length) + " bytes, more than " +
           str(c.left()) + " compressed bytes can hold");
    return;
  }
  const std::string_view frame = c.takeRest();
  const unsigned long long stated =
      ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (stated != length) {
    c.fail(
        "the zstd frame holds " +
        (stated == ZSTD_CONTENTSIZE_ERROR || stated == ZSTD_CONTENTSIZE_UNKNOWN
             ? std::string("no valid content size")
             : str(stated) + " bytes") +
        ", the section states " + str(length));
    return;
  }
  if (!decompressor) {
    c.fail("out of memory for the zstd decompressor");
    return;
  }
  columns.resize(size_t(length));
  const size_t n =
      ZSTD_decompressDCtx(decompressor.get(), columns.data(), columns.size(),
                          frame.data(), frame.size());
  if (ZSTD_isError(n) || n != length) {
    c.fail(std::string("compressed columns do not decompress: ") +
           (ZSTD_isError(n) ? ZSTD_getErrorName(n)
                            : "the frame holds fewer bytes than it states"));
    return;
  }
  SectionRef whole;
  whole.length = length;
  Cursor inner(Piece{&columns, 0}, whole, name + " (decompressed columns)");
  decodeCoreColumns(inner, core, which);
  if (which == CoreColumns::All && inner.ok() && !inner.atEnd())
    inner.fail("unexpected bytes after the columns");
  if (!inner.ok())
    c.adopt(inner.error());
}

/// A byte that must be 0 or 1.
bool getFlag(Cursor &c, const std::string &what) {
  const uint8_t v = c.u8();
  if (v > 1)
    c.fail(what + " byte " + str(v) + " is neither 0 nor 1");
  return v == 1;
}

/// Smallest encodings, for the count checks: a program with empty tables
/// and names, a state word and a parameter word with empty names.
constexpr size_t kMinProgramBytes = 4 + 4 + 4 + 4 + 4 + 1 + 1 + 1 + 4 + 4;
constexpr size_t kMinStateWordBytes = 4 + 1 + 1 + 1 + 4;
constexpr size_t kMinParamWordBytes = 4 + 1 + 1;

void decodePrograms(Cursor &c, std::vector<Program> &programs) {
  programs.resize(c.count(kMinProgramBytes, "program"));
  for (size_t i = 0; i < programs.size() && c.ok(); ++i) {
    Program &p = programs[i];
    p.name = c.text("program name");
    const std::string where = "program " + str(i) + " \"" + p.name + "\": ";
    p.state.resize(c.count(kMinStateWordBytes, "state word"));
    for (StateWord &w : p.state) {
      w.name = c.text("state word name");
      w.bits = c.u8();
      w.isSigned = getFlag(c, where + "state word \"" + w.name + "\" signed");
      w.overflow = Overflow(c.u8());
      w.initial = int32_t(c.u32());
    }
    p.params.resize(c.count(kMinParamWordBytes, "parameter word"));
    for (ParamWord &w : p.params) {
      w.name = c.text("parameter word name");
      w.bits = c.u8();
      w.isSigned =
          getFlag(c, where + "parameter word \"" + w.name + "\" signed");
    }
    p.constants.resize(c.count(8, "constant"));
    for (int64_t &k : p.constants)
      k = int64_t(c.u64());
    // origin, shift and entry count: 13 bytes before the entries.
    p.tables.resize(c.count(13, "lookup table"));
    for (LookupTable &t : p.tables) {
      t.origin = int64_t(c.u64());
      t.shift = c.u8();
      t.entries.resize(c.count(4, "lookup table entry"));
      for (int32_t &e : t.entries)
        e = int32_t(c.u32());
    }
    p.refractoryWord = int(int32_t(c.u32()));
    const uint8_t kind = c.u8();
    const uint8_t index = c.u8();
    if (kind > uint8_t(isa::OperandKind::Input))
      c.fail(where + "refractory period operand kind " + str(kind) +
             " is unknown");
    if (index >= isa::kMaxOperandIndex)
      c.fail(where + "refractory period operand index " + str(index) +
             " exceeds " + str(isa::kMaxOperandIndex - 1));
    p.refractoryPeriod = {isa::OperandKind(kind), index};
    p.skipIdle = getFlag(c, where + "skipIdle");
    p.idleParams = c.u32();
    p.code.resize(c.count(8, "instruction"));
    for (uint64_t &word : p.code)
      word = c.u64();
  }
}

void decodeSources(Cursor &c, std::vector<Source> &sources) {
  sources.resize(c.count(41, "source"));
  for (Source &s : sources) {
    s.name = c.text("source name");
    const uint8_t kind = c.u8();
    if (kind > uint8_t(SourceKind::PoissonGroup))
      c.fail("source \"" + s.name + "\": unknown kind " + str(kind));
    s.kind = SourceKind(kind);
    s.size = c.u32();
    s.probability = c.u32();
    s.seed = c.u64();
    s.period = c.u32();
    s.phase = c.u32();
    s.spikes.resize(c.count(8, "spike"));
    for (SourceSpike &sp : s.spikes) {
      sp.step = c.u32();
      sp.index = c.u32();
    }
    s.targetBegin = getOffsets(c, "targetBegin");
    s.targets.resize(c.count(8, "target"));
    for (AxonTarget &t : s.targets)
      t = getTarget(c);
  }
}

void decodePopulations(Cursor &c, std::vector<Population> &pops) {
  pops.resize(c.count(26 + 36, "population"));
  for (Population &p : pops) {
    p.name = c.text("population name");
    p.size = c.u32();
    p.recordSpikes = c.u8() != 0;
    p.recordState = c.u8() != 0;
    p.program = c.u32();
    p.slices.resize(c.count(16, "slice"));
    for (Slice &s : p.slices) {
      s.core = c.u32();
      s.firstCompartment = c.u32();
      s.firstNeuron = c.u32();
      s.count = c.u32();
    }
    p.aliases.resize(c.count(4, "alias"));
    for (std::string &alias : p.aliases)
      alias = c.text("population alias");
    p.tree.resize(c.count(12, "tree compartment"));
    for (TreeCompartment &t : p.tree) {
      t.name = c.text("tree compartment name");
      t.program = c.u32();
      t.parent = int32_t(c.u32());
    }
    for (TraceParams &t : p.postTraces)
      t = getTraceParams(c);
  }
}

void decodeLearning(Cursor &c, ImageLearning &l) {
  l.epochSteps = c.u32();
  l.seed = c.u64();
  l.rules.resize(c.count(25 + 4 * kLearningTargetCount, "learning rule"));
  for (LearningRuleSetting &r : l.rules) {
    r.x1 = getTraceParams(c);
    r.x2 = getTraceParams(c);
    const uint8_t sign = c.u8();
    if (sign >= kWeightSignCount)
      c.fail("learning rule: weight sign " + str(sign) +
             " is not 0 (mixed), 1 (excitatory) or 2 (inhibitory)");
    r.sign = WeightSign(sign);
    for (std::vector<RuleTerm> &terms : r.rule.terms) {
      terms.resize(c.count(13, "learning rule term"));
      for (RuleTerm &t : terms) {
        t.mantissa = int32_t(c.u32());
        t.exponent = int32_t(c.u32());
        const uint8_t dependency = c.u8();
        if (dependency > uint8_t(LearningVariable::U))
          c.fail("learning rule term: dependency " + str(dependency) +
                 " is not x0, y0 or u");
        t.dependency = LearningVariable(dependency);
        t.factors.resize(c.count(5, "learning rule factor"));
        for (RuleFactor &f : t.factors) {
          const uint8_t variable = c.u8();
          if (variable > uint8_t(LearningVariable::C) ||
              variable <= uint8_t(LearningVariable::U))
            c.fail("learning rule factor: variable " + str(variable) +
                   " is not one of x1, x2, y1, y2, y3, r, w, d, t or a "
                   "constant");
          f.variable = LearningVariable(variable);
          f.constant = int32_t(c.u32());
        }
      }
    }
  }
}

/// The bytes of an image: a file read in pieces, or a file in memory.
class ByteSource {
public:
  virtual ~ByteSource() = default;
  virtual uint64_t size() const = 0;
  /// Bytes [at, at + n) into `out` (at + n <= size()).
  virtual Status read(uint64_t at, size_t n, std::string &out) = 0;
  /// Bytes [at, at + n) as a piece; `buffer` may hold them.
  virtual Result<Piece> piece(uint64_t at, size_t n, std::string &buffer) = 0;
  /// The bytes [at, at + n) as a string (small reads: headers, fields).
  Result<std::string> get(uint64_t at, size_t n) {
    std::string out;
    if (Status s = read(at, n, out); !s)
      return Error{s.error()};
    return out;
  }
};

class MemorySource final : public ByteSource {
public:
  explicit MemorySource(const std::string &bytes) : b(bytes) {}
  uint64_t size() const override { return b.size(); }
  Status read(uint64_t at, size_t n, std::string &out) override {
    out.assign(b, size_t(at), n);
    return Status::ok();
  }
  Result<Piece> piece(uint64_t, size_t, std::string &) override {
    return Piece{&b, 0};
  }

private:
  const std::string &b;
};

/// A file read with pread: it keeps no position, so the checksum and the
/// decode read it from two threads at once.
class FileSource final : public ByteSource {
public:
  static Result<FileSource> open(const std::string &path) {
    FileSource f(path, ::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (f.fd < 0)
      return makeError(path + ": cannot open image: " + std::strerror(errno));
    struct stat status;
    if (::fstat(f.fd, &status) != 0 || !S_ISREG(status.st_mode))
      return makeError(path + ": cannot open image: not a regular file");
    f.bytes = uint64_t(status.st_size);
    return f;
  }
  FileSource(FileSource &&other) noexcept
      : path(std::move(other.path)), fd(std::exchange(other.fd, -1)),
        bytes(other.bytes) {}
  FileSource &operator=(FileSource &&) = delete;
  FileSource(const FileSource &) = delete;
  ~FileSource() override {
    if (fd >= 0)
      ::close(fd);
  }
  uint64_t size() const override { return bytes; }
  Status read(uint64_t at, size_t n, std::string &out) override {
    out.resize(n);
    for (size_t done = 0; done < n;) {
      const ssize_t got =
          ::pread(fd, out.data() + done, n - done, off_t(at + done));
      if (got < 0 && errno == EINTR)
        continue;
      if (got <= 0)
        return makeError(path + ": read error at offset " + str(at + done) +
                         (got < 0 ? std::string(": ") + std::strerror(errno)
                                  : std::string(": the file ends there")));
      done += size_t(got);
    }
    return Status::ok();
  }
  Result<Piece> piece(uint64_t at, size_t n, std::string &buffer) override {
    if (Status s = read(at, n, buffer); !s)
      return Error{s.error()};
    return Piece{&buffer, size_t(at)};
  }

private:
  FileSource(std::string file, int descriptor)
      : path(std::move(file)), fd(descriptor) {}
  std::string path;
  int fd = -1;
  uint64_t bytes = 0;
};

Status checkPreamble(const std::string &path, const std::string &b) {
  if (b.size() < sizeof kMagic)
    return makeError(path + ": truncated at offset " + str(b.size()) +
                     ": file is " + str(b.size()) +
                     " bytes, shorter than the 8-byte magic");
  if (std::memcmp(b.data(), kMagic, sizeof kMagic) != 0)
    return makeError(path + ": not a chip image: wrong magic (expected "
                            "\"CAJALIMG\")");
  if (b.size() < kPreambleBytes)
    return makeError(path + ": truncated at offset " + str(b.size()) +
                     ": file ends inside the version field");
  const uint32_t version = uint32_t(readLE(b, 8, 4));
  if (version >= 1 && version < Image::formatVersion)
    return makeError(path + ": image format version " + str(version) +
                     " is no longer read (this build reads version " +
                     str(Image::formatVersion) +
                     ", which stores dendritic trees and cores as "
                     "compressed columns); "
                     "recompile the network "
                     "with `cajal compile` to get a version " +
                     str(Image::formatVersion) + " image");
  if (version != Image::formatVersion)
    return makeError(path + ": unsupported image version " + str(version) +
                     " (this build reads version " + str(Image::formatVersion) +
                     ")");
  return Status::ok();
}

bool knownTag(const std::string &tag) {
  return tag == "HEAD" || tag == "CORE" || tag == "SRCS" || tag == "PRGS" ||
         tag == "POPS" || tag == "LRNG" || tag == "END ";
}

std::string sectionName(const std::string &tag, size_t coreIndex) {
  std::string t = tag == "END " ? "END" : tag;
  return tag == "CORE" ? "section CORE #" + str(coreIndex) : "section " + t;
}

/// Pass 2: the section headers, up to and including END.
Result<std::vector<SectionRef>> walkSections(const std::string &path,
                                             ByteSource &src) {
  std::vector<SectionRef> sections;
  const uint64_t size = src.size();
  size_t pos = kPreambleBytes, cores = 0;
  std::string after = "the preamble";
  while (true) {
    if (pos == size)
      return makeError(path + ": truncated at offset " + str(pos) +
                       ": file ends after " + after +
                       ", before the END section");
    if (size - pos < kSectionHeaderBytes)
      return makeError(path + ": truncated at offset " + str(size) +
                       ": file ends inside a section header (at offset " +
                       str(pos) + ", after " + after + ")");
    Result<std::string> header = src.get(pos, kSectionHeaderBytes);
    if (!header)
      return header.takeError();
    SectionRef s;
    s.tag = header->substr(0, 4);
    s.offset = pos;
    s.length = readLE(*header, 4, 8);
    s.body = pos + kSectionHeaderBytes;
    if (!knownTag(s.tag))
      return makeError(path + ": corrupt section header at offset " + str(pos) +
                       " (after " + after +
                       "): unknown tag; the file is damaged");
    const std::string name = sectionName(s.tag, cores);
    if (s.length > size - s.body)
      return makeError(path + ": truncated at offset " + str(size) + ": " +
                       name + " at offset " + str(pos) + " needs " +
                       str(s.length) + " body bytes, only " +
                       str(size - s.body) + " remain");
    sections.push_back(s);
    cores += s.tag == "CORE";
    pos = s.body + s.length;
    after = name;
    if (s.tag == "END ")
      break;
  }
  if (pos != size)
    return makeError(path + ": " + str(size - pos) +
                     " unexpected bytes after the END section at offset " +
                     str(pos));
  return sections;
}

/// FNV-1a 64 of the bytes before the END section at `endOffset`, compared
/// with the value stored in its body; read a megabyte at a time.
Status checkChecksum(const std::string &path, ByteSource &src,
                     uint64_t endOffset) {
  uint64_t h = kFnvOffset;
  constexpr uint64_t chunk = 1 << 20;
  std::string bytes;
  for (uint64_t at = 0; at < endOffset; at += chunk) {
    if (Status s = src.read(at, size_t(std::min(chunk, endOffset - at)), bytes);
        !s)
      return s;
    for (const char c : bytes) {
      h ^= uint8_t(c);
      h *= kFnvPrime;
    }
  }
  Result<std::string> stored = src.get(endOffset + kSectionHeaderBytes, 8);
  if (!stored)
    return Status(stored.takeError());
  const uint64_t value = readLE(*stored, 0, 8);
  if (h != value)
    return makeError(path + ": checksum mismatch: stored " +
                     fingerprintHex(value) + ", computed " + fingerprintHex(h) +
                     " (the file is damaged)");
  return Status::ok();
}

/// Does the file end with a whole END section? A writer always ends with
/// one, so a file that does was not cut short: any damage inside it, even
/// to a section length, is a checksum error rather than a truncation.
bool hasEndSection(ByteSource &src) {
  const size_t endBytes = kSectionHeaderBytes + 8;
  if (src.size() < kPreambleBytes + endBytes)
    return false;
  Result<std::string> end = src.get(src.size() - endBytes, kSectionHeaderBytes);
  return end && end->compare(0, 4, "END ") == 0 && readLE(*end, 4, 8) == 8;
}

/// HEAD holds a fingerprint, a profile name and a core count; a body longer
/// than this is damage, not a long name.
constexpr uint64_t kMaxHeadBytes = 1 << 20;

/// HEAD's fields, from a cursor over its body.
Status decodeHead(const std::string &path, Cursor &head, ImageHeader &out) {
  out.profileFingerprint = head.u64();
  out.profileName = head.text("profile name");
  out.coreCount = head.u32();
  if (head.ok() && !head.atEnd())
    head.fail("unexpected bytes at the end of the section body");
  return head.ok() ? Status::ok() : makeError(path + ": " + head.error());
}

/// What a streamed read does beyond decoding (readImageStreamed): check
/// the header against the profile, check each core as it is decoded and
/// keep all of it but its synapse tables.
class CoreKeeper {
public:
  virtual ~CoreKeeper() = default;
  virtual Status head(const ImageHeader &header) = 0;
  /// Core `index`, decoded from the CORE body `body`; runs on the decoding
  /// threads, one call per core.
  virtual Status keep(uint32_t index, Core &core, const std::string &body) = 0;
  /// Cores [first, end) are kept; runs on the reading thread, batch after
  /// batch in core order.
  virtual void batchKept(uint32_t first, uint32_t end, Image &image) = 0;
  /// The file's sections (set by parse before the decode).
  std::vector<SectionRef> sections;
  /// File bytes per batch of cores (readImageStreamed's `batchBytes`).
  uint64_t batchBytes = kCoreBatchBytes;
};

/// The end of the batch of cores that starts at core `first`: about
/// `batchBytes` of file and at least one core, ending before a section that
/// is not a CORE (`sections` holds HEAD, then the cores).
uint32_t coreBatchEnd(const std::vector<SectionRef> &sections, uint32_t first,
                      uint32_t coreCount, uint64_t batchBytes) {
  uint32_t end = first;
  for (uint64_t bytes = 0; end < coreCount && sections[1 + end].tag == "CORE" &&
                           (end == first || bytes < batchBytes);
       ++end)
    bytes += sections[1 + end].length;
  return end;
}

/// Pass 4: the section order and bodies.
Status decode(const std::string &path, ByteSource &src,
              const std::vector<SectionRef> &sections, Image &image,
              CoreKeeper *keeper) {
  // One section's body at a time (a file in memory lends its own bytes).
  std::string buffer;
  auto body = [&](size_t i) {
    return src.piece(sections[i].body, size_t(sections[i].length), buffer);
  };
  auto expect = [&](size_t i, const char *tag) -> Status {
    if (i >= sections.size() || sections[i].tag != tag)
      return makeError(
          path + ": malformed image: expected section " + std::string(tag) +
          " at position " + str(i) +
          (i < sections.size() ? ", found " + sections[i].tag : std::string()));
    return Status::ok();
  };
  auto finishCursor = [&](Cursor &c) -> Status {
    if (c.ok() && !c.atEnd())
      c.fail("unexpected bytes at the end of the section body");
    return c.ok() ? Status::ok() : makeError(path + ": " + c.error());
  };
  if (Status s = expect(0, "HEAD"); !s)
    return s;
  Result<Piece> headBody = body(0);
  if (!headBody)
    return Status(headBody.takeError());
  Cursor head(*headBody, sections[0], "section HEAD");
  ImageHeader header;
  if (Status s = decodeHead(path, head, header); !s)
    return s;
  image.profileFingerprint = header.profileFingerprint;
  image.profileName = header.profileName;
  const uint32_t coreCount = header.coreCount;
  if (keeper)
    if (Status s = keeper->head(header); !s)
      return s;
  if (sections.size() != size_t(coreCount) + 6)
    return makeError(path + ": malformed image: HEAD announces " +
                     str(coreCount) + " cores, the file has " +
                     str(sections.size()) + " sections");
  // Section i must be `tag`; its body is decoded by `decodeBody(cursor)`.
  const auto section = [&](size_t i, const char *tag, const std::string &name,
                           auto decodeBody) -> Status {
    if (Status s = expect(i, tag); !s)
      return s;
    Result<Piece> piece = body(i);
    if (!piece)
      return Status(piece.takeError());
    Cursor c(*piece, sections[i], name);
    decodeBody(c);
    return finishCursor(c);
  };
  // The cores in batches of about kCoreBatchBytes of file (or the keeper's
  // batchBytes), each batch read in order and decoded on loadThreads()
  // threads (one zstd context and column buffer each). A batch stops before a
  // section that is not a CORE, so that an earlier core's damage is reported
  // first, as in order.
  image.cores.resize(coreCount);
  const unsigned threads = loadThreads();
  std::vector<std::string> bodies;
  for (uint32_t first = 0; first < coreCount;) {
    if (Status s = expect(1 + first, "CORE"); !s)
      return s;
    const uint32_t end =
        coreBatchEnd(sections, first, coreCount,
                     keeper ? keeper->batchBytes : kCoreBatchBytes);
    bodies.resize(end - first);
    for (uint32_t i = first; i < end; ++i) {
      const SectionRef &ref = sections[1 + i];
      if (Status s = src.read(ref.body, size_t(ref.length), bodies[i - first]);
          !s)
        return s;
    }
    if (Status s = parallelForCores(
            end - first, threads,
            [&](size_t k) -> Status {
              const uint32_t i = first + uint32_t(k);
              const SectionRef &ref = sections[1 + i];
              const std::string name = "section CORE #" + str(i);
              Cursor c(Piece{&bodies[k], ref.body}, ref, name);
              decodeCore(c, image.cores[i], name);
              if (Status done = finishCursor(c); !done || !keeper)
                return done;
              return keeper->keep(i, image.cores[i], bodies[k]);
            });
        !s)
      return s;
    if (keeper)
      keeper->batchKept(first, end, image);
    first = end;
  }
  if (Status s = section(1 + coreCount, "SRCS", "section SRCS",
                         [&](Cursor &c) { decodeSources(c, image.sources); });
      !s)
    return s;
  if (Status s = section(2 + coreCount, "PRGS", "section PRGS",
                         [&](Cursor &c) { decodePrograms(c, image.programs); });
      !s)
    return s;
  if (Status s =
          section(3 + coreCount, "POPS", "section POPS",
                  [&](Cursor &c) { decodePopulations(c, image.populations); });
      !s)
    return s;
  return section(4 + coreCount, "LRNG", "section LRNG",
                 [&](Cursor &c) { decodeLearning(c, image.learning); });
}

} // namespace

Result<ImageHeader> readImageHeader(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return makeError(path + ": cannot open image: " + std::strerror(errno));
  std::string b(kPreambleBytes + kSectionHeaderBytes, '\0');
  in.read(b.data(), std::streamsize(b.size()));
  b.resize(size_t(in.gcount()));
  if (Status s = checkPreamble(path, b); !s)
    return Error{s.error()};
  if (b.size() < kPreambleBytes + kSectionHeaderBytes)
    return makeError(path + ": truncated at offset " + str(b.size()) +
                     ": file ends inside a section header (at offset " +
                     str(kPreambleBytes) + ", after the preamble)");
  SectionRef head;
  head.tag = b.substr(kPreambleBytes, 4);
  head.offset = kPreambleBytes;
  head.body = kPreambleBytes + kSectionHeaderBytes;
  head.length = readLE(b, kPreambleBytes + 4, 8);
  if (head.tag != "HEAD")
    return makeError(path +
                     ": malformed image: expected section HEAD at "
                     "position 0, found " +
                     (knownTag(head.tag) ? head.tag : "an unknown tag"));
  if (head.length > kMaxHeadBytes)
    return makeError(path + ": malformed section HEAD at offset " +
                     str(head.offset) + ": " + str(head.length) +
                     " body bytes (a header holds at most " +
                     str(kMaxHeadBytes) + "); the file is damaged");
  b.resize(head.body + head.length);
  in.read(b.data() + head.body, std::streamsize(head.length));
  const uint64_t got = uint64_t(in.gcount());
  if (got != head.length)
    return makeError(path + ": truncated at offset " + str(head.body + got) +
                     ": section HEAD at offset " + str(head.offset) +
                     " needs " + str(head.length) + " body bytes, only " +
                     str(got) + " remain");
  Cursor c(Piece{&b, 0}, head, "section HEAD");
  ImageHeader header;
  if (Status s = decodeHead(path, c, header); !s)
    return Error{s.error()};
  return header;
}

namespace {
Result<Image> parse(ByteSource &src, const std::string &path,
                    CoreKeeper *keeper = nullptr) {
  Result<std::string> preamble =
      src.get(0, size_t(std::min<uint64_t>(src.size(), kPreambleBytes)));
  if (!preamble)
    return preamble.takeError();
  if (Status s = checkPreamble(path, *preamble); !s)
    return Error{s.error()};
  const bool ended = hasEndSection(src);
  // The checksum is computed on a thread of its own while the sections are
  // walked and decoded (the decoder checks every count it is given, so it
  // may meet a damaged file). A damaged file is reported as damaged: the
  // checksum's error comes before any other.
  Status checksum = Status::ok();
  struct JoinedThread {
    std::thread thread;
    ~JoinedThread() { // also when the decode throws
      if (thread.joinable())
        thread.join();
    }
  } checksummer;
  if (ended)
    checksummer.thread = std::thread([&] {
      checksum = checkChecksum(path, src, src.size() - kSectionHeaderBytes - 8);
    });
  const auto verdict = [&](Status found) -> Status {
    if (checksummer.thread.joinable())
      checksummer.thread.join();
    return checksum ? found : checksum;
  };
  Result<std::vector<SectionRef>> sections = walkSections(path, src);
  if (!sections)
    return Error{verdict(Status(sections.takeError())).error()};
  if (!ended)
    return makeError(path + ": END section at offset " +
                     str(sections->back().offset) + " has " +
                     str(sections->back().length) + " body bytes, expected 8");
  if (keeper)
    keeper->sections = *sections;
  Image image;
  if (Status s = verdict(decode(path, src, *sections, image, keeper)); !s)
    return Error{s.error()};
  // A streamed read has checked each core as it was decoded
  // (readImageStreamed checks the rest).
  if (!keeper)
    if (Status s = validateStructure(image); !s)
      return makeError(path + ": " + s.error());
  return image;
}

/// The file of a streamed read, kept open, and what was kept of each core
/// to read its tables again: its CORE section and a hash of its body (to
/// notice a file changed in place); a small file's decoded tables instead.
/// Every core's input axons' synapse counts and output axons are kept in one
/// array each, in core order; an output axon as `core << axonBits | input
/// axon`, where 2^axonBits is the profile's input axons per core rounded up.
class FileTables final : public CoreTables, public CoreKeeper {
public:
  FileTables(FileSource source, std::string imagePath,
             const Profile &imageProfile, bool keepDecodedTables)
      : file(std::move(source)), path(std::move(imagePath)),
        profile(imageProfile), keepTables(keepDecodedTables) {}

  Status head(const ImageHeader &header) override {
    if (Status s = checkProfileMatch(header, profile); !s)
      return makeError(path + ": " + s.error());
    if (Status s = checkCoreCount(header.coreCount, profile); !s)
      return makeError(path + ": " + s.error());
    const uint64_t axonsPerCore = profile.core.inputAxons;
    while ((uint64_t(1) << axonBits) < axonsPerCore)
      ++axonBits;
    // The largest packed target, (cores << axonBits) - 1, stays below
    // kUnpacked.
    if ((uint64_t(header.coreCount) << axonBits) > kUnpacked)
      return makeError(path + ": " + str(header.coreCount) +
                       " cores of up to " + str(axonsPerCore) +
                       " input axons each: a streamed read numbers their "
                       "input axons in 32 bits, and these need more");
    shapes.resize(header.coreCount);
    bodyHash.resize(header.coreCount);
    if (keepTables)
      kept.resize(header.coreCount);
    counts.resize(header.coreCount);
    outputFirst.assign(1, 0);
    outputFirst.reserve(size_t(header.coreCount) + 1);
    // Room (address space, not memory) for as many as the profile allows;
    // they grow past it only if that is more than kMaxReservation.
    constexpr uint64_t kMaxReservation = uint64_t(1) << 28;
    reserveHuge(allCounts,
                size_t(std::min(kMaxReservation,
                                uint64_t(header.coreCount) * axonsPerCore)));
    reserveHuge(outputs, size_t(std::min(kMaxReservation,
                                         uint64_t(header.coreCount) *
                                             profile.core.outputAxons)));
    return Status::ok();
  }

  Status keep(uint32_t index, Core &core, const std::string &body) override {
    if (Status s = validateCoreStructure(core, index); !s)
      return makeError(path + ": " + s.error());
    if (Status s = checkCore(core, index, profile); !s)
      return makeError(path + ": " + s.error());
    shapes[index] = coreShape(core);
    if (!keepTables) // read again later: its bytes must not have changed
      bodyHash[index] = std::hash<std::string_view>()(body);
    counts[index].reserve(core.inputAxons.size());
    for (const InputAxon &axon : core.inputAxons)
      counts[index].push_back(axon.synapseCount);
    if (keepTables) {
      kept[index].axons = std::move(core.inputAxons);
      kept[index].words = std::move(core.synapseWords);
    }
    std::vector<InputAxon>().swap(core.inputAxons);
    std::vector<uint64_t>().swap(core.synapseWords);
    return Status::ok();
  }

  /// Moves the batch's counts and output axons to the end of the arrays.
  /// The per-core vectors they leave are reused by the next batch's; the
  /// last batch's go back to the system once the read is done
  /// (readImageStreamed).
  void batchKept(uint32_t first, uint32_t end, Image &image) override {
    for (uint32_t c = first; c < end; ++c) {
      allCounts.insert(allCounts.end(), counts[c].begin(), counts[c].end());
      std::vector<uint32_t>().swap(counts[c]);
      std::vector<AxonTarget> &targets = image.cores[c].outputAxons;
      for (size_t o = 0; o < targets.size(); ++o) {
        const AxonTarget &t = targets[o];
        if (t.core < shapes.size() && (t.inputAxon >> axonBits) == 0) {
          outputs.push_back(t.core << axonBits | t.inputAxon);
        } else {
          // Out of range, reported in its place by checkOutputTargets.
          unpackable.emplace(outputs.size(), t);
          outputs.push_back(kUnpacked);
        }
      }
      outputFirst.push_back(outputs.size());
      std::vector<AxonTarget>().swap(targets);
    }
  }

  /// Every output axon reaches an input axon that exists; the error is
  /// validateReferences' for the first that does not. Core by core on the
  /// load threads (10^8 output axons at scale).
  Status checkOutputTargets() const {
    const size_t cores = outputFirst.empty() ? 0 : outputFirst.size() - 1;
    return parallelForCores(cores, loadThreads(), [&](size_t c) -> Status {
      for (size_t o = outputFirst[c]; o < outputFirst[c + 1]; ++o) {
        const AxonTarget t =
            outputs[o] == kUnpacked ? unpackable.at(o) : unpacked(outputs[o]);
        if (!targetOk(shapes, t))
          return makeError(path + ": " +
                           checkTarget(shapes, t,
                                       "core " + str(c) + ": output axon " +
                                           str(o - outputFirst[c]))
                               .error());
      }
      return Status::ok();
    });
  }

  uint32_t coreCount() const override { return uint32_t(counts.size()); }
  size_t inputAxonCount(uint32_t core) const override {
    return shapes[core].inputAxons;
  }

  std::vector<uint32_t> takeSynapseCounts() override {
    return std::move(allCounts);
  }

  /// Renumbered in place: the array becomes the loader's.
  std::vector<uint32_t>
  takeOutputTargets(const std::vector<uint32_t> &axonBegin) override {
    for (uint32_t &target : outputs) {
      const AxonTarget t = unpacked(target);
      target = axonBegin[t.core] + t.inputAxon;
    }
    return std::move(outputs);
  }

  /// The kept tables, or the cores read again in batches of about
  /// batchBytes of file, as the first read took them (each decoded core is
  /// in memory only during its visit; batches of a few cores would leave a
  /// thread idle at each batch's end, thousands of times at scale).
  Status forEachCore(unsigned threads, bool last, const Visit &visit) override {
    const uint32_t cores = coreCount();
    if (keepTables)
      return parallelForCores(cores, threads, [&](size_t i) -> Status {
        Status s = visit(uint32_t(i), kept[i].axons, kept[i].words);
        if (last)
          kept[i] = {};
        return s;
      });
    std::vector<std::string> bodies;
    for (uint32_t first = 0; first < cores;) {
      const uint32_t n =
          coreBatchEnd(sections, first, cores, batchBytes) - first;
      bodies.resize(n);
      for (uint32_t k = 0; k < n; ++k) {
        const SectionRef &ref = sections[1 + first + k];
        if (Status s = file.read(ref.body, size_t(ref.length), bodies[k]); !s)
          return s;
      }
      if (Status s = parallelForCores(
              n, threads,
              [&](size_t k) -> Status {
                const uint32_t i = first + uint32_t(k);
                const SectionRef &ref = sections[1 + i];
                const std::string name = "section CORE #" + str(i);
                if (std::hash<std::string_view>()(bodies[k]) != bodyHash[i])
                  return makeError(path + ": " + name +
                                   " changed while the image was loaded");
                thread_local Core core;
                Cursor c(Piece{&bodies[k], ref.body}, ref, name);
                decodeCore(c, core, name, CoreColumns::SynapseTables);
                if (!c.ok()) // the bytes were decoded once already
                  return makeError(path + ": " + c.error());
                return visit(i, core.inputAxons, core.synapseWords);
              });
          !s)
        return s;
      first += n;
    }
    return Status::ok();
  }

  ByteSource &source() { return file; }
  std::vector<CoreShape> shapes;

private:
  AxonTarget unpacked(uint32_t packed) const {
    return {packed >> axonBits, packed & ((uint32_t(1) << axonBits) - 1)};
  }

  FileSource file;
  std::string path;
  const Profile &profile;
  std::vector<size_t> bodyHash;
  /// Per core until its batch is kept.
  std::vector<std::vector<uint32_t>> counts;
  std::vector<uint32_t> allCounts;
  static constexpr uint32_t kUnpacked = UINT32_MAX;
  unsigned axonBits = 0;
  std::vector<uint32_t> outputs;
  /// Where each core's output axons begin in `outputs`, and where they end.
  std::vector<size_t> outputFirst;
  /// The targets that do not pack (a file's damage), by place in `outputs`.
  std::map<size_t, AxonTarget> unpackable;
  /// A small file's decoded tables, per core (keepTables).
  bool keepTables;
  struct Tables {
    std::vector<InputAxon> axons;
    std::vector<uint64_t> words;
  };
  std::vector<Tables> kept;
};
} // namespace

Result<Image> readImageUnchecked(const std::string &path) {
  Result<FileSource> file = FileSource::open(path);
  if (!file)
    return file.takeError();
  return parse(*file, path);
}

Result<Image> parseImageUnchecked(const std::string &b,
                                  const std::string &path) {
  MemorySource memory(b);
  return parse(memory, path);
}

Result<StreamedImage> readImageStreamed(const std::string &path,
                                        const Profile &profile,
                                        uint64_t keepTablesUpTo,
                                        uint64_t batchBytes) {
  Result<FileSource> file = FileSource::open(path);
  if (!file)
    return file.takeError();
  const bool keep = file->size() <= keepTablesUpTo;
  auto tables =
      std::make_unique<FileTables>(std::move(*file), path, profile, keep);
  tables->batchBytes = batchBytes;
  Result<Image> image = parse(tables->source(), path, tables.get());
  if (!image)
    return image.takeError();
  // The cores' tables and per-core counts were freed batch by batch: pieces
  // malloc keeps, which the loader's arrays cannot reuse.
  returnFreedPages();
  if (Status s = tables->checkOutputTargets(); !s)
    return Error{s.error()};
  if (Status s = validateReferences(*image, tables->shapes); !s)
    return makeError(path + ": " + s.error());
  if (Status s = validateAcrossCores(*image, profile); !s)
    return makeError(path + ": " + s.error());
  StreamedImage out;
  out.image = std::move(*image);
  out.tables = std::move(tables);
  return out;
}

Result<Image> readImage(const std::string &path, const Profile &profile) {
  Result<Image> image = readImageUnchecked(path);
  if (!image)
    return image;
  if (Status s = validate(*image, profile); !s)
    return makeError(path + ": " + s.error());
  return image;
}

} // namespace cajal::chip
