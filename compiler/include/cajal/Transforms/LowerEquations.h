//===- LowerEquations.h - A discretised neuron model as a program -*- C++
//-*-===//
//
// lowerEquationModel turns a discretised snn.neuron_model, for the
// parameter values of one population, into a neurocore program
// (docs/neurocore-isa.md) with fixed-point formats chosen by interval range
// analysis:
//
// - every value that depends on parameters and constants alone is computed
//   by the compiler in double precision, per neuron: a parameter word when
//   the neurons differ, a program constant when they agree (so division,
//   exp, log of parameters cost nothing on the chip);
// - every other value (it depends on a state or the input) gets an interval
//   from the states' declared ranges, the input's range and the parameters'
//   values, and a format with kRegisterBits - ceil(log2 |max|) fraction bits,
//   so that it fits the multiplier's 48-bit operands; a state word has
//   kStateBits - ceil(log2 |max|) fraction bits of its 32;
// - a state whose next value the analysis cannot keep inside its declared
//   range is clipped to it (the report says so; otherwise overflow is
//   proven impossible);
// - the input q is the raw sum of weights in units of 2^-inputFractionBits.
//
// - a value that depends on one changing value x alone (a state, the input
//   or a state before the step) and needs what the instruction set lacks
//   (exp, log, division by x ...) becomes a lookup table: the largest such
//   expression of x is sampled over x's range into a LUT table (the
//   profile's isa.maxTableEntries shared among the tables), its error
//   measured against double precision; the rate functions of a
//   Hodgkin-Huxley gate are such expressions of V.
// A math function or a division of a value that depends on two changing
// values is refused, naming the operation.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_TRANSFORMS_LOWEREQUATIONS_H
#define CAJAL_TRANSFORMS_LOWEREQUATIONS_H

#include "cajal/Chip/Neurocore.h"
#include "cajal/Chip/Profile.h"
#include "cajal/Conversion/SNNToMapping.h"
#include "cajal/Dialect/SNN/SNNOps.h"

#include <string>
#include <vector>

namespace cajal {

/// Fraction bits of a register value: |value| * 2^f stays below 2^46, inside
/// the multiplier's 48-bit operands with a bit to spare.
constexpr int kRegisterBits = 46;
/// Fraction bits of a state word: |value| * 2^f stays below 2^30.
constexpr int kStateBits = 30;
/// Fraction bits of a lookup table's entries: |value| * 2^f stays within
/// 2^30, inside their 32 bits.
constexpr int kTableBits = 30;

using mapping::StateFormat;
using mapping::TableFormat;

struct LoweredModel {
  chip::Program program;
  /// Per neuron, the program's parameter words.
  std::vector<std::vector<int64_t>> paramWords;
  int inputFractionBits = 0; ///< q counts 2^-f model input units
  std::vector<StateFormat> states;
  /// The values computed by the compiler (name: "p3 = d" or "c2 = 0.04").
  std::vector<std::string> hoisted;
  std::vector<TableFormat> tables;
};

/// The fraction bits of the input q for inputs of magnitude up to `m`.
int equationInputFractionBits(double magnitude);

/// `params[i]` are neuron i's parameter values in the model's order,
/// `initial` the population's initial state;
/// [inputLower, inputUpper] bounds the step's input (the model's declared
/// range, or what the network's weights can sum to) and q counts
/// 2^-inputFractionBits of it (the weights' units). Errors are emitted on
/// `model` (or on the operation concerned).
mlir::FailureOr<LoweredModel> lowerEquationModel(
    snn::NeuronModelOp model, const std::vector<std::vector<double>> &params,
    llvm::ArrayRef<double> initial, double inputLower, double inputUpper,
    int inputFractionBits, const chip::Profile &profile);

/// Every population of `mapped` whose model is an snn.neuron_model gets its
/// program and per-neuron words (lowerEquationModel with its parameters and
/// the input range snn-quantize chose: the model's declared range, else
/// what its voltage_scale holds). Errors are emitted on the model and the
/// population.
mlir::LogicalResult lowerEquationPopulations(MappedNetwork &mapped,
                                             const chip::Profile &profile);

/// One line on what the lowering chose for a population (`cajal compile
/// --verbose` prints it): solver and step, each state's format and whether
/// it is clipped, the lookup tables and their largest error, the length.
std::string describeEquationFormats(const mapping::EquationFormats &formats,
                                    const chip::Program &program);

} // namespace cajal

#endif // CAJAL_TRANSFORMS_LOWEREQUATIONS_H
