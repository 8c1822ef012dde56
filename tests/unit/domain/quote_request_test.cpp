#include "domain/quote_request.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace codezero::domain {
namespace {

ParsedQuoteRequest Parse(std::string_view json) {
  return ParseQuoteRequest(boost::json::parse(json));
}

std::vector<std::string> Codes(const ParsedQuoteRequest& parsed) {
  std::vector<std::string> codes;
  for (const Violation& v : parsed.violations) codes.push_back(v.code + "@" + v.field);
  return codes;
}

TEST(QuoteRequest, ReadsTheContractsExample) {
  const auto parsed = Parse(R"({"plan":"team","interval":"year",
    "addons":[{"code":"extra_seats","quantity":5},{"code":"sso","quantity":1}],"currency":"eur",
    "customer":{"country":"DE","type":"business","vat_id":null},"coupon":null,
    "referral_code":null,"locale":"de"})");
  EXPECT_TRUE(parsed.violations.empty());
  EXPECT_EQ(parsed.request.plan, "team");
  EXPECT_EQ(parsed.request.interval, Interval::kYear);
  ASSERT_EQ(parsed.request.addons.size(), 2u);
  EXPECT_EQ(parsed.request.addons[0].quantity, 5);
  EXPECT_EQ(parsed.request.customer.country, "DE");
  EXPECT_FALSE(parsed.request.customer.vat_id.has_value());
  EXPECT_EQ(parsed.request.locale, Locale::kDe);
}

TEST(QuoteRequest, NormalisesCodesAndCountry) {
  const auto parsed = Parse(R"({"plan":"team","interval":"month","currency":"EUR",
    "customer":{"country":"at","type":"business","vat_id":"atu 1234 5675"},"coupon":"launch20","locale":"en"})");
  EXPECT_TRUE(parsed.violations.empty());
  EXPECT_EQ(parsed.request.currency, "eur");
  EXPECT_EQ(parsed.request.customer.country, "AT");
  EXPECT_EQ(parsed.request.coupon, "LAUNCH20");
  EXPECT_EQ(parsed.request.locale, Locale::kEn);
}

TEST(QuoteRequest, CollectsShapeAndValueProblemsTogether) {
  const auto parsed = Parse(R"({"interval":"weekly","addons":[{"quantity":"two"}],
    "customer":{"country":"XX","type":"robot"},"locale":"fr","colour":"red"})");
  EXPECT_EQ(Codes(parsed),
            (std::vector<std::string>{"required@plan", "required@addons[0].code",
                                      "invalid_type@addons[0].quantity", "unknown_field@colour",
                                      "unsupported_interval@interval",
                                      "unsupported_country@customer.country",
                                      "invalid_value@customer.type", "unsupported_locale@locale"}));
}

TEST(QuoteRequest, ABodyThatIsNotAnObject) {
  const auto parsed = Parse("[]");
  ASSERT_FALSE(parsed.violations.empty());
  EXPECT_EQ(parsed.violations[0].code, "not_an_object");
}

}  // namespace
}  // namespace codezero::domain
