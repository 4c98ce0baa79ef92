//===- LargePages.cpp - mimalloc's segments on transparent huge pages -----===//
//
// Compiled into the executables that link CajalAllocator
// (cmake/CajalAllocator.cmake): tells mimalloc, which serves every malloc
// and operator new of the process, to put its segments on large OS pages
// (MADV_HUGEPAGE where the kernel has no reserved huge pages), and to commit
// every thread's first segment at once (eager_commit_delay 0): committed page
// by page, as mimalloc does by default, the load's worker threads (the
// image's reader and decoders) fault their buffers in 4 KiB at a time. A
// user's MIMALLOC_LARGE_OS_PAGES or MIMALLOC_EAGER_COMMIT_DELAY decides
// instead.
//
// It runs from .preinit_array, before any shared library's constructor:
// libstdc++ allocates at its start, and the segment that first allocation
// opens serves the main thread's small allocations from then on, so the
// options must be set before it. Setting an option allocates nothing.
//
//===----------------------------------------------------------------------===//
#include <cstring>
#include <mimalloc.h>

namespace {
template <size_t N>
bool userSets(char **environment, const char (&assignment)[N]) {
  for (char **e = environment; e && *e; ++e)
    if (std::strncmp(*e, assignment, N - 1) == 0)
      return true;
  return false;
}

/// Called with main's arguments; getenv cannot be used yet (libc has not
/// set `environ` this early), the environment is the third.
void useLargePages(int, char **, char **environment) {
  if (!userSets(environment, "MIMALLOC_LARGE_OS_PAGES="))
    mi_option_enable(mi_option_large_os_pages);
  if (!userSets(environment, "MIMALLOC_EAGER_COMMIT_DELAY="))
    mi_option_set(mi_option_eager_commit_delay, 0);
}

[[maybe_unused]] __attribute__((section(".preinit_array"), used)) void (
        *const preinitLargePages)(int, char **, char **) = &useLargePages;
} // namespace
