#include "domain/quote_token.h"

#include <gtest/gtest.h>

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
  const std::string signed_token = SignQuoteToken(Sample(), kKey);
  const std::vector<std::string> keys{kKey};
  auto verified = VerifyQuoteToken(signed_token, keys, Sample().issued_at + 60);
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
  const std::string token = SignQuoteToken(Sample(), kKey);
  for (char c : token) {
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')
        << c;
  }
}

TEST(QuoteToken, AnotherKeysSignatureIsNotFound) {
  const std::vector<std::string> keys{kOtherKey};
  auto verified = VerifyQuoteToken(SignQuoteToken(Sample(), kKey), keys, Sample().issued_at);
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().code, ErrorCode::kNotFound);
}

TEST(QuoteToken, ARetiredKeyStillVerifiesDuringARotation) {
  const std::vector<std::string> keys{kOtherKey, kKey};
  EXPECT_TRUE(VerifyQuoteToken(SignQuoteToken(Sample(), kKey), keys, Sample().issued_at));
}

TEST(QuoteToken, AnExpiredTokenIsGone) {
  const std::vector<std::string> keys{kKey};
  auto verified = VerifyQuoteToken(SignQuoteToken(Sample(), kKey), keys, Sample().expires_at);
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().code, ErrorCode::kGone);
}

TEST(QuoteToken, EveryChangedCharacterIsRejected) {
  const std::string token = SignQuoteToken(Sample(), kKey);
  const std::vector<std::string> keys{kKey};
  for (std::size_t i = 0; i < token.size(); ++i) {
    std::string tampered = token;
    tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(VerifyQuoteToken(tampered, keys, Sample().issued_at)) << "position " << i;
  }
  EXPECT_FALSE(VerifyQuoteToken(token + "A", keys, Sample().issued_at));
  EXPECT_FALSE(VerifyQuoteToken(token.substr(1), keys, Sample().issued_at));
  EXPECT_FALSE(VerifyQuoteToken("", keys, Sample().issued_at));
  EXPECT_FALSE(VerifyQuoteToken("abc", keys, Sample().issued_at));
}

TEST(QuoteToken, IdsAreStableAndShort) {
  const std::string token = SignQuoteToken(Sample(), kKey);
  EXPECT_EQ(QuoteIdOf(token), QuoteIdOf(token));
  EXPECT_EQ(QuoteIdOf(token).size(), 27u);
  QuoteToken other = Sample();
  other.request.addons[0].quantity = 6;
  EXPECT_NE(QuoteIdOf(token), QuoteIdOf(SignQuoteToken(other, kKey)));
}

}  // namespace
}  // namespace codezero::domain
