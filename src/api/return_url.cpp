#include "api/return_url.h"

#include <algorithm>

namespace codezero::api {

std::optional<domain::Violation> CheckReturnUrl(std::string_view field, std::string_view url,
                                                const std::string& public_web_url) {
  const bool has_control = std::any_of(url.begin(), url.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
  if (has_control) return domain::Violation{"url_control_characters", std::string(field), {}};
  if (!url.starts_with(public_web_url + "/")) {
    return domain::Violation{"url_not_allowed", std::string(field), {public_web_url}};
  }
  return std::nullopt;
}

}  // namespace codezero::api
