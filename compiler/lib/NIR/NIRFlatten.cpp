//===- NIRFlatten.cpp - Flatten nested NIR graphs, classify nodes ---------===//
//
// A nested NIRGraph node G is replaced by its nodes, renamed "G.<name>"; its
// Input and Output nodes become identities through which the outer edges
// into and out of G are routed (an edge to G goes to G's only Input node, an
// edge from G leaves from its only Output node). Then every node is
// classified by its type and its parameters are checked from their shapes:
// required ones present, numeric, of one shape per node (scalars
// broadcast), weights with at least one element. Geometry of convolutions
// and pools is read into a Window. Values that may not be read yet (large
// datasets wait for loadParameters) are checked by checkValues: finite,
// and physical (time constants > 0, delays >= 0).
//
//===----------------------------------------------------------------------===//
#include "NIRParams.h"

#include <cmath>
#include <set>

namespace cajal::nir {

namespace {

struct NeuronSpec {
  const char *type;
  NeuronType neuron;
  std::vector<const char *> required, optional;
};

const std::vector<NeuronSpec> &neuronSpecs() {
  static const std::vector<NeuronSpec> specs = {
      {"I", NeuronType::I, {"r"}, {}},
      {"IF", NeuronType::IF, {"r", "v_threshold"}, {"v_reset"}},
      {"LI", NeuronType::LI, {"tau", "r", "v_leak"}, {}},
      {"LIF",
       NeuronType::LIF,
       {"tau", "r", "v_leak", "v_threshold"},
       {"v_reset"}},
      {"CubaLI",
       NeuronType::CubaLI,
       {"tau_syn", "tau_mem", "r", "v_leak"},
       {"w_in"}},
      {"CubaLIF",
       NeuronType::CubaLIF,
       {"tau_syn", "tau_mem", "r", "v_leak", "v_threshold"},
       {"v_reset", "w_in"}},
      {"Threshold", NeuronType::Threshold, {"threshold"}, {}},
  };
  return specs;
}

/// Check a neuron's parameters and find its shape.
Status classifyNeuron(FlatNode &n, const NeuronSpec &spec) {
  n.kind = NodeKind::Neuron;
  n.neuron = spec.neuron;
  std::string shapeFrom;
  auto check = [&](const char *name, bool required) -> Status {
    const Array *a = param(n, name);
    if (!a)
      return required ? nodeError(n.name, n.type + " needs parameter '" +
                                              std::string(name) + "'")
                      : Status::ok();
    if (a->isText)
      return nodeError(n.name, std::string("parameter '") + name +
                                   "' must be numbers, not text");
    if (a->size() == 0)
      return nodeError(n.name,
                       std::string("parameter '") + name + "' is empty");
    if (a->shape.empty())
      return Status::ok();
    if (!n.hasParamShape) {
      n.paramShape = a->shape;
      n.hasParamShape = true;
      shapeFrom = name;
    } else if (a->shape != n.paramShape) {
      return nodeError(n.name, std::string("parameter '") + name + "' has " +
                                   std::to_string(a->size()) +
                                   " values (shape " + formatShape(a->shape) +
                                   "), but '" + shapeFrom + "' has " +
                                   std::to_string(shapeSize(n.paramShape)) +
                                   " (shape " + formatShape(n.paramShape) +
                                   "): one value per neuron or one scalar");
    }
    return Status::ok();
  };
  for (const char *name : spec.required)
    if (Status s = check(name, true); !s)
      return s;
  for (const char *name : spec.optional)
    if (Status s = check(name, false); !s)
      return s;
  return Status::ok();
}

Status classifyConv(FlatNode &n, bool is1d) {
  n.kind = NodeKind::Conv;
  n.is1d = is1d;
  const Array *w = param(n, "weight");
  const size_t rank = is1d ? 3 : 4;
  if (!w || w->isText || w->shape.size() != rank)
    return nodeError(n.name, n.type + " needs a " + std::to_string(rank) +
                                 "-D numeric 'weight'");
  if (w->count == 0)
    return nodeError(n.name, "'weight' has shape " + formatShape(w->shape) +
                                 ": a convolution needs at least one output "
                                 "channel, input channel and kernel element");
  Result<int64_t> groups = intParam(n, "groups", 1);
  if (!groups)
    return groups.takeError();
  n.groups = *groups;
  if (n.groups < 1 || w->shape[0] % n.groups != 0)
    return nodeError(n.name, "groups = " + std::to_string(n.groups) +
                                 " must be >= 1 and divide the " +
                                 std::to_string(w->shape[0]) +
                                 " output channels");
  n.window.kernelH = is1d ? 1 : w->shape[2];
  n.window.kernelW = w->shape[rank - 1];
  if (Status s = readWindow(n, is1d, /*pool=*/false); !s)
    return s;
  const Array *b = param(n, "bias");
  if (b && (b->isText || (b->size() != 1 && b->size() != size_t(w->shape[0]))))
    return nodeError(n.name, "'bias' has " + std::to_string(b->size()) +
                                 " values; the convolution has " +
                                 std::to_string(w->shape[0]) +
                                 " output channels");
  const int64_t inC = w->shape[1] * n.groups;
  if (const Array *in = param(n, "input_shape")) {
    if (in->isText || in->size() != (is1d ? 1u : 2u))
      return nodeError(n.name, "'input_shape' must hold " +
                                   std::string(is1d ? "1 value" : "2 values"));
    n.declared = {inC};
    return readSizes(n, "input_shape", n.declared);
  }
  return Status::ok();
}

Status classifyAffine(FlatNode &n, bool hasBias) {
  n.kind = NodeKind::Affine;
  const Array *w = param(n, "weight");
  if (!w || w->isText || w->shape.size() != 2)
    return nodeError(
        n.name, n.type + " needs a 2-D numeric 'weight' (got " +
                    (w ? formatShape(w->shape) : std::string("none")) + ")");
  if (w->count == 0)
    return nodeError(n.name, "'weight' has shape " + formatShape(w->shape) +
                                 ": a layer needs at least one output and "
                                 "one input");
  const Array *b = param(n, "bias");
  if (hasBias && !b)
    return nodeError(n.name, "Affine needs a 'bias'");
  if (hasBias && (b->isText || (b->size() != size_t(w->shape[0]))))
    return nodeError(n.name, "'bias' has " + std::to_string(b->size()) +
                                 " values; 'weight' has " +
                                 std::to_string(w->shape[0]) + " rows");
  return Status::ok();
}

/// Scale and Delay: one numeric array (or scalar) that fixes the shape.
Status classifyElementwise(FlatNode &n, const char *name, NodeKind kind) {
  n.kind = kind;
  const Array *a = param(n, name);
  if (!a || a->isText || a->size() == 0)
    return nodeError(n.name, n.type + " needs a numeric '" + name + "'");
  if (!a->shape.empty()) {
    n.paramShape = a->shape;
    n.hasParamShape = true;
  }
  return Status::ok();
}

Status classifyFlatten(FlatNode &n) {
  n.kind = NodeKind::Flatten;
  Result<int64_t> start = intParam(n, "start_dim", 1);
  Result<int64_t> end = intParam(n, "end_dim", -1);
  if (!start)
    return start.takeError();
  if (!end)
    return end.takeError();
  n.flattenStart = *start;
  n.flattenEnd = *end;
  return readSizes(n, "input_type", n.declared);
}

Status classifyPort(FlatNode &n, bool top) {
  n.kind = !top ? NodeKind::Identity
                : (n.type == "Input" ? NodeKind::Input : NodeKind::Output);
  const Array *shape = param(n, "shape");
  if (!shape)
    return n.kind == NodeKind::Input
               ? nodeError(n.name, "Input needs its 'shape'")
               : Status::ok();
  if (shape->isText || shape->shape.size() > 1 || shape->size() == 0)
    return nodeError(n.name, "'shape' must be a list of sizes");
  return readSizes(n, "shape", n.declared);
}

Status classify(FlatNode &n, bool top) {
  const std::string &t = n.type;
  if (t == "Input" || t == "Output")
    return classifyPort(n, top);
  if (t == "Affine" || t == "Linear")
    return classifyAffine(n, t == "Affine");
  if (t == "Scale")
    return classifyElementwise(n, "scale", NodeKind::Scale);
  if (t == "Delay")
    return classifyElementwise(n, "delay", NodeKind::Delay);
  if (t == "Flatten")
    return classifyFlatten(n);
  if (t == "Conv1d" || t == "Conv2d")
    return classifyConv(n, t == "Conv1d");
  if (t == "SumPool2d" || t == "AvgPool2d") {
    n.kind = t == "SumPool2d" ? NodeKind::SumPool : NodeKind::AvgPool;
    return readWindow(n, /*is1d=*/false, /*pool=*/true);
  }
  for (const NeuronSpec &spec : neuronSpecs())
    if (t == spec.type)
      return classifyNeuron(n, spec);
  return nodeError(n.name,
                   "unknown node type '" + t +
                       "' (known: Input, Output, Affine, Linear, Scale, "
                       "Threshold, Flatten, Delay, Conv1d, Conv2d, "
                       "SumPool2d, AvgPool2d, I, IF, LI, LIF, CubaLI, "
                       "CubaLIF, NIRGraph)");
}

/// Some exporters (snnTorch's nested graphs) store a nested graph's node
/// under another key than its edges use ("lif1" vs "lif"). When a nested
/// graph's edges name exactly one unknown node and exactly one of its nodes
/// is named by no edge, the edges mean that node: its key is returned (the
/// caller warns nothing; docs/nir.md says so). Otherwise "".
std::string repairedName(const Graph &g, bool top) {
  if (top)
    return "";
  std::set<std::string> known, named, unknown;
  for (const Node &n : g.nodes)
    known.insert(n.name);
  for (const auto &[from, to] : g.edges)
    for (const std::string &end : {from, to}) {
      named.insert(end);
      if (!known.count(end))
        unknown.insert(end);
    }
  std::vector<std::string> unnamed;
  for (const Node &n : g.nodes)
    if (!named.count(n.name))
      unnamed.push_back(n.name);
  return unknown.size() == 1 && unnamed.size() == 1 ? unnamed[0] : "";
}

std::string joinName(const std::string &prefix, const std::string &name) {
  return prefix.empty() ? name : prefix + "." + name;
}

class Flattener {
public:
  explicit Flattener(FlatGraph &flat) : out(flat) {}

  /// Add graph `g` under `prefix`; for a nested graph, `entry` and `exit`
  /// receive its Input and Output node (or stay unset).
  Status add(const Graph &g, const std::string &prefix,
             std::optional<uint32_t> *entry, std::optional<uint32_t> *exit);

private:
  Status addNode(const Node &node, const std::string &path, bool top,
                 std::optional<uint32_t> &in, std::optional<uint32_t> &out);
  FlatGraph &out;
  std::set<std::string> names;
};

Status Flattener::addNode(const Node &node, const std::string &path, bool top,
                          std::optional<uint32_t> &in,
                          std::optional<uint32_t> &outId) {
  if (node.graph)
    return add(*node.graph, path, &in, &outId);
  if (!names.insert(path).second)
    return nodeError(path, "two nodes have this name once nested graphs are "
                           "flattened");
  if (out.nodes.size() >= kMaxNodes)
    return nodeError(path, "the graph has more than " +
                               std::to_string(kMaxNodes) + " nodes");
  FlatNode n;
  n.name = path;
  n.type = node.type;
  n.node = &node;
  if (Status s = classify(n, top); !s)
    return s;
  in = outId = uint32_t(out.nodes.size());
  out.nodes.push_back(std::move(n));
  return Status::ok();
}

Status Flattener::add(const Graph &g, const std::string &prefix,
                      std::optional<uint32_t> *entry,
                      std::optional<uint32_t> *exit) {
  const bool top = entry == nullptr;
  std::map<std::string,
           std::pair<std::optional<uint32_t>, std::optional<uint32_t>>>
      local;
  for (const Node &node : g.nodes) {
    const std::string path = joinName(prefix, node.name);
    auto &[in, outId] = local[node.name];
    if (Status s = addNode(node, path, top, in, outId); !s)
      return s;
    if (top || node.graph)
      continue;
    std::optional<uint32_t> *port =
        node.type == "Input" ? entry : (node.type == "Output" ? exit : nullptr);
    if (port && port->has_value())
      return nodeError(prefix, "a nested graph may have one Input and one "
                               "Output node; it has more");
    if (port)
      *port = in;
  }
  const std::string renamed = repairedName(g, top);
  for (auto [from, to] : g.edges) {
    if (!renamed.empty()) {
      from = local.count(from) ? from : renamed;
      to = local.count(to) ? to : renamed;
    }
    auto a = local.find(from), b = local.find(to);
    const std::string edge = "edge '" + from + "' -> '" + to + "'";
    if (a == local.end() || b == local.end()) {
      // Name the end that exists (or the graph, when neither does).
      const std::string &known = a == local.end() ? to : from;
      const bool either = a != local.end() || b != local.end();
      return nodeError(either ? joinName(prefix, known) : prefix,
                       edge + ": there is no node '" +
                           (a == local.end() ? from : to) + "'");
    }
    if (!a->second.second)
      return nodeError(prefix, edge + ": nested graph '" + from +
                                   "' has no Output node");
    if (!b->second.first)
      return nodeError(prefix,
                       edge + ": nested graph '" + to + "' has no Input node");
    out.edges.emplace_back(*a->second.second, *b->second.first);
  }
  return Status::ok();
}

} // namespace

const char *neuronTypeName(NeuronType type) {
  for (const NeuronSpec &spec : neuronSpecs())
    if (spec.neuron == type)
      return spec.type;
  return "?";
}

std::optional<uint32_t> FlatGraph::find(const std::string &name) const {
  for (size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].name == name)
      return uint32_t(i);
  return std::nullopt;
}

namespace {

/// Every value of parameter `name` of `n` passes `ok`; else the error
/// "<name>[i] = <v><what>".
Status checkEach(const FlatNode &n, const char *name, bool (*ok)(double),
                 const char *what) {
  const Array *a = param(n, name);
  if (!a || a->isText)
    return Status::ok();
  for (size_t i = 0; i < a->values.size(); ++i)
    if (!ok(a->values[i]))
      return nodeError(n.name, std::string(name) + "[" + std::to_string(i) +
                                   "] = " + formatNumber(a->values[i]) + what);
  return Status::ok();
}

bool finite(double v) { return std::isfinite(v); }
bool positiveTime(double v) { return std::isfinite(v) && v > 0; }
bool nonNegativeTime(double v) { return std::isfinite(v) && v >= 0; }

Status checkNodeValues(const FlatNode &n) {
  switch (n.kind) {
  case NodeKind::Neuron:
    for (const NeuronSpec &spec : neuronSpecs()) {
      if (spec.neuron != n.neuron)
        continue;
      for (const auto *names : {&spec.required, &spec.optional})
        for (const char *name : *names) {
          const bool time = std::string(name).rfind("tau", 0) == 0;
          if (Status s = checkEach(n, name, finite, " must be finite"); !s)
            return s;
          if (time)
            if (Status s = checkEach(n, name, positiveTime, " s must be > 0");
                !s)
              return s;
        }
    }
    return Status::ok();
  case NodeKind::Affine:
  case NodeKind::Conv:
    if (Status s = checkEach(n, "weight", finite, " is not finite"); !s)
      return s;
    return checkEach(n, "bias", finite, " is not finite");
  case NodeKind::Scale:
    return checkEach(n, "scale", finite, " must be finite");
  case NodeKind::Delay:
    return checkEach(n, "delay", nonNegativeTime, " s must be >= 0 and finite");
  default:
    return Status::ok();
  }
}

} // namespace

Status checkValues(const FlatGraph &graph) {
  for (const FlatNode &n : graph.nodes)
    if (Status s = checkNodeValues(n); !s)
      return s;
  return Status::ok();
}

Result<FlatGraph> flattenGraph(const File &file) {
  FlatGraph out;
  out.path = file.path;
  Flattener flattener(out);
  if (Status s = flattener.add(file.graph, "", nullptr, nullptr); !s)
    return s.takeError();
  for (const auto &[from, to] : out.edges)
    if (out.nodes[to].kind == NodeKind::Input)
      return nodeError(out.nodes[to].name,
                       "an Input node cannot receive an edge (from '" +
                           out.nodes[from].name + "')");
  return out;
}

} // namespace cajal::nir
