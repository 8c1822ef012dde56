// Two `codezero worker` processes share the queue; one is killed with SIGKILL half way. Every
// job still completes, no order is provisioned twice, and the jobs the dead worker held show
// their lost attempt (attempt 2, the expired lease in their errors).
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <thread>

#include "support/api_server.h"
#include "support/child_process.h"
#include "support/environment.h"
#include "support/eventually.h"

namespace codezero {
namespace {

constexpr int kOrders = 1000;

std::vector<std::string> WorkerEnvironment(const testing::TestDatabase& database,
                                           const std::filesystem::path& outbox,
                                           const std::string& shutdown_grace_ms = "10000") {
  return {"DATABASE_URL=" + database.url(),
          "WORKER_SHUTDOWN_GRACE_MS=" + shutdown_grace_ms,
          "REDIS_URL=" + testing::TestRedisUrl(),
          "WORKER_PORT=0",
          "WORKER_METRICS_PORT=0",
          "WORKER_CONCURRENCY=20",
          "WORKER_QUEUES=default:20,email:5",
          "WORKER_LEASE_MS=1500",
          "WORKER_RESCUE_MS=200",
          "WORKER_POLL_MS=200",
          "WORKER_SCHEDULE=false",
          "DB_POOL_SIZE=8",
          "MAIL_OUTBOX_DIR=" + outbox.string(),
          "LOG_LEVEL=error"};
}

TEST(WorkerProcesses, SurviveOneBeingKilledWithoutLosingOrDoublingWork) {
  testing::TestDatabase database;
  testing::ApplyMigrations(database);
  database.Execute(
      "INSERT INTO companies (id, name, country) VALUES "
      "('00000000-0000-4000-8000-000000000001', 'Load GmbH', 'DE');"
      "INSERT INTO users (id, company_id, email, name, role, locale, email_verified_at) VALUES "
      "('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', "
      "'load@example.com', 'Lo', 'owner', 'en', now());"
      "INSERT INTO orders (company_id, created_by, idempotency_key, request_digest, status, "
      "catalog_version, quote_id, plan, billing_interval, currency, locale, tax_treatment, "
      "tax_country, tax_rate_bps, amount_subtotal, amount_discount, amount_tax, amount_total, "
      "recurring_subtotal, recurring_tax, recurring_total) "
      "SELECT '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', "
      "'k' || g, 'd', 'paid', 1, 'qt_' || g, 'team', 'month', 'eur', 'en', 'standard', 'DE', "
      "1900, 19900, 0, 3781, 23681, 19900, 3781, 23681 FROM generate_series(1, " +
      std::to_string(kOrders) +
      ") g;"
      "INSERT INTO order_lines (order_id, position, kind, code, description, quantity, "
      "unit_amount, amount, amount_discount, amount_tax, tax_rate_bps, recurring) "
      "SELECT id, 1, 'plan', 'team', 'Team', 1, 19900, 19900, 0, 3781, 1900, true FROM orders;"
      "INSERT INTO jobs (kind, args, unique_key) SELECT 'order.provision', "
      "jsonb_build_object('order_id', id), 'order.provision:' || id FROM orders;");
  const std::filesystem::path outbox =
      std::filesystem::temp_directory_path() / ("cz-outbox-" + testing::UniqueKeyPrefix());
  const auto environment = WorkerEnvironment(database, outbox);

  testing::ChildProcess doomed(CODEZERO_BINARY, {"worker"}, environment);
  testing::ChildProcess survivor(CODEZERO_BINARY, {"worker"}, environment);
  const std::string doomed_jobs =
      "SELECT count(*) FROM jobs WHERE state = 'running' AND "
      "kind = 'order.provision' AND lease_owner LIKE '%:" +
      std::to_string(doomed.pid()) + ":%'";
  // Half way, while the doomed worker holds jobs, it dies without a word.
  const bool killed = testing::Eventually(
      [&] {
        const int done = std::stoi(database.QueryValue(
            "SELECT count(*) FROM jobs WHERE kind = 'order.provision' AND state = 'completed'"));
        if (done < kOrders / 3 || std::stoi(database.QueryValue(doomed_jobs)) == 0) return false;
        doomed.Signal(SIGKILL);
        return true;
      },
      std::chrono::seconds(10), std::chrono::milliseconds(5));
  ASSERT_TRUE(killed) << "the doomed worker never held a job";
  EXPECT_EQ(doomed.Wait(), -SIGKILL);

  const bool finished = testing::Eventually(
      [&] {
        return database.QueryValue("SELECT count(*) FROM jobs WHERE state <> 'completed'") == "0";
      },
      std::chrono::seconds(60), std::chrono::milliseconds(50));
  ASSERT_TRUE(finished) << database.QueryValue(
                               "SELECT string_agg(state || ':' || n, ',') FROM "
                               "(SELECT state, count(*) n FROM jobs GROUP BY state) s")
                        << "\n"
                        << database.QueryValue(
                               "SELECT string_agg(kind || ' attempt ' || attempt || ' run_at ' || "
                               "(run_at - now()) || ' errors ' || errors::text, E'\\n') FROM jobs "
                               "WHERE state <> 'completed'");
  survivor.Signal(SIGTERM);
  EXPECT_EQ(survivor.Wait(), 0);

  const std::string total = std::to_string(kOrders);
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM orders WHERE status = 'active'"), total);
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM workspaces"), total);
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM licences"), total);
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM order_status_history"),
            std::to_string(2 * kOrders));  // paid→provisioning, provisioning→active: once each
  EXPECT_EQ(
      database.QueryValue("SELECT count(*) FROM email_outbox WHERE template = 'access_details'"),
      total);
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM email_outbox WHERE sent_at IS NULL"), "0");
  // The dead worker's jobs were rescued: a second attempt, the lost one on record.
  const int rescued = std::stoi(database.QueryValue(
      "SELECT count(*) FROM jobs WHERE kind = 'order.provision' AND attempt > 1"));
  EXPECT_GT(rescued, 0);
  EXPECT_LE(rescued, 20);  // at most what the dead worker could hold (its concurrency)
  EXPECT_EQ(database.QueryValue(
                "SELECT count(*) FROM jobs WHERE kind = 'order.provision' AND attempt > 1 "
                "AND errors->0->>'error' = "
                "'lease expired: the worker stopped or hung'"),
            std::to_string(rescued));
  // Each e-mail left as one .eml file; only one whose sender died between writing it and
  // marking it sent may exist twice (at-least-once delivery, docs/worker.md).
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(outbox)) {
    if (entry.path().extension() == ".eml") ++files;
  }
  const auto resent = static_cast<std::size_t>(std::stoi(
      database.QueryValue("SELECT count(*) FROM jobs WHERE kind = 'email.send' AND attempt > 1")));
  const auto emails =
      static_cast<std::size_t>(std::stoi(database.QueryValue("SELECT count(*) FROM email_outbox")));
  EXPECT_GE(files, emails);
  EXPECT_LE(files, emails + resent);
  std::filesystem::remove_all(outbox);
}

TEST(WorkerProcesses, ShutdownReleasesWhatStillRunsAndExitsWithoutWaitingForIt) {
  testing::TestDatabase database;
  testing::ApplyMigrations(database);
  database.Execute(
      "INSERT INTO jobs (kind, args) VALUES ('worker.noop', '{\"sleep_ms\": 50}'), "
      "('worker.noop', '{\"sleep_ms\": 60000}')");
  const std::filesystem::path outbox =
      std::filesystem::temp_directory_path() / ("cz-outbox-" + testing::UniqueKeyPrefix());
  testing::ChildProcess worker(CODEZERO_BINARY, {"worker"},
                               WorkerEnvironment(database, outbox, "300"));
  const std::string states =
      "SELECT string_agg(state, ',' ORDER BY state) FROM jobs";  // "completed,running" wanted
  EXPECT_TRUE(
      testing::Eventually([&] { return database.QueryValue(states) == "completed,running"; }));
  ASSERT_EQ(database.QueryValue("SELECT count(*) FROM jobs WHERE state = 'running'"), "1");

  worker.Signal(SIGTERM);
  // The 60-second handler is abandoned, not awaited: the process ends long before it would.
  EXPECT_EQ(worker.WaitFor(std::chrono::seconds(20)), std::optional<int>(0));
  EXPECT_EQ(database.QueryValue("SELECT state || ' ' || attempt || ' ' || (run_at > now()) FROM "
                                "jobs WHERE args->>'sleep_ms' = '60000'"),
            "available 0 true");
  EXPECT_EQ(database.QueryValue("SELECT state FROM jobs WHERE args->>'sleep_ms' = '50'"),
            "completed");
  std::filesystem::remove_all(outbox);
}

}  // namespace
}  // namespace codezero
