//===- SNNTypes.h - Types of the snn dialect --------------------*- C++ -*-===//
#ifndef CAJAL_DIALECT_SNN_SNNTYPES_H
#define CAJAL_DIALECT_SNN_SNNTYPES_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Types.h"

#define GET_TYPEDEF_CLASSES
#include "cajal/Dialect/SNN/SNNTypes.h.inc"

#endif // CAJAL_DIALECT_SNN_SNNTYPES_H
