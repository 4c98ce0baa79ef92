//===- Discretize.cpp - snn-discretize: continuous -> per-step params -----===//
//
// For every population with #snn.continuous parameters, each neuron's
// fields (shared or per neuron) are handed to cajal::mapping::discretize
// with the network's dt; the per-step results become #snn.discrete fields,
// collapsed to one value when all neurons agree. Then every projection
// `bias` b (a constant input current, NIR's Affine bias) is folded into its
// post population: bias += b * input_scale / decay_u, the steady-state
// contribution of a constant input through the synaptic current (exact for
// if, lif and li, where decay_u = 1). An Izhikevich population keeps its
// #snn.izhikevich parameters (its program steps 1 ms in the model's units;
// the population verifier holds dt to that); a bias is added to its current.
//
//===----------------------------------------------------------------------===//
#include "cajal/Mapping/Discretize.h"
#include "cajal/Transforms/Passes.h"

#include <cmath>

namespace cajal {
#define GEN_PASS_DEF_SNNDISCRETIZE
#include "cajal/Transforms/Passes.h.inc"
} // namespace cajal

using namespace mlir;
using namespace cajal;
using namespace cajal::snn;

namespace {

mapping::NeuronModel toMapping(NeuronModel model) {
  switch (model) {
  case NeuronModel::IF:
    return mapping::NeuronModel::IF;
  case NeuronModel::LIF:
    return mapping::NeuronModel::LIF;
  case NeuronModel::CubaLIF:
    return mapping::NeuronModel::CubaLIF;
  case NeuronModel::LI:
    return mapping::NeuronModel::LI;
  case NeuronModel::AdaptiveLIF:
    return mapping::NeuronModel::AdaptiveLIF;
  case NeuronModel::Izhikevich:
  case NeuronModel::Equations:
    break; // never continuous (the population verifier)
  }
  return mapping::NeuronModel::LIF;
}

mapping::ResetMode toMapping(Reset reset) {
  return reset == Reset::Subtract ? mapping::ResetMode::Subtract
                                  : mapping::ResetMode::Zero;
}

/// Number of distinct neurons to discretize: 1 when every field is shared.
size_t distinctNeurons(Attribute params, size_t size) {
  size_t n = 1;
  forEachField(params, [&](StringRef, Attribute field, bool) {
    if (auto a = dyn_cast_or_null<DenseF64ArrayAttr>(field); a && a.size() > 1)
      n = size;
    if (auto a = dyn_cast_or_null<DenseI64ArrayAttr>(field); a && a.size() > 1)
      n = size;
  });
  return n;
}

mapping::ContinuousParams neuronParams(ContinuousParamsAttr c, size_t i) {
  mapping::ContinuousParams p;
  p.tauMem = fieldAt(c.getTauMem(), i, 0);
  p.tauSyn = fieldAt(c.getTauSyn(), i, 0);
  p.vTh = fieldAt(c.getVTh(), i, 1);
  p.vLeak = fieldAt(c.getVLeak(), i, 0);
  p.vReset = fieldAt(c.getVReset(), i, 0);
  p.r = fieldAt(c.getR(), i, 1);
  p.bias = fieldAt(c.getBias(), i, 0);
  p.tRef = fieldAt(c.getTRef(), i, 0);
  p.wIn = fieldAt(c.getWIn(), i, 1);
  p.tauA = fieldAt(c.getTauA(), i, 0);
  p.beta = fieldAt(c.getBeta(), i, 0);
  if (c.getJump())
    p.jump = fieldAt(c.getJump(), i, 0);
  p.reset = toMapping(c.getReset());
  return p;
}

/// The #snn.discrete attribute of a list of per-neuron results.
DiscreteParamsAttr toAttr(MLIRContext *ctx,
                          ArrayRef<mapping::DiscreteParams> neurons,
                          Reset reset, bool spiking, bool adaptive) {
  SmallVector<double> decayU, decayV, vth, bias, scale, offset;
  SmallVector<double> decayA, jump, beta;
  SmallVector<int64_t> refractory;
  for (const mapping::DiscreteParams &d : neurons) {
    decayU.push_back(d.decayU);
    decayV.push_back(d.decayV);
    vth.push_back(d.vTh);
    bias.push_back(d.bias);
    scale.push_back(d.inputScale);
    offset.push_back(d.vOffset);
    refractory.push_back(int64_t(d.refractory));
    if (adaptive) {
      decayA.push_back(d.decayA);
      jump.push_back(d.jump);
      beta.push_back(d.beta);
    }
  }
  return DiscreteParamsAttr::get(
      ctx, makeRealField(ctx, decayU), makeRealField(ctx, decayV),
      spiking ? makeRealField(ctx, vth) : Attribute(), makeRealField(ctx, bias),
      makeRealField(ctx, scale), makeIntField(ctx, refractory),
      makeRealField(ctx, offset), makeRealField(ctx, decayA),
      makeRealField(ctx, jump), makeRealField(ctx, beta), reset);
}

/// The discrete v is the model's v less v_offset (docs/mapping.md): an
/// initial v moves with it.
LogicalResult shiftInitialV(PopulationOp pop, ArrayRef<double> offsets) {
  DictionaryAttr initial = pop.getInitialAttr();
  Attribute v = initial ? initial.get("v") : Attribute();
  if (!v || llvm::all_of(offsets, [](double o) { return o == 0; }))
    return success();
  MLIRContext *ctx = pop.getContext();
  Attribute shifted;
  if (std::optional<DistributionParams> d = distributionParams(v)) {
    if (!llvm::all_equal(offsets))
      return pop.emitOpError()
             << "population @" << pop.getSymName()
             << ": initial 'v' is drawn from one distribution, but v_reset "
                "differs between neurons (the chip's v is the model's less "
                "v_reset); give one v_reset or the initial v per neuron";
    const double off = offsets.front();
    if (d->kind == DistributionParams::Lognormal)
      return pop.emitOpError()
             << "population @" << pop.getSymName()
             << ": a lognormal initial 'v' cannot be shifted by v_reset = "
             << off
             << " (the chip's v is the model's less v_reset); use "
                "#snn.normal or #snn.uniform, or v_reset = 0";
    if (d->kind == DistributionParams::Normal)
      d->a -= off;
    d->low -= off;
    d->high -= off;
    shifted = makeDistribution(ctx, *d);
  } else {
    SmallVector<double> values;
    if (failed(readField(v, values)))
      return failure(); // the verifier reported it
    const size_t n = std::max(values.size(), offsets.size());
    SmallVector<double> out(n);
    for (size_t i = 0; i < n; ++i)
      out[i] = values[values.size() == 1 ? 0 : i] -
               offsets[offsets.size() == 1 ? 0 : i];
    shifted = makeRealField(ctx, out);
  }
  NamedAttrList entries(initial);
  entries.set("v", shifted);
  pop.setInitialAttr(entries.getDictionary(ctx));
  return success();
}

LogicalResult discretizePopulation(PopulationOp pop, double dt,
                                   mapping::DiscretizeMethod method) {
  auto c = cast<ContinuousParamsAttr>(pop.getParams());
  const size_t count = distinctNeurons(c, size_t(pop.getSize()));
  SmallVector<mapping::DiscreteParams> neurons;
  neurons.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    Result<mapping::DiscreteParams> d = mapping::discretize(
        toMapping(pop.getModel()), neuronParams(c, i), dt, method);
    if (!d) {
      InFlightDiagnostic diag = pop.emitOpError()
                                << "cannot be discretized: " << d.error();
      if (count > 1)
        diag << " (neuron " << i << ")";
      return diag;
    }
    neurons.push_back(*d);
  }
  pop.setParamsAttr(toAttr(pop.getContext(), neurons, c.getReset(),
                           pop.getModel() != NeuronModel::LI,
                           pop.getModel() == NeuronModel::AdaptiveLIF));
  SmallVector<double> offsets;
  for (const mapping::DiscreteParams &d : neurons)
    offsets.push_back(d.vOffset);
  return shiftInitialV(pop, offsets);
}

/// Fold a projection's bias into its (discrete) post population.
LogicalResult foldBias(ProjectionOp proj) {
  PopulationOp post = proj.getPostPopulation();
  ArrayRef<double> b = *proj.getBias();
  MLIRContext *ctx = proj.getContext();
  // Izhikevich: the bias is a current in the model's units, as is I.
  if (auto iz = dyn_cast<IzhikevichParamsAttr>(post.getParams())) {
    SmallVector<double> bias;
    for (size_t i = 0; i < b.size(); ++i)
      bias.push_back(fieldAt(iz.getBias(), i, 0) + b[i]);
    post.setParamsAttr(IzhikevichParamsAttr::get(ctx, iz.getA(), iz.getB(),
                                                 iz.getC(), iz.getD(),
                                                 makeRealField(ctx, bias)));
    proj.removeBiasAttr();
    return success();
  }
  auto d = dyn_cast<DiscreteParamsAttr>(post.getParams());
  if (!d)
    return proj.emitOpError(
        "has a 'bias' but its post population is not discrete; the bias "
        "cannot be folded");
  SmallVector<double> bias;
  for (size_t i = 0; i < b.size(); ++i) {
    const double scale = fieldAt(d.getInputScale(), i, 1);
    const double decayU = fieldAt(d.getDecayU(), i, 1);
    if (!(decayU > 0))
      return proj.emitOpError() << "cannot fold its 'bias': post neuron " << i
                                << " has decay_u = 0 (a constant input "
                                   "grows without bound)";
    bias.push_back(fieldAt(d.getBias(), i, 0) + b[i] * scale / decayU);
  }
  post.setParamsAttr(DiscreteParamsAttr::get(
      ctx, d.getDecayU(), d.getDecayV(), d.getVTh(), makeRealField(ctx, bias),
      d.getInputScale(), d.getRefractory(), d.getVOffset(), d.getDecayA(),
      d.getJump(), d.getBeta(), d.getReset()));
  proj.removeBiasAttr();
  return success();
}

struct SNNDiscretize : public cajal::impl::SNNDiscretizeBase<SNNDiscretize> {
  using Base::Base;

  void runOnOperation() override {
    NetworkOp net = getOperation();
    mapping::DiscretizeMethod m;
    if (method == "exact")
      m = mapping::DiscretizeMethod::ExactExponential;
    else if (method == "euler")
      m = mapping::DiscretizeMethod::ForwardEuler;
    else {
      net.emitError() << "snn-discretize: unknown method '" << method
                      << "' (expected exact or euler)";
      return signalPassFailure();
    }
    bool ok = true;
    for (auto pop : net.getBodyBlock()->getOps<PopulationOp>())
      if (isa<ContinuousParamsAttr>(pop.getParams()))
        ok &= succeeded(discretizePopulation(pop, *net.getTimeStep(), m));
    if (!ok)
      return signalPassFailure();
    for (auto proj : net.getBodyBlock()->getOps<ProjectionOp>())
      if (proj.getBias())
        ok &= succeeded(foldBias(proj));
    if (!ok)
      signalPassFailure();
  }
};

} // namespace
