//===- Connectivity.h - Materialise a projection's synapses -----*- C++ -*-===//
//
// A projection's connectivity stays symbolic (Network.h) until a core slice
// needs its synapses. SynapseGenerator enumerates the synapses onto one post
// neuron at a time, sorted by pre index, so that any (pre range, post range)
// gives the same synapses whatever the slicing:
//   dense      row `post` of the weight matrix, zeros skipped: O(pre)
//   sparse     indexed by post once (CSR, O(nnz)), then a lookup
//   one_to_one pre == post
//   fixed_prob a counter-based RNG keyed by (seed, post) draws geometric gaps
//              between successive pre indices, so the cost is O(synapses),
//              not O(pre x post); each pair is present with probability p
//   fixed_number in_degree: K pre indices drawn for `post` by an RNG keyed
//              by (seed, post), without repeats by Floyd's algorithm;
//              out_degree and total without multapses: drawn once per
//              projection and indexed by post (4 bytes per synapse while the
//              generator lives); total with multapses: the number onto each
//              post drawn once (4 bytes per post), then drawn per post
//   conv2d     the kernel applied at the output position `post`
// A synapse whose mantissa is 0 is never materialised.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_MAPPING_CONNECTIVITY_H
#define CAJAL_MAPPING_CONNECTIVITY_H

#include "cajal/Chip/Result.h"
#include "cajal/Mapping/Network.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cajal::mapping {

/// A half-open range [begin, end) of neuron indices.
struct IndexRange {
  uint32_t begin = 0, end = 0;
  uint32_t size() const { return end > begin ? end - begin : 0; }
  bool contains(uint32_t i) const { return i >= begin && i < end; }
};

/// One materialised synapse.
struct SynapseRecord {
  uint32_t pre = 0, post = 0;
  int32_t mantissa = 0;
  uint32_t delay = 1;
};

/// Size of a population or source.
uint32_t nodeSize(const Network &net, NodeRef node);
/// A printable name: `population "exc"` / `source "in"`.
std::string nodeName(const Network &net, NodeRef node);

/// Counter-based random numbers: a pure function of (seed, stream, counter).
uint64_t counterHash(uint64_t seed, uint64_t stream, uint64_t counter);

/// The interval a distribution's draws lie in: [low, high], and for normal
/// and lognormal within 6 standard deviations (of the log) of the mean.
struct Support {
  double low = 0, high = 0;
};
Support supportOf(const Distribution &d);
/// Error unless `d` can be drawn from: finite numbers, sd >= 0, a
/// non-empty support that holds at least 0.1 % of the probability (draws
/// outside are redrawn); `what` names it ("weight distribution").
Status checkDistribution(const Distribution &d, const std::string &what);
/// The draw keyed by (seed, stream, counter): a pure function.
double drawFrom(const Distribution &d, uint64_t seed, uint64_t stream,
                uint64_t counter);
/// The distribution of `factor` times a draw of `d` (factor > 0 for
/// lognormal).
Distribution scaledBy(const Distribution &d, double factor);
/// E[x^2] of `d` before clipping.
double meanSquare(const Distribution &d);

/// Enumerates one projection's synapses. It keeps a pointer to the network,
/// which must outlive it.
class SynapseGenerator {
public:
  /// Checks the rule against the endpoint sizes (dense matrix size, sparse
  /// indices, conv2d shapes, p in [0, 1], delays >= 1); the error names the
  /// projection and the value.
  static Result<SynapseGenerator> create(const Network &net,
                                         uint32_t projection);

  uint32_t preSize() const { return preCount; }
  uint32_t postSize() const { return postCount; }
  const Projection &projection() const { return *proj; }

  /// Append the synapses onto `post` with pre in `pre`, sorted by pre
  /// (duplicates of a sparse list in list order).
  void appendInto(uint32_t post, IndexRange pre,
                  std::vector<SynapseRecord> &out) const;

  /// Call sink(const SynapseRecord &) for each synapse with pre in `pre` and
  /// post in `post`, ordered by post, then pre.
  template <typename Sink>
  void forEach(IndexRange pre, IndexRange post, Sink &&sink) const {
    std::vector<SynapseRecord> buffer;
    for (uint32_t j = post.begin; j < post.end; ++j) {
      buffer.clear();
      appendInto(j, pre, buffer);
      for (const SynapseRecord &s : buffer)
        sink(s);
    }
  }

  /// Number of synapses with pre in `pre` and post in `post`.
  uint64_t count(IndexRange pre, IndexRange post) const;

  /// All synapses of a (pre range, post range) pair (tests, small slices).
  std::vector<SynapseRecord> materialise(IndexRange pre, IndexRange post) const;

private:
  SynapseGenerator() = default;
  void appendFixedProb(uint32_t post, IndexRange pre,
                       std::vector<SynapseRecord> &out) const;
  void appendConv2d(uint32_t post, IndexRange pre,
                    std::vector<SynapseRecord> &out) const;
  void appendFixedNumber(uint32_t post, IndexRange pre,
                         std::vector<SynapseRecord> &out) const;
  /// Synapse `rank` of `post` in a random rule's full list for it: its
  /// weight and delay drawn, or the rule's and the projection's.
  SynapseRecord randomSynapse(uint32_t pre, uint32_t post, uint64_t rank,
                              uint64_t seed, int32_t weight,
                              const SynapseDraws &draws) const;
  /// The pre indices of a fixed_number rule onto `post`, sorted.
  void fixedNumberPres(uint32_t post, std::vector<uint32_t> &pres) const;
  void drawFixedNumberTables();
  const Projection *proj = nullptr;
  uint32_t preCount = 0, postCount = 0;
  bool excludeSelf = false;
  // Sparse lists indexed by post: entries sparseOrder[sparseBegin[j] ..
  // sparseBegin[j+1]) are the list positions onto post j, sorted by pre.
  std::vector<uint32_t> sparseBegin, sparseOrder;
  // fixed_number drawn per projection: the pres onto post j are
  // drawnPre[drawnBegin[j] .. drawnBegin[j+1]) (out_degree, total without
  // multapses), or their number is perPostCount[j] (total with multapses).
  std::vector<uint64_t> drawnBegin;
  std::vector<uint32_t> drawnPre, perPostCount;
};

/// What one input-axon group (the synapses of one pre neuron of one
/// projection onto one slice) needs: its synapse count, the largest
/// |mantissa| and whether any delay differs from 1.
struct PreGroupStats {
  uint32_t pre = 0;
  uint32_t synapses = 0;
  uint32_t maxAbsMantissa = 0;
  bool hasDelay = false;
};

/// One entry per distinct pre neuron with a synapse into `post`, sorted by
/// pre; memory follows the slice's synapses.
std::vector<PreGroupStats> groupStats(const SynapseGenerator &gen,
                                      IndexRange pre, IndexRange post);

} // namespace cajal::mapping

#endif // CAJAL_MAPPING_CONNECTIVITY_H
