//===- LinearOps.cpp - The linear map of a NIR node -----------------------===//
//
// Convolutions and pools are enumerated window by window over their (c, h,
// w) input (a Conv1d is a convolution of height 1). Composition multiplies
// sparse rows with a dense scratch row and a list of touched columns, so its
// cost follows the number of products, not the matrix size.
//
// Folding a pool (kernel k = stride s, no padding, input divisible by s)
// into the convolution (kernel K, stride S, padding P, dilation D) after it:
// the convolution reads pooled element S j + D b - P, which sums inputs
// s (S j + D b - P) + a for a in [0, s). That is one convolution with
// stride s S, padding s P and kernel taps kappa = s D b + a (kernel size
// s D (K - 1) + s), each tap the weight of b (divided by s^2 for AvgPool).
// Pooled padding reads zeros, and so do the input positions it maps to.
//
//===----------------------------------------------------------------------===//
#include "LinearOps.h"
#include "NIRParams.h"

#include <algorithm>

namespace cajal::nir {

namespace {

/// (c, h, w) of a 2-D or 1-D (c, n) shape.
void chw(const Shape &s, int64_t &c, int64_t &h, int64_t &w) {
  c = s[0];
  h = s.size() == 3 ? s[1] : 1;
  w = s.back();
}

void convEntries(const FlatNode &n, const EntryFn &fn) {
  const Array &weight = *param(n, "weight");
  int64_t inC, h, w, outC, oh, ow;
  chw(n.in, inC, h, w);
  chw(n.out, outC, oh, ow);
  const Window &k = n.window;
  const int64_t groupIn = inC / n.groups, groupOut = outC / n.groups;
  for (int64_t oc = 0; oc < outC; ++oc) {
    const int64_t g = oc / groupOut;
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t x = 0; x < ow; ++x) {
        const uint32_t out = uint32_t((oc * oh + y) * ow + x);
        for (int64_t icg = 0; icg < groupIn; ++icg)
          for (int64_t ky = 0; ky < k.kernelH; ++ky) {
            const int64_t iy = y * k.strideH - k.padH + ky * k.dilH;
            if (iy < 0 || iy >= h)
              continue;
            for (int64_t kx = 0; kx < k.kernelW; ++kx) {
              const int64_t ix = x * k.strideW - k.padW + kx * k.dilW;
              if (ix < 0 || ix >= w)
                continue;
              const double v = weight.values[size_t(
                  ((oc * groupIn + icg) * k.kernelH + ky) * k.kernelW + kx)];
              const int64_t ic = g * groupIn + icg;
              if (v != 0)
                fn(out, uint32_t((ic * h + iy) * w + ix), v);
            }
          }
      }
  }
}

void poolEntries(const FlatNode &n, const EntryFn &fn) {
  int64_t c, h, w, oc, oh, ow;
  chw(n.in, c, h, w);
  chw(n.out, oc, oh, ow);
  const Window &k = n.window;
  const double v =
      n.kind == NodeKind::AvgPool ? 1.0 / double(k.kernelH * k.kernelW) : 1.0;
  for (int64_t ch = 0; ch < c; ++ch)
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t x = 0; x < ow; ++x)
        for (int64_t ky = 0; ky < k.kernelH; ++ky) {
          const int64_t iy = y * k.strideH - k.padH + ky;
          if (iy < 0 || iy >= h)
            continue;
          for (int64_t kx = 0; kx < k.kernelW; ++kx) {
            const int64_t ix = x * k.strideW - k.padW + kx;
            if (ix >= 0 && ix < w)
              fn(uint32_t((ch * oh + y) * ow + x),
                 uint32_t((ch * h + iy) * w + ix), v);
          }
        }
}

} // namespace

bool isIdentity(NodeKind kind) {
  return kind == NodeKind::Identity || kind == NodeKind::Output ||
         kind == NodeKind::Flatten || kind == NodeKind::Delay ||
         kind == NodeKind::Input;
}

void forEachEntry(const FlatGraph &g, const PathOp &op, const EntryFn &fn) {
  if (op.isMask) {
    for (size_t i = 0; i < op.mask.size(); ++i)
      if (op.mask[i] != 0)
        fn(uint32_t(i), uint32_t(i), op.mask[i]);
    return;
  }
  const FlatNode &n = g.nodes[op.node];
  switch (n.kind) {
  case NodeKind::Affine: {
    const Array &w = *param(n, "weight");
    const int64_t rows = w.shape[0], cols = w.shape[1];
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c)
        if (double v = w.values[size_t(r * cols + c)]; v != 0)
          fn(uint32_t(r), uint32_t(c), v);
    return;
  }
  case NodeKind::Scale: {
    const Array &s = *param(n, "scale");
    for (int64_t i = 0; i < shapeSize(n.in); ++i)
      if (double v = valueAt(s, size_t(i)); v != 0)
        fn(uint32_t(i), uint32_t(i), v);
    return;
  }
  case NodeKind::Conv:
    return convEntries(n, fn);
  case NodeKind::SumPool:
  case NodeKind::AvgPool:
    return poolEntries(n, fn);
  default:
    for (int64_t i = 0; i < shapeSize(n.in); ++i)
      fn(uint32_t(i), uint32_t(i), 1.0);
  }
}

bool hasBias(const FlatNode &n) {
  if (n.kind != NodeKind::Affine && n.kind != NodeKind::Conv)
    return false;
  const Array *b = param(n, "bias");
  if (!b)
    return false;
  for (double v : b->values)
    if (v != 0)
      return true;
  return false;
}

std::vector<double> applyNode(const FlatNode &n, const std::vector<double> &x,
                              bool withBias) {
  const size_t outSize = size_t(shapeSize(n.out));
  std::vector<double> y(outSize, 0.0);
  if (!x.empty()) {
    FlatGraph one;
    one.nodes.push_back(n);
    forEachEntry(one, PathOp{0, false, {}},
                 [&](uint32_t o, uint32_t i, double w) { y[o] += w * x[i]; });
  }
  if (withBias && hasBias(n)) {
    const Array &b = *param(n, "bias");
    // Affine: one per output; Conv: one per output channel.
    const size_t per = outSize / (n.kind == NodeKind::Conv
                                      ? size_t(param(n, "weight")->shape[0])
                                      : outSize);
    for (size_t o = 0; o < outSize; ++o)
      y[o] += b.values.size() == 1 ? b.values[0] : b.values[o / per];
  }
  return y;
}

size_t SparseRows::nonZeros() const {
  size_t n = 0;
  for (const auto &r : rows)
    n += r.size();
  return n;
}

SparseRows identityRows(uint32_t size) {
  SparseRows m;
  m.cols = size;
  m.rows.resize(size);
  for (uint32_t i = 0; i < size; ++i)
    m.rows[i].emplace_back(i, 1.0);
  return m;
}

SparseRows compose(const FlatGraph &g, const PathOp &op, const SparseRows &m,
                   uint32_t outSize) {
  // Group the map's entries by output row first.
  std::vector<std::vector<std::pair<uint32_t, double>>> byRow(outSize);
  forEachEntry(g, op, [&](uint32_t o, uint32_t i, double w) {
    byRow[o].emplace_back(i, w);
  });
  SparseRows out;
  out.cols = m.cols;
  out.rows.resize(outSize);
  std::vector<double> scratch(m.cols, 0.0);
  std::vector<char> touched(m.cols, 0);
  std::vector<uint32_t> list;
  for (uint32_t o = 0; o < outSize; ++o) {
    list.clear();
    for (const auto &[i, w] : byRow[o])
      for (const auto &[col, v] : m.rows[i]) {
        if (!touched[col]) {
          touched[col] = 1;
          list.push_back(col);
        }
        scratch[col] += w * v;
      }
    std::sort(list.begin(), list.end());
    for (uint32_t col : list) {
      if (scratch[col] != 0)
        out.rows[o].emplace_back(col, scratch[col]);
      scratch[col] = 0;
      touched[col] = 0;
    }
  }
  return out;
}

namespace {

/// The kernel of one Conv node with groups expanded.
ConvKernel plainKernel(const FlatNode &n) {
  const Array &weight = *param(n, "weight");
  ConvKernel k;
  k.window = n.window;
  int64_t h, w;
  chw(n.in, k.inC, h, w);
  k.inShape = {k.inC, h, w};
  k.outC = weight.shape[0];
  const int64_t groupIn = k.inC / n.groups, groupOut = k.outC / n.groups;
  const int64_t taps = n.window.kernelH * n.window.kernelW;
  k.weights.assign(size_t(k.outC * k.inC * taps), 0.0);
  for (int64_t oc = 0; oc < k.outC; ++oc)
    for (int64_t icg = 0; icg < groupIn; ++icg) {
      const int64_t ic = (oc / groupOut) * groupIn + icg;
      for (int64_t t = 0; t < taps; ++t)
        k.weights[size_t((oc * k.inC + ic) * taps + t)] =
            weight.values[size_t((oc * groupIn + icg) * taps + t)];
    }
  return k;
}

/// Absorb pool `p` (whose output the convolution `k` reads) into `k`.
std::optional<ConvKernel> absorbPool(const FlatNode &p, const ConvKernel &k) {
  const Window &pw = p.window;
  const int64_t s = pw.strideH;
  if (pw.kernelH != s || pw.kernelW != s || pw.strideW != s || pw.padH ||
      pw.padW || p.in.size() != 3 || p.in[1] % s || p.in[2] % s)
    return std::nullopt;
  const double tap = p.kind == NodeKind::AvgPool ? 1.0 / double(s * s) : 1.0;
  ConvKernel out;
  out.outC = k.outC;
  out.inC = k.inC;
  out.inShape = p.in;
  Window &w = out.window;
  w.kernelH = s * k.window.dilH * (k.window.kernelH - 1) + s;
  w.kernelW = s * k.window.dilW * (k.window.kernelW - 1) + s;
  w.strideH = s * k.window.strideH;
  w.strideW = s * k.window.strideW;
  w.padH = s * k.window.padH;
  w.padW = s * k.window.padW;
  out.weights.assign(size_t(out.outC * out.inC * w.kernelH * w.kernelW), 0.0);
  const int64_t stepH = s * k.window.dilH, stepW = s * k.window.dilW;
  for (int64_t oc = 0; oc < k.outC; ++oc)
    for (int64_t ic = 0; ic < k.inC; ++ic)
      for (int64_t kh = 0; kh < w.kernelH; ++kh) {
        if (kh % stepH >= s)
          continue;
        for (int64_t kw = 0; kw < w.kernelW; ++kw) {
          if (kw % stepW >= s)
            continue;
          const int64_t bh = kh / stepH, bw = kw / stepW;
          const double v = k.weights[size_t(
              ((oc * k.inC + ic) * k.window.kernelH + bh) * k.window.kernelW +
              bw)];
          out.weights[size_t(
              ((oc * out.inC + ic) * w.kernelH + kh) * w.kernelW + kw)] =
              v * tap;
        }
      }
  return out;
}

} // namespace

std::optional<ConvKernel> foldConv(const FlatGraph &g,
                                   const std::vector<PathOp> &ops) {
  if (ops.empty() || ops.back().isMask)
    return std::nullopt;
  const FlatNode &conv = g.nodes[ops.back().node];
  if (conv.kind != NodeKind::Conv || (conv.is1d && ops.size() > 1))
    return std::nullopt;
  ConvKernel k = plainKernel(conv);
  for (size_t i = ops.size() - 1; i-- > 0;) {
    if (ops[i].isMask)
      return std::nullopt;
    const FlatNode &p = g.nodes[ops[i].node];
    if (p.kind != NodeKind::SumPool && p.kind != NodeKind::AvgPool)
      return std::nullopt;
    std::optional<ConvKernel> folded = absorbPool(p, k);
    if (!folded)
      return std::nullopt;
    k = std::move(*folded);
  }
  return k;
}

} // namespace cajal::nir
