//===- HugePages.h - Large load-time arrays on huge pages -------*- C++ -*-===//
//
// Internal to CajalGolden: the chip library's huge-page arrays
// (cajal/Chip/HugePages.h) and an array warmed on a thread of its own.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_GOLDEN_LIB_HUGEPAGES_H
#define CAJAL_GOLDEN_LIB_HUGEPAGES_H

#include "cajal/Chip/HugePages.h"

#include <cstddef>
#include <cstdint>
#include <exception>
#include <thread>
#include <utility>
#include <vector>

namespace cajal::golden::detail {

using chip::adviseHugePages;
using chip::assignHuge;
using chip::reserveHuge;
using chip::returnFreedPages;

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
