// `codezero worker`: runs jobs from the queue until SIGTERM or SIGINT, then stops fetching,
// lets running jobs finish within WORKER_SHUTDOWN_GRACE_MS, puts the rest back and exits 0.
// Serves /healthz and /readyz on WORKER_PORT (8082) and /metrics on WORKER_METRICS_PORT (9182);
// any number of copies may run.
#include <csignal>
#include <cstdlib>
#include <stdexcept>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/signal_set.hpp>

#include "api/routes/health.h"
#include "cli/command.h"
#include "cli/metrics_listener.h"
#include "common/build_info.h"
#include "common/event_loops.h"
#include "common/log.h"
#include "http/curl_client.h"
#include "http/pipeline.h"
#include "http/security_headers.h"
#include "http/server.h"
#include "worker/jobs/job_dependencies.h"
#include "worker/queue_metrics.h"
#include "worker/runner.h"
#include "worker/scheduler.h"
#include "worker/worker_settings.h"

namespace codezero::cli {
namespace asio = boost::asio;

void DescribeWorkerSettings(SettingsReader& reader) {
  ReadLogSettings(reader);
  (void)ReadTracingSettings(reader, "codezero-worker");
  (void)ReadErrorReportSettings(reader, "worker");
  (void)worker::ReadWorkerSettings(reader);
}

int RunWorkerCommand(std::span<char* const>) {
  SettingsReader reader(ProcessEnvironment());
  ReadLogSettings(reader);
  const worker::WorkerSettings settings = worker::ReadWorkerSettings(reader);
  tracing::TracingSettings tracing_settings = ReadTracingSettings(reader, "codezero-worker");
  error_reports::SentrySettings sentry_settings = ReadErrorReportSettings(reader, "worker");
  if (ReportSettingsProblems("worker", reader)) return kExitUsage;
  tracing::Start(std::move(tracing_settings));
  error_reports::Start(std::move(sentry_settings));

  EventLoops loops(1);
  const asio::any_io_executor executor = loops[0].get_executor();
  http::CurlClient curl;  // after the loops: destroyed before them
  stripe::Client stripe(curl, settings.stripe);
  db::Pool database(executor, settings.database);
  // The queue's own statements (fetch, complete, heartbeat) get connections of their own, so
  // busy jobs never starve the runner.
  db::PoolOptions queue_pool = settings.database;
  queue_pool.size = 2;
  queue_pool.metrics_name = "queue";
  db::Pool queue_database(executor, queue_pool);
  redis::Client cache(executor, settings.cache);
  const std::unique_ptr<mail::MailTransport> transport = mail::MakeTransport(settings.mail, curl);
  worker::JobDependencies deps{.database = database,
                               .cache = cache,
                               .stripe = stripe,
                               .curl = curl,
                               .mail = *transport,
                               .mail_settings = settings.mail,
                               .public_web_url = settings.public_web_url,
                               .provisioning = settings.provisioning};
  worker::Registry registry;
  worker::RegisterJobs(registry, deps);
  if (const std::vector<std::string> missing = registry.MissingKinds(); !missing.empty()) {
    // Their jobs would only fail here until discarded: refuse to start instead.
    std::string names;
    for (const std::string& name : missing) names += (names.empty() ? "" : ", ") + name;
    log::Error("the worker has no handler for these job kinds; not starting", {{"kinds", names}});
    return kExitFailure;
  }
  worker::Runner runner(executor, queue_database,
                        db::DirectConnectOptions(settings.database.connect), registry,
                        settings.runner);
  std::unique_ptr<worker::Scheduler> scheduler;
  if (settings.schedule) {
    scheduler =
        std::make_unique<worker::Scheduler>(executor, queue_database, cache, settings.periodic);
  }

  auto router = std::make_shared<http::Router>();
  api::AddHealthRoutes(*router, {.database = database, .cache = cache});
  std::vector<std::shared_ptr<const http::Pipeline>> pipelines{
      std::make_shared<http::Pipeline>(router, http::SecurityHeaders::ForApi())};
  http::Server server(loops, settings.server, pipelines);
  RegisterProcessMetrics("worker");
  MetricsListener metrics(settings.metrics_server);
  try {
    metrics.Start();
  } catch (const std::runtime_error& e) {  // std:: and boost::system::system_error
    log::Error("cannot listen for metrics", {{"host", settings.metrics_server.host},
                                             {"port", settings.metrics_server.port},
                                             {"error", e.what()}});
    return kExitFailure;
  }
  std::uint16_t port = 0;
  try {
    port = server.Start();
  } catch (const std::runtime_error& e) {  // std:: and boost::system::system_error
    log::Error(
        "cannot listen",
        {{"host", settings.server.host}, {"port", settings.server.port}, {"error", e.what()}});
    return kExitFailure;
  }
  worker::QueueMetricsSampler queue_metrics(executor, queue_database);
  runner.Start();
  if (scheduler) scheduler->Start();
  queue_metrics.Start();
  log::Info("worker listening",
            {{"url", "http://" + settings.server.host + ":" + std::to_string(port)},
             {"worker", settings.runner.worker_id},
             {"version", GetBuildInfo().version},
             {"commit", GetBuildInfo().commit}});

  asio::signal_set signals(loops[0], SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code ec, int signal) {
    if (ec) return;
    log::Info("signal received", {{"signal", signal}});
    server.Shutdown([](bool) {});
    runner.Shutdown(settings.shutdown_grace, [&] {
      asio::co_spawn(
          loops[0],
          [&]() -> asio::awaitable<void> {
            queue_metrics.Stop();
            if (scheduler) co_await scheduler->Stop();
            database.Close();
            queue_database.Close();
            cache.Close();
            // Handlers of released jobs may still be running: the process ends now rather than
            // wait for them (their jobs become due again in Runner::kReleaseDelay).
            if (runner.abandoned() > 0) {
              loops.Stop();
            } else {
              loops.ReleaseWork();
            }
          },
          asio::detached);
    });
  });

  loops.Run();
  tracing::Shutdown();  // the spans still queued go out now
  error_reports::Shutdown();
  if (runner.abandoned() > 0) {
    log::Warn("exiting without waiting for the handlers of released jobs",
              {{"jobs", runner.abandoned()}});
    log::Flush();
    std::_Exit(kExitOk);  // no destructors: they would wait on or touch abandoned work
  }
  return kExitOk;
}

}  // namespace codezero::cli
