#include "common/log.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <boost/json/parse.hpp>

#include "support/log_capture.h"

namespace codezero::log {
namespace {

using testing::LogCapture;

TEST(Log, WritesOneJsonObjectPerLine) {
  LogCapture capture;
  Info("order paid", {{"order_id", "ord_1"}, {"amount", 443870}, {"ok", true}}, "req-9");
  const std::string text = capture.text();
  ASSERT_EQ(text.back(), '\n');
  EXPECT_EQ(text.find('\n'), text.size() - 1);
  const auto line = boost::json::parse(text).as_object();
  EXPECT_EQ(line.at("level"), "info");
  EXPECT_EQ(line.at("msg"), "order paid");
  EXPECT_EQ(line.at("request_id"), "req-9");
  EXPECT_EQ(line.at("fields").at("order_id"), "ord_1");
  EXPECT_EQ(line.at("fields").at("amount"), 443870);
  EXPECT_EQ(line.at("ts").as_string().size(), 24u);  // 2026-11-26T04:00:00.123Z
}

TEST(Log, EscapesControlCharactersSoALineStaysALine) {
  LogCapture capture;
  Info("multi\nline \"quoted\"", {{"value", "tab\there\x01"}});
  const std::string text = capture.text();
  EXPECT_EQ(text.find('\n'), text.size() - 1);
  EXPECT_EQ(boost::json::parse(text).at("fields").at("value"), "tab\there\x01");
}

TEST(Log, LinesBelowTheLevelAreDropped) {
  LogCapture capture;
  SetLevel(Level::kWarn);
  Info("hidden");
  Warn("shown");
  SetLevel(Level::kInfo);
  EXPECT_EQ(capture.text().find("hidden"), std::string::npos);
  EXPECT_NE(capture.text().find("shown"), std::string::npos);
}

TEST(Log, RedactsFieldsWhoseNameIsSensitive) {
  LogCapture capture;
  Info("login", {{"password", "hunter2hunter2"},
                 {"Authorization", "Bearer abc.def"},
                 {"refresh_token", "rt_123"},
                 {"client_secret", "cs_456"},
                 {"card_number", "4242 4242 4242 4242"},
                 {"email", "kim@example.com"}});
  const std::string text = capture.text();
  for (const char* secret : {"hunter2hunter2", "abc.def", "rt_123", "cs_456", "4242"}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret;
  }
  EXPECT_NE(text.find("kim@example.com"), std::string::npos);
  EXPECT_NE(text.find("\"password\":\"[redacted]\""), std::string::npos);
}

TEST(Log, RedactsCredentialLookingValuesWhateverTheirKey) {
  LogCapture capture;
  Info("oops", {{"header", "Bearer eyJhbGciOi"},
                {"note", "4000 0000 0000 0002"},
                {"stripe", "sk_test_51abcdef"},
                {"webhook", "whsec_xyz"},
                {"order_number", "1234567890123"}});  // 13 digits, fails Luhn: kept
  const std::string text = capture.text();
  EXPECT_EQ(text.find("eyJhbGciOi"), std::string::npos);
  EXPECT_EQ(text.find("4000 0000"), std::string::npos);
  EXPECT_EQ(text.find("sk_test_51"), std::string::npos);
  EXPECT_EQ(text.find("whsec_xyz"), std::string::npos);
  EXPECT_NE(text.find("1234567890123"), std::string::npos);
}

TEST(Log, RedactsInsideNestedJson) {
  LogCapture capture;
  const auto body = boost::json::parse(
      R"({"user":{"email":"a@b.de","password":"correct horse battery"},"tokens":["x"],"token":{"a":1}})");
  Info("body", {{"body", body}});
  const std::string text = capture.text();
  EXPECT_EQ(text.find("correct horse"), std::string::npos);
  EXPECT_NE(text.find("a@b.de"), std::string::npos);
  EXPECT_EQ(boost::json::parse(text).at("fields").at("body").at("token").at("a"), "[redacted]");
}

// Field names' answers are remembered per thread by the name's text: a name written into the
// same buffer as a harmless one before is still recognized, and many names sharing the table
// each keep their own answer.
TEST(Log, RemembersEachFieldNameByItsTextNotItsAddress) {
  std::string name = "plan";
  EXPECT_FALSE(IsSensitiveKey(name));
  name = "pin";  // same buffer, other text
  EXPECT_TRUE(IsSensitiveKey(name));
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 200; ++i) {
      EXPECT_FALSE(IsSensitiveKey("field_" + std::to_string(i)));
      EXPECT_TRUE(IsSensitiveKey("field_" + std::to_string(i) + "_token"));
    }
  }
  EXPECT_TRUE(IsSensitiveKey(std::string(40, 'a') + "password"));  // past the remembered length
  EXPECT_FALSE(IsSensitiveKey(""));
}

RC_GTEST_PROP(LogProperty, ASensitiveFieldsValueNeverAppears, ()) {
  const auto secret =
      *rc::gen::nonEmpty(rc::gen::container<std::string>(rc::gen::inRange('!', '~')));
  RC_PRE(secret.size() >= 4u && secret != "[redacted]" &&
         secret.find("redacted") == std::string::npos);
  const auto key = *rc::gen::element<std::string>("password", "new_password", "access_token",
                                                  "Authorization", "api_key", "cvc");
  LogCapture capture;
  Info("m", {{key, secret}});
  RC_ASSERT(capture.text().find(secret) == std::string::npos);
}

}  // namespace
}  // namespace codezero::log
