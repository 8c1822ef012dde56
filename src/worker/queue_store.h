// The worker's statements on the `jobs` table (migration 0004): fetching a batch with
// FOR UPDATE SKIP LOCKED under a lease, and every way a run ends. Each end is guarded by the
// lease and the run (`lease_owner` = this worker, still `running`, and the same attempt), so a
// worker that lost its lease (it stalled, the job was rescued and runs again, here or
// elsewhere) cannot overwrite the newer run's state.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
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
  [[nodiscard]] boost::asio::awaitable<Result<void>> Complete(std::vector<RunKey> runs);
  // Retryable after `backoff`, or discarded when it was the last attempt; the error is kept.
  // Returns the new state ("retryable" or "discarded"; "" when the lease was lost).
  [[nodiscard]] boost::asio::awaitable<Result<std::string>> Fail(RunKey run, std::string error,
                                                                 std::chrono::milliseconds backoff);
  [[nodiscard]] boost::asio::awaitable<Result<void>> Snooze(RunKey run, std::chrono::seconds delay);
  // `state`: "discarded" or "cancelled".
  [[nodiscard]] boost::asio::awaitable<Result<void>> Finish(RunKey run, std::string state,
                                                            std::string reason);

  // Extends the lease of runs still going on here.
  [[nodiscard]] boost::asio::awaitable<Result<void>> Heartbeat(std::vector<RunKey> runs);
  // Puts jobs back as they were before this worker took them (shutdown): available after
  // `delay`, the attempt not counted.
  [[nodiscard]] boost::asio::awaitable<Result<void>> Release(std::vector<RunKey> runs,
                                                             std::chrono::milliseconds delay);
  // Any worker's jobs whose lease ran out (the worker died or hung): retryable at once, or
  // discarded after their last attempt; the lost attempt is recorded. Returns how many.
  [[nodiscard]] boost::asio::awaitable<Result<std::int64_t>> RescueExpired();

 private:
  db::Pool& database_;
  std::string worker_id_;
  std::chrono::milliseconds lease_;
};

// The ids and the attempts of `runs`, as two PostgreSQL array literals ("{1,2}", "{3,1}") in
// the same order, for `unnest($ids::bigint[], $attempts::int[])`.
[[nodiscard]] std::pair<std::string, std::string> RunArrays(const std::vector<RunKey>& runs);

}  // namespace codezero::worker
