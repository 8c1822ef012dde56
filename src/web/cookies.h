// Reading the Cookie request header and writing Set-Cookie (RFC 6265). The site's cookies are
// `__Host-` cookies (Secure, Path=/, no Domain: only this exact origin can set or read them)
// and HttpOnly (no script reads them).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace codezero::web {

// The value of the cookie `name` in a Cookie header; nullopt when absent.
[[nodiscard]] std::optional<std::string_view> CookieValue(std::string_view cookie_header,
                                                          std::string_view name);

// "NAME=VALUE; Path=/; Max-Age=…; Secure; HttpOnly; SameSite=Lax".
// REQUIRES: `value` holds only cookie-octets (no space, comma, semicolon, quote, backslash).
[[nodiscard]] std::string SetCookieHeader(std::string_view name, std::string_view value,
                                          std::chrono::seconds max_age);

// Deletes the cookie: the same attributes with Max-Age=0.
[[nodiscard]] std::string DeleteCookieHeader(std::string_view name);

}  // namespace codezero::web
