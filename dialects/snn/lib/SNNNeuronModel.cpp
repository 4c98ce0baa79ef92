//===- SNNNeuronModel.cpp - snn.neuron_model: a model by its equations ----===//
//
// The custom syntax declares the region arguments once, in the header
// (`states(%v = -65.0 [-100.0, 40.0] "mV", ...) params(%a = 0.02, ...)
// input(%i "mV/ms")`), and every region sees them under those names: the
// dynamics region the states, parameters and input, the spike and reset
// regions the states and parameters. The region verifier checks the
// signatures, the terminators and that every operation is one the engines
// evaluate (isEquationOp: arith and math on f64 and i1, snn.previous).
//
//===----------------------------------------------------------------------===//
#include "cajal/Dialect/SNN/SNNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/StringSet.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace cajal::snn;

bool cajal::snn::isEquationOp(Operation *op) {
  // Ordered comparisons only: the fixed-point programs have no NaN.
  if (auto cmp = dyn_cast<arith::CmpFOp>(op))
    return llvm::is_contained(
        {arith::CmpFPredicate::OEQ, arith::CmpFPredicate::OGT,
         arith::CmpFPredicate::OGE, arith::CmpFPredicate::OLT,
         arith::CmpFPredicate::OLE, arith::CmpFPredicate::ONE},
        cmp.getPredicate());
  return isa<arith::ConstantOp, arith::AddFOp, arith::SubFOp, arith::MulFOp,
             arith::DivFOp, arith::NegFOp, arith::MaximumFOp, arith::MinimumFOp,
             arith::SelectOp, arith::AndIOp, arith::OrIOp, arith::XOrIOp,
             math::ExpOp, math::ExpM1Op, math::LogOp, math::Log1pOp,
             math::SqrtOp, math::TanhOp, math::AbsFOp, math::PowFOp,
             math::SinOp, math::CosOp, PreviousOp, YieldOp, DerivativesOp>(op);
}

int NeuronModelOp::findState(StringRef name) {
  for (auto [i, n] : llvm::enumerate(getStateNames()))
    if (cast<StringAttr>(n).getValue() == name)
      return int(i);
  return -1;
}

double EquationValues::param(unsigned k, size_t i) const {
  return fieldAt(params[k], i, paramDefaults[k]);
}

EquationValues cajal::snn::resolveEquationValues(NeuronModelOp model,
                                                 EquationParamsAttr values) {
  EquationValues out;
  out.params.resize(model.getNumParams());
  out.paramDefaults.assign(model.getParamDefaults().begin(),
                           model.getParamDefaults().end());
  out.initial.assign(model.getStateInitial().begin(),
                     model.getStateInitial().end());
  for (NamedAttribute value : values.getValues()) {
    if (int k = model.findParam(value.getName()); k >= 0)
      out.params[size_t(k)] = value.getValue();
    else if (int s = model.findState(value.getName()); s >= 0)
      out.initial[size_t(s)] =
          cast<FloatAttr>(value.getValue()).getValueAsDouble();
  }
  return out;
}

NeuronModelOp cajal::snn::equationModelOf(PopulationOp population) {
  auto params = dyn_cast<EquationParamsAttr>(population.getParams());
  Operation *network = population->getParentOp();
  if (!params || !network || !network->getParentOp())
    return {};
  return SymbolTable::lookupNearestSymbolFrom<NeuronModelOp>(
      network->getParentOp(), params.getModel());
}

int NeuronModelOp::findParam(StringRef name) {
  for (auto [i, n] : llvm::enumerate(getParamNames()))
    if (cast<StringAttr>(n).getValue() == name)
      return int(i);
  return -1;
}

//===----------------------------------------------------------------------===//
// Syntax
//===----------------------------------------------------------------------===//

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// `[lo, hi]`, if present.
ParseResult parseOptionalRange(OpAsmParser &parser, double &lo, double &hi) {
  lo = -kInf;
  hi = kInf;
  if (parser.parseOptionalLSquare())
    return success();
  if (parser.parseFloat(lo) || parser.parseComma() || parser.parseFloat(hi) ||
      parser.parseRSquare())
    return failure();
  return success();
}

/// `"unit"`, if present.
std::string parseOptionalUnit(OpAsmParser &parser) {
  std::string unit;
  if (parser.parseOptionalString(&unit))
    return {};
  return unit;
}

/// `%name`: a region argument of type f64.
ParseResult parseNamedArgument(OpAsmParser &parser,
                               SmallVectorImpl<OpAsmParser::Argument> &args,
                               SmallVectorImpl<Attribute> &names) {
  OpAsmParser::Argument arg;
  if (parser.parseArgument(arg))
    return failure();
  arg.type = parser.getBuilder().getF64Type();
  args.push_back(arg);
  names.push_back(
      parser.getBuilder().getStringAttr(arg.ssaName.name.drop_front()));
  return success();
}

void printRange(OpAsmPrinter &p, double lo, double hi) {
  if (std::isinf(lo) && lo < 0 && std::isinf(hi) && hi > 0)
    return;
  p << " [" << lo << ", " << hi << "]";
}

void printUnit(OpAsmPrinter &p, StringRef unit) {
  if (!unit.empty()) {
    p << ' ';
    p.printString(unit);
  }
}

} // namespace

ParseResult NeuronModelOp::parse(OpAsmParser &parser, OperationState &result) {
  Builder &b = parser.getBuilder();
  StringAttr name;
  if (parser.parseSymbolName(name))
    return failure();
  result.addAttribute(getSymNameAttrName(result.name), name);

  SmallVector<OpAsmParser::Argument> stateArgs, paramArgs, inputArgs;
  SmallVector<Attribute> stateNames, stateUnits, paramNames, inputNames;
  SmallVector<double> initial, lower, upper, defaults;
  if (parser.parseKeyword("states") ||
      parser.parseCommaSeparatedList(
          OpAsmParser::Delimiter::Paren, [&]() -> ParseResult {
            double init = 0, lo = 0, hi = 0;
            if (parseNamedArgument(parser, stateArgs, stateNames) ||
                parser.parseEqual() || parser.parseFloat(init) ||
                parseOptionalRange(parser, lo, hi))
              return failure();
            initial.push_back(init);
            lower.push_back(lo);
            upper.push_back(hi);
            stateUnits.push_back(b.getStringAttr(parseOptionalUnit(parser)));
            return success();
          }))
    return failure();
  if (succeeded(parser.parseOptionalKeyword("params")) &&
      parser.parseCommaSeparatedList(
          OpAsmParser::Delimiter::Paren, [&]() -> ParseResult {
            double value = 0;
            if (parseNamedArgument(parser, paramArgs, paramNames) ||
                parser.parseEqual() || parser.parseFloat(value))
              return failure();
            defaults.push_back(value);
            return success();
          }))
    return failure();
  double inputLo = 0, inputHi = 0;
  if (parser.parseKeyword("input") || parser.parseLParen() ||
      parseNamedArgument(parser, inputArgs, inputNames) ||
      parseOptionalRange(parser, inputLo, inputHi))
    return failure();
  std::string inputUnit = parseOptionalUnit(parser);
  double timeUnit = 0;
  StringRef solverName;
  if (parser.parseRParen() || parser.parseKeyword("time_unit") ||
      parser.parseFloat(timeUnit) || parser.parseKeyword("solver"))
    return failure();
  SMLoc solverLoc = parser.getCurrentLocation();
  if (parser.parseKeyword(&solverName))
    return failure();
  std::optional<Solver> solver = symbolizeSolver(solverName);
  if (!solver)
    return parser.emitError(solverLoc, "unknown solver '")
           << solverName << "' (euler, exponential_euler, rk2 or exact)";
  if (succeeded(parser.parseOptionalKeyword("step"))) {
    double step = 0;
    if (parser.parseFloat(step))
      return failure();
    result.addAttribute(getStepAttrName(result.name), b.getF64FloatAttr(step));
  }

  result.addAttribute(getStateNamesAttrName(result.name),
                      b.getArrayAttr(stateNames));
  result.addAttribute(getStateInitialAttrName(result.name),
                      b.getDenseF64ArrayAttr(initial));
  result.addAttribute(getStateLowerAttrName(result.name),
                      b.getDenseF64ArrayAttr(lower));
  result.addAttribute(getStateUpperAttrName(result.name),
                      b.getDenseF64ArrayAttr(upper));
  result.addAttribute(getStateUnitsAttrName(result.name),
                      b.getArrayAttr(stateUnits));
  result.addAttribute(getParamNamesAttrName(result.name),
                      b.getArrayAttr(paramNames));
  result.addAttribute(getParamDefaultsAttrName(result.name),
                      b.getDenseF64ArrayAttr(defaults));
  result.addAttribute(getInputNameAttrName(result.name),
                      cast<StringAttr>(inputNames.front()));
  result.addAttribute(getInputLowerAttrName(result.name),
                      b.getF64FloatAttr(inputLo));
  result.addAttribute(getInputUpperAttrName(result.name),
                      b.getF64FloatAttr(inputHi));
  result.addAttribute(getInputUnitAttrName(result.name),
                      b.getStringAttr(inputUnit));
  result.addAttribute(getTimeUnitAttrName(result.name),
                      b.getF64FloatAttr(timeUnit));
  result.addAttribute(getSolverAttrName(result.name),
                      SolverAttr::get(b.getContext(), *solver));

  SmallVector<OpAsmParser::Argument> dynamicsArgs(stateArgs);
  dynamicsArgs.append(paramArgs);
  dynamicsArgs.append(inputArgs);
  SmallVector<OpAsmParser::Argument> eventArgs(stateArgs);
  eventArgs.append(paramArgs);
  Region *dynamics = result.addRegion();
  Region *spike = result.addRegion();
  Region *reset = result.addRegion();
  if (parser.parseKeyword("dynamics") ||
      parser.parseRegion(*dynamics, dynamicsArgs))
    return failure();
  if (succeeded(parser.parseOptionalKeyword("spike")) &&
      parser.parseRegion(*spike, eventArgs))
    return failure();
  if (succeeded(parser.parseOptionalKeyword("reset")) &&
      parser.parseRegion(*reset, eventArgs))
    return failure();
  return parser.parseOptionalAttrDictWithKeyword(result.attributes);
}

void NeuronModelOp::print(OpAsmPrinter &p) {
  p << ' ';
  p.printSymbolName(getSymName());
  p << " states(";
  for (unsigned i = 0; i < getNumStates(); ++i) {
    if (i)
      p << ", ";
    p << '%' << cast<StringAttr>(getStateNames()[i]).getValue() << " = "
      << getStateInitial()[i];
    printRange(p, getStateLower()[i], getStateUpper()[i]);
    printUnit(p, cast<StringAttr>(getStateUnits()[i]).getValue());
  }
  p << ')';
  if (getNumParams()) {
    p << " params(";
    for (unsigned i = 0; i < getNumParams(); ++i) {
      if (i)
        p << ", ";
      p << '%' << cast<StringAttr>(getParamNames()[i]).getValue() << " = "
        << getParamDefaults()[i];
    }
    p << ')';
  }
  p << " input(%" << getInputName();
  printRange(p, getInputMin(), getInputMax());
  printUnit(p, getInputUnit());
  p << ") time_unit " << getTimeUnitSeconds() << " solver "
    << stringifySolver(getSolver());
  if (getStep())
    p << " step " << *getStepSize();
  p << " dynamics ";
  p.printRegion(getDynamics(), /*printEntryBlockArgs=*/false);
  if (!getSpike().empty()) {
    p << " spike ";
    p.printRegion(getSpike(), /*printEntryBlockArgs=*/false);
  }
  if (!getReset().empty()) {
    p << " reset ";
    p.printRegion(getReset(), /*printEntryBlockArgs=*/false);
  }
  p.printOptionalAttrDictWithKeyword(
      (*this)->getAttrs(),
      {getSymNameAttrName(), getStateNamesAttrName(), getStateInitialAttrName(),
       getStateLowerAttrName(), getStateUpperAttrName(),
       getStateUnitsAttrName(), getParamNamesAttrName(),
       getParamDefaultsAttrName(), getInputNameAttrName(),
       getInputLowerAttrName(), getInputUpperAttrName(), getInputUnitAttrName(),
       getTimeUnitAttrName(), getSolverAttrName(), getStepAttrName()});
}

void NeuronModelOp::getAsmBlockArgumentNames(Region &region,
                                             OpAsmSetValueNameFn setNameFn) {
  if (region.empty())
    return;
  Block &block = region.front();
  unsigned i = 0;
  auto name = [&](Attribute n) {
    if (i < block.getNumArguments())
      setNameFn(block.getArgument(i++), cast<StringAttr>(n).getValue());
  };
  llvm::for_each(getStateNames(), name);
  llvm::for_each(getParamNames(), name);
  if (&region == &getDynamics())
    name(getInputNameAttr());
}

//===----------------------------------------------------------------------===//
// Verification
//===----------------------------------------------------------------------===//

namespace {

/// A name usable as an SSA name in the syntax: [A-Za-z_][A-Za-z0-9_]*.
bool isPlainName(StringRef name) {
  if (name.empty() || !(std::isalpha(name[0]) || name[0] == '_'))
    return false;
  return llvm::all_of(name, [](char c) { return std::isalnum(c) || c == '_'; });
}

LogicalResult verifyRegion(NeuronModelOp model, Region &region, StringRef which,
                           unsigned numArgs, ArrayRef<Type> results,
                           bool derivatives) {
  Block &block = region.front();
  if (block.getNumArguments() != numArgs)
    return model.emitOpError()
           << "region '" << which << "' has " << block.getNumArguments()
           << " arguments; expected " << numArgs;
  for (BlockArgument arg : block.getArguments())
    if (!arg.getType().isF64())
      return model.emitOpError()
             << "region '" << which << "' argument #" << arg.getArgNumber()
             << " is " << arg.getType() << "; every argument is f64";
  for (Operation &op : block) {
    if (!isEquationOp(&op))
      return op.emitOpError()
             << "is not an operation a neuron model may use (arith and math "
                "on f64 and i1, snn.previous)";
    for (Type t : op.getResultTypes())
      if (!t.isF64() && !t.isInteger(1))
        return op.emitOpError() << "has a result of type " << t
                                << "; a neuron model computes with f64 and i1";
    if (isa<PreviousOp>(op) && which == "dynamics")
      return op.emitOpError("is only meaningful in the spike and reset "
                            "regions (the dynamics see the values before "
                            "the step)");
  }
  Operation *term = block.empty() ? nullptr : &block.back();
  const bool wantDerivatives = derivatives && which == "dynamics";
  if (!term ||
      (wantDerivatives ? !isa<DerivativesOp>(term) : !isa<YieldOp>(term)))
    return model.emitOpError()
           << "region '" << which << "' must end with "
           << (wantDerivatives ? "snn.derivatives" : "snn.yield");
  if (TypeRange(term->getOperandTypes()) != TypeRange(results))
    return term->emitOpError()
           << "gives " << term->getNumOperands() << " value(s) of types ("
           << term->getOperandTypes() << "); region '" << which << "' gives "
           << results.size() << " (" << results << ")";
  return success();
}

} // namespace

LogicalResult NeuronModelOp::verifyRegions() {
  const unsigned states = getNumStates(), params = getNumParams();
  if (states == 0)
    return emitOpError("needs at least one state");
  if (getStateInitial().size() != states || getStateLower().size() != states ||
      getStateUpper().size() != states || getStateUnits().size() != states ||
      getParamDefaults().size() != params)
    return emitOpError("has state or parameter lists of different lengths");
  llvm::StringSet<> seen;
  auto checkName = [&](StringRef name) -> LogicalResult {
    if (!isPlainName(name))
      return emitOpError() << "name '" << name << "' is not a plain identifier";
    if (!seen.insert(name).second)
      return emitOpError() << "declares '" << name << "' twice";
    return success();
  };
  for (Attribute n : getStateNames())
    if (failed(checkName(cast<StringAttr>(n).getValue())))
      return failure();
  for (Attribute n : getParamNames())
    if (failed(checkName(cast<StringAttr>(n).getValue())))
      return failure();
  if (failed(checkName(getInputName())))
    return failure();
  for (unsigned i = 0; i < states; ++i) {
    const double init = getStateInitial()[i], lo = getStateLower()[i],
                 hi = getStateUpper()[i];
    StringRef name = cast<StringAttr>(getStateNames()[i]).getValue();
    if (!std::isfinite(init))
      return emitOpError() << "state '" << name << "' starts at " << init
                           << "; an initial value is finite";
    if (!(lo < hi) || std::isnan(lo) || std::isnan(hi))
      return emitOpError() << "state '" << name << "' has the range [" << lo
                           << ", " << hi << "]; expected lower < upper";
    if (init < lo || init > hi)
      return emitOpError() << "state '" << name << "' starts at " << init
                           << ", outside its range [" << lo << ", " << hi
                           << "]";
  }
  for (auto [i, value] : llvm::enumerate(getParamDefaults()))
    if (!std::isfinite(value))
      return emitOpError() << "parameter '"
                           << cast<StringAttr>(getParamNames()[i]).getValue()
                           << "' has the default " << value
                           << "; a parameter is finite";
  const double inLo = getInputMin(), inHi = getInputMax();
  if (!(inLo < inHi) || std::isnan(inLo) || std::isnan(inHi))
    return emitOpError() << "input '" << getInputName() << "' has the range ["
                         << inLo << ", " << inHi << "]; expected lower < upper";
  const double timeUnit = getTimeUnitSeconds();
  if (!(timeUnit > 0) || !std::isfinite(timeUnit))
    return emitOpError() << "time_unit " << timeUnit
                         << " s must be finite and > 0";
  if (getStep()) {
    const double step = *getStepSize();
    if (!(step > 0) || !std::isfinite(step))
      return emitOpError() << "step " << step << " must be finite and > 0";
  }

  Builder b(getContext());
  SmallVector<Type> stateTypes(states, b.getF64Type());
  if (failed(verifyRegion(*this, getDynamics(), "dynamics", states + params + 1,
                          stateTypes, !isDiscretised())))
    return failure();
  if (!getSpike().empty() &&
      failed(verifyRegion(*this, getSpike(), "spike", states + params,
                          {b.getI1Type()}, false)))
    return failure();
  if (!getReset().empty()) {
    if (getSpike().empty())
      return emitOpError("has a reset but no spike condition");
    if (failed(verifyRegion(*this, getReset(), "reset", states + params,
                            stateTypes, false)))
      return failure();
  }
  return success();
}

LogicalResult PreviousOp::verify() {
  auto arg = dyn_cast<BlockArgument>(getState());
  auto model = (*this)->getParentOfType<NeuronModelOp>();
  if (!arg || !model || arg.getOwner()->getParentOp() != model ||
      arg.getArgNumber() >= model.getNumStates())
    return emitOpError("takes a state argument of the snn.neuron_model "
                       "region it is in");
  return success();
}
