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

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace cajal {

struct Error {
  std::string message;
};

inline Error makeError(std::string message) { return Error{std::move(message)}; }

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

private:
  std::optional<Error> err;
};

} // namespace cajal

#endif // CAJAL_CHIP_RESULT_H
