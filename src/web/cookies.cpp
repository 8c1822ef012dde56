#include "web/cookies.h"

namespace codezero::web {

std::optional<std::string_view> CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const std::size_t semicolon = header.find(';');
    std::string_view pair = header.substr(0, semicolon);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const std::size_t equals = pair.find('=');
    if (equals != std::string_view::npos && pair.substr(0, equals) == name) {
      std::string_view value = pair.substr(equals + 1);
      while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      return value;
    }
    if (semicolon == std::string_view::npos) break;
    header.remove_prefix(semicolon + 1);
  }
  return std::nullopt;
}

std::string SetCookieHeader(std::string_view name, std::string_view value,
                            std::chrono::seconds max_age) {
  std::string header(name);
  header += '=';
  header += value;
  header += "; Path=/; Max-Age=";
  header += std::to_string(max_age.count());
  header += "; Secure; HttpOnly; SameSite=Lax";
  return header;
}

std::string DeleteCookieHeader(std::string_view name) {
  return SetCookieHeader(name, "", std::chrono::seconds(0));
}

}  // namespace codezero::web
