//===- FloatEngine.cpp - Run a discretised snn.network in floating point --===//
//
// Every projection is expanded once into per-pre-neuron synapse lists
// (post population, post neuron, weight x the post's input scale, delay).
// A ring of max-delay + 1 accumulators per population holds the input of
// the coming steps. Step t: each population takes slot t as q and updates
// (FloatEngine.h), then the spikes of step t (populations and sources) are
// added into slot t + delay of their targets. Adaptive LIF adds its
// adaptive threshold; Izhikevich populations (#snn.izhikevich, never
// discretised) take the 1 ms step of their program in double precision.
//
//===----------------------------------------------------------------------===//
#include "cajal/Transforms/FloatEngine.h"
#include "cajal/Conversion/SNNToMapping.h"
#include "cajal/Mapping/InitialState.h"
#include "cajal/Transforms/EquationTape.h"

#include "llvm/ADT/DenseMap.h"

#include <algorithm>
#include <map>
#include <tuple>

using namespace mlir;

namespace cajal {

namespace {

struct Synapse {
  uint32_t pop = 0, post = 0, delay = 1;
  double weight = 0;
};

/// A discretised snn.neuron_model, compiled once for all its populations.
struct EquationModel {
  EquationTape dynamics;
  std::optional<EquationTape> spike, reset;
  unsigned states = 0, params = 0;
};

struct Neurons {
  std::vector<double> du, dv, vth, bias, u, v;
  std::vector<uint32_t> refractory, left;
  bool spiking = true, subtract = false;
  /// adaptive_lif: a decays by decayA every step and jumps on a spike; the
  /// threshold is vth + beta a.
  bool adaptive = false;
  std::vector<double> decayA, jump, beta, a;
  /// izhikevich: v, u in mV; the parameters a, b, c, d (ia, ib, ic, id).
  bool izhikevich = false;
  std::vector<double> ia, ib, ic, id;
  /// equations: the model's regions; per neuron its states and parameters
  /// (row-major: neuron i's states at i * model->states).
  std::shared_ptr<const EquationModel> model;
  std::vector<double> states, params;
};

/// The population's `initial` values (docs/mapping.md, "Initial state"),
/// the same the chip's neurons start from before rounding: set(state,
/// neuron, value) for each.
void applyInitial(snn::PopulationOp pop,
                  llvm::function_ref<void(StringRef, size_t, double)> set) {
  const std::string name = pop.getSymName().str();
  for (const mapping::InitialValue &init : initialValues(pop))
    for (size_t i = 0; i < size_t(pop.getSize()); ++i)
      set(init.state, i, mapping::initialValue(init, name, uint32_t(i)));
}

/// One step of neuron `i` of an equation-defined population with input `q`:
/// dynamics, then the spike condition on the new states (snn.previous reads
/// the old), then the reset. `scratch` holds the argument lists.
bool equationStep(Neurons &n, size_t i, double q, std::vector<double> &args,
                  std::vector<double> &old, std::vector<double> &next) {
  const EquationModel &m = *n.model;
  double *x = &n.states[i * m.states];
  // data(): a model may have no parameters (an empty vector).
  const double *p = n.params.data() + i * m.params;
  old.assign(x, x + m.states);
  args.assign(x, x + m.states);
  args.insert(args.end(), p, p + m.params);
  args.push_back(q);
  m.dynamics.run(args, {}, next);
  std::copy(next.begin(), next.end(), x);
  if (!m.spike)
    return false;
  std::copy(next.begin(), next.end(), args.begin());
  args.pop_back(); // the spike and reset regions take no input
  std::vector<double> fired;
  m.spike->run(args, old, fired);
  if (fired[0] == 0)
    return false;
  if (m.reset) {
    m.reset->run(args, old, next);
    std::copy(next.begin(), next.end(), x);
  }
  return true;
}

/// One Izhikevich step of 1 ms with input current `current` (mV/ms), as the
/// neurocore program computes it in fixed point (chip::izhikevichProgram):
/// v in two 0.5 ms Euler half steps, u with the new v, spike at 30 mV.
bool izhikevichStep(double &v, double &u, double a, double b, double c,
                    double d, double current) {
  double next = v;
  for (int half = 0; half < 2; ++half)
    next += 0.5 * (0.04 * next * next + 5 * next + 140 - u + current);
  u += a * (b * next - u);
  if (next >= 30) {
    v = c;
    u += d;
    return true;
  }
  v = next;
  return false;
}

class Engine {
public:
  LogicalResult build(snn::NetworkOp net, const std::vector<FloatSpike> &in);
  FloatRun run(uint32_t steps, const FloatStateObserver &observe);

private:
  LogicalResult addPopulation(snn::PopulationOp pop);
  LogicalResult addIzhikevich(snn::PopulationOp pop,
                              snn::IzhikevichParamsAttr iz);
  LogicalResult addEquations(snn::PopulationOp pop,
                             snn::EquationParamsAttr params);
  LogicalResult addProjection(snn::ProjectionOp proj);
  LogicalResult addSources(snn::NetworkOp net,
                           const std::vector<FloatSpike> &in);
  void connect(uint32_t node, uint32_t pre, uint32_t pop, uint32_t post,
               double w, uint32_t delay) {
    fanout[node][pre].push_back(
        Synapse{pop, post, delay, w * scale[pop][post]});
    maxDelay = std::max(maxDelay, delay);
  }
  void send(uint32_t node, uint32_t index, uint32_t step);

  llvm::DenseMap<Value, uint32_t> nodeOf; ///< populations, then sources
  /// Periodic sources: node, period, phase.
  std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> periodic;
  std::vector<std::string> names;
  std::vector<Neurons> pops;
  std::vector<std::vector<double>> scale;                ///< per pop
  std::vector<std::vector<std::vector<Synapse>>> fanout; ///< node, neuron
  std::map<uint32_t, std::vector<std::pair<uint32_t, uint32_t>>> sourceSpikes;
  std::vector<std::vector<double>> ring; ///< per pop: slot x size
  uint32_t maxDelay = 1;
  llvm::DenseMap<Operation *, std::shared_ptr<const EquationModel>> models;
};

LogicalResult Engine::addPopulation(snn::PopulationOp pop) {
  if (pop.isDendrite())
    return pop.emitOpError()
           << "is a dendrite of @" << pop.getParentAttr().getValue()
           << "; the float engine runs point neurons only (run the compiled "
              "image on --engine golden, reference or systemc)";
  if (auto iz = dyn_cast<snn::IzhikevichParamsAttr>(pop.getParams()))
    return addIzhikevich(pop, iz);
  if (auto eq = dyn_cast<snn::EquationParamsAttr>(pop.getParams()))
    return addEquations(pop, eq);
  auto d = dyn_cast<snn::DiscreteParamsAttr>(pop.getParams());
  if (!d)
    return pop.emitOpError("the float engine needs #snn.discrete parameters "
                           "(run snn-discretize, not snn-quantize, first)");
  const size_t n = size_t(pop.getSize());
  Neurons p;
  p.spiking = pop.getModel() != snn::NeuronModel::LI;
  p.subtract = d.getReset() == snn::Reset::Subtract;
  std::vector<double> s(n);
  for (size_t i = 0; i < n; ++i) {
    p.du.push_back(snn::fieldAt(d.getDecayU(), i, 1));
    p.dv.push_back(snn::fieldAt(d.getDecayV(), i, 0));
    p.vth.push_back(snn::fieldAt(d.getVTh(), i, 1));
    p.bias.push_back(snn::fieldAt(d.getBias(), i, 0));
    p.refractory.push_back(uint32_t(snn::fieldAt(d.getRefractory(), i, 0)));
    s[i] = snn::fieldAt(d.getInputScale(), i, 1);
    if (pop.getModel() == snn::NeuronModel::AdaptiveLIF) {
      p.adaptive = true;
      p.decayA.push_back(snn::fieldAt(d.getDecayA(), i, 0));
      p.jump.push_back(snn::fieldAt(d.getJump(), i, 0));
      p.beta.push_back(snn::fieldAt(d.getBeta(), i, 0));
    }
  }
  p.a.assign(p.adaptive ? n : 0, 0);
  p.u.assign(n, 0);
  p.v.assign(n, 0);
  applyInitial(pop, [&](StringRef, size_t i, double v) { p.v[i] = v; });
  p.left.assign(n, 0);
  nodeOf[pop.getSpikes()] = uint32_t(pops.size());
  names.push_back(pop.getSymName().str());
  pops.push_back(std::move(p));
  scale.push_back(std::move(s));
  return success();
}

LogicalResult Engine::addIzhikevich(snn::PopulationOp pop,
                                    snn::IzhikevichParamsAttr iz) {
  const size_t n = size_t(pop.getSize());
  Neurons p;
  p.izhikevich = true;
  for (size_t i = 0; i < n; ++i) {
    p.ia.push_back(snn::fieldAt(iz.getA(), i, 0.02));
    p.ib.push_back(snn::fieldAt(iz.getB(), i, 0.2));
    p.ic.push_back(snn::fieldAt(iz.getC(), i, -65));
    p.id.push_back(snn::fieldAt(iz.getD(), i, 8));
    p.bias.push_back(snn::fieldAt(iz.getBias(), i, 0));
    // The program's initial state: v = c, u = b c.
    p.v.push_back(p.ic.back());
    p.u.push_back(p.ib.back() * p.ic.back());
  }
  applyInitial(pop, [&](StringRef state, size_t i, double x) {
    (state == "v" ? p.v : p.u)[i] = x;
  });
  nodeOf[pop.getSpikes()] = uint32_t(pops.size());
  names.push_back(pop.getSymName().str());
  pops.push_back(std::move(p));
  scale.push_back(std::vector<double>(n, 1.0)); // w mV/ms adds w to I
  return success();
}

LogicalResult Engine::addEquations(snn::PopulationOp pop,
                                   snn::EquationParamsAttr params) {
  snn::NeuronModelOp modelOp = snn::equationModelOf(pop);
  if (!modelOp.isDiscretised())
    return pop.emitOpError()
           << "the float engine needs its model " << params.getModel()
           << " discretised (run snn-discretize-equations first)";
  std::shared_ptr<const EquationModel> &model = models[modelOp];
  if (!model) {
    auto compiled = std::make_shared<EquationModel>();
    FailureOr<EquationTape> dynamics =
        EquationTape::compile(modelOp.getDynamics());
    if (failed(dynamics))
      return failure();
    compiled->dynamics = std::move(*dynamics);
    for (auto [region, tape] :
         {std::pair{&modelOp.getSpike(), &compiled->spike},
          std::pair{&modelOp.getReset(), &compiled->reset}}) {
      if (region->empty())
        continue;
      FailureOr<EquationTape> t = EquationTape::compile(*region);
      if (failed(t))
        return failure();
      *tape = std::move(*t);
    }
    compiled->states = modelOp.getNumStates();
    compiled->params = modelOp.getNumParams();
    model = std::move(compiled);
  }
  const size_t n = size_t(pop.getSize());
  Neurons p;
  p.model = model;
  p.states.reserve(n * model->states);
  p.params.reserve(n * model->params);
  const snn::EquationValues values =
      snn::resolveEquationValues(modelOp, params);
  for (size_t i = 0; i < n; ++i) {
    p.states.insert(p.states.end(), values.initial.begin(),
                    values.initial.end());
    for (unsigned k = 0; k < model->params; ++k)
      p.params.push_back(values.param(k, i));
  }
  applyInitial(pop, [&](StringRef state, size_t i, double x) {
    p.states[i * model->states + unsigned(modelOp.findState(state))] = x;
  });
  p.u.assign(n, 0); // the size of the population, for the input ring
  nodeOf[pop.getSpikes()] = uint32_t(pops.size());
  names.push_back(pop.getSymName().str());
  pops.push_back(std::move(p));
  scale.push_back(std::vector<double>(n, 1.0)); // w adds w to the input
  return success();
}

LogicalResult Engine::addProjection(snn::ProjectionOp proj) {
  // A reward projection sets the post compartments' third factor r, which
  // only learning rules read (docs/learning.md); this engine runs no rule,
  // so its spikes change nothing here (learning projections keep their
  // initial weights).
  if (proj.getReward())
    return success();
  const uint32_t node = nodeOf.at(proj.getPre());
  const uint32_t pop = nodeOf.at(proj.getPost());
  const uint32_t delay = uint32_t(proj.getDelay());
  const int64_t pre = cast<snn::SpikesType>(proj.getPre().getType()).getSize();
  const int64_t post =
      cast<snn::SpikesType>(proj.getPost().getType()).getSize();
  Attribute conn = proj.getConnectivity();
  SmallVector<double> w;
  auto fail = [&] {
    return proj.emitOpError("the float engine cannot read its weights");
  };
  if (auto dense = dyn_cast<snn::DenseAttr>(conn)) {
    if (failed(snn::readElements(dense.getWeights(), w)))
      return fail();
    for (int64_t r = 0; r < post; ++r)
      for (int64_t c = 0; c < pre; ++c)
        if (double x = w[size_t(r * pre + c)]; x != 0)
          connect(node, uint32_t(c), pop, uint32_t(r), x, delay);
  } else if (auto sparse = dyn_cast<snn::SparseAttr>(conn)) {
    SmallVector<double> from, to, delays;
    if (failed(snn::readElements(sparse.getPre(), from)) ||
        failed(snn::readElements(sparse.getPost(), to)) ||
        failed(snn::readElements(sparse.getWeights(), w)) ||
        (sparse.getDelays() &&
         failed(snn::readElements(sparse.getDelays(), delays))))
      return fail();
    for (size_t k = 0; k < w.size(); ++k)
      connect(node, uint32_t(from[k]), pop, uint32_t(to[k]), w[k],
              delays.empty() ? delay : uint32_t(delays[k]));
  } else if (auto rule = dyn_cast<snn::OneToOneAttr>(conn)) {
    if (failed(snn::readField(rule.getWeight(), w)))
      return fail();
    for (int64_t i = 0; i < post; ++i)
      connect(node, uint32_t(i), pop, uint32_t(i),
              w[w.size() == 1 ? 0 : size_t(i)], delay);
  } else if (auto conv = dyn_cast<snn::Conv2dAttr>(conn)) {
    if (failed(snn::readElements(conv.getKernel(), w)))
      return fail();
    ArrayRef<int64_t> k = conv.getKernel().getShapedType().getShape();
    ArrayRef<int64_t> in = conv.getInShape(), st = conv.getStride(),
                      pd = conv.getPadding(), dl = conv.getDilation();
    const int64_t oh = (in[1] + 2 * pd[0] - dl[0] * (k[2] - 1) - 1) / st[0] + 1;
    const int64_t ow = (in[2] + 2 * pd[1] - dl[1] * (k[3] - 1) - 1) / st[1] + 1;
    for (int64_t o = 0; o < k[0]; ++o)
      for (int64_t y = 0; y < oh; ++y)
        for (int64_t x = 0; x < ow; ++x)
          for (int64_t c = 0; c < k[1]; ++c)
            for (int64_t ky = 0; ky < k[2]; ++ky)
              for (int64_t kx = 0; kx < k[3]; ++kx) {
                const int64_t iy = y * st[0] - pd[0] + ky * dl[0];
                const int64_t ix = x * st[1] - pd[1] + kx * dl[1];
                const double v =
                    w[size_t(((o * k[1] + c) * k[2] + ky) * k[3] + kx)];
                if (iy >= 0 && iy < in[1] && ix >= 0 && ix < in[2] && v != 0)
                  connect(node, uint32_t((c * in[1] + iy) * in[2] + ix), pop,
                          uint32_t((o * oh + y) * ow + x), v, delay);
              }
  } else {
    return proj.emitOpError()
           << "the float engine does not run random connectors ("
           << (isa<snn::FixedNumberAttr>(conn) ? "fixed_number" : "fixed_prob")
           << "): their random stream is the chip's";
  }
  return success();
}

LogicalResult Engine::addSources(snn::NetworkOp net,
                                 const std::vector<FloatSpike> &inputs) {
  std::map<std::string, std::pair<uint32_t, int64_t>> external;
  for (Operation &op : *net.getBodyBlock()) {
    if (isa<snn::PopulationOp, snn::ProjectionOp, snn::ProbeOp>(op))
      continue;
    const uint32_t node = uint32_t(names.size());
    Value out = op.getResult(0);
    nodeOf[out] = node;
    const int64_t size = cast<snn::SpikesType>(out.getType()).getSize();
    names.push_back(cast<SymbolOpInterface>(op).getName().str());
    if (isa<snn::InputOp>(op)) {
      external[names.back()] = {node, size};
    } else if (auto file = dyn_cast<snn::FileSourceOp>(op)) {
      SmallVector<double> events;
      if (failed(snn::readElements(file.getEvents(), events)))
        return file.emitOpError("the float engine cannot read its events");
      for (size_t k = 0; k + 1 < events.size(); k += 2)
        sourceSpikes[uint32_t(events[k])].emplace_back(node,
                                                       uint32_t(events[k + 1]));
    } else if (auto clock = dyn_cast<snn::PeriodicSourceOp>(op)) {
      periodic.emplace_back(node, uint32_t(clock.getPeriod()),
                            uint32_t(clock.getPhase()));
    } else {
      return op.emitOpError("the float engine does not run Poisson sources "
                            "(their random stream is the chip's)");
    }
  }
  for (const FloatSpike &s : inputs) {
    auto it = external.find(s.node);
    if (it == external.end() || int64_t(s.index) >= it->second.second)
      return net.emitError()
             << "input spike " << s.node << "[" << s.index << "] at step "
             << s.step << " names no snn.input channel";
    sourceSpikes[s.step].emplace_back(it->second.first, s.index);
  }
  return success();
}

LogicalResult Engine::build(snn::NetworkOp net,
                            const std::vector<FloatSpike> &inputs) {
  for (auto pop : net.getBodyBlock()->getOps<snn::PopulationOp>())
    if (failed(addPopulation(pop)))
      return failure();
  if (failed(addSources(net, inputs)))
    return failure();
  fanout.resize(names.size());
  for (auto &entry : nodeOf)
    fanout[entry.second].resize(
        size_t(cast<snn::SpikesType>(entry.first.getType()).getSize()));
  for (auto proj : net.getBodyBlock()->getOps<snn::ProjectionOp>())
    if (failed(addProjection(proj)))
      return failure();
  for (const Neurons &p : pops)
    ring.emplace_back(size_t(maxDelay + 1) * p.u.size(), 0.0);
  return success();
}

void Engine::send(uint32_t node, uint32_t index, uint32_t step) {
  for (const Synapse &s : fanout[node][index]) {
    const size_t size = pops[s.pop].u.size();
    ring[s.pop][((step + s.delay) % (maxDelay + 1)) * size + s.post] +=
        s.weight;
  }
}

FloatRun Engine::run(uint32_t steps, const FloatStateObserver &observe) {
  FloatRun out;
  out.populations.assign(names.begin(), names.begin() + pops.size());
  for (const Neurons &n : pops)
    out.sizes.push_back(uint32_t(n.u.size()));
  out.spikeCounts.assign(pops.size(), 0);
  std::vector<std::pair<uint32_t, uint32_t>> fired;
  std::vector<double> args, old, next;
  for (uint32_t t = 0; t < steps; ++t) {
    fired.clear();
    for (uint32_t p = 0; p < pops.size(); ++p) {
      Neurons &n = pops[p];
      const size_t size = n.u.size();
      double *q = &ring[p][(t % (maxDelay + 1)) * size];
      for (size_t i = 0; i < size; ++i) {
        if (n.model) {
          if (equationStep(n, i, q[i], args, old, next))
            fired.emplace_back(p, uint32_t(i));
          q[i] = 0;
          continue;
        }
        if (n.izhikevich) {
          if (izhikevichStep(n.v[i], n.u[i], n.ia[i], n.ib[i], n.ic[i], n.id[i],
                             q[i] + n.bias[i]))
            fired.emplace_back(p, uint32_t(i));
          q[i] = 0;
          continue;
        }
        n.u[i] = n.u[i] * (1 - n.du[i]) + q[i];
        q[i] = 0;
        const double v = n.v[i] * (1 - n.dv[i]) + n.u[i] + n.bias[i];
        double threshold = n.vth[i];
        if (n.adaptive) {
          // The adaptation decays every step, refractory or not.
          n.a[i] *= 1 - n.decayA[i];
          threshold += n.beta[i] * n.a[i];
        }
        if (n.left[i] > 0) {
          n.v[i] = 0;
          --n.left[i];
        } else if (n.spiking && v > threshold) {
          n.v[i] = n.subtract ? v - n.vth[i] : 0;
          n.left[i] = n.refractory[i];
          if (n.adaptive)
            n.a[i] += n.jump[i];
          fired.emplace_back(p, uint32_t(i));
        } else {
          n.v[i] = v;
        }
      }
    }
    if (observe)
      for (uint32_t p = 0; p < pops.size(); ++p)
        if (pops[p].model)
          observe(t, names[p], pops[p].states, pops[p].model->states);
    for (auto [p, i] : fired) {
      out.spikes.push_back(FloatSpike{t, names[p], i});
      ++out.spikeCounts[p];
      send(p, i, t);
    }
    for (auto [node, period, phase] : periodic)
      if (t >= phase && (t - phase) % period == 0)
        for (uint32_t i = 0; i < fanout[node].size(); ++i)
          send(node, i, t);
    if (auto it = sourceSpikes.find(t); it != sourceSpikes.end())
      for (auto [node, index] : it->second)
        if (index < fanout[node].size())
          send(node, index, t);
  }
  return out;
}

} // namespace

FailureOr<FloatRun> runFloat(snn::NetworkOp net, uint32_t steps,
                             const std::vector<FloatSpike> &inputs,
                             const FloatStateObserver &observe) {
  Engine engine;
  if (failed(engine.build(net, inputs)))
    return failure();
  return engine.run(steps, observe);
}

} // namespace cajal
