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

void ApplySecurityHeaders(const SecurityHeaders& headers, Response& response) {
  for (const auto& [name, value] : headers.headers) response.set(name, value);
  if (response.find(Field::cache_control) == response.end()) {
    response.set(Field::cache_control, "no-store");
  }
}

}  // namespace codezero::http
