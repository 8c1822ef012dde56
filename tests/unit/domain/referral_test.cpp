#include "domain/referral.h"

#include <array>
#include <regex>

#include <gtest/gtest.h>

#include "domain/catalog.h"
#include "support/catalog_fixture.h"

namespace codezero::domain {
namespace {

TEST(ReferralCode, IsCzAndFourCharactersWithoutLookAlikes) {
  for (const unsigned char seed : {0, 7, 30, 31, 200, 255}) {
    const std::array<unsigned char, 4> bytes{seed, static_cast<unsigned char>(seed + 1),
                                             static_cast<unsigned char>(seed * 3), 255};
    const std::string code = ReferralCodeFrom(bytes);
    EXPECT_TRUE(std::regex_match(code, std::regex("CZ-[2-9A-HJKMNP-Z]{4}"))) << code;
  }
  const std::array<unsigned char, 4> zeros{0, 0, 0, 0};
  EXPECT_EQ(ReferralCodeFrom(zeros), "CZ-2222");
}

TEST(ReferralRefusal, NamesTheFirstReasonThatAppliesOrNoneForAFairReferral) {
  ReferralFacts fair;
  fair.referrer_is_customer = true;
  fair.credits_this_month = 9;
  fair.monthly_limit = 10;
  EXPECT_EQ(ReferralRefusal(fair), std::nullopt);

  const auto with = [&](auto change) {
    ReferralFacts facts = fair;
    change(facts);
    return ReferralRefusal(facts).value_or("none");
  };
  EXPECT_EQ(with([](ReferralFacts& f) { f.same_company = true; }), "same_company");
  EXPECT_EQ(with([](ReferralFacts& f) { f.referrer_closed = true; }), "referrer_closed");
  EXPECT_EQ(with([](ReferralFacts& f) { f.same_customer = true; }), "same_customer");
  EXPECT_EQ(with([](ReferralFacts& f) { f.same_vat_id = true; }), "same_vat_id");
  EXPECT_EQ(with([](ReferralFacts& f) { f.shared_email_domain = true; }), "same_email_domain");
  EXPECT_EQ(with([](ReferralFacts& f) { f.referrer_is_customer = false; }),
            "referrer_not_customer");
  EXPECT_EQ(with([](ReferralFacts& f) { f.credits_this_month = 10; }), "monthly_limit");
  EXPECT_EQ(with([](ReferralFacts& f) { f.monthly_limit = 0; }), "monthly_limit");
  // Self-referral outranks every other reason.
  EXPECT_EQ(with([](ReferralFacts& f) {
              f.same_company = true;
              f.referrer_closed = true;
              f.credits_this_month = 99;
            }),
            "same_company");
}

TEST(ReferralRefusal, PublicMailDomainsProveNothing) {
  EXPECT_TRUE(IsPublicMailDomain("gmail.com"));
  EXPECT_TRUE(IsPublicMailDomain("gmx.de"));
  EXPECT_TRUE(IsPublicMailDomain("t-online.de"));
  EXPECT_FALSE(IsPublicMailDomain("codezero.ai"));
  EXPECT_FALSE(IsPublicMailDomain("mail.gmail.com"));
}

TEST(ReferralTerms, ComeFromTheCatalogOrItsDefaults) {
  const Catalog& shipped = testing::CatalogV1();
  EXPECT_EQ(shipped.referral.reward_amount, 5000);
  EXPECT_EQ(shipped.referral.holding_days, 14);
  EXPECT_EQ(shipped.referral.monthly_limit, 10);

  std::string document = testing::RepositoryFile("catalog/catalog-v1.json");
  const std::size_t end = document.rfind('}');
  auto terms =
      ParseCatalog(document.substr(0, end) +
                       R"(,"referral":{"reward_amount":2500,"holding_days":30,"monthly_limit":3}})",
                   2);
  ASSERT_TRUE(terms) << terms.error().reason;
  EXPECT_EQ(terms->referral.reward_amount, 2500);
  EXPECT_EQ(terms->referral.holding_days, 30);
  EXPECT_EQ(terms->referral.monthly_limit, 3);
  // Never shorter than the withdrawal period, nothing unknown.
  EXPECT_FALSE(ParseCatalog(document.substr(0, end) + R"(,"referral":{"holding_days":7}})", 2));
  EXPECT_FALSE(ParseCatalog(document.substr(0, end) + R"(,"referral":{"bonus":1}})", 2));
}

}  // namespace
}  // namespace codezero::domain
