//===- ConnectivityTest.cpp - Synapse materialisation --------------------===//
#include "cajal/Mapping/Connectivity.h"

#include "TestUtil.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <tuple>

using namespace cajal;
using namespace cajal::mapping;
using namespace cajal::mapping::test;

namespace {

using Tuple = std::tuple<uint32_t, uint32_t, int32_t, uint32_t>;

std::vector<Tuple> tuples(const std::vector<SynapseRecord> &s) {
  std::vector<Tuple> t;
  for (const SynapseRecord &r : s)
    t.emplace_back(r.pre, r.post, r.mantissa, r.delay);
  std::sort(t.begin(), t.end());
  return t;
}

Network twoPops(uint32_t pre, uint32_t post, Connectivity conn) {
  Network net;
  net.name = "t";
  net.populations = {makePopulation("a", pre), makePopulation("b", post)};
  net.projections = {makeProjection("ab", popRef(0), 1, std::move(conn))};
  return net;
}

SynapseGenerator generator(const Network &net, uint32_t p = 0) {
  auto g = SynapseGenerator::create(net, p);
  EXPECT_TRUE(g) << g.error();
  return std::move(*g);
}

TEST(ConnectivityTest, FixedProbRealisedProbability) {
  for (uint64_t seed : {1ull, 42ull, 977ull}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const double p = 0.05;
    Network net = twoPops(2000, 500, FixedProbConn{p, seed, 3, true, {}});
    const SynapseGenerator g = generator(net);
    const auto all = g.materialise({0, 2000}, {0, 500});
    const double n = 2000.0 * 500.0;
    const double sd = std::sqrt(n * p * (1 - p));
    EXPECT_NEAR(double(all.size()), n * p, 5 * sd);
    // Uniform over pre: each half holds about half of the synapses.
    const size_t low = std::count_if(all.begin(), all.end(),
                                     [](auto &s) { return s.pre < 1000; });
    EXPECT_NEAR(double(low), double(all.size()) / 2,
                5 * std::sqrt(double(all.size()) / 4));
    for (const SynapseRecord &s : all) {
      ASSERT_EQ(s.mantissa, 3);
      ASSERT_EQ(s.delay, 1u);
    }
    EXPECT_EQ(g.count({0, 2000}, {0, 500}), all.size());
  }
}

TEST(ConnectivityTest, FixedProbEdgeCasesAndSelf) {
  Network full = twoPops(10, 10, FixedProbConn{1.0, 7, 1, true, {}});
  EXPECT_EQ(generator(full).count({0, 10}, {0, 10}), 100u);
  Network none = twoPops(10, 10, FixedProbConn{0.0, 7, 1, true, {}});
  EXPECT_EQ(generator(none).count({0, 10}, {0, 10}), 0u);
  Network self;
  self.populations = {makePopulation("a", 50)};
  self.projections = {
      makeProjection("aa", popRef(0), 0, FixedProbConn{1.0, 7, 1, false, {}})};
  const auto s = generator(self).materialise({0, 50}, {0, 50});
  EXPECT_EQ(s.size(), 50u * 49u);
  for (const SynapseRecord &r : s)
    ASSERT_NE(r.pre, r.post);
  Network bad = twoPops(10, 10, FixedProbConn{1.5, 7, 1, true, {}});
  auto g = SynapseGenerator::create(bad, 0);
  ASSERT_FALSE(g);
  EXPECT_NE(g.error().find("\"ab\""), std::string::npos) << g.error();
  EXPECT_NE(g.error().find("1.5"), std::string::npos) << g.error();
}

/// Projection 0 of `net` (pre x post neurons) cut into 5 x 5 random
/// slices gives the whole's synapses, each slice as many as count() says,
/// and a second generator (same seed) the same; returns the whole.
std::vector<Tuple> expectSliceIndependent(const Network &net, uint32_t pre,
                                          uint32_t post, uint64_t cutSeed) {
  std::mt19937_64 rng(cutSeed);
  const SynapseGenerator g = generator(net);
  const auto whole = tuples(g.materialise({0, pre}, {0, post}));
  auto cuts = [&](uint32_t n) {
    std::vector<uint32_t> c = {0, n};
    for (int i = 0; i < 4; ++i)
      c.push_back(uint32_t(rng() % n));
    std::sort(c.begin(), c.end());
    return c;
  };
  const auto preCuts = cuts(pre), postCuts = cuts(post);
  std::vector<SynapseRecord> pieces;
  for (size_t a = 0; a + 1 < preCuts.size(); ++a)
    for (size_t b = 0; b + 1 < postCuts.size(); ++b) {
      const IndexRange from{preCuts[a], preCuts[a + 1]},
          onto{postCuts[b], postCuts[b + 1]};
      const auto part = g.materialise(from, onto);
      EXPECT_EQ(part.size(), g.count(from, onto));
      pieces.insert(pieces.end(), part.begin(), part.end());
    }
  EXPECT_EQ(tuples(pieces), whole);
  EXPECT_EQ(tuples(generator(net).materialise({0, pre}, {0, post})), whole);
  return whole;
}

TEST(ConnectivityTest, SlicingIndependence) {
  for (uint64_t seed : {3ull, 11ull, 2024ull}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    expectSliceIndependent(
        twoPops(700, 300, FixedProbConn{0.1, seed, -2, true, {}}), 700, 300,
        seed);
  }
}

FixedNumberConn fixedNumber(FixedNumberConn::Kind kind, uint64_t count,
                            uint64_t seed, bool allowSelf = true,
                            bool allowMultapses = true) {
  FixedNumberConn n;
  n.kind = kind;
  n.count = count;
  n.seed = seed;
  n.weight = 5;
  n.allowSelf = allowSelf;
  n.allowMultapses = allowMultapses;
  return n;
}

/// One population projecting onto itself.
Network recurrent(uint32_t size, Connectivity conn) {
  Network net;
  net.name = "t";
  net.populations = {makePopulation("a", size)};
  net.projections = {makeProjection("aa", popRef(0), 0, std::move(conn))};
  return net;
}

/// Synapses per neuron, by pre (`byPre`) or by post.
std::vector<uint32_t> degrees(const std::vector<SynapseRecord> &all,
                              uint32_t size, bool byPre) {
  std::vector<uint32_t> d(size, 0);
  for (const SynapseRecord &s : all)
    ++d[byPre ? s.pre : s.post];
  return d;
}

bool hasRepeatedPair(std::vector<SynapseRecord> all) {
  std::sort(all.begin(), all.end(), [](auto &a, auto &b) {
    return std::tie(a.post, a.pre) < std::tie(b.post, b.pre);
  });
  return std::adjacent_find(all.begin(), all.end(), [](auto &a, auto &b) {
           return a.pre == b.pre && a.post == b.post;
         }) != all.end();
}

/// Chi-square statistic of `counts` against equal expectation.
double chiSquare(const std::vector<uint32_t> &counts) {
  double total = 0;
  for (uint32_t c : counts)
    total += c;
  const double expected = total / double(counts.size());
  double x = 0;
  for (uint32_t c : counts)
    x += (c - expected) * (c - expected) / expected;
  return x;
}

TEST(ConnectivityTest, FixedInDegreeGivesEveryPostExactlyK) {
  for (bool multapses : {true, false})
    for (bool self : {true, false}) {
      SCOPED_TRACE(std::string("multapses ") + (multapses ? "on" : "off") +
                   ", self " + (self ? "allowed" : "excluded"));
      Network net = recurrent(
          400, fixedNumber(FixedNumberConn::InDegree, 40, 17, self, multapses));
      const auto all = generator(net).materialise({0, 400}, {0, 400});
      ASSERT_EQ(all.size(), 400u * 40u);
      for (uint32_t d : degrees(all, 400, false))
        ASSERT_EQ(d, 40u);
      for (const SynapseRecord &s : all) {
        ASSERT_EQ(s.mantissa, 5);
        ASSERT_EQ(s.delay, 1u);
        if (!self) {
          ASSERT_NE(s.pre, s.post);
        }
      }
      if (!multapses) {
        EXPECT_FALSE(hasRepeatedPair(all));
      }
      // Pres are uniform: out-degrees over 20 bins of 20 neurons, chi-square
      // with 19 degrees of freedom below its 99.9 % point (43.8).
      std::vector<uint32_t> bins(20, 0);
      for (const SynapseRecord &s : all)
        ++bins[s.pre / 20];
      EXPECT_LT(chiSquare(bins), 43.8);
    }
}

TEST(ConnectivityTest, FixedInDegreeWithMultapsesRepeatsPairs) {
  // 30 draws among 10 pres: repeats are certain.
  Network net = twoPops(10, 50, fixedNumber(FixedNumberConn::InDegree, 30, 3));
  const auto all = generator(net).materialise({0, 10}, {0, 50});
  EXPECT_EQ(all.size(), 1500u);
  EXPECT_TRUE(hasRepeatedPair(all));
}

TEST(ConnectivityTest, FixedNumberWithoutMultapsesDrawsUniformSubsets) {
  // In-degree 2 of 5 pres, drawn for 20,000 posts: each of the 10 pairs of
  // pres is a post's set with probability 1/10 (chi-square, 9 degrees of
  // freedom, 99.9 % point 27.9).
  Network net = twoPops(
      5, 20000, fixedNumber(FixedNumberConn::InDegree, 2, 99, true, false));
  const auto all = generator(net).materialise({0, 5}, {0, 20000});
  std::vector<std::vector<uint32_t>> pres(20000);
  for (const SynapseRecord &s : all)
    pres[s.post].push_back(s.pre);
  std::map<std::pair<uint32_t, uint32_t>, uint32_t> sets;
  for (const auto &p : pres) {
    ASSERT_EQ(p.size(), 2u);
    ASSERT_LT(p[0], p[1]); // sorted, distinct
    ++sets[{p[0], p[1]}];
  }
  ASSERT_EQ(sets.size(), 10u);
  std::vector<uint32_t> counts;
  for (const auto &entry : sets)
    counts.push_back(entry.second);
  EXPECT_LT(chiSquare(counts), 27.9);
}

TEST(ConnectivityTest, FixedOutDegreeGivesEveryPreExactlyK) {
  for (bool multapses : {true, false})
    for (bool self : {true, false}) {
      SCOPED_TRACE(std::string("multapses ") + (multapses ? "on" : "off") +
                   ", self " + (self ? "allowed" : "excluded"));
      Network net = recurrent(
          300, fixedNumber(FixedNumberConn::OutDegree, 25, 5, self, multapses));
      const auto all = generator(net).materialise({0, 300}, {0, 300});
      ASSERT_EQ(all.size(), 300u * 25u);
      for (uint32_t d : degrees(all, 300, true))
        ASSERT_EQ(d, 25u);
      for (const SynapseRecord &s : all) {
        ASSERT_TRUE(self || s.pre != s.post) << s.pre;
      }
      if (!multapses) {
        EXPECT_FALSE(hasRepeatedPair(all));
      }
      std::vector<uint32_t> bins(15, 0);
      for (const SynapseRecord &s : all)
        ++bins[s.post / 20];
      EXPECT_LT(chiSquare(bins), 36.1); // 14 degrees of freedom, 99.9 %
    }
}

TEST(ConnectivityTest, FixedTotalMakesExactlyNSynapses) {
  for (bool multapses : {true, false})
    for (bool self : {true, false}) {
      SCOPED_TRACE(std::string("multapses ") + (multapses ? "on" : "off") +
                   ", self " + (self ? "allowed" : "excluded"));
      const uint32_t n = 200;
      const uint64_t total = 8000;
      Network net = recurrent(
          n, fixedNumber(FixedNumberConn::Total, total, 8, self, multapses));
      const auto all = generator(net).materialise({0, n}, {0, n});
      ASSERT_EQ(all.size(), total);
      for (const SynapseRecord &s : all) {
        ASSERT_TRUE(self || s.pre != s.post) << s.pre;
      }
      if (!multapses) {
        EXPECT_FALSE(hasRepeatedPair(all));
      }
      // Each post's count is Binomial(total, 1/n) with multapses
      // (hypergeometric, a little narrower, without): mean 40, variance
      // about 39.8; the sample variance over 200 posts is within 30 %.
      const auto in = degrees(all, n, false);
      double mean = 0, var = 0;
      for (uint32_t d : in)
        mean += d;
      mean /= n;
      for (uint32_t d : in)
        var += (d - mean) * (d - mean);
      var /= n - 1;
      EXPECT_NEAR(mean, 40.0, 1e-9);
      EXPECT_NEAR(var, 39.8, 0.3 * 39.8);
      EXPECT_LT(chiSquare(degrees(all, n, true)), 262.0); // 199 dof, 99.9 %
    }
}

TEST(ConnectivityTest, FixedTotalWithoutMultapsesNearlyAllPairs) {
  // More than half of the 90 pairs: drawn as the complement of 10 pairs.
  Network net =
      recurrent(10, fixedNumber(FixedNumberConn::Total, 80, 4, false, false));
  const auto all = generator(net).materialise({0, 10}, {0, 10});
  EXPECT_EQ(all.size(), 80u);
  EXPECT_FALSE(hasRepeatedPair(all));
  for (const SynapseRecord &s : all)
    ASSERT_NE(s.pre, s.post);
  // Every pair that exists.
  Network full =
      recurrent(10, fixedNumber(FixedNumberConn::Total, 90, 4, false, false));
  EXPECT_EQ(generator(full).count({0, 10}, {0, 10}), 90u);
}

TEST(ConnectivityTest, FixedNumberIsSliceIndependentAndSeeded) {
  using K = FixedNumberConn;
  for (const FixedNumberConn &rule :
       {fixedNumber(K::InDegree, 30, 21),
        fixedNumber(K::InDegree, 30, 21, false, false),
        fixedNumber(K::OutDegree, 12, 21),
        fixedNumber(K::OutDegree, 12, 21, true, false),
        fixedNumber(K::Total, 5000, 21),
        fixedNumber(K::Total, 5000, 21, true, false)}) {
    SCOPED_TRACE("kind " + std::to_string(int(rule.kind)) + ", multapses " +
                 std::to_string(rule.allowMultapses));
    const auto whole =
        expectSliceIndependent(twoPops(250, 180, rule), 250, 180, rule.count);
    ASSERT_FALSE(whole.empty());
    FixedNumberConn other = rule;
    other.seed = 22;
    Network reseeded = twoPops(250, 180, other);
    EXPECT_NE(tuples(generator(reseeded).materialise({0, 250}, {0, 180})),
              whole);
  }
}

TEST(ConnectivityTest, FixedNumberRefusesImpossibleCounts) {
  using K = FixedNumberConn;
  const struct {
    Network net;
    const char *message;
  } cases[] = {
      {twoPops(10, 5, fixedNumber(K::InDegree, 11, 1, true, false)),
       "fixed_number in_degree = 11 without multapses, but there are only 10 "
       "pre neurons per post neuron"},
      {recurrent(4, fixedNumber(K::OutDegree, 4, 1, false, false)),
       "fixed_number out_degree = 4 without multapses, but there are only 3 "
       "post neurons per pre neuron"},
      {recurrent(1, fixedNumber(K::InDegree, 1, 1, false)),
       "fixed_number in_degree = 1 but there are no pre neurons per post "
       "neuron"},
      {twoPops(3, 3, fixedNumber(K::Total, 10, 1, true, false)),
       "fixed_number total = 10 without multapses, but there are only 9 "
       "(pre, post) pairs"},
      {twoPops(100000, 100000, fixedNumber(K::InDegree, 50000, 1)),
       "fixed_number in_degree = 50000 makes 5000000000 synapses; at most "
       "4294967295"},
  };
  for (const auto &c : cases) {
    auto g = SynapseGenerator::create(c.net, 0);
    ASSERT_FALSE(g) << c.message;
    EXPECT_NE(g.error().find(c.message), std::string::npos) << g.error();
    EXPECT_NE(g.error().find("projection \""), std::string::npos) << g.error();
  }
}

Distribution distribution(Distribution::Kind kind, double a, double b,
                          double low = -INFINITY, double high = INFINITY) {
  Distribution d;
  d.kind = kind;
  d.a = a;
  d.b = b;
  d.low = low;
  d.high = high;
  return d;
}

TEST(ConnectivityTest, DistributionsDrawTheirMomentsInsideTheirSupport) {
  // Analytic moments: a normal N(10, 2^2) clipped below at 7 (alpha = -1.5)
  // has mean 10 + 2 phi(a) / (1 - Phi(a)) = 10.2776 and sd 1.7579; the
  // lognormal exp(N(1, 0.5^2)) mean e^1.125 = 3.0802 and sd 1.6416; the
  // uniform on [2, 5] mean 3.5 and sd 0.8660.
  const struct {
    Distribution d;
    double mean, sd;
  } cases[] = {
      {distribution(Distribution::Normal, 10, 2, 7), 10.2776, 1.7579},
      {distribution(Distribution::Lognormal, 1, 0.5), 3.0802, 1.6416},
      {distribution(Distribution::Uniform, 0, 0, 2, 5), 3.5, 0.8660},
  };
  const int n = 200000;
  for (const auto &c : cases) {
    SCOPED_TRACE("kind " + std::to_string(int(c.d.kind)));
    ASSERT_TRUE(checkDistribution(c.d, "d"));
    const Support support = supportOf(c.d);
    double sum = 0, sumSq = 0;
    for (int k = 0; k < n; ++k) {
      const double x = drawFrom(c.d, 5, 1, uint64_t(k));
      ASSERT_GE(x, support.low);
      ASSERT_LE(x, support.high);
      sum += x;
      sumSq += x * x;
    }
    const double mean = sum / n, sd = std::sqrt(sumSq / n - mean * mean);
    EXPECT_NEAR(mean, c.mean, 5 * c.sd / std::sqrt(double(n)));
    EXPECT_NEAR(sd, c.sd, 0.01 * c.sd);
    EXPECT_EQ(drawFrom(c.d, 5, 1, 17), drawFrom(c.d, 5, 1, 17));
    EXPECT_NE(drawFrom(c.d, 5, 1, 17), drawFrom(c.d, 6, 1, 17));
  }
}

TEST(ConnectivityTest, DistributionsThatCannotBeDrawnAreRefused) {
  const struct {
    Distribution d;
    const char *message;
  } cases[] = {
      {distribution(Distribution::Normal, 0, -1), "standard deviation >= 0"},
      {distribution(Distribution::Normal, 0, 1, 7), "no value lies in [7, 6]"},
      {distribution(Distribution::Normal, 0, 1, 4),
       "[4, inf] holds 3.16712e-05 of the probability; at least 0.001"},
      {distribution(Distribution::Uniform, 0, 0, 1, INFINITY),
       "uniform bounds must be finite"},
      {distribution(Distribution::Lognormal, 0, 1, -2, 0),
       "no value lies in [0.00247875, 0]"},
  };
  for (const auto &c : cases) {
    const Status s = checkDistribution(c.d, "weight distribution");
    ASSERT_FALSE(s) << c.message;
    EXPECT_NE(s.error().find(c.message), std::string::npos) << s.error();
  }
}

TEST(ConnectivityTest, RandomRulesDrawEachSynapsesWeightAndDelay) {
  FixedNumberConn rule = fixedNumber(FixedNumberConn::InDegree, 50, 12);
  rule.draws.weight = distribution(Distribution::Normal, 40, 8, 1);
  rule.draws.delay = distribution(Distribution::Uniform, 0, 0, 0.5, 10.5);
  FixedProbConn prob{0.25, 12, 0, true, rule.draws};
  for (const Connectivity &conn : {Connectivity(rule), Connectivity(prob)}) {
    SCOPED_TRACE(conn.index());
    Network net = twoPops(200, 400, conn);
    const SynapseGenerator g = generator(net);
    const auto all = g.materialise({0, 200}, {0, 400});
    ASSERT_GT(all.size(), 15000u);
    double sum = 0;
    std::vector<uint32_t> delays(10, 0);
    for (const SynapseRecord &s : all) {
      ASSERT_GE(s.mantissa, 1);
      ASSERT_LE(s.mantissa, 88); // 40 + 6 x 8
      ASSERT_GE(s.delay, 1u);
      ASSERT_LE(s.delay, 10u);
      sum += s.mantissa;
      ++delays[s.delay - 1];
    }
    // The clipped normal's mean is 40.0 (the clip at 1 is 4.9 sd away);
    // rounding adds no bias.
    EXPECT_NEAR(sum / double(all.size()), 40.0,
                5 * 8 / std::sqrt(double(all.size())));
    EXPECT_LT(chiSquare(delays), 27.9); // 9 dof, 99.9 %
    // The draws are the synapses': slicing does not move them.
    EXPECT_EQ(expectSliceIndependent(net, 200, 400, 9), tuples(all));
  }
}

TEST(ConnectivityTest, RandomRulesRefuseDelaysBelowOneStep) {
  FixedNumberConn rule = fixedNumber(FixedNumberConn::InDegree, 5, 1);
  rule.draws.delay = distribution(Distribution::Normal, 3, 1, 0.2);
  auto g = SynapseGenerator::create(twoPops(10, 10, rule), 0);
  ASSERT_FALSE(g);
  EXPECT_NE(g.error().find("projection \"ab\": delay distribution draws "
                           "from [0.2, 9] steps; delays are 1 to 4294967295 "
                           "steps (set low >= 0.5)"),
            std::string::npos)
      << g.error();
}

TEST(ConnectivityTest, DenseSkipsZeros) {
  DenseConn d;
  d.weights = {1, 0, -3, 0, 0, 5}; // post 0: pre 0, 2; post 1: pre 2
  Network net = twoPops(3, 2, d);
  net.projections[0].delay = 4;
  const auto s = tuples(generator(net).materialise({0, 3}, {0, 2}));
  const std::vector<Tuple> expected = {
      {0, 0, 1, 4}, {2, 0, -3, 4}, {2, 1, 5, 4}};
  EXPECT_EQ(s, expected);
  DenseConn wrong;
  wrong.weights = {1, 2};
  auto g = SynapseGenerator::create(twoPops(3, 2, wrong), 0);
  ASSERT_FALSE(g);
  EXPECT_NE(g.error().find("2 x 3"), std::string::npos) << g.error();
}

TEST(ConnectivityTest, SparseIndexedByPostWithDelays) {
  SparseConn s;
  s.pre = {4, 1, 1, 0};
  s.post = {1, 1, 0, 1};
  s.weights = {7, -1, 2, 3};
  s.delays = {2, 3, 1, 5};
  Network net = twoPops(5, 2, s);
  const SynapseGenerator g = generator(net);
  std::vector<SynapseRecord> out;
  g.appendInto(1, {0, 5}, out);
  ASSERT_EQ(out.size(), 3u); // sorted by pre
  EXPECT_EQ(out[0].pre, 0u);
  EXPECT_EQ(out[0].delay, 5u);
  EXPECT_EQ(out[1].pre, 1u);
  EXPECT_EQ(out[1].mantissa, -1);
  EXPECT_EQ(out[2].pre, 4u);
  EXPECT_EQ(g.count({1, 2}, {0, 2}), 2u);
  s.post[2] = 9;
  auto bad = SynapseGenerator::create(twoPops(5, 2, s), 0);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("post index 9"), std::string::npos) << bad.error();
}

TEST(ConnectivityTest, OneToOne) {
  OneToOneConn o;
  o.weight.values = {1, 0, 3};
  Network net = twoPops(3, 3, o);
  const auto s = tuples(generator(net).materialise({0, 3}, {0, 3}));
  const std::vector<Tuple> expected = {{0, 0, 1, 1}, {2, 2, 3, 1}};
  EXPECT_EQ(s, expected);
  EXPECT_FALSE(SynapseGenerator::create(twoPops(3, 4, o), 0));
}

/// Naive 2-D convolution of x (inC x inH x inW) with the kernel.
std::vector<int64_t> naiveConv(const Conv2dConn &c,
                               const std::vector<int64_t> &x) {
  std::vector<int64_t> y(size_t(c.outC) * c.outH * c.outW, 0);
  for (uint32_t oc = 0; oc < c.outC; ++oc)
    for (uint32_t oy = 0; oy < c.outH; ++oy)
      for (uint32_t ox = 0; ox < c.outW; ++ox) {
        int64_t acc = 0;
        for (uint32_t ic = 0; ic < c.inC; ++ic)
          for (uint32_t ky = 0; ky < c.kH; ++ky)
            for (uint32_t kx = 0; kx < c.kW; ++kx) {
              const int iy = int(oy * c.strideH + ky * c.dilH) - int(c.padH);
              const int ix = int(ox * c.strideW + kx * c.dilW) - int(c.padW);
              if (iy < 0 || ix < 0 || iy >= int(c.inH) || ix >= int(c.inW))
                continue;
              acc +=
                  int64_t(
                      c.kernel[((oc * c.inC + ic) * c.kH + ky) * c.kW + kx]) *
                  x[(ic * c.inH + iy) * c.inW + ix];
            }
        y[(oc * c.outH + oy) * c.outW + ox] = acc;
      }
  return y;
}

TEST(ConnectivityTest, Conv2dMatchesNaiveConvolution) {
  struct Shape {
    uint32_t stride, pad, dil;
  };
  for (const Shape sh : {Shape{1, 0, 1}, Shape{2, 1, 1}, Shape{1, 2, 2}}) {
    const uint64_t seed = 100 + sh.stride * 10 + sh.pad + sh.dil;
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937_64 rng(seed);
    Conv2dConn c;
    c.inC = 2, c.inH = 9, c.inW = 8, c.outC = 3, c.kH = 3, c.kW = 3;
    c.strideH = c.strideW = sh.stride;
    c.padH = c.padW = sh.pad;
    c.dilH = c.dilW = sh.dil;
    c.outH = (c.inH + 2 * c.padH - c.dilH * (c.kH - 1) - 1) / c.strideH + 1;
    c.outW = (c.inW + 2 * c.padW - c.dilW * (c.kW - 1) - 1) / c.strideW + 1;
    for (uint32_t i = 0; i < c.outC * c.inC * c.kH * c.kW; ++i)
      c.kernel.push_back(int32_t(rng() % 11) - 5);
    std::vector<int64_t> x(c.inC * c.inH * c.inW);
    for (int64_t &v : x)
      v = int64_t(rng() % 7);
    const uint32_t in = c.inC * c.inH * c.inW, out = c.outC * c.outH * c.outW;
    Network net = twoPops(in, out, c);
    std::vector<int64_t> y(out, 0);
    for (const SynapseRecord &s : generator(net).materialise({0, in}, {0, out}))
      y[s.post] += int64_t(s.mantissa) * x[s.pre];
    EXPECT_EQ(y, naiveConv(c, x));
  }
}

TEST(ConnectivityTest, Conv2dShapeErrors) {
  Conv2dConn c;
  c.inC = 1, c.inH = 4, c.inW = 4, c.outC = 1, c.outH = 2, c.outW = 2;
  c.kH = c.kW = 3;
  c.kernel.assign(9, 1);
  auto g = SynapseGenerator::create(twoPops(15, 4, c), 0);
  ASSERT_FALSE(g);
  EXPECT_NE(g.error().find("16"), std::string::npos) << g.error();
  c.kernel.assign(8, 1);
  auto k = SynapseGenerator::create(twoPops(16, 4, c), 0);
  ASSERT_FALSE(k);
  EXPECT_NE(k.error().find("kernel has 8"), std::string::npos) << k.error();
}

TEST(ConnectivityTest, GroupStatsPerPreNeuron) {
  SparseConn s;
  s.pre = {3, 3, 1, 3};
  s.post = {0, 1, 1, 2};
  s.weights = {1, -200, 5, 4};
  s.delays = {1, 1, 7, 1};
  Network net = twoPops(4, 3, s);
  const auto stats = groupStats(generator(net), {0, 4}, {0, 2});
  ASSERT_EQ(stats.size(), 2u);
  EXPECT_EQ(stats[0].pre, 1u);
  EXPECT_EQ(stats[0].synapses, 1u);
  EXPECT_TRUE(stats[0].hasDelay);
  EXPECT_EQ(stats[1].pre, 3u);
  EXPECT_EQ(stats[1].synapses, 2u);
  EXPECT_EQ(stats[1].maxAbsMantissa, 200u);
  EXPECT_FALSE(stats[1].hasDelay);
}

TEST(ConnectivityTest, CounterHashIsAPureFunction) {
  EXPECT_EQ(counterHash(1, 2, 3), counterHash(1, 2, 3));
  EXPECT_NE(counterHash(1, 2, 3), counterHash(1, 2, 4));
  EXPECT_NE(counterHash(1, 2, 3), counterHash(2, 2, 3));
  EXPECT_NE(counterHash(1, 2, 3), counterHash(1, 3, 3));
}

} // namespace
