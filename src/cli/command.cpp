#include "cli/command.h"

#include <iostream>

#include "common/log.h"

namespace codezero::cli {

bool ReportSettingsProblems(std::string_view command, const SettingsReader& reader) {
  if (reader.problems().empty()) return false;
  for (const std::string& problem : reader.problems()) {
    std::cerr << "codezero " << command << ": " << problem << "\n";
  }
  std::cerr << "codezero " << command << ": see 'codezero " << command << " --help'\n";
  return true;
}

void ReadLogSettings(SettingsReader& reader) {
  const std::string level_text = reader.String(
      {.name = "LOG_LEVEL", .default_value = "info", .help = "debug, info, warn or error"});
  log::Level level = log::Level::kInfo;
  if (!log::ParseLevel(level_text, level)) {
    reader.AddProblem("LOG_LEVEL", "'" + level_text + "' is not debug, info, warn or error");
  }
  log::SetLevel(level);
}

tracing::TracingSettings ReadTracingSettings(SettingsReader& reader,
                                             std::string_view service_name) {
  return tracing::ReadTracingSettings(reader, service_name);
}

error_reports::SentrySettings ReadErrorReportSettings(SettingsReader& reader,
                                                      std::string_view process) {
  return error_reports::ReadSentrySettings(reader, process);
}

bool HasFlag(std::span<char* const> args, std::string_view flag) {
  for (const char* arg : args) {
    if (flag == arg) return true;
  }
  return false;
}

std::string FlagValue(std::span<char* const> args, std::string_view flag) {
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (flag == args[i]) return args[i + 1];
  }
  return "";
}

}  // namespace codezero::cli
