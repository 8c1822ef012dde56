#include "http/query.h"

#include <charconv>
#include <string>
#include <unordered_set>

#include "http/router.h"

namespace codezero::http {

std::optional<std::string> QueryParameter(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    const std::size_t equals = pair.find('=');
    std::string key;
    if (!PercentDecode(pair.substr(0, equals), key) || key != name) continue;
    std::string raw(equals == std::string_view::npos ? std::string_view{}
                                                     : pair.substr(equals + 1));
    for (char& c : raw) {
      if (c == '+') c = ' ';
    }
    std::string value;
    if (!PercentDecode(raw, value)) return std::nullopt;
    return value;
  }
  return std::nullopt;
}

bool HasRepeatedParameter(std::string_view query) {
  std::unordered_set<std::string>
      seen;  // a form of many thousand names costs no more than its size
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    std::string key;
    if (!PercentDecode(pair.substr(0, pair.find('=')), key) || key.empty()) continue;
    if (!seen.insert(std::move(key)).second) return true;
  }
  return false;
}

std::optional<std::int64_t> IntegerParameter(std::string_view query, std::string_view name,
                                             std::int64_t fallback, std::int64_t min,
                                             std::int64_t max) {
  const auto text = QueryParameter(query, name);
  if (!text) return fallback;
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || value < min || value > max) {
    return std::nullopt;
  }
  return value;
}

std::string EncodeQueryValue(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

bool IsSitePath(std::string_view path) {
  if (!path.starts_with('/') || path.starts_with("//") || path.size() > 2048) return false;
  for (const char c : path) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '\\') return false;
  }
  return true;
}

}  // namespace codezero::http
