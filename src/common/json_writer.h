// Writes JSON straight into a string: for the hot responses (a quote, a token payload) where
// building a boost::json::value first would cost an allocation per member. Keys and strings are
// escaped; numbers are integers only (money is cents).
//
//   JsonWriter json;
//   json.BeginObject();
//   json.Key("amount_total"); json.Int(443870);
//   json.EndObject();
//   std::string body = std::move(json).Take();
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace codezero {

class JsonWriter {
 public:
  explicit JsonWriter(std::size_t reserve = 1024) { out_.reserve(reserve); }

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  // REQUIRES: `key` needs no escaping (keys are the code's own identifiers).
  void Key(std::string_view key);
  void String(std::string_view value);
  void Int(std::int64_t value);
  void Bool(bool value);
  void Null();

  // Key and value in one call.
  void Member(std::string_view key, std::string_view value) {
    Key(key);
    String(value);
  }
  void Member(std::string_view key, const char* value) {
    Key(key);
    String(value);
  }
  void Member(std::string_view key, std::int64_t value) {
    Key(key);
    Int(value);
  }
  void Member(std::string_view key, int value) {
    Key(key);
    Int(value);
  }
  void Member(std::string_view key, bool value) {
    Key(key);
    Bool(value);
  }
  // `value`, or null when it is empty (an optional column read as text).
  void NullableMember(std::string_view key, std::string_view value) {
    Key(key);
    if (value.empty()) {
      Null();
    } else {
      String(value);
    }
  }
  // REQUIRES: `value` needs no JSON escaping (base64url, ISO dates, codes we generate).
  void SafeMember(std::string_view key, std::string_view value);

  [[nodiscard]] const std::string& str() const { return out_; }
  [[nodiscard]] std::string Take() && { return std::move(out_); }

 private:
  void Open(char bracket);
  void Close(char bracket);
  void BeforeValue();
  [[noreturn]] static void TooDeep();

  std::string out_;
  // Bit i: the container open at depth i has no member yet. A bit set rather than a vector:
  // no allocation per document (bench/http). Nesting deeper than 64 throws std::length_error.
  std::uint64_t first_ = 0;
  int depth_ = 0;
  bool after_key_ = false;
};

// Appends `text` as a JSON string literal (quotes included), escaping what JSON requires.
void AppendJsonString(std::string& out, std::string_view text);

// The small steps are inline: a quote writes three documents (its token's payload, the answer,
// the access log line), and calls into another file were a twentieth of its time (bench/http).

inline void JsonWriter::BeforeValue() {
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

inline void JsonWriter::Open(char bracket) {
  BeforeValue();
  if (depth_ == 64) TooDeep();
  out_.push_back(bracket);
  first_ |= std::uint64_t{1} << depth_;
  ++depth_;
}

inline void JsonWriter::Close(char bracket) {
  out_.push_back(bracket);
  --depth_;
}

inline void JsonWriter::Key(std::string_view key) {
  BeforeValue();
  out_.push_back('"');
  out_.append(key);
  out_.append("\":", 2);
  after_key_ = true;
}

inline void JsonWriter::SafeMember(std::string_view key, std::string_view value) {
  Key(key);
  BeforeValue();
  out_.push_back('"');
  out_.append(value);
  out_.push_back('"');
}

inline void JsonWriter::String(std::string_view value) {
  BeforeValue();
  AppendJsonString(out_, value);
}

inline void JsonWriter::Int(std::int64_t value) {
  BeforeValue();
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out_.append(buffer, end);
}

inline void JsonWriter::Bool(bool value) {
  BeforeValue();
  if (value) {
    out_.append("true", 4);
  } else {
    out_.append("false", 5);
  }
}

inline void JsonWriter::Null() {
  BeforeValue();
  out_.append("null", 4);
}

}  // namespace codezero
