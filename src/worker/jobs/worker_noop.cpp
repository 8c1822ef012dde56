// `worker.noop`: does nothing, or as its arguments say, for benchmarks and for tests of the
// queue itself: {"sleep_ms": 20} takes that long, {"fail": "always"} fails every attempt,
// {"snooze_until": <unix seconds>} snoozes (without using an attempt) until then.
#include <chrono>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "worker/jobs/job_dependencies.h"

namespace codezero::worker {
namespace {

namespace asio = boost::asio;

std::int64_t IntArg(const JobRecord& job, std::string_view name) {
  const auto* value = job.args.if_contains(name);
  return value != nullptr && value->is_int64() ? value->as_int64() : 0;
}

asio::awaitable<Outcome> Noop(const JobRecord& job) {
  if (const std::int64_t until = IntArg(job, "snooze_until"); until > 0) {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    if (now < until) co_return Outcome::Snoozed(std::chrono::seconds(until - now));
  }
  if (const std::int64_t sleep_ms = IntArg(job, "sleep_ms"); sleep_ms > 0) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    timer.expires_after(std::chrono::milliseconds(sleep_ms));
    (void)co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  if (const auto* fail = job.args.if_contains("fail"); fail != nullptr && fail->is_string()) {
    co_return Outcome::Failed("asked to fail (" + std::string(fail->as_string()) + ")");
  }
  co_return Outcome::Completed();
}

}  // namespace

void RegisterNoopJob(Registry& registry) {
  registry.Add(queue::kinds::kWorkerNoop, [](const JobRecord& job) { return Noop(job); });
}

}  // namespace codezero::worker
