//===- NCDialect.cpp - The nc dialect -------------------------------------===//
#include "cajal/Dialect/NC/NCDialect.h"
#include "cajal/Dialect/NC/NCOps.h"

using namespace mlir;
using namespace cajal::nc;

#include "cajal/Dialect/NC/NCDialect.cpp.inc"

void NCDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "cajal/Dialect/NC/NCOps.cpp.inc"
      >();
}
