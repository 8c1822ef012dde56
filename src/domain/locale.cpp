#include "domain/locale.h"

namespace codezero::domain {

std::optional<Locale> ParseLocale(std::string_view code) {
  if (code == "de") return Locale::kDe;
  if (code == "en") return Locale::kEn;
  return std::nullopt;
}

std::string_view ToString(Locale locale) { return locale == Locale::kDe ? "de" : "en"; }

}  // namespace codezero::domain
