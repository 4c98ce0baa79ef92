//===- PlaceTest.cpp - Cores onto mesh coordinates -----------------------===//
#include "cajal/Mapping/Place.h"

#include "TestUtil.h"

#include <random>
#include <set>

using namespace cajal;
using namespace cajal::mapping;
using namespace cajal::mapping::test;

namespace {

void expectDistinctSlots(const Placement &p, const chip::Profile &profile) {
  std::set<std::tuple<uint32_t, uint32_t, uint32_t>> used;
  for (const CoreLocation &c : p.cores) {
    EXPECT_LT(c.x, profile.mesh.tilesX * profile.mesh.chipsX);
    EXPECT_LT(c.y, profile.mesh.tilesY * profile.mesh.chipsY);
    EXPECT_LT(c.slot, profile.mesh.coresPerTile);
    EXPECT_TRUE(used.insert({c.x, c.y, c.slot}).second)
        << "slot used twice: " << c.x << "," << c.y << "," << c.slot;
  }
}

TEST(PlaceTest, HopDistanceIsManhattanBetweenTiles) {
  EXPECT_EQ(hopDistance({0, 0, 0}, {0, 0, 3}), 0u);
  EXPECT_EQ(hopDistance({1, 2, 0}, {4, 0, 1}), 5u);
}

TEST(PlaceTest, HeavyPairsShareATile) {
  const chip::Profile profile = loihi1();
  // Two cliques of 4 cores with heavy internal traffic, a light link.
  std::vector<CoreTraffic> t;
  for (uint32_t a = 0; a < 8; ++a)
    for (uint32_t b = 0; b < 8; ++b)
      if (a != b && a / 4 == b / 4)
        t.push_back({a * 3 % 8, b * 3 % 8, 1000}); // scrambled indices
  t.push_back({0, 1, 1});
  auto p = place(8, t, profile);
  ASSERT_TRUE(p) << p.error();
  expectDistinctSlots(*p, profile);
  EXPECT_EQ(p->cost, placementCost(p->cores, t));
  EXPECT_LE(p->cost, 1u); // each clique in one tile; the link at most 1 hop
}

TEST(PlaceTest, ImprovesOnInOrderPlacementAndIsDeterministic) {
  const chip::Profile profile = loihi1();
  for (uint64_t seed : {5ull, 77ull}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937_64 rng(seed);
    const uint32_t n = 60;
    std::vector<CoreTraffic> t;
    for (uint32_t k = 0; k < 200; ++k)
      t.push_back({uint32_t(rng() % n), uint32_t(rng() % n), rng() % 100});
    auto p = place(n, t, profile);
    ASSERT_TRUE(p);
    expectDistinctSlots(*p, profile);
    // In-order placement: core i at slot i of the (y, x, slot) order.
    std::vector<CoreLocation> naive;
    for (uint32_t i = 0; i < n; ++i) {
      const uint32_t tile = i / profile.mesh.coresPerTile;
      naive.push_back({tile % profile.mesh.tilesX, tile / profile.mesh.tilesX,
                       i % profile.mesh.coresPerTile});
    }
    EXPECT_LT(p->cost, placementCost(naive, t));
    auto q = place(n, t, profile);
    ASSERT_TRUE(q);
    EXPECT_EQ(p->cores, q->cores);
  }
}

TEST(PlaceTest, TooManyCoresIsAnError) {
  const chip::Profile profile = loihi1();
  auto p = place(129, {}, profile);
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().find("129"), std::string::npos);
  EXPECT_NE(p.error().find("128"), std::string::npos);
}

} // namespace
