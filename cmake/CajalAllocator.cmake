#===- CajalAllocator.cmake - mimalloc on huge pages in the run tools -------===#
#
# Loading an image touches each fresh page of its arrays once, and on a
# virtual machine a first touch is expensive (about 7 us per 4 KiB page on
# the 2-core VM, bench/memory/first-touch): a third of a small network's
# whole `cajal run`. glibc's malloc keeps its heap on 4 KiB pages unless
# GLIBC_TUNABLES says otherwise before the process starts; mimalloc, told to
# use large OS pages (tools/allocator/LargePages.cpp), asks for transparent
# huge pages for its segments: one fault per 2 MiB (docs/benchmarks.md,
# "Start-up").
#
# Defines CajalAllocator: link it into an executable (never a library; the
# sanitizer build leaves it out, its own allocator replaces malloc).
#
#===----------------------------------------------------------------------===#
option(CAJAL_MIMALLOC
       "Link the run tools with mimalloc on transparent huge pages" ON)

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
target_sources(CajalAllocator INTERFACE
  ${CMAKE_CURRENT_LIST_DIR}/../tools/allocator/LargePages.cpp)
target_link_libraries(CajalAllocator INTERFACE mimalloc)
