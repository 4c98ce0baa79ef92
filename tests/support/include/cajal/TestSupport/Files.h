//===- Files.h - Scratch directories and whole files for tests -*- C++ -*-===//
#ifndef CAJAL_TESTSUPPORT_FILES_H
#define CAJAL_TESTSUPPORT_FILES_H

#include <algorithm>
#include <cstdlib>
#include <dirent.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>
#include <vector>

namespace cajal::test {

/// Entries of a directory (without . and ..), sorted; empty if it cannot be
/// read.
inline std::vector<std::string> listDir(const std::string &path) {
  std::vector<std::string> out;
  if (DIR *d = opendir(path.c_str())) {
    while (dirent *e = readdir(d)) {
      const std::string n = e->d_name;
      if (n != "." && n != "..")
        out.push_back(n);
    }
    closedir(d);
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// A fresh directory under $TMPDIR (or /tmp), removed with everything in it;
/// tests that make it read-only to provoke write errors need not undo that.
class TempDir {
public:
  TempDir() {
    const char *base = std::getenv("TMPDIR");
    // mkdtemp's template: it replaces the six X with a unique suffix.
    std::string pattern =
        std::string(base && *base ? base : "/tmp") + "/cajal-test-XXXXXX";
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    path = mkdtemp(buf.data()) ? std::string(buf.data()) : std::string();
  }
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;
  ~TempDir() {
    if (path.empty())
      return;
    chmod(path.c_str(), 0755);
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  std::string file(const std::string &name) const { return path + "/" + name; }
  std::vector<std::string> files() const { return listDir(path); }
  std::string path;
};

inline std::string readBytes(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
}

inline void writeBytes(const std::string &path, const std::string &bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

inline bool fileExists(const std::string &path) {
  return access(path.c_str(), F_OK) == 0;
}

inline bool has(const std::string &s, const std::string &part) {
  return s.find(part) != std::string::npos;
}

} // namespace cajal::test

#endif // CAJAL_TESTSUPPORT_FILES_H
