// A revocation against a check of the same token in flight, made to happen in the worst order:
// the check has read the token from PostgreSQL (still valid) and is about to cache it when the
// revocation commits and clears the cache. Afterwards the token must be refused, not served
// from the cache the late check filled.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "auth/token_store.h"
#include "support/api_test.h"
#include "support/http_client.h"
#include "support/run_async.h"

namespace codezero::auth {
namespace {

class TokenRevocation : public testing::ApiTest {
 protected:
  TokenRevocation() {
    Start();
    SignUpAndVerify("raced@example.com");
    redis::ClientOptions cache_options;
    cache_options.endpoint = redis::ParseRedisUrl(redis_url).value();
    cache = std::make_unique<redis::Client>(context.get_executor(), cache_options);
    for (int i = 0; i < 500 && !cache->connected(); ++i)
      testing::RunFor(context, std::chrono::milliseconds(10));
    db::PoolOptions pool_options;
    pool_options.connect.url = database.url();
    pool_options.size = 1;
    pool = std::make_unique<db::Pool>(context.get_executor(), pool_options);
    store = std::make_unique<TokenStore>(*pool, *cache, TokenOptions{});
  }
  ~TokenRevocation() override {
    store.reset();
    pool->Close();
    cache->Close();
    testing::RunFor(context, std::chrono::milliseconds(50));
  }

  bool Accepted(const std::string& access_token) {
    return testing::RunAsync(context, store->Authenticate(access_token)).has_value();
  }

  boost::asio::io_context context;
  std::unique_ptr<redis::Client> cache;
  std::unique_ptr<db::Pool> pool;
  std::unique_ptr<TokenStore> store;
};

TEST_F(TokenRevocation, ACheckInFlightCannotCacheATokenRevokedMeanwhile) {
  const Tokens tokens = Login("raced@example.com");
  bool revoked = false;
  store->SetBeforeCacheWriteForTesting([&] {
    if (revoked) return;
    revoked = true;  // the API revokes the token and clears the cache, between read and write
    EXPECT_EQ(PostForm("/v1/oauth/revoke", "token=" + tokens.access).result(), http::Status::ok);
  });
  EXPECT_TRUE(Accepted(tokens.access)) << "the check read the token while it was valid";
  ASSERT_TRUE(revoked);
  EXPECT_FALSE(Accepted(tokens.access)) << "a revoked token served from the cache";
  EXPECT_EQ(Send(http::Verb::get, "/v1/me", "", tokens.access).result(),
            http::Status::unauthorized);
}

TEST_F(TokenRevocation, AProfileChangeIsSeenByTheNextCheck) {
  const Tokens tokens = Login("raced@example.com");
  ASSERT_TRUE(Accepted(tokens.access));  // now cached
  ASSERT_EQ(Send(http::Verb::patch, "/v1/me", R"({"name":"Renamed"})", tokens.access).result(),
            http::Status::ok);
  const auto principal = testing::RunAsync(context, store->Authenticate(tokens.access));
  ASSERT_TRUE(principal.has_value());
  EXPECT_EQ(principal->name, "Renamed");
}

}  // namespace
}  // namespace codezero::auth
