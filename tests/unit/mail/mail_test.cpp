#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "mail/message.h"
#include "mail/templates.h"
#include "mail/transport.h"

namespace codezero::mail {
namespace {

TEST(QuotedPrintable, EncodesUtf8EqualsSignsAndLongLines) {
  EXPECT_EQ(QuotedPrintable("Grüße = 100 %"), "Gr=C3=BC=C3=9Fe =3D 100 %");
  EXPECT_EQ(QuotedPrintable("a \nb"), "a=20\r\nb");  // trailing space before a break
  const std::string encoded = QuotedPrintable(std::string(200, 'x'));
  std::size_t start = 0;
  while (start < encoded.size()) {
    const std::size_t end = encoded.find("\r\n", start);
    const std::size_t line = (end == std::string::npos ? encoded.size() : end) - start;
    EXPECT_LE(line, 76u);
    if (end == std::string::npos) break;
    start = end + 2;
  }
}

TEST(EncodedWords, LeavePlainAsciiAloneAndEncodeTheRest) {
  EXPECT_EQ(EncodeHeaderText("Your order is paid"), "Your order is paid");
  EXPECT_EQ(EncodeHeaderText("Bestätigung"), "=?UTF-8?B?QmVzdMOkdGlndW5n?=");
  // Long text is split into words on character boundaries, one per folded line.
  const std::string long_text = std::string(50, 'a') + "ä" + std::string(50, 'b');
  const std::string encoded = EncodeHeaderText(long_text);
  EXPECT_NE(encoded.find("\r\n =?UTF-8?B?"), std::string::npos);
  for (std::size_t at = 0; (at = encoded.find("=?UTF-8?B?", at)) != std::string::npos; ++at) {
    const std::size_t end = encoded.find("?=", at + 10);
    EXPECT_LE(end + 2 - at, 75u);
  }
}

TEST(MailMessage, IsMultipartAlternativeWithTheHeadersMailersNeed) {
  MailMessage message;
  message.from_name = "Code Zero AI";
  message.from_address = "noreply@codezero.ai";
  message.to = "kim@example.com";
  message.subject = "Ihr Arbeitsbereich ist bereit";
  message.text = "Hallo\nWelt";
  message.html = "<p>Hallo</p>";
  message.message_id = "<abc@codezero.ai>";
  message.date = std::chrono::sys_days(std::chrono::year(2026) / 11 / 26) + std::chrono::hours(6);
  const std::string raw = FormatMessage(message, "b1");
  EXPECT_NE(raw.find("From: Code Zero AI <noreply@codezero.ai>\r\n"), std::string::npos);
  EXPECT_NE(raw.find("To: kim@example.com\r\n"), std::string::npos);
  EXPECT_NE(raw.find("Date: Thu, 26 Nov 2026 06:00:00 +0000\r\n"), std::string::npos);
  EXPECT_NE(raw.find("Message-ID: <abc@codezero.ai>\r\n"), std::string::npos);
  EXPECT_NE(raw.find("MIME-Version: 1.0\r\n"), std::string::npos);
  EXPECT_NE(raw.find("Content-Type: multipart/alternative; boundary=\"b1\"\r\n"),
            std::string::npos);
  EXPECT_LT(raw.find("Content-Type: text/plain; charset=utf-8"),
            raw.find("Content-Type: text/html; charset=utf-8"));
  EXPECT_NE(raw.find("Hallo\r\nWelt"), std::string::npos);
  EXPECT_TRUE(raw.ends_with("--b1--\r\n"));
  EXPECT_EQ(raw.find('\n'), raw.find("\r\n") + 1);  // CRLF only
}

TEST(Templates, RenderEveryEmailInBothLanguagesAsTextAndHtml) {
  const std::vector<std::string> names = TemplateNames();
  EXPECT_EQ(names, (std::vector<std::string>{
                       "access_details", "account_exists", "cancellation_declared",
                       "cancellation_link", "cancellation_received", "invitation",
                       "order_confirmation", "password_reset", "payment_failed",
                       "subscription_canceled", "subscription_resumed", "verify_email"}));
  boost::json::object payload{{"name", "Kim <Admin>"},   {"link", "https://x.test/?a=1&b=2"},
                              {"company", "Acme"},       {"inviter", "Pat"},
                              {"invoice_number", "A-1"}, {"amount", "1,00 €"}};
  for (const std::string& name : names) {
    for (const std::string locale : {"de", "en"}) {
      auto email = Render(name, locale, payload, "Code Zero AI GmbH");
      ASSERT_TRUE(email.has_value()) << name << "." << locale << ": " << email.error().reason;
      EXPECT_FALSE(email->subject.empty()) << name;
      EXPECT_EQ(email->subject.find('\n'), std::string::npos) << name;
      EXPECT_NE(email->html.find("<html lang=\"" + locale + "\">"), std::string::npos);
      EXPECT_NE(email->html.find("Code Zero AI GmbH"), std::string::npos);
      EXPECT_EQ(email->html.find("Kim <Admin>"), std::string::npos) << "HTML must escape";
      EXPECT_TRUE(email->text.ends_with("-- \nCode Zero AI GmbH\n")) << name;
      // Nothing a user typed (a name, a company) in a subject: an invitation must not let
      // anyone mail a stranger a subject line of their choosing.
      for (const std::string_view typed : {"Kim", "Acme", "Pat"})
        EXPECT_EQ(email->subject.find(typed), std::string::npos) << name << "." << locale;
    }
  }
  auto verify = Render("verify_email", "de", payload, "");
  EXPECT_NE(verify->text.find("Hallo Kim <Admin>,"), std::string::npos);  // text: verbatim
  EXPECT_NE(verify->html.find("Kim &lt;Admin&gt;"), std::string::npos);
  EXPECT_NE(verify->text.find("https://x.test/?a=1&b=2"), std::string::npos);
  EXPECT_FALSE(Render("no_such_email", "de", payload, "").has_value());
  EXPECT_FALSE(Render("verify_email", "fr", payload, "").has_value());
}

TEST(SmtpFailures, AreTemporaryUnlessTheServerSaidNoForGood) {
  EXPECT_EQ(ClassifySmtpFailure(550), Delivery::kPermanentFailure);
  EXPECT_EQ(ClassifySmtpFailure(553), Delivery::kPermanentFailure);
  EXPECT_EQ(ClassifySmtpFailure(451), Delivery::kTemporaryFailure);
  EXPECT_EQ(ClassifySmtpFailure(421), Delivery::kTemporaryFailure);
  EXPECT_EQ(ClassifySmtpFailure(0), Delivery::kTemporaryFailure);
}

TEST(SmtpUrls, KnowWhichRelaysAreOnThisHost) {
  EXPECT_TRUE(IsLoopbackSmtpUrl("smtp://127.0.0.1:25"));
  EXPECT_TRUE(IsLoopbackSmtpUrl("smtp://user:p%40ss@localhost:587/"));
  EXPECT_TRUE(IsLoopbackSmtpUrl("smtp://[::1]:25"));
  EXPECT_FALSE(IsLoopbackSmtpUrl("smtp://mail.example.com:587"));
  EXPECT_FALSE(IsLoopbackSmtpUrl("smtp://127.0.0.1@mail.example.com:587"));
  EXPECT_FALSE(IsLoopbackSmtpUrl("smtp://127.0.0.1.example.com"));
  EXPECT_FALSE(IsLoopbackSmtpUrl("localhost"));
}

TEST(SmtpSettings, SendInClearOnlyToARelayOnThisHost) {
  const auto read = [](std::map<std::string, std::string> values) {
    SettingsReader reader([values](std::string_view name) -> std::optional<std::string> {
      const auto it = values.find(std::string(name));
      if (it == values.end()) return std::nullopt;
      return it->second;
    });
    (void)ReadMailSettings(reader);
    return reader.problems().size();
  };
  EXPECT_EQ(read({{"SMTP_URL", "smtp://mail.example.com:587"}}), 0u);
  EXPECT_EQ(read({{"SMTP_URL", "smtp://127.0.0.1:25"}, {"SMTP_REQUIRE_TLS", "false"}}), 0u);
  EXPECT_EQ(read({{"SMTP_URL", "smtp://mail.example.com:587"}, {"SMTP_REQUIRE_TLS", "false"}}), 1u);
  // An attempt must end before its job's 120 s timeout.
  EXPECT_EQ(read({{"SMTP_TIMEOUT_MS", "100000"}}), 0u);
  EXPECT_EQ(read({{"SMTP_TIMEOUT_MS", "300000"}}), 1u);
}

}  // namespace
}  // namespace codezero::mail
