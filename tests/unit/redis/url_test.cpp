#include <gtest/gtest.h>

#include "redis/client_options.h"
#include "redis/script.h"

namespace codezero::redis {
namespace {

TEST(RedisUrl, ParsesHostPortPasswordAndDatabase) {
  const auto endpoint = ParseRedisUrl("redis://default:p%40ss@cache.internal:6380/3");
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_EQ(endpoint->host, "cache.internal");
  EXPECT_EQ(endpoint->port, 6380);
  EXPECT_EQ(endpoint->username, "default");
  EXPECT_EQ(endpoint->password, "p@ss");
  EXPECT_EQ(endpoint->database, 3);
}

TEST(RedisUrl, DefaultsToPort6379AndDatabase0) {
  const auto endpoint = ParseRedisUrl("redis://127.0.0.1");
  ASSERT_TRUE(endpoint);
  EXPECT_EQ(endpoint->port, 6379);
  EXPECT_EQ(endpoint->database, 0);
  EXPECT_TRUE(endpoint->password.empty());
}

TEST(RedisUrl, PasswordWithoutUser) {
  const auto endpoint = ParseRedisUrl("redis://:secret@localhost:6379/0");
  ASSERT_TRUE(endpoint);
  EXPECT_TRUE(endpoint->username.empty());
  EXPECT_EQ(endpoint->password, "secret");
}

TEST(RedisUrl, ParsesAUnixSocket) {
  const auto endpoint = ParseRedisUrl("unix:///run/redis/redis.sock?db=2&password=x");
  ASSERT_TRUE(endpoint);
  EXPECT_EQ(endpoint->socket_path, "/run/redis/redis.sock");
  EXPECT_EQ(endpoint->database, 2);
  EXPECT_EQ(endpoint->password, "x");
}

TEST(RedisUrl, RejectsWhatItCannotServe) {
  EXPECT_FALSE(ParseRedisUrl("rediss://host:6380"));
  EXPECT_FALSE(ParseRedisUrl("http://host"));
  EXPECT_FALSE(ParseRedisUrl("redis://host/notanumber"));
  EXPECT_FALSE(ParseRedisUrl("redis://host:0"));
  EXPECT_FALSE(ParseRedisUrl("not a url"));
}

TEST(RedisScript, KnowsItsSha1) {
  EXPECT_EQ(Script("return 1").sha1(), "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
}

}  // namespace
}  // namespace codezero::redis
