// `codezero jobs list|show|retry|cancel`: the job queue by hand, for operators with database
// access (the same rules as /v1/admin/jobs, queue/job_admin.h; changes are audited as "cli").
//   codezero jobs list [--state S] [--kind K] [--queue Q] [--limit N] [--before ID] [--json]
//   codezero jobs show ID
//   codezero jobs retry ID
//   codezero jobs cancel ID [--reason TEXT]
#include <charconv>
#include <iomanip>
#include <iostream>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>

#include "api/audit.h"
#include "cli/command.h"
#include "db/pool.h"
#include "db/pool_options.h"
#include "queue/job_admin.h"

namespace codezero::cli {
namespace {

namespace asio = boost::asio;

constexpr std::string_view kJobsUsage =
    "usage: codezero jobs list [--state S] [--kind K] [--queue Q] [--limit N] [--before ID] "
    "[--json]\n"
    "       codezero jobs show ID\n"
    "       codezero jobs retry ID\n"
    "       codezero jobs cancel ID [--reason TEXT]\n";

std::optional<std::int64_t> WholeNumber(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

std::string Text(const boost::json::object& job, std::string_view name) {
  const auto* value = job.if_contains(name);
  if (value == nullptr || value->is_null()) return "-";
  if (value->is_string()) return std::string(value->as_string());
  if (value->is_int64()) return std::to_string(value->as_int64());
  return "?";
}

// One line per job: id, state, kind, queue, attempt/max, run_at, the last error.
void PrintTable(const std::string& page_json) {
  const boost::json::value page = boost::json::parse(page_json);
  std::cout << std::left << std::setw(10) << "ID" << std::setw(11) << "STATE" << std::setw(24)
            << "KIND" << std::setw(9) << "QUEUE" << std::setw(9) << "ATTEMPT" << std::setw(26)
            << "RUN AT"
            << "LAST ERROR\n";
  for (const auto& item : page.at("data").as_array()) {
    const auto& job = item.as_object();
    std::string last_error = "-";
    if (const auto& errors = job.at("errors").as_array(); !errors.empty()) {
      last_error = Text(errors.back().as_object(), "error");
    }
    std::cout << std::setw(10) << Text(job, "id") << std::setw(11) << Text(job, "state")
              << std::setw(24) << Text(job, "kind") << std::setw(9) << Text(job, "queue")
              << std::setw(9) << (Text(job, "attempt") + "/" + Text(job, "max_attempts"))
              << std::setw(26) << Text(job, "run_at") << last_error << "\n";
  }
  if (page.at("has_more").as_bool()) std::cout << "(more: add --before <smallest id above>)\n";
}

}  // namespace

void DescribeJobsSettings(SettingsReader& reader) {
  ReadLogSettings(reader);
  (void)db::ReadConnectOptions(reader, "codezero-jobs");
}

int RunJobsCommand(std::span<char* const> args) {
  const std::string action = args.empty() ? "" : args[0];
  const bool list = action == "list";
  const bool change = action == "retry" || action == "cancel";
  const std::optional<std::int64_t> id =
      !list && args.size() >= 2 ? WholeNumber(args[1]) : std::nullopt;
  const auto limit =
      WholeNumber(FlagValue(args, "--limit").empty() ? "50" : FlagValue(args, "--limit"));
  const auto before =
      WholeNumber(FlagValue(args, "--before").empty() ? "0" : FlagValue(args, "--before"));
  const std::string state = FlagValue(args, "--state");
  if ((!list && !change && action != "show") || (!list && (!id || *id == 0)) ||
      (list && (!limit || *limit < 1 || *limit > queue::kMaxJobsPage || !before ||
                (!state.empty() && !queue::IsJobState(state))))) {
    std::cerr << kJobsUsage;
    return kExitUsage;
  }
  SettingsReader reader(ProcessEnvironment());
  ReadLogSettings(reader);
  db::PoolOptions options;
  options.connect = db::ReadConnectOptions(reader, "codezero-jobs");
  options.size = 1;
  if (ReportSettingsProblems("jobs", reader)) return kExitUsage;

  asio::io_context context;
  db::Pool pool(context.get_executor(), options);
  int exit_code = kExitFailure;
  asio::co_spawn(
      context,
      [&]() -> asio::awaitable<void> {
        Result<std::string> result;
        if (list) {
          result = co_await queue::ListJobs(pool, state, FlagValue(args, "--kind"),
                                            FlagValue(args, "--queue"), *limit, *before);
        } else if (!change) {
          result = co_await queue::ShowJob(pool, *id);
        } else {
          const queue::JobAction job_action =
              action == "retry" ? queue::JobAction::kRetry : queue::JobAction::kCancel;
          const std::string given = FlagValue(args, "--reason");
          const std::string reason =
              "cancelled from the command line" + (given.empty() ? "" : ": " + given);
          const std::string details = "{\"job_id\":" + std::to_string(*id) + "}";
          result = co_await pool.Transact(
              [&](db::Transaction& tx) -> asio::awaitable<Result<std::string>> {
                auto changed = co_await queue::ChangeJob(tx, *id, job_action, reason);
                if (!changed) co_return tl::unexpected(changed.error());
                auto audited = co_await api::Audit(
                    tx, std::string(queue::AuditActionOf(job_action)), "", "", "", "cli", details);
                if (!audited) co_return tl::unexpected(audited.error());
                co_return std::move(*changed);
              });
        }
        if (!result) {
          const Error& error = result.error();
          std::cerr << "codezero jobs: " << (error.message.empty() ? error.reason : error.message)
                    << "\n";
          exit_code = kExitFailure;
        } else {
          if (list && !HasFlag(args, "--json")) {
            PrintTable(*result);
          } else {
            std::cout << *result << "\n";
          }
          exit_code = kExitOk;
        }
        pool.Close();
      },
      asio::detached);
  context.run();
  return exit_code;
}

}  // namespace codezero::cli
