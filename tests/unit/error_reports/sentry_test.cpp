#include "error_reports/sentry.h"

#include <gtest/gtest.h>

namespace codezero::error_reports {
namespace {

TEST(SentryDsn, GivesTheEnvelopeEndpointAndKey) {
  const auto dsn = ParseDsn("https://abc123@o1.ingest.sentry.io/4505");
  ASSERT_TRUE(dsn);
  EXPECT_EQ(dsn->public_key, "abc123");
  EXPECT_EQ(dsn->envelope_url, "https://o1.ingest.sentry.io/api/4505/envelope/");
  const auto hosted = ParseDsn("http://key:secret@glitchtip.local:8000/sub/path/7");
  ASSERT_TRUE(hosted);
  EXPECT_EQ(hosted->public_key, "key");
  EXPECT_EQ(hosted->envelope_url, "http://glitchtip.local:8000/sub/path/api/7/envelope/");
  EXPECT_FALSE(ParseDsn("o1.ingest.sentry.io/4505"));
  EXPECT_FALSE(ParseDsn("https://o1.ingest.sentry.io/4505"));  // no key
  EXPECT_FALSE(ParseDsn("https://abc@o1.ingest.sentry.io/"));  // no project
  EXPECT_FALSE(ParseDsn("ftp://abc@host/1"));
}

TEST(SentryScrub, TakesOutWhatCouldNameAPerson) {
  EXPECT_EQ(Scrub("no user kim.beispiel@example.org here"), "no user [email] here");
  EXPECT_EQ(Scrub("Authorization: Bearer eyJhbGciOi.x.y"), "Authorization: Bearer [redacted]");
  EXPECT_EQ(Scrub("GET /reset?token=abcDEF123&x=1"), "GET /reset?token=[redacted]&x=1");
  EXPECT_EQ(Scrub("card 4242 4242 4242 4242 declined"), "card [number] declined");
  EXPECT_EQ(Scrub("from 203.0.113.7"), "from [ip]");
  EXPECT_EQ(Scrub("stripe answered 402 for job 17"), "stripe answered 402 for job 17");
}

TEST(SentryEnvelope, IsAHeaderAnItemHeaderWithTheLengthAndTheEvent) {
  SentrySettings settings;
  settings.process = "api";
  settings.release = "codezero@1.2.3+abc";
  settings.environment = "test";
  settings.server_name = "host-1";
  Report report;
  report.kind = "http.5xx";
  report.title = "500 on POST /v1/accounts";
  report.detail = "internal: failed for anna@example.org";
  report.route = "/v1/accounts";
  report.request_id = "req-1";
  report.trace_id = "0123456789abcdef0123456789abcdef";
  report.span_id = "0123456789abcdef";
  const std::string envelope =
      BuildEnvelope(settings, report, "00112233445566778899aabbccddeeff",
                    std::chrono::system_clock::time_point(std::chrono::seconds(1796036400)));
  const std::size_t first = envelope.find('\n');
  const std::size_t second = envelope.find('\n', first + 1);
  ASSERT_NE(second, std::string::npos);
  EXPECT_TRUE(envelope.substr(0, first).starts_with(
      R"({"event_id":"00112233445566778899aabbccddeeff","sent_at":"2026-11-30T11:00:00Z",)"
      R"("sdk":{"name":"codezero","version":")"));
  const std::string payload = envelope.substr(second + 1, envelope.size() - second - 2);
  EXPECT_EQ(envelope.substr(first + 1, second - first - 1),
            R"({"type":"event","length":)" + std::to_string(payload.size()) + "}");
  EXPECT_NE(payload.find(R"("release":"codezero@1.2.3+abc")"), std::string::npos);
  EXPECT_NE(payload.find(R"("tags":{"process":"api","route":"/v1/accounts","request_id":"req-1"})"),
            std::string::npos);
  EXPECT_NE(
      payload.find(R"("trace":{"type":"trace","trace_id":"0123456789abcdef0123456789abcdef")"),
      std::string::npos);
  EXPECT_NE(payload.find("internal: failed for [email]"), std::string::npos);
  EXPECT_EQ(payload.find("anna@"), std::string::npos);
  EXPECT_EQ(payload.find("\"user\""), std::string::npos);
}

}  // namespace
}  // namespace codezero::error_reports
