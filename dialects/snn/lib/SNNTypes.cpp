//===- SNNTypes.cpp - Types of the snn dialect ----------------------------===//
#include "cajal/Dialect/SNN/SNNTypes.h"
#include "cajal/Dialect/SNN/SNNDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

#include <limits>

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
  int64_t size = 1;
  for (int64_t d : shape) {
    if (d <= 0)
      return emitError() << "spike vector dimensions must be > 0, got " << d;
    // Checked before multiplying: the product must not wrap (2^32 x 2^32
    // would be 0 neurons).
    if (size > kMaxSize / d)
      return emitError() << "spike vector has more than " << kMaxSize
                         << " neurons (indices are 32-bit)";
    size *= d;
  }
  return success();
}

int64_t SpikesType::getSize() const {
  // A verified type never saturates; an unverified one (built without
  // getChecked) reports more than kMaxSize rather than wrapping.
  int64_t n = 1;
  for (int64_t d : getShape()) {
    if (d <= 0)
      return 0;
    if (n > std::numeric_limits<int64_t>::max() / d)
      return std::numeric_limits<int64_t>::max();
    n *= d;
  }
  return n;
}
