//===- Route.cpp - nc-route: hop counts of the routes ---------------------===//
//
// Routes between the same two cores are merged (their axons add up), then
// each route's `hops` is the Manhattan distance between the tiles of its
// cores, the path length of dimension-ordered (X then Y) routing on the
// mesh; cores in one tile are 0 hops apart.
//
//===----------------------------------------------------------------------===//
#include "cajal/Mapping/Place.h"
#include "cajal/Transforms/Passes.h"

#include "llvm/ADT/DenseMap.h"

#include <map>

namespace cajal {
#define GEN_PASS_DEF_NCROUTE
#include "cajal/Transforms/Passes.h.inc"
} // namespace cajal

using namespace mlir;
using namespace cajal;

namespace {

LogicalResult routeChip(nc::ChipOp chip) {
  llvm::DenseMap<StringAttr, mapping::CoreLocation> where;
  for (auto core : chip.getBodyBlock()->getOps<nc::CoreOp>()) {
    if (!core.isPlaced())
      return core.emitOpError("is not placed; run nc-place first");
    where[core.getSymNameAttr()] = {uint32_t(*core.getX()),
                                    uint32_t(*core.getY()),
                                    uint32_t(*core.getSlot())};
  }
  // Merge routes between the same cores into the first of them.
  std::map<std::pair<StringRef, StringRef>, nc::RouteOp> first;
  Builder b(chip.getContext());
  for (auto route :
       llvm::make_early_inc_range(chip.getBodyBlock()->getOps<nc::RouteOp>())) {
    auto [it, inserted] =
        first.try_emplace({route.getSource(), route.getDest()}, route);
    if (inserted)
      continue;
    it->second.setAxonsAttr(
        b.getI64IntegerAttr(it->second.getAxons() + route.getAxons()));
    route.erase();
  }
  for (auto &[key, route] : first) {
    auto from = where.find(route.getSourceAttr().getAttr());
    auto to = where.find(route.getDestAttr().getAttr());
    if (from == where.end() || to == where.end())
      return route.emitOpError("names a core that does not exist");
    route.setHopsAttr(
        b.getI64IntegerAttr(mapping::hopDistance(from->second, to->second)));
  }
  return success();
}

struct NCRoute : public cajal::impl::NCRouteBase<NCRoute> {
  using Base::Base;
  void runOnOperation() override {
    for (auto chip : getOperation().getOps<nc::ChipOp>())
      if (failed(routeChip(chip)))
        return signalPassFailure();
  }
};

} // namespace
