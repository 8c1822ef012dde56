#include "http/security_headers.h"

namespace codezero::http {

SecurityHeaders SecurityHeaders::ForApi() {
  return SecurityHeaders{{
      {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"X-Frame-Options", "DENY"},
      {"Referrer-Policy", "no-referrer"},
      {"Cross-Origin-Resource-Policy", "same-origin"},
      {"Strict-Transport-Security", "max-age=63072000; includeSubDomains"},
  }};
}

std::string SecurityHeaders::Block() const {
  std::string block;
  for (const auto& [name, value] : headers)
    block.append(name).append(": ").append(value).append("\r\n");
  return block;
}

}  // namespace codezero::http
