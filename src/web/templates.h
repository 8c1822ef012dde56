// The site's HTML, from Mustache templates (templates/, compiled into the binary):
//
//   templates/layout.mustache           the one page layout: <head>, header, footer, consent
//   templates/pages/<page>.mustache     a page: its title and description lines, then its body
//   templates/partials/<name>.mustache  blocks that pages and the layout include ({{> name}})
//
// Page files start with two header lines and a separator:
//
//   title: {{#t}}Configure your plan{{/t}}
//   description: {{#t}}Choose a plan and add-ons; the price updates as you go.{{/t}}
//   ---
//   <h1>...
//
// Every visible text is wrapped as {{#t}}English source text{{/t}} and replaced, once at start
// and per language, by its translation from the gettext catalogs (translations.h), escaped for
// HTML; Mustache tags inside a text ({{amount}}) stay tags. Partials are inlined at start too,
// so a render is one pass over a compiled template. Values are HTML-escaped by Mustache.
//
// A Templates object is not thread-safe (Mustache keeps render state): one per event loop.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "common/html_escape.h"
#include "domain/locale.h"
#include "web/translations.h"

namespace codezero::web {

struct RenderedPage {
  std::string title;
  std::string description;
  std::string body;
};

// What the templates ask of the translations: each {{#t}}…{{/t}} text found.
[[nodiscard]] std::vector<std::string> MessageIdsInTemplates();

class Templates {
 public:
  // Prepares every template in both languages. Throws std::runtime_error for a template that
  // does not parse, a missing partial, or a text without a translation (build defects that
  // the unit tests catch).
  explicit Templates(const Translations& translations);
  ~Templates();
  Templates(Templates&&) noexcept;
  Templates& operator=(Templates&&) noexcept;

  // templates/pages/<name>.mustache. Throws std::invalid_argument for an unknown page.
  [[nodiscard]] RenderedPage RenderPage(std::string_view name, domain::Locale locale,
                                        const boost::json::value& data);
  // templates/layout.mustache.
  [[nodiscard]] std::string RenderLayout(domain::Locale locale, const boost::json::value& data);
  // templates/partials/<name>.mustache on its own (a block the browser script swaps in).
  [[nodiscard]] std::string RenderPartial(std::string_view name, domain::Locale locale,
                                          const boost::json::value& data);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace codezero::web
