// A subcommand of the `codezero` executable (`codezero api`, `codezero migrate`, ...).
// Each reads its settings through one function, which `--help` also calls with an empty
// environment to list every setting with its default.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "common/settings.h"
#include "error_reports/sentry.h"
#include "tracing/tracer.h"

namespace codezero::cli {

struct Command {
  std::string_view name;
  std::string_view summary;
  // Reads (and validates) the command's settings; used for --help with an empty environment.
  std::function<void(SettingsReader&)> describe_settings;
  std::function<int(std::span<char* const> args)> run;
};

// Exit codes: 0 success, 1 failure at run time, 2 bad usage or settings.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// Prints one line per settings problem to stderr; returns true when there were any.
[[nodiscard]] bool ReportSettingsProblems(std::string_view command, const SettingsReader& reader);

// LOG_LEVEL.
void ReadLogSettings(SettingsReader& reader);

// OpenTelemetry's settings (tracing/tracer.h) for a process whose spans are `service_name`.
[[nodiscard]] tracing::TracingSettings ReadTracingSettings(SettingsReader& reader,
                                                           std::string_view service_name);

// Sentry's settings (error_reports/sentry.h) for `process` ("api", "web", ...).
[[nodiscard]] error_reports::SentrySettings ReadErrorReportSettings(SettingsReader& reader,
                                                                    std::string_view process);

[[nodiscard]] bool HasFlag(std::span<char* const> args, std::string_view flag);
// The argument after `flag` ("--email a@b" gives "a@b"); empty when there is none.
[[nodiscard]] std::string FlagValue(std::span<char* const> args, std::string_view flag);

int RunApiCommand(std::span<char* const> args);
int RunCatalogCommand(std::span<char* const> args);
int RunAdminCommand(std::span<char* const> args);
void DescribeAdminSettings(SettingsReader& reader);
void DescribeCatalogSettings(SettingsReader& reader);
int RunMigrateCommand(std::span<char* const> args);
void DescribeApiSettings(SettingsReader& reader);
void DescribeMigrateSettings(SettingsReader& reader);
int RunJobsCommand(std::span<char* const> args);
void DescribeJobsSettings(SettingsReader& reader);
int RunWorkerCommand(std::span<char* const> args);
void DescribeWorkerSettings(SettingsReader& reader);
int RunStripeFakeCommand(std::span<char* const> args);
int RunStripeCommand(std::span<char* const> args);
void DescribeStripeSettings(SettingsReader& reader);
void DescribeWebSettings(SettingsReader& reader);
int RunWebCommand(std::span<char* const> args);
void DescribeStripeFakeSettings(SettingsReader& reader);

}  // namespace codezero::cli
