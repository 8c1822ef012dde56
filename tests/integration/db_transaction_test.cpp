// Transactions: commit, rollback, and retry on serialization failure and deadlock.
#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "db/pool.h"
#include "support/environment.h"
#include "support/run_async.h"

namespace codezero::db {
namespace {

namespace asio = boost::asio;
using testing::RunAsync;
using testing::TestDatabase;

constexpr Statement kInsert{"insert_item", "INSERT INTO items (name) VALUES ($1)"};
constexpr Statement kOnCall{"on_call", "SELECT count(*) FROM doctors WHERE on_call"};
constexpr Statement kGoOffCall{"go_off_call", "UPDATE doctors SET on_call = false WHERE name = $1"};
constexpr Statement kFailWithSerialization{
    "force_serialization_failure",
    "DO $$ BEGIN RAISE EXCEPTION 'forced' USING ERRCODE = 'serialization_failure'; END $$"};
constexpr Statement kDivideByZero{"divide_by_zero", "SELECT 1/0"};

PoolOptions TransactionPoolOptions(const std::string& url, std::size_t size = 2) {
  PoolOptions options;
  options.connect.url = url;
  options.size = size;
  return options;
}

class DbTransaction : public ::testing::Test {
 protected:
  DbTransaction() {
    database.Execute("CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL)");
    database.Execute(
        "CREATE TABLE doctors (name text PRIMARY KEY, on_call boolean NOT NULL);"
        "INSERT INTO doctors VALUES ('alice', true), ('bob', true)");
  }
  std::string Count(const std::string& table) {
    return database.QueryValue("SELECT count(*) FROM " + table);
  }

  TestDatabase database;
  asio::io_context context;
  Pool pool{context.get_executor(), TransactionPoolOptions(database.url())};
};

TEST_F(DbTransaction, CommitsWhenTheBodySucceeds) {
  auto result =
      RunAsync(context, pool.Transact([](Transaction& tx) -> asio::awaitable<Result<int>> {
        auto inserted = co_await tx.Execute(kInsert, "a");
        if (!inserted) co_return tl::unexpected(inserted.error());
        co_return 7;
      }));
  ASSERT_TRUE(result);
  EXPECT_EQ(*result, 7);
  EXPECT_EQ(Count("items"), "1");
}

TEST_F(DbTransaction, RollsBackWhenTheBodyFails) {
  auto result =
      RunAsync(context, pool.Transact([](Transaction& tx) -> asio::awaitable<Result<int>> {
        (void)co_await tx.Execute(kInsert, "a");
        co_return Fail(ErrorCode::kValidationFailed, "no");
      }));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kValidationFailed);
  EXPECT_EQ(Count("items"), "0");
}

TEST_F(DbTransaction, RunsAgainAfterAForcedSerializationFailure) {
  int attempts = 0;
  auto result = RunAsync(context, pool.Transact(
                                      [&](Transaction& tx) -> asio::awaitable<Result<int>> {
                                        ++attempts;
                                        const std::string name =
                                            "attempt " + std::to_string(tx.attempt());
                                        auto inserted = co_await tx.Execute(kInsert, name);
                                        if (!inserted) co_return tl::unexpected(inserted.error());
                                        if (tx.attempt() == 1) {
                                          auto forced = co_await tx.Execute(kFailWithSerialization);
                                          if (!forced) co_return tl::unexpected(forced.error());
                                        }
                                        co_return tx.attempt();
                                      },
                                      {.isolation = Isolation::kSerializable}));
  ASSERT_TRUE(result) << result.error().reason;
  EXPECT_EQ(*result, 2);
  EXPECT_EQ(attempts, 2);
  EXPECT_EQ(Count("items"), "1");  // the first attempt's insert was rolled back
  EXPECT_EQ(database.QueryValue("SELECT name FROM items"), "attempt 2");
}

TEST_F(DbTransaction, GivesUpAfterMaxAttempts) {
  int attempts = 0;
  auto result = RunAsync(context, pool.Transact(
                                      [&](Transaction& tx) -> asio::awaitable<Result<int>> {
                                        ++attempts;
                                        auto forced = co_await tx.Execute(kFailWithSerialization);
                                        if (!forced) co_return tl::unexpected(forced.error());
                                        co_return 0;
                                      },
                                      {.max_attempts = 3}));
  ASSERT_FALSE(result);
  EXPECT_EQ(attempts, 3);
  EXPECT_EQ(result.error().code, ErrorCode::kConflict);
  EXPECT_EQ(SqlStateOf(result.error()), "40001");
}

TEST_F(DbTransaction, DoesNotRetryOtherErrors) {
  int attempts = 0;
  auto result =
      RunAsync(context, pool.Transact([&](Transaction& tx) -> asio::awaitable<Result<int>> {
        ++attempts;
        auto failed = co_await tx.Execute(kDivideByZero);
        if (!failed) co_return tl::unexpected(failed.error());
        co_return 0;
      }));
  ASSERT_FALSE(result);
  EXPECT_EQ(attempts, 1);
  EXPECT_EQ(SqlStateOf(result.error()), "22012");
}

TEST_F(DbTransaction, ACommitAfterAnIgnoredFailureIsAnError) {
  auto result =
      RunAsync(context, pool.Transact([](Transaction& tx) -> asio::awaitable<Result<int>> {
        (void)co_await tx.Execute(kDivideByZero);  // ignored on purpose: the bug being caught
        co_return 1;
      }));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kInternal);
}

// Two doctors on call; each transaction lets its doctor go off call if the other is still on.
// Run concurrently under SERIALIZABLE, one of them must fail and, on its retry, see that only
// one doctor is left and stay on call (the classic write-skew example).
TEST_F(DbTransaction, ConcurrentConflictingTransactionsAreSerializedByRetrying) {
  int reads_done = 0;
  int finished = 0;
  int total_attempts = 0;
  std::vector<Result<bool>> results;
  for (std::string name : {"alice", "bob"}) {
    asio::co_spawn(
        context,
        [&, name]() -> asio::awaitable<void> {
          auto result = co_await pool.Transact(
              [&](Transaction& tx) -> asio::awaitable<Result<bool>> {
                ++total_attempts;
                auto on_call = co_await tx.Execute(kOnCall);
                if (!on_call) co_return tl::unexpected(on_call.error());
                if (tx.attempt() == 1) {
                  // Wait until both have read, so that the two transactions truly overlap.
                  ++reads_done;
                  asio::steady_timer pause(context);
                  while (reads_done < 2) {
                    pause.expires_after(std::chrono::milliseconds(1));
                    co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
                  }
                }
                if (on_call->Int64(0, 0) < 2) co_return false;
                auto updated = co_await tx.Execute(kGoOffCall, name);
                if (!updated) co_return tl::unexpected(updated.error());
                co_return true;
              },
              {.isolation = Isolation::kSerializable});
          results.push_back(std::move(result));
          ++finished;
        },
        asio::detached);
  }
  testing::RunUntil(context, [&] { return finished == 2; });

  ASSERT_TRUE(results[0]) << results[0].error().reason;
  ASSERT_TRUE(results[1]) << results[1].error().reason;
  EXPECT_NE(*results[0], *results[1]);  // exactly one went off call
  EXPECT_EQ(total_attempts, 3);         // one of them ran twice
  EXPECT_EQ(Count("doctors WHERE on_call"), "1");
}

}  // namespace
}  // namespace codezero::db
