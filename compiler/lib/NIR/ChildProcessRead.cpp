//===- ChildProcessRead.cpp - Read a NIR file in a child process ----------===//
//
// A NIR file is outside data, and the HDF5 library that decodes it (Debian's
// libhdf5 1.10) reads past buffers and divides by zero on some damaged
// object headers, inside calls as plain as H5Dopen2, before any check of
// Cajal's can look at the bytes. So the whole read (structure, shapes,
// parameters) runs in a forked child process, which sends the File back
// through a pipe in a small tagged binary form; when the child dies of a
// signal, or exits without a complete answer, the parent reports the file as
// damaged and carries on. The parent decodes the answer with every count
// checked against the bytes that are left, so no allocation is sized by a
// number it has not seen the data for.
//
//===----------------------------------------------------------------------===//
#include "NIRParams.h"

#include "cajal/NIR/NIRGraph.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <sys/wait.h>
#include <unistd.h>

// Under a sanitizer, a crash in the child would run the death callback a
// fuzzer installed (libFuzzer saves the input as a crash of its own
// process); the parent reports the child's crash instead.
extern "C" __attribute__((weak)) void
__sanitizer_set_death_callback(void (*callback)(void));

namespace cajal::nir {

namespace {

enum class Tag : uint8_t { File = 'F', Error = 'E' };

/// The child's side: append values to a byte string.
class Encoder {
public:
  std::string bytes;
  void u64(uint64_t v) { bytes.append(reinterpret_cast<char *>(&v), 8); }
  void f64(double v) { bytes.append(reinterpret_cast<char *>(&v), 8); }
  void str(const std::string &s) {
    u64(s.size());
    bytes += s;
  }
  void array(const Array &a) {
    u64(a.shape.size());
    for (int64_t d : a.shape)
      u64(uint64_t(d));
    u64(a.count);
    u64(a.values.size());
    for (double v : a.values)
      f64(v);
    u64(a.text.size());
    for (const std::string &t : a.text)
      str(t);
    u64(uint64_t(a.isText) | uint64_t(a.loaded) << 1);
    str(a.source);
  }
  void graph(const Graph &g) {
    u64(g.nodes.size());
    for (const Node &n : g.nodes) {
      str(n.name);
      str(n.type);
      u64(n.params.size());
      for (const auto &[name, array] : n.params) {
        str(name);
        this->array(array);
      }
      u64(n.graph ? 1 : 0);
      if (n.graph)
        graph(*n.graph);
    }
    u64(g.edges.size());
    for (const auto &[from, to] : g.edges) {
      str(from);
      str(to);
    }
  }
};

/// The parent's side: read values back, refusing any count larger than the
/// bytes left could hold (`unit` bytes per element at least).
class Decoder {
public:
  explicit Decoder(const std::string &bytes) : data(bytes) {}
  bool ok = true;

  uint64_t u64() {
    uint64_t v = 0;
    if (!take(8))
      return 0;
    std::memcpy(&v, data.data() + pos - 8, 8);
    return v;
  }
  double f64() {
    double v = 0;
    if (!take(8))
      return 0;
    std::memcpy(&v, data.data() + pos - 8, 8);
    return v;
  }
  /// A count of elements of at least `unit` bytes each.
  size_t count(size_t unit) {
    const uint64_t n = u64();
    if (n > (data.size() - pos) / unit)
      ok = false;
    return ok ? size_t(n) : 0;
  }
  std::string str() {
    const size_t n = count(1);
    if (!take(n))
      return {};
    return data.substr(pos - n, n);
  }
  Array array() {
    Array a;
    a.shape.resize(count(8));
    for (int64_t &d : a.shape)
      d = int64_t(u64());
    a.count = u64();
    a.values.resize(count(8));
    for (double &v : a.values)
      v = f64();
    a.text.resize(count(8));
    for (std::string &t : a.text)
      t = str();
    const uint64_t flags = u64();
    a.isText = flags & 1;
    a.loaded = flags & 2;
    a.source = str();
    return a;
  }
  /// `depth` bounds the recursion as the reader bounds nested graphs.
  Graph graph(unsigned depth) {
    Graph g;
    if (depth > kMaxGraphDepth)
      ok = false;
    g.nodes.resize(count(8 * 4));
    for (Node &n : g.nodes) {
      n.name = str();
      n.type = str();
      const size_t params = count(8 * 2);
      for (size_t i = 0; i < params && ok; ++i) {
        std::string name = str();
        n.params[name] = array();
      }
      if (u64() && ok)
        n.graph = std::make_unique<Graph>(graph(depth + 1));
    }
    g.edges.resize(count(8 * 2));
    for (auto &[from, to] : g.edges) {
      from = str();
      to = str();
    }
    return g;
  }
  bool atEnd() const { return ok && pos == data.size(); }

private:
  bool take(size_t n) {
    if (!ok || n > data.size() - pos)
      return ok = false;
    pos += n;
    return true;
  }
  const std::string &data;
  size_t pos = 0;
};

std::string encode(const Result<File> &result) {
  Encoder out;
  if (!result) {
    out.bytes += char(Tag::Error);
    out.str(result.error());
    out.u64(uint64_t(result.subject().kind));
    out.str(result.subject().name);
    out.str(result.subject().field);
    return std::move(out.bytes);
  }
  out.bytes += char(Tag::File);
  out.str(result->path);
  out.str(result->version);
  out.graph(result->graph);
  return std::move(out.bytes);
}

/// The child's answer, or nullopt when it is incomplete or malformed.
std::optional<Result<File>> decode(const std::string &bytes) {
  if (bytes.empty())
    return std::nullopt;
  const std::string body = bytes.substr(1);
  Decoder in(body);
  if (bytes[0] == char(Tag::Error)) {
    Error error(in.str());
    const uint64_t kind = in.u64();
    error.subject.name = in.str();
    error.subject.field = in.str();
    if (!in.atEnd() || kind > uint64_t(ErrorSubject::Kind::Core))
      return std::nullopt;
    error.subject.kind = ErrorSubject::Kind(kind);
    return Result<File>(std::move(error));
  }
  if (bytes[0] != char(Tag::File))
    return std::nullopt;
  File file;
  file.path = in.str();
  file.version = in.str();
  file.graph = in.graph(0);
  if (!in.atEnd())
    return std::nullopt;
  return Result<File>(std::move(file));
}

bool writeAll(int fd, const std::string &bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    done += size_t(n);
  }
  return true;
}

} // namespace

Result<File> readInChildProcess(const std::string &path,
                                llvm::function_ref<Result<File>()> read) {
  int fds[2];
  if (::pipe(fds) != 0)
    return makeError(path +
                     ": cannot create a pipe to read the file in a "
                     "child process: " +
                     std::strerror(errno));
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int err = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    return makeError(path + ": cannot start a child process to read the " +
                     "file: " + std::strerror(err));
  }
  if (pid == 0) {
    ::close(fds[0]);
    if (__sanitizer_set_death_callback)
      __sanitizer_set_death_callback(nullptr);
    const bool sent = writeAll(fds[1], encode(read()));
    // _exit: no atexit handlers, static destructors or leak check of the
    // parent's state in the child.
    ::_exit(sent ? 0 : 1);
  }
  ::close(fds[1]);
  std::string answer;
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    answer.append(buffer, size_t(n));
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  const std::string damaged =
      path + ": the HDF5 library failed while reading the file (";
  const std::string tail = "): the file is damaged or not a NIR file";
  if (WIFSIGNALED(status))
    return makeError(damaged + "signal " + std::to_string(WTERMSIG(status)) +
                     ", " + strsignal(WTERMSIG(status)) + tail);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return makeError(damaged + "exit status " +
                     std::to_string(WEXITSTATUS(status)) + tail);
  std::optional<Result<File>> result = decode(answer);
  if (!result)
    return makeError(damaged + "an incomplete answer" + tail);
  return std::move(*result);
}

} // namespace cajal::nir
