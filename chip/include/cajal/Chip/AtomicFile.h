//===- AtomicFile.h - Write a file completely or not at all -----*- C++ -*-===//
//
// Every output Cajal writes (chip images, spike and state CSV, power reports,
// VCD, traces) goes through this class: the bytes go to a temporary beside
// the target (mkstemp), and commit() renames it into place, so an error or
// an interruption never leaves a partial file under the target's name.
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_CHIP_ATOMICFILE_H
#define CAJAL_CHIP_ATOMICFILE_H

#include "cajal/Chip/Result.h"

#include <cstdio>
#include <string>
#include <string_view>

namespace cajal {

/// A file written to `path.tmp-*` and renamed to `path` by commit().
/// Destroying it before commit() removes the temporary.
class AtomicFile {
public:
  static Result<AtomicFile> create(const std::string &path);
  AtomicFile(AtomicFile &&o) noexcept;
  AtomicFile &operator=(AtomicFile &&o) noexcept;
  AtomicFile(const AtomicFile &) = delete;
  AtomicFile &operator=(const AtomicFile &) = delete;
  ~AtomicFile();

  void write(std::string_view text);
  /// Flush, close and rename into place.
  Status commit();
  const std::string &path() const { return target; }

private:
  AtomicFile() = default;
  void discard();
  std::string target, temp;
  std::FILE *file = nullptr;
  bool failed = false;
};

} // namespace cajal

#endif // CAJAL_CHIP_ATOMICFILE_H
