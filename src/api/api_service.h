// The API process: its settings, and what each event loop runs (a database pool share, a
// Redis connection, the catalog cache, the router with every resource's routes).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/catalog_cache.h"
#include "api/vies_client.h"
#include "common/settings.h"
#include "db/pool.h"
#include "http/pipeline.h"
#include "http/server_options.h"
#include "redis/client.h"

namespace codezero::api {

struct ApiSettings {
  http::ServerOptions server;
  db::PoolOptions database;  // the process's total; each loop gets a share
  redis::ClientOptions cache;
  // QUOTE_SIGNING_SECRET first, then QUOTE_SIGNING_SECRET_PREVIOUS (still accepted).
  std::vector<std::string> quote_signing_keys;
  std::chrono::milliseconds catalog_refresh{5'000};
  std::optional<ViesOptions> vies;  // VIES_URL set
};

[[nodiscard]] ApiSettings ReadApiSettings(SettingsReader& reader);

// What one event loop of the API owns.
class ApiLoop {
 public:
  ApiLoop(boost::asio::any_io_executor executor, const ApiSettings& settings, std::size_t loops);

  [[nodiscard]] std::shared_ptr<const http::Pipeline> pipeline() const { return pipeline_; }

  // Stops background work (catalog refresh, Redis reconnects, the pool) so the loop can
  // finish. Call on this loop.
  void Close();

 private:
  db::Pool database_;
  redis::Client cache_;
  CatalogCache catalogs_;
  std::unique_ptr<ViesClient> vies_;
  std::shared_ptr<const http::Pipeline> pipeline_;
};

}  // namespace codezero::api
