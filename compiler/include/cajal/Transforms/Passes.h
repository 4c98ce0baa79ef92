//===- Passes.h - Cajal's snn and nc passes ---------------------*- C++ -*-===//
//
// snn-discretize, snn-quantize, snn-partition (on each snn.network) and
// snn-discretize-equations, nc-place, nc-route, nc-emit-image (on the
// module). Each has a create
// function (createSNNDiscretize(), createSNNQuantize(options), ...) and is
// registered for cajal-opt by registerTransformsPasses().
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_TRANSFORMS_PASSES_H
#define CAJAL_TRANSFORMS_PASSES_H

#include "cajal/Dialect/NC/NCOps.h"
#include "cajal/Dialect/SNN/SNNOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <memory>
#include <string>

namespace cajal {

#define GEN_PASS_DECL
#include "cajal/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "cajal/Transforms/Passes.h.inc"

} // namespace cajal

#endif // CAJAL_TRANSFORMS_PASSES_H
