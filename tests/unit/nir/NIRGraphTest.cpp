//===- NIRGraphTest.cpp - Reading, flattening and shapes of NIR graphs ----===//
#include "TestUtil.h"

#include <fstream>

using namespace cajal;
using namespace cajal::nirtest;

namespace {

GraphSpec chain(NodeSpec middle, size_t n = 2) {
  GraphSpec g;
  g.nodes["input"] = input({double(n)});
  g.nodes["fc"] = linear(n, n, std::vector<double>(n * n, 0.5));
  g.nodes["lif"] = std::move(middle);
  g.nodes["output"] = output({double(n)});
  g.edges = {{"input", "fc"}, {"fc", "lif"}, {"lif", "output"}};
  return g;
}

TEST(NIRFileTest, ReadsGzipCompressedArraysAndTypes) {
  Result<nir::FlatGraph> flat = load(chain(lif(2, 0.02)), /*gzip=*/true);
  ASSERT_TRUE(flat) << flat.error();
  const auto lifNode = flat->find("lif");
  ASSERT_TRUE(lifNode);
  const nir::Array *tau = nir::param(flat->nodes[*lifNode], "tau");
  ASSERT_NE(tau, nullptr);
  EXPECT_EQ(tau->values, (std::vector<double>{0.02, 0.02}));
  EXPECT_EQ(flat->nodes[*lifNode].kind, nir::NodeKind::Neuron);
  EXPECT_EQ(flat->nodes[*lifNode].neuron, nir::NeuronType::LIF);
  EXPECT_EQ(flat->edges.size(), 3u);
}

TEST(NIRFileTest, RefusesFilesThatAreNotHDF5) {
  const std::string path = tempPath("text.nir");
  std::ofstream(path) << "hello\n";
  Result<nir::File> file = nir::readFile(path);
  ASSERT_FALSE(file);
  EXPECT_NE(file.error().find("not an HDF5 file"), std::string::npos);
  EXPECT_EQ(file.error().rfind(path, 0), 0u) << file.error();
}

TEST(NIRFileTest, NamesTheNodeWithoutType) {
  GraphSpec g = chain(lif(2));
  g.nodes["lif"].data.erase("type");
  const std::string path = tempPath("m.nir");
  writeNIR(path, g);
  Result<nir::File> file = nir::readFile(path);
  ASSERT_FALSE(file);
  EXPECT_NE(file.error().find("node 'lif': has no 'type' dataset"),
            std::string::npos)
      << file.error();
  EXPECT_EQ(file.subject().kind, ErrorSubject::Kind::Node);
  EXPECT_EQ(file.subject().name, "lif");
}

TEST(NIRFlattenTest, NestedGraphsArePrefixedAndRouted) {
  auto inner = std::make_shared<GraphSpec>();
  inner->nodes["input"] = input({2});
  inner->nodes["lif"] = lif(2);
  inner->nodes["rec"] = linear(2, 2, {0, 1, 1, 0});
  inner->nodes["output"] = output({2});
  inner->edges = {
      {"input", "lif"}, {"lif", "rec"}, {"rec", "lif"}, {"lif", "output"}};
  GraphSpec g = chain(lif(2));
  g.nodes["layer"].graph = inner;
  g.nodes["layer"].data["type"] = text("NIRGraph");
  g.edges.push_back({"fc", "layer"});
  g.edges.push_back({"layer", "output"});
  Result<nir::FlatGraph> flat = load(g);
  ASSERT_TRUE(flat) << flat.error();
  ASSERT_TRUE(flat->find("layer.lif"));
  ASSERT_TRUE(flat->find("layer.rec"));
  EXPECT_EQ(flat->nodes[*flat->find("layer.input")].kind,
            nir::NodeKind::Identity);
  // fc -> layer goes to layer.input.
  bool routed = false;
  for (auto [a, b] : flat->edges)
    routed |= a == *flat->find("fc") && b == *flat->find("layer.input");
  EXPECT_TRUE(routed);
}

TEST(NIRFlattenTest, RepairsANestedNodeStoredUnderAnotherKey) {
  // snnTorch writes the nested node as "lif1" while its edges say "lif".
  auto inner = std::make_shared<GraphSpec>();
  inner->nodes["input"] = input({2});
  inner->nodes["lif1"] = lif(2);
  inner->nodes["output"] = output({2});
  inner->edges = {{"input", "lif"}, {"lif", "output"}};
  GraphSpec g;
  g.nodes["input"] = input({2});
  g.nodes["lif1"].graph = inner;
  g.nodes["lif1"].data["type"] = text("NIRGraph");
  g.edges = {{"input", "lif1"}};
  Result<nir::FlatGraph> flat = load(g);
  ASSERT_TRUE(flat) << flat.error();
  EXPECT_TRUE(flat->find("lif1.lif1"));
}

TEST(NIRFlattenTest, RefusesUnknownTypesAndMissingNodes) {
  Result<nir::FlatGraph> unknown = load(chain(node("Izhikevich")));
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().find("node 'lif': unknown node type 'Izhikevich'"),
            std::string::npos)
      << unknown.error();
  GraphSpec g = chain(lif(2));
  g.edges.push_back({"lif", "ghost"});
  Result<nir::FlatGraph> missing = load(g);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("there is no node 'ghost'"),
            std::string::npos);
}

TEST(NIRFlattenTest, ChecksParameterLengthsAndPhysics) {
  NodeSpec bad = lif(2);
  bad.data["r"] = numbers({1, 1, 1});
  Result<nir::FlatGraph> length = load(chain(bad));
  ASSERT_FALSE(length);
  EXPECT_NE(length.error().find("parameter 'r' has 3 values"),
            std::string::npos)
      << length.error();
  NodeSpec negative = lif(2);
  negative.data["tau"] = numbers({0.01, 0.0});
  Result<nir::FlatGraph> tau = load(chain(negative));
  ASSERT_FALSE(tau);
  EXPECT_NE(tau.error().find("tau[1] = 0 s must be > 0"), std::string::npos)
      << tau.error();
}

TEST(NIRShapesTest, InfersConvPoolFlattenShapes) {
  GraphSpec g;
  g.nodes["input"] = input({2, 8, 8});
  g.nodes["conv"] = node(
      "Conv2d",
      {{"weight", numbers(std::vector<double>(4 * 2 * 9, 0.1), {4, 2, 3, 3})},
       {"bias", numbers({0, 0, 0, 0})},
       {"stride", ints({1, 1})},
       {"padding", ints({1, 1})},
       {"dilation", ints({1, 1})},
       {"groups", scalar(1)}});
  g.nodes["if"] = node("IF", {{"r", scalar(1)}, {"v_threshold", scalar(1)}});
  g.nodes["pool"] = node("AvgPool2d", {{"kernel_size", ints({2, 2})},
                                       {"stride", ints({2, 2})},
                                       {"padding", ints({0, 0})}});
  g.nodes["flat"] =
      node("Flatten", {{"start_dim", scalar(0)}, {"end_dim", scalar(-1)}});
  g.nodes["fc"] = linear(3, 64, std::vector<double>(3 * 64, 0.1));
  g.nodes["out"] = lif(3);
  g.edges = {{"input", "conv"}, {"conv", "if"}, {"if", "pool"},
             {"pool", "flat"},  {"flat", "fc"}, {"fc", "out"}};
  Result<nir::FlatGraph> flat = load(g);
  ASSERT_TRUE(flat) << flat.error();
  auto shapeOf = [&](const char *n) { return flat->nodes[*flat->find(n)].out; };
  EXPECT_EQ(shapeOf("conv"), (nir::Shape{4, 8, 8}));
  EXPECT_EQ(shapeOf("if"), (nir::Shape{4, 8, 8})); // scalars: from the edge
  EXPECT_EQ(shapeOf("pool"), (nir::Shape{4, 4, 4}));
  EXPECT_EQ(shapeOf("flat"), (nir::Shape{64}));
}

TEST(NIRShapesTest, NamesTheEdgeAndBothShapesOnAMismatch) {
  GraphSpec g = chain(lif(2));
  g.nodes["output"] = output({1, 1, 2});
  Result<nir::FlatGraph> flat = load(g);
  ASSERT_FALSE(flat);
  EXPECT_NE(
      flat.error().find("edge 'lif' -> 'output': 'lif' produces [2], 'output' "
                        "expects [1, 1, 2]"),
      std::string::npos)
      << flat.error();
}

} // namespace
