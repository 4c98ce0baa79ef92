//===- LargePages.cpp - mimalloc's segments on transparent huge pages -----===//
//
// Compiled into the executables that link CajalAllocator
// (cmake/CajalAllocator.cmake): tells mimalloc, which serves every malloc
// and operator new of the process, to put its segments on large OS pages
// (MADV_HUGEPAGE where the kernel has no reserved huge pages). A user's
// MIMALLOC_LARGE_OS_PAGES (0 turns them off) is left to decide.
//
// It runs from .preinit_array, before any shared library's constructor:
// libstdc++ allocates at its start, and the segment that first allocation
// opens serves the main thread's small allocations from then on, so the
// option must be set before it. Setting an option allocates nothing.
//
//===----------------------------------------------------------------------===//
#include <cstring>
#include <mimalloc.h>

namespace {
/// Called with main's arguments; getenv cannot be used yet (libc has not
/// set `environ` this early), the environment is the third.
void useLargePages(int, char **, char **environment) {
  constexpr char name[] = "MIMALLOC_LARGE_OS_PAGES=";
  for (char **e = environment; e && *e; ++e)
    if (std::strncmp(*e, name, sizeof(name) - 1) == 0)
      return;
  mi_option_enable(mi_option_large_os_pages);
}

[[maybe_unused]] __attribute__((section(".preinit_array"), used)) void (
        *const preinitLargePages)(int, char **, char **) = &useLargePages;
} // namespace
