#include "api/routes/admin/admin_routes.h"

#include "api/audit.h"
#include "common/json_writer.h"
#include "common/uuid.h"
#include "http/json_body.h"
#include "http/query.h"

namespace codezero::api::admin {
namespace {

namespace asio = boost::asio;
using auth::Principal;

constexpr db::Statement kUsers{
    "admin_users",
    "SELECT id::text, email, name, coalesce(company_id::text, ''), role, platform_admin, "
    "email_verified_at IS NOT NULL, disabled_at IS NOT NULL, iso8601(created_at) FROM users "
    "WHERE anonymized_at IS NULL AND ($1 = '' OR email ILIKE '%' || $1 || '%' OR name ILIKE '%' || "
    "$1 || '%') "
    "ORDER BY created_at DESC, id LIMIT $2 OFFSET $3"};
constexpr db::Statement kDisableUser{
    "admin_disable_user",
    "UPDATE users SET disabled_at = coalesce(disabled_at, now()) WHERE id = $1::uuid "
    "AND anonymized_at IS NULL RETURNING coalesce(company_id::text, '')"};
asio::awaitable<Result<http::Response>> ListUsers(const AccountDependencies& deps,
                                                  http::Request& request,
                                                  http::RequestContext& context, const Principal&) {
  const std::string search = http::QueryParameter(context.query, "q").value_or("");
  const auto page = PageOf(context.query);
  if (!page) co_return tl::unexpected(page.error());
  auto rows = co_await deps.database.Execute(kUsers, search, static_cast<long long>(page->limit),
                                             static_cast<long long>(page->offset));
  if (!rows) co_return tl::unexpected(rows.error());
  JsonWriter json(256);
  json.BeginObject();
  json.Key("data");
  json.BeginArray();
  for (int row = 0; row < rows->size(); ++row) {
    json.BeginObject();
    json.Member("id", rows->Text(row, 0));
    json.Member("email", rows->Text(row, 1));
    json.Member("name", rows->Text(row, 2));
    json.NullableMember("company_id", rows->Text(row, 3));
    json.Member("role", rows->Text(row, 4));
    json.Member("platform_admin", rows->Bool(row, 5));
    json.Member("email_verified", rows->Bool(row, 6));
    json.Member("disabled", rows->Bool(row, 7));
    json.Member("created_at", rows->Text(row, 8));
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  co_return http::JsonTextResponse(http::Status::ok, std::move(json).Take(), request.version());
}

asio::awaitable<Result<http::Response>> DisableUser(const AccountDependencies& deps,
                                                    http::Request& request,
                                                    http::RequestContext& context,
                                                    const Principal& admin) {
  const std::string user_id(context.Param("id"));
  if (!IsUuid(user_id)) co_return Fail(ErrorCode::kNotFound, "No such user.");
  if (user_id == admin.user_id)
    co_return Fail(ErrorCode::kConflict, "You cannot disable yourself.");
  const std::string client(context.client);
  std::vector<std::string> evict;
  auto disabled =
      co_await deps.database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<bool>> {
        auto user = co_await tx.Execute(kDisableUser, user_id);
        if (!user) co_return tl::unexpected(user.error());
        if (user->empty()) co_return false;
        auto revoked = co_await deps.tokens.RevokeUser(tx, user_id);
        if (!revoked) co_return tl::unexpected(revoked.error());
        evict = std::move(*revoked);
        const std::string company_id(user->Text(0, 0));
        auto audited =
            co_await Audit(tx, "admin_user_disabled", admin.user_id, company_id, user_id, client);
        if (!audited) co_return tl::unexpected(audited.error());
        co_return true;
      });
  if (!disabled) co_return tl::unexpected(disabled.error());
  if (!*disabled) co_return Fail(ErrorCode::kNotFound, "No such user.");
  co_await deps.tokens.Evict(std::move(evict));
  co_return http::Response(http::Status::no_content, request.version());
}

}  // namespace

void AddUserRoutes(RouteTable& routes, const Dependencies& deps) {
  routes.Add(http::Verb::get, "/v1/admin/users", AdminsOnly("listAdminUsers"),
             Bound(deps, ListUsers));
  routes.Add(http::Verb::post, "/v1/admin/users/{id}/disable", AdminsOnly("disableUser"),
             Bound(deps, DisableUser));
}

}  // namespace codezero::api::admin
