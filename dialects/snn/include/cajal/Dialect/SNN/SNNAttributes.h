//===- SNNAttributes.h - Attributes of the snn dialect ----------*- C++ -*-===//
//
// Besides the generated attribute classes, helpers to read and build the
// numeric parameter fields (a scalar or one value per neuron) and the
// weight tensors (inline dense or resource blobs) that all passes share.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_DIALECT_SNN_SNNATTRIBUTES_H
#define CAJAL_DIALECT_SNN_SNNATTRIBUTES_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Operation.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/Twine.h"

#include <limits>
#include <optional>

#include "cajal/Dialect/SNN/SNNEnums.h.inc"

namespace mlir {
class AsmPrinter;
} // namespace mlir

namespace cajal::snn {
/// Print a numeric field, without its type when that is f64 or i64.
void printField(mlir::AsmPrinter &printer, mlir::Attribute field);
} // namespace cajal::snn

#define GET_ATTRDEF_CLASSES
#include "cajal/Dialect/SNN/SNNAttributes.h.inc"

namespace cajal::snn {

/// Read a numeric parameter field: a FloatAttr or IntegerAttr (one value for
/// all neurons) or a DenseF64ArrayAttr / DenseI64ArrayAttr (one per neuron).
/// A null attribute gives no values. Fails on any other attribute, or on a
/// float when `integral` is set.
mlir::LogicalResult readField(mlir::Attribute field,
                              llvm::SmallVectorImpl<double> &values,
                              bool integral = false);
/// The value of field `field` for neuron `i`, or `fallback` if it is absent.
/// The field must be valid (the population verifier checked it).
double fieldAt(mlir::Attribute field, size_t i, double fallback);

/// The numbers of a distribution attribute (#snn.normal: a = mean, b = std;
/// #snn.lognormal: a = mu, b = sigma; #snn.uniform: low and high), its
/// optional bounds infinite when absent.
struct DistributionParams {
  enum Kind : uint8_t { Normal, Lognormal, Uniform } kind = Uniform;
  double a = 0, b = 0;
  double low = -std::numeric_limits<double>::infinity();
  double high = std::numeric_limits<double>::infinity();
};
/// The numbers of `attr` when it is a distribution whose fields are all
/// numbers, else nullopt.
std::optional<DistributionParams> distributionParams(mlir::Attribute attr);
/// Error on `op` unless `attr` is a distribution whose fields are numbers,
/// with a standard deviation >= 0 and low <= high; `what` names it.
/// (Whether it can be drawn from is checked where it is drawn:
/// docs/mapping.md.)
mlir::LogicalResult verifyDistribution(mlir::Operation *op,
                                       mlir::Attribute attr,
                                       const llvm::Twine &what);
/// A distribution attribute of `params`' kind and numbers (bounds omitted
/// when infinite).
mlir::Attribute makeDistribution(mlir::MLIRContext *ctx,
                                 const DistributionParams &params);

/// Build a field from values: a scalar when all values are equal, else a
/// per-neuron array.
mlir::Attribute makeRealField(mlir::MLIRContext *ctx,
                              llvm::ArrayRef<double> values);
mlir::Attribute makeIntField(mlir::MLIRContext *ctx,
                             llvm::ArrayRef<int64_t> values);
/// Cut a per-neuron field to neurons [begin, end); scalars are kept.
mlir::Attribute sliceField(mlir::Attribute field, int64_t begin, int64_t end);
/// Cut every field of a quantized parameter set to [begin, end).
QuantizedParamsAttr sliceParams(QuantizedParamsAttr params, int64_t begin,
                                int64_t end);
EquationParamsAttr sliceParams(EquationParamsAttr params, int64_t begin,
                               int64_t end);
IzhikevichParamsAttr sliceParams(IzhikevichParamsAttr params, int64_t begin,
                                 int64_t end);
/// sliceParams of the parameters of a population mapped onto a chip
/// (#snn.quantized or #snn.izhikevich).
mlir::Attribute sliceChipParams(mlir::Attribute params, int64_t begin,
                                int64_t end);

/// Call `fn(name, value, integral)` for each numeric field of a parameter
/// attribute (continuous, discrete, quantized or izhikevich). Absent fields
/// give null.
void forEachField(
    mlir::Attribute params,
    llvm::function_ref<void(llvm::StringRef, mlir::Attribute, bool)> fn);

/// Read every element of a weight tensor (inline dense elements or a
/// dense_resource blob) in row-major order. Fails when the data is not
/// available (an elided blob) or the element type is not an integer or
/// float of 8..64 bits.
mlir::LogicalResult readElements(mlir::ElementsAttr attr,
                                 llvm::SmallVectorImpl<double> &values);

/// A weight tensor of the same shape holding integers (i32 elements): an
/// inline DenseElementsAttr when small, otherwise a new resource blob named
/// after `blobName`, so that large matrices never become uniqued attributes.
mlir::ElementsAttr makeIntElements(mlir::ShapedType shape,
                                   llvm::ArrayRef<int32_t> values,
                                   llvm::StringRef blobName);

/// Inline weight tensors up to this many elements; larger go to blobs.
constexpr int64_t kMaxInlineElements = 4096;

} // namespace cajal::snn

#endif // CAJAL_DIALECT_SNN_SNNATTRIBUTES_H
