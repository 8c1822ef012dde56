#include "common/json_writer.h"

#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace codezero {

namespace {

bool NeedsEscape(char c) {
  const auto u = static_cast<unsigned char>(c);
  return c == '"' || c == '\\' || u < 0x20 || u == 0x7f;
}

// The length of the run of characters at the start of `text` that need no escaping. Eight at a
// time (bytes in a word, no SIMD instructions): a quote writes a few hundred such characters.
std::size_t SafePrefix(std::string_view text) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  std::size_t at = 0;
  for (; at + 8 <= text.size(); at += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + at, sizeof word);
    // A byte's high bit set in `hit`: it may be below 0x20, '"', '\\' or 0x7f (then check).
    const std::uint64_t quote = word ^ (kOnes * '"');
    const std::uint64_t backslash = word ^ (kOnes * '\\');
    const std::uint64_t del = word ^ (kOnes * 0x7f);
    const std::uint64_t hit =
        ((word - kOnes * 0x20) | (quote - kOnes) | (backslash - kOnes) | (del - kOnes)) & ~word &
        kHighs;
    if (hit != 0) break;
  }
  while (at < text.size() && !NeedsEscape(text[at])) ++at;
  return at;
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  // Most strings need no escaping: copy runs of safe characters at once.
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = start + SafePrefix(text.substr(start));
    out.append(text.data() + start, end - start);
    if (end == text.size()) break;
    const char c = text[end];
    start = end + 1;
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out.push_back(kHex[u >> 4]);
        out.push_back(kHex[u & 0xf]);
    }
  }
  out.push_back('"');
}

void JsonWriter::TooDeep() { throw std::length_error("JsonWriter: nested deeper than 64"); }

}  // namespace codezero
