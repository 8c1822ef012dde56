// Operating the job queue by hand: list jobs, retry one, cancel one. Shared by the command line
// (`codezero jobs list|retry|cancel`) and the admin API (`/v1/admin/jobs`), so both follow the
// same rules:
//   retry   a job that is not running: it becomes `available` now, keeps its attempts and
//           errors, and gets one more attempt if it had used them all. A job already
//           `available` is left as it is. 409 while running, or when another live job holds
//           its unique key.
//   cancel  a job waiting to run (`available`, `scheduled`, `retryable`): `cancelled`, with
//           the reason in its errors. A cancelled job is left as it is. 409 while running
//           (its attempt ends on its own; cancel it afterwards) or once it has finished.
// Jobs are JSON objects rendered by PostgreSQL: id, kind, queue, state, attempt, max_attempts,
// run_at, created_at, attempted_at, finalized_at, unique_key, args, errors.
#pragma once

#include <cstdint>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "db/pool.h"

namespace codezero::queue {

inline constexpr std::int64_t kMaxJobsPage = 100;

// One page, newest first: `{"data":[job, ...],"has_more":bool}`. Empty filters match all;
// `before_id` > 0 continues after the last page's smallest id.
// (Plain parameters, not a struct: see ADR 0001 on aggregates in co_await expressions.)
[[nodiscard]] boost::asio::awaitable<Result<std::string>> ListJobs(
    db::Pool& database, std::string state, std::string kind, std::string queue, std::int64_t limit,
    std::int64_t before_id);

// The job as JSON, or kNotFound.
[[nodiscard]] boost::asio::awaitable<Result<std::string>> ShowJob(db::Pool& database,
                                                                  std::int64_t id);

enum class JobAction { kRetry, kCancel };

// Retries or cancels (`reason`: kept in the job's errors) a job; the job after the change, as
// JSON; kNotFound, or kConflict with a message saying why.
[[nodiscard]] boost::asio::awaitable<Result<std::string>> ChangeJob(db::Transaction& tx,
                                                                    std::int64_t id,
                                                                    JobAction action,
                                                                    std::string reason);

// "admin_job_retried" or "admin_job_cancelled": the audit log's name for the action.
[[nodiscard]] std::string_view AuditActionOf(JobAction action);

// True for the seven job states.
[[nodiscard]] bool IsJobState(std::string_view state);

}  // namespace codezero::queue
