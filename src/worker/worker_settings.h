// The worker process's settings (`codezero worker --help`), read from the environment.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/settings.h"
#include "db/pool.h"
#include "http/server_options.h"
#include "mail/transport.h"
#include "redis/client_options.h"
#include "stripe/client.h"
#include "worker/jobs/job_dependencies.h"
#include "worker/runner.h"
#include "worker/scheduler.h"

namespace codezero::worker {

struct WorkerSettings {
  http::ServerOptions server;          // health only (WORKER_PORT, 8082)
  http::ServerOptions metrics_server;  // GET /metrics (cli/metrics_listener.h)
  db::PoolOptions database;
  redis::ClientOptions cache;
  stripe::ClientOptions stripe;
  mail::MailSettings mail;
  RunnerOptions runner;
  std::chrono::milliseconds shutdown_grace{20'000};
  std::string public_web_url = "http://127.0.0.1:8080";
  std::optional<ProvisioningTarget> provisioning;
  std::vector<PeriodicJob> periodic;
  bool schedule = true;  // take part in electing the scheduler
};

[[nodiscard]] WorkerSettings ReadWorkerSettings(SettingsReader& reader);

// "default:50,email:10" -> {{"default",50},{"email",10}}; nullopt when malformed.
[[nodiscard]] std::optional<std::map<std::string, std::size_t>> ParseQueues(std::string_view text);

}  // namespace codezero::worker
