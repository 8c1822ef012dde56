#include "worker/queue_metrics.h"

#include <map>
#include <string>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.h"
#include "metrics/registry.h"
#include "queue/kinds.h"

namespace codezero::worker {
namespace {

namespace asio = boost::asio;

// Due jobs per queue (the jobs_ready index), and how long the oldest has been due.
constexpr db::Statement kDepth{
    "queue_metrics_depth",
    "SELECT queue, count(*), (EXTRACT(EPOCH FROM now() - min(run_at)) * 1000)::bigint FROM jobs "
    "WHERE state IN ('available', 'scheduled', 'retryable') AND run_at <= now() GROUP BY queue"};
constexpr db::Statement kDiscarded{"queue_metrics_discarded",
                                   "SELECT count(*) FROM jobs WHERE state = 'discarded'"};

}  // namespace

struct QueueMetricsSampler::State {
  State(asio::any_io_executor executor, db::Pool& pool, std::chrono::milliseconds every)
      : timer(executor), database(pool), interval(every) {}
  asio::steady_timer timer;
  db::Pool& database;
  std::chrono::milliseconds interval;
  bool stopped = false;

  asio::awaitable<void> Sample() {
    metrics::Registry& registry = metrics::Default();
    auto& depth = registry.AddGauge("codezero_queue_depth", "Jobs due now, by queue.", {"queue"});
    auto& age = registry.AddGauge("codezero_queue_oldest_available_age_seconds",
                                  "How long the oldest due job has waited, by queue.", {"queue"});
    auto& discarded = registry.AddGauge("codezero_jobs_discarded",
                                        "Discarded jobs in the table: each needs an operator.");
    auto rows = co_await database.Execute(kDepth);
    if (!rows) {
      log::Warn("queue metrics not sampled", {{"reason", rows.error().reason}});
      co_return;
    }
    std::map<std::string, std::pair<double, double>> by_queue;
    for (const queue::JobKind* kind : queue::kAllKinds) {
      by_queue[std::string(kind->queue)] = {0, 0};
    }
    for (int i = 0; i < rows->size(); ++i) {
      by_queue[std::string(rows->Text(i, 0))] = {static_cast<double>(rows->Int64(i, 1)),
                                                 static_cast<double>(rows->Int64(i, 2)) / 1000};
    }
    for (const auto& [name, values] : by_queue) {
      depth.With({name}).Set(values.first);
      age.With({name}).Set(values.second);
    }
    auto count = co_await database.Execute(kDiscarded);
    if (count && count->size() == 1)
      discarded.With({}).Set(static_cast<double>(count->Int64(0, 0)));
  }

  // `self` keeps the state alive while the loop runs.
  asio::awaitable<void> Loop(std::shared_ptr<State> /*self*/) {
    while (!stopped) {
      co_await Sample();
      if (stopped) break;
      timer.expires_after(interval);
      (void)co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    }
  }
};

QueueMetricsSampler::QueueMetricsSampler(asio::any_io_executor executor, db::Pool& database,
                                         std::chrono::milliseconds interval)
    : state_(std::make_shared<State>(std::move(executor), database, interval)) {}

QueueMetricsSampler::~QueueMetricsSampler() { state_->stopped = true; }

void QueueMetricsSampler::Start() {
  asio::co_spawn(state_->timer.get_executor(), state_->Loop(state_), asio::detached);
}

void QueueMetricsSampler::Stop() {
  state_->stopped = true;
  state_->timer.cancel();
}

}  // namespace codezero::worker
