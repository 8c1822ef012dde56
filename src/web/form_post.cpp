#include "web/form_post.h"

#include <chrono>

#include "http/query.h"
#include "web/request_forgery.h"

namespace codezero::web {

std::optional<std::string> FormPost::Field(std::string_view name) const {
  return http::QueryParameter(body_, name);
}

std::string FormPost::Text(std::string_view name) const { return Field(name).value_or(""); }

void WriteAddress(const FormPost& form, JsonWriter& json) {
  json.Key("address");
  json.BeginObject();
  json.Member("line1", form.Text("line1"));
  if (const std::string line2 = form.Text("line2"); !line2.empty()) json.Member("line2", line2);
  json.Member("postal_code", form.Text("postal_code"));
  json.Member("city", form.Text("city"));
  json.EndObject();
}

Result<void> CheckFormPost(const http::Request& request, const FormPost& form,
                           std::string_view site_origin, std::string_view secret,
                           std::initializer_list<std::string_view> bindings) {
  if (!IsSameOriginRequest(request[http::Field::origin], request["Sec-Fetch-Site"], site_origin)) {
    return Fail(ErrorCode::kForbidden, std::string(kCrossSitePost), "origin check failed");
  }
  const std::string token = form.Text("csrf");
  const auto now = std::chrono::system_clock::now();
  for (const std::string_view binding : bindings) {
    if (VerifyFormToken(secret, binding, token, now)) return {};
  }
  return Fail(ErrorCode::kForbidden, "bad form token", "form token check failed");
}

std::string SafeReturnPath(std::string_view wanted, std::string_view fallback) {
  return std::string(http::IsSitePath(wanted) ? wanted : fallback);
}

}  // namespace codezero::web
