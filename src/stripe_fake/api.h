// The API layer every /v1 route goes through, in Stripe's manner: the secret key
// (`Authorization: Bearer sk_...` or Basic with the key as user name), form-encoded parameters
// from the body and the query string, `Idempotency-Key` (the first response of a key is kept
// 24 h and replayed with `Idempotent-Replayed: true`; other parameters → 400
// idempotency_error; the first still running → 409), `expand[]`, and the response headers
// (`Request-Id: req_...`, `Stripe-Version` echoed). Handlers are plain functions from an
// ApiCall to an ApiResult; they run on the one event loop without suspending.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/json/object.hpp>

#include "http/router.h"
#include "stripe_fake/core.h"
#include "stripe_fake/errors.h"
#include "stripe_fake/settings.h"

namespace codezero::stripe_fake {

struct ApiCall {
  const http::Request& request;
  const http::RequestContext& context;
  boost::json::object params;

  [[nodiscard]] std::string Param(std::string_view name) const {
    return std::string(context.Param(name));
  }
};

using ApiFunction = std::function<ApiResult(ApiCall&)>;

struct ApiOptions {
  std::string api_key;
  std::chrono::milliseconds latency{0};
};

class Api {
 public:
  Api(http::Router& router, Core& core, boost::asio::any_io_executor executor, ApiOptions options);

  void Get(std::string_view pattern, ApiFunction function);
  void Post(std::string_view pattern, ApiFunction function);
  void Delete(std::string_view pattern, ApiFunction function);

  // The 24 h idempotency window, pruned on the engine's tick.
  void PruneIdempotency(std::int64_t now_ms);

 private:
  void Add(http::Verb verb, std::string_view pattern, ApiFunction function);

  struct Shared {
    Core& core;
    boost::asio::any_io_executor executor;
    ApiOptions options;
  };
  http::Router& router_;
  std::shared_ptr<Shared> shared_;
};

}  // namespace codezero::stripe_fake
