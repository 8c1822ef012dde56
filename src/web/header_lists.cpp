#include "web/header_lists.h"

namespace codezero::web {
namespace {

std::string_view TrimSpacesAndTabs(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// "q=0.8" → 0.8; anything malformed counts as 1 (RFC 9110 has no error case for it).
double QualityOf(std::string_view parameters) {
  while (!parameters.empty()) {
    const std::size_t semicolon = parameters.find(';');
    const std::string_view parameter = TrimSpacesAndTabs(parameters.substr(0, semicolon));
    if (parameter.size() > 2 && Lower(parameter[0]) == 'q' && parameter[1] == '=') {
      const std::string_view number = parameter.substr(2);
      // q is 0 to 1 with at most three decimals; read it by hand (no locale, no exceptions).
      double value = 0;
      std::size_t i = 0;
      while (i < number.size() && number[i] >= '0' && number[i] <= '9') {
        value = value * 10 + (number[i] - '0');
        ++i;
      }
      if (i < number.size() && number[i] == '.') {
        double scale = 0.1;
        for (++i; i < number.size() && number[i] >= '0' && number[i] <= '9'; ++i) {
          value += (number[i] - '0') * scale;
          scale /= 10;
        }
      }
      if (i != number.size() || i == 0 || value > 1) return 1;
      return value;
    }
    if (semicolon == std::string_view::npos) break;
    parameters.remove_prefix(semicolon + 1);
  }
  return 1;
}

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

void ForEachListElement(
    std::string_view list,
    const std::function<void(std::string_view token, double quality)>& element) {
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    const std::string_view item = TrimSpacesAndTabs(list.substr(0, comma));
    if (!item.empty()) {
      const std::size_t semicolon = item.find(';');
      const std::string_view token = TrimSpacesAndTabs(item.substr(0, semicolon));
      const double quality =
          semicolon == std::string_view::npos ? 1.0 : QualityOf(item.substr(semicolon + 1));
      if (!token.empty()) element(token, quality);
    }
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

}  // namespace codezero::web
