#include "domain/catalog.h"

#include <gtest/gtest.h>

#include "support/catalog_fixture.h"

namespace codezero::domain {
namespace {

TEST(Catalog, TheShippedCatalogHasTheIssuesPlansAndAddOns) {
  const Catalog& catalog = testing::CatalogV1();
  EXPECT_EQ(catalog.currency, "eur");
  ASSERT_EQ(catalog.plans.size(), 3u);
  EXPECT_EQ(catalog.FindPlan("starter")->monthly_amount, 4900);
  EXPECT_EQ(catalog.FindPlan("team")->included_seats, 10);
  EXPECT_EQ(catalog.FindPlan("business")->max_seats, 500);
  EXPECT_TRUE(catalog.FindPlan("business")->Includes("sso"));
  EXPECT_EQ(catalog.addons.size(), 7u);
  EXPECT_EQ(catalog.FindAddon("onboarding")->amount, 99000);
  EXPECT_FALSE(catalog.FindAddon("onboarding")->recurring);
  EXPECT_EQ(catalog.UnitAmount(*catalog.FindAddon("onboarding"), Interval::kYear), 99000);
  EXPECT_EQ(catalog.MaxQuantity(*catalog.FindAddon("extra_seats"), *catalog.FindPlan("team")), 40);
  EXPECT_EQ(catalog.FindAddon("sso")->name.de, "Single Sign-on (SAML/OIDC)");
}

TEST(Catalog, RefusesPricesThatAreNotWholeEuros) {
  // 13.50 € × 19 % is a half cent; whole-euro prices with whole-percent discounts leave only
  // the tax to round (docs/pricing.md, "Rounding").
  const auto fractional = ParseCatalog(R"({
    "currency": "eur", "intervals": ["month"], "yearly_price_months": 10,
    "plans": [{"code": "a", "name": {"de": "A", "en": "A"}, "summary": {"de": "A", "en": "A"},
               "monthly_amount": 1350, "included_seats": 1, "included_ai_credits": 0,
               "max_seats": 2, "includes": []}],
    "addons": [{"code": "w", "name": {"de": "W", "en": "W"}, "recurring": false, "amount": 99050,
                "min_quantity": 1, "max_quantity": 1, "available_with": ["a"]}]})",
                                       3);
  ASSERT_FALSE(fractional);
  std::vector<std::string> fields;
  for (const FieldError& error : fractional.error().fields)
    fields.push_back(error.code + "@" + error.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"invalid_value@plans[0].monthly_amount",
                                              "invalid_value@addons[0].amount"}));
}

TEST(Catalog, RejectsBrokenDocumentsListingEveryProblem) {
  const auto broken = ParseCatalog(R"({
    "currency": "eur", "intervals": ["month"], "yearly_price_months": 10,
    "plans": [{"code": "a", "name": {"de": "A", "en": "A"}, "summary": {"de": "", "en": "x"},
               "monthly_amount": -5, "included_seats": 5, "included_ai_credits": 0,
               "max_seats": 2, "includes": ["ghost"]}],
    "addons": [{"code": "a", "name": {"de": "X", "en": "X"}, "recurring": true, "monthly_amount": 1,
                "min_quantity": 1, "max_quantity": "lots", "available_with": ["zzz"]}],
    "extra": true})",
                                   2);
  ASSERT_FALSE(broken);
  std::vector<std::string> fields;
  for (const FieldError& error : broken.error().fields)
    fields.push_back(error.code + "@" + error.field);
  for (const char* expected :
       {"required@plans[0].summary.de", "out_of_range@plans[0].monthly_amount",
        "out_of_range@plans[0].max_seats", "invalid_value@addons[0].max_quantity",
        "duplicate@addons[0].code", "unknown_field@extra", "unknown_code@plans.a.includes",
        "unknown_code@addons.a.available_with"}) {
    EXPECT_NE(std::find(fields.begin(), fields.end(), expected), fields.end()) << expected;
  }
}

TEST(Catalog, RejectsInvalidJson) { EXPECT_FALSE(ParseCatalog("{", 1)); }

}  // namespace
}  // namespace codezero::domain
