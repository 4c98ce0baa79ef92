//===- FuzzSupport.cpp - Scratch files and oracles for the fuzz targets ---===//
#include "FuzzSupport.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;

// Debian's libMLIR is not instrumented: its manual poisoning in
// Dialect::addType reads as a use-after-poison to ASan (TOOLCHAIN.md,
// pitfall 10). An impossible allocation returns null as glibc's malloc
// does (libhdf5 then reports a damaged file) instead of ending the process;
// Cajal's own `new` still throws, and -malloc_limit_mb still reports any
// allocation above the limit. The environment's ASAN_OPTIONS apply on top.
extern "C" const char *__asan_default_options();
extern "C" const char *__asan_default_options() {
  return "allow_user_poisoning=0:allocator_may_return_null=1";
}

namespace cajal::fuzz {

namespace {
std::string makeScratchDir() {
  std::string base = "/dev/shm";
  if (::access(base.c_str(), W_OK) != 0) {
    const char *tmp = std::getenv("TMPDIR");
    base = tmp && *tmp ? tmp : "/tmp";
  }
  // mkdtemp's template: it replaces the six X with a unique suffix.
  std::string pattern = base + "/cajal-fuzz-XXXXXX";
  if (!::mkdtemp(pattern.data()))
    oracleFailure("cannot create a scratch directory under " + base);
  return pattern;
}

void removeScratchDir() {
  std::error_code ignored;
  fs::remove_all(scratchDir(), ignored);
}
} // namespace

const std::string &scratchDir() {
  // Never destroyed: removeScratchDir runs at exit, after static
  // destructors registered later than it.
  static const std::string *dir = [] {
    auto *made = new std::string(makeScratchDir());
    std::atexit(removeScratchDir);
    return made;
  }();
  return *dir;
}

void writeFile(const std::string &path, const void *data, size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(static_cast<const char *>(data), std::streamsize(size));
  if (!out.flush())
    oracleFailure("cannot write the scratch file " + path);
}

void removeFile(const std::string &path) {
  std::error_code ignored;
  fs::remove(path, ignored);
}

bool fileExists(const std::string &path) {
  std::error_code ignored;
  return fs::exists(path, ignored);
}

void oracleFailure(const std::string &what) {
  std::fprintf(stderr, "cajal fuzz oracle: %s\n", what.c_str());
  std::fflush(stderr);
  // A trap, not abort(): once LLVM has installed its signal handlers (an
  // llvm::ToolOutputFile does), abort() ends the process without reaching
  // libFuzzer's handler, so the input would not be saved. LLVM's handler
  // puts libFuzzer's back and the trap fires again into it.
  __builtin_trap();
}

bool verbose() {
  static const bool on = [] {
    const char *v = std::getenv("CAJAL_FUZZ_VERBOSE");
    return v && *v && std::string(v) != "0";
  }();
  return on;
}

} // namespace cajal::fuzz
