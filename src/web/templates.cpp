#include "web/templates.h"

#include <kainjow/mustache.hpp>

#include <set>
#include <stdexcept>

#include "common/mustache_data.h"
#include "web/embedded_files.h"

namespace codezero::web {
namespace {

namespace mustache = kainjow::mustache;
using domain::Locale;

constexpr std::string_view kTextOpen = "{{#t}}";
constexpr std::string_view kTextClose = "{{/t}}";
constexpr std::string_view kTemplates = "templates/";
constexpr std::string_view kPages = "templates/pages/";
constexpr std::string_view kPartials = "templates/partials/";
constexpr std::string_view kSuffix = ".mustache";

std::string_view TrimSpacesAndNewlines(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.remove_suffix(1);
  return text;
}

std::string_view SourceOf(std::string_view path) {
  const auto file = FindEmbeddedFile(path);
  if (!file) throw std::runtime_error("no template " + std::string(path));
  return *file;
}

// Replaces every {{> name}} by templates/partials/name.mustache, recursively.
std::string ExpandPartials(std::string_view source, int depth = 0) {
  if (depth > 8) throw std::runtime_error("partials nested too deeply");
  std::string out;
  std::size_t position = 0;
  while (true) {
    const std::size_t open = source.find("{{>", position);
    if (open == std::string_view::npos) break;
    const std::size_t close = source.find("}}", open);
    if (close == std::string_view::npos) throw std::runtime_error("unclosed partial tag");
    const std::string name(TrimSpacesAndNewlines(source.substr(open + 3, close - open - 3)));
    out.append(source.substr(position, open - position));
    std::string_view partial = SourceOf(std::string(kPartials) + name + std::string(kSuffix));
    if (partial.ends_with('\n')) partial.remove_suffix(1);
    out += ExpandPartials(partial, depth + 1);
    position = close + 2;
  }
  out.append(source.substr(position));
  return out;
}

// Escapes a translated text for HTML, leaving its Mustache tags as they are.
std::string EscapeKeepingTags(std::string_view text) {
  std::string out;
  std::size_t position = 0;
  while (position < text.size()) {
    const std::size_t open = text.find("{{", position);
    const std::size_t end = open == std::string_view::npos ? text.size() : open;
    out += EscapeHtml(text.substr(position, end - position));
    if (open == std::string_view::npos) break;
    const std::size_t close = text.find("}}", open);
    if (close == std::string_view::npos) throw std::runtime_error("unclosed tag in a text");
    out.append(text.substr(open, close + 2 - open));
    position = close + 2;
  }
  return out;
}

template <class Visit>
std::string ReplaceTexts(std::string_view source, Visit&& visit) {
  std::string out;
  std::size_t position = 0;
  while (true) {
    const std::size_t open = source.find(kTextOpen, position);
    if (open == std::string_view::npos) break;
    const std::size_t close = source.find(kTextClose, open);
    if (close == std::string_view::npos) throw std::runtime_error("unclosed {{#t}}");
    out.append(source.substr(position, open - position));
    out += visit(source.substr(open + kTextOpen.size(), close - open - kTextOpen.size()));
    position = close + kTextClose.size();
  }
  out.append(source.substr(position));
  return out;
}

// `escape`: for HTML; false for titles and descriptions, which the layout escapes itself.
std::string Translate(std::string_view source, Locale locale, const Translations& translations,
                      bool escape = true) {
  return ReplaceTexts(source, [&](std::string_view id) {
    const auto translated = translations.Find(locale, id);
    if (!translated) {
      throw std::runtime_error("no " + std::string(domain::ToString(locale)) +
                               " translation for \"" + std::string(id) + "\"");
    }
    return escape ? EscapeKeepingTags(*translated) : *translated;
  });
}

struct CompiledPage {
  mustache::mustache title;
  mustache::mustache description;
  mustache::mustache body;
};

mustache::mustache Compile(const std::string& source, std::string_view name) {
  mustache::mustache compiled(source);
  if (!compiled.is_valid()) {
    throw std::runtime_error("template " + std::string(name) + ": " + compiled.error_message());
  }
  return compiled;
}

std::string Render(mustache::mustache& compiled, const mustache::data& data) {
  std::string out = compiled.render(data);
  if (!compiled.is_valid()) throw std::runtime_error("render: " + compiled.error_message());
  return out;
}

std::string PlainText(mustache::mustache& compiled, const mustache::data& data) {
  // Titles and descriptions go into attributes and <title> by the layout, which escapes them;
  // rendered here without escaping so they are not escaped twice.
  compiled.set_custom_escape([](const std::string& text) { return text; });
  return Render(compiled, data);
}

}  // namespace

std::vector<std::string> MessageIdsInTemplates() {
  std::set<std::string> ids;
  for (const EmbeddedFile& file : EmbeddedFiles()) {
    if (!file.name.starts_with(kTemplates) || !file.name.ends_with(kSuffix)) continue;
    (void)ReplaceTexts(file.text, [&](std::string_view id) {
      ids.emplace(id);
      return std::string();
    });
  }
  return {ids.begin(), ids.end()};
}

struct Templates::Impl {
  struct PerLocale {
    std::map<std::string, CompiledPage, std::less<>> pages;
    std::map<std::string, mustache::mustache, std::less<>> partials;
    std::unique_ptr<mustache::mustache> layout;
  };
  PerLocale de;
  PerLocale en;
  PerLocale& In(Locale locale) { return locale == Locale::kDe ? de : en; }
};

Templates::Templates(const Translations& translations) : impl_(std::make_unique<Impl>()) {
  for (const Locale locale : {Locale::kDe, Locale::kEn}) {
    Impl::PerLocale& set = impl_->In(locale);
    for (const EmbeddedFile& file : EmbeddedFiles()) {
      if (!file.name.starts_with(kTemplates) || !file.name.ends_with(kSuffix)) continue;
      const std::string expanded = ExpandPartials(file.text);
      const std::string_view path = file.name;
      if (path == "templates/layout.mustache") {
        set.layout = std::make_unique<mustache::mustache>(
            Compile(Translate(expanded, locale, translations), path));
      } else if (path.starts_with(kPartials)) {
        const std::string name(
            path.substr(kPartials.size(), path.size() - kPartials.size() - kSuffix.size()));
        set.partials.emplace(name, Compile(Translate(expanded, locale, translations), path));
      } else if (path.starts_with(kPages)) {
        const std::string name(
            path.substr(kPages.size(), path.size() - kPages.size() - kSuffix.size()));
        // "title: ...\ndescription: ...\n---\n" then the body.
        const std::string_view source = expanded;
        const std::size_t title_end = source.find('\n');
        const std::size_t description_end = source.find('\n', title_end + 1);
        const std::size_t separator = source.find("\n---\n");
        if (!source.starts_with("title: ") || title_end == std::string::npos ||
            source.substr(title_end + 1).substr(0, 13) != "description: " ||
            separator != description_end) {
          throw std::runtime_error("template " + std::string(path) +
                                   ": expected title:, description: and ---");
        }
        const auto header = [&](std::size_t from, std::size_t to) {
          return Compile(Translate(source.substr(from, to - from), locale, translations, false),
                         path);
        };
        CompiledPage page{
            header(7, title_end), header(title_end + 14, description_end),
            Compile(Translate(source.substr(separator + 5), locale, translations), path)};
        set.pages.emplace(name, std::move(page));
      } else {
        throw std::runtime_error("template in an unknown place: " + std::string(path));
      }
    }
    if (!set.layout) throw std::runtime_error("no templates/layout.mustache");
  }
}

Templates::~Templates() = default;
Templates::Templates(Templates&&) noexcept = default;
Templates& Templates::operator=(Templates&&) noexcept = default;

RenderedPage Templates::RenderPage(std::string_view name, Locale locale,
                                   const boost::json::value& data) {
  auto& pages = impl_->In(locale).pages;
  const auto page = pages.find(name);
  if (page == pages.end()) throw std::invalid_argument("no page template " + std::string(name));
  const mustache::data values = MustacheDataOf(data);
  RenderedPage rendered;
  rendered.title = PlainText(page->second.title, values);
  rendered.description = PlainText(page->second.description, values);
  rendered.body = Render(page->second.body, values);
  return rendered;
}

std::string Templates::RenderLayout(Locale locale, const boost::json::value& data) {
  return Render(*impl_->In(locale).layout, MustacheDataOf(data));
}

std::string Templates::RenderPartial(std::string_view name, Locale locale,
                                     const boost::json::value& data) {
  auto& partials = impl_->In(locale).partials;
  const auto partial = partials.find(name);
  if (partial == partials.end()) throw std::invalid_argument("no partial " + std::string(name));
  return Render(partial->second, MustacheDataOf(data));
}

}  // namespace codezero::web
