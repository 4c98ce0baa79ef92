//===- DendriticTreeTest.cpp - Trees of compartments, from the spec -------===//
//
// Written from docs/neurocore-isa.md, "Dendritic trees": the tree
// instructions through interpret(), every refusal of validateTree by its own
// row, a passive two- and three-compartment neuron against the same cable
// equations in double precision (attenuation and delay of a dendritic input
// at the soma within the quantisation bound), and what a tree computes that a
// point neuron cannot: XOR of two inputs in one neuron, coincidence detection
// across two dendrites, and the back-propagating action potential. Random
// trees show that a validated tree's stack holds, at every compartment of
// every step, what the static analysis says, whatever the data.
//
//===----------------------------------------------------------------------===//

#include "cajal/Chip/DendriticTree.h"
#include "cajal/Chip/Profile.h"
#include "cajal/Chip/StandardPrograms.h"
#include "cajal/ImageGen/RandomProgram.h"
#include "cajal/TestSupport/Profiles.h"
#include "cajal/TestSupport/Programs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <random>

using namespace cajal::chip;
using namespace cajal::chip::isa;
using cajal::Status;

namespace {

/// loihi2 with a stack of `depth`.
Profile treeProfile(unsigned depth = 8) {
  Profile p = cajal::test::loihi2WithTrees();
  p.isa.stackDepth = depth;
  return p;
}

using cajal::test::makeProgram;

const StateWord kV{"v", 24, true, Overflow::Saturate};

//===----------------------------------------------------------------------===//
// The instructions
//===----------------------------------------------------------------------===//

TEST(DendriticInstructionTest, PushAndPopAreLastInFirstOut) {
  // PUSH s0, PUSH q; then a second update POPs q's value first.
  const Program pusher =
      makeProgram("pusher", {kV}, {},
                  {instruction(Opcode::Push, none(), state(0)),
                   instruction(Opcode::Push, none(), inputQ())});
  const Program popper = makeProgram(
      "popper", {kV, kV}, {},
      {instruction(Opcode::Pop, state(0)), instruction(Opcode::Pop, state(1))});
  std::vector<int64_t> stack;
  int32_t a[1] = {-7};
  interpret(pusher, a, nullptr, 1234, TreeContext{&stack, false});
  ASSERT_EQ(stack, (std::vector<int64_t>{-7, 1234}));
  int32_t b[2] = {0, 0};
  interpret(popper, b, nullptr, 0, TreeContext{&stack, false});
  EXPECT_EQ(b[0], 1234);
  EXPECT_EQ(b[1], -7);
  EXPECT_TRUE(stack.empty());
  // POP from an empty stack, or with no stack at all, reads 0.
  b[0] = b[1] = 5;
  interpret(popper, b, nullptr, 0, TreeContext{&stack, false});
  EXPECT_EQ(b[0], 0);
  interpret(popper, b, nullptr, 0);
  EXPECT_EQ(b[1], 0);
}

TEST(DendriticInstructionTest, AndOrAreLogicalOnNonZeroValues) {
  const Program p =
      makeProgram("logic", {kV, kV}, {},
                  {instruction(Opcode::And, state(0), state(0), inputQ()),
                   instruction(Opcode::Or, state(1), state(1), inputQ())});
  const int64_t values[] = {0, 1, -1, 5, -300000, INT64_MIN};
  for (int64_t x : values)
    for (int64_t q : values) {
      const int32_t start = int32_t(x == INT64_MIN ? 0 : x);
      int32_t s[2] = {start, start};
      interpret(p, s, nullptr, q);
      EXPECT_EQ(s[0], start != 0 && q != 0 ? 1 : 0) << x << " AND " << q;
      EXPECT_EQ(s[1], start != 0 || q != 0 ? 1 : 0) << x << " OR " << q;
    }
}

TEST(DendriticInstructionTest, BapIsTheRootsSpikeOfThePreviousStep) {
  const Program p = makeProgram(
      "reader", {kV}, {}, {instruction(Opcode::Mov, state(0), inputBap())});
  int32_t s[1] = {9};
  interpret(p, s, nullptr, 0, TreeContext{nullptr, true});
  EXPECT_EQ(s[0], 1);
  interpret(p, s, nullptr, 0, TreeContext{nullptr, false});
  EXPECT_EQ(s[0], 0);
}

TEST(DendriticInstructionTest, StackEffectAndBapReadsAreStatic) {
  const Program p = makeProgram(
      "join", {kV}, {},
      {instruction(Opcode::Pop, reg(0)), instruction(Opcode::Pop, reg(1)),
       instruction(Opcode::Add, state(0), reg(0), inputBap()),
       instruction(Opcode::Push, none(), state(0))});
  EXPECT_EQ(stackEffect(p).pops, 2u);
  EXPECT_EQ(stackEffect(p).pushes, 1u);
  EXPECT_TRUE(readsBackPropagation(p));
  EXPECT_TRUE(bool(validateProgram(p, treeProfile())));
  // A point neuron has neither a stack nor bap.
  EXPECT_NE(validatePointNeuron(p).error().find(
                "instruction 0: POP needs a dendritic tree"),
            std::string::npos);
  const Program reader = makeProgram(
      "reader", {kV}, {}, {instruction(Opcode::Mov, state(0), inputBap())});
  EXPECT_NE(validatePointNeuron(reader).error().find(
                "instruction 0: reads bap, which only a dendritic tree's "
                "compartments have"),
            std::string::npos);
  EXPECT_TRUE(bool(validatePointNeuron(
      makeProgram("point", {kV}, {},
                  {instruction(Opcode::Add, state(0), state(0), inputQ())}))));
}

//===----------------------------------------------------------------------===//
// The validator: one row per refusal
//===----------------------------------------------------------------------===//

/// Programs by stack effect: leaf (pushes 1), join1 (pops 1, pushes 1),
/// join2 (pops 2, pushes 1), soma1 (pops 1), soma2 (pops 2), point (none),
/// pusher2 (pushes 2).
std::vector<Program> shapes() {
  const Instruction pop0 = instruction(Opcode::Pop, reg(0));
  const Instruction pop1 = instruction(Opcode::Pop, reg(1));
  const Instruction add =
      instruction(Opcode::Add, state(0), state(0), inputQ());
  const Instruction push = instruction(Opcode::Push, none(), state(0));
  return {makeProgram("leaf", {kV}, {}, {add, push}),
          makeProgram("join1", {kV}, {}, {pop0, add, push}),
          makeProgram("join2", {kV}, {}, {pop0, pop1, add, push}),
          makeProgram("soma1", {kV}, {}, {pop0, add}),
          makeProgram("soma2", {kV}, {}, {pop0, pop1, add}),
          makeProgram("point", {kV}, {}, {add}),
          makeProgram("pusher2", {kV}, {}, {add, push, push})};
}
enum Shape : uint32_t { Leaf, Join1, Join2, Soma1, Soma2, Point, Pusher2 };

/// d1, d2 -> soma: the valid base of the rows below.
DendriticTree twoDendrites() {
  return {{"d1", Leaf, 2}, {"d2", Leaf, 2}, {"soma", Soma2, -1}};
}

struct BadTree {
  const char *name;
  std::function<void(DendriticTree &, std::vector<Program> &, Profile &)> spoil;
  const char *message;
};

std::vector<BadTree> badTrees() {
  using Programs = std::vector<Program>;
  return {
      {"empty", [](DendriticTree &t, Programs &, Profile &) { t.clear(); },
       "dendritic tree has no compartments"},
      {"unnamed",
       [](DendriticTree &t, Programs &, Profile &) { t[1].name.clear(); },
       "compartment 1 has no name"},
      {"duplicate name",
       [](DendriticTree &t, Programs &, Profile &) { t[1].name = "d1"; },
       "compartment \"d1\" appears twice"},
      {"program out of range",
       [](DendriticTree &t, Programs &, Profile &) { t[0].program = 9; },
       "compartment \"d1\": program index 9 out of range (7 programs)"},
      {"root with a parent",
       [](DendriticTree &t, Programs &, Profile &) { t[2].parent = 0; },
       "compartment \"soma\" is last, so it is the root, but it has parent 0"},
      {"second root",
       [](DendriticTree &t, Programs &, Profile &) { t[1].parent = -1; },
       "compartment \"d2\" has no parent but is not last"},
      {"parent before child (a cycle in post-order)",
       [](DendriticTree &t, Programs &, Profile &) { t[1].parent = 0; },
       "compartment \"d2\" (index 1) has parent index 0; a parent comes "
       "after its children"},
      {"parent out of range",
       [](DendriticTree &t, Programs &, Profile &) { t[1].parent = 7; },
       "compartment \"d2\" (index 1) has parent index 7"},
      {"subtree not consecutive",
       [](DendriticTree &t, Programs &, Profile &) {
         // a, b -> j -> soma, but b sits before j's sibling c: c's subtree
         // (c) interrupts j's (a, b, j).
         t = {{"a", Leaf, 3},
              {"c", Leaf, 4},
              {"b", Leaf, 3},
              {"j", Join2, 4},
              {"soma", Soma2, -1}};
       },
       "compartments are not in post-order: position 0 holds \"a\", where "
       "post-order puts \"c\""},
      {"invalid program",
       [](DendriticTree &, Programs &p, Profile &) { p[Leaf].code[0] = 20; },
       "compartment \"d1\": program \"leaf\": instruction 0: unknown opcode "
       "20"},
      {"join without a child",
       [](DendriticTree &t, Programs &, Profile &) {
         t = {{"d1", Join1, 1}, {"soma", Soma1, -1}};
       },
       "compartment \"d1\" pops 1 value but has no child to join"},
      {"pops more than its children push",
       [](DendriticTree &t, Programs &, Profile &) {
         t = {{"d1", Leaf, 1}, {"soma", Soma2, -1}};
       },
       "compartment \"soma\" pops 2 values; its children \"d1\" push 1 "
       "value"},
      {"child pushes what nobody pops",
       [](DendriticTree &t, Programs &, Profile &) { t[0].program = Pusher2; },
       "compartment \"soma\" pops 2 values; its children \"d1\", \"d2\" push "
       "3 values"},
      {"root pushes",
       [](DendriticTree &t, Programs &, Profile &) {
         t = {{"d1", Leaf, 1}, {"soma", Join1, -1}};
       },
       "compartment \"soma\" is the root and pushes 1 value that no parent "
       "pops"},
      {"stack too deep",
       [](DendriticTree &, Programs &, Profile &profile) {
         profile.isa.stackDepth = 1;
       },
       "dendritic tree needs a stack of 2 values; the profile's holds 1 "
       "(isa.stackDepth)"},
  };
}

TEST(DendriticTreeValidatorTest, ValidTreesPass) {
  const std::vector<Program> programs = shapes();
  const Profile profile = treeProfile();
  EXPECT_TRUE(bool(validateTree(twoDendrites(), programs, profile)));
  // A point neuron is a tree of one compartment.
  EXPECT_TRUE(bool(validateTree({{"soma", Point, -1}}, programs, profile)));
  // Depth 3 (a chain of joins) and a wider tree:
  // (a, b) -> j1, (c) -> j2, (j1, j2) -> soma.
  const DendriticTree chain = {{"far", Leaf, 1},
                               {"mid", Join1, 2},
                               {"near", Join1, 3},
                               {"soma", Soma1, -1}};
  EXPECT_TRUE(bool(validateTree(chain, programs, profile)));
  EXPECT_EQ(treeStackDepth(chain, programs), 1u);
  const DendriticTree wide = {{"a", Leaf, 2},   {"b", Leaf, 2},
                              {"j1", Join2, 5}, {"c", Leaf, 4},
                              {"j2", Join1, 5}, {"soma", Soma2, -1}};
  const Status s = validateTree(wide, programs, profile);
  EXPECT_TRUE(bool(s)) << s.error();
  EXPECT_EQ(treeStackDepth(wide, programs), 2u);
}

TEST(DendriticTreeValidatorTest, EveryRefusalHasItsOwnMessage) {
  const std::vector<BadTree> cases = badTrees();
  cajal::test::RefusalTable table;
  for (const BadTree &c : cases) {
    DendriticTree tree = twoDendrites();
    std::vector<Program> programs = shapes();
    Profile profile = treeProfile();
    c.spoil(tree, programs, profile);
    table.expect(c.name, c.message, validateTree(tree, programs, profile));
  }
}

//===----------------------------------------------------------------------===//
// Passive trees against the cable equations in double precision
//===----------------------------------------------------------------------===//

/// A passive compartment: v <- v (1 - decay / 4096) + q + (pops its
/// children's currents); it pushes the coupling current g v / 4096 to its
/// parent. p0 decay, p1 coupling g (Q12).
Program passive(const std::string &name, unsigned children, bool root) {
  std::vector<Instruction> code;
  for (unsigned c = 0; c < children; ++c)
    code.push_back(instruction(Opcode::Pop, reg(uint8_t(1 + c))));
  code.push_back(
      instruction(Opcode::Decay, reg(0), state(0), param(0), none(), 12));
  code.push_back(instruction(Opcode::Add, reg(0), reg(0), inputQ()));
  for (unsigned c = 0; c < children; ++c)
    code.push_back(
        instruction(Opcode::Add, reg(0), reg(0), reg(uint8_t(1 + c))));
  code.push_back(instruction(Opcode::Mov, state(0), reg(0)));
  if (!root) {
    code.push_back(instruction(Opcode::MulShr, reg(3), state(0), param(1),
                               none(), 12, unsigned(Rounding::HalfUp)));
    code.push_back(instruction(Opcode::Push, none(), reg(3)));
  }
  return makeProgram(name, {{"v", 32, true, Overflow::Saturate}},
                     {{"decay", 13, false}, {"g", 13, false}}, code);
}

struct CableRun {
  std::vector<std::vector<double>> exact; ///< [compartment][step]
  std::vector<std::vector<int32_t>> chip;
};

/// A chain far -> ... -> soma of `n` compartments; an input of `pulse` into
/// the farthest at step 0. The double-precision side is the same equations
/// without rounding.
CableRun runChain(unsigned n, int64_t decay, int64_t g, int64_t pulse,
                  unsigned steps) {
  std::vector<Program> programs = {passive("leaf", 0, false),
                                   passive("middle", 1, false),
                                   passive("soma", 1, true)};
  DendriticTree tree;
  for (unsigned k = 0; k < n; ++k)
    tree.push_back({"c" + std::to_string(k),
                    k == 0 ? 0u : (k + 1 == n ? 2u : 1u),
                    k + 1 == n ? -1 : int32_t(k + 1)});
  EXPECT_TRUE(bool(validateTree(tree, programs, treeProfile())));
  std::vector<int32_t> v(n, 0);
  const int64_t params[2] = {decay, g};
  CableRun run;
  run.exact.assign(n, {});
  run.chip.assign(n, {});
  std::vector<double> x(n, 0.0);
  const double keep = 1.0 - double(decay) / 4096, gain = double(g) / 4096;
  for (unsigned t = 0; t < steps; ++t) {
    TreeNeuron neuron;
    for (unsigned k = 0; k < n; ++k) {
      neuron.state.push_back(&v[k]);
      neuron.params.push_back(params);
      neuron.q.push_back(k == 0 && t == 0 ? pulse : 0);
    }
    updateTree(tree, programs, neuron);
    double current = 0;
    for (unsigned k = 0; k < n; ++k) {
      x[k] = x[k] * keep + double(neuron.q[k]) + current;
      current = gain * x[k];
      run.exact[k].push_back(x[k]);
      run.chip[k].push_back(v[k]);
    }
  }
  return run;
}

size_t peakStep(const std::vector<double> &trace) {
  return size_t(std::max_element(trace.begin(), trace.end()) - trace.begin());
}

TEST(DendriticCableTest, PassiveTreesAttenuateAndDelayAsTheEquations) {
  const int64_t decay = 410, g = 256; // 10 % leak per step, g = 1/16
  const double keep = 1.0 - 410.0 / 4096, gain = 1.0 / 16;
  for (unsigned n : {2u, 3u}) {
    const unsigned steps = 200;
    const CableRun run = runChain(n, decay, g, 1 << 20, steps);
    // Rounding: DECAY toward zero loses < 1 per step, MULSHR.half < 1/2;
    // each error decays like the signal, so compartment k's error is at
    // most e_k = (1 + gain e_(k-1) + 1/2) / (1 - keep), e_(-1) = 0.
    double bound = 0;
    for (unsigned k = 0; k < n; ++k) {
      bound = (1.0 + gain * bound + (k ? 0.5 : 0.0)) / (1.0 - keep);
      for (unsigned t = 0; t < steps; ++t)
        ASSERT_LE(std::fabs(run.chip[k][t] - run.exact[k][t]), bound)
            << n << " compartments, compartment " << k << " step " << t;
    }
    // The soma sees the input later and smaller than the dendrite that
    // took it (later still through three compartments), and the chip's
    // peak is where the equations' peak is, up to the rounding: the step
    // it picks holds an exact value within twice the bound of the peak.
    std::vector<double> somaChip(run.chip[n - 1].begin(),
                                 run.chip[n - 1].end());
    const std::vector<double> &soma = run.exact[n - 1];
    const size_t peak = peakStep(soma);
    EXPECT_GE(soma[peakStep(somaChip)], soma[peak] - 2 * bound);
    EXPECT_EQ(peak, n == 2 ? 8u : 17u);
    const double attenuation = run.exact[n - 1][peak] / run.exact[0][0];
    const double chipAttenuation = somaChip[peak] / run.chip[0][0];
    EXPECT_LT(attenuation, 1.0);
    EXPECT_NEAR(chipAttenuation, attenuation, bound / run.chip[0][0] * 2);
  }
}

//===----------------------------------------------------------------------===//
// What a tree computes that a point neuron cannot
//===----------------------------------------------------------------------===//

/// A dendrite that holds its input for a window: v decays by p0/4096 per
/// step; it is active (pushes 1) while v is above p1.
Program windowDendrite() {
  return makeProgram(
      "window", {{"v", 24, true, Overflow::Saturate}},
      {{"decay", 13, false}, {"active", 24, true}},
      {instruction(Opcode::Decay, reg(0), state(0), param(0), none(), 12),
       instruction(Opcode::Add, state(0), reg(0), inputQ()),
       instruction(Opcode::CmpGt, reg(1), state(0), param(1)),
       instruction(Opcode::Push, none(), reg(1))});
}

/// A soma that joins two dendrites' activity with `join` (exclusive: OR
/// minus AND, which is XOR) and spikes when the join is 1.
Program joiningSoma(Opcode join, bool exclusive) {
  std::vector<Instruction> code = {instruction(Opcode::Pop, reg(0)),
                                   instruction(Opcode::Pop, reg(1)),
                                   instruction(join, reg(2), reg(0), reg(1))};
  if (exclusive) {
    code.push_back(instruction(Opcode::And, reg(3), reg(0), reg(1)));
    code.push_back(instruction(Opcode::Sub, reg(2), reg(2), reg(3)));
  }
  code.push_back(instruction(Opcode::Fire, state(0), reg(2), param(0), none(),
                             0, unsigned(Reset::Zero)));
  return makeProgram("soma", {{"v", 24, true, Overflow::Saturate}},
                     {{"threshold", 24, true}}, code);
}

/// Spikes of one neuron of two window dendrites and a soma over `steps`,
/// with input spikes `a` and `b` (steps) into the two dendrites.
std::vector<unsigned> runTwoInputs(const Program &soma,
                                   const std::vector<unsigned> &a,
                                   const std::vector<unsigned> &b,
                                   unsigned steps, int64_t windowDecay) {
  const std::vector<Program> programs = {windowDendrite(), soma};
  const DendriticTree tree = {{"left", 0, 2}, {"right", 0, 2}, {"soma", 1, -1}};
  const Status valid = validateTree(tree, programs, treeProfile());
  EXPECT_TRUE(bool(valid)) << valid.error();
  int32_t left = 0, right = 0, v = 0;
  const int64_t dendrite[2] = {windowDecay, 100}, somaParams[1] = {0};
  std::vector<unsigned> spikes;
  for (unsigned t = 0; t < steps; ++t) {
    const auto has = [t](const std::vector<unsigned> &s) {
      return std::find(s.begin(), s.end(), t) != s.end();
    };
    TreeNeuron n;
    n.state = {&left, &right, &v};
    n.params = {dendrite, dendrite, somaParams};
    n.q = {has(a) ? 1000 : 0, has(b) ? 1000 : 0, 0};
    if (updateTree(tree, programs, n)[2].spiked)
      spikes.push_back(t);
  }
  return spikes;
}

TEST(DendriticComputationTest, OneNeuronComputesXor) {
  // XOR is not linearly separable: no threshold on a weighted sum of the
  // two inputs gives it. The tree's joins do, in one neuron.
  const Program soma = joiningSoma(Opcode::Or, true);
  const int64_t immediate = 4096; // the window closes after one step
  EXPECT_TRUE(runTwoInputs(soma, {}, {}, 4, immediate).empty());
  EXPECT_EQ(runTwoInputs(soma, {1}, {}, 4, immediate),
            std::vector<unsigned>{1});
  EXPECT_EQ(runTwoInputs(soma, {}, {2}, 4, immediate),
            std::vector<unsigned>{2});
  EXPECT_TRUE(runTwoInputs(soma, {1}, {1}, 4, immediate).empty());
}

TEST(DendriticComputationTest, CoincidenceOfTwoDendritesWithinAWindow) {
  // D-AND (Caze & Stimberg 2020): the soma fires only while both dendrites
  // are active; each stays active for a window after its input (1000
  // decaying by 1/2 per step is above 100 for 4 steps).
  const Program soma = joiningSoma(Opcode::And, false);
  const int64_t half = 2048;
  EXPECT_TRUE(runTwoInputs(soma, {5}, {}, 20, half).empty());
  EXPECT_TRUE(runTwoInputs(soma, {5, 6, 7, 8}, {}, 20, half).empty());
  // Within the window: the soma fires while both are active.
  EXPECT_EQ(runTwoInputs(soma, {5}, {7}, 20, half),
            (std::vector<unsigned>{7, 8}));
  // Outside it: nothing.
  EXPECT_TRUE(runTwoInputs(soma, {5}, {10}, 20, half).empty());
}

TEST(DendriticComputationTest, TheSomasSpikeReachesTheDendritesNextStep) {
  // The dendrite counts bap; the soma spikes at step 3 (its input). The
  // dendrite sees it at step 4 and only then.
  const Program counter =
      makeProgram("counter", {kV}, {},
                  {instruction(Opcode::Add, state(0), state(0), inputBap()),
                   instruction(Opcode::Push, none(), state(0))});
  const Program soma =
      makeProgram("soma", {kV}, {{"threshold", 24, true}},
                  {instruction(Opcode::Pop, reg(0)),
                   instruction(Opcode::Fire, state(0), inputQ(), param(0),
                               none(), 0, unsigned(Reset::Zero))});
  const std::vector<Program> programs = {counter, soma};
  const DendriticTree tree = {{"dendrite", 0, 1}, {"soma", 1, -1}};
  ASSERT_TRUE(bool(validateTree(tree, programs, treeProfile())));
  int32_t d = 0, v = 0;
  const int64_t threshold[1] = {10};
  bool spikedLastStep = false;
  for (unsigned t = 0; t < 8; ++t) {
    TreeNeuron n;
    n.state = {&d, &v};
    n.params = {nullptr, threshold};
    n.q = {0, t == 3 ? 100 : 0};
    n.rootSpikedLastStep = spikedLastStep;
    spikedLastStep = updateTree(tree, programs, n)[1].spiked;
    EXPECT_EQ(spikedLastStep, t == 3) << "step " << t;
    EXPECT_EQ(d, t >= 4 ? 1 : 0) << "step " << t;
  }
}

//===----------------------------------------------------------------------===//
// Random trees: the stack is what the validator proved, whatever the data
//===----------------------------------------------------------------------===//

using cajal::imagegen::Rng;

TEST(DendriticRandomTreeTest, TheStackIsWhatTheValidatorProved) {
  const Profile profile = treeProfile(16);
  unsigned refused = 0, halted = 0, idle = 0, spikes = 0, maxDepth = 0;
  const unsigned kTrees = 10000, kSteps = 12;
  for (uint64_t seed = 1; seed <= kTrees; ++seed) {
    Rng rng(seed);
    const cajal::imagegen::RandomTree t =
        cajal::imagegen::randomTree(rng, profile, 8, &refused);
    const Status valid = validateTree(t.tree, t.programs, profile);
    ASSERT_TRUE(bool(valid)) << "seed " << seed << ": " << valid.error();
    maxDepth = std::max(maxDepth, treeStackDepth(t.tree, t.programs));
    const size_t n = t.tree.size();
    std::vector<std::vector<int32_t>> state(n);
    std::vector<std::vector<int64_t>> params(n);
    for (size_t k = 0; k < n; ++k) {
      state[k] = cajal::imagegen::randomStateWords(rng, t.programs[k]);
      params[k] = cajal::imagegen::randomParamWords(rng, t.programs[k]);
    }
    bool rootSpiked = false;
    for (unsigned step = 0; step < kSteps; ++step) {
      // The neuron's step, compartment by compartment on one stack: before
      // compartment k it holds exactly the values the static effects of
      // compartments 0 .. k-1 leave, and nothing after the root.
      std::vector<int64_t> stack;
      size_t expected = 0;
      for (size_t k = 0; k < n; ++k) {
        const StackEffect effect = stackEffect(t.programs[k]);
        ASSERT_GE(stack.size(), effect.pops)
            << "seed " << seed << " step " << step << " compartment " << k;
        const UpdateOutcome o = interpret(
            t.programs[k], state[k].data(), params[k].data(),
            cajal::imagegen::randomInput(rng), TreeContext{&stack, rootSpiked});
        expected = expected - effect.pops + effect.pushes;
        ASSERT_EQ(stack.size(), expected)
            << "seed " << seed << " step " << step << " compartment " << k;
        if (effect.pops || effect.pushes)
          idle += o.idle;
        if (k + 1 == n)
          rootSpiked = o.spiked;
        for (size_t w = 0; w < state[k].size(); ++w)
          halted += t.programs[k].refractoryWord == int(w) && state[k][w] > 0;
      }
      ASSERT_TRUE(stack.empty()) << "seed " << seed << " step " << step;
      spikes += rootSpiked;
    }
  }
  // The cases exercised what could unbalance a stack: programs the
  // validator refused, refractory holds, spikes and bap, deep stacks.
  EXPECT_GT(refused, kTrees / 10);
  EXPECT_GT(halted, kTrees);
  EXPECT_GT(spikes, kTrees / 10);
  EXPECT_GE(maxDepth, 4u);
  EXPECT_EQ(idle, 0u) << "a program that pushes or pops has no idle skip";
  std::printf("random trees: %u trees, %u programs refused, %u refractory "
              "holds, %u root spikes, deepest stack %u\n",
              kTrees, refused, halted, spikes, maxDepth);
}

//===----------------------------------------------------------------------===//
// The compiler's tree programs (lifTreeProgram)
//===----------------------------------------------------------------------===//

TEST(LifTreeProgramTest, EveryShapeIsValidOnLoihi2) {
  const Profile &loihi2 = cajal::test::loihi2();
  ASSERT_GE(loihi2.isa.stackDepth, 1u) << "loihi2 has a tree stack";
  unsigned shapes = 0;
  for (unsigned children : {0u, 1u, 2u, 3u})
    for (TreeJoin join : {TreeJoin::Add, TreeJoin::Min, TreeJoin::Max,
                          TreeJoin::And, TreeJoin::Or}) {
      for (TreeOutput output : {TreeOutput::Current, TreeOutput::Voltage,
                                TreeOutput::Active, TreeOutput::AboveThreshold})
        for (bool bap : {false, true}) {
          const LifTreeCompartment c{children,       join,   false,
                                     LifReset::Zero, output, bap};
          const Program p = lifTreeProgram(loihi2.neuron, c);
          const Status s = validateProgram(p, loihi2);
          EXPECT_TRUE(bool(s)) << p.name << ": " << s.error();
          EXPECT_EQ(stackEffect(p).pops, children) << p.name;
          EXPECT_EQ(stackEffect(p).pushes, 1u) << p.name;
          EXPECT_EQ(p.params.size(), kLifTreeParamWords);
          ++shapes;
        }
      for (LifReset reset :
           {LifReset::Zero, LifReset::Subtract, LifReset::NoSpike}) {
        const Program p = lifTreeProgram(
            loihi2.neuron, LifTreeCompartment{children, join, true, reset});
        EXPECT_TRUE(bool(validateProgram(p, loihi2))) << p.name;
        EXPECT_EQ(stackEffect(p).pushes, 0u) << p.name;
        ++shapes;
      }
    }
  EXPECT_EQ(shapes, 4u * 5 * (4 * 2 + 3));
}

/// A record whose u is this step's input (decayU clears it) and whose v
/// keeps its value (no decay), with a wide range.
CompartmentParams holdingRecord() {
  CompartmentParams r;
  r.decayU = 4095;
  r.decayV = 0;
  r.thresholdMantissa = 100;
  r.vminExponent = 23;
  r.vmaxExponent = 7;
  r.refractory = 0;
  return r;
}

TEST(LifTreeProgramTest, ADendritePushesWhatItsOutputSays) {
  const Profile &profile = cajal::test::loihi2();
  const CompartmentParams record = holdingRecord();
  const int64_t gain = int64_t(1) << (kTreeGainShift - 1); // 1/2
  const std::vector<int64_t> words =
      lifTreeParamWords(record, 0, gain, profile.neuron);
  const int64_t threshold = words[5];
  // One update from v = v0 with input q = 64 (u = 64, v = v0 + 64); what
  // the dendrite pushed, and its v after.
  const auto pushed = [&](TreeOutput output, int32_t v0, bool bap,
                          int32_t *vAfter = nullptr) {
    const Program p = lifTreeProgram(
        profile.neuron, LifTreeCompartment{0, TreeJoin::Add, false,
                                           LifReset::Zero, output, true});
    int32_t state[2] = {0, v0};
    std::vector<int64_t> stack;
    const UpdateOutcome o =
        interpret(p, state, words.data(), 64, TreeContext{&stack, bap});
    EXPECT_FALSE(o.spiked) << "a dendrite never spikes";
    EXPECT_EQ(stack.size(), 1u);
    if (vAfter)
      *vAfter = state[1];
    return stack.empty() ? INT64_MIN : stack.back();
  };
  const int32_t above = int32_t(threshold) + 100, below = 0;
  EXPECT_EQ(pushed(TreeOutput::Current, below, false), 32);
  EXPECT_EQ(pushed(TreeOutput::Voltage, below, false), 32);
  EXPECT_EQ(pushed(TreeOutput::Voltage, above, false), (above + 64 + 1) / 2);
  EXPECT_EQ(pushed(TreeOutput::Active, above, false), gain);
  EXPECT_EQ(pushed(TreeOutput::Active, below, false), 0);
  EXPECT_EQ(pushed(TreeOutput::AboveThreshold, above, false),
            (above + 64 + 1) / 2);
  EXPECT_EQ(pushed(TreeOutput::AboveThreshold, below, false), 0);
  // A back-propagated spike clears v before the output reads it.
  int32_t v = -1;
  EXPECT_EQ(pushed(TreeOutput::Voltage, above, true, &v), 0);
  EXPECT_EQ(v, 0);
}

TEST(LifTreeProgramTest, TheSomaJoinsItsChildrenIntoItsInput) {
  const Profile &profile = cajal::test::loihi2();
  const int64_t joinWeight = 7, q = 1000;
  const std::vector<int64_t> words =
      lifTreeParamWords(holdingRecord(), joinWeight, 0, profile.neuron);
  // u after one update of a soma with two children that pushed x then y.
  const auto input = [&](TreeJoin join, int64_t x, int64_t y) {
    const Program p = lifTreeProgram(
        profile.neuron, LifTreeCompartment{2, join, true, LifReset::Zero});
    int32_t state[3] = {0, 0, 0};
    std::vector<int64_t> stack = {x, y};
    interpret(p, state, words.data(), q, TreeContext{&stack, false});
    EXPECT_TRUE(stack.empty());
    return state[0] - q;
  };
  EXPECT_EQ(input(TreeJoin::Add, 3, -5), -2);
  EXPECT_EQ(input(TreeJoin::Min, 3, -5), -5);
  EXPECT_EQ(input(TreeJoin::Max, 3, -5), 3);
  EXPECT_EQ(input(TreeJoin::And, 3, -5), joinWeight);
  EXPECT_EQ(input(TreeJoin::And, 3, 0), 0);
  EXPECT_EQ(input(TreeJoin::Or, 0, -5), joinWeight);
  EXPECT_EQ(input(TreeJoin::Or, 0, 0), 0);
}

/// Every lifTreeProgram shape with up to `maxChildren` children, its
/// output scaled or not.
std::vector<LifTreeCompartment> treeShapes(unsigned maxChildren, bool scaled) {
  std::vector<LifTreeCompartment> shapes;
  for (unsigned children = 0; children <= maxChildren; ++children)
    for (TreeJoin join : {TreeJoin::Add, TreeJoin::Min, TreeJoin::Max,
                          TreeJoin::And, TreeJoin::Or}) {
      for (TreeOutput output : {TreeOutput::Current, TreeOutput::Voltage,
                                TreeOutput::Active, TreeOutput::AboveThreshold})
        for (bool bap : {false, true})
          shapes.push_back(
              {children, join, false, LifReset::Zero, output, bap, scaled});
      for (LifReset reset :
           {LifReset::Zero, LifReset::Subtract, LifReset::NoSpike})
        shapes.push_back(
            {children, join, true, reset, TreeOutput::Voltage, false, scaled});
    }
  return shapes;
}

TEST(LifTreeProgramTest, Loihi1RunsTheTreesOfItsFixedFunctionDatapath) {
  const Profile &loihi1 = cajal::test::loihi1();
  ASSERT_FALSE(loihi1.isa.programmable);
  ASSERT_FALSE(loihi1.isa.multiplier);
  ASSERT_EQ(loihi1.isa.maxPops, 2u)
      << "davies2018: a compartment pops one or two";
  // Every shape joining one or two children, its output unscaled, is one
  // of loihi1's fixed-function programs and within its isa limits, the
  // longest of them at exactly isa.maxInstructions.
  size_t longest = 0;
  for (const LifTreeCompartment &c : treeShapes(2, false)) {
    const Program p = lifTreeProgram(loihi1.neuron, c);
    const Status s = validateProgram(p, loihi1);
    if (c.root && c.reset == LifReset::Subtract) {
      // loihi1 resets to zero only (neuron.resetBySubtraction).
      EXPECT_FALSE(bool(s)) << p.name;
      continue;
    }
    EXPECT_TRUE(bool(s)) << p.name << ": " << s.error();
    EXPECT_TRUE(isFixedFunction(p, loihi1)) << p.name;
    longest = std::max(longest, p.code.size());
    EXPECT_EQ(p.name.find("-unscaled") != std::string::npos,
              !c.root && c.output != TreeOutput::Active)
        << p.name;
  }
  EXPECT_EQ(longest, loihi1.isa.maxInstructions);
  // A scaled output needs the multiplier; a third child, a third POP.
  const Program scaled = lifTreeProgram(
      loihi1.neuron, {0, TreeJoin::Add, false, LifReset::Zero,
                      TreeOutput::Voltage, false, /*scaledOutput=*/true});
  const Status noMultiplier = validateProgram(scaled, loihi1);
  ASSERT_FALSE(bool(noMultiplier));
  EXPECT_NE(noMultiplier.error().find("(isa.multiplier)"), std::string::npos)
      << noMultiplier.error();
  const Program threeChildren =
      lifTreeProgram(loihi1.neuron, {3, TreeJoin::Add, true, LifReset::Zero,
                                     TreeOutput::Voltage, false, false});
  const Status tooMany = validateProgram(threeChildren, loihi1);
  ASSERT_FALSE(bool(tooMany));
  EXPECT_NE(tooMany.error().find("pops 3 values; a compartment of profile "
                                 "\"loihi1\" pops at most 2 (isa.maxPops)"),
            std::string::npos)
      << tooMany.error();
  // A program that only looks like a tree compartment (its name) is not
  // fixed-function.
  Program renamed = lifTreeProgram(loihi1.neuron, {2, TreeJoin::Add, true});
  renamed.name = lifTreeProgramName({2, TreeJoin::Max, true});
  EXPECT_FALSE(isFixedFunction(renamed, loihi1));
}

TEST(LifTreeProgramTest, AnUnscaledOutputIsTheScaledOneAtUnitGain) {
  // On random records, states and inputs, a dendrite that pushes its value
  // unscaled pushes and stores what the scaled program does at gain 2^16.
  const Profile &profile = cajal::test::loihi2();
  const int64_t unitGain = int64_t(1) << kTreeGainShift;
  std::mt19937_64 rng(20261204);
  unsigned cases = 0;
  for (LifTreeCompartment c : treeShapes(2, false)) {
    if (c.root)
      continue;
    const Program unscaled = lifTreeProgram(profile.neuron, c);
    c.scaledOutput = true;
    const Program scaled = lifTreeProgram(profile.neuron, c);
    for (int trial = 0; trial < 200; ++trial, ++cases) {
      CompartmentParams record = holdingRecord();
      record.decayU = uint16_t(rng() % 4096);
      record.decayV = uint16_t(rng() % 4096);
      record.thresholdMantissa = uint16_t(rng() % 200);
      const std::vector<int64_t> words = lifTreeParamWords(
          record, int64_t(rng() % 100), unitGain, profile.neuron);
      const int32_t u0 = int32_t(rng() % 200001) - 100000;
      const int32_t v0 = int32_t(rng() % 200001) - 100000;
      const int64_t q = int64_t(rng() % 20001) - 10000;
      const bool bap = rng() % 2;
      std::vector<int64_t> children;
      for (unsigned k = 0; k < c.children; ++k)
        children.push_back(int64_t(rng() % 2001) - 1000);
      int32_t a[2] = {u0, v0}, b[2] = {u0, v0};
      std::vector<int64_t> sa = children, sb = children;
      interpret(unscaled, a, words.data(), q, TreeContext{&sa, bap});
      interpret(scaled, b, words.data(), q, TreeContext{&sb, bap});
      ASSERT_EQ(sa, sb) << unscaled.name << " trial " << trial;
      ASSERT_EQ(a[0], b[0]) << unscaled.name;
      ASSERT_EQ(a[1], b[1]) << unscaled.name;
    }
  }
  EXPECT_EQ(cases, 3u * 5 * 4 * 2 * 200); // children, joins, outputs, bap
}

} // namespace
