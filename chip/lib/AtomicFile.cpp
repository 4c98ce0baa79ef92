//===- AtomicFile.cpp - Write a file completely or not at all -------------===//
//
// The temporaries in flight are listed in a fixed table of atomic pointers:
// create() lists a copy of the name, commit()/discard() take it out after
// renaming or removing the file. removeTemporaries(), run from a signal
// handler, exchanges each entry for null and unlinks it; whoever takes a
// pointer out of the table owns it, so the handler and the interrupted code
// never both act on one entry. The handler never frees (free is not
// async-signal-safe): the process ends right after it, and the names it took
// stay reachable in a second table meanwhile.
//
//===----------------------------------------------------------------------===//
#include "cajal/Chip/AtomicFile.h"

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace cajal {
namespace {
/// mkstemp creates 0600; outputs are ordinary files.
constexpr mode_t outputFileMode = 0644;

/// Outputs open at once in one process (a run writes at most five); a
/// temporary beyond the table is still removed by commit()/discard(), only
/// not by removeTemporaries().
constexpr int kRegistrySize = 64;
std::atomic<char *> registry[kRegistrySize];
/// Names removeTemporaries() took out of `registry` (never freed).
std::atomic<char *> removed[kRegistrySize];

int listTemporary(const std::string &temp) {
  char *copy = strdup(temp.c_str());
  if (!copy)
    return -1;
  for (int i = 0; i < kRegistrySize; ++i) {
    char *expected = nullptr;
    if (registry[i].compare_exchange_strong(expected, copy))
      return i;
  }
  std::free(copy);
  return -1;
}

void unlistTemporary(int slot) {
  if (slot >= 0)
    std::free(registry[slot].exchange(nullptr));
}

const char *fileKind(mode_t mode) {
  if (S_ISDIR(mode))
    return "a directory";
  if (S_ISCHR(mode))
    return "a character device";
  if (S_ISBLK(mode))
    return "a block device";
  if (S_ISFIFO(mode))
    return "a FIFO";
  if (S_ISSOCK(mode))
    return "a socket";
  return "not a regular file";
}

Error notRegular(const std::string &path, mode_t mode) {
  return makeError(path + ": is " + fileKind(mode) +
                   "; outputs are written only to regular files");
}
} // namespace

Result<std::string> resolveOutputPath(const std::string &path) {
  if (path.empty())
    return makeError("empty output path");
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) {
    if (errno != ENOENT)
      return makeError(path + ": " + std::strerror(errno));
    const std::filesystem::path parent =
        std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty() && !std::filesystem::is_directory(parent, ec))
      return makeError(path + ": directory " + parent.string() +
                       " does not exist");
    return path;
  }
  if (S_ISREG(st.st_mode))
    return path;
  if (!S_ISLNK(st.st_mode))
    return notRegular(path, st.st_mode);
  // A symbolic link: write the file it points to, keeping the link.
  char *resolved = realpath(path.c_str(), nullptr);
  if (!resolved)
    return makeError(path + ": is a symbolic link to a missing file (" +
                     std::strerror(errno) + "); give the file's path");
  const std::string target = resolved;
  std::free(resolved);
  if (stat(target.c_str(), &st) != 0)
    return makeError(target + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode))
    return notRegular(path + " (a link to " + target + ")", st.st_mode);
  return target;
}

std::string canonicalPath(const std::string &path) {
  std::error_code ec;
  const std::filesystem::path p = std::filesystem::weakly_canonical(
      std::filesystem::absolute(path, ec), ec);
  return ec ? std::string() : p.string();
}

Result<AtomicFile> AtomicFile::create(const std::string &path) {
  Result<std::string> resolved = resolveOutputPath(path);
  if (!resolved)
    return resolved.takeError();
  AtomicFile f;
  f.target = *resolved;
  // mkstemp's template: it replaces the six X with a unique suffix.
  std::string pattern = f.target + ".tmp-XXXXXX";
  const int fd = mkstemp(pattern.data());
  if (fd < 0)
    return makeError(
        path + ": cannot create a temporary file: " + std::strerror(errno));
  f.temp = pattern;
  f.registrySlot = listTemporary(f.temp);
  fchmod(fd, outputFileMode);
  f.file = fdopen(fd, "wb");
  if (!f.file) {
    const std::string why = std::strerror(errno);
    close(fd);
    f.discard();
    return makeError(path + ": cannot open a temporary file: " + why);
  }
  return f;
}

AtomicFile::AtomicFile(AtomicFile &&o) noexcept
    : target(std::move(o.target)), temp(std::move(o.temp)), file(o.file),
      failed(o.failed), registrySlot(o.registrySlot) {
  o.file = nullptr;
  o.temp.clear();
  o.registrySlot = -1;
}

AtomicFile &AtomicFile::operator=(AtomicFile &&o) noexcept {
  if (this != &o) {
    discard();
    target = std::move(o.target);
    temp = std::move(o.temp);
    file = o.file;
    failed = o.failed;
    registrySlot = o.registrySlot;
    o.file = nullptr;
    o.temp.clear();
    o.registrySlot = -1;
  }
  return *this;
}

AtomicFile::~AtomicFile() { discard(); }

void AtomicFile::discard() {
  if (file)
    std::fclose(file);
  file = nullptr;
  if (!temp.empty())
    std::remove(temp.c_str());
  temp.clear();
  unlistTemporary(registrySlot); // after the removal: see the file comment
  registrySlot = -1;
}

void AtomicFile::write(std::string_view text) {
  if (file && !failed &&
      std::fwrite(text.data(), 1, text.size(), file) != text.size())
    failed = true;
}

Status AtomicFile::commit() {
  if (!file)
    return makeError(target + ": file already closed");
  const bool flushed = std::fflush(file) == 0 && !failed;
  const bool closed = std::fclose(file) == 0;
  file = nullptr;
  if (!flushed || !closed) {
    discard();
    return makeError(target + ": write error: " + std::strerror(errno));
  }
  if (std::rename(temp.c_str(), target.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    discard();
    return makeError(target + ": cannot rename the temporary file: " + why);
  }
  temp.clear();
  unlistTemporary(registrySlot);
  registrySlot = -1;
  return Status::ok();
}

void AtomicFile::removeTemporaries() {
  for (int i = 0; i < kRegistrySize; ++i)
    if (char *name = registry[i].exchange(nullptr)) {
      unlink(name);
      removed[i].store(name);
    }
}

} // namespace cajal
