//===- Place.cpp - nc-place: cores onto mesh coordinates ------------------===//
//
// For each nc.chip: cores are numbered in op order, the traffic between
// them is read from the nc.route ops (axons per source spike), and
// cajal::mapping::place (greedy placement plus pairwise swaps, minimising
// axons x hops) gives every core a tile (x, y) and a slot in the tile.
//
//===----------------------------------------------------------------------===//
#include "cajal/Mapping/Place.h"
#include "cajal/Conversion/SNNToMapping.h"
#include "cajal/Transforms/Passes.h"

#include "llvm/ADT/DenseMap.h"

#include <map>

namespace cajal {
#define GEN_PASS_DEF_NCPLACE
#include "cajal/Transforms/Passes.h.inc"
} // namespace cajal

using namespace mlir;
using namespace cajal;

namespace {

LogicalResult placeChip(nc::ChipOp chip) {
  FailureOr<chip::Profile> profile = loadProfileFor(chip, chip.getProfile());
  if (failed(profile))
    return failure();
  SmallVector<nc::CoreOp> cores(chip.getBodyBlock()->getOps<nc::CoreOp>());
  llvm::DenseMap<StringAttr, uint32_t> index;
  for (auto [i, core] : llvm::enumerate(cores))
    index[core.getSymNameAttr()] = uint32_t(i);
  std::map<std::pair<uint32_t, uint32_t>, uint64_t> axons;
  for (auto route : chip.getBodyBlock()->getOps<nc::RouteOp>()) {
    auto from = index.find(route.getSourceAttr().getAttr());
    auto to = index.find(route.getDestAttr().getAttr());
    if (from == index.end() || to == index.end())
      return route.emitOpError("names a core that does not exist");
    axons[{from->second, to->second}] += uint64_t(route.getAxons());
  }
  std::vector<mapping::CoreTraffic> traffic;
  for (const auto &[key, count] : axons)
    traffic.push_back({key.first, key.second, count});
  Result<mapping::Placement> placement =
      mapping::place(uint32_t(cores.size()), traffic, *profile);
  if (!placement)
    return chip.emitError() << "cannot place @" << chip.getSymName() << ": "
                            << placement.error();
  Builder b(chip.getContext());
  for (auto [core, loc] : llvm::zip(cores, placement->cores)) {
    core.setXAttr(b.getI64IntegerAttr(loc.x));
    core.setYAttr(b.getI64IntegerAttr(loc.y));
    core.setSlotAttr(b.getI64IntegerAttr(loc.slot));
  }
  // On the location, not the op: a remark on the op would print the whole
  // chip (every core and route) into the diagnostic.
  emitRemark(chip.getLoc()) << "placed " << cores.size() << " cores, cost "
                            << placement->cost << " (axons x hops)";
  return success();
}

struct NCPlace : public cajal::impl::NCPlaceBase<NCPlace> {
  using Base::Base;
  void runOnOperation() override {
    for (auto chip : getOperation().getOps<nc::ChipOp>())
      if (failed(placeChip(chip)))
        return signalPassFailure();
  }
};

} // namespace
