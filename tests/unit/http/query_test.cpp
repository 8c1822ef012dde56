#include "http/query.h"

#include <gtest/gtest.h>

namespace codezero::http {
namespace {

TEST(QueryParameter, FindsAndDecodesAValue) {
  EXPECT_EQ(QueryParameter("locale=en", "locale"), "en");
  EXPECT_EQ(QueryParameter("a=1&locale=de&b=2", "locale"), "de");
  EXPECT_EQ(QueryParameter("q=K%C3%B6ln+Mitte", "q"), "Köln Mitte");
  EXPECT_EQ(QueryParameter("flag&x=1", "flag"), "");
}

TEST(QueryParameter, TheFirstOccurrenceWins) { EXPECT_EQ(QueryParameter("a=1&a=2", "a"), "1"); }

TEST(QueryParameter, AbsentOrMalformedIsNothing) {
  EXPECT_EQ(QueryParameter("", "a"), std::nullopt);
  EXPECT_EQ(QueryParameter("ab=1", "a"), std::nullopt);
  EXPECT_EQ(QueryParameter("a=%zz", "a"), std::nullopt);
}

TEST(QueryParameter, ReadsOnlyWithinTheView) {
  const std::string target = "locale=en&rest";
  EXPECT_EQ(QueryParameter(std::string_view(target).substr(0, 9), "locale"), "en");
}

TEST(EncodeQueryValue, EncodesAllButUnreservedCharactersAndRoundTrips) {
  EXPECT_EQ(EncodeQueryValue("/en/checkout?quote=a.b&x=1 2"),
            "%2Fen%2Fcheckout%3Fquote%3Da.b%26x%3D1%202");
  EXPECT_EQ(EncodeQueryValue("Köln-~_."), "K%C3%B6ln-~_.");
  EXPECT_EQ(QueryParameter("next=" + EncodeQueryValue("/de/a?b=c&d=e+f"), "next"),
            "/de/a?b=c&d=e+f");
}

TEST(IsSitePath, AcceptsOnlyAPathOfThisSite) {
  EXPECT_TRUE(IsSitePath("/de/konfigurator?plan=team"));
  EXPECT_TRUE(IsSitePath("/" + std::string(2047, 'a')));
  EXPECT_FALSE(IsSitePath("/" + std::string(2048, 'a'))) << "longer than 2048";
  for (const char* elsewhere :
       {"https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "",
        "de/", "/de/\r\nSet-Cookie:x=1", "/de/a b"}) {
    EXPECT_FALSE(IsSitePath(elsewhere)) << elsewhere;
  }
}

TEST(HasRepeatedParameter, FindsANameSentTwiceEvenWhenEncodedDifferently) {
  EXPECT_FALSE(HasRepeatedParameter(""));
  EXPECT_FALSE(HasRepeatedParameter("grant_type=password&username=a&password=b"));
  EXPECT_TRUE(HasRepeatedParameter("password=a&username=b&password=c"));
  EXPECT_TRUE(HasRepeatedParameter("token=a&%74oken=b"));
  EXPECT_TRUE(HasRepeatedParameter("token&token=b"));
  EXPECT_FALSE(HasRepeatedParameter("a=1&&b=2"));
}

}  // namespace
}  // namespace codezero::http
