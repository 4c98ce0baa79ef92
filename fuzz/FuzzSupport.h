//===- FuzzSupport.h - What every Cajal fuzz target shares ------*- C++ -*-===//
//
// Readers that take a path (profiles with their `base` chain, the compiler's
// image output) get their files in a scratch directory of this process on
// tmpfs, removed at exit. An oracle that fails (a reader accepted what its
// writer or the next stage then rejects) aborts with a message, which
// libFuzzer reports as a crash with the input that caused it.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_FUZZ_FUZZSUPPORT_H
#define CAJAL_FUZZ_FUZZSUPPORT_H

#include <cstddef>
#include <cstdint>
#include <string>

namespace cajal::fuzz {

/// This process's scratch directory (created on first use, on /dev/shm when
/// it is writable, else under $TMPDIR or /tmp; removed at exit).
const std::string &scratchDir();

/// Replace `path` with `size` bytes from `data`; aborts if it cannot.
void writeFile(const std::string &path, const void *data, size_t size);

/// Remove `path` if it exists.
void removeFile(const std::string &path);

/// Whether `path` exists.
bool fileExists(const std::string &path);

/// Print "cajal fuzz oracle: <what>" and trap: libFuzzer keeps the input.
[[noreturn]] void oracleFailure(const std::string &what);

/// CAJAL_FUZZ_VERBOSE=1 in the environment: print the errors the readers
/// return (to replay one input and see why it was refused).
bool verbose();

} // namespace cajal::fuzz

#endif // CAJAL_FUZZ_FUZZSUPPORT_H
