//===- ReferenceTreeTest.cpp - Dendritic trees in an image, run -----------===//
//
// A population of three-compartment neurons (two window dendrites joined by
// XOR at the soma, docs/neurocore-isa.md "Dendritic trees") in a chip image:
// written and read back, then run by the reference engine with input spikes
// into the dendrites. The spikes follow by hand (XOR of the two inputs, one
// step later), only somas spike, the dendrites count the back-propagated
// spike one step after the soma's, and every neuron's words equal
// chip::updateTree run on the same inputs; the golden model gives the same
// spikes, states and counters; and each tree refusal of the loader has its
// own error. Chains of the compiler's compartments (lifTreeProgram) on two
// cores, fed through synapses, run fused in the golden model (laid out
// position by position, TreeKernels.h) where the build fuses trees, and
// still equal the reference engine at every step.
//
//===----------------------------------------------------------------------===//
#include "ReferenceTestUtil.h"

#include "cajal/Chip/CompartmentPrograms.h"
#include "cajal/Chip/DendriticTree.h"
#include "cajal/Chip/ImageJson.h"
#include "cajal/Chip/StandardPrograms.h"
#include "cajal/Golden/GoldenModel.h"
#include "cajal/Golden/ProgramUpdate.h"
#include "cajal/ImageGen/ImageBuilder.h"
#include "cajal/ImageGen/RandomProgram.h"
#include "cajal/Reference/ReferenceEngine.h"
#include "cajal/TestSupport/Files.h"
#include "cajal/TestSupport/Profiles.h"
#include "cajal/TestSupport/Programs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <sstream>

using namespace cajal;
using namespace cajal::chip::isa;
using reference::ReferenceEngine;

namespace {

const chip::Profile &treeProfile() { return test::loihi2WithTrees(); }
using test::makeProgram;

/// Active (pushes 1) in the step of its input only (decay p0 = 4096
/// clears v); counts the back-propagated spikes in s1; its own FIRE on q
/// resets s2 but is no spike of the neuron.
chip::Program dendrite() {
  const chip::StateWord word{"v", 24, true, chip::Overflow::Saturate};
  return makeProgram(
      "dendrite",
      {word, {"baps", 16, false, chip::Overflow::Wrap}, {"local", 24, true}},
      {{"decay", 13, false}, {"active", 24, true}},
      {instruction(Opcode::Decay, reg(0), state(0), param(0), none(), 12),
       instruction(Opcode::Add, state(0), reg(0), inputQ()),
       instruction(Opcode::Add, state(1), state(1), inputBap()),
       instruction(Opcode::Fire, state(2), inputQ(), param(1), none(), 0,
                   unsigned(Reset::Zero)),
       instruction(Opcode::CmpGt, reg(1), state(0), param(1)),
       instruction(Opcode::Push, none(), reg(1))});
}

/// XOR of its two children's activity: OR minus AND, spiking on 1.
chip::Program xorSoma() {
  return makeProgram("xor-soma", {{"v", 24, true, chip::Overflow::Saturate}},
                     {{"threshold", 24, true}},
                     {instruction(Opcode::Pop, reg(0)),
                      instruction(Opcode::Pop, reg(1)),
                      instruction(Opcode::Or, reg(2), reg(0), reg(1)),
                      instruction(Opcode::And, reg(3), reg(0), reg(1)),
                      instruction(Opcode::Sub, reg(2), reg(2), reg(3)),
                      instruction(Opcode::Fire, state(0), reg(2), param(0),
                                  none(), 0, unsigned(Reset::Zero))});
}

constexpr uint32_t kNeurons = 4, kPerNeuron = 3;
const std::vector<int64_t> kDendriteWords = {4096, 100}, kSomaWords = {0};

/// Input spikes per channel: channel 2n feeds neuron n's left dendrite,
/// 2n + 1 its right one (weight 100 << 6, delay 1): neuron 0 left at step
/// 2, neuron 1 both at step 2, neuron 2 right at step 5, neuron 3 none.
const std::vector<chip::SourceSpike> kInput = {{2, 0}, {2, 2}, {2, 3}, {5, 5}};

/// The population "xor" of kNeurons on core 0 (a compartment per neuron
/// left spare at the end), fed by the File source "in".
chip::Image xorImage(const std::function<void(imagegen::ImageBuilder &,
                                              uint32_t core)> &extra = {}) {
  imagegen::ImageBuilder b(treeProfile());
  const uint32_t core = b.addCore(
      std::vector<chip::CompartmentParams>(kNeurons * kPerNeuron + 1));
  chip::Source in;
  in.name = "in";
  in.kind = chip::SourceKind::File;
  in.size = 2 * kNeurons;
  in.spikes = kInput;
  const uint32_t source = b.addSource(in);
  for (uint32_t n = 0; n < kNeurons; ++n)
    for (uint32_t side = 0; side < 2; ++side) {
      const uint32_t axon =
          b.addInputAxon(core, {{n * kPerNeuron + side, 100, 1}}, 8, 0, false);
      b.addSourceTarget(source, 2 * n + side, {core, axon});
    }
  const uint32_t d = b.addProgram(dendrite()), s = b.addProgram(xorSoma());
  const chip::DendriticTree tree = {
      {"left", d, 2}, {"right", d, 2}, {"soma", s, -1}};
  b.addTreePopulation(
      "xor", {{core, 0, 0, kNeurons}}, tree,
      std::vector<std::vector<std::vector<int64_t>>>(
          kNeurons, {kDendriteWords, kDendriteWords, kSomaWords}));
  if (extra)
    extra(b, core);
  return b.build();
}

TEST(ReferenceTreeTest, AnImageOfTreesRoundTripsAndRuns) {
  const chip::Image built = xorImage();
  ASSERT_TRUE(bool(chip::validate(built, treeProfile())));
  test::TempDir dir;
  const std::string path = dir.file("xor.cjimg");
  ASSERT_TRUE(bool(chip::writeImage(built, treeProfile(), path)));
  Result<chip::Image> image = chip::readImage(path, treeProfile());
  ASSERT_TRUE(bool(image)) << image.error();
  ASSERT_EQ(image->populations.size(), 1u);
  EXPECT_EQ(image->populations[0].tree, built.populations[0].tree);
  EXPECT_EQ(image->populations[0].program,
            built.populations[0].tree[2].program);
  std::ostringstream json;
  chip::printImageJson(*image, treeProfile(), json);
  EXPECT_NE(json.str().find("\"tree\": ["), std::string::npos);
  EXPECT_NE(json.str().find("\"name\": \"soma\""), std::string::npos);

  Result<ReferenceEngine> engine =
      ReferenceEngine::create(*image, treeProfile());
  ASSERT_TRUE(bool(engine)) << engine.error();
  // The same neurons stepped by chip::updateTree, the oracle of the tree.
  const std::vector<chip::Program> programs = {dendrite(), xorSoma()};
  const chip::DendriticTree tree = image->populations[0].tree;
  std::vector<std::vector<std::vector<int32_t>>> words(kNeurons);
  std::vector<bool> lastSpiked(kNeurons, false);
  for (auto &neuron : words)
    neuron = {std::vector<int32_t>(3), std::vector<int32_t>(3),
              std::vector<int32_t>(1)};
  const std::vector<const int64_t *> params = {
      kDendriteWords.data(), kDendriteWords.data(), kSomaWords.data()};
  std::vector<reference::NeuronSpike> spikes;
  for (uint32_t t = 0; t < 10; ++t) {
    engine->step();
    engine->lastSpikes(spikes);
    std::vector<reference::NeuronSpike> expected;
    for (uint32_t n = 0; n < kNeurons; ++n) {
      chip::TreeNeuron neuron;
      neuron.params = params;
      for (uint32_t k = 0; k < kPerNeuron; ++k) {
        neuron.state.push_back(words[n][k].data());
        bool input = false;
        for (const chip::SourceSpike &s : kInput)
          input = input || (k < 2 && s.index == 2 * n + k && s.step + 1 == t);
        neuron.q.push_back(input ? 100 << 6 : 0);
      }
      neuron.rootSpikedLastStep = lastSpiked[n];
      lastSpiked[n] = chip::updateTree(tree, programs, neuron)[2].spiked;
      if (lastSpiked[n])
        expected.push_back({0, n});
      for (uint32_t k = 0; k < kPerNeuron; ++k)
        EXPECT_EQ(engine->stateWords(n * kPerNeuron + k), words[n][k])
            << "step " << t << " neuron " << n << " compartment " << k;
    }
    EXPECT_EQ(spikes, expected) << "step " << t;
    // XOR, one step after the input: neuron 0 at 3, neuron 2 at 6.
    const std::vector<reference::NeuronSpike> byHand =
        t == 3   ? std::vector<reference::NeuronSpike>{{0, 0}}
        : t == 6 ? std::vector<reference::NeuronSpike>{{0, 2}}
                 : std::vector<reference::NeuronSpike>{};
    EXPECT_EQ(spikes, byHand) << "step " << t;
    // The dendrites' own FIREs (q above 100 at steps 3 and 6) reset them
    // but are not spikes: only somas are listed.
    for (uint32_t g : engine->lastSpikingCompartments())
      EXPECT_EQ(g % kPerNeuron, kPerNeuron - 1) << "step " << t;
  }
  // Neuron 0's soma spiked at step 3: its dendrites counted it at step 4.
  EXPECT_EQ(engine->stateWords(0)[1], 1);
  EXPECT_EQ(engine->stateWords(1)[1], 1);
  EXPECT_EQ(engine->stateWords(kPerNeuron)[1], 0); // neuron 1: no spike
  // The neuron's state is its root's.
  EXPECT_EQ(engine->compartmentOf(0, 2), 2 * kPerNeuron + 2);
}

/// `steps` steps of both engines, each followed by the same spikes, states
/// and every compartment's state words; `spikes` counts the golden model's.
void runInLockstep(golden::GoldenModel &model, ReferenceEngine &engine,
                   uint32_t steps, uint64_t &spikes) {
  for (uint32_t t = 0; t < steps; ++t) {
    model.step();
    engine.step();
    const std::string at = "step " + std::to_string(t);
    ASSERT_NO_FATAL_FAILURE(reftest::expectSameStep(model, engine, at));
    for (uint32_t g = 0; g < engine.compartmentCount(); ++g)
      ASSERT_EQ(model.compartmentStateWords(g), engine.stateWords(g))
          << at << ", compartment " << g;
    spikes += model.lastSpikingCompartments().size();
  }
}

TEST(ReferenceTreeTest, TheGoldenModelRunsTheTreesAsTheReference) {
  const chip::Image image = xorImage();
  Result<golden::GoldenModel> model =
      golden::GoldenModel::create(image, treeProfile());
  ASSERT_TRUE(bool(model)) << model.error();
  Result<ReferenceEngine> engine =
      ReferenceEngine::create(image, treeProfile());
  ASSERT_TRUE(bool(engine)) << engine.error();
  uint64_t spikes = 0;
  ASSERT_NO_FATAL_FAILURE(runInLockstep(*model, *engine, 10, spikes));
  EXPECT_EQ(spikes, 2u); // neuron 0 at step 3, neuron 2 at step 6
  reftest::expectSameCounters(*model, *engine, "the XOR image");
  // Without a tree stack (isa.stackDepth 0) the loader refuses the trees,
  // naming the population. (The RTL neurocore runs them on a build with a stack
  // and refuses a tree deeper than its stack: tests/unit/rtl/
  // RtlTreeTest.cpp.)
  chip::Profile noStack = treeProfile();
  noStack.isa.stackDepth = 0;
  const auto refused = chip::resolvePrograms(image, noStack);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().find("population \"xor\""), std::string::npos)
      << refused.error();
  EXPECT_NE(refused.error().find("isa.stackDepth"), std::string::npos)
      << refused.error();
}

/// Chains of three lifTreeProgram compartments (a leaf dendrite, a dendrite
/// reset by the soma's spike, a soma joining by ADD), 40 neurons on each
/// of two cores, every compartment reached by synapses of a 16-channel
/// source with random spikes.
chip::Image compiledChainsImage() {
  imagegen::ImageBuilder b(treeProfile());
  const chip::NeuronFormat &f = treeProfile().neuron;
  constexpr uint32_t kPerCore = 40, kWidth = 3, kChannels = 16;
  imagegen::Rng rng(11);
  std::vector<uint32_t> cores;
  for (uint32_t c = 0; c < 2; ++c)
    cores.push_back(
        b.addCore(std::vector<chip::CompartmentParams>(kPerCore * kWidth)));
  chip::Source in;
  in.name = "in";
  in.kind = chip::SourceKind::File;
  in.size = kChannels;
  for (uint32_t step = 0; step < 200; ++step)
    for (uint32_t ch = 0; ch < kChannels; ++ch)
      if (rng.range(0, 3) == 0)
        in.spikes.push_back({step, ch});
  const uint32_t source = b.addSource(in);
  for (uint32_t ch = 0; ch < kChannels; ++ch) {
    const uint32_t core = cores[ch % 2];
    std::vector<chip::Synapse> synapses;
    for (uint32_t k = 0; k < 12; ++k)
      synapses.push_back({uint32_t(rng.range(0, kPerCore * kWidth - 1)),
                          int32_t(rng.range(-60, 120)),
                          uint32_t(rng.range(1, 3))});
    std::sort(synapses.begin(), synapses.end(),
              [](const chip::Synapse &x, const chip::Synapse &y) {
                return x.compartment < y.compartment;
              });
    b.addSourceTarget(source, ch,
                      {core, b.addInputAxon(core, synapses, 8, 6, true)});
  }
  chip::DendriticTree tree;
  std::vector<chip::LifTreeCompartment> shapes(kWidth);
  for (uint32_t p = 0; p < kWidth; ++p) {
    chip::LifTreeCompartment &shape = shapes[p];
    shape.children = p == 0 ? 0 : 1;
    shape.join = chip::TreeJoin::Add;
    shape.root = p + 1 == kWidth;
    shape.reset = chip::LifReset::Zero;
    shape.output = chip::TreeOutput::Voltage;
    shape.scaledOutput = true;
    shape.resetOnBap = p == 1;
    tree.push_back({"c" + std::to_string(p),
                    b.addProgram(chip::lifTreeProgram(f, shape)),
                    shape.root ? -1 : int32_t(p + 1)});
  }
  // decay u (4096: no synaptic current), decay v, bias, vmin, vmax,
  // threshold, refractory period (0: none, as the compiler's `lif` without
  // t_ref), join weight, gain: per neuron, so that the neurons differ.
  std::vector<std::vector<std::vector<int64_t>>> words;
  for (uint32_t n = 0; n < 2 * kPerCore; ++n) {
    words.emplace_back();
    for (uint32_t p = 0; p < kWidth; ++p)
      words.back().push_back({4096, rng.range(200, 1200), rng.range(0, 1500),
                              -(1 << 23), (1 << 23) - 1, rng.range(8000, 30000),
                              0, 0, rng.range(3000, 40000)});
  }
  b.addTreePopulation(
      "chain", {{cores[0], 0, 0, kPerCore}, {cores[1], 0, kPerCore, kPerCore}},
      tree, words);
  return b.build();
}

TEST(ReferenceTreeTest, CompiledChainsRunFusedAsTheReference) {
  const chip::Image image = compiledChainsImage();
  Result<golden::GoldenModel> model =
      golden::GoldenModel::create(image, treeProfile());
  ASSERT_TRUE(bool(model)) << model.error();
  Result<ReferenceEngine> engine =
      ReferenceEngine::create(image, treeProfile());
  ASSERT_TRUE(bool(engine)) << engine.error();
  // The two cores' runs of like trees are one shape of two segments.
  if (golden::detail::TreeCompartments::fusesOn(model->isa())) {
    EXPECT_EQ(model->fusedTreeCompartments(), 240u);
  }
  uint64_t spikes = 0;
  ASSERT_NO_FATAL_FAILURE(runInLockstep(*model, *engine, 200, spikes));
  reftest::expectSameCounters(*model, *engine, "the chains image");
  EXPECT_GT(spikes, 200u);
  std::printf("compiled chains: %llu soma spikes, %llu compartments fused\n",
              (unsigned long long)spikes,
              (unsigned long long)model->fusedTreeCompartments());
}

struct BadTreeImage {
  const char *name;
  std::function<void(chip::Image &)> spoil;
  const char *message;
};

TEST(ReferenceTreeTest, EachTreeRefusalOfTheLoaderHasItsOwnError) {
  const std::vector<BadTreeImage> cases = {
      {"pops more than the children push",
       [](chip::Image &image) {
         image.populations[0].tree = {{"left", 0, 1}, {"soma", 1, -1}};
         image.populations[0].slices[0].count = 6;
         image.populations[0].size = 6;
       },
       "population \"xor\": compartment \"soma\" pops 2 values; its children "
       "\"left\" push 1 value"},
      {"program is not the root's",
       [](chip::Image &image) { image.populations[0].program = 0; },
       "population \"xor\": program index 0, but its tree's root \"soma\" "
       "runs program 1"},
      {"a dendrite with output axons",
       [](chip::Image &image) {
         chip::Core &core = image.cores[0];
         core.outputAxons.push_back({0, 0});
         for (size_t c = 1; c < core.outputBegin.size(); ++c)
           ++core.outputBegin[c];
       },
       "population \"xor\": core 0 compartment 0 (tree compartment \"left\") "
       "has output axons; only a tree's root sends spikes"},
      {"slices past the core",
       [](chip::Image &image) {
         image.populations[0].slices[0].firstCompartment = 2;
       },
       "compartments [2, 14) out of range (core 0 has 13 compartments)"},
      {"tree instruction in a point neuron's program",
       [](chip::Image &image) {
         chip::Population point;
         point.name = "point";
         point.size = 1;
         point.slices = {{0, 12, 0, 1}};
         point.program = 0;
         image.populations.push_back(point);
       },
       "program \"dendrite\": instruction 2: reads bap, which only a "
       "dendritic tree's compartments have"},
  };
  for (const BadTreeImage &c : cases) {
    chip::Image image = xorImage();
    c.spoil(image);
    const Status s = chip::validate(image, treeProfile());
    ASSERT_FALSE(bool(s)) << c.name << ": accepted";
    EXPECT_NE(s.error().find(c.message), std::string::npos)
        << c.name << ": got \"" << s.error() << "\"";
    test::TempDir dir;
    EXPECT_FALSE(bool(chip::writeImage(image, treeProfile(), dir.file("x"))))
        << c.name;
    EXPECT_TRUE(dir.files().empty()) << c.name << ": a file was left";
  }
}

} // namespace
