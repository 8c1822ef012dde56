#include "worker/runner.h"

#include <unistd.h>

#include <optional>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.h"
#include "common/no_throw.h"
#include "common/random.h"
#include "db/listener.h"
#include "error_reports/sentry.h"
#include "tracing/active_spans.h"
#include "tracing/traced_executor.h"
#include "tracing/tracer.h"
#include "worker/backoff.h"
#include "worker/job_metrics.h"

namespace codezero::worker {
namespace {

namespace asio = boost::asio;

constexpr std::string_view kChannel = "codezero_jobs";

asio::awaitable<void> Sleep(asio::steady_timer& timer, std::chrono::milliseconds duration) {
  timer.expires_after(duration);
  (void)co_await timer.async_wait(kNoThrow);
}

// Where a handler's run ends up: filled by the handler's completion, read by Execute.
struct HandlerRun {
  bool done = false;
  bool abandoned = false;  // the timeout passed first
  Outcome outcome;
};

// The trace id of what enqueued the job: the job's log lines carry it as their request id, so
// they line up with the API request the work started from (tracing/tracer.h).
std::string TraceIdOfJob(const JobRecord& job) {
  const auto context = tracing::ParseTraceparent(job.trace_context);
  return context ? std::string(context->TraceIdText()) : std::string();
}

// A discarded job needs an operator: an error report (error_reports/sentry.h) with its kind and
// reason (scrubbed again when sent), never its arguments.
void ReportDiscarded(const JobRecord& job, const std::string& reason, std::string_view span_id) {
  error_reports::Report report;
  report.kind = "job.discarded";
  report.title = "job " + job.kind + " discarded";
  report.detail = reason;
  report.job_kind = job.kind;
  report.trace_id = TraceIdOfJob(job);
  report.span_id = std::string(span_id);
  error_reports::Capture(std::move(report));
}

}  // namespace

std::string NewWorkerId() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host) + ":" + std::to_string(getpid()) + ":" + NewRequestId().substr(0, 6);
}

Runner::Runner(asio::any_io_executor executor, db::Pool& database, db::ConnectOptions listen,
               const Registry& registry, RunnerOptions options)
    : executor_(executor),
      listen_(std::move(listen)),
      registry_(registry),
      options_(std::move(options)),
      store_(database, options_.worker_id, options_.lease),
      wake_timer_(executor),
      heartbeat_timer_(executor),
      rescue_timer_(executor),
      alive_(std::make_shared<bool>(true)) {}

Runner::~Runner() { *alive_ = false; }

void Runner::Start() {
  asio::co_spawn(executor_, FetchLoop(), asio::detached);
  asio::co_spawn(executor_, ListenLoop(), asio::detached);
  asio::co_spawn(executor_, HeartbeatLoop(), asio::detached);
  asio::co_spawn(executor_, RescueLoop(), asio::detached);
  log::Info("worker started", {{"worker", options_.worker_id},
                               {"concurrency", options_.concurrency},
                               {"queues", options_.queues.size()}});
}

void Runner::Wake() {
  wake_pending_ = true;
  wake_timer_.cancel();
}

std::vector<RunKey> Runner::RunningRuns() const {
  std::vector<RunKey> runs;
  runs.reserve(running_.size());
  for (const auto& [run, state] : running_) runs.push_back(run);
  return runs;
}

asio::awaitable<void> Runner::FetchLoop() {
  const auto alive = alive_;
  while (*alive && !stopping_) {
    bool more_waiting = false;
    capacity_bound_ = false;
    for (const auto& [queue, limit] : options_.queues) {
      const std::size_t free_total =
          options_.concurrency > running_.size() ? options_.concurrency - running_.size() : 0;
      const std::size_t in_queue = running_per_queue_[queue];
      const std::size_t free_queue = limit > in_queue ? limit - in_queue : 0;
      const std::size_t wanted = std::min({free_total, free_queue, options_.fetch_batch});
      if (wanted < options_.fetch_batch) capacity_bound_ = true;
      if (wanted == 0) continue;
      auto jobs = co_await store_.Fetch(queue, static_cast<int>(wanted));
      if (!*alive || stopping_) {
        // Shutting down while fetching: put them back untouched.
        if (jobs && !jobs->empty()) {
          std::vector<RunKey> runs;
          for (const JobRecord& job : *jobs) runs.push_back(job.run());
          (void)co_await store_.Release(std::move(runs), std::chrono::milliseconds(0));
        }
        co_return;
      }
      if (!jobs) {
        log::Warn("fetching jobs failed", {{"queue", queue}, {"reason", jobs.error().reason}});
        break;
      }
      for (JobRecord& job : *jobs) {
        running_.emplace(job.run(), Running{job.queue});
        SetJobsRunning(running_.size());
        ++running_per_queue_[job.queue];
        ++counts_.started;
        asio::co_spawn(executor_, Execute(std::move(job)), asio::detached);
      }
      if (jobs->size() == wanted) more_waiting = true;
    }
    if (more_waiting && running_.size() < options_.concurrency) continue;
    if (!wake_pending_) {
      co_await Sleep(wake_timer_, options_.poll_interval);
      if (!*alive) co_return;
    }
    wake_pending_ = false;
  }
}

asio::awaitable<void> Runner::ListenLoop() {
  const auto alive = alive_;
  std::vector<std::string> channels;
  channels.emplace_back(kChannel);
  db::NotificationListener listener(executor_, listen_, std::move(channels));
  while (*alive && !stopping_) {
    auto wakeup = co_await listener.Wait(std::chrono::milliseconds(500));
    if (!*alive || stopping_) co_return;
    if (!wakeup) continue;  // the fetch loop's polling covers the outage
    bool relevant = wakeup->resumed;
    for (const db::Notification& notification : wakeup->notifications) {
      relevant = relevant || options_.queues.contains(notification.payload);
    }
    if (relevant) Wake();
  }
}

asio::awaitable<void> Runner::HeartbeatLoop() {
  const auto alive = alive_;
  // Also while a shutdown lets running jobs finish; Drain cancels the timer when it is done.
  while (*alive && !drained_ && (!stopping_ || !running_.empty())) {
    co_await Sleep(heartbeat_timer_, options_.lease / 3);
    if (!*alive || drained_ || (stopping_ && running_.empty())) co_return;
    auto beat = co_await store_.Heartbeat(RunningRuns());
    if (!beat) log::Warn("lease heartbeat failed", {{"reason", beat.error().reason}});
  }
}

asio::awaitable<void> Runner::RescueLoop() {
  const auto alive = alive_;
  while (*alive && !stopping_) {
    auto rescued = co_await store_.RescueExpired();
    if (!*alive || stopping_) co_return;
    if (rescued && *rescued > 0) {
      counts_.rescued += *rescued;
      RecordJobsRescued(*rescued);
      log::Warn("jobs rescued from expired leases", {{"jobs", *rescued}});
      Wake();
    }
    co_await Sleep(rescue_timer_, options_.rescue_interval);
  }
}

asio::awaitable<void> Runner::Execute(JobRecord job) {
  const auto alive = alive_;
  const auto started = std::chrono::steady_clock::now();
  bool timed_out = false;
  // The job's span, a child of the span that enqueued it (its stored traceparent). The handler
  // sees the job with this span's traceparent, so what it enqueues or calls is its child.
  tracing::Span span("job " + job.kind, tracing::SpanKind::kConsumer, job.trace_context);
  span.SetAttribute("codezero.job.kind", job.kind);
  span.SetAttribute("codezero.job.queue", job.queue);
  span.SetAttribute("codezero.job.attempt", static_cast<std::int64_t>(job.attempt));
  // The job's log lines (named by its trace id) carry the job's span.
  const std::string trace_id = TraceIdOfJob(job);
  // The handler's coroutines carry a key to the job's span (tracing/traced_executor.h), so its
  // SQL statements, Redis commands and outbound calls become the job span's children.
  std::optional<tracing::ActiveSpanScope> active;
  const std::uint64_t span_key = tracing::Enabled() ? tracing::NewActiveSpanKey() : 0;
  if (tracing::Enabled()) active.emplace(trace_id, span.context(), span_key);
  if (log::Enabled(log::Level::kDebug)) {
    log::Debug("job started", {{"job_id", job.id}, {"kind", job.kind}, {"attempt", job.attempt}},
               TraceIdOfJob(job));
  }
  const Registry::Entry* entry = registry_.Find(job.kind);
  Outcome outcome;
  if (entry == nullptr) {
    outcome = Outcome::Failed("no handler for job kind \"" + job.kind + "\" in this worker");
  } else {
    // The handler runs as a coroutine of its own, raced against the kind's timeout: a handler
    // that overruns fails its attempt, and its late result is ignored (the job is retried).
    auto run = std::make_shared<HandlerRun>();
    auto timer = std::make_shared<asio::steady_timer>(executor_);
    auto traced_job = std::make_shared<JobRecord>(job);
    traced_job->trace_context = span.traceparent();
    std::shared_ptr<const JobRecord> held_job = std::move(traced_job);
    auto on_done = [run, timer, held_job](std::exception_ptr error, Outcome result) {
      if (run->abandoned) {
        log::Warn("timed-out job finished late; its result is ignored",
                  {{"job_id", held_job->id}, {"kind", held_job->kind}});
        return;
      }
      run->done = true;
      if (error) {
        try {
          std::rethrow_exception(error);
        } catch (const std::exception& e) {
          result = Outcome::Failed(std::string("exception: ") + e.what());
        } catch (...) {
          result = Outcome::Failed("exception");
        }
      }
      run->outcome = std::move(result);
      timer->cancel();
    };
    asio::co_spawn(span_key != 0 ? tracing::WithActiveSpan(executor_, span_key) : executor_,
                   entry->handler(*held_job), std::move(on_done));
    timer->expires_after(entry->options.timeout);
    (void)co_await timer->async_wait(kNoThrow);
    if (!*alive) co_return;
    if (run->done) {
      outcome = std::move(run->outcome);
    } else {
      run->abandoned = true;
      timed_out = true;
      ++counts_.timed_out;
      outcome = Outcome::Failed("timed out after " +
                                std::to_string(entry->options.timeout.count()) + " ms");
    }
  }
  const bool completed = outcome.kind == Outcome::Kind::kCompleted;
  if (outcome.kind == Outcome::Kind::kFailed || outcome.kind == Outcome::Kind::kDiscarded) {
    // The reason names the failure (a status, "timed out"), not the job's arguments.
    span.SetError(timed_out ? "timed out" : "failed");
  }
  span.End();
  std::string span_id(span.context().SpanIdText());
  co_await Record(job, std::move(outcome), timed_out, std::chrono::steady_clock::now() - started,
                  std::move(span_id));
  if (!*alive) co_return;
  // A completion ends the run once it is recorded (FlushCompletions).
  if (!completed) Finished(job.run());
}

asio::awaitable<void> Runner::Record(const JobRecord& job, Outcome outcome, bool timed_out,
                                     std::chrono::steady_clock::duration took,
                                     std::string span_id) {
  switch (outcome.kind) {
    case Outcome::Kind::kCompleted:
      ++counts_.completed;
      RecordJobRun(job.kind, "completed", took);
      completions_.push_back(job.run());
      completing_.insert(job.run());
      if (!flushing_) {
        flushing_ = true;
        asio::co_spawn(executor_, FlushCompletions(), asio::detached);
      }
      co_return;
    case Outcome::Kind::kFailed: {
      ++counts_.failed;
      const auto backoff = RetryBackoff(job.attempt, FastRandomUnit(), options_.backoff_unit);
      auto state = co_await store_.Fail(job.run(), outcome.message, backoff);
      const bool discarded = state && *state == "discarded";
      RecordJobRun(job.kind, discarded ? "discarded" : (timed_out ? "timed_out" : "failed"), took);
      if (!state) {
        log::Error("job failure not recorded; its lease will expire",
                   {{"job_id", job.id},
                    {"kind", job.kind},
                    {"error", outcome.message},
                    {"reason", state.error().reason}},
                   TraceIdOfJob(job));
      } else if (discarded) {
        ReportDiscarded(job, outcome.message, span_id);
        log::Error("job discarded after its last attempt",
                   {{"job_id", job.id},
                    {"kind", job.kind},
                    {"attempt", job.attempt},
                    {"error", outcome.message}},
                   TraceIdOfJob(job));
      } else {
        log::Warn("job failed; retrying",
                  {{"job_id", job.id},
                   {"kind", job.kind},
                   {"attempt", job.attempt},
                   {"max_attempts", job.max_attempts},
                   {"error", outcome.message},
                   {"retry_in_ms", static_cast<std::int64_t>(backoff.count())}},
                  TraceIdOfJob(job));
      }
      co_return;
    }
    case Outcome::Kind::kSnoozed: {
      RecordJobRun(job.kind, "snoozed", took);
      auto snoozed = co_await store_.Snooze(job.run(), outcome.delay);
      if (!snoozed) log::Warn("job snooze not recorded", {{"job_id", job.id}});
      co_return;
    }
    case Outcome::Kind::kDiscarded:
    case Outcome::Kind::kCancelled: {
      const bool discarded = outcome.kind == Outcome::Kind::kDiscarded;
      RecordJobRun(job.kind, discarded ? "discarded" : "cancelled", took);
      if (discarded) ReportDiscarded(job, outcome.message, span_id);
      auto finished =
          co_await store_.Finish(job.run(), discarded ? "discarded" : "cancelled", outcome.message);
      log::Warn(discarded ? "job discarded" : "job cancelled",
                {{"job_id", job.id},
                 {"kind", job.kind},
                 {"reason", outcome.message},
                 {"recorded", finished.has_value()}},
                TraceIdOfJob(job));
      co_return;
    }
  }
}

asio::awaitable<void> Runner::FlushCompletions() {
  const auto alive = alive_;
  // Let the completions of this turn of the loop gather, then write them in one statement.
  co_await asio::post(executor_, asio::use_awaitable);
  asio::steady_timer pause(executor_);
  while (*alive && !completions_.empty()) {
    std::vector<RunKey> batch;
    batch.swap(completions_);
    auto done = co_await store_.Complete(batch);
    if (!*alive) co_return;
    if (done) {
      for (const RunKey& run : batch) {
        completing_.erase(run);
        Finished(run);
      }
      continue;
    }
    // Not recorded: the runs stay leased (heartbeated) and the write is tried again.
    log::Error("job completions not recorded; retrying",
               {{"jobs", batch.size()}, {"reason", done.error().reason}});
    completions_.insert(completions_.begin(), batch.begin(), batch.end());
    if (drained_) break;  // shut down: given up (Drain)
    co_await Sleep(pause, std::chrono::milliseconds(500));
  }
  flushing_ = false;
}

void Runner::Finished(RunKey run) {
  const auto found = running_.find(run);
  if (found == running_.end()) return;
  --running_per_queue_[found->second.queue];
  running_.erase(found);
  SetJobsRunning(running_.size());
  if (capacity_bound_) Wake();
}

void Runner::Shutdown(std::chrono::milliseconds deadline, std::function<void()> done) {
  if (stopping_) return;
  stopping_ = true;
  Wake();
  asio::co_spawn(executor_, Drain(deadline, std::move(done)), asio::detached);
}

asio::awaitable<void> Runner::Drain(std::chrono::milliseconds deadline,
                                    std::function<void()> done) {
  const auto alive = alive_;
  log::Info(
      "worker stopping: no new jobs; waiting for running ones",
      {{"running", running_.size()}, {"deadline_ms", static_cast<std::int64_t>(deadline.count())}});
  asio::steady_timer timer(executor_);
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (*alive && !running_.empty() && std::chrono::steady_clock::now() < until) {
    co_await Sleep(timer, std::chrono::milliseconds(20));
  }
  if (!*alive) co_return;
  // Jobs still running past the deadline go back to the queue as they were, due once this
  // process (and the handlers still running in it) has ended. Completed runs whose completion
  // is not recorded yet stay leased: their write gets its last chance below.
  std::vector<RunKey> unfinished;
  for (const RunKey& run : RunningRuns()) {
    if (!completing_.contains(run)) unfinished.push_back(run);
  }
  abandoned_ = unfinished.size();
  if (!unfinished.empty()) {
    auto released = co_await store_.Release(unfinished, kReleaseDelay);
    if (!*alive) co_return;
    counts_.released += static_cast<std::int64_t>(unfinished.size());
    log::Warn("running jobs released at shutdown",
              {{"jobs", unfinished.size()}, {"recorded", released.has_value()}});
    for (const RunKey& run : unfinished) Finished(run);  // their late ends are ignored
  }
  drained_ = true;
  heartbeat_timer_.cancel();
  rescue_timer_.cancel();
  // A completion write under way gets a moment; one that keeps failing is given up (those runs
  // stay leased until their leases lapse, and are then rescued and run again).
  const auto flush_until = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  while (*alive && flushing_ && std::chrono::steady_clock::now() < flush_until) {
    co_await Sleep(timer, std::chrono::milliseconds(5));
  }
  if (!*alive) co_return;
  log::Info("worker stopped", {{"completed", counts_.completed},
                               {"failed", counts_.failed},
                               {"released", counts_.released}});
  done();
}

}  // namespace codezero::worker
