// The Redis client against real redis-servers: the shared test server, and private ones the
// tests stop, restart and pause.
#include "redis/client.h"
#include "redis/rate_limiter.h"

#include <gtest/gtest.h>

#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "support/environment.h"
#include "support/private_redis.h"
#include "support/run_async.h"

namespace codezero::redis {
namespace {

namespace asio = boost::asio;
using testing::PrivateRedis;
using testing::RunAsync;

ClientOptions OptionsFor(const std::string& url) {
  ClientOptions options;
  options.endpoint = ParseRedisUrl(url).value();
  options.command_timeout = std::chrono::milliseconds(300);
  options.max_reconnect_delay = std::chrono::milliseconds(200);
  return options;
}

// Runs the loop until the client has connected (or 5 s pass).
bool WaitConnected(asio::io_context& context, Client& client) {
  for (int i = 0; i < 500 && !client.connected(); ++i)
    testing::RunFor(context, std::chrono::milliseconds(10));
  return client.connected();
}

class RedisClientTest : public ::testing::Test {
 protected:
  RedisClientTest() { EXPECT_TRUE(WaitConnected(context, client)); }
  std::string Key(const std::string& name) { return prefix + name; }

  asio::io_context context;
  Client client{context.get_executor(), OptionsFor(testing::TestRedisUrl())};
  std::string prefix = testing::UniqueKeyPrefix();
};

TEST_F(RedisClientTest, SetsGetsAndDeletes) {
  EXPECT_EQ(RunAsync(context, client.Get(Key("missing"))).value(), std::nullopt);
  EXPECT_TRUE(RunAsync(context, client.Set(Key("a"), "value with spaces\r\n")).value());
  EXPECT_EQ(RunAsync(context, client.Get(Key("a"))).value(), "value with spaces\r\n");
  EXPECT_EQ(RunAsync(context, client.Del({Key("a"), Key("missing")})).value(), 1);
  EXPECT_EQ(RunAsync(context, client.Get(Key("a"))).value(), std::nullopt);
}

TEST_F(RedisClientTest, SetOnlyIfAbsentSucceedsOnce) {
  EXPECT_TRUE(RunAsync(context, client.Set(Key("lock"), "1", {.only_if_absent = true})).value());
  EXPECT_FALSE(RunAsync(context, client.Set(Key("lock"), "2", {.only_if_absent = true})).value());
  EXPECT_EQ(RunAsync(context, client.Get(Key("lock"))).value(), "1");
}

TEST_F(RedisClientTest, SetWithExpiryExpires) {
  ASSERT_TRUE(
      RunAsync(context, client.Set(Key("short"), "x", {.expire = std::chrono::milliseconds(50)}))
          .value());
  auto ttl = RunAsync(context, client.Run("PTTL", Key("short")));
  ASSERT_TRUE(ttl);
  EXPECT_GT(ttl->integer, 0);
  EXPECT_LE(ttl->integer, 50);
  std::this_thread::sleep_for(std::chrono::milliseconds(120));
  EXPECT_EQ(RunAsync(context, client.Get(Key("short"))).value(), std::nullopt);
}

TEST_F(RedisClientTest, IncrementsCounters) {
  EXPECT_EQ(RunAsync(context, client.Incr(Key("n"))).value(), 1);
  EXPECT_EQ(RunAsync(context, client.Incr(Key("n"))).value(), 2);
}

TEST_F(RedisClientTest, AnErrorReplyIsAnError) {
  ASSERT_TRUE(RunAsync(context, client.Set(Key("text"), "abc")));
  auto result = RunAsync(context, client.Incr(Key("text")));
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().reason.find("ERR"), std::string::npos);
  EXPECT_TRUE(RunAsync(context, client.Ping()));  // the connection is still in step
}

TEST_F(RedisClientTest, PipelinesConcurrentCommandsInOrder) {
  std::vector<std::int64_t> replies(100, -1);
  int done = 0;
  for (int i = 0; i < 100; ++i) {
    asio::co_spawn(
        context,
        [&, i]() -> asio::awaitable<void> {
          auto reply = co_await client.Run("ECHO", std::to_string(i));
          replies[static_cast<std::size_t>(i)] = reply ? std::stoll(reply->text) : -2;
          ++done;
        },
        asio::detached);
  }
  testing::RunUntil(context, [&] { return done == 100; });
  for (int i = 0; i < 100; ++i) EXPECT_EQ(replies[static_cast<std::size_t>(i)], i);
}

TEST_F(RedisClientTest, EvalLoadsTheScriptWhenTheServerForgotIt) {
  const Script script("return redis.call('INCRBY', KEYS[1], ARGV[1])");
  auto first = RunAsync(context, client.Eval(script, {Key("counter")}, {"5"}));
  ASSERT_TRUE(first) << first.error().reason;
  EXPECT_EQ(first->integer, 5);
  ASSERT_TRUE(RunAsync(context, client.Run("SCRIPT", "FLUSH")));
  auto second = RunAsync(context, client.Eval(script, {Key("counter")}, {"2"}));
  ASSERT_TRUE(second) << second.error().reason;
  EXPECT_EQ(second->integer, 7);
}

TEST_F(RedisClientTest, TheRateLimitScriptFollowsTheGcraArithmetic) {
  RateLimiter limiter(client);
  const RateLimit limit{prefix + "script", 3, std::chrono::seconds(30)};  // one every 10 s
  for (std::int64_t remaining : {2, 1, 0}) {
    const RateDecision decision = RunAsync(context, limiter.Check(limit, "subject"));
    EXPECT_TRUE(decision.allowed);
    EXPECT_TRUE(decision.checked);
    EXPECT_EQ(decision.remaining, remaining);
  }
  const RateDecision denied = RunAsync(context, limiter.Check(limit, "subject"));
  EXPECT_FALSE(denied.allowed);
  EXPECT_GT(denied.retry_after, std::chrono::milliseconds(9'000));
  EXPECT_LE(denied.retry_after, std::chrono::milliseconds(10'000));
  EXPECT_TRUE(RunAsync(context, limiter.Check(limit, "another subject")).allowed);
  // Only a hash of the subject is in the key.
  auto keys = RunAsync(context, client.Run("KEYS", "rl:" + prefix + "*"));
  ASSERT_TRUE(keys);
  for (const Reply& key : keys->elements) EXPECT_EQ(key.text.find("subject"), std::string::npos);
}

// A process that has just started (a web or API instance a load balancer sends requests to at
// once) must not fail its first requests for want of a connection it is still making.
TEST(RedisClientStart, ACommandIssuedBeforeTheFirstConnectionWaitsForIt) {
  asio::io_context context;
  Client client(context.get_executor(), OptionsFor(testing::TestRedisUrl()));
  // The loop has not run yet: the client has not even begun to connect.
  ASSERT_FALSE(client.connected());
  auto ping = RunAsync(context, client.Ping());
  EXPECT_TRUE(ping) << ping.error().reason;
}

TEST(RedisClientStart, ACommandWaitingForAFirstConnectionThatFailsFailsWithIt) {
  PrivateRedis server;
  const std::string url = server.url();
  server.Stop();
  asio::io_context context;
  Client client(context.get_executor(), OptionsFor(url));
  auto ping = RunAsync(context, client.Ping());
  ASSERT_FALSE(ping);
  EXPECT_EQ(ping.error().code, ErrorCode::kUnavailable);
}

TEST(RedisClientOutage, FailsWhileRedisIsDownAndRecoversByItself) {
  PrivateRedis server;
  asio::io_context context;
  Client client(context.get_executor(), OptionsFor(server.url()));
  ASSERT_TRUE(WaitConnected(context, client));
  ASSERT_TRUE(RunAsync(context, client.Ping()));

  server.Stop();
  testing::RunFor(context, std::chrono::milliseconds(100));
  auto down = RunAsync(context, client.Ping());
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().code, ErrorCode::kUnavailable);

  server.Start();
  EXPECT_TRUE(WaitConnected(context, client));
  EXPECT_TRUE(RunAsync(context, client.Ping()));
}

TEST(RedisClientOutage, ACommandTheServerDoesNotAnswerTimesOut) {
  PrivateRedis server;
  asio::io_context context;
  Client client(context.get_executor(), OptionsFor(server.url()));
  Client admin(context.get_executor(), OptionsFor(server.url()));
  ASSERT_TRUE(WaitConnected(context, client));
  ASSERT_TRUE(WaitConnected(context, admin));
  // CLIENT PAUSE holds every client's commands (the pausing client's own included after it).
  ASSERT_TRUE(RunAsync(context, admin.Run("CLIENT", "PAUSE", "1500", "ALL")));
  auto paused = RunAsync(context, client.Ping());
  ASSERT_FALSE(paused);
  EXPECT_EQ(paused.error().code, ErrorCode::kTimeout);
  // After the pause the client works again (reconnecting if it judged the link dead).
  bool recovered = false;
  for (int i = 0; i < 100 && !recovered; ++i) {
    testing::RunFor(context, std::chrono::milliseconds(50));
    recovered = RunAsync(context, client.Ping()).has_value();
  }
  EXPECT_TRUE(recovered);
}

TEST(RedisClientOutage, AWrongPasswordNeverConnects) {
  const std::string url = testing::TestRedisUrl();
  auto endpoint = ParseRedisUrl(url).value();
  endpoint.password = "wrong-password";
  ClientOptions options = OptionsFor(url);
  options.endpoint = endpoint;
  asio::io_context context;
  Client client(context.get_executor(), options);
  testing::RunFor(context, std::chrono::milliseconds(300));
  EXPECT_FALSE(client.connected());
  auto ping = RunAsync(context, client.Ping());
  ASSERT_FALSE(ping);
  EXPECT_EQ(ping.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace codezero::redis
