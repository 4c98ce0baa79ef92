//===- FloatEngineTest.cpp - The float engine's arithmetic and timing -----===//
#include "cajal/Transforms/FloatEngine.h"
#include "cajal/Dialect/SNN/SNNDialect.h"

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

} // namespace
