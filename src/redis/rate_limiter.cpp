#include "redis/rate_limiter.h"

#include <algorithm>
#include <stdexcept>

#include "common/digest.h"
#include "common/log.h"
#include "metrics/registry.h"
#include "redis/script.h"

namespace codezero::redis {
namespace {

// KEYS[1]: the bucket. ARGV[1]: emission interval (ms), ARGV[2]: limit.
// Returns {allowed, remaining, retry_after_ms, reset_after_ms}. Mirrors Gcra() below.
const Script kGcra(R"lua(
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local interval = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local period = interval * limit
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local new_tat = tat + interval
local allow_at = new_tat - period
if now < allow_at then
  return {0, 0, allow_at - now, tat - now}
end
redis.call('SET', KEYS[1], new_tat, 'PX', new_tat - now)
return {1, math.floor((now - allow_at) / interval), 0, new_tat - now}
)lua");

std::int64_t IntervalMs(const RateLimit& limit) {
  return std::max<std::int64_t>(
      1, std::chrono::duration_cast<std::chrono::milliseconds>(limit.window).count() /
             std::max<std::int64_t>(1, limit.limit));
}

}  // namespace

GcraStep Gcra(const RateLimit& limit, std::int64_t tat, std::int64_t now) {
  const std::int64_t interval = IntervalMs(limit);
  const std::int64_t period = interval * limit.limit;
  tat = std::max(tat, now);
  const std::int64_t new_tat = tat + interval;
  const std::int64_t allow_at = new_tat - period;
  GcraStep step;
  if (now < allow_at) {
    step.decision = {false, 0, std::chrono::milliseconds(allow_at - now),
                     std::chrono::milliseconds(tat - now), true};
    step.tat = tat;
    return step;
  }
  step.decision = {true, (now - allow_at) / interval, std::chrono::milliseconds(0),
                   std::chrono::milliseconds(new_tat - now), true};
  step.tat = new_tat;
  return step;
}

RateLimiter::RateLimiter(Client& cache) : cache_(cache) {}

boost::asio::awaitable<RateDecision> RateLimiter::Check(RateLimit limit, std::string subject) {
  const Sha256Digest digest = Sha256(subject);
  std::vector<std::string> keys;
  keys.push_back("rl:" + limit.name + ":" + ToHex(digest.data(), 16));
  std::vector<std::string> args;
  args.push_back(std::to_string(IntervalMs(limit)));
  args.push_back(std::to_string(limit.limit));
  auto reply = co_await cache_.Eval(kGcra, std::move(keys), std::move(args));
  if (!reply || reply->elements.size() != 4) {
    log::Warn(
        "rate limit not checked (Redis unavailable); allowing",
        {{"limit", limit.name}, {"reason", reply ? "malformed reply" : reply.error().reason}});
    RateDecision open;
    open.remaining = limit.limit;
    open.checked = false;
    co_return open;
  }
  RateDecision decision;
  decision.allowed = reply->elements[0].integer == 1;
  decision.remaining = reply->elements[1].integer;
  decision.retry_after = std::chrono::milliseconds(reply->elements[2].integer);
  decision.reset_after = std::chrono::milliseconds(reply->elements[3].integer);
  if (!decision.allowed) {
    // codezero_rate_limit_refusals_total{policy} (docs/metrics.md): policies are named in code.
    metrics::Default()
        .AddCounter("codezero_rate_limit_refusals_total", "Requests refused by a rate limit.",
                    {"policy"})
        .With({limit.name})
        .Inc();
  }
  co_return decision;
}

void ReadRateLimit(SettingsReader& reader, std::string name, RateLimit& limit) {
  const std::string text = reader.String(
      {.name = name,
       .default_value = std::to_string(limit.limit) + "/" + std::to_string(limit.window.count()),
       .help = "requests/seconds allowed for " + limit.name});
  const std::size_t slash = text.find('/');
  try {
    if (slash == std::string::npos) throw std::invalid_argument("no slash");
    const long requests = std::stol(text.substr(0, slash));
    const long seconds = std::stol(text.substr(slash + 1));
    if (requests < 1 || seconds < 1) throw std::out_of_range("not positive");
    limit.limit = requests;
    limit.window = std::chrono::seconds(seconds);
  } catch (const std::exception&) {
    reader.AddProblem(name, "'" + text + "' is not requests/seconds, e.g. 10/900");
  }
}

}  // namespace codezero::redis
