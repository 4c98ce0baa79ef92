//===- SNNOps.h - Operations of the snn dialect -----------------*- C++ -*-===//
#ifndef CAJAL_DIALECT_SNN_SNNOPS_H
#define CAJAL_DIALECT_SNN_SNNOPS_H

#include "cajal/Dialect/SNN/SNNAttributes.h"
#include "cajal/Dialect/SNN/SNNDialect.h"
#include "cajal/Dialect/SNN/SNNTypes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/RegionKindInterface.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "cajal/Dialect/SNN/SNNOps.h.inc"

namespace cajal::snn {

/// The most synapses one fixed_number projection may make: the compiler
/// holds some of its rules' draws in 32-bit tables.
constexpr int64_t kMaxFixedNumberSynapses = 4294967295;
/// Error on `op` when its symbol name is empty (spike files and the chip
/// image name every population, source and projection).
mlir::LogicalResult verifySymbolName(mlir::Operation *op);

/// What a population of an equation model runs with: its parameters (the
/// population's values, else the model's defaults) and its initial state
/// (the model's, or the population's value for a state it names).
struct EquationValues {
  llvm::SmallVector<mlir::Attribute> params; ///< per parameter, or null
  llvm::SmallVector<double> paramDefaults;
  llvm::SmallVector<double> initial; ///< per state
  /// Parameter k of neuron i.
  double param(unsigned k, size_t i) const;
};
EquationValues resolveEquationValues(NeuronModelOp model,
                                     EquationParamsAttr values);
/// The snn.neuron_model a population of model `equations` runs (null if
/// the IR is invalid).
NeuronModelOp equationModelOf(PopulationOp population);

/// Whether `op` may appear in a region of an snn.neuron_model: the arith
/// and math operations every engine evaluates, snn.previous and the
/// terminators.
bool isEquationOp(mlir::Operation *op);
} // namespace cajal::snn

#endif // CAJAL_DIALECT_SNN_SNNOPS_H
