//===- NCDialect.h - The nc dialect -----------------------------*- C++ -*-===//
#ifndef CAJAL_DIALECT_NC_NCDIALECT_H
#define CAJAL_DIALECT_NC_NCDIALECT_H

#include "cajal/Dialect/SNN/SNNDialect.h"

#include "mlir/IR/Dialect.h"

#include "cajal/Dialect/NC/NCDialect.h.inc"

#endif // CAJAL_DIALECT_NC_NCDIALECT_H
