// The database settings: DATABASE_URL and the pool's size and timeouts.
#pragma once

#include "common/settings.h"
#include "db/pool.h"

namespace codezero::db {

// DATABASE_URL and DB_CONNECT_TIMEOUT_MS: what every process that talks to PostgreSQL needs.
[[nodiscard]] ConnectOptions ReadConnectOptions(SettingsReader& reader,
                                                std::string_view application_name);

// `loops` is the number of event loops the process runs: DB_POOL_SIZE is the process's total,
// shared out between the loops' pools (at least one connection each).
[[nodiscard]] PoolOptions ReadPoolOptions(SettingsReader& reader, std::string_view application_name,
                                          std::size_t loops);

// The pool options one loop gets.
[[nodiscard]] PoolOptions ShareOfPool(const PoolOptions& total, std::size_t loops);

}  // namespace codezero::db
