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
      makeProjection("ee", popRef(0), 0, FixedProbConn{0.02, 5, 7, false, {}}),
      makeProjection("in", srcRef(0), 0,
                     FixedProbConn{0.1, 6, -100, true, {}})};
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
  net.projections = {makeProjection("dense", srcRef(0), 0,
                                    FixedProbConn{1.0, 1, 100, true, {}})};
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
      makeProjection("ab", popRef(0), 1, FixedProbConn{1.0, 1, 1, true, {}})};
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
      makeProjection("in", srcRef(0), 0, FixedProbConn{1.0, 1, 1, true, {}})};
  auto part = partition(net, loihi1());
  ASSERT_FALSE(part);
  EXPECT_NE(
      part.error().find("population \"exc\" needs 5120 input axons per slice"),
      std::string::npos)
      << part.error();
  EXPECT_NE(part.error().find("a core has 4096"), std::string::npos);
  EXPECT_NE(part.error().find("fan-in"), std::string::npos);
  // The population and the resource are data, not only text.
  EXPECT_EQ(part.subject().kind, ErrorSubject::Kind::Population);
  EXPECT_EQ(part.subject().name, "exc");
  EXPECT_EQ(part.subject().field, "input axons");
}

TEST(PartitionTest, MisfitNamesTheSmallestProfileChangeThatFits) {
  // Post neuron k hears 4100 + 500 k distinct sources: neuron 0 is the first
  // that does not fit, neuron 3 the one that needs most.
  Network net;
  net.sources = {makeSource("in", 6000)};
  net.populations = {makePopulation("exc", 4)};
  DenseConn dense;
  dense.weights.assign(4 * 6000, 0);
  for (uint32_t k = 0; k < 4; ++k)
    for (uint32_t i = 0; i < 4100 + 500 * k; ++i)
      dense.weights[k * 6000 + i] = 200; // 8-bit mantissas: more words
  net.projections = {makeProjection("in", srcRef(0), 0, dense)};
  chip::Profile profile = loihi1();
  auto part = partition(net, profile);
  ASSERT_FALSE(part);
  const std::string &error = part.error();
  EXPECT_NE(error.find("population \"exc\" needs 4100 input axons per "
                       "slice (neuron 0 alone); a core has 4096"),
            std::string::npos)
      << error;
  // The suggestion covers every neuron and every resource they exceed.
  const size_t at = error.find("use a profile with core.inputAxons >= 5600");
  ASSERT_NE(at, std::string::npos) << error;
  EXPECT_NE(error.find("(every neuron of \"exc\" then fits a core alone)"),
            std::string::npos)
      << error;
  // It is the smallest change: with it the population fits, with one less
  // of any field it names it does not.
  std::map<std::string, unsigned chip::CoreLimits::*> fields = {
      {"core.inputAxons", &chip::CoreLimits::inputAxons},
      {"core.synapseWords", &chip::CoreLimits::synapseWords}};
  std::map<std::string, unsigned> named;
  for (const auto &[field, member] : fields) {
    const size_t f = error.find(field + " >= ", at);
    if (f != std::string::npos)
      named[field] = unsigned(std::stoul(error.substr(f + field.size() + 4)));
  }
  ASSERT_EQ(named.count("core.inputAxons"), 1u);
  for (const auto &[field, value] : named)
    profile.core.*fields[field] = value;
  ASSERT_TRUE(partition(net, profile)) << "with the suggested profile";
  for (const auto &[field, value] : named) {
    chip::Profile less = profile;
    less.core.*fields[field] = value - 1;
    EXPECT_FALSE(partition(net, less)) << field << " = " << value - 1;
  }
}

TEST(PartitionTest, CapacityIsCheckedBeforeAnyNeuron) {
  Network net;
  net.name = "huge";
  net.populations = {makePopulation("p", 200 * 1024)};
  auto part = partition(net, loihi1());
  ASSERT_FALSE(part);
  EXPECT_NE(part.error().find("population \"p\" has 204800 neurons; the chip "
                              "(profile loihi1) has 131072 compartments "
                              "(128 cores x 1024)"),
            std::string::npos)
      << part.error();
  EXPECT_EQ(part.subject().kind, ErrorSubject::Kind::Population);
  EXPECT_EQ(part.subject().name, "p");
  // Together too many, each alone fitting: the network is named.
  net.populations = {makePopulation("a", 100 * 1024),
                     makePopulation("b", 100 * 1024)};
  part = partition(net, loihi1());
  ASSERT_FALSE(part);
  EXPECT_NE(part.error().find("network \"huge\" has 204800 neurons in 2 "
                              "populations"),
            std::string::npos)
      << part.error();
  EXPECT_FALSE(part.subject());
}

TEST(PartitionTest, TooManyCoresNamesBothNumbers) {
  Network net;
  net.name = "many";
  for (int i = 0; i < 129; ++i)
    net.populations.push_back(makePopulation("p" + std::to_string(i), 8));
  PartitionOptions options;
  options.packSlices = false; // one core per slice: 129 cores
  auto part = partition(net, loihi1(), options);
  ASSERT_FALSE(part);
  EXPECT_NE(
      part.error().find("needs 129 cores; the chip (profile loihi1) has 128"),
      std::string::npos)
      << part.error();
}

TEST(PartitionTest, RejectsValuesTheProfileCannotHold) {
  Network net;
  net.populations = {makePopulation("a", 4), makePopulation("b", 4)};
  net.projections = {
      makeProjection("ab", popRef(0), 1, FixedProbConn{1.0, 1, 300, true, {}})};
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

namespace {

/// A random recurrent network of two populations and a source, on cores
/// small enough that it needs a few dozen.
Network randomNetwork(uint64_t seed) {
  Network net;
  net.name = "random";
  const uint32_t a = 200 + uint32_t(seed * 37 % 150);
  const uint32_t b = 100 + uint32_t(seed * 53 % 120);
  net.populations = {makePopulation("a", a), makePopulation("b", b)};
  net.sources = {makeSource("in", 50)};
  const double p = 0.02 + 0.01 * double(seed % 5);
  net.projections = {
      makeProjection("aa", popRef(0), 0, FixedProbConn{p, seed, 9, false, {}}),
      makeProjection("ab", popRef(0), 1,
                     FixedProbConn{p, seed + 1, 50, true, {}}),
      makeProjection("ba", popRef(1), 0,
                     FixedProbConn{p, seed + 2, -70, true, {}}),
      makeProjection("ina", srcRef(0), 0,
                     FixedProbConn{0.1, seed + 3, 30, true, {}})};
  net.projections[2].delay = 2;
  return net;
}

std::vector<SliceAssignment> assignmentsOf(const Partitioning &part) {
  std::vector<SliceAssignment> given;
  for (const SliceInfo &s : part.slices)
    given.push_back({s.population, s.firstNeuron, s.count, s.core});
  return given;
}

void expectSameUse(const CoreResources &a, const CoreResources &b) {
  EXPECT_EQ(a.compartments, b.compartments);
  EXPECT_EQ(a.inputAxons, b.inputAxons);
  EXPECT_EQ(a.outputAxons, b.outputAxons);
  EXPECT_EQ(a.synapseWords, b.synapseWords);
  EXPECT_EQ(a.synapses, b.synapses);
}

void expectSamePartitioning(const Partitioning &again,
                            const Partitioning &part) {
  ASSERT_EQ(again.slices.size(), part.slices.size());
  for (size_t i = 0; i < part.slices.size(); ++i) {
    EXPECT_EQ(again.slices[i].population, part.slices[i].population);
    EXPECT_EQ(again.slices[i].firstNeuron, part.slices[i].firstNeuron);
    EXPECT_EQ(again.slices[i].count, part.slices[i].count);
    EXPECT_EQ(again.slices[i].core, part.slices[i].core);
    EXPECT_EQ(again.slices[i].firstCompartment,
              part.slices[i].firstCompartment);
    expectSameUse(again.slices[i].use, part.slices[i].use);
  }
  EXPECT_EQ(again.coreSlices, part.coreSlices);
  for (uint32_t c = 0; c < part.coreCount(); ++c)
    expectSameUse(again.coreUse[c], part.coreUse[c]);
  ASSERT_EQ(again.axonGroups.size(), part.axonGroups.size());
  for (size_t i = 0; i < part.axonGroups.size(); ++i) {
    const AxonGroup &x = again.axonGroups[i], &y = part.axonGroups[i];
    EXPECT_EQ(x.slice, y.slice);
    EXPECT_EQ(x.projection, y.projection);
    EXPECT_EQ(x.firstInputAxon, y.firstInputAxon);
    EXPECT_EQ(x.pre, y.pre);
  }
  ASSERT_EQ(again.traffic.size(), part.traffic.size());
  for (size_t i = 0; i < part.traffic.size(); ++i) {
    EXPECT_EQ(again.traffic[i].from, part.traffic[i].from);
    EXPECT_EQ(again.traffic[i].to, part.traffic[i].to);
    EXPECT_EQ(again.traffic[i].axons, part.traffic[i].axons);
  }
  EXPECT_EQ(again.lowerBound, part.lowerBound);
}

} // namespace

TEST(PartitionTest, GivenSlicesReproduceThePartitioning) {
  const chip::Profile profile = smallCores(32, 256, 256, 1500);
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const Network net = randomNetwork(seed);
    auto part = partitionOk(net, profile);
    ASSERT_TRUE(part);
    ASSERT_GT(part->coreCount(), 10u);
    auto again = partitionGiven(net, profile, assignmentsOf(*part));
    ASSERT_TRUE(again) << again.error();
    expectSamePartitioning(*again, *part);
  }
}

TEST(PartitionTest, ThreadsGiveTheSamePartitioning) {
  // Populations of several collect blocks (2,048 neurons), so that blocks
  // are drawn ahead on the second thread, and runs of given slices.
  const chip::Profile profile = smallCores(200, 8192, 8192, 16384);
  Network net;
  net.name = "threads";
  net.populations = {makePopulation("a", 5000), makePopulation("b", 2100)};
  net.sources = {makeSource("in", 300)};
  net.projections = {
      makeProjection("aa", popRef(0), 0, FixedProbConn{0.004, 7, 9, false, {}}),
      makeProjection("ab", popRef(0), 1, FixedProbConn{0.005, 8, 50, true, {}}),
      makeProjection("ba", popRef(1), 0, FixedProbConn{0.01, 9, -70, true, {}}),
      makeProjection("ina", srcRef(0), 0,
                     FixedProbConn{0.05, 10, 30, true, {}})};
  net.projections[2].delay = 3;
  PartitionOptions one;
  auto reference = partitionOk(net, profile, one);
  ASSERT_TRUE(reference);
  ASSERT_GT(reference->coreCount(), 20u);
  checkAccounting(net, *reference, profile);
  for (unsigned threads : {2u, 4u}) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    PartitionOptions o;
    o.threads = threads;
    auto part = partitionOk(net, profile, o);
    ASSERT_TRUE(part);
    expectSamePartitioning(*part, *reference);
    auto given = partitionGiven(net, profile, assignmentsOf(*reference), o);
    ASSERT_TRUE(given) << given.error();
    expectSamePartitioning(*given, *reference);
  }
  // A weight the profile cannot hold at neuron 4,500 of "a" (in the third
  // block, drawn ahead): the same error as on one thread.
  net.projections.push_back(makeProjection(
      "wide", popRef(1), 0, SparseConn{{7, 9}, {4500, 4600}, {3, 300}, {}}));
  const auto errorWith = [&](unsigned threads) {
    PartitionOptions o;
    o.threads = threads;
    auto r = partition(net, profile, o);
    return r ? std::string("no error") : r.error();
  };
  const std::string error = errorWith(1);
  EXPECT_NE(error.find("mantissa 300"), std::string::npos) << error;
  EXPECT_EQ(errorWith(2), error);
}

TEST(PartitionTest, TrafficKeepsTheHeaviestSourcesOfEachCore) {
  const chip::Profile profile = smallCores(32, 256, 256, 1500);
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const Network net = randomNetwork(seed);
    PartitionOptions all, few;
    all.maxTrafficSources = UINT32_MAX;
    few.maxTrafficSources = 3;
    auto full = partitionOk(net, profile, all);
    auto kept = partitionOk(net, profile, few);
    ASSERT_TRUE(full && kept);
    EXPECT_EQ(full->omittedTraffic, 0u);
    // Per destination: the full table's sources by (axons desc, index).
    std::vector<std::vector<std::pair<uint64_t, uint32_t>>> byDest(
        full->coreCount());
    uint64_t total = 0, sum = 0;
    for (const CoreTraffic &t : full->traffic) {
      byDest[t.to].push_back({t.axons, t.from});
      total += t.axons;
    }
    std::vector<std::vector<std::pair<uint64_t, uint32_t>>> keptByDest(
        full->coreCount());
    for (size_t i = 0; i < kept->traffic.size(); ++i) {
      const CoreTraffic &t = kept->traffic[i];
      keptByDest[t.to].push_back({t.axons, t.from});
      sum += t.axons;
      if (i > 0) { // sorted by (from, to)
        EXPECT_LT(
            std::make_pair(kept->traffic[i - 1].from, kept->traffic[i - 1].to),
            std::make_pair(t.from, t.to));
      }
    }
    EXPECT_EQ(sum + kept->omittedTraffic, total);
    bool truncated = false;
    for (uint32_t d = 0; d < full->coreCount(); ++d) {
      auto &want = byDest[d];
      std::sort(want.begin(), want.end(), [](auto x, auto y) {
        return x.first != y.first ? x.first > y.first : x.second < y.second;
      });
      truncated |= want.size() > 3;
      want.resize(std::min<size_t>(want.size(), 3));
      auto &got = keptByDest[d];
      std::sort(got.begin(), got.end(), [](auto x, auto y) {
        return x.first != y.first ? x.first > y.first : x.second < y.second;
      });
      EXPECT_EQ(got, want) << "destination core " << d;
    }
    EXPECT_TRUE(truncated) << "the test network should exceed 3 sources";
  }
}

TEST(PartitionTest, GivenSlicesThatDoNotFitNameTheCoreAndResource) {
  Network net;
  net.name = "n";
  net.populations = {makePopulation("exc", 100)};
  const chip::Profile profile = smallCores(64, 256, 256, 1500);
  auto r = partitionGiven(net, profile, {{0, 0, 100, 0}});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("core 0 (population \"exc\" from neuron 0) needs "
                           "100 compartments; a core has 64"),
            std::string::npos)
      << r.error();
  auto two = partitionGiven(net, profile, {{0, 0, 50, 0}, {0, 50, 50, 0}});
  ASSERT_FALSE(two);
  EXPECT_NE(two.error().find("needs 100 compartments"), std::string::npos);
  auto ok = partitionGiven(net, profile, {{0, 0, 50, 0}, {0, 50, 50, 1}});
  ASSERT_TRUE(ok) << ok.error();
  EXPECT_EQ(ok->coreCount(), 2u);
  EXPECT_EQ(ok->slices[1].firstCompartment, 0u);
}

TEST(PartitionTest, GivenSlicesMustCoverPopulationsAndNumberCores) {
  Network net;
  net.name = "n";
  net.populations = {makePopulation("exc", 10)};
  const chip::Profile profile = loihi1();
  auto gap = partitionGiven(net, profile, {{0, 0, 4, 0}, {0, 5, 5, 0}});
  ASSERT_FALSE(gap);
  EXPECT_NE(gap.error().find("population \"exc\": slice [5, 10) does not "
                             "continue the slices before it at neuron 4"),
            std::string::npos)
      << gap.error();
  auto shortBy = partitionGiven(net, profile, {{0, 0, 4, 0}});
  ASSERT_FALSE(shortBy);
  EXPECT_NE(shortBy.error().find("slices cover 4 of its 10 neurons"),
            std::string::npos);
  auto hole = partitionGiven(net, profile, {{0, 0, 4, 0}, {0, 4, 6, 2}});
  ASSERT_FALSE(hole);
  EXPECT_NE(hole.error().find("core 1 holds no slice"), std::string::npos);
  std::vector<SliceAssignment> out;
  EXPECT_FALSE(appendSlices(0, {0, 4, 4}, {0, 1}, out));
  EXPECT_FALSE(appendSlices(0, {0, 4}, {0, 1}, out));
  ASSERT_TRUE(appendSlices(0, {0, 4, 10}, {1, 0}, out));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].firstNeuron, 4u);
  EXPECT_EQ(out[1].count, 6u);
  EXPECT_EQ(out[1].core, 0u);
}
