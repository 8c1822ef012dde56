// The API process: its settings, and what each event loop runs (a database pool share, a
// Redis connection, the router with every resource's routes).
#pragma once

#include <memory>

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
};

[[nodiscard]] ApiSettings ReadApiSettings(SettingsReader& reader);

// What one event loop of the API owns.
class ApiLoop {
 public:
  ApiLoop(boost::asio::any_io_executor executor, const ApiSettings& settings, std::size_t loops);

  [[nodiscard]] std::shared_ptr<const http::Pipeline> pipeline() const { return pipeline_; }
  [[nodiscard]] db::Pool& database() { return database_; }
  [[nodiscard]] redis::Client& cache() { return cache_; }

  // Stops the pool and the Redis connection so the loop can finish. Call on this loop.
  void Close();

 private:
  db::Pool database_;
  redis::Client cache_;
  std::shared_ptr<const http::Pipeline> pipeline_;
};

// Every route of the API, bound to one loop's dependencies.
[[nodiscard]] std::shared_ptr<const http::Router> BuildApiRouter(ApiLoop& loop);

}  // namespace codezero::api
