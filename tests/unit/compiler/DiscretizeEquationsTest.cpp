//===- DiscretizeEquationsTest.cpp - snn-discretize-equations, in numbers -===//
//
// Small snn.neuron_model sources run through snn-discretize-equations in a
// real PassManager; the discretised `dynamics` region is then evaluated for
// one step with EquationTape and compared with closed forms: Euler and the
// explicit midpoint on dx/dt = -x / tau + I, exponential Euler and exact on
// the same (x e^{-h/tau} + tau I (1 - e^{-h/tau})), exact on a damped
// rotation (a complex linear ODE with constant input) and exponential Euler
// on a Hodgkin-Huxley gate m, whose rates follow the other state v before
// the step.
//
//===----------------------------------------------------------------------===//
#include "cajal/Dialect/SNN/SNNDialect.h"
#include "cajal/Transforms/EquationTape.h"
#include "cajal/Transforms/Passes.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <memory>
#include <string>
#include <vector>

using namespace cajal;

namespace {

/// dt = 0.1 ms, time_unit 1 ms: h = 0.1 model units.
constexpr double kDt = 1.0e-4;
constexpr double kTimeUnit = 1.0e-3;

struct Discretised {
  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  snn::NeuronModelOp model;
  double step = 0;

  /// The states after one step from `args` (states, parameters, input).
  std::vector<double> run(const std::vector<double> &args) {
    mlir::FailureOr<EquationTape> tape =
        EquationTape::compile(model.getDynamics());
    EXPECT_TRUE(succeeded(tape));
    std::vector<double> next;
    if (succeeded(tape))
      tape->run(args, {}, next);
    return next;
  }
};

/// `model` (an snn.neuron_model @m in ODE form) used by a population of a
/// network with dt = kDt, discretised with `solver`.
std::unique_ptr<Discretised> discretise(const std::string &model,
                                        const std::string &solver) {
  auto d = std::make_unique<Discretised>();
  d->context.loadDialect<snn::SNNDialect>();
  const std::string source =
      model + "\nsnn.network @net attributes {dt = " + std::to_string(kDt) +
      " : f64} {\n  %p = snn.population @p {model = "
      "#snn.model<equations>, params = #snn.equations<@m, {}>} : "
      "!snn.spikes<1>\n}\n";
  d->module = mlir::parseSourceString<mlir::ModuleOp>(source, &d->context);
  EXPECT_TRUE(d->module) << source;
  if (!d->module)
    return d;
  mlir::PassManager pm(&d->context);
  SNNDiscretizeEquationsOptions options;
  options.solver = solver;
  pm.addPass(createSNNDiscretizeEquations(options));
  EXPECT_TRUE(succeeded(pm.run(*d->module)));
  d->model = *d->module->getOps<snn::NeuronModelOp>().begin();
  EXPECT_TRUE(d->model.isDiscretised());
  EXPECT_EQ(snn::stringifySolver(d->model.getSolver()), solver);
  d->step = d->model.getStepSize().value_or(0);
  EXPECT_EQ(d->step, kDt / kTimeUnit);
  return d;
}

/// dx/dt = -x / tau + I.
const char *const kLeaky = R"mlir(
snn.neuron_model @m states(%x = 0.0) params(%tau = 10.0) input(%i)
    time_unit 1.0e-3 solver euler
dynamics {
  %nx = arith.negf %x : f64
  %leak = arith.divf %nx, %tau : f64
  %dx = arith.addf %leak, %i : f64
  snn.derivatives %dx : f64
}
)mlir";

/// x e^{-h/tau} + tau I (1 - e^{-h/tau}).
double leakyExact(double x, double tau, double input, double h) {
  return x * std::exp(-h / tau) - tau * input * std::expm1(-h / tau);
}

void expectRelative(double actual, double expected, double tolerance) {
  EXPECT_NEAR(actual, expected, tolerance * std::fabs(expected))
      << "relative error " << (actual - expected) / expected;
}

TEST(DiscretizeEquations, EulerIsOneExplicitStep) {
  auto d = discretise(kLeaky, "euler");
  const double x = -1.3, tau = 10.0, input = 2.5, h = d->step;
  std::vector<double> next = d->run({x, tau, input});
  ASSERT_EQ(next.size(), 1u);
  expectRelative(next[0], x + h * (-x / tau + input), 1e-15);
}

TEST(DiscretizeEquations, Rk2IsTheExplicitMidpoint) {
  auto d = discretise(kLeaky, "rk2");
  const double x = -1.3, tau = 10.0, input = 2.5, h = d->step;
  const double k1 = -x / tau + input;
  const double k2 = -(x + h / 2 * k1) / tau + input;
  std::vector<double> next = d->run({x, tau, input});
  ASSERT_EQ(next.size(), 1u);
  expectRelative(next[0], x + h * k2, 1e-15);
  // Second order: the error is (h / tau) / 3 of Euler's here.
  EXPECT_LT(std::fabs(next[0] - leakyExact(x, tau, input, h)),
            1e-2 * std::fabs(x + h * k1 - leakyExact(x, tau, input, h)));
}

TEST(DiscretizeEquations, ExponentialEulerIsExactOnALinearState) {
  auto d = discretise(kLeaky, "exponential_euler");
  const double h = d->step;
  // Slow and fast leaks (h / tau up to 16), and a large input (no
  // f(1) - f(0) cancellation in B).
  for (double tau : {10.0, 1.0, 0.05, 6.25e-3})
    for (double input : {2.5, -1.0e4}) {
      const double x = -1.3;
      std::vector<double> next = d->run({x, tau, input});
      ASSERT_EQ(next.size(), 1u);
      expectRelative(next[0], leakyExact(x, tau, input, h), 1e-14);
    }
}

TEST(DiscretizeEquations, ExactMatchesTheClosedForm) {
  auto d = discretise(kLeaky, "exact");
  const double h = d->step;
  // h / tau from 0.01 to 16 (the range the method is exact for).
  for (double tau : {10.0, 1.0, 0.05, 6.25e-3})
    for (double input : {2.5, -1.0e4}) {
      const double x = -1.3;
      std::vector<double> next = d->run({x, tau, input});
      ASSERT_EQ(next.size(), 1u);
      expectRelative(next[0], leakyExact(x, tau, input, h), 1e-14);
    }
}

/// dx/dt = b x - w y + I, dy/dt = w x + b y: z = x + i y follows
/// dz/dt = (b + i w) z + I.
const char *const kResonator = R"mlir(
snn.neuron_model @m states(%x = 0.0, %y = 0.0) params(%b = -0.1, %w = 1.0)
    input(%i) time_unit 1.0e-3 solver exact
dynamics {
  %bx = arith.mulf %b, %x : f64
  %wy = arith.mulf %w, %y : f64
  %rx = arith.subf %bx, %wy : f64
  %dx = arith.addf %rx, %i : f64
  %wx = arith.mulf %w, %x : f64
  %by = arith.mulf %b, %y : f64
  %dy = arith.addf %wx, %by : f64
  snn.derivatives %dx, %dy : f64, f64
}
)mlir";

TEST(DiscretizeEquations, ExactRotatesTheResonator) {
  auto d = discretise(kResonator, "exact");
  const double h = d->step;
  const std::complex<double> z0(0.7, -0.4);
  // ||M h|| from 0.1 to 16.
  for (auto [b, w] : {std::pair{-0.2, 1.0}, std::pair{-0.5, 2 * M_PI * 0.5},
                      std::pair{-3.0, 80.0}, std::pair{0.3, 150.0}})
    for (double input : {0.0, 1.5}) {
      const std::complex<double> lambda(b, w);
      const std::complex<double> growth = std::exp(lambda * h);
      const std::complex<double> z =
          growth * z0 + input / lambda * (growth - 1.0);
      std::vector<double> next = d->run({z0.real(), z0.imag(), b, w, input});
      ASSERT_EQ(next.size(), 2u);
      const double error = std::abs(std::complex<double>(next[0], next[1]) - z);
      EXPECT_LT(error, 1e-14 * std::max(std::abs(z), std::abs(z0)))
          << "b = " << b << ", w = " << w << ", I = " << input;
    }
}

/// A Hodgkin-Huxley sodium activation gate: dm/dt = a(v) (1 - m) - b(v) m
/// with the classic rates, v a leaky state. v comes first: were the states
/// updated in order, m's rates would see v after the step.
const char *const kGate = R"mlir(
snn.neuron_model @m states(%v = -65.0, %m = 0.05) params(%tau_v = 10.0)
    input(%i) time_unit 1.0e-3 solver exponential_euler
dynamics {
  %c40 = arith.constant 40.0 : f64
  %c10 = arith.constant 10.0 : f64
  %c01 = arith.constant 0.1 : f64
  %one = arith.constant 1.0 : f64
  %c65 = arith.constant 65.0 : f64
  %c18 = arith.constant 18.0 : f64
  %c4 = arith.constant 4.0 : f64
  %rest = arith.constant -65.0 : f64
  %vp = arith.addf %v, %c40 : f64
  %num = arith.mulf %c01, %vp : f64
  %q = arith.divf %vp, %c10 : f64
  %nq = arith.negf %q : f64
  %eq = math.exp %nq : f64
  %den = arith.subf %one, %eq : f64
  %alpha = arith.divf %num, %den : f64
  %vr = arith.addf %v, %c65 : f64
  %r = arith.divf %vr, %c18 : f64
  %nr = arith.negf %r : f64
  %er = math.exp %nr : f64
  %beta = arith.mulf %c4, %er : f64
  %closed = arith.subf %one, %m : f64
  %up = arith.mulf %alpha, %closed : f64
  %down = arith.mulf %beta, %m : f64
  %dm = arith.subf %up, %down : f64
  %dvr = arith.subf %rest, %v : f64
  %leak = arith.divf %dvr, %tau_v : f64
  %dv = arith.addf %leak, %i : f64
  snn.derivatives %dv, %dm : f64, f64
}
)mlir";

TEST(DiscretizeEquations, ExponentialEulerOnAGateUsesTheVoltageBefore) {
  auto d = discretise(kGate, "exponential_euler");
  const double h = d->step, tauV = 10.0, input = 3.0;
  for (double v : {-65.0, -30.0, 10.0})
    for (double m : {0.05, 0.6}) {
      const double alpha =
          0.1 * (v + 40.0) / (1.0 - std::exp(-((v + 40.0) / 10.0)));
      const double beta = 4.0 * std::exp(-((v + 65.0) / 18.0));
      const double mInf = alpha / (alpha + beta);
      const double mNext = mInf + (m - mInf) * std::exp(-h * (alpha + beta));
      const double vInf = -65.0 + tauV * input;
      const double vNext = vInf + (v - vInf) * std::exp(-h / tauV);
      std::vector<double> next = d->run({v, m, tauV, input});
      ASSERT_EQ(next.size(), 2u);
      expectRelative(next[0], vNext, 1e-14);
      expectRelative(next[1], mNext, 1e-13);
    }
}

} // namespace
