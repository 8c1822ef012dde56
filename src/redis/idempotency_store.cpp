#include "redis/idempotency_store.h"

#include <charconv>

#include "common/digest.h"
#include "common/log.h"
#include "redis/script.h"

namespace codezero::redis {
namespace {

// Stored values: "R" fingerprint (claimed, running) or "D" fingerprint " " status " " body.
// KEYS[1]: the key. ARGV[1]: fingerprint, ARGV[2]: lease (ms).
// Returns {"claimed"} or {"existing", value}.
const Script kBegin(R"lua(
local value = redis.call('GET', KEYS[1])
if not value then
  redis.call('SET', KEYS[1], 'R' .. ARGV[1], 'PX', ARGV[2])
  return {'claimed'}
end
return {'existing', value}
)lua");

// Completes or releases only the claim this request holds (another request may have claimed
// the key after our lease ran out). KEYS[1]: the key. ARGV[1]: fingerprint, ARGV[2]: the
// answer to store ("" releases), ARGV[3]: retention (ms).
const Script kFinish(R"lua(
if redis.call('GET', KEYS[1]) ~= 'R' .. ARGV[1] then return 0 end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
return 1
)lua");

constexpr std::size_t kFingerprintHex = 64;

std::string StorageKey(const std::string& scope, const std::string& key) {
  const Sha256Digest digest = Sha256(scope + '\n' + key);
  return "idem:" + ToHex(digest.data(), 16);
}

Claim Interpret(std::string_view value, const std::string& fingerprint) {
  Claim claim;
  if (value.size() < 1 + kFingerprintHex) return claim;  // unreadable: treat as unavailable
  const char kind = value.front();
  const std::string_view stored_fingerprint = value.substr(1, kFingerprintHex);
  if (stored_fingerprint != fingerprint) {
    claim.state = ClaimState::kMismatch;
    return claim;
  }
  if (kind == 'R') {
    claim.state = ClaimState::kInFlight;
    return claim;
  }
  std::string_view rest = value.substr(1 + kFingerprintHex);
  if (kind != 'D' || rest.size() < 5 || rest.front() != ' ') return claim;
  rest.remove_prefix(1);
  const auto space = rest.find(' ');
  int status = 0;
  const auto [end, error] = std::from_chars(rest.data(), rest.data() + space, status);
  if (space == std::string_view::npos || error != std::errc()) return claim;
  claim.state = ClaimState::kReplay;
  claim.answer.status = status;
  claim.answer.body = std::string(rest.substr(space + 1));
  return claim;
}

}  // namespace

IdempotencyStore::IdempotencyStore(Client& cache, std::chrono::milliseconds retention,
                                   std::chrono::milliseconds lease)
    : cache_(cache), retention_(retention), lease_(lease) {}

boost::asio::awaitable<Claim> IdempotencyStore::Begin(std::string scope, std::string key,
                                                      std::string fingerprint) {
  std::vector<std::string> keys;
  keys.push_back(StorageKey(scope, key));
  std::vector<std::string> args;
  args.push_back(fingerprint);
  args.push_back(std::to_string(lease_.count()));
  auto reply = co_await cache_.Eval(kBegin, std::move(keys), std::move(args));
  if (!reply || reply->elements.empty()) {
    log::Warn("idempotency key not checked (Redis unavailable)",
              {{"reason", reply ? "malformed reply" : reply.error().reason}});
    Claim unavailable;
    co_return unavailable;
  }
  Claim claimed;
  if (reply->elements.front().text == "claimed") {
    claimed.state = ClaimState::kClaimed;
    co_return claimed;
  }
  if (reply->elements.size() < 2) co_return claimed;  // kUnavailable
  co_return Interpret(reply->elements[1].text, fingerprint);
}

boost::asio::awaitable<void> IdempotencyStore::Complete(std::string scope, std::string key,
                                                        std::string fingerprint,
                                                        StoredAnswer answer) {
  std::vector<std::string> keys;
  keys.push_back(StorageKey(scope, key));
  std::vector<std::string> args;
  std::string stored = "D" + fingerprint + " " + std::to_string(answer.status) + " " + answer.body;
  args.push_back(fingerprint);
  args.push_back(std::move(stored));
  args.push_back(std::to_string(retention_.count()));
  auto reply = co_await cache_.Eval(kFinish, std::move(keys), std::move(args));
  if (!reply) log::Warn("idempotent answer not stored", {{"reason", reply.error().reason}});
}

boost::asio::awaitable<void> IdempotencyStore::Release(std::string scope, std::string key,
                                                       std::string fingerprint) {
  std::vector<std::string> keys;
  keys.push_back(StorageKey(scope, key));
  std::vector<std::string> args;
  args.push_back(fingerprint);
  args.emplace_back("");
  args.emplace_back("0");
  auto reply = co_await cache_.Eval(kFinish, std::move(keys), std::move(args));
  if (!reply) log::Warn("idempotency key not released", {{"reason", reply.error().reason}});
}

}  // namespace codezero::redis
