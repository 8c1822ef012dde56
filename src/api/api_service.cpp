#include "api/api_service.h"

#include "api/routes/health.h"
#include "db/pool_options.h"
#include "http/security_headers.h"
#include "redis/client_options.h"

namespace codezero::api {

ApiSettings ReadApiSettings(SettingsReader& reader) {
  ApiSettings settings;
  settings.server = http::ReadServerOptions(reader, "API", 8081);
  settings.database = db::ReadPoolOptions(reader, "codezero-api", settings.server.threads);
  settings.cache = redis::ReadClientOptions(reader);
  return settings;
}

ApiLoop::ApiLoop(boost::asio::any_io_executor executor, const ApiSettings& settings,
                 std::size_t loops)
    : database_(executor, db::ShareOfPool(settings.database, loops)),
      cache_(executor, settings.cache) {
  pipeline_ = std::make_shared<http::Pipeline>(BuildApiRouter(*this),
                                               http::SecurityHeaders::ForApi());
}

void ApiLoop::Close() {
  database_.Close();
  cache_.Close();
}

std::shared_ptr<const http::Router> BuildApiRouter(ApiLoop& loop) {
  auto router = std::make_shared<http::Router>();
  AddHealthRoutes(*router, {.database = loop.database(), .cache = loop.cache()});
  return router;
}

}  // namespace codezero::api
