#include "worker/queue_store.h"

#include <algorithm>

#include <boost/json/parse.hpp>

namespace codezero::worker {
namespace {

namespace asio = boost::asio;

constexpr db::Statement kFetch{
    "worker_fetch",
    "WITH picked AS ("
    "  SELECT id FROM jobs"
    "  WHERE state IN ('available', 'scheduled', 'retryable') AND run_at <= now() AND queue = $1"
    "  ORDER BY run_at, id LIMIT $2::int FOR UPDATE SKIP LOCKED) "
    "UPDATE jobs j SET state = 'running', attempt = j.attempt + 1, lease_owner = $3, "
    "  lease_expires_at = now() + make_interval(secs => $4::double precision), "
    "  attempted_at = now(), updated_at = now() "
    "FROM picked WHERE j.id = picked.id "
    "RETURNING j.id, j.kind, j.queue, j.args::text, j.attempt, j.max_attempts, "
    "  coalesce(j.unique_key, ''), coalesce(j.trace_context, '')"};

constexpr db::Statement kComplete{
    "worker_complete",
    "UPDATE jobs SET state = 'completed', finalized_at = now(), updated_at = now(), "
    "lease_owner = NULL, lease_expires_at = NULL "
    "WHERE (id, attempt) IN (SELECT * FROM unnest($1::bigint[], $3::int[])) "
    "AND lease_owner = $2 AND state = 'running'"};

constexpr db::Statement kFail{
    "worker_fail",
    "UPDATE jobs SET "
    "  state = CASE WHEN attempt >= max_attempts THEN 'discarded' ELSE 'retryable' END, "
    "  run_at = CASE WHEN attempt >= max_attempts THEN run_at "
    "    ELSE now() + make_interval(secs => $4::double precision) END, "
    "  finalized_at = CASE WHEN attempt >= max_attempts THEN now() END, "
    "  errors = errors || jsonb_build_array(jsonb_build_object('attempt', attempt, "
    "    'at', iso8601_ms(now()), 'error', $3::text, 'worker', $2::text)), "
    "  lease_owner = NULL, lease_expires_at = NULL, updated_at = now() "
    "WHERE id = $1 AND attempt = $5 AND lease_owner = $2 AND state = 'running' RETURNING state"};

constexpr db::Statement kSnooze{"worker_snooze",
                                "UPDATE jobs SET state = 'scheduled', attempt = attempt - 1, "
                                "run_at = now() + make_interval(secs => $3::double precision), "
                                "lease_owner = NULL, lease_expires_at = NULL, updated_at = now() "
                                "WHERE id = $1 AND attempt = $4 AND lease_owner = $2 "
                                "AND state = 'running'"};

constexpr db::Statement kFinish{
    "worker_finish",
    "UPDATE jobs SET state = $3, finalized_at = now(), "
    "errors = errors || jsonb_build_array(jsonb_build_object('attempt', attempt, "
    "  'at', iso8601_ms(now()), 'error', $4::text, 'worker', $2::text)), "
    "lease_owner = NULL, lease_expires_at = NULL, updated_at = now() "
    "WHERE id = $1 AND attempt = $5 AND lease_owner = $2 AND state = 'running'"};

constexpr db::Statement kHeartbeat{
    "worker_heartbeat",
    "UPDATE jobs SET lease_expires_at = now() + make_interval(secs => $3::double precision) "
    "WHERE (id, attempt) IN (SELECT * FROM unnest($1::bigint[], $4::int[])) "
    "AND lease_owner = $2 AND state = 'running'"};

constexpr db::Statement kRelease{
    "worker_release",
    "UPDATE jobs SET state = 'available', attempt = greatest(attempt - 1, 0), "
    "run_at = now() + make_interval(secs => $4::double precision), "
    "lease_owner = NULL, lease_expires_at = NULL, updated_at = now() "
    "WHERE (id, attempt) IN (SELECT * FROM unnest($1::bigint[], $3::int[])) "
    "AND lease_owner = $2 AND state = 'running'"};

constexpr db::Statement kRescue{
    "worker_rescue",
    "UPDATE jobs SET "
    "  state = CASE WHEN attempt >= max_attempts THEN 'discarded' ELSE 'retryable' END, "
    "  run_at = now(), finalized_at = CASE WHEN attempt >= max_attempts THEN now() END, "
    "  errors = errors || jsonb_build_array(jsonb_build_object('attempt', attempt, "
    "    'at', iso8601_ms(now()), 'error', 'lease expired: the worker stopped or hung', "
    "    'worker', lease_owner)), "
    "  lease_owner = NULL, lease_expires_at = NULL, updated_at = now() "
    "WHERE state = 'running' AND lease_expires_at < now() RETURNING id"};

double Seconds(std::chrono::milliseconds duration) {
  return static_cast<double>(duration.count()) / 1000.0;
}

}  // namespace

std::pair<std::string, std::string> RunArrays(const std::vector<RunKey>& runs) {
  std::string ids = "{";
  std::string attempts = "{";
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (i > 0) {
      ids += ',';
      attempts += ',';
    }
    ids += std::to_string(runs[i].id);
    attempts += std::to_string(runs[i].attempt);
  }
  ids += '}';
  attempts += '}';
  return {std::move(ids), std::move(attempts)};
}

QueueStore::QueueStore(db::Pool& database, std::string worker_id, std::chrono::milliseconds lease)
    : database_(database), worker_id_(std::move(worker_id)), lease_(lease) {}

asio::awaitable<Result<std::vector<JobRecord>>> QueueStore::Fetch(std::string queue, int limit) {
  auto rows = co_await database_.Execute(kFetch, queue, limit, worker_id_, Seconds(lease_));
  if (!rows) co_return tl::unexpected(rows.error());
  std::vector<JobRecord> jobs;
  jobs.reserve(static_cast<std::size_t>(rows->size()));
  for (int row = 0; row < rows->size(); ++row) {
    JobRecord job;
    job.id = rows->Int64(row, 0);
    job.kind = std::string(rows->Text(row, 1));
    job.queue = std::string(rows->Text(row, 2));
    boost::system::error_code ec;
    boost::json::value args = boost::json::parse(rows->Text(row, 3), ec);
    if (!ec && args.is_object()) job.args = std::move(args.as_object());
    job.attempt = static_cast<int>(rows->Int64(row, 4));
    job.max_attempts = static_cast<int>(rows->Int64(row, 5));
    job.unique_key = std::string(rows->Text(row, 6));
    job.trace_context = std::string(rows->Text(row, 7));
    job.lease_owner = worker_id_;
    jobs.push_back(std::move(job));
  }
  std::sort(jobs.begin(), jobs.end(),
            [](const JobRecord& a, const JobRecord& b) { return a.id < b.id; });
  co_return jobs;
}

asio::awaitable<Result<void>> QueueStore::Complete(std::vector<RunKey> runs) {
  if (runs.empty()) co_return Result<void>();
  const std::pair<std::string, std::string> arrays = RunArrays(runs);
  auto done = co_await database_.Execute(kComplete, arrays.first, worker_id_, arrays.second);
  if (!done) co_return tl::unexpected(done.error());
  co_return Result<void>();
}

asio::awaitable<Result<std::string>> QueueStore::Fail(RunKey run, std::string error,
                                                      std::chrono::milliseconds backoff) {
  auto failed = co_await database_.Execute(kFail, static_cast<long long>(run.id), worker_id_, error,
                                           Seconds(backoff), run.attempt);
  if (!failed) co_return tl::unexpected(failed.error());
  co_return failed->empty() ? std::string() : std::string(failed->Text(0, 0));
}

asio::awaitable<Result<void>> QueueStore::Snooze(RunKey run, std::chrono::seconds delay) {
  auto snoozed = co_await database_.Execute(kSnooze, static_cast<long long>(run.id), worker_id_,
                                            static_cast<double>(delay.count()), run.attempt);
  if (!snoozed) co_return tl::unexpected(snoozed.error());
  co_return Result<void>();
}

asio::awaitable<Result<void>> QueueStore::Finish(RunKey run, std::string state,
                                                 std::string reason) {
  auto finished = co_await database_.Execute(kFinish, static_cast<long long>(run.id), worker_id_,
                                             state, reason, run.attempt);
  if (!finished) co_return tl::unexpected(finished.error());
  co_return Result<void>();
}

asio::awaitable<Result<void>> QueueStore::Heartbeat(std::vector<RunKey> runs) {
  if (runs.empty()) co_return Result<void>();
  const std::pair<std::string, std::string> arrays = RunArrays(runs);
  auto beat = co_await database_.Execute(kHeartbeat, arrays.first, worker_id_, Seconds(lease_),
                                         arrays.second);
  if (!beat) co_return tl::unexpected(beat.error());
  co_return Result<void>();
}

asio::awaitable<Result<void>> QueueStore::Release(std::vector<RunKey> runs,
                                                  std::chrono::milliseconds delay) {
  if (runs.empty()) co_return Result<void>();
  const std::pair<std::string, std::string> arrays = RunArrays(runs);
  auto released =
      co_await database_.Execute(kRelease, arrays.first, worker_id_, arrays.second, Seconds(delay));
  if (!released) co_return tl::unexpected(released.error());
  co_return Result<void>();
}

asio::awaitable<Result<std::int64_t>> QueueStore::RescueExpired() {
  auto rescued = co_await database_.Execute(kRescue);
  if (!rescued) co_return tl::unexpected(rescued.error());
  co_return static_cast<std::int64_t>(rescued->size());
}

}  // namespace codezero::worker
