#include "web/request_forgery.h"

#include <gtest/gtest.h>

#include "web/consent_state.h"
#include "web/cookies.h"
#include "web/form_post.h"
#include "web/user_agent_class.h"

namespace codezero::web {
namespace {

using std::chrono::hours;
using std::chrono::system_clock;

constexpr std::string_view kSecret = "form-secret-form-secret-form-secret-0001";

TEST(FormToken, IsValidForItsBindingUntilItExpires) {
  const auto now = system_clock::now();
  const std::string token = SignFormToken(kSecret, "visitor-a", now);
  EXPECT_TRUE(VerifyFormToken(kSecret, "visitor-a", token, now));
  EXPECT_TRUE(VerifyFormToken(kSecret, "visitor-a", token, now + hours(11)));
  EXPECT_FALSE(VerifyFormToken(kSecret, "visitor-a", token, now + hours(13))) << "expired";
  EXPECT_FALSE(VerifyFormToken(kSecret, "visitor-b", token, now)) << "another visitor's";
  EXPECT_FALSE(VerifyFormToken(kSecret, "", token, now)) << "bound, so not valid unbound";
  EXPECT_FALSE(VerifyFormToken("another-secret-another-secret-another-1", "visitor-a", token, now));
  EXPECT_FALSE(VerifyFormToken(kSecret, "visitor-a", token, now - hours(1))) << "from the future";
}

TEST(FormToken, RefusesAlteredAndMalformedTokens) {
  const auto now = system_clock::now();
  std::string token = SignFormToken(kSecret, "", now);
  EXPECT_TRUE(VerifyFormToken(kSecret, "", token, now));
  token.back() = token.back() == 'A' ? 'B' : 'A';
  EXPECT_FALSE(VerifyFormToken(kSecret, "", token, now));
  for (const char* bad : {"", ".", "abc", "zz.", ".abc", "!!!.abcdef", "0.AAAA"}) {
    EXPECT_FALSE(VerifyFormToken(kSecret, "", bad, now)) << bad;
  }
}

TEST(SameOrigin, AcceptsOnlyTheSitesOwnOriginOrSameOriginFetchMetadata) {
  const std::string site = "https://codezero.ai";
  EXPECT_TRUE(IsSameOriginRequest("https://codezero.ai", "", site));
  EXPECT_TRUE(IsSameOriginRequest("", "same-origin", site));
  EXPECT_FALSE(IsSameOriginRequest("https://evil.example", "same-origin", site));
  EXPECT_FALSE(IsSameOriginRequest("https://codezero.ai.evil.example", "", site));
  EXPECT_FALSE(IsSameOriginRequest("null", "", site));
  EXPECT_FALSE(IsSameOriginRequest("", "cross-site", site));
  EXPECT_FALSE(IsSameOriginRequest("", "same-site", site));
  EXPECT_FALSE(IsSameOriginRequest("", "", site)) << "neither header: refused";
}

TEST(SafeReturnPath, GoesBackOnlyToAPathOfThisSite) {
  EXPECT_EQ(SafeReturnPath("/de/konfigurator?plan=team", "/de/"), "/de/konfigurator?plan=team");
  for (const char* unsafe : {"https://evil.example/", "//evil.example/", "/\\evil.example",
                             "javascript:alert(1)", "", "de/", "/de/\r\nSet-Cookie:x=1"}) {
    EXPECT_EQ(SafeReturnPath(unsafe, "/de/"), "/de/") << unsafe;
  }
}

TEST(Cookies, ReadsOneCookieAmongOthers) {
  EXPECT_EQ(CookieValue("a=1; __Host-consent=x.y.10; b=2", "__Host-consent"), "x.y.10");
  EXPECT_EQ(CookieValue("__Host-consent=\"q\"", "__Host-consent"), "q");
  EXPECT_EQ(CookieValue("x__Host-consent=1", "__Host-consent"), std::nullopt);
  EXPECT_EQ(CookieValue("", "a"), std::nullopt);
}

TEST(Cookies, AreHostOnlySecureHttpOnlyAndLax) {
  EXPECT_EQ(SetCookieHeader("__Host-consent", "v", std::chrono::seconds(60)),
            "__Host-consent=v; Path=/; Max-Age=60; Secure; HttpOnly; SameSite=Lax");
  EXPECT_NE(DeleteCookieHeader("__Host-consent").find("Max-Age=0"), std::string::npos);
}

TEST(ConsentState, ReadsTheChoiceOfTheCurrentPolicyOnly) {
  const std::string id = "0f8fad5b-d9cb-469f-a165-70867728950e";
  const std::string value = ConsentCookieValue(id, "2026-11-29", true, false);
  const ConsentState state = ReadConsentState(value, "2026-11-29");
  EXPECT_TRUE(state.decided());
  EXPECT_TRUE(state.statistics);
  EXPECT_FALSE(state.marketing);
  EXPECT_EQ(state.Variant(), "d10");

  const ConsentState old = ReadConsentState(value, "2027-01-01");
  EXPECT_FALSE(old.decided()) << "a new policy version asks again";
  EXPECT_EQ(old.Variant(), "n");
  EXPECT_EQ(ConsentIdOf(value), id) << "but the history continues under the same id";
}

TEST(ConsentState, IgnoresMalformedCookies) {
  for (const char* bad :
       {"", "x", "not-a-uuid.2026-11-29.11", "0f8fad5b-d9cb-469f-a165-70867728950e.2026-11-29.12",
        "0f8fad5b-d9cb-469f-a165-70867728950e.v 1.11",
        "0f8fad5b-d9cb-469f-a165-70867728950e.2026-11-29.111"}) {
    EXPECT_FALSE(ReadConsentState(bad, "2026-11-29").decided()) << bad;
  }
  EXPECT_FALSE(ReadConsentState(std::nullopt, "2026-11-29").decided());
}

TEST(UserAgentClass, NamesDeviceAndBrowserOnly) {
  EXPECT_EQ(UserAgentClass("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like "
                           "Gecko) Chrome/156.0.0.0 Safari/537.36"),
            "desktop, Chrome");
  EXPECT_EQ(UserAgentClass("Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) "
                           "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 "
                           "Safari/604.1"),
            "mobile, Safari");
  EXPECT_EQ(UserAgentClass("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, "
                           "like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0"),
            "desktop, Edge");
  EXPECT_EQ(UserAgentClass("Mozilla/5.0 (Android 14; Mobile; rv:131.0) Gecko/131.0 Firefox/131.0"),
            "mobile, Firefox");
  EXPECT_EQ(UserAgentClass("Googlebot/2.1 (+http://www.google.com/bot.html)"), "bot, other");
  EXPECT_EQ(UserAgentClass(""), "unknown, other");
}

}  // namespace
}  // namespace codezero::web
