#include "db/pool_options.h"

#include <algorithm>

namespace codezero::db {

ConnectOptions ReadConnectOptions(SettingsReader& reader, std::string_view application_name) {
  ConnectOptions options;
  options.url =
      reader.String({.name = "DATABASE_URL",
                     .help = "PostgreSQL connection URI, e.g. postgresql://user:pass@host:5432/db",
                     .secret = true,
                     .required = true});
  if (!options.url.empty() &&
      ((!options.url.starts_with("postgresql://") && !options.url.starts_with("postgres://") &&
        options.url.find('=') == std::string::npos) ||
       !IsValidConnectionString(options.url))) {
    reader.AddProblem("DATABASE_URL",
                      "must be a valid postgresql:// URI or libpq key=value connection string "
                      "(percent-encode special characters in the password)");
  }
  options.transaction_pooler = reader.Boolean(
      {.name = "DB_PGBOUNCER",
       .default_value = "false",
       .help = "DATABASE_URL leads to PgBouncer in transaction mode: unnamed statements, no "
               "session options (set the role's statement_timeout; deploy/pgbouncer)"});
  options.direct_url = reader.String(
      {.name = "DATABASE_DIRECT_URL",
       .help = "PostgreSQL itself when DATABASE_URL leads to a pooler, for LISTEN and the "
               "migrations' lock; empty: DATABASE_URL",
       .secret = true});
  if (!options.direct_url.empty() && !IsValidConnectionString(options.direct_url)) {
    reader.AddProblem("DATABASE_DIRECT_URL",
                      "must be a valid postgresql:// URI or libpq key=value connection string");
  }
  options.application_name = std::string(application_name);
  options.connect_timeout = reader.Milliseconds(
      {.name = "DB_CONNECT_TIMEOUT_MS", .default_value = "2000", .help = "connection set-up limit"},
      1, 60'000);
  return options;
}

PoolOptions ReadPoolOptions(SettingsReader& reader, std::string_view application_name,
                            std::size_t loops) {
  PoolOptions options;
  options.connect = ReadConnectOptions(reader, application_name);
  options.size = static_cast<std::size_t>(
      reader.Integer({.name = "DB_POOL_SIZE",
                      .default_value = "16",
                      .help = "database connections of this process, shared by its threads"},
                     1, 1000));
  if (options.size < loops) options.size = loops;
  options.acquire_timeout =
      reader.Milliseconds({.name = "DB_ACQUIRE_TIMEOUT_MS",
                           .default_value = "2000",
                           .help = "wait at most this for a free connection, then answer 503"},
                          1, 60'000);
  options.connect.statement_timeout =
      reader.Milliseconds({.name = "DB_STATEMENT_TIMEOUT_MS",
                           .default_value = "5000",
                           .help = "the server cancels a statement running longer than this"},
                          1, 3'600'000);
  return options;
}

PoolOptions ShareOfPool(const PoolOptions& total, std::size_t loops) {
  PoolOptions share = total;
  share.size = std::max<std::size_t>(1, total.size / std::max<std::size_t>(1, loops));
  return share;
}

}  // namespace codezero::db
