#include "common/json_writer.h"

#include <charconv>
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

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (depth_ > 0) {
    const std::uint64_t bit = std::uint64_t{1} << (depth_ - 1);
    if ((first_ & bit) == 0) out_.push_back(',');
    first_ &= ~bit;
  }
}

void JsonWriter::Open(char bracket) {
  BeforeValue();
  if (depth_ == 64) throw std::length_error("JsonWriter: nested deeper than 64");
  out_.push_back(bracket);
  first_ |= std::uint64_t{1} << depth_;
  ++depth_;
}

void JsonWriter::Close(char bracket) {
  out_.push_back(bracket);
  --depth_;
}

void JsonWriter::Key(std::string_view key) {
  BeforeValue();
  out_.push_back('"');
  out_.append(key);
  out_ += "\":";
  after_key_ = true;
}

void JsonWriter::SafeMember(std::string_view key, std::string_view value) {
  Key(key);
  BeforeValue();
  out_.push_back('"');
  out_.append(value);
  out_.push_back('"');
}

void JsonWriter::String(std::string_view value) {
  BeforeValue();
  AppendJsonString(out_, value);
}

void JsonWriter::Int(std::int64_t value) {
  BeforeValue();
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out_.append(buffer, end);
}

void JsonWriter::Bool(bool value) {
  BeforeValue();
  out_ += value ? "true" : "false";
}

void JsonWriter::Null() {
  BeforeValue();
  out_ += "null";
}

}  // namespace codezero
