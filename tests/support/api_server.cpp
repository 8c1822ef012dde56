#include "support/api_server.h"

#include <stdexcept>

#include "db/migrator.h"
#include "redis/client_options.h"
#include "support/contract_recorder.h"
#include "support/run_async.h"

namespace codezero::testing {

api::ApiSettings TestApiSettings(const std::string& database_url, const std::string& redis_url) {
  api::ApiSettings settings;
  settings.server.threads = 2;
  settings.database.connect.url = database_url;
  settings.database.size = 4;
  settings.database.acquire_timeout = std::chrono::milliseconds(1000);
  settings.cache.endpoint = redis::ParseRedisUrl(redis_url).value();
  settings.cache.max_reconnect_delay = std::chrono::milliseconds(200);
  settings.quote_signing_keys = {kTestQuoteKey};
  settings.catalog_refresh = std::chrono::milliseconds(100);
  // No VIES in most tests: format and check digits suffice for a reverse charge, as in
  // scripts/dev. Tests of the production rule turn it on.
  settings.vies_required = false;
  // Every test's limits are its own (tests share one Redis and all come from 127.0.0.1) and
  // generous; a test about limits sets its own.
  const std::string suffix = "_" + UniqueKeyPrefix().substr(5, 12);
  for (redis::RateLimit* limit : settings.rate_limits.Each()) {
    limit->name += suffix;
    limit->limit = 10'000;
  }
  return settings;
}

ApiServer::ApiServer(api::ApiSettings settings)
    : settings_(std::move(settings)),
      hasher_(std::make_unique<auth::PasswordHasher>(settings_.password_policy, 2,
                                                     settings_.password_queue)),
      curl_(std::make_unique<http::CurlClient>()),
      stripe_(std::make_unique<stripe::Client>(*curl_, settings_.stripe)),
      harness_(settings_.server, [this](boost::asio::io_context& loop) {
        loops_.push_back(
            std::make_unique<api::ApiLoop>(loop.get_executor(), settings_, 2,
                                           api::ApiShared{.hasher = *hasher_, .stripe = *stripe_}));
        return loops_.back()->pipeline();
      }) {
  RegisterApiPort(port());
}

ApiServer::~ApiServer() {
  UnregisterApiPort(port());
  harness_.Stop();
  stripe_.reset();
  curl_.reset();    // fails what is still running, posting to the stopped (but live) loops
  hasher_.reset();  // joins its threads; a hash under way posts to the stopped (but live) loops
  loops_.clear();   // before the harness destroys the event loops they are bound to
}

void ApplyMigrations(const TestDatabase& database) {
  boost::asio::io_context context;
  auto report = RunAsync(context, [&]() -> boost::asio::awaitable<Result<db::MigrationReport>> {
    db::ConnectOptions options;
    options.url = database.url();
    auto connection = co_await db::Connection::Open(context.get_executor(), options);
    if (!connection) co_return tl::unexpected(connection.error());
    co_return co_await db::Migrate(**connection, db::EmbeddedMigrations());
  }());
  if (!report)
    throw std::runtime_error("migrations failed: " + report.error().message + " " +
                             report.error().reason);
}

}  // namespace codezero::testing
