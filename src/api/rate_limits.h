// The API's rate limits and how an answer shows them: the IETF httpapi draft's
// `RateLimit-Policy: "login_ip";q=100;w=3600` and `RateLimit: "login_ip";r=99;t=36` on every
// limited response, and 429 problem+json with `Retry-After` when over.
#pragma once

#include <array>
#include <chrono>
#include <string>

#include "common/settings.h"
#include "http/message.h"
#include "redis/rate_limiter.h"

namespace codezero::api {

struct RateLimits {
  redis::RateLimit login_per_account{"login_account", 10, std::chrono::minutes(15)};
  redis::RateLimit login_per_address{"login_ip", 100, std::chrono::hours(1)};
  redis::RateLimit signup_per_address{"signup_ip", 10, std::chrono::hours(1)};
  redis::RateLimit reset_per_address{"reset_ip", 10, std::chrono::hours(1)};
  // Posts that carry an e-mail link's token and a new password: each real one hashes once.
  redis::RateLimit reset_confirm_per_address{"reset_confirm_ip", 20, std::chrono::hours(1)};
  redis::RateLimit invitation_accept_per_address{"invitation_accept_ip", 20, std::chrono::hours(1)};
  // The web frontend counts the same posts first (with the same setting), so its visitors see
  // its 429 page; this one stops anyone calling the API directly.
  redis::RateLimit consent_per_address{"consents_ip", 30, std::chrono::minutes(10)};
  // Each invitation mails an address the platform does not know yet.
  redis::RateLimit invitations_per_company{"invitations_company", 20, std::chrono::hours(24)};
  // The public cancellation page (§ 312k BGB): each declaration may mail a company's owner.
  redis::RateLimit cancellation_per_address{"cancellation_ip", 10, std::chrono::hours(1)};
  // Posts that carry a cancellation link's token.
  redis::RateLimit cancellation_confirm_per_address{"cancellation_confirm_ip", 30,
                                                    std::chrono::hours(1)};
  // Quotes whose discount code gave nothing (unknown or expired): against guessing codes.
  redis::RateLimit unknown_codes_per_address{"quote_codes_ip", 20, std::chrono::hours(1)};

  // Every limit above, for code that treats them alike (settings for tests).
  [[nodiscard]] std::array<redis::RateLimit*, 11> Each() {
    return {&login_per_account,         &login_per_address,
            &signup_per_address,        &reset_per_address,
            &reset_confirm_per_address, &invitation_accept_per_address,
            &consent_per_address,       &invitations_per_company,
            &cancellation_per_address,  &cancellation_confirm_per_address,
            &unknown_codes_per_address};
  }
};

// RATE_LIMIT_LOGIN_ACCOUNT, RATE_LIMIT_LOGIN_IP, RATE_LIMIT_SIGNUP_IP, RATE_LIMIT_RESET_IP,
// RATE_LIMIT_RESET_CONFIRM_IP, RATE_LIMIT_INVITATION_ACCEPT_IP, RATE_LIMIT_CONSENT_IP,
// RATE_LIMIT_INVITATIONS_COMPANY, RATE_LIMIT_CANCELLATION_IP, RATE_LIMIT_CANCELLATION_CONFIRM_IP,
// RATE_LIMIT_QUOTE_CODES_IP, each "requests/seconds" (e.g.
// "10/900"); the defaults are the ones above.
[[nodiscard]] RateLimits ReadRateLimits(SettingsReader& reader);

void SetRateLimitHeaders(const redis::RateLimit& limit, const redis::RateDecision& decision,
                         http::Response& response);

// 429 problem+json with Retry-After (whole seconds, rounded up) and the RateLimit headers.
[[nodiscard]] http::Response TooManyRequests(const redis::RateLimit& limit,
                                             const redis::RateDecision& decision,
                                             const http::RequestContext& context, unsigned version);

}  // namespace codezero::api
