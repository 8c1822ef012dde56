// Guards a route with a bearer token: `RequireBearer(tokens, Access::kOwner, handler)`.
// No token: 401 with `WWW-Authenticate: Bearer realm="codezero"`; a token that is unknown,
// expired or revoked: 401 with `error="invalid_token"` (RFC 6750 §3); the wrong role: 403.
// The handler gets the caller as a third argument.
#pragma once

#include <functional>

#include <boost/asio/awaitable.hpp>

#include "auth/principal.h"
#include "auth/token_store.h"
#include "http/message.h"

namespace codezero::auth {

enum class Access {
  kUser,           // any signed-in user
  kCompanyMember,  // a user who belongs to a company
  kOwner,          // the owner of the caller's company
  kPlatformAdmin,  // Code Zero staff
};

using AuthenticatedHandler = std::function<boost::asio::awaitable<Result<http::Response>>(
    http::Request&, http::RequestContext&, const Principal&)>;

[[nodiscard]] http::Handler RequireBearer(TokenStore& tokens, Access access,
                                          AuthenticatedHandler handler);

// The token of an `Authorization: Bearer ...` header; empty when there is none.
[[nodiscard]] std::string_view BearerToken(std::string_view authorization);

}  // namespace codezero::auth
