#include "api/routes/admin/admin_routes.h"

#include "api/audit.h"
#include "api/catalog_import.h"
#include "common/json_writer.h"
#include "http/json_body.h"

namespace codezero::api::admin {
namespace {

namespace asio = boost::asio;
using auth::Principal;

// A whole catalog with its texts in both languages.
constexpr std::size_t kCatalogBodyLimit = 1024 * 1024;

asio::awaitable<Result<http::Response>> NewCatalogVersion(const AccountDependencies& deps,
                                                          http::Request& request,
                                                          http::RequestContext& context,
                                                          const Principal& admin) {
  auto body = http::ParseJsonBody(request);  // 415 / 400 before the catalog's own rules
  if (!body) co_return tl::unexpected(body.error());
  auto imported = co_await ImportCatalog(deps.database, request.body());
  if (!imported) co_return tl::unexpected(imported.error());
  const std::string client(context.client);
  const std::string details = "{\"version\":" + std::to_string(imported->version) + "}";
  auto audited =
      co_await deps.database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<int>> {
        auto entry =
            co_await Audit(tx, "admin_catalog_imported", admin.user_id, "", "", client, details);
        if (!entry) co_return tl::unexpected(entry.error());
        co_return 0;
      });
  if (!audited) co_return tl::unexpected(audited.error());
  JsonWriter json(64);
  json.BeginObject();
  json.Member("version", imported->version);
  json.Member("created", imported->created);
  json.EndObject();
  co_return http::JsonTextResponse(imported->created ? http::Status::created : http::Status::ok,
                                   std::move(json).Take(), request.version());
}

}  // namespace

void AddCatalogRoutes(RouteTable& routes, const Dependencies& deps) {
  routes.Add(http::Verb::post, "/v1/admin/catalog",
             AdminsOnly("createCatalogVersion", kCatalogBodyLimit), Bound(deps, NewCatalogVersion));
}

}  // namespace codezero::api::admin
