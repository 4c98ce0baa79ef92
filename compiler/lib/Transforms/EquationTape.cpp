//===- EquationTape.cpp - Evaluate a neuron model's region in f64 ---------===//
//
// Compilation numbers the block arguments 0..n-1 and every result after
// them, and records one Instruction per operation; snn.previous of state k
// reads previous[k]. Evaluation walks the tape over a slot array.
//
//===----------------------------------------------------------------------===//
#include "cajal/Transforms/EquationTape.h"

#include "cajal/Dialect/SNN/SNNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;

namespace cajal {

enum class EquationTape::Code : uint8_t {
  Constant,
  Previous,
  Add,
  Sub,
  Mul,
  Div,
  Neg,
  Max,
  Min,
  Select,
  And,
  Or,
  Xor,
  Exp,
  ExpM1,
  Log,
  Log1p,
  Sqrt,
  Tanh,
  Abs,
  Pow,
  Sin,
  Cos,
  CmpOEQ,
  CmpOGT,
  CmpOGE,
  CmpOLT,
  CmpOLE,
  CmpONE,
};

namespace {

using Code = EquationTape::Code;

std::optional<Code> comparison(arith::CmpFPredicate p) {
  switch (p) {
  case arith::CmpFPredicate::OEQ:
    return Code::CmpOEQ;
  case arith::CmpFPredicate::OGT:
    return Code::CmpOGT;
  case arith::CmpFPredicate::OGE:
    return Code::CmpOGE;
  case arith::CmpFPredicate::OLT:
    return Code::CmpOLT;
  case arith::CmpFPredicate::OLE:
    return Code::CmpOLE;
  case arith::CmpFPredicate::ONE:
    return Code::CmpONE;
  default:
    return std::nullopt;
  }
}

std::optional<Code> codeOf(Operation *op) {
  return llvm::TypeSwitch<Operation *, std::optional<Code>>(op)
      .Case([](arith::AddFOp) { return Code::Add; })
      .Case([](arith::SubFOp) { return Code::Sub; })
      .Case([](arith::MulFOp) { return Code::Mul; })
      .Case([](arith::DivFOp) { return Code::Div; })
      .Case([](arith::NegFOp) { return Code::Neg; })
      .Case([](arith::MaximumFOp) { return Code::Max; })
      .Case([](arith::MinimumFOp) { return Code::Min; })
      .Case([](arith::SelectOp) { return Code::Select; })
      .Case([](arith::AndIOp) { return Code::And; })
      .Case([](arith::OrIOp) { return Code::Or; })
      .Case([](arith::XOrIOp) { return Code::Xor; })
      .Case([](math::ExpOp) { return Code::Exp; })
      .Case([](math::ExpM1Op) { return Code::ExpM1; })
      .Case([](math::LogOp) { return Code::Log; })
      .Case([](math::Log1pOp) { return Code::Log1p; })
      .Case([](math::SqrtOp) { return Code::Sqrt; })
      .Case([](math::TanhOp) { return Code::Tanh; })
      .Case([](math::AbsFOp) { return Code::Abs; })
      .Case([](math::PowFOp) { return Code::Pow; })
      .Case([](math::SinOp) { return Code::Sin; })
      .Case([](math::CosOp) { return Code::Cos; })
      .Case([](arith::CmpFOp cmp) { return comparison(cmp.getPredicate()); })
      .Default([](Operation *) { return std::nullopt; });
}

} // namespace

FailureOr<EquationTape> EquationTape::compile(Region &region) {
  EquationTape t;
  if (!region.hasOneBlock())
    return failure();
  Block &block = region.front();
  llvm::DenseMap<Value, uint32_t> &slotOf = t.slotOf;
  for (BlockArgument arg : block.getArguments())
    slotOf[arg] = t.slots++;
  t.arguments = t.slots;
  auto slot = [&](Value v) { return slotOf.lookup(v); };
  for (Operation &op : block) {
    if (op.hasTrait<OpTrait::IsTerminator>()) {
      for (Value v : op.getOperands())
        t.resultSlots.push_back(slot(v));
      continue;
    }
    Instruction in{Code::Constant, t.slots, 0, 0, 0, 0.0};
    if (auto c = dyn_cast<arith::ConstantOp>(op)) {
      if (auto f = dyn_cast<FloatAttr>(c.getValue()))
        in.constant = f.getValueAsDouble();
      else if (auto b = dyn_cast<BoolAttr>(c.getValue()))
        in.constant = b.getValue() ? 1.0 : 0.0;
      else if (auto i = dyn_cast<IntegerAttr>(c.getValue()))
        in.constant = i.getValue().isZero() ? 0.0 : 1.0;
      else
        return op.emitOpError("has a constant the float engine cannot read");
    } else if (auto prev = dyn_cast<snn::PreviousOp>(op)) {
      in.code = Code::Previous;
      in.a = cast<BlockArgument>(prev.getState()).getArgNumber();
    } else if (std::optional<Code> code = codeOf(&op)) {
      in.code = *code;
      const unsigned n = op.getNumOperands();
      in.a = n > 0 ? slot(op.getOperand(0)) : 0;
      in.b = n > 1 ? slot(op.getOperand(1)) : 0;
      in.c = n > 2 ? slot(op.getOperand(2)) : 0;
    } else {
      return op.emitOpError("is not evaluated by the float engine");
    }
    slotOf[op.getResult(0)] = t.slots++;
    t.tape.push_back(in);
  }
  return t;
}

void EquationTape::run(llvm::ArrayRef<double> args,
                       llvm::ArrayRef<double> previous,
                       std::vector<double> &results) const {
  // Regions are small (tens of operations): a stack buffer when it fits.
  constexpr unsigned kInline = 256;
  double inlineSlots[kInline];
  std::vector<double> heapSlots;
  double *s = inlineSlots;
  if (slots > kInline) {
    heapSlots.resize(slots);
    s = heapSlots.data();
  }
  execute(args, previous, s);
  results.resize(resultSlots.size());
  for (size_t i = 0; i < resultSlots.size(); ++i)
    results[i] = s[resultSlots[i]];
}

void EquationTape::evaluate(llvm::ArrayRef<double> args,
                            llvm::ArrayRef<double> previous,
                            std::vector<double> &values) const {
  values.assign(slots, 0.0);
  execute(args, previous, values.data());
}

void EquationTape::execute(llvm::ArrayRef<double> args,
                           llvm::ArrayRef<double> previous, double *s) const {
  for (unsigned i = 0; i < arguments; ++i)
    s[i] = args[i];
  runFrom(0, previous, s);
}

void EquationTape::evaluateFrom(mlir::Value value, double x,
                                llvm::ArrayRef<double> previous,
                                std::vector<double> &values) const {
  // Slots are the arguments, then one per instruction in order.
  const uint32_t at = slot(value);
  values[at] = x;
  runFrom(at + 1 - arguments, previous, values.data());
}

void EquationTape::runFrom(size_t first, llvm::ArrayRef<double> previous,
                           double *s) const {
  for (const Instruction &in : llvm::ArrayRef(tape).drop_front(first)) {
    const double a = s[in.a], b = s[in.b];
    double r = 0;
    switch (in.code) {
    case Code::Constant:
      r = in.constant;
      break;
    case Code::Previous:
      r = previous[in.a];
      break;
    case Code::Add:
      r = a + b;
      break;
    case Code::Sub:
      r = a - b;
      break;
    case Code::Mul:
      r = a * b;
      break;
    case Code::Div:
      r = a / b;
      break;
    case Code::Neg:
      r = -a;
      break;
    // arith.maximumf/minimumf propagate NaN; std::fmax would not.
    case Code::Max:
      r = std::isnan(a) || std::isnan(b) ? NAN : std::max(a, b);
      break;
    case Code::Min:
      r = std::isnan(a) || std::isnan(b) ? NAN : std::min(a, b);
      break;
    case Code::Select:
      r = a != 0 ? b : s[in.c];
      break;
    case Code::And:
      r = (a != 0 && b != 0) ? 1 : 0;
      break;
    case Code::Or:
      r = (a != 0 || b != 0) ? 1 : 0;
      break;
    case Code::Xor:
      r = ((a != 0) != (b != 0)) ? 1 : 0;
      break;
    case Code::Exp:
      r = std::exp(a);
      break;
    case Code::ExpM1:
      r = std::expm1(a);
      break;
    case Code::Log:
      r = std::log(a);
      break;
    case Code::Log1p:
      r = std::log1p(a);
      break;
    case Code::Sqrt:
      r = std::sqrt(a);
      break;
    case Code::Tanh:
      r = std::tanh(a);
      break;
    case Code::Abs:
      r = std::fabs(a);
      break;
    case Code::Pow:
      r = std::pow(a, b);
      break;
    case Code::Sin:
      r = std::sin(a);
      break;
    case Code::Cos:
      r = std::cos(a);
      break;
    // Ordered comparisons: false when either side is NaN.
    case Code::CmpOEQ:
      r = a == b;
      break;
    case Code::CmpOGT:
      r = a > b;
      break;
    case Code::CmpOGE:
      r = a >= b;
      break;
    case Code::CmpOLT:
      r = a < b;
      break;
    case Code::CmpOLE:
      r = a <= b;
      break;
    case Code::CmpONE:
      r = !std::isnan(a) && !std::isnan(b) && a != b;
      break;
    }
    s[in.out] = r;
  }
}

} // namespace cajal
