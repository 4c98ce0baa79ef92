//===- SNNDialect.cpp - The snn dialect -----------------------------------===//
#include "cajal/Dialect/SNN/SNNDialect.h"
#include "cajal/Dialect/SNN/SNNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace cajal::snn;

#include "cajal/Dialect/SNN/SNNDialect.cpp.inc"

void SNNDialect::initialize() {
  registerTypes();
  registerAttributes();
  addOperations<
#define GET_OP_LIST
#include "cajal/Dialect/SNN/SNNOps.cpp.inc"
      >();
}
