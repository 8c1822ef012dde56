// Signed-in visitors' sessions, kept in Redis (shared by every web instance): the browser holds
// only a random id in the `__Host-session` cookie; the API's access and refresh tokens stay
// here and never reach it. The Redis key is a hash of the id, so reading Redis does not give
// anyone a usable cookie.
//
// A session ends after `idle` without a request (Redis expires the key; each request renews
// it) and at the latest `lifetime` after it began, whatever the activity. Sign-in always starts
// a new session (a fixed id cannot be carried over, RFC 6749 §10.12's advice against session
// fixation); so does a change of privileges.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "domain/locale.h"
#include "redis/client.h"

namespace codezero::web {

inline constexpr std::string_view kSessionCookie = "__Host-session";

inline constexpr std::chrono::seconds kRefreshLockLifetime{10};

struct SessionOptions {
  std::chrono::milliseconds idle{30 * 60 * 1000};
  std::chrono::milliseconds lifetime{12 * 60 * 60 * 1000};
};

struct Session {
  std::string id;  // the cookie's value; not stored
  std::string user_id;
  std::string company_id;
  std::string email;
  std::string name;
  std::string role;  // owner | member
  domain::Locale locale = domain::Locale::kDe;
  std::string access_token;
  std::string refresh_token;
  std::int64_t access_expires_at = 0;  // Unix seconds
  std::int64_t started_at_ms = 0;      // Unix milliseconds

  [[nodiscard]] bool owner() const { return role == "owner"; }
};

class SessionStore {
 public:
  SessionStore(redis::Client& cache, SessionOptions options);

  // Stores `session` under a new random id (which it returns in `id`).
  [[nodiscard]] boost::asio::awaitable<Result<Session>> Create(Session session);
  // The session of a cookie's id: nullopt when there is none, it idled out or outlived its
  // lifetime. Each hit renews the idle timeout.
  [[nodiscard]] boost::asio::awaitable<Result<std::optional<Session>>> Find(std::string id);
  // Writes the session back (new tokens), keeping its id; kUnauthenticated when it has ended
  // meanwhile (it stays ended).
  [[nodiscard]] boost::asio::awaitable<Result<void>> Save(Session session);
  [[nodiscard]] boost::asio::awaitable<Result<void>> Delete(std::string id);
  // The same session under a new id; the old id stops working. Atomic: kUnauthenticated when
  // the old one has ended meanwhile (it is not brought back).
  [[nodiscard]] boost::asio::awaitable<Result<Session>> Rotate(Session session);

  // One refresh at a time per session (refresh tokens rotate: two refreshes with the same
  // token would look like a stolen token to the API and end the sign-in). The lock's owner
  // value when this caller may refresh, nullopt when another holds it (or Redis cannot say);
  // ReleaseRefresh with that value when done. The lock expires by itself after
  // kRefreshLockLifetime.
  [[nodiscard]] boost::asio::awaitable<std::optional<std::string>> LockRefresh(
      const std::string& id);
  [[nodiscard]] boost::asio::awaitable<void> ReleaseRefresh(const std::string& id,
                                                            std::string owner);

  [[nodiscard]] const SessionOptions& options() const { return options_; }

 private:
  redis::Client& cache_;
  SessionOptions options_;
};

// The session's id as a Redis key ("web:session:<sha256 hex>").
[[nodiscard]] std::string SessionKey(std::string_view id);
// What a session is stored as, and back (nullopt when malformed).
[[nodiscard]] std::string SerializeSession(const Session& session);
[[nodiscard]] std::optional<Session> DeserializeSession(std::string_view json);

}  // namespace codezero::web
