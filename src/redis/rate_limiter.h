// Rate limits in Redis with GCRA (the generic cell rate algorithm): a limit of N per window W
// lets a burst of N through, then one every W/N. One atomic Lua script per check, the clock is
// Redis's own (TIME), so any number of API processes share a limit exactly. Keys hold a hash
// of the subject (an address, an account), never the subject itself.
//
// If Redis cannot be asked, the check fails open with a logged warning: an outage of the cache
// must not lock customers out (authentication itself works from PostgreSQL).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/settings.h"
#include "redis/client.h"

namespace codezero::redis {

struct RateLimit {
  std::string name;  // "login_ip", also in the RateLimit-Policy header
  std::int64_t limit = 10;
  std::chrono::seconds window{3600};
};

struct RateDecision {
  bool allowed = true;
  std::int64_t remaining = 0;
  std::chrono::milliseconds retry_after{0};  // when denied: until the next request may pass
  std::chrono::milliseconds reset_after{0};  // until the full limit is available again
  bool checked = true;                       // false: Redis could not be asked (failed open)
};

// The arithmetic the Lua script implements, as a pure function (unit-tested; the integration
// test checks the script against it). `tat` is the theoretical arrival time in ms; returns the
// decision and the new tat (unchanged when denied).
struct GcraStep {
  RateDecision decision;
  std::int64_t tat = 0;
};
[[nodiscard]] GcraStep Gcra(const RateLimit& limit, std::int64_t tat, std::int64_t now);

// Reads the setting `name` ("requests/seconds", e.g. "10/900") into `limit`, whose values are
// the default; a malformed value is a settings problem.
void ReadRateLimit(SettingsReader& reader, std::string name, RateLimit& limit);

class RateLimiter {
 public:
  explicit RateLimiter(Client& cache);
  [[nodiscard]] boost::asio::awaitable<RateDecision> Check(RateLimit limit, std::string subject);

 private:
  Client& cache_;
};

}  // namespace codezero::redis
