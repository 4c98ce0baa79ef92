//===- Place.cpp - Cores onto mesh coordinates ---------------------------===//
//
// The cores form an undirected Boost.Graph whose edge weights are the axons
// exchanged in both directions. The cost of a core at a tile, given where
// its neighbours sit, is separable: sum_n w_n (|x - x_n| + |y - y_n|) is a
// function of x plus a function of y, so the cost of every tile comes from
// per-column and per-row weights in O(degree + width + height + tiles)
// (prefix sums along each axis).
//
// Greedy construction: the next core is the unplaced one with the most
// traffic to placed cores (ties: most total traffic, then lowest index); it
// goes to the cheapest tile with a free slot (ties: lowest tile in (y, x)
// order). A core with no placed neighbour takes the first free slot, so
// cores without traffic fill tiles in order.
//
// Improvement, in rounds until nothing changes: each core looks at the few
// tiles cheaper than its own and swaps with the core in (or moves to a free
// slot of) the one that lowers the exact cost most. On a mesh of at most
// kExhaustiveSlots slots every pair of slots is tried as well.
//
//===----------------------------------------------------------------------===//
#include "cajal/Mapping/Place.h"

#include <boost/graph/adjacency_list.hpp>

#include <algorithm>
#include <map>
#include <numeric>

namespace cajal::mapping {

namespace {

using CoreGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS,
                          boost::no_property,
                          boost::property<boost::edge_weight_t, uint64_t>>;

constexpr uint32_t kNone = UINT32_MAX;
/// Tiles cheaper than its own that a core considers per improvement step.
constexpr size_t kCandidateTiles = 4;
/// Meshes up to this many slots also get the all-pairs swap pass.
constexpr size_t kExhaustiveSlots = 256;

CoreGraph buildGraph(uint32_t coreCount,
                     const std::vector<CoreTraffic> &traffic) {
  std::map<std::pair<uint32_t, uint32_t>, uint64_t> weights;
  for (const CoreTraffic &t : traffic)
    if (t.from != t.to && t.from < coreCount && t.to < coreCount)
      weights[{std::min(t.from, t.to), std::max(t.from, t.to)}] += t.axons;
  CoreGraph g(coreCount);
  for (const auto &[pair, w] : weights)
    boost::add_edge(pair.first, pair.second, w, g);
  return g;
}

uint64_t absDiff(uint32_t a, uint32_t b) { return a > b ? a - b : b - a; }

/// cost[x] = sum_k weight[k] |x - k| for every x, in two linear sweeps (the
/// weight to the left of x adds once per step to the right, and vice versa).
void distanceCosts(const std::vector<uint64_t> &weight,
                   std::vector<uint64_t> &cost) {
  const size_t n = weight.size();
  cost.assign(n, 0);
  uint64_t side = 0, acc = 0;
  for (size_t x = 0; x < n; ++x) {
    cost[x] += acc;
    side += weight[x];
    acc += side;
  }
  side = acc = 0;
  for (size_t x = n; x-- > 0;) {
    cost[x] += acc;
    side += weight[x];
    acc += side;
  }
}

class Placer {
public:
  Placer(const CoreGraph &graph, const chip::MeshShape &m)
      : g(graph), width(m.tilesX * m.chipsX), height(m.tilesY * m.chipsY),
        perTile(m.coresPerTile), weight(boost::get(boost::edge_weight, g)) {
    slotOf.assign(boost::num_vertices(g), kNone);
    coreAt.assign(size_t(width) * height * perTile, kNone);
  }

  void greedy();
  bool improveTargeted();
  bool improveExhaustive();
  size_t slotCount() const { return coreAt.size(); }
  std::vector<CoreLocation> result() const {
    std::vector<CoreLocation> out;
    for (uint32_t s : slotOf)
      out.push_back(location(s));
    return out;
  }

private:
  CoreLocation location(uint32_t s) const {
    const uint32_t tile = s / perTile;
    return CoreLocation{tile % width, tile / width, s % perTile};
  }
  /// traffic x hops between core c (were it at slot s) and its placed
  /// neighbours other than `skip`.
  uint64_t localCost(uint32_t c, uint32_t s, uint32_t skip) const;
  /// The same for every tile at once (separable form), skipping `skip`.
  void tileCosts(uint32_t c, uint32_t skip, std::vector<uint64_t> &cost) const;
  uint32_t firstFreeSlot(uint32_t tile) const {
    for (uint32_t k = 0; k < perTile; ++k)
      if (coreAt[tile * perTile + k] == kNone)
        return tile * perTile + k;
    return kNone;
  }
  void put(uint32_t c, uint32_t s) {
    slotOf[c] = s;
    coreAt[s] = c;
  }
  /// Exchange the contents of slots a and b (either may be empty).
  void swapSlots(uint32_t a, uint32_t b) {
    const uint32_t ca = coreAt[a], cb = coreAt[b];
    coreAt[a] = cb;
    coreAt[b] = ca;
    if (ca != kNone)
      slotOf[ca] = b;
    if (cb != kNone)
      slotOf[cb] = a;
  }
  /// Change of the total cost if slots a and b exchange contents.
  int64_t swapDelta(uint32_t a, uint32_t b) const {
    const uint32_t ca = coreAt[a], cb = coreAt[b];
    int64_t delta = 0;
    if (ca != kNone)
      delta += int64_t(localCost(ca, b, cb)) - int64_t(localCost(ca, a, cb));
    if (cb != kNone)
      delta += int64_t(localCost(cb, a, ca)) - int64_t(localCost(cb, b, ca));
    return delta;
  }
  uint32_t pickNext(const std::vector<uint64_t> &toPlaced,
                    const std::vector<uint64_t> &degree) const;

  const CoreGraph &g;
  uint32_t width, height, perTile;
  boost::property_map<CoreGraph, boost::edge_weight_t>::const_type weight;
  std::vector<uint32_t> slotOf, coreAt;
};

uint64_t Placer::localCost(uint32_t c, uint32_t s, uint32_t skip) const {
  const CoreLocation at = location(s);
  uint64_t cost = 0;
  for (auto [e, end] = boost::out_edges(c, g); e != end; ++e) {
    const uint32_t n = uint32_t(boost::target(*e, g));
    if (n == skip || slotOf[n] == kNone)
      continue;
    cost += boost::get(weight, *e) * hopDistance(at, location(slotOf[n]));
  }
  return cost;
}

void Placer::tileCosts(uint32_t c, uint32_t skip,
                       std::vector<uint64_t> &cost) const {
  std::vector<uint64_t> column(width, 0), row(height, 0);
  for (auto [e, end] = boost::out_edges(c, g); e != end; ++e) {
    const uint32_t n = uint32_t(boost::target(*e, g));
    if (n == skip || slotOf[n] == kNone)
      continue;
    const CoreLocation at = location(slotOf[n]);
    column[at.x] += boost::get(weight, *e);
    row[at.y] += boost::get(weight, *e);
  }
  std::vector<uint64_t> costX, costY;
  distanceCosts(column, costX);
  distanceCosts(row, costY);
  cost.resize(size_t(width) * height);
  for (uint32_t y = 0; y < height; ++y)
    for (uint32_t x = 0; x < width; ++x)
      cost[size_t(y) * width + x] = costX[x] + costY[y];
}

uint32_t Placer::pickNext(const std::vector<uint64_t> &toPlaced,
                          const std::vector<uint64_t> &degree) const {
  uint32_t best = kNone;
  for (uint32_t c = 0; c < slotOf.size(); ++c) {
    if (slotOf[c] != kNone)
      continue;
    if (best == kNone || toPlaced[c] > toPlaced[best] ||
        (toPlaced[c] == toPlaced[best] && degree[c] > degree[best]))
      best = c;
  }
  return best;
}

void Placer::greedy() {
  const size_t n = slotOf.size();
  std::vector<uint64_t> degree(n, 0), toPlaced(n, 0), cost;
  for (auto [e, end] = boost::edges(g); e != end; ++e) {
    degree[boost::source(*e, g)] += boost::get(weight, *e);
    degree[boost::target(*e, g)] += boost::get(weight, *e);
  }
  for (size_t k = 0; k < n; ++k) {
    const uint32_t c = pickNext(toPlaced, degree);
    uint32_t slot = kNone;
    if (toPlaced[c] == 0) {
      slot = uint32_t(std::find(coreAt.begin(), coreAt.end(), kNone) -
                      coreAt.begin());
    } else {
      tileCosts(c, kNone, cost);
      uint64_t best = UINT64_MAX;
      for (uint32_t t = 0; t < cost.size(); ++t)
        if (cost[t] < best) {
          if (const uint32_t s = firstFreeSlot(t); s != kNone) {
            best = cost[t];
            slot = s;
          }
        }
    }
    put(c, slot);
    for (auto [e, end] = boost::out_edges(c, g); e != end; ++e)
      toPlaced[boost::target(*e, g)] += boost::get(weight, *e);
  }
}

/// The (at most kCandidateTiles) tiles cheaper than `limit`, cheapest
/// first (ties: lower index), by insertion into a short sorted list: one
/// pass over the tiles.
void cheapestTiles(const std::vector<uint64_t> &cost, uint64_t limit,
                   std::vector<uint32_t> &tiles) {
  tiles.clear();
  for (uint32_t t = 0; t < cost.size(); ++t) {
    if (cost[t] >= limit)
      continue;
    if (tiles.size() == kCandidateTiles && cost[tiles.back()] <= cost[t])
      continue;
    if (tiles.size() == kCandidateTiles)
      tiles.pop_back();
    auto at = std::upper_bound(
        tiles.begin(), tiles.end(), t,
        [&](uint32_t a, uint32_t b) { return cost[a] < cost[b]; });
    tiles.insert(at, t);
  }
}

bool Placer::improveTargeted() {
  bool changed = false;
  std::vector<uint64_t> cost;
  std::vector<uint32_t> tiles;
  for (uint32_t c = 0; c < slotOf.size(); ++c) {
    tileCosts(c, kNone, cost);
    const uint32_t here = slotOf[c] / perTile;
    cheapestTiles(cost, cost[here], tiles);
    const size_t keep = tiles.size();
    int64_t bestDelta = 0;
    uint32_t bestSlot = kNone;
    for (size_t i = 0; i < keep; ++i)
      for (uint32_t k = 0; k < perTile; ++k) {
        const uint32_t s = tiles[i] * perTile + k;
        const int64_t delta = swapDelta(slotOf[c], s);
        if (delta < bestDelta) {
          bestDelta = delta;
          bestSlot = s;
        }
      }
    if (bestSlot != kNone) {
      swapSlots(slotOf[c], bestSlot);
      changed = true;
    }
  }
  return changed;
}

bool Placer::improveExhaustive() {
  bool changed = false;
  const uint32_t m = uint32_t(coreAt.size());
  for (uint32_t a = 0; a < m; ++a)
    for (uint32_t b = a + 1; b < m; ++b) {
      if (coreAt[a] == kNone && coreAt[b] == kNone)
        continue;
      if (swapDelta(a, b) < 0) {
        swapSlots(a, b);
        changed = true;
      }
    }
  return changed;
}

} // namespace

uint32_t hopDistance(const CoreLocation &a, const CoreLocation &b) {
  return uint32_t(absDiff(a.x, b.x) + absDiff(a.y, b.y));
}

uint64_t placementCost(const std::vector<CoreLocation> &cores,
                       const std::vector<CoreTraffic> &traffic) {
  uint64_t cost = 0;
  for (const CoreTraffic &t : traffic)
    if (t.from < cores.size() && t.to < cores.size())
      cost += t.axons * hopDistance(cores[t.from], cores[t.to]);
  return cost;
}

Result<Placement> place(uint32_t coreCount,
                        const std::vector<CoreTraffic> &traffic,
                        const chip::Profile &profile,
                        const PlaceOptions &options) {
  const uint64_t slots = profile.mesh.totalCores();
  if (coreCount > slots)
    return makeError("placement needs " + std::to_string(coreCount) +
                     " cores; the mesh of profile " + profile.name + " has " +
                     std::to_string(slots));
  const CoreGraph g = buildGraph(coreCount, traffic);
  Placer placer(g, profile.mesh);
  placer.greedy();
  for (unsigned round = 0; options.improve && round < options.maxSwapRounds;
       ++round) {
    bool changed = placer.improveTargeted();
    if (placer.slotCount() <= kExhaustiveSlots)
      changed |= placer.improveExhaustive();
    if (!changed)
      break;
  }
  Placement p;
  p.cores = placer.result();
  p.cost = placementCost(p.cores, traffic);
  return p;
}

} // namespace cajal::mapping
