//===- NCOps.h - Operations of the nc dialect -------------------*- C++ -*-===//
#ifndef CAJAL_DIALECT_NC_NCOPS_H
#define CAJAL_DIALECT_NC_NCOPS_H

#include "cajal/Dialect/NC/NCDialect.h"
#include "cajal/Dialect/SNN/SNNOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/RegionKindInterface.h"
#include "mlir/IR/SymbolTable.h"

#define GET_OP_CLASSES
#include "cajal/Dialect/NC/NCOps.h.inc"

#endif // CAJAL_DIALECT_NC_NCOPS_H
