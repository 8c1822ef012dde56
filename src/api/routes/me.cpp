#include "api/routes/me.h"

#include <memory>

#include "api/audit.h"
#include "auth/bearer.h"
#include "common/json_fields.h"
#include "common/json_writer.h"
#include "domain/violation.h"
#include "http/json_body.h"

namespace codezero::api {
namespace {

namespace asio = boost::asio;
using auth::Principal;
using domain::Violation;

constexpr db::Statement kPasswordHash{
    "me_password_hash",
    "SELECT password_hash FROM users WHERE id = $1::uuid AND anonymized_at IS NULL"};
constexpr db::Statement kUpdateProfile{
    "me_update_profile",
    "UPDATE users SET name = coalesce($2, name), locale = coalesce($3, locale), "
    "password_hash = coalesce($4, password_hash) WHERE id = $1::uuid"};
constexpr db::Statement kRevokeOtherRefresh{
    "me_revoke_other_refresh",
    "UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1::uuid "
    "AND family_id <> $2::uuid AND revoked_at IS NULL"};
constexpr db::Statement kRevokeOtherAccess{
    "me_revoke_other_access",
    "UPDATE access_tokens SET revoked_at = now() WHERE user_id = $1::uuid AND family_id <> "
    "$2::uuid "
    "AND revoked_at IS NULL AND expires_at > now() RETURNING encode(token_hash, 'hex')"};

void WriteMe(JsonWriter& json, const Principal& me) {
  json.BeginObject();
  json.Member("id", me.user_id);
  json.Member("email", me.email);
  json.Member("name", me.name);
  json.Member("locale", me.locale);
  json.Key("company_id");
  if (me.company_id.empty()) {
    json.Null();
  } else {
    json.String(me.company_id);
  }
  json.Member("role", me.role);
  json.Member("platform_admin", me.platform_admin);
  json.EndObject();
}

http::Response JsonBody(http::Status status, std::string body, unsigned version) {
  http::Response response(status, version);
  response.set(http::Field::content_type, "application/json");
  response.body() = std::move(body);
  return response;
}

asio::awaitable<Result<http::Response>> ShowMe(http::Request& request, http::RequestContext&,
                                               const Principal& me) {
  JsonWriter json(256);
  WriteMe(json, me);
  co_return JsonBody(http::Status::ok, std::move(json).Take(), request.version());
}

asio::awaitable<Result<http::Response>> UpdateMe(const AccountDependencies& deps,
                                                 http::Request& request,
                                                 http::RequestContext& context,
                                                 const Principal& me) {
  auto body = http::ParseJsonBody(request);
  if (!body) co_return tl::unexpected(body.error());
  JsonFields fields(*body);
  const auto name = fields.String("name", {.required = false, .min_length = 1, .max_length = 200});
  const auto locale =
      fields.String("locale", {.required = false, .min_length = 2, .max_length = 2});
  const auto password =
      fields.String("password", {.required = false, .min_length = 1, .max_length = 1024});
  const auto current =
      fields.String("current_password", {.required = false, .min_length = 1, .max_length = 1024});
  fields.RejectUnknown();
  std::vector<Violation> violations;
  if (auto shape = fields.Finish(); !shape) {
    for (const FieldError& error : shape.error().fields)
      violations.push_back({error.code, error.field, {}});
  }
  if (locale && *locale != "de" && *locale != "en")
    violations.push_back({"unsupported_locale", "locale", {*locale}});
  const auth::PasswordPolicy& policy = deps.hasher.policy();
  if (password) {
    const std::string_view problem = auth::PasswordProblem(policy, *password);
    if (!problem.empty()) {
      violations.push_back(
          {problem == "too_short" ? "password_too_short" : "password_too_long",
           "password",
           {std::to_string(problem == "too_short" ? policy.min_length : policy.max_length)}});
    }
    if (!current) violations.push_back({"required", "current_password", {}});
  }
  const domain::Locale language = me.locale == "en" ? domain::Locale::kEn : domain::Locale::kDe;
  if (!violations.empty()) co_return tl::unexpected(domain::ValidationError(violations, language));

  std::optional<std::string> new_hash;
  if (password) {
    auto stored = co_await deps.database.Execute(kPasswordHash, me.user_id);
    if (!stored) co_return tl::unexpected(stored.error());
    if (stored->empty() || stored->IsNull(0, 0))
      co_return Fail(ErrorCode::kNotFound, "No such user.");
    const auth::Verification check =
        co_await deps.hasher.Verify(std::string(stored->Text(0, 0)), *current);
    if (!check.matches) {
      violations.push_back({"wrong_password", "current_password", {}});
      co_return tl::unexpected(domain::ValidationError(violations, language));
    }
    auto hashed = co_await deps.hasher.Hash(*password);
    if (!hashed) co_return tl::unexpected(hashed.error());
    new_hash = std::move(*hashed);
  }
  const std::string client(context.client);
  std::vector<std::string> evict;
  auto updated =
      co_await deps.database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<int>> {
        auto changed = co_await tx.Execute(kUpdateProfile, me.user_id, name, locale, new_hash);
        if (!changed) co_return tl::unexpected(changed.error());
        if (new_hash) {
          // A new password ends every other session; this one goes on.
          if (auto ok = co_await tx.Execute(kRevokeOtherRefresh, me.user_id, me.family_id); !ok) {
            co_return tl::unexpected(ok.error());
          }
          auto access = co_await tx.Execute(kRevokeOtherAccess, me.user_id, me.family_id);
          if (!access) co_return tl::unexpected(access.error());
          for (int row = 0; row < access->size(); ++row) evict.emplace_back(access->Text(row, 0));
          auto audited =
              co_await Audit(tx, "password_changed", me.user_id, me.company_id, me.user_id, client);
          if (!audited) co_return tl::unexpected(audited.error());
        }
        co_return 0;
      });
  if (!updated) co_return tl::unexpected(updated.error());
  co_await deps.tokens.Evict(std::move(evict));
  co_await deps.tokens.EvictUser(me.user_id);  // cached principals carry the old name/locale
  Principal changed = me;
  if (name) changed.name = *name;
  if (locale) changed.locale = *locale;
  JsonWriter json(256);
  WriteMe(json, changed);
  co_return JsonBody(http::Status::ok, std::move(json).Take(), request.version());
}

}  // namespace

void AddMeRoutes(http::Router& router, const AccountDependencies& dependencies) {
  auto deps = std::make_shared<const AccountDependencies>(dependencies);
  router.Get("/v1/me", auth::RequireBearer(deps->tokens, auth::Access::kUser, ShowMe));
  router.Patch("/v1/me",
               auth::RequireBearer(
                   deps->tokens, auth::Access::kUser,
                   [deps](http::Request& request, http::RequestContext& context,
                          const Principal& me) { return UpdateMe(*deps, request, context, me); }));
}

}  // namespace codezero::api
