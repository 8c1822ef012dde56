// The connection pool against a real PostgreSQL.
#include "db/pool.h"

#include <gtest/gtest.h>

#include <set>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "support/environment.h"
#include "support/eventually.h"
#include "support/run_async.h"

namespace codezero::db {
namespace {

namespace asio = boost::asio;
using testing::RunAsync;
using testing::TestDatabase;

PoolOptions OptionsFor(const std::string& url, std::size_t size) {
  PoolOptions options;
  options.connect.url = url;
  options.connect.application_name = "codezero-test";
  options.size = size;
  options.acquire_timeout = std::chrono::seconds(10);
  return options;
}

constexpr Statement kEchoAfterNap{"echo_after_nap",
                                  "SELECT $1::int, pg_backend_pid() FROM pg_sleep(0.005)"};
constexpr Statement kEchoText{"echo_text", "SELECT $1::text, $2::text IS NULL"};
constexpr Statement kSleep{"sleep", "SELECT pg_sleep($1::float8)"};

TEST(DbPool, APoolOfEightServesTwoHundredConcurrentQueries) {
  TestDatabase database;
  asio::io_context context;
  Pool pool(context.get_executor(), OptionsFor(database.url(), 8));

  constexpr int kQueries = 200;
  int succeeded = 0;
  int wrong = 0;
  std::set<std::string> backends;
  std::size_t most_open = 0;
  int finished = 0;
  for (int i = 0; i < kQueries; ++i) {
    asio::co_spawn(
        context,
        [&, i]() -> asio::awaitable<void> {
          auto rows = co_await pool.Execute(kEchoAfterNap, i);
          most_open = std::max(most_open, pool.stats().open);
          if (rows && rows->Int64(0, 0) == i) {
            ++succeeded;
            backends.insert(std::string(rows->Text(0, 1)));
          } else {
            ++wrong;
          }
          ++finished;
        },
        asio::detached);
  }
  testing::RunUntil(context, [&] { return finished == kQueries; });

  EXPECT_EQ(succeeded, kQueries);
  EXPECT_EQ(wrong, 0);
  EXPECT_LE(most_open, 8u);
  EXPECT_EQ(backends.size(), 8u);  // every connection was used, and no more than eight
  EXPECT_EQ(pool.stats().idle, 8u);
}

TEST(DbPool, AcquireFailsWithUnavailableWhenThePoolStaysExhausted) {
  TestDatabase database;
  asio::io_context context;
  PoolOptions options = OptionsFor(database.url(), 1);
  options.acquire_timeout = std::chrono::milliseconds(100);
  Pool pool(context.get_executor(), options);

  auto held = RunAsync(context, pool.Acquire());
  ASSERT_TRUE(held);
  auto second = RunAsync(context, pool.Acquire());
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kUnavailable);

  held = Result<PooledConnection>(tl::unexpected(Error{}));  // give it back
  auto third = RunAsync(context, pool.Acquire());
  EXPECT_TRUE(third);
}

TEST(DbPool, AWaiterGetsTheConnectionAnotherReleases) {
  TestDatabase database;
  asio::io_context context;
  Pool pool(context.get_executor(), OptionsFor(database.url(), 1));
  auto first = RunAsync(context, pool.Execute(kSleep, "0"));
  ASSERT_TRUE(first);
  int done = 0;
  for (int i = 0; i < 2; ++i) {
    asio::co_spawn(
        context,
        [&]() -> asio::awaitable<void> {
          auto rows = co_await pool.Execute(kSleep, "0.05");
          if (rows) ++done;
        },
        asio::detached);
  }
  testing::RunUntil(context, [&] { return done == 2; });
  EXPECT_EQ(pool.stats().open, 1u);
}

TEST(DbPool, ParametersAreNeverSql) {
  TestDatabase database;
  asio::io_context context;
  Pool pool(context.get_executor(), OptionsFor(database.url(), 1));
  const std::string hostile = "x'); DROP TABLE pg_class; --";
  auto rows = RunAsync(context, pool.Execute(kEchoText, hostile, std::nullopt));
  ASSERT_TRUE(rows) << rows.error().reason;
  EXPECT_EQ(rows->Text(0, 0), hostile);
  EXPECT_TRUE(rows->Bool(0, 1));
}

TEST(DbPool, AStatementOverTheTimeoutFailsAsTimeoutAndTheConnectionStaysUsable) {
  TestDatabase database;
  asio::io_context context;
  PoolOptions options = OptionsFor(database.url(), 1);
  options.connect.statement_timeout = std::chrono::milliseconds(100);
  Pool pool(context.get_executor(), options);
  auto slow = RunAsync(context, pool.Execute(kSleep, "2"));
  ASSERT_FALSE(slow);
  EXPECT_EQ(slow.error().code, ErrorCode::kTimeout);
  EXPECT_EQ(SqlStateOf(slow.error()), "57014");
  auto next = RunAsync(context, pool.Execute(kSleep, "0"));
  EXPECT_TRUE(next);
}

TEST(DbPool, AnUnreachableDatabaseIsUnavailable) {
  asio::io_context context;
  PoolOptions options = OptionsFor("postgresql://nobody:x@127.0.0.1:1/none", 2);
  Pool pool(context.get_executor(), options);
  auto rows = RunAsync(context, pool.Execute(kSleep, "0"));
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(pool.stats().open, 0u);
}

TEST(DbPool, AConnectionTheServerDroppedWhileIdleIsNeverHandedOut) {
  TestDatabase database;
  asio::io_context context;
  Pool pool(context.get_executor(), OptionsFor(database.url(), 2));
  // Two idle connections in the pool.
  RunAsync(context, [&]() -> asio::awaitable<void> {
    auto first = co_await pool.Acquire();
    auto second = co_await pool.Acquire();
    EXPECT_TRUE(first && second);
  }());
  ASSERT_EQ(pool.stats().idle, 2u);
  // As a server restart does (or an administrator, or an idle timeout): both are gone.
  database.Execute(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
      "WHERE application_name = 'codezero-test' AND datname = current_database()");
  ASSERT_TRUE(testing::Eventually([&] {
    return database.QueryValue(
               "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'codezero-test' "
               "AND datname = current_database()") == "0";
  }));
  // Every statement after it runs on a live connection: none fails for the dead ones.
  for (int i = 0; i < 3; ++i) {
    auto rows = RunAsync(context, pool.Execute(kSleep, "0"));
    EXPECT_TRUE(rows) << i << ": " << rows.error().reason;
  }
}

TEST(DbPool, ConnectionsInsideAFailedTransactionAreNotReused) {
  TestDatabase database;
  asio::io_context context;
  Pool pool(context.get_executor(), OptionsFor(database.url(), 1));
  RunAsync(context, [&]() -> asio::awaitable<void> {
    auto connection = co_await pool.Acquire();
    (void)co_await (*connection)->ExecuteScript("BEGIN");
    (void)co_await (*connection)->ExecuteScript("SELECT 1/0");
  }());
  EXPECT_EQ(pool.stats().open, 0u);
  EXPECT_TRUE(RunAsync(context, pool.Execute(kSleep, "0")));
}

}  // namespace
}  // namespace codezero::db
