//===- DiscretizeEquations.cpp - snn-discretize-equations: ODE -> step ----===//
//
// Each snn.neuron_model in ODE form that populations use gets the step
// h = dt / time_unit and its `dynamics` region rebuilt into the states after
// one step. The new region clones the derivative computation f once per
// evaluation the method needs (every clone reads the states before the
// step, or rk2's stage values), so the order-independent meaning of the
// equations is kept.
//
// exponential_euler and exact need f linear in some states. A degree
// analysis (0: free of the tracked states, 1: affine in them, nonlinear)
// decides it over the region's operations, and forward differentiation over
// the affine operations gives the coefficients (d f_j / d x_k) as IR: no
// f(1) - f(0) difference, which would cancel when the input is large.
// exact exponentiates the augmented matrix [[M h, c h], [0, 0]] by scaling
// and squaring on exp(A) - I, all straight-line arith; null Values stand
// for exact zeros so that decoupled states cost nothing.
//
//===----------------------------------------------------------------------===//
#include "cajal/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"

#include <cmath>
#include <string>

namespace cajal {
#define GEN_PASS_DEF_SNNDISCRETIZEEQUATIONS
#include "cajal/Transforms/Passes.h.inc"
} // namespace cajal

using namespace mlir;
using namespace cajal;
using namespace cajal::snn;

namespace {

/// exact: exp(A) - I is computed for A / 2^kSquarings by a Taylor
/// polynomial of order kTaylorOrder, then squared kSquarings times. For
/// ||A|| <= 16 the scaled norm is <= 1/16 and the truncation relative to
/// exp(A) - I is about (1/16)^10 / 11! < 1e-19, far below double rounding.
constexpr unsigned kTaylorOrder = 10;
constexpr unsigned kSquarings = 8;

/// How close an existing `step` must be to dt / time_unit: a few roundings
/// (the step may have been computed as another quotient of the same dt).
constexpr double kStepTolerance = 1e-12;

//===----------------------------------------------------------------------===//
// Degree analysis
//===----------------------------------------------------------------------===//

enum class Degree { Free = 0, Affine = 1, Nonlinear = 2 };

/// The degree of every value of a derivative region in a set of tracked
/// states, jointly: Free (does not depend on them), Affine (c + sum b_k x_k
/// with c and b free of them) or Nonlinear. For a nonlinear value, `origin`
/// is the operation where the nonlinearity first arises.
class DegreeAnalysis {
public:
  DegreeAnalysis(Block &body, ArrayRef<unsigned> tracked) {
    for (unsigned i : tracked)
      degrees[body.getArgument(i)] = Degree::Affine;
    for (Operation &op : body.without_terminator())
      visit(op);
  }

  Degree degree(Value v) const { return degrees.lookup(v); }
  Operation *origin(Value v) const { return origins.lookup(v); }

private:
  void visit(Operation &op) {
    Degree highest = Degree::Free;
    Operation *inherited = nullptr;
    for (Value operand : op.getOperands()) {
      const Degree d = degree(operand);
      if (d == Degree::Nonlinear && !inherited)
        inherited = origin(operand);
      highest = std::max(highest, d);
    }
    Degree result = highest;
    Operation *from = inherited;
    if (highest == Degree::Nonlinear) {
      // Nonlinear already, from an operand.
    } else if (isa<arith::AddFOp, arith::SubFOp, arith::NegFOp,
                   arith::ConstantOp>(op)) {
      // Affine stays affine.
    } else if (auto mul = dyn_cast<arith::MulFOp>(op)) {
      if (degree(mul.getLhs()) == Degree::Affine &&
          degree(mul.getRhs()) == Degree::Affine)
        result = Degree::Nonlinear;
    } else if (auto div = dyn_cast<arith::DivFOp>(op)) {
      if (degree(div.getRhs()) != Degree::Free)
        result = Degree::Nonlinear;
    } else if (auto select = dyn_cast<arith::SelectOp>(op)) {
      if (degree(select.getCondition()) != Degree::Free)
        result = Degree::Nonlinear;
    } else if (highest != Degree::Free) {
      // cmpf, maximumf, minimumf, math: nonlinear on a state.
      result = Degree::Nonlinear;
    }
    if (result == Degree::Nonlinear && !from)
      from = &op;
    for (Value r : op.getResults()) {
      degrees[r] = result;
      if (result == Degree::Nonlinear)
        origins[r] = from;
    }
  }

  DenseMap<Value, Degree> degrees;
  DenseMap<Value, Operation *> origins;
};

//===----------------------------------------------------------------------===//
// Expressions in error messages
//===----------------------------------------------------------------------===//

/// `v` as a short expression of the region's argument names, `depth`
/// operations deep ("v * v", "exp(v / k)").
std::string describe(Value v, ArrayRef<std::string> names, unsigned depth,
                     bool nested = false) {
  if (auto arg = dyn_cast<BlockArgument>(v))
    return names[arg.getArgNumber()];
  Operation *op = v.getDefiningOp();
  if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
    if (auto f = dyn_cast<FloatAttr>(constant.getValue())) {
      std::string text;
      llvm::raw_string_ostream os(text);
      os << llvm::format("%g", f.getValueAsDouble());
      return text;
    }
    if (auto i = dyn_cast<IntegerAttr>(constant.getValue()))
      return i.getValue().isZero() ? "false" : "true";
  }
  if (depth == 0)
    return "...";
  auto operand = [&](unsigned i, bool inner = true) {
    return describe(op->getOperand(i), names, depth - 1, inner);
  };
  auto wrap = [&](std::string s) { return nested ? "(" + s + ")" : s; };
  std::string infix =
      llvm::TypeSwitch<Operation *, std::string>(op)
          .Case([](arith::AddFOp) { return " + "; })
          .Case([](arith::SubFOp) { return " - "; })
          .Case([](arith::MulFOp) { return " * "; })
          .Case([](arith::DivFOp) { return " / "; })
          .Case([](arith::AndIOp) { return " and "; })
          .Case([](arith::OrIOp) { return " or "; })
          .Case([](arith::XOrIOp) { return " xor "; })
          .Case([](arith::CmpFOp cmp) {
            return " " + stringifyCmpFPredicate(cmp.getPredicate()).str() + " ";
          })
          .Default([](Operation *) { return ""; });
  if (!infix.empty())
    return wrap(operand(0) + infix + operand(1));
  if (isa<arith::NegFOp>(op))
    return "-" + operand(0);
  if (isa<arith::SelectOp>(op))
    return wrap(operand(0) + " ? " + operand(1) + " : " + operand(2));
  std::string call = op->getName().stripDialect().str() + "(";
  for (unsigned i = 0; i < op->getNumOperands(); ++i)
    call += (i ? ", " : "") + operand(i, /*inner=*/false);
  return call + ")";
}

//===----------------------------------------------------------------------===//
// Building the step
//===----------------------------------------------------------------------===//

/// f64 arithmetic in which a null Value is an exact zero: a term that is
/// structurally zero (a state absent from a derivative) emits nothing.
class ZeroAwareBuilder {
public:
  ZeroAwareBuilder(OpBuilder &builder, Location location)
      : b(builder), loc(location) {}

  Value constant(double value) {
    return b.create<arith::ConstantOp>(loc, b.getF64FloatAttr(value));
  }
  Value add(Value x, Value y) {
    if (!x)
      return y;
    if (!y)
      return x;
    return b.create<arith::AddFOp>(loc, x, y);
  }
  Value sub(Value x, Value y) {
    if (!y)
      return x;
    if (!x)
      return neg(y);
    return b.create<arith::SubFOp>(loc, x, y);
  }
  Value neg(Value x) {
    return x ? Value(b.create<arith::NegFOp>(loc, x)) : Value();
  }
  Value mul(Value x, Value y) {
    if (!x || !y)
      return {};
    return b.create<arith::MulFOp>(loc, x, y);
  }
  /// `y` is never zero structurally.
  Value div(Value x, Value y) {
    return x ? Value(b.create<arith::DivFOp>(loc, x, y)) : Value();
  }
  Value select(Value condition, Value x, Value y) {
    if (!x && !y)
      return {};
    return b.create<arith::SelectOp>(loc, condition, x ? x : constant(0.0),
                                     y ? y : constant(0.0));
  }

  OpBuilder &b;
  Location loc;
};

/// Clone the derivative computation of `body` with its arguments replaced
/// by `args`; returns the derivatives. `values` maps every original value to
/// its clone.
SmallVector<Value> cloneDerivatives(OpBuilder &b, Block &body, ValueRange args,
                                    IRMapping &values) {
  values.map(body.getArguments(), args);
  for (Operation &op : body.without_terminator())
    b.clone(op, values);
  return llvm::map_to_vector(body.getTerminator()->getOperands(),
                             [&](Value v) { return values.lookup(v); });
}

/// d f_j / d x_k of every derivative f_j, by forward differentiation over
/// the operations affine in the tracked states (`degrees`); a factor free of
/// them is read from `values`, a clone of the derivatives. Null: zero.
SmallVector<Value> differentiate(ZeroAwareBuilder &z, Block &body, unsigned k,
                                 const DegreeAnalysis &degrees,
                                 const IRMapping &values) {
  DenseMap<Value, Value> d;
  d[body.getArgument(k)] = z.constant(1.0);
  auto dOf = [&](Value v) { return d.lookup(v); };
  for (Operation &op : body.without_terminator()) {
    if (op.getNumResults() != 1 ||
        degrees.degree(op.getResult(0)) != Degree::Affine)
      continue;
    Value result =
        llvm::TypeSwitch<Operation *, Value>(&op)
            .Case([&](arith::AddFOp o) {
              return z.add(dOf(o.getLhs()), dOf(o.getRhs()));
            })
            .Case([&](arith::SubFOp o) {
              return z.sub(dOf(o.getLhs()), dOf(o.getRhs()));
            })
            .Case([&](arith::NegFOp o) { return z.neg(dOf(o.getOperand())); })
            .Case([&](arith::MulFOp o) {
              if (degrees.degree(o.getLhs()) == Degree::Free)
                return z.mul(values.lookup(o.getLhs()), dOf(o.getRhs()));
              return z.mul(dOf(o.getLhs()), values.lookup(o.getRhs()));
            })
            .Case([&](arith::DivFOp o) {
              return z.div(dOf(o.getLhs()), values.lookup(o.getRhs()));
            })
            .Case([&](arith::SelectOp o) {
              return z.select(values.lookup(o.getCondition()),
                              dOf(o.getTrueValue()), dOf(o.getFalseValue()));
            })
            .Default([](Operation *) { return Value(); });
    if (result)
      d[op.getResult(0)] = result;
  }
  return llvm::map_to_vector(body.getTerminator()->getOperands(), dOf);
}

/// A square matrix of f64 Values, null entries zero.
struct Matrix {
  explicit Matrix(unsigned size) : n(size), entries(size * size) {}
  Value &at(unsigned i, unsigned j) { return entries[i * n + j]; }
  unsigned n;
  std::vector<Value> entries;
};

Matrix multiply(ZeroAwareBuilder &z, Matrix &x, Matrix &y) {
  Matrix r(x.n);
  for (unsigned i = 0; i < x.n; ++i)
    for (unsigned j = 0; j < x.n; ++j)
      for (unsigned k = 0; k < x.n; ++k)
        r.at(i, j) = z.add(r.at(i, j), z.mul(x.at(i, k), y.at(k, j)));
  return r;
}

SmallVector<Value> multiply(ZeroAwareBuilder &z, Matrix &x, ArrayRef<Value> v) {
  SmallVector<Value> r(x.n);
  for (unsigned i = 0; i < x.n; ++i)
    for (unsigned k = 0; k < x.n; ++k)
      r[i] = z.add(r[i], z.mul(x.at(i, k), v[k]));
  return r;
}

/// One model's rewrite: the argument layout and the names for messages.
class ModelStep {
public:
  ModelStep(NeuronModelOp op, double step)
      : model(op), body(op.getDynamics().front()), states(op.getNumStates()),
        h(step) {
    for (Attribute n : op.getStateNames())
      names.push_back(cast<StringAttr>(n).getValue().str());
    for (Attribute n : op.getParamNames())
      names.push_back(cast<StringAttr>(n).getValue().str());
    names.push_back(op.getInputName().str());
  }

  /// Check that `solver` applies to the model (an error naming the state
  /// otherwise), then rewrite the dynamics and set step and solver.
  LogicalResult run(Solver solver);

private:
  LogicalResult requireLinear(Solver solver);
  SmallVector<Value> euler(ZeroAwareBuilder &z, ValueRange args);
  SmallVector<Value> rk2(ZeroAwareBuilder &z, ValueRange args);
  SmallVector<Value> exponentialEuler(ZeroAwareBuilder &z, ValueRange args);
  SmallVector<Value> exact(ZeroAwareBuilder &z, ValueRange args);
  SmallVector<Value> withStates(ValueRange args, ArrayRef<Value> x) const {
    SmallVector<Value> r(x);
    r.append(args.begin() + states, args.end());
    return r;
  }

  NeuronModelOp model;
  Block &body;
  unsigned states;
  double h;
  SmallVector<std::string> names;
};

LogicalResult ModelStep::requireLinear(Solver solver) {
  auto terminator = cast<DerivativesOp>(body.getTerminator());
  if (solver == Solver::ExponentialEuler) {
    for (unsigned j = 0; j < states; ++j) {
      DegreeAnalysis degrees(body, {j});
      Value f = terminator.getValues()[j];
      if (degrees.degree(f) != Degree::Nonlinear)
        continue;
      return model.emitError()
             << "state '" << names[j] << "' of @" << model.getSymName()
             << " is not linear in itself ("
             << describe(degrees.origin(f)->getResult(0), names, 3)
             << "); use euler or rk2";
    }
  }
  if (solver == Solver::Exact) {
    DegreeAnalysis degrees(body, llvm::to_vector(llvm::seq(0u, states)));
    for (unsigned j = 0; j < states; ++j) {
      Value f = terminator.getValues()[j];
      if (degrees.degree(f) != Degree::Nonlinear)
        continue;
      return model.emitError()
             << "state '" << names[j] << "' of @" << model.getSymName()
             << " is not linear in the states with state-free coefficients ("
             << describe(degrees.origin(f)->getResult(0), names, 3)
             << "); exact needs dx/dt = M x + c with M and c from the "
                "parameters and input; use exponential_euler, euler or rk2";
    }
  }
  return success();
}

SmallVector<Value> ModelStep::euler(ZeroAwareBuilder &z, ValueRange args) {
  IRMapping values;
  SmallVector<Value> f = cloneDerivatives(z.b, body, args, values);
  Value step = z.constant(h);
  SmallVector<Value> next;
  for (unsigned j = 0; j < states; ++j)
    next.push_back(z.add(args[j], z.mul(f[j], step)));
  return next;
}

SmallVector<Value> ModelStep::rk2(ZeroAwareBuilder &z, ValueRange args) {
  IRMapping first, second;
  SmallVector<Value> k1 = cloneDerivatives(z.b, body, args, first);
  Value halfStep = z.constant(h / 2), step = z.constant(h);
  SmallVector<Value> midpoint;
  for (unsigned j = 0; j < states; ++j)
    midpoint.push_back(z.add(args[j], z.mul(k1[j], halfStep)));
  SmallVector<Value> k2 =
      cloneDerivatives(z.b, body, withStates(args, midpoint), second);
  SmallVector<Value> next;
  for (unsigned j = 0; j < states; ++j)
    next.push_back(z.add(args[j], z.mul(k2[j], step)));
  return next;
}

/// The states and the input (not the parameters) that `v` depends on: the
/// arguments among `changing` its operations read.
llvm::SmallDenseSet<Value>
changingArguments(Value v, const llvm::DenseSet<Value> &changing) {
  llvm::SmallDenseSet<Value> found;
  llvm::DenseSet<Value> seen;
  SmallVector<Value> work{v};
  while (!work.empty()) {
    Value x = work.pop_back_val();
    if (!x || !seen.insert(x).second)
      continue;
    if (changing.contains(x))
      found.insert(x);
    if (Operation *def = x.getDefiningOp())
      work.append(def->operand_begin(), def->operand_end());
  }
  return found;
}

SmallVector<Value> ModelStep::exponentialEuler(ZeroAwareBuilder &z,
                                               ValueRange args) {
  IRMapping values;
  SmallVector<Value> f = cloneDerivatives(z.b, body, args, values);
  Value step = z.constant(h), zero = z.constant(0.0);
  llvm::DenseSet<Value> changing(args.begin(), args.begin() + states);
  changing.insert(args.back());
  SmallVector<Value> next;
  const Location at = z.loc;
  for (unsigned j = 0; j < states; ++j) {
    // f_j = A_j + B_j x_j; the other states are free here, read before the
    // step from the same clone. The operations built are named after what
    // they compute (the fit report names tables by them).
    DegreeAnalysis degrees(body, {j});
    const std::string x = names[j];
    z.loc = NameLoc::get(z.b.getStringAttr("d(d" + x + "/dt)/d" + x), at);
    Value slope = differentiate(z, body, j, degrees, values)[j];
    z.loc = NameLoc::get(
        z.b.getStringAttr("the exponential Euler step of " + x), at);
    if (!slope) {
      next.push_back(z.add(args[j], z.mul(f[j], step)));
      continue;
    }
    Value scaled = z.mul(slope, step);
    Value grown = z.b.create<math::ExpM1Op>(z.loc, scaled);
    Value isConstant = z.b.create<arith::CmpFOp>(
        z.loc, arith::CmpFPredicate::OEQ, slope, zero);
    // phi = expm1(B_j h) / B_j (h where B_j = 0).
    Value phi = z.b.create<arith::SelectOp>(z.loc, isConstant, step,
                                            z.div(grown, slope));
    // A_j = f_j at x_j = 0.
    SmallVector<Value> atZero(args.begin(), args.begin() + states);
    atZero[j] = zero;
    IRMapping offsetValues;
    Value offset =
        cloneDerivatives(z.b, body, withStates(args, atZero), offsetValues)[j];
    llvm::SmallDenseSet<Value> reads = changingArguments(slope, changing);
    for (Value v : changingArguments(offset, changing))
      reads.insert(v);
    if (reads.size() <= 1) {
      // x_j + x_j expm1(B_j h) + A_j phi: each term a function of the one
      // value A_j and B_j read (a gate's rates of V), which a program can
      // read from a table. One statement per operation: the IR's order must
      // not depend on the order a compiler evaluates arguments in.
      Value kept = z.mul(args[j], grown);
      Value driven = z.mul(offset, phi);
      next.push_back(z.add(args[j], z.add(kept, driven)));
    } else {
      // x_j + f_j phi: an error in phi is scaled by the step's change, not
      // by x_j (V's B_j reads the gates).
      next.push_back(z.add(args[j], z.mul(f[j], phi)));
    }
  }
  z.loc = at;
  return next;
}

SmallVector<Value> ModelStep::exact(ZeroAwareBuilder &z, ValueRange args) {
  // c = f(0) and M = df/dx from a clone at x = 0 (M and c are free of the
  // states, so any clone gives the same values).
  Value zero = z.constant(0.0), one = z.constant(1.0);
  SmallVector<Value> atZero(states, zero);
  IRMapping values;
  SmallVector<Value> c =
      cloneDerivatives(z.b, body, withStates(args, atZero), values);
  DegreeAnalysis degrees(body, llvm::to_vector(llvm::seq(0u, states)));
  Value scale = z.constant(std::ldexp(h, -int(kSquarings)));
  Matrix a(states);
  for (unsigned k = 0; k < states; ++k) {
    SmallVector<Value> column = differentiate(z, body, k, degrees, values);
    for (unsigned i = 0; i < states; ++i)
      a.at(i, k) = z.mul(column[i], scale);
  }
  SmallVector<Value> b;
  for (unsigned i = 0; i < states; ++i)
    b.push_back(z.mul(c[i], scale));

  // exp([[A, b], [0, 0]]) - I = [[G, g], [0, 0]] with G = A P, g = P b and
  // P = sum A^k / (k+1)!, by Horner: P = I + A P / k, k = order .. 2.
  Matrix p(states);
  for (unsigned i = 0; i < states; ++i)
    p.at(i, i) = one;
  for (unsigned k = kTaylorOrder; k >= 2; --k) {
    Matrix ap = multiply(z, a, p);
    Value divisor = z.constant(double(k));
    for (unsigned i = 0; i < states; ++i)
      for (unsigned j = 0; j < states; ++j)
        p.at(i, j) = z.add(i == j ? one : Value(), z.div(ap.at(i, j), divisor));
  }
  Matrix g = multiply(z, a, p);
  // g = Q b with Q = P to start: Q is carried as a matrix, so that every
  // entry of G and Q depends on parameters alone (the compiler computes
  // them) and only Q b, which holds the input, is left for each step.
  Matrix q = p;
  // (I + F)^2 - I = 2F + F^2: squaring exp(.) - I keeps its small entries
  // accurate (squaring exp(.) itself would lose 2^s roundings near 1).
  for (unsigned s = 0; s < kSquarings; ++s) {
    Matrix gg = multiply(z, g, g);
    Matrix gq = multiply(z, g, q);
    for (unsigned i = 0; i < states; ++i)
      for (unsigned j = 0; j < states; ++j) {
        g.at(i, j) = z.add(z.add(g.at(i, j), g.at(i, j)), gg.at(i, j));
        q.at(i, j) = z.add(z.add(q.at(i, j), q.at(i, j)), gq.at(i, j));
      }
  }
  SmallVector<Value> gb = multiply(z, q, b);
  SmallVector<Value> x(args.take_front(states));
  SmallVector<Value> change = multiply(z, g, x);
  SmallVector<Value> next;
  for (unsigned i = 0; i < states; ++i)
    next.push_back(z.add(x[i], z.add(change[i], gb[i])));
  return next;
}

/// Operations equal in name, operands and attributes (the region's are all
/// pure and region-free).
struct SameOperation : llvm::DenseMapInfo<Operation *> {
  static unsigned getHashValue(const Operation *op) {
    return OperationEquivalence::computeHash(
        const_cast<Operation *>(op), OperationEquivalence::directHashValue,
        OperationEquivalence::ignoreHashValue,
        OperationEquivalence::IgnoreLocations);
  }
  static bool isEqual(const Operation *x, const Operation *y) {
    if (x == y)
      return true;
    if (x == getEmptyKey() || x == getTombstoneKey() || y == getEmptyKey() ||
        y == getTombstoneKey())
      return false;
    return OperationEquivalence::isEquivalentTo(
        const_cast<Operation *>(x), const_cast<Operation *>(y),
        OperationEquivalence::IgnoreLocations);
  }
};

/// Fold constants, drop dead operations and merge equal ones (the clones
/// of parameter-only computations).
void clean(Region &region) {
  (void)applyPatternsAndFoldGreedily(
      region, FrozenRewritePatternSet(RewritePatternSet(region.getContext())));
  llvm::DenseSet<Operation *, SameOperation> seen;
  for (Operation &op :
       llvm::make_early_inc_range(region.front().without_terminator())) {
    auto [existing, inserted] = seen.insert(&op);
    if (inserted)
      continue;
    op.replaceAllUsesWith(*existing);
    op.erase();
  }
}

LogicalResult ModelStep::run(Solver solver) {
  if (failed(requireLinear(solver)))
    return failure();
  Region &region = model.getDynamics();
  auto *next = new Block();
  for (BlockArgument arg : body.getArguments())
    next->addArgument(arg.getType(), arg.getLoc());
  OpBuilder builder(model.getContext()); // `next` has no region yet
  builder.setInsertionPointToEnd(next);
  ZeroAwareBuilder z(builder, body.getTerminator()->getLoc());
  ValueRange args = next->getArguments();
  SmallVector<Value> values;
  switch (solver) {
  case Solver::Euler:
    values = euler(z, args);
    break;
  case Solver::RK2:
    values = rk2(z, args);
    break;
  case Solver::ExponentialEuler:
    values = exponentialEuler(z, args);
    break;
  case Solver::Exact:
    values = exact(z, args);
    break;
  }
  builder.create<YieldOp>(z.loc, values);
  region.push_back(next);
  body.erase();
  clean(region);
  model.setStepAttr(builder.getF64FloatAttr(h));
  model.setSolver(solver);
  return success();
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

/// The first network whose populations use a model, and its dt.
struct ModelUse {
  NetworkOp network;
  double dt;
};

struct SNNDiscretizeEquations
    : public cajal::impl::SNNDiscretizeEquationsBase<SNNDiscretizeEquations> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::optional<Solver> forced;
    if (!solver.empty()) {
      forced = symbolizeSolver(solver);
      if (!forced) {
        module.emitError() << "snn-discretize-equations: unknown solver '"
                           << solver
                           << "' (euler, exponential_euler, rk2 or exact)";
        return signalPassFailure();
      }
    }
    if (dt != 0 && !(dt > 0 && std::isfinite(dt))) {
      module.emitError() << "snn-discretize-equations: dt = " << dt
                         << " s must be finite and > 0";
      return signalPassFailure();
    }

    bool ok = true;
    llvm::MapVector<Operation *, ModelUse> uses;
    module.walk([&](NetworkOp net) {
      for (auto pop : net.getBodyBlock()->getOps<PopulationOp>())
        ok &= succeeded(recordUse(net, pop, uses));
    });
    // Collected first: discretising rewrites the models' regions.
    SmallVector<NeuronModelOp> models;
    module.walk([&](NeuronModelOp model) { models.push_back(model); });
    for (NeuronModelOp model : models) {
      auto use = uses.find(model);
      if (use == uses.end()) {
        if (dt != 0)
          ok &= succeeded(discretise(model, dt, forced));
      } else if (use->second.network) { // null: refused (reported)
        ok &= succeeded(discretise(model, use->second.dt, forced));
      }
    }
    if (!ok)
      signalPassFailure();
  }

  /// Note which network (dt) a population's model is used by: all of them
  /// must agree, and an already discretised model must match each. A model
  /// refused once is noted with a null network and not reported again.
  LogicalResult recordUse(NetworkOp net, PopulationOp pop,
                          llvm::MapVector<Operation *, ModelUse> &uses) {
    auto params = dyn_cast<EquationParamsAttr>(pop.getParams());
    if (!params)
      return success();
    auto model = SymbolTable::lookupNearestSymbolFrom<NeuronModelOp>(
        net->getParentOp(), params.getModel());
    if (!model)
      return success(); // the population verifier reports it
    std::optional<double> netDt = net.getTimeStep();
    if (!netDt)
      return pop.emitOpError()
             << "population @" << pop.getSymName() << " of model @"
             << model.getSymName() << ": network @" << net.getSymName()
             << " has no 'dt' to discretise the model with";
    auto refused = uses.find(model);
    if (refused != uses.end() && !refused->second.network)
      return failure();
    if (model.isDiscretised()) {
      const double step = *model.getStepSize();
      const double wanted = *netDt / model.getTimeUnitSeconds();
      if (std::fabs(step - wanted) <= kStepTolerance * step)
        return success();
      uses[model] = ModelUse{nullptr, *netDt};
      return model.emitError()
             << "@" << model.getSymName() << " is discretised with step "
             << step << " (x time_unit " << model.getTimeUnitSeconds()
             << " s), but network @" << net.getSymName()
             << " has dt = " << *netDt << " s (step " << wanted << ")";
    }
    auto [use, inserted] = uses.try_emplace(model, ModelUse{net, *netDt});
    if (inserted || use->second.dt == *netDt)
      return success();
    InFlightDiagnostic error =
        model.emitError()
        << "@" << model.getSymName()
        << " is used by networks with different dt: @"
        << use->second.network.getSymName() << " has " << use->second.dt
        << " s, @" << net.getSymName() << " has " << *netDt
        << " s (a model has one step; give each network its own copy)";
    use->second.network = nullptr;
    return error;
  }

  LogicalResult discretise(NeuronModelOp model, double seconds,
                           std::optional<Solver> forced) {
    if (model.isDiscretised())
      return success();
    const double step = seconds / model.getTimeUnitSeconds();
    return ModelStep(model, step).run(forced.value_or(model.getSolver()));
  }
};

} // namespace
