#include "mail/templates.h"

#include <kainjow/mustache.hpp>

#include <set>

#include "common/mustache_data.h"
#include "embedded/mail_templates.h"

namespace codezero::mail {
namespace {

namespace mustache = kainjow::mustache;

std::string_view FindFile(std::string_view name) {
  for (const EmbeddedFile& file : embedded::mail_templates()) {
    if (file.name == name) return file.text;
  }
  return {};
}

struct Parts {
  std::string_view subject;
  std::string_view text;
  std::string_view html;
};

Result<Parts> Split(std::string_view file) {
  constexpr std::string_view kSubject = "subject: ";
  constexpr std::string_view kText = "\n--- text\n";
  constexpr std::string_view kHtml = "\n--- html\n";
  const auto text = file.find(kText);
  const auto html = file.find(kHtml);
  if (!file.starts_with(kSubject) || text == std::string_view::npos ||
      html == std::string_view::npos || html < text) {
    return Fail(ErrorCode::kInternal, "malformed e-mail template");
  }
  Parts parts;
  parts.subject = file.substr(kSubject.size(), text - kSubject.size());
  parts.text = file.substr(text + kText.size(), html - text - kText.size());
  parts.html = file.substr(html + kHtml.size());
  return parts;
}

Result<std::string> RenderPart(std::string_view source, const mustache::data& data, bool html) {
  mustache::mustache compiled{std::string(source)};
  if (!compiled.is_valid()) {
    return Fail(ErrorCode::kInternal, "e-mail template error", compiled.error_message());
  }
  if (!html) compiled.set_custom_escape([](const std::string& text) { return text; });
  std::string rendered = compiled.render(data);
  if (!compiled.is_valid()) {
    return Fail(ErrorCode::kInternal, "e-mail template error", compiled.error_message());
  }
  return rendered;
}

}  // namespace

Result<RenderedEmail> Render(std::string_view template_name, std::string_view locale,
                             const boost::json::object& payload, std::string_view footer) {
  const std::string file_name =
      std::string(template_name) + "." + std::string(locale) + ".mustache";
  const std::string_view file = FindFile(file_name);
  if (file.empty()) return Fail(ErrorCode::kNotFound, "no e-mail template " + file_name);
  auto parts = Split(file);
  if (!parts) return tl::unexpected(parts.error());
  const mustache::data data = MustacheDataOf(payload);

  RenderedEmail email;
  auto subject = RenderPart(parts->subject, data, false);
  if (!subject) return tl::unexpected(subject.error());
  email.subject = std::move(*subject);
  auto text = RenderPart(parts->text, data, false);
  if (!text) return tl::unexpected(text.error());
  email.text = std::move(*text);
  if (!footer.empty()) email.text += "\n-- \n" + std::string(footer) + "\n";
  auto content = RenderPart(parts->html, data, true);
  if (!content) return tl::unexpected(content.error());

  mustache::data page;
  page.set("lang", std::string(locale));
  page.set("subject", email.subject);
  page.set("content", *content);
  page.set("footer", std::string(footer));
  auto html = RenderPart(FindFile("layout.mustache"), page, true);
  if (!html) return tl::unexpected(html.error());
  email.html = std::move(*html);
  return email;
}

std::vector<std::string> TemplateNames() {
  std::set<std::string> names;
  for (const EmbeddedFile& file : embedded::mail_templates()) {
    const auto dot = file.name.find('.');
    if (file.name != "layout.mustache") names.emplace(file.name.substr(0, dot));
  }
  return {names.begin(), names.end()};
}

}  // namespace codezero::mail
