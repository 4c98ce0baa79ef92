//===- Passes.h - Conversions between Cajal dialects ------------*- C++ -*-===//
#ifndef CAJAL_CONVERSION_PASSES_H
#define CAJAL_CONVERSION_PASSES_H

#include "cajal/Dialect/NC/NCOps.h"
#include "cajal/Dialect/SNN/SNNOps.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include <memory>
#include <string>

namespace cajal {

#define GEN_PASS_DECL
#include "cajal/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "cajal/Conversion/Passes.h.inc"

} // namespace cajal

#endif // CAJAL_CONVERSION_PASSES_H
