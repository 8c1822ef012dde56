// Runs jobs from the queue (docs/worker.md): fetches due jobs in batches under a lease
// (FOR UPDATE SKIP LOCKED, so any number of workers share the queue without handing a job to
// two of them), wakes on LISTEN/NOTIFY and polls every second as a fallback, runs each job's
// handler with the kind's timeout, and records the outcome: completions in batches, failures
// with their error and a backoff, discards after the last attempt. While jobs run, their
// leases are extended; jobs of workers that died are rescued when their leases run out.
//
// Every write about a run is fenced by its attempt (RunKey), so the late result of a run that
// timed out or lost its lease is ignored. A completion stays leased (heartbeated) until it is
// recorded; a failed write of completions is retried.
//
// Shutdown stops fetching, keeps extending leases while running jobs finish within a
// deadline, and puts the rest back unharmed (the attempt not counted), due a few seconds later
// so that the handlers still running here have ended with this process.
//
// Not thread-safe: every member runs on the executor given at construction.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "db/connection.h"
#include "db/pool.h"
#include "worker/queue_store.h"
#include "worker/registry.h"

namespace codezero::worker {

struct RunnerOptions {
  std::string worker_id;         // unique per process, e.g. "host:pid:random"
  std::size_t concurrency = 50;  // jobs running at once, in total
  std::map<std::string, std::size_t> queues{{"default", 50}};  // queues served, limit of each
  std::size_t fetch_batch = 100;
  std::chrono::milliseconds poll_interval{1'000};
  std::chrono::milliseconds lease{30'000};  // extended every third of it while a job runs
  std::chrono::milliseconds rescue_interval{5'000};
  std::chrono::milliseconds backoff_unit{1'000};  // the "second" of attempt⁴ seconds
};

class Runner {
 public:
  // `listen` opens the LISTEN connection (its own, outside the pool).
  Runner(boost::asio::any_io_executor executor, db::Pool& database, db::ConnectOptions listen,
         const Registry& registry, RunnerOptions options);
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;
  ~Runner();

  void Start();

  // Stops fetching; running jobs may finish until `deadline`, the rest are released; then
  // `done` runs (on the runner's executor). Later calls do nothing.
  void Shutdown(std::chrono::milliseconds deadline, std::function<void()> done);

  struct Counts {
    std::int64_t started = 0;
    std::int64_t completed = 0;
    std::int64_t failed = 0;
    std::int64_t timed_out = 0;
    std::int64_t released = 0;
    std::int64_t rescued = 0;
  };
  [[nodiscard]] const Counts& counts() const { return counts_; }
  [[nodiscard]] std::size_t running() const { return running_.size(); }

  // How long jobs released at the deadline of a shutdown wait before another worker may take
  // them: longer than this process needs to exit after the deadline (the caller ends the
  // process at once when abandoned() > 0, without waiting for those handlers).
  static constexpr std::chrono::milliseconds kReleaseDelay{5'000};
  // Runs released at a shutdown's deadline whose handlers may still be running here.
  [[nodiscard]] std::size_t abandoned() const { return abandoned_; }

 private:
  struct Running {
    std::string queue;
  };

  boost::asio::awaitable<void> FetchLoop();
  boost::asio::awaitable<void> ListenLoop();
  boost::asio::awaitable<void> HeartbeatLoop();
  boost::asio::awaitable<void> RescueLoop();
  boost::asio::awaitable<void> Execute(JobRecord job);
  // Stores the outcome and counts it in the job metrics (`took`: the run's time; `span_id`: the
  // run's span, for an error report).
  boost::asio::awaitable<void> Record(const JobRecord& job, Outcome outcome, bool timed_out,
                                      std::chrono::steady_clock::duration took,
                                      std::string span_id);
  boost::asio::awaitable<void> FlushCompletions();
  boost::asio::awaitable<void> Drain(std::chrono::milliseconds deadline,
                                     std::function<void()> done);
  void Wake();
  void Finished(RunKey run);
  [[nodiscard]] std::vector<RunKey> RunningRuns() const;

  boost::asio::any_io_executor executor_;
  db::ConnectOptions listen_;
  const Registry& registry_;
  RunnerOptions options_;
  QueueStore store_;
  boost::asio::steady_timer wake_timer_;
  boost::asio::steady_timer heartbeat_timer_;
  boost::asio::steady_timer rescue_timer_;
  bool wake_pending_ = false;
  bool capacity_bound_ = false;  // the last fetch was cut short by free slots
  bool stopping_ = false;
  bool drained_ = false;
  std::size_t abandoned_ = 0;  // shutdown finished waiting: nothing more is recorded or extended
  std::map<RunKey, Running> running_;  // until the run's end is recorded
  std::map<std::string, std::size_t> running_per_queue_;
  std::vector<RunKey> completions_;  // completed, waiting for the next write
  std::set<RunKey> completing_;      // completed, not yet recorded (waiting or being written)
  bool flushing_ = false;
  std::shared_ptr<bool> alive_;  // loops check it after every wait
  Counts counts_;
};

// "host:pid:random" for RunnerOptions::worker_id.
[[nodiscard]] std::string NewWorkerId();

}  // namespace codezero::worker
