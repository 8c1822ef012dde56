// A form post as the site receives it: its fields (application/x-www-form-urlencoded), read
// once, and the two checks every state-changing post must pass before anything happens
// (request_forgery.h): the site's own origin and a valid form token for this visitor.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"
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

// kForbidden unless the request comes from `site_origin` (Origin, or Sec-Fetch-Site:
// same-origin) and carries a form token ("csrf") signed with `secret` for `binding`.
[[nodiscard]] Result<void> CheckFormPost(const http::Request& request, const FormPost& form,
                                         std::string_view site_origin, std::string_view secret,
                                         std::string_view binding);

// A path on this site to go back to, or `fallback`: refuses absolute and scheme-relative URLs,
// backslashes (which some browsers read as slashes) and control characters.
[[nodiscard]] std::string SafeReturnPath(std::string_view wanted, std::string_view fallback);

}  // namespace codezero::web
