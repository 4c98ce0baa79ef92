#===- CajalAllocator.cmake - mimalloc in the tools that load images -------===#
#
# Loading an image allocates and frees many arrays, and on a virtual machine
# each fresh page's first touch is expensive (about 7 us per 4 KiB page on
# the 2-core VM, bench/memory/first-touch). glibc's malloc gives large
# blocks fresh mappings, misaligned for huge pages, and returns them at
# free; mimalloc reuses its segments and aligns large blocks, so the load's
# huge-page advice (cajal/Chip/HugePages.h) covers them. On the 2-core VM
# a small network's whole `cajal run` takes about a third less time
# (docs/benchmarks.md, "Start-up").
#
# Defines CajalAllocator: link it into an executable (never a library; the
# sanitizer build leaves it out, its own allocator replaces malloc).
#
#===----------------------------------------------------------------------===#
option(CAJAL_MIMALLOC "Link the tools that load images with mimalloc" ON)

add_library(CajalAllocator INTERFACE)
if(NOT CAJAL_MIMALLOC)
  return()
endif()

find_package(mimalloc CONFIG QUIET)
if(NOT TARGET mimalloc)
  message(FATAL_ERROR "CAJAL_MIMALLOC: mimalloc not found (Debian: "
    "libmimalloc-dev, which scripts/setup installs); or configure with "
    "-DCAJAL_MIMALLOC=OFF")
endif()
# Nothing calls mimalloc by name: its malloc replaces glibc's because the
# executable needs it, so the linker (LLVM's build flags pass --as-needed)
# must keep it.
target_link_libraries(CajalAllocator INTERFACE
  -Wl,--push-state,--no-as-needed mimalloc -Wl,--pop-state)
