#include "common/json_writer.h"

#include <stdexcept>

namespace codezero {

namespace {

bool NeedsEscape(char c) {
  const auto u = static_cast<unsigned char>(c);
  return c == '"' || c == '\\' || u < 0x20 || u == 0x7f;
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  // Most strings need no escaping: copy runs of safe characters at once.
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = start;
    while (end < text.size() && !NeedsEscape(text[end])) ++end;
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
