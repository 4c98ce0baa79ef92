//===- TestUtil.h - Helpers shared by the chip unit tests -------*- C++ -*-===//
#ifndef CAJAL_TESTS_CHIP_TESTUTIL_H
#define CAJAL_TESTS_CHIP_TESTUTIL_H

#include "cajal/Chip/Profile.h"

#include <gtest/gtest.h>

#include <algorithm>
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

inline Profile loihi1() {
  Result<Profile> p = findProfile("loihi1", defaultProfileDir());
  EXPECT_TRUE(bool(p)) << (p ? "" : p.error());
  return p ? *p : Profile{};
}

} // namespace cajal::chip::test

#endif // CAJAL_TESTS_CHIP_TESTUTIL_H
