//===- AtomicFile.h - Write a file completely or not at all -----*- C++ -*-===//
//
// Every output Cajal writes (chip images, spike and state CSV, power reports,
// VCD, traces) goes through this class: the bytes go to a temporary beside
// the target (mkstemp), and commit() renames it into place, so an error or
// an interruption never leaves a partial file under the target's name.
//
// Outputs are regular files only: a target that exists as anything else (a
// device, a FIFO, a directory, a socket) is refused, never replaced. A target
// that is a symbolic link is written through: the temporary goes beside the
// file the link points to and replaces that file, so the link stays.
// Temporaries not yet committed are listed in a table that a signal handler
// may clear (removeTemporaries), so that an interrupted program leaves no
// `*.tmp-*` file behind.
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
  /// The temporary. Another writer may fill it, or replace it by renaming
  /// its own file onto it, before commit() moves it into place; so a tool
  /// can stage the outputs of a library that writes to paths.
  const std::string &temporaryPath() const { return temp; }

  /// Remove every temporary not yet committed or discarded. Only
  /// async-signal-safe calls: for a SIGINT/SIGTERM handler that then ends
  /// the process.
  static void removeTemporaries();

private:
  AtomicFile() = default;
  void discard();
  std::string target, temp;
  std::FILE *file = nullptr;
  bool failed = false;
  int registrySlot = -1; ///< where `temp` is listed for removeTemporaries
};

/// Where an output at `path` would be written: `path` itself, or the file a
/// symbolic link at `path` points to. An error names the path when it
/// exists as something other than a regular file, when it is a dangling
/// link, or when its directory does not exist.
Result<std::string> resolveOutputPath(const std::string &path);

/// The canonical absolute form of `path` (symbolic links resolved), also for
/// a file that does not exist yet (its directory is resolved); "" when not
/// even the directory exists. Two paths name the same file when their
/// canonical forms are equal.
std::string canonicalPath(const std::string &path);

} // namespace cajal

#endif // CAJAL_CHIP_ATOMICFILE_H
