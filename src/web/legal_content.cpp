#include "web/legal_content.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <kainjow/mustache.hpp>

#include <cstdlib>
#include <memory>
#include <stdexcept>

#include "common/mustache_data.h"
#include "web/embedded_files.h"

namespace codezero::web {
namespace {

std::string_view FileNameOf(Page page, Locale locale) {
  const bool de = locale == Locale::kDe;
  switch (page) {
    case Page::kImprint:
      return de ? "impressum" : "imprint";
    case Page::kPrivacy:
      return de ? "datenschutz" : "privacy";
    case Page::kTerms:
      return de ? "agb" : "terms";
    case Page::kWithdrawal:
      return de ? "widerruf" : "withdrawal";
    case Page::kCookies:
      return "cookies";
    default:
      throw std::invalid_argument("not a legal page");
  }
}

struct FrontMatter {
  std::string title;
  std::string description;
  std::string updated;
  std::string_view body;
};

FrontMatter SplitFrontMatter(std::string_view file, const std::string& path) {
  if (!file.starts_with("---\n")) throw std::runtime_error(path + ": no front matter");
  const std::size_t end = file.find("\n---\n", 3);
  if (end == std::string_view::npos) throw std::runtime_error(path + ": unclosed front matter");
  FrontMatter matter;
  std::string_view header = file.substr(4, end - 4);
  while (!header.empty()) {
    const std::size_t newline = header.find('\n');
    const std::string_view line = header.substr(0, newline);
    const std::size_t colon = line.find(": ");
    if (colon != std::string_view::npos) {
      const std::string_view key = line.substr(0, colon);
      const std::string value(line.substr(colon + 2));
      if (key == "title") matter.title = value;
      if (key == "description") matter.description = value;
      if (key == "updated") matter.updated = value;
    }
    if (newline == std::string_view::npos) break;
    header.remove_prefix(newline + 1);
  }
  if (matter.title.empty() || matter.description.empty() || matter.updated.empty()) {
    throw std::runtime_error(path + ": front matter needs title, description and updated");
  }
  matter.body = file.substr(end + 5);
  return matter;
}

std::chrono::sys_days ParseDay(const std::string& text, const std::string& path) {
  int year = 0;
  unsigned month = 0, day = 0;
  if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2u-%2u", &year, &month, &day) != 3) {
    throw std::runtime_error(path + ": updated must be YYYY-MM-DD");
  }
  const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(month),
                                         std::chrono::day(day)};
  if (!date.ok()) throw std::runtime_error(path + ": updated is not a date");
  return std::chrono::sys_days(date);
}

// Every string in `values`, Markdown-escaped, so a placeholder's value is literal text.
boost::json::value Escaped(const boost::json::value& value) {
  if (value.is_string()) return boost::json::value(EscapeMarkdown(value.as_string()));
  if (value.is_object()) {
    boost::json::object object;
    for (const auto& [key, member] : value.as_object()) object[key] = Escaped(member);
    return object;
  }
  return value;
}

}  // namespace

std::string ContentPathOf(Page page, Locale locale) {
  return "content/" + std::string(domain::ToString(locale)) + "/" +
         std::string(FileNameOf(page, locale)) + ".md";
}

std::string EscapeMarkdown(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (const char c : text) {
    const bool punctuation = (c >= '!' && c <= '/') || (c >= ':' && c <= '@') ||
                             (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
    if (punctuation) out += '\\';
    out += c;
  }
  return out;
}

std::string MarkdownToHtml(std::string_view markdown) {
  cmark_gfm_core_extensions_ensure_registered();
  std::unique_ptr<cmark_parser, decltype(&cmark_parser_free)> parser(
      cmark_parser_new(CMARK_OPT_DEFAULT), &cmark_parser_free);
  for (const char* name : {"table", "autolink", "strikethrough"}) {
    cmark_syntax_extension* extension = cmark_find_syntax_extension(name);
    if (extension == nullptr) throw std::runtime_error(std::string("no cmark extension ") + name);
    cmark_parser_attach_syntax_extension(parser.get(), extension);
  }
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  std::unique_ptr<cmark_node, decltype(&cmark_node_free)> document(
      cmark_parser_finish(parser.get()), &cmark_node_free);
  char* rendered = cmark_render_html(document.get(), CMARK_OPT_DEFAULT,
                                     cmark_parser_get_syntax_extensions(parser.get()));
  std::string html(rendered);
  std::free(rendered);
  // Wide tables scroll inside a region of their own that a keyboard can reach.
  std::string out;
  std::size_t position = 0;
  while (true) {
    const std::size_t open = html.find("<table>", position);
    if (open == std::string::npos) break;
    const std::size_t close = html.find("</table>", open);
    if (close == std::string::npos) break;
    out.append(html, position, open - position);
    out += "<div class=\"table-scroll\" tabindex=\"0\">";
    out.append(html, open, close + 8 - open);
    out += "</div>";
    position = close + 8;
  }
  out.append(html, position);
  return out;
}

std::string LegalTitle(Page page, Locale locale) {
  const std::string path = ContentPathOf(page, locale);
  const auto file = FindEmbeddedFile(path);
  if (!file) throw std::runtime_error("no content file " + path);
  return SplitFrontMatter(*file, path).title;
}

LegalPage RenderLegalPage(Page page, Locale locale, const boost::json::object& values) {
  const std::string path = ContentPathOf(page, locale);
  const auto file = FindEmbeddedFile(path);
  if (!file) throw std::runtime_error("no content file " + path);
  const FrontMatter matter = SplitFrontMatter(*file, path);

  kainjow::mustache::mustache body{std::string(matter.body)};
  if (!body.is_valid()) throw std::runtime_error(path + ": " + body.error_message());
  // Markdown, not HTML: values are escaped for Markdown above; cmark escapes for HTML.
  body.set_custom_escape([](const std::string& text) { return text; });
  const std::string markdown = body.render(MustacheDataOf(Escaped(values)));
  if (!body.is_valid()) throw std::runtime_error(path + ": " + body.error_message());

  LegalPage rendered;
  rendered.title = matter.title;
  rendered.description = matter.description;
  rendered.updated = ParseDay(matter.updated, path);
  rendered.html = MarkdownToHtml(markdown);
  return rendered;
}

}  // namespace codezero::web
