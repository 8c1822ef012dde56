#include "redis/leader_lock.h"

#include "common/log.h"
#include "common/random.h"
#include "redis/script.h"

namespace codezero::redis {
namespace {

// KEYS[1]: the lock. ARGV[1]: token, ARGV[2]: ttl (ms). 1 when held afterwards.
const Script kAcquireOrRenew(R"lua(
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if holder then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
)lua");

// KEYS[1]: the lock. ARGV[1]: token.
const Script kRelease(R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
)lua");

}  // namespace

LeaderLock::LeaderLock(Client& cache, std::string key, std::chrono::milliseconds ttl)
    : cache_(cache), key_(std::move(key)), ttl_(ttl), token_(RandomToken(16)) {}

boost::asio::awaitable<bool> LeaderLock::AcquireOrRenew() {
  std::vector<std::string> keys;
  keys.push_back(key_);
  std::vector<std::string> args;
  args.push_back(token_);
  args.push_back(std::to_string(ttl_.count()));
  auto reply = co_await cache_.Eval(kAcquireOrRenew, std::move(keys), std::move(args));
  const bool was_held = held_;
  held_ = reply && reply->integer == 1;
  if (!reply) {
    log::Warn("leader lock not checked (Redis unavailable)",
              {{"lock", key_}, {"reason", reply.error().reason}});
  } else if (held_ != was_held) {
    log::Info(held_ ? "leader lock acquired" : "leader lock lost", {{"lock", key_}});
  }
  co_return held_;
}

boost::asio::awaitable<void> LeaderLock::Release() {
  if (!held_) co_return;
  held_ = false;
  std::vector<std::string> keys;
  keys.push_back(key_);
  std::vector<std::string> args;
  args.push_back(token_);
  auto reply = co_await cache_.Eval(kRelease, std::move(keys), std::move(args));
  if (!reply) log::Warn("leader lock not released", {{"lock", key_}});
}

}  // namespace codezero::redis
