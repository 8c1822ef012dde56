// POST /v1/consents: proof of a visitor's consent choice, over HTTP against a real database.
#include <gtest/gtest.h>

#include "support/api_server.h"
#include "support/environment.h"
#include "support/eventually.h"
#include "support/http_client.h"

namespace codezero::api {
namespace {

using testing::JsonOf;

class ConsentsApi : public ::testing::Test {
 protected:
  ConsentsApi() {
    testing::ApplyMigrations(database);
    ApiSettings settings = testing::TestApiSettings(database.url(), testing::TestRedisUrl());
    settings.rate_limits.consent_per_address.limit = 3;
    settings.trusted_proxies = 1;  // as behind `codezero web`, which names the visitor
    settings.server.threads = 1;   // so that /readyz speaks for the loop that counts
    api = std::make_unique<testing::ApiServer>(std::move(settings));
  }
  // A post for the visitor at `address` (X-Forwarded-For, as web sends it); by default one
  // address per post.
  http::Response Post(const std::string& body, std::string address = "") {
    http::Request request = testing::MakeRequest(http::Verb::post, "/v1/consents", body);
    request.set("X-Forwarded-For",
                address.empty() ? testing::UniqueKeyPrefix() + std::to_string(++posts_) : address);
    return testing::Fetch(api->port(), std::move(request));
  }

  int posts_ = 0;

  testing::TestDatabase database;
  std::unique_ptr<testing::ApiServer> api;
};

TEST_F(ConsentsApi, AFirstChoiceGetsAConsentIdAndLaterOnesContinueIt) {
  const http::Response first = Post(
      R"({"action":"accept_all","policy_version":"2026-11-29","user_agent_class":"mobile, Safari"})");
  ASSERT_EQ(first.result(), http::Status::created) << first.body();
  const auto body = JsonOf(first);
  const std::string id(body.at("consent_id").as_string());
  EXPECT_EQ(id.size(), 36U);
  EXPECT_EQ(body.at("statistics"), true);
  EXPECT_EQ(body.at("marketing"), true);
  EXPECT_TRUE(body.at("recorded_at").as_string().ends_with("Z"));

  const http::Response withdrawn =
      Post(R"({"consent_id":")" + id +
           R"(","action":"custom","statistics":false,"marketing":false,)"
           R"("policy_version":"2026-11-29","user_agent_class":"mobile, Safari"})");
  ASSERT_EQ(withdrawn.result(), http::Status::created) << withdrawn.body();
  EXPECT_EQ(JsonOf(withdrawn).at("consent_id").as_string(), id);
  EXPECT_EQ(database.QueryValue("SELECT string_agg(action || ':' || statistics, ',' ORDER BY id) "
                                "FROM consent_records WHERE consent_id = '" +
                                id + "'"),
            "accept_all:true,custom:false");
}

TEST_F(ConsentsApi, PostsAreLimitedPerVisitorAddress) {
  const std::string body =
      R"({"action":"reject_all","policy_version":"1","user_agent_class":"desktop, Firefox"})";
  const std::string visitor = testing::UniqueKeyPrefix() + "visitor";
  // Limits are counted in Redis, which the API's loop connects to in the background (until
  // then they are not counted: docs/operations.md).
  ASSERT_TRUE(testing::Eventually([&] {
    return testing::Fetch(api->port(), testing::MakeRequest(http::Verb::get, "/readyz")).result() ==
           http::Status::ok;
  }));
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Post(body, visitor).result(), http::Status::created) << i;
  }
  const http::Response limited = Post(body, visitor);
  ASSERT_EQ(limited.result(), http::Status::too_many_requests);
  EXPECT_FALSE(limited[http::Field::retry_after].empty());
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM consent_records"), "3");
  EXPECT_EQ(Post(body, testing::UniqueKeyPrefix() + "another").result(), http::Status::created)
      << "another visitor behind the same web instance has a limit of their own";
}

TEST_F(ConsentsApi, TheActionDecidesAndACustomChoiceNamesEveryCategory) {
  const http::Response rejected =
      Post(R"({"action":"reject_all","statistics":true,"policy_version":"3",)"
           R"("user_agent_class":"desktop, Firefox"})");
  ASSERT_EQ(rejected.result(), http::Status::created);
  EXPECT_EQ(JsonOf(rejected).at("statistics"), false) << "reject all means all off";
  const http::Response incomplete =
      Post(R"({"action":"custom","statistics":true,"policy_version":"3","user_agent_class":"x"})");
  EXPECT_EQ(incomplete.result(), http::Status::unprocessable_entity);
}

TEST_F(ConsentsApi, RefusesWhatItCannotRecordHonestly) {
  const char* const malformed_id =
      R"({"consent_id":"not-a-uuid","action":"accept_all","policy_version":"1",)"
      R"("user_agent_class":"x"})";
  for (const char* body :
       {R"({"action":"accept_everything","policy_version":"1","user_agent_class":"x"})",
        R"({"action":"accept_all","policy_version":"with space","user_agent_class":"x"})",
        R"({"action":"accept_all","policy_version":"1","user_agent_class":""})", malformed_id,
        R"({"action":"accept_all","policy_version":"1","user_agent_class":"x","ip":"1.2.3.4"})"}) {
    EXPECT_EQ(Post(body).result(), http::Status::unprocessable_entity) << body;
  }
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM consent_records"), "0");
}

TEST_F(ConsentsApi, ARecordIsNeverChanged) {
  ASSERT_EQ(Post(R"({"action":"reject_all","policy_version":"1","user_agent_class":"x"})").result(),
            http::Status::created);
  EXPECT_THROW(database.Execute("UPDATE consent_records SET statistics = true"),
               std::runtime_error);
  EXPECT_EQ(database.QueryValue("SELECT statistics FROM consent_records"), "f");
}

}  // namespace
}  // namespace codezero::api
