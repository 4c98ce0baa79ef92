//===- TestUtil.h - Helpers shared by the chip unit tests -------*- C++ -*-===//
#ifndef CAJAL_TESTS_CHIP_TESTUTIL_H
#define CAJAL_TESTS_CHIP_TESTUTIL_H

#include "cajal/Chip/Profile.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <dirent.h>
#include <fstream>
#include <iterator>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace cajal::chip::test {

/// A fresh directory under $TMPDIR (or /tmp), removed with its files.
class TempDir {
public:
  TempDir() {
    const char *base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base && *base ? base : "/tmp") + "/cajal-chip-XXXXXX";
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    path = mkdtemp(buf.data()) ? std::string(buf.data()) : std::string();
  }
  ~TempDir() {
    chmod(path.c_str(), 0755);
    for (const std::string &f : files())
      std::remove((path + "/" + f).c_str());
    rmdir(path.c_str());
  }
  std::string file(const std::string &name) const { return path + "/" + name; }
  /// Entries of the directory (without . and ..), sorted.
  std::vector<std::string> files() const {
    std::vector<std::string> out;
    if (DIR *d = opendir(path.c_str())) {
      while (dirent *e = readdir(d)) {
        const std::string n = e->d_name;
        if (n != "." && n != "..")
          out.push_back(n);
      }
      closedir(d);
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  std::string path;
};

inline std::string readBytes(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
}

inline void writeBytes(const std::string &path, const std::string &bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

/// chip/profiles/NAME.json (a test fails if it cannot be loaded).
inline Profile profileNamed(const std::string &name) {
  Result<Profile> p = findProfile(name, defaultProfileDir());
  EXPECT_TRUE(bool(p)) << (p ? "" : p.error());
  return p ? *p : Profile{};
}

inline Profile loihi1() { return profileNamed("loihi1"); }

inline bool has(const std::string &s, const std::string &part) {
  return s.find(part) != std::string::npos;
}

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
