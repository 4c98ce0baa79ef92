//===- ProgramFastPathTest.cpp - Program fast paths equal the interpreter -===//
//
// The golden model's straight-line Izhikevich and adaptive-LIF kernels
// against its fused interpreter and against chip::interpret, lane by lane,
// on every instruction set this CPU has: groups of 1,000 compartments (full
// blocks and a partial one; parameter words per lane or alike across the
// group; accumulators in order or scattered; blocks of one core and of two)
// with random parameter words (plausible ones and anything inside the
// declared ranges), random starting states and random inputs (mostly small,
// some of any magnitude, which the Izhikevich kernel hands to
// chip::interpret), 100 steps and two seeds: 2 x 10^5 compartment-steps per
// program and instruction set. After every step the spikes (in lane order),
// the idle count and every state word must agree. A failure names its
// instruction set and seed. Then the model with and without fast paths on a
// coupled network of both programs, the recognition of the shipped programs
// and the fallback for a parameter word out of range. Last, the LifTree
// kernel: random trees of lifTreeProgram compartments (every join, output,
// root reset, resetOnBap; 1-4 children, depth up to 3) with random words,
// states and inputs, against chip::updateTree neuron by neuron.
//
//===----------------------------------------------------------------------===//
#include "cajal/Chip/DendriticTree.h"
#include "cajal/Chip/NeurocoreInterpreter.h"
#include "cajal/Chip/Profile.h"
#include "cajal/Chip/StandardPrograms.h"
#include "cajal/Golden/GoldenModel.h"
#include "cajal/Golden/ProgramUpdate.h"
#include "cajal/ImageGen/ImageBuilder.h"
#include "cajal/ImageGen/RandomProgram.h"
#include "cajal/TestSupport/Profiles.h"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace cajal;
using golden::Isa;
using golden::detail::ProgramGroup;
using golden::detail::ProgramKernel;
using golden::detail::TreeCompartments;

namespace {

constexpr uint32_t kLanes = 1000, kSteps = 100;

using test::loihi2;

std::vector<Isa> availableIsas() {
  std::vector<Isa> isas;
  for (Isa isa : {Isa::Generic, Isa::Avx2, Isa::Avx512})
    if (golden::GoldenModel::isaAvailable(isa))
      isas.push_back(isa);
  return isas;
}

double uniform(imagegen::Rng &rng, double lo, double hi) {
  return lo + (hi - lo) * double(rng.next() >> 11) * 0x1p-53;
}

/// One lane's words and state.
struct Lane {
  std::vector<int64_t> params;
  std::vector<int32_t> state;
};

/// Izhikevich lanes: most plausible (the published ranges and a bit
/// beyond), one in eight with any state in range and, unless
/// `plausibleCoefficients`, any parameter words in range.
Lane izhikevichLane(imagegen::Rng &rng, const chip::Program &program,
                    bool plausibleCoefficients) {
  constexpr unsigned F = chip::kIzhikevichFractionBits;
  if (rng.range(0, 7) == 0) {
    Lane lane{imagegen::randomParamWords(rng, program),
              imagegen::randomStateWords(rng, program)};
    if (plausibleCoefficients) // a and b below 2^17: not checked per lane
      for (int w : {0, 1})
        lane.params[w] = rng.range(-(1 << 16), 1 << 16);
    return lane;
  }
  chip::IzhikevichParams p;
  p.a = uniform(rng, 0.01, 0.12);
  p.b = uniform(rng, 0.1, 0.3);
  p.c = uniform(rng, -70, -45);
  p.d = uniform(rng, 0, 10);
  p.current = uniform(rng, -5, 25);
  const int32_t v = int32_t(std::ldexp(uniform(rng, -90, 40), F));
  const int32_t u = int32_t(std::ldexp(uniform(rng, -20, 20), F));
  return {chip::izhikevichParamWords(p), {v, u}};
}

/// Adaptive-LIF lanes: any words in range (the kernel is exact for all),
/// plausible ones, and idle ones (all state, bias and input zero).
Lane adaptiveLifLane(imagegen::Rng &rng, const chip::Program &program) {
  Lane lane{imagegen::randomParamWords(rng, program),
            imagegen::randomStateWords(rng, program)};
  const int64_t r = rng.range(0, 3);
  if (r == 0)
    return lane;
  std::vector<int64_t> &p = lane.params;
  p[0] = rng.range(0, 4096); // decays of u, v, a
  p[1] = rng.range(0, 4096);
  p[7] = rng.range(0, 4096);
  p[2] = rng.coin() ? 0 : rng.range(-(1 << 16), 1 << 16); // bias
  p[3] = -rng.range(0, 1 << 23);                          // vmin
  p[4] = rng.range(1 << 16, 1 << 23);                     // vmax
  p[5] = rng.range(0, 1 << 18);                           // threshold
  p[6] = rng.range(0, 4);                                 // refractory
  p[8] = rng.range(0, 1 << 14);                           // jump
  p[9] = rng.range(-(1 << 10), 1 << 10);                  // beta
  if (r == 1)
    std::fill(lane.state.begin(), lane.state.end(), 0);
  else
    lane.state[3] = int32_t(rng.range(0, 3)); // refractory counter
  return lane;
}

/// A step's input: zero, small, or of any magnitude.
int64_t input(imagegen::Rng &rng) {
  const int64_t r = rng.range(0, 19);
  if (r < 8)
    return 0;
  if (r < 19)
    return rng.range(-(int64_t(1) << 17), int64_t(1) << 17);
  return imagegen::randomInput(rng);
}

/// Run `program` through `fast` and through the interpreter, on `isa`, and
/// every lane through chip::interpret, comparing after every step.
template <typename MakeLane>
void expectFastPathEqual(const chip::Program &program, ProgramKernel fast,
                         Isa isa, uint64_t seed, MakeLane makeLane) {
  const std::string where =
      std::string(golden::isaName(isa)) + ", seed " + std::to_string(seed);
  imagegen::Rng rng(seed);
  // Lanes at scattered positions in half the seeds; parameter words alike
  // across the group (block copies) for a random subset of words.
  std::vector<uint32_t> positions(kLanes);
  for (uint32_t k = 0; k < kLanes; ++k)
    positions[k] = k;
  if (seed % 2)
    for (uint32_t k = kLanes - 1; k > 0; --k)
      std::swap(positions[k], positions[size_t(rng.range(0, k))]);
  std::vector<Lane> lanes;
  for (uint32_t k = 0; k < kLanes; ++k)
    lanes.push_back(makeLane(rng, program));
  for (size_t w = 0; w < program.params.size(); ++w)
    if (rng.range(0, 2) == 0)
      for (Lane &lane : lanes)
        lane.params[w] = lanes[0].params[w];
  ProgramGroup tested(program, 8, fast, isa);
  ProgramGroup interpreted(program, 8, ProgramKernel::Interpreter, isa);
  for (uint32_t k = 0; k < kLanes; ++k) {
    // Cores: blocks of one core and blocks across two.
    tested.addLane(positions[k], k / 400, lanes[k].params, {});
    interpreted.addLane(positions[k], k / 400, lanes[k].params, {});
  }
  tested.finish();
  interpreted.finish();
  ASSERT_EQ(tested.kernel(), fast) << where;
  for (uint32_t k = 0; k < kLanes; ++k)
    for (uint32_t w = 0; w < program.state.size(); ++w) {
      tested.setStateWord(w, k, lanes[k].state[w]);
      interpreted.setStateWord(w, k, lanes[k].state[w]);
    }
  std::vector<int64_t> slotA(kLanes), slotB(kLanes);
  std::vector<uint32_t> spikesA(kLanes + 16), spikesB(kLanes + 16);
  uint64_t idleA[3] = {}, idleB[3] = {};
  uint64_t spikes = 0, idle = 0;
  for (uint32_t t = 0; t < kSteps; ++t) {
    const std::string at = where + ", step " + std::to_string(t);
    std::vector<int64_t> q(kLanes);
    for (uint32_t k = 0; k < kLanes; ++k) {
      q[k] = lanes[k].state == std::vector<int32_t>(lanes[k].state.size()) &&
                     rng.coin()
                 ? 0
                 : input(rng);
      slotA[positions[k]] = slotB[positions[k]] = q[k];
    }
    // The oracle, lane by lane.
    std::vector<uint32_t> expected;
    uint32_t expectedIdle = 0;
    for (uint32_t k = 0; k < kLanes; ++k) {
      const chip::UpdateOutcome out = chip::interpret(
          program, lanes[k].state.data(), lanes[k].params.data(), q[k]);
      if (out.spiked)
        expected.push_back(positions[k]);
      expectedIdle += out.idle;
    }
    uint32_t *endA = spikesA.data(), *endB = spikesB.data();
    const uint32_t idleOfA = tested.step(slotA.data(), 0, endA, idleA);
    const uint32_t idleOfB = interpreted.step(slotB.data(), 0, endB, idleB);
    ASSERT_EQ(std::vector<uint32_t>(spikesA.data(), endA), expected) << at;
    ASSERT_EQ(std::vector<uint32_t>(spikesB.data(), endB), expected) << at;
    ASSERT_EQ(idleOfA, expectedIdle) << at;
    ASSERT_EQ(idleOfB, expectedIdle) << at;
    for (uint32_t k = 0; k < kLanes; ++k)
      for (uint32_t w = 0; w < program.state.size(); ++w) {
        ASSERT_EQ(tested.stateWord(w, k), lanes[k].state[w])
            << at << ", lane " << k << ", word " << w;
        ASSERT_EQ(interpreted.stateWord(w, k), lanes[k].state[w])
            << at << ", lane " << k << ", word " << w;
      }
    ASSERT_TRUE(std::all_of(slotA.begin(), slotA.end(),
                            [](int64_t x) { return x == 0; }))
        << at << ": the accumulators are zeroed";
    spikes += expected.size();
    idle += expectedIdle;
  }
  EXPECT_EQ(std::vector<uint64_t>(idleA, idleA + 3),
            std::vector<uint64_t>(idleB, idleB + 3))
      << where;
  // The runs exercise what they are meant to.
  EXPECT_GT(spikes, kSteps) << where;
  if (program.skipIdle) {
    EXPECT_GT(idle, kSteps) << where;
  }
}

TEST(ProgramFastPaths, IzhikevichEqualsInterpreterAndOracle) {
  for (Isa isa : availableIsas())
    for (uint64_t seed = 1; seed <= 2; ++seed) {
      chip::IzhikevichParams rest;
      rest.c = -60 - 5.0 * double(seed);
      // Seed 2: every a and b small, so the kernel checks them nowhere.
      ASSERT_NO_FATAL_FAILURE(expectFastPathEqual(
          chip::izhikevichProgram(rest), ProgramKernel::Izhikevich, isa, seed,
          [&](imagegen::Rng &r, const chip::Program &p) {
            return izhikevichLane(r, p, seed == 2);
          }));
    }
}

TEST(ProgramFastPaths, AdaptiveLifEqualsInterpreterAndOracle) {
  for (Isa isa : availableIsas())
    for (uint64_t seed = 1; seed <= 2; ++seed)
      ASSERT_NO_FATAL_FAILURE(expectFastPathEqual(
          chip::adaptiveLifProgram(loihi2().neuron), ProgramKernel::AdaptiveLif,
          isa, seed, adaptiveLifLane));
}

TEST(ProgramFastPaths, RecognisesTheShippedProgramsOnly) {
  const chip::NeuronFormat &f = loihi2().neuron;
  chip::IzhikevichParams fastSpiking;
  fastSpiking.a = 0.1;
  fastSpiking.c = -55;
  EXPECT_EQ(golden::detail::fastPathFor(chip::izhikevichProgram({}), f),
            ProgramKernel::Izhikevich);
  EXPECT_EQ(
      golden::detail::fastPathFor(chip::izhikevichProgram(fastSpiking), f),
      ProgramKernel::Izhikevich);
  EXPECT_EQ(golden::detail::fastPathFor(chip::adaptiveLifProgram(f), f),
            ProgramKernel::AdaptiveLif);
  chip::NeuronFormat other = f;
  other.currentBits -= 1;
  EXPECT_EQ(golden::detail::fastPathFor(chip::adaptiveLifProgram(other), f),
            ProgramKernel::Interpreter); // another format's
  EXPECT_EQ(
      golden::detail::fastPathFor(chip::lifProgram(f, chip::LifReset::Zero), f),
      ProgramKernel::Interpreter);
  chip::Program changed = chip::izhikevichProgram({});
  changed.constants[1] += 1;
  EXPECT_EQ(golden::detail::fastPathFor(changed, f),
            ProgramKernel::Interpreter);
  changed = chip::adaptiveLifProgram(f);
  changed.code.back() ^= 1; // one opcode bit
  EXPECT_EQ(golden::detail::fastPathFor(changed, f),
            ProgramKernel::Interpreter);
}

/// The model runs the fast paths where it should and they change nothing:
/// an Izhikevich and an adaptive-LIF population of 300 neurons each on two
/// cores, every neuron exciting ten of the other population, run with and
/// without programFastPaths; spikes and state words equal at every step.
TEST(ProgramFastPaths, ModelWithAndWithoutFastPathsAgree) {
  const chip::Profile &profile = loihi2();
  constexpr uint32_t n = 300;
  imagegen::Rng rng(5);
  imagegen::ImageBuilder b(profile);
  const uint32_t izhCore = b.addCore(std::vector<chip::CompartmentParams>(n));
  const uint32_t alifCore = b.addCore(std::vector<chip::CompartmentParams>(n));
  const uint32_t izh = b.addProgram(chip::izhikevichProgram({}));
  const uint32_t alif = b.addProgram(chip::adaptiveLifProgram(profile.neuron));
  std::vector<std::vector<int64_t>> izhWords, alifWords;
  for (uint32_t i = 0; i < n; ++i) {
    chip::IzhikevichParams p;
    p.current = uniform(rng, 0, 15);
    izhWords.push_back(chip::izhikevichParamWords(p));
    alifWords.push_back({int64_t(rng.range(0, 4096)), rng.range(0, 4096),
                         rng.range(0, 1 << 12), -(int64_t(1) << 20),
                         int64_t(1) << 20, rng.range(1 << 12, 1 << 14),
                         rng.range(0, 3), rng.range(0, 4096),
                         rng.range(0, 1 << 10), rng.range(0, 64)});
  }
  b.addProgramPopulation("izh", {{izhCore, 0, 0, n}}, izh, izhWords);
  b.addProgramPopulation("alif", {{alifCore, 0, 0, n}}, alif, alifWords);
  for (uint32_t from : {izhCore, alifCore}) {
    const uint32_t to = from == izhCore ? alifCore : izhCore;
    for (uint32_t i = 0; i < n; ++i) {
      std::vector<chip::Synapse> synapses;
      for (uint32_t j = 0; j < 10; ++j)
        synapses.push_back(
            {uint32_t(rng.range(0, n - 1)), int32_t(rng.range(-100, 127)), 1});
      const uint32_t axon = b.addInputAxon(to, synapses, 8, 6, false);
      b.addOutput(from, i, {to, axon});
    }
  }
  const chip::Image image = b.build();
  golden::ModelOptions interpreted;
  interpreted.programFastPaths = false;
  Result<golden::GoldenModel> fast =
      golden::GoldenModel::create(image, profile);
  Result<golden::GoldenModel> slow =
      golden::GoldenModel::create(image, profile, interpreted);
  ASSERT_TRUE(bool(fast)) << fast.error();
  ASSERT_TRUE(bool(slow)) << slow.error();
  ASSERT_EQ(fast->interpretedCompartments(), 2 * n);
  uint64_t spikes = 0;
  for (uint32_t t = 0; t < 300; ++t) {
    fast->step();
    slow->step();
    ASSERT_EQ(fast->lastSpikingCompartments(), slow->lastSpikingCompartments())
        << "step " << t;
    for (uint32_t g = 0; g < 2 * n; ++g)
      ASSERT_EQ(fast->compartmentStateWords(g), slow->compartmentStateWords(g))
          << "step " << t << ", compartment " << g;
    spikes += fast->lastSpikingCompartments().size();
  }
  EXPECT_GT(spikes, 1000u);
  EXPECT_EQ(fast->counters().synapticEvents, slow->counters().synapticEvents);
}

TEST(ProgramFastPaths, ParameterOutsideItsRangeFallsBackToInterpreter) {
  const chip::Program program = chip::adaptiveLifProgram(loihi2().neuron);
  ProgramGroup group(program, 8, ProgramKernel::AdaptiveLif, Isa::Generic);
  std::vector<int64_t> words(program.params.size(), 0);
  words[0] = int64_t(1) << 40; // decayU1 is 13 bits unsigned
  group.addLane(0, 0, words, {});
  group.finish();
  EXPECT_EQ(group.kernel(), ProgramKernel::Interpreter);
}

/// A neuron tree of lifTreeProgram compartments with their shapes.
struct LifTree {
  chip::DendriticTree tree;
  std::vector<chip::Program> programs;
  std::vector<chip::LifTreeCompartment> shapes;
};

/// Compartment `self` and its subtree, in post-order, below depth 3 with
/// 1-4 children where it has any (the root always has).
void addSubtree(imagegen::Rng &rng, const chip::NeuronFormat &f, unsigned depth,
                LifTree &out) {
  const unsigned children =
      depth == 0 ? unsigned(rng.range(1, 4))
                 : (depth < 3 && rng.coin() ? unsigned(rng.range(1, 4)) : 0);
  std::vector<uint32_t> kids;
  for (unsigned c = 0; c < children; ++c) {
    addSubtree(rng, f, depth + 1, out);
    kids.push_back(uint32_t(out.tree.size() - 1));
  }
  chip::LifTreeCompartment shape;
  shape.children = children;
  shape.join = chip::TreeJoin(rng.range(0, 4));
  shape.root = depth == 0;
  shape.reset = chip::LifReset(rng.range(0, 2));
  shape.output = chip::TreeOutput(rng.range(0, 3));
  shape.resetOnBap = !shape.root && rng.coin();
  shape.scaledOutput = rng.coin(); // unscaled: a chip without a multiplier
  const uint32_t self = uint32_t(out.tree.size());
  for (uint32_t kid : kids)
    out.tree[kid].parent = int32_t(self);
  out.tree.push_back({"c" + std::to_string(self), self, -1});
  out.programs.push_back(chip::lifTreeProgram(f, shape));
  out.shapes.push_back(shape);
}

/// A chain of `length` compartments, each with a random shape (a leaf, then
/// compartments of one child each).
LifTree lifChain(imagegen::Rng &rng, const chip::NeuronFormat &f,
                 unsigned length) {
  LifTree t;
  for (unsigned c = 0; c < length; ++c) {
    chip::LifTreeCompartment shape;
    shape.children = c == 0 ? 0 : 1;
    shape.join = chip::TreeJoin(rng.range(0, 4));
    shape.root = c + 1 == length;
    shape.reset = chip::LifReset(rng.range(0, 2));
    shape.output = chip::TreeOutput(rng.range(0, 3));
    shape.resetOnBap = !shape.root && rng.coin();
    shape.scaledOutput = rng.coin();
    t.tree.push_back(
        {"c" + std::to_string(c), c, shape.root ? -1 : int32_t(c + 1)});
    t.programs.push_back(chip::lifTreeProgram(f, shape));
    t.shapes.push_back(shape);
  }
  return t;
}

LifTree randomLifTree(imagegen::Rng &rng, const chip::Profile &profile) {
  for (;;) {
    LifTree t;
    addSubtree(rng, profile.neuron, 0, t);
    if (chip::validateTree(t.tree, t.programs, profile))
      return t;
  }
}

/// Parameter words of a tree compartment: any in range, or plausible ones
/// (small decays, refractory periods and gains; vmin, vmax and thresholds
/// that the inputs reach). `fitting`: plausible ones whose values fit the
/// fused trees' 32-bit lanes (gains below 2^17).
std::vector<int64_t> lifTreeWords(imagegen::Rng &rng,
                                  const chip::Program &program, bool fitting) {
  std::vector<int64_t> p = imagegen::randomParamWords(rng, program);
  if (!fitting && rng.range(0, 3) == 0)
    return p;
  // Sometimes no synaptic current (u is the input) or no leak.
  p[0] = rng.range(0, 3) == 0 ? 4096 : rng.range(0, 4096);
  p[1] = rng.range(0, 3) == 0 ? 0 : rng.range(0, 4096);
  p[2] = rng.coin() ? 0 : rng.range(-(1 << 16), 1 << 16);
  p[3] = -rng.range(0, 1 << 23);
  p[4] = rng.range(1 << 16, 1 << 23);
  p[5] = rng.range(0, 1 << 18);
  p[6] = rng.range(0, 4);
  p[7] = rng.range(-(1 << 18), 1 << 18);
  p[8] = fitting || rng.coin() ? rng.range(-(1 << 17), 1 << 17)
                               : int64_t(int32_t(uint32_t(rng.next())));
  return p;
}

/// Trees of lifTreeProgram compartments through TreeCompartments with the
/// LifTree kernel, on `isa`, against chip::updateTree per neuron after
/// every step: the roots' spikes and every state word. Three random trees
/// of 1-600 neurons each (blocks full and partial), parameter words alike
/// across the neurons for a random subset, positions scattered in odd
/// seeds; in even seeds a neuron's compartments one after the other (the
/// compiler's layout), or, with `loaderLayout`, each tree's neurons
/// position by position (the golden model's loader's, FusedTreeSegment).
/// With `fitting` words (lifTreeWords) and the loader's layout every tree
/// runs fused where the instruction set fuses trees
/// (TreeCompartments::fusesOn), which the test asserts; `fused` counts the
/// compartments that did.
template <typename Acc = int64_t>
void expectLifTreesEqualUpdateTree(
    const chip::Profile &profile, Isa isa, uint64_t seed, uint64_t &spikes,
    uint64_t &bapResets, unsigned chainLength = 0, bool fitting = false,
    uint64_t *fused = nullptr, bool loaderLayout = false) {
  const std::string where =
      std::string(golden::isaName(isa)) + ", " + profile.name + ", seed " +
      std::to_string(seed) + ", chain " + std::to_string(chainLength) + ", " +
      std::to_string(8 * sizeof(Acc)) + "-bit accumulators" +
      (fitting ? ", fitting words" : "") +
      (loaderLayout ? ", position by position" : "");
  // Narrow accumulators hold the input divided by 2^accShift.
  const unsigned accShift = sizeof(Acc) == 8 ? 0 : 6;
  imagegen::Rng rng(seed);
  struct Neuron {
    uint32_t tree = 0, first = 0; // first compartment (addition order)
    uint32_t index = 0;           // in its tree's batch of neurons
    std::vector<std::vector<int64_t>> params;
    std::vector<std::vector<int32_t>> state;
    bool spiked = false;
  };
  std::vector<LifTree> trees;
  std::vector<Neuron> neurons;
  uint32_t compartments = 0;
  for (uint32_t t = 0; t < 3; ++t) {
    trees.push_back(chainLength ? lifChain(rng, profile.neuron, chainLength)
                                : randomLifTree(rng, profile));
    const LifTree &tree = trees.back();
    const uint32_t count = uint32_t(rng.range(1, 600));
    const uint32_t firstNeuron = uint32_t(neurons.size());
    for (uint32_t n = 0; n < count; ++n) {
      Neuron neuron;
      neuron.tree = t;
      neuron.first = compartments;
      neuron.index = n;
      for (const chip::Program &program : tree.programs) {
        neuron.params.push_back(lifTreeWords(rng, program, fitting));
        std::vector<int32_t> state = imagegen::randomStateWords(rng, program);
        if (fitting || rng.coin()) // near rest, where the plausible words act
          for (size_t w = 0; w < 2; ++w)
            state[w] = int32_t(rng.range(-(1 << 12), 1 << 12));
        neuron.state.push_back(state);
      }
      compartments += uint32_t(tree.programs.size());
      neurons.push_back(neuron);
    }
    for (size_t c = 0; c < tree.programs.size(); ++c)
      for (size_t w = 0; w < chip::kLifTreeParamWords; ++w)
        if (rng.range(0, 2) == 0)
          for (uint32_t n = firstNeuron + 1; n < neurons.size(); ++n)
            neurons[n].params[c][w] = neurons[firstNeuron].params[c][w];
  }
  std::vector<uint32_t> positions(compartments);
  for (uint32_t k = 0; k < compartments; ++k)
    positions[k] = k;
  if (loaderLayout) {
    // Neuron i of a batch of `count` trees of `width` starting at compartment
    // b: its compartment p at b + p * count + i.
    std::vector<uint32_t> batchFirst(trees.size(), UINT32_MAX),
        batchCount(trees.size(), 0);
    for (const Neuron &neuron : neurons) {
      batchFirst[neuron.tree] = std::min(batchFirst[neuron.tree], neuron.first);
      ++batchCount[neuron.tree];
    }
    for (const Neuron &neuron : neurons)
      for (uint32_t p = 0; p < trees[neuron.tree].programs.size(); ++p)
        positions[neuron.first + p] = batchFirst[neuron.tree] +
                                      p * batchCount[neuron.tree] +
                                      neuron.index;
  }
  if (seed % 2)
    for (uint32_t k = compartments - 1; k > 0; --k)
      std::swap(positions[k], positions[size_t(rng.range(0, k))]);
  golden::detail::TreeCompartments tested;
  for (const Neuron &neuron : neurons) {
    const LifTree &tree = trees[neuron.tree];
    const uint32_t root = neuron.first + uint32_t(tree.programs.size()) - 1;
    for (uint32_t c = 0; c < tree.programs.size(); ++c)
      tested.add(positions[neuron.first + c], neuron.first / 500,
                 tree.programs[c], neuron.params[c], neuron.state[c], root);
  }
  tested.finish(8, isa, profile.neuron, true);
  for (uint32_t k = 0; k < compartments; ++k) {
    ASSERT_EQ(tested.kernel(k), ProgramKernel::LifTree)
        << where << ", compartment " << k << " (" << tested.program(k).name
        << ")";
    if (fitting && loaderLayout && seed % 2 == 0 && sizeof(Acc) < 8) {
      ASSERT_EQ(tested.fused(k), TreeCompartments::fusesOn(isa))
          << where << ", compartment " << k;
    }
    if (fused)
      *fused += tested.fused(k);
  }
  std::vector<Acc> slot(compartments);
  std::vector<uint32_t> spikeList(compartments + 16);
  std::vector<uint64_t> idlePerCore(compartments / 500 + 1);
  for (uint32_t t = 0; t < kSteps; ++t) {
    const std::string at = where + ", step " + std::to_string(t);
    std::vector<uint32_t> expected;
    for (Neuron &neuron : neurons) {
      const LifTree &tree = trees[neuron.tree];
      chip::TreeNeuron words;
      for (uint32_t c = 0; c < tree.programs.size(); ++c) {
        const int64_t raw =
            sizeof(Acc) == 8 ? input(rng) : rng.range(-32768, 32767);
        const int64_t q = int64_t(uint64_t(raw) << accShift);
        slot[positions[neuron.first + c]] = Acc(raw);
        words.state.push_back(neuron.state[c].data());
        words.params.push_back(neuron.params[c].data());
        words.q.push_back(q);
      }
      words.rootSpikedLastStep = neuron.spiked;
      for (uint32_t c = 0; c + 1 < tree.programs.size(); ++c)
        bapResets += neuron.spiked && tree.shapes[c].resetOnBap;
      const std::vector<chip::UpdateOutcome> out =
          chip::updateTree(tree.tree, tree.programs, words);
      neuron.spiked = out.back().spiked;
      if (neuron.spiked)
        expected.push_back(
            positions[neuron.first + uint32_t(tree.programs.size()) - 1]);
    }
    uint32_t *end = spikeList.data();
    EXPECT_EQ(tested.step(slot.data(), accShift, end, idlePerCore.data()), 0u)
        << at;
    std::vector<uint32_t> got(spikeList.data(), end);
    std::sort(got.begin(), got.end());
    std::sort(expected.begin(), expected.end());
    ASSERT_EQ(got, expected) << at;
    for (const Neuron &neuron : neurons)
      for (uint32_t c = 0; c < neuron.state.size(); ++c)
        ASSERT_EQ(tested.stateWords(neuron.first + c), neuron.state[c])
            << at << ", compartment " << neuron.first + c << " ("
            << trees[neuron.tree].programs[c].name << ")";
    ASSERT_TRUE(
        std::all_of(slot.begin(), slot.end(), [](Acc x) { return x == 0; }))
        << at << ": the accumulators are zeroed";
    spikes += expected.size();
  }
}

/// loihi2, and a narrow format where u wraps and q saturates often.
chip::Profile narrowTreeProfile() {
  chip::Profile p = loihi2();
  p.name = "loihi2-narrow";
  p.neuron.currentBits = 14;
  p.neuron.accumulatorBits = 10;
  return p;
}

TEST(ProgramFastPaths, LifTreesEqualUpdateTree) {
  uint64_t spikes = 0, bapResets = 0;
  for (Isa isa : availableIsas())
    for (const chip::Profile &profile : {loihi2(), narrowTreeProfile()})
      for (uint64_t seed = 1; seed <= 4; ++seed)
        ASSERT_NO_FATAL_FAILURE(expectLifTreesEqualUpdateTree(
            profile, isa, seed, spikes, bapResets));
  // The runs exercise what they are meant to.
  EXPECT_GT(spikes, 10 * kSteps);
  EXPECT_GT(bapResets, 10 * kSteps);
}

/// Chains of 1-9 compartments in the compiler's layout (a neuron's
/// compartments one after the other: the inputs read as one run per block,
/// each width the kernels special-case and others), with int16, int32 and
/// int64 accumulators.
TEST(ProgramFastPaths, LifTreeChainsEqualUpdateTree) {
  uint64_t spikes = 0, bapResets = 0;
  for (Isa isa : availableIsas())
    for (unsigned length = 1; length <= 9; ++length) {
      const uint64_t seed = 2 * length; // even: positions in order
      ASSERT_NO_FATAL_FAILURE(expectLifTreesEqualUpdateTree<int16_t>(
          loihi2(), isa, seed, spikes, bapResets, length));
      ASSERT_NO_FATAL_FAILURE(expectLifTreesEqualUpdateTree<int32_t>(
          narrowTreeProfile(), isa, seed, spikes, bapResets, length));
      ASSERT_NO_FATAL_FAILURE(expectLifTreesEqualUpdateTree<int64_t>(
          loihi2(), isa, seed, spikes, bapResets, length));
    }
  EXPECT_GT(spikes, 10 * kSteps);
  EXPECT_GT(bapResets, 10 * kSteps);
}

/// Trees whose values fit 32-bit lanes, laid out as the golden model's
/// loader lays them out (even seeds; each tree's batch of neurons position
/// by position, three batches, which may share a shape, as three segments):
/// on AVX-512 they run fused, all positions of 16 neurons in one loop
/// (TreeKernels.h), and must still equal
/// chip::updateTree: random trees and chains of 1-9, with int16 and int32
/// accumulators (and int64 ones, which the fused loop hands back to the
/// tree kernel at the first step), on the loihi2 and the narrow format.
TEST(ProgramFastPaths, FusedLifTreesEqualUpdateTree) {
  uint64_t spikes = 0, bapResets = 0, fused = 0;
  // The instruction sets that fuse trees (the others run the tree kernel,
  // which the tests above cover), or the portable one where none does.
  std::vector<Isa> isas;
  for (Isa isa : availableIsas())
    if (TreeCompartments::fusesOn(isa))
      isas.push_back(isa);
  if (isas.empty())
    isas.push_back(Isa::Generic);
  for (Isa isa : isas)
    for (const chip::Profile &profile : {loihi2(), narrowTreeProfile()})
      for (unsigned length = 0; length <= 9; ++length) {
        const uint64_t seed = 2 * length + 20;
        ASSERT_NO_FATAL_FAILURE(expectLifTreesEqualUpdateTree<int16_t>(
            profile, isa, seed, spikes, bapResets, length, true, &fused, true));
        ASSERT_NO_FATAL_FAILURE(expectLifTreesEqualUpdateTree<int32_t>(
            profile, isa, seed + 100, spikes, bapResets, length, true, &fused,
            true));
        // int64 accumulators: fused at load, then run unfused from the
        // first step, the state moved back into the groups.
        ASSERT_NO_FATAL_FAILURE(expectLifTreesEqualUpdateTree<int64_t>(
            profile, isa, seed + 200, spikes, bapResets, length, true, nullptr,
            true));
      }
  EXPECT_GT(spikes, 10 * kSteps);
  EXPECT_GT(bapResets, 10 * kSteps);
  if (TreeCompartments::fusesOn(Isa::Avx512) &&
      golden::GoldenModel::isaAvailable(Isa::Avx512)) {
    EXPECT_GT(fused, 0u);
  }
}

TEST(ProgramFastPaths, RecognisesLifTreeProgramsOnly) {
  const chip::NeuronFormat &f = loihi2().neuron;
  unsigned shapes = 0;
  for (unsigned children = 0; children <= 4; ++children)
    for (int join = 0; join <= 4; ++join)
      for (bool root : {false, true})
        for (int variant = 0; variant < (root ? 3 : 16); ++variant) {
          if (children == 0 && join > 0)
            continue;
          chip::LifTreeCompartment shape;
          shape.children = children;
          shape.join = chip::TreeJoin(join);
          shape.root = root;
          shape.reset = chip::LifReset(root ? variant : 0);
          shape.output = chip::TreeOutput(root ? 1 : variant / 4);
          shape.resetOnBap = !root && variant % 2;
          shape.scaledOutput = root || (variant / 2) % 2 == 0;
          const chip::Program program = chip::lifTreeProgram(f, shape);
          const auto found = golden::detail::lifTreeShape(program, f);
          ASSERT_TRUE(found.has_value()) << program.name;
          EXPECT_EQ(chip::lifTreeProgram(f, *found), program) << program.name;
          ++shapes;
          chip::Program changed = program;
          changed.code.back() ^= 1; // one opcode bit
          EXPECT_FALSE(golden::detail::lifTreeShape(changed, f))
              << program.name;
          chip::NeuronFormat other = f;
          other.accumulatorBits -= 1;
          EXPECT_FALSE(golden::detail::lifTreeShape(program, other))
              << program.name << ": another format's";
        }
  EXPECT_EQ(shapes, 19u * (1 + 4 * 5));
  EXPECT_FALSE(golden::detail::lifTreeShape(
      chip::lifProgram(f, chip::LifReset::Zero), f));
  EXPECT_FALSE(golden::detail::lifTreeShape(chip::adaptiveLifProgram(f), f));
}

} // namespace
