//===- SNNOps.cpp - Operations of the snn dialect: builders, verifiers ----===//
//
// The verifiers check everything that can be checked without a chip
// profile: parameter kinds, per-neuron array lengths and physical ranges
// (time constants, thresholds and dt > 0), connectivity shapes against the
// pre and post sizes, probabilities in [0, 1] and delays >= 1. Each message
// names the field and the offending value.
//
//===----------------------------------------------------------------------===//
#include "cajal/Dialect/SNN/SNNOps.h"
#include "cajal/Dialect/SNN/SNNLearning.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"

#include <cmath>
#include <string>

using namespace mlir;
using namespace cajal::snn;

//===----------------------------------------------------------------------===//
// NetworkOp
//===----------------------------------------------------------------------===//

void NetworkOp::build(OpBuilder &builder, OperationState &state, StringRef name,
                      FloatAttr dt) {
  state.addAttribute(getSymNameAttrName(state.name),
                     builder.getStringAttr(name));
  if (dt)
    state.addAttribute(getDtAttrName(state.name), dt);
  Region *body = state.addRegion();
  body->emplaceBlock();
}

RegionKind NetworkOp::getRegionKind(unsigned) { return RegionKind::Graph; }

/// A name the chip image and spike files can carry: not empty.
LogicalResult cajal::snn::verifySymbolName(Operation *op) {
  auto name = op->getAttrOfType<StringAttr>(SymbolTable::getSymbolAttrName());
  if (name && name.getValue().empty())
    return op->emitOpError("needs a name: spike files and the chip image "
                           "name every population, source and projection");
  return success();
}

/// `record_as` names (NIR Output nodes) share one namespace with the
/// populations and sources in spike files: non-empty and unique.
static LogicalResult verifyRecordNames(NetworkOp net) {
  llvm::StringMap<Operation *> taken;
  for (Operation &op : *net.getBodyBlock())
    if (isa<PopulationOp, InputOp, PoissonSourceOp, PeriodicSourceOp,
            FileSourceOp>(op))
      taken[SymbolTable::getSymbolName(&op)] = &op;
  for (auto pop : net.getBodyBlock()->getOps<PopulationOp>()) {
    auto aliases = pop->getAttrOfType<ArrayAttr>("record_as");
    if (!aliases)
      continue;
    for (Attribute a : aliases) {
      auto alias = dyn_cast<StringAttr>(a);
      if (!alias || alias.getValue().empty())
        return pop.emitOpError("'record_as' names must be non-empty strings");
      auto [it, fresh] = taken.try_emplace(alias.getValue(), pop);
      if (!fresh)
        return pop.emitOpError()
                   .append("records as \"", alias.getValue(),
                           "\", a name already taken")
                   .attachNote(it->second->getLoc())
               << "the other use of \"" << alias.getValue() << "\"";
    }
  }
  return success();
}

/// Dendritic trees (PopulationOp's description), once every op of the body
/// has passed its own verifier: parents are populations
/// of this network of the same size, reached without a cycle; join
/// attributes only on a compartment with children, dendrite attributes only
/// on a dendrite; LIF-family models; no projection or probe starts at a
/// dendrite.
static LogicalResult verifyTrees(NetworkOp net) {
  llvm::StringMap<PopulationOp> byName;
  for (auto pop : net.getBodyBlock()->getOps<PopulationOp>())
    byName[pop.getSymName()] = pop;
  llvm::DenseMap<Operation *, unsigned> children;
  bool anyTree = false;
  for (auto pop : net.getBodyBlock()->getOps<PopulationOp>()) {
    if (!pop.isDendrite()) {
      for (StringRef attr : {"output", "coupling", "reset_on_bap"})
        if (pop->hasAttr(attr))
          return pop.emitOpError()
                 << "has '" << attr
                 << "' but no 'parent': only a dendrite passes a value to a "
                    "parent";
      continue;
    }
    anyTree = true;
    PopulationOp parent = byName.lookup(pop.getParentAttr().getValue());
    if (!parent)
      return pop.emitOpError()
             << "'parent' @" << pop.getParentAttr().getValue()
             << " is not a population of network @" << net.getSymName();
    if (parent.getSize() != pop.getSize())
      return pop.emitOpError()
             << "has " << pop.getSize() << " neurons but its parent @"
             << parent.getSymName() << " has " << parent.getSize()
             << ": a dendrite is one compartment of each of its tree's "
                "neurons";
    ++children[parent];
    // A chain of parents longer than the populations is a cycle.
    std::string chain = "@" + pop.getSymName().str();
    PopulationOp at = pop;
    for (size_t hops = 0; at && at.isDendrite(); ++hops) {
      at = byName.lookup(at.getParentAttr().getValue());
      if (!at)
        break;
      chain += " -> @" + at.getSymName().str();
      if (hops > byName.size() || at == pop)
        return pop.emitOpError()
               << "is in a cycle of parents: " << chain
               << "; a dendritic tree ends at a root without a parent";
    }
    if (FloatAttr c = pop.getCouplingAttr();
        c && !std::isfinite(c.getValueAsDouble()))
      return pop.emitOpError()
             << "'coupling' must be finite, got " << c.getValueAsDouble();
  }
  if (!anyTree && llvm::none_of(net.getBodyBlock()->getOps<PopulationOp>(),
                                [](PopulationOp p) {
                                  return p.getJoinAttr() ||
                                         p.getJoinWeightAttr();
                                }))
    return success();
  for (auto pop : net.getBodyBlock()->getOps<PopulationOp>()) {
    const bool inTree = pop.isDendrite() || children.count(pop);
    if (!children.count(pop)) {
      for (StringRef attr : {"join", "join_weight"})
        if (pop->hasAttr(attr))
          return pop.emitOpError()
                 << "has '" << attr
                 << "' but no dendrite names it as 'parent': there is "
                    "nothing to join";
    }
    if (FloatAttr w = pop.getJoinWeightAttr()) {
      const Join join = pop.getJoin().value_or(Join::Add);
      if (join != Join::And && join != Join::Or)
        return pop.emitOpError()
               << "has 'join_weight' but joins with '" << stringifyJoin(join)
               << "': only 'and' and 'or' weigh their 0 or 1";
      if (!std::isfinite(w.getValueAsDouble()))
        return pop.emitOpError()
               << "'join_weight' must be finite, got " << w.getValueAsDouble();
    }
    if (!inTree)
      continue;
    switch (pop.getModel()) {
    case NeuronModel::IF:
    case NeuronModel::LIF:
    case NeuronModel::CubaLIF:
    case NeuronModel::LI:
      break;
    default:
      return pop.emitOpError()
             << "is a compartment of a dendritic tree with model '"
             << stringifyNeuronModel(pop.getModel())
             << "'; a tree's compartments run the LIF family (if, lif, "
                "cuba_lif, li)";
    }
    if (pop.isDendrite() && (pop.getInitial() || pop->hasAttr("record_as")))
      return pop.emitOpError()
             << "is a dendrite with '"
             << (pop.getInitial() ? "initial" : "record_as")
             << "'; a dendrite starts at rest and has no spikes to record";
  }
  auto isDendrite = [](Value v) {
    auto pop = v.getDefiningOp<PopulationOp>();
    return pop && pop.isDendrite();
  };
  for (Operation &op : *net.getBodyBlock()) {
    if (auto proj = dyn_cast<ProjectionOp>(op);
        proj && isDendrite(proj.getPre()))
      return proj.emitOpError()
             << "starts at dendrite @"
             << proj.getPre().getDefiningOp<PopulationOp>().getSymName()
             << ", which never spikes; a projection starts at its tree's root";
    if (auto probe = dyn_cast<ProbeOp>(op);
        probe && isDendrite(probe.getTarget()))
      return probe.emitOpError()
             << "records dendrite @"
             << probe.getTarget().getDefiningOp<PopulationOp>().getSymName()
             << ", which has no spikes; probe its tree's root";
  }
  return success();
}

LogicalResult NetworkOp::verify() {
  if (FloatAttr dt = getDtAttr(); dt && !(dt.getValueAsDouble() > 0 &&
                                          std::isfinite(dt.getValueAsDouble())))
    return emitOpError() << "'dt' must be finite and > 0, got "
                         << dt.getValueAsDouble();
  if (failed(verifySymbolName(*this)))
    return failure();
  if (std::optional<int64_t> epoch = getLearningEpoch(); epoch && *epoch < 1)
    return emitOpError() << "'learning_epoch' must be >= 1 step, got "
                         << *epoch;
  if (std::optional<int64_t> seed = getLearningSeed(); seed && *seed < 0)
    return emitOpError() << "'learning_seed' must be >= 0, got " << *seed;
  return verifyRecordNames(*this);
}

// After the populations' own verifiers: the trees read their models.
/// Post-synaptic traces are per population (chip::Population::postTraces):
/// every learning projection onto one population must give the same y1, y2,
/// y3. Runs after the projections' verifiers, so each rule expands.
static LogicalResult verifyPostTraces(NetworkOp net) {
  llvm::DenseMap<Operation *, std::pair<ProjectionOp, std::array<TraceSpec, 3>>>
      first;
  for (auto proj : net.getBodyBlock()->getOps<ProjectionOp>()) {
    if (!proj.getLearningAttr())
      continue;
    FailureOr<LearningSpec> spec = expandLearning(
        proj.getLearningAttr(), [&] { return proj.emitOpError(); });
    PopulationOp post = proj.getPostPopulation();
    if (failed(spec) || !post)
      return failure();
    const std::array<TraceSpec, 3> traces = spec->postTraces();
    auto [it, inserted] = first.try_emplace(post, proj, traces);
    if (inserted)
      continue;
    for (unsigned k = 0; k < 3; ++k)
      if (traces[k] != it->second.second[k]) {
        const TraceSpec &a = it->second.second[k], &b = traces[k];
        InFlightDiagnostic diag =
            proj.emitOpError()
            << "projection @" << proj.getSymName()
            << ": its post-synaptic trace " << kLearningTraceNames[2 + k]
            << " (impulse " << formatNumber(b.impulse) << ", tau "
            << formatNumber(b.tau) << ") differs from that of projection @"
            << it->second.first.getSymName() << " (impulse "
            << formatNumber(a.impulse) << ", tau " << formatNumber(a.tau)
            << "), which also learns onto @" << post.getSymName()
            << "; a population has one set of post-synaptic traces";
        diag.attachNote(it->second.first.getLoc())
            << "projection @" << it->second.first.getSymName() << " is here";
        return diag;
      }
  }
  return success();
}

LogicalResult NetworkOp::verifyRegions() {
  if (failed(verifyTrees(*this)))
    return failure();
  return verifyPostTraces(*this);
}

//===----------------------------------------------------------------------===//
// Populations
//===----------------------------------------------------------------------===//

namespace {

/// "population @name: ", in front of every message about a population's
/// parameters.
std::string populationPrefix(Operation *op) {
  auto name = op->getAttrOfType<StringAttr>(SymbolTable::getSymbolAttrName());
  return ("population @" + (name ? name.getValue() : StringRef("?")) + ": ")
      .str();
}

/// Check one numeric field: kind, length, and `ok(value)` for every value.
LogicalResult checkField(Operation *op, StringRef name, Attribute field,
                         bool integral, int64_t size,
                         function_ref<bool(double)> ok, StringRef what) {
  SmallVector<double> values;
  if (failed(readField(field, values, integral)))
    return op->emitOpError()
           << populationPrefix(op) << "parameter '" << name << "' must be "
           << (integral ? "an integer or array<i64>" : "a number or array<f64>")
           << ", got " << field;
  if (values.size() > 1 && int64_t(values.size()) != size)
    return op->emitOpError()
           << populationPrefix(op) << "parameter '" << name << "' has "
           << values.size() << " values but the population has " << size
           << " neurons";
  for (auto [i, v] : llvm::enumerate(values)) {
    // NaN and infinities pass no physical check: the chip would fire every
    // neuron every step (or never).
    const bool finite = std::isfinite(v);
    if (finite && ok(v))
      continue;
    InFlightDiagnostic diag = op->emitOpError()
                              << populationPrefix(op) << "parameter '" << name
                              << "' must be "
                              << (finite ? what : StringRef("finite"))
                              << ", got " << v;
    if (values.size() > 1)
      diag << " (neuron " << i << ")";
    return diag;
  }
  return success();
}

bool positive(double v) { return v > 0; }
bool nonNegative(double v) { return v >= 0; }
bool unitInterval(double v) { return v >= 0 && v <= 1; }
bool anyValue(double) { return true; }

LogicalResult requireField(PopulationOp op, Attribute field, StringRef name) {
  if (field)
    return success();
  return op.emitOpError() << populationPrefix(op) << "model '"
                          << stringifyNeuronModel(op.getModel())
                          << "' needs parameter '" << name << "'";
}

/// The adaptation fields (`fields`, name and value) belong to model
/// adaptive_lif: required there, refused on every other model.
LogicalResult
verifyAdaptationFields(PopulationOp op,
                       ArrayRef<std::pair<StringRef, Attribute>> fields,
                       ArrayRef<StringRef> required) {
  const bool adaptive = op.getModel() == NeuronModel::AdaptiveLIF;
  for (auto [name, field] : fields) {
    if (adaptive && !field && llvm::is_contained(required, name))
      return requireField(op, field, name);
    if (!adaptive && field)
      return op.emitOpError()
             << "population @" << op.getSymName() << ": parameter '" << name
             << "' belongs to model 'adaptive_lif', not '"
             << stringifyNeuronModel(op.getModel()) << "'";
  }
  return success();
}

/// adaptive_lif resets v to zero (its program's FIRE.zero).
LogicalResult verifyAdaptiveReset(PopulationOp op, Reset reset) {
  if (op.getModel() != NeuronModel::AdaptiveLIF || reset == Reset::Zero)
    return success();
  return op.emitOpError() << "population @" << op.getSymName()
                          << ": model 'adaptive_lif' resets v to zero; "
                             "reset = subtract is not available";
}

/// The models izhikevich and equations take their own parameter attributes
/// (#snn.izhikevich, #snn.equations), and only they do.
LogicalResult verifyModelMatchesParams(PopulationOp op) {
  for (auto [model, matches, attrName] :
       {std::tuple{NeuronModel::Izhikevich,
                   isa<IzhikevichParamsAttr>(op.getParams()),
                   "#snn.izhikevich"},
        std::tuple{NeuronModel::Equations,
                   isa<EquationParamsAttr>(op.getParams()),
                   "#snn.equations"}}) {
    const bool isModel = op.getModel() == model;
    if (isModel == matches)
      continue;
    if (isModel)
      return op.emitOpError()
             << "population @" << op.getSymName() << ": model '"
             << stringifyNeuronModel(model) << "' takes " << attrName
             << " parameters, got " << op.getParams();
    return op.emitOpError()
           << "population @" << op.getSymName() << ": " << attrName
           << " parameters need model '" << stringifyNeuronModel(model)
           << "', got '" << stringifyNeuronModel(op.getModel()) << "'";
  }
  return success();
}

/// #snn.equations: the model exists beside the network, and every value
/// names one of its parameters and is finite, a scalar or one per neuron.
LogicalResult verifyEquations(PopulationOp op, EquationParamsAttr params) {
  Operation *scope =
      op->getParentOp() ? op->getParentOp()->getParentOp() : nullptr;
  auto model = scope ? SymbolTable::lookupNearestSymbolFrom<NeuronModelOp>(
                           scope, params.getModel())
                     : NeuronModelOp();
  if (!model)
    return op.emitOpError()
           << "population @" << op.getSymName() << ": no snn.neuron_model "
           << params.getModel() << " beside the network";
  for (NamedAttribute value : params.getValues()) {
    const StringRef name = value.getName().getValue();
    if (int k = model.findState(name); k >= 0) {
      auto initial = dyn_cast<FloatAttr>(value.getValue());
      const double lo = model.getStateLower()[size_t(k)],
                   hi = model.getStateUpper()[size_t(k)];
      if (!initial || !std::isfinite(initial.getValueAsDouble()) ||
          initial.getValueAsDouble() < lo || initial.getValueAsDouble() > hi)
        return op.emitOpError()
               << "population @" << op.getSymName() << ": the initial value "
               << "of state '" << name << "' must be one finite f64 in [" << lo
               << ", " << hi << "], got " << value.getValue();
      continue;
    }
    if (model.findParam(name) < 0)
      return op.emitOpError() << "population @" << op.getSymName() << ": model "
                              << params.getModel()
                              << " has no parameter or state '" << name << "'";
    SmallVector<double> values;
    if (auto f = dyn_cast<FloatAttr>(value.getValue()))
      values.push_back(f.getValueAsDouble());
    else if (auto a = dyn_cast<DenseF64ArrayAttr>(value.getValue()))
      values.assign(a.asArrayRef().begin(), a.asArrayRef().end());
    else
      return op.emitOpError()
             << "population @" << op.getSymName() << ": parameter '" << name
             << "' must be an f64 or an array<f64: ...>, got "
             << value.getValue();
    if (values.size() != 1 && int64_t(values.size()) != op.getSize())
      return op.emitOpError()
             << "population @" << op.getSymName() << ": parameter '" << name
             << "' has " << values.size() << " values for " << op.getSize()
             << " neurons";
    for (auto [i, v] : llvm::enumerate(values))
      if (!std::isfinite(v))
        return op.emitOpError()
               << "population @" << op.getSymName() << ": parameter '" << name
               << "' of neuron " << i << " is " << v
               << "; parameters are finite";
  }
  return success();
}

/// One Izhikevich field: finite, and `ok` for every neuron.
LogicalResult checkIzhikevichField(PopulationOp op, StringRef name,
                                   Attribute field,
                                   function_ref<bool(double)> ok,
                                   StringRef what) {
  SmallVector<double> values;
  if (failed(readField(field, values)))
    return op.emitOpError()
           << "population @" << op.getSymName() << ": parameter '" << name
           << "' must be a number or array<f64>, got " << field;
  if (values.size() > 1 && int64_t(values.size()) != op.getSize())
    return op.emitOpError()
           << "population @" << op.getSymName() << ": parameter '" << name
           << "' has " << values.size() << " values but the population has "
           << op.getSize() << " neurons";
  for (auto [i, v] : llvm::enumerate(values)) {
    const bool finite = std::isfinite(v);
    if (finite && ok(v))
      continue;
    InFlightDiagnostic diag = op.emitOpError()
                              << "population @" << op.getSymName()
                              << ": parameter '" << name << "' must be "
                              << (finite ? what : StringRef("finite"))
                              << ", got " << v;
    if (values.size() > 1)
      diag << " (neuron " << i << ")";
    return diag;
  }
  return success();
}

/// Izhikevich's program takes 1 ms steps.
constexpr double kIzhikevichStep = 1.0e-3;

LogicalResult verifyIzhikevich(PopulationOp op, IzhikevichParamsAttr p) {
  auto recoveryRate = [](double a) { return a > 0 && a <= 1; };
  auto belowPeak = [](double c) { return c < 30; };
  if (failed(checkIzhikevichField(op, "a", p.getA(), recoveryRate,
                                  "in (0, 1] (1/ms)")) ||
      failed(checkIzhikevichField(op, "b", p.getB(), anyValue, "")) ||
      failed(checkIzhikevichField(op, "c", p.getC(), belowPeak,
                                  "below the 30 mV spike peak")) ||
      failed(checkIzhikevichField(op, "d", p.getD(), anyValue, "")) ||
      failed(checkIzhikevichField(op, "bias", p.getBias(), anyValue, "")))
    return failure();
  auto network = op->getParentOfType<NetworkOp>();
  if (!network)
    return success();
  std::optional<double> dt = network.getTimeStep();
  if (!dt)
    return op.emitOpError()
           << "population @" << op.getSymName()
           << ": model 'izhikevich' steps 1 ms at a time, but network @"
           << network.getSymName() << " has no 'dt' (give dt = 1.0e-3)";
  if (std::fabs(*dt - kIzhikevichStep) > 1e-9 * kIzhikevichStep)
    return op.emitOpError()
           << "population @" << op.getSymName()
           << ": model 'izhikevich' steps 1 ms at a time (its neurocore "
              "program's Euler step), but network @"
           << network.getSymName() << " has dt = " << *dt << " s";
  return success();
}

LogicalResult verifyContinuous(PopulationOp op, ContinuousParamsAttr p) {
  const NeuronModel model = op.getModel();
  if (failed(verifyAdaptationFields(op,
                                    {{"tau_a", p.getTauA()},
                                     {"beta", p.getBeta()},
                                     {"jump", p.getJump()}},
                                    {"tau_a", "beta"})) ||
      failed(verifyAdaptiveReset(op, p.getReset())))
    return failure();
  if (model != NeuronModel::IF &&
      failed(requireField(op, p.getTauMem(), "tau_mem")))
    return failure();
  if (model == NeuronModel::CubaLIF &&
      failed(requireField(op, p.getTauSyn(), "tau_syn")))
    return failure();
  if (model != NeuronModel::LI && failed(requireField(op, p.getVTh(), "v_th")))
    return failure();
  const int64_t n = op.getSize();
  Operation *o = op;
  if (failed(
          checkField(o, "tau_mem", p.getTauMem(), false, n, positive, "> 0")) ||
      failed(
          checkField(o, "tau_syn", p.getTauSyn(), false, n, positive, "> 0")) ||
      failed(checkField(o, "v_th", p.getVTh(), false, n,
                        p.getVReset() ? anyValue : positive, "> 0")) ||
      failed(checkField(o, "r", p.getR(), false, n, positive, "> 0")) ||
      failed(
          checkField(o, "t_ref", p.getTRef(), false, n, nonNegative, ">= 0")) ||
      failed(checkField(o, "v_leak", p.getVLeak(), false, n, anyValue, "")) ||
      failed(checkField(o, "v_reset", p.getVReset(), false, n, anyValue, "")) ||
      failed(checkField(o, "bias", p.getBias(), false, n, anyValue, "")) ||
      failed(checkField(o, "w_in", p.getWIn(), false, n, anyValue, "")) ||
      failed(checkField(o, "tau_a", p.getTauA(), false, n, positive, "> 0")) ||
      failed(checkField(o, "beta", p.getBeta(), false, n, anyValue, "")) ||
      failed(checkField(o, "jump", p.getJump(), false, n, anyValue, "")))
    return failure();
  // The chip resets v to 0: with a zero reset, v is shifted by v_reset, so
  // the threshold must lie above the reset potential.
  // Per neuron only as far as the longer of the two fields (both scalars:
  // once, however large the population).
  SmallVector<double> thresholds, resets;
  (void)readField(p.getVTh(), thresholds);
  (void)readField(p.getVReset(), resets);
  const int64_t compared = int64_t(std::max(thresholds.size(), resets.size()));
  if (p.getVTh() && p.getVReset() && p.getReset() == Reset::Zero)
    for (int64_t i = 0; i < compared; ++i) {
      const double vth = fieldAt(p.getVTh(), i, 0);
      const double vreset = fieldAt(p.getVReset(), i, 0);
      if (vth > vreset)
        continue;
      return op.emitOpError()
             << "parameter 'v_th' = " << vth
             << " must be > v_reset = " << vreset << " (neuron " << i << ")";
    }
  auto network = op->getParentOfType<NetworkOp>();
  if (network && !network.getDt())
    return op.emitOpError() << "has continuous parameters but network @"
                            << network.getSymName() << " has no 'dt'";
  return success();
}

LogicalResult verifyDiscrete(PopulationOp op, DiscreteParamsAttr p) {
  if (failed(verifyAdaptationFields(op,
                                    {{"decay_a", p.getDecayA()},
                                     {"jump", p.getJump()},
                                     {"beta", p.getBeta()}},
                                    {"decay_a", "jump", "beta"})) ||
      failed(verifyAdaptiveReset(op, p.getReset())))
    return failure();
  if (op.getModel() != NeuronModel::LI &&
      failed(requireField(op, p.getVTh(), "v_th")))
    return failure();
  const int64_t n = op.getSize();
  Operation *o = op;
  return success(
      succeeded(checkField(o, "decay_u", p.getDecayU(), false, n, unitInterval,
                           "in [0, 1]")) &&
      succeeded(checkField(o, "decay_v", p.getDecayV(), false, n, unitInterval,
                           "in [0, 1]")) &&
      succeeded(checkField(o, "v_th", p.getVTh(), false, n, positive, "> 0")) &&
      succeeded(checkField(o, "refractory", p.getRefractory(), true, n,
                           nonNegative, ">= 0")) &&
      succeeded(checkField(o, "bias", p.getBias(), false, n, anyValue, "")) &&
      succeeded(checkField(o, "input_scale", p.getInputScale(), false, n,
                           anyValue, "")) &&
      succeeded(
          checkField(o, "v_offset", p.getVOffset(), false, n, anyValue, "")) &&
      succeeded(checkField(o, "decay_a", p.getDecayA(), false, n, unitInterval,
                           "in [0, 1]")) &&
      succeeded(checkField(o, "jump", p.getJump(), false, n, anyValue, "")) &&
      succeeded(checkField(o, "beta", p.getBeta(), false, n, anyValue, "")));
}

LogicalResult verifyQuantized(PopulationOp op, QuantizedParamsAttr p) {
  if (failed(verifyAdaptationFields(op,
                                    {{"decay_a", p.getDecayA()},
                                     {"jump", p.getJump()},
                                     {"beta", p.getBeta()}},
                                    {"decay_a", "jump", "beta"})) ||
      failed(verifyAdaptiveReset(op, p.getReset())))
    return failure();
  LogicalResult result = success();
  forEachField(p, [&](StringRef name, Attribute field, bool) {
    if (failed(result))
      return;
    // Mantissas may be negative (bias), and so may the adaptation's jump
    // and weight; everything else counts or indexes.
    const bool isSigned =
        name == "bias_mant" || name == "jump" || name == "beta";
    auto ok = isSigned ? anyValue : nonNegative;
    result = checkField(op, name, field, true, op.getSize(), ok, ">= 0");
  });
  return result;
}

/// `initial`: every key a state the model has, every value a finite number,
/// one per neuron, or a distribution.
LogicalResult verifyInitial(PopulationOp op) {
  DictionaryAttr initial = op.getInitialAttr();
  if (!initial)
    return success();
  NeuronModelOp equations;
  if (auto eq = dyn_cast<EquationParamsAttr>(op.getParams()))
    if (Operation *scope =
            op->getParentOp() ? op->getParentOp()->getParentOp() : nullptr)
      equations = SymbolTable::lookupNearestSymbolFrom<NeuronModelOp>(
          scope, eq.getModel());
  const std::string prefix = populationPrefix(op);
  for (NamedAttribute entry : initial) {
    const StringRef name = entry.getName().getValue();
    bool known;
    StringRef states;
    switch (op.getModel()) {
    case NeuronModel::Izhikevich:
      known = name == "v" || name == "u";
      states = "v and u";
      break;
    case NeuronModel::Equations:
      known = equations && equations.findState(name) >= 0;
      states = "the states its model declares";
      break;
    default:
      known = name == "v";
      states = "v";
      break;
    }
    if (!known)
      return op.emitOpError()
             << prefix << "'initial' sets '" << name << "', but model '"
             << stringifyNeuronModel(op.getModel()) << "' starts from "
             << states << " only";
    const Attribute value = entry.getValue();
    const std::string what = prefix + "initial '" + name.str() + "'";
    if (isa<NormalAttr, LognormalAttr, UniformAttr>(value)) {
      if (failed(verifyDistribution(op, value, what)))
        return failure();
      continue;
    }
    SmallVector<double> values;
    if (failed(readField(value, values)))
      return op.emitOpError()
             << what << " must be a number, an array<f64> or a distribution, "
             << "got " << value;
    if (values.size() > 1 && int64_t(values.size()) != op.getSize())
      return op.emitOpError()
             << what << " has " << values.size()
             << " values but the population has " << op.getSize() << " neurons";
    for (auto [i, v] : llvm::enumerate(values))
      if (!std::isfinite(v)) {
        InFlightDiagnostic diag = op.emitOpError()
                                  << what << " must be finite, got " << v;
        if (values.size() > 1)
          diag << " (neuron " << i << ")";
        return diag;
      }
  }
  return success();
}

LogicalResult verifySlices(PopulationOp op) {
  std::optional<ArrayRef<int64_t>> slices = op.getSlices();
  std::optional<ArrayRef<int64_t>> cores = op.getCores();
  if (!slices && !cores)
    return success();
  if (!slices || !cores)
    return op.emitOpError("'slices' and 'cores' go together");
  if (slices->size() != cores->size() + 1)
    return op.emitOpError()
           << "has " << cores->size() << " cores but " << slices->size()
           << " slice boundaries (expected one more)";
  if (slices->front() != 0 || slices->back() != op.getSize())
    return op.emitOpError() << "slices must run from 0 to " << op.getSize();
  for (size_t i = 0; i + 1 < slices->size(); ++i)
    if ((*slices)[i] >= (*slices)[i + 1])
      return op.emitOpError() << "slice boundaries must increase, got "
                              << (*slices)[i] << " then " << (*slices)[i + 1];
  for (int64_t c : *cores)
    if (c < 0)
      return op.emitOpError() << "virtual core index must be >= 0, got " << c;
  return success();
}

} // namespace

LogicalResult PopulationOp::verify() {
  Attribute params = getParams();
  if (failed(verifyModelMatchesParams(*this)))
    return failure();
  if (auto iz = dyn_cast<IzhikevichParamsAttr>(params)) {
    if (failed(verifyIzhikevich(*this, iz)))
      return failure();
  } else if (auto eq = dyn_cast<EquationParamsAttr>(params)) {
    if (failed(verifyEquations(*this, eq)))
      return failure();
  } else if (auto c = dyn_cast<ContinuousParamsAttr>(params)) {
    if (failed(verifyContinuous(*this, c)))
      return failure();
  } else if (auto d = dyn_cast<DiscreteParamsAttr>(params)) {
    if (failed(verifyDiscrete(*this, d)))
      return failure();
  } else if (failed(
                 verifyQuantized(*this, cast<QuantizedParamsAttr>(params)))) {
    return failure();
  }
  if (FloatAttr s = getVoltageScaleAttr();
      s && !(s.getValueAsDouble() > 0 && std::isfinite(s.getValueAsDouble())))
    return emitOpError() << "'voltage_scale' must be finite and > 0, got "
                         << s.getValueAsDouble();
  if (failed(verifySymbolName(*this)) || failed(verifyInitial(*this)))
    return failure();
  return verifySlices(*this);
}

//===----------------------------------------------------------------------===//
// Sources
//===----------------------------------------------------------------------===//

LogicalResult InputOp::verify() { return verifySymbolName(*this); }

LogicalResult PoissonSourceOp::verify() {
  if (failed(verifySymbolName(*this)))
    return failure();
  const double rate = getRate().convertToDouble();
  if (!(rate >= 0) || !std::isfinite(rate))
    return emitOpError() << "'rate' must be finite and >= 0 Hz, got " << rate;
  auto network = (*this)->getParentOfType<NetworkOp>();
  if (!network || !network.getDt())
    return emitOpError() << "needs the network's 'dt' to turn 'rate' into a "
                            "probability per step";
  const double p = rate * *network.getTimeStep();
  if (std::optional<int64_t> group = getGroup()) {
    if (*group < 1)
      return emitOpError() << "'group' must be >= 1 Poisson trains per "
                              "channel, got "
                           << *group;
    return success(); // its mean count per step is a chip's limit
  }
  if (p > 1)
    return emitOpError() << "'rate' * dt = " << p
                         << " exceeds one spike per step (a 'group' of "
                            "Poisson trains may send more)";
  return success();
}

LogicalResult PeriodicSourceOp::verify() {
  if (failed(verifySymbolName(*this)))
    return failure();
  if (getPeriod() < 1)
    return emitOpError() << "'period' must be >= 1, got " << getPeriod();
  if (getPhase() < 0 || getPhase() >= getPeriod())
    return emitOpError() << "'phase' must be in [0, " << getPeriod()
                         << "), got " << getPhase();
  return success();
}

LogicalResult FileSourceOp::verify() {
  if (failed(verifySymbolName(*this)))
    return failure();
  ShapedType type = getEvents().getShapedType();
  if (type.getRank() != 2 || type.getDimSize(1) != 2 ||
      !isa<IntegerType>(type.getElementType()))
    return emitOpError() << "'events' must be a K x 2 integer tensor of "
                            "(step, channel), got "
                         << type;
  SmallVector<double> values;
  if (failed(readElements(getEvents(), values)))
    return success(); // Data not available (elided blob): nothing to check.
  const int64_t size = getSpikes().getType().getSize();
  for (size_t i = 0; i + 1 < values.size(); i += 2) {
    if (values[i] < 0)
      return emitOpError() << "event " << i / 2 << ": step must be >= 0, got "
                           << int64_t(values[i]);
    if (values[i + 1] < 0 || values[i + 1] >= size)
      return emitOpError() << "event " << i / 2 << ": channel "
                           << int64_t(values[i + 1]) << " out of range ("
                           << size << " channels)";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// ProbeOp
//===----------------------------------------------------------------------===//

LogicalResult ProbeOp::verify() {
  if (!getTarget().getDefiningOp<PopulationOp>())
    return emitOpError("target must be a population");
  return success();
}

#define GET_OP_CLASSES
#include "cajal/Dialect/SNN/SNNOps.cpp.inc"
