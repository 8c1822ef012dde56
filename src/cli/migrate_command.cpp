// `codezero migrate`: applies the embedded migrations, then exits (0: up to date).
#include <iostream>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "cli/command.h"
#include "common/log.h"
#include "db/connection.h"
#include "db/migrator.h"
#include "db/pool_options.h"

namespace codezero::cli {
namespace {

struct MigrateSettings {
  db::ConnectOptions connect;
  std::chrono::milliseconds lock_timeout{};
};

MigrateSettings ReadMigrateSettings(SettingsReader& reader) {
  MigrateSettings settings;
  // PostgreSQL itself: the migrations hold a session's advisory lock.
  settings.connect = db::DirectConnectOptions(db::ReadConnectOptions(reader, "codezero-migrate"));
  settings.lock_timeout =
      reader.Milliseconds({.name = "MIGRATE_LOCK_TIMEOUT_MS",
                           .default_value = "300000",
                           .help = "wait this long for another process's migration to finish"},
                          0, 3'600'000);
  // A migration may rebuild an index on a large table: far longer than an API statement.
  settings.connect.statement_timeout = reader.Milliseconds(
      {.name = "MIGRATE_STATEMENT_TIMEOUT_MS",
       .default_value = "3600000",
       .help = "the server cancels a migration statement running longer than this"},
      1000, 86'400'000);
  return settings;
}

}  // namespace

void DescribeMigrateSettings(SettingsReader& reader) {
  ReadLogSettings(reader);
  (void)ReadMigrateSettings(reader);
}

int RunMigrateCommand(std::span<char* const>) {
  SettingsReader reader(ProcessEnvironment());
  ReadLogSettings(reader);
  const MigrateSettings settings = ReadMigrateSettings(reader);
  if (ReportSettingsProblems("migrate", reader)) return kExitUsage;

  boost::asio::io_context context;
  int exit_code = kExitFailure;
  boost::asio::co_spawn(
      context,
      [&]() -> boost::asio::awaitable<void> {
        auto connection = co_await db::Connection::Open(context.get_executor(), settings.connect);
        if (!connection) {
          std::cerr << "codezero migrate: cannot connect to the database: "
                    << connection.error().reason << "\n";
          co_return;
        }
        auto report =
            co_await db::Migrate(**connection, db::EmbeddedMigrations(), settings.lock_timeout);
        if (!report) {
          std::cerr << "codezero migrate: " << report.error().message;
          if (!report.error().reason.empty()) std::cerr << " (" << report.error().reason << ")";
          std::cerr << "\n";
          co_return;
        }
        for (const std::string& name : report->applied) std::cout << "applied " << name << "\n";
        for (const std::string& name : report->unknown) {
          std::cout << "note: the database has " << name
                    << ", which this binary does not know (a newer release migrated)\n";
        }
        std::cout << "database is up to date (" << report->already_applied + report->applied.size()
                  << " migrations)\n";
        exit_code = kExitOk;
      },
      boost::asio::detached);
  context.run();
  return exit_code;
}

}  // namespace codezero::cli
