//===- LinearOps.h - The linear map of a NIR node (internal) ----*- C++ -*-===//
//
// Every non-neuron node is a linear map from its flat (row-major) input to
// its flat output, plus a constant (its bias). These helpers enumerate a
// map's non-zero entries, apply it to a vector, compose maps into sparse
// matrices and fold pools into a following convolution.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_NIR_LIB_LINEAROPS_H
#define CAJAL_NIR_LIB_LINEAROPS_H

#include "cajal/NIR/Lowering.h"

#include <functional>
#include <optional>

namespace cajal::nir {

/// One step of a path: a node's map, or (for one value of a Delay whose
/// elements differ) a 0/1 mask of the elements with that value.
struct PathOp {
  uint32_t node = 0;
  bool isMask = false;
  std::vector<double> mask;
};

using EntryFn = std::function<void(uint32_t out, uint32_t in, double w)>;

/// Every non-zero entry of the map of `op` (node kinds with weights, pools,
/// masks; identities give the diagonal).
void forEachEntry(const FlatGraph &g, const PathOp &op, const EntryFn &fn);

/// True for maps that only reorder or pass values (ports, Flatten, Delay).
bool isIdentity(NodeKind kind);

/// y = map(x) + bias of node `node` (x may be empty: all zero).
std::vector<double> applyNode(const FlatNode &n, const std::vector<double> &x,
                              bool withBias);
/// True when the node adds a constant (Affine or Conv with a non-zero bias).
bool hasBias(const FlatNode &n);

/// A sparse matrix by rows: rows[r] = (column, value), columns sorted.
struct SparseRows {
  uint32_t cols = 0;
  std::vector<std::vector<std::pair<uint32_t, double>>> rows;
  size_t nonZeros() const;
};

SparseRows identityRows(uint32_t size);
/// map(op) o m.
SparseRows compose(const FlatGraph &g, const PathOp &op, const SparseRows &m,
                   uint32_t outSize);

/// A convolution (kernel out_c x in_c x kh x kw, groups expanded) that does
/// what `ops` (zero or more pools, then one Conv) does, or nullopt when the
/// pools cannot be absorbed exactly (overlapping or padded pools, a size the
/// pool stride does not divide, a 1-D convolution).
struct ConvKernel {
  std::vector<double> weights;
  int64_t outC = 0, inC = 0;
  Window window;
  Shape inShape; ///< (c, h, w)
};
std::optional<ConvKernel> foldConv(const FlatGraph &g,
                                   const std::vector<PathOp> &ops);

} // namespace cajal::nir

#endif // CAJAL_NIR_LIB_LINEAROPS_H
