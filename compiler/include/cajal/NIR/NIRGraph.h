//===- NIRGraph.h - NIR graphs read from HDF5, flattened and typed -*- C++
//-*-===//
//
// The plain C++ side of the NIR frontend (no MLIR). A NIR file (HDF5, layout
// in docs/nir.md) is read into a Graph: nodes with a `type` and named
// parameter arrays, nested NIRGraph nodes kept as sub-graphs, and edges by
// name. flattenGraph() replaces every nested graph by its nodes (named
// "outer.inner"), classifies each node and checks its parameters;
// inferShapes() then gives every node its input and output shape and checks
// that they agree along every edge.
//
// Every error about a node comes from nodeError(), which names the node in
// the message and as the error's subject; the MLIR importer locates the
// diagnostic at that node from the subject.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_NIR_NIRGRAPH_H
#define CAJAL_NIR_NIRGRAPH_H

#include "cajal/Chip/Result.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cajal::nir {

using Shape = std::vector<int64_t>;

/// "[2, 34, 34]".
std::string formatShape(const Shape &shape);
int64_t shapeSize(const Shape &shape);

/// A dataset of a node: numbers (any HDF5 integer or float type, read as
/// double) or text. readFile reads the numbers of small datasets only;
/// loadParameters reads the others once the graph's shapes are checked.
struct Array {
  Shape shape;                   ///< empty for a scalar
  uint64_t count = 0;            ///< elements, from the shape
  std::vector<double> values;    ///< row-major; numbers only, once loaded
  std::vector<std::string> text; ///< row-major; text datasets only
  bool isText = false;
  bool loaded = true; ///< false: `values` not read yet
  std::string source; ///< where the data is in the file (HDF5 path)
  size_t size() const { return isText ? text.size() : size_t(count); }
};

struct Graph;

/// A node as stored: its type and every dataset but `type`; a NIRGraph node
/// has `graph` instead.
struct Node {
  std::string name;
  std::string type;
  std::map<std::string, Array> params;
  std::unique_ptr<Graph> graph;
};

struct Graph {
  std::vector<Node> nodes; ///< in the file's (alphabetical) order
  std::vector<std::pair<std::string, std::string>> edges;
};

struct OpenFile;

/// A whole file.
struct File {
  std::string path;
  std::string version; ///< the root `version` dataset; empty if absent
  Graph graph;
  /// The HDF5 file, open until loadParameters has read every parameter.
  std::shared_ptr<OpenFile> open;
};

/// Read the structure of a NIR file: every node, its type, the shape of
/// every dataset, text and the numbers of small datasets. Errors name the
/// file and, where one is concerned, the node: not a file, not HDF5, no
/// `node` group, a node without `type`, a dataset of an unsupported type,
/// layout or filter, a dataset declaring more data than the file stores, a
/// link to another file, a group reached twice (a link cycle), nested
/// graphs too deep.
Result<File> readFile(const std::string &path);
/// readFile for an HDF5 file image in memory (HDF5's core driver); `name`
/// stands for the file in messages (the fuzz target reads its inputs so).
Result<File> readFileImage(const void *data, size_t size,
                           const std::string &name);

/// `read` (a whole read: the structure and every parameter the graph uses,
/// as importNIRFile does it) run in a forked child process, its File or
/// Error sent back through a pipe. libhdf5 can crash on a damaged file
/// (Debian's 1.10 reads past buffers decoding some damaged object headers):
/// a child that dies, or answers incompletely, becomes an Error naming
/// `path` and the signal or exit status, and the caller carries on.
Result<File> readInChildProcess(const std::string &path,
                                llvm::function_ref<Result<File>()> read);

/// "node 'NAME': MESSAGE", with the node as the error's subject (empty
/// `node`: the message alone, no subject).
Error nodeError(const std::string &node, const std::string &message);

enum class NodeKind : uint8_t {
  Input,    ///< top-level Input: an external spike source
  Output,   ///< top-level Output: records what reaches it
  Identity, ///< the Input and Output nodes of a nested graph
  Affine,   ///< y = W x + b (Linear: b = 0)
  Scale,    ///< y = s * x
  Flatten,  ///< reshape
  Delay,    ///< y(t) = x(t - d)
  Conv,     ///< Conv1d (as 2-D with height 1) and Conv2d, with bias
  SumPool,  ///< SumPool2d
  AvgPool,  ///< AvgPool2d
  Neuron,   ///< I, IF, LI, LIF, CubaLI, CubaLIF, Threshold
};

enum class NeuronType : uint8_t { I, IF, LI, LIF, CubaLI, CubaLIF, Threshold };
const char *neuronTypeName(NeuronType type);

/// Convolution or pooling geometry, always 2-D (Conv1d has height 1).
struct Window {
  int64_t kernelH = 1, kernelW = 1;
  int64_t strideH = 1, strideW = 1;
  int64_t padH = 0, padW = 0;
  int64_t dilH = 1, dilW = 1;
};

/// One node of the flattened graph.
struct FlatNode {
  std::string name; ///< full dotted path ("lif1.lin")
  std::string type; ///< NIR type name
  NodeKind kind = NodeKind::Identity;
  NeuronType neuron = NeuronType::LIF; ///< kind == Neuron
  const Node *node = nullptr;          ///< parameters, in the File
  Shape in, out; ///< known after inferShapes (empty = not yet known)
  bool inKnown = false, outKnown = false;

  // Kind-specific, filled by flattenGraph:
  Shape declared; ///< Input/Output `shape`, Flatten `input_type`, Conv
                  ///< input (c, h, w) when `input_shape` is given
  Window window;  ///< Conv, pools
  int64_t groups = 1;
  int64_t flattenStart = 0, flattenEnd = -1;
  bool is1d = false; ///< Conv1d
  /// Parameter shape of a neuron / Scale / Delay (empty = scalars only).
  Shape paramShape;
  bool hasParamShape = false;
};

struct FlatGraph {
  std::string path; ///< the file, for messages
  std::vector<FlatNode> nodes;
  std::vector<std::pair<uint32_t, uint32_t>> edges; ///< source, target
  bool loaded = false; ///< loadParameters has read and checked every value
  std::optional<uint32_t> find(const std::string &name) const;
};

/// Flatten nested graphs, classify and check each node (types, parameter
/// names and shapes, structural values such as strides); at most
/// kMaxNodes nodes.
Result<FlatGraph> flattenGraph(const File &file);
constexpr size_t kMaxNodes = 8192;

/// Infer every node's input and output shape and check every edge
/// ("edge 'a' -> 'b': 'a' produces [1], 'b' expects [1, 1, 1]"); every
/// shape has at least one element and at most kMaxNeurons.
Status inferShapes(FlatGraph &graph);
constexpr int64_t kMaxNeurons = int64_t(1) << 30;

/// Read the parameters readFile left in the file, each bounded by what its
/// node's inferred shapes allow (an Affine weight out x in values, a neuron
/// parameter one per neuron), then check every parameter value (finite,
/// time constants > 0, delays >= 0). Closes the file. lowerGraph needs it.
Status loadParameters(File &file, FlatGraph &graph);

/// Numeric parameter `name` of a node, or nullptr.
const Array *param(const FlatNode &node, const std::string &name);

} // namespace cajal::nir

#endif // CAJAL_NIR_NIRGRAPH_H
