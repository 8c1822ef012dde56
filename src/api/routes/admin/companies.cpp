#include "api/routes/admin/admin_routes.h"

#include "common/json_writer.h"
#include "http/json_body.h"
#include "http/query.h"

namespace codezero::api::admin {
namespace {

namespace asio = boost::asio;
using auth::Principal;

constexpr db::Statement kCompanies{
    "admin_companies",
    "SELECT c.id::text, c.name, c.country, iso8601(c.created_at), "
    "(SELECT count(*) FROM users u WHERE u.company_id = c.id AND u.disabled_at IS NULL) "
    "FROM companies c WHERE c.deleted_at IS NULL AND ($1 = '' OR c.name ILIKE '%' || $1 || '%') "
    "ORDER BY c.created_at DESC, c.id LIMIT $2 OFFSET $3"};
asio::awaitable<Result<http::Response>> ListCompanies(const AccountDependencies& deps,
                                                      http::Request& request,
                                                      http::RequestContext& context,
                                                      const Principal&) {
  const std::string search = http::QueryParameter(context.query, "q").value_or("");
  const auto page = PageOf(context.query);
  if (!page) co_return tl::unexpected(page.error());
  auto rows =
      co_await deps.database.Execute(kCompanies, search, static_cast<long long>(page->limit),
                                     static_cast<long long>(page->offset));
  if (!rows) co_return tl::unexpected(rows.error());
  JsonWriter json(256);
  json.BeginObject();
  json.Key("data");
  json.BeginArray();
  for (int row = 0; row < rows->size(); ++row) {
    json.BeginObject();
    json.Member("id", rows->Text(row, 0));
    json.Member("name", rows->Text(row, 1));
    json.Member("country", rows->Text(row, 2));
    json.Member("created_at", rows->Text(row, 3));
    json.Member("members", rows->Int64(row, 4));
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  co_return http::JsonTextResponse(http::Status::ok, std::move(json).Take(), request.version());
}

}  // namespace

void AddCompanyRoutes(RouteTable& routes, const Dependencies& deps) {
  routes.Add(http::Verb::get, "/v1/admin/companies", AdminsOnly("listAdminCompanies"),
             Bound(deps, ListCompanies));
}

}  // namespace codezero::api::admin
