// What the account, OAuth, profile, company and admin routes need from their event loop and
// process.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "api/rate_limits.h"
#include "auth/password_hasher.h"
#include "auth/token_store.h"
#include "db/pool.h"
#include "domain/locale.h"
#include "http/message.h"
#include "redis/client.h"
#include "redis/rate_limiter.h"

namespace codezero::api {

struct AccountDependencies {
  db::Pool& database;
  redis::Client& cache;
  auth::TokenStore& tokens;
  auth::PasswordHasher& hasher;  // one per process, its own threads
  redis::RateLimiter& limiter;
  std::string public_web_url;  // where e-mail links point, e.g. https://codezero.ai
  std::size_t trusted_proxies = 0;
  RateLimits limits;
};

// How long e-mail links live.
inline constexpr long kVerifyLinkSeconds = 24 * 3600;
inline constexpr long kResetLinkSeconds = 3600;
inline constexpr long kInvitationSeconds = 7 * 24 * 3600;

// "{public_web_url}/{locale}/{path}?token={token}", and "&next={next}" (percent-encoded) when
// `next` is not empty: where the site takes the reader after the link's action.
[[nodiscard]] std::string EmailLink(const AccountDependencies& deps, std::string_view locale,
                                    std::string_view path, std::string_view token,
                                    std::string_view next = {});

// Whether an e-mail link's token (its hash) of `purpose` ("reset", "verify") is unused and
// unexpired: checked before any password is hashed, so a wrong token costs no argon2id work.
// Using the token stays a conditional UPDATE in the transaction of its effect.
[[nodiscard]] boost::asio::awaitable<Result<bool>> LinkIsUsable(db::Pool& database,
                                                                std::string token_hash,
                                                                std::string purpose);

// 400 with the field error "invalid_link" on `token`.
[[nodiscard]] Error InvalidLink();

// The language of the signed-in caller's messages (their profile's; German unless "en").
[[nodiscard]] domain::Locale LanguageOf(const auth::Principal& principal);

}  // namespace codezero::api
