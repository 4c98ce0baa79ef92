//===- PartitionTest.cpp - Slicing and packing populations onto cores ----===//
#include "cajal/Mapping/Partition.h"
#include "cajal/Mapping/Connectivity.h"

#include "TestUtil.h"

using namespace cajal;
using namespace cajal::mapping;
using namespace cajal::mapping::test;

namespace {

Result<Partitioning> partitionOk(const Network &net, const chip::Profile &p,
                                 PartitionOptions o = {}) {
  auto r = partition(net, p, o);
  EXPECT_TRUE(r) << r.error();
  return r;
}

/// Recount every slice's resources from the connectivity and compare with
/// what the partitioner recorded; check every core fits.
void checkAccounting(const Network &net, const Partitioning &part,
                     const chip::Profile &profile) {
  std::vector<std::vector<uint32_t>> outputs(net.populations.size());
  for (size_t p = 0; p < net.populations.size(); ++p)
    outputs[p].assign(net.populations[p].size, 0);
  for (const AxonGroup &g : part.axonGroups)
    if (net.projections[g.projection].pre.kind == NodeRef::PopulationNode)
      for (uint32_t i : g.pre)
        ++outputs[net.projections[g.projection].pre.index][i];
  std::vector<CoreResources> cores(part.coreCount());
  for (const SliceInfo &s : part.slices) {
    CoreResources u;
    u.compartments = s.count;
    for (uint32_t p = 0; p < net.projections.size(); ++p) {
      if (net.projections[p].post != s.population)
        continue;
      auto gen = SynapseGenerator::create(net, p);
      ASSERT_TRUE(gen);
      for (const PreGroupStats &g :
           groupStats(*gen, {0, gen->preSize()},
                      {s.firstNeuron, s.firstNeuron + s.count})) {
        chip::InputAxon a;
        a.synapseCount = g.synapses;
        a.weightBits =
            uint8_t(std::max(1u, 32u - __builtin_clz(g.maxAbsMantissa | 1)));
        a.weightExponent = net.projections[p].weightExponent;
        a.hasDelay = g.hasDelay;
        u.inputAxons += 1;
        u.synapseWords += chip::wordsForGroup(a, profile.synapse);
      }
    }
    for (uint32_t j = 0; j < s.count; ++j)
      u.outputAxons += outputs[s.population][s.firstNeuron + j];
    EXPECT_EQ(u.compartments, s.use.compartments);
    EXPECT_EQ(u.inputAxons, s.use.inputAxons);
    EXPECT_EQ(u.outputAxons, s.use.outputAxons);
    EXPECT_EQ(u.synapseWords, s.use.synapseWords);
    cores[s.core] += u;
  }
  for (uint32_t c = 0; c < part.coreCount(); ++c) {
    EXPECT_TRUE(cores[c].fits(profile.core)) << "core " << c;
    EXPECT_EQ(cores[c].inputAxons, part.coreUse[c].inputAxons);
    EXPECT_EQ(cores[c].synapseWords, part.coreUse[c].synapseWords);
    EXPECT_EQ(cores[c].outputAxons, part.coreUse[c].outputAxons);
  }
  EXPECT_GE(part.coreCount(), part.lowerBound);
}

TEST(PartitionTest, NoSynapsesUsesLowerBound) {
  Network net;
  net.name = "n";
  net.populations = {makePopulation("big", 2500)};
  auto part = partitionOk(net, loihi1());
  ASSERT_TRUE(part);
  EXPECT_EQ(part->coreCount(), 3u);
  EXPECT_EQ(part->lowerBound, 3u);
  ASSERT_EQ(part->slices.size(), 3u);
  EXPECT_EQ(part->slices[0].count, 1024u);
  EXPECT_EQ(part->slices[1].firstNeuron, 1024u);
  EXPECT_EQ(part->slices[2].count, 452u);
}

TEST(PartitionTest, SmallPopulationsShareACore) {
  Network net;
  net.populations = {makePopulation("a", 300), makePopulation("b", 300),
                     makePopulation("c", 300)};
  auto part = partitionOk(net, loihi1());
  ASSERT_TRUE(part);
  EXPECT_EQ(part->coreCount(), 1u);
  EXPECT_EQ(part->lowerBound, 1u);
  EXPECT_EQ(part->coreUse[0].compartments, 900u);
  std::vector<uint32_t> firsts;
  for (const SliceInfo &s : part->slices)
    firsts.push_back(s.firstCompartment);
  EXPECT_EQ(firsts, (std::vector<uint32_t>{0, 300, 600}));
  PartitionOptions noPack;
  noPack.packSlices = false;
  auto apart = partitionOk(net, loihi1(), noPack);
  ASSERT_TRUE(apart);
  EXPECT_EQ(apart->coreCount(), 3u);
}

TEST(PartitionTest, MixedSizesPackToLowerBound) {
  Network net;
  // 700 + 300 | 600 + 400 | 1000: first-fit decreasing needs 3 = lower bound.
  for (uint32_t n : {300u, 700u, 400u, 1000u, 600u})
    net.populations.push_back(makePopulation("p" + std::to_string(n), n));
  auto part = partitionOk(net, loihi1());
  ASSERT_TRUE(part);
  EXPECT_EQ(part->lowerBound, 3u);
  EXPECT_EQ(part->coreCount(), 3u);
}

TEST(PartitionTest, SplitsPopulationLargerThanCore) {
  Network net;
  net.name = "rec";
  net.populations = {makePopulation("exc", 3000)};
  net.sources = {makeSource("in", 500)};
  net.projections = {
      makeProjection("ee", popRef(0), 0, FixedProbConn{0.02, 5, 7, false}),
      makeProjection("in", srcRef(0), 0, FixedProbConn{0.1, 6, -100, true})};
  net.projections[0].delay = 3;
  const chip::Profile profile = loihi1();
  auto part = partitionOk(net, profile);
  ASSERT_TRUE(part);
  EXPECT_GE(part->slices.size(), 3u);
  uint32_t covered = 0;
  for (const SliceInfo &s : part->slices) {
    EXPECT_EQ(s.firstNeuron, covered);
    covered += s.count;
  }
  EXPECT_EQ(covered, 3000u);
  checkAccounting(net, *part, profile);
  // Traffic counts the recurrent input axons (sources excluded).
  uint64_t axons = 0, recurrent = 0;
  for (const CoreTraffic &t : part->traffic)
    axons += t.axons;
  for (const AxonGroup &g : part->axonGroups)
    if (g.projection == 0)
      recurrent += g.pre.size();
  EXPECT_EQ(axons, recurrent);
  // Deterministic.
  auto again = partitionOk(net, profile);
  ASSERT_TRUE(again);
  ASSERT_EQ(again->slices.size(), part->slices.size());
  for (size_t i = 0; i < part->slices.size(); ++i)
    EXPECT_EQ(again->slices[i].core, part->slices[i].core);
}

TEST(PartitionTest, SynapseMemorySplitsSlices) {
  Network net;
  net.sources = {makeSource("in", 200)};
  net.populations = {makePopulation("p", 400)};
  net.projections = {
      makeProjection("dense", srcRef(0), 0, FixedProbConn{1.0, 1, 100, true})};
  // 200 inputs x 7-bit weights: 18 bits a synapse, 3 a word; each neuron
  // adds 200 synapses; 2000 words hold 30 neurons (10 words per axon).
  const chip::Profile profile = smallCores(1024, 4096, 4096, 2000);
  auto part = partitionOk(net, profile);
  ASSERT_TRUE(part);
  for (const SliceInfo &s : part->slices)
    EXPECT_EQ(s.count, s.firstNeuron + 30 <= 400 ? 30u : 400u % 30u);
  checkAccounting(net, *part, profile);
}

TEST(PartitionTest, OutputAxonsSplitSourcePopulation) {
  Network net;
  net.populations = {makePopulation("a", 100), makePopulation("b", 400)};
  net.projections = {
      makeProjection("ab", popRef(0), 1, FixedProbConn{1.0, 1, 1, true})};
  // b splits into 4 slices of 100; each a neuron then needs 4 output axons,
  // so a slice of a holds 64 / 4 = 16 neurons.
  const chip::Profile profile = smallCores(100, 4096, 64, 16384);
  auto part = partitionOk(net, profile);
  ASSERT_TRUE(part);
  uint32_t aSlices = 0;
  for (const SliceInfo &s : part->slices)
    if (s.population == 0) {
      ++aSlices;
      EXPECT_LE(s.count, 16u);
      EXPECT_EQ(s.use.outputAxons, 4 * s.count);
    }
  EXPECT_EQ(aSlices, 7u);
  checkAccounting(net, *part, profile);
}

TEST(PartitionTest, InputAxonMisfitNamesPopulationResourceAndNumbers) {
  Network net;
  net.sources = {makeSource("in", 5120)};
  net.populations = {makePopulation("exc", 10)};
  net.projections = {
      makeProjection("in", srcRef(0), 0, FixedProbConn{1.0, 1, 1, true})};
  auto part = partition(net, loihi1());
  ASSERT_FALSE(part);
  EXPECT_NE(
      part.error().find("population \"exc\" needs 5120 input axons per slice"),
      std::string::npos)
      << part.error();
  EXPECT_NE(part.error().find("a core has 4096"), std::string::npos);
  EXPECT_NE(part.error().find("fan-in"), std::string::npos);
}

TEST(PartitionTest, TooManyCoresNamesBothNumbers) {
  Network net;
  net.name = "huge";
  net.populations = {makePopulation("p", 200 * 1024)};
  auto part = partition(net, loihi1());
  ASSERT_FALSE(part);
  EXPECT_NE(
      part.error().find("needs 200 cores; the chip (profile loihi1) has 128"),
      std::string::npos)
      << part.error();
}

TEST(PartitionTest, RejectsValuesTheProfileCannotHold) {
  Network net;
  net.populations = {makePopulation("a", 4), makePopulation("b", 4)};
  net.projections = {
      makeProjection("ab", popRef(0), 1, FixedProbConn{1.0, 1, 300, true})};
  auto wide = partition(net, loihi1());
  ASSERT_FALSE(wide);
  EXPECT_NE(wide.error().find("mantissa 300"), std::string::npos)
      << wide.error();
  std::get<FixedProbConn>(net.projections[0].conn).weight = 3;
  net.projections[0].delay = 63;
  auto slow = partition(net, loihi1());
  ASSERT_FALSE(slow);
  EXPECT_NE(slow.error().find("delay 63"), std::string::npos) << slow.error();
  net.projections[0].delay = 1;
  net.projections[0].weightExponent = 9;
  auto exp = partition(net, loihi1());
  ASSERT_FALSE(exp);
  EXPECT_NE(exp.error().find("weight exponent 9"), std::string::npos);
}

} // namespace
