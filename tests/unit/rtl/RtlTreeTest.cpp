//===- RtlTreeTest.cpp - Dendritic trees on the RTL neurocore -------------===//
//
// Random single-core images of the rtl-trees build (loihi2's programmable
// core, small, with a tree stack of 8) whose populations are random
// programs and random dendritic trees (imagegen::RandomOptions::
// treePopulations: PUSH, POP, AND, OR and bap in every compartment's
// program) run in lockstep with the SystemC core model: state words,
// spikes (a tree's root only), spike and accept cycles and cycles per
// step. A hand-written tree checks bap's timing and that only roots spike
// by hand, and a tree whose stack is deeper than the build's is refused
// with both numbers (the core, and an image's population by name).
//
//===----------------------------------------------------------------------===//
#include "RtlTestSupport.h"
#include "cajal/Chip/DendriticTree.h"
#include "cajal/Chip/StandardPrograms.h"
#include "cajal/ImageGen/ImageBuilder.h"
#include "cajal/Rtl/Lockstep.h"
#include "cajal/Rtl/RtlCore.h"
#include "cajal/TestSupport/Profiles.h"
#include "cajal/TestSupport/Programs.h"

#include <gtest/gtest.h>

#include <cstdio>

using namespace cajal;

namespace {

Result<chip::Profile> treesProfile() {
  return chip::loadProfile(CAJAL_RTL_TREES_PROFILE);
}

/// Tree neurons (and their compartments) of core 0 of `image`, and how
/// many distinct random trees (populations with a tree) it holds.
struct TreeCount {
  uint64_t trees = 0, branched = 0, neurons = 0, compartments = 0;
};
TreeCount countTrees(const chip::Image &image) {
  TreeCount n;
  for (const chip::Population &p : image.populations) {
    if (p.tree.empty())
      continue;
    ++n.trees;
    n.branched += p.tree.size() > 1;
    n.neurons += p.size;
    n.compartments += uint64_t(p.size) * p.tree.size();
  }
  return n;
}

/// Two-compartment neurons: the dendrite FIREs on every step (a reset, not
/// a spike of the neuron) and pushes bap; the root pops it, counts it in
/// s1 and spikes when bap is 0, so a neuron spikes every other step.
chip::ResolvedPrograms bapTrees(uint32_t neurons) {
  using namespace chip::isa;
  chip::Program dendrite;
  dendrite.name = "dendrite";
  dendrite.state = {{"v", 32, true, chip::Overflow::Wrap, 0}};
  dendrite.constants = {1};
  dendrite.code = {
      encode(instruction(Opcode::Fire, state(0), constant(0), none())),
      encode(instruction(Opcode::Push, none(), inputBap()))};
  chip::Program root;
  root.name = "root";
  root.state = {{"v", 32, true, chip::Overflow::Wrap, 0},
                {"baps", 32, true, chip::Overflow::Wrap, 0}};
  root.constants = {0};
  root.code = {
      encode(instruction(Opcode::Pop, reg(0))),
      encode(instruction(Opcode::Add, state(1), state(1), reg(0))),
      encode(instruction(Opcode::CmpEq, reg(1), inputBap(), constant(0))),
      encode(instruction(Opcode::Fire, state(0), reg(1), constant(0)))};
  chip::ResolvedPrograms r;
  r.programs = {dendrite, root};
  r.lifFamily = {false, false};
  r.compartmentProgram.resize(1);
  r.treeRoot.resize(1);
  for (uint32_t n = 0; n < neurons; ++n) {
    r.compartmentProgram[0].insert(r.compartmentProgram[0].end(), {0, 1});
    r.treeRoot[0].insert(r.treeRoot[0].end(), {2 * n + 1, 2 * n + 1});
  }
  return r;
}

chip::Core plainCore(uint32_t compartments) {
  chip::Core core;
  core.compartments.resize(compartments);
  return core;
}

constexpr uint64_t kShards = 8;
constexpr uint64_t kSeedsPerShard = 350;
constexpr uint32_t kSteps = 20;

} // namespace

class RtlTreeShard : public ::testing::TestWithParam<uint64_t> {};

// 8 shards x 350 seeds x 20 steps: about 1,270 random trees per shard,
// 10,000 in all (a quarter of them of 2 to 4 compartments).
TEST_P(RtlTreeShard, RandomTreesMatchTheCoreModel) {
  auto profile = treesProfile();
  ASSERT_TRUE(profile) << profile.error();
  ASSERT_GE(profile->isa.stackDepth, 8u);
  TreeCount total;
  uint64_t spikes = 0;
  const uint64_t first = GetParam() * kSeedsPerShard + 1;
  for (uint64_t seed = first; seed < first + kSeedsPerShard; ++seed) {
    const rtltest::RandomCore rc =
        rtltest::randomProgramCore(*profile, seed, 64, /*trees=*/true);
    ASSERT_EQ(rc.error, "") << "seed " << seed;
    const TreeCount n = countTrees(rc.image);
    total.trees += n.trees;
    total.branched += n.branched;
    total.neurons += n.neurons;
    total.compartments += n.compartments;
    const chip::Core &core = rc.image.cores.at(0);
    const auto inputs =
        rtltest::randomInputs(seed, uint32_t(core.inputAxons.size()), kSteps);
    auto rep =
        rtl::runLockstep(core, core, *profile, inputs, {}, {&rc.programs, 0});
    ASSERT_TRUE(rep) << "seed " << seed << ": " << rep.error();
    ASSERT_FALSE(rep->divergence)
        << "seed " << seed << ": " << rep->divergence->message();
    EXPECT_EQ(rep->steps, kSteps);
    EXPECT_EQ(rep->rtlCycles, rep->referenceCycles) << "seed " << seed;
    spikes += rep->spikes;
  }
  std::printf(
      "shard %llu: %llu random trees (%llu of several compartments; "
      "%llu tree neurons, %llu compartments), %llu spikes\n",
      (unsigned long long)GetParam(), (unsigned long long)total.trees,
      (unsigned long long)total.branched, (unsigned long long)total.neurons,
      (unsigned long long)total.compartments, (unsigned long long)spikes);
  EXPECT_GE(total.trees, 1150u);
  EXPECT_GE(total.branched, 200u);
  EXPECT_GT(spikes, 0u);
}
INSTANTIATE_TEST_SUITE_P(Seeds, RtlTreeShard,
                         ::testing::Range<uint64_t>(0, kShards));

// The loihi1 build (fixed-function, its tree stack of 8) runs random trees
// of the compiler's compartments (imagegen::randomLifTree) in lockstep
// with the SystemC core model.
TEST(RtlLoihi1Trees, FixedFunctionTreesMatchTheCoreModel) {
  const chip::Profile &profile = test::loihi1();
  ASSERT_FALSE(profile.isa.programmable);
  TreeCount total;
  uint64_t spikes = 0;
  for (uint64_t seed = 1; seed <= 100; ++seed) {
    const rtltest::RandomCore rc =
        rtltest::randomProgramCore(profile, seed, 64, /*trees=*/true);
    ASSERT_EQ(rc.error, "") << "seed " << seed;
    const TreeCount n = countTrees(rc.image);
    total.trees += n.trees;
    total.branched += n.branched;
    const chip::Core &core = rc.image.cores.at(0);
    const auto inputs =
        rtltest::randomInputs(seed, uint32_t(core.inputAxons.size()), kSteps);
    auto rep =
        rtl::runLockstep(core, core, profile, inputs, {}, {&rc.programs, 0});
    ASSERT_TRUE(rep) << "seed " << seed << ": " << rep.error();
    ASSERT_FALSE(rep->divergence)
        << "seed " << seed << ": " << rep->divergence->message();
    EXPECT_EQ(rep->rtlCycles, rep->referenceCycles) << "seed " << seed;
    spikes += rep->spikes;
  }
  std::printf("loihi1: %llu random trees (%llu of several compartments), "
              "%llu spikes\n",
              (unsigned long long)total.trees,
              (unsigned long long)total.branched, (unsigned long long)spikes);
  EXPECT_GE(total.trees, 300u);
  EXPECT_GE(total.branched, 80u);
  EXPECT_GT(spikes, 0u);
}

TEST(RtlTrees, BapArrivesOneStepLaterAndOnlyRootsSpike) {
  auto profile = treesProfile();
  ASSERT_TRUE(profile) << profile.error();
  const chip::Core core = plainCore(6);
  const chip::ResolvedPrograms programs = bapTrees(3);
  auto rtl = rtl::RtlCore::create(core, *profile, programs, 0);
  ASSERT_TRUE(rtl) << rtl.error();
  for (uint32_t t = 0; t < 6; ++t) {
    const rtl::RtlStep step = (*rtl)->step({});
    const std::vector<uint32_t> roots =
        t % 2 == 0 ? std::vector<uint32_t>{1, 3, 5} : std::vector<uint32_t>{};
    EXPECT_EQ(step.spikes, roots) << "step " << t;
  }
  // bap at steps 1, 3 and 5; the dendrites fired (and reset) every step.
  for (uint32_t n = 0; n < 3; ++n) {
    EXPECT_EQ((*rtl)->stateWords(2 * n + 1), (std::vector<int32_t>{0, 3}));
    EXPECT_EQ((*rtl)->stateWords(2 * n), (std::vector<int32_t>{0}));
  }
  // The same in lockstep with the SystemC core model, cycles included
  // (every slot an ALU or spike slot: 2 + 4 cycles per neuron).
  auto rep = rtl::runLockstep(core, core, *profile,
                              std::vector<std::vector<uint32_t>>(6), {},
                              {&programs, 0});
  ASSERT_TRUE(rep) << rep.error();
  ASSERT_FALSE(rep->divergence) << rep->divergence->message();
  EXPECT_EQ(rep->spikes, 9u);
  EXPECT_EQ(rep->rtlCycles, 6u * 3 * (2 + 4));
}

TEST(RtlTrees, RefusesACoreWhoseTreesOutgrowTheStack) {
  using namespace chip::isa;
  auto profile = treesProfile();
  ASSERT_TRUE(profile) << profile.error();
  // Four leaves push 3 values each: the root pops 12, the build holds 8.
  chip::Program leaf;
  leaf.name = "leaf";
  leaf.state = {{"v", 32, true, chip::Overflow::Wrap, 0}};
  for (int k = 0; k < 3; ++k)
    leaf.code.push_back(encode(instruction(Opcode::Push, none(), state(0))));
  chip::Program root = leaf;
  root.name = "root";
  root.code.clear();
  for (int k = 0; k < 12; ++k)
    root.code.push_back(encode(instruction(Opcode::Pop, reg(0))));
  chip::ResolvedPrograms programs;
  programs.programs = {leaf, root};
  programs.lifFamily = {false, false};
  programs.compartmentProgram = {{0, 0, 0, 0, 1}};
  programs.treeRoot = {{4, 4, 4, 4, 4}};
  auto rtl = rtl::RtlCore::create(plainCore(5), *profile, programs, 0);
  ASSERT_FALSE(rtl);
  EXPECT_EQ(rtl.error(),
            "RTL neurocore: the core's dendritic trees stack up to 12 values; "
            "the RTL neurocore (profile 'rtl-trees') holds 8 (isa.stackDepth)");
}

// An image of trees for a profile whose build has a shallower stack than
// the profile: the population is named with both numbers. The loihi2
// build's stack is loihi2's isa.stackDepth; the profile allows 8 more, and
// the image's one neuron has a dendrite that pushes one value more than the
// build holds, which its soma pops.
TEST(RtlTrees, RefusesAnImageWhoseTreesOutgrowTheBuildsStack) {
  auto loihi2 = chip::findProfile("loihi2", chip::defaultProfileDir());
  ASSERT_TRUE(loihi2) << loihi2.error();
  uint32_t buildStack = 0;
  for (const rtl::RtlBuild &b : rtl::RtlCore::builds())
    if (b.profile == "loihi2")
      buildStack = b.stackDepth;
  EXPECT_EQ(buildStack, loihi2->isa.stackDepth);
  chip::Profile profile = *loihi2;
  profile.isa.stackDepth = buildStack + 8;
  profile.isa.maxPops = profile.isa.stackDepth;
  using namespace chip::isa;
  const unsigned deep = buildStack + 1;
  const chip::StateWord v{"v", 24, true, chip::Overflow::Saturate};
  const chip::Program leaf =
      test::makeProgram("deep-leaf", {v}, {},
                        std::vector<Instruction>(
                            deep, instruction(Opcode::Push, none(), inputQ())));
  const chip::Program root = test::makeProgram(
      "deep-root", {v}, {},
      std::vector<Instruction>(deep, instruction(Opcode::Pop, reg(0))));
  imagegen::ImageBuilder b(profile);
  const uint32_t core = b.addCore(std::vector<chip::CompartmentParams>(2));
  const chip::DendriticTree tree = {{"leaf", b.addProgram(leaf), 1},
                                    {"soma", b.addProgram(root), -1}};
  b.addTreePopulation("deep", {{core, 0, 0, 1}}, tree,
                      std::vector<std::vector<std::vector<int64_t>>>(
                          1, {std::vector<int64_t>{}, {}}));
  const chip::Image image = b.build();
  auto resolved = chip::resolvePrograms(image, profile);
  ASSERT_TRUE(resolved) << resolved.error();
  const Status s = rtl::checkRtlPrograms(image, *resolved, profile);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error(), "population \"deep\" has dendritic trees (2 "
                       "compartments per neuron) that stack up to " +
                           std::to_string(deep) +
                           " values; the RTL neurocore (profile 'loihi2') "
                           "holds " +
                           std::to_string(buildStack) + " (isa.stackDepth)");
}
