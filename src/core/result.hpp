#pragma once
// Result<T>: the value of an expected outcome (invalid input, not found, conflict, ...).
// Faults (a lost database, an I/O error) are exceptions, caught at the request boundary.

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace motcua {

enum class ErrorCode {
  kInvalidArgument,       // the input is malformed or breaks a rule (400 / 422)
  kNotFound,              // no such resource (404)
  kConflict,              // the change clashes with the current state (409)
  kInvalidState,          // the transition is not allowed from the current state (409)
  kUnauthenticated,       // no or bad credentials (401)
  kForbidden,             // authenticated, not allowed (403)
  kPayloadTooLarge,       // body over the limit (413)
  kUnsupportedMediaType,  // wrong Content-Type (415)
  kMethodNotAllowed,      // route exists, method does not (405)
  kTooManyRequests,       // a rate limit or a lockout; retry later (429)
  kUnavailable,           // a dependency is down (503)
  kInternal,              // a fault; never carries details to the client (500)
};

// An expected error: a code, a message in Vietnamese and in English, and where it applies
// (a field name or JSON pointer, empty when it is about the whole request).
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message_vi;
  std::string message_en;
  std::string field;
};

inline Error MakeError(ErrorCode code, std::string vi, std::string en, std::string field = {}) {
  return Error{code, std::move(vi), std::move(en), std::move(field)};
}

// A fault of a dependency (the database unreachable, stalled or failing): thrown by the
// infrastructure, answered 503 with Retry-After at the request boundary, never 500.
class UnavailableError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : data_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(data_); }
  const T& value() const& { return std::get<0>(data_); }
  T&& value() && { return std::get<0>(std::move(data_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const Error& error() const { return std::get<1>(data_); }

 private:
  std::variant<T, Error> data_;
};

// For operations that return nothing but may fail.
struct Unit {};
using Status = Result<Unit>;
inline Status OkStatus() { return Unit{}; }

}  // namespace motcua
