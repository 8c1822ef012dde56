// The idempotency store against the real test Redis: claims, replays, mismatches, leases.
#include "redis/idempotency_store.h"

#include <gtest/gtest.h>

#include <thread>

#include "support/environment.h"
#include "support/run_async.h"

namespace codezero::redis {
namespace {

using testing::RunAsync;

class IdempotencyStoreTest : public ::testing::Test {
 protected:
  IdempotencyStoreTest() {
    ClientOptions options;
    options.endpoint = ParseRedisUrl(testing::TestRedisUrl()).value();
    client = std::make_unique<Client>(context.get_executor(), options);
    for (int i = 0; i < 500 && !client->connected(); ++i) {
      testing::RunFor(context, std::chrono::milliseconds(10));
    }
    store = std::make_unique<IdempotencyStore>(*client, std::chrono::seconds(60),
                                               std::chrono::milliseconds(300));
  }
  Claim Begin(const std::string& key, const std::string& fingerprint) {
    return RunAsync(context, store->Begin(scope, key, fingerprint));
  }

  boost::asio::io_context context;
  std::unique_ptr<Client> client;
  std::unique_ptr<IdempotencyStore> store;
  std::string scope = "user:" + testing::UniqueKeyPrefix();
  const std::string first = std::string(64, 'a');
  const std::string second = std::string(64, 'b');
};

TEST_F(IdempotencyStoreTest, ClaimsOnceThenReportsTheRequestInFlight) {
  EXPECT_EQ(Begin("k1", first).state, ClaimState::kClaimed);
  EXPECT_EQ(Begin("k1", first).state, ClaimState::kInFlight);
  EXPECT_EQ(Begin("k1", second).state, ClaimState::kMismatch);
}

TEST_F(IdempotencyStoreTest, ReplaysTheStoredAnswerForTheSameRequestOnly) {
  ASSERT_EQ(Begin("k2", first).state, ClaimState::kClaimed);
  RunAsync(context, store->Complete(scope, "k2", first, {201, R"({"order_id":"o1"})"}));
  const Claim replay = Begin("k2", first);
  EXPECT_EQ(replay.state, ClaimState::kReplay);
  EXPECT_EQ(replay.answer.status, 201);
  EXPECT_EQ(replay.answer.body, R"({"order_id":"o1"})");
  EXPECT_EQ(Begin("k2", second).state, ClaimState::kMismatch);
}

TEST_F(IdempotencyStoreTest, KeepsKeysOfDifferentScopesApart) {
  ASSERT_EQ(Begin("shared", first).state, ClaimState::kClaimed);
  EXPECT_EQ(RunAsync(context, store->Begin(scope + "-other", "shared", second)).state,
            ClaimState::kClaimed);
}

TEST_F(IdempotencyStoreTest, GivesAKeyUpAfterAFailure) {
  ASSERT_EQ(Begin("k3", first).state, ClaimState::kClaimed);
  RunAsync(context, store->Release(scope, "k3", first));
  EXPECT_EQ(Begin("k3", second).state, ClaimState::kClaimed);
}

TEST_F(IdempotencyStoreTest, FreesAClaimWhoseHolderDiedAndIgnoresItsLateAnswer) {
  ASSERT_EQ(Begin("k4", first).state, ClaimState::kClaimed);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));  // the 300 ms lease runs out
  ASSERT_EQ(Begin("k4", second).state, ClaimState::kClaimed);
  // The first holder comes back late: its answer must not replace the new claim.
  RunAsync(context, store->Complete(scope, "k4", first, {201, "{}"}));
  EXPECT_EQ(Begin("k4", second).state, ClaimState::kInFlight);
}

TEST(IdempotencyStoreOutage, ReportsRedisBeingUnavailable) {
  boost::asio::io_context context;
  ClientOptions options;
  options.endpoint = ParseRedisUrl("redis://127.0.0.1:1/0").value();
  Client client(context.get_executor(), options);
  IdempotencyStore store(client);
  EXPECT_EQ(RunAsync(context, store.Begin("s", "k", std::string(64, 'a'))).state,
            ClaimState::kUnavailable);
}

}  // namespace
}  // namespace codezero::redis
