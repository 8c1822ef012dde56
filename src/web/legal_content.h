// The legal pages (Impressum, privacy notice, terms, withdrawal, cookie list) from Markdown
// files under content/<lang>/ that a lawyer edits without touching C++ (content/README.md).
// Each file has a front matter (title, description, updated) and a GitHub-flavoured Markdown
// body with {{placeholders}} for the operator's data (the Impressum settings). Rendered once
// at start with cmark-gfm (raw HTML in the Markdown is dropped, never passed through).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "domain/locale.h"
#include "web/site_map.h"

namespace codezero::web {

struct LegalPage {
  std::string title;
  std::string description;
  std::chrono::sys_days updated;
  std::string html;  // the body, rendered
};

// Which content file a page is: content/de/impressum.md for (kImprint, kDe).
// REQUIRES: `page` is one of the five legal pages.
[[nodiscard]] std::string ContentPathOf(Page page, Locale locale);

// Loads and renders the page's file. `values` fills the placeholders (every value is literal
// text: Markdown characters in it are escaped). Throws std::runtime_error for a missing file,
// a missing or malformed front matter, or a template error (build defects, caught by tests).
[[nodiscard]] LegalPage RenderLegalPage(Page page, Locale locale,
                                        const boost::json::object& values);

// The page's title from its front matter, for links to it ("Allgemeine Geschäftsbedingungen").
[[nodiscard]] std::string LegalTitle(Page page, Locale locale);

// Markdown text to HTML (GFM tables, autolinks, strikethrough; raw HTML dropped). Tables are
// wrapped in a focusable, scrollable region for narrow screens.
[[nodiscard]] std::string MarkdownToHtml(std::string_view markdown);

// `text` with every ASCII punctuation character backslash-escaped: literal text in Markdown.
[[nodiscard]] std::string EscapeMarkdown(std::string_view text);

}  // namespace codezero::web
