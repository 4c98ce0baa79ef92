//===- Lowering.h - NIR graph to populations and projections ----*- C++ -*-===//
//
// The chip knows two things a NIR graph is made of: spike senders (Input
// nodes and neuron nodes) and synapses between them. Every other node
// (Affine, Linear, Scale, Flatten, Delay, Conv, pools, the ports of nested
// graphs) is linear, so the effect of one sender on one neuron node is the
// sum over the paths between them of the composed linear maps; biases are
// constants that flow along the same maps and end up as a constant input of
// the neuron. lowerGraph() turns each path into one projection:
//   - no weights on the path (identities, Flatten): one-to-one, weight 1;
//   - a single Scale: one-to-one with its factors;
//   - a convolution, possibly after non-overlapping pools that it absorbs
//     exactly: a convolution kernel (never materialised);
//   - anything else: the composed matrix, dense when at least a quarter of
//     it is non-zero, else a sparse list.
// Delay nodes add round(delay / dt) steps to the projection's delay of one
// step; a Delay with differing values splits the path into one projection
// per value. Output nodes fed (through identities only) by a neuron node
// record that node's spikes under their own name.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_NIR_LOWERING_H
#define CAJAL_NIR_LOWERING_H

#include "cajal/NIR/NIRGraph.h"

namespace cajal::nir {

/// A spike sender: an Input (index into Lowered::inputs) or a population.
struct Sender {
  bool isInput = false;
  uint32_t index = 0;
};

struct LoweredInput {
  uint32_t node = 0; ///< in the FlatGraph
  std::string name;
  Shape shape;
};

struct LoweredPopulation {
  uint32_t node = 0;
  std::string name;
  NeuronType type = NeuronType::LIF;
  Shape shape;
  /// Constant input per neuron (Affine and Conv biases); empty: none.
  std::vector<double> bias;
  /// Output nodes that record this population's spikes under their name.
  std::vector<std::string> aliases;
};

enum class ConnKind : uint8_t { OneToOne, Dense, Sparse, Conv2d };

struct LoweredProjection {
  std::string name;
  uint32_t lastNode = 0; ///< the node the projection is named after
  Sender pre;
  uint32_t post = 0;  ///< population index
  uint32_t delay = 1; ///< steps, >= 1
  ConnKind kind = ConnKind::OneToOne;
  /// OneToOne: one per neuron (or one shared); Dense: post x pre, row-major;
  /// Sparse: one per synapse; Conv2d: out_c x in_c x kh x kw.
  std::vector<double> weights;
  std::vector<uint32_t> preIndex, postIndex; ///< Sparse
  Window window;           ///< Conv2d (kernel size in window.kernelH/W)
  int64_t outChannels = 0; ///< Conv2d
  Shape inShape;           ///< Conv2d: (c, h, w) of the pre sender
};

struct Lowered {
  std::vector<LoweredInput> inputs;
  std::vector<LoweredPopulation> populations;
  std::vector<LoweredProjection> projections;
  std::vector<Error> warnings; ///< nodeError form: the node is the subject
};

/// Lower a flattened graph with inferred shapes and loaded parameters
/// (loadParameters). `dt` (s) converts Delay
/// nodes to steps (rounded to the nearest step). Errors (nodeError form): a
/// loop of linear nodes with no neuron in it, a delay of more than 65535
/// steps, more paths or delay values than the limits in Lowering.cpp.
Result<Lowered> lowerGraph(const FlatGraph &graph, double dt);

} // namespace cajal::nir

#endif // CAJAL_NIR_LOWERING_H
