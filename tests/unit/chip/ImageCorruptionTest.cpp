//===- ImageCorruptionTest.cpp - Each damaged image gets its own error ----===//
//
// The tests damage a valid image file in one way each and check that the
// reader names the file and the kind of damage. To reach the decoder past
// the checksum (index and parameter errors), a patched file gets its END
// checksum recomputed here, following docs/chip-image.md.
//
//===----------------------------------------------------------------------===//

#include "ImageFixtures.h"
#include "TestUtil.h"
#include "cajal/Chip/CoreTables.h"
#include "cajal/Chip/Image.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace cajal::chip;
using cajal::Result;
using namespace cajal::chip::test;

namespace {

class CorruptionTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::mt19937_64 rng(11);
    image = randomImage(rng, profile, 3);
    ASSERT_TRUE(bool(writeImage(image, profile, good)));
    bytes = readBytes(good);
  }
  /// Read `b` written to a fresh file; return the error (empty on success).
  std::string errorOf(const std::string &b) {
    writeBytes(bad, b);
    Result<Image> r = readImage(bad, profile);
    // The streamed read (cajal run's) refuses the same damage with the same
    // error.
    Result<StreamedImage> streamed = readImageStreamed(bad, profile);
    EXPECT_EQ(bool(streamed), bool(r));
    if (!streamed && !r) {
      EXPECT_EQ(streamed.error(), r.error());
    }
    if (r)
      return {};
    EXPECT_EQ(r.error().rfind(bad + ": ", 0), 0u) << r.error();
    return r.error();
  }
  Profile profile = loihi1();
  TempDir dir;
  std::string good = dir.file("good.cjimg"), bad = dir.file("bad.cjimg");
  Image image;
  std::string bytes;
};

TEST_F(CorruptionTest, LayoutIsAsDocumented) {
  ASSERT_EQ(bytes.substr(0, 8), "CAJALIMG");
  EXPECT_EQ(le(bytes, 8, 4), Image::formatVersion);
  const auto s = sections(bytes);
  ASSERT_EQ(s.size(), 3u + 6u);
  EXPECT_EQ(s[0].tag, "HEAD");
  EXPECT_EQ(le(bytes, s[0].body, 8), profile.fingerprint());
  for (int i = 1; i <= 3; ++i)
    EXPECT_EQ(s[i].tag, "CORE");
  EXPECT_EQ(s[4].tag, "SRCS");
  EXPECT_EQ(s[5].tag, "PRGS");
  EXPECT_EQ(s[6].tag, "POPS");
  EXPECT_EQ(s[7].tag, "LRNG");
  EXPECT_EQ(s[8].tag, "END ");
  EXPECT_EQ(s[8].body + 8, bytes.size());
}

TEST_F(CorruptionTest, TruncationNamesOffsetAndSection) {
  const auto s = sections(bytes);
  std::string e = errorOf(bytes.substr(0, 4));
  EXPECT_TRUE(has(e, "truncated at offset 4")) << e;
  e = errorOf(bytes.substr(0, s[2].body + 5)); // inside CORE #1
  EXPECT_TRUE(has(e, "truncated at offset " + std::to_string(s[2].body + 5)))
      << e;
  EXPECT_TRUE(has(e, "section CORE #1")) << e;
  e = errorOf(bytes.substr(0, s[4].offset + 3)); // inside a section header
  EXPECT_TRUE(has(e, "truncated")) << e;
  EXPECT_TRUE(has(e, "inside a section header")) << e;
  e = errorOf(bytes.substr(0, s[8].offset)); // END missing
  EXPECT_TRUE(has(e, "truncated at offset " + std::to_string(s[8].offset)))
      << e;
  EXPECT_TRUE(has(e, "before the END section")) << e;
  for (size_t cut = 0; cut < bytes.size(); cut += 97)
    EXPECT_TRUE(has(errorOf(bytes.substr(0, cut)), "truncated")) << cut;
}

TEST_F(CorruptionTest, WrongMagic) {
  std::string b = bytes;
  b[0] = 'X';
  const std::string e = errorOf(b);
  EXPECT_TRUE(has(e, "wrong magic")) << e;
}

TEST_F(CorruptionTest, UnsupportedVersion) {
  std::string b = bytes;
  const uint32_t next = Image::formatVersion + 1;
  putLE(b, 8, next, 4);
  const std::string e = errorOf(b);
  EXPECT_TRUE(has(e, "unsupported image version " + std::to_string(next))) << e;
  EXPECT_TRUE(has(e, "reads version " + std::to_string(Image::formatVersion)))
      << e;
}

TEST_F(CorruptionTest, VersionTwoAsksForARecompile) {
  std::string b = bytes;
  putLE(b, 8, 2, 4);
  const std::string e = errorOf(b);
  EXPECT_TRUE(has(e, "image format version 2 is no longer read")) << e;
  EXPECT_TRUE(has(e, "recompile the network with `cajal compile`")) << e;
  // The header alone (what `cajal run` reads first) says the same.
  writeBytes(bad, b);
  Result<ImageHeader> h = readImageHeader(bad);
  ASSERT_FALSE(bool(h));
  EXPECT_TRUE(has(h.error(), bad + ": image format version 2")) << h.error();
  EXPECT_TRUE(has(h.error(), "`cajal compile`")) << h.error();
}

TEST_F(CorruptionTest, AnyFlippedPayloadByteFailsTheChecksum) {
  // Every section header byte (tags and lengths) and a sample of the
  // bodies, except the END section's own tag and length.
  std::vector<size_t> offsets;
  for (const Section &s : sections(bytes))
    for (size_t i = 0; i < 12; ++i)
      offsets.push_back(s.offset + i);
  for (size_t at = 12; at < bytes.size(); at += 37)
    offsets.push_back(at);
  offsets.push_back(bytes.size() - 1);
  for (size_t at : offsets) {
    if (at >= bytes.size() - 20 && at < bytes.size() - 8)
      continue;
    std::string b = bytes;
    b[at] ^= 0x10;
    const std::string e = errorOf(b);
    EXPECT_TRUE(has(e, "checksum mismatch")) << "offset " << at << ": " << e;
  }
}

TEST_F(CorruptionTest, ProfileMismatchNamesBothProfiles) {
  Result<Profile> board = findProfile("loihi1-board32", defaultProfileDir());
  ASSERT_TRUE(bool(board));
  Result<Image> r = readImage(good, *board);
  ASSERT_FALSE(bool(r));
  EXPECT_TRUE(has(r.error(), good + ": profile mismatch")) << r.error();
  EXPECT_TRUE(has(r.error(), "\"loihi1\"")) << r.error();
  EXPECT_TRUE(has(r.error(), "\"loihi1-board32\"")) << r.error();
  // Same name, other values: the fingerprint tells them apart.
  Profile tweaked = profile;
  tweaked.cost.staticPowerMW = 1;
  r = readImage(good, tweaked);
  ASSERT_FALSE(bool(r));
  EXPECT_TRUE(has(r.error(), "fingerprint")) << r.error();
}

TEST_F(CorruptionTest, OutputTargetOutOfRange) {
  const auto s = sections(bytes);
  const Core &core = image.cores[2];
  const size_t n = core.outputAxons.size();
  ASSERT_GE(n, 2u);
  ASSERT_EQ(bytes[s[3].body], 0) << "core 2 is stored as it is";
  const StoredCoreLayout l = storedCoreLayout(bytes, s[3]);
  ASSERT_EQ(le(bytes, l.outputCount, 4), n);
  // The core column holds differences: the last one is core[n-1] - core[n-2].
  std::string b = bytes;
  putPlaneValue(b, l.outputs, n, n - 1,
                uint32_t(9 - core.outputAxons[n - 2].core), 4); // core 9 of 3
  fixChecksum(b);
  std::string e = errorOf(b);
  EXPECT_TRUE(has(e, "core 2: output axon " + std::to_string(n - 1))) << e;
  EXPECT_TRUE(has(e, "target core 9 out of range (image has 3 cores)")) << e;
  b = bytes;
  putPlaneValue(b, l.outputs + 4 * n, n, n - 1, 5000, 4); // input axon 5000
  fixChecksum(b);
  e = errorOf(b);
  EXPECT_TRUE(has(e, "input axon 5000")) << e;
  EXPECT_TRUE(has(e, "out of range")) << e;
}

TEST_F(CorruptionTest, ParameterOutOfRange) {
  const auto s = sections(bytes);
  ASSERT_EQ(bytes[s[2].body], 0) << "core 1 is stored as it is";
  std::string b = bytes;
  // Core 1, compartment 3, decayU.
  putLE(b, storedCoreLayout(b, s[2]).compartments + 15 * 3, 4096, 2);
  fixChecksum(b);
  const std::string e = errorOf(b);
  EXPECT_TRUE(
      has(e, "core 1: compartment 3: decayU 4096 out of range [0, 4095]"))
      << e;
}

TEST_F(CorruptionTest, SynapseCompartmentOutOfRange) {
  // Rewrite core 0 with a synapse aimed past its compartments.
  Image img = image;
  Core &core = img.cores[0];
  InputAxon &ax = core.inputAxons[0];
  std::vector<Synapse> syn;
  for (uint32_t i = 0; i < ax.synapseCount; ++i)
    syn.push_back(unpackSynapse(core.synapseWords, ax, i, profile.synapse));
  syn.push_back({uint32_t(core.compartments.size()), 1, 1});
  InputAxon fresh = ax;
  packSynapses(syn, fresh, core.synapseWords, profile.synapse);
  ax = fresh;
  ASSERT_TRUE(bool(writeImage(img, good))); // structure is fine
  const std::string e = errorOf(readBytes(good));
  EXPECT_TRUE(has(e, "core 0: input axon 0: synapse " +
                         std::to_string(syn.size() - 1) + ": compartment " +
                         std::to_string(core.compartments.size()) +
                         " out of range"))
      << e;
}

TEST_F(CorruptionTest, UncheckedReadSkipsProfileButNotStructure) {
  Result<Image> r = readImageUnchecked(good);
  ASSERT_TRUE(bool(r)) << r.error();
  expectSameImage(image, *r);
  std::string b = bytes;
  b[20] ^= 1;
  writeBytes(bad, b);
  r = readImageUnchecked(bad);
  ASSERT_FALSE(bool(r));
  EXPECT_TRUE(has(r.error(), "checksum mismatch")) << r.error();
}

TEST_F(CorruptionTest, MissingFileIsAnError) {
  Result<Image> r = readImage(dir.file("nope.cjimg"), profile);
  ASSERT_FALSE(bool(r));
  EXPECT_TRUE(has(r.error(), "nope.cjimg: cannot open")) << r.error();
}

TEST_F(CorruptionTest, SynapseCountBeyondTheWordsIsRefusedBeforeUnpacking) {
  // 0xFFFFFFFF synapses: (count + perWord - 1) wrapped in 32 bits, the
  // bounds check passed and 48 GB were requested for the unpacked group.
  // Now the count is checked against the words the file holds, before
  // anything is allocated for it (the test would run out of memory).
  const auto s = sections(bytes);
  ASSERT_FALSE(image.cores[0].inputAxons.empty());
  ASSERT_GT(image.cores[0].inputAxons[0].synapseCount, 0u);
  ASSERT_EQ(bytes[s[1].body], 0) << "core 0 is stored as it is";
  const StoredCoreLayout l = storedCoreLayout(bytes, s[1]);
  const size_t axons = image.cores[0].inputAxons.size();
  for (const uint64_t count : {uint64_t(0xFFFFFFFF), uint64_t(0x80000001)}) {
    std::string b = bytes;
    // After the firstWord planes (4 per axon), axon 0's synapseCount.
    putPlaneValue(b, l.axons + 4 * axons, axons, 0, count, 4);
    fixChecksum(b);
    const std::string e = errorOf(b);
    EXPECT_TRUE(
        has(e, "core 0: input axon 0: synapseCount " + std::to_string(count)))
        << e;
    writeBytes(bad, b);
    Result<Image> unchecked = readImageUnchecked(bad);
    ASSERT_FALSE(bool(unchecked));
    EXPECT_TRUE(has(unchecked.error(), "synapseCount")) << unchecked.error();
  }
}

TEST_F(CorruptionTest, DamagedCompressedCoreHasItsOwnError) {
  std::mt19937_64 rng(5);
  const Image big = largeCoreImage(rng, profile);
  ASSERT_TRUE(bool(writeImage(big, profile, good)));
  const std::string file = readBytes(good);
  const Section core = sections(file)[1];
  ASSERT_EQ(file[core.body], 1) << "core 0 is compressed";
  const uint64_t columns = le(file, core.body + 1, 8);
  const size_t frame = core.body + 9;
  const size_t frameBytes = core.body + core.length - frame;
  auto damaged = [&](auto change) {
    std::string b = file;
    change(b);
    fixChecksum(b);
    return errorOf(b);
  };
  std::string e =
      damaged([&](std::string &b) { putLE(b, core.body + 1, columns + 1, 8); });
  EXPECT_TRUE(has(e, "malformed section CORE #0")) << e;
  EXPECT_TRUE(has(e, "the zstd frame holds " + std::to_string(columns) +
                         " bytes, the section states " +
                         std::to_string(columns + 1)))
      << e;
  // A stated length no frame of this size could expand to is refused before
  // anything is allocated for it (2^60 bytes would fail the allocation).
  e = damaged(
      [&](std::string &b) { putLE(b, core.body + 1, uint64_t(1) << 60, 8); });
  EXPECT_TRUE(has(e, "compressed columns state 1152921504606846976 bytes, "
                     "more than " +
                         std::to_string(frameBytes) +
                         " compressed bytes can hold"))
      << e;
  e = damaged([&](std::string &b) { b[core.body] = 7; });
  EXPECT_TRUE(has(e, "unknown core encoding 7 (0 stored, 1 zstd)")) << e;
  // Damage inside the compressed data (behind a recomputed checksum): the
  // frame's own checks, the columns' bounds or validation catch it, naming
  // core 0; never a crash.
  for (size_t at : {frame + frameBytes / 3, frame + frameBytes / 2,
                    core.body + core.length - 1}) {
    e = damaged([&](std::string &b) { b[at] = char(b[at] ^ 0x5a); });
    EXPECT_TRUE(has(e, "section CORE #0") || has(e, ": core 0: "))
        << "offset " << at << ": " << e;
  }
}

TEST_F(CorruptionTest, WordsForGroupCountsIn64Bits) {
  InputAxon ax;
  ax.synapseCount = 0xFFFFFFFF;
  ax.weightBits = 8;
  const unsigned perWord = synapsesPerWord(ax, profile.synapse);
  ASSERT_GT(perWord, 1u);
  EXPECT_EQ(wordsForGroup(ax, profile.synapse),
            (uint64_t(0xFFFFFFFF) + perWord - 1) / perWord);
  // validate() on an image whose group claims that many synapses after its
  // only word: an error, not an unpack of 2^32 synapses.
  Image img = image;
  img.cores[0].inputAxons[0].synapseCount = 0xFFFFFFFF;
  const cajal::Status st = validate(img, profile);
  ASSERT_FALSE(bool(st));
  EXPECT_TRUE(has(st.error(), "synapseCount 4294967295")) << st.error();
}

TEST_F(CorruptionTest, HeaderReadNamesTheProfileWithoutTheBody) {
  Result<ImageHeader> h = readImageHeader(good);
  ASSERT_TRUE(bool(h)) << h.error();
  EXPECT_EQ(h->profileName, "loihi1");
  EXPECT_EQ(h->profileFingerprint, profile.fingerprint());
  EXPECT_EQ(h->coreCount, 3u);
  // Only the header is read: a file cut after HEAD still names its profile.
  const auto s = sections(bytes);
  writeBytes(bad, bytes.substr(0, s[1].offset + 5));
  h = readImageHeader(bad);
  ASSERT_TRUE(bool(h)) << h.error();
  EXPECT_EQ(h->profileName, "loihi1");
  // The preamble's and HEAD's own damage are errors naming the file.
  writeBytes(bad, bytes.substr(0, 6));
  h = readImageHeader(bad);
  ASSERT_FALSE(bool(h));
  EXPECT_TRUE(has(h.error(), bad + ": truncated at offset 6")) << h.error();
  std::string b = bytes;
  putLE(b, s[0].offset + 4, uint64_t(1) << 40, 8); // HEAD length 2^40
  writeBytes(bad, b);
  h = readImageHeader(bad);
  ASSERT_FALSE(bool(h));
  EXPECT_TRUE(has(h.error(), "section HEAD")) << h.error();
  b = bytes;
  putLE(b, s[0].body + 8, 0xFFFFFFF0u, 4); // profile name length
  writeBytes(bad, b);
  h = readImageHeader(bad);
  ASSERT_FALSE(bool(h));
  EXPECT_TRUE(has(h.error(), "profile name count 4294967280")) << h.error();
}

} // namespace
