#include "worker/scheduler.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.h"
#include "queue/enqueue.h"
#include "tracing/tracer.h"

namespace codezero::worker {
namespace {

namespace asio = boost::asio;
using std::chrono::sys_seconds;

constexpr db::Statement kLastSlot{
    "scheduler_last_slot",
    "SELECT extract(epoch FROM max(slot))::bigint FROM periodic_runs WHERE kind = $1"};
constexpr db::Statement kRecordRun{
    "scheduler_record_run",
    "INSERT INTO periodic_runs (kind, slot) VALUES ($1, to_timestamp($2::bigint)) "
    "ON CONFLICT DO NOTHING RETURNING kind"};
constexpr db::Statement kAttachJob{
    "scheduler_attach_job",
    "UPDATE periodic_runs SET job_id = $3 WHERE kind = $1 AND slot = to_timestamp($2::bigint)"};

sys_seconds Now() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace

sys_seconds NextSlot(const PeriodicJob& job, sys_seconds after) {
  if (job.every) {
    const std::int64_t period = std::max<std::int64_t>(1, job.every->count());
    const std::int64_t t = after.time_since_epoch().count();
    return sys_seconds(std::chrono::seconds((t / period + 1) * period));
  }
  if (job.cron) {
    if (auto next = job.cron->Next(after)) return *next;
  }
  return sys_seconds::max();
}

Scheduler::Scheduler(asio::any_io_executor executor, db::Pool& database, redis::Client& cache,
                     std::vector<PeriodicJob> jobs, SchedulerOptions options)
    : executor_(executor),
      database_(database),
      jobs_(std::move(jobs)),
      options_(std::move(options)),
      lock_(cache, options_.lock_key, options_.lock_ttl),
      timer_(executor),
      alive_(std::make_shared<bool>(true)) {}

Scheduler::~Scheduler() { *alive_ = false; }

void Scheduler::Start() { asio::co_spawn(executor_, Loop(), asio::detached); }

asio::awaitable<void> Scheduler::Stop() {
  stopping_ = true;
  timer_.cancel();
  co_await lock_.Release();
}

asio::awaitable<void> Scheduler::Loop() {
  const auto alive = alive_;
  while (*alive && !stopping_) {
    const bool was_leader = lock_.held();
    const bool leader = co_await lock_.AcquireOrRenew();
    if (!*alive || stopping_) break;
    if (!leader) {
      last_slot_.clear();  // another leader may schedule meanwhile: ask the database again
    } else {
      if (!was_leader) last_slot_.clear();
      co_await ScheduleDue(Now());
      if (!*alive || stopping_) break;
    }
    timer_.expires_after(options_.tick);
    (void)co_await timer_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  if (*alive && stopping_) co_await lock_.Release();
}

asio::awaitable<void> Scheduler::ScheduleDue(sys_seconds now) {
  for (const PeriodicJob& job : jobs_) {
    auto known = last_slot_.find(job.kind);
    if (known == last_slot_.end()) {
      auto last = co_await database_.Execute(kLastSlot, job.kind);
      if (!last) {
        log::Warn("periodic runs not read", {{"kind", job.kind}, {"reason", last.error().reason}});
        continue;
      }
      // Never ran: the first run is the next slot from now (not one in the past).
      const sys_seconds from =
          last->IsNull(0, 0) ? now : sys_seconds(std::chrono::seconds(last->Int64(0, 0)));
      known = last_slot_.emplace(job.kind, from).first;
    }
    sys_seconds due = NextSlot(job, known->second);
    if (due > now) continue;
    // Missed slots are made up once: the latest slot that is due.
    for (sys_seconds next = NextSlot(job, due); next <= now; next = NextSlot(job, due)) due = next;
    const std::int64_t slot = due.time_since_epoch().count();
    const std::string unique_key = "periodic:" + job.kind + ":" + std::to_string(slot);
    auto scheduled =
        co_await database_.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<bool>> {
          // Each run starts a trace of its own.
          tx.set_trace_context(tracing::NewSpanContext(std::nullopt).Traceparent());
          auto recorded = co_await tx.Execute(kRecordRun, job.kind, static_cast<long long>(slot));
          if (!recorded) co_return tl::unexpected(recorded.error());
          if (recorded->empty()) co_return false;  // scheduled by another leader already
          auto id = co_await queue::Enqueue(tx, job.kind, job.args_json, unique_key, job.queue);
          if (!id) co_return tl::unexpected(id.error());
          if (*id) {
            auto attached =
                co_await tx.Execute(kAttachJob, job.kind, static_cast<long long>(slot), **id);
            if (!attached) co_return tl::unexpected(attached.error());
          }
          co_return true;
        });
    if (!scheduled) {
      log::Warn("periodic job not scheduled",
                {{"kind", job.kind}, {"reason", scheduled.error().reason}});
      continue;
    }
    known->second = due;
    if (*scheduled) log::Info("periodic job scheduled", {{"kind", job.kind}, {"slot", slot}});
  }
}

}  // namespace codezero::worker
