//===- Quantize.cpp - snn-quantize: per-step params -> chip integers ------===//
//
// Population by population: the #snn.discrete neurons, together with the
// largest incoming weight (|w| x input_scale over every projection onto
// the population), fix one scale s (integer v units per model unit) via
// cajal::mapping::choosePopulationScale; each neuron is then quantized with
// mapping::quantizeNeuron. Every projection onto the population gets the
// smallest weight exponent that holds its largest weight
// (mapping::chooseWeightScale), integer mantissas in place of its float
// weights, and its relative L2 quantization error as `quant_error` and as
// a remark. A reward projection's weights are in units of the third factor
// r: they are quantized with scale 1 and do not bound the population's.
//
//===----------------------------------------------------------------------===//
#include "cajal/Mapping/Quantize.h"
#include "cajal/Conversion/SNNToMapping.h"
#include "cajal/Mapping/Connectivity.h"
#include "cajal/Mapping/Programs.h"
#include "cajal/Transforms/LowerEquations.h"
#include "cajal/Transforms/Passes.h"
#include "llvm/ADT/DenseSet.h"

#include <cmath>
#include <cstdio>

namespace cajal {
#define GEN_PASS_DEF_SNNQUANTIZE
#include "cajal/Transforms/Passes.h.inc"
} // namespace cajal

using namespace mlir;
using namespace cajal;
using namespace cajal::snn;

namespace {

/// The weight distribution of a random rule that draws its weights.
std::optional<mapping::Distribution> weightDistribution(Attribute conn) {
  Attribute weight;
  if (auto prob = dyn_cast<FixedProbAttr>(conn))
    weight = prob.getWeight();
  else if (auto number = dyn_cast<FixedNumberAttr>(conn))
    weight = number.getWeight();
  std::optional<DistributionParams> d = distributionParams(weight);
  if (!d)
    return std::nullopt;
  return toDistribution(*d);
}

/// The same random rule with `weight` in place of its weight.
Attribute withWeight(Attribute conn, Attribute weight) {
  MLIRContext *ctx = conn.getContext();
  if (auto rule = dyn_cast<FixedNumberAttr>(conn))
    return FixedNumberAttr::get(ctx, rule.getKind(), rule.getCount(),
                                rule.getSeed(), weight, rule.getAllowSelf(),
                                rule.getAllowMultapses(), rule.getDelay());
  auto rule = cast<FixedProbAttr>(conn);
  return FixedProbAttr::get(ctx, rule.getP(), rule.getSeed(), weight,
                            rule.getAllowSelf(), rule.getDelay());
}

/// The float weights of a projection, in the rule's own order.
LogicalResult readWeights(ProjectionOp proj, SmallVectorImpl<double> &out) {
  Attribute conn = proj.getConnectivity();
  LogicalResult read = failure();
  if (auto dense = dyn_cast<DenseAttr>(conn))
    read = readElements(dense.getWeights(), out);
  else if (auto sparse = dyn_cast<SparseAttr>(conn))
    read = readElements(sparse.getWeights(), out);
  else if (auto conv = dyn_cast<Conv2dAttr>(conn))
    read = readElements(conv.getKernel(), out);
  else if (auto oneToOne = dyn_cast<OneToOneAttr>(conn))
    read = readField(oneToOne.getWeight(), out);
  else if (std::optional<mapping::Distribution> d = weightDistribution(conn)) {
    // The extremes of the draws bound the scale like any weights.
    const mapping::Support support = mapping::supportOf(*d);
    out.push_back(support.low);
    out.push_back(support.high);
    read = success();
  } else if (auto fixedProb = dyn_cast<FixedProbAttr>(conn))
    read = readField(fixedProb.getWeight(), out);
  else if (auto fixedNumber = dyn_cast<FixedNumberAttr>(conn))
    read = readField(fixedNumber.getWeight(), out);
  if (failed(read))
    return proj.emitOpError("the data of its weights is not available (an "
                            "elided resource blob?)");
  for (auto [i, w] : llvm::enumerate(out))
    if (!std::isfinite(w))
      return proj.emitOpError()
             << "weight " << i << " is " << w << "; weights must be finite";
  return success();
}

/// A projection whose weights were not all zero but whose mantissas all
/// are: it carries nothing on the chip.
struct ZeroedProjection {
  ProjectionOp proj;
  double largest = 0;     ///< largest |weight|
  double weightScale = 0; ///< integer units per unit of weight
  double step = 0;        ///< the smallest weight step, integer units
};

/// The same rule with integer mantissas in place of its weights.
Attribute withMantissas(ProjectionOp proj, ArrayRef<int32_t> mantissas) {
  MLIRContext *ctx = proj.getContext();
  Attribute conn = proj.getConnectivity();
  // Named after network and projection: unique across networks, so blob
  // names do not depend on the order in which networks are quantized.
  auto net = proj->getParentOfType<NetworkOp>();
  const std::string blob =
      (net.getSymName() + "_" + proj.getSymName() + "_weights").str();
  if (auto dense = dyn_cast<DenseAttr>(conn))
    return DenseAttr::get(
        ctx,
        makeIntElements(dense.getWeights().getShapedType(), mantissas, blob));
  if (auto sparse = dyn_cast<SparseAttr>(conn))
    return SparseAttr::get(
        ctx, sparse.getPre(), sparse.getPost(),
        makeIntElements(sparse.getWeights().getShapedType(), mantissas, blob),
        sparse.getDelays());
  if (auto conv = dyn_cast<Conv2dAttr>(conn))
    return Conv2dAttr::get(
        ctx, makeIntElements(conv.getKernel().getShapedType(), mantissas, blob),
        conv.getStride(), conv.getPadding(), conv.getDilation(),
        conv.getInShape());
  SmallVector<int64_t> wide(mantissas.begin(), mantissas.end());
  if (isa<OneToOneAttr>(conn))
    return OneToOneAttr::get(ctx, makeIntField(ctx, wide));
  return withWeight(conn, makeIntField(ctx, wide));
}

mapping::DiscreteParams neuronOf(DiscreteParamsAttr d, NeuronModel model,
                                 size_t i) {
  mapping::DiscreteParams p;
  p.decayU = fieldAt(d.getDecayU(), i, 1);
  p.decayV = fieldAt(d.getDecayV(), i, 0);
  p.spiking = model != NeuronModel::LI;
  p.vTh = p.spiking ? fieldAt(d.getVTh(), i, 1) : 0;
  p.bias = fieldAt(d.getBias(), i, 0);
  p.inputScale = fieldAt(d.getInputScale(), i, 1);
  p.refractory = uint32_t(fieldAt(d.getRefractory(), i, 0));
  p.vOffset = fieldAt(d.getVOffset(), i, 0);
  p.reset = d.getReset() == Reset::Subtract ? mapping::ResetMode::Subtract
                                            : mapping::ResetMode::Zero;
  p.decayA = fieldAt(d.getDecayA(), i, 0);
  p.jump = fieldAt(d.getJump(), i, 0);
  p.beta = fieldAt(d.getBeta(), i, 0);
  return p;
}

QuantizedParamsAttr toAttr(MLIRContext *ctx,
                           ArrayRef<chip::CompartmentParams> neurons,
                           ArrayRef<mapping::AdaptationWords> adaptation,
                           Reset reset) {
  SmallVector<int64_t> decayA, jump, beta;
  for (const mapping::AdaptationWords &w : adaptation) {
    decayA.push_back(w.decayA);
    jump.push_back(w.jump);
    beta.push_back(w.beta);
  }
  SmallVector<int64_t> du, dv, vth, bm, be, ref, vmin, vmax;
  for (const chip::CompartmentParams &c : neurons) {
    du.push_back(c.decayU);
    dv.push_back(c.decayV);
    vth.push_back(c.thresholdMantissa);
    bm.push_back(c.biasMantissa);
    be.push_back(c.biasExponent);
    ref.push_back(c.refractory);
    vmin.push_back(c.vminExponent);
    vmax.push_back(c.vmaxExponent);
  }
  auto f = [&](ArrayRef<int64_t> v) { return makeIntField(ctx, v); };
  return QuantizedParamsAttr::get(ctx, f(du), f(dv), f(vth), f(bm), f(be),
                                  f(ref), f(vmin), f(vmax), f(decayA), f(jump),
                                  f(beta), reset);
}

std::string formatError(double error) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", error);
  return buffer;
}

double maxAbs(ArrayRef<double> values) {
  double m = 0;
  for (double v : values)
    m = std::max(m, std::fabs(v));
  return m;
}

class PopulationQuantizer {
public:
  PopulationQuantizer(const chip::Profile &chipProfile, unsigned headroomBits)
      : profile(chipProfile) {
    options.headroomBits = headroomBits;
  }

  LogicalResult run(PopulationOp pop, ArrayRef<ProjectionOp> incoming);
  /// On a chip without a multiplier a dendrite passes its value to its
  /// parent unscaled, so every compartment of a tree takes one voltage
  /// scale: the one that holds the largest threshold, bias and weight of
  /// any of them.
  LogicalResult shareTreeScales(NetworkOp net);
  LogicalResult runIzhikevich(PopulationOp pop,
                              ArrayRef<ProjectionOp> incoming);
  LogicalResult runEquations(PopulationOp pop, ArrayRef<ProjectionOp> incoming);

  /// Projections with a non-zero weight, and those of them whose mantissas
  /// are all 0.
  unsigned weighted = 0;
  SmallVector<ZeroedProjection> zeroed;

private:
  /// What bounds `pop`'s scale, its neurons and its incoming weights.
  struct PopulationInputs {
    SmallVector<mapping::DiscreteParams> neurons;
    SmallVector<SmallVector<double>> weights;
    double inputScale = 1;
    mapping::ScaleInputs scale;
  };
  FailureOr<PopulationInputs> readInputs(PopulationOp pop,
                                         ArrayRef<ProjectionOp> incoming);
  LogicalResult checkProgram(PopulationOp pop);
  LogicalResult quantizeProjection(ProjectionOp proj, ArrayRef<double> w,
                                   double inputScale, double scale);
  LogicalResult quantizeDistribution(ProjectionOp proj,
                                     const mapping::Distribution &d,
                                     const mapping::WeightScale &ws,
                                     double gain);

  const chip::Profile &profile;
  mapping::QuantizeOptions options;
  /// A tree compartment's scale inputs, merged over its tree
  /// (shareTreeScales).
  llvm::DenseMap<Operation *, mapping::ScaleInputs> treeScaleInputs;
};

/// The projections onto `pop` that are not yet quantized.
SmallVector<ProjectionOp> unquantizedInputs(NetworkOp net, PopulationOp pop) {
  SmallVector<ProjectionOp> incoming;
  for (auto proj : net.getBodyBlock()->getOps<ProjectionOp>())
    if (proj.getPost() == pop.getSpikes() && !proj.isQuantized())
      incoming.push_back(proj);
  return incoming;
}

FailureOr<PopulationQuantizer::PopulationInputs>
PopulationQuantizer::readInputs(PopulationOp pop,
                                ArrayRef<ProjectionOp> incoming) {
  auto d = cast<DiscreteParamsAttr>(pop.getParams());
  if (auto a = dyn_cast_or_null<DenseF64ArrayAttr>(d.getInputScale());
      a && a.size() > 1 && !llvm::all_equal(a.asArrayRef()))
    return pop.emitOpError("has a per-neuron 'input_scale'; snn-quantize "
                           "needs one input scale per population");
  PopulationInputs in;
  in.inputScale = fieldAt(d.getInputScale(), 0, 1);
  const size_t size = size_t(pop.getSize());
  for (size_t i = 0; i < size; ++i) {
    in.neurons.push_back(neuronOf(d, pop.getModel(), i));
    in.scale.maxThreshold =
        std::max(in.scale.maxThreshold, in.neurons.back().vTh);
    in.scale.maxAbsBias =
        std::max(in.scale.maxAbsBias, std::fabs(in.neurons.back().bias));
  }
  in.weights.resize(incoming.size());
  for (auto [proj, w] : llvm::zip(incoming, in.weights)) {
    if (failed(readWeights(proj, w)))
      return failure();
    // A reward projection's weights set r, not v: they leave v's scale be.
    if (ProjectionOp(proj).getReward())
      continue;
    in.scale.maxAbsWeight =
        std::max(in.scale.maxAbsWeight, maxAbs(w) * std::fabs(in.inputScale));
  }
  return in;
}

LogicalResult PopulationQuantizer::shareTreeScales(NetworkOp net) {
  if (profile.isa.multiplier)
    return success();
  llvm::StringMap<PopulationOp> byName;
  for (auto pop : net.getBodyBlock()->getOps<PopulationOp>())
    byName[pop.getSymName()] = pop;
  llvm::DenseSet<Operation *> roots;
  for (auto pop : net.getBodyBlock()->getOps<PopulationOp>())
    if (pop.isDendrite())
      roots.insert(treeRoot(pop, byName));
  llvm::DenseMap<Operation *, mapping::ScaleInputs> merged; // by root
  SmallVector<std::pair<Operation *, Operation *>> members; // (pop, root)
  for (auto pop : net.getBodyBlock()->getOps<PopulationOp>()) {
    PopulationOp root = treeRoot(pop, byName);
    if (!roots.contains(root) || !isa<DiscreteParamsAttr>(pop.getParams()) ||
        !isa<DiscreteParamsAttr>(root.getParams()))
      continue;
    FailureOr<PopulationInputs> in =
        readInputs(pop, unquantizedInputs(net, pop));
    if (failed(in))
      return failure();
    mapping::ScaleInputs &tree = merged[root];
    tree.maxThreshold = std::max(tree.maxThreshold, in->scale.maxThreshold);
    tree.maxAbsBias = std::max(tree.maxAbsBias, in->scale.maxAbsBias);
    tree.maxAbsWeight = std::max(tree.maxAbsWeight, in->scale.maxAbsWeight);
    members.push_back({pop, root});
  }
  for (auto [pop, root] : members)
    treeScaleInputs[pop] = merged[root];
  return success();
}

LogicalResult PopulationQuantizer::run(PopulationOp pop,
                                       ArrayRef<ProjectionOp> incoming) {
  FailureOr<PopulationInputs> read = readInputs(pop, incoming);
  if (failed(read))
    return failure();
  const SmallVector<mapping::DiscreteParams> &neurons = read->neurons;
  const SmallVector<SmallVector<double>> &weights = read->weights;
  const double inputScale = read->inputScale;
  const auto shared = treeScaleInputs.find(pop);
  const mapping::ScaleInputs in =
      shared != treeScaleInputs.end() ? shared->second : read->scale;
  Result<double> scale = mapping::choosePopulationScale(in, profile, options);
  if (!scale)
    return pop.emitOpError() << "cannot be quantized: " << scale.error();

  if (failed(checkProgram(pop)))
    return failure();
  SmallVector<chip::CompartmentParams> params;
  SmallVector<mapping::AdaptationWords> adaptation;
  std::vector<std::string> notes;
  const bool adaptive = pop.getModel() == NeuronModel::AdaptiveLIF;
  for (const mapping::DiscreteParams &n : neurons) {
    if (adaptive) {
      Result<mapping::AdaptationWords> w = mapping::quantizeAdaptation(
          n.decayA, n.jump, n.beta, *scale, profile.neuron);
      if (!w)
        return pop.emitOpError() << "population \"" << pop.getSymName()
                                 << "\" cannot be quantized: " << w.error()
                                 << " (neuron " << adaptation.size() << ")";
      adaptation.push_back(*w);
    }
    Result<chip::CompartmentParams> c =
        mapping::quantizeNeuron(n, *scale, profile, &notes);
    if (!c) {
      InFlightDiagnostic diag = pop.emitOpError()
                                << "cannot be quantized: " << c.error();
      if (n.reset == mapping::ResetMode::Subtract &&
          !profile.neuron.resetBySubtraction)
        diag.attachNote() << "a profile with neuron.resetBySubtraction "
                             "allows it (--profile loihi1-nir)";
      return diag;
    }
    params.push_back(*c);
  }
  std::sort(notes.begin(), notes.end());
  notes.erase(std::unique(notes.begin(), notes.end()), notes.end());
  for (const std::string &note : notes)
    pop.emitWarning() << note;
  pop.setParamsAttr(
      toAttr(pop.getContext(), params, adaptation,
             cast<DiscreteParamsAttr>(pop.getParams()).getReset()));
  pop.setVoltageScaleAttr(
      FloatAttr::get(Float64Type::get(pop.getContext()), *scale));
  for (auto [proj, w] : llvm::zip(incoming, weights))
    if (failed(quantizeProjection(proj, w, inputScale, *scale)))
      return failure();
  return success();
}

/// The population's program, when it is not the LIF family, must be one
/// the profile accepts: refused before any per-neuron work.
LogicalResult PopulationQuantizer::checkProgram(PopulationOp pop) {
  mapping::Population p;
  p.name = pop.getSymName().str();
  if (pop.getModel() == NeuronModel::AdaptiveLIF)
    p.program = mapping::PopulationProgram::AdaptiveLif;
  else if (pop.getModel() == NeuronModel::Izhikevich)
    p.program = mapping::PopulationProgram::Izhikevich;
  if (Status s = mapping::checkPopulationProgram(p, profile); !s)
    return pop.emitOpError() << s.error();
  return success();
}

/// Izhikevich: v counts 2^kIzhikevichFractionBits units per mV, and a
/// weight of w mV/ms adds w to the current I, which the program adds to v
/// in the same units: each projection's weights scale by 2^12 (input scale
/// 1). The parameters stay as they are (their words are fixed by the
/// program, chip::izhikevichParamWords).
LogicalResult
PopulationQuantizer::runIzhikevich(PopulationOp pop,
                                   ArrayRef<ProjectionOp> incoming) {
  if (failed(checkProgram(pop)))
    return failure();
  const double scale = std::ldexp(1.0, int(chip::kIzhikevichFractionBits));
  pop.setVoltageScaleAttr(
      FloatAttr::get(Float64Type::get(pop.getContext()), scale));
  for (ProjectionOp proj : incoming) {
    SmallVector<double> w;
    if (failed(readWeights(proj, w)) ||
        failed(quantizeProjection(proj, w, /*inputScale=*/1.0, scale)))
      return failure();
  }
  return success();
}

/// An equation model: the input q counts 2^-f units of the model's input,
/// f from the model's declared input range or, without one, from the most
/// the incoming weights can sum to (every presynaptic neuron spiking); the
/// weights scale by 2^f (input scale 1). Its parameters become program
/// words when the network is mapped (lowerEquationPopulations).
LogicalResult
PopulationQuantizer::runEquations(PopulationOp pop,
                                  ArrayRef<ProjectionOp> incoming) {
  if (!profile.isa.programmable)
    return pop.emitOpError()
           << "population \"" << pop.getSymName()
           << "\": model equations needs a programmable neurocore; profile \""
           << profile.name << "\" runs only the LIF family (isa.programmable)";
  auto eq = cast<EquationParamsAttr>(pop.getParams());
  auto model = SymbolTable::lookupNearestSymbolFrom<NeuronModelOp>(
      pop->getParentOp()->getParentOp(), eq.getModel());
  double magnitude =
      std::max(std::fabs(model.getInputMin()), std::fabs(model.getInputMax()));
  SmallVector<SmallVector<double>> weights;
  double reach = 0;
  for (ProjectionOp proj : incoming) {
    if (failed(readWeights(proj, weights.emplace_back())))
      return failure();
    if (proj.getReward())
      continue; // it sets r, not the input
    reach += maxAbs(weights.back()) *
             double(cast<SpikesType>(proj.getPre().getType()).getSize());
  }
  if (!std::isfinite(magnitude))
    magnitude = reach > 0 ? reach : 1.0;
  // As many fraction bits as the input's range allows, and no more than
  // the largest weight can carry.
  int bits = equationInputFractionBits(magnitude);
  double largest = 0;
  for (auto [proj, w] : llvm::zip(incoming, weights))
    if (!ProjectionOp(proj).getReward())
      largest = std::max(largest, maxAbs(w));
  if (largest > 0)
    bits = std::min(
        bits,
        int(std::floor(std::log2(mapping::largestWeight(profile) / largest))));
  const double scale = std::ldexp(1.0, bits);
  pop.setVoltageScaleAttr(
      FloatAttr::get(Float64Type::get(pop.getContext()), scale));
  for (auto [proj, w] : llvm::zip(incoming, weights))
    if (failed(quantizeProjection(proj, w, /*inputScale=*/1.0, scale)))
      return failure();
  return success();
}

LogicalResult PopulationQuantizer::quantizeProjection(ProjectionOp proj,
                                                      ArrayRef<double> w,
                                                      double inputScale,
                                                      double scale) {
  // A reward projection's weights are in units of the third factor r
  // (docs/learning.md), which a spike adds as mantissa << (weightShift +
  // exponent): no voltage or input scale applies.
  if (proj.getReward())
    inputScale = scale = 1;
  Result<mapping::WeightScale> ws =
      mapping::chooseWeightScale(maxAbs(w), inputScale, scale, profile);
  if (!ws)
    return proj.emitOpError() << "cannot be quantized: " << ws.error();
  if (std::optional<mapping::Distribution> d =
          weightDistribution(proj.getConnectivity()))
    return quantizeDistribution(proj, *d, *ws, inputScale * scale);
  SmallVector<int32_t> mantissas;
  mantissas.reserve(w.size());
  for (double v : w)
    mantissas.push_back(mapping::quantizeWeight(v, *ws, profile));
  const double largest = maxAbs(w);
  if (largest > 0) {
    ++weighted;
    if (llvm::all_of(mantissas, [](int32_t m) { return m == 0; }))
      zeroed.push_back(
          {proj, largest, inputScale * scale,
           std::ldexp(1.0, int(profile.synapse.weightShift) + ws->exponent)});
  }
  const std::vector<double> all(w.begin(), w.end());
  const double error = mapping::relativeQuantizationError(all, *ws, profile);
  MLIRContext *ctx = proj.getContext();
  proj.setConnectivityAttr(withMantissas(proj, mantissas));
  proj.setWeightExponentAttr(
      IntegerAttr::get(IntegerType::get(ctx, 64), ws->exponent));
  proj.setQuantErrorAttr(FloatAttr::get(Float64Type::get(ctx), error));
  proj.emitRemark() << "weights quantized with exponent " << int(ws->exponent)
                    << ", relative error " << formatError(error);
  return success();
}

/// A weight distribution becomes the distribution of the mantissas: each
/// synapse rounds its draw (docs/mapping.md). The error is that of rounding,
/// a uniform error of 1/12 square units, against the mantissas' mean square.
LogicalResult PopulationQuantizer::quantizeDistribution(
    ProjectionOp proj, const mapping::Distribution &d,
    const mapping::WeightScale &ws, double gain) {
  if (d.kind == mapping::Distribution::Lognormal && !(ws.factor > 0))
    return proj.emitOpError() << "cannot be quantized: a lognormal weight "
                                 "needs a positive gain, got "
                              << ws.factor;
  const mapping::Distribution m = mapping::scaledBy(d, ws.factor);
  const mapping::Support support = mapping::supportOf(m);
  const double largest =
      std::max(std::fabs(support.low), std::fabs(support.high));
  ++weighted;
  if (largest < 0.5)
    zeroed.push_back(
        {proj, largest / std::fabs(ws.factor), gain,
         std::ldexp(1.0, int(profile.synapse.weightShift) + ws.exponent)});
  const double meanSq = mapping::meanSquare(m);
  const double error = meanSq > 0 ? std::sqrt(1.0 / 12 / meanSq) : 0.0;
  MLIRContext *ctx = proj.getContext();
  proj.setConnectivityAttr(withWeight(
      proj.getConnectivity(), makeDistribution(ctx, toDistributionParams(m))));
  proj.setWeightExponentAttr(
      IntegerAttr::get(IntegerType::get(ctx, 64), ws.exponent));
  proj.setQuantErrorAttr(FloatAttr::get(Float64Type::get(ctx), error));
  proj.emitRemark() << "weight distribution quantized with exponent "
                    << int(ws.exponent) << ", relative rounding error "
                    << formatError(error);
  return success();
}

struct SNNQuantize : public cajal::impl::SNNQuantizeBase<SNNQuantize> {
  using Base::Base;

  void runOnOperation() override {
    NetworkOp net = getOperation();
    FailureOr<chip::Profile> loaded = loadProfileFor(net, profile);
    // The fit check first: quantizing is per neuron.
    if (failed(loaded) || failed(checkChipCapacity(net, *loaded)))
      return signalPassFailure();
    PopulationQuantizer quantizer(*loaded, headroomBits);
    if (failed(quantizer.shareTreeScales(net)))
      return signalPassFailure();
    warnSilentSenders(net);
    bool ok = true;
    for (auto pop : net.getBodyBlock()->getOps<PopulationOp>()) {
      // Izhikevich parameters are quantized once voltage_scale is set.
      const bool izhikevich = isa<IzhikevichParamsAttr>(pop.getParams()) &&
                              !pop.getVoltageScaleAttr();
      const bool equations = isa<EquationParamsAttr>(pop.getParams()) &&
                             !pop.getVoltageScaleAttr();
      if (!isa<DiscreteParamsAttr>(pop.getParams()) && !izhikevich &&
          !equations)
        continue;
      SmallVector<ProjectionOp> incoming = unquantizedInputs(net, pop);
      ok &= succeeded(izhikevich  ? quantizer.runIzhikevich(pop, incoming)
                      : equations ? quantizer.runEquations(pop, incoming)
                                  : quantizer.run(pop, incoming));
    }
    for (auto proj : net.getBodyBlock()->getOps<ProjectionOp>()) {
      if (!ok || proj.isQuantized())
        continue;
      ok = false;
      proj.emitOpError("still has float weights: its post population must "
                       "be #snn.discrete when snn-quantize runs");
    }
    if (!ok || failed(reportZeroed(net, quantizer, loaded->name)))
      signalPassFailure();
  }

  /// A projection from a population that never spikes (model li) carries
  /// nothing on the chip: a warning on it, with the population's place.
  static void warnSilentSenders(NetworkOp net) {
    for (auto proj : net.getBodyBlock()->getOps<ProjectionOp>()) {
      auto pre = proj.getPre().getDefiningOp<PopulationOp>();
      if (!pre || pre.getModel() != NeuronModel::LI)
        continue;
      proj.emitWarning()
              .append("projection '", proj.getSymName(), "' starts at '",
                      pre.getSymName(),
                      "', a population of model li, which never spikes: it "
                      "carries nothing on the chip")
              .attachNote(pre.getLoc())
          << "'" << pre.getSymName() << "' is declared here";
    }
  }

  /// Every weighted projection quantised to all zeros: an error on the
  /// network, a note on each; only some of them: a warning on each.
  static LogicalResult reportZeroed(NetworkOp net,
                                    const PopulationQuantizer &quantizer,
                                    StringRef profileName) {
    if (quantizer.zeroed.empty())
      return success();
    auto describe = [](Diagnostic &d, const ZeroedProjection &z) {
      d << "the largest |weight| " << z.largest << " x the weight scale "
        << z.weightScale << " (integer units per unit of weight) is below "
        << "half the smallest weight step, " << z.step << " units";
    };
    if (quantizer.zeroed.size() < quantizer.weighted) {
      for (const ZeroedProjection &z : quantizer.zeroed) {
        InFlightDiagnostic warning = ProjectionOp(z.proj).emitWarning()
                                     << "every weight of projection '"
                                     << ProjectionOp(z.proj).getSymName()
                                     << "' quantises to 0 on profile "
                                     << profileName
                                     << ", so it carries nothing on the chip: ";
        describe(*warning.getUnderlyingDiagnostic(), z);
      }
      return success();
    }
    InFlightDiagnostic error =
        net.emitError() << "every weight of network @" << net.getSymName()
                        << " quantises to 0 on profile " << profileName
                        << ": no spike would reach any neuron (projection";
    for (const ZeroedProjection &z : quantizer.zeroed)
      error << " '" << ProjectionOp(z.proj).getSymName() << "'";
    error << ")";
    for (const ZeroedProjection &z : quantizer.zeroed) {
      Diagnostic &note = error.attachNote(ProjectionOp(z.proj).getLoc());
      note << "projection '" << ProjectionOp(z.proj).getSymName() << "': ";
      describe(note, z);
    }
    return error;
  }
};

} // namespace
