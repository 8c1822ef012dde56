// The API exactly as `codezero api` composes it (api::ApiLoop per event loop) behind a test
// server on a free port, against a test database with every migration applied.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "api/api_service.h"
#include "http/curl_client.h"
#include "stripe/client.h"
#include "support/environment.h"
#include "support/server_harness.h"

namespace codezero::testing {

inline const std::string kTestQuoteKey = "test-secret-test-secret-test-secret-1234";

// Settings for tests: two loops, small pool, quick catalog refresh, the test signing key.
api::ApiSettings TestApiSettings(const std::string& database_url, const std::string& redis_url);

class ApiServer {
 public:
  explicit ApiServer(api::ApiSettings settings);
  ~ApiServer();
  [[nodiscard]] std::uint16_t port() const { return harness_.port(); }
  [[nodiscard]] const auth::PasswordHasher& hasher() const { return *hasher_; }
  // The first loop's routes: every loop registers the same.
  [[nodiscard]] const api::ApiLoop& loop() const { return *loops_.front(); }

 private:
  api::ApiSettings settings_;
  // Reset before the loops go (see ~ApiServer): a hash still running posts its result to them.
  std::unique_ptr<auth::PasswordHasher> hasher_;
  std::unique_ptr<http::CurlClient> curl_;  // reset before the loops go (see ~ApiServer)
  std::unique_ptr<stripe::Client> stripe_;
  std::vector<std::unique_ptr<api::ApiLoop>> loops_;
  ServerHarness harness_;
};

// Applies the migrations built into the binary to `database` (blocking).
void ApplyMigrations(const TestDatabase& database);

}  // namespace codezero::testing
