//===- HugePages.h - Large load-time arrays on huge pages -------*- C++ -*-===//
//
// Reading an image of 10^8 synapses and regrouping them by sender fills
// arrays of hundreds of megabytes, some of them reached at random; on 4 KiB
// pages every first touch is a page fault and nearly every random access
// also misses the TLB. Linux gives transparent huge pages (2 MiB) to a
// range that asks for them (MADV_HUGEPAGE) when it is first touched, so
// these helpers reserve the storage, ask, and only then fill it. Where the
// kernel declines, the arrays are the same, on small pages.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_CHIP_HUGEPAGES_H
#define CAJAL_CHIP_HUGEPAGES_H

#include <cstddef>
#include <vector>

namespace cajal::chip {

/// Asks for huge pages on the whole 2 MiB pages inside [data, data + bytes).
void adviseHugePages(void *data, size_t bytes);

/// Gives the system back the free pages glibc's malloc keeps (mimalloc, in
/// the executables that link it, returns its own after a short delay). Tables
/// freed core by core are pieces it would keep for reuse, but a loader's arrays
/// are larger than any piece: without this, the freed tables and the arrays
/// that replace them would both count against the peak.
void returnFreedPages();

/// Room for n elements, on huge pages where the kernel allows (only arrays
/// of at least 4 MiB ask), before the first push_back. Reserving touches
/// no page: room never used costs address space only.
template <typename T> void reserveHuge(std::vector<T> &v, size_t n) {
  std::vector<T>().swap(v);
  v.reserve(n);
  if (n * sizeof(T) >= (size_t(4) << 20))
    adviseHugePages(v.data(), n * sizeof(T));
}

/// v = n copies of `value`, on huge pages where the kernel allows.
template <typename T>
void assignHuge(std::vector<T> &v, size_t n, const T &value) {
  reserveHuge(v, n);
  v.assign(n, value);
}

} // namespace cajal::chip

#endif // CAJAL_CHIP_HUGEPAGES_H
