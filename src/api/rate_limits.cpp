#include "api/rate_limits.h"

#include "http/problem.h"

namespace codezero::api {
namespace {

std::int64_t CeilSeconds(std::chrono::milliseconds duration) {
  return (duration.count() + 999) / 1000;
}

}  // namespace

RateLimits ReadRateLimits(SettingsReader& reader) {
  RateLimits limits;
  redis::ReadRateLimit(reader, "RATE_LIMIT_LOGIN_ACCOUNT", limits.login_per_account);
  redis::ReadRateLimit(reader, "RATE_LIMIT_LOGIN_IP", limits.login_per_address);
  redis::ReadRateLimit(reader, "RATE_LIMIT_SIGNUP_IP", limits.signup_per_address);
  redis::ReadRateLimit(reader, "RATE_LIMIT_RESET_IP", limits.reset_per_address);
  redis::ReadRateLimit(reader, "RATE_LIMIT_RESET_CONFIRM_IP", limits.reset_confirm_per_address);
  redis::ReadRateLimit(reader, "RATE_LIMIT_INVITATION_ACCEPT_IP",
                       limits.invitation_accept_per_address);
  redis::ReadRateLimit(reader, "RATE_LIMIT_CONSENT_IP", limits.consent_per_address);
  redis::ReadRateLimit(reader, "RATE_LIMIT_INVITATIONS_COMPANY", limits.invitations_per_company);
  redis::ReadRateLimit(reader, "RATE_LIMIT_CANCELLATION_IP", limits.cancellation_per_address);
  redis::ReadRateLimit(reader, "RATE_LIMIT_CANCELLATION_CONFIRM_IP",
                       limits.cancellation_confirm_per_address);
  redis::ReadRateLimit(reader, "RATE_LIMIT_QUOTE_CODES_IP", limits.unknown_codes_per_address);
  return limits;
}

void SetRateLimitHeaders(const redis::RateLimit& limit, const redis::RateDecision& decision,
                         http::Response& response) {
  response.set("RateLimit-Policy", "\"" + limit.name + "\";q=" + std::to_string(limit.limit) +
                                       ";w=" + std::to_string(limit.window.count()));
  response.set("RateLimit", "\"" + limit.name + "\";r=" + std::to_string(decision.remaining) +
                                ";t=" + std::to_string(CeilSeconds(decision.reset_after)));
}

http::Response TooManyRequests(const redis::RateLimit& limit, const redis::RateDecision& decision,
                               const http::RequestContext& context, unsigned version) {
  http::Response response =
      http::ProblemResponse(Error{ErrorCode::kRateLimited,
                                  "Too many attempts; please wait before trying again.",
                                  limit.name,
                                  {}},
                            context, version);
  response.set(http::Field::retry_after,
               std::to_string(std::max<std::int64_t>(1, CeilSeconds(decision.retry_after))));
  SetRateLimitHeaders(limit, decision, response);
  return response;
}

}  // namespace codezero::api
