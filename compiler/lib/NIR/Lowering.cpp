//===- Lowering.cpp - NIR graph to populations and projections ------------===//
//
// 1. Loops: a depth-first search over the linear nodes (everything but
//    neurons and Inputs) finds any cycle that no neuron breaks; such a graph
//    has no step-by-step meaning and is refused, naming the nodes.
// 2. Paths: from every sender (Input, neuron) a depth-first walk through
//    linear nodes collects each path to a neuron node (a projection) and to
//    an Output node (a recording).
// 3. Constants: the biases of Affine and Conv nodes flow forward through the
//    linear nodes after them (memoised per node); what reaches a neuron is
//    its constant input.
// 4. Each path becomes one projection per Delay value (LinearOps.h for the
//    kernel folding and the composition), named after its last weighted node.
//
//===----------------------------------------------------------------------===//
#include "LinearOps.h"
#include "NIRParams.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace cajal::nir {

namespace {

/// Refuse graphs with more paths than this (a combinatorial explosion of
/// parallel linear branches, not a real model).
constexpr size_t kMaxPaths = 100000;
/// A Delay whose elements differ splits a path into at most this many.
constexpr size_t kMaxDelayVariants = 64;
/// Dense weights when a matrix of at most this many entries is at least a
/// quarter full.
constexpr uint64_t kMaxDenseEntries = uint64_t(1) << 22;

bool isLinear(const FlatNode &n) {
  return n.kind != NodeKind::Neuron && n.kind != NodeKind::Input;
}

struct Path {
  uint32_t sender = 0; ///< node
  std::vector<uint32_t> chain;
  uint32_t target = 0; ///< node
};

struct Variant {
  std::vector<PathOp> ops;
  uint32_t steps = 0;
};

class Lowerer {
public:
  Lowerer(const FlatGraph &graph, double step) : g(graph), dt(step) {
    succ.resize(g.nodes.size());
    pred.resize(g.nodes.size());
    for (const auto &[a, b] : g.edges) {
      succ[a].push_back(b);
      pred[b].push_back(a);
    }
    constants.resize(g.nodes.size());
    constantDone.resize(g.nodes.size(), false);
  }

  Result<Lowered> run();

private:
  Status checkLoops();
  Status loopFrom(uint32_t n, std::vector<int> &color,
                  std::vector<uint32_t> &stack);
  Status walk(uint32_t sender, uint32_t n, std::vector<uint32_t> &chain);
  const std::vector<double> &constantOut(uint32_t n);
  Result<std::vector<Variant>> variants(const Path &p);
  Status lowerPath(const Path &p);
  void connect(LoweredProjection &proj, const std::vector<PathOp> &ops,
               uint32_t preSize, uint32_t postSize);
  void recordOutput(const Path &p);
  std::string uniqueName(const std::string &base);

  const FlatGraph &g;
  double dt;
  std::vector<std::vector<uint32_t>> succ, pred;
  std::vector<Path> paths, outputs;
  std::vector<std::vector<double>> constants;
  std::vector<bool> constantDone;
  std::map<uint32_t, Sender> senders;
  std::set<std::string> names;
  Lowered out;
};

Status Lowerer::loopFrom(uint32_t n, std::vector<int> &color,
                         std::vector<uint32_t> &stack) {
  color[n] = 1;
  stack.push_back(n);
  for (uint32_t s : succ[n]) {
    if (!isLinear(g.nodes[s]))
      continue;
    if (color[s] == 1) {
      std::string cycle;
      auto it = std::find(stack.begin(), stack.end(), s);
      for (; it != stack.end(); ++it)
        cycle += "'" + g.nodes[*it].name + "' -> ";
      return nodeError(g.nodes[s].name,
                       "is on a loop with no neuron in it (" + cycle + "'" +
                           g.nodes[s].name +
                           "'): a signal would feed back within one step");
    }
    if (color[s] == 0)
      if (Status st = loopFrom(s, color, stack); !st)
        return st;
  }
  stack.pop_back();
  color[n] = 2;
  return Status::ok();
}

Status Lowerer::checkLoops() {
  std::vector<int> color(g.nodes.size(), 0);
  std::vector<uint32_t> stack;
  for (uint32_t n = 0; n < g.nodes.size(); ++n)
    if (isLinear(g.nodes[n]) && color[n] == 0)
      if (Status s = loopFrom(n, color, stack); !s)
        return s;
  return Status::ok();
}

Status Lowerer::walk(uint32_t sender, uint32_t n,
                     std::vector<uint32_t> &chain) {
  if (paths.size() + outputs.size() > kMaxPaths)
    return nodeError(g.nodes[sender].name,
                     "its spikes reach the neurons along more than " +
                         std::to_string(kMaxPaths) + " paths");
  const FlatNode &node = g.nodes[n];
  if (node.kind == NodeKind::Neuron) {
    paths.push_back(Path{sender, chain, n});
    return Status::ok();
  }
  if (node.kind == NodeKind::Output)
    outputs.push_back(Path{sender, chain, n});
  chain.push_back(n);
  for (uint32_t s : succ[n])
    if (Status st = walk(sender, s, chain); !st)
      return st;
  chain.pop_back();
  return Status::ok();
}

const std::vector<double> &Lowerer::constantOut(uint32_t n) {
  if (constantDone[n])
    return constants[n];
  constantDone[n] = true;
  std::vector<double> in;
  for (uint32_t p : pred[n]) {
    if (!isLinear(g.nodes[p]))
      continue;
    const std::vector<double> &c = constantOut(p);
    if (c.empty())
      continue;
    if (in.empty())
      in.assign(c.size(), 0.0);
    for (size_t i = 0; i < c.size(); ++i)
      in[i] += c[i];
  }
  if (!in.empty() || hasBias(g.nodes[n]))
    constants[n] = applyNode(g.nodes[n], in, /*withBias=*/true);
  return constants[n];
}

Result<std::vector<Variant>> Lowerer::variants(const Path &p) {
  std::vector<Variant> vs(1);
  for (uint32_t n : p.chain) {
    const FlatNode &node = g.nodes[n];
    if (node.kind != NodeKind::Delay) {
      if (!isIdentity(node.kind))
        for (Variant &v : vs)
          v.ops.push_back(PathOp{n, false, {}});
      continue;
    }
    const Array &delay = *param(node, "delay");
    const size_t size = size_t(shapeSize(node.in));
    std::map<uint32_t, std::vector<double>> masks; // steps -> mask
    for (size_t i = 0; i < size; ++i) {
      const double steps = std::round(valueAt(delay, i) / dt);
      if (steps > double(UINT16_MAX))
        return nodeError(node.name, "delay " + formatNumber(valueAt(delay, i)) +
                                        " s is more than 65535 steps of dt");
      auto &mask = masks[uint32_t(steps)];
      mask.resize(size, 0.0);
      mask[i] = 1.0;
    }
    std::vector<Variant> next;
    for (const Variant &v : vs)
      for (const auto &[steps, mask] : masks) {
        Variant w = v;
        w.steps += steps;
        if (masks.size() > 1)
          w.ops.push_back(PathOp{n, true, mask});
        next.push_back(std::move(w));
      }
    if (next.size() > kMaxDelayVariants)
      return nodeError(node.name, "its delays differ in more than " +
                                      std::to_string(kMaxDelayVariants) +
                                      " ways along one path");
    vs = std::move(next);
  }
  return vs;
}

void Lowerer::connect(LoweredProjection &proj, const std::vector<PathOp> &ops,
                      uint32_t preSize, uint32_t postSize) {
  if (ops.empty()) {
    proj.kind = ConnKind::OneToOne;
    proj.weights = {1.0};
    return;
  }
  if (ops.size() == 1 &&
      (ops[0].isMask || g.nodes[ops[0].node].kind == NodeKind::Scale)) {
    proj.kind = ConnKind::OneToOne;
    proj.weights.assign(postSize, 0.0);
    forEachEntry(g, ops[0],
                 [&](uint32_t o, uint32_t, double w) { proj.weights[o] = w; });
    return;
  }
  if (std::optional<ConvKernel> k = foldConv(g, ops)) {
    proj.kind = ConnKind::Conv2d;
    proj.weights = std::move(k->weights);
    proj.window = k->window;
    proj.outChannels = k->outC;
    proj.inShape = k->inShape;
    return;
  }
  SparseRows m = identityRows(preSize);
  for (const PathOp &op : ops)
    m = compose(g, op, m,
                op.isMask ? uint32_t(op.mask.size())
                          : uint32_t(shapeSize(g.nodes[op.node].out)));
  const uint64_t entries = uint64_t(preSize) * postSize;
  if (entries <= kMaxDenseEntries && m.nonZeros() * 4 >= entries) {
    proj.kind = ConnKind::Dense;
    proj.weights.assign(entries, 0.0);
    for (uint32_t r = 0; r < postSize; ++r)
      for (const auto &[c, v] : m.rows[r])
        proj.weights[size_t(r) * preSize + c] = v;
    return;
  }
  proj.kind = ConnKind::Sparse;
  for (uint32_t r = 0; r < postSize; ++r)
    for (const auto &[c, v] : m.rows[r]) {
      proj.preIndex.push_back(c);
      proj.postIndex.push_back(r);
      proj.weights.push_back(v);
    }
}

std::string Lowerer::uniqueName(const std::string &base) {
  std::string name = base;
  for (int k = 2; names.count(name); ++k)
    name = base + "#" + std::to_string(k);
  names.insert(name);
  return name;
}

Status Lowerer::lowerPath(const Path &p) {
  Result<std::vector<Variant>> vs = variants(p);
  if (!vs)
    return vs.takeError();
  const uint32_t preSize = uint32_t(shapeSize(g.nodes[p.sender].out));
  const uint32_t postSize = uint32_t(shapeSize(g.nodes[p.target].in));
  // Named after the last node with weights, else the last node, else the
  // two ends.
  std::string base;
  uint32_t last = p.target;
  for (uint32_t n : p.chain)
    if (!isIdentity(g.nodes[n].kind) || base.empty()) {
      base = g.nodes[n].name;
      last = n;
    }
  if (base.empty())
    base = g.nodes[p.sender].name + "->" + g.nodes[p.target].name;
  for (const Variant &v : *vs) {
    LoweredProjection proj;
    proj.name = uniqueName(
        vs->size() > 1 ? base + ".d" + std::to_string(v.steps) : base);
    proj.lastNode = last;
    proj.pre = senders.at(p.sender);
    proj.post = senders.at(p.target).index;
    proj.delay = 1 + v.steps;
    connect(proj, v.ops, preSize, postSize);
    if (proj.weights.empty() ||
        (proj.kind == ConnKind::Sparse && proj.preIndex.empty())) {
      out.warnings.push_back(nodeError(g.nodes[last].name,
                                       "its weights are all zero; no "
                                       "projection is made"));
      continue;
    }
    out.projections.push_back(std::move(proj));
  }
  return Status::ok();
}

void Lowerer::recordOutput(const Path &p) {
  const FlatNode &o = g.nodes[p.target];
  if (g.nodes[p.sender].kind == NodeKind::Input)
    return; // an Input routed straight to an Output: nothing to record
  for (uint32_t n : p.chain)
    if (!isIdentity(g.nodes[n].kind)) {
      out.warnings.push_back(
          nodeError(o.name, "receives values weighted by '" + g.nodes[n].name +
                                "', not spikes; it is not recorded"));
      return;
    }
  for (LoweredPopulation &pop : out.populations)
    for (const std::string &alias : pop.aliases)
      if (alias == o.name) {
        if (pop.node != p.sender)
          out.warnings.push_back(
              nodeError(o.name, "is fed by more than one neuron node; it "
                                "records only '" +
                                    pop.name + "'"));
        return;
      }
  out.populations[senders.at(p.sender).index].aliases.push_back(o.name);
}

Result<Lowered> Lowerer::run() {
  if (Status s = checkLoops(); !s)
    return s.takeError();
  for (uint32_t n = 0; n < g.nodes.size(); ++n) {
    const FlatNode &node = g.nodes[n];
    if (node.kind == NodeKind::Input) {
      senders[n] = Sender{true, uint32_t(out.inputs.size())};
      out.inputs.push_back(LoweredInput{n, node.name, node.out});
      names.insert(node.name);
    } else if (node.kind == NodeKind::Neuron) {
      senders[n] = Sender{false, uint32_t(out.populations.size())};
      LoweredPopulation pop;
      pop.node = n;
      pop.name = node.name;
      pop.type = node.neuron;
      pop.shape = node.out;
      out.populations.push_back(std::move(pop));
      names.insert(node.name);
    }
  }
  for (const auto &[node, sender] : senders) {
    std::vector<uint32_t> chain;
    for (uint32_t s : succ[node])
      if (Status st = walk(node, s, chain); !st)
        return st.takeError();
  }
  for (LoweredPopulation &pop : out.populations)
    for (uint32_t p : pred[pop.node]) {
      if (!isLinear(g.nodes[p]))
        continue;
      const std::vector<double> &c = constantOut(p);
      if (c.empty())
        continue;
      pop.bias.resize(c.size(), 0.0);
      for (size_t i = 0; i < c.size(); ++i)
        pop.bias[i] += c[i];
    }
  for (const Path &p : paths)
    if (Status s = lowerPath(p); !s)
      return s.takeError();
  for (const Path &p : outputs)
    recordOutput(p);
  return std::move(out);
}

} // namespace

Result<Lowered> lowerGraph(const FlatGraph &graph, double dt) {
  if (!(dt > 0) || !std::isfinite(dt))
    return makeError("dt = " + formatNumber(dt) + " s must be > 0");
  if (!graph.loaded)
    return makeError("the parameters of the graph are not loaded (call "
                     "loadParameters after inferShapes)");
  Lowerer lowerer(graph, dt);
  return lowerer.run();
}

} // namespace cajal::nir
