//===- TestUtil.h - Helpers shared by the chip unit tests -------*- C++ -*-===//
#ifndef CAJAL_TESTS_CHIP_TESTUTIL_H
#define CAJAL_TESTS_CHIP_TESTUTIL_H

#include "cajal/Chip/Profile.h"
#include "cajal/TestSupport/Files.h"
#include "cajal/TestSupport/Profiles.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cajal::chip::test {

using cajal::test::has;
using cajal::test::loihi1;
using cajal::test::profileNamed;
using cajal::test::readBytes;
using cajal::test::TempDir;
using cajal::test::writeBytes;

/// The n-byte little-endian integer at byte `at` of a file's bytes.
inline uint64_t le(const std::string &b, size_t at, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i)
    v |= uint64_t(uint8_t(b[at + i])) << (8 * i);
  return v;
}

inline void putLE(std::string &b, size_t at, uint64_t v, int n) {
  for (int i = 0; i < n; ++i)
    b[at + i] = char((v >> (8 * i)) & 0xff);
}

/// One section of an image file: its tag, where its header and its body
/// start, and the body's length (docs/chip-image.md).
struct Section {
  std::string tag;
  size_t offset, body, length;
};

/// The sections of a well-formed image file.
inline std::vector<Section> sections(const std::string &b) {
  std::vector<Section> out;
  size_t pos = 12;
  while (pos + 12 <= b.size()) {
    Section s{b.substr(pos, 4), pos, pos + 12, size_t(le(b, pos + 4, 8))};
    out.push_back(s);
    pos = s.body + s.length;
  }
  return out;
}

/// Recompute the END checksum (FNV-1a 64 of the bytes before the END tag),
/// so that a deliberately corrupted field reaches the check it is aimed at.
/// Offsets inside a CORE body stored as it is (encoding byte 0; bodies
/// shorter than 4 KiB are, docs/chip-image.md).
struct StoredCoreLayout {
  size_t compartments = 0;             ///< first compartment record
  size_t axonCount = 0, axons = 0;     ///< input axon count, first plane
  size_t outputCount = 0, outputs = 0; ///< output axon count, first plane
};

inline StoredCoreLayout storedCoreLayout(const std::string &b,
                                         const Section &core) {
  StoredCoreLayout l;
  size_t at = core.body + 1 + 12; // encoding byte, x, y, tileSlot
  l.compartments = at + 4;
  at = l.compartments + 15 * le(b, at, 4);
  l.axonCount = at;
  l.axons = at + 4;
  at = l.axons + 16 * le(b, at, 4);
  at += 4 + 8 * le(b, at, 4); // synapse words
  at += 4 + 4 * le(b, at, 4); // outputBegin
  l.outputCount = at;
  l.outputs = at + 4;
  return l;
}

/// Overwrite value `i` of the `n` values of `width` bytes stored as byte
/// planes from `planes` (docs/chip-image.md, "Columns").
inline void putPlaneValue(std::string &b, size_t planes, size_t n, size_t i,
                          uint64_t v, int width) {
  for (int k = 0; k < width; ++k)
    b[planes + k * n + i] = char((v >> (8 * k)) & 0xff);
}

inline void fixChecksum(std::string &b) {
  const Section end = sections(b).back();
  uint64_t h = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < end.offset; ++i) {
    h ^= uint8_t(b[i]);
    h *= 0x100000001b3ull;
  }
  putLE(b, end.body, h, 8);
}

} // namespace cajal::chip::test

#endif // CAJAL_TESTS_CHIP_TESTUTIL_H
