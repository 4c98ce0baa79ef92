//===- FloatEngineTest.cpp - The float engine's arithmetic and timing -----===//
#include "cajal/Transforms/FloatEngine.h"
#include "cajal/Dialect/SNN/SNNDialect.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

using namespace cajal;

namespace {

struct Parsed {
  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  snn::NetworkOp net() { return *module->getOps<snn::NetworkOp>().begin(); }
};

std::unique_ptr<Parsed> parse(const char *text) {
  auto p = std::make_unique<Parsed>();
  p->context.loadDialect<snn::SNNDialect>();
  p->module = mlir::parseSourceString<mlir::ModuleOp>(text, &p->context);
  return p;
}

std::vector<uint32_t> stepsOf(const FloatRun &run, const std::string &node) {
  std::vector<uint32_t> steps;
  for (const FloatSpike &s : run.spikes)
    if (s.node == node)
      steps.push_back(s.step);
  return steps;
}

TEST(FloatEngineTest, IntegratesWithTheChipsTiming) {
  // An integrator (no leak) receiving 0.4 per input spike, threshold 1:
  // input spikes at steps 0, 1, 2 arrive at 1, 2, 3 (delay 1), so v is
  // 0.4, 0.8, 1.2 and the neuron fires at step 3, then resets to 0.
  auto p = parse(R"mlir(
    snn.network @n {
      %in = snn.input @in : !snn.spikes<1>
      %a = snn.population @a {model = #snn.model<if>,
          params = #snn.discrete<decay_u = 1.0, decay_v = 0.0, v_th = 1.0,
                                 input_scale = 2.0>} : !snn.spikes<1>
      snn.projection @p %in -> %a {connectivity = #snn.one_to_one<0.2>}
          : !snn.spikes<1> -> !snn.spikes<1>
    })mlir");
  ASSERT_TRUE(p->module);
  std::vector<FloatSpike> in;
  for (uint32_t t = 0; t < 6; ++t)
    in.push_back(FloatSpike{t, "in", 0});
  auto run = runFloat(p->net(), 8, in);
  ASSERT_TRUE(succeeded(run));
  // Fires at 3 (1.2 > 1), then 0.4, 0.8, 1.2 again at 6.
  EXPECT_EQ(stepsOf(*run, "a"), (std::vector<uint32_t>{3, 6}));
  EXPECT_EQ(run->spikeCounts, (std::vector<uint64_t>{2}));
}

TEST(FloatEngineTest, LeaksSubtractsAndHonoursDelays) {
  // Constant bias 0.6 per step with half of v lost per step: v tends to 1.2.
  // Reset by subtraction keeps the excess; @b hears @a 3 steps later.
  auto p = parse(R"mlir(
    snn.network @n {
      %a = snn.population @a {model = #snn.model<lif>,
          params = #snn.discrete<decay_u = 1.0, decay_v = 0.5, v_th = 1.0,
                                 bias = 0.6, reset = subtract>}
          : !snn.spikes<1>
      %b = snn.population @b {model = #snn.model<if>,
          params = #snn.discrete<decay_u = 1.0, decay_v = 0.0, v_th = 0.5>}
          : !snn.spikes<1>
      snn.projection @ab %a -> %b {connectivity = #snn.one_to_one<1.0>,
          delay = 3 : i64} : !snn.spikes<1> -> !snn.spikes<1>
    })mlir");
  ASSERT_TRUE(p->module);
  auto run = runFloat(p->net(), 12, {});
  ASSERT_TRUE(succeeded(run));
  // v: 0.6, 0.9, 1.05 -> spike at 2 (v 0.05), 0.625, 0.9125, 1.05625 ->
  // spike at 5 (v 0.05625), ... spike at 8, 11.
  const std::vector<uint32_t> a = stepsOf(*run, "a");
  EXPECT_EQ(a, (std::vector<uint32_t>{2, 5, 8, 11}));
  const std::vector<uint32_t> b = stepsOf(*run, "b");
  EXPECT_EQ(b, (std::vector<uint32_t>{5, 8, 11}));
}

TEST(FloatEngineTest, RefusesInputsNamingNoChannel) {
  auto p = parse(R"mlir(
    snn.network @n {
      %in = snn.input @in : !snn.spikes<2>
      %a = snn.population @a {model = #snn.model<if>,
          params = #snn.discrete<decay_u = 1.0, decay_v = 0.0, v_th = 1.0>}
          : !snn.spikes<2>
      snn.projection @p %in -> %a {connectivity = #snn.one_to_one<1.0>}
          : !snn.spikes<2> -> !snn.spikes<2>
    })mlir");
  ASSERT_TRUE(p->module);
  std::string message;
  mlir::ScopedDiagnosticHandler handler(&p->context, [&](mlir::Diagnostic &d) {
    message = d.str();
    return mlir::success();
  });
  EXPECT_TRUE(failed(runFloat(p->net(), 4, {FloatSpike{0, "in", 2}})));
  EXPECT_NE(message.find("input spike in[2] at step 0 names no snn.input"),
            std::string::npos)
      << message;
}

/// A discretised Izhikevich model (forward Euler, h = 0.1 ms) written out
/// by hand: the engine's spikes must be those of the same arithmetic in C++,
/// step for step, for every neuron and its own current.
constexpr const char *kEulerIzhikevich = R"mlir(
  snn.neuron_model @izh states(%v = -65.0, %u = -13.0)
      params(%a = 2.0e-2, %b = 2.0e-1, %c = -65.0, %d = 8.0, %i_bias = 0.0)
      input(%i) time_unit 1.0e-3 solver euler step 1.0e-1
  dynamics {
    %h = arith.constant 1.0e-1 : f64
    %k2 = arith.constant 4.0e-2 : f64
    %k1 = arith.constant 5.0 : f64
    %k0 = arith.constant 140.0 : f64
    %v2 = arith.mulf %v, %v : f64
    %t2 = arith.mulf %k2, %v2 : f64
    %t1 = arith.mulf %k1, %v : f64
    %s1 = arith.addf %t2, %t1 : f64
    %s2 = arith.addf %s1, %k0 : f64
    %s3 = arith.subf %s2, %u : f64
    %s4 = arith.addf %s3, %i_bias : f64
    %dv = arith.addf %s4, %i : f64
    %bv = arith.mulf %b, %v : f64
    %bvu = arith.subf %bv, %u : f64
    %du = arith.mulf %a, %bvu : f64
    %hv = arith.mulf %h, %dv : f64
    %hu = arith.mulf %h, %du : f64
    %v1 = arith.addf %v, %hv : f64
    %u1 = arith.addf %u, %hu : f64
    snn.yield %v1, %u1 : f64, f64
  } spike {
    %peak = arith.constant 30.0 : f64
    %fired = arith.cmpf oge, %v, %peak : f64
    snn.yield %fired : i1
  } reset {
    %ud = arith.addf %u, %d : f64
    snn.yield %c, %ud : f64, f64
  }
  snn.network @n attributes {dt = 1.0e-4 : f64} {
    %rs = snn.population @rs {model = #snn.model<equations>,
        params = #snn.equations<@izh, {i_bias = array<f64: 0.0, 4.0, 10.0>}>}
        : !snn.spikes<3>
    %fs = snn.population @fs {model = #snn.model<equations>,
        params = #snn.equations<@izh, {a = 1.0e-1 : f64, d = 2.0 : f64,
                                        i_bias = 10.0 : f64}>}
        : !snn.spikes<1>
  })mlir";

TEST(FloatEngineTest, RunsEquationModelsAsTheirArithmetic) {
  auto p = parse(kEulerIzhikevich);
  ASSERT_TRUE(p->module);
  const uint32_t steps = 10000; // 1 s
  auto run = runFloat(p->net(), steps, {});
  ASSERT_TRUE(succeeded(run));
  struct Cell {
    const char *pop;
    uint32_t index;
    double a, d, current;
  };
  for (const Cell &cell :
       {Cell{"rs", 0, 0.02, 8, 0}, Cell{"rs", 1, 0.02, 8, 4},
        Cell{"rs", 2, 0.02, 8, 10}, Cell{"fs", 0, 0.1, 2, 10}}) {
    double v = -65, u = -13;
    std::vector<uint32_t> expected;
    for (uint32_t t = 0; t < steps; ++t) {
      const double dv = 0.04 * (v * v) + 5.0 * v + 140.0 - u + cell.current;
      const double du = cell.a * (0.2 * v - u);
      v = v + 0.1 * dv;
      u = u + 0.1 * du;
      if (v >= 30) {
        v = -65;
        u = u + cell.d;
        expected.push_back(t);
      }
    }
    std::vector<uint32_t> got;
    for (const FloatSpike &s : run->spikes)
      if (s.node == cell.pop && s.index == cell.index)
        got.push_back(s.step);
    EXPECT_EQ(got, expected) << cell.pop << "[" << cell.index << "]";
    if (cell.current == 0)
      EXPECT_TRUE(got.empty());
    else
      EXPECT_GT(got.size(), 3u) << cell.pop << "[" << cell.index << "]";
  }
}

TEST(FloatEngineTest, EquationModelsSeeTheirInputAndTheStateBefore) {
  // x integrates its input (a weight-0.5 spike each step from a clock) and
  // spikes when it crosses 1 upward (snn.previous), without a reset: one
  // spike, at the step x goes from 1.0 to 1.5 (the third arrival, step 3).
  auto p = parse(R"mlir(
    snn.neuron_model @acc states(%x = 0.0) input(%i) time_unit 1.0
        solver euler step 1.0
    dynamics {
      %next = arith.addf %x, %i : f64
      snn.yield %next : f64
    } spike {
      %one = arith.constant 1.0 : f64
      %before = snn.previous %x
      %above = arith.cmpf ogt, %x, %one : f64
      %below = arith.cmpf ole, %before, %one : f64
      %up = arith.andi %above, %below : i1
      snn.yield %up : i1
    }
    snn.network @n attributes {dt = 1.0 : f64} {
      %clk = snn.periodic_source @clk {period = 1 : i64} : !snn.spikes<1>
      %acc = snn.population @acc {model = #snn.model<equations>,
          params = #snn.equations<@acc, {}>} : !snn.spikes<1>
      snn.projection @p %clk -> %acc {connectivity = #snn.one_to_one<0.5>}
          : !snn.spikes<1> -> !snn.spikes<1>
    })mlir");
  ASSERT_TRUE(p->module);
  auto run = runFloat(p->net(), 10, {});
  ASSERT_TRUE(succeeded(run));
  // Arrivals at steps 1, 2, 3, ...: x = 0.5, 1.0, 1.5 at steps 1, 2, 3.
  EXPECT_EQ(stepsOf(*run, "acc"), (std::vector<uint32_t>{3}));
}

TEST(FloatEngineTest, RefusesAModelThatIsNotDiscretised) {
  auto p = parse(R"mlir(
    snn.neuron_model @leak states(%x = 0.0) input(%i) time_unit 1.0
        solver euler
    dynamics {
      %m = arith.negf %x : f64
      %dx = arith.addf %m, %i : f64
      snn.derivatives %dx : f64
    }
    snn.network @n attributes {dt = 1.0 : f64} {
      %p = snn.population @p {model = #snn.model<equations>,
          params = #snn.equations<@leak, {}>} : !snn.spikes<1>
    })mlir");
  ASSERT_TRUE(p->module);
  std::string message;
  mlir::ScopedDiagnosticHandler capture(&p->context, [&](mlir::Diagnostic &d) {
    message = d.str();
    return mlir::success();
  });
  EXPECT_TRUE(failed(runFloat(p->net(), 10, {})));
  EXPECT_EQ(message, "'snn.population' op the float engine needs its model "
                     "@leak discretised (run snn-discretize-equations first)");
}

} // namespace
