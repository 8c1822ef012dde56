// Idempotent requests (`Idempotency-Key`, as Stripe and the IETF httpapi draft use it): the
// first request with a key claims it; its answer is kept for 24 hours and replayed for every
// later request with the same key and the same body; the same key with another body is a
// client error; the same key while the first request still runs is a conflict.
//
// A claim is a short lease (60 s), not 24 hours, so a process that dies mid-request does not
// lock the key for a day. Keys are scoped (per user) and stored as a digest.
#pragma once

#include <chrono>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "redis/client.h"

namespace codezero::redis {

struct StoredAnswer {
  int status = 0;
  std::string body;  // JSON
};

enum class ClaimState {
  kClaimed,      // first use: go ahead, then Complete() or Release()
  kInFlight,     // the same key is being processed right now
  kMismatch,     // the key was used with another request body
  kReplay,       // answered before: `answer` is that answer
  kUnavailable,  // Redis could not be asked
};

struct Claim {
  ClaimState state = ClaimState::kUnavailable;
  StoredAnswer answer;  // kReplay
};

class IdempotencyStore {
 public:
  explicit IdempotencyStore(Client& cache,
                            std::chrono::milliseconds retention = std::chrono::hours(24),
                            std::chrono::milliseconds lease = std::chrono::seconds(60));

  // `fingerprint` identifies the request (a digest of method, path and body).
  [[nodiscard]] boost::asio::awaitable<Claim> Begin(std::string scope, std::string key,
                                                    std::string fingerprint);
  // Keeps `answer` for the retention period. Failures are logged, not returned: the request
  // itself succeeded, and the database guards against a second effect anyway.
  [[nodiscard]] boost::asio::awaitable<void> Complete(std::string scope, std::string key,
                                                      std::string fingerprint, StoredAnswer answer);
  // Gives the key up after a failure worth retrying (the next request runs afresh).
  [[nodiscard]] boost::asio::awaitable<void> Release(std::string scope, std::string key,
                                                     std::string fingerprint);

 private:
  Client& cache_;
  std::chrono::milliseconds retention_;
  std::chrono::milliseconds lease_;
};

}  // namespace codezero::redis
