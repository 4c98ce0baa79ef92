//===- NIRParams.cpp - Reading node parameters ----------------------------===//
#include "NIRParams.h"

#include <cmath>
#include <cstdio>
#include <limits>

namespace cajal::nir {

std::string formatNumber(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

std::string formatShape(const Shape &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

int64_t shapeSize(const Shape &shape) {
  // Saturates instead of overflowing: callers compare with kMaxNeurons.
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d <= 0)
      return 0;
    if (n > std::numeric_limits<int64_t>::max() / d)
      return std::numeric_limits<int64_t>::max();
    n *= d;
  }
  return n;
}

Error nodeError(const std::string &node, const std::string &message) {
  if (node.empty())
    return makeError(message);
  return makeError("node '" + node + "': " + message,
                   ErrorSubject{ErrorSubject::Kind::Node, node, ""});
}

const Array *param(const FlatNode &node, const std::string &name) {
  if (!node.node)
    return nullptr;
  auto it = node.node->params.find(name);
  return it == node.node->params.end() ? nullptr : &it->second;
}

Result<int64_t> intParam(const FlatNode &n, const std::string &name,
                         int64_t fallback) {
  const Array *a = param(n, name);
  if (!a)
    return fallback;
  if (a->isText || a->size() != 1 || !a->loaded ||
      a->values[0] != std::floor(a->values[0]) ||
      std::fabs(a->values[0]) > double(kMaxNeurons))
    return nodeError(n.name, "'" + name + "' must be one integer of at most " +
                                 std::to_string(kMaxNeurons) + " in size");
  return int64_t(a->values[0]);
}

Status readSizes(const FlatNode &n, const char *name, Shape &out) {
  const Array *a = param(n, name);
  if (!a)
    return Status::ok();
  if (a->isText || a->shape.size() > 1 || !a->loaded)
    return nodeError(n.name, "'" + std::string(name) +
                                 "' must be a short list of sizes");
  for (double v : a->values) {
    if (!(v >= 1) || v != std::floor(v) || v > double(kMaxNeurons))
      return nodeError(n.name, "'" + std::string(name) + "' " +
                                   formatNumber(v) +
                                   " is not a positive size (at most " +
                                   std::to_string(kMaxNeurons) + ")");
    out.push_back(int64_t(v));
  }
  return Status::ok();
}

namespace {

/// (h, w) of a geometry parameter: one value for both, or two (one for 1-D).
Status pairParam(const FlatNode &n, const std::string &name, bool is1d,
                 int64_t fallback, int64_t &h, int64_t &w) {
  h = is1d ? (name == "stride" || name == "dilation" ? 1 : 0) : fallback;
  w = fallback;
  const Array *a = param(n, name);
  if (!a)
    return Status::ok();
  if (a->isText)
    return nodeError(n.name, "'" + name + "' must be numbers");
  const size_t count = a->size();
  if (count != 1 && count != (is1d ? 1u : 2u))
    return nodeError(n.name, "'" + name + "' has " + std::to_string(count) +
                                 " values; expected " +
                                 (is1d ? "1" : "1 or 2"));
  for (double v : a->values)
    if (v != std::floor(v) || v < 0 || v > double(kMaxNeurons))
      return nodeError(n.name, "'" + name + "' value " + formatNumber(v) +
                                   " is not an integer in [0, " +
                                   std::to_string(kMaxNeurons) + "]");
  w = int64_t(a->values.back());
  if (!is1d)
    h = int64_t(a->values.front());
  return Status::ok();
}

/// Conv padding given as text: "valid" (none) or "same" (symmetric).
Status textPadding(FlatNode &n, const std::string &mode, bool is1d) {
  Window &w = n.window;
  if (mode == "valid") {
    w.padH = w.padW = 0;
    return Status::ok();
  }
  const int64_t spanH = w.dilH * (w.kernelH - 1),
                spanW = w.dilW * (w.kernelW - 1);
  if (mode != "same" || spanH % 2 || spanW % 2)
    return nodeError(n.name, "padding '" + mode +
                                 "' is not supported (use 'valid', numbers, "
                                 "or 'same' with an odd kernel)");
  w.padH = is1d ? 0 : spanH / 2;
  w.padW = spanW / 2;
  return Status::ok();
}

} // namespace

Status readWindow(FlatNode &n, bool is1d, bool pool) {
  Window &w = n.window;
  if (pool) {
    if (!param(n, "kernel_size"))
      return nodeError(n.name, n.type + " needs 'kernel_size'");
    if (Status s = pairParam(n, "kernel_size", false, 1, w.kernelH, w.kernelW);
        !s)
      return s;
    if (Status s = pairParam(n, "stride", false, 0, w.strideH, w.strideW); !s)
      return s;
    if (!param(n, "stride")) {
      w.strideH = w.kernelH;
      w.strideW = w.kernelW;
    }
  } else {
    if (Status s = pairParam(n, "stride", is1d, 1, w.strideH, w.strideW); !s)
      return s;
    if (Status s = pairParam(n, "dilation", is1d, 1, w.dilH, w.dilW); !s)
      return s;
  }
  const Array *padding = param(n, "padding");
  if (padding && padding->isText && !pool) {
    if (padding->text.size() != 1)
      return nodeError(n.name, "'padding' text must be one word");
    if (Status s = textPadding(n, padding->text[0], is1d); !s)
      return s;
  } else if (Status s =
                 pairParam(n, "padding", is1d && !pool, 0, w.padH, w.padW);
             !s) {
    return s;
  }
  if (w.kernelH < 1 || w.kernelW < 1 || w.strideH < 1 || w.strideW < 1 ||
      w.dilH < 1 || w.dilW < 1)
    return nodeError(n.name, "kernel, stride and dilation must be >= 1");
  return Status::ok();
}

} // namespace cajal::nir
