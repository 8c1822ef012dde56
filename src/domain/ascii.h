// Character classes of identifiers (VAT IDs, tax IDs): ASCII only, whatever the locale says.
#pragma once

#include <string_view>

namespace codezero::domain {

[[nodiscard]] constexpr bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// True for one or more ASCII digits and nothing else.
[[nodiscard]] constexpr bool AllAsciiDigits(std::string_view text) {
  for (const char c : text) {
    if (!IsAsciiDigit(c)) return false;
  }
  return !text.empty();
}

}  // namespace codezero::domain
