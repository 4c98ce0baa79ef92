//===- CoreTables.h - Each core's synapse tables, core by core --*- C++ -*-===//
//
// A loader that lays the synapses out its own way (the golden model, by
// sender) needs each core's input axons and synapse words once. Given them
// core by core, from the image in memory or read again from its file, it
// never holds the decoded image's tables beside its own layout: that is
// what bounds the golden model's peak memory at scale
// (docs/golden-model.md, "Loading").
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_CHIP_CORETABLES_H
#define CAJAL_CHIP_CORETABLES_H

#include "cajal/Chip/Image.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace cajal::chip {

class CoreTables {
public:
  virtual ~CoreTables() = default;
  virtual uint32_t coreCount() const = 0;
  virtual size_t inputAxonCount(uint32_t core) const = 0;
  /// Every input axon's synapse count, core after core (inputAxonCount(c)
  /// of them for core c), in one array; once.
  virtual std::vector<uint32_t> takeSynapseCounts() = 0;
  /// Every core's output axons, core after core (core c's compartment l
  /// sends on its outputBegin[l] to outputBegin[l + 1]), each as the global
  /// number of the input axon it reaches: axonBegin[target core] + input
  /// axon, where axonBegin[c] is the place of core c's first input axon in
  /// takeSynapseCounts' order. The image's cores no longer hold their output
  /// axons afterwards, if they did; once.
  virtual std::vector<uint32_t>
  takeOutputTargets(const std::vector<uint32_t> &axonBegin) = 0;
  using Visit =
      std::function<Status(uint32_t core, const std::vector<InputAxon> &axons,
                           const std::vector<uint64_t> &words)>;
  /// visit(core, its input axons, its synapse words) for every core, on up
  /// to `threads` threads (1: in core order); returns the first error in
  /// core order. With `last`, each core's tables may be dropped after its
  /// visit: no further call is allowed.
  virtual Status forEachCore(unsigned threads, bool last,
                             const Visit &visit) = 0;
};

/// The tables of an image in memory. With `releasable` (the same image),
/// forEachCore(..., last = true) frees each core's tables once visited and
/// takeOutputTargets its output axons.
class ImageTables final : public CoreTables {
public:
  ImageTables(const Image &source, Image *releasableSource)
      : image(source), releasable(releasableSource) {}
  uint32_t coreCount() const override { return uint32_t(image.cores.size()); }
  size_t inputAxonCount(uint32_t core) const override {
    return image.cores[core].inputAxons.size();
  }
  std::vector<uint32_t> takeSynapseCounts() override;
  std::vector<uint32_t>
  takeOutputTargets(const std::vector<uint32_t> &axonBegin) override;
  Status forEachCore(unsigned threads, bool last, const Visit &visit) override;

private:
  const Image &image;
  Image *releasable;
};

/// An image read for a loader that takes its synapse tables core by core.
struct StreamedImage {
  /// Everything but the cores' input axons, synapse words and output axons
  /// (empty).
  Image image;
  /// The synapse tables, read again from the file (kept open) as they are
  /// visited (or kept from the first read, for a small file); the synapse
  /// counts and output axons of all cores, each kept in one array (at 10^8 of
  /// each, a vector per core is a page fault per few thousand entries and a
  /// copy into the loader's array).
  std::unique_ptr<CoreTables> tables;
};

/// Reads `path` as readImage does, with the same checks and errors (every
/// synapse is checked against `profile` as its core is decoded), but keeps
/// no core's synapse tables: at most a batch of decoded cores is in memory
/// at once. A core whose bytes differ when read again (the file changed
/// in place meanwhile) is an error naming the core. The output axons are
/// kept as 32-bit (core, input axon) pairs: an image whose cores times the
/// profile's input axons per core (rounded up to a power of two) exceed
/// 2^32 is refused. A file of at most `keepTablesUpTo` bytes keeps its
/// decoded tables instead (decoding a small image twice costs more time
/// than its tables cost memory).
constexpr uint64_t kKeepTablesUpTo = uint64_t(8) << 20;
/// Cores are read, and read again, in batches of about this many file
/// bytes. Small enough that a batch's decoded vectors, freed as the next
/// batch is decoded, are reused by it from pages already mapped (the
/// 1M-neuron image loads 0.89x the time of 64 MiB batches on two threads).
constexpr uint64_t kCoreBatchBytes = uint64_t(4) << 20;
/// `batchBytes`: kCoreBatchBytes, or fewer to test batches on small files.
Result<StreamedImage>
readImageStreamed(const std::string &path, const Profile &profile,
                  uint64_t keepTablesUpTo = kKeepTablesUpTo,
                  uint64_t batchBytes = kCoreBatchBytes);

} // namespace cajal::chip

#endif // CAJAL_CHIP_CORETABLES_H
