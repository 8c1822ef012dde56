// The two languages the platform speaks, and texts that exist in both.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace codezero::domain {

enum class Locale { kDe, kEn };

[[nodiscard]] std::optional<Locale> ParseLocale(std::string_view code);
[[nodiscard]] std::string_view ToString(Locale locale);

struct LocalizedText {
  std::string de;
  std::string en;
  [[nodiscard]] const std::string& In(Locale locale) const {
    return locale == Locale::kDe ? de : en;
  }
};

}  // namespace codezero::domain
