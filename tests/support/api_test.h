// A test fixture for the API over HTTP: a fresh database with every migration, the API as
// production composes it, and the steps most tests start with (sign up, verify, sign in).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "support/api_server.h"
#include "support/environment.h"
#include "support/http_client.h"

namespace codezero::testing {

inline constexpr std::string_view kTestPassword = "correct horse battery";

class ApiTest : public ::testing::Test {
 protected:
  ApiTest();

  // Starts the API; `adjust` changes the test settings first.
  void Start(std::function<void(api::ApiSettings&)> adjust = {});
  // Starts the API on a single event loop and waits until that loop has its Redis connection:
  // only from then on are rate limits counted (before, they fail open: docs/operations.md).
  void StartCountingLimits(std::function<void(api::ApiSettings&)> adjust = {});

  http::Response Send(http::Verb method, const std::string& path, const std::string& body = "",
                      const std::string& token = "",
                      const std::string& content_type = "application/json",
                      const std::vector<std::pair<std::string, std::string>>& headers = {});
  http::Response PostForm(const std::string& path, const std::string& form);
  // Waits until quotes honour (or, with `honoured` false, refuse) the discount
  // `discount_member`, e.g. R"("coupon":"OFF10")": each loop's copy of the discounts follows a
  // change in the database within moments (api/discount_cache.h).
  void WaitForQuotesToSee(const std::string& discount_member, bool honoured = true);

  // The JSON of POST /v1/accounts.
  static std::string SignUpBody(const std::string& email, const std::string& company = "Acme GmbH",
                                const std::string& country = "DE", const std::string& vat_id = "");
  // The token in the newest e-mail of `template_name` to `to`.
  std::string LinkToken(const std::string& template_name, const std::string& to);
  std::string SignUpAndVerify(const std::string& email, const std::string& company = "Acme GmbH",
                              const std::string& country = "DE", const std::string& vat_id = "");

  struct Tokens {
    std::string access;
    std::string refresh;
  };
  Tokens Login(const std::string& email, std::string_view password = kTestPassword);
  // Creates a platform admin with `codezero admin create-user` and signs them in.
  Tokens LoginAsNewPlatformAdmin(const std::string& email);
  http::Response Refresh(const std::string& refresh_token);

  TestDatabase database;
  std::string redis_url = TestRedisUrl();
  std::unique_ptr<ApiServer> api;
};

}  // namespace codezero::testing
