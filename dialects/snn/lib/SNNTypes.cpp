//===- SNNTypes.cpp - Types of the snn dialect ----------------------------===//
#include "cajal/Dialect/SNN/SNNTypes.h"
#include "cajal/Dialect/SNN/SNNDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace cajal::snn;

#define GET_TYPEDEF_CLASSES
#include "cajal/Dialect/SNN/SNNTypes.cpp.inc"

void SNNDialect::registerTypes() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "cajal/Dialect/SNN/SNNTypes.cpp.inc"
      >();
}

Type SpikesType::parse(AsmParser &parser) {
  SmallVector<int64_t> shape;
  const SMLoc loc = parser.getCurrentLocation();
  if (parser.parseLess() ||
      parser.parseDimensionList(shape, /*allowDynamic=*/false,
                                /*withTrailingX=*/false) ||
      parser.parseGreater())
    return {};
  return getChecked([&] { return parser.emitError(loc); }, parser.getContext(),
                    shape);
}

void SpikesType::print(AsmPrinter &printer) const {
  printer << '<';
  printer.printDimensionList(getShape());
  printer << '>';
}

LogicalResult SpikesType::verify(function_ref<InFlightDiagnostic()> emitError,
                                 ArrayRef<int64_t> shape) {
  if (shape.empty())
    return emitError() << "spike vector needs at least one dimension";
  for (int64_t d : shape)
    if (d <= 0)
      return emitError() << "spike vector dimensions must be > 0, got " << d;
  return success();
}

int64_t SpikesType::getSize() const {
  int64_t n = 1;
  for (int64_t d : getShape())
    n *= d;
  return n;
}
