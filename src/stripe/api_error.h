// Stripe's error envelope, decoded: {"error": {"type", "code", "decline_code", "message",
// "param"}} with the HTTP status, plus the failures that never reached Stripe (no connection,
// a timeout). A caller decides on `kind`; the rest is for logs and for the customer (a card
// decline's message is safe to show).
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"

namespace codezero::stripe {

enum class ApiErrorKind {
  kConnection,      // no answer: network, timeout, TLS (the request may or may not have run)
  kApi,             // 5xx: Stripe's own failure
  kAuthentication,  // 401: the secret key is wrong
  kPermission,      // 403
  kCard,            // 402: a card was declined
  kIdempotency,     // 400 idempotency_error: a key reused with other parameters (our bug)
  kConflict,        // 409: a request with the same key is still running (try again)
  kInvalidRequest,  // 400/404: our request is wrong (a bug or a missing object)
  kRateLimit,       // 429
};

struct ApiError {
  ApiErrorKind kind = ApiErrorKind::kApi;
  int status = 0;  // 0 for kConnection
  std::string type;
  std::string code;  // e.g. "resource_missing", "card_declined"
  std::string decline_code;
  std::string message;
  std::string param;
  std::string request_id;  // Stripe's Request-Id, for support
};

// Reads a non-2xx answer; an unreadable body still gives an error of the status's kind.
[[nodiscard]] ApiError DecodeApiError(int status, std::string_view body,
                                      std::string_view request_id);

[[nodiscard]] std::string_view ToString(ApiErrorKind kind);

// The platform's view of a failed Stripe call, for an HTTP answer: Stripe unreachable or
// failing, or a request with the same key still running, is 503 (try again); anything else a
// 500 (our bug or configuration), an idempotency_error included: the same key with other
// parameters fails again however often it is sent. The details go to `reason`, never to the
// client.
[[nodiscard]] Error ToError(const ApiError& error);

}  // namespace codezero::stripe
