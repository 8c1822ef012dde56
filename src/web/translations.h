// The site's texts in German and English: gettext catalogs (locales/de.po, locales/en.po)
// compiled by msgfmt at build time, embedded in the binary and read with Boost.Locale's
// gettext implementation. Message ids are the English source texts, as gettext expects; the
// English catalog may still reword them. Texts are looked up once, when the templates are
// prepared at start (templates.h), never per request.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "domain/locale.h"

namespace codezero::web {

class Translations {
 public:
  // Reads the compiled catalogs ("locales/de.mo", "locales/en.mo") among the embedded files.
  // Throws std::runtime_error when one is missing or unreadable (a build defect).
  Translations();
  ~Translations();
  Translations(Translations&&) noexcept;
  Translations& operator=(Translations&&) noexcept;

  // The translation of `message_id`, or nullopt when the catalog has none.
  [[nodiscard]] std::optional<std::string> Find(domain::Locale locale,
                                                std::string_view message_id) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace codezero::web
