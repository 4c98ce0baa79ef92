//===- SNNToMapping.cpp - A quantized snn.network as a mapping::Network ---===//
//
// Walks the network body once, in op order: populations (integer parameters,
// one CompartmentParams when every field is shared, else one per neuron;
// probes decide what is recorded), sources (a Poisson rate becomes a 0.32
// fixed-point probability per step, a Poisson group's mean count the
// threshold e^-mean of its draw) and projections (each rule copied with
// its integer mantissas; a learning rule parsed, its traces quantized and
// both checked against the profile's learning limits). Values are range-checked
// against the C++ fields they land in; the profile's own limits are checked
// when the image is validated.
//
//===----------------------------------------------------------------------===//
#include "cajal/Conversion/SNNToMapping.h"
#include "cajal/Chip/CompartmentCheck.h"
#include "cajal/Chip/Learning.h"
#include "cajal/Chip/Source.h"
#include "cajal/Dialect/SNN/SNNLearning.h"
#include "cajal/Mapping/InitialState.h"
#include "cajal/Mapping/Partition.h"
#include "cajal/Mapping/Programs.h"
#include "cajal/Mapping/Quantize.h"

#include "llvm/ADT/StringMap.h"

#include <cmath>
#include <functional>
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
  if (name == "decay_a")
    return {0, std::numeric_limits<uint16_t>::max()};
  if (name == "jump" || name == "beta")
    return {std::numeric_limits<int32_t>::min(),
            std::numeric_limits<int32_t>::max()};
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
    if (auto a = dyn_cast_or_null<DenseI64ArrayAttr>(field); a && a.size() > 1)
      shared = false;
  });
  return shared;
}

/// Integer values of type T, each checked against T's range (a value that
/// does not fit is an error, never truncated): `what` names them.
template <typename T>
LogicalResult toInts(Operation *op, ArrayRef<double> values, StringRef what,
                     int64_t lowest, std::vector<T> &out) {
  const double lo =
      double(std::max<int64_t>(lowest, std::numeric_limits<T>::min()));
  const double hi = double(std::numeric_limits<T>::max());
  out.clear();
  out.reserve(values.size());
  for (auto [i, v] : llvm::enumerate(values)) {
    if (!(v >= lo && v <= hi)) {
      InFlightDiagnostic diag = op->emitOpError() << what << " ";
      if (v == std::floor(v) && std::fabs(v) < 0x1p62)
        diag << int64_t(v); // an integer: print it as one
      else
        diag << v;
      diag << " does not fit [" << int64_t(lo) << ", " << int64_t(hi) << "]";
      if (values.size() > 1)
        diag << " (entry " << i << ")";
      return diag;
    }
    out.push_back(T(std::llround(v)));
  }
  return success();
}

template <typename T>
LogicalResult readInts(ProjectionOp op, ElementsAttr attr, StringRef what,
                       int64_t lowest, std::vector<T> &out) {
  SmallVector<double> values;
  if (failed(readElements(attr, values)))
    return op.emitOpError() << "the data of its " << what
                            << " is not available (an elided resource blob?)";
  return toInts(op, values, what, lowest, out);
}

/// One integer attribute that must fit T (from `lowest`).
template <typename T>
LogicalResult fitInt(Operation *op, int64_t value, StringRef what,
                     int64_t lowest, T &out) {
  const int64_t lo = std::max<int64_t>(lowest, std::numeric_limits<T>::min());
  const uint64_t hi = uint64_t(std::numeric_limits<T>::max());
  if (value < lo || (value >= 0 && uint64_t(value) > hi))
    return op->emitOpError() << what << " " << value << " does not fit [" << lo
                             << ", " << hi << "]";
  out = T(value);
  return success();
}

/// A random rule's per-synapse weight and delay distributions, if it has
/// them.
mapping::SynapseDraws drawsOf(Attribute weight, Attribute delay) {
  mapping::SynapseDraws draws;
  if (std::optional<DistributionParams> w = distributionParams(weight))
    draws.weight = toDistribution(*w);
  if (std::optional<DistributionParams> d = distributionParams(delay))
    draws.delay = toDistribution(*d);
  return draws;
}

/// A random rule's one weight (0 when it draws its weights).
LogicalResult ruleWeight(Operation *op, Attribute weight, int32_t &out) {
  out = 0;
  if (distributionParams(weight))
    return success();
  std::vector<int32_t> values;
  if (failed(toInts(op, {fieldAt(weight, 0, 0)}, "weight",
                    std::numeric_limits<int32_t>::min(), values)))
    return failure();
  out = values[0];
  return success();
}

FailureOr<mapping::Connectivity> convertRule(ProjectionOp op) {
  Attribute conn = op.getConnectivity();
  const int64_t any = std::numeric_limits<int64_t>::min();
  if (auto dense = dyn_cast<DenseAttr>(conn)) {
    mapping::DenseConn out;
    if (failed(readInts(op, dense.getWeights(), "weight", any, out.weights)))
      return failure();
    return mapping::Connectivity(std::move(out));
  }
  if (auto sparse = dyn_cast<SparseAttr>(conn)) {
    mapping::SparseConn out;
    if (failed(readInts(op, sparse.getPre(), "pre index", 0, out.pre)) ||
        failed(readInts(op, sparse.getPost(), "post index", 0, out.post)) ||
        failed(readInts(op, sparse.getWeights(), "weight", any, out.weights)) ||
        (sparse.getDelays() &&
         failed(readInts(op, sparse.getDelays(), "delay", 1, out.delays))))
      return failure();
    return mapping::Connectivity(std::move(out));
  }
  if (auto rule = dyn_cast<OneToOneAttr>(conn)) {
    SmallVector<double> values;
    (void)readField(rule.getWeight(), values);
    mapping::OneToOneConn out;
    if (failed(toInts(op, values, "weight", any, out.weight.values)))
      return failure();
    return mapping::Connectivity(std::move(out));
  }
  if (auto rule = dyn_cast<FixedProbAttr>(conn)) {
    mapping::FixedProbConn out;
    out.p = fieldAt(rule.getP(), 0, 0);
    out.seed = uint64_t(rule.getSeed());
    out.draws = drawsOf(rule.getWeight(), rule.getDelay());
    if (failed(ruleWeight(op, rule.getWeight(), out.weight)))
      return failure();
    out.allowSelf = !rule.getAllowSelf() || rule.getAllowSelf().getValue();
    return mapping::Connectivity(std::move(out));
  }
  if (auto rule = dyn_cast<FixedNumberAttr>(conn)) {
    mapping::FixedNumberConn out;
    out.kind = rule.getKind() == FixedNumberKind::InDegree
                   ? mapping::FixedNumberConn::InDegree
               : rule.getKind() == FixedNumberKind::OutDegree
                   ? mapping::FixedNumberConn::OutDegree
                   : mapping::FixedNumberConn::Total;
    out.count = uint64_t(rule.getCount());
    out.seed = uint64_t(rule.getSeed());
    out.draws = drawsOf(rule.getWeight(), rule.getDelay());
    if (failed(ruleWeight(op, rule.getWeight(), out.weight)))
      return failure();
    out.allowSelf = !rule.getAllowSelf() || rule.getAllowSelf().getValue();
    out.allowMultapses =
        !rule.getAllowMultapses() || rule.getAllowMultapses().getValue();
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
  if (failed(readInts(op, conv.getKernel(), "kernel weight", any, out.kernel)))
    return failure();
  return mapping::Connectivity(std::move(out));
}

FailureOr<mapping::Source> convertSource(Operation *op,
                                         std::optional<double> dt) {
  mapping::Source src;
  src.name = SymbolTable::getSymbolName(op).str();
  if (failed(fitInt(op, cast<SpikesType>(op->getResult(0).getType()).getSize(),
                    "size", 1, src.size)))
    return failure();
  if (auto poisson = dyn_cast<PoissonSourceOp>(op)) {
    const double p = poisson.getRate().convertToDouble() * dt.value_or(0);
    src.seed = uint64_t(poisson.getSeed());
    if (std::optional<int64_t> group = poisson.getGroup()) {
      src.kind = chip::SourceKind::PoissonGroup;
      const double mean = p * double(*group);
      if (mean > chip::kPoissonGroupMaxMean)
        return poisson.emitOpError()
               << "source \"" << src.name
               << "\": 'group' * 'rate' * dt = " << mean
               << " spikes per step on average; a chip's Poisson "
               << "group sends at most " << chip::kPoissonGroupMaxMean
               << " (split the group over several sources, or use a smaller "
                  "dt)";
      src.probability = chip::poissonGroupThreshold(mean);
    } else {
      src.kind = chip::SourceKind::Poisson;
      const double scaled = std::round(p * 4294967296.0);
      src.probability = uint32_t(std::min(scaled, 4294967295.0));
    }
  } else if (auto periodic = dyn_cast<PeriodicSourceOp>(op)) {
    src.kind = chip::SourceKind::Periodic;
    if (failed(fitInt(op, periodic.getPeriod(), "'period'", 1, src.period)) ||
        failed(fitInt(op, periodic.getPhase(), "'phase'", 0, src.phase)))
      return failure();
  } else if (auto file = dyn_cast<FileSourceOp>(op)) {
    src.kind = chip::SourceKind::File;
    SmallVector<double> values;
    if (failed(readElements(file.getEvents(), values)))
      return file.emitOpError("the data of its 'events' is not available (an "
                              "elided resource blob?)");
    std::vector<uint32_t> ints;
    if (failed(toInts(op, values, "event step or channel", 0, ints)))
      return failure();
    for (size_t i = 0; i + 1 < ints.size(); i += 2)
      src.spikes.push_back({ints[i], ints[i + 1]});
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

/// An Izhikevich population: its program's rest parameters (b and c, one
/// per population: they fix the program's initial state) and each neuron's
/// words, range-checked.
LogicalResult convertIzhikevich(PopulationOp pop, IzhikevichParamsAttr iz,
                                mapping::Population &p) {
  for (auto [name, field] :
       {std::pair<StringRef, Attribute>{"b", iz.getB()}, {"c", iz.getC()}})
    if (auto a = dyn_cast_or_null<DenseF64ArrayAttr>(field);
        a && a.size() > 1 && !llvm::all_equal(a.asArrayRef()))
      return pop.emitOpError()
             << "population \"" << pop.getSymName() << "\": parameter '" << name
             << "' differs between neurons; on a chip it must be one value "
                "per population (it fixes the neurocore program's initial "
                "state v = c, u = b c)";
  auto neuron = [&](size_t i) {
    chip::IzhikevichParams n;
    n.a = fieldAt(iz.getA(), i, n.a);
    n.b = fieldAt(iz.getB(), i, n.b);
    n.c = fieldAt(iz.getC(), i, n.c);
    n.d = fieldAt(iz.getD(), i, n.d);
    n.current = fieldAt(iz.getBias(), i, 0);
    return n;
  };
  p.program = mapping::PopulationProgram::Izhikevich;
  p.izhikevichRest = neuron(0);
  p.params.push_back(chip::CompartmentParams{});
  bool shared = true;
  forEachField(iz, [&](StringRef, Attribute field, bool) {
    if (auto a = dyn_cast_or_null<DenseF64ArrayAttr>(field); a && a.size() > 1)
      shared = false;
  });
  const size_t count = shared ? 1 : p.size;
  for (size_t i = 0; i < count; ++i) {
    Result<std::vector<int64_t>> words = mapping::izhikevichWords(neuron(i));
    if (!words) {
      InFlightDiagnostic diag = pop.emitOpError()
                                << "population \"" << pop.getSymName()
                                << "\": parameter " << words.error();
      if (count > 1)
        diag << " (neuron " << i << ")";
      return diag;
    }
    p.programWords.push_back(std::move(*words));
  }
  return success();
}

/// A learning projection's rule and traces in the profile's fields, checked
/// against the profile's limits (chip::checkLearningRule,
/// chip::checkTraceParams); the post traces go to `postTraces`. Errors name
/// the projection, the trace or term, the value and the profile field.
LogicalResult convertLearning(ProjectionOp proj, const chip::Profile &profile,
                              mapping::Projection &p,
                              std::array<chip::TraceParams, 3> &postTraces) {
  const std::string name = ("projection @" + proj.getSymName() + ": ").str();
  FailureOr<LearningSpec> spec = expandLearning(
      proj.getLearningAttr(), [&] { return proj.emitOpError() << name; });
  if (failed(spec))
    return failure();
  if (profile.learning.maxEpochSteps == 0)
    return proj.emitOpError()
           << name << "profile \"" << profile.name
           << "\" has no learning engine (learning.maxEpochSteps 0)";
  Result<chip::LearningRule> rule = chip::parseLearningRule(spec->rule);
  if (!rule)
    return proj.emitOpError() << name << rule.error();
  if (Status s = chip::checkLearningRule(profile, *rule); !s)
    return proj.emitOpError()
           << name << "learning rule \"" << spec->rule << "\": " << s.error();
  std::array<chip::TraceParams, kLearningTraceCount> traces{};
  for (unsigned k = 0; k < kLearningTraceCount; ++k) {
    if (!spec->traces[k])
      continue;
    traces[k] = mapping::quantizeTrace(spec->traces[k]->impulse,
                                       spec->traces[k]->tau, profile.learning);
    if (Status s = chip::checkTraceParams(profile, traces[k]); !s)
      return proj.emitOpError()
             << name << "learning " << kLearningTraceNames[k] << " (impulse "
             << formatNumber(spec->traces[k]->impulse) << ", tau "
             << formatNumber(spec->traces[k]->tau) << "): " << s.error()
             << " on profile \"" << profile.name << "\"";
  }
  p.learning =
      chip::LearningRuleSetting{std::move(*rule), traces[0], traces[1]};
  // The verifier has checked the text.
  if (std::optional<StringRef> sign = proj.getSignMode())
    p.learning->sign = *parseWeightSign(*sign);
  postTraces = {traces[2], traces[3], traces[4]};
  return success();
}

/// The network's learning epoch and seed; the epoch within the profile's
/// learning.maxEpochSteps.
LogicalResult convertLearningEpoch(NetworkOp network,
                                   const chip::Profile &profile,
                                   mapping::Network &out) {
  out.learningSeed = uint64_t(network.getLearningSeed().value_or(0));
  const int64_t epoch = network.getLearningEpoch().value_or(1);
  if (network.getLearningEpoch() &&
      (epoch < 1 || uint64_t(epoch) > profile.learning.maxEpochSteps))
    return network.emitOpError()
           << "network @" << network.getSymName() << ": 'learning_epoch' "
           << epoch << " outside [1, " << profile.learning.maxEpochSteps
           << "] steps (learning.maxEpochSteps of profile \"" << profile.name
           << "\")";
  out.learningEpoch = uint32_t(epoch);
  return success();
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

Operation *MappedNetwork::opFor(const ErrorSubject &subject) const {
  using Kind = ErrorSubject::Kind;
  auto named = [&](Operation *op) {
    return SymbolTable::getSymbolName(op).getValue() == subject.name;
  };
  if (subject.kind == Kind::Population)
    for (PopulationOp pop : populations)
      if (named(pop))
        return pop;
  if (subject.kind == Kind::Projection)
    for (ProjectionOp proj : projections)
      if (named(proj))
        return proj;
  if (subject.kind == Kind::Source)
    for (Operation *src : sources)
      if (named(src))
        return src;
  return nullptr;
}

InFlightDiagnostic MappedNetwork::emitErrorAt(const Error &error,
                                              Operation *fallback) const {
  Operation *at = opFor(error.subject);
  return (at ? at : fallback)->emitError() << error.message;
}

namespace {
/// A fixed_number rule makes an exact number of synapses, which the chip's
/// synapse memory must be able to hold (each synapse takes at least its
/// target field and one weight bit): refused before any is drawn.
LogicalResult checkSynapseCapacity(NetworkOp network,
                                   const chip::Profile &profile) {
  const chip::SynapseFormat &f = profile.synapse;
  const uint64_t perWord = f.wordBits / (f.compartmentIndexBits + 1);
  const uint64_t capacity =
      profile.mesh.totalCores() * profile.core.synapseWords * perWord;
  for (auto proj : network.getBodyBlock()->getOps<ProjectionOp>()) {
    auto rule = dyn_cast<FixedNumberAttr>(proj.getConnectivity());
    if (!rule || rule.getCount() <= 0)
      continue;
    const auto sizeOf = [](Value v) {
      return uint64_t(cast<SpikesType>(v.getType()).getSize());
    };
    // Count and sizes are below 2^32 (the verifier's limits): no overflow.
    const uint64_t count = uint64_t(rule.getCount());
    const uint64_t synapses = rule.getKind() == FixedNumberKind::InDegree
                                  ? count * sizeOf(proj.getPost())
                              : rule.getKind() == FixedNumberKind::OutDegree
                                  ? count * sizeOf(proj.getPre())
                                  : count;
    if (synapses > capacity)
      return proj.emitOpError()
             << "fixed_number " << stringifyFixedNumberKind(rule.getKind())
             << " = " << count << " makes " << synapses
             << " synapses; the chip (profile " << profile.name
             << ") holds at most " << capacity << " ("
             << profile.mesh.totalCores() << " cores x "
             << profile.core.synapseWords << " words x " << perWord
             << " synapses per word)";
  }
  return success();
}
} // namespace

PopulationOp cajal::treeRoot(PopulationOp pop,
                             const llvm::StringMap<PopulationOp> &byName) {
  while (pop.isDendrite())
    pop = byName.lookup(pop.getParentAttr().getValue());
  return pop;
}

LogicalResult cajal::checkChipCapacity(NetworkOp network,
                                       const chip::Profile &profile) {
  std::vector<mapping::PopulationSize> sizes;
  llvm::StringMap<PopulationOp> byName;
  llvm::DenseMap<Operation *, size_t> rootIndex;
  for (auto pop : network.getBodyBlock()->getOps<PopulationOp>()) {
    byName[pop.getSymName()] = pop;
    if (pop.isDendrite())
      continue;
    rootIndex[pop] = sizes.size();
    sizes.push_back({pop.getSymName().str(), uint64_t(pop.getSize()), 1});
  }
  // A dendrite is one more compartment of each neuron of its tree's root
  // (the verifier has refused cycles).
  for (auto pop : network.getBodyBlock()->getOps<PopulationOp>())
    if (pop.isDendrite())
      ++sizes[rootIndex.lookup(treeRoot(pop, byName))].compartmentsPerNeuron;
  Status s = mapping::checkCapacity(network.getSymName().str(), sizes, profile);
  if (s)
    return checkSynapseCapacity(network, profile);
  Operation *at = network;
  if (s.subject().kind == ErrorSubject::Kind::Population)
    if (PopulationOp pop = byName.lookup(s.subject().name))
      at = pop;
  return at->emitError() << s.error();
}

LogicalResult cajal::checkCompartments(const MappedNetwork &mapped,
                                       const chip::Profile &profile) {
  for (auto [p, pop] : llvm::enumerate(mapped.network.populations)) {
    // The program is the profile's to accept; Izhikevich's records are
    // the emitter's inert ones, not the population's.
    if (Status s = mapping::checkPopulationProgram(pop, profile); !s)
      return PopulationOp(mapped.populations[p]).emitOpError() << s.error();
    if (!pop.initial.empty()) {
      // Every LIF variant declares the same state words.
      const chip::Program program =
          mapping::populationProgram(pop, profile)
              .value_or(chip::lifProgram(profile.neuron, chip::LifReset::Zero));
      if (Status s = mapping::checkInitialState(pop, program); !s)
        return PopulationOp(mapped.populations[p]).emitOpError() << s.error();
    }
    if (pop.program == mapping::PopulationProgram::Izhikevich ||
        pop.program == mapping::PopulationProgram::Equations)
      continue;
    for (const mapping::TreeNode &dendrite : pop.tree)
      for (auto [i, params] : llvm::enumerate(dendrite.params))
        if (Status s = chip::validateParams(params, profile); !s) {
          InFlightDiagnostic diag =
              PopulationOp(mapped.populations[p]).emitOpError()
              << "has a dendrite \"" << dendrite.name
              << "\" whose compartment parameters the chip cannot hold: "
              << s.error() << " (profile " << profile.name << ")";
          if (dendrite.params.size() > 1)
            diag << " (neuron " << i << ")";
          return diag;
        }
    for (auto [i, params] : llvm::enumerate(pop.params))
      if (Status s = chip::validateParams(params, profile); !s) {
        InFlightDiagnostic diag =
            PopulationOp(mapped.populations[p]).emitOpError()
            << "has compartment parameters the chip cannot hold: " << s.error()
            << " (profile " << profile.name << ")";
        if (pop.params.size() > 1)
          diag << " (neuron " << i << ")";
        return diag;
      }
  }
  return success();
}

mapping::Distribution cajal::toDistribution(const DistributionParams &d) {
  // The two enums list the kinds in one order.
  return mapping::Distribution{mapping::Distribution::Kind(d.kind), d.a, d.b,
                               d.low, d.high};
}

DistributionParams cajal::toDistributionParams(const mapping::Distribution &d) {
  return DistributionParams{DistributionParams::Kind(d.kind), d.a, d.b, d.low,
                            d.high};
}

/// Integer v units per model unit (1 before snn-quantize sets it).
static double voltageScaleOf(PopulationOp pop) {
  const FloatAttr scale = pop.getVoltageScaleAttr();
  return scale ? scale.getValueAsDouble() : 1.0;
}

std::vector<mapping::InitialValue> cajal::initialValues(PopulationOp pop) {
  std::vector<mapping::InitialValue> out;
  DictionaryAttr initial = pop.getInitialAttr();
  if (!initial)
    return out;
  const IntegerAttr seed = pop.getInitialSeedAttr();
  for (NamedAttribute entry : initial) {
    mapping::InitialValue v;
    v.state = entry.getName().str();
    v.scale = voltageScaleOf(pop);
    v.seed = seed ? uint64_t(seed.getInt()) : 0;
    if (std::optional<DistributionParams> d =
            distributionParams(entry.getValue())) {
      v.draw = toDistribution(*d);
    } else {
      SmallVector<double> values;
      (void)readField(entry.getValue(), values); // verified
      v.values.assign(values.begin(), values.end());
    }
    out.push_back(std::move(v));
  }
  return out;
}

// buildTrees casts the dialect's join and output to the chip's.
static_assert(int(Join::Add) == int(chip::TreeJoin::Add) &&
              int(Join::Min) == int(chip::TreeJoin::Min) &&
              int(Join::Max) == int(chip::TreeJoin::Max) &&
              int(Join::And) == int(chip::TreeJoin::And) &&
              int(Join::Or) == int(chip::TreeJoin::Or));
static_assert(int(DendriteOutput::Current) == int(chip::TreeOutput::Current) &&
              int(DendriteOutput::Voltage) == int(chip::TreeOutput::Voltage) &&
              int(DendriteOutput::Active) == int(chip::TreeOutput::Active) &&
              int(DendriteOutput::AboveThreshold) ==
                  int(chip::TreeOutput::AboveThreshold));

/// A program word of a dendritic tree (mapping::programWord32), the error on
/// the population.
static FailureOr<int64_t> treeWord(PopulationOp pop, const char *what,
                                   double model, double value) {
  Result<int64_t> word = mapping::programWord32(what, model, value);
  if (!word)
    return pop.emitOpError()
           << word.error() << "; scale the weights or the coupling down";
  return *word;
}

/// Each root population with dendrites becomes a LifTree population: its
/// tree in post-order (children in op order), every dendrite's records,
/// and the words of the joins and outputs, which convert between the
/// compartments' voltage scales. `nodes` maps each dendrite to its root's
/// population and `compartmentOf` to 1 + its index in the tree.
static LogicalResult
buildTrees(NetworkOp network, MappedNetwork &out,
           llvm::DenseMap<Operation *, mapping::NodeRef> &nodes,
           llvm::DenseMap<Operation *, int32_t> &compartmentOf) {
  llvm::StringMap<PopulationOp> byName;
  llvm::DenseMap<Operation *, SmallVector<PopulationOp>> children;
  for (auto pop : network.getBodyBlock()->getOps<PopulationOp>())
    byName[pop.getSymName()] = pop;
  for (auto pop : network.getBodyBlock()->getOps<PopulationOp>())
    if (pop.isDendrite())
      children[byName.lookup(pop.getParentAttr().getValue())].push_back(pop);
  for (auto [index, rootRef] : llvm::enumerate(out.populations)) {
    PopulationOp root = rootRef;
    if (!children.count(root))
      continue;
    mapping::Population &p = out.network.populations[index];
    if (p.program != mapping::PopulationProgram::LifFamily)
      return root.emitOpError() << "has dendrites but is not of the LIF family";
    std::vector<PopulationOp> order; // post-order
    std::function<void(PopulationOp)> visit = [&](PopulationOp at) {
      for (PopulationOp child : children.lookup(at))
        visit(child);
      order.push_back(at);
    };
    visit(root);
    llvm::DenseMap<Operation *, int32_t> position;
    for (auto [k, op] : llvm::enumerate(order))
      position[op] = int32_t(k);
    for (PopulationOp op : order) {
      mapping::TreeNode node;
      node.name = op.getSymName().str();
      node.shape.children = unsigned(children.lookup(op).size());
      node.shape.join = chip::TreeJoin(op.getJoin().value_or(Join::Add));
      if (node.shape.children && op.getJoinWeightAttr()) {
        const double joinWeight = op.getJoinWeightAttr().getValueAsDouble();
        FailureOr<int64_t> w = treeWord(op, "join_weight", joinWeight,
                                        joinWeight * voltageScaleOf(op));
        if (failed(w))
          return failure();
        node.joinWeight = *w;
      }
      if (op == root) {
        node.shape.root = true;
        node.shape.reset = chip::lifResetOf(p.params.front());
        if (llvm::any_of(p.params, [&](const chip::CompartmentParams &r) {
              return chip::lifResetOf(r) != node.shape.reset;
            }))
          return op.emitOpError()
                 << "is the root of a dendritic tree whose neurons reset in "
                    "different ways; a tree population has one reset";
      } else {
        auto q = dyn_cast<QuantizedParamsAttr>(op.getParams());
        if (!q)
          return op.emitOpError(
              "must be quantized (run snn-discretize and snn-quantize) before "
              "mapping");
        if (failed(checkQuantized(op, q)))
          return failure();
        const size_t count = allShared(q) ? 1 : p.size;
        for (size_t i = 0; i < count; ++i)
          node.params.push_back(compartmentParams(q, op.getModel(), i));
        node.parent =
            position.lookup(byName.lookup(op.getParentAttr().getValue()));
        node.shape.output =
            chip::TreeOutput(op.getOutput().value_or(DendriteOutput::Voltage));
        node.shape.resetOnBap = op.getResetOnBap();
        const double coupling =
            op.getCouplingAttr() ? op.getCouplingAttr().getValueAsDouble() : 1;
        const double parentScale =
            voltageScaleOf(byName.lookup(op.getParentAttr().getValue()));
        // Active passes a current of `coupling` parent units; the others
        // pass the dendrite's value, converted from its scale.
        const double gain =
            node.shape.output == chip::TreeOutput::Active
                ? coupling * parentScale
                : std::ldexp(coupling * parentScale / voltageScaleOf(op),
                             int(chip::kTreeGainShift));
        FailureOr<int64_t> g = treeWord(op, "coupling", coupling, gain);
        if (failed(g))
          return failure();
        node.gain = *g;
        nodes[op] = {mapping::NodeRef::PopulationNode, uint32_t(index)};
        compartmentOf[op] = position.lookup(op) + 1;
      }
      p.tree.push_back(std::move(node));
    }
    p.program = mapping::PopulationProgram::LifTree;
  }
  return success();
}

FailureOr<MappedNetwork>
cajal::buildMappingNetwork(NetworkOp network, const chip::Profile &profile) {
  MappedNetwork out;
  out.network.name = network.getSymName().str();
  if (failed(convertLearningEpoch(network, profile, out.network)))
    return failure();
  llvm::DenseMap<Operation *, mapping::NodeRef> nodes;
  bool anySpikeProbe = false;
  for (auto probe : network.getBodyBlock()->getOps<ProbeOp>())
    anySpikeProbe |= probe.getKind() == ProbeKind::Spikes;

  for (Operation &op : *network.getBodyBlock()) {
    if (auto pop = dyn_cast<PopulationOp>(op); pop && pop.isDendrite()) {
      continue; // a compartment of its root's neurons: buildTrees
    } else if (pop) {
      auto q = dyn_cast<QuantizedParamsAttr>(pop.getParams());
      auto iz = dyn_cast<IzhikevichParamsAttr>(pop.getParams());
      auto eq = dyn_cast<EquationParamsAttr>(pop.getParams());
      if (!q && !((iz || eq) && pop.getVoltageScale()))
        return pop.emitOpError(
            "must be quantized (run snn-discretize and snn-quantize) before "
            "mapping");
      if (q && failed(checkQuantized(pop, q)))
        return failure();
      mapping::Population p;
      p.name = pop.getSymName().str();
      p.shape.assign(pop.getSpikes().getType().getShape().begin(),
                     pop.getSpikes().getType().getShape().end());
      if (failed(fitInt(pop, pop.getSize(), "size", 1, p.size)))
        return failure();
      if (iz) {
        if (failed(convertIzhikevich(pop, iz, p)))
          return failure();
      } else if (eq) {
        // The program and its words come from lowerEquationPopulations,
        // which knows the profile.
        p.program = mapping::PopulationProgram::Equations;
        p.params.push_back(chip::CompartmentParams{});
      } else {
        const size_t count = allShared(q) ? 1 : p.size;
        for (size_t i = 0; i < count; ++i)
          p.params.push_back(compartmentParams(q, pop.getModel(), i));
        if (pop.getModel() == NeuronModel::AdaptiveLIF) {
          p.program = mapping::PopulationProgram::AdaptiveLif;
          for (size_t i = 0; i < count; ++i)
            p.programWords.push_back({int64_t(fieldAt(q.getDecayA(), i, 0)),
                                      int64_t(fieldAt(q.getJump(), i, 0)),
                                      int64_t(fieldAt(q.getBeta(), i, 0))});
        }
      }
      p.initial = initialValues(pop);
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
      FailureOr<mapping::Source> src =
          convertSource(&op, network.getTimeStep());
      if (failed(src))
        return failure();
      out.network.sources.push_back(std::move(*src));
      out.sources.push_back(&op);
    }
  }

  llvm::DenseMap<Operation *, int32_t> compartmentOf;
  if (failed(buildTrees(network, out, nodes, compartmentOf)))
    return failure();

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
    p.postCompartment =
        compartmentOf.lookup(proj.getPost().getDefiningOp()) - 1;
    p.conn = std::move(*conn);
    if (failed(fitInt(proj, *proj.getWeightExponent(), "'weight_exponent'",
                      std::numeric_limits<int8_t>::min(), p.weightExponent)) ||
        failed(fitInt(proj, proj.getDelay(), "'delay'", 1, p.delay)))
      return failure();
    p.reward = proj.getReward();
    if (proj.getLearningAttr()) {
      // The verifier refused learning onto a dendrite: the post traces are
      // the root population's.
      if (failed(convertLearning(proj, profile, p,
                                 out.network.populations[p.post].postTraces)))
        return failure();
    }
    out.network.projections.push_back(std::move(p));
    out.projections.push_back(proj);
  }
  return out;
}
