#include "api/route_table.h"

#include <stdexcept>

#include "api/idempotent_request.h"
#include "api/rate_limits.h"
#include "http/client_address.h"

namespace codezero::api {
namespace {

namespace asio = boost::asio;

auth::Access AccessOf(Caller caller) {
  switch (caller) {
    case Caller::kUser:
      return auth::Access::kUser;
    case Caller::kCompanyMember:
      return auth::Access::kCompanyMember;
    case Caller::kOwner:
      return auth::Access::kOwner;
    case Caller::kPlatformAdmin:
    case Caller::kAnyone:
      break;
  }
  return auth::Access::kPlatformAdmin;
}

std::string Describe(http::Verb method, std::string_view pattern) {
  return std::string(boost::beast::http::to_string(method)) + " " + std::string(pattern);
}

// Refuses a request without a usable Idempotency-Key before `inner` runs.
template <typename Handler>
Handler WithIdempotencyKey(Handler inner) {
  return
      [inner = std::move(inner)](http::Request& request, http::RequestContext& context,
                                 auto&&... principal) -> asio::awaitable<Result<http::Response>> {
        if (auto key = IdempotencyKeyOf(request); !key)
          co_return tl::unexpected(std::move(key.error()));
        co_return co_await inner(request, context, principal...);
      };
}

// Counts the request against the policy's per-address limit before `inner` runs.
http::Handler WithAddressLimit(const RoutePolicy& policy, const RouteGuards& guards,
                               http::Handler inner) {
  if (policy.per_address == nullptr) return inner;
  return [inner = std::move(inner), limit = *policy.per_address, &limiter = guards.limiter,
          proxies = guards.trusted_proxies](
             http::Request& request,
             http::RequestContext& context) -> asio::awaitable<Result<http::Response>> {
    std::string address = http::ClientAddress(request, context, proxies);
    const redis::RateDecision decision = co_await limiter.Check(limit, std::move(address));
    if (!decision.allowed) co_return TooManyRequests(limit, decision, context, request.version());
    co_return co_await inner(request, context);
  };
}

}  // namespace

RouteTable::RouteTable(http::Router& router, RouteGuards guards)
    : router_(router), guards_(guards) {}

void RouteTable::Add(http::Verb method, std::string_view pattern, const RoutePolicy& policy,
                     http::Handler handler) {
  if (policy.caller != Caller::kAnyone) {
    throw std::invalid_argument(Describe(method, pattern) +
                                " names a caller but its handler takes no principal");
  }
  if (policy.idempotency_key) handler = WithIdempotencyKey(std::move(handler));
  Register(method, pattern, policy, WithAddressLimit(policy, guards_, std::move(handler)));
}

void RouteTable::Add(http::Verb method, std::string_view pattern, const RoutePolicy& policy,
                     auth::AuthenticatedHandler handler) {
  if (policy.caller == Caller::kAnyone) {
    throw std::invalid_argument(Describe(method, pattern) +
                                " takes a principal but its policy lets anyone call it");
  }
  if (policy.idempotency_key) handler = WithIdempotencyKey(std::move(handler));
  http::Handler authenticated =
      auth::RequireBearer(guards_.tokens, AccessOf(policy.caller), std::move(handler));
  Register(method, pattern, policy, WithAddressLimit(policy, guards_, std::move(authenticated)));
}

void RouteTable::Register(http::Verb method, std::string_view pattern, const RoutePolicy& policy,
                          http::Handler guarded) {
  if (policy.operation.empty()) {
    throw std::invalid_argument(Describe(method, pattern) + " has no operation name");
  }
  router_.Add(method, pattern, std::move(guarded),
              {.body_limit = policy.body_limit, .name = std::string(policy.operation)});
  routes_.push_back(DeclaredRoute{
      .method = method,
      .pattern = std::string(pattern),
      .operation = std::string(policy.operation),
      .caller = policy.caller,
      .idempotency_key = policy.idempotency_key,
      .rate_limit = policy.per_address != nullptr ? policy.per_address->name : std::string()});
}

}  // namespace codezero::api
