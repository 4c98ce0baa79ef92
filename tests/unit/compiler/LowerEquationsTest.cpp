//===- LowerEquationsTest.cpp - Equation models as fixed-point programs ---===//
//
// A discretised model lowered for a population runs on the reference
// interpreter (chip::interpret) beside the same model evaluated in double
// precision (EquationTape): spikes at the same steps, states within the
// formats' resolution; and every refusal names the model and the value.
//
//===----------------------------------------------------------------------===//
#include "cajal/TestSupport/Profiles.h"

#include "cajal/Chip/NeurocoreInterpreter.h"
#include "cajal/Dialect/SNN/SNNDialect.h"
#include "cajal/Transforms/EquationTape.h"
#include "cajal/Transforms/LowerEquations.h"
#include "cajal/Transforms/Passes.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

using namespace cajal;
using mlir::failed;
using mlir::FailureOr;
using mlir::succeeded;

namespace {

struct Parsed {
  mlir::MLIRContext context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::string diagnostics;
  std::unique_ptr<mlir::ScopedDiagnosticHandler> handler;
  snn::NeuronModelOp model() {
    return *module->getOps<snn::NeuronModelOp>().begin();
  }
};

std::unique_ptr<Parsed> parse(const std::string &text) {
  auto p = std::make_unique<Parsed>();
  p->context.loadDialect<snn::SNNDialect>();
  p->module = mlir::parseSourceString<mlir::ModuleOp>(text, &p->context);
  p->handler = std::make_unique<mlir::ScopedDiagnosticHandler>(
      &p->context, [raw = p.get()](mlir::Diagnostic &d) {
        raw->diagnostics += d.str() + "\n";
        return mlir::success();
      });
  return p;
}

/// An example's text.
std::string example(const char *name) {
  std::ifstream file(std::string(CAJAL_SOURCE_DIR) + "/examples/" + name);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

/// The example's model, discretised by snn-discretize-equations.
std::unique_ptr<Parsed> discretisedExample(const char *name) {
  auto p = parse(example(name));
  if (!p->module)
    return p;
  mlir::PassManager pm(&p->context);
  pm.addPass(createSNNDiscretizeEquations());
  if (failed(pm.run(*p->module)))
    p->module = nullptr;
  return p;
}

/// Spike steps of one neuron over `steps`, in double precision and on the
/// program; also the largest |v| difference seen while both agree.
struct Runs {
  std::vector<uint32_t> reference, program;
  /// One step of the program against one double-precision step from the
  /// same (program) state, in units of v's state word: the largest and the
  /// mean error over the steps without a spike or a clip.
  double largestError = 0, meanError = 0;
};

Runs runBoth(snn::NeuronModelOp model, const LoweredModel &lowered,
             const std::vector<double> &neuronParams, size_t neuron,
             uint32_t steps, double input) {
  FailureOr<EquationTape> dynamics = EquationTape::compile(model.getDynamics());
  FailureOr<EquationTape> spike = EquationTape::compile(model.getSpike());
  FailureOr<EquationTape> reset = EquationTape::compile(model.getReset());
  EXPECT_TRUE(succeeded(dynamics) && succeeded(spike) && succeeded(reset));
  Runs runs;
  std::vector<double> x(model.getStateInitial().begin(),
                        model.getStateInitial().end());
  std::vector<double> args, next, fired, old;
  std::vector<int32_t> words;
  for (const chip::StateWord &w : lowered.program.state)
    words.push_back(w.initial);
  const int64_t q = std::llround(std::ldexp(input, lowered.inputFractionBits));
  size_t compared = 0;
  for (uint32_t t = 0; t < steps; ++t) {
    old = x;
    args = x;
    args.insert(args.end(), neuronParams.begin(), neuronParams.end());
    args.push_back(input);
    dynamics->run(args, {}, next);
    x = next;
    args.assign(x.begin(), x.end());
    args.insert(args.end(), neuronParams.begin(), neuronParams.end());
    spike->run(args, old, fired);
    if (fired[0] != 0) {
      reset->run(args, old, next);
      x = next;
      runs.reference.push_back(t);
    }
    // The double-precision step from the program's own state.
    const int fv = lowered.states[0].fractionBits;
    std::vector<double> fromProgram = {
        std::ldexp(double(words[0]), -fv),
        std::ldexp(double(words[1]), -lowered.states[1].fractionBits)};
    fromProgram.insert(fromProgram.end(), neuronParams.begin(),
                       neuronParams.end());
    fromProgram.push_back(std::ldexp(double(q), -lowered.inputFractionBits));
    std::vector<double> expected;
    dynamics->run(fromProgram, {}, expected);
    if (chip::interpret(lowered.program, words.data(),
                        lowered.paramWords[neuron].data(), q)
            .spiked) {
      runs.program.push_back(t);
    } else if (expected[0] < 30) {
      const double error = std::ldexp(double(words[0]), -fv) - expected[0];
      runs.largestError =
          std::max(runs.largestError, std::fabs(std::ldexp(error, fv)));
      runs.meanError += std::ldexp(error, fv);
      ++compared;
    }
  }
  runs.meanError /= double(std::max<size_t>(compared, 1));
  return runs;
}

TEST(LowerEquationsTest, IzhikevichSpikesWhenItsEquationsDo) {
  // Forward Euler at h = 0.1 ms.
  auto p = discretisedExample("izhikevich-patterns.mlir");
  ASSERT_TRUE(p->module) << p->diagnostics;
  // a, b, c, d, i_bias: regular spiking at three currents, fast spiking.
  const std::vector<std::vector<double>> neurons = {{0.02, 0.2, -65, 8, 4},
                                                    {0.02, 0.2, -65, 8, 10},
                                                    {0.02, 0.2, -65, 8, 0},
                                                    {0.1, 0.2, -65, 2, 10}};
  auto lowered =
      lowerEquationModel(p->model(), neurons, {-65.0, -13.0}, -20, 20,
                         equationInputFractionBits(20), test::loihi2());
  ASSERT_TRUE(succeeded(lowered)) << p->diagnostics;
  EXPECT_LE(lowered->program.code.size(), test::loihi2().isa.maxInstructions);
  // c and i_bias and a, d differ per neuron: parameter words; b is shared.
  EXPECT_EQ(lowered->paramWords.size(), 4u);
  for (size_t n = 0; n < neurons.size(); ++n) {
    // 1 s of model time; the 0.1 mV/ms input rides on i_bias.
    Runs runs = runBoth(p->model(), *lowered, neurons[n], n, 10000, 0.1);
    const size_t count = runs.reference.size();
    // The rate within 1 % (and one spike).
    EXPECT_LE(std::abs(int64_t(runs.program.size()) - int64_t(count)),
              std::max<int64_t>(1, int64_t(count) / 100))
        << "neuron " << n;
    // Regular spiking (neurons 0 and 1): every spike of the second within
    // one step (the sPyNNaker#563 test asks for 1 % of the interval after 30
    // spikes). Fast spiking at h = 0.1 ms is so sensitive that the double
    // precision model itself moves its 133rd spike by 5 steps when its
    // current changes by 1e-9: there, the first 10 spikes.
    const size_t compared =
        std::min({runs.program.size(), count, size_t(n < 2 ? count : 10)});
    for (size_t k = 0; k < compared; ++k)
      EXPECT_LE(std::abs(int64_t(runs.program[k]) - int64_t(runs.reference[k])),
                1)
          << "neuron " << n << ", spike " << k;
    if (neurons[n][4] > 0) {
      EXPECT_GT(count, 5u) << "neuron " << n;
    }
    // Every step within half a unit of v's word (and a little for the
    // rounding of the registers before it); no bias along a spiking
    // trajectory (a neuron at rest sits at a fixed point of the program,
    // where every step rounds the same way).
    EXPECT_LE(runs.largestError, 0.5 + 1e-3) << "neuron " << n;
    if (neurons[n][4] > 0) {
      EXPECT_LE(std::fabs(runs.meanError), 0.05) << "neuron " << n;
    }
  }
  // The analysis cannot keep v's Euler step inside [-100, 40]: clipped, and
  // reported so.
  ASSERT_EQ(lowered->states.size(), 2u);
  EXPECT_EQ(lowered->states[0].name, "v");
  EXPECT_TRUE(lowered->states[0].clipped);
  EXPECT_EQ(lowered->states[0].fractionBits, 30 - 7);
}

TEST(LowerEquationsTest, RefusesWhatTheInstructionSetCannotDo) {
  struct Case {
    std::string dynamics, ranges, expected;
  };
  const std::string header =
      "snn.neuron_model @m states(%x = 0.0 RANGE) params(%k = 2.0) "
      "input(%i [-1.0, 1.0]) time_unit 1.0 solver euler step 1.0e-1 "
      "dynamics {\n";
  // Nine functions of x: one table too many for loihi2's eight.
  std::string nine;
  for (int k = 0; k < 9; ++k)
    nine +=
        "%c" + std::to_string(k) + " = arith.constant " +
        std::to_string(k + 1) + ".0 : f64\n %s" + std::to_string(k) +
        " = arith.mulf %x, %c" + std::to_string(k) + " : f64\n %e" +
        std::to_string(k) + " = math.exp %s" + std::to_string(k) + " : f64\n" +
        (k ? " %t" + std::to_string(k) + " = arith.addf %t" +
                 std::to_string(k - 1) + ", %e" + std::to_string(k) + " : f64\n"
           : " %t0 = arith.addf %e0, %i : f64\n");
  nine += " snn.yield %t8 : f64";
  for (const Case &c : std::vector<Case>{
           {"%e = arith.divf %x, %i : f64\n snn.yield %e : f64", "[-1.0, 1.0]",
            "'arith.divf' op of two changing values that are not functions "
            "of one value has no fixed-point form"},
           {"%e = math.exp %x : f64\n %d = arith.divf %e, %i : f64\n "
            "snn.yield %d : f64",
            "[-1.0, 1.0]",
            "'arith.divf' op of two changing values that are not functions "
            "of one value"},
           {nine, "[-1.0, 1.0]",
            "needs 9 lookup tables (functions of one changing value that the "
            "instruction set cannot compute); profile 'loihi2' allows 8 per "
            "program (isa.maxTables)"},
           {"%e = arith.addf %x, %i : f64\n snn.yield %e : f64", "",
            "'snn.neuron_model' op state 'x' needs a declared range [lower, "
            "upper] for its fixed-point format"}}) {
    std::string text = header + c.dynamics + "\n}";
    text.replace(text.find("RANGE"), 5, c.ranges);
    auto p = parse(text);
    ASSERT_TRUE(p->module) << text;
    auto lowered = lowerEquationModel(p->model(), {{2.0}}, {0.0}, -1, 1, 29,
                                      test::loihi2());
    EXPECT_TRUE(failed(lowered));
    EXPECT_NE(p->diagnostics.find(c.expected), std::string::npos)
        << p->diagnostics;
  }
  // One table serves a population: a parameter inside it must agree.
  {
    std::string text = header + "%p = arith.mulf %x, %k : f64\n %e = math.exp "
                                "%p : f64\n %s = arith.addf %e, %i : f64\n "
                                "snn.yield %s : f64\n}";
    text.replace(text.find("RANGE"), 5, "[-1.0, 1.0]");
    auto p = parse(text);
    ASSERT_TRUE(p->module) << text;
    auto same = lowerEquationModel(p->model(), {{2.0}, {2.0}}, {0.0}, -1, 1, 29,
                                   test::loihi2());
    EXPECT_TRUE(succeeded(same)) << p->diagnostics;
    auto differ = lowerEquationModel(p->model(), {{2.0}, {3.0}}, {0.0}, -1, 1,
                                     29, test::loihi2());
    EXPECT_TRUE(failed(differ));
    EXPECT_NE(p->diagnostics.find(
                  "'math.exp' op is read from a lookup table, which the "
                  "neurons of a population share, but it depends on a "
                  "parameter that differs between them"),
              std::string::npos)
        << p->diagnostics;
  }
  // loihi1 runs the LIF family only.
  auto p = discretisedExample("izhikevich-patterns.mlir");
  ASSERT_TRUE(p->module);
  EXPECT_TRUE(
      failed(lowerEquationModel(p->model(), {{0.02, 0.2, -65, 8, 10}},
                                {-65.0, -13.0}, -20, 20, 25, test::loihi1())));
  EXPECT_NE(p->diagnostics.find("needs a programmable neurocore; profile "
                                "'loihi1' runs only the LIF family"),
            std::string::npos)
      << p->diagnostics;
}

TEST(LowerEquationsTest, HodgkinHuxleyRatesAreReadFromTables) {
  auto p = discretisedExample("hh.mlir");
  ASSERT_TRUE(p->module) << p->diagnostics;
  // c_m, g_na, g_k, g_l, e_na, e_k, e_l, i_bias.
  const std::vector<double> neuron = {1.0, 120, 36, 0.3, 50, -77, -54.387, 10};
  auto lowered = lowerEquationModel(
      p->model(), {neuron}, {-65.0, 0.0529, 0.5961, 0.3177}, -100, 100,
      equationInputFractionBits(100), test::loihi2());
  ASSERT_TRUE(succeeded(lowered)) << p->diagnostics;
  // Exponential Euler: per gate x, expm1(B_x(V) h) and A_x(V) phi_x(V), two
  // tables of V; for V, phi(B_V) over the range of B_V = -(g_Na m^3 h +
  // g_K n^4 + g_L) / C, a value of three states (x + f phi keeps the table's
  // error proportional to the step's change of V).
  const chip::Program &program = lowered->program;
  ASSERT_EQ(program.tables.size(), 7u);
  ASSERT_EQ(lowered->tables.size(), 7u);
  size_t entries = 0, lookups = 0;
  for (const chip::LookupTable &t : program.tables)
    entries += t.entries.size();
  EXPECT_LE(entries, 2048u);
  for (uint64_t word : program.code)
    lookups += chip::isa::decode(word).op == chip::isa::Opcode::Lut;
  EXPECT_EQ(lookups, 7u);
  unsigned ofV = 0;
  const TableFormat *phiV = nullptr;
  for (const TableFormat &t : lowered->tables) {
    if (t.variable == "v") {
      ++ofV;
      EXPECT_EQ(t.lower, -100.0);
      EXPECT_GE(t.upper, 60.0);
      // Interpolation at 1 mV or finer: within 1e-4 of the largest value.
      EXPECT_LE(t.segment, 1.0);
    } else {
      phiV = &t;
    }
    EXPECT_LT(t.maxError, 1e-4 * t.largest) << "table " << t.table;
  }
  EXPECT_EQ(ofV, 6u);
  ASSERT_NE(phiV, nullptr);
  EXPECT_NE(phiV->variable.find("d(dv/dt)/dv"), std::string::npos)
      << phiV->variable;
  // B_V spans -(g_L + g_Na + g_K) / C to -g_L / C (widened by the interval
  // arithmetic of the subtraction), where phi = expm1(B h) / B.
  EXPECT_LE(phiV->lower, -156.3);
  EXPECT_GE(phiV->upper, -0.3);
  const chip::LookupTable &t = program.tables[phiV->table];
  const double h = 0.01;
  for (double b : {-156.0, -10.25, -1.0}) {
    // B_V's register format: |B_V| < 2^8, 46 - 8 fraction bits.
    const int64_t raw = std::llround(std::ldexp(b, 46 - 8));
    EXPECT_NEAR(
        std::ldexp(double(chip::isa::lookup(t, raw)), -phiV->fractionBits),
        std::expm1(b * h) / b, phiV->maxError + 1e-9)
        << "B = " << b;
  }
  EXPECT_TRUE(bool(chip::validateProgram(program, test::loihi2())));
}

/// The shipped equation models with random parameters (each between half
/// and one and a half times its default, the current up to the largest the
/// example is meant for): no value wraps anywhere in the program. A wrap in a
/// register or the multiplier would show as a step far from the
/// double-precision step from the same state; every step without a spike
/// or a clip must stay within half a unit of each state word.
TEST(LowerEquationsTest, RandomParametersNeverWrap) {
  std::mt19937_64 random(20261202);
  std::uniform_real_distribution<double> factor(0.5, 1.5);
  // The examples, with the largest current each is meant for.
  for (auto [example, largestCurrent] :
       {std::pair{"izhikevich-patterns.mlir", 20.0},
        std::pair{"adaptive-lif-equations.mlir", 4.0},
        std::pair{"resonate-and-fire.mlir", 1.0}}) {
    auto p = discretisedExample(example);
    ASSERT_TRUE(p->module) << example << p->diagnostics;
    snn::NeuronModelOp model = p->model();
    auto dynamics = EquationTape::compile(model.getDynamics());
    auto spike = EquationTape::compile(model.getSpike());
    ASSERT_TRUE(succeeded(dynamics) && succeeded(spike));
    const unsigned states = model.getNumStates();
    const double inLo = model.getInputMin(), inHi = model.getInputMax();
    size_t checked = 0;
    for (int draw = 0; draw < 20; ++draw) {
      std::vector<double> neuron;
      for (double d : model.getParamDefaults())
        neuron.push_back(d * factor(random));
      // i_bias (the last parameter of every example) up to that current.
      neuron.back() =
          std::uniform_real_distribution<double>(0, largestCurrent)(random);
      std::vector<double> initial(model.getStateInitial().begin(),
                                  model.getStateInitial().end());
      const int inputBits = equationInputFractionBits(std::max(-inLo, inHi));
      auto lowered = lowerEquationModel(model, {neuron}, initial, inLo, inHi,
                                        inputBits, test::loihi2());
      ASSERT_TRUE(succeeded(lowered)) << example << p->diagnostics;
      std::vector<int32_t> words;
      for (const chip::StateWord &w : lowered->program.state)
        words.push_back(w.initial);
      std::vector<double> x(states), args, next, fired;
      for (int t = 0; t < 3000; ++t) {
        for (unsigned k = 0; k < states; ++k)
          x[k] = std::ldexp(double(words[k]), -lowered->states[k].fractionBits);
        args = x;
        args.insert(args.end(), neuron.begin(), neuron.end());
        args.push_back(0.0);
        dynamics->run(args, {}, next);
        args.assign(next.begin(), next.end());
        args.insert(args.end(), neuron.begin(), neuron.end());
        spike->run(args, x, fired);
        const bool spiked = chip::interpret(lowered->program, words.data(),
                                            lowered->paramWords[0].data(), 0)
                                .spiked;
        bool inRange = true;
        for (unsigned k = 0; k < states; ++k)
          inRange &= next[k] >= lowered->states[k].lower &&
                     next[k] <= lowered->states[k].upper;
        if (spiked || fired[0] != 0 || !inRange)
          continue;
        for (unsigned k = 0; k < states; ++k) {
          const int f = lowered->states[k].fractionBits;
          const double units =
              std::fabs(double(words[k]) - std::ldexp(next[k], f));
          ASSERT_LE(units, 0.5 + 1e-3)
              << example << " draw " << draw << " step " << t << " state "
              << lowered->states[k].name;
        }
        ++checked;
      }
    }
    EXPECT_GT(checked, 30000u) << example;
  }
}

} // namespace
