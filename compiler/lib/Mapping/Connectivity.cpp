//===- Connectivity.cpp - Materialise a projection's synapses -------------===//
//
// Synapses are produced one post neuron at a time, sorted by pre index.
// fixed_prob draws, for post neuron j, a sequence of uniform numbers
// u_k = counterHash(seed, j, k) and steps through the pre indices with
// geometric gaps floor(log(u) / log(1 - p)): the gaps of a Bernoulli(p)
// sequence, so each pair is present independently with probability p and
// the cost is the number of synapses. The sequence of post j always starts
// at pre 0, so a pre range only filters it: the synapses do not depend on
// how the network is sliced. Sparse lists are indexed by post once.
//
// fixed_number draws uniform integers below n as the high word of
// hash * n (a bias below n / 2^64). Without multapses, K of n candidates
// are drawn by Floyd's algorithm (each K-subset equally likely); a total
// without multapses is the set of distinct pair indices of repeated uniform
// draws, topped up until it holds N (each N-subset equally likely, since
// the procedure does not favour any index), or the complement of such a
// set when N is more than half the pairs. A post neuron's pre indices
// never depend on the pre range asked for, so slicing does not change them.
//
//===----------------------------------------------------------------------===//
#include "cajal/Mapping/Connectivity.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

namespace cajal::mapping {

namespace {

uint64_t mix64(uint64_t z) {
  z += 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/// Uniform in (0, 1] from 53 random bits.
double unitInterval(uint64_t bits) {
  return double((bits >> 11) + 1) * 0x1.0p-53;
}

/// Uniform in [0, n) from 64 random bits (n >= 1).
uint64_t below(uint64_t bits, uint64_t n) {
  return uint64_t((static_cast<unsigned __int128>(bits) * n) >> 64);
}

/// The stream of a fixed_number rule's per-projection draws: above every
/// neuron index, which key the per-neuron draws.
constexpr uint64_t kProjectionStream = uint64_t(1) << 40;

/// `k` of the candidates [0, n) keyed by (seed, stream), sorted: uniform
/// draws with `repeats`, else a uniform k-subset (Floyd; k <= n).
void drawSorted(uint64_t seed, uint64_t stream, uint64_t k, uint64_t n,
                bool repeats, std::vector<uint64_t> &out) {
  out.clear();
  out.reserve(k);
  if (repeats) {
    for (uint64_t t = 0; t < k; ++t)
      out.push_back(below(counterHash(seed, stream, t), n));
  } else {
    std::unordered_set<uint64_t> chosen;
    chosen.reserve(k);
    for (uint64_t j = n - k; j < n; ++j) {
      const uint64_t t = below(counterHash(seed, stream, j), j + 1);
      const uint64_t pick = chosen.count(t) ? j : t;
      chosen.insert(pick);
      out.push_back(pick);
    }
  }
  std::sort(out.begin(), out.end());
}

/// Candidate `c` of neuron `self`'s draw as a neuron index: with
/// `excludeSelf` the candidates are every neuron but `self`.
uint32_t candidateNeuron(uint64_t c, uint64_t self, bool excludeSelf) {
  return uint32_t(excludeSelf && c >= self ? c + 1 : c);
}

/// A uniform `count`-subset of [0, pairs), sorted (count <= pairs).
std::vector<uint64_t> drawDistinctPairs(uint64_t seed, uint64_t count,
                                        uint64_t pairs) {
  const bool complement = count > pairs / 2;
  const uint64_t want = complement ? pairs - count : count;
  std::vector<uint64_t> set, batch;
  for (uint64_t round = 0; set.size() < want; ++round) {
    batch.clear();
    for (uint64_t t = 0; t < want - set.size(); ++t)
      batch.push_back(
          below(counterHash(seed, kProjectionStream + 1 + round, t), pairs));
    set.insert(set.end(), batch.begin(), batch.end());
    std::sort(set.begin(), set.end());
    set.erase(std::unique(set.begin(), set.end()), set.end());
  }
  if (!complement)
    return set;
  std::vector<uint64_t> kept;
  kept.reserve(count);
  size_t next = 0;
  for (uint64_t m = 0; m < pairs; ++m) {
    if (next < set.size() && set[next] == m)
      ++next;
    else
      kept.push_back(m);
  }
  return kept;
}

std::string projName(const Projection &p) {
  return "projection \"" + p.name + "\"";
}

template <typename T> std::string str(const T &v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

Status checkConv2d(const Conv2dConn &c, uint32_t pre, uint32_t post,
                   const std::string &name) {
  const uint64_t in = uint64_t(c.inC) * c.inH * c.inW;
  const uint64_t out = uint64_t(c.outC) * c.outH * c.outW;
  if (in != pre)
    return makeError(name + ": conv2d input " + str(c.inC) + "x" + str(c.inH) +
                     "x" + str(c.inW) + " = " + str(in) +
                     " neurons, but the pre node has " + str(pre));
  if (out != post)
    return makeError(name + ": conv2d output " + str(c.outC) + "x" +
                     str(c.outH) + "x" + str(c.outW) + " = " + str(out) +
                     " neurons, but the post population has " + str(post));
  const uint64_t kernel = uint64_t(c.outC) * c.inC * c.kH * c.kW;
  if (c.kernel.size() != kernel)
    return makeError(name + ": conv2d kernel has " + str(c.kernel.size()) +
                     " values; outC x inC x kH x kW = " + str(kernel));
  if (c.strideH == 0 || c.strideW == 0 || c.dilH == 0 || c.dilW == 0)
    return makeError(name + ": conv2d stride and dilation must be >= 1");
  return Status::ok();
}

Status checkSparse(const SparseConn &s, uint32_t pre, uint32_t post,
                   const std::string &name) {
  if (s.post.size() != s.pre.size() || s.weights.size() != s.pre.size())
    return makeError(name + ": sparse lists differ in length (pre " +
                     str(s.pre.size()) + ", post " + str(s.post.size()) +
                     ", weights " + str(s.weights.size()) + ")");
  if (!s.delays.empty() && s.delays.size() != s.pre.size())
    return makeError(name + ": sparse delays has " + str(s.delays.size()) +
                     " entries; expected " + str(s.pre.size()));
  for (size_t i = 0; i < s.pre.size(); ++i) {
    if (s.pre[i] >= pre)
      return makeError(name + ": sparse entry " + str(i) + ": pre index " +
                       str(s.pre[i]) + " out of range (" + str(pre) +
                       " neurons)");
    if (s.post[i] >= post)
      return makeError(name + ": sparse entry " + str(i) + ": post index " +
                       str(s.post[i]) + " out of range (" + str(post) +
                       " neurons)");
    if (!s.delays.empty() && s.delays[i] == 0)
      return makeError(name + ": sparse entry " + str(i) +
                       ": delay 0; delays are >= 1 step");
  }
  return Status::ok();
}

/// How many candidates one fixed_number draw chooses among, and how many
/// synapses the rule makes (`excludeSelf`: pre and post are one population
/// and self-connections are not allowed).
struct FixedNumberShape {
  uint64_t candidates = 0, synapses = 0;
  const char *among = "";
};
FixedNumberShape shapeOf(const FixedNumberConn &n, uint32_t pre, uint32_t post,
                         bool excludeSelf) {
  const uint64_t self = excludeSelf ? 1 : 0;
  switch (n.kind) {
  case FixedNumberConn::InDegree:
    return {pre - self, n.count * post, "pre neurons per post neuron"};
  case FixedNumberConn::OutDegree:
    return {post - self, n.count * pre, "post neurons per pre neuron"};
  case FixedNumberConn::Total:
    break;
  }
  return {uint64_t(pre) * post - self * pre, n.count, "(pre, post) pairs"};
}

const char *kindName(const FixedNumberConn &n) {
  return n.kind == FixedNumberConn::InDegree    ? "in_degree"
         : n.kind == FixedNumberConn::OutDegree ? "out_degree"
                                                : "total";
}

Status checkFixedNumber(const FixedNumberConn &n, uint32_t pre, uint32_t post,
                        bool selfPossible, const std::string &name) {
  constexpr uint64_t kMaxSynapses = UINT32_MAX;
  const std::string rule =
      name + ": fixed_number " + kindName(n) + " = " + str(n.count);
  // Both sizes are below 2^32: a count below 2^32 cannot overflow.
  if (n.count > kMaxSynapses)
    return makeError(rule + ": at most " + str(kMaxSynapses) + " synapses");
  const FixedNumberShape shape =
      shapeOf(n, pre, post, selfPossible && !n.allowSelf);
  if (shape.synapses > kMaxSynapses)
    return makeError(rule + " makes " + str(shape.synapses) +
                     " synapses; at most " + str(kMaxSynapses));
  if (n.count > 0 && shape.candidates == 0)
    return makeError(rule + " but there are no " + shape.among);
  if (!n.allowMultapses && n.count > shape.candidates)
    return makeError(rule + " without multapses, but there are only " +
                     str(shape.candidates) + " " + shape.among);
  return Status::ok();
}

Status checkDraws(const SynapseDraws &draws, const std::string &name) {
  if (draws.weight) {
    if (Status s = checkDistribution(*draws.weight, name + ": weight "
                                                           "distribution");
        !s)
      return s;
    const Support w = supportOf(*draws.weight);
    if (std::max(std::fabs(w.low), std::fabs(w.high)) > double(INT32_MAX))
      return makeError(name + ": weight distribution reaches " +
                       str(std::max(std::fabs(w.low), std::fabs(w.high))) +
                       " mantissa units; quantize it first");
  }
  if (draws.delay) {
    if (Status s = checkDistribution(*draws.delay, name + ": delay "
                                                          "distribution");
        !s)
      return s;
    // Rounded half up, every draw must be a delay of 1 to 2^32 - 1 steps.
    const Support d = supportOf(*draws.delay);
    if (d.low < 0.5 || d.high >= double(UINT32_MAX) + 0.5)
      return makeError(name + ": delay distribution draws from [" + str(d.low) +
                       ", " + str(d.high) +
                       "] steps; delays are 1 to 4294967295 steps (set "
                       "low >= 0.5)");
  }
  return Status::ok();
}

Status checkRule(const Projection &p, uint32_t pre, uint32_t post,
                 bool selfPossible) {
  const std::string name = projName(p);
  if (const auto *f = std::get_if<FixedProbConn>(&p.conn))
    if (Status s = checkDraws(f->draws, name); !s)
      return s;
  if (const auto *n = std::get_if<FixedNumberConn>(&p.conn))
    if (Status s = checkDraws(n->draws, name); !s)
      return s;
  if (const auto *d = std::get_if<DenseConn>(&p.conn)) {
    if (d->weights.size() != uint64_t(pre) * post)
      return makeError(name + ": dense matrix has " + str(d->weights.size()) +
                       " weights; post x pre = " + str(post) + " x " +
                       str(pre));
  } else if (const auto *s = std::get_if<SparseConn>(&p.conn)) {
    return checkSparse(*s, pre, post, name);
  } else if (const auto *o = std::get_if<OneToOneConn>(&p.conn)) {
    if (pre != post)
      return makeError(name + ": one_to_one between " + str(pre) + " and " +
                       str(post) + " neurons");
    if (o->weight.values.size() != 1 && o->weight.values.size() != post)
      return makeError(name + ": one_to_one has " +
                       str(o->weight.values.size()) +
                       " weights; expected 1 or " + str(post));
  } else if (const auto *f = std::get_if<FixedProbConn>(&p.conn)) {
    if (!(f->p >= 0 && f->p <= 1))
      return makeError(name + ": fixed_prob p = " + str(f->p) +
                       " must be in [0, 1]");
  } else if (const auto *n = std::get_if<FixedNumberConn>(&p.conn)) {
    return checkFixedNumber(*n, pre, post, selfPossible, name);
  } else if (const auto *c = std::get_if<Conv2dConn>(&p.conn)) {
    return checkConv2d(*c, pre, post, name);
  }
  return Status::ok();
}

} // namespace

uint32_t nodeSize(const Network &net, NodeRef node) {
  if (node.kind == NodeRef::SourceNode)
    return node.index < net.sources.size() ? net.sources[node.index].size : 0;
  return node.index < net.populations.size() ? net.populations[node.index].size
                                             : 0;
}

std::string nodeName(const Network &net, NodeRef node) {
  if (node.kind == NodeRef::SourceNode)
    return node.index < net.sources.size()
               ? "source \"" + net.sources[node.index].name + "\""
               : "source #" + str(node.index);
  return node.index < net.populations.size()
             ? "population \"" + net.populations[node.index].name + "\""
             : "population #" + str(node.index);
}

uint64_t counterHash(uint64_t seed, uint64_t stream, uint64_t counter) {
  return mix64(mix64(mix64(seed) ^ stream) ^ counter);
}

namespace {
/// The normal distribution function.
double normalCdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }
/// Draws outside the support are redrawn; with at least 0.1 % inside, 10^5
/// redraws all fail with probability below e^-100.
constexpr unsigned kMaxRedraws = 100000;
constexpr double kMinAcceptance = 1e-3;
constexpr double kClipDeviations = 6;
} // namespace

Support supportOf(const Distribution &d) {
  Support s{d.low, d.high};
  if (d.kind == Distribution::Normal) {
    s.low = std::max(s.low, d.a - kClipDeviations * d.b);
    s.high = std::min(s.high, d.a + kClipDeviations * d.b);
  } else if (d.kind == Distribution::Lognormal) {
    s.low = std::max(s.low, std::exp(d.a - kClipDeviations * d.b));
    s.high = std::min(s.high, std::exp(d.a + kClipDeviations * d.b));
  }
  return s;
}

Status checkDistribution(const Distribution &d, const std::string &what) {
  const bool uniform = d.kind == Distribution::Uniform;
  if (!uniform && (!std::isfinite(d.a) || !std::isfinite(d.b) || d.b < 0))
    return makeError(what + ": parameters " + str(d.a) + " and " + str(d.b) +
                     " must be finite with a standard deviation >= 0");
  if (uniform && (!std::isfinite(d.low) || !std::isfinite(d.high)))
    return makeError(what + ": uniform bounds must be finite, got [" +
                     str(d.low) + ", " + str(d.high) + "]");
  const Support s = supportOf(d);
  if (!(s.low <= s.high))
    return makeError(what + ": no value lies in [" + str(s.low) + ", " +
                     str(s.high) + "]");
  if (uniform)
    return Status::ok();
  // The probability that a draw is kept.
  double kept = 1;
  const double centre = d.kind == Distribution::Normal ? d.a : std::exp(d.a);
  if (d.b == 0) {
    kept = centre >= s.low && centre <= s.high ? 1 : 0;
  } else if (d.kind == Distribution::Normal) {
    kept = normalCdf((d.high - d.a) / d.b) - normalCdf((d.low - d.a) / d.b);
  } else {
    const double logLow = d.low > 0 ? std::log(d.low) : -INFINITY;
    const double logHigh = d.high > 0 ? std::log(d.high) : -INFINITY;
    kept = normalCdf((logHigh - d.a) / d.b) - normalCdf((logLow - d.a) / d.b);
  }
  if (!(kept >= kMinAcceptance))
    return makeError(what + ": [" + str(d.low) + ", " + str(d.high) +
                     "] holds " + str(kept) + " of the probability; at least " +
                     str(kMinAcceptance));
  return Status::ok();
}

double drawFrom(const Distribution &d, uint64_t seed, uint64_t stream,
                uint64_t counter) {
  const Support s = supportOf(d);
  const uint64_t key = counterHash(seed, stream, counter);
  if (d.kind == Distribution::Uniform)
    return s.low + (s.high - s.low) *
                       (unitInterval(counterHash(key, 0, 0)) - 0x1.0p-53);
  const bool lognormal = d.kind == Distribution::Lognormal;
  const double centre = lognormal ? std::exp(d.a) : d.a;
  if (d.b == 0)
    return centre;
  for (uint64_t r = 0; r < kMaxRedraws; ++r) {
    // Box-Muller.
    const double u1 = unitInterval(counterHash(key, 1, 2 * r));
    const double u2 = unitInterval(counterHash(key, 1, 2 * r + 1));
    const double z = std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
    const double x = lognormal ? std::exp(d.a + d.b * z) : d.a + d.b * z;
    if (x >= s.low && x <= s.high)
      return x;
  }
  return std::clamp(centre, s.low, s.high);
}

Distribution scaledBy(const Distribution &d, double factor) {
  Distribution out = d;
  out.low = d.low * factor;
  out.high = d.high * factor;
  if (factor < 0)
    std::swap(out.low, out.high);
  if (d.kind == Distribution::Normal) {
    out.a = d.a * factor;
    out.b = d.b * std::fabs(factor);
  } else if (d.kind == Distribution::Lognormal) {
    out.a = d.a + std::log(factor);
  }
  return out;
}

double meanSquare(const Distribution &d) {
  switch (d.kind) {
  case Distribution::Normal:
    return d.a * d.a + d.b * d.b;
  case Distribution::Lognormal:
    return std::exp(2 * d.a + 2 * d.b * d.b);
  case Distribution::Uniform:
    break;
  }
  return (d.low * d.low + d.low * d.high + d.high * d.high) / 3;
}

Result<SynapseGenerator> SynapseGenerator::create(const Network &net,
                                                  uint32_t projection) {
  if (projection >= net.projections.size())
    return makeError("projection #" + str(projection) + " does not exist (" +
                     str(net.projections.size()) + " projections)");
  const Projection &p = net.projections[projection];
  const bool preIsSource = p.pre.kind == NodeRef::SourceNode;
  if ((preIsSource && p.pre.index >= net.sources.size()) ||
      (!preIsSource && p.pre.index >= net.populations.size()))
    return makeError(projName(p) + ": pre node #" + str(p.pre.index) +
                         " does not exist",
                     aboutProjection(p.name));
  if (p.post >= net.populations.size())
    return makeError(projName(p) + ": post population #" + str(p.post) +
                         " does not exist",
                     aboutProjection(p.name));
  if (p.delay == 0)
    return makeError(projName(p) + ": delay 0; delays are >= 1 step",
                     aboutProjection(p.name, "delay"));
  SynapseGenerator g;
  g.proj = &p;
  g.preCount = nodeSize(net, p.pre);
  g.postCount = net.populations[p.post].size;
  const bool selfPossible = !preIsSource && p.pre.index == p.post;
  if (Status s = checkRule(p, g.preCount, g.postCount, selfPossible); !s)
    return makeError(s.error(), aboutProjection(p.name, "connectivity"));
  if (const auto *f = std::get_if<FixedProbConn>(&p.conn))
    g.excludeSelf = !f->allowSelf && selfPossible;
  if (const auto *n = std::get_if<FixedNumberConn>(&p.conn)) {
    g.excludeSelf = !n->allowSelf && selfPossible;
    g.drawFixedNumberTables();
  }
  if (const auto *s = std::get_if<SparseConn>(&p.conn)) {
    g.sparseBegin.assign(size_t(g.postCount) + 1, 0);
    for (uint32_t post : s->post)
      ++g.sparseBegin[post + 1];
    for (size_t j = 0; j < g.postCount; ++j)
      g.sparseBegin[j + 1] += g.sparseBegin[j];
    g.sparseOrder.resize(s->post.size());
    std::vector<uint32_t> fill(g.sparseBegin.begin(), g.sparseBegin.end() - 1);
    for (uint32_t i = 0; i < s->post.size(); ++i)
      g.sparseOrder[fill[s->post[i]]++] = i;
    for (size_t j = 0; j < g.postCount; ++j)
      std::stable_sort(
          g.sparseOrder.begin() + g.sparseBegin[j],
          g.sparseOrder.begin() + g.sparseBegin[j + 1],
          [&](uint32_t a, uint32_t b) { return s->pre[a] < s->pre[b]; });
  }
  return g;
}

void SynapseGenerator::appendInto(uint32_t post, IndexRange pre,
                                  std::vector<SynapseRecord> &out) const {
  pre.end = std::min(pre.end, preCount);
  if (post >= postCount || pre.size() == 0)
    return;
  const uint32_t delay = proj->delay;
  auto emit = [&](uint32_t i, int32_t w, uint32_t d) {
    if (w != 0)
      out.push_back(SynapseRecord{i, post, w, d});
  };
  if (const auto *d = std::get_if<DenseConn>(&proj->conn)) {
    const int32_t *row = d->weights.data() + size_t(post) * preCount;
    for (uint32_t i = pre.begin; i < pre.end; ++i)
      emit(i, row[i], delay);
  } else if (const auto *s = std::get_if<SparseConn>(&proj->conn)) {
    for (uint32_t k = sparseBegin[post]; k < sparseBegin[post + 1]; ++k) {
      const uint32_t e = sparseOrder[k];
      if (pre.contains(s->pre[e]))
        emit(s->pre[e], s->weights[e],
             s->delays.empty() ? delay : s->delays[e]);
    }
  } else if (const auto *o = std::get_if<OneToOneConn>(&proj->conn)) {
    if (pre.contains(post))
      emit(post, o->weight.at(post), delay);
  } else if (std::holds_alternative<FixedProbConn>(proj->conn)) {
    appendFixedProb(post, pre, out);
  } else if (std::holds_alternative<FixedNumberConn>(proj->conn)) {
    appendFixedNumber(post, pre, out);
  } else {
    appendConv2d(post, pre, out);
  }
}

void SynapseGenerator::appendFixedProb(uint32_t post, IndexRange pre,
                                       std::vector<SynapseRecord> &out) const {
  const auto &f = std::get<FixedProbConn>(proj->conn);
  if (f.p <= 0 || (f.weight == 0 && !f.draws.weight))
    return;
  // `rank` counts every draw for `post`, so it does not depend on `pre`.
  auto emit = [&](uint32_t i, uint64_t rank) {
    if (excludeSelf && i == post)
      return;
    const SynapseRecord s =
        randomSynapse(i, post, rank, f.seed, f.weight, f.draws);
    if (s.mantissa != 0)
      out.push_back(s);
  };
  if (f.p >= 1) {
    for (uint32_t i = pre.begin; i < pre.end; ++i)
      emit(i, i);
    return;
  }
  const double logQ = std::log1p(-f.p);
  int64_t pos = -1;
  for (uint64_t k = 0;; ++k) {
    const double gap =
        std::floor(std::log(unitInterval(counterHash(f.seed, post, k))) / logQ);
    if (gap >= double(preCount))
      return;
    pos += 1 + int64_t(gap);
    if (pos >= int64_t(pre.end))
      return;
    if (pos >= int64_t(pre.begin))
      emit(uint32_t(pos), k);
  }
}

void SynapseGenerator::drawFixedNumberTables() {
  const auto &n = std::get<FixedNumberConn>(proj->conn);
  const uint64_t self = excludeSelf ? 1 : 0;
  if (n.kind == FixedNumberConn::InDegree || n.count == 0)
    return;
  if (n.kind == FixedNumberConn::Total && n.allowMultapses) {
    // Every post has preCount - self candidates: a uniform pair is a
    // uniform post, then a uniform pre (drawn per post).
    perPostCount.assign(postCount, 0);
    for (uint64_t t = 0; t < n.count; ++t)
      ++perPostCount[below(counterHash(n.seed, kProjectionStream, t),
                           postCount)];
    return;
  }
  drawnBegin.assign(size_t(postCount) + 1, 0);
  if (n.kind == FixedNumberConn::OutDegree) {
    // Two passes over the same draws: count per post, then fill, so the
    // table costs 4 bytes per synapse; pres come in order, so each post's
    // list is sorted.
    std::vector<uint64_t> posts;
    for (int pass = 0; pass < 2; ++pass) {
      std::vector<uint64_t> fill(drawnBegin.begin(), drawnBegin.end() - 1);
      if (pass == 1)
        drawnPre.resize(drawnBegin.back());
      for (uint32_t i = 0; i < preCount; ++i) {
        drawSorted(n.seed, i, n.count, postCount - self, n.allowMultapses,
                   posts);
        for (uint64_t c : posts) {
          const uint32_t j = candidateNeuron(c, i, excludeSelf);
          if (pass == 0)
            ++drawnBegin[j + 1];
          else
            drawnPre[fill[j]++] = i;
        }
      }
      if (pass == 0)
        for (size_t j = 0; j < postCount; ++j)
          drawnBegin[j + 1] += drawnBegin[j];
    }
    return;
  }
  // Total without multapses: pair m is post m / perPost, candidate
  // m % perPost; sorted pairs give each post's pres in order.
  const uint64_t perPost = preCount - self;
  const std::vector<uint64_t> pairs =
      drawDistinctPairs(n.seed, n.count, perPost * postCount);
  drawnPre.reserve(pairs.size());
  for (uint64_t m : pairs) {
    const uint64_t j = m / perPost;
    ++drawnBegin[j + 1];
    drawnPre.push_back(candidateNeuron(m % perPost, j, excludeSelf));
  }
  for (size_t j = 0; j < postCount; ++j)
    drawnBegin[j + 1] += drawnBegin[j];
}

void SynapseGenerator::fixedNumberPres(uint32_t post,
                                       std::vector<uint32_t> &pres) const {
  const auto &n = std::get<FixedNumberConn>(proj->conn);
  pres.clear();
  if (!drawnBegin.empty()) {
    pres.assign(drawnPre.begin() + drawnBegin[post],
                drawnPre.begin() + drawnBegin[post + 1]);
    return;
  }
  const uint64_t k = n.kind == FixedNumberConn::InDegree ? n.count
                     : perPostCount.empty()              ? 0
                                                         : perPostCount[post];
  const bool repeats = n.allowMultapses || n.kind == FixedNumberConn::Total;
  std::vector<uint64_t> drawn;
  drawSorted(n.seed, post, k, preCount - (excludeSelf ? 1 : 0), repeats, drawn);
  for (uint64_t c : drawn)
    pres.push_back(candidateNeuron(c, post, excludeSelf));
}

void SynapseGenerator::appendFixedNumber(
    uint32_t post, IndexRange pre, std::vector<SynapseRecord> &out) const {
  const auto &n = std::get<FixedNumberConn>(proj->conn);
  if (n.weight == 0 && !n.draws.weight)
    return;
  std::vector<uint32_t> pres;
  fixedNumberPres(post, pres);
  for (size_t rank = 0; rank < pres.size(); ++rank) {
    if (!pre.contains(pres[rank]))
      continue;
    const SynapseRecord s =
        randomSynapse(pres[rank], post, rank, n.seed, n.weight, n.draws);
    if (s.mantissa != 0)
      out.push_back(s);
  }
}

SynapseRecord SynapseGenerator::randomSynapse(uint32_t pre, uint32_t post,
                                              uint64_t rank, uint64_t seed,
                                              int32_t weight,
                                              const SynapseDraws &draws) const {
  // Weights and delays have their own streams (seed + 1, seed + 2), apart
  // from the connectivity's (seed).
  SynapseRecord s{pre, post, weight, proj->delay};
  if (draws.weight)
    s.mantissa =
        int32_t(std::round(drawFrom(*draws.weight, seed + 1, post, rank)));
  if (draws.delay)
    s.delay = uint32_t(
        std::floor(drawFrom(*draws.delay, seed + 2, post, rank) + 0.5));
  return s;
}

void SynapseGenerator::appendConv2d(uint32_t post, IndexRange pre,
                                    std::vector<SynapseRecord> &out) const {
  const auto &c = std::get<Conv2dConn>(proj->conn);
  const uint32_t ox = post % c.outW;
  const uint32_t oy = (post / c.outW) % c.outH;
  const uint32_t oc = post / (c.outW * c.outH);
  for (uint32_t ic = 0; ic < c.inC; ++ic)
    for (uint32_t ky = 0; ky < c.kH; ++ky) {
      const int64_t iy =
          int64_t(oy) * c.strideH - c.padH + int64_t(ky) * c.dilH;
      if (iy < 0 || iy >= c.inH)
        continue;
      for (uint32_t kx = 0; kx < c.kW; ++kx) {
        const int64_t ix =
            int64_t(ox) * c.strideW - c.padW + int64_t(kx) * c.dilW;
        if (ix < 0 || ix >= c.inW)
          continue;
        const int32_t w =
            c.kernel[((size_t(oc) * c.inC + ic) * c.kH + ky) * c.kW + kx];
        const uint32_t i = uint32_t((uint64_t(ic) * c.inH + iy) * c.inW + ix);
        if (w != 0 && pre.contains(i))
          out.push_back(SynapseRecord{i, post, w, proj->delay});
      }
    }
}

uint64_t SynapseGenerator::count(IndexRange pre, IndexRange post) const {
  uint64_t n = 0;
  forEach(pre, post, [&](const SynapseRecord &) { ++n; });
  return n;
}

std::vector<SynapseRecord>
SynapseGenerator::materialise(IndexRange pre, IndexRange post) const {
  std::vector<SynapseRecord> all;
  for (uint32_t j = post.begin; j < std::min(post.end, postCount); ++j)
    appendInto(j, pre, all);
  return all;
}

std::vector<PreGroupStats> groupStats(const SynapseGenerator &gen,
                                      IndexRange pre, IndexRange post) {
  std::unordered_map<uint32_t, PreGroupStats> groups;
  gen.forEach(pre, post, [&](const SynapseRecord &s) {
    PreGroupStats &g = groups[s.pre];
    g.pre = s.pre;
    ++g.synapses;
    const uint32_t m =
        uint32_t(s.mantissa < 0 ? -int64_t(s.mantissa) : int64_t(s.mantissa));
    g.maxAbsMantissa = std::max(g.maxAbsMantissa, m);
    g.hasDelay |= s.delay != 1;
  });
  std::vector<PreGroupStats> result;
  result.reserve(groups.size());
  for (const auto &entry : groups)
    result.push_back(entry.second);
  std::sort(result.begin(), result.end(),
            [](const PreGroupStats &a, const PreGroupStats &b) {
              return a.pre < b.pre;
            });
  return result;
}

} // namespace cajal::mapping
