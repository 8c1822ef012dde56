#include "domain/quote_token.h"

#include <gtest/gtest.h>

#include <set>

#include "common/digest.h"

namespace codezero::domain {
namespace {

const std::string kKey = "0123456789abcdef0123456789abcdef";
const std::string kOtherKey = "fedcba9876543210fedcba9876543210";

QuoteToken Sample() {
  QuoteToken token;
  token.request.plan = "team";
  token.request.interval = Interval::kYear;
  token.request.addons = {{"extra_seats", 5}, {"sso", 1}};
  token.request.customer = {"AT", CustomerType::kBusiness, "ATU12345675"};
  token.request.coupon = "LAUNCH20";
  token.request.locale = Locale::kEn;
  token.catalog_version = 3;
  token.discount = Discount{DiscountKind::kCoupon, "LAUNCH20", 2000};
  token.tax = {TaxTreatment::kReverseCharge, "AT", 0, false};
  token.issued_at = 1'800'000'000;
  token.expires_at = token.issued_at + kQuoteLifetimeSeconds;
  return token;
}

TEST(QuoteToken, RoundTrips) {
  const std::string signed_token = SealQuoteToken(Sample(), kKey);
  const std::vector<std::string> keys{kKey};
  auto verified = OpenQuoteToken(signed_token, keys, Sample().issued_at + 60);
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(verified->request.plan, "team");
  EXPECT_EQ(verified->request.interval, Interval::kYear);
  EXPECT_EQ(verified->request.addons.size(), 2u);
  EXPECT_EQ(verified->request.addons[0].quantity, 5);
  EXPECT_EQ(verified->request.customer.vat_id, "ATU12345675");
  EXPECT_EQ(verified->request.locale, Locale::kEn);
  EXPECT_EQ(verified->catalog_version, 3);
  EXPECT_EQ(verified->discount->percent_off_bps, 2000);
  EXPECT_EQ(verified->tax.treatment, TaxTreatment::kReverseCharge);
  EXPECT_EQ(verified->expires_at, Sample().expires_at);
}

TEST(QuoteToken, IsUrlSafe) {
  const std::string token = SealQuoteToken(Sample(), kKey);
  for (char c : token) {
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')
        << c;
  }
}

// Nothing of the quote can be read from its token: not the customer's VAT ID, nor the coupon,
// the plan or the country (the first format carried them in readable base64).
TEST(QuoteToken, IsOpaque) {
  const std::string token = SealQuoteToken(Sample(), kKey);
  ASSERT_TRUE(token.starts_with("q2."));
  const auto bytes = Base64UrlDecode(std::string_view(token).substr(3));
  ASSERT_TRUE(bytes.has_value());
  for (const std::string_view secret : {"ATU12345675", "LAUNCH20", "team", "\"AT\""}) {
    EXPECT_EQ(token.find(secret), std::string::npos) << secret;
    EXPECT_EQ(bytes->find(secret), std::string::npos) << secret;
  }
  // A fresh nonce each time: two tokens of one quote share nothing readable either.
  EXPECT_NE(SealQuoteToken(Sample(), kKey), token);
}

// A token of the first format (readable JSON with an HMAC), issued before the sealed one, still
// opens during the seven days it lives.
TEST(QuoteToken, ATokenOfTheFirstFormatStillOpens) {
  const std::string payload =
      R"({"f":1,"cv":3,"p":"team","i":"year","a":[["sso",1]],"cur":"EUR",)"
      R"("c":["DE","business",null],"cp":null,"rc":null,"l":"de","d":null,)"
      R"("t":["standard","DE",1900,false],"iat":1800000000,"exp":1800604800})";
  const std::string encoded = Base64UrlEncode(payload);
  const Sha256Digest mac = HmacSha256(kKey, encoded);
  const std::string legacy =
      encoded + "." +
      Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
  const std::vector<std::string> keys{kOtherKey, kKey};
  auto opened = OpenQuoteToken(legacy, keys, 1'800'000'060);
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(opened->request.plan, "team");
  EXPECT_EQ(opened->tax.rate_bps, 1900);
  EXPECT_FALSE(OpenQuoteToken(legacy, std::vector<std::string>{kOtherKey}, 1'800'000'060));
}

TEST(QuoteToken, AnotherKeysSignatureIsNotFound) {
  const std::vector<std::string> keys{kOtherKey};
  auto verified = OpenQuoteToken(SealQuoteToken(Sample(), kKey), keys, Sample().issued_at);
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().code, ErrorCode::kNotFound);
}

TEST(QuoteToken, ARetiredKeyStillVerifiesDuringARotation) {
  const std::vector<std::string> keys{kOtherKey, kKey};
  EXPECT_TRUE(OpenQuoteToken(SealQuoteToken(Sample(), kKey), keys, Sample().issued_at));
}

TEST(QuoteToken, AnExpiredTokenIsGone) {
  const std::vector<std::string> keys{kKey};
  auto verified = OpenQuoteToken(SealQuoteToken(Sample(), kKey), keys, Sample().expires_at);
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().code, ErrorCode::kGone);
}

TEST(QuoteToken, EveryChangedCharacterIsRejected) {
  const std::string token = SealQuoteToken(Sample(), kKey);
  const std::vector<std::string> keys{kKey};
  for (std::size_t i = 0; i < token.size(); ++i) {
    std::string tampered = token;
    tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(OpenQuoteToken(tampered, keys, Sample().issued_at)) << "position " << i;
  }
  EXPECT_FALSE(OpenQuoteToken(token + "A", keys, Sample().issued_at));
  EXPECT_FALSE(OpenQuoteToken(token.substr(1), keys, Sample().issued_at));
  EXPECT_FALSE(OpenQuoteToken("", keys, Sample().issued_at));
  EXPECT_FALSE(OpenQuoteToken("abc", keys, Sample().issued_at));
}

TEST(QuoteToken, IdsAreStableAndShort) {
  const std::string token = SealQuoteToken(Sample(), kKey);
  EXPECT_EQ(QuoteIdOf(token), QuoteIdOf(token));
  EXPECT_EQ(QuoteIdOf(token).size(), 27u);
  QuoteToken other = Sample();
  other.request.addons[0].quantity = 6;
  EXPECT_NE(QuoteIdOf(token), QuoteIdOf(SealQuoteToken(other, kKey)));
}

// The id names the quote by its authentication tag, decoded from the token's end alone: the
// same bytes as decoding the whole token, whatever the token's length modulo 4.
TEST(QuoteToken, TheIdIsTheStartOfTheTagForEveryTokenLength) {
  std::set<std::size_t> remainders;
  QuoteToken token = Sample();
  for (int length = 0; length < 12; ++length) {
    token.request.coupon = std::string(static_cast<std::size_t>(length), 'X');
    const std::string sealed = SealQuoteToken(token, kKey);
    const std::string_view text = std::string_view(sealed).substr(3);  // after "q2."
    remainders.insert(text.size() % 4);
    const auto whole = Base64UrlDecode(text);
    ASSERT_TRUE(whole.has_value());
    const std::string tag = whole->substr(whole->size() - 16);
    EXPECT_EQ(QuoteIdOf(sealed),
              "qt_" + ToHex(reinterpret_cast<const std::uint8_t*>(tag.data()), 12));
  }
  EXPECT_EQ(remainders, (std::set<std::size_t>{0, 2, 3}));
}

// Sealing hands out the id with the token (the quote path does not decode what it just
// encoded): the same id QuoteIdOf reads from the token.
TEST(QuoteToken, SealingNamesTheQuoteAsQuoteIdOfDoes) {
  QuoteToken token = Sample();
  for (int length = 0; length < 6; ++length) {
    token.request.coupon = std::string(static_cast<std::size_t>(length), 'Y');
    const SealedQuote sealed = SealQuote(token, kKey);
    EXPECT_EQ(sealed.id, QuoteIdOf(sealed.token));
  }
}

}  // namespace
}  // namespace codezero::domain
