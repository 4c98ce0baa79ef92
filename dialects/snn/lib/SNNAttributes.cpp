//===- SNNAttributes.cpp - Attributes of the snn dialect ------------------===//
//
// Generated attribute storage plus the field and weight-tensor helpers. A
// weight tensor is read element by element from either an inline
// DenseElementsAttr or the raw bytes of a dense_resource blob (little-endian
// host layout, as MLIR stores blobs).
//
//===----------------------------------------------------------------------===//
#include "cajal/Dialect/SNN/SNNAttributes.h"
#include "cajal/Dialect/SNN/SNNDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <cstring>

using namespace mlir;
using namespace cajal::snn;

#include "cajal/Dialect/SNN/SNNEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "cajal/Dialect/SNN/SNNAttributes.cpp.inc"

void SNNDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "cajal/Dialect/SNN/SNNAttributes.cpp.inc"
      >();
}

namespace cajal::snn {

void printField(AsmPrinter &printer, Attribute field) {
  auto f = dyn_cast<FloatAttr>(field);
  auto i = dyn_cast<IntegerAttr>(field);
  if ((f && f.getType().isF64()) || (i && i.getType().isInteger(64)))
    printer.printAttributeWithoutType(field);
  else
    printer.printAttribute(field);
}

std::optional<DistributionParams> distributionParams(Attribute attr) {
  DistributionParams d;
  Attribute a, b, low, high;
  if (auto n = dyn_cast_or_null<NormalAttr>(attr)) {
    d.kind = DistributionParams::Normal;
    a = n.getMean(), b = n.getStd(), low = n.getLow(), high = n.getHigh();
  } else if (auto l = dyn_cast_or_null<LognormalAttr>(attr)) {
    d.kind = DistributionParams::Lognormal;
    a = l.getMu(), b = l.getSigma(), low = l.getLow(), high = l.getHigh();
  } else if (auto u = dyn_cast_or_null<UniformAttr>(attr)) {
    d.kind = DistributionParams::Uniform;
    low = u.getLow(), high = u.getHigh();
  } else {
    return std::nullopt;
  }
  // Each present field must be one number.
  const auto number = [](Attribute field, double &out) {
    if (!field)
      return true;
    if (!isa<FloatAttr, IntegerAttr>(field))
      return false;
    out = fieldAt(field, 0, 0);
    return true;
  };
  if (!number(a, d.a) || !number(b, d.b) || !number(low, d.low) ||
      !number(high, d.high))
    return std::nullopt;
  return d;
}

LogicalResult verifyDistribution(Operation *op, Attribute attr,
                                 const llvm::Twine &what) {
  std::optional<DistributionParams> d = distributionParams(attr);
  if (!d)
    return op->emitOpError() << what
                             << " must be #snn.normal, #snn.lognormal or "
                                "#snn.uniform with numbers for fields, got "
                             << attr;
  if (d->kind != DistributionParams::Uniform && !(d->b >= 0))
    return op->emitOpError()
           << what << " has standard deviation " << d->b << "; it must be >= 0";
  if (!(d->low <= d->high))
    return op->emitOpError()
           << what << " has low " << d->low << " above high " << d->high;
  return success();
}

Attribute makeDistribution(MLIRContext *ctx, const DistributionParams &d) {
  const auto real = [&](double v) -> Attribute {
    if (std::isinf(v))
      return {};
    return FloatAttr::get(Float64Type::get(ctx), v);
  };
  switch (d.kind) {
  case DistributionParams::Normal:
    return NormalAttr::get(ctx, real(d.a), real(d.b), real(d.low),
                           real(d.high));
  case DistributionParams::Lognormal:
    return LognormalAttr::get(ctx, real(d.a), real(d.b), real(d.low),
                              real(d.high));
  case DistributionParams::Uniform:
    break;
  }
  return UniformAttr::get(ctx, real(d.low), real(d.high));
}

LogicalResult readField(Attribute field, SmallVectorImpl<double> &values,
                        bool integral) {
  values.clear();
  if (!field)
    return success();
  if (auto f = dyn_cast<FloatAttr>(field)) {
    if (integral)
      return failure();
    values.push_back(f.getValueAsDouble());
    return success();
  }
  if (auto i = dyn_cast<IntegerAttr>(field)) {
    values.push_back(double(i.getValue().getSExtValue()));
    return success();
  }
  if (auto a = dyn_cast<DenseF64ArrayAttr>(field)) {
    if (integral)
      return failure();
    values.append(a.asArrayRef().begin(), a.asArrayRef().end());
    return success(!values.empty());
  }
  if (auto a = dyn_cast<DenseI64ArrayAttr>(field)) {
    for (int64_t v : a.asArrayRef())
      values.push_back(double(v));
    return success(!values.empty());
  }
  return failure();
}

double fieldAt(Attribute field, size_t i, double fallback) {
  if (!field)
    return fallback;
  if (auto f = dyn_cast<FloatAttr>(field))
    return f.getValueAsDouble();
  if (auto v = dyn_cast<IntegerAttr>(field))
    return double(v.getValue().getSExtValue());
  if (auto a = dyn_cast<DenseF64ArrayAttr>(field))
    return a.size() == 1 ? a[0] : a[i];
  if (auto a = dyn_cast<DenseI64ArrayAttr>(field))
    return double(a.size() == 1 ? a[0] : a[i]);
  return fallback;
}

Attribute makeRealField(MLIRContext *ctx, ArrayRef<double> values) {
  if (values.empty())
    return {};
  if (llvm::all_equal(values))
    return FloatAttr::get(Float64Type::get(ctx), values.front());
  return DenseF64ArrayAttr::get(ctx, values);
}

Attribute makeIntField(MLIRContext *ctx, ArrayRef<int64_t> values) {
  if (values.empty())
    return {};
  if (llvm::all_equal(values))
    return IntegerAttr::get(IntegerType::get(ctx, 64), values.front());
  return DenseI64ArrayAttr::get(ctx, values);
}

Attribute sliceField(Attribute field, int64_t begin, int64_t end) {
  if (auto a = dyn_cast_or_null<DenseF64ArrayAttr>(field))
    if (a.size() > 1)
      return makeRealField(field.getContext(),
                           a.asArrayRef().slice(begin, end - begin));
  if (auto a = dyn_cast_or_null<DenseI64ArrayAttr>(field))
    if (a.size() > 1)
      return makeIntField(field.getContext(),
                          a.asArrayRef().slice(begin, end - begin));
  return field;
}

QuantizedParamsAttr sliceParams(QuantizedParamsAttr p, int64_t begin,
                                int64_t end) {
  auto cut = [&](Attribute a) { return sliceField(a, begin, end); };
  return QuantizedParamsAttr::get(
      p.getContext(), cut(p.getDecayU()), cut(p.getDecayV()),
      cut(p.getVthMant()), cut(p.getBiasMant()), cut(p.getBiasExp()),
      cut(p.getRefractory()), cut(p.getVminExp()), cut(p.getVmaxExp()),
      cut(p.getDecayA()), cut(p.getJump()), cut(p.getBeta()), p.getReset());
}

IzhikevichParamsAttr sliceParams(IzhikevichParamsAttr p, int64_t begin,
                                 int64_t end) {
  auto cut = [&](Attribute a) { return sliceField(a, begin, end); };
  return IzhikevichParamsAttr::get(p.getContext(), cut(p.getA()), cut(p.getB()),
                                   cut(p.getC()), cut(p.getD()),
                                   cut(p.getBias()));
}

EquationParamsAttr sliceParams(EquationParamsAttr p, int64_t begin,
                               int64_t end) {
  SmallVector<NamedAttribute> values;
  for (NamedAttribute v : p.getValues())
    values.emplace_back(v.getName(), sliceField(v.getValue(), begin, end));
  return EquationParamsAttr::get(p.getContext(), p.getModel(),
                                 DictionaryAttr::get(p.getContext(), values));
}

Attribute sliceChipParams(Attribute params, int64_t begin, int64_t end) {
  if (auto iz = dyn_cast<IzhikevichParamsAttr>(params))
    return sliceParams(iz, begin, end);
  if (auto eq = dyn_cast<EquationParamsAttr>(params))
    return sliceParams(eq, begin, end);
  return sliceParams(cast<QuantizedParamsAttr>(params), begin, end);
}

void forEachField(Attribute params,
                  function_ref<void(StringRef, Attribute, bool)> fn) {
  if (auto c = dyn_cast<ContinuousParamsAttr>(params)) {
    fn("tau_mem", c.getTauMem(), false);
    fn("tau_syn", c.getTauSyn(), false);
    fn("v_th", c.getVTh(), false);
    fn("v_leak", c.getVLeak(), false);
    fn("v_reset", c.getVReset(), false);
    fn("r", c.getR(), false);
    fn("bias", c.getBias(), false);
    fn("t_ref", c.getTRef(), false);
    fn("w_in", c.getWIn(), false);
    fn("tau_a", c.getTauA(), false);
    fn("beta", c.getBeta(), false);
    fn("jump", c.getJump(), false);
  } else if (auto d = dyn_cast<DiscreteParamsAttr>(params)) {
    fn("decay_u", d.getDecayU(), false);
    fn("decay_v", d.getDecayV(), false);
    fn("v_th", d.getVTh(), false);
    fn("bias", d.getBias(), false);
    fn("input_scale", d.getInputScale(), false);
    fn("refractory", d.getRefractory(), true);
    fn("v_offset", d.getVOffset(), false);
    fn("decay_a", d.getDecayA(), false);
    fn("jump", d.getJump(), false);
    fn("beta", d.getBeta(), false);
  } else if (auto q = dyn_cast<QuantizedParamsAttr>(params)) {
    fn("decay_u", q.getDecayU(), true);
    fn("decay_v", q.getDecayV(), true);
    fn("vth_mant", q.getVthMant(), true);
    fn("bias_mant", q.getBiasMant(), true);
    fn("bias_exp", q.getBiasExp(), true);
    fn("refractory", q.getRefractory(), true);
    fn("vmin_exp", q.getVminExp(), true);
    fn("vmax_exp", q.getVmaxExp(), true);
    fn("decay_a", q.getDecayA(), true);
    fn("jump", q.getJump(), true);
    fn("beta", q.getBeta(), true);
  } else if (auto iz = dyn_cast<IzhikevichParamsAttr>(params)) {
    fn("a", iz.getA(), false);
    fn("b", iz.getB(), false);
    fn("c", iz.getC(), false);
    fn("d", iz.getD(), false);
    fn("bias", iz.getBias(), false);
  }
}

namespace {
/// Decode `count` elements of `type` from raw little-endian bytes.
LogicalResult decodeRaw(ArrayRef<char> data, Type type, int64_t count,
                        SmallVectorImpl<double> &values) {
  const unsigned width = type.getIntOrFloatBitWidth();
  if (width % 8 != 0 || width < 8 || width > 64)
    return failure();
  const size_t bytes = width / 8;
  if (data.size() < size_t(count) * bytes)
    return failure();
  values.reserve(count);
  for (int64_t i = 0; i < count; ++i) {
    const char *p = data.data() + i * bytes;
    if (type.isF64()) {
      double v;
      std::memcpy(&v, p, sizeof v);
      values.push_back(v);
    } else if (type.isF32()) {
      float v;
      std::memcpy(&v, p, sizeof v);
      values.push_back(v);
    } else if (isa<IntegerType>(type)) {
      int64_t v = 0;
      std::memcpy(&v, p, bytes);
      // Sign-extend from `width` bits.
      if (width < 64)
        v = (v << (64 - width)) >> (64 - width);
      values.push_back(double(v));
    } else {
      return failure();
    }
  }
  return success();
}
} // namespace

LogicalResult readElements(ElementsAttr attr, SmallVectorImpl<double> &values) {
  values.clear();
  if (!attr)
    return failure();
  const Type elementType = attr.getElementType();
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    if (isa<FloatType>(elementType)) {
      for (const APFloat &v : dense.getValues<APFloat>())
        values.push_back(v.convertToDouble());
      return success();
    }
    if (isa<IntegerType>(elementType)) {
      for (const APInt &v : dense.getValues<APInt>())
        values.push_back(double(v.getSExtValue()));
      return success();
    }
    return failure();
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return failure();
    return decodeRaw(blob->getData(), elementType, attr.getNumElements(),
                     values);
  }
  return failure();
}

ElementsAttr makeIntElements(ShapedType shape, ArrayRef<int32_t> values,
                             StringRef blobName) {
  auto type = RankedTensorType::get(shape.getShape(),
                                    IntegerType::get(shape.getContext(), 32));
  if (int64_t(values.size()) <= kMaxInlineElements)
    return DenseElementsAttr::get(type, values);
  return DenseResourceElementsAttr::get(
      type, blobName, HeapAsmResourceBlob::allocateAndCopyInferAlign(values));
}

} // namespace cajal::snn
