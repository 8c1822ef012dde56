// Applies schema migrations, each once, in version order, under a PostgreSQL advisory lock so
// that several processes starting at once migrate one after another. Every applied migration
// is recorded in `schema_migrations` with the SHA-256 of its text; a migration that was
// edited after it was applied is refused with a message saying so, because the database
// would no longer match what the code expects.
//
// Blue/green: migrations are written so that the previous release keeps working on the new
// schema; a migration the database has but this binary does not know (a newer release ran)
// is reported, not an error. Each migration runs in its own transaction, unless its text
// contains the line `-- codezero:no-transaction` (for CREATE INDEX CONCURRENTLY).
#pragma once

#include <chrono>
#include <span>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "db/connection.h"
#include "db/embedded_migrations.h"

namespace codezero::db {

struct MigrationReport {
  std::vector<std::string> applied;  // names applied by this run
  std::size_t already_applied = 0;
  std::vector<std::string> unknown;  // recorded in the database, unknown to this binary
};

// SHA-256 (hex) of the migration text with CRLF line ends read as LF.
[[nodiscard]] std::string MigrationChecksum(std::string_view sql);

// REQUIRES: `migrations` sorted by version, versions unique.
[[nodiscard]] boost::asio::awaitable<Result<MigrationReport>> Migrate(
    Connection& connection, std::span<const Migration> migrations,
    std::chrono::milliseconds lock_timeout = std::chrono::minutes(5));

}  // namespace codezero::db
