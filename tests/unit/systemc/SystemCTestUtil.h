//===- SystemCTestUtil.h - Helpers of the SystemC tests ---------*- C++ -*-===//
#ifndef CAJAL_TESTS_SYSTEMC_TESTUTIL_H
#define CAJAL_TESTS_SYSTEMC_TESTUTIL_H

#include "cajal/Chip/Image.h"
#include "cajal/Chip/Profile.h"
#include "cajal/Chip/Source.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <dirent.h>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <unistd.h>
#include <vector>

namespace cajal::sctest {

/// chip/profiles/loihi1.json, loaded once (a test fails if it cannot be).
inline const chip::Profile &loihi1() {
  static const chip::Profile profile = [] {
    Result<chip::Profile> p =
        chip::findProfile("loihi1", CAJAL_TEST_PROFILE_DIR);
    if (!p) {
      ADD_FAILURE() << p.error();
      return chip::Profile();
    }
    return *p;
  }();
  return profile;
}

/// Move every core of `image` to a distinct random (x, y, slot) of the mesh.
inline void scatter(chip::Image &image, const chip::Profile &p, uint64_t seed) {
  const uint32_t w = p.mesh.tilesX * p.mesh.chipsX;
  const uint32_t h = p.mesh.tilesY * p.mesh.chipsY;
  std::set<std::tuple<uint32_t, uint32_t, uint32_t>> taken;
  uint64_t state = seed * 0x9e3779b97f4a7c15ull + 17;
  for (chip::Core &c : image.cores) {
    for (;;) {
      const uint64_t r = chip::splitmix64(state++);
      const uint32_t x = uint32_t(r % w), y = uint32_t((r >> 20) % h);
      const uint32_t s = uint32_t((r >> 40) % p.mesh.coresPerTile);
      if (taken.insert({x, y, s}).second) {
        c.x = x;
        c.y = y;
        c.tileSlot = s;
        break;
      }
    }
  }
}

/// A scratch directory removed at the end of the test.
struct TempDir {
  TempDir() {
    char tmpl[] = "/tmp/cajal-systemc-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { (void)std::system(("rm -rf '" + path + "'").c_str()); }
  std::string file(const std::string &name) const { return path + "/" + name; }
  std::string path;
};

inline std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline bool fileExists(const std::string &path) {
  return access(path.c_str(), F_OK) == 0;
}

/// Entries of a directory (without . and ..), sorted.
inline std::vector<std::string> listDir(const std::string &path) {
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

} // namespace cajal::sctest

#endif // CAJAL_TESTS_SYSTEMC_TESTUTIL_H
