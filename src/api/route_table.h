// Where every API route declares its policy next to its handler: who may call it, how large a
// body it takes, whether it needs an Idempotency-Key, which per-address rate limit it counts
// against, and its name in the API document (src/api/openapi.yaml, whose operations a test
// holds against this table). The table wraps the handler in the guards the policy asks for,
// in this order: rate limit, bearer token and role, Idempotency-Key present; so handlers hold
// only their own logic.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/bearer.h"
#include "auth/token_store.h"
#include "http/router.h"
#include "redis/rate_limiter.h"

namespace codezero::api {

enum class Caller {
  kAnyone,         // no credentials
  kUser,           // any signed-in user
  kCompanyMember,  // a user who belongs to a company
  kOwner,          // the owner of the caller's company
  kPlatformAdmin,  // Code Zero staff
};

// Bodies of JSON requests: generous for any form, small enough that a flood costs little.
inline constexpr std::size_t kJsonBodyLimit = 64 * 1024;

struct RoutePolicy {
  std::string_view operation;  // the operationId in the API document, e.g. "createQuote"
  Caller caller = Caller::kAnyone;
  // Refused with 413 from the Content-Length before the body is read (the server's limit,
  // API_MAX_BODY_BYTES, still caps it).
  std::size_t body_limit = kJsonBodyLimit;
  bool idempotency_key = false;  // the request must carry Idempotency-Key (1 to 255 chars)
  // Counted for the client's address before anything else; 429 when over.
  const redis::RateLimit* per_address = nullptr;
};

// A route as declared, for the check against the API document.
struct DeclaredRoute {
  http::Verb method = http::Verb::unknown;
  std::string pattern;
  std::string operation;
  Caller caller = Caller::kAnyone;
  bool idempotency_key = false;
  std::string rate_limit;  // the per-address limit's name; empty when none
};

// What the guards need from the event loop.
struct RouteGuards {
  auth::TokenStore& tokens;
  redis::RateLimiter& limiter;
  std::size_t trusted_proxies = 0;
};

// A handler that calls `function(dependencies, request, context)`, or with the principal as a
// fourth argument for signed-in routes: `routes.Add(verb, path, policy, Bound(deps, Invite))`.
template <typename Dependencies, typename Function>
auto Bound(std::shared_ptr<const Dependencies> dependencies, Function function) {
  return [dependencies = std::move(dependencies), function](auto&... arguments)
             -> decltype(std::declval<Function&>()(std::declval<const Dependencies&>(),
                                                   arguments...)) {
    return function(*dependencies, arguments...);
  };
}

class RouteTable {
 public:
  RouteTable(http::Router& router, RouteGuards guards);

  // A route anyone may call. Throws std::invalid_argument when the policy names a caller
  // (then the handler needs the principal) or has no operation name.
  void Add(http::Verb method, std::string_view pattern, const RoutePolicy& policy,
           http::Handler handler);
  // A route for signed-in callers: the handler gets the principal. Throws
  // std::invalid_argument when the policy's caller is kAnyone or it has no operation name.
  void Add(http::Verb method, std::string_view pattern, const RoutePolicy& policy,
           auth::AuthenticatedHandler handler);

  [[nodiscard]] const std::vector<DeclaredRoute>& routes() const { return routes_; }

 private:
  void Register(http::Verb method, std::string_view pattern, const RoutePolicy& policy,
                http::Handler guarded);

  http::Router& router_;
  RouteGuards guards_;
  std::vector<DeclaredRoute> routes_;
};

}  // namespace codezero::api
