// Access and refresh tokens. A login starts a family: an access token (15 minutes) and a
// refresh token (30 days). Each refresh rotates: the presented refresh token is used up and a
// new pair of the same family is issued. A family ends 90 days after its sign-in whatever its
// use, and the user signs in again. Presenting a used refresh token again means it was
// stolen (or replayed): the whole family is revoked (RFC 9700 §4.14.2) and the event audited.
//
// Checking an access token costs one Redis lookup; Redis not knowing it (or being down) falls
// back to PostgreSQL, which is the truth. Revocation writes PostgreSQL, then marks the token
// revoked in Redis; a check caches what it read only where Redis holds nothing for the token,
// so a check racing a revocation cannot bring the token back.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "auth/principal.h"
#include "common/error.h"
#include "db/pool.h"
#include "redis/client.h"

namespace codezero::auth {

struct TokenOptions {
  std::chrono::seconds access_lifetime{15 * 60};
  std::chrono::seconds refresh_lifetime{30 * 24 * 3600};
  // A family's absolute end, counted from its sign-in: no refresh after it
  // (REFRESH_FAMILY_MAX_DAYS).
  std::chrono::seconds family_lifetime{90 * 24 * 3600};
};

struct IssuedTokens {
  std::string access_token;
  std::string refresh_token;
  std::int64_t expires_in = 0;  // seconds, of the access token
  std::string family_id;
  std::string user_id;
};

// Why a refresh was refused; all of them are RFC 6749 `invalid_grant` to the client.
enum class RefreshRefusal { kUnknown, kReused, kInactiveUser };

class TokenStore {
 public:
  TokenStore(db::Pool& database, redis::Client& cache, TokenOptions options);

  // A new family for `user_id`, inside the caller's transaction (the login's).
  [[nodiscard]] boost::asio::awaitable<Result<IssuedTokens>> IssueFamily(db::Transaction& tx,
                                                                         std::string user_id);

  // grant_type=refresh_token. On failure the error's reason is the RefreshRefusal name.
  [[nodiscard]] boost::asio::awaitable<Result<IssuedTokens>> Rotate(std::string refresh_token,
                                                                    std::string client);

  // The caller behind an access token; kUnauthenticated when unknown, expired or revoked.
  [[nodiscard]] boost::asio::awaitable<Result<Principal>> Authenticate(std::string access_token);

  // RFC 7009: revokes an access token, or a refresh token's whole family. Unknown: no-op.
  [[nodiscard]] boost::asio::awaitable<Result<void>> Revoke(std::string token);

  // Revokes every token of a user inside the caller's transaction; returns the access-token
  // hashes to evict from Redis once it committed (see Evict).
  [[nodiscard]] boost::asio::awaitable<Result<std::vector<std::string>>> RevokeUser(
      db::Transaction& tx, std::string user_id);

  // After a revocation has committed: the cache refuses these tokens from now on. Best effort:
  // a Redis failure is logged.
  [[nodiscard]] boost::asio::awaitable<void> Evict(std::vector<std::string> access_hashes);
  // When a user's name, role or locale changed: the user's tokens are checked against
  // PostgreSQL again, and for a minute nothing about them is cached (so a check that read the
  // old state cannot cache it). Best effort, like Evict.
  [[nodiscard]] boost::asio::awaitable<void> EvictUser(std::string user_id);

  // Tests only: runs in a check between reading PostgreSQL and writing the cache, where a
  // revocation can race it.
  void SetBeforeCacheWriteForTesting(std::function<void()> hook) {
    before_cache_write_ = std::move(hook);
  }

 private:
  boost::asio::awaitable<Result<std::vector<std::string>>> RevokeFamily(db::Transaction& tx,
                                                                        std::string family_id);
  boost::asio::awaitable<void> Mark(std::vector<std::string> access_hashes, std::string_view mark,
                                    std::chrono::milliseconds lifetime);

  db::Pool& database_;
  redis::Client& cache_;
  TokenOptions options_;
  std::function<void()> before_cache_write_;
};

}  // namespace codezero::auth
