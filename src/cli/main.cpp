// codezero: the Code Zero AI platform, one executable with a subcommand per process.
#include <array>
#include <iostream>
#include <span>
#include <string_view>

#include "cli/command.h"
#include "common/build_info.h"

namespace {

using codezero::cli::Command;

const std::array<Command, 9> kCommands{{
    {"admin", "admin create-user --email ADDRESS: create a platform admin",
     codezero::cli::DescribeAdminSettings, codezero::cli::RunAdminCommand},
    {"api", "serve the REST API (default port 8081)", codezero::cli::DescribeApiSettings,
     codezero::cli::RunApiCommand},
    {"catalog", "catalog import FILE: store a new catalog version",
     codezero::cli::DescribeCatalogSettings, codezero::cli::RunCatalogCommand},
    {"jobs", "jobs list|show|retry|cancel: operate the job queue",
     codezero::cli::DescribeJobsSettings, codezero::cli::RunJobsCommand},
    {"migrate", "apply the database migrations built into this binary",
     codezero::cli::DescribeMigrateSettings, codezero::cli::RunMigrateCommand},
    {"stripe", "stripe setup --webhook-url URL: make the Stripe account ready for the platform",
     codezero::cli::DescribeStripeSettings, codezero::cli::RunStripeCommand},
    {"stripe-fake", "serve the local Stripe stand-in (default port 12111)",
     codezero::cli::DescribeStripeFakeSettings, codezero::cli::RunStripeFakeCommand},
    {"web", "serve the public website (default port 8080)", codezero::cli::DescribeWebSettings,
     codezero::cli::RunWebCommand},
    {"worker", "run background jobs from the queue (health on port 8082)",
     codezero::cli::DescribeWorkerSettings, codezero::cli::RunWorkerCommand},
}};

void PrintUsage(std::ostream& out) {
  out << "Usage: codezero <command> [--help]\n\nCommands:\n";
  for (const Command& command : kCommands) {
    out << "  " << command.name;
    out << std::string(command.name.size() < 12 ? 12 - command.name.size() : 1, ' ')
        << command.summary << "\n";
  }
  out << "  version     print the version and the commit it was built from\n";
}

int PrintCommandHelp(const Command& command) {
  codezero::SettingsReader reader([](std::string_view) { return std::nullopt; });
  command.describe_settings(reader);
  std::cout << "Usage: codezero " << command.name << "\n\n"
            << command.summary << "\n\n"
            << codezero::FormatSettingsHelp(reader.specs());
  return codezero::cli::kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  const std::span<char* const> args(argv, static_cast<std::size_t>(argc));
  if (args.size() < 2 || std::string_view(args[1]) == "--help" ||
      std::string_view(args[1]) == "help") {
    PrintUsage(args.size() < 2 ? std::cerr : std::cout);
    return args.size() < 2 ? codezero::cli::kExitUsage : codezero::cli::kExitOk;
  }
  const std::string_view name = args[1];
  if (name == "version" || name == "--version") {
    const codezero::BuildInfo& info = codezero::GetBuildInfo();
    std::cout << "codezero " << info.version << " (" << info.commit << ", built " << info.built_at
              << ")\n";
    return codezero::cli::kExitOk;
  }
  for (const Command& command : kCommands) {
    if (command.name != name) continue;
    const auto rest = args.subspan(2);
    if (codezero::cli::HasFlag(rest, "--help") || codezero::cli::HasFlag(rest, "-h")) {
      return PrintCommandHelp(command);
    }
    return command.run(rest);
  }
  std::cerr << "codezero: unknown command '" << name << "'\n\n";
  PrintUsage(std::cerr);
  return codezero::cli::kExitUsage;
}
