#include "support/worker_harness.h"

#include <future>
#include <stdexcept>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>

#include "redis/client_options.h"

namespace codezero::testing {

struct WorkerHarness::Parts {
  http::CurlClient curl;
  std::unique_ptr<stripe::Client> stripe;
  std::unique_ptr<db::Pool> database;
  std::unique_ptr<db::Pool> queue_database;
  std::unique_ptr<redis::Client> cache;
  std::unique_ptr<mail::MailTransport> transport;
  std::unique_ptr<worker::JobDependencies> deps;
  worker::Registry registry;
  std::unique_ptr<worker::Runner> runner;
  std::unique_ptr<worker::Scheduler> scheduler;
};

WorkerHarnessOptions TestWorkerOptions(const std::string& database_url,
                                       const std::string& redis_url,
                                       const std::filesystem::path& outbox_dir) {
  WorkerHarnessOptions options;
  options.database_url = database_url;
  options.redis_url = redis_url;
  options.outbox_dir = outbox_dir;
  options.runner.worker_id = worker::NewWorkerId();
  options.runner.concurrency = 20;
  options.runner.queues = {{"default", 20}, {"email", 5}};
  options.runner.poll_interval = std::chrono::milliseconds(200);
  options.runner.lease = std::chrono::milliseconds(1500);
  options.runner.rescue_interval = std::chrono::milliseconds(200);
  options.runner.backoff_unit = std::chrono::milliseconds(10);
  options.scheduler.tick = std::chrono::milliseconds(100);
  options.scheduler.lock_ttl = std::chrono::milliseconds(1000);
  return options;
}

template <class F>
auto WorkerHarness::OnLoop(F work) -> decltype(work()) {
  std::packaged_task<decltype(work())()> task(std::move(work));
  auto result = task.get_future();
  boost::asio::post(loop_, [&task] { task(); });
  return result.get();
}

WorkerHarness::WorkerHarness(WorkerHarnessOptions options)
    : options_(std::move(options)), parts_(std::make_unique<Parts>()) {
  work_ =
      std::make_unique<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>(
          loop_.get_executor());
  const auto executor = loop_.get_executor();
  db::PoolOptions pool;
  pool.connect.url = options_.database_url;
  pool.size = 8;
  parts_->database = std::make_unique<db::Pool>(executor, pool);
  pool.size = 2;
  parts_->queue_database = std::make_unique<db::Pool>(executor, pool);
  redis::ClientOptions cache;
  cache.endpoint = redis::ParseRedisUrl(options_.redis_url).value();
  cache.max_reconnect_delay = std::chrono::milliseconds(200);
  parts_->cache = std::make_unique<redis::Client>(executor, cache);
  parts_->stripe = std::make_unique<stripe::Client>(parts_->curl, options_.stripe);
  mail::MailSettings mail;
  mail.outbox_dir = options_.outbox_dir;
  mail.footer = "Code Zero AI GmbH (test)";
  mail.smtp_url = options_.smtp_url;
  mail.require_tls = false;
  mail.timeout = std::chrono::milliseconds(5000);
  parts_->transport = mail::MakeTransport(mail, parts_->curl);
  parts_->deps = std::make_unique<worker::JobDependencies>(
      worker::JobDependencies{.database = *parts_->database,
                              .cache = *parts_->cache,
                              .stripe = *parts_->stripe,
                              .curl = parts_->curl,
                              .mail = *parts_->transport,
                              .mail_settings = mail,
                              .public_web_url = options_.public_web_url,
                              .provisioning = options_.provisioning});
  if (options_.vat_rates != nullptr) parts_->deps->vat_rates = options_.vat_rates;
  worker::RegisterJobs(parts_->registry, *parts_->deps);
  // As `codezero worker` refuses to start without a handler for every kind of the platform.
  if (!parts_->registry.MissingKinds().empty()) {
    throw std::logic_error("a job kind has no handler: " + parts_->registry.MissingKinds().front());
  }
  if (options_.extra_kinds) options_.extra_kinds(parts_->registry);
  db::ConnectOptions listen;
  listen.url = options_.database_url;
  parts_->runner = std::make_unique<worker::Runner>(executor, *parts_->queue_database, listen,
                                                    parts_->registry, options_.runner);
  if (!options_.periodic.empty()) {
    parts_->scheduler = std::make_unique<worker::Scheduler>(
        executor, *parts_->queue_database, *parts_->cache, options_.periodic, options_.scheduler);
  }
  thread_ = std::thread([this] { loop_.run(); });
  OnLoop([this] {
    parts_->runner->Start();
    if (parts_->scheduler) parts_->scheduler->Start();
    return 0;
  });
}

void WorkerHarness::Shutdown(std::chrono::milliseconds deadline) {
  if (stopped_) return;
  stopped_ = true;
  std::promise<void> drained;
  auto done = drained.get_future();
  boost::asio::post(loop_, [&] {
    parts_->runner->Shutdown(deadline, [&] {
      boost::asio::co_spawn(
          loop_,
          [&]() -> boost::asio::awaitable<void> {
            if (parts_->scheduler) co_await parts_->scheduler->Stop();
            parts_->database->Close();
            parts_->queue_database->Close();
            parts_->cache->Close();
            drained.set_value();
          },
          boost::asio::detached);
    });
  });
  done.wait_for(deadline + std::chrono::seconds(10));
  work_.reset();
  loop_.stop();
  thread_.join();
  parts_->scheduler.reset();
  parts_->runner.reset();
}

WorkerHarness::~WorkerHarness() { Shutdown(); }  // NOLINT(bugprone-exception-escape)

worker::Runner::Counts WorkerHarness::counts() {
  return OnLoop([this] { return parts_->runner->counts(); });
}

bool WorkerHarness::leader() {
  return OnLoop([this] { return parts_->scheduler != nullptr && parts_->scheduler->leader(); });
}

}  // namespace codezero::testing
