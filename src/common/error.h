// Expected failures are values: every fallible function returns `Result<T>`, an
// `Error` when it fails. An `Error` says what kind of failure happened (its `code`, which one
// function in http/ maps to an HTTP status), a message that is safe to show to the caller, an
// internal `reason` for logs and retry decisions (a SQLSTATE, a Redis error prefix), and for
// validation failures the list of offending fields.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace codezero {

enum class ErrorCode {
  kBadRequest,            // malformed syntax: invalid JSON, a missing required header
  kUnauthenticated,       // no or invalid credentials
  kForbidden,             // authenticated, not allowed
  kNotFound,              // no such resource (also: another tenant's resource)
  kMethodNotAllowed,      // the path exists, the method does not
  kConflict,              // state conflict: duplicate, concurrent request
  kGone,                  // existed, but no longer (an expired quote)
  kPreconditionFailed,    // a conditional request's condition is false
  kPayloadTooLarge,       // body over the limit
  kUnsupportedMediaType,  // wrong Content-Type
  kValidationFailed,      // well-formed but invalid fields
  kRateLimited,           // too many requests
  kHeadersTooLarge,       // request headers over the limit
  kInternal,              // a bug or an unexpected state
  kUnavailable,           // a dependency is down or the pool is exhausted
  kTimeout,               // a dependency did not answer in time
};

// One offending field of a validation failure, as RFC 9457's `errors` member lists it.
struct FieldError {
  std::string code;     // machine-readable, e.g. "required", "too_long"
  std::string field;    // JSON pointer-ish path, e.g. "user.email"
  std::string message;  // human-readable
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // safe to show to the client
  std::string reason;   // internal detail for logs and retry decisions; never shown
  std::vector<FieldError> fields;
};

template <class T>
using Result = tl::expected<T, Error>;

using Unexpected = tl::unexpected<Error>;

// Builds the failure branch of a Result: `return Fail(ErrorCode::kNotFound, "no such order");`
[[nodiscard]] Unexpected Fail(ErrorCode code, std::string message, std::string reason = {});

[[nodiscard]] std::string_view ToString(ErrorCode code);

}  // namespace codezero
