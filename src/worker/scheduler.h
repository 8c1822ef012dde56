// Periodic jobs: each runs every N seconds or on a cron schedule (UTC). Every worker process
// runs a Scheduler, but only the one holding the Redis leader lock enqueues; the others stand
// by and take over within a lock TTL when the leader stops. A run is recorded in
// `periodic_runs` (unique per kind and slot) in the same transaction as its job, so neither a
// restart nor two leaders at once (a stalled one whose lease ran out) schedule a slot twice.
// A slot missed while no leader ran is made up once, not once per missed slot.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "db/pool.h"
#include "redis/client.h"
#include "redis/leader_lock.h"
#include "worker/cron.h"

namespace codezero::worker {

struct PeriodicJob {
  std::string kind;
  std::string args_json = "{}";
  std::string queue = "default";
  std::optional<std::chrono::seconds> every;  // either this
  std::optional<CronSchedule> cron;           // or this
};

// The slot after `after`: the next multiple of `every` since the epoch, or the cron's next.
[[nodiscard]] std::chrono::sys_seconds NextSlot(const PeriodicJob& job,
                                                std::chrono::sys_seconds after);

struct SchedulerOptions {
  std::string lock_key = "codezero:worker:scheduler";
  std::chrono::milliseconds lock_ttl{10'000};
  std::chrono::milliseconds tick{1'000};
};

class Scheduler {
 public:
  Scheduler(boost::asio::any_io_executor executor, db::Pool& database, redis::Client& cache,
            std::vector<PeriodicJob> jobs, SchedulerOptions options = {});
  ~Scheduler();

  void Start();
  // Stops ticking and gives up the lock (another worker takes over at once).
  [[nodiscard]] boost::asio::awaitable<void> Stop();

  [[nodiscard]] bool leader() const { return lock_.held(); }

 private:
  boost::asio::awaitable<void> Loop();
  boost::asio::awaitable<void> ScheduleDue(std::chrono::sys_seconds now);

  boost::asio::any_io_executor executor_;
  db::Pool& database_;
  std::vector<PeriodicJob> jobs_;
  SchedulerOptions options_;
  redis::LeaderLock lock_;
  boost::asio::steady_timer timer_;
  std::map<std::string, std::chrono::sys_seconds> last_slot_;  // known while leader
  bool stopping_ = false;
  std::shared_ptr<bool> alive_;
};

}  // namespace codezero::worker
