#include "web/request_forgery.h"

#include <cstdint>
#include <optional>

#include "common/digest.h"
#include "common/unix_time.h"

namespace codezero::web {
namespace {

std::string Base36(std::int64_t value) {
  static constexpr char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  if (value <= 0) return "0";
  std::string out;
  while (value > 0) {
    out.insert(out.begin(), kDigits[value % 36]);
    value /= 36;
  }
  return out;
}

std::optional<std::int64_t> ParseBase36(std::string_view text) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::int64_t value = 0;
  for (const char c : text) {
    int digit = 0;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'z') {
      digit = c - 'a' + 10;
    } else {
      return std::nullopt;
    }
    value = value * 36 + digit;
  }
  return value;
}

std::string Mac(std::string_view secret, std::string_view binding, std::string_view issued) {
  std::string message = "form-token\n";
  message += binding;
  message += '\n';
  message += issued;
  const Sha256Digest mac = HmacSha256(secret, message);
  return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(mac.data()), 16));
}

}  // namespace

std::string SignFormToken(std::string_view secret, std::string_view binding,
                          std::chrono::system_clock::time_point now) {
  const std::string issued = Base36(UnixSeconds(now));
  return issued + "." + Mac(secret, binding, issued);
}

bool VerifyFormToken(std::string_view secret, std::string_view binding, std::string_view token,
                     std::chrono::system_clock::time_point now) {
  const std::size_t dot = token.find('.');
  if (dot == std::string_view::npos) return false;
  const std::string_view issued_text = token.substr(0, dot);
  const auto issued = ParseBase36(issued_text);
  if (!issued) return false;
  const std::int64_t age = UnixSeconds(now) - *issued;
  // A little skew between instances is tolerated; a token from the future beyond it is not.
  if (age < -60 || age > std::chrono::seconds(kFormTokenLifetime).count()) return false;
  return ConstantTimeEquals(token.substr(dot + 1), Mac(secret, binding, issued_text));
}

bool IsSameOriginRequest(std::string_view origin, std::string_view sec_fetch_site,
                         std::string_view site_origin) {
  if (!origin.empty()) return origin == site_origin;
  return sec_fetch_site == "same-origin";
}

}  // namespace codezero::web
