//===- HugePages.cpp - Large load-time arrays on huge pages ---------------===//
#include "cajal/Chip/HugePages.h"

#include <cstdint>
#include <malloc.h>
#include <sys/mman.h>

namespace cajal::chip {

void adviseHugePages(void *data, size_t bytes) {
  constexpr uintptr_t hugePage = uintptr_t(2) << 20;
  const uintptr_t begin =
      (reinterpret_cast<uintptr_t>(data) + hugePage - 1) & ~(hugePage - 1);
  const uintptr_t end =
      (reinterpret_cast<uintptr_t>(data) + bytes) & ~(hugePage - 1);
  // Advice only: a kernel without transparent huge pages refuses it, and
  // the array stays on small pages.
  if (end > begin)
    (void)madvise(reinterpret_cast<void *>(begin), end - begin, MADV_HUGEPAGE);
}

void returnFreedPages() { malloc_trim(0); }

} // namespace cajal::chip
