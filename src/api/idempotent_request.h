// Runs a POST handler at most once per `Idempotency-Key` (redis/idempotency_store.h):
//
// - no key, or one longer than 255 characters: 400;
// - the key's first request is still running: 409;
// - the key was used with another body: 422 `idempotency_key_reused`;
// - the key was answered before: that answer again, with `Idempotent-Replayed: true`;
// - otherwise the handler runs; a 2xx answer is kept for 24 hours, a failure gives the key up
//   so that the client can retry it.
// If Redis cannot be asked, the handler runs anyway: the handler's own database constraint
// (one order per user and key) still keeps the effect single.
#pragma once

#include <functional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "domain/locale.h"
#include "http/message.h"
#include "redis/idempotency_store.h"

namespace codezero::api {

struct IdempotentCall {
  std::string key;          // the client's Idempotency-Key
  std::string fingerprint;  // hex SHA-256 of method, path and body
};

using IdempotentHandler =
    std::function<boost::asio::awaitable<Result<http::Response>>(const IdempotentCall&)>;

// `scope` separates clients (e.g. "user:<id>"): one client's key never replays another's answer.
// `locale`: the language of a 422.
[[nodiscard]] boost::asio::awaitable<Result<http::Response>> RunIdempotently(
    redis::IdempotencyStore& store, std::string scope, domain::Locale locale,
    const http::Request& request, const http::RequestContext& context, IdempotentHandler handler);

// The request's Idempotency-Key, or the 400 for a missing one or one over 255 characters.
[[nodiscard]] Result<std::string_view> IdempotencyKeyOf(const http::Request& request);

// The fingerprint of a request: method, path and body.
[[nodiscard]] std::string RequestFingerprint(const http::Request& request, std::string_view path);

}  // namespace codezero::api
