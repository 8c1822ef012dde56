// Migrations against a real database: once each, in order, refused when edited.
#include "db/migrator.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "support/environment.h"
#include "support/run_async.h"

namespace codezero::db {
namespace {

namespace asio = boost::asio;
using testing::RunAsync;
using testing::TestDatabase;

const std::vector<Migration> kTwo = {
    {1, "0001_items.sql", "CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL);"},
    {2, "0002_seed.sql", "INSERT INTO items (name) VALUES ('first'), ('second');"},
};

class DbMigrator : public ::testing::Test {
 protected:
  Result<MigrationReport> Run(std::span<const Migration> migrations) {
    return RunAsync(context, [&]() -> asio::awaitable<Result<MigrationReport>> {
      ConnectOptions options;
      options.url = database.url();
      auto connection = co_await Connection::Open(context.get_executor(), options);
      if (!connection) co_return tl::unexpected(connection.error());
      co_return co_await Migrate(**connection, migrations);
    }());
  }
  TestDatabase database;
  asio::io_context context;
};

TEST_F(DbMigrator, AppliesPendingMigrationsInOrderAndOnlyOnce) {
  auto first = Run(kTwo);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->applied, (std::vector<std::string>{"0001_items.sql", "0002_seed.sql"}));
  auto second = Run(kTwo);
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->applied.empty());
  EXPECT_EQ(second->already_applied, 2u);
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM items"), "2");
  EXPECT_EQ(database.QueryValue("SELECT checksum FROM schema_migrations WHERE version = 1"),
            MigrationChecksum(kTwo[0].sql));
}

TEST_F(DbMigrator, RefusesAMigrationEditedAfterItWasApplied) {
  ASSERT_TRUE(Run(kTwo));
  std::vector<Migration> edited = kTwo;
  edited[0].sql = "CREATE TABLE items (id bigserial PRIMARY KEY, name text NOT NULL);";
  auto refused = Run(edited);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_NE(refused.error().message.find("0001_items.sql"), std::string::npos);
  EXPECT_NE(refused.error().message.find("Never edit an applied migration"), std::string::npos);
}

TEST_F(DbMigrator, ReportsMigrationsOnlyANewerReleaseKnows) {
  ASSERT_TRUE(Run(kTwo));
  auto older = Run(std::span(kTwo).first(1));
  ASSERT_TRUE(older);
  EXPECT_EQ(older->unknown, (std::vector<std::string>{"0002_seed.sql"}));
}

TEST_F(DbMigrator, AFailingMigrationLeavesNoTrace) {
  const std::vector<Migration> broken = {
      {1, "0001_items.sql", std::string_view(kTwo[0].sql)},
      {2, "0002_broken.sql", "CREATE TABLE half (id int); SELECT * FROM no_such_table;"},
  };
  auto result = Run(broken);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("0002_broken.sql"), std::string::npos);
  EXPECT_EQ(SqlStateOf(result.error()), "42P01");
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM schema_migrations"), "1");
  EXPECT_EQ(database.QueryValue("SELECT to_regclass('half') IS NULL"), "t");
}

TEST_F(DbMigrator, ConcurrentMigratorsApplyEachMigrationOnce) {
  std::vector<Result<MigrationReport>> reports;
  for (int i = 0; i < 3; ++i) {
    asio::co_spawn(
        context,
        [&]() -> asio::awaitable<void> {
          ConnectOptions options;
          options.url = database.url();
          auto connection = co_await Connection::Open(context.get_executor(), options);
          if (!connection) {
            reports.emplace_back(tl::unexpected(connection.error()));
            co_return;
          }
          reports.push_back(co_await Migrate(**connection, kTwo));
        },
        asio::detached);
  }
  testing::RunUntil(context, [&] { return reports.size() == 3; });
  std::size_t applied = 0;
  for (const auto& report : reports) {
    ASSERT_TRUE(report) << report.error().message;
    applied += report->applied.size();
  }
  EXPECT_EQ(applied, 2u);
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM items"), "2");
}

TEST_F(DbMigrator, RunsMarkedMigrationsOutsideATransaction) {
  const std::vector<Migration> concurrent = {
      kTwo[0],
      {2, "0002_index.sql",
       "-- codezero:no-transaction\nCREATE INDEX CONCURRENTLY items_name ON items (name);"},
  };
  auto result = Run(concurrent);
  ASSERT_TRUE(result) << result.error().reason;
  EXPECT_EQ(database.QueryValue("SELECT to_regclass('items_name') IS NOT NULL"), "t");
}

TEST_F(DbMigrator, TheEmbeddedMigrationsApplyToAnEmptyDatabase) {
  auto result = Run(EmbeddedMigrations());
  ASSERT_TRUE(result) << result.error().reason;
  EXPECT_EQ(result->applied.size(), EmbeddedMigrations().size());
}

}  // namespace
}  // namespace codezero::db
