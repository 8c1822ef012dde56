#include "web/form_post.h"

#include <chrono>

#include "http/query.h"
#include "web/request_forgery.h"

namespace codezero::web {

std::optional<std::string> FormPost::Field(std::string_view name) const {
  return http::QueryParameter(body_, name);
}

std::string FormPost::Text(std::string_view name) const { return Field(name).value_or(""); }

Result<void> CheckFormPost(const http::Request& request, const FormPost& form,
                           std::string_view site_origin, std::string_view secret,
                           std::string_view binding) {
  if (!IsSameOriginRequest(request[http::Field::origin], request["Sec-Fetch-Site"], site_origin)) {
    return Fail(ErrorCode::kForbidden, "cross-site post", "origin check failed");
  }
  if (!VerifyFormToken(secret, binding, form.Text("csrf"), std::chrono::system_clock::now())) {
    return Fail(ErrorCode::kForbidden, "bad form token", "form token check failed");
  }
  return {};
}

std::string SafeReturnPath(std::string_view wanted, std::string_view fallback) {
  bool safe = wanted.starts_with('/') && !wanted.starts_with("//") && wanted.size() <= 2048 &&
              wanted.find('\\') == std::string_view::npos;
  for (const char c : wanted) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) safe = false;
  }
  return std::string(safe ? wanted : fallback);
}

}  // namespace codezero::web
