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

  std::string out_;
  // Bit i: the container open at depth i has no member yet. A bit set rather than a vector:
  // no allocation per document (bench/http). Nesting deeper than 64 throws std::length_error.
  std::uint64_t first_ = 0;
  int depth_ = 0;
  bool after_key_ = false;
};

// Appends `text` as a JSON string literal (quotes included), escaping what JSON requires.
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace codezero
