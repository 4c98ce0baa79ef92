//===- Result.h - Value-or-error for code outside MLIR ----------*- C++ -*-===//
//
// The chip library, the golden model and the emulator report bad input as a
// value, never by printing or exiting. An error message names the file, the
// thing and the value ("synfire.cjimg: core 3: compartment 1025 out of range
// (1024 compartments)"); the tools print it as "error: <message>".
//
//===----------------------------------------------------------------------===//
#ifndef CAJAL_CHIP_RESULT_H
#define CAJAL_CHIP_RESULT_H

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace cajal {

/// What an error is about, as data, when it concerns one named thing: the
/// compiler locates the error at that thing (the op of a population, the
/// node of a NIR file) from here, never by searching the message.
struct ErrorSubject {
  enum class Kind : uint8_t {
    None,
    Population,
    Projection,
    Source,
    Node,
    Core
  };
  Kind kind = Kind::None;
  std::string name;  ///< its name (NIR: the node's dotted path; core: index)
  std::string field; ///< the parameter or resource concerned; may be empty
  explicit operator bool() const { return kind != Kind::None; }
};

struct Error {
  Error() = default;
  explicit Error(std::string text, ErrorSubject about = {})
      : message(std::move(text)), subject(std::move(about)) {}
  std::string message;
  ErrorSubject subject; ///< Kind::None when the error concerns no one thing
};

inline Error makeError(std::string message) {
  return Error{std::move(message)};
}
inline Error makeError(std::string message, ErrorSubject subject) {
  return Error{std::move(message), std::move(subject)};
}
/// `error` with `context` before its message ("model.nir: ..."); the subject
/// is kept.
inline Error withContext(const std::string &context, Error error) {
  error.message = context + error.message;
  return error;
}

/// Either a T or an Error. Check with `if (!r)`, read with `*r` / `r->`.
template <typename T> class [[nodiscard]] Result {
public:
  Result(T value) : storage(std::move(value)) {}
  Result(Error error) : storage(std::move(error)) {}

  explicit operator bool() const { return storage.index() == 0; }
  T &operator*() { return std::get<0>(storage); }
  const T &operator*() const { return std::get<0>(storage); }
  T *operator->() { return &std::get<0>(storage); }
  const T *operator->() const { return &std::get<0>(storage); }
  const std::string &error() const { return std::get<1>(storage).message; }
  const ErrorSubject &subject() const { return std::get<1>(storage).subject; }
  Error takeError() { return std::get<1>(std::move(storage)); }

private:
  std::variant<T, Error> storage;
};

/// Success or an Error, for operations without a value.
class [[nodiscard]] Status {
public:
  Status() = default;
  Status(Error error) : err(std::move(error)) {}
  static Status ok() { return Status(); }
  explicit operator bool() const { return !err.has_value(); }
  const std::string &error() const { return err->message; }
  const ErrorSubject &subject() const { return err->subject; }
  Error takeError() { return std::move(*err); }

private:
  std::optional<Error> err;
};

} // namespace cajal

#endif // CAJAL_CHIP_RESULT_H
