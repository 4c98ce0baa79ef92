//===- EquationTape.h - Evaluate a neuron model's region in f64 -*- C++ -*-===//
//
// A region of an snn.neuron_model (dynamics, spike or reset) compiled once
// into a flat tape of f64 operations over numbered slots, then evaluated per
// neuron and step without touching the IR: the float engine's inner loop,
// and the oracle that discretisation and fixed-point tests compare against.
// i1 values are held as 0.0 / 1.0. Every operation isEquationOp accepts is
// evaluated exactly as its arith/math semantics say in IEEE double (the C
// library's exp, log, ...).
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_TRANSFORMS_EQUATIONTAPE_H
#define CAJAL_TRANSFORMS_EQUATIONTAPE_H

#include "mlir/IR/Region.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"

#include <cstdint>
#include <vector>

namespace cajal {

class EquationTape {
public:
  /// Compile `region` (one block, arguments f64, operations isEquationOp,
  /// ending in snn.yield or snn.derivatives). Emits an error on the first
  /// operation it cannot evaluate.
  static mlir::FailureOr<EquationTape> compile(mlir::Region &region);

  /// Evaluate: `args` are the block arguments in order; `previous` the
  /// states before the step (read by snn.previous; may be empty when the
  /// region has none). The terminator's operands go to `results`.
  void run(llvm::ArrayRef<double> args, llvm::ArrayRef<double> previous,
           std::vector<double> &results) const;

  /// Evaluate and keep every value: `values[slot(v)]` is the value of `v`
  /// (the compiler reads the values that depend on parameters alone).
  void evaluate(llvm::ArrayRef<double> args, llvm::ArrayRef<double> previous,
                std::vector<double> &values) const;
  /// Evaluate again with `value` (an operation's result) set to `x`: the
  /// operations after its definition are run again over `values`, which must
  /// hold an evaluation. A value that depends on `value` alone (and on
  /// parameters) is then its function at `x`.
  void evaluateFrom(mlir::Value value, double x,
                    llvm::ArrayRef<double> previous,
                    std::vector<double> &values) const;
  /// The slot of a value of the compiled region.
  uint32_t slot(mlir::Value value) const { return slotOf.lookup(value); }

  unsigned numArguments() const { return arguments; }
  unsigned numResults() const { return unsigned(resultSlots.size()); }

  enum class Code : uint8_t;
  struct Instruction {
    Code code;
    uint32_t out, a, b, c;
    double constant;
  };

private:
  void execute(llvm::ArrayRef<double> args, llvm::ArrayRef<double> previous,
               double *slotValues) const;
  /// Run the tape from its instruction `first` on.
  void runFrom(size_t first, llvm::ArrayRef<double> previous,
               double *slotValues) const;

  unsigned arguments = 0;
  unsigned slots = 0;
  std::vector<Instruction> tape;
  std::vector<uint32_t> resultSlots;
  llvm::DenseMap<mlir::Value, uint32_t> slotOf;
};

} // namespace cajal

#endif // CAJAL_TRANSFORMS_EQUATIONTAPE_H
