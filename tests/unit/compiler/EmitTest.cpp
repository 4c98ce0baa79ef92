//===- EmitTest.cpp - Image emission and the fit report ------------------===//
//
// A network with every connectivity rule, sources and delays is partitioned
// onto small cores, placed and emitted. The image is read back (which
// validates it) and every synapse is recovered by unpacking: following each
// compartment's and source channel's output axons to the input axons they
// feed must give each synapse of the network exactly once, with its weight
// and delay.
//
//===----------------------------------------------------------------------===//
#include "cajal/Mapping/Emit.h"
#include "cajal/Mapping/Connectivity.h"

#include "TestUtil.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

using namespace cajal;
using namespace cajal::mapping;
using namespace cajal::mapping::test;

namespace {

/// (pre kind, pre node, pre neuron, post population, post neuron,
///  mantissa, exponent, delay)
using Key = std::tuple<int, uint32_t, uint32_t, uint32_t, uint32_t, int32_t,
                       int, uint32_t>;

Network mixedNetwork(uint64_t seed) {
  std::mt19937_64 rng(seed);
  Network net;
  net.name = "mixed";
  net.sources = {makeSource("stim", 64)};
  net.populations = {makePopulation("exc", 400), makePopulation("inh", 100),
                     makePopulation("conv", 2 * 6 * 6),
                     makePopulation("out", 100)};
  // Per-neuron parameters on one population.
  net.populations[3].params.resize(100);
  for (uint32_t i = 0; i < 100; ++i)
    net.populations[3].params[i].thresholdMantissa = 10 + i;
  net.projections.push_back(makeProjection(
      "stim_exc", srcRef(0), 0, FixedProbConn{0.2, seed, 50, true, {}}));
  net.projections.push_back(makeProjection(
      "ee", popRef(0), 0, FixedProbConn{0.05, seed + 1, 3, false, {}}));
  net.projections.back().delay = 5;
  net.projections.back().weightExponent = 2;
  DenseConn dense;
  for (uint32_t k = 0; k < 100 * 400; ++k)
    dense.weights.push_back(rng() % 10 == 0 ? int32_t(rng() % 255) - 127 : 0);
  net.projections.push_back(makeProjection("ei", popRef(0), 1, dense));
  SparseConn sparse;
  for (uint32_t k = 0; k < 300; ++k) {
    sparse.pre.push_back(uint32_t(rng() % 100));
    sparse.post.push_back(uint32_t(rng() % 400));
    sparse.weights.push_back(-int32_t(1 + rng() % 200));
    sparse.delays.push_back(uint32_t(1 + rng() % 8));
  }
  net.projections.push_back(makeProjection("ie", popRef(1), 0, sparse));
  Conv2dConn conv;
  conv.inC = 1, conv.inH = 8, conv.inW = 8, conv.outC = 2, conv.outH = 6,
  conv.outW = 6, conv.kH = 3, conv.kW = 3;
  for (int k = 0; k < 18; ++k)
    conv.kernel.push_back(int32_t(rng() % 9) - 4);
  net.projections.push_back(makeProjection("conv", srcRef(0), 2, conv));
  OneToOneConn one;
  one.weight.values = {7};
  net.projections.push_back(makeProjection("copy", popRef(1), 3, one));
  return net;
}

std::vector<Key> expectedSynapses(const Network &net) {
  std::vector<Key> keys;
  for (uint32_t p = 0; p < net.projections.size(); ++p) {
    auto gen = SynapseGenerator::create(net, p);
    EXPECT_TRUE(gen) << gen.error();
    const Projection &pr = net.projections[p];
    gen->forEach({0, gen->preSize()}, {0, gen->postSize()},
                 [&](const SynapseRecord &s) {
                   keys.emplace_back(int(pr.pre.kind), pr.pre.index, s.pre,
                                     pr.post, s.post, s.mantissa,
                                     int(pr.weightExponent), s.delay);
                 });
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

/// Unpack the image: follow every axon to its synapses.
std::vector<Key> recoveredSynapses(const chip::Image &image,
                                   const chip::Profile &profile) {
  // (core, compartment) -> (population, neuron)
  std::map<std::pair<uint32_t, uint32_t>, std::pair<uint32_t, uint32_t>> where;
  for (uint32_t p = 0; p < image.populations.size(); ++p)
    for (const chip::Slice &s : image.populations[p].slices)
      for (uint32_t k = 0; k < s.count; ++k)
        where[{s.core, s.firstCompartment + k}] = {p, s.firstNeuron + k};
  std::vector<Key> keys;
  std::map<std::pair<uint32_t, uint32_t>, int> axonUses;
  auto follow = [&](int kind, uint32_t node, uint32_t neuron,
                    const chip::AxonTarget &t) {
    ++axonUses[{t.core, t.inputAxon}];
    const chip::Core &core = image.cores[t.core];
    const chip::InputAxon &axon = core.inputAxons[t.inputAxon];
    for (uint32_t i = 0; i < axon.synapseCount; ++i) {
      const chip::Synapse s =
          chip::unpackSynapse(core.synapseWords, axon, i, profile.synapse);
      const auto post = where.at({t.core, s.compartment});
      keys.emplace_back(kind, node, neuron, post.first, post.second, s.mantissa,
                        int(axon.weightExponent), s.delay);
    }
  };
  for (uint32_t c = 0; c < image.cores.size(); ++c) {
    const chip::Core &core = image.cores[c];
    for (uint32_t k = 0; k < core.compartments.size(); ++k) {
      const auto pre = where.at({c, k});
      for (uint32_t o = core.outputBegin[k]; o < core.outputBegin[k + 1]; ++o)
        follow(int(NodeRef::PopulationNode), pre.first, pre.second,
               core.outputAxons[o]);
    }
  }
  for (uint32_t s = 0; s < image.sources.size(); ++s) {
    const chip::Source &src = image.sources[s];
    for (uint32_t i = 0; i < src.size; ++i)
      for (uint32_t k = src.targetBegin[i]; k < src.targetBegin[i + 1]; ++k)
        follow(int(NodeRef::SourceNode), s, i, src.targets[k]);
  }
  size_t axons = 0;
  for (const chip::Core &core : image.cores)
    axons += core.inputAxons.size();
  EXPECT_EQ(axonUses.size(), axons) << "an input axon is never targeted";
  for (const auto &[axon, uses] : axonUses)
    EXPECT_EQ(uses, 1) << "core " << axon.first << " axon " << axon.second;
  std::sort(keys.begin(), keys.end());
  return keys;
}

std::string tempPath(const std::string &name) {
  return ::testing::TempDir() + "/" + name;
}

std::string slurp(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

struct Mapped {
  Partitioning part;
  Placement placement;
};

Mapped mapNetwork(const Network &net, const chip::Profile &profile) {
  auto part = partition(net, profile);
  EXPECT_TRUE(part) << part.error();
  auto placement = place(*part, profile);
  EXPECT_TRUE(placement) << placement.error();
  return {*part, *placement};
}

TEST(EmitTest, EverySynapseAppearsExactlyOnce) {
  const chip::Profile profile = smallCores(128, 512, 512, 2048);
  for (uint64_t seed : {1ull, 9ull}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const Network net = mixedNetwork(seed);
    const Mapped m = mapNetwork(net, profile);
    ASSERT_GT(m.part.coreCount(), 4u);
    const std::string path = tempPath("mixed-" + std::to_string(seed) + ".img");
    Status st = emitImage(net, m.part, m.placement, profile, path);
    ASSERT_TRUE(st) << st.error();
    auto image = chip::readImage(path, profile);
    ASSERT_TRUE(image) << image.error();
    ASSERT_TRUE(chip::validate(*image, profile));
    EXPECT_EQ(recoveredSynapses(*image, profile), expectedSynapses(net));
    // The image holds what the partitioner accounted for, core by core.
    ASSERT_EQ(image->cores.size(), m.part.coreCount());
    for (uint32_t c = 0; c < image->cores.size(); ++c) {
      const chip::Core &core = image->cores[c];
      const CoreResources &u = m.part.coreUse[c];
      EXPECT_EQ(core.compartments.size(), u.compartments);
      EXPECT_EQ(core.inputAxons.size(), u.inputAxons);
      EXPECT_EQ(core.outputAxons.size(), u.outputAxons);
      EXPECT_EQ(core.synapseWords.size(), u.synapseWords);
      uint64_t synapses = 0;
      for (const chip::InputAxon &a : core.inputAxons)
        synapses += a.synapseCount;
      EXPECT_EQ(synapses, u.synapses);
      EXPECT_EQ(core.x, m.placement.cores[c].x);
      EXPECT_EQ(core.tileSlot, m.placement.cores[c].slot);
    }
    // Per-neuron parameters land on the right compartments.
    for (const chip::Slice &s : image->populations[3].slices)
      for (uint32_t k = 0; k < s.count; ++k)
        EXPECT_EQ(image->cores[s.core]
                      .compartments[s.firstCompartment + k]
                      .thresholdMantissa,
                  10 + s.firstNeuron + k);
    std::remove(path.c_str());
  }
}

TEST(EmitTest, InMemoryImageEqualsFileAndBytesAreDeterministic) {
  const chip::Profile profile = smallCores(128, 512, 512, 2048);
  const Network net = mixedNetwork(3);
  const Mapped m = mapNetwork(net, profile);
  auto built = buildImage(net, m.part, m.placement, profile);
  ASSERT_TRUE(built) << built.error();
  ASSERT_TRUE(chip::validate(*built, profile));
  const std::string a = tempPath("det-a.img"), b = tempPath("det-b.img");
  ASSERT_TRUE(emitImage(net, m.part, m.placement, profile, a));
  const Mapped again = mapNetwork(net, profile);
  ASSERT_TRUE(emitImage(net, again.part, again.placement, profile, b));
  const std::string bytes = slurp(a);
  EXPECT_FALSE(bytes.empty());
  EXPECT_EQ(bytes, slurp(b));
  auto read = chip::readImage(a, profile);
  ASSERT_TRUE(read);
  ASSERT_EQ(read->cores.size(), built->cores.size());
  for (size_t c = 0; c < built->cores.size(); ++c) {
    EXPECT_EQ(read->cores[c].synapseWords, built->cores[c].synapseWords);
    EXPECT_EQ(read->cores[c].inputAxons, built->cores[c].inputAxons);
    EXPECT_EQ(read->cores[c].outputAxons, built->cores[c].outputAxons);
  }
  std::remove(a.c_str());
  std::remove(b.c_str());
}

TEST(EmitTest, ThreadsWriteTheSameBytesAndTheFirstError) {
  const chip::Profile profile = smallCores(16, 512, 512, 2048);
  const Network net = mixedNetwork(5);
  Mapped m = mapNetwork(net, profile);
  ASSERT_GT(m.part.coreCount(), 40u); // more than one batch of 2 x 8 cores
  const std::string one = tempPath("threads-1.img");
  ASSERT_TRUE(emitImage(net, m.part, m.placement, profile, one, 1));
  const std::string bytes = slurp(one);
  for (unsigned threads : {2u, 3u, 4u}) {
    const std::string path = tempPath("threads-n.img");
    ASSERT_TRUE(emitImage(net, m.part, m.placement, profile, path, threads));
    EXPECT_EQ(slurp(path), bytes) << threads << " threads";
    std::remove(path.c_str());
  }
  std::remove(one.c_str());
  // A stale partitioning on two cores: whatever the threads, the error is
  // the first core's, and no file is left.
  const auto dropFirstPre = [&](uint32_t core) {
    for (AxonGroup &g : m.part.axonGroups)
      if (m.part.slices[g.slice].core == core && g.pre.size() > 1) {
        g.pre.erase(g.pre.begin());
        return true;
      }
    return false;
  };
  ASSERT_TRUE(dropFirstPre(m.part.coreCount() - 3));
  ASSERT_TRUE(dropFirstPre(m.part.coreCount() - 9));
  std::string first;
  for (unsigned threads : {1u, 2u, 4u}) {
    const std::string path = tempPath("stale.img");
    std::remove(path.c_str());
    Status st = emitImage(net, m.part, m.placement, profile, path, threads);
    ASSERT_FALSE(st);
    EXPECT_NE(st.error().find("partitioning is stale"), std::string::npos)
        << st.error();
    if (first.empty())
      first = st.error();
    EXPECT_EQ(st.error(), first) << threads << " threads";
    EXPECT_FALSE(std::ifstream(path).good());
  }
}

TEST(EmitTest, FailedEmissionLeavesNoFile) {
  const chip::Profile profile = smallCores(128, 512, 512, 2048);
  const Network net = mixedNetwork(4);
  Mapped m = mapNetwork(net, profile);
  m.placement.cores.pop_back(); // inconsistent with the partitioning
  const std::string path = tempPath("bad.img");
  std::remove(path.c_str());
  Status st = emitImage(net, m.part, m.placement, profile, path);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().find("placement has"), std::string::npos) << st.error();
  EXPECT_FALSE(std::ifstream(path).good());
}

TEST(EmitTest, FitReportListsEveryCoreAgainstItsLimits) {
  const chip::Profile profile = smallCores(128, 512, 512, 2048);
  const Network net = mixedNetwork(2);
  const Mapped m = mapNetwork(net, profile);
  const auto report =
      nlohmann::json::parse(fitReport(net, m.part, profile, &m.placement));
  EXPECT_EQ(report["profile"], "loihi1-small");
  EXPECT_EQ(report["coresUsed"], m.part.coreCount());
  EXPECT_EQ(report["coresAvailable"], profile.mesh.totalCores());
  ASSERT_EQ(report["cores"].size(), m.part.coreCount());
  uint64_t compartments = 0;
  for (const auto &core : report["cores"]) {
    const auto &r = core["resources"];
    for (const char *k :
         {"compartments", "inputAxons", "outputAxons", "synapseWords"})
      EXPECT_LE(r[k]["used"].get<uint64_t>(), r[k]["limit"].get<uint64_t>());
    EXPECT_EQ(r["compartments"]["limit"], 128);
    compartments += r["compartments"]["used"].get<uint64_t>();
    EXPECT_TRUE(core.contains("x"));
  }
  EXPECT_EQ(compartments, 400u + 100u + 72u + 100u);
  EXPECT_EQ(report["totals"]["compartments"]["used"], compartments);
  EXPECT_EQ(report["populations"].size(), 4u);
}

TEST(EmitTest, TruncatedTrafficChangesNoSynapse) {
  // Traffic only guides placement: with one source per core kept, the same
  // placement gives the same image bytes, and the report counts the rest.
  const chip::Profile profile = smallCores(128, 512, 512, 2048);
  const Network net = mixedNetwork(3);
  PartitionOptions few;
  few.maxTrafficSources = 1;
  auto full = partition(net, profile);
  auto kept = partition(net, profile, few);
  ASSERT_TRUE(full && kept);
  ASSERT_GT(kept->omittedTraffic, 0u);
  EXPECT_LT(kept->traffic.size(), full->traffic.size());
  auto placement = place(*kept, profile);
  ASSERT_TRUE(placement) << placement.error();
  auto a = buildImage(net, *full, *placement, profile);
  auto b = buildImage(net, *kept, *placement, profile);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(recoveredSynapses(*b, profile), expectedSynapses(net));
  const std::string pa = tempPath("full.img"), pb = tempPath("kept.img");
  ASSERT_TRUE(emitImage(net, *full, *placement, profile, pa));
  ASSERT_TRUE(emitImage(net, *kept, *placement, profile, pb));
  EXPECT_EQ(slurp(pa), slurp(pb));
  const auto report =
      nlohmann::json::parse(fitReport(net, *kept, profile, &*placement));
  EXPECT_EQ(report["trafficOmittedAxons"], kept->omittedTraffic);
  EXPECT_FALSE(nlohmann::json::parse(fitReport(net, *full, profile))
                   .contains("trafficOmittedAxons"));
  std::remove(pa.c_str());
  std::remove(pb.c_str());
}

} // namespace
