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

}  // namespace
}  // namespace codezero::http
