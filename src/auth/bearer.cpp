#include "auth/bearer.h"

#include "http/problem.h"

namespace codezero::auth {
namespace {

namespace asio = boost::asio;

http::Response Unauthorized(const http::RequestContext& context, unsigned version,
                            bool token_sent) {
  http::Response response = http::ProblemResponse(
      Error{ErrorCode::kUnauthenticated,
            token_sent ? "The access token is invalid, expired or revoked."
                       : "This needs an access token: 'Authorization: Bearer <token>'.",
            "",
            {}},
      context, version);
  response.set(http::Field::www_authenticate,
               token_sent ? R"(Bearer realm="codezero", error="invalid_token")"
                          : R"(Bearer realm="codezero")");
  return response;
}

bool Allowed(const Principal& principal, Access access) {
  switch (access) {
    case Access::kUser:
      return true;
    case Access::kCompanyMember:
      return !principal.company_id.empty();
    case Access::kOwner:
      return principal.IsOwner();
    case Access::kPlatformAdmin:
      return principal.platform_admin;
  }
  return false;
}

}  // namespace

std::string_view BearerToken(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";  // the scheme is case-insensitive (RFC 9110)
  if (authorization.size() <= kScheme.size()) return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    const char c = authorization[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != kScheme[i]) return {};
  }
  std::string_view token = authorization.substr(7);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  return token;
}

http::Handler RequireBearer(TokenStore& tokens, Access access, AuthenticatedHandler handler) {
  return [&tokens, access, handler = std::move(handler)](
             http::Request& request,
             http::RequestContext& context) -> asio::awaitable<Result<http::Response>> {
    const std::string token(BearerToken(request[http::Field::authorization]));
    if (token.empty()) co_return Unauthorized(context, request.version(), false);
    auto principal = co_await tokens.Authenticate(token);
    if (!principal) {
      if (principal.error().code != ErrorCode::kUnauthenticated) {
        co_return tl::unexpected(principal.error());  // the database is down: 503, not 401
      }
      co_return Unauthorized(context, request.version(), true);
    }
    context.user_id = principal->user_id;
    if (!Allowed(*principal, access)) {
      co_return Fail(ErrorCode::kForbidden, "Your role does not allow this.");
    }
    co_return co_await handler(request, context, *principal);
  };
}

}  // namespace codezero::auth
