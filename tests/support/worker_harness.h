// The worker as `codezero worker` composes it (runner, the platform's job kinds, optionally the
// scheduler), on an event loop of its own on a background thread, against the test database
// and Redis; e-mails go to .eml files in a temporary directory. Tests may add job kinds of
// their own. Destroying the harness shuts the worker down (running jobs are released).
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "worker/jobs/job_dependencies.h"
#include "worker/registry.h"
#include "worker/runner.h"
#include "worker/scheduler.h"

namespace codezero::testing {

struct WorkerHarnessOptions {
  std::string database_url;
  std::string redis_url;
  stripe::ClientOptions stripe;  // empty key: no Stripe
  std::filesystem::path outbox_dir;
  std::string smtp_url;  // set: e-mails go over SMTP (no TLS required) instead of to outbox_dir
  std::string public_web_url = "http://127.0.0.1:8080";
  std::optional<worker::ProvisioningTarget> provisioning;
  worker::RunnerOptions runner;
  std::vector<worker::PeriodicJob> periodic;  // empty: no scheduler
  worker::SchedulerOptions scheduler;
  std::function<void(worker::Registry&)> extra_kinds;
  const domain::VatRates* vat_rates = nullptr;  // null: the table compiled in
};

// Quick settings for tests: short poll, lease and rescue intervals, a millisecond backoff unit.
WorkerHarnessOptions TestWorkerOptions(const std::string& database_url,
                                       const std::string& redis_url,
                                       const std::filesystem::path& outbox_dir);

class WorkerHarness {
 public:
  explicit WorkerHarness(WorkerHarnessOptions options);
  // Stops servers and joins threads: a failure there ends the test run, as it should.
  ~WorkerHarness();  // NOLINT(bugprone-exception-escape)
  WorkerHarness(const WorkerHarness&) = delete;
  WorkerHarness& operator=(const WorkerHarness&) = delete;

  // Graceful shutdown (running jobs may finish within `deadline`); waits for it. Idempotent.
  void Shutdown(std::chrono::milliseconds deadline = std::chrono::milliseconds(2000));

  // The runner's counters, read on its loop.
  [[nodiscard]] worker::Runner::Counts counts();
  [[nodiscard]] bool leader();

 private:
  template <class F>
  auto OnLoop(F work) -> decltype(work());

  WorkerHarnessOptions options_;
  boost::asio::io_context loop_;
  std::unique_ptr<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::thread thread_;
  struct Parts;
  std::unique_ptr<Parts> parts_;
  bool stopped_ = false;
};

}  // namespace codezero::testing
