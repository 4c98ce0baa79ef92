//===- SNNCanonicalize.cpp - Canonicalizations of the snn dialect ---------===//
//
// A projection that can never deliver a nonzero weight (fixed_prob with
// p = 0, all-zero weights or kernel, an empty sparse list) is erased: it
// would only cost axons and synapse memory. A probe that repeats an earlier
// probe of the same kind on the same population is erased.
//
//===----------------------------------------------------------------------===//
#include "cajal/Dialect/SNN/SNNOps.h"

using namespace mlir;
using namespace cajal::snn;

namespace {

/// True if every value of the tensor is known to be zero. An elided blob is
/// unknown, hence not zero.
bool allZero(ElementsAttr attr) {
  SmallVector<double> values;
  if (failed(readElements(attr, values)))
    return false;
  return llvm::all_of(values, [](double v) { return v == 0; });
}

bool allZeroField(Attribute field) {
  SmallVector<double> values;
  if (failed(readField(field, values)) || values.empty())
    return false;
  return llvm::all_of(values, [](double v) { return v == 0; });
}

bool deliversNothing(Attribute conn) {
  if (auto dense = dyn_cast<DenseAttr>(conn))
    return allZero(dense.getWeights());
  if (auto sparse = dyn_cast<SparseAttr>(conn))
    return sparse.getWeights().getNumElements() == 0 ||
           allZero(sparse.getWeights());
  if (auto rule = dyn_cast<OneToOneAttr>(conn))
    return allZeroField(rule.getWeight());
  if (auto rule = dyn_cast<FixedProbAttr>(conn))
    return fieldAt(rule.getP(), 0, -1) == 0 || allZeroField(rule.getWeight());
  if (auto rule = dyn_cast<FixedNumberAttr>(conn))
    return rule.getCount() == 0 || allZeroField(rule.getWeight());
  if (auto conv = dyn_cast<Conv2dAttr>(conn))
    return allZero(conv.getKernel());
  return false;
}

} // namespace

LogicalResult ProjectionOp::canonicalize(ProjectionOp op,
                                         PatternRewriter &rewriter) {
  if (op.getBias() || !deliversNothing(op.getConnectivity()))
    return failure();
  rewriter.eraseOp(op);
  return success();
}

LogicalResult ProbeOp::canonicalize(ProbeOp op, PatternRewriter &rewriter) {
  for (Operation *user : op.getTarget().getUsers()) {
    auto other = dyn_cast<ProbeOp>(user);
    if (!other || other == op || other.getKind() != op.getKind() ||
        other->getBlock() != op->getBlock() || !other->isBeforeInBlock(op))
      continue;
    rewriter.eraseOp(op);
    return success();
  }
  return failure();
}
