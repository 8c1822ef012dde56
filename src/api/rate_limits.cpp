#include "api/rate_limits.h"

#include <vector>

#include "http/problem.h"

namespace codezero::api {
namespace {

std::int64_t CeilSeconds(std::chrono::milliseconds duration) {
  return (duration.count() + 999) / 1000;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

}  // namespace

namespace {

void ReadLimit(SettingsReader& reader, std::string name, redis::RateLimit& limit) {
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

}  // namespace

RateLimits ReadRateLimits(SettingsReader& reader) {
  RateLimits limits;
  ReadLimit(reader, "RATE_LIMIT_LOGIN_ACCOUNT", limits.login_per_account);
  ReadLimit(reader, "RATE_LIMIT_LOGIN_IP", limits.login_per_address);
  ReadLimit(reader, "RATE_LIMIT_SIGNUP_IP", limits.signup_per_address);
  ReadLimit(reader, "RATE_LIMIT_RESET_IP", limits.reset_per_address);
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

std::string ClientAddress(const http::Request& request, const http::RequestContext& context,
                          std::size_t trusted_proxies) {
  if (trusted_proxies > 0) {
    std::string_view forwarded = request["X-Forwarded-For"];
    std::vector<std::string_view> hops;
    while (!forwarded.empty()) {
      const std::size_t comma = forwarded.find(',');
      hops.push_back(Trim(forwarded.substr(0, comma)));
      if (comma == std::string_view::npos) break;
      forwarded.remove_prefix(comma + 1);
    }
    if (hops.size() >= trusted_proxies) return std::string(hops[hops.size() - trusted_proxies]);
  }
  return context.remote.to_string();
}

}  // namespace codezero::api
