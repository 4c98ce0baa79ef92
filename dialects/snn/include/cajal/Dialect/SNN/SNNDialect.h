//===- SNNDialect.h - The snn dialect ---------------------------*- C++ -*-===//
#ifndef CAJAL_DIALECT_SNN_SNNDIALECT_H
#define CAJAL_DIALECT_SNN_SNNDIALECT_H

#include "mlir/IR/Dialect.h"

#include "cajal/Dialect/SNN/SNNDialect.h.inc"

#endif // CAJAL_DIALECT_SNN_SNNDIALECT_H
