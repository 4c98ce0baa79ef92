//===- SNNDialect.cpp - The snn dialect -----------------------------------===//
#include "cajal/Dialect/SNN/SNNDialect.h"
#include "cajal/Dialect/SNN/SNNOps.h"

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
