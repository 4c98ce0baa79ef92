//===- SNNProjection.cpp - Verifier of snn.projection ---------------------===//
//
// A projection's connectivity is checked against the sizes of its pre and
// post nodes: a dense matrix must be post x pre, sparse lists must have one
// length and in-range indices, one_to_one needs equal sizes, a conv2d
// kernel must agree with in_shape and produce exactly the post population.
// Weights are floats before snn-quantize and integers (with a
// weight_exponent) after.
//
//===----------------------------------------------------------------------===//
#include "cajal/Chip/Learning.h"
#include "cajal/Dialect/SNN/SNNLearning.h"
#include "cajal/Dialect/SNN/SNNOps.h"

#include "llvm/ADT/STLExtras.h"

#include <cmath>

using namespace mlir;
using namespace cajal::snn;

PopulationOp ProjectionOp::getPostPopulation() {
  return getPost().getDefiningOp<PopulationOp>();
}

namespace {

int64_t sizeOf(Value v) { return cast<SpikesType>(v.getType()).getSize(); }

/// A note at the post population: its size is half of a shape mismatch.
LogicalResult withPostNote(InFlightDiagnostic diag, ProjectionOp op) {
  if (PopulationOp post = op.getPostPopulation())
    diag.attachNote(post.getLoc())
        << "post population '" << post.getSymName() << "' (" << post.getSize()
        << " neurons) is declared here";
  return diag;
}

/// Weights are floats unless the projection is quantized, then integers.
LogicalResult checkWeightType(ProjectionOp op, Type elementType,
                              StringRef what) {
  const bool quantized = op.isQuantized();
  if (quantized && !isa<IntegerType>(elementType))
    return op.emitOpError()
           << "is quantized ('weight_exponent' is set) but " << what << " are "
           << elementType << ", not integers";
  if (!quantized && !isa<FloatType>(elementType)) {
    if (isa<IntegerType>(elementType))
      return op.emitOpError()
             << "has integer " << what << " but no 'weight_exponent'";
    return op.emitOpError() << what << " must be floats, got " << elementType;
  }
  return success();
}

LogicalResult checkScalarWeight(ProjectionOp op, Attribute weight,
                                int64_t perNeuron) {
  SmallVector<double> values;
  if (failed(readField(weight, values)) || values.empty())
    return op.emitOpError()
           << "weight must be a number or array, got " << weight;
  Type type = isa<IntegerAttr>(weight) || isa<DenseI64ArrayAttr>(weight)
                  ? Type(IntegerType::get(op.getContext(), 64))
                  : Type(Float64Type::get(op.getContext()));
  if (values.size() > 1 && int64_t(values.size()) != perNeuron)
    return op.emitOpError()
           << "has " << values.size() << " weights but the post population has "
           << perNeuron << " neurons";
  return checkWeightType(op, type, "weights");
}

LogicalResult verifyDense(ProjectionOp op, DenseAttr dense) {
  ShapedType type = dense.getWeights().getShapedType();
  const int64_t pre = sizeOf(op.getPre()), post = sizeOf(op.getPost());
  if (type.getRank() != 2 || type.getDimSize(0) != post ||
      type.getDimSize(1) != pre) {
    InFlightDiagnostic diag = op.emitOpError() << "dense weights have shape ";
    llvm::interleave(type.getShape(), diag, "x");
    diag << " but post x pre is " << post << "x" << pre;
    return withPostNote(std::move(diag), op);
  }
  return checkWeightType(op, type.getElementType(), "dense weights");
}

LogicalResult checkIndices(ProjectionOp op, ElementsAttr attr, StringRef name,
                           int64_t limit) {
  SmallVector<double> values;
  if (failed(readElements(attr, values)))
    return success(); // Elided blob: nothing to check.
  for (auto [i, v] : llvm::enumerate(values))
    if (v < 0 || v >= limit)
      return op.emitOpError()
             << "sparse synapse " << i << ": " << name << " index "
             << int64_t(v) << " out of range (" << limit << " neurons)";
  return success();
}

LogicalResult verifySparse(ProjectionOp op, SparseAttr sparse) {
  SmallVector<ElementsAttr> lists = {sparse.getPre(), sparse.getPost(),
                                     sparse.getWeights()};
  if (sparse.getDelays())
    lists.push_back(sparse.getDelays());
  const int64_t n = sparse.getPre().getNumElements();
  for (ElementsAttr list : lists)
    if (list.getShapedType().getRank() != 1 || list.getNumElements() != n)
      return op.emitOpError()
             << "sparse lists must be 1-D of one length; pre "
                "has "
             << n << " entries, another list has type " << list.getShapedType();
  for (ElementsAttr list : {sparse.getPre(), sparse.getPost()})
    if (!isa<IntegerType>(list.getElementType()))
      return op.emitOpError() << "sparse indices must be integers, got "
                              << list.getElementType();
  if (failed(checkIndices(op, sparse.getPre(), "pre", sizeOf(op.getPre()))) ||
      failed(checkIndices(op, sparse.getPost(), "post", sizeOf(op.getPost()))))
    return failure();
  if (ElementsAttr delays = sparse.getDelays()) {
    SmallVector<double> values;
    if (succeeded(readElements(delays, values)))
      for (auto [i, d] : llvm::enumerate(values))
        if (d < 1)
          return op.emitOpError()
                 << "sparse synapse " << i << ": delay must be >= 1, got " << d;
  }
  return checkWeightType(op, sparse.getWeights().getElementType(),
                         "sparse weights");
}

LogicalResult verifyOneToOne(ProjectionOp op, OneToOneAttr rule) {
  const int64_t pre = sizeOf(op.getPre()), post = sizeOf(op.getPost());
  if (pre != post)
    return withPostNote(op.emitOpError()
                            << "one_to_one needs pre and post of one size, got "
                            << pre << " and " << post,
                        op);
  return checkScalarWeight(op, rule.getWeight(), post);
}

/// A random rule's weight (one number, or a distribution) and delay (a
/// distribution, if any).
LogicalResult checkRandomRule(ProjectionOp op, StringRef rule, Attribute weight,
                              Attribute delay) {
  if (delay && failed(verifyDistribution(op, delay, rule + " delay")))
    return failure();
  if (isa<NormalAttr, LognormalAttr, UniformAttr>(weight))
    return verifyDistribution(op, weight, rule + " weight");
  if (isa<DenseF64ArrayAttr, DenseI64ArrayAttr>(weight))
    return op.emitOpError() << rule << " weight must be a single number";
  return checkScalarWeight(op, weight, 1);
}

LogicalResult verifyFixedProb(ProjectionOp op, FixedProbAttr rule) {
  if (!isa<FloatAttr, IntegerAttr>(rule.getP()))
    return op.emitOpError()
           << "fixed_prob p must be a number, got " << rule.getP();
  const double p = fieldAt(rule.getP(), 0, -1);
  if (!(p >= 0 && p <= 1))
    return op.emitOpError() << "fixed_prob p must be in [0, 1], got " << p;
  return checkRandomRule(op, "fixed_prob", rule.getWeight(), rule.getDelay());
}

LogicalResult verifyFixedNumber(ProjectionOp op, FixedNumberAttr rule) {
  const int64_t pre = sizeOf(op.getPre()), post = sizeOf(op.getPost());
  const StringRef kind = stringifyFixedNumberKind(rule.getKind());
  const int64_t count = rule.getCount();
  if (count < 0)
    return op.emitOpError()
           << "fixed_number " << kind << " must be >= 0, got " << count;
  const bool self = op.getPre() == op.getPost() && rule.getAllowSelf() &&
                    !rule.getAllowSelf().getValue();
  const bool multapses =
      !rule.getAllowMultapses() || rule.getAllowMultapses().getValue();
  // The candidates one draw chooses among, and the synapses in all.
  int64_t candidates = 0, synapses = 0;
  StringRef among;
  switch (rule.getKind()) {
  case FixedNumberKind::InDegree:
    candidates = pre - (self ? 1 : 0);
    synapses = count * post;
    among = "pre neurons per post neuron";
    break;
  case FixedNumberKind::OutDegree:
    candidates = post - (self ? 1 : 0);
    synapses = count * pre;
    among = "post neurons per pre neuron";
    break;
  case FixedNumberKind::Total:
    candidates = pre * post - (self ? pre : 0);
    synapses = count;
    among = "(pre, post) pairs";
    break;
  }
  // Sizes are below 2^32 and counts are checked first: no overflow.
  if (count > kMaxFixedNumberSynapses || synapses > kMaxFixedNumberSynapses)
    return op.emitOpError()
           << "fixed_number " << kind << " = " << count << " makes "
           << (count > kMaxFixedNumberSynapses ? count : synapses)
           << " synapses; at most " << kMaxFixedNumberSynapses
           << " per projection";
  if (count > 0 && candidates == 0)
    return op.emitOpError()
           << "fixed_number " << kind << " = " << count << " but there are no "
           << among << (self ? " (allow_self = false)" : "");
  if (!multapses && count > candidates)
    return op.emitOpError()
           << "fixed_number " << kind << " = " << count
           << " without multapses, but there are only " << candidates << " "
           << among << (self ? " (allow_self = false)" : "");
  return checkRandomRule(op, "fixed_number", rule.getWeight(), rule.getDelay());
}

/// out = (in + 2 pad - dil (k - 1) - 1) / stride + 1, or <= 0 if empty.
/// Every argument is in [0, SpikesType::kMaxSize] (stride, dil, k >= 1):
/// the products fit 64 bits.
int64_t convOut(int64_t in, int64_t k, int64_t stride, int64_t pad,
                int64_t dil) {
  const int64_t span = in + 2 * pad - dil * (k - 1) - 1;
  return span < 0 ? 0 : span / stride + 1;
}

LogicalResult verifyConv2d(ProjectionOp op, Conv2dAttr conv) {
  ShapedType kernel = conv.getKernel().getShapedType();
  if (kernel.getRank() != 4)
    return op.emitOpError() << "conv2d kernel must be out_c x in_c x kh x kw, "
                               "got "
                            << kernel;
  if (conv.getStride().size() != 2 || conv.getPadding().size() != 2 ||
      conv.getDilation().size() != 2 || conv.getInShape().size() != 3)
    return op.emitOpError("conv2d stride, padding and dilation take 2 values "
                          "(h, w), in_shape 3 (c, h, w)");
  const int64_t most = SpikesType::kMaxSize;
  for (int64_t i = 0; i < 2; ++i)
    if (conv.getStride()[i] < 1 || conv.getDilation()[i] < 1 ||
        conv.getPadding()[i] < 0 || conv.getStride()[i] > most ||
        conv.getDilation()[i] > most || conv.getPadding()[i] > most)
      return op.emitOpError() << "conv2d stride and dilation must be in [1, "
                              << most << "], padding in [0, " << most << "]";
  for (int64_t d : kernel.getShape())
    if (d < 1 || d > most)
      return op.emitOpError() << "conv2d kernel dimensions must be in [1, "
                              << most << "], got " << kernel;
  ArrayRef<int64_t> in = conv.getInShape();
  if (kernel.getDimSize(1) != in[0])
    return op.emitOpError() << "conv2d kernel has " << kernel.getDimSize(1)
                            << " input channels but in_shape has " << in[0];
  const int64_t pre = sizeOf(op.getPre());
  int64_t inSize = 1;
  for (int64_t d : in)
    if (d < 1 || __builtin_mul_overflow(inSize, d, &inSize))
      return op.emitOpError()
             << "conv2d in_shape " << in[0] << "x" << in[1] << "x" << in[2]
             << " is not a shape of " << pre << " neurons";
  if (inSize != pre)
    return op.emitOpError()
           << "conv2d in_shape " << in[0] << "x" << in[1] << "x" << in[2]
           << " has " << inSize << " neurons but pre has " << pre;
  const int64_t outC = kernel.getDimSize(0);
  const int64_t outH = convOut(in[1], kernel.getDimSize(2), conv.getStride()[0],
                               conv.getPadding()[0], conv.getDilation()[0]);
  const int64_t outW = convOut(in[2], kernel.getDimSize(3), conv.getStride()[1],
                               conv.getPadding()[1], conv.getDilation()[1]);
  auto postType = cast<SpikesType>(op.getPost().getType());
  int64_t outSize = 0;
  const bool fits = !__builtin_mul_overflow(outC, outH, &outSize) &&
                    !__builtin_mul_overflow(outSize, outW, &outSize);
  const bool shapeOk =
      postType.getShape().size() == 3
          ? postType.getShape() == ArrayRef<int64_t>{outC, outH, outW}
          : fits && postType.getSize() == outSize;
  if (!shapeOk || outH <= 0 || outW <= 0)
    return withPostNote(op.emitOpError()
                            << "conv2d output is " << outC << "x" << outH << "x"
                            << outW << " but post is " << postType,
                        op);
  return checkWeightType(op, kernel.getElementType(), "conv2d kernel weights");
}

/// A learning or reward projection: what its rule stands for parses, and
/// its post compartments and connectivity can hold it. The profile's limits
/// are checked when the network is mapped onto a chip.
LogicalResult verifyLearning(ProjectionOp op) {
  const Attribute learning = op.getLearningAttr();
  const std::string name = ("projection @" + op.getSymName() + ": ").str();
  if (std::optional<StringRef> sign = op.getSignMode()) {
    if (!learning)
      return op.emitOpError()
             << name
             << "'sign_mode' bounds learned weights, but the "
                "projection does not learn (add 'learning' or drop it)";
    if (!parseWeightSign(*sign))
      return op.emitOpError() << name << "'sign_mode' \"" << *sign
                              << "\" is not \"mixed\", \"excitatory\" or "
                                 "\"inhibitory\"";
  }
  if (!learning && !op.getReward())
    return success();
  if (learning && op.getReward())
    return op.emitOpError()
           << name
           << "a reward projection cannot also learn: its weights set the "
              "post compartments' third factor r (drop 'reward' or "
              "'learning')";
  const StringRef what = learning ? "a learning" : "a reward";
  if (PopulationOp post = op.getPostPopulation(); post && post.isDendrite())
    return op.emitOpError()
           << name << what << " projection cannot reach dendrite @"
           << post.getSymName()
           << ": post-synaptic traces and the third factor are the root's "
              "(project onto @"
           << post.getParentAttr().getValue() << " or its tree's root)";
  if (!learning)
    return success();
  if (isa<Conv2dAttr>(op.getConnectivity()))
    return op.emitOpError()
           << name
           << "a conv2d projection cannot learn: its kernel is shared by "
              "every output position, but the chip stores a copy per synapse "
              "and each copy would learn on its own (use #snn.dense or "
              "#snn.sparse for per-synapse learning)";
  FailureOr<LearningSpec> spec =
      expandLearning(learning, [&] { return op.emitOpError() << name; });
  if (failed(spec))
    return failure();
  cajal::Result<cajal::chip::LearningRule> rule =
      cajal::chip::parseLearningRule(spec->rule);
  if (!rule)
    return op.emitOpError()
           << name << rule.error() << " in \"" << spec->rule << "\"";
  return success();
}

} // namespace

LogicalResult ProjectionOp::verify() {
  if (failed(verifySymbolName(*this)))
    return failure();
  if (!getPostPopulation())
    return emitOpError("post must be a population (sources only send)");
  if (getDelay() < 1)
    return emitOpError() << "'delay' must be >= 1 step, got " << getDelay();
  if (std::optional<ArrayRef<double>> bias = getBias()) {
    const int64_t post = sizeOf(getPost());
    if (int64_t(bias->size()) != post)
      return emitOpError() << "'bias' has " << bias->size()
                           << " values but post has " << post << " neurons";
    for (auto [i, b] : llvm::enumerate(*bias))
      if (!std::isfinite(b))
        return emitOpError()
               << "'bias' must be finite, got " << b << " (neuron " << i << ")";
  }
  if (FloatAttr err = getQuantErrorAttr();
      err && !(err.getValueAsDouble() >= 0))
    return emitOpError() << "'quant_error' must be >= 0, got "
                         << err.getValueAsDouble();
  if (failed(verifyLearning(*this)))
    return failure();
  Attribute conn = getConnectivity();
  if (auto dense = dyn_cast<DenseAttr>(conn))
    return verifyDense(*this, dense);
  if (auto sparse = dyn_cast<SparseAttr>(conn))
    return verifySparse(*this, sparse);
  if (auto rule = dyn_cast<OneToOneAttr>(conn))
    return verifyOneToOne(*this, rule);
  if (auto rule = dyn_cast<FixedProbAttr>(conn))
    return verifyFixedProb(*this, rule);
  if (auto rule = dyn_cast<FixedNumberAttr>(conn))
    return verifyFixedNumber(*this, rule);
  return verifyConv2d(*this, cast<Conv2dAttr>(conn));
}
