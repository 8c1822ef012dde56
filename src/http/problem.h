// Errors as RFC 9457 problem details (`application/problem+json`):
//   {"type":"https://codezero.ai/problems/validation-failed","title":"Validation failed",
//    "status":422,"detail":"...","instance":"/v1/quotes","request_id":"...",
//    "errors":[{"code":"required","field":"plan","message":"..."}]}
// `HttpStatusOf` is the one place where an error code becomes an HTTP status. Server-side
// failures (5xx) never show their internal message; it goes to the log with the request id.
#pragma once

#include <string_view>

#include "common/error.h"
#include "http/message.h"

namespace codezero::http {

[[nodiscard]] Status HttpStatusOf(ErrorCode code);

// The problem type URI of `code`, e.g. "https://codezero.ai/problems/not-found".
[[nodiscard]] std::string ProblemType(ErrorCode code);

// REQUIRES: `context.request_id` is set. `version` is the request's HTTP version (11 = 1.1).
[[nodiscard]] Response ProblemResponse(const Error& error, const RequestContext& context,
                                       unsigned version = 11);

}  // namespace codezero::http
