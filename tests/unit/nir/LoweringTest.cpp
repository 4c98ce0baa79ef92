//===- LoweringTest.cpp - NIR paths become projections --------------------===//
#include "TestUtil.h"

#include <random>

using namespace cajal;
using namespace cajal::nirtest;

namespace {

/// Dense post x pre matrix of a projection (test's own reference).
std::vector<double> matrixOf(const nir::LoweredProjection &p, size_t pre,
                             size_t post) {
  std::vector<double> m(pre * post, 0.0);
  switch (p.kind) {
  case nir::ConnKind::Dense:
    return p.weights;
  case nir::ConnKind::Sparse:
    for (size_t k = 0; k < p.weights.size(); ++k)
      m[p.postIndex[k] * pre + p.preIndex[k]] += p.weights[k];
    return m;
  case nir::ConnKind::OneToOne:
    for (size_t i = 0; i < post; ++i)
      m[i * pre + i] = p.weights.size() == 1 ? p.weights[0] : p.weights[i];
    return m;
  case nir::ConnKind::Conv2d: {
    const nir::Window &w = p.window;
    const int64_t ic = p.inShape[0], h = p.inShape[1], wd = p.inShape[2];
    const int64_t oh =
        (h + 2 * w.padH - w.dilH * (w.kernelH - 1) - 1) / w.strideH + 1;
    const int64_t ow =
        (wd + 2 * w.padW - w.dilW * (w.kernelW - 1) - 1) / w.strideW + 1;
    for (int64_t o = 0; o < p.outChannels; ++o)
      for (int64_t y = 0; y < oh; ++y)
        for (int64_t x = 0; x < ow; ++x)
          for (int64_t c = 0; c < ic; ++c)
            for (int64_t ky = 0; ky < w.kernelH; ++ky)
              for (int64_t kx = 0; kx < w.kernelW; ++kx) {
                const int64_t iy = y * w.strideH - w.padH + ky * w.dilH;
                const int64_t ix = x * w.strideW - w.padW + kx * w.dilW;
                if (iy < 0 || iy >= h || ix < 0 || ix >= wd)
                  continue;
                m[size_t(((o * oh + y) * ow + x) * int64_t(pre) +
                         (c * h + iy) * wd + ix)] +=
                    p.weights[size_t(
                        ((o * ic + c) * w.kernelH + ky) * w.kernelW + kx)];
              }
    return m;
  }
  }
  return m;
}

struct ConvCase {
  int64_t inC, size, pool, outC, kernel, stride, pad, dil;
  bool avg;
};

GraphSpec poolConvGraph(const ConvCase &c, std::mt19937 &rng,
                        bool scaleBetween) {
  std::uniform_real_distribution<double> u(-1, 1);
  GraphSpec g;
  g.nodes["input"] = input({double(c.inC), double(c.size), double(c.size)});
  g.nodes["pool"] =
      node(c.avg ? "AvgPool2d" : "SumPool2d",
           {{"kernel_size", ints({double(c.pool), double(c.pool)})},
            {"stride", ints({double(c.pool), double(c.pool)})},
            {"padding", ints({0, 0})}});
  std::vector<double> w(size_t(c.outC * c.inC * c.kernel * c.kernel));
  for (double &v : w)
    v = u(rng);
  g.nodes["conv"] = node(
      "Conv2d", {{"weight", numbers(w, {hsize_t(c.outC), hsize_t(c.inC),
                                        hsize_t(c.kernel), hsize_t(c.kernel)})},
                 {"bias", numbers(std::vector<double>(size_t(c.outC), 0.0))},
                 {"stride", ints({double(c.stride), double(c.stride)})},
                 {"padding", ints({double(c.pad), double(c.pad)})},
                 {"dilation", ints({double(c.dil), double(c.dil)})},
                 {"groups", scalar(1)}});
  g.nodes["if"] = node("IF", {{"r", scalar(1)}, {"v_threshold", scalar(1)}});
  if (scaleBetween) {
    // A Scale of 1 between pool and conv stops the folding: the path is
    // composed into a matrix instead.
    g.nodes["scale"] = node("Scale", {{"scale", scalar(1.0)}});
    g.edges = {{"input", "pool"},
               {"pool", "scale"},
               {"scale", "conv"},
               {"conv", "if"}};
  } else {
    g.edges = {{"input", "pool"}, {"pool", "conv"}, {"conv", "if"}};
  }
  return g;
}

TEST(LoweringTest, FoldedPoolConvEqualsComposedMatrix) {
  const unsigned seed = 20240601;
  std::mt19937 pick(seed);
  for (int trial = 0; trial < 25; ++trial) {
    std::uniform_int_distribution<int> d(0, 1000);
    ConvCase c;
    c.inC = 1 + d(pick) % 2;
    c.pool = 1 + d(pick) % 2;
    c.size = c.pool * (3 + d(pick) % 3);
    c.outC = 1 + d(pick) % 2;
    c.kernel = 1 + d(pick) % 3;
    c.stride = 1 + d(pick) % 2;
    c.pad = d(pick) % 2;
    c.dil = 1 + d(pick) % 2;
    c.avg = d(pick) % 2;
    if ((c.size / c.pool) + 2 * c.pad < c.dil * (c.kernel - 1) + 1)
      continue; // the kernel does not fit
    std::mt19937 w1(seed + trial), w2(seed + trial);
    Result<nir::Lowered> folded = lower(poolConvGraph(c, w1, false));
    Result<nir::Lowered> composed = lower(poolConvGraph(c, w2, true));
    ASSERT_TRUE(folded) << folded.error() << " (seed " << seed << ")";
    ASSERT_TRUE(composed) << composed.error();
    ASSERT_EQ(folded->projections.size(), 1u);
    ASSERT_EQ(composed->projections.size(), 1u);
    EXPECT_EQ(folded->projections[0].kind, nir::ConnKind::Conv2d)
        << "seed " << seed << " trial " << trial;
    EXPECT_NE(composed->projections[0].kind, nir::ConnKind::Conv2d);
    const size_t pre = size_t(c.inC * c.size * c.size);
    const size_t post = size_t(nir::shapeSize(folded->populations[0].shape));
    const std::vector<double> a = matrixOf(folded->projections[0], pre, post);
    const std::vector<double> b = matrixOf(composed->projections[0], pre, post);
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i)
      ASSERT_NEAR(a[i], b[i], 1e-12)
          << "entry " << i << ", seed " << seed << " trial " << trial;
  }
}

TEST(LoweringTest, LinearChainsComposeAndBiasesFlow) {
  GraphSpec g;
  g.nodes["input"] = input({2});
  g.nodes["a"] = node("Affine", {{"weight", numbers({1, 2, 3, 4}, {2, 2})},
                                 {"bias", numbers({1, -1})}});
  g.nodes["b"] = linear(1, 2, {10, 100});
  g.nodes["lif"] = lif(1);
  g.edges = {{"input", "a"}, {"a", "b"}, {"b", "lif"}};
  Result<nir::Lowered> l = lower(g);
  ASSERT_TRUE(l) << l.error();
  ASSERT_EQ(l->projections.size(), 1u);
  const nir::LoweredProjection &p = l->projections[0];
  EXPECT_EQ(p.name, "b");
  EXPECT_EQ(p.kind, nir::ConnKind::Dense);
  // B x A = [10 100] x [[1 2] [3 4]] = [310 420].
  EXPECT_EQ(p.weights, (std::vector<double>{310, 420}));
  // B x bias = 10 - 100.
  EXPECT_EQ(l->populations[0].bias, (std::vector<double>{-90}));
}

TEST(LoweringTest, ScaleIsOneToOneAndRecurrenceIsASelfProjection) {
  GraphSpec g;
  g.nodes["input"] = input({3});
  g.nodes["s"] = node("Scale", {{"scale", numbers({1, 2, 3})}});
  g.nodes["lif"] = lif(3);
  g.nodes["rec"] = linear(3, 3, {0, 1, 0, 0, 0, 1, 1, 0, 0});
  g.edges = {{"input", "s"}, {"s", "lif"}, {"lif", "rec"}, {"rec", "lif"}};
  Result<nir::Lowered> l = lower(g);
  ASSERT_TRUE(l) << l.error();
  ASSERT_EQ(l->projections.size(), 2u);
  const nir::LoweredProjection &s = l->projections[0];
  EXPECT_EQ(s.kind, nir::ConnKind::OneToOne);
  EXPECT_EQ(s.weights, (std::vector<double>{1, 2, 3}));
  const nir::LoweredProjection &rec = l->projections[1];
  EXPECT_FALSE(rec.pre.isInput);
  EXPECT_EQ(rec.pre.index, rec.post);
  EXPECT_EQ(rec.delay, 1u);
}

TEST(LoweringTest, DelaysWithDifferentValuesSplitThePath) {
  GraphSpec g;
  g.nodes["input"] = input({2});
  g.nodes["d"] = node("Delay", {{"delay", numbers({1e-3, 3e-3})}});
  g.nodes["fc"] = linear(1, 2, {5, 7});
  g.nodes["lif"] = lif(1);
  g.edges = {{"input", "d"}, {"d", "fc"}, {"fc", "lif"}};
  Result<nir::Lowered> l = lower(g, 1e-3);
  ASSERT_TRUE(l) << l.error();
  ASSERT_EQ(l->projections.size(), 2u);
  EXPECT_EQ(l->projections[0].name, "fc.d1");
  EXPECT_EQ(l->projections[0].delay, 2u);
  EXPECT_EQ(matrixOf(l->projections[0], 2, 1), (std::vector<double>{5, 0}));
  EXPECT_EQ(l->projections[1].delay, 4u);
  EXPECT_EQ(matrixOf(l->projections[1], 2, 1), (std::vector<double>{0, 7}));
}

TEST(LoweringTest, RefusesALoopWithoutANeuron) {
  GraphSpec g;
  g.nodes["input"] = input({2});
  g.nodes["a"] = linear(2, 2, {1, 0, 0, 1});
  g.nodes["b"] = linear(2, 2, {1, 0, 0, 1});
  g.nodes["lif"] = lif(2);
  g.edges = {{"input", "a"}, {"a", "b"}, {"b", "a"}, {"b", "lif"}};
  Result<nir::Lowered> l = lower(g);
  ASSERT_FALSE(l);
  EXPECT_NE(l.error().find("is on a loop with no neuron in it"),
            std::string::npos)
      << l.error();
  EXPECT_EQ(l.subject().kind, ErrorSubject::Kind::Node);
  EXPECT_EQ(l.subject().name, "a");
}

TEST(LoweringTest, OutputsRecordNeuronsAndWarnOnWeightedValues) {
  GraphSpec g;
  g.nodes["input"] = input({2});
  g.nodes["fc"] = linear(2, 2, {1, 0, 0, 1});
  g.nodes["lif"] = lif(2);
  g.nodes["spikes"] = output({2});
  g.nodes["readout"] = linear(1, 2, {1, 1});
  g.nodes["values"] = output({1});
  g.edges = {{"input", "fc"},
             {"fc", "lif"},
             {"lif", "spikes"},
             {"lif", "readout"},
             {"readout", "values"}};
  Result<nir::Lowered> l = lower(g);
  ASSERT_TRUE(l) << l.error();
  EXPECT_EQ(l->populations[0].aliases, (std::vector<std::string>{"spikes"}));
  ASSERT_EQ(l->warnings.size(), 1u);
  EXPECT_NE(l->warnings[0].message.find("node 'values': receives values "
                                        "weighted by 'readout'"),
            std::string::npos)
      << l->warnings[0].message;
  EXPECT_EQ(l->warnings[0].subject.name, "values");
}

} // namespace
