//===- NIRImport.cpp - Build an snn.network from a lowered NIR graph ------===//
//
// Inputs become snn.input, neuron nodes snn.population with the NIR node's
// name and shape, paths snn.projection (Lowering.h). Parameters map as
// docs/nir.md says: LIF, IF, LI and CubaLIF keep continuous parameters
// (tau -> tau_mem, v_threshold -> v_th, ...), with the constant input the
// lowering found as `bias` (for CubaLIF through w_in, as NIR's synaptic
// current integrates w_in times its input). I and CubaLI (integrators that
// never spike) and Threshold (a stateless comparator) have no continuous
// snn model: they are discretised here with mapping::discretize and become
// #snn.discrete populations of model li (or if, for Threshold).
//
//===----------------------------------------------------------------------===//
#include "cajal/NIR/NIRImport.h"
#include "NIRParams.h"
#include "cajal/Dialect/SNN/SNNDialect.h"
#include "cajal/Dialect/SNN/SNNOps.h"
#include "cajal/Mapping/Discretize.h"
#include "cajal/NIR/Lowering.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Path.h"

#include <cmath>

using namespace mlir;

namespace cajal::nir {

namespace {

/// Weight tensors up to this many elements are inline; larger ones blobs.
constexpr size_t kMaxInlineWeights = 4096;

class Builder {
public:
  Builder(MLIRContext &context, const FlatGraph &graph, const Lowered &lowered,
          const NIRImportOptions &o)
      : ctx(context), b(&context), g(graph), l(lowered), options(o) {}

  FailureOr<OwningOpRef<ModuleOp>> build(const std::string &name);

private:
  Location loc(const std::string &node) {
    return NameLoc::get(b.getStringAttr(node),
                        FileLineColLoc::get(&ctx, g.path, 0, 0));
  }
  /// Parameter `name` of `pop` per neuron (or one value), times `factor`
  /// per neuron when given.
  std::vector<double> values(const LoweredPopulation &pop, const char *name,
                             double fallback);
  Attribute field(const std::vector<double> &v) {
    return snn::makeRealField(&ctx, v);
  }
  FailureOr<Attribute> params(const LoweredPopulation &pop,
                              snn::NeuronModel &model);
  FailureOr<Attribute> discreteParams(const LoweredPopulation &pop,
                                      snn::NeuronModel &model);
  ElementsAttr tensor(ArrayRef<int64_t> shape, const std::vector<double> &v,
                      const std::string &blob);
  Attribute connectivity(const LoweredProjection &p);

  MLIRContext &ctx;
  OpBuilder b;
  const FlatGraph &g;
  const Lowered &l;
  const NIRImportOptions &options;
  std::string networkName;
};

std::vector<double> Builder::values(const LoweredPopulation &pop,
                                    const char *name, double fallback) {
  const Array *a = param(g.nodes[pop.node], name);
  if (!a)
    return {fallback};
  return a->values.size() == 1 ? std::vector<double>{a->values[0]} : a->values;
}

/// a[i] * b[i] with scalars broadcast.
std::vector<double> times(const std::vector<double> &a,
                          const std::vector<double> &b) {
  const size_t n = std::max(a.size(), b.size());
  std::vector<double> out(n);
  for (size_t i = 0; i < n; ++i)
    out[i] = a[a.size() == 1 ? 0 : i] * b[b.size() == 1 ? 0 : i];
  return out;
}

FailureOr<Attribute> Builder::params(const LoweredPopulation &pop,
                                     snn::NeuronModel &model) {
  const snn::Reset reset =
      options.resetBySubtraction ? snn::Reset::Subtract : snn::Reset::Zero;
  const std::vector<double> bias =
      pop.bias.empty() ? std::vector<double>{0.0} : pop.bias;
  Attribute biasField = pop.bias.empty() ? Attribute() : field(bias);
  auto get = [&](const char *name) {
    return param(g.nodes[pop.node], name) ? field(values(pop, name, 0))
                                          : Attribute();
  };
  switch (pop.type) {
  case NeuronType::LIF:
    model = snn::NeuronModel::LIF;
    return Attribute(snn::ContinuousParamsAttr::get(
        &ctx, get("tau"), {}, get("v_threshold"), get("v_leak"), get("v_reset"),
        get("r"), biasField, {}, {}, {}, {}, {}, reset));
  case NeuronType::IF:
    model = snn::NeuronModel::IF;
    return Attribute(snn::ContinuousParamsAttr::get(
        &ctx, {}, {}, get("v_threshold"), {}, get("v_reset"), get("r"),
        biasField, {}, {}, {}, {}, {}, reset));
  case NeuronType::LI:
    model = snn::NeuronModel::LI;
    return Attribute(snn::ContinuousParamsAttr::get(
        &ctx, get("tau"), {}, {}, get("v_leak"), {}, get("r"), biasField, {},
        {}, {}, {}, {}, snn::Reset::Zero));
  case NeuronType::CubaLIF: {
    model = snn::NeuronModel::CubaLIF;
    // NIR: tau_syn dI/dt = -I + w_in (input + bias): the steady current of
    // a constant input b is w_in b, which is snn's `bias`.
    Attribute cubaBias = pop.bias.empty()
                             ? Attribute()
                             : field(times(bias, values(pop, "w_in", 1.0)));
    return Attribute(snn::ContinuousParamsAttr::get(
        &ctx, get("tau_mem"), get("tau_syn"), get("v_threshold"), get("v_leak"),
        get("v_reset"), get("r"), cubaBias, {}, get("w_in"), {}, {}, {},
        reset));
  }
  default:
    return discreteParams(pop, model);
  }
}

FailureOr<Attribute> Builder::discreteParams(const LoweredPopulation &pop,
                                             snn::NeuronModel &model) {
  const std::vector<double> bias =
      pop.bias.empty() ? std::vector<double>{0.0} : pop.bias;
  std::vector<double> du, dv, vth, bs, scale;
  auto at = [](const std::vector<double> &v, size_t i) {
    return v[v.size() == 1 ? 0 : i];
  };
  const std::vector<double> r = values(pop, "r", 1),
                            leak = values(pop, "v_leak", 0),
                            tauMem = values(pop, "tau_mem", 1),
                            tauSyn = values(pop, "tau_syn", 1),
                            wIn = values(pop, "w_in", 1),
                            thr = values(pop, "threshold", 0);
  // One neuron when every parameter is shared: no per-neuron work (and no
  // per-neuron memory) for a large population of scalars.
  size_t n = 1;
  for (const std::vector<double> *v :
       {&bias, &r, &leak, &tauMem, &tauSyn, &wIn, &thr})
    n = std::max(n, v->size());
  for (size_t i = 0; i < n; ++i) {
    if (pop.type == NeuronType::Threshold) {
      // v = this step's input: all of u and of v is lost every step.
      du.push_back(1);
      dv.push_back(1);
      vth.push_back(at(thr, i));
      bs.push_back(at(bias, i));
      scale.push_back(1);
      continue;
    }
    mapping::ContinuousParams c;
    c.r = at(r, i);
    c.vLeak = at(leak, i);
    c.tauMem = at(tauMem, i);
    c.tauSyn = at(tauSyn, i);
    c.wIn = at(wIn, i);
    c.bias = pop.type == NeuronType::CubaLI ? at(bias, i) * c.wIn : at(bias, i);
    Result<mapping::DiscreteParams> d = mapping::discretize(
        pop.type == NeuronType::I ? mapping::NeuronModel::IF
                                  : mapping::NeuronModel::CubaLIF,
        c, options.dt);
    if (!d)
      return emitError(loc(pop.name))
             << "node '" << pop.name << "': " << d.error();
    du.push_back(d->decayU);
    dv.push_back(d->decayV);
    bs.push_back(d->bias);
    scale.push_back(d->inputScale);
  }
  const bool spiking = pop.type == NeuronType::Threshold;
  model = spiking ? snn::NeuronModel::IF : snn::NeuronModel::LI;
  return Attribute(snn::DiscreteParamsAttr::get(
      &ctx, field(du), field(dv), spiking ? field(vth) : Attribute(), field(bs),
      field(scale), {}, {}, {}, {}, {}, snn::Reset::Zero));
}

ElementsAttr Builder::tensor(ArrayRef<int64_t> shape,
                             const std::vector<double> &v,
                             const std::string &blob) {
  auto type = RankedTensorType::get(shape, b.getF64Type());
  if (v.size() <= kMaxInlineWeights)
    return DenseElementsAttr::get(type, ArrayRef<double>(v));
  return DenseResourceElementsAttr::get(
      type, blob,
      HeapAsmResourceBlob::allocateAndCopyInferAlign(ArrayRef<double>(v)));
}

Attribute Builder::connectivity(const LoweredProjection &p) {
  const std::string blob = networkName + "_" + p.name + "_weights";
  const int64_t pre =
      shapeSize(p.pre.isInput ? l.inputs[p.pre.index].shape
                              : l.populations[p.pre.index].shape);
  const int64_t post = shapeSize(l.populations[p.post].shape);
  switch (p.kind) {
  case ConnKind::OneToOne:
    return snn::OneToOneAttr::get(&ctx, field(p.weights));
  case ConnKind::Dense:
    return snn::DenseAttr::get(&ctx, tensor({post, pre}, p.weights, blob));
  case ConnKind::Conv2d: {
    const Window &w = p.window;
    return snn::Conv2dAttr::get(
        &ctx,
        tensor({p.outChannels, p.inShape[0], w.kernelH, w.kernelW}, p.weights,
               blob),
        {w.strideH, w.strideW}, {w.padH, w.padW}, {w.dilH, w.dilW}, p.inShape);
  }
  case ConnKind::Sparse: {
    const int64_t k = int64_t(p.weights.size());
    auto index = [&](const std::vector<uint32_t> &v, const char *what) {
      std::vector<int64_t> wide(v.begin(), v.end());
      auto type = RankedTensorType::get({k}, b.getI64Type());
      if (wide.size() <= kMaxInlineWeights)
        return ElementsAttr(DenseElementsAttr::get(type, ArrayRef(wide)));
      return ElementsAttr(DenseResourceElementsAttr::get(
          type, networkName + "_" + p.name + "_" + what,
          HeapAsmResourceBlob::allocateAndCopyInferAlign(ArrayRef(wide))));
    };
    return snn::SparseAttr::get(&ctx, index(p.preIndex, "pre"),
                                index(p.postIndex, "post"),
                                tensor({k}, p.weights, blob), {});
  }
  }
  return {};
}

FailureOr<OwningOpRef<ModuleOp>> Builder::build(const std::string &name) {
  networkName = name;
  OwningOpRef<ModuleOp> module =
      ModuleOp::create(FileLineColLoc::get(&ctx, g.path, 0, 0));
  b.setInsertionPointToEnd(module->getBody());
  auto net = b.create<snn::NetworkOp>(module->getLoc(), name,
                                      b.getF64FloatAttr(options.dt));
  b.setInsertionPointToEnd(net.getBodyBlock());
  std::vector<Value> inputs, pops;
  for (const LoweredInput &in : l.inputs)
    inputs.push_back(b.create<snn::InputOp>(
        loc(in.name), snn::SpikesType::get(&ctx, in.shape), in.name));
  for (const LoweredPopulation &pop : l.populations) {
    snn::NeuronModel model = snn::NeuronModel::LIF;
    FailureOr<Attribute> p = params(pop, model);
    if (failed(p))
      return failure();
    auto op = b.create<snn::PopulationOp>(
        loc(pop.name), snn::SpikesType::get(&ctx, pop.shape), pop.name, model,
        *p, FloatAttr(), DenseI64ArrayAttr(), DenseI64ArrayAttr(),
        DictionaryAttr(), IntegerAttr(), FlatSymbolRefAttr(),
        snn::DendriteOutputAttr(), FloatAttr(), snn::JoinAttr(), FloatAttr());
    if (!pop.aliases.empty())
      op->setAttr("record_as", b.getStrArrayAttr(SmallVector<StringRef>(
                                   pop.aliases.begin(), pop.aliases.end())));
    pops.push_back(op.getSpikes());
  }
  for (const LoweredProjection &p : l.projections) {
    Value pre = p.pre.isInput ? inputs[p.pre.index] : pops[p.pre.index];
    b.create<snn::ProjectionOp>(
        loc(g.nodes[p.lastNode].name), b.getStringAttr(p.name), pre,
        pops[p.post], connectivity(p), b.getI64IntegerAttr(p.delay),
        DenseF64ArrayAttr(), IntegerAttr(), FloatAttr(),
        /*learning=*/Attribute(), /*sign_mode=*/StringAttr(),
        /*reward=*/UnitAttr());
  }
  if (failed(mlir::verify(*module)))
    return failure();
  return module;
}

/// Where a frontend error or warning is: at its subject node, or the file.
Location locate(MLIRContext &ctx, const std::string &path,
                const ErrorSubject &subject) {
  Location fileLoc = FileLineColLoc::get(&ctx, path, 0, 0);
  if (subject.kind != ErrorSubject::Kind::Node || subject.name.empty())
    return fileLoc;
  return NameLoc::get(StringAttr::get(&ctx, subject.name), fileLoc);
}

/// Report a frontend error at the node it concerns (or at the file).
LogicalResult report(MLIRContext &ctx, const std::string &path,
                     const Error &error) {
  // Messages from readFile start with the path; the location has it already.
  std::string text = error.message;
  if (text.rfind(path + ": ", 0) == 0)
    text = text.substr(path.size() + 2);
  return emitError(locate(ctx, path, error.subject)) << text;
}

/// importNIRFile with `readStructure` reading the file (from `path` or from
/// memory).
FailureOr<OwningOpRef<ModuleOp>>
importWith(const std::string &path, MLIRContext &context,
           const NIRImportOptions &options,
           llvm::function_ref<Result<File>()> readStructure) {
  context.getOrLoadDialect<snn::SNNDialect>();
  if (!(options.dt > 0) || !std::isfinite(options.dt))
    return report(context, path,
                  makeError("a NIR model needs a time step: dt = " +
                            formatNumber(options.dt) +
                            " s must be finite and > 0 (--dt)"));
  // The whole read runs in a child process: libhdf5 can crash on a damaged
  // file. Shapes from the dataspaces first: no large dataset is read before
  // the whole graph's shapes agree.
  Result<File> file = readInChildProcess(path, [&]() -> Result<File> {
    Result<File> whole = readStructure();
    if (!whole)
      return whole;
    Result<FlatGraph> flat = flattenGraph(*whole);
    if (!flat)
      return flat.takeError();
    if (Status s = inferShapes(*flat); !s)
      return s.takeError();
    if (Status s = loadParameters(*whole, *flat); !s)
      return s.takeError();
    return whole;
  });
  if (!file)
    return report(context, path, file.takeError());
  // The parent's own graph over the File it got back (every parameter in
  // use is loaded; loadParameters checks them again).
  Result<FlatGraph> flat = flattenGraph(*file);
  if (!flat)
    return report(context, path, flat.takeError());
  if (Status s = inferShapes(*flat); !s)
    return report(context, path, s.takeError());
  if (Status s = loadParameters(*file, *flat); !s)
    return report(context, path, s.takeError());
  Result<Lowered> lowered = lowerGraph(*flat, options.dt);
  if (!lowered)
    return report(context, path, lowered.takeError());
  for (const Error &warning : lowered->warnings)
    emitWarning(locate(context, path, warning.subject)) << warning.message;
  std::string name = options.networkName;
  if (name.empty())
    name = llvm::sys::path::stem(path).str();
  Builder builder(context, *flat, *lowered, options);
  return builder.build(name);
}

} // namespace

FailureOr<OwningOpRef<ModuleOp>>
importNIRFile(const std::string &path, MLIRContext &context,
              const NIRImportOptions &options) {
  return importWith(path, context, options, [&] { return readFile(path); });
}

FailureOr<OwningOpRef<ModuleOp>>
importNIRFileImage(const void *data, size_t size, const std::string &name,
                   MLIRContext &context, const NIRImportOptions &options) {
  return importWith(name, context, options,
                    [&] { return readFileImage(data, size, name); });
}

} // namespace cajal::nir
