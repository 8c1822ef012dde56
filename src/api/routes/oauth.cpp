#include "api/routes/oauth.h"

#include <algorithm>
#include <memory>

#include "api/audit.h"
#include "api/rate_limits.h"
#include "common/json_writer.h"
#include "common/log.h"
#include "domain/email_address.h"
#include "http/client_address.h"
#include "http/query.h"

namespace codezero::api {
namespace {

namespace asio = boost::asio;

constexpr db::Statement kFindLogin{
    "oauth_find_login",
    "SELECT id::text, password_hash, email_verified_at IS NOT NULL, disabled_at IS NOT NULL, "
    "coalesce(company_id::text, '') FROM users WHERE email = $1 AND anonymized_at IS NULL"};
constexpr db::Statement kRehash{"oauth_rehash",
                                "UPDATE users SET password_hash = $2 WHERE id = $1::uuid"};

// Media types compare without regard to case (RFC 9110 §8.3.1).
bool IsFormEncoded(std::string_view content_type) {
  std::string_view media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  constexpr std::string_view kForm = "application/x-www-form-urlencoded";
  return media.size() == kForm.size() &&
         std::equal(media.begin(), media.end(), kForm.begin(), [](char a, char b) {
           return (a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a) == b;
         });
}

// Why an OAuth request's form cannot be read; empty when it can.
std::string_view FormProblem(const http::Request& request) {
  if (!IsFormEncoded(request[http::Field::content_type])) {
    return "Send the parameters as application/x-www-form-urlencoded.";
  }
  if (http::HasRepeatedParameter(request.body())) {
    return "Each parameter may be sent only once (RFC 6749 section 3.2).";
  }
  return {};
}

http::Response NoStore(http::Response response) {
  response.set(http::Field::cache_control, "no-store");
  response.set(http::Field::pragma, "no-cache");
  return response;
}

// RFC 6749 §5.2. `reason` (an extension member, absent when empty) tells a client which of the
// invalid_grant cases it is, so it can say so in its own words and language.
http::Response OAuthError(unsigned version, std::string_view error, std::string_view description,
                          std::string_view reason = {}) {
  JsonWriter json(160);
  json.BeginObject();
  json.Member("error", error);
  json.Member("error_description", description);
  if (!reason.empty()) json.Member("reason", reason);
  json.EndObject();
  http::Response response(http::Status::bad_request, version);
  response.set(http::Field::content_type, "application/json");
  response.body() = std::move(json).Take();
  return NoStore(std::move(response));
}

http::Response TokenResponse(unsigned version, const auth::IssuedTokens& tokens) {
  JsonWriter json(256);
  json.BeginObject();
  json.SafeMember("access_token", tokens.access_token);
  json.Member("token_type", "Bearer");
  json.Member("expires_in", tokens.expires_in);
  json.SafeMember("refresh_token", tokens.refresh_token);
  json.EndObject();
  http::Response response(http::Status::ok, version);
  response.set(http::Field::content_type, "application/json");
  response.body() = std::move(json).Take();
  return NoStore(std::move(response));
}

constexpr std::string_view kWrongCredentials = "The e-mail address or the password is wrong.";

asio::awaitable<Result<http::Response>> PasswordGrant(const AccountDependencies& deps,
                                                      http::Request& request,
                                                      http::RequestContext& context) {
  const auto username = http::QueryParameter(request.body(), "username");
  const auto password = http::QueryParameter(request.body(), "password");
  if (!username || !password || username->empty() || password->empty()) {
    co_return OAuthError(request.version(), "invalid_request",
                         "username and password are required.");
  }
  const std::string email = domain::NormalizeEmail(*username);

  const std::string address = http::ClientAddress(request, context, deps.trusted_proxies);
  const auto per_address = co_await deps.limiter.Check(deps.limits.login_per_address, address);
  if (!per_address.allowed)
    co_return TooManyRequests(deps.limits.login_per_address, per_address, context,
                              request.version());
  const auto per_account =
      co_await deps.limiter.Check(deps.limits.login_per_account, domain::CanonicalEmail(email));
  if (!per_account.allowed)
    co_return TooManyRequests(deps.limits.login_per_account, per_account, context,
                              request.version());

  const std::string client(context.client);
  auto found = co_await deps.database.Execute(kFindLogin, email);
  if (!found) co_return tl::unexpected(found.error());
  if (found->empty() || found->IsNull(0, 1)) {
    // As long as a real check; a full queue answers 503 as it would for a real account.
    if (auto waited = co_await deps.hasher.VerifyNothing(*password); !waited)
      co_return tl::unexpected(waited.error());
    co_await AuditRefusal(deps.database, "login_failed", "", "", "", client,
                          R"({"reason":"unknown_account"})");
    co_return OAuthError(request.version(), "invalid_grant", kWrongCredentials,
                         "wrong_credentials");
  }
  const std::string user_id(found->Text(0, 0));
  const std::string stored_hash(found->Text(0, 1));
  const bool verified = found->Bool(0, 2);
  const bool disabled = found->Bool(0, 3);
  const std::string company_id(found->Text(0, 4));

  auto verification = co_await deps.hasher.Verify(stored_hash, *password);
  if (!verification) co_return tl::unexpected(verification.error());
  const auth::Verification check = *verification;
  if (!check.matches) {
    co_await AuditRefusal(deps.database, "login_failed", "", company_id, user_id, client,
                          R"({"reason":"wrong_password"})");
    co_return OAuthError(request.version(), "invalid_grant", kWrongCredentials,
                         "wrong_credentials");
  }
  // Past this point the caller knows the password: saying why is no disclosure.
  if (disabled)
    co_return OAuthError(request.version(), "invalid_grant", "This account is disabled.",
                         "account_disabled");
  if (!verified) {
    co_return OAuthError(request.version(), "invalid_grant",
                         "The e-mail address is not confirmed yet; please use the link we sent.",
                         "email_unverified");
  }
  if (check.needs_rehash) {
    auto rehashed = co_await deps.hasher.Hash(*password);
    if (rehashed) (void)co_await deps.database.Execute(kRehash, user_id, *rehashed);
  }
  auto issued = co_await deps.database.Transact(
      [&](db::Transaction& tx) -> asio::awaitable<Result<auth::IssuedTokens>> {
        auto tokens = co_await deps.tokens.IssueFamily(tx, user_id);
        if (!tokens) co_return tl::unexpected(tokens.error());
        auto entry = co_await Audit(tx, "login_succeeded", user_id, company_id, user_id, client);
        if (!entry) co_return tl::unexpected(entry.error());
        co_return std::move(*tokens);
      });
  if (!issued) co_return tl::unexpected(issued.error());
  http::Response response = TokenResponse(request.version(), *issued);
  SetRateLimitHeaders(deps.limits.login_per_account, per_account, response);
  co_return response;
}

asio::awaitable<Result<http::Response>> RefreshGrant(const AccountDependencies& deps,
                                                     http::Request& request,
                                                     http::RequestContext& context) {
  const auto refresh_token = http::QueryParameter(request.body(), "refresh_token");
  if (!refresh_token || refresh_token->empty()) {
    co_return OAuthError(request.version(), "invalid_request", "refresh_token is required.");
  }
  auto rotated = co_await deps.tokens.Rotate(*refresh_token, std::string(context.client));
  if (!rotated) {
    if (rotated.error().code == ErrorCode::kUnauthenticated) {
      co_return OAuthError(request.version(), "invalid_grant", rotated.error().message);
    }
    co_return tl::unexpected(rotated.error());
  }
  co_return TokenResponse(request.version(), *rotated);
}

asio::awaitable<Result<http::Response>> Token(const AccountDependencies& deps,
                                              http::Request& request,
                                              http::RequestContext& context) {
  if (const std::string_view problem = FormProblem(request); !problem.empty()) {
    co_return OAuthError(request.version(), "invalid_request", problem);
  }
  const auto grant = http::QueryParameter(request.body(), "grant_type");
  if (!grant) co_return OAuthError(request.version(), "invalid_request", "grant_type is required.");
  if (*grant == "password") co_return co_await PasswordGrant(deps, request, context);
  if (*grant == "refresh_token") co_return co_await RefreshGrant(deps, request, context);
  JsonWriter json(128);
  json.BeginObject();
  json.Member("error", "unsupported_grant_type");
  json.Member("error_description", "Supported: password, refresh_token.");
  json.EndObject();
  http::Response response(http::Status::bad_request, request.version());
  response.set(http::Field::content_type, "application/json");
  response.body() = std::move(json).Take();
  co_return NoStore(std::move(response));
}

asio::awaitable<Result<http::Response>> Revoke(const AccountDependencies& deps,
                                               http::Request& request, http::RequestContext&) {
  if (const std::string_view problem = FormProblem(request); !problem.empty()) {
    co_return OAuthError(request.version(), "invalid_request", problem);
  }
  const auto token = http::QueryParameter(request.body(), "token");
  if (!token || token->empty())
    co_return OAuthError(request.version(), "invalid_request", "token is required.");
  auto revoked = co_await deps.tokens.Revoke(*token);
  if (!revoked) co_return tl::unexpected(revoked.error());
  co_return NoStore(http::Response(http::Status::ok, request.version()));
}

}  // namespace

void AddOAuthRoutes(RouteTable& routes, const AccountDependencies& dependencies) {
  auto deps = std::make_shared<const AccountDependencies>(dependencies);
  // The address and account limits of sign-in are counted inside Token: its refusals are
  // RFC 6749 errors, and the account is known only from the form.
  routes.Add(http::Verb::post, "/v1/oauth/token", {.operation = "issueToken"}, Bound(deps, Token));
  routes.Add(http::Verb::post, "/v1/oauth/revoke", {.operation = "revokeToken"},
             Bound(deps, Revoke));
}

}  // namespace codezero::api
