//===- ImageFuzzer.cpp - libFuzzer target: the chip-image reader ----------===//
//
// An input is a chip-image file. When it ends with an END section, its
// checksum is recomputed first, as a writer would have stored it: otherwise
// almost every mutation would stop at the checksum and never reach the
// decoder (docs/reliability.md; fuzz/image/fix_checksum.py does the same to
// a reproducer, so that `cajal inspect` reads it too). Then:
//   - parseImageUnchecked (preamble, section walk, decode, structure);
//   - an image that reads must write and read back (the writer accepts what
//     the reader accepts);
//   - validate() against the loihi1 profile;
//   - an image that validates is loaded into the golden model twice, with
//     the fastest layout (the CPU's ISA, int16/int32 accumulators, re-ordered
//     compartments) and the plainest (generic ISA, 64-bit arithmetic): both
//     load or both refuse, and both run a few steps with the same spikes,
//     compartment states and counters.
//
//===----------------------------------------------------------------------===//
#include "FuzzSupport.h"

#include "cajal/Chip/Image.h"
#include "cajal/Chip/Profile.h"
#include "cajal/Golden/GoldenModel.h"

#include <cstdio>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

using namespace cajal;

namespace {

constexpr size_t kSectionHeaderBytes = 12;  ///< tag + u64 length
constexpr size_t kEndSectionBytes = 12 + 8; ///< header + u64 checksum
constexpr uint32_t kSteps = 16;

/// Store FNV-1a 64 of every byte before the END section in its body.
void fixChecksum(std::string &bytes) {
  if (bytes.size() < kEndSectionBytes)
    return;
  const size_t end = bytes.size() - kEndSectionBytes;
  if (bytes.compare(end, 4, "END ") != 0)
    return;
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < end; ++i) {
    h ^= uint8_t(bytes[i]);
    h *= 0x100000001b3ull;
  }
  for (int i = 0; i < 8; ++i)
    bytes[end + kSectionHeaderBytes + i] = char((h >> (8 * i)) & 0xff);
}

const chip::Profile &loihi1() {
  static const chip::Profile profile = [] {
    Result<chip::Profile> p =
        chip::findProfile("loihi1", chip::defaultProfileDir());
    if (!p)
      fuzz::oracleFailure("cannot load the loihi1 profile: " + p.error());
    return *p;
  }();
  return profile;
}

void roundTrip(const chip::Image &image) {
  const std::string path = fuzz::scratchDir() + "/roundtrip.cjimg";
  if (Status s = chip::writeImage(image, path); !s)
    fuzz::oracleFailure("an image that reads does not write: " + s.error());
  Result<chip::Image> again = chip::readImageUnchecked(path);
  if (!again)
    fuzz::oracleFailure("a written image does not read back: " + again.error());
  fuzz::removeFile(path);
}

bool sameCounters(const emulator::Counters &a, const emulator::Counters &b) {
  return a.steps == b.steps && a.compartmentSpikes == b.compartmentSpikes &&
         a.sourceSpikes == b.sourceSpikes && a.axonEvents == b.axonEvents &&
         a.synapticEvents == b.synapticEvents;
}

void runBoth(const chip::Image &image) {
  golden::ModelOptions fast;
  fast.imageValidated = true;
  golden::ModelOptions plain = fast;
  plain.isa = golden::Isa::Generic;
  plain.narrowAccumulators = false;
  plain.placeAccumulators = false;
  plain.wideArithmetic = true;
  // The loader checks what validate() leaves to the engines (a compartment
  // owned by two populations): both layouts must refuse alike.
  Result<golden::GoldenModel> loadedA =
      golden::GoldenModel::create(image, loihi1(), fast);
  Result<golden::GoldenModel> loadedB =
      golden::GoldenModel::create(image, loihi1(), plain);
  if (bool(loadedA) != bool(loadedB))
    fuzz::oracleFailure("one golden layout loads the image, the other not: " +
                        (loadedA ? loadedB.error() : loadedA.error()));
  if (!loadedA) {
    if (fuzz::verbose())
      std::fprintf(stderr, "load: %s\n", loadedA.error().c_str());
    return;
  }
  golden::GoldenModel &a = *loadedA, &b = *loadedB;
  std::vector<emulator::NeuronSpike> spikesA, spikesB;
  for (uint32_t t = 0; t < kSteps; ++t) {
    a.step();
    b.step();
    a.lastSpikes(spikesA);
    b.lastSpikes(spikesB);
    if (spikesA != spikesB || !(a.lastSourceSpikes() == b.lastSourceSpikes()))
      fuzz::oracleFailure("golden layouts disagree on spikes at step " +
                          std::to_string(t));
    for (uint32_t c = 0; c < a.compartmentCount(); ++c) {
      if (!(a.compartmentState(c) == b.compartmentState(c)))
        fuzz::oracleFailure("golden layouts disagree on compartment " +
                            std::to_string(c) + " at step " +
                            std::to_string(t));
    }
  }
  if (!sameCounters(a.counters(), b.counters()))
    fuzz::oracleFailure("golden layouts count different events");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string bytes(reinterpret_cast<const char *>(data), size);
  fixChecksum(bytes);
  Result<chip::Image> image = chip::parseImageUnchecked(bytes, "fuzz.cjimg");
  if (!image) {
    if (fuzz::verbose())
      std::fprintf(stderr, "read: %s\n", image.error().c_str());
    return 0;
  }
  roundTrip(*image);
  if (Status s = chip::validate(*image, loihi1()); !s) {
    if (fuzz::verbose())
      std::fprintf(stderr, "validate: %s\n", s.error().c_str());
    return 0;
  }
  runBoth(*image);
  return 0;
}
