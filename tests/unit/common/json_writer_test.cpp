#include "common/json_writer.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <boost/json/parse.hpp>

namespace codezero {
namespace {

// What JSON requires, one character at a time: the reference the word-at-a-time scan of
// AppendJsonString must agree with.
std::string EscapedOneByOne(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      out += "\\u00";
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0xf]);
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

TEST(JsonWriter, EscapesEachSpecialCharacterAtEveryPositionOfAWord) {
  for (const char special : {'"', '\\', '\n', '\x01', '\x1f', '\x7f', '\0'}) {
    for (std::size_t length = 1; length <= 24; ++length) {
      for (std::size_t at = 0; at < length; ++at) {
        std::string text(length, 'a');
        text[at] = special;
        std::string out;
        AppendJsonString(out, text);
        EXPECT_EQ(out, EscapedOneByOne(text)) << "length " << length << " at " << at;
      }
    }
  }
}

TEST(JsonWriter, LeavesUtf8AndSafePunctuationAlone) {
  std::string out;
  AppendJsonString(out, "Zusätzlicher Sitz (SAML/OIDC) – 19 % USt. ~ !#$");
  EXPECT_EQ(out, "\"Zusätzlicher Sitz (SAML/OIDC) – 19 % USt. ~ !#$\"");
}

RC_GTEST_PROP(JsonWriterProperty, EscapesLikeTheOneByOneReference, (const std::string& text)) {
  std::string out;
  AppendJsonString(out, text);
  RC_ASSERT(out == EscapedOneByOne(text));
}

TEST(JsonWriter, WritesNestedDocumentsThatParse) {
  JsonWriter json;
  json.BeginObject();
  json.Member("name", "a \"quoted\" name");
  json.Key("lines");
  json.BeginArray();
  json.Int(-5);
  json.Bool(true);
  json.Null();
  json.EndArray();
  json.EndObject();
  EXPECT_EQ(boost::json::parse(json.str()),
            boost::json::parse(R"({"name":"a \"quoted\" name","lines":[-5,true,null]})"));
}

}  // namespace
}  // namespace codezero
