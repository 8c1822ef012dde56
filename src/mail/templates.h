// The e-mails the platform sends, in German and English, as text and HTML (templates/*.mustache,
// compiled into the binary). A template file holds the subject line, the text body and the
// HTML body (the HTML is wrapped in templates/layout.mustache with the legal footer):
//
//   subject: Bitte bestätigen Sie Ihre E-Mail-Adresse
//   --- text
//   Hallo {{name}}, ...
//   --- html
//   <p>Hallo {{name}},</p> ...
//
// Values come from the outbox row's JSON payload; HTML bodies escape them, text bodies do not.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "common/error.h"

namespace codezero::mail {

struct RenderedEmail {
  std::string subject;
  std::string text;
  std::string html;
};

// kNotFound for an unknown template or locale; kInternal for a template that does not parse.
// `footer` is the sender's legal footer (§ 35a GmbHG), shown under every e-mail.
[[nodiscard]] Result<RenderedEmail> Render(std::string_view template_name, std::string_view locale,
                                           const boost::json::object& payload,
                                           std::string_view footer);

// "verify_email", "password_reset", ...: every template, each in de and en.
[[nodiscard]] std::vector<std::string> TemplateNames();

}  // namespace codezero::mail
