//===- SystemCTestUtil.h - Helpers of the SystemC tests ---------*- C++ -*-===//
#ifndef CAJAL_TESTS_SYSTEMC_TESTUTIL_H
#define CAJAL_TESTS_SYSTEMC_TESTUTIL_H

#include "cajal/Chip/Image.h"
#include "cajal/Chip/Profile.h"
#include "cajal/Chip/Source.h"
#include "cajal/TestSupport/Files.h"
#include "cajal/TestSupport/Profiles.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <tuple>

namespace cajal::sctest {

using cajal::test::fileExists;
using cajal::test::listDir;
using cajal::test::loihi1;
using cajal::test::readBytes;
using cajal::test::TempDir;

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

} // namespace cajal::sctest

#endif // CAJAL_TESTS_SYSTEMC_TESTUTIL_H
