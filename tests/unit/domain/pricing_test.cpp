// Every configurator rule and the arithmetic, on the shipped catalog.
#include "domain/pricing.h"

#include <gtest/gtest.h>

#include "support/catalog_fixture.h"

namespace codezero::domain {
namespace {

using testing::CatalogV1;

QuoteRequest Request(std::string plan, Interval interval, std::vector<AddonSelection> addons = {}) {
  QuoteRequest request;
  request.plan = std::move(plan);
  request.interval = interval;
  request.addons = std::move(addons);
  request.customer = {"DE", CustomerType::kBusiness, std::nullopt};
  return request;
}

TaxDecision German() { return {TaxTreatment::kStandard, "DE", 1900, false}; }

std::vector<std::string> Codes(const std::vector<Violation>& violations) {
  std::vector<std::string> codes;
  for (const Violation& v : violations) codes.push_back(v.code + "@" + v.field);
  return codes;
}

TEST(Pricing, TheIssueExampleTeamYearlyWithSeatsAndSsoForAGermanBusiness) {
  const auto request = Request("team", Interval::kYear, {{"extra_seats", 5}, {"sso", 1}});
  ASSERT_TRUE(ValidateConfiguration(CatalogV1(), request).empty());
  const PricedQuote quote = Price(CatalogV1(), request, std::nullopt, German());
  ASSERT_EQ(quote.lines.size(), 3u);
  EXPECT_EQ(quote.lines[0].code, "team");
  EXPECT_EQ(quote.lines[0].amount, 199000);
  EXPECT_EQ(quote.lines[1].code, "extra_seats");
  EXPECT_EQ(quote.lines[1].unit_amount, 15000);
  EXPECT_EQ(quote.lines[1].amount, 75000);
  EXPECT_EQ(quote.lines[2].amount, 99000);
  EXPECT_EQ(quote.lines[0].amount_tax, 37810);
  EXPECT_EQ(quote.lines[1].amount_tax, 14250);
  EXPECT_EQ(quote.lines[2].amount_tax, 18810);
  EXPECT_EQ(quote.first_invoice.subtotal, 373000);
  EXPECT_EQ(quote.first_invoice.discount, 0);
  EXPECT_EQ(quote.first_invoice.tax, 70870);
  EXPECT_EQ(quote.first_invoice.total, 443870);
  EXPECT_EQ(quote.recurring.total, 443870);  // no one-time lines, no discount
}

TEST(Pricing, MonthlyPricesAreTheCatalogsAndYearlyAreTenMonths) {
  const PricedQuote monthly =
      Price(CatalogV1(), Request("starter", Interval::kMonth), std::nullopt, German());
  const PricedQuote yearly =
      Price(CatalogV1(), Request("starter", Interval::kYear), std::nullopt, German());
  EXPECT_EQ(monthly.lines[0].unit_amount, 4900);
  EXPECT_EQ(yearly.lines[0].unit_amount, 49000);
  const PricedQuote business =
      Price(CatalogV1(), Request("business", Interval::kMonth), std::nullopt, German());
  EXPECT_EQ(business.lines[0].unit_amount, 69900);
}

TEST(Pricing, TheCouponTakesTwentyPercentOffRecurringLinesOfTheFirstInvoiceOnly) {
  const auto request = Request("team", Interval::kMonth, {{"credits_5m", 2}, {"onboarding", 1}});
  const Discount launch{DiscountKind::kCoupon, "LAUNCH20", 2000};
  const PricedQuote quote = Price(CatalogV1(), request, launch, German());
  // team 19900, credits 2 x 3900 = 7800, onboarding 99000 once (not discounted).
  ASSERT_EQ(quote.lines.size(), 3u);
  EXPECT_EQ(quote.lines[0].amount_discount, 3980);
  EXPECT_EQ(quote.lines[1].amount_discount, 1560);
  EXPECT_EQ(quote.lines[2].code, "onboarding");
  EXPECT_FALSE(quote.lines[2].recurring);
  EXPECT_EQ(quote.lines[2].amount_discount, 0);
  // VAT on the discounted amounts: 15920 -> 3025 (3024.8), 6240 -> 1186 (1185.6), 99000 -> 18810.
  EXPECT_EQ(quote.lines[0].amount_tax, 3025);
  EXPECT_EQ(quote.lines[1].amount_tax, 1186);
  EXPECT_EQ(quote.lines[2].amount_tax, 18810);
  EXPECT_EQ(quote.first_invoice.subtotal, 126700);
  EXPECT_EQ(quote.first_invoice.discount, 5540);
  EXPECT_EQ(quote.first_invoice.tax, 23021);
  EXPECT_EQ(quote.first_invoice.total, 126700 - 5540 + 23021);
  // Later invoices: the recurring lines, full price.
  EXPECT_EQ(quote.recurring.subtotal, 27700);
  EXPECT_EQ(quote.recurring.discount, 0);
  EXPECT_EQ(quote.recurring.tax, 3781 + 1482);
  EXPECT_EQ(quote.recurring.total, 27700 + 5263);
}

TEST(Pricing, AReferralCodeTakesTenPercent) {
  const PricedQuote quote = Price(CatalogV1(), Request("starter", Interval::kMonth),
                                  Discount{DiscountKind::kReferral, "FRIEND", 1000}, German());
  EXPECT_EQ(quote.first_invoice.discount, 490);
  EXPECT_EQ(quote.first_invoice.tax, 838);  // 4410 x 19 % = 837.9
}

TEST(Pricing, DiscountAndVatRoundHalfUpPerLine) {
  // 3 extra seats monthly at 1500 = 4500; 15 % off = 675; 3825 x 19 % = 726.75 -> 727.
  const auto request = Request("starter", Interval::kMonth, {{"extra_seats", 3}});
  const PricedQuote quote =
      Price(CatalogV1(), request, Discount{DiscountKind::kCoupon, "X", 1500}, German());
  EXPECT_EQ(quote.lines[1].amount_discount, 675);
  EXPECT_EQ(quote.lines[1].amount_tax, 727);
  // 4900 x 15 % = 735; 4165 x 19 % = 791.35 -> 791.
  EXPECT_EQ(quote.lines[0].amount_tax, 791);
  EXPECT_EQ(PercentOf(5, 5000), 3);  // 2.5 -> 3: half up
  EXPECT_EQ(PercentOf(4, 3750), 2);  // 1.5 -> 2
  EXPECT_EQ(PercentOf(1, 4999), 0);
}

TEST(Pricing, ReverseChargeAndNotTaxableChargeNoVat) {
  const auto request = Request("team", Interval::kMonth, {{"sso", 1}});
  for (TaxTreatment treatment : {TaxTreatment::kReverseCharge, TaxTreatment::kNotTaxable}) {
    const PricedQuote quote =
        Price(CatalogV1(), request, std::nullopt, {treatment, "AT", 0, false});
    EXPECT_EQ(quote.first_invoice.tax, 0);
    EXPECT_EQ(quote.first_invoice.total, 19900 + 9900);
  }
}

TEST(Pricing, OssChargesTheCustomersCountryRate) {
  const PricedQuote quote = Price(CatalogV1(), Request("team", Interval::kMonth), std::nullopt,
                                  {TaxTreatment::kOss, "FR", 2000, false});
  EXPECT_EQ(quote.lines[0].tax_rate_bps, 2000);
  EXPECT_EQ(quote.first_invoice.tax, 3980);
}

TEST(Pricing, AddOnsComeInCatalogOrderWhateverTheRequestOrder) {
  const PricedQuote quote =
      Price(CatalogV1(),
            Request("team", Interval::kMonth, {{"onboarding", 1}, {"sso", 1}, {"extra_seats", 2}}),
            std::nullopt, German());
  std::vector<std::string> order;
  for (const PricedLine& line : quote.lines) order.push_back(line.code);
  EXPECT_EQ(order, (std::vector<std::string>{"team", "extra_seats", "sso", "onboarding"}));
}

TEST(PricingRules, AnUnknownPlanAndAddOnAreReported) {
  const auto violations =
      ValidateConfiguration(CatalogV1(), Request("enterprise", Interval::kMonth, {{"quantum", 1}}));
  EXPECT_EQ(Codes(violations),
            (std::vector<std::string>{"unknown_plan@plan", "unknown_addon@addons[0].code"}));
  EXPECT_EQ(violations[0].args[1], "starter, team, business");
}

TEST(PricingRules, SsoNeedsTeamAndIsIncludedInBusiness) {
  EXPECT_EQ(
      Codes(ValidateConfiguration(CatalogV1(), Request("starter", Interval::kMonth, {{"sso", 1}}))),
      (std::vector<std::string>{"addon_requires_plan@addons[0].code"}));
  EXPECT_TRUE(
      ValidateConfiguration(CatalogV1(), Request("team", Interval::kMonth, {{"sso", 1}})).empty());
  EXPECT_EQ(Codes(ValidateConfiguration(CatalogV1(),
                                        Request("business", Interval::kMonth, {{"sso", 1}}))),
            (std::vector<std::string>{"addon_included_in_plan@addons[0].code"}));
}

TEST(PricingRules, AuditLogOnAnyPlanButIncludedInBusiness) {
  EXPECT_TRUE(
      ValidateConfiguration(CatalogV1(), Request("starter", Interval::kMonth, {{"audit_log", 1}}))
          .empty());
  EXPECT_TRUE(
      ValidateConfiguration(CatalogV1(), Request("team", Interval::kMonth, {{"audit_log", 1}}))
          .empty());
  EXPECT_EQ(Codes(ValidateConfiguration(CatalogV1(),
                                        Request("business", Interval::kMonth, {{"audit_log", 1}}))),
            (std::vector<std::string>{"addon_included_in_plan@addons[0].code"}));
}

TEST(PricingRules, PrioritySupportNeedsTeamOrBusinessAndResidencyNeedsBusiness) {
  EXPECT_FALSE(ValidateConfiguration(
                   CatalogV1(), Request("starter", Interval::kMonth, {{"priority_support", 1}}))
                   .empty());
  EXPECT_TRUE(ValidateConfiguration(CatalogV1(),
                                    Request("team", Interval::kMonth, {{"priority_support", 1}}))
                  .empty());
  EXPECT_TRUE(ValidateConfiguration(
                  CatalogV1(), Request("business", Interval::kMonth, {{"priority_support", 1}}))
                  .empty());
  EXPECT_FALSE(
      ValidateConfiguration(CatalogV1(), Request("team", Interval::kMonth, {{"eu_residency", 1}}))
          .empty());
  const auto violations = ValidateConfiguration(
      CatalogV1(), Request("starter", Interval::kMonth, {{"eu_residency", 1}}));
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].args[1], "Business");
  EXPECT_TRUE(ValidateConfiguration(CatalogV1(),
                                    Request("business", Interval::kMonth, {{"eu_residency", 1}}))
                  .empty());
}

TEST(PricingRules, ExtraSeatsAreLimitedByThePlansHeadroom) {
  EXPECT_TRUE(
      ValidateConfiguration(CatalogV1(), Request("starter", Interval::kMonth, {{"extra_seats", 7}}))
          .empty());
  const auto too_many = ValidateConfiguration(
      CatalogV1(), Request("starter", Interval::kMonth, {{"extra_seats", 8}}));
  EXPECT_EQ(Codes(too_many),
            (std::vector<std::string>{"quantity_out_of_range@addons[0].quantity"}));
  EXPECT_EQ(too_many[0].args, (std::vector<std::string>{"1", "7"}));
  EXPECT_TRUE(
      ValidateConfiguration(CatalogV1(), Request("team", Interval::kMonth, {{"extra_seats", 40}}))
          .empty());
  EXPECT_FALSE(
      ValidateConfiguration(CatalogV1(), Request("team", Interval::kMonth, {{"extra_seats", 41}}))
          .empty());
  EXPECT_TRUE(ValidateConfiguration(CatalogV1(),
                                    Request("business", Interval::kMonth, {{"extra_seats", 475}}))
                  .empty());
  EXPECT_FALSE(ValidateConfiguration(CatalogV1(),
                                     Request("business", Interval::kMonth, {{"extra_seats", 0}}))
                   .empty());
}

TEST(PricingRules, CreditPacksAreOneToTwentyAndSingleAddOnsExactlyOne) {
  EXPECT_TRUE(
      ValidateConfiguration(CatalogV1(), Request("team", Interval::kMonth, {{"credits_5m", 20}}))
          .empty());
  EXPECT_FALSE(
      ValidateConfiguration(CatalogV1(), Request("team", Interval::kMonth, {{"credits_5m", 21}}))
          .empty());
  EXPECT_FALSE(
      ValidateConfiguration(CatalogV1(), Request("team", Interval::kMonth, {{"onboarding", 2}}))
          .empty());
  EXPECT_FALSE(
      ValidateConfiguration(CatalogV1(), Request("team", Interval::kMonth, {{"sso", -1}})).empty());
}

TEST(PricingRules, AnAddOnListedTwiceIsAnError) {
  EXPECT_EQ(Codes(ValidateConfiguration(
                CatalogV1(), Request("team", Interval::kMonth, {{"sso", 1}, {"sso", 1}}))),
            (std::vector<std::string>{"duplicate_addon@addons[1].code"}));
}

TEST(PricingRules, OnlyTheCatalogsCurrency) {
  auto request = Request("team", Interval::kMonth);
  request.currency = "usd";
  EXPECT_EQ(Codes(ValidateConfiguration(CatalogV1(), request)),
            (std::vector<std::string>{"unsupported_currency@currency"}));
}

TEST(PricingRules, EveryViolationIsReportedAtOnce) {
  auto request = Request("starter", Interval::kMonth,
                         {{"sso", 1}, {"extra_seats", 99}, {"nope", 1}, {"eu_residency", 1}});
  request.currency = "chf";
  EXPECT_EQ(ValidateConfiguration(CatalogV1(), request).size(), 5u);
}

TEST(Violations, HaveMessagesInGermanAndEnglish) {
  const Violation violation{"quantity_out_of_range", "addons[0].quantity", {"1", "7"}};
  EXPECT_EQ(LocalizedFieldError(violation, Locale::kDe).message,
            "Die Menge muss zwischen 1 und 7 liegen.");
  EXPECT_EQ(LocalizedFieldError(violation, Locale::kEn).message,
            "The quantity must be between 1 and 7.");
  for (const char* code :
       {"unknown_plan", "unknown_addon", "addon_requires_plan", "addon_included_in_plan",
        "quantity_out_of_range", "invalid_vat_id", "unknown_coupon", "coupon_expired",
        "unknown_referral_code", "discounts_not_combinable", "unsupported_currency",
        "unsupported_country", "unsupported_interval"}) {
    const FieldError de = LocalizedFieldError({code, "f", {"a", "b"}}, Locale::kDe);
    const FieldError en = LocalizedFieldError({code, "f", {"a", "b"}}, Locale::kEn);
    EXPECT_NE(de.message, "Ungültiger Wert.") << code;
    EXPECT_NE(en.message, "Invalid value.") << code;
    EXPECT_NE(de.message, en.message) << code;
  }
}

}  // namespace
}  // namespace codezero::domain
