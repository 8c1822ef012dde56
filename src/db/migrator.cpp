#include "db/migrator.h"

#include <algorithm>
#include <map>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/digest.h"
#include "common/log.h"

namespace codezero::db {
namespace {

namespace asio = boost::asio;

// An arbitrary constant every codezero process uses for the migration lock.
constexpr std::string_view kLockKey = "4242020261126";

constexpr std::string_view kCreateTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version     integer PRIMARY KEY,
  name        text NOT NULL,
  checksum    text NOT NULL,
  applied_at  timestamptz NOT NULL DEFAULT now(),
  duration_ms integer NOT NULL
))sql";

constexpr Statement kTryLock{"migrations_try_lock", "SELECT pg_try_advisory_lock($1::bigint)"};
constexpr Statement kUnlock{"migrations_unlock", "SELECT pg_advisory_unlock($1::bigint)"};
constexpr Statement kApplied{
    "migrations_applied", "SELECT version, name, checksum FROM schema_migrations ORDER BY version"};
constexpr Statement kRecord{"migrations_record",
                            "INSERT INTO schema_migrations (version, name, checksum, duration_ms) "
                            "VALUES ($1, $2, $3, $4)"};

constexpr std::string_view kNoTransactionMarker = "-- codezero:no-transaction";

struct AppliedMigration {
  std::string name;
  std::string checksum;
};

asio::awaitable<Result<void>> AcquireLock(Connection& connection,
                                          std::chrono::milliseconds lock_timeout) {
  const auto deadline = Clock::now() + lock_timeout;
  bool announced = false;
  for (;;) {
    auto locked = co_await connection.Execute(kTryLock, kLockKey);
    if (!locked) co_return tl::unexpected(locked.error());
    if (locked->Bool(0, 0)) co_return Result<void>{};
    if (Clock::now() >= deadline) {
      co_return Fail(ErrorCode::kTimeout, "another process held the migration lock for too long",
                     "advisory lock " + std::string(kLockKey));
    }
    if (!announced) {
      log::Info("waiting for another process to finish migrating");
      announced = true;
    }
    asio::steady_timer pause(co_await asio::this_coro::executor, std::chrono::milliseconds(250));
    co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

asio::awaitable<Result<void>> Apply(Connection& connection, Migration migration,
                                    std::string checksum) {
  const bool in_transaction = migration.sql.find(kNoTransactionMarker) == std::string_view::npos;
  const auto started = Clock::now();
  if (in_transaction) {
    if (auto begun = co_await connection.ExecuteScript("BEGIN"); !begun) {
      co_return tl::unexpected(begun.error());
    }
  }
  auto applied = co_await connection.ExecuteScript(std::string(migration.sql));
  if (!applied) {
    if (in_transaction && connection.IsUsable())
      (void)co_await connection.ExecuteScript("ROLLBACK");
    Error error = applied.error();
    error.message = "migration " + std::string(migration.name) + " failed";
    co_return tl::unexpected(std::move(error));
  }
  const auto duration =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  auto recorded = co_await connection.Execute(kRecord, migration.version, migration.name, checksum,
                                              static_cast<long>(duration.count()));
  if (!recorded) {
    if (in_transaction && connection.IsUsable())
      (void)co_await connection.ExecuteScript("ROLLBACK");
    co_return tl::unexpected(recorded.error());
  }
  if (in_transaction) {
    auto committed = co_await connection.ExecuteScript("COMMIT");
    if (!committed) co_return tl::unexpected(committed.error());
  }
  log::Info("migration applied", {{"migration", migration.name},
                                  {"duration_ms", static_cast<std::int64_t>(duration.count())}});
  co_return Result<void>{};
}

asio::awaitable<Result<MigrationReport>> MigrateLocked(Connection& connection,
                                                       std::span<const Migration> migrations) {
  if (auto created = co_await connection.ExecuteScript(std::string(kCreateTable)); !created) {
    co_return tl::unexpected(created.error());
  }
  auto rows = co_await connection.Execute(kApplied);
  if (!rows) co_return tl::unexpected(rows.error());
  std::map<int, AppliedMigration> applied;
  for (int row = 0; row < rows->size(); ++row) {
    applied[static_cast<int>(rows->Int64(row, 0))] = {std::string(rows->Text(row, 1)),
                                                      std::string(rows->Text(row, 2))};
  }

  MigrationReport report;
  std::vector<std::string> edited;
  for (const Migration& migration : migrations) {
    const auto it = applied.find(migration.version);
    if (it == applied.end()) continue;
    const std::string checksum = MigrationChecksum(migration.sql);
    if (it->second.checksum != checksum) {
      edited.push_back(std::string(migration.name) + " (applied as sha256 " +
                       it->second.checksum.substr(0, 12) + "..., this binary has " +
                       checksum.substr(0, 12) + "...)");
    }
    ++report.already_applied;
  }
  if (!edited.empty()) {
    std::string list;
    for (const std::string& name : edited) list += (list.empty() ? "" : "; ") + name;
    co_return Fail(ErrorCode::kConflict,
                   "refusing to migrate: already-applied migrations were edited: " + list +
                       ". Never edit an applied migration; revert the edit and add a new "
                       "migration instead.");
  }
  for (const auto& [applied_version, migration] : applied) {
    // Named again: clang 14 cannot capture a structured binding.
    const auto version = applied_version;
    const bool known = std::any_of(migrations.begin(), migrations.end(),
                                   [&](const Migration& m) { return m.version == version; });
    if (!known) report.unknown.push_back(migration.name);
  }
  for (const Migration& migration : migrations) {
    if (applied.contains(migration.version)) continue;
    std::string checksum = MigrationChecksum(migration.sql);
    auto done = co_await Apply(connection, migration, std::move(checksum));
    if (!done) co_return tl::unexpected(done.error());
    report.applied.emplace_back(migration.name);
  }
  co_return report;
}

}  // namespace

std::string MigrationChecksum(std::string_view sql) {
  std::string normalized;
  normalized.reserve(sql.size());
  for (std::size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] == '\r' && i + 1 < sql.size() && sql[i + 1] == '\n') continue;
    normalized.push_back(sql[i]);
  }
  const Sha256Digest digest = Sha256(normalized);
  return ToHex(digest.data(), digest.size());
}

asio::awaitable<Result<MigrationReport>> Migrate(Connection& connection,
                                                 std::span<const Migration> migrations,
                                                 std::chrono::milliseconds lock_timeout) {
  if (auto locked = co_await AcquireLock(connection, lock_timeout); !locked) {
    co_return tl::unexpected(locked.error());
  }
  auto report = co_await MigrateLocked(connection, migrations);
  if (connection.IsUsable()) {
    if (connection.InTransaction()) (void)co_await connection.ExecuteScript("ROLLBACK");
    (void)co_await connection.Execute(kUnlock, kLockKey);
  }
  co_return report;
}

}  // namespace codezero::db
