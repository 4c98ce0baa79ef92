//===- AtomicFile.cpp - Write a file completely or not at all -------------===//
#include "cajal/Chip/AtomicFile.h"

#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace cajal {
namespace {
/// mkstemp creates 0600; outputs are ordinary files.
constexpr mode_t outputFileMode = 0644;
} // namespace

Result<AtomicFile> AtomicFile::create(const std::string &path) {
  AtomicFile f;
  f.target = path;
  std::string pattern = path + ".tmp-XXXXXX";
  const int fd = mkstemp(pattern.data());
  if (fd < 0)
    return makeError(
        path + ": cannot create a temporary file: " + std::strerror(errno));
  f.temp = pattern;
  fchmod(fd, outputFileMode);
  f.file = fdopen(fd, "wb");
  if (!f.file) {
    close(fd);
    std::remove(f.temp.c_str());
    return makeError(path +
                     ": cannot open a temporary file: " + std::strerror(errno));
  }
  return f;
}

AtomicFile::AtomicFile(AtomicFile &&o) noexcept
    : target(std::move(o.target)), temp(std::move(o.temp)), file(o.file),
      failed(o.failed) {
  o.file = nullptr;
  o.temp.clear();
}

AtomicFile &AtomicFile::operator=(AtomicFile &&o) noexcept {
  if (this != &o) {
    discard();
    target = std::move(o.target);
    temp = std::move(o.temp);
    file = o.file;
    failed = o.failed;
    o.file = nullptr;
    o.temp.clear();
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
  return Status::ok();
}

} // namespace cajal
