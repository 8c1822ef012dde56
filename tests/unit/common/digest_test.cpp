#include "common/digest.h"

#include <gtest/gtest.h>

namespace codezero {
namespace {

std::string Hex(const Sha256Digest& digest) { return ToHex(digest.data(), digest.size()); }

TEST(Digest, Sha256OfKnownInputs) {
  EXPECT_EQ(Hex(Sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Hex(Sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// RFC 4231 test cases 1, 2 and 6.
TEST(Digest, HmacSha256MatchesRfc4231) {
  EXPECT_EQ(Hex(HmacSha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(Hex(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(Hex(HmacSha256(std::string(131, '\xaa'),
                           "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(Digest, Base64UrlRoundTripsWithoutPadding) {
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  for (std::string text : {"", "a", "ab", "abc", "abcd", "\x00\xff\x10"}) {
    EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(text)), text);
  }
}

TEST(Digest, Base64UrlDecodingIsStrict) {
  EXPECT_FALSE(Base64UrlDecode("Zh"));     // leftover bits not zero: not canonical
  EXPECT_FALSE(Base64UrlDecode("Zm9v="));  // padding
  EXPECT_FALSE(Base64UrlDecode("Zm+v"));   // the other alphabet
  EXPECT_FALSE(Base64UrlDecode("Z"));      // impossible length
  EXPECT_TRUE(Base64UrlDecode("Zg"));
}

TEST(Digest, ConstantTimeEqualsComparesWholeValues) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

}  // namespace
}  // namespace codezero
