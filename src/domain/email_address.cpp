#include "domain/email_address.h"

#include <algorithm>

#include <unicode/unistr.h>

namespace codezero::domain {

bool IsPlausibleEmail(std::string_view address) {
  if (address.size() < 3 || address.size() > 254) return false;
  const std::size_t at = address.find('@');
  if (at == std::string_view::npos || at == 0 || at > 64 ||
      address.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view domain = address.substr(at + 1);
  if (domain.size() < 3 || domain.find('.') == std::string_view::npos || domain.front() == '.' ||
      domain.back() == '.' || domain.find("..") != std::string_view::npos) {
    return false;
  }
  return std::all_of(address.begin(), address.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u != 0x7f && c != '<' && c != '>' && c != '(' && c != ')' && c != ',' &&
           c != ';' && c != '"' && c != '\\' && c != '[' && c != ']';
  });
}

std::string NormalizeEmail(std::string_view address) {
  while (!address.empty() && (address.front() == ' ' || address.front() == '\t'))
    address.remove_prefix(1);
  while (!address.empty() && (address.back() == ' ' || address.back() == '\t'))
    address.remove_suffix(1);
  std::string normalized(address);
  const std::size_t at = normalized.rfind('@');
  if (at != std::string::npos) {
    std::transform(normalized.begin() + static_cast<long>(at), normalized.end(),
                   normalized.begin() + static_cast<long>(at), [](unsigned char c) {
                     return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
                   });
  }
  return normalized;
}

std::string CanonicalEmail(std::string_view address) {
  const std::string normalized = NormalizeEmail(address);
  std::string folded;
  icu::UnicodeString::fromUTF8(normalized).foldCase().toUTF8String(folded);
  return folded;
}

}  // namespace codezero::domain
