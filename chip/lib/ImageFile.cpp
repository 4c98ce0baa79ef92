//===- ImageFile.cpp - Chip-image binary file: write and read -------------===//
//
// Layout (docs/chip-image.md), little-endian throughout:
//   "CAJALIMG" (8 bytes), u32 version, then sections, each
//   char[4] tag, u64 body length, body:
//     HEAD  u64 profile fingerprint, str profile name, u32 core count
//     CORE  one per core, in index order: an encoding byte, then its tables
//           as byte-plane columns, zstd-compressed from 4 KiB on
//     SRCS  the spike sources
//     PRGS  the neuron programs, each once
//     POPS  the populations, their slices and program indices
//     END   u64 FNV-1a 64 of every byte of the file before the END tag.
//
// Writing streams: the header goes out at create(), each core at addCore()
// (serialised into a buffer, hashed and appended; addCores builds and
// serialises batches of cores on several threads and appends them in
// order), the rest at finish(),
// always into an AtomicFile (a temporary next to the target, renamed into place
// only when complete), so a failure never leaves a partial image. References
// to cores not yet written are remembered (the largest input-axon index per
// target core) and checked at finish().
//
// Reading walks the section headers first, so a short file is reported as
// truncated at a named section and offset, then verifies the checksum (any
// flipped byte), and only then decodes the bodies.
//
//===----------------------------------------------------------------------===//

#include "ImageInternal.h"
#include "cajal/Chip/AtomicFile.h"
#include "cajal/Chip/Image.h"
#include "cajal/Chip/ParallelFor.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <type_traits>

#include <zstd.h>

namespace cajal::chip {
namespace {

constexpr char kMagic[8] = {'C', 'A', 'J', 'A', 'L', 'I', 'M', 'G'};
constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ull;
constexpr uint64_t kFnvPrime = 0x100000001b3ull;

uint64_t fnv1a(uint64_t h, const char *data, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    h ^= uint8_t(data[i]);
    h *= kFnvPrime;
  }
  return h;
}

std::string str(uint64_t v) { return std::to_string(v); }

/// Little-endian serialisation into a byte string.
struct Bytes {
  std::string b;
  void u8(uint8_t v) { b.push_back(char(v)); }
  void uN(uint64_t v, int n) {
    for (int i = 0; i < n; ++i)
      b.push_back(char((v >> (8 * i)) & 0xff));
  }
  void u16(uint16_t v) { uN(v, 2); }
  void u32(uint32_t v) { uN(v, 4); }
  void u64(uint64_t v) { uN(v, 8); }
  void text(const std::string &s) {
    u32(uint32_t(s.size()));
    b += s;
  }
};

void putTarget(Bytes &o, const AxonTarget &t) {
  o.u32(t.core);
  o.u32(t.inputAxon);
}

void putTraceParams(Bytes &o, const TraceParams &t) {
  o.u32(t.impulseInteger);
  o.u32(t.impulseFraction);
  o.u32(t.decay);
}

void putOffsets(Bytes &o, const std::vector<uint32_t> &v) {
  o.u32(uint32_t(v.size()));
  for (uint32_t x : v)
    o.u32(x);
}

/// A numeric column as byte planes: byte 0 of every value, then byte 1, and
/// so on (little-endian). With `delta`, value i is stored as value i minus
/// value i-1 (mod 2^N). Planes put the mostly-zero high bytes of small
/// values together, so the compressor removes them.
template <typename T>
void putPlanes(Bytes &o, const std::vector<T> &values, bool delta) {
  using U = std::make_unsigned_t<T>;
  const size_t n = values.size();
  const size_t at = o.b.size();
  o.b.resize(at + n * sizeof(T));
  char *out = o.b.data() + at;
  U previous = 0;
  for (size_t i = 0; i < n; ++i) {
    const U v = U(values[i]);
    const U stored = delta ? U(v - previous) : v;
    previous = v;
    for (size_t k = 0; k < sizeof(T); ++k)
      out[k * n + i] = char(uint8_t(stored >> (8 * k)));
  }
}

std::string encodeCoreColumns(const Core &c) {
  Bytes o;
  o.u32(c.x);
  o.u32(c.y);
  o.u32(c.tileSlot);
  o.u32(uint32_t(c.compartments.size()));
  for (const CompartmentParams &p : c.compartments) {
    o.u16(p.decayU);
    o.u16(p.decayV);
    o.u16(uint16_t(p.biasMantissa));
    o.u8(p.biasExponent);
    o.u8(p.refractory);
    o.u32(p.thresholdMantissa);
    o.u8(p.vminExponent);
    o.u8(p.vmaxExponent);
    o.u8(p.flags);
  }
  const size_t axons = c.inputAxons.size();
  std::vector<uint32_t> firstWord(axons), synapseCount(axons);
  std::vector<uint8_t> weightBits(axons), weightExponent(axons),
      hasDelay(axons), reward(axons);
  std::vector<uint32_t> learning(axons);
  for (size_t a = 0; a < axons; ++a) {
    const InputAxon &in = c.inputAxons[a];
    firstWord[a] = in.firstWord;
    synapseCount[a] = in.synapseCount;
    weightBits[a] = in.weightBits;
    weightExponent[a] = uint8_t(in.weightExponent);
    hasDelay[a] = in.hasDelay ? 1 : 0;
    learning[a] = in.learning;
    reward[a] = in.reward ? 1 : 0;
  }
  o.u32(uint32_t(axons));
  putPlanes(o, firstWord, /*delta=*/true);
  putPlanes(o, synapseCount, false);
  putPlanes(o, weightBits, false);
  putPlanes(o, weightExponent, false);
  putPlanes(o, hasDelay, false);
  putPlanes(o, learning, false);
  putPlanes(o, reward, false);
  o.u32(uint32_t(c.synapseWords.size()));
  putPlanes(o, c.synapseWords, false);
  o.u32(uint32_t(c.outputBegin.size()));
  putPlanes(o, c.outputBegin, /*delta=*/true);
  const size_t outputs = c.outputAxons.size();
  std::vector<uint32_t> targetCore(outputs), targetAxon(outputs);
  for (size_t i = 0; i < outputs; ++i) {
    targetCore[i] = c.outputAxons[i].core;
    targetAxon[i] = c.outputAxons[i].inputAxon;
  }
  o.u32(uint32_t(outputs));
  putPlanes(o, targetCore, /*delta=*/true);
  putPlanes(o, targetAxon, false);
  putOffsets(o, c.paramBegin);
  o.u32(uint32_t(c.paramWords.size()));
  for (int64_t w : c.paramWords)
    o.u64(uint64_t(w));
  putOffsets(o, c.initialBegin);
  o.u32(uint32_t(c.initialWords.size()));
  for (int32_t w : c.initialWords)
    o.u32(uint32_t(w));
  return o.b;
}

/// A CORE body: the columns as they are when short, zstd-compressed
/// (behind their length) from kCompressCoreFrom bytes on.
Result<std::string> encodeCore(const Core &c) {
  // Per thread: cores are encoded on several (ImageWriter::addCores).
  thread_local std::unique_ptr<ZSTD_CCtx, size_t (*)(ZSTD_CCtx *)> context(
      ZSTD_createCCtx(), ZSTD_freeCCtx);
  if (!context)
    return makeError("out of memory for the zstd compressor");
  const std::string columns = encodeCoreColumns(c);
  Bytes o;
  if (columns.size() < kCompressCoreFrom) {
    o.u8(uint8_t(CoreEncoding::Stored));
    o.b += columns;
    return o.b;
  }
  o.u8(uint8_t(CoreEncoding::Zstd));
  o.u64(columns.size());
  const size_t at = o.b.size();
  o.b.resize(at + ZSTD_compressBound(columns.size()));
  const size_t n =
      ZSTD_compressCCtx(context.get(), o.b.data() + at, o.b.size() - at,
                        columns.data(), columns.size(), kCoreZstdLevel);
  if (ZSTD_isError(n)) // out of memory; the bound-sized buffer cannot overflow
    return makeError(std::string("compressing a core: zstd: ") +
                     ZSTD_getErrorName(n));
  o.b.resize(at + n);
  return o.b;
}

std::string encodePrograms(const std::vector<Program> &programs) {
  Bytes o;
  o.u32(uint32_t(programs.size()));
  for (const Program &p : programs) {
    o.text(p.name);
    o.u32(uint32_t(p.state.size()));
    for (const StateWord &w : p.state) {
      o.text(w.name);
      o.u8(w.bits);
      o.u8(w.isSigned ? 1 : 0);
      o.u8(uint8_t(w.overflow));
      o.u32(uint32_t(w.initial));
    }
    o.u32(uint32_t(p.params.size()));
    for (const ParamWord &w : p.params) {
      o.text(w.name);
      o.u8(w.bits);
      o.u8(w.isSigned ? 1 : 0);
    }
    o.u32(uint32_t(p.constants.size()));
    for (int64_t c : p.constants)
      o.u64(uint64_t(c));
    o.u32(uint32_t(p.tables.size()));
    for (const LookupTable &t : p.tables) {
      o.u64(uint64_t(t.origin));
      o.u8(t.shift);
      o.u32(uint32_t(t.entries.size()));
      for (int32_t e : t.entries)
        o.u32(uint32_t(e));
    }
    o.u32(uint32_t(p.refractoryWord));
    o.u8(uint8_t(p.refractoryPeriod.kind));
    o.u8(p.refractoryPeriod.index);
    o.u8(p.skipIdle ? 1 : 0);
    o.u32(p.idleParams);
    o.u32(uint32_t(p.code.size()));
    for (uint64_t word : p.code)
      o.u64(word);
  }
  return o.b;
}

std::string encodeSources(const std::vector<Source> &sources) {
  Bytes o;
  o.u32(uint32_t(sources.size()));
  for (const Source &s : sources) {
    o.text(s.name);
    o.u8(uint8_t(s.kind));
    o.u32(s.size);
    o.u32(s.probability);
    o.u64(s.seed);
    o.u32(s.period);
    o.u32(s.phase);
    o.u32(uint32_t(s.spikes.size()));
    for (const SourceSpike &sp : s.spikes) {
      o.u32(sp.step);
      o.u32(sp.index);
    }
    putOffsets(o, s.targetBegin);
    o.u32(uint32_t(s.targets.size()));
    for (const AxonTarget &t : s.targets)
      putTarget(o, t);
  }
  return o.b;
}

std::string encodePopulations(const std::vector<Population> &pops) {
  Bytes o;
  o.u32(uint32_t(pops.size()));
  for (const Population &p : pops) {
    o.text(p.name);
    o.u32(p.size);
    o.u8(p.recordSpikes ? 1 : 0);
    o.u8(p.recordState ? 1 : 0);
    o.u32(p.program);
    o.u32(uint32_t(p.slices.size()));
    for (const Slice &s : p.slices) {
      o.u32(s.core);
      o.u32(s.firstCompartment);
      o.u32(s.firstNeuron);
      o.u32(s.count);
    }
    o.u32(uint32_t(p.aliases.size()));
    for (const std::string &alias : p.aliases)
      o.text(alias);
    o.u32(uint32_t(p.tree.size()));
    for (const TreeCompartment &t : p.tree) {
      o.text(t.name);
      o.u32(t.program);
      o.u32(uint32_t(t.parent));
    }
    for (const TraceParams &t : p.postTraces)
      putTraceParams(o, t);
  }
  return o.b;
}

std::string encodeLearning(const ImageLearning &l) {
  Bytes o;
  o.u32(l.epochSteps);
  o.u64(l.seed);
  o.u32(uint32_t(l.rules.size()));
  for (const LearningRuleSetting &r : l.rules) {
    putTraceParams(o, r.x1);
    putTraceParams(o, r.x2);
    o.u8(uint8_t(r.sign));
    for (const std::vector<RuleTerm> &terms : r.rule.terms) {
      o.u32(uint32_t(terms.size()));
      for (const RuleTerm &t : terms) {
        o.u32(uint32_t(t.mantissa));
        o.u32(uint32_t(t.exponent));
        o.u8(uint8_t(t.dependency));
        o.u32(uint32_t(t.factors.size()));
        for (const RuleFactor &f : t.factors) {
          o.u8(uint8_t(f.variable));
          o.u32(uint32_t(f.constant));
        }
      }
    }
  }
  return o.b;
}

std::string sectionHeader(const char tag[4], uint64_t length) {
  Bytes o;
  o.b.append(tag, 4);
  o.u64(length);
  return o.b;
}

} // namespace

//===----------------------------------------------------------------------===//
// ImageWriter
//===----------------------------------------------------------------------===//

struct ImageWriter::Impl {
  std::string path;
  std::optional<AtomicFile> file; ///< empty after finish() or a failure
  uint64_t hash = kFnvOffset;
  uint64_t offset = 0;
  uint32_t coreCount = 0;
  std::vector<CoreShape> shapes;
  /// Per target core (grown to the highest one referenced, below
  /// coreCount): the largest input axon referenced, and the first output
  /// axon that referenced it (`fromCore` kNoReference: none yet). A dense
  /// table: an output axon costs one lookup, and there are as many as
  /// synapses.
  struct Reference {
    uint32_t maxAxon = 0;
    uint32_t fromCore = kNoReference;
    uint32_t outputAxon = 0;
  };
  static constexpr uint32_t kNoReference = UINT32_MAX;
  std::vector<Reference> references;

  Status put(const std::string &bytes) {
    file->write(bytes); // a write error is reported by commit()
    hash = fnv1a(hash, bytes.data(), bytes.size());
    offset += bytes.size();
    return Status::ok();
  }
  Status putSection(const char tag[4], const std::string &body) {
    if (Status s = put(sectionHeader(tag, body.size())); !s)
      return s;
    return put(body);
  }
  void discard() { file.reset(); } // removes the temporary
  Status checkReferences() const;
  /// Notes the core's references and shape and writes its encoded body.
  Status append(const Core &core, const std::string &body);
};

Status ImageWriter::Impl::checkReferences() const {
  for (uint32_t core = 0; core < references.size(); ++core) {
    const Reference &ref = references[core];
    if (ref.fromCore == kNoReference)
      continue;
    if (Status s = checkTarget(shapes, AxonTarget{core, ref.maxAxon},
                               "core " + str(ref.fromCore) + ": output axon " +
                                   str(ref.outputAxon));
        !s)
      return makeError(path + ": " + s.error());
  }
  return Status::ok();
}

Status ImageWriter::Impl::append(const Core &core, const std::string &body) {
  const size_t index = shapes.size();
  for (size_t o = 0; o < core.outputAxons.size(); ++o) {
    const AxonTarget &t = core.outputAxons[o];
    // No core at or past coreCount can be added: fail now, as finish would.
    if (t.core >= coreCount)
      return makeError(path + ": core " + str(index) + ": output axon " +
                       str(o) + ": target core " + str(t.core) +
                       " out of range (image has " + str(coreCount) +
                       " cores)");
    if (t.core >= references.size())
      references.resize(size_t(t.core) + 1);
    Reference &ref = references[t.core];
    if (ref.fromCore == kNoReference || t.inputAxon > ref.maxAxon)
      ref = {t.inputAxon, uint32_t(index), uint32_t(o)};
  }
  shapes.push_back(coreShape(core));
  return putSection("CORE", body);
}

ImageWriter::ImageWriter(ImageWriter &&o) noexcept : impl(o.impl) {
  o.impl = nullptr;
}

ImageWriter &ImageWriter::operator=(ImageWriter &&o) noexcept {
  if (this != &o) {
    if (impl)
      impl->discard();
    delete impl;
    impl = o.impl;
    o.impl = nullptr;
  }
  return *this;
}

ImageWriter::~ImageWriter() {
  if (impl)
    impl->discard();
  delete impl;
}

Result<ImageWriter> ImageWriter::create(const std::string &path,
                                        const Image &header,
                                        uint32_t coreCount) {
  ImageWriter w;
  w.impl = new Impl;
  Impl &im = *w.impl;
  im.path = path;
  im.coreCount = coreCount;
  Result<AtomicFile> file = AtomicFile::create(path);
  if (!file)
    return makeError(file.error());
  im.file.emplace(std::move(*file));
  Bytes pre;
  pre.b.append(kMagic, sizeof kMagic);
  pre.u32(Image::formatVersion);
  Bytes head;
  head.u64(header.profileFingerprint);
  head.text(header.profileName);
  head.u32(coreCount);
  if (Status s = im.put(pre.b); !s)
    return Error{s.error()};
  if (Status s = im.putSection("HEAD", head.b); !s)
    return Error{s.error()};
  return w;
}

Status ImageWriter::addCore(const Core &core) {
  if (!impl || !impl->file)
    return makeError("image writer: addCore after finish or failure");
  Impl &im = *impl;
  const size_t index = im.shapes.size();
  if (index >= im.coreCount)
    return makeError(im.path + ": more cores added than the " +
                     str(im.coreCount) + " announced");
  if (Status s = validateCoreStructure(core, index); !s)
    return makeError(im.path + ": " + s.error());
  Result<std::string> body = encodeCore(core);
  if (!body)
    return makeError(im.path + ": core " + str(index) + ": " + body.error());
  return im.append(core, *body);
}

Status
ImageWriter::addCores(uint32_t count, unsigned threads,
                      const std::function<Result<Core>(uint32_t)> &build) {
  if (!impl || !impl->file)
    return makeError("image writer: addCores after finish or failure");
  Impl &im = *impl;
  const size_t first = im.shapes.size();
  if (count > im.coreCount - first)
    return makeError(im.path + ": " + str(count) + " cores added after " +
                     str(first) + ", more than the " + str(im.coreCount) +
                     " announced");
  // Batches of a few cores per thread are built and encoded in parallel,
  // then written in order, so at most a batch is held at once.
  const uint32_t batch = std::max(1u, threads) * 8;
  std::vector<Core> cores(batch);
  std::vector<std::string> bodies(batch);
  for (uint32_t begin = 0; begin < count; begin += batch) {
    const uint32_t n = std::min(batch, count - begin);
    if (Status s = parallelForCores(
            n, threads,
            [&](size_t k) -> Status {
              const uint32_t c = begin + uint32_t(k);
              Result<Core> core = build(c);
              if (!core)
                return core.takeError();
              cores[k] = std::move(*core);
              if (Status st = validateCoreStructure(cores[k], first + c); !st)
                return makeError(im.path + ": " + st.error());
              Result<std::string> body = encodeCore(cores[k]);
              if (!body)
                return makeError(im.path + ": core " + str(first + c) + ": " +
                                 body.error());
              bodies[k] = std::move(*body);
              return Status::ok();
            });
        !s)
      return s;
    for (uint32_t k = 0; k < n; ++k) {
      if (Status s = im.append(cores[k], bodies[k]); !s)
        return s;
      cores[k] = Core{};
      std::string().swap(bodies[k]);
    }
  }
  return Status::ok();
}

Status ImageWriter::finish(const Image &trailer) {
  if (!impl || !impl->file)
    return makeError("image writer: finish after finish or failure");
  Impl &im = *impl;
  auto fail = [&](const std::string &message) -> Status {
    im.discard();
    return makeError(message);
  };
  if (im.shapes.size() != im.coreCount)
    return fail(im.path + ": " + str(im.shapes.size()) + " cores added, but " +
                str(im.coreCount) + " announced");
  if (Status s = im.checkReferences(); !s)
    return fail(s.error());
  for (size_t i = 0; i < trailer.sources.size(); ++i)
    if (Status s = checkSourceStructure(im.shapes, trailer.sources[i], i); !s)
      return fail(im.path + ": " + s.error());
  for (const Population &p : trailer.populations)
    if (Status s =
            checkPopulationStructure(im.shapes, p, trailer.programs.size());
        !s)
      return fail(im.path + ": " + s.error());
  if (Status s = im.putSection("SRCS", encodeSources(trailer.sources)); !s)
    return fail(s.error());
  if (Status s = im.putSection("PRGS", encodePrograms(trailer.programs)); !s)
    return fail(s.error());
  if (Status s = checkLearningStructure(im.shapes, trailer.learning); !s)
    return fail(im.path + ": " + s.error());
  if (Status s = im.putSection("POPS", encodePopulations(trailer.populations));
      !s)
    return fail(s.error());
  if (Status s = im.putSection("LRNG", encodeLearning(trailer.learning)); !s)
    return fail(s.error());
  Bytes end;
  end.u64(im.hash);
  if (Status s = im.putSection("END ", end.b); !s)
    return fail(s.error());
  Status committed = im.file->commit();
  im.file.reset();
  return committed;
}

Status writeImage(const Image &image, const std::string &path) {
  if (Status s = validateStructure(image); !s)
    return makeError(path + ": not written: " + s.error());
  Result<ImageWriter> w =
      ImageWriter::create(path, image, uint32_t(image.cores.size()));
  if (!w)
    return w.takeError();
  for (const Core &c : image.cores)
    if (Status s = w->addCore(c); !s)
      return s;
  return w->finish(image);
}

Status writeImage(const Image &image, const Profile &profile,
                  const std::string &path) {
  if (Status s = validate(image, profile); !s)
    return makeError(path + ": not written: " + s.error());
  return writeImage(image, path);
}

} // namespace cajal::chip
