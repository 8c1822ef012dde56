#include "worker/worker_settings.h"

#include <charconv>

#include "db/pool_options.h"
#include "queue/kinds.h"
#include "redis/client_options.h"

namespace codezero::worker {

std::optional<std::map<std::string, std::size_t>> ParseQueues(std::string_view text) {
  std::map<std::string, std::size_t> queues;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    const auto colon = item.find(':');
    if (colon == 0 || colon == std::string_view::npos) return std::nullopt;
    std::size_t limit = 0;
    const std::string_view number = item.substr(colon + 1);
    const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), limit);
    if (error != std::errc() || end != number.data() + number.size() || limit == 0) {
      return std::nullopt;
    }
    queues[std::string(item.substr(0, colon))] = limit;
  }
  if (queues.empty()) return std::nullopt;
  return queues;
}

WorkerSettings ReadWorkerSettings(SettingsReader& reader) {
  WorkerSettings settings;
  // One event loop: its jobs wait on I/O, not on the CPU; run more processes to scale.
  settings.server = http::ReadServerOptions(reader, "WORKER", 8082, /*single_loop=*/true);
  settings.metrics_server = http::ReadMetricsServerOptions(reader, "WORKER", 9182);
  settings.server.threads = 1;
  settings.database = db::ReadPoolOptions(reader, "codezero-worker", 1);
  settings.cache = redis::ReadClientOptions(reader);
  settings.stripe = stripe::ReadClientOptions(reader);
  settings.mail = mail::ReadMailSettings(reader);

  RunnerOptions& runner = settings.runner;
  runner.worker_id = NewWorkerId();
  runner.concurrency = static_cast<std::size_t>(reader.Integer(
      {.name = "WORKER_CONCURRENCY", .default_value = "50", .help = "jobs running at once"}, 1,
      10'000));
  const std::string queues =
      reader.String({.name = "WORKER_QUEUES",
                     .default_value = "default:50,email:10",
                     .help = "queues this worker serves, each with its own limit: name:limit,…"});
  if (auto parsed = ParseQueues(queues)) {
    runner.queues = std::move(*parsed);
  } else {
    reader.AddProblem("WORKER_QUEUES", "must look like default:50,email:10");
  }
  runner.fetch_batch =
      static_cast<std::size_t>(reader.Integer({.name = "WORKER_FETCH_BATCH",
                                               .default_value = "100",
                                               .help = "jobs fetched per query at most"},
                                              1, 10'000));
  runner.poll_interval =
      reader.Milliseconds({.name = "WORKER_POLL_MS",
                           .default_value = "1000",
                           .help = "look for due jobs at least this often (NOTIFY wakes earlier)"},
                          10, 60'000);
  runner.lease = reader.Milliseconds(
      {.name = "WORKER_LEASE_MS",
       .default_value = "30000",
       .help = "a running job's lease; a worker silent this long loses its jobs to others"},
      300, 3'600'000);
  runner.rescue_interval =
      reader.Milliseconds({.name = "WORKER_RESCUE_MS",
                           .default_value = "5000",
                           .help = "how often to look for jobs whose lease ran out"},
                          50, 3'600'000);
  runner.backoff_unit = reader.Milliseconds(
      {.name = "WORKER_BACKOFF_UNIT_MS",
       .default_value = "1000",
       .help = "the second of the attempt⁴-seconds retry backoff (smaller only in tests)"},
      1, 60'000);
  // WORKER_SHUTDOWN_GRACE_MS (read with the server's settings) also bounds running jobs.
  settings.shutdown_grace = settings.server.shutdown_grace;
  settings.schedule = reader.Boolean(
      {.name = "WORKER_SCHEDULE",
       .default_value = "true",
       .help = "take part in the election of the one worker that enqueues periodic jobs"});

  settings.public_web_url =
      reader.String({.name = "PUBLIC_WEB_URL",
                     .default_value = "http://127.0.0.1:8080",
                     .help = "the web frontend's public address, for links in e-mails"});
  while (settings.public_web_url.ends_with('/')) settings.public_web_url.pop_back();
  const std::string provisioning_url =
      reader.String({.name = "PROVISIONING_URL",
                     .help = "where provisioned entitlements are POSTed (signed); empty: nowhere"});
  const std::string provisioning_secret =
      reader.String({.name = "PROVISIONING_SECRET",
                     .help = "signs those POSTs (CodeZero-Signature, like Stripe-Signature)",
                     .secret = true});
  if (!provisioning_url.empty()) {
    if (provisioning_secret.size() < 32) {
      reader.AddProblem("PROVISIONING_SECRET",
                        "must be at least 32 characters with PROVISIONING_URL");
    }
    settings.provisioning = ProvisioningTarget{provisioning_url, provisioning_secret};
  }

  const std::int64_t reconcile_seconds =
      reader.Integer({.name = "RECONCILE_EVERY_SECONDS",
                      .default_value = "3600",
                      .help = "how often billing.reconcile compares local state with Stripe"},
                     10, 7 * 24 * 3600);
  PeriodicJob reconcile;
  reconcile.kind = std::string(queue::kinds::kBillingReconcile.name);
  reconcile.every = std::chrono::seconds(reconcile_seconds);
  settings.periodic.push_back(std::move(reconcile));
  const std::string cleanup_cron =
      reader.String({.name = "CLEANUP_CRON",
                     .default_value = "17 3 * * *",
                     .help = "when maintenance.cleanup runs (cron, UTC)"});
  if (auto schedule = CronSchedule::Parse(cleanup_cron)) {
    PeriodicJob cleanup;
    cleanup.kind = std::string(queue::kinds::kMaintenanceCleanup.name);
    cleanup.cron = *schedule;
    settings.periodic.push_back(std::move(cleanup));
  } else {
    reader.AddProblem("CLEANUP_CRON", schedule.error().message);
  }
  const std::string vat_cron =
      reader.String({.name = "VAT_RATES_CRON",
                     .default_value = "41 2 * * *",
                     .help = "when billing.follow_vat_rates gives running subscriptions a new "
                             "VAT rate before their renewal (cron, UTC)"});
  if (auto schedule = CronSchedule::Parse(vat_cron)) {
    PeriodicJob follow;
    follow.kind = std::string(queue::kinds::kBillingFollowVatRates.name);
    follow.cron = *schedule;
    settings.periodic.push_back(std::move(follow));
  } else {
    reader.AddProblem("VAT_RATES_CRON", schedule.error().message);
  }
  return settings;
}

}  // namespace codezero::worker
