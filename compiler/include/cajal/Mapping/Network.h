//===- Network.h - A quantized network, connectivity kept symbolic -*- C++
//-*-===//
//
// The plain C++ form of a quantized snn.network that the mapping algorithms
// (partition, place, emit) work on. MLIR passes build it from the IR; the
// algorithms never see MLIR. Connectivity stays symbolic (rules, kernels,
// blobs by reference) and is materialised one core slice at a time.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_MAPPING_NETWORK_H
#define CAJAL_MAPPING_NETWORK_H

#include "cajal/Chip/Compartment.h"
#include "cajal/Chip/Image.h"
#include "cajal/Chip/Result.h"
#include "cajal/Chip/StandardPrograms.h"

#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace cajal::mapping {

/// A value given once for all neurons, or once per neuron.
template <typename T> struct PerNeuron {
  std::vector<T> values; ///< size 1 (shared) or the population size
  T at(size_t i) const { return values.size() == 1 ? values[0] : values[i]; }
};

/// Which neurocore program a population runs (Programs.h).
enum class PopulationProgram : uint8_t {
  LifFamily,   ///< the LIF program its records' flags name
  AdaptiveLif, ///< chip::adaptiveLifProgram
  Izhikevich,  ///< chip::izhikevichProgram
  Equations,   ///< Population::equationProgram, compiled from its equations
  LifTree,     ///< chip::lifTreeProgram per compartment of Population::tree
};

/// One compartment of a population's dendritic tree (docs/neurocore-isa.md,
/// "Dendritic trees"): the root is the population itself, with its params;
/// the others are its dendrites.
struct TreeNode {
  std::string name;
  int32_t parent = -1; ///< index into Population::tree; -1: the root
  chip::LifTreeCompartment shape;
  /// A dendrite's records, size 1 (shared) or the population's size; the
  /// root's are Population::params.
  std::vector<chip::CompartmentParams> params;
  int64_t joinWeight = 0, gain = 0; ///< the program's p7 and p8
  const chip::CompartmentParams &paramsOf(uint32_t i) const {
    return params.size() == 1 ? params[0] : params[i];
  }
};

/// What the compiler decided for one state of an equation model.
struct StateFormat {
  std::string name;
  int fractionBits = 0;                ///< in its 32-bit state word
  double lower = 0, upper = 0;         ///< declared range
  double nextLower = 0, nextUpper = 0; ///< the analysis' range of the update
  bool clipped = false; ///< the next value is clipped to the declared range
  /// Where the declared range came from: "declared" by the model, or
  /// "calibrated: ..." (snn-calibrate-ranges).
  std::string rangeSource = "declared";
};

/// A function of one changing value that the program reads from a lookup
/// table (LUT), and what sampling it cost.
struct TableFormat {
  /// The tabulated operation and where the model defines it
  /// ("arith.divf at hh.mlir:48:14").
  std::string value;
  std::string variable; ///< what it is a function of ("v", "input i")
  unsigned table = 0;   ///< its index in the program's tables
  size_t entries = 0;
  double lower = 0, upper = 0; ///< the variable's range the table covers
  double segment = 0;          ///< node spacing, in the variable's units
  int fractionBits = 0;        ///< of the entries
  double largest = 0;          ///< largest |value| over the range
  double maxError = 0; ///< largest |interpolated - exact| found sampling
};

/// How a population's equation model became its program (the fit report
/// prints it).
struct EquationFormats {
  std::string model, solver;
  double step = 0; ///< in the model's time unit
  int inputFractionBits = 0;
  std::vector<StateFormat> states;
  std::vector<std::string> hoisted; ///< the values the compiler computed
  std::vector<TableFormat> tables;  ///< the functions read from tables
};

/// A distribution each synapse draws its weight (mantissa units) or delay
/// (steps) from, or a neuron its initial state (docs/mapping.md): normal (a =
/// mean, b = sd), lognormal (a = mu, b = sigma of the log) or uniform, clipped
/// to [low, high].
struct Distribution {
  enum Kind : uint8_t { Normal, Lognormal, Uniform } kind = Uniform;
  double a = 0, b = 0;
  double low = -std::numeric_limits<double>::infinity();
  double high = std::numeric_limits<double>::infinity();
};

/// A state word every neuron of a population starts from (docs/mapping.md,
/// "Initial state"): a value per neuron, or a draw per neuron keyed by
/// (seed, population name, state name, neuron), so that it does not depend
/// on slicing. Values are in the units of the population's params (discrete v
/// for the LIF family); the word is round(value * scale).
struct InitialValue {
  std::string state;                ///< the program's state word of this name
  double scale = 1;                 ///< integer units per unit of the values
  std::vector<double> values;       ///< size 1 (shared) or the population's
  std::optional<Distribution> draw; ///< when values is empty
  uint64_t seed = 0;
  /// The values the program's formats allow (an equation model's declared
  /// range of the state), in the values' units.
  double lower = -std::numeric_limits<double>::infinity();
  double upper = std::numeric_limits<double>::infinity();
};

struct Population {
  std::string name;
  std::vector<int64_t> shape;
  uint32_t size = 0;
  /// Integer compartment parameters; size 1 (shared) or `size`.
  std::vector<chip::CompartmentParams> params;
  bool recordSpikes = true, recordState = false;
  /// Other names its spikes are recorded under (NIR Output nodes).
  std::vector<std::string> aliases;
  const chip::CompartmentParams &paramsOf(uint32_t i) const {
    return params.size() == 1 ? params[0] : params[i];
  }
  PopulationProgram program = PopulationProgram::LifFamily;
  /// Izhikevich: the parameters that fix the program's initial state
  /// (v = c, u = b c), shared by the population.
  chip::IzhikevichParams izhikevichRest;
  /// Equations: the program the compiler made of the population's model
  /// (cajal/Transforms/LowerEquations.h); its words are programWords.
  std::shared_ptr<const chip::Program> equationProgram;
  std::shared_ptr<const EquationFormats> equationFormats;
  /// The program's words beyond the record's: Izhikevich's five words;
  /// adaptive LIF's p7..p9 (its p0..p6 are the record's LIF words). Size 1
  /// (shared) or `size`; empty for the LIF family.
  std::vector<std::vector<int64_t>> programWords;
  const std::vector<int64_t> &programWordsOf(uint32_t i) const {
    return programWords.size() == 1 ? programWords[0] : programWords[i];
  }
  /// State words that start elsewhere than the program's initial values.
  std::vector<InitialValue> initial;
  /// LifTree: the compartments in post-order, the root last.
  std::vector<TreeNode> tree;
  /// The post-synaptic traces y1, y2, y3 of its compartments, given by the
  /// learning projections onto it (all zero without one).
  std::array<chip::TraceParams, 3> postTraces = {};
  uint32_t compartmentsPerNeuron() const {
    return tree.empty() ? 1u : uint32_t(tree.size());
  }
};

struct Source {
  std::string name;
  chip::SourceKind kind = chip::SourceKind::External;
  uint32_t size = 0;
  uint32_t probability = 0; ///< Poisson, 0.32 fixed point per step
  uint64_t seed = 0;
  uint32_t period = 0, phase = 0;
  std::vector<chip::SourceSpike> spikes;
};

/// Endpoint of a projection: a population or a source, by index.
struct NodeRef {
  enum Kind : uint8_t { PopulationNode, SourceNode } kind = PopulationNode;
  uint32_t index = 0;
};

// Connectivity rules, all with integer weight mantissas (after quantize).
struct DenseConn {              ///< weights[post * preSize + pre]; 0 = none
  std::vector<int32_t> weights; ///< (a view of a blob is fine later)
};
struct SparseConn {
  std::vector<uint32_t> pre, post;
  std::vector<int32_t> weights;
  std::vector<uint32_t> delays; ///< empty: projection delay
};
struct OneToOneConn {
  PerNeuron<int32_t> weight;
};

/// What a random rule's synapses draw besides their endpoints: a weight
/// (else the rule's one weight) and a delay (else the projection's).
struct SynapseDraws {
  std::optional<Distribution> weight, delay;
};

struct FixedProbConn {
  double p = 0; ///< each (pre, post) pair independently
  uint64_t seed = 0;
  int32_t weight = 0;
  bool allowSelf = true; ///< pre == post allowed when pre and post are one node
  SynapseDraws draws;
};
/// A fixed number of synapses (docs/mapping.md): `count` per post neuron
/// (InDegree), per pre neuron (OutDegree) or in all (Total), endpoints drawn
/// uniformly.
struct FixedNumberConn {
  enum Kind : uint8_t { InDegree, OutDegree, Total } kind = InDegree;
  uint64_t count = 0;
  uint64_t seed = 0;
  int32_t weight = 0;
  bool allowSelf = true;      ///< pre == post allowed when one node
  bool allowMultapses = true; ///< a pair may be drawn more than once
  SynapseDraws draws;
};
struct Conv2dConn {
  uint32_t inC = 0, inH = 0, inW = 0, outC = 0, outH = 0, outW = 0;
  uint32_t kH = 0, kW = 0, strideH = 1, strideW = 1, padH = 0, padW = 0,
           dilH = 1, dilW = 1;
  std::vector<int32_t> kernel; ///< outC x inC x kH x kW
};
using Connectivity = std::variant<DenseConn, SparseConn, OneToOneConn,
                                  FixedProbConn, FixedNumberConn, Conv2dConn>;

struct Projection {
  std::string name;
  NodeRef pre;
  uint32_t post = 0; ///< population index
  /// The compartment of each post neuron the synapses reach: an index into
  /// the post population's tree; -1: its root (a point neuron's only one).
  int32_t postCompartment = -1;
  Connectivity conn;
  int8_t weightExponent = 0;
  uint32_t delay = 1; ///< steps, when the rule has no per-synapse delay
  /// The rule its synapses learn by, with its pre-synaptic traces; none:
  /// fixed synapses. A learning projection's input axons are groups of
  /// their own (never shared with fixed synapses or another rule), stored
  /// with synapse.weightBitsMax weight bits, a delay and a tag
  /// (chip::InputAxon::learning).
  std::optional<chip::LearningRuleSetting> learning;
  /// Its weights set the post compartments' third factor r
  /// (chip::InputAxon::reward).
  bool reward = false;
  bool learns() const { return learning.has_value(); }
};

struct Network {
  std::string name;
  std::vector<Population> populations;
  std::vector<Source> sources;
  std::vector<Projection> projections;
  /// Network-wide learning (docs/learning.md): the epoch in steps and the
  /// seed of every stochastic rounding; used when a projection learns or
  /// sets a reward.
  uint32_t learningEpoch = 1;
  uint64_t learningSeed = 0;
  bool learns() const {
    for (const Projection &p : projections)
      if (p.learns() || p.reward)
        return true;
    return false;
  }
};

/// The subject of an error about a population or a projection (the field
/// or resource concerned, if any): passes locate the error at its op.
inline ErrorSubject aboutPopulation(const std::string &name,
                                    std::string field = {}) {
  return ErrorSubject{ErrorSubject::Kind::Population, name, std::move(field)};
}
inline ErrorSubject aboutProjection(const std::string &name,
                                    std::string field = {}) {
  return ErrorSubject{ErrorSubject::Kind::Projection, name, std::move(field)};
}

} // namespace cajal::mapping

#endif // CAJAL_MAPPING_NETWORK_H
