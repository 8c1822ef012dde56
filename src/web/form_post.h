// A form post as the site receives it: its fields (application/x-www-form-urlencoded), read
// once, and the two checks every state-changing post must pass before anything happens
// (request_forgery.h): the site's own origin and a valid form token for this visitor.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"
#include "common/json_writer.h"
#include "http/message.h"

namespace codezero::web {

class FormPost {
 public:
  explicit FormPost(const http::Request& request) : body_(request.body()) {}

  // The decoded value of `name` ('+' is a space); nullopt when absent.
  [[nodiscard]] std::optional<std::string> Field(std::string_view name) const;
  // The value, or "" when absent.
  [[nodiscard]] std::string Text(std::string_view name) const;
  // A checkbox: present with any value.
  [[nodiscard]] bool Checked(std::string_view name) const { return Field(name).has_value(); }

 private:
  std::string_view body_;
};

// Writes the member "address" ({line1, line2 when given, postal_code, city}, as the API takes a
// postal address) from the form's fields of the same names.
void WriteAddress(const FormPost& form, JsonWriter& json);

// The message of CheckFormPost's refusal when the post comes from another site.
inline constexpr std::string_view kCrossSitePost = "cross-site post";

// kForbidden unless the request comes from `site_origin` (Origin, or Sec-Fetch-Site:
// same-origin) and carries a form token ("csrf") signed with `secret` for one of `bindings`
// (page_route.h says which a form takes).
[[nodiscard]] Result<void> CheckFormPost(const http::Request& request, const FormPost& form,
                                         std::string_view site_origin, std::string_view secret,
                                         std::initializer_list<std::string_view> bindings);

// `wanted` when it is a path on this site (http::IsSitePath), else `fallback`.
[[nodiscard]] std::string SafeReturnPath(std::string_view wanted, std::string_view fallback);

}  // namespace codezero::web
