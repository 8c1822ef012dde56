// The API process: its settings, and what each event loop runs (a database pool share, a
// Redis connection, the catalog cache, the router with every resource's routes).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/catalog_cache.h"
#include "api/discount_cache.h"
#include "api/rate_limits.h"
#include "api/route_table.h"
#include "api/vies_client.h"
#include "auth/password_hasher.h"
#include "auth/token_store.h"
#include "billing/stripe_objects.h"
#include "common/settings.h"
#include "db/pool.h"
#include "http/pipeline.h"
#include "http/server_options.h"
#include "redis/client.h"
#include "redis/idempotency_store.h"
#include "redis/rate_limiter.h"
#include "stripe/client.h"

namespace codezero::api {

struct ApiSettings {
  http::ServerOptions server;
  http::ServerOptions metrics_server;  // GET /metrics (cli/metrics_listener.h)
  db::PoolOptions database;            // the process's total; each loop gets a share
  redis::ClientOptions cache;
  // QUOTE_SIGNING_SECRET first, then QUOTE_SIGNING_SECRET_PREVIOUS (still accepted).
  std::vector<std::string> quote_signing_keys;
  std::chrono::milliseconds catalog_refresh{5'000};
  std::optional<ViesOptions> vies;  // VIES_URL set
  // VIES_REQUIRED: a reverse charge needs VIES to confirm the VAT ID; without VIES set up,
  // format and check digits alone give "oss" (on by default; scripts/dev turns it off).
  bool vies_required = true;
  auth::PasswordPolicy password_policy;
  std::size_t password_threads = 1;
  std::size_t password_queue = auth::kDefaultHashQueue;  // hashes waiting beyond the threads
  auth::TokenOptions token_options;
  std::string public_web_url = "http://127.0.0.1:8080";
  std::size_t trusted_proxies = 0;
  RateLimits rate_limits;
  stripe::ClientOptions stripe;
  std::vector<std::string> stripe_webhook_secrets;  // STRIPE_WEBHOOK_SECRETS
  // How often reading an unpaid order may ask Stripe about it (ORDER_STRIPE_CHECK_INTERVAL_MS).
  std::chrono::milliseconds order_check_interval{3'000};
};

[[nodiscard]] ApiSettings ReadApiSettings(SettingsReader& reader);

// What the API's event loops share: one per process, each with threads or state of its own.
struct ApiShared {
  auth::PasswordHasher& hasher;
  stripe::Client& stripe;  // over the process's http::CurlClient
};

// What one event loop of the API owns.
class ApiLoop {
 public:
  ApiLoop(boost::asio::any_io_executor executor, const ApiSettings& settings, std::size_t loops,
          ApiShared shared);

  [[nodiscard]] std::shared_ptr<const http::Pipeline> pipeline() const { return pipeline_; }
  // Every route and the policies the API's own routes declared (the test that holds them
  // against the API document reads these).
  [[nodiscard]] const http::Router& router() const { return *router_; }
  [[nodiscard]] const std::vector<DeclaredRoute>& declared_routes() const {
    return declared_routes_;
  }

  // Stops background work (catalog refresh, Redis reconnects, the pool) so the loop can
  // finish. Call on this loop.
  void Close();

 private:
  db::Pool database_;
  redis::Client cache_;
  CatalogCache catalogs_;
  DiscountCache discounts_;
  std::unique_ptr<ViesClient> vies_;
  auth::TokenStore tokens_;
  redis::RateLimiter limiter_;
  redis::IdempotencyStore idempotency_;
  billing::StripeObjects stripe_objects_;
  std::shared_ptr<const http::Router> router_;
  std::vector<DeclaredRoute> declared_routes_;
  std::shared_ptr<const http::Pipeline> pipeline_;
};

}  // namespace codezero::api
