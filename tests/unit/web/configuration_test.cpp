#include "web/configuration.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include "support/web_catalog.h"

namespace codezero::web {
namespace {

TEST(Configuration, AFirstVisitGetsTheMiddlePlanMonthlyForAGermanBusiness) {
  const Configuration configuration = ReadConfiguration("", testing::WebCatalog());
  EXPECT_EQ(configuration.plan, "team");
  EXPECT_EQ(configuration.interval, "month");
  EXPECT_EQ(configuration.type, "business");
  EXPECT_EQ(configuration.country, "DE");
  EXPECT_TRUE(configuration.addons.empty());
}

TEST(Configuration, ReadsAddonsByTheirCodesInCatalogOrderAndNormalizesTheQuery) {
  const Configuration configuration = ReadConfiguration(
      "sso=1&country=at&extra_seats=5&interval=year&plan=team&utm_source=x&vat_id=+ATU1+&"
      "code=launch20&audit_log=0&credits_5m=",
      testing::WebCatalog());
  ASSERT_EQ(configuration.addons.size(), 2U);
  EXPECT_EQ(configuration.addons[0].code, "extra_seats");
  EXPECT_EQ(configuration.addons[0].quantity, "5");
  EXPECT_EQ(configuration.addons[1].code, "sso");
  EXPECT_EQ(configuration.country, "AT");
  EXPECT_EQ(configuration.vat_id, "ATU1");
  EXPECT_EQ(configuration.code, "LAUNCH20");
  EXPECT_EQ(ConfigurationQuery(configuration),
            "plan=team&interval=year&extra_seats=5&sso=1&type=business&country=AT&vat_id=ATU1&"
            "code=LAUNCH20");
}

TEST(Configuration, TheSameConfigurationInAnyOrderHasTheSameQuery) {
  const auto& catalog = testing::WebCatalog();
  EXPECT_EQ(ConfigurationQuery(ReadConfiguration("sso=1&plan=team&extra_seats=2", catalog)),
            ConfigurationQuery(ReadConfiguration("extra_seats=2&sso=on&plan=team", catalog)));
}

TEST(Configuration, KeepsWhatWasTypedAndEncodesItForTheAddress) {
  const Configuration configuration =
      ReadConfiguration("extra_seats=abc&vat_id=%3Cscript%3E%26", testing::WebCatalog());
  EXPECT_EQ(configuration.addons.at(0).quantity, "abc");
  EXPECT_EQ(configuration.vat_id, "<script>&");
  EXPECT_NE(ConfigurationQuery(configuration).find("vat_id=%3Cscript%3E%26"), std::string::npos);
}

TEST(Configuration, TheQuoteRequestCarriesNumbersAsNumbersAndTheCodeAsCouponOrReferral) {
  Configuration configuration =
      ReadConfiguration("plan=team&extra_seats=5&credits_5m=x&type=consumer&vat_id=DE1&code=ABC",
                        testing::WebCatalog());
  const auto coupon =
      boost::json::parse(QuoteRequestJson(configuration, domain::Locale::kEn, false));
  EXPECT_EQ(coupon.at("addons").at(0).at("quantity").as_int64(), 5);
  EXPECT_EQ(coupon.at("addons").at(1).at("quantity").as_string(), "x");
  EXPECT_TRUE(coupon.at("customer").at("vat_id").is_null()) << "a consumer's VAT ID is not sent";
  EXPECT_EQ(coupon.at("coupon").as_string(), "ABC");
  EXPECT_EQ(coupon.at("locale").as_string(), "en");
  const auto referral =
      boost::json::parse(QuoteRequestJson(configuration, domain::Locale::kDe, true));
  EXPECT_EQ(referral.at("referral_code").as_string(), "ABC");
  EXPECT_FALSE(referral.as_object().contains("coupon"));
}

// A postal code travels in the address and the quote only where it was given: it places an
// address in Büsingen or on the Canary Islands, outside the EU VAT area.
TEST(Configuration, APostalCodeTravelsOnlyWhenGiven) {
  const Configuration busingen =
      ReadConfiguration("plan=team&country=DE&postal_code=+78266+", testing::WebCatalog());
  EXPECT_EQ(busingen.postal_code, "78266");
  EXPECT_NE(ConfigurationQuery(busingen).find("&postal_code=78266"), std::string::npos);
  const auto quote = boost::json::parse(QuoteRequestJson(busingen, domain::Locale::kDe, false));
  EXPECT_EQ(quote.at("customer").at("postal_code").as_string(), "78266");
  const Configuration plain = ReadConfiguration("plan=team", testing::WebCatalog());
  EXPECT_EQ(ConfigurationQuery(plain).find("postal_code"), std::string::npos);
  EXPECT_FALSE(boost::json::parse(QuoteRequestJson(plain, domain::Locale::kDe, false))
                   .at("customer")
                   .as_object()
                   .contains("postal_code"));
  EXPECT_EQ(FormFieldOf("customer.postal_code", plain), "postal_code");
}

TEST(Configuration, MapsTheApisFieldsToTheFormsFields) {
  const Configuration configuration =
      ReadConfiguration("extra_seats=5&sso=1", testing::WebCatalog());
  EXPECT_EQ(FormFieldOf("addons[1].quantity", configuration), "sso");
  EXPECT_EQ(FormFieldOf("addons[0].code", configuration), "extra_seats");
  EXPECT_EQ(FormFieldOf("addons[2].quantity", configuration), "");
  EXPECT_EQ(FormFieldOf("customer.vat_id", configuration), "vat_id");
  EXPECT_EQ(FormFieldOf("referral_code", configuration), "code");
  EXPECT_EQ(FormFieldOf("currency", configuration), "");
}

}  // namespace
}  // namespace codezero::web
