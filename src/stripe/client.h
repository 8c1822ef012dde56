// The client for Stripe's API (https://docs.stripe.com/api), the same code against
// api.stripe.com with a real key and against `codezero stripe-fake` locally:
//
// - `Authorization: Bearer <STRIPE_SECRET_KEY>` and a pinned `Stripe-Version`, so the objects
//   we read keep the shape we parse;
// - form-encoded bodies with Stripe's brackets (form_encoding.h);
// - every POST carries an `Idempotency-Key`: the caller names what it does ("order:<id>:
//   checkout_session") and the client appends a digest of the request (IdempotencyKeyFor), so a
//   retry, a crashed request's second try or two workers doing the same thing create one object
//   at Stripe, and a key is never sent again with other parameters (Stripe would answer
//   `idempotency_error`, https://docs.stripe.com/api/idempotent_requests);
// - retries with exponential backoff and jitter on connection failures, 409, 429 and 5xx, and
//   whenever Stripe says `Stripe-Should-Retry: true` (never when it says false);
// - Stripe's error envelope decoded into an ApiError.
#pragma once

#include <chrono>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "common/settings.h"
#include "http/curl_client.h"
#include "stripe/api_error.h"
#include "stripe/form_encoding.h"

namespace codezero::stripe {

// The API version whose object shapes this code reads.
inline constexpr std::string_view kApiVersion = "2024-06-20";

struct ClientOptions {
  std::string secret_key;  // empty: payments not configured
  std::string api_base = "https://api.stripe.com";
  std::chrono::milliseconds timeout{30'000};
  int max_retries = 2;
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{5'000};
};

// STRIPE_SECRET_KEY, STRIPE_API_BASE, STRIPE_TIMEOUT_MS, STRIPE_MAX_RETRIES.
[[nodiscard]] ClientOptions ReadClientOptions(SettingsReader& reader);

template <class T>
using Outcome = tl::expected<T, ApiError>;

class Client {
 public:
  // REQUIRES: `transport` outlives the client.
  Client(http::CurlClient& transport, ClientOptions options);

  [[nodiscard]] bool configured() const { return !options_.secret_key.empty(); }

  // `path` is like "/v1/checkout/sessions". `operation` names what the call does, stable across
  // retries and processes ("order:<id>:checkout_session"); the Idempotency-Key sent is
  // IdempotencyKeyFor(operation, path, fields). REQUIRES: operation is not empty, at most 200
  // characters.
  [[nodiscard]] boost::asio::awaitable<Outcome<boost::json::object>> Post(std::string path,
                                                                          FormFields fields,
                                                                          std::string operation);
  [[nodiscard]] boost::asio::awaitable<Outcome<boost::json::object>> Get(std::string path,
                                                                         FormFields query = {});
  [[nodiscard]] boost::asio::awaitable<Outcome<boost::json::object>> Delete(std::string path,
                                                                            FormFields query = {});

 private:
  boost::asio::awaitable<Outcome<boost::json::object>> Send(http::Verb method, std::string path,
                                                            FormFields fields,
                                                            std::string idempotency_key);

  http::CurlClient& transport_;
  ClientOptions options_;
};

// "<operation>:<16 hex digits>": the digits are the start of a SHA-256 of the path and the
// form-encoded parameters. The same operation with byte-identical parameters gets the same key
// (Stripe replays the first answer); with other parameters it gets another key, never Stripe's
// idempotency_error. So parameters of calls that must be replayed (a checkout session after a
// lost answer) are kept stable by their callers.
[[nodiscard]] std::string IdempotencyKeyFor(std::string_view operation, std::string_view path,
                                            std::string_view form);

// The delay before retry number `retry` (0 for the first): initial × 2^retry, capped, then
// scaled by `jitter` in [0.5, 1] so that clients failing together do not retry together.
[[nodiscard]] std::chrono::milliseconds RetryDelay(const ClientOptions& options, int retry,
                                                   double jitter);

// Whether an answer with `status` (0: no answer) and a Stripe-Should-Retry header value
// (empty when absent) is worth another try.
[[nodiscard]] bool ShouldRetry(int status, std::string_view should_retry_header);

}  // namespace codezero::stripe
