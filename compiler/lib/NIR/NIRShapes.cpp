//===- NIRShapes.cpp - Infer and check the shape of every NIR node --------===//
//
// Shapes are known from parameters (an Input's `shape`, an Affine's weight,
// a neuron's per-neuron arrays, a Conv's `input_shape`) or flow along edges.
// The inference repeats two moves until nothing changes: forward, a node
// whose input is known computes its output (convolutions and pools by their
// window, Flatten by its dimensions, everything else keeps the shape);
// backward, a shape-preserving node whose output is known has that input,
// and an unknown output feeding a known input takes it. Then every node must
// have both shapes and every edge must carry the shape its target expects;
// the first edge that does not is the error.
//
//===----------------------------------------------------------------------===//
#include "NIRParams.h"

namespace cajal::nir {

namespace {

bool preservesShape(NodeKind kind) {
  switch (kind) {
  case NodeKind::Input:
  case NodeKind::Output:
  case NodeKind::Identity:
  case NodeKind::Scale:
  case NodeKind::Delay:
  case NodeKind::Neuron:
    return true;
  default:
    return false;
  }
}

int64_t windowOut(int64_t in, int64_t kernel, int64_t stride, int64_t pad,
                  int64_t dil) {
  const int64_t span = dil * (kernel - 1) + 1;
  return (in + 2 * pad - span) < 0 ? 0 : (in + 2 * pad - span) / stride + 1;
}

Result<Shape> flattenShape(const FlatNode &n, const Shape &in) {
  if (!n.declared.empty() && n.declared != in)
    return nodeError(n.name, "receives " + formatShape(in) +
                                 " but its input_type is " +
                                 formatShape(n.declared));
  const int64_t rank = int64_t(in.size());
  int64_t start = n.flattenStart < 0 ? n.flattenStart + rank : n.flattenStart;
  int64_t end = n.flattenEnd < 0 ? n.flattenEnd + rank : n.flattenEnd;
  if (start < 0 || end >= rank || start > end)
    return nodeError(n.name, "start_dim " + std::to_string(n.flattenStart) +
                                 " and end_dim " +
                                 std::to_string(n.flattenEnd) +
                                 " do not fit its input " + formatShape(in));
  Shape out(in.begin(), in.begin() + start);
  out.push_back(shapeSize(Shape(in.begin() + start, in.begin() + end + 1)));
  out.insert(out.end(), in.begin() + end + 1, in.end());
  return out;
}

/// Output of a conv or pool from its input (c, h, w) or, for Conv1d, (c, n).
Result<Shape> windowShape(const FlatNode &n, const Shape &in) {
  const size_t rank = n.is1d ? 2 : 3;
  if (in.size() != rank)
    return nodeError(n.name, n.type + " needs a " + std::to_string(rank) +
                                 "-D input (channels first), got " +
                                 formatShape(in));
  const int64_t h = n.is1d ? 1 : in[1], w = in.back();
  int64_t channels = in[0];
  if (n.kind == NodeKind::Conv) {
    const Array &weight = *param(n, "weight");
    const int64_t inC = weight.shape[1] * n.groups;
    if (in[0] != inC)
      return nodeError(n.name, "receives " + std::to_string(in[0]) +
                                   " channels; its weight expects " +
                                   std::to_string(inC));
    channels = weight.shape[0];
  }
  const Window &win = n.window;
  const int64_t oh = windowOut(h, win.kernelH, win.strideH, win.padH, win.dilH);
  const int64_t ow = windowOut(w, win.kernelW, win.strideW, win.padW, win.dilW);
  if (oh < 1 || ow < 1)
    return nodeError(n.name,
                     "its kernel does not fit its input " + formatShape(in));
  return n.is1d ? Shape{channels, ow} : Shape{channels, oh, ow};
}

Result<Shape> forward(const FlatNode &n, const Shape &in) {
  switch (n.kind) {
  case NodeKind::Flatten:
    return flattenShape(n, in);
  case NodeKind::Conv:
  case NodeKind::SumPool:
  case NodeKind::AvgPool:
    return windowShape(n, in);
  case NodeKind::Affine:
    return Shape{param(n, "weight")->shape[0]};
  default:
    return in;
  }
}

/// Shapes a node knows from its own parameters.
Status seed(FlatNode &n) {
  auto setIn = [&](const Shape &s) {
    n.in = s;
    n.inKnown = true;
  };
  if (n.kind == NodeKind::Affine) {
    const Array &w = *param(n, "weight");
    setIn({w.shape[1]});
  } else if (preservesShape(n.kind) && !n.declared.empty()) {
    setIn(n.declared);
  } else if (preservesShape(n.kind) && n.hasParamShape) {
    setIn(n.paramShape);
  } else if ((n.kind == NodeKind::Conv || n.kind == NodeKind::Flatten) &&
             !n.declared.empty()) {
    setIn(n.kind == NodeKind::Conv && n.is1d
              ? Shape{n.declared[0], n.declared[1]}
              : n.declared);
  }
  if (!n.inKnown)
    return Status::ok();
  Result<Shape> out = forward(n, n.in);
  if (!out)
    return out.takeError();
  n.out = *out;
  n.outKnown = true;
  return Status::ok();
}

/// One round of propagation; true if anything changed.
Result<bool> propagate(FlatGraph &g) {
  bool changed = false;
  for (const auto &[from, to] : g.edges) {
    FlatNode &a = g.nodes[from], &b = g.nodes[to];
    if (a.outKnown && !b.inKnown) {
      b.in = a.out;
      b.inKnown = changed = true;
    } else if (b.inKnown && !a.outKnown) {
      a.out = b.in;
      a.outKnown = changed = true;
      if (preservesShape(a.kind) && !a.inKnown) {
        a.in = a.out;
        a.inKnown = true;
      }
    }
    if (b.inKnown && !b.outKnown) {
      Result<Shape> out = forward(b, b.in);
      if (!out)
        return out.takeError();
      b.out = *out;
      b.outKnown = changed = true;
    }
  }
  return changed;
}

} // namespace

Status inferShapes(FlatGraph &g) {
  for (FlatNode &n : g.nodes)
    if (Status s = seed(n); !s)
      return s;
  for (size_t round = 0; round <= g.nodes.size() + 1; ++round) {
    Result<bool> changed = propagate(g);
    if (!changed)
      return changed.takeError();
    if (!*changed)
      break;
  }
  for (const FlatNode &n : g.nodes)
    if (!n.inKnown || !n.outKnown)
      return nodeError(n.name, "its shape cannot be inferred (no edge brings "
                               "a known shape and its parameters are "
                               "scalars)");
  for (const FlatNode &n : g.nodes)
    for (const Shape *s : {&n.in, &n.out}) {
      const int64_t size = shapeSize(*s);
      if (size == 0)
        return nodeError(n.name,
                         "its shape " + formatShape(*s) + " has no elements");
      if (size > kMaxNeurons)
        return nodeError(n.name, "its shape " + formatShape(*s) +
                                     " has more than " +
                                     std::to_string(kMaxNeurons) + " elements");
    }
  for (const auto &[from, to] : g.edges) {
    const FlatNode &a = g.nodes[from], &b = g.nodes[to];
    if (a.out != b.in)
      return nodeError(b.name, "edge '" + a.name + "' -> '" + b.name + "': '" +
                                   a.name + "' produces " + formatShape(a.out) +
                                   ", '" + b.name + "' expects " +
                                   formatShape(b.in));
  }
  for (const FlatNode &n : g.nodes) {
    Result<Shape> out = forward(n, n.in);
    if (!out)
      return out.takeError();
    if (*out != n.out)
      return nodeError(n.name, "its input " + formatShape(n.in) + " gives " +
                                   formatShape(*out) + ", but its output is " +
                                   formatShape(n.out));
  }
  return Status::ok();
}

} // namespace cajal::nir
