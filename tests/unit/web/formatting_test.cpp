#include "web/formatting.h"

#include <gtest/gtest.h>

#include "web/catalog_view.h"
#include "web/quote_view.h"

namespace codezero::web {
namespace {

TEST(Formatting, MoneyAndDatesAsEachLanguageWritesThem) {
  EXPECT_EQ(Money(123456, "eur", Locale::kDe), "1.234,56\u00a0€");
  EXPECT_EQ(Money(123456, "eur", Locale::kEn), "€1,234.56");
  EXPECT_EQ(Money(-500, "eur", Locale::kDe), "−5,00\u00a0€");
  EXPECT_EQ(Date(1'795'953'600, Locale::kDe), "29.11.2026");
  EXPECT_EQ(Date(1'795'953'600, Locale::kEn), "29 Nov 2026");
}

TEST(Formatting, PercentagesOfBasisPoints) {
  EXPECT_EQ(Percent(1900, Locale::kDe), "19\u00a0%");
  EXPECT_EQ(Percent(1900, Locale::kEn), "19%");
  EXPECT_EQ(Percent(2550, Locale::kDe), "25,5\u00a0%");
  EXPECT_EQ(Percent(2505, Locale::kEn), "25.05%");
  EXPECT_EQ(Percent(0, Locale::kEn), "0%");
  EXPECT_EQ(DecimalAmount(4900), "49.00");
  EXPECT_EQ(DecimalAmount(199905), "1999.05");
}

TEST(Formatting, CountryNamesAndOrderComeFromCldr) {
  EXPECT_EQ(CountryName("DE", Locale::kDe), "Deutschland");
  EXPECT_EQ(CountryName("DE", Locale::kEn), "Germany");
  EXPECT_EQ(CountryName("AT", Locale::kDe), "Österreich");
  const auto& options = CountryOptions(Locale::kDe);
  std::size_t eu = 0;
  for (const CountryOption& option : options) eu += option.eu ? 1 : 0;
  EXPECT_EQ(eu, 27U);
  EXPECT_TRUE(options.front().eu);
  EXPECT_EQ(options.front().name, "Belgien") << "German order puts Belgien first";
  // "Österreich" sorts with O in German, not after Z.
  std::size_t austria = 0, poland = 0;
  for (std::size_t i = 0; i < options.size(); ++i) {
    if (options[i].code == "AT") austria = i;
    if (options[i].code == "PL") poland = i;
  }
  EXPECT_LT(austria, poland);
}

TEST(QuoteView, ReadsTheApisQuote) {
  const auto quote = ParseQuote(
      R"({"id":"qt_1","token":"a.b","issued_at":"2026-11-29T10:00:00Z",
          "expires_at":"2026-12-06T10:00:00Z","catalog_version":1,"currency":"eur",
          "interval":"year","locale":"de",
          "customer":{"type":"business","country":"DE","vat_id":null},
          "lines":[{"code":"team","kind":"plan","description":"Team","quantity":1,
                    "unit_amount":199000,"amount":199000,"amount_discount":0,
                    "amount_tax":37810,"tax_rate_bps":1900,"recurring":true}],
          "amount_subtotal":199000,"amount_discount":0,"amount_tax":37810,"amount_total":236810,
          "tax":{"treatment":"standard","country":"DE","rate_bps":1900,"note":"Zzgl."},
          "recurring":{"interval":"year","amount_subtotal":199000,"amount_discount":0,
                       "amount_tax":37810,"amount_total":236810},
          "discount":{"kind":"coupon","code":"LAUNCH20","percent_off_bps":2000}})");
  ASSERT_TRUE(quote) << quote.error().reason;
  EXPECT_EQ(quote->first_invoice.total, 236810);
  EXPECT_EQ(quote->issued_at, 1'795'946'400);
  EXPECT_EQ(quote->lines.at(0).amount_tax, 37810);
  EXPECT_TRUE(quote->lines.at(0).plan);
  EXPECT_EQ(quote->discount_code, "LAUNCH20");
  EXPECT_TRUE(quote->customer_vat_id.empty());
  EXPECT_FALSE(ParseQuote("{\"id\":1}"));
  EXPECT_FALSE(ParseQuote("not json"));
  EXPECT_FALSE(ParseRfc3339("2026-13-01T00:00:00Z"));
}

}  // namespace
}  // namespace codezero::web
