// The job queue against a real PostgreSQL and Redis, the worker in-process (WorkerHarness):
// jobs run and complete; a failing job retries with its backoff and is discarded after its last
// attempt with every error kept; a snoozed job runs later without using an attempt; a unique
// key admits one live job; an attempt that overruns its kind's timeout fails; a job whose
// worker died is rescued when its lease runs out; NOTIFY wakes an idle worker; shutdown
// releases running jobs unharmed; periodic jobs are scheduled once per slot by two schedulers.
#include <gtest/gtest.h>

#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "queue/enqueue.h"
#include "support/api_server.h"
#include "support/environment.h"
#include "support/eventually.h"
#include "support/run_async.h"
#include "support/run_in_transaction.h"
#include "support/worker_harness.h"
#include "worker/queue_store.h"

namespace codezero::worker {
namespace {

namespace asio = boost::asio;

class WorkerQueue : public ::testing::Test {
 protected:
  WorkerQueue() { testing::ApplyMigrations(database); }

  testing::WorkerHarnessOptions Options() {
    return testing::TestWorkerOptions(database.url(), testing::TestRedisUrl(), outbox);
  }

  // Enqueues through the C++ API, in a transaction, as the API's handlers do.
  std::optional<std::int64_t> Enqueue(const std::string& kind, const std::string& args = "{}",
                                      const std::string& unique_key = "", int max_attempts = 0) {
    auto id = testing::RunInTransaction<std::optional<std::int64_t>>(
        database.url(),
        [&](db::Transaction& tx) -> asio::awaitable<Result<std::optional<std::int64_t>>> {
          co_return co_await queue::Enqueue(tx, kind, args, unique_key, "default", 0, "",
                                            max_attempts);
        });
    EXPECT_TRUE(id.has_value());
    return id ? *id : std::nullopt;
  }

  std::string Query(const std::string& sql) { return database.QueryValue(sql); }

  // Waits until `sql` returns `expected`; false after `limit`.
  bool WaitFor(const std::string& sql, const std::string& expected,
               std::chrono::milliseconds limit = std::chrono::seconds(20)) {
    return testing::Eventually([&] { return Query(sql) == expected; }, limit);
  }

  testing::TestDatabase database;
  std::filesystem::path outbox =
      std::filesystem::temp_directory_path() / ("cz-outbox-" + testing::UniqueKeyPrefix());
};

TEST_F(WorkerQueue, RunsEveryJobOnceAndCompletesIt) {
  for (int i = 0; i < 200; ++i) Enqueue("worker.noop");
  testing::WorkerHarness worker(Options());
  ASSERT_TRUE(WaitFor("SELECT count(*) FROM jobs WHERE state = 'completed'", "200"));
  EXPECT_EQ(Query("SELECT max(attempt) FROM jobs"), "1");
  EXPECT_EQ(Query("SELECT count(*) FROM jobs WHERE finalized_at IS NULL"), "0");
  EXPECT_EQ(worker.counts().completed, 200);
}

TEST_F(WorkerQueue, AFailingJobRetriesWithBackoffAndIsDiscardedAfterItsLastAttempt) {
  const auto id = Enqueue("worker.noop", R"({"fail":"always"})", "", 4);
  testing::WorkerHarness worker(Options());  // backoff unit 10 ms: 10, 160, 810 ms
  ASSERT_TRUE(WaitFor("SELECT state FROM jobs", "discarded"));
  const std::string job = " FROM jobs WHERE id = " + std::to_string(*id);
  EXPECT_EQ(Query("SELECT attempt" + job), "4");
  EXPECT_EQ(Query("SELECT jsonb_array_length(errors)" + job), "4");
  EXPECT_EQ(Query("SELECT errors->3->>'error'" + job), "asked to fail (always)");
  EXPECT_EQ(Query("SELECT string_agg(e->>'attempt', ',') FROM jobs, "
                  "jsonb_array_elements(errors) e WHERE id = " +
                  std::to_string(*id)),
            "1,2,3,4");
  // The gap before the last attempt is the backoff of attempt 3: 3⁴ × 10 ms ± 10 %.
  const double gap =
      std::stod(Query("SELECT extract(epoch FROM (errors->3->>'at')::timestamptz - "
                      "(errors->2->>'at')::timestamptz)" +
                      job));
  EXPECT_GE(gap, 0.9 * 0.81 - 0.01);  // never earlier than the backoff (a lower bound only)
  EXPECT_EQ(worker.counts().failed, 4);
}

TEST_F(WorkerQueue, ASnoozedJobRunsLaterWithoutUsingAnAttempt) {
  // The worker first, then the job: its snooze time counts from when a running worker can take
  // it at once, not from before a start that may itself take seconds (under the sanitizers).
  testing::WorkerHarness worker(Options());
  const std::int64_t until = std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count() +
                             3;
  Enqueue("worker.noop", R"({"snooze_until":)" + std::to_string(until) + "}");
  ASSERT_TRUE(
      WaitFor("SELECT state || ' ' || attempt FROM jobs", "scheduled 0", std::chrono::seconds(5)));
  ASSERT_TRUE(WaitFor("SELECT state || ' ' || attempt FROM jobs", "completed 1"));
  EXPECT_EQ(Query("SELECT jsonb_array_length(errors) FROM jobs"), "0");
}

TEST_F(WorkerQueue, AUniqueKeyAdmitsOneLiveJobAtATime) {
  EXPECT_TRUE(Enqueue("worker.noop", "{}", "once").has_value());
  EXPECT_FALSE(Enqueue("worker.noop", "{}", "once").has_value());
  EXPECT_EQ(Query("SELECT count(*) FROM jobs"), "1");
  {
    testing::WorkerHarness worker(Options());
    ASSERT_TRUE(WaitFor("SELECT state FROM jobs", "completed"));
  }
  // Finished, the key is free again.
  EXPECT_TRUE(Enqueue("worker.noop", "{}", "once").has_value());
}

TEST_F(WorkerQueue, AnAttemptThatOverrunsItsKindsTimeoutFails) {
  auto options = Options();
  options.extra_kinds = [](Registry& registry) {
    registry.Add("test.slow", {.timeout = std::chrono::milliseconds(100)},
                 [](const JobRecord&) -> asio::awaitable<Outcome> {
                   asio::steady_timer timer(co_await asio::this_coro::executor);
                   timer.expires_after(std::chrono::seconds(3));
                   (void)co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
                   co_return Outcome::Completed();
                 });
  };
  Enqueue("test.slow", "{}", "", 1);
  testing::WorkerHarness worker(options);
  ASSERT_TRUE(WaitFor("SELECT state FROM jobs", "discarded"));
  EXPECT_EQ(Query("SELECT errors->0->>'error' FROM jobs"), "timed out after 100 ms");
  EXPECT_EQ(worker.counts().timed_out, 1);
}

TEST_F(WorkerQueue, AJobWhoseWorkerDiedIsRescuedWhenItsLeaseRunsOut) {
  const auto id = Enqueue("worker.noop");
  // As a worker that took the job and then died would leave it.
  database.Execute(
      "UPDATE jobs SET state = 'running', attempt = 1, lease_owner = 'dead:1:x', "
      "lease_expires_at = now() - interval '1 second' WHERE id = " +
      std::to_string(*id));
  testing::WorkerHarness worker(Options());
  ASSERT_TRUE(WaitFor("SELECT state FROM jobs", "completed"));
  EXPECT_EQ(Query("SELECT attempt FROM jobs"), "2");
  EXPECT_EQ(Query("SELECT errors->0->>'worker' FROM jobs"), "dead:1:x");
  EXPECT_EQ(Query("SELECT errors->0->>'error' FROM jobs"),
            "lease expired: the worker stopped or hung");
}

TEST_F(WorkerQueue, NotifyWakesAnIdleWorkerLongBeforeItWouldPoll) {
  auto options = Options();
  options.runner.poll_interval = std::chrono::minutes(5);
  testing::WorkerHarness worker(options);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // idle, listening
  Enqueue("worker.noop");
  EXPECT_TRUE(WaitFor("SELECT state FROM jobs", "completed", std::chrono::seconds(30)));
}

TEST_F(WorkerQueue, ShutdownLetsShortJobsFinishAndReleasesTheRestUnharmed) {
  for (int i = 0; i < 3; ++i) Enqueue("worker.noop", R"({"sleep_ms":50})");
  for (int i = 0; i < 3; ++i) Enqueue("worker.noop", R"({"sleep_ms":30000})");
  testing::WorkerHarness worker(Options());
  ASSERT_TRUE(WaitFor("SELECT count(*) FROM jobs WHERE state = 'running'", "3"));
  worker.Shutdown(std::chrono::milliseconds(300));
  EXPECT_EQ(Query("SELECT count(*) FROM jobs WHERE state = 'completed'"), "3");
  EXPECT_EQ(Query("SELECT string_agg(DISTINCT state || ' ' || attempt || ' ' || "
                  "coalesce(lease_owner, '-'), ',') FROM jobs WHERE args->>'sleep_ms' = '30000'"),
            "available 0 -");
  // Due only once this process, where their handlers still ran, has had time to end.
  EXPECT_EQ(Query("SELECT bool_and(run_at > now() + interval '3 seconds') FROM jobs "
                  "WHERE args->>'sleep_ms' = '30000'"),
            "t");
}

TEST_F(WorkerQueue, AStaleRunCannotRecordTheEndOfANewerRunOfTheSameJob) {
  const auto id = Enqueue("worker.noop");
  asio::io_context context;
  db::PoolOptions options;
  options.connect.url = database.url();
  options.size = 1;
  db::Pool pool(context.get_executor(), options);
  QueueStore store(pool, "this:1:worker", std::chrono::milliseconds(60'000));
  const auto first = testing::RunAsync(context, store.Fetch("default", 10));
  ASSERT_TRUE(first.has_value());
  ASSERT_EQ(first->size(), 1u);
  // The first run stalls past its lease; the job is rescued and this very worker fetches it
  // again while the first run is still going on.
  database.Execute("UPDATE jobs SET lease_expires_at = now() - interval '1 second'");
  ASSERT_EQ(testing::RunAsync(context, store.RescueExpired()).value(), 1);
  const auto second = testing::RunAsync(context, store.Fetch("default", 10));
  ASSERT_TRUE(second.has_value());
  ASSERT_EQ(second->size(), 1u);
  const RunKey stale = first->front().run();
  const RunKey current = second->front().run();
  EXPECT_EQ(stale.id, current.id);
  EXPECT_EQ(current.attempt, 2);

  // Whatever the stale run reports changes nothing.
  ASSERT_TRUE(testing::RunAsync(context, store.Complete({stale})).has_value());
  EXPECT_EQ(Query("SELECT state || ' ' || attempt FROM jobs"), "running 2");
  EXPECT_EQ(testing::RunAsync(context, store.Fail(stale, "late", std::chrono::seconds(1))).value(),
            "");
  ASSERT_TRUE(testing::RunAsync(context, store.Snooze(stale, std::chrono::seconds(60))));
  ASSERT_TRUE(testing::RunAsync(context, store.Finish(stale, "discarded", "late")));
  ASSERT_TRUE(testing::RunAsync(context, store.Release({stale}, std::chrono::milliseconds(0))));
  EXPECT_EQ(Query("SELECT state || ' ' || attempt FROM jobs"), "running 2");
  // Heartbeats extend only the current run's lease.
  database.Execute("UPDATE jobs SET lease_expires_at = now() + interval '1 second'");
  ASSERT_TRUE(testing::RunAsync(context, store.Heartbeat({stale})));
  EXPECT_EQ(Query("SELECT lease_expires_at < now() + interval '2 seconds' FROM jobs"), "t");
  ASSERT_TRUE(testing::RunAsync(context, store.Heartbeat({current})));
  EXPECT_EQ(Query("SELECT lease_expires_at > now() + interval '30 seconds' FROM jobs"), "t");
  // The current run's end is recorded.
  ASSERT_TRUE(testing::RunAsync(context, store.Complete({current})).has_value());
  EXPECT_EQ(Query("SELECT state || ' ' || attempt FROM jobs WHERE id = " + std::to_string(*id)),
            "completed 2");
  pool.Close();
}

TEST_F(WorkerQueue, TwoSchedulersAndARestartScheduleEachPeriodicSlotOnce) {
  const auto Runs = [&] { return std::stoi(Query("SELECT count(*) FROM periodic_runs")); };
  auto options = Options();
  PeriodicJob every_second;
  every_second.kind = "worker.noop";
  every_second.every = std::chrono::seconds(1);
  options.periodic = {every_second};
  options.scheduler.lock_key = "cz:test:scheduler:" + testing::UniqueKeyPrefix();
  {
    testing::WorkerHarness first(options);
    auto second_options = options;
    second_options.runner.worker_id = NewWorkerId();
    testing::WorkerHarness second(second_options);
    ASSERT_TRUE(testing::Eventually([&] { return Runs() >= 2; }));
    EXPECT_NE(first.leader(), second.leader());  // exactly one leads
    first.Shutdown();                            // the leader may go: the other takes over
    const int before = Runs();
    ASSERT_TRUE(testing::Eventually([&] { return second.leader() && Runs() >= before + 2; }));
  }
  testing::WorkerHarness restarted(options);
  const int before = Runs();
  ASSERT_TRUE(testing::Eventually([&] { return Runs() >= before + 1; }));
  restarted.Shutdown();

  const int runs = std::stoi(Query("SELECT count(*) FROM periodic_runs"));
  EXPECT_GE(runs, 3);
  EXPECT_EQ(Query("SELECT count(*) FROM jobs WHERE kind = 'worker.noop'"), std::to_string(runs));
  EXPECT_EQ(Query("SELECT count(DISTINCT unique_key) FROM jobs"), std::to_string(runs));
  // One run per second-slot at most.
  EXPECT_EQ(Query("SELECT count(*) FROM (SELECT slot FROM periodic_runs GROUP BY slot "
                  "HAVING count(*) > 1) doubled"),
            "0");
}

}  // namespace
}  // namespace codezero::worker
