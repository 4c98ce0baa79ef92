#===- cmake/CajalCompilerFlags.cmake - Warnings and sanitizers for Cajal's code -===#
# Every target defined in this project compiles with these warnings; code we
# do not own (Verilator's generated model, MLIR/LLVM/SystemC headers, which
# come in as SYSTEM includes) is exempt. CAJAL_WERROR turns them into errors
# (CI builds with it). CAJAL_SANITIZE=address,undefined instruments the
# project's own code (scripts/sanitize).
option(CAJAL_WERROR "Treat compiler warnings as errors" OFF)
set(CAJAL_SANITIZE "" CACHE STRING
    "Comma-separated -fsanitize= list for Cajal's code (e.g. address,undefined)")

set(CAJAL_WARNING_FLAGS
  -Wall -Wextra -Wshadow -Wnon-virtual-dtor -Wimplicit-fallthrough
  -Woverloaded-virtual -Wformat=2 -Wmissing-declarations -Wcast-align -Wundef)
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  # clang reports libstdc++ 12's own use of the deprecated
  # std::get_temporary_buffer (inside std::stable_sort) at every caller
  # (llvm/llvm-project#76515); GCC builds still report deprecations.
  list(APPEND CAJAL_WARNING_FLAGS -Wunreachable-code -Wloop-analysis
       -Wno-deprecated-declarations)
endif()
if(CAJAL_WERROR)
  list(APPEND CAJAL_WARNING_FLAGS -Werror)
endif()
add_compile_options("$<$<COMPILE_LANGUAGE:CXX>:${CAJAL_WARNING_FLAGS}>")

if(CAJAL_SANITIZE)
  set(cajal_san_flags -fsanitize=${CAJAL_SANITIZE} -fno-omit-frame-pointer
      -fno-sanitize-recover=all)
  add_compile_options(${cajal_san_flags})
  add_link_options(${cajal_san_flags})
endif()

# CAJAL_FUZZ (option in the top-level CMakeLists.txt, targets in fuzz/):
# libFuzzer's coverage instrumentation on every target, so the fuzzers see
# the edges of the readers they drive; fuzz/ links its targets with
# -fsanitize=fuzzer.
if(CAJAL_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link)
  add_link_options(-fsanitize=fuzzer-no-link)
endif()

# cajal_exempt_generated_sources(<target> <dir>): no warnings for the sources
# of <target> that a generator wrote under <dir> (Verilator's C++ model and
# runtime). With sanitizers they keep AddressSanitizer's heap, global and stack
# bounds checks but not UBSan (Verilator's trace buffer stores 64-bit values at
# 32-bit alignment, verilated_trace_imp.h), ASan's fake stacks for
# use-after-return, or libFuzzer's coverage (no fuzz target reaches the RTL):
# the Verilated model ran 3.8x slower with them (rtl-lockstep, loihi2, 60
# seeds: 73 s against 19.5 s), and the RTL tests were most of the suite's time.
set(cajal_generated_flags -w)
if(CAJAL_SANITIZE)
  list(APPEND cajal_generated_flags -fno-sanitize=undefined
       -fsanitize-address-use-after-return=never)
endif()
if(CAJAL_FUZZ)
  list(APPEND cajal_generated_flags -fno-sanitize=fuzzer-no-link)
endif()
function(cajal_exempt_generated_sources target dir)
  get_target_property(sources ${target} SOURCES)
  foreach(src ${sources})
    if(src MATCHES "^${dir}")
      set_source_files_properties(${src} TARGET_DIRECTORY ${target}
        PROPERTIES COMPILE_OPTIONS "${cajal_generated_flags}")
    endif()
  endforeach()
endfunction()
