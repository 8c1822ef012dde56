// The API layer every /v1 route goes through, in Stripe's manner: the secret key
// (`Authorization: Bearer sk_...` or Basic with the key as user name), form-encoded parameters
// from the body and the query string, `Idempotency-Key` as Stripe keeps it
// (https://docs.stripe.com/api/idempotent_requests: the first response of a key, once the
// endpoint began executing, is kept 24 h and replayed with `Idempotent-Replayed: true`, a 500
// included, with `Stripe-Should-Retry: false`; a request refused by validation (400) keeps
// nothing; other parameters → 400 idempotency_error; the first still running → 409),
// `expand[]`, and the response headers (`Request-Id: req_...`, `Stripe-Version` echoed). Handlers
// are plain functions from an ApiCall to an ApiResult; they run on the one event loop without
// suspending.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

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

// What a /v1 request the router has no route for gets, as at Stripe: 404 with the error
// envelope, "Unrecognized request URL (<METHOD>: <path>)", whatever the method.
[[nodiscard]] http::Response UnrecognizedRequestUrl(const http::Request& request,
                                                    const http::RequestContext& context);

class Api {
 public:
  Api(http::Router& router, Core& core, boost::asio::any_io_executor executor, ApiOptions options);

  void Get(std::string_view pattern, ApiFunction function);
  void Post(std::string_view pattern, ApiFunction function);
  void Delete(std::string_view pattern, ApiFunction function);

  // The 24 h idempotency window, pruned on the engine's tick.
  void PruneIdempotency(std::int64_t now_ms);

  // For tests of a lost answer: the next `count` requests to `method` `path` are carried out
  // (and their idempotent result kept) as usual, but answered only after `delay`, by which
  // time the client has given up.
  void DelayAnswers(http::Verb method, std::string path, int count,
                    std::chrono::milliseconds delay);
  // For tests of Stripe's own failures: the next `count` requests to `method` `path` are
  // carried out, then answered 500 api_error, which is what their idempotency key keeps.
  void FailAnswers(http::Verb method, std::string path, int count);

 private:
  void Add(http::Verb verb, std::string_view pattern, ApiFunction function);

  struct AnswerFault {
    http::Verb method;
    std::string path;
    int count = 0;
    std::chrono::milliseconds delay{0};  // answer this late
    bool internal_error = false;         // answer 500 instead of the result
  };
  struct Shared {
    Core& core;
    boost::asio::any_io_executor executor;
    ApiOptions options;
    std::vector<AnswerFault> faults;
  };
  http::Router& router_;
  std::shared_ptr<Shared> shared_;
};

}  // namespace codezero::stripe_fake
