//===- NCOps.cpp - Operations of the nc dialect ---------------------------===//
//
// Verifiers (ranges, placements, symbol references into the snn.network the
// chip implements) and canonicalizations: empty slices and synapse ranges
// and zero-axon routes are erased; two routes between the same cores merge
// into one carrying the sum of their axons.
//
//===----------------------------------------------------------------------===//
#include "cajal/Dialect/NC/NCOps.h"

#include "llvm/ADT/DenseSet.h"

#include <map>
#include <tuple>

using namespace mlir;
using namespace cajal;
using namespace cajal::nc;

//===----------------------------------------------------------------------===//
// ChipOp, CoreOp
//===----------------------------------------------------------------------===//

RegionKind ChipOp::getRegionKind(unsigned) { return RegionKind::Graph; }

LogicalResult ChipOp::verify() {
  if (getProfile().empty())
    return emitOpError("'profile' must name a profile");
  std::map<std::tuple<int64_t, int64_t, int64_t>, CoreOp> taken;
  for (auto core : getBodyBlock()->getOps<CoreOp>()) {
    if (!core.isPlaced())
      continue;
    auto key = std::make_tuple(*core.getX(), *core.getY(), *core.getSlot());
    auto [it, inserted] = taken.try_emplace(key, core);
    if (!inserted)
      return core.emitOpError()
                 .append("is placed at (", *core.getX(), ", ", *core.getY(),
                         ", ", *core.getSlot(), ") like @",
                         it->second.getSymName())
                 .attachNote(it->second.getLoc())
             << "the other core";
  }
  return success();
}

LogicalResult CoreOp::verify() {
  const int placed = int(getX().has_value()) + int(getY().has_value()) +
                     int(getSlot().has_value());
  if (placed != 0 && placed != 3)
    return emitOpError("'x', 'y' and 'slot' are set together or not at all");
  if (placed == 3 && (*getX() < 0 || *getY() < 0 || *getSlot() < 0))
    return emitOpError() << "coordinates must be >= 0, got (" << *getX() << ", "
                         << *getY() << ", " << *getSlot() << ")";
  return success();
}

int64_t CoreOp::getCompartmentCount() {
  int64_t n = 0;
  for (auto slice : getBodyBlock()->getOps<CompartmentsOp>())
    n += slice.getSize();
  return n;
}

//===----------------------------------------------------------------------===//
// Symbol uses into the snn.network
//===----------------------------------------------------------------------===//

namespace {

/// Resolve `ref` (e.g. @net::@exc) from the op that holds the chip.
template <typename OpT>
FailureOr<OpT> lookupInNetwork(Operation *op, SymbolRefAttr ref,
                               SymbolTableCollection &symbols, StringRef what) {
  auto chip = op->getParentOfType<ChipOp>();
  Operation *scope = chip ? chip->getParentOp() : nullptr;
  if (!scope)
    return OpT(); // A chip on its own: nothing to resolve against.
  if (ref.getRootReference() != chip.getNetworkAttr().getAttr())
    return op->emitOpError()
           << what << " " << ref << " is not in the chip's network "
           << chip.getNetworkAttr();
  auto target =
      dyn_cast_or_null<OpT>(symbols.lookupNearestSymbolFrom(scope, ref));
  if (!target)
    return op->emitOpError()
           << "references " << ref << ", which is not an " << what;
  return target;
}

/// [begin, end) must be a range within `size` neurons (size < 0: unknown);
/// `declared` is the op that has those neurons, for a note.
LogicalResult checkRange(Operation *op, StringRef what, int64_t begin,
                         int64_t end, int64_t size,
                         Operation *declared = nullptr) {
  if (begin < 0 || begin > end)
    return op->emitOpError()
           << what << " range [" << begin << ", " << end << ") is not a range";
  if (size < 0 || end <= size)
    return success();
  InFlightDiagnostic diag = op->emitOpError()
                            << what << " range [" << begin << ", " << end
                            << ") exceeds its " << size << " neurons";
  if (declared)
    diag.attachNote(declared->getLoc())
        << "'" << SymbolTable::getSymbolName(declared).getValue()
        << "' is declared here";
  return diag;
}

} // namespace

LogicalResult CompartmentsOp::verify() {
  if (failed(checkRange(*this, "slice", getBegin(), getEnd(), -1)))
    return failure();
  LogicalResult result = success();
  snn::forEachField(
      getParams(), [&](StringRef name, Attribute field, bool integral) {
        SmallVector<double> values;
        if (failed(result))
          return;
        if (failed(snn::readField(field, values, integral)))
          result = emitOpError() << "parameter '" << name << "' must be "
                                 << (integral ? "an integer or array<i64>"
                                              : "a number or array<f64>");
        else if (values.size() > 1 && int64_t(values.size()) != getSize())
          result = emitOpError()
                   << "parameter '" << name << "' has " << values.size()
                   << " values but the slice has " << getSize() << " neurons";
      });
  return result;
}

LogicalResult CompartmentsOp::verifySymbolUses(SymbolTableCollection &symbols) {
  FailureOr<snn::PopulationOp> pop = lookupInNetwork<snn::PopulationOp>(
      *this, getPopulation(), symbols, "snn.population");
  if (failed(pop))
    return failure();
  // A population without a model is reported by its own verifier, which
  // may run after this one.
  if (!*pop || !pop->getProperties().model)
    return success();
  if (pop->getModel() != getModel())
    return emitOpError()
               .append("model ", getModelAttr(),
                       " differs from the population's ", pop->getModelAttr())
               .attachNote(pop->getLoc())
           << "population '" << pop->getSymName() << "' is declared here";
  return checkRange(*this, "slice", getBegin(), getEnd(), pop->getSize(), *pop);
}

LogicalResult SynapsesOp::verify() {
  if (failed(checkRange(*this, "pre", getPreBegin(), getPreEnd(), -1)) ||
      failed(checkRange(*this, "post", getPostBegin(), getPostEnd(), -1)))
    return failure();
  for (std::optional<int64_t> count : {getAxons(), getWords()})
    if (count && *count < 0)
      return emitOpError() << "'axons' and 'words' must be >= 0, got "
                           << *count;
  return success();
}

LogicalResult SynapsesOp::verifySymbolUses(SymbolTableCollection &symbols) {
  FailureOr<snn::ProjectionOp> proj = lookupInNetwork<snn::ProjectionOp>(
      *this, getProjection(), symbols, "snn.projection");
  if (failed(proj))
    return failure();
  if (!*proj)
    return success();
  auto size = [](Value v) {
    return cast<snn::SpikesType>(v.getType()).getSize();
  };
  if (failed(checkRange(*this, "pre", getPreBegin(), getPreEnd(),
                        size(proj->getPre()), *proj)) ||
      failed(checkRange(*this, "post", getPostBegin(), getPostEnd(),
                        size(proj->getPost()), *proj)))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// RouteOp
//===----------------------------------------------------------------------===//

LogicalResult RouteOp::verify() {
  if (getAxons() < 0)
    return emitOpError() << "'axons' must be >= 0, got " << getAxons();
  if (std::optional<int64_t> hops = getHops(); hops && *hops < 0)
    return emitOpError() << "'hops' must be >= 0, got " << *hops;
  return success();
}

LogicalResult RouteOp::verifySymbolUses(SymbolTableCollection &symbols) {
  auto chip = (*this)->getParentOfType<ChipOp>();
  for (FlatSymbolRefAttr ref : {getSourceAttr(), getDestAttr()})
    if (!symbols.lookupSymbolIn<CoreOp>(chip, ref))
      return emitOpError() << "references " << ref
                           << ", which is not an nc.core of this chip";
  return success();
}

//===----------------------------------------------------------------------===//
// Canonicalization
//===----------------------------------------------------------------------===//

LogicalResult CompartmentsOp::canonicalize(CompartmentsOp op,
                                           PatternRewriter &rewriter) {
  if (op.getSize() != 0)
    return failure();
  rewriter.eraseOp(op);
  return success();
}

LogicalResult SynapsesOp::canonicalize(SynapsesOp op,
                                       PatternRewriter &rewriter) {
  if (op.getPreBegin() != op.getPreEnd() &&
      op.getPostBegin() != op.getPostEnd())
    return failure();
  rewriter.eraseOp(op);
  return success();
}

LogicalResult RouteOp::canonicalize(RouteOp op, PatternRewriter &rewriter) {
  if (op.getAxons() == 0) {
    rewriter.eraseOp(op);
    return success();
  }
  // Merge into the first earlier route between the same two cores.
  for (Operation &other : *op->getBlock()) {
    if (&other == op.getOperation())
      break;
    auto earlier = dyn_cast<RouteOp>(other);
    if (!earlier || earlier.getSource() != op.getSource() ||
        earlier.getDest() != op.getDest())
      continue;
    rewriter.modifyOpInPlace(earlier, [&] {
      earlier.setAxons(earlier.getAxons() + op.getAxons());
      if (earlier.getHops() != op.getHops())
        earlier.removeHopsAttr();
    });
    rewriter.eraseOp(op);
    return success();
  }
  return failure();
}

#define GET_OP_CLASSES
#include "cajal/Dialect/NC/NCOps.cpp.inc"
