//===- SNNToMapping.cpp - A quantized snn.network as a mapping::Network ---===//
//
// Walks the network body once, in op order: populations (integer parameters,
// one CompartmentParams when every field is shared, else one per neuron;
// probes decide what is recorded), sources (a Poisson rate becomes a 0.32
// fixed-point probability per step) and projections (each rule copied with
// its integer mantissas). Values are range-checked against the C++ fields
// they land in; the profile's own limits are checked when the image is
// validated.
//
//===----------------------------------------------------------------------===//
#include "cajal/Conversion/SNNToMapping.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace cajal;
using namespace cajal::snn;

namespace {

/// The integer range each quantized field must fit (its C++ field type).
std::pair<int64_t, int64_t> fieldRange(StringRef name) {
  if (name == "decay_u" || name == "decay_v")
    return {0, std::numeric_limits<uint16_t>::max()};
  if (name == "bias_mant")
    return {std::numeric_limits<int16_t>::min(),
            std::numeric_limits<int16_t>::max()};
  if (name == "vth_mant")
    return {0, std::numeric_limits<uint32_t>::max()};
  return {0, std::numeric_limits<uint8_t>::max()};
}

LogicalResult checkQuantized(PopulationOp pop, QuantizedParamsAttr q) {
  LogicalResult result = success();
  forEachField(q, [&](StringRef name, Attribute field, bool) {
    SmallVector<double> values;
    if (failed(result) || failed(readField(field, values, true)))
      return;
    auto [lo, hi] = fieldRange(name);
    for (double v : values)
      if (v < double(lo) || v > double(hi)) {
        result = pop.emitOpError()
                 << "parameter '" << name << "' = " << int64_t(v)
                 << " does not fit the chip's field [" << lo << ", " << hi
                 << "]";
        return;
      }
  });
  return result;
}

bool allShared(QuantizedParamsAttr q) {
  bool shared = true;
  forEachField(q, [&](StringRef, Attribute field, bool) {
    if (isa<DenseI64ArrayAttr>(field) &&
        cast<DenseI64ArrayAttr>(field).size() > 1)
      shared = false;
  });
  return shared;
}

std::vector<int32_t> toInts(ArrayRef<double> values) {
  std::vector<int32_t> out;
  out.reserve(values.size());
  for (double v : values)
    out.push_back(int32_t(std::llround(v)));
  return out;
}

LogicalResult readInts(ProjectionOp op, ElementsAttr attr, StringRef what,
                       std::vector<int32_t> &out) {
  SmallVector<double> values;
  if (failed(readElements(attr, values)))
    return op.emitOpError() << "the data of its " << what
                            << " is not available (an elided resource blob?)";
  out = toInts(values);
  return success();
}

template <typename T>
std::vector<T> castVector(const std::vector<int32_t> &in) {
  return std::vector<T>(in.begin(), in.end());
}

FailureOr<mapping::Connectivity> convertRule(ProjectionOp op) {
  Attribute conn = op.getConnectivity();
  if (auto dense = dyn_cast<DenseAttr>(conn)) {
    mapping::DenseConn out;
    if (failed(readInts(op, dense.getWeights(), "weights", out.weights)))
      return failure();
    return mapping::Connectivity(std::move(out));
  }
  if (auto sparse = dyn_cast<SparseAttr>(conn)) {
    mapping::SparseConn out;
    std::vector<int32_t> pre, post, delays;
    if (failed(readInts(op, sparse.getPre(), "pre indices", pre)) ||
        failed(readInts(op, sparse.getPost(), "post indices", post)) ||
        failed(readInts(op, sparse.getWeights(), "weights", out.weights)) ||
        (sparse.getDelays() &&
         failed(readInts(op, sparse.getDelays(), "delays", delays))))
      return failure();
    out.pre = castVector<uint32_t>(pre);
    out.post = castVector<uint32_t>(post);
    out.delays = castVector<uint32_t>(delays);
    return mapping::Connectivity(std::move(out));
  }
  if (auto rule = dyn_cast<OneToOneAttr>(conn)) {
    SmallVector<double> values;
    (void)readField(rule.getWeight(), values);
    mapping::OneToOneConn out;
    out.weight.values = toInts(values);
    return mapping::Connectivity(std::move(out));
  }
  if (auto rule = dyn_cast<FixedProbAttr>(conn)) {
    mapping::FixedProbConn out;
    out.p = fieldAt(rule.getP(), 0, 0);
    out.seed = uint64_t(rule.getSeed());
    out.weight = int32_t(std::llround(fieldAt(rule.getWeight(), 0, 0)));
    out.allowSelf = !rule.getAllowSelf() || rule.getAllowSelf().getValue();
    return mapping::Connectivity(std::move(out));
  }
  auto conv = cast<Conv2dAttr>(conn);
  mapping::Conv2dConn out;
  ArrayRef<int64_t> kernel = conv.getKernel().getShapedType().getShape();
  out.inC = uint32_t(conv.getInShape()[0]);
  out.inH = uint32_t(conv.getInShape()[1]);
  out.inW = uint32_t(conv.getInShape()[2]);
  out.outC = uint32_t(kernel[0]);
  out.kH = uint32_t(kernel[2]);
  out.kW = uint32_t(kernel[3]);
  out.strideH = uint32_t(conv.getStride()[0]);
  out.strideW = uint32_t(conv.getStride()[1]);
  out.padH = uint32_t(conv.getPadding()[0]);
  out.padW = uint32_t(conv.getPadding()[1]);
  out.dilH = uint32_t(conv.getDilation()[0]);
  out.dilW = uint32_t(conv.getDilation()[1]);
  // The verifier checked that post has out_c x out_h x out_w neurons.
  auto outSize = [](int64_t in, int64_t k, int64_t stride, int64_t pad,
                    int64_t dil) {
    return uint32_t((in + 2 * pad - dil * (k - 1) - 1) / stride + 1);
  };
  out.outH = outSize(out.inH, out.kH, out.strideH, out.padH, out.dilH);
  out.outW = outSize(out.inW, out.kW, out.strideW, out.padW, out.dilW);
  if (failed(readInts(op, conv.getKernel(), "kernel", out.kernel)))
    return failure();
  return mapping::Connectivity(std::move(out));
}

mapping::Source convertSource(Operation *op, std::optional<double> dt) {
  mapping::Source src;
  src.name = SymbolTable::getSymbolName(op).str();
  src.size = uint32_t(cast<SpikesType>(op->getResult(0).getType()).getSize());
  if (auto poisson = dyn_cast<PoissonSourceOp>(op)) {
    src.kind = chip::SourceKind::Poisson;
    const double p = poisson.getRate().convertToDouble() * dt.value_or(0);
    const double scaled = std::round(p * 4294967296.0);
    src.probability = uint32_t(std::min(scaled, 4294967295.0));
    src.seed = uint64_t(poisson.getSeed());
  } else if (auto periodic = dyn_cast<PeriodicSourceOp>(op)) {
    src.kind = chip::SourceKind::Periodic;
    src.period = uint32_t(periodic.getPeriod());
    src.phase = uint32_t(periodic.getPhase());
  } else if (auto file = dyn_cast<FileSourceOp>(op)) {
    src.kind = chip::SourceKind::File;
    SmallVector<double> values;
    (void)readElements(file.getEvents(), values);
    for (size_t i = 0; i + 1 < values.size(); i += 2)
      src.spikes.push_back({uint32_t(values[i]), uint32_t(values[i + 1])});
    std::stable_sort(
        src.spikes.begin(), src.spikes.end(),
        [](const chip::SourceSpike &a, const chip::SourceSpike &b) {
          return a.step != b.step ? a.step < b.step : a.index < b.index;
        });
  } else {
    src.kind = chip::SourceKind::External;
  }
  return src;
}

} // namespace

chip::CompartmentParams cajal::compartmentParams(QuantizedParamsAttr q,
                                                 NeuronModel model, size_t i) {
  chip::CompartmentParams p;
  p.decayU = uint16_t(fieldAt(q.getDecayU(), i, 0));
  p.decayV = uint16_t(fieldAt(q.getDecayV(), i, 0));
  p.biasMantissa = int16_t(fieldAt(q.getBiasMant(), i, 0));
  p.biasExponent = uint8_t(fieldAt(q.getBiasExp(), i, 0));
  p.refractory = uint8_t(fieldAt(q.getRefractory(), i, 0));
  p.thresholdMantissa = uint32_t(fieldAt(q.getVthMant(), i, 0));
  p.vminExponent = uint8_t(fieldAt(q.getVminExp(), i, 0));
  p.vmaxExponent = uint8_t(fieldAt(q.getVmaxExp(), i, 0));
  p.flags = 0;
  if (q.getReset() == Reset::Subtract)
    p.flags |= chip::ResetBySubtraction;
  if (model == NeuronModel::LI)
    p.flags |= chip::NoSpike;
  return p;
}

PopulationOp MappedNetwork::findNamedPopulation(StringRef message) const {
  for (PopulationOp pop : populations)
    if (message.contains(("population \"" + pop.getSymName() + "\"").str()))
      return pop;
  return {};
}

FailureOr<MappedNetwork> cajal::buildMappingNetwork(NetworkOp network) {
  MappedNetwork out;
  out.network.name = network.getSymName().str();
  llvm::DenseMap<Operation *, mapping::NodeRef> nodes;
  bool anySpikeProbe = false;
  for (auto probe : network.getBodyBlock()->getOps<ProbeOp>())
    anySpikeProbe |= probe.getKind() == ProbeKind::Spikes;

  for (Operation &op : *network.getBodyBlock()) {
    if (auto pop = dyn_cast<PopulationOp>(op)) {
      auto q = dyn_cast<QuantizedParamsAttr>(pop.getParams());
      if (!q)
        return pop.emitOpError(
            "must be quantized (run snn-discretize and snn-quantize) before "
            "mapping");
      if (failed(checkQuantized(pop, q)))
        return failure();
      mapping::Population p;
      p.name = pop.getSymName().str();
      p.shape.assign(pop.getSpikes().getType().getShape().begin(),
                     pop.getSpikes().getType().getShape().end());
      p.size = uint32_t(pop.getSize());
      const size_t count = allShared(q) ? 1 : p.size;
      for (size_t i = 0; i < count; ++i)
        p.params.push_back(compartmentParams(q, pop.getModel(), i));
      p.recordSpikes = !anySpikeProbe;
      p.recordState = false;
      // The NIR importer names the Output nodes a population feeds.
      if (auto recordAs = pop->getAttrOfType<ArrayAttr>("record_as"))
        for (Attribute alias : recordAs)
          if (auto name = dyn_cast<StringAttr>(alias))
            p.aliases.push_back(name.str());
      for (Operation *user : pop.getSpikes().getUsers())
        if (auto probe = dyn_cast<ProbeOp>(user)) {
          p.recordSpikes |= probe.getKind() == ProbeKind::Spikes;
          p.recordState |= probe.getKind() == ProbeKind::State;
        }
      nodes[pop] = {mapping::NodeRef::PopulationNode,
                    uint32_t(out.populations.size())};
      out.network.populations.push_back(std::move(p));
      out.populations.push_back(pop);
    } else if (isa<InputOp, PoissonSourceOp, PeriodicSourceOp, FileSourceOp>(
                   op)) {
      nodes[&op] = {mapping::NodeRef::SourceNode, uint32_t(out.sources.size())};
      out.network.sources.push_back(convertSource(&op, network.getTimeStep()));
      out.sources.push_back(&op);
    }
  }

  for (auto proj : network.getBodyBlock()->getOps<ProjectionOp>()) {
    if (!proj.isQuantized())
      return proj.emitOpError(
          "must be quantized (run snn-quantize) before mapping");
    if (proj.getBias())
      return proj.emitOpError("has a 'bias' that snn-discretize did not fold "
                              "into its post population");
    FailureOr<mapping::Connectivity> conn = convertRule(proj);
    if (failed(conn))
      return failure();
    mapping::Projection p;
    p.name = proj.getSymName().str();
    p.pre = nodes.lookup(proj.getPre().getDefiningOp());
    p.post = nodes.lookup(proj.getPost().getDefiningOp()).index;
    p.conn = std::move(*conn);
    p.weightExponent = int8_t(*proj.getWeightExponent());
    p.delay = uint32_t(proj.getDelay());
    out.network.projections.push_back(std::move(p));
    out.projections.push_back(proj);
  }
  return out;
}
