// `codezero catalog import FILE`: validates a catalog document and stores it as the next
// version (unless it equals the newest version). Running API processes pick it up within
// CATALOG_REFRESH_MS.
#include <fstream>
#include <iostream>
#include <sstream>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "api/catalog_import.h"
#include "cli/command.h"
#include "db/pool.h"
#include "db/pool_options.h"
#include "domain/catalog.h"

namespace codezero::cli {
namespace {

namespace asio = boost::asio;

}  // namespace

void DescribeCatalogSettings(SettingsReader& reader) {
  ReadLogSettings(reader);
  (void)db::ReadConnectOptions(reader, "codezero-catalog");
}

int RunCatalogCommand(std::span<char* const> args) {
  if (args.size() != 2 || std::string_view(args[0]) != "import") {
    std::cerr << "usage: codezero catalog import FILE\n";
    return kExitUsage;
  }
  SettingsReader reader(ProcessEnvironment());
  ReadLogSettings(reader);
  db::PoolOptions options;
  options.connect = db::ReadConnectOptions(reader, "codezero-catalog");
  options.size = 1;
  if (ReportSettingsProblems("catalog", reader)) return kExitUsage;

  std::ifstream in(args[1]);
  if (!in) {
    std::cerr << "codezero catalog: cannot read " << args[1] << "\n";
    return kExitUsage;
  }
  std::ostringstream text;
  text << in.rdbuf();
  const std::string document = text.str();
  if (auto parsed = domain::ParseCatalog(document, 0); !parsed) {
    std::cerr << "codezero catalog: " << args[1] << " is not a valid catalog:\n";
    for (const FieldError& error : parsed.error().fields) {
      std::cerr << "  " << error.field << ": " << error.message << "\n";
    }
    if (parsed.error().fields.empty()) std::cerr << "  " << parsed.error().message << "\n";
    return kExitUsage;
  }

  asio::io_context context;
  db::Pool pool(context.get_executor(), options);
  int exit_code = kExitFailure;
  asio::co_spawn(
      context,
      [&]() -> asio::awaitable<void> {
        auto outcome = co_await api::ImportCatalog(pool, document);
        if (!outcome) {
          std::cerr << "codezero catalog: import failed: " << outcome.error().message << " ("
                    << outcome.error().reason << ")\n";
        } else if (outcome->created) {
          std::cout << "imported catalog version " << outcome->version << "\n";
          exit_code = kExitOk;
        } else {
          std::cout << "unchanged: the newest catalog version " << outcome->version
                    << " is identical\n";
          exit_code = kExitOk;
        }
        pool.Close();
      },
      asio::detached);
  context.run();
  return exit_code;
}

}  // namespace codezero::cli
