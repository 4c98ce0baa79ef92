//===- LowerEquations.cpp - A discretised neuron model as a program -------===//
//
// Three walks over the model's regions (dynamics, then spike, then reset,
// whose state arguments are the dynamics' results):
//   1. classify: a value is static (parameters and constants alone) or
//      dynamic (it depends on a state, snn.previous or the input); a dynamic
//      value that depends on one changing value x alone and needs an
//      operation the instruction set lacks (exp, division by x ...) is read
//      from a lookup table of x when it is the largest such expression
//      (some user depends on more than x); the operations only such tables
//      use are not emitted;
//   2. evaluate every static value per neuron with EquationTape, range
//      every dynamic value by interval arithmetic, and sample each table
//      with the tape over x's range;
//   3. emit: each dynamic operation as a few instructions over its
//      operands' formats, registers given out as values die. A static
//      operand becomes a program constant (every neuron agrees) or a
//      parameter word. Right shifts round half up (MULSHR.half by 1): plain
//      arithmetic shifts would bias every step by half a unit downwards.
// The program ends with the spike (FIRE on the condition), the reset
// (SEL between reset and updated values) and the state writes.
//
//===----------------------------------------------------------------------===//
#include "cajal/Transforms/LowerEquations.h"
#include "cajal/Transforms/EquationTape.h"

#include "cajal/Chip/NeurocoreInterpreter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <map>

using namespace mlir;
using namespace cajal::chip::isa;
namespace chip = cajal::chip;

namespace cajal {

namespace {

struct Interval {
  double lo = 0, hi = 0;
  double magnitude() const { return std::max(std::fabs(lo), std::fabs(hi)); }
};

Interval join(Interval a, Interval b) {
  return {std::min(a.lo, b.lo), std::max(a.hi, b.hi)};
}

Interval product(Interval a, Interval b) {
  const double p[] = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
  return {*std::min_element(p, p + 4), *std::max_element(p, p + 4)};
}

/// Fraction bits of a value of magnitude up to `m` in a word of `bits`.
int fractionBits(double m, int bits) {
  const int exponent = m > 0 ? int(std::ceil(std::log2(m))) : -16;
  return std::clamp(bits - std::max(exponent, -16), 0, 62);
}

int64_t toFixed(double value, int f) {
  return int64_t(std::llround(std::ldexp(value, f)));
}

/// Segment widths for the tables of `lowered` that spend up to `maxEntries`
/// entries: the table with the largest interpolation error (relative to
/// its largest value) halves its segments, which quarters that error, as
/// long as the entries allow.
std::vector<unsigned> refinedShifts(const LoweredModel &lowered,
                                    unsigned maxEntries) {
  const size_t n = lowered.tables.size();
  std::vector<unsigned> shifts(n);
  std::vector<uint64_t> entries(n);
  std::vector<double> error(n);
  uint64_t total = 0;
  for (size_t i = 0; i < n; ++i) {
    const TableFormat &t = lowered.tables[i];
    shifts[i] = lowered.program.tables[t.table].shift;
    entries[i] = t.entries;
    error[i] = t.maxError / std::max(t.largest, 1e-300);
    total += entries[i];
  }
  while (true) {
    const size_t worst =
        size_t(std::max_element(error.begin(), error.end()) - error.begin());
    // Halved segments: at most 2 (entries - 1) + 1 entries.
    const uint64_t refined = 2 * entries[worst] - 1;
    if (shifts[worst] == 0 || error[worst] == 0 ||
        total - entries[worst] + refined > maxEntries)
      break;
    total += refined - entries[worst];
    entries[worst] = refined;
    --shifts[worst];
    error[worst] /= 4;
  }
  return shifts;
}

/// "math.exp at model.mlir:12:3": an operation as the fit report names it.
std::string opDescription(Operation *op) {
  std::string text = op->getName().getStringRef().str();
  Location loc = op->getLoc();
  if (auto named = dyn_cast<NameLoc>(loc)) {
    text += " (" + named.getName().str() + ")";
    loc = named.getChildLoc();
  }
  if (auto at = dyn_cast<FileLineColLoc>(loc))
    text += " at " + at.getFilename().str() + ":" +
            std::to_string(at.getLine()) + ":" + std::to_string(at.getColumn());
  return text;
}

/// Where a value lives while the program runs, and in which format (an i1
/// is an integer 0 / 1: format 0).
struct Place {
  Operand operand;
  int f = 0;
};

class Lowering {
public:
  Lowering(snn::NeuronModelOp modelOp,
           const std::vector<std::vector<double>> &neuronParams,
           ArrayRef<double> initialState, Interval inputRange,
           int inputFractionBits, const chip::Profile &chipProfile,
           std::vector<unsigned> tableShifts = {})
      : model(modelOp), params(neuronParams), initial(initialState),
        input(inputRange), inputBits(inputFractionBits), profile(chipProfile),
        shiftPlan(std::move(tableShifts)) {}

  FailureOr<LoweredModel> run();

private:
  LogicalResult classify(Region &region, ArrayRef<bool> argIsDynamic);
  LogicalResult rangeAndEvaluate(Region &region, const EquationTape &tape,
                                 ArrayRef<Interval> argRanges,
                                 ArrayRef<Place> argPlaces,
                                 bool dynamicsRegion);
  FailureOr<Interval> tabulate(Value w, const EquationTape &tape,
                               Interval xRange, int xFractionBits,
                               bool dynamicsRegion);
  std::string variableName(Value x);
  /// How state k's range was calibrated (snn-calibrate-ranges), if it was.
  std::optional<std::string> calibrationOf(unsigned k) {
    auto calibration = model->getAttrOfType<DictionaryAttr>("calibration");
    if (!calibration)
      return std::nullopt;
    auto states = calibration.getAs<ArrayAttr>("states");
    auto steps = calibration.getAs<IntegerAttr>("steps");
    auto margin = calibration.getAs<FloatAttr>("margin");
    if (!states || !steps || !margin ||
        !llvm::is_contained(states.getValue(), model.getStateNames()[k]))
      return std::nullopt;
    return llvm::formatv("calibrated: reached in {0} steps of the float "
                         "engine, widened by {1} of the span on each side",
                         steps.getInt(),
                         llvm::format("%g", margin.getValueAsDouble()))
        .str();
  }
  /// The fraction bits of a dynamic value computed in a register.
  int formatOf(Value v) const {
    return v.getType().isInteger(1)
               ? 0
               : fractionBits(range.lookup(v).magnitude(), kRegisterBits);
  }
  /// The operands an emitted operation reads: a table's variable, or its
  /// own operands; none for an operation that is not emitted.
  SmallVector<Value, 3> emittedOperands(Operation &op) const;
  LogicalResult emitRegion(Region &region, ArrayRef<Place> args);
  FailureOr<Place> operandOf(Value v);
  Place staticOperand(Value v, bool reciprocal);
  void freeTemps();
  /// A register holding `p` converted to format `f`.
  FailureOr<Operand> converted(Place p, int f);
  Operand newReg(Value owner);
  void release(Value v);
  void emit(Opcode code, Operand d, Operand a = none(), Operand b = none(),
            Operand c = none(), unsigned imm = 0, unsigned mode = 0) {
    out.program.code.push_back(
        chip::isa::encode(chip::isa::instruction(code, d, a, b, c, imm, mode)));
  }
  /// d = round(a * 2^-shift): MULSHR.half by the constant 1.
  void shiftRightRounded(Operand d, Operand a, unsigned shift) {
    emit(Opcode::MulShr, d, a, constantOperand(1), none(), shift,
         unsigned(Rounding::HalfUp));
  }
  Operand constantOperand(int64_t value);
  LogicalResult fail(Operation *op, const Twine &message) {
    return op->emitOpError() << message;
  }

  snn::NeuronModelOp model;
  const std::vector<std::vector<double>> &params;
  ArrayRef<double> initial;
  Interval input;
  int inputBits;
  const chip::Profile &profile;
  /// Each table's segment width 2^shift, when planned (refinedShifts);
  /// otherwise every table gets an equal share of the entries.
  std::vector<unsigned> shiftPlan;
  LoweredModel out;

  llvm::DenseMap<Value, bool> dynamic;
  llvm::DenseMap<Value, Interval> range;
  /// Static values, per neuron (filled from each region's tape).
  llvm::DenseMap<Value, std::vector<double>> perNeuron;
  llvm::DenseMap<Value, Place> placed;
  std::vector<Value> regOwner; ///< which value holds each register
  std::vector<bool> busy;
  std::vector<Operand> temps; ///< registers free again after this operation
  bool outOfRegisters = false;
  SmallVector<int> stateBits; ///< fraction bits of each state word
  llvm::DenseMap<std::pair<Value, unsigned>, Place> staticPlaces;
  /// Constants that did not fit the constant table: their parameter words.
  std::map<int64_t, uint8_t> spilledConstants;

  /// The one value x a dynamic value is a function of (with parameters): a
  /// dynamic block argument, an snn.previous, or a value of several of
  /// them, which is a function of itself.
  llvm::DenseMap<Value, Value> functionOf;
  /// Dynamic values whose computation needs a table (math, division by x).
  llvm::DenseSet<Value> needsTable;
  llvm::DenseSet<Value> tabulated; ///< read from a lookup table
  llvm::DenseSet<Value> needed;    ///< emitted, or read from a table
  struct TableSlot {
    unsigned index = 0;
    int f = 0; ///< fraction bits of the entries
  };
  llvm::DenseMap<Value, TableSlot> tableOf;
  unsigned plannedTables = 0;
};

/// Operations the instruction set has no instruction for: they are
/// computed by the compiler when static, read from a table otherwise.
bool hasNoInstruction(Operation &op, const llvm::DenseMap<Value, bool> &dyn) {
  if (auto div = dyn_cast<arith::DivFOp>(op))
    return dyn.lookup(div.getRhs());
  return op.getDialect() && op.getDialect()->getNamespace() == "math";
}

LogicalResult Lowering::classify(Region &region, ArrayRef<bool> argIsDynamic) {
  for (BlockArgument arg : region.getArguments()) {
    dynamic[arg] = argIsDynamic[arg.getArgNumber()];
    if (dynamic[arg])
      functionOf[arg] = arg;
  }
  for (Operation &op : region.front()) {
    bool d = isa<snn::PreviousOp>(op);
    for (Value v : op.getOperands())
      d |= dynamic.lookup(v);
    for (Value r : op.getResults())
      dynamic[r] = d;
    if (!d || op.getNumResults() != 1)
      continue;
    Value r = op.getResult(0);
    if (isa<snn::PreviousOp>(op)) {
      functionOf[r] = r;
      continue;
    }
    Value key;
    const bool noInstruction = hasNoInstruction(op, dynamic);
    bool several = false, table = noInstruction;
    for (Value v : op.getOperands()) {
      if (!dynamic.lookup(v))
        continue;
      const Value vk = functionOf.lookup(v);
      several |= key && key != vk;
      key = vk;
      table |= needsTable.contains(v);
    }
    if (noInstruction && several)
      return fail(&op, "of two changing values that are not functions of "
                       "one value has no fixed-point form: a lookup table "
                       "holds a function of one value");
    // A value of several changing values is computed by instructions; what
    // depends on it alone is a function of it (exp(B h) for a rate B of
    // several states), read from a table over its range where needed.
    functionOf[r] = several ? r : key;
    if (table && !several)
      needsTable.insert(r);
  }
  // The largest expressions of one value that need a table: some user
  // depends on more (or is the terminator).
  for (Operation &op : region.front()) {
    if (op.getNumResults() != 1 || !needsTable.contains(op.getResult(0)))
      continue;
    Value r = op.getResult(0);
    for (Operation *user : r.getUsers())
      if (user->hasTrait<OpTrait::IsTerminator>() ||
          functionOf.lookup(user->getResult(0)) != functionOf.lookup(r))
        tabulated.insert(r);
  }
  // What the program computes: back from the terminator, stopping at
  // tabulated values (their table needs only their variable).
  SmallVector<Value> work(region.front().getTerminator()->getOperands());
  while (!work.empty()) {
    Value v = work.pop_back_val();
    if (!dynamic.lookup(v) || !needed.insert(v).second)
      continue;
    if (tabulated.contains(v)) {
      ++plannedTables;
      work.push_back(functionOf.lookup(v));
      continue;
    }
    if (Operation *def = v.getDefiningOp())
      for (Value o : def->getOperands())
        work.push_back(o);
  }
  return success();
}

SmallVector<Value, 3> Lowering::emittedOperands(Operation &op) const {
  if (op.getNumResults() == 1 && dynamic.lookup(op.getResult(0))) {
    Value r = op.getResult(0);
    if (!needed.contains(r))
      return {};
    if (tabulated.contains(r))
      return {functionOf.lookup(r)};
  }
  return SmallVector<Value, 3>(op.getOperands());
}

std::string Lowering::variableName(Value x) {
  const unsigned states = model.getNumStates();
  auto stateName = [&](unsigned k) {
    return cast<StringAttr>(model.getStateNames()[k]).str();
  };
  if (auto prev = x.getDefiningOp<snn::PreviousOp>())
    return stateName(cast<BlockArgument>(prev.getState()).getArgNumber()) +
           " before the step";
  if (auto arg = dyn_cast<BlockArgument>(x)) {
    const unsigned k = arg.getArgNumber();
    return k < states ? stateName(k) : "input " + model.getInputName().str();
  }
  return opDescription(x.getDefiningOp());
}

FailureOr<Interval> Lowering::tabulate(Value w, const EquationTape &tape,
                                       Interval xRange, int fx,
                                       bool dynamicsRegion) {
  Operation *op = w.getDefiningOp();
  const Value x = functionOf.lookup(w);
  // One table serves every neuron: the parameters it reads must agree.
  SmallVector<Value> work{w};
  llvm::DenseSet<Value> seen;
  while (!work.empty()) {
    Value v = work.pop_back_val();
    if (!seen.insert(v).second || v == x)
      continue;
    if (!dynamic.lookup(v)) {
      const std::vector<double> &values = perNeuron[v];
      if (!std::all_of(values.begin(), values.end(),
                       [&](double y) { return y == values[0]; }))
        return fail(op, "is read from a lookup table, which the neurons of a "
                        "population share, but it depends on a parameter "
                        "that differs between them");
      continue;
    }
    if (Operation *def = v.getDefiningOp())
      for (Value o : def->getOperands())
        work.push_back(o);
  }
  const unsigned budget = profile.isa.maxTableEntries / plannedTables;
  if (budget < 2)
    return fail(op, "needs a lookup table; profile '" + profile.name +
                        "' has " + std::to_string(profile.isa.maxTableEntries) +
                        " table entries for the program's " +
                        std::to_string(plannedTables) +
                        " tables (isa.maxTableEntries)");
  const int64_t lo = int64_t(std::floor(std::ldexp(xRange.lo, fx)));
  const int64_t hi = int64_t(std::ceil(std::ldexp(xRange.hi, fx)));
  const uint64_t span = uint64_t(std::max<int64_t>(hi - lo, 1));
  unsigned shift = 0;
  if (out.program.tables.size() < shiftPlan.size())
    shift = shiftPlan[out.program.tables.size()];
  else
    while ((uint64_t(budget - 1) << shift) < span)
      ++shift;
  if (shift > chip::kMaxLookupShift)
    return fail(op, "needs a lookup table over a range too wide for the "
                    "table's segments");
  const uint64_t segments = (span + (uint64_t(1) << shift) - 1) >> shift;

  // The function of x, for neuron 0's parameters (all agree).
  const unsigned states = model.getNumStates();
  std::vector<double> args(states, 0.0), previous(states, 0.0), values;
  args.insert(args.end(), params[0].begin(), params[0].end());
  if (dynamicsRegion)
    args.push_back(0.0);
  // An operation's result x: one evaluation, then what follows x again per
  // sample (w reads nothing else that changes).
  const bool computed =
      !x.getDefiningOp<snn::PreviousOp>() && !isa<BlockArgument>(x);
  if (computed)
    tape.evaluate(args, previous, values);
  auto f = [&](double xv) {
    if (computed) {
      tape.evaluateFrom(x, xv, previous, values);
      return values[tape.slot(w)];
    }
    if (auto prev = x.getDefiningOp<snn::PreviousOp>())
      previous[cast<BlockArgument>(prev.getState()).getArgNumber()] = xv;
    else
      args[cast<BlockArgument>(x).getArgNumber()] = xv;
    tape.evaluate(args, previous, values);
    return values[tape.slot(w)];
  };
  const double width = std::ldexp(1.0, int(shift) - fx);
  // x in the model's units of a raw value, and the raw value of node k.
  auto real = [fx](int64_t raw) { return std::ldexp(double(raw), -fx); };
  auto node = [lo, shift](uint64_t k) { return lo + int64_t(k << shift); };
  std::vector<double> exact;
  double largest = 0;
  for (uint64_t k = 0; k <= segments; ++k) {
    const double xv = real(node(k));
    double y = f(xv);
    // A removable singularity (x / (1 - exp(-x)) at 0): its limit.
    if (!std::isfinite(y))
      y = (f(xv - width * 1e-6) + f(xv + width * 1e-6)) / 2;
    if (!std::isfinite(y))
      return fail(op, "is not finite at " + variableName(x) + " = " +
                          std::to_string(xv) + " inside its range");
    exact.push_back(y);
    largest = std::max(largest, std::fabs(y));
  }
  // Each node moved by half the chord's error at the middle of its
  // segments: a curved function's chords then err as much above as below
  // it, which halves the largest error of interpolating the exact values.
  std::vector<double> chordError(segments);
  for (uint64_t k = 0; k < segments; ++k) {
    const double y = f(real(node(k)) + width / 2);
    chordError[k] = std::isfinite(y) ? (exact[k] + exact[k + 1]) / 2 - y : 0;
  }
  chip::LookupTable table;
  table.origin = lo;
  table.shift = uint8_t(shift);
  const int fOut = fractionBits(largest * 1.01, kTableBits);
  for (uint64_t k = 0; k <= segments; ++k) {
    const double left = k > 0 ? chordError[k - 1] : chordError[k];
    const double right = k < segments ? chordError[k] : chordError[k - 1];
    table.entries.push_back(
        int32_t(toFixed(exact[k] - (left + right) / 4, fOut)));
  }
  // The error the interpolation makes, sampled inside every segment.
  double maxError = 0;
  constexpr unsigned kSamples = 16;
  for (uint64_t k = 0; k < segments; ++k)
    for (unsigned j = 1; j < kSamples; ++j) {
      const int64_t raw = node(k) + int64_t((uint64_t(j) << shift) / kSamples);
      const double y = f(real(raw));
      if (std::isfinite(y))
        maxError = std::max(
            maxError,
            std::fabs(std::ldexp(double(chip::isa::lookup(table, raw)), -fOut) -
                      y));
    }
  const auto [low, high] =
      std::minmax_element(table.entries.begin(), table.entries.end());
  TableFormat report;
  report.value = opDescription(op);
  report.variable = variableName(x);
  report.table = unsigned(out.program.tables.size());
  report.entries = table.entries.size();
  report.lower = real(lo);
  report.upper = real(node(segments));
  report.segment = width;
  report.fractionBits = fOut;
  report.largest = largest;
  report.maxError = maxError;
  out.tables.push_back(report);
  tableOf[w] = TableSlot{unsigned(out.program.tables.size()), fOut};
  out.program.tables.push_back(std::move(table));
  return Interval{std::ldexp(double(*low), -fOut),
                  std::ldexp(double(*high), -fOut)};
}

LogicalResult Lowering::rangeAndEvaluate(Region &region,
                                         const EquationTape &tape,
                                         ArrayRef<Interval> argRanges,
                                         ArrayRef<Place> argPlaces,
                                         bool dynamicsRegion) {
  // Static values: the region's tape per neuron (dynamic arguments at 0;
  // their values are not read).
  const unsigned states = model.getNumStates();
  std::vector<double> args, values;
  for (const std::vector<double> &neuron : params) {
    args.assign(states, 0.0);
    args.insert(args.end(), neuron.begin(), neuron.end());
    if (dynamicsRegion)
      args.push_back(0.0);
    tape.evaluate(args, std::vector<double>(states, 0.0), values);
    for (Operation &op : region.front())
      for (Value r : op.getResults())
        if (!dynamic.lookup(r))
          perNeuron[r].push_back(values[tape.slot(r)]);
    for (BlockArgument a : region.getArguments())
      if (!dynamic.lookup(a))
        perNeuron[a].push_back(values[tape.slot(a)]);
  }
  auto rangeOf = [&](Value v) -> Interval {
    if (!dynamic.lookup(v)) {
      const std::vector<double> &x = perNeuron[v];
      return {*std::min_element(x.begin(), x.end()),
              *std::max_element(x.begin(), x.end())};
    }
    return range.lookup(v);
  };
  for (BlockArgument a : region.getArguments())
    if (dynamic.lookup(a))
      range[a] = argRanges[a.getArgNumber()];
  for (Operation &op : region.front()) {
    if (op.getNumResults() == 0 || !dynamic.lookup(op.getResult(0)) ||
        !needed.contains(op.getResult(0)))
      continue;
    Value r = op.getResult(0);
    if (tabulated.contains(r)) {
      Value x = functionOf.lookup(r);
      int fx = 0;
      if (auto prev = x.getDefiningOp<snn::PreviousOp>())
        fx = stateBits[cast<BlockArgument>(prev.getState()).getArgNumber()];
      else if (auto arg = dyn_cast<BlockArgument>(x))
        fx = argPlaces[arg.getArgNumber()].f;
      else
        fx = formatOf(x);
      FailureOr<Interval> t =
          tabulate(r, tape, range.lookup(x), fx, dynamicsRegion);
      if (failed(t))
        return failure();
      range[r] = *t;
      continue;
    }
    auto operand = [&](unsigned i) { return rangeOf(op.getOperand(i)); };
    auto flag = [](Operation *) { return Interval{0, 1}; };
    FailureOr<Interval> result =
        llvm::TypeSwitch<Operation *, FailureOr<Interval>>(&op)
            .Case([&](arith::AddFOp) {
              return Interval{operand(0).lo + operand(1).lo,
                              operand(0).hi + operand(1).hi};
            })
            .Case([&](arith::SubFOp) {
              return Interval{operand(0).lo - operand(1).hi,
                              operand(0).hi - operand(1).lo};
            })
            .Case([&](arith::NegFOp) {
              return Interval{-operand(0).hi, -operand(0).lo};
            })
            .Case(
                [&](arith::MulFOp) { return product(operand(0), operand(1)); })
            .Case([&](arith::DivFOp) -> FailureOr<Interval> {
              const Interval d = operand(1);
              if (d.lo <= 0 && d.hi >= 0)
                return fail(&op, "divides by a parameter expression that is "
                                 "0 for some neuron");
              return product(operand(0),
                             Interval{std::min(1 / d.lo, 1 / d.hi),
                                      std::max(1 / d.lo, 1 / d.hi)});
            })
            .Case<arith::MaximumFOp, arith::MinimumFOp>(
                [&](auto) { return join(operand(0), operand(1)); })
            .Case([&](arith::SelectOp) { return join(operand(1), operand(2)); })
            .Case<arith::CmpFOp, arith::AndIOp, arith::OrIOp, arith::XOrIOp>(
                flag)
            .Case([&](snn::PreviousOp prev) {
              const unsigned k =
                  cast<BlockArgument>(prev.getState()).getArgNumber();
              return Interval{model.getStateLower()[k],
                              model.getStateUpper()[k]};
            })
            .Default([&](Operation *) -> FailureOr<Interval> {
              return fail(&op, "has no fixed-point form");
            });
    if (failed(result))
      return failure();
    if (!std::isfinite(result->lo) || !std::isfinite(result->hi))
      return fail(&op, "has an unbounded range; declare the ranges of the "
                       "states and the input");
    range[r] = *result;
  }
  return success();
}

Operand Lowering::constantOperand(int64_t value) {
  auto &c = out.program.constants;
  auto it = std::find(c.begin(), c.end(), value);
  if (it != c.end())
    return chip::isa::constant(uint8_t(it - c.begin()));
  if (c.size() < profile.isa.maxConstants) {
    c.push_back(value);
    return chip::isa::constant(uint8_t(c.size() - 1));
  }
  // The constant table is full: the value becomes a parameter word every
  // neuron holds (a 64-bit word: a constant may be shifted past 48 bits).
  if (auto spilled = spilledConstants.find(value);
      spilled != spilledConstants.end())
    return chip::isa::param(spilled->second);
  const uint8_t index = uint8_t(out.program.params.size());
  out.program.params.push_back(
      chip::ParamWord{"k" + std::to_string(index), 64, true});
  for (std::vector<int64_t> &words : out.paramWords)
    words.push_back(value);
  spilledConstants[value] = index;
  return chip::isa::param(index);
}

Place Lowering::staticOperand(Value v, bool reciprocal) {
  auto key = std::make_pair(v, unsigned(reciprocal));
  if (auto it = staticPlaces.find(key); it != staticPlaces.end())
    return it->second;
  std::vector<double> x = perNeuron[v];
  if (reciprocal)
    for (double &value : x)
      value = 1 / value;
  const bool flag = v.getType().isInteger(1);
  double m = 0;
  for (double value : x)
    m = std::max(m, std::fabs(value));
  const int f = flag ? 0 : fractionBits(m, kRegisterBits);
  std::string name;
  if (auto arg = dyn_cast<BlockArgument>(v); arg && !flag)
    name = cast<StringAttr>(
               model.getParamNames()[arg.getArgNumber() - model.getNumStates()])
               .str();
  else
    name = v.getDefiningOp() ? v.getDefiningOp()->getName().getStringRef().str()
                             : "value";
  if (reciprocal)
    name = "1 / " + name;
  Place place;
  place.f = f;
  const bool shared =
      std::all_of(x.begin(), x.end(), [&](double y) { return y == x[0]; });
  if (shared) {
    place.operand = constantOperand(toFixed(x[0], f));
    if (!isa_and_nonnull<arith::ConstantOp>(v.getDefiningOp()))
      out.hoisted.push_back("c" + std::to_string(place.operand.index) + " = " +
                            name + " (2^-" + std::to_string(f) + ")");
  } else {
    const unsigned index = unsigned(out.program.params.size());
    out.program.params.push_back(
        chip::ParamWord{"w" + std::to_string(index), 48, true});
    for (size_t i = 0; i < x.size(); ++i)
      out.paramWords[i].push_back(toFixed(x[i], f));
    place.operand = chip::isa::param(uint8_t(index));
    out.hoisted.push_back("p" + std::to_string(index) + " = " + name +
                          " per neuron (2^-" + std::to_string(f) + ")");
  }
  staticPlaces[key] = place;
  return place;
}

FailureOr<Place> Lowering::operandOf(Value v) {
  if (auto it = placed.find(v); it != placed.end())
    return it->second;
  if (!dynamic.lookup(v))
    return staticOperand(v, false);
  if (auto table = tableOf.find(v); table != tableOf.end()) {
    // The table's variable is held until the table's last reader (see
    // emitRegion's last uses).
    const Operand d = newReg(v);
    emit(Opcode::Lut, d, placed.lookup(functionOf.lookup(v)).operand, none(),
         none(), table->second.index);
    return placed[v] = Place{d, table->second.f};
  }
  return failure();
}

Operand Lowering::newReg(Value owner) {
  for (size_t i = 0; i < regOwner.size(); ++i)
    if (!busy[i]) {
      busy[i] = true;
      regOwner[i] = owner;
      return chip::isa::reg(uint8_t(i));
    }
  outOfRegisters = true;
  return chip::isa::reg(0);
}

void Lowering::release(Value v) {
  for (size_t i = 0; i < regOwner.size(); ++i)
    if (busy[i] && regOwner[i] == v) {
      busy[i] = false;
      regOwner[i] = Value();
    }
}

FailureOr<Operand> Lowering::converted(Place p, int f) {
  if (p.f == f)
    return p.operand;
  // A constant is stored again in the format asked for: no instruction
  // (constants stay below 2^47: 15 more bits keep them inside 64).
  if (p.operand.kind == OperandKind::Const && f - p.f <= 15) {
    const int64_t value = out.program.constants[p.operand.index];
    return constantOperand(
        f > p.f
            ? value * (int64_t(1) << (f - p.f))
            : chip::isa::mulShr(value, 1, unsigned(p.f - f), Rounding::HalfUp));
  }
  Operand t = newReg(Value());
  temps.push_back(t);
  if (f > p.f)
    emit(Opcode::Shl, t, p.operand, none(), none(), unsigned(f - p.f));
  else
    shiftRightRounded(t, p.operand, unsigned(p.f - f));
  return t;
}

void Lowering::freeTemps() {
  for (Operand t : temps)
    if (busy[t.index] && !regOwner[t.index])
      busy[t.index] = false;
  temps.clear();
}

LogicalResult Lowering::emitRegion(Region &region, ArrayRef<Place> args) {
  for (BlockArgument a : region.getArguments())
    if (dynamic.lookup(a))
      placed[a] = args[a.getArgNumber()];
  // Last uses, to give registers back.
  llvm::DenseMap<Value, unsigned> last;
  unsigned index = 0;
  for (Operation &op : region.front()) {
    ++index;
    const unsigned at = op.hasTrait<OpTrait::IsTerminator>() ? ~0u : index;
    for (Value v : emittedOperands(op)) {
      last[v] = at;
      // A table is read where its value is first used: its variable lives
      // until then.
      if (tabulated.contains(v))
        last[functionOf.lookup(v)] = at;
    }
  }
  index = 0;
  for (Operation &op : region.front()) {
    ++index;
    if (op.hasTrait<OpTrait::IsTerminator>() || op.getNumResults() == 0 ||
        !dynamic.lookup(op.getResult(0)) || !needed.contains(op.getResult(0)))
      continue;
    Value z = op.getResult(0);
    if (auto prev = dyn_cast<snn::PreviousOp>(op)) {
      const unsigned k = cast<BlockArgument>(prev.getState()).getArgNumber();
      placed[z] = Place{chip::isa::state(uint8_t(k)), stateBits[k]};
      continue;
    }
    // Read from its table where it is first used (operandOf), so that its
    // register is held only while it is needed.
    if (tabulated.contains(z))
      continue;
    const int fz = formatOf(z);
    SmallVector<Place> in;
    for (Value v : op.getOperands()) {
      if (isa<arith::DivFOp>(op) && v == op.getOperand(1)) {
        in.push_back(staticOperand(v, /*reciprocal=*/true));
        continue;
      }
      FailureOr<Place> p = operandOf(v);
      if (failed(p))
        return fail(&op, "uses a value the lowering has not placed");
      in.push_back(*p);
    }
    // Operands converted to a common format, for every operation but the
    // multiplications.
    auto aligned = [&](unsigned i, int f) { return converted(in[i], f); };
    const Operand d = newReg(z);
    LogicalResult ok = success();
    auto binary = [&](Opcode code, int f) {
      FailureOr<Operand> a = aligned(0, f), b = aligned(1, f);
      emit(code, d, *a, *b);
    };
    if (isa<arith::AddFOp>(op)) {
      binary(Opcode::Add, fz);
    } else if (isa<arith::SubFOp>(op)) {
      binary(Opcode::Sub, fz);
    } else if (isa<arith::NegFOp>(op)) {
      emit(Opcode::Sub, d, none(), *aligned(0, fz));
    } else if (isa<arith::MaximumFOp>(op)) {
      binary(Opcode::Max, fz);
    } else if (isa<arith::MinimumFOp>(op)) {
      binary(Opcode::Min, fz);
    } else if (isa<arith::MulFOp, arith::DivFOp>(op)) {
      const int shift = in[0].f + in[1].f - fz;
      const unsigned first = unsigned(std::clamp(shift, 0, 63));
      emit(Opcode::MulShr, d, in[0].operand, in[1].operand, none(), first,
           unsigned(Rounding::HalfUp));
      if (shift < 0)
        emit(Opcode::Shl, d, d, none(), none(), unsigned(-shift));
      else if (shift > 63)
        shiftRightRounded(d, d, unsigned(shift - 63));
    } else if (isa<arith::SelectOp>(op)) {
      // Sequenced: argument order is the compiler's choice, and each
      // conversion may emit an instruction or a constant.
      const Operand ifTrue = *aligned(1, fz);
      const Operand ifFalse = *aligned(2, fz);
      emit(Opcode::Sel, d, in[0].operand, ifTrue, ifFalse);
    } else if (auto cmp = dyn_cast<arith::CmpFOp>(op)) {
      // In the changing operand's format: a static one is stored again in
      // it (a constant 0 would otherwise ask for 62 fraction bits).
      const bool staticA = !dynamic.lookup(op.getOperand(0)),
                 staticB = !dynamic.lookup(op.getOperand(1));
      const int f = staticA   ? in[1].f
                    : staticB ? in[0].f
                              : std::max(in[0].f, in[1].f);
      const Operand a = *aligned(0, f), b = *aligned(1, f);
      switch (cmp.getPredicate()) {
      case arith::CmpFPredicate::OGT:
        emit(Opcode::CmpGt, d, a, b);
        break;
      case arith::CmpFPredicate::OGE:
        emit(Opcode::CmpGe, d, a, b);
        break;
      case arith::CmpFPredicate::OLT:
        emit(Opcode::CmpGt, d, b, a);
        break;
      case arith::CmpFPredicate::OLE:
        emit(Opcode::CmpGe, d, b, a);
        break;
      case arith::CmpFPredicate::OEQ:
        emit(Opcode::CmpEq, d, a, b);
        break;
      default: // ONE (the verifier admits no other)
        emit(Opcode::CmpEq, d, a, b);
        emit(Opcode::Sub, d, constantOperand(1), d);
        break;
      }
    } else if (isa<arith::AndIOp>(op)) {
      emit(Opcode::Min, d, in[0].operand, in[1].operand);
    } else if (isa<arith::OrIOp>(op)) {
      emit(Opcode::Max, d, in[0].operand, in[1].operand);
    } else if (isa<arith::XOrIOp>(op)) {
      emit(Opcode::CmpEq, d, in[0].operand, in[1].operand);
      emit(Opcode::Sub, d, constantOperand(1), d);
    } else {
      ok = fail(&op, "has no fixed-point form");
    }
    if (failed(ok))
      return failure();
    placed[z] = Place{d, fz};
    freeTemps();
    for (Value v : op.getOperands()) {
      if (last.lookup(v) == index)
        release(v);
      if (tabulated.contains(v) && last.lookup(functionOf.lookup(v)) == index)
        release(functionOf.lookup(v));
    }
    if (outOfRegisters)
      return model.emitOpError() << "needs more than the " << regOwner.size()
                                 << " registers of profile '" << profile.name
                                 << "' (isa.registers) for its program";
  }
  return success();
}

FailureOr<LoweredModel> Lowering::run() {
  const unsigned states = model.getNumStates(),
                 numParams = model.getNumParams();
  if (!profile.isa.programmable)
    return model.emitOpError()
           << "needs a programmable neurocore; profile '" << profile.name
           << "' runs only the LIF family (isa.programmable)";
  if (!model.isDiscretised())
    return model.emitOpError(
        "must be discretised (snn-discretize-equations) before it becomes a "
        "program");
  for (unsigned k = 0; k < states; ++k)
    if (std::isinf(model.getStateLower()[k]) ||
        std::isinf(model.getStateUpper()[k]))
      return model.emitOpError()
             << "state '" << cast<StringAttr>(model.getStateNames()[k]).str()
             << "' needs a declared range [lower, upper] for its fixed-point "
                "format (or one from a float-engine run: "
                "snn-calibrate-ranges, cajal compile --calibrate-steps N)";
  if (!std::isfinite(input.lo) || !std::isfinite(input.hi))
    return model.emitOpError() << "input '" << model.getInputName()
                               << "' needs a range: declare it on the model";
  out.paramWords.assign(params.size(), {});
  regOwner.assign(profile.isa.registers, Value());
  busy.assign(profile.isa.registers, false);

  // Compile and classify the regions.
  SmallVector<bool> dynamicsArgs(states, true);
  dynamicsArgs.append(numParams, false);
  dynamicsArgs.push_back(true);
  SmallVector<bool> eventArgs(states, true);
  eventArgs.append(numParams, false);
  Region *regions[] = {&model.getDynamics(), &model.getSpike(),
                       &model.getReset()};
  std::vector<EquationTape> tapes;
  for (Region *r : regions) {
    if (r->empty())
      continue;
    FailureOr<EquationTape> tape = EquationTape::compile(*r);
    if (failed(tape))
      return failure();
    tapes.push_back(std::move(*tape));
    (void)classify(*r, r == regions[0] ? ArrayRef<bool>(dynamicsArgs)
                                       : ArrayRef<bool>(eventArgs));
  }

  if (plannedTables > profile.isa.maxTables)
    return model.emitOpError()
           << "needs " << plannedTables
           << " lookup tables (functions of one changing value that the "
              "instruction set cannot compute); profile '"
           << profile.name << "' allows " << profile.isa.maxTables
           << " per program (isa.maxTables)";

  // Formats of the state words and the input.
  SmallVector<Interval> declared;
  for (unsigned k = 0; k < states; ++k) {
    declared.push_back({model.getStateLower()[k], model.getStateUpper()[k]});
    stateBits.push_back(fractionBits(declared[k].magnitude(), kStateBits));
  }
  out.inputFractionBits = inputBits;

  // Dynamics: ranges, static values, code.
  SmallVector<Interval> argRanges(declared);
  argRanges.append(numParams, Interval{});
  argRanges.push_back(input);
  SmallVector<Place> args;
  for (unsigned k = 0; k < states; ++k)
    args.push_back({chip::isa::state(uint8_t(k)), stateBits[k]});
  args.append(numParams, Place{});
  args.push_back({chip::isa::inputQ(), out.inputFractionBits});
  if (failed(rangeAndEvaluate(*regions[0], tapes[0], argRanges, args, true)))
    return failure();
  if (failed(emitRegion(*regions[0], args)))
    return failure();

  // The next values, in registers, clipped where the analysis cannot keep
  // them in their declared ranges.
  Operation *yield = regions[0]->front().getTerminator();
  SmallVector<Place> next;
  SmallVector<Interval> nextRanges;
  for (unsigned k = 0; k < states; ++k) {
    Value v = yield->getOperand(k);
    FailureOr<Place> p = operandOf(v);
    if (failed(p))
      return failure();
    const Interval r = dynamic.lookup(v) ? range[v] : declared[k];
    StateFormat format;
    format.name = cast<StringAttr>(model.getStateNames()[k]).str();
    format.fractionBits = stateBits[k];
    format.lower = declared[k].lo;
    format.upper = declared[k].hi;
    format.nextLower = r.lo;
    format.nextUpper = r.hi;
    format.clipped = r.lo < declared[k].lo || r.hi > declared[k].hi;
    if (std::optional<std::string> source = calibrationOf(k))
      format.rangeSource = *source;
    const int f = fractionBits(declared[k].magnitude(), kRegisterBits);
    // Owned by the state argument, which no register holds: kept to the end.
    const Operand reg = newReg(regions[0]->getArgument(k));
    // The conversion (or the clip) writes the state's register itself; a
    // MOV only where neither is needed.
    Operand source = p->operand;
    const bool constant = p->operand.kind == OperandKind::Const;
    if (p->f != f && !constant) {
      if (f > p->f)
        emit(Opcode::Shl, reg, p->operand, none(), none(), unsigned(f - p->f));
      else
        shiftRightRounded(reg, p->operand, unsigned(p->f - f));
      source = reg;
    } else {
      FailureOr<Operand> value = converted(*p, f);
      source = *value;
    }
    if (format.clipped) {
      const Operand lower = constantOperand(toFixed(declared[k].lo, f));
      const Operand upper = constantOperand(toFixed(declared[k].hi, f));
      emit(Opcode::Clip, reg, source, lower, upper);
    } else if (!(source == reg)) {
      emit(Opcode::Mov, reg, source);
    }
    freeTemps();
    next.push_back({reg, f});
    nextRanges.push_back(
        {std::max(r.lo, declared[k].lo), std::min(r.hi, declared[k].hi)});
    out.states.push_back(format);
  }
  for (Value v : yield->getOperands())
    release(v);
  if (outOfRegisters)
    return model.emitOpError() << "needs more than the " << regOwner.size()
                               << " registers of profile '" << profile.name
                               << "' (isa.registers) for its program";

  // Spike and reset see the next values.
  SmallVector<Interval> eventRanges(nextRanges);
  eventRanges.append(numParams, Interval{});
  SmallVector<Place> eventArgsPlaced(next);
  eventArgsPlaced.append(numParams, Place{});
  if (!model.getSpike().empty()) {
    if (failed(rangeAndEvaluate(model.getSpike(), tapes[1], eventRanges,
                                eventArgsPlaced, false)) ||
        failed(emitRegion(model.getSpike(), eventArgsPlaced)))
      return failure();
    Value cond = model.getSpike().front().getTerminator()->getOperand(0);
    FailureOr<Place> c = operandOf(cond);
    if (failed(c))
      return failure();
    const Operand scratch = newReg(Value());
    temps.push_back(scratch);
    emit(Opcode::Fire, scratch, c->operand, none(), none(), 0,
         unsigned(Reset::Zero));
    freeTemps();
    if (!model.getReset().empty()) {
      if (failed(rangeAndEvaluate(model.getReset(), tapes[2], eventRanges,
                                  eventArgsPlaced, false)) ||
          failed(emitRegion(model.getReset(), eventArgsPlaced)))
        return failure();
      Operation *resetYield = model.getReset().front().getTerminator();
      for (unsigned k = 0; k < states; ++k) {
        FailureOr<Place> r = operandOf(resetYield->getOperand(k));
        if (failed(r))
          return failure();
        FailureOr<Operand> value = converted(*r, next[k].f);
        emit(Opcode::Sel, next[k].operand, c->operand, *value, next[k].operand);
        freeTemps();
      }
    }
    if (outOfRegisters)
      return model.emitOpError() << "needs more than the " << regOwner.size()
                                 << " registers of profile '" << profile.name
                                 << "' (isa.registers) for its program";
  }

  // The state writes, and the program's declarations.
  for (unsigned k = 0; k < states; ++k) {
    const int shift = next[k].f - stateBits[k];
    if (shift > 0)
      shiftRightRounded(chip::isa::state(uint8_t(k)), next[k].operand,
                        unsigned(shift));
    else
      emit(Opcode::Shl, chip::isa::state(uint8_t(k)), next[k].operand, none(),
           none(), unsigned(-shift));
  }
  chip::Program &program = out.program;
  program.name = model.getSymName().str();
  for (unsigned k = 0; k < states; ++k)
    program.state.push_back(
        chip::StateWord{out.states[k].name, 32, true, chip::Overflow::Saturate,
                        int32_t(toFixed(initial[k], stateBits[k]))});
  if (Status s = chip::validateProgram(program, profile); !s)
    return model.emitOpError() << "does not fit profile '" << profile.name
                               << "' as a program: " << s.error();
  return std::move(out);
}

} // namespace

int equationInputFractionBits(double magnitude) {
  return fractionBits(magnitude, kStateBits);
}

LogicalResult lowerEquationPopulations(MappedNetwork &mapped,
                                       const chip::Profile &profile) {
  for (auto [p, pop] : llvm::enumerate(mapped.network.populations)) {
    if (pop.program != mapping::PopulationProgram::Equations)
      continue;
    snn::PopulationOp op = mapped.populations[p];
    auto eq = cast<snn::EquationParamsAttr>(op.getParams());
    snn::NeuronModelOp model = snn::equationModelOf(op);
    const snn::EquationValues values = snn::resolveEquationValues(model, eq);
    std::vector<std::vector<double>> neurons(pop.size);
    for (size_t i = 0; i < pop.size; ++i)
      for (unsigned k = 0; k < model.getNumParams(); ++k)
        neurons[i].push_back(values.param(k, i));
    // The input range snn-quantize chose the weights' units for.
    const int inputBits = int(
        std::lround(std::log2(op.getVoltageScaleAttr().getValueAsDouble())));
    double lo = model.getInputMin(), hi = model.getInputMax();
    if (!std::isfinite(lo) || !std::isfinite(hi)) {
      hi = std::ldexp(1.0, kStateBits - inputBits);
      lo = -hi;
    }
    FailureOr<LoweredModel> lowered = lowerEquationModel(
        model, neurons, values.initial, lo, hi, inputBits, profile);
    if (failed(lowered))
      return op.emitOpError()
             << "population \"" << pop.name << "\": model " << eq.getModel()
             << " does not compile to a program (above)";
    auto formats = std::make_shared<mapping::EquationFormats>();
    formats->model = model.getSymName().str();
    formats->solver = snn::stringifySolver(model.getSolver()).str();
    formats->step = *model.getStepSize();
    formats->inputFractionBits = lowered->inputFractionBits;
    formats->states = lowered->states;
    formats->hoisted = lowered->hoisted;
    formats->tables = lowered->tables;
    // Initial values count 2^fractionBits units per unit of their state and
    // stay inside its declared range (the formats assume it).
    for (mapping::InitialValue &init : pop.initial)
      for (const mapping::StateFormat &f : formats->states)
        if (f.name == init.state) {
          init.scale = std::ldexp(1.0, f.fractionBits);
          init.lower = f.lower;
          init.upper = f.upper;
        }
    pop.equationFormats = std::move(formats);
    pop.equationProgram =
        std::make_shared<const chip::Program>(std::move(lowered->program));
    const bool shared =
        std::all_of(lowered->paramWords.begin(), lowered->paramWords.end(),
                    [&](const std::vector<int64_t> &w) {
                      return w == lowered->paramWords.front();
                    });
    if (shared)
      lowered->paramWords.resize(1);
    pop.programWords = std::move(lowered->paramWords);
  }
  return success();
}

std::string describeEquationFormats(const mapping::EquationFormats &eq,
                                    const chip::Program &program) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "model @" << eq.model << ": " << eq.solver << ", step "
     << llvm::format("%g", eq.step) << "; states";
  for (const StateFormat &s : eq.states)
    os << " " << s.name << " (2^-" << s.fractionBits << ", "
       << (s.clipped ? "clipped" : "overflow impossible") << ")";
  if (!eq.tables.empty()) {
    const auto worst =
        std::max_element(eq.tables.begin(), eq.tables.end(),
                         [](const TableFormat &a, const TableFormat &b) {
                           return a.maxError / std::max(a.largest, 1e-300) <
                                  b.maxError / std::max(b.largest, 1e-300);
                         });
    size_t entries = 0;
    for (const TableFormat &t : eq.tables)
      entries += t.entries;
    os << "; " << eq.tables.size() << " lookup tables of " << entries
       << " entries, largest error " << llvm::format("%.3g", worst->maxError)
       << " (table " << worst->table << ", " << worst->value << ", of "
       << worst->variable << ", largest value "
       << llvm::format("%.4g", worst->largest) << ")";
  }
  os << "; " << program.code.size() << " instructions";
  return text;
}

FailureOr<LoweredModel> lowerEquationModel(
    snn::NeuronModelOp model, const std::vector<std::vector<double>> &params,
    ArrayRef<double> initial, double inputLower, double inputUpper,
    int inputFractionBits, const chip::Profile &profile) {
  if (params.empty())
    return model.emitOpError("has no neuron to lower for");
  const Interval inputRange{inputLower, inputUpper};
  FailureOr<LoweredModel> equalShares =
      Lowering(model, params, initial, inputRange, inputFractionBits, profile)
          .run();
  if (failed(equalShares) || equalShares->tables.empty())
    return equalShares;
  // Again, with the entries the equal shares left over given to the tables
  // that err most.
  std::vector<unsigned> shifts =
      refinedShifts(*equalShares, profile.isa.maxTableEntries);
  return Lowering(model, params, initial, inputRange, inputFractionBits,
                  profile, std::move(shifts))
      .run();
}

} // namespace cajal
