#include "queue/job_admin.h"

#include <array>

namespace codezero::queue {
namespace {

namespace asio = boost::asio;

#define CODEZERO_JOB_JSON                                                                 \
  "json_build_object('id', id, 'kind', kind, 'queue', queue, 'state', state, 'attempt', " \
  "attempt, 'max_attempts', max_attempts, 'run_at', iso8601_ms(run_at), 'created_at', "   \
  "iso8601_ms(created_at), 'attempted_at', iso8601_ms(attempted_at), 'finalized_at', "    \
  "iso8601_ms(finalized_at), 'unique_key', unique_key, 'args', args, 'errors', errors)"

constexpr db::Statement kList{
    "jobs_admin_list",
    "SELECT coalesce(json_agg(" CODEZERO_JOB_JSON
    " ORDER BY id DESC) "
    "FILTER (WHERE n <= $4::bigint), '[]')::text, count(*) > $4::bigint "
    "FROM (SELECT *, row_number() OVER (ORDER BY id DESC) AS n FROM jobs "
    "WHERE ($1 = '' OR state = $1) AND ($2 = '' OR kind = $2) AND ($3 = '' OR queue = $3) "
    "AND ($5::bigint = 0 OR id < $5::bigint) ORDER BY id DESC LIMIT $4::bigint + 1) page"};
constexpr db::Statement kShow{"jobs_admin_show",
                              "SELECT " CODEZERO_JOB_JSON "::text FROM jobs WHERE id = $1"};
constexpr db::Statement kLock{"jobs_admin_lock", "SELECT state FROM jobs WHERE id = $1 FOR UPDATE"};
constexpr db::Statement kRetry{
    "jobs_admin_retry",
    "UPDATE jobs SET state = 'available', run_at = now(), finalized_at = NULL, "
    "max_attempts = greatest(max_attempts, attempt + 1), updated_at = now() WHERE id = $1"};
constexpr db::Statement kCancel{
    "jobs_admin_cancel",
    "UPDATE jobs SET state = 'cancelled', finalized_at = now(), updated_at = now(), "
    "errors = errors || jsonb_build_array(jsonb_build_object('attempt', attempt, "
    "  'at', iso8601_ms(now()), 'error', $2::text, 'worker', NULL)) WHERE id = $1"};

#undef CODEZERO_JOB_JSON

constexpr std::array<std::string_view, 7> kStates = {
    "available", "scheduled", "running", "retryable", "completed", "discarded", "cancelled"};

asio::awaitable<Result<std::string>> Current(db::Transaction& tx, long long id) {
  auto shown = co_await tx.Execute(kShow, id);
  if (!shown) co_return tl::unexpected(shown.error());
  if (shown->empty()) co_return Fail(ErrorCode::kNotFound, "No such job.");
  co_return std::string(shown->Text(0, 0));
}

// The job's state, locked until the transaction ends; empty when there is no such job.
asio::awaitable<Result<std::string>> LockedState(db::Transaction& tx, long long id) {
  auto locked = co_await tx.Execute(kLock, id);
  if (!locked) co_return tl::unexpected(locked.error());
  co_return locked->empty() ? std::string() : std::string(locked->Text(0, 0));
}

}  // namespace

bool IsJobState(std::string_view state) {
  for (const std::string_view known : kStates) {
    if (known == state) return true;
  }
  return false;
}

asio::awaitable<Result<std::string>> ListJobs(db::Pool& database, std::string state,
                                              std::string kind, std::string queue,
                                              std::int64_t limit, std::int64_t before_id) {
  auto page = co_await database.Execute(kList, state, kind, queue, static_cast<long long>(limit),
                                        static_cast<long long>(before_id));
  if (!page) co_return tl::unexpected(page.error());
  co_return "{\"data\":" + std::string(page->Text(0, 0)) +
      ",\"has_more\":" + (page->Bool(0, 1) ? "true" : "false") + "}";
}

asio::awaitable<Result<std::string>> ShowJob(db::Pool& database, std::int64_t id) {
  auto shown = co_await database.Execute(kShow, static_cast<long long>(id));
  if (!shown) co_return tl::unexpected(shown.error());
  if (shown->empty()) co_return Fail(ErrorCode::kNotFound, "No such job.");
  co_return std::string(shown->Text(0, 0));
}

namespace {

asio::awaitable<Result<std::string>> Retry(db::Transaction& tx, std::int64_t id) {
  const auto job = static_cast<long long>(id);
  auto state = co_await LockedState(tx, job);
  if (!state) co_return tl::unexpected(state.error());
  if (state->empty()) co_return Fail(ErrorCode::kNotFound, "No such job.");
  if (*state == "running") {
    co_return Fail(ErrorCode::kConflict,
                   "The job is running; retry it once this attempt has ended.");
  }
  if (*state != "available") {
    auto retried = co_await tx.Execute(kRetry, job);
    if (!retried) {
      if (db::SqlStateOf(retried.error()) == "23505") {
        co_return Fail(ErrorCode::kConflict,
                       "Another live job holds this job's unique key; retry that one instead.");
      }
      co_return tl::unexpected(retried.error());
    }
  }
  co_return co_await Current(tx, job);
}

asio::awaitable<Result<std::string>> Cancel(db::Transaction& tx, std::int64_t id,
                                            std::string reason) {
  const auto job = static_cast<long long>(id);
  auto state = co_await LockedState(tx, job);
  if (!state) co_return tl::unexpected(state.error());
  if (state->empty()) co_return Fail(ErrorCode::kNotFound, "No such job.");
  if (*state == "running") {
    co_return Fail(ErrorCode::kConflict,
                   "The job is running; its attempt ends on its own. Cancel it afterwards.");
  }
  if (*state == "completed" || *state == "discarded") {
    co_return Fail(ErrorCode::kConflict, "The job has finished (" + *state + ").");
  }
  if (*state != "cancelled") {
    auto cancelled = co_await tx.Execute(kCancel, job, reason);
    if (!cancelled) co_return tl::unexpected(cancelled.error());
  }
  co_return co_await Current(tx, job);
}

}  // namespace

asio::awaitable<Result<std::string>> ChangeJob(db::Transaction& tx, std::int64_t id,
                                               JobAction action, std::string reason) {
  if (action == JobAction::kRetry) co_return co_await Retry(tx, id);
  co_return co_await Cancel(tx, id, std::move(reason));
}

std::string_view AuditActionOf(JobAction action) {
  return action == JobAction::kRetry ? "admin_job_retried" : "admin_job_cancelled";
}

}  // namespace codezero::queue
