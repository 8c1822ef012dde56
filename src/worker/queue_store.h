// The worker's statements on the `jobs` table (migration 0004): fetching a batch with
// FOR UPDATE SKIP LOCKED under a lease, and every way a run ends. Each end is guarded by the
// lease (`lease_owner` = this worker and still `running`), so a worker that lost its lease
// (it stalled, the job was rescued and runs elsewhere) cannot overwrite the job's state.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "db/pool.h"
#include "worker/job.h"

namespace codezero::worker {

class QueueStore {
 public:
  QueueStore(db::Pool& database, std::string worker_id, std::chrono::milliseconds lease);

  [[nodiscard]] const std::string& worker_id() const { return worker_id_; }

  // Up to `limit` due jobs of `queue`, now `running` under this worker's lease, oldest first.
  [[nodiscard]] boost::asio::awaitable<Result<std::vector<JobRecord>>> Fetch(std::string queue,
                                                                             int limit);

  // Marks the jobs completed (one statement for the whole batch).
  [[nodiscard]] boost::asio::awaitable<Result<void>> Complete(std::vector<std::int64_t> ids);
  // Retryable after `backoff`, or discarded when it was the last attempt; the error is kept.
  // Returns the new state ("retryable" or "discarded"; "" when the lease was lost).
  [[nodiscard]] boost::asio::awaitable<Result<std::string>> Fail(std::int64_t id, std::string error,
                                                                 std::chrono::milliseconds backoff);
  [[nodiscard]] boost::asio::awaitable<Result<void>> Snooze(std::int64_t id,
                                                            std::chrono::seconds delay);
  // `state`: "discarded" or "cancelled".
  [[nodiscard]] boost::asio::awaitable<Result<void>> Finish(std::int64_t id, std::string state,
                                                            std::string reason);

  // Extends the lease of jobs still running here.
  [[nodiscard]] boost::asio::awaitable<Result<void>> Heartbeat(std::vector<std::int64_t> ids);
  // Puts jobs back as they were before this worker took them (shutdown): available now, the
  // attempt not counted.
  [[nodiscard]] boost::asio::awaitable<Result<void>> Release(std::vector<std::int64_t> ids);
  // Any worker's jobs whose lease ran out (the worker died or hung): retryable at once, or
  // discarded after their last attempt; the lost attempt is recorded. Returns how many.
  [[nodiscard]] boost::asio::awaitable<Result<std::int64_t>> RescueExpired();

 private:
  db::Pool& database_;
  std::string worker_id_;
  std::chrono::milliseconds lease_;
};

// "{1,2,3}": a PostgreSQL array literal for `$n::bigint[]`.
[[nodiscard]] std::string BigintArray(const std::vector<std::int64_t>& ids);

}  // namespace codezero::worker
