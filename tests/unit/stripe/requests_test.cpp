#include "stripe/requests.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

namespace codezero::stripe {
namespace {

std::string Value(const FormFields& fields, std::string_view key) {
  for (const auto& [name, value] : fields) {
    if (name == key) return value;
  }
  return "<absent>";
}

CheckoutSessionRequest TeamYearly() {
  CheckoutSessionRequest session;
  session.order_id = "6f1c0e7a-0000-4000-8000-000000000001";
  session.customer_id = "cus_123";
  session.currency = "eur";
  session.interval = "year";
  session.locale = "de";
  session.lines = {{"codezero_team", 199000, 1, true, "txr_19"},
                   {"codezero_extra_seats", 15000, 5, true, "txr_19"},
                   {"codezero_onboarding_workshop", 150000, 1, false, "txr_19"}};
  session.coupon_id = "codezero_order_1";
  session.success_url = "https://codezero.ai/de/checkout/success?session_id={CHECKOUT_SESSION_ID}";
  session.cancel_url = "https://codezero.ai/de/checkout/canceled";
  session.expires_at = 1'800'000'000;
  return session;
}

TEST(CheckoutSessionFields, DescribeEveryLineWithItsPriceQuantityAndTaxRate) {
  const FormFields fields = CheckoutSessionFields(TeamYearly());
  EXPECT_EQ(Value(fields, "mode"), "subscription");
  EXPECT_EQ(Value(fields, "customer"), "cus_123");
  EXPECT_EQ(Value(fields, "client_reference_id"), "6f1c0e7a-0000-4000-8000-000000000001");
  EXPECT_EQ(Value(fields, "metadata[order_id]"), "6f1c0e7a-0000-4000-8000-000000000001");
  EXPECT_EQ(Value(fields, "subscription_data[metadata][order_id]"),
            "6f1c0e7a-0000-4000-8000-000000000001");
  EXPECT_EQ(Value(fields, "line_items[1][price_data][unit_amount]"), "15000");
  EXPECT_EQ(Value(fields, "line_items[1][price_data][product]"), "codezero_extra_seats");
  EXPECT_EQ(Value(fields, "line_items[1][price_data][currency]"), "eur");
  EXPECT_EQ(Value(fields, "line_items[1][price_data][recurring][interval]"), "year");
  EXPECT_EQ(Value(fields, "line_items[1][quantity]"), "5");
  EXPECT_EQ(Value(fields, "line_items[1][tax_rates][0]"), "txr_19");
  // The workshop is one-time: no recurring interval, so Stripe puts it on the first invoice.
  EXPECT_EQ(Value(fields, "line_items[2][price_data][recurring][interval]"), "<absent>");
  EXPECT_EQ(Value(fields, "discounts[0][coupon]"), "codezero_order_1");
  EXPECT_EQ(Value(fields, "expires_at"), "1800000000");
  EXPECT_EQ(Value(fields, "locale"), "de");
}

TEST(CheckoutSessionFields, RoundTripThroughStripesFormEncoding) {
  auto decoded = DecodeForm(FormEncode(CheckoutSessionFields(TeamYearly())));
  ASSERT_TRUE(decoded.has_value());
  const auto& items = decoded->at("line_items").as_array();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].at("price_data").at("unit_amount").as_string(), "199000");
  EXPECT_EQ(decoded->at("success_url").as_string(),
            "https://codezero.ai/de/checkout/success?session_id={CHECKOUT_SESSION_ID}");
}

TEST(CheckoutSessionFields, UsePaymentModeWhenNothingRecurs) {
  CheckoutSessionRequest session = TeamYearly();
  session.lines = {{"codezero_onboarding_workshop", 150000, 1, false, "txr_19"}};
  session.coupon_id.reset();
  const FormFields fields = CheckoutSessionFields(session);
  EXPECT_EQ(Value(fields, "mode"), "payment");
  EXPECT_EQ(Value(fields, "subscription_data[metadata][order_id]"), "<absent>");
  EXPECT_EQ(Value(fields, "discounts[0][coupon]"), "<absent>");
}

TEST(PercentageOf, WritesBasisPointsAsStripesDecimalPercentages) {
  EXPECT_EQ(PercentageOf(1900), "19");
  EXPECT_EQ(PercentageOf(2550), "25.5");
  EXPECT_EQ(PercentageOf(810), "8.1");
  EXPECT_EQ(PercentageOf(1), "0.01");
  EXPECT_EQ(PercentageOf(0), "0");
  EXPECT_EQ(PercentageOf(2000), "20");
}

TEST(CouponFields, AreOneOffAndLimitedToTheRecurringProducts) {
  const FormFields fields =
      CouponFields({"codezero_order_1", 2000, "LAUNCH20", {"codezero_team", "codezero_sso"}});
  EXPECT_EQ(Value(fields, "id"), "codezero_order_1");
  EXPECT_EQ(Value(fields, "percent_off"), "20");
  EXPECT_EQ(Value(fields, "duration"), "once");
  EXPECT_EQ(Value(fields, "max_redemptions"), "1");
  EXPECT_EQ(Value(fields, "applies_to[products][0]"), "codezero_team");
  EXPECT_EQ(Value(fields, "applies_to[products][1]"), "codezero_sso");
}

// A customer is created with what never changes, so every creation of one company's customer
// sends the same bytes under one key (two checkouts at once make one customer); the rest is an
// update.
TEST(CustomerFields, CreationCarriesOnlyTheCompanyAndTheUpdateEverythingElse) {
  EXPECT_EQ(CustomerCreateFields("c1"), (FormFields{{"metadata[company_id]", "c1"}}));
  CustomerRequest customer{"c1",
                           "Beispiel GmbH",
                           "a@b.de",
                           "AT",
                           "de",
                           "reverse",
                           CustomerRequest::TaxId{"eu_vat", "ATU12345675"}};
  customer.line1 = "Ring 1";
  customer.postal_code = "1010";
  customer.city = "Wien";
  customer.invoice_footer = "Steuerschuldnerschaft des Leistungsempfängers";
  const FormFields fields = CustomerUpdateFields(customer);
  EXPECT_EQ(Value(fields, "name"), "Beispiel GmbH");
  EXPECT_EQ(Value(fields, "tax_exempt"), "reverse");
  EXPECT_EQ(Value(fields, "preferred_locales[0]"), "de");
  EXPECT_EQ(Value(fields, "address[line1]"), "Ring 1");
  EXPECT_EQ(Value(fields, "address[line2]"), "");
  EXPECT_EQ(Value(fields, "address[postal_code]"), "1010");
  EXPECT_EQ(Value(fields, "address[city]"), "Wien");
  EXPECT_EQ(Value(fields, "address[country]"), "AT");
  // The note a customer must read goes to their invoice footer, where Stripe prints it; a tax
  // rate's description is shown to no customer.
  EXPECT_EQ(Value(fields, "invoice_settings[footer]"),
            "Steuerschuldnerschaft des Leistungsempfängers");
  // Tax IDs are their own calls (Stripe cannot change one in place).
  EXPECT_EQ(Value(fields, "tax_id_data[0][type]"), "<absent>");
  EXPECT_EQ(Value(fields, "metadata[company_id]"), "<absent>");
}

TEST(TaxRateFields, AreExclusiveAndKeyedByTreatmentCountryAndRate) {
  const TaxRateRequest rate{2550, "oss", "FI", "VAT"};
  EXPECT_EQ(TaxRateKey(rate), "tax_rate:oss:FI:2550");
  const FormFields fields = TaxRateFields(rate);
  EXPECT_EQ(Value(fields, "percentage"), "25.5");
  EXPECT_EQ(Value(fields, "inclusive"), "false");
  EXPECT_EQ(Value(fields, "country"), "FI");
  EXPECT_EQ(Value(fields, "description"), "codezero oss FI 25.5%");
}

}  // namespace
}  // namespace codezero::stripe
