// /healthz, /readyz and /version of the API as composed for production (api::ApiLoop), with a
// real PostgreSQL and Redis, including outages of each.
#include <gtest/gtest.h>

#include <thread>

#include <boost/asio/write.hpp>

#include "api/api_service.h"
#include "support/api_server.h"
#include "support/environment.h"
#include "support/eventually.h"
#include "support/http_client.h"
#include "support/private_redis.h"
#include "support/server_harness.h"

namespace codezero::api {
namespace {

using testing::Get;
using testing::JsonOf;

ApiSettings SettingsFor(const std::string& database_url, const std::string& redis_url) {
  return testing::TestApiSettings(database_url, redis_url);
}

using testing::ApiServer;

// Polls /readyz until it answers `status` (or 10 s pass); returns the last response.
http::Response ReadyzUntil(std::uint16_t port, http::Status status) {
  http::Response response;
  testing::Eventually([&] {
    response = Get(port, "/readyz");
    return response.result() == status;
  });
  return response;
}

TEST(ApiHealth, LivenessNeedsNothing) {
  ApiServer api(SettingsFor("postgresql://x:y@127.0.0.1:1/none", "redis://127.0.0.1:1/0"));
  const auto response = Get(api.port(), "/healthz");
  EXPECT_EQ(response.result(), http::Status::ok);
  EXPECT_EQ(JsonOf(response), (boost::json::value{{"status", "ok"}}));
}

TEST(ApiHealth, ReadyWhenPostgresAndRedisAnswer) {
  testing::TestDatabase database;
  ApiServer api(SettingsFor(database.url(), testing::TestRedisUrl()));
  const auto response = ReadyzUntil(api.port(), http::Status::ok);
  ASSERT_EQ(response.result(), http::Status::ok);
  EXPECT_EQ(
      JsonOf(response),
      (boost::json::value{{"status", "ok"}, {"checks", {{"postgres", "ok"}, {"redis", "ok"}}}}));
}

TEST(ApiHealth, ReadyzTurns503WhileRedisIsStoppedAndBackTo200AfterItRestarts) {
  testing::TestDatabase database;
  testing::PrivateRedis redis;
  ApiServer api(SettingsFor(database.url(), redis.url()));
  ASSERT_EQ(ReadyzUntil(api.port(), http::Status::ok).result(), http::Status::ok);

  redis.Stop();
  const auto down = ReadyzUntil(api.port(), http::Status::service_unavailable);
  ASSERT_EQ(down.result(), http::Status::service_unavailable);
  const auto body = JsonOf(down);
  EXPECT_EQ(body.at("status"), "unavailable");
  EXPECT_EQ(body.at("checks").at("postgres"), "ok");
  EXPECT_NE(body.at("checks").at("redis"), "ok");

  redis.Start();
  const auto up = ReadyzUntil(api.port(), http::Status::ok);
  EXPECT_EQ(up.result(), http::Status::ok);
}

TEST(ApiHealth, ReadyzNamesPostgresWhenTheDatabaseIsUnreachable) {
  ApiServer api(SettingsFor("postgresql://x:y@127.0.0.1:1/none", testing::TestRedisUrl()));
  const auto response = ReadyzUntil(api.port(), http::Status::service_unavailable);
  ASSERT_EQ(response.result(), http::Status::service_unavailable);
  EXPECT_EQ(JsonOf(response).at("checks").at("postgres"), "unavailable");
}

TEST(ApiHealth, ReadyzAnswersInTimeWhenRedisHangs) {
  testing::TestDatabase database;
  testing::PrivateRedis redis;
  ApiServer api(SettingsFor(database.url(), redis.url()));
  ASSERT_EQ(ReadyzUntil(api.port(), http::Status::ok).result(), http::Status::ok);
  boost::asio::io_context context;
  {
    // Pause every Redis client for 3 s; readiness must still answer (503), not hang.
    boost::asio::ip::tcp::socket socket(context);
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), redis.port()});
    const std::string pause = "*4\r\n$6\r\nCLIENT\r\n$5\r\nPAUSE\r\n$4\r\n3000\r\n$3\r\nALL\r\n";
    boost::asio::write(socket, boost::asio::buffer(pause));
    char reply[16];
    socket.read_some(boost::asio::buffer(reply));
  }
  const auto response = Get(api.port(), "/readyz");
  EXPECT_EQ(response.result(), http::Status::service_unavailable);
  EXPECT_EQ(JsonOf(response).at("checks").at("redis"), "timeout");
}

TEST(ApiHealth, VersionNamesTheBuild) {
  ApiServer api(SettingsFor("postgresql://x:y@127.0.0.1:1/none", "redis://127.0.0.1:1/0"));
  const auto body = JsonOf(Get(api.port(), "/version"));
  EXPECT_EQ(body.at("version"), "0.1.0");
  EXPECT_FALSE(body.at("commit").as_string().empty());
  EXPECT_EQ(body.at("built_at").as_string().size(), 20u);
}

}  // namespace
}  // namespace codezero::api
