//===- HugePages.h - Large load-time arrays on huge pages -------*- C++ -*-===//
//
// Internal to CajalGolden. Regrouping 10^8 synapses by sender reaches
// arrays of hundreds of megabytes at random; on 4 KiB pages nearly every
// such access also misses the TLB. Linux gives transparent huge pages
// (2 MiB) to a range that asks for them (MADV_HUGEPAGE) when it is first
// touched, so these helpers reserve the storage, ask, and only then fill
// it. Where the kernel declines, the arrays are the same, on small pages.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_GOLDEN_LIB_HUGEPAGES_H
#define CAJAL_GOLDEN_LIB_HUGEPAGES_H

#include <cstddef>
#include <cstdint>
#include <exception>
#include <thread>
#include <utility>
#include <vector>

namespace cajal::golden::detail {

/// Asks for huge pages on the whole 2 MiB pages inside [data, data + bytes).
void adviseHugePages(void *data, size_t bytes);

/// Gives the system back the free pages malloc keeps. Tables freed core by
/// core are pieces it would keep for reuse, but the model's arrays are
/// larger than any piece: without this, the freed tables and the arrays
/// that replace them would both count against the peak.
void returnFreedPages();

/// Room for n elements, on huge pages where the kernel allows (only arrays
/// of at least 4 MiB ask), before the first push_back.
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

/// n zero elements on huge pages, built on a thread of their own when
/// `aside`: the kernel clears every fresh page on its first touch (about
/// 1.6-1.9 s per GB on the 2-core VM, bench/memory/first-touch), and that
/// work then overlaps the caller's until take().
template <typename T> class WarmArray {
public:
  WarmArray(size_t n, bool aside) : count(n) {
    if (aside)
      worker = std::thread([this] {
        try {
          assignHuge(array, count, T());
        } catch (...) {
          failure = std::current_exception(); // thrown again by take()
        }
      });
  }
  WarmArray(const WarmArray &) = delete;
  WarmArray &operator=(const WarmArray &) = delete;
  ~WarmArray() {
    if (worker.joinable())
      worker.join();
  }
  /// The array, built here if not aside; once only.
  std::vector<T> take() {
    if (worker.joinable())
      worker.join();
    else
      assignHuge(array, count, T());
    if (failure)
      std::rethrow_exception(failure);
    return std::move(array);
  }

private:
  size_t count;
  std::vector<T> array;
  std::exception_ptr failure;
  std::thread worker;
};

} // namespace cajal::golden::detail

#endif // CAJAL_GOLDEN_LIB_HUGEPAGES_H
