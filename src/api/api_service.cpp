#include "api/api_service.h"

#include "api/routes/catalog.h"
#include "api/routes/health.h"
#include "api/routes/quotes.h"
#include "db/pool_options.h"
#include "http/security_headers.h"
#include "redis/client_options.h"

namespace codezero::api {
namespace {

constexpr std::size_t kMinimumKeyBytes = 32;

void ReadQuoteSettings(SettingsReader& reader, ApiSettings& settings) {
  const std::string key =
      reader.String({.name = "QUOTE_SIGNING_SECRET",
                     .help = "HMAC key that signs quote tokens (at least 32 bytes of randomness)",
                     .secret = true,
                     .required = true});
  if (!key.empty() && key.size() < kMinimumKeyBytes) {
    reader.AddProblem("QUOTE_SIGNING_SECRET", "must be at least 32 characters long");
  }
  settings.quote_signing_keys.push_back(key);
  const std::string previous =
      reader.String({.name = "QUOTE_SIGNING_SECRET_PREVIOUS",
                     .help = "the key before a rotation: tokens it signed are still accepted",
                     .secret = true});
  if (!previous.empty()) settings.quote_signing_keys.push_back(previous);
  settings.catalog_refresh =
      reader.Milliseconds({.name = "CATALOG_REFRESH_MS",
                           .default_value = "5000",
                           .help = "how often to look for a new catalog version"},
                          10, 3'600'000);
  settings.vies = ReadViesOptions(reader);
}

}  // namespace

ApiSettings ReadApiSettings(SettingsReader& reader) {
  ApiSettings settings;
  settings.server = http::ReadServerOptions(reader, "API", 8081);
  settings.database = db::ReadPoolOptions(reader, "codezero-api", settings.server.threads);
  settings.cache = redis::ReadClientOptions(reader);
  ReadQuoteSettings(reader, settings);
  return settings;
}

ApiLoop::ApiLoop(boost::asio::any_io_executor executor, const ApiSettings& settings,
                 std::size_t loops)
    : database_(executor, db::ShareOfPool(settings.database, loops)),
      cache_(executor, settings.cache),
      catalogs_(executor, database_, settings.catalog_refresh) {
  if (settings.vies) vies_ = std::make_unique<ViesClient>(executor, *settings.vies, cache_);
  auto router = std::make_shared<http::Router>();
  AddHealthRoutes(*router, {.database = database_, .cache = cache_});
  AddCatalogRoutes(*router, catalogs_);
  AddQuoteRoutes(*router, {.database = database_,
                           .catalogs = catalogs_,
                           .signing_keys = settings.quote_signing_keys,
                           .vies = vies_.get()});
  pipeline_ = std::make_shared<http::Pipeline>(router, http::SecurityHeaders::ForApi());
  catalogs_.StartRefreshing();
}

void ApiLoop::Close() {
  catalogs_.Close();
  database_.Close();
  cache_.Close();
}

}  // namespace codezero::api
