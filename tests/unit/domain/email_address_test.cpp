#include "domain/email_address.h"

#include <gtest/gtest.h>

namespace codezero::domain {
namespace {

TEST(EmailAddress, NormalizingKeepsTheLocalPartsCase) {
  EXPECT_EQ(NormalizeEmail("  Kim.Berg@Example.COM\t"), "Kim.Berg@example.com");
}

TEST(EmailAddress, TheCanonicalFormFoldsTheWholeAddress) {
  EXPECT_EQ(CanonicalEmail("  Kim.Berg@Example.COM "), "kim.berg@example.com");
  EXPECT_EQ(CanonicalEmail("KIM@example.com"), CanonicalEmail("kim@EXAMPLE.com"));
  EXPECT_EQ(CanonicalEmail("ÖZTÜRK@example.de"), "öztürk@example.de");
}

}  // namespace
}  // namespace codezero::domain
