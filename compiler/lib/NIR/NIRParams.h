//===- NIRParams.h - Reading node parameters (internal) ---------*- C++ -*-===//
//
// Helpers shared by the flattener, the shape inference and the lowering:
// numbers and shapes in messages, scalar and pair parameters, the geometry
// of convolutions and pools.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_NIR_LIB_NIRPARAMS_H
#define CAJAL_NIR_LIB_NIRPARAMS_H

#include "cajal/NIR/NIRGraph.h"

namespace cajal::nir {

/// How deeply NIR graphs may nest.
constexpr unsigned kMaxGraphDepth = 32;

/// Shortest round-trip form of a number ("0.0025", "-1e-05").
std::string formatNumber(double value);

/// An integral scalar parameter (a size-1 array counts), or `fallback` when
/// absent.
Result<int64_t> intParam(const FlatNode &n, const std::string &name,
                         int64_t fallback);

/// Stride, padding, dilation (conv) or kernel_size, stride, padding (pool)
/// into n.window. Conv kernels are already set.
Status readWindow(FlatNode &n, bool is1d, bool pool);

/// Parameter `name` of `n` as a list of sizes (a shape): integers in
/// [1, kMaxNeurons], appended to `out`.
Status readSizes(const FlatNode &n, const char *name, Shape &out);

/// The value checks of every node's parameters once they are loaded
/// (loadParameters): finite numbers, time constants > 0, delays >= 0.
Status checkValues(const FlatGraph &graph);

/// The value of a per-neuron (or scalar) parameter for neuron i.
inline double valueAt(const Array &a, size_t i) {
  return a.values.size() == 1 ? a.values[0] : a.values[i];
}

} // namespace cajal::nir

#endif // CAJAL_NIR_LIB_NIRPARAMS_H
