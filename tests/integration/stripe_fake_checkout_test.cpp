// Checkout Sessions on the Stripe stand-in: amounts to the cent, the hosted page with each
// test card, SEPA debits settling later, expiry, and the subscription a paid session creates.
#include <gtest/gtest.h>

#include <thread>

#include <boost/json/parse.hpp>

#include "support/eventually.h"
#include "support/json_values.h"
#include "support/stripe_fake_server.h"

namespace codezero::stripe_fake {
namespace {

namespace json = boost::json;
using testing::StripeFakeServer;
using testing::TestCard;

using testing::Id;
using testing::N;

struct Catalog {
  std::string customer;
  std::string vat;  // 19 %
};

// Products team and sso (recurring), a 19 % tax rate, coupon LAUNCH20: 20 % on team and sso,
// once.
Catalog MakeCatalog(StripeFakeServer& fake, const std::string& clock = "") {
  Catalog catalog;
  stripe::FormFields customer{{"name", "Ada GmbH"}, {"email", "billing@ada.example"}};
  if (!clock.empty()) customer.emplace_back("test_clock", clock);
  catalog.customer = Id(fake.Post("/v1/customers", customer));
  if (fake.Call(http::Verb::get, "/v1/products/team").result_int() == 404) {
    fake.Post("/v1/products", {{"id", "team"}, {"name", "Team plan"}});
    fake.Post("/v1/products", {{"id", "sso"}, {"name", "Single sign-on"}});
    fake.Post("/v1/coupons", {{"id", "LAUNCH20"},
                              {"percent_off", "20"},
                              {"duration", "once"},
                              {"applies_to[products][]", "team"},
                              {"applies_to[products][]", "sso"}});
  }
  catalog.vat = Id(fake.Post(
      "/v1/tax_rates", {{"display_name", "USt."}, {"percentage", "19"}, {"inclusive", "false"}}));
  return catalog;
}

// Team 19 900 × 1 and SSO 1 499 × 3 monthly, a workshop 99 999 once; 19 % VAT on each line;
// LAUNCH20 on the recurring lines.
stripe::FormFields SubscriptionSession(const Catalog& catalog, bool coupon = true) {
  stripe::FormFields fields{
      {"mode", "subscription"},
      {"customer", catalog.customer},
      {"client_reference_id", "ord_42"},
      {"metadata[order_id]", "ord_42"},
      {"subscription_data[metadata][order_id]", "ord_42"},
      {"success_url", "https://app.example/thanks?session={CHECKOUT_SESSION_ID}"},
      {"cancel_url", "https://app.example/cancel"},
      {"locale", "de"},
      {"payment_method_types[]", "card"},
      {"payment_method_types[]", "sepa_debit"},
      {"line_items[0][price_data][currency]", "eur"},
      {"line_items[0][price_data][unit_amount]", "19900"},
      {"line_items[0][price_data][product]", "team"},
      {"line_items[0][price_data][recurring][interval]", "month"},
      {"line_items[0][quantity]", "1"},
      {"line_items[0][tax_rates][]", catalog.vat},
      {"line_items[1][price_data][currency]", "eur"},
      {"line_items[1][price_data][unit_amount]", "1499"},
      {"line_items[1][price_data][product]", "sso"},
      {"line_items[1][price_data][recurring][interval]", "month"},
      {"line_items[1][quantity]", "3"},
      {"line_items[1][tax_rates][]", catalog.vat},
      {"line_items[2][price_data][currency]", "eur"},
      {"line_items[2][price_data][unit_amount]", "99999"},
      {"line_items[2][price_data][product_data][name]", "Onboarding workshop"},
      {"line_items[2][quantity]", "1"},
      {"line_items[2][tax_rates][]", catalog.vat}};
  if (coupon) fields.emplace_back("discounts[0][coupon]", "LAUNCH20");
  return fields;
}

// Line by line (docs/pricing.md): 19 900 − 3 980 = 15 920, VAT 3 024.80 → 3 025;
// 4 497 − 899.40 → 899 = 3 598, VAT 683.62 → 684; 99 999, VAT 18 999.81 → 19 000.
TEST(StripeFakeCheckout, AmountsAreComputedPerLineToTheCent) {
  StripeFakeServer fake;
  const Catalog catalog = MakeCatalog(fake);
  const json::value session = fake.Post("/v1/checkout/sessions", SubscriptionSession(catalog));
  EXPECT_TRUE(Id(session).starts_with("cs_test_"));
  EXPECT_EQ(session.at("object"), "checkout.session");
  EXPECT_EQ(N(session.at("amount_subtotal")), 19900 + 4497 + 99999);
  EXPECT_EQ(N(session.at("total_details").at("amount_discount")), 3980 + 899);
  EXPECT_EQ(N(session.at("total_details").at("amount_tax")), 3025 + 684 + 19000);
  EXPECT_EQ(N(session.at("total_details").at("amount_shipping")), 0);
  EXPECT_EQ(N(session.at("amount_total")), 15920 + 3025 + 3598 + 684 + 99999 + 19000);
  EXPECT_EQ(session.at("status"), "open");
  EXPECT_EQ(session.at("payment_status"), "unpaid");
  EXPECT_EQ(session.at("currency"), "eur");
  EXPECT_EQ(session.at("mode"), "subscription");
  EXPECT_EQ(session.at("client_reference_id"), "ord_42");
  EXPECT_EQ(session.at("metadata").at("order_id"), "ord_42");
  EXPECT_EQ(session.at("url"), json::value(fake.base_url() + "/c/pay/" + Id(session)));

  const json::value items = fake.Get("/v1/checkout/sessions/" + Id(session) + "/line_items");
  ASSERT_EQ(items.at("data").as_array().size(), 3u);
  const std::int64_t expected[3][4] = {
      {19900, 3980, 3025, 18945}, {4497, 899, 684, 4282}, {99999, 0, 19000, 118999}};
  for (std::size_t i = 0; i < 3; ++i) {
    const json::value& item = items.at("data").at(i);
    EXPECT_TRUE(Id(item).starts_with("li_"));
    EXPECT_EQ(N(item.at("amount_subtotal")), expected[i][0]) << i;
    EXPECT_EQ(N(item.at("amount_discount")), expected[i][1]) << i;
    EXPECT_EQ(N(item.at("amount_tax")), expected[i][2]) << i;
    EXPECT_EQ(N(item.at("amount_total")), expected[i][3]) << i;
    EXPECT_EQ(N(item.at("taxes").at(0).at("amount")), expected[i][2]);
    EXPECT_EQ(item.at("taxes").at(0).at("rate").at("id"), json::value(catalog.vat));
  }
  EXPECT_EQ(items.at("data").at(1).at("quantity"), 3);
  EXPECT_EQ(items.at("data").at(1).at("price").at("unit_amount"), 1499);
  EXPECT_EQ(N(items.at("data").at(0).at("discounts").at(0).at("amount")), 3980);
  EXPECT_EQ(items.at("data").at(2).at("discounts").as_array().size(), 0u);

  // The same amounts on the first invoice once paid.
  const auto paid = fake.Pay(std::string(session.at("url").as_string()));
  ASSERT_EQ(paid.status, 303u) << paid.body;
  const json::value after = fake.Get("/v1/checkout/sessions/" + Id(session),
                                     {{"expand[]", "invoice"}, {"expand[]", "line_items"}});
  const json::value& invoice = after.at("invoice");
  EXPECT_EQ(N(invoice.at("subtotal")), 124396);
  EXPECT_EQ(N(invoice.at("total_discount_amounts").at(0).at("amount")), 4879);
  EXPECT_EQ(N(invoice.at("tax")), 22709);
  EXPECT_EQ(N(invoice.at("total")), N(session.at("amount_total")));
  EXPECT_EQ(N(invoice.at("amount_paid")), N(session.at("amount_total")));
  EXPECT_EQ(N(invoice.at("total_tax_amounts").at(0).at("amount")), 22709);
  EXPECT_EQ(N(invoice.at("total_tax_amounts").at(0).at("taxable_amount")), 15920 + 3598 + 99999);
  EXPECT_EQ(after.at("line_items").at("data").as_array().size(), 3u);
  const json::array& lines = invoice.at("lines").at("data").as_array();
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(N(lines[1].at("amount")), 4497);
  EXPECT_EQ(N(lines[1].at("discount_amounts").at(0).at("amount")), 899);
  EXPECT_EQ(N(lines[1].at("tax_amounts").at(0).at("amount")), 684);
  EXPECT_EQ(lines[2].at("type"), "invoiceitem");
  EXPECT_EQ(lines[0].at("type"), "subscription");
}

TEST(StripeFakeCheckout, PayingWith4242CreatesTheSubscriptionItsPaidInvoiceAPaymentAndACharge) {
  StripeFakeServer fake;
  const Catalog catalog = MakeCatalog(fake);
  const json::value session = fake.Post("/v1/checkout/sessions", SubscriptionSession(catalog));
  const auto page = fake.Page(std::string(session.at("url").as_string()));
  EXPECT_EQ(page.status, 200u);
  EXPECT_NE(page.body.find("lang=\"de\""), std::string::npos);
  EXPECT_NE(page.body.find("Gesamt"), std::string::npos);
  EXPECT_NE(page.body.find("1.422,26"), std::string::npos);  // the total, in German
  EXPECT_NE(page.body.find("https://app.example/cancel"), std::string::npos);
  EXPECT_EQ(page.body.find("<script"), std::string::npos);

  const auto paid = fake.Pay(std::string(session.at("url").as_string()));
  EXPECT_EQ(paid.status, 303u);
  EXPECT_EQ(paid.location, "https://app.example/thanks?session=" + Id(session));

  const json::value done = fake.Get("/v1/checkout/sessions/" + Id(session),
                                    {{"expand[]", "subscription.latest_invoice.payment_intent"}});
  EXPECT_EQ(done.at("status"), "complete");
  EXPECT_EQ(done.at("payment_status"), "paid");
  EXPECT_EQ(done.at("url"), nullptr);
  EXPECT_EQ(done.at("customer"), json::value(catalog.customer));
  EXPECT_EQ(done.at("customer_details").at("email"), "billing@ada.example");
  const json::value& subscription = done.at("subscription");
  EXPECT_TRUE(Id(subscription).starts_with("sub_"));
  EXPECT_EQ(subscription.at("status"), "active");
  EXPECT_EQ(subscription.at("metadata").at("order_id"), "ord_42");
  EXPECT_TRUE(subscription.at("default_payment_method").as_string().starts_with("pm_"));
  const std::int64_t start = N(subscription.at("current_period_start"));
  const std::int64_t end = N(subscription.at("current_period_end"));
  EXPECT_GE(end - start, 28 * 86400);
  EXPECT_LE(end - start, 31 * 86400);
  const json::array& items = subscription.at("items").at("data").as_array();
  ASSERT_EQ(items.size(), 2u);  // the one-time workshop is no subscription item
  EXPECT_TRUE(Id(items[0]).starts_with("si_"));
  EXPECT_EQ(items[1].at("quantity"), 3);
  EXPECT_EQ(items[1].at("price").at("unit_amount"), 1499);
  EXPECT_EQ(items[1].at("tax_rates").at(0).at("id"), json::value(catalog.vat));
  const json::value& invoice = subscription.at("latest_invoice");
  EXPECT_EQ(invoice.at("status"), "paid");
  EXPECT_EQ(invoice.at("billing_reason"), "subscription_create");
  EXPECT_EQ(invoice.at("subscription"), json::value(Id(subscription)));
  const std::string prefix(
      fake.Get("/v1/customers/" + catalog.customer).at("invoice_prefix").as_string());
  EXPECT_EQ(invoice.at("number"), json::value(prefix + "-0001"));
  EXPECT_EQ(invoice.at("payment_intent").at("status"), "succeeded");
  EXPECT_EQ(N(invoice.at("payment_intent").at("amount_received")), N(done.at("amount_total")));
  const std::string charge_id(invoice.at("charge").as_string());
  const json::value charge = fake.Get("/v1/charges/" + charge_id);
  EXPECT_EQ(charge.at("status"), "succeeded");
  EXPECT_EQ(charge.at("payment_method_details").at("card").at("last4"), "4242");
  EXPECT_EQ(done.at("invoice"), json::value(Id(invoice)));
  EXPECT_EQ(fake.Get("/v1/customers/" + catalog.customer).at("currency"), "eur");

  std::vector<std::string> types;
  const json::value events = fake.Get("/v1/events", {{"limit", "100"}});
  for (const json::value& event : events.at("data").as_array()) {
    types.insert(types.begin(), std::string(event.at("type").as_string()));
  }
  for (const char* type : {"customer.subscription.created", "invoice.created", "invoice.finalized",
                           "charge.succeeded", "payment_intent.succeeded", "invoice.paid",
                           "invoice.payment_succeeded", "checkout.session.completed"}) {
    EXPECT_NE(std::find(types.begin(), types.end(), type), types.end()) << type;
  }
  EXPECT_EQ(types.back(), "checkout.session.completed");
  EXPECT_EQ(fake.Get("/v1/coupons/LAUNCH20").at("times_redeemed"), 1);
  // Paying again is refused: the session is complete.
  EXPECT_EQ(fake.Page(std::string(session.at("url").as_string())).body.find("name=\"method\""),
            std::string::npos);
}

TEST(StripeFakeCheckout, ADeclinedCardShowsThePageAgainAndTheSessionStaysOpen) {
  StripeFakeServer fake;
  const Catalog catalog = MakeCatalog(fake);
  const json::value session = fake.Post("/v1/checkout/sessions", SubscriptionSession(catalog));
  const std::string url(session.at("url").as_string());

  const auto declined = fake.Pay(url, TestCard{.number = "4000 0000 0000 0002"});
  EXPECT_EQ(declined.status, 402u);
  EXPECT_NE(declined.body.find("Your card was declined."), std::string::npos);
  EXPECT_NE(declined.body.find("name=\"card_number\""), std::string::npos);
  const auto funds = fake.Pay(url, TestCard{.number = "4000000000009995"});
  EXPECT_EQ(funds.status, 402u);
  EXPECT_NE(funds.body.find("Your card has insufficient funds."), std::string::npos);

  const json::value open = fake.Get("/v1/checkout/sessions/" + Id(session));
  EXPECT_EQ(open.at("status"), "open");
  EXPECT_EQ(open.at("subscription"), nullptr);
  const json::value failed = fake.Get("/v1/events", {{"type", "payment_intent.payment_failed"}});
  ASSERT_EQ(failed.at("data").as_array().size(), 2u);
  const json::value& error =
      failed.at("data").at(0).at("data").at("object").at("last_payment_error");
  EXPECT_EQ(error.at("code"), "card_declined");
  EXPECT_EQ(error.at("decline_code"), "insufficient_funds");
  EXPECT_EQ(
      failed.at("data").at(1).at("data").at("object").at("last_payment_error").at("decline_code"),
      "generic_decline");
  EXPECT_EQ(fake.Get("/v1/subscriptions").at("data").as_array().size(), 0u);

  const auto invalid = fake.Pay(url, TestCard{.number = "4242 4242 4242 4241"});
  EXPECT_EQ(invalid.status, 422u);
  EXPECT_NE(invalid.body.find("Your card number is incorrect."), std::string::npos);

  EXPECT_EQ(fake.Pay(url).status, 303u);
  EXPECT_EQ(fake.Get("/v1/checkout/sessions/" + Id(session)).at("status"), "complete");
}

TEST(StripeFakeCheckout, Card0341PaysTheFirstInvoice) {
  StripeFakeServer fake;
  const Catalog catalog = MakeCatalog(fake);
  const json::value session = fake.Post("/v1/checkout/sessions", SubscriptionSession(catalog));
  EXPECT_EQ(fake.Pay(std::string(session.at("url").as_string()),
                     TestCard{.number = "4000 0000 0000 0341"})
                .status,
            303u);
  const json::value done =
      fake.Get("/v1/checkout/sessions/" + Id(session), {{"expand[]", "invoice"}});
  EXPECT_EQ(done.at("payment_status"), "paid");
  EXPECT_EQ(done.at("invoice").at("status"), "paid");
}

TEST(StripeFakeCheckout, PaymentModeCreatesAPaymentIntentAndAChargeWithoutASubscription) {
  StripeFakeServer fake;
  const json::value session = fake.Post(
      "/v1/checkout/sessions", {{"mode", "payment"},
                                {"customer_email", "x@example.com"},
                                {"success_url", "https://app.example/ok"},
                                {"line_items[0][price_data][currency]", "eur"},
                                {"line_items[0][price_data][unit_amount]", "5000"},
                                {"line_items[0][price_data][product_data][name]", "Credits"},
                                {"line_items[0][quantity]", "2"}});
  EXPECT_EQ(N(session.at("amount_total")), 10000);
  EXPECT_EQ(fake.Pay(std::string(session.at("url").as_string())).status, 303u);
  const json::value done = fake.Get("/v1/checkout/sessions/" + Id(session),
                                    {{"expand[]", "payment_intent"}, {"expand[]", "customer"}});
  EXPECT_EQ(done.at("payment_status"), "paid");
  EXPECT_EQ(done.at("payment_intent").at("status"), "succeeded");
  EXPECT_EQ(N(done.at("payment_intent").at("amount")), 10000);
  EXPECT_EQ(done.at("customer").at("email"), "x@example.com");
  EXPECT_EQ(done.at("subscription"), nullptr);
}

TEST(StripeFakeCheckout, ASepaDebitCompletesUnpaidAndSucceedsAfterTheDelay) {
  StripeFakeServer fake;
  const Catalog catalog = MakeCatalog(fake);
  const json::value session = fake.Post("/v1/checkout/sessions", SubscriptionSession(catalog));
  const auto result =
      fake.PayWithIban(std::string(session.at("url").as_string()), "DE89 3704 0044 0532 0130 00");
  EXPECT_EQ(result.status, 303u) << result.body;
  const json::value pending = fake.Get("/v1/checkout/sessions/" + Id(session));
  EXPECT_EQ(pending.at("status"), "complete");
  EXPECT_EQ(pending.at("payment_status"), "unpaid");
  EXPECT_EQ(fake.Get("/v1/invoices/" + std::string(pending.at("invoice").as_string())).at("status"),
            "open");
  // 180 s divided by the time factor 600: 0.3 s.
  json::value settled;
  testing::Eventually([&] {
    settled = fake.Get("/v1/checkout/sessions/" + Id(session), {{"expand[]", "invoice"}});
    return settled.at("payment_status") == "paid";
  });
  EXPECT_EQ(settled.at("payment_status"), "paid");
  EXPECT_EQ(settled.at("invoice").at("status"), "paid");
  EXPECT_EQ(fake.Get("/v1/events", {{"type", "checkout.session.async_payment_succeeded"}})
                .at("data")
                .as_array()
                .size(),
            1u);
}

TEST(StripeFakeCheckout, AFailingSepaDebitReportsAsyncPaymentFailed) {
  StripeFakeServer fake;
  const Catalog catalog = MakeCatalog(fake);
  const json::value session = fake.Post("/v1/checkout/sessions", SubscriptionSession(catalog));
  ASSERT_EQ(
      fake.PayWithIban(std::string(session.at("url").as_string()), "DE62370400440532013001").status,
      303u);
  json::value failed;
  testing::Eventually([&] {
    failed = fake.Get("/v1/events", {{"type", "checkout.session.async_payment_failed"}});
    return !failed.at("data").as_array().empty();
  });
  ASSERT_EQ(failed.at("data").as_array().size(), 1u);
  const json::value done = fake.Get("/v1/checkout/sessions/" + Id(session),
                                    {{"expand[]", "subscription"}, {"expand[]", "invoice"}});
  EXPECT_EQ(done.at("payment_status"), "unpaid");
  EXPECT_EQ(done.at("invoice").at("status"), "open");
  EXPECT_EQ(done.at("subscription").at("status"), "past_due");
}

TEST(StripeFakeCheckout, AnOpenSessionCanBeExpiredOnlyOnce) {
  StripeFakeServer fake;
  const Catalog catalog = MakeCatalog(fake);
  const json::value session = fake.Post("/v1/checkout/sessions", SubscriptionSession(catalog));
  const json::value expired = fake.Post("/v1/checkout/sessions/" + Id(session) + "/expire");
  EXPECT_EQ(expired.at("status"), "expired");
  EXPECT_EQ(expired.at("url"), nullptr);
  const auto again =
      fake.Call(http::Verb::post, "/v1/checkout/sessions/" + Id(session) + "/expire");
  EXPECT_EQ(again.result_int(), 400);
  EXPECT_EQ(
      fake.Get("/v1/events", {{"type", "checkout.session.expired"}}).at("data").as_array().size(),
      1u);
  const auto page = fake.Page(fake.base_url() + "/c/pay/" + Id(session));
  EXPECT_NE(page.body.find("abgelaufen"), std::string::npos);
}

TEST(StripeFakeCheckout, ASessionPastExpiresAtExpiresByItself) {
  stripe_fake::FakeSettings settings = testing::TestStripeFakeSettings();
  settings.time_factor = 3600;  // the shortest lifetime, 30 minutes, is half a second
  StripeFakeServer fake(settings);
  const Catalog catalog = MakeCatalog(fake);
  stripe::FormFields fields = SubscriptionSession(catalog);
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  fields.emplace_back("expires_at", std::to_string(now + 1800));
  const json::value session = fake.Post("/v1/checkout/sessions", fields);
  EXPECT_EQ(N(session.at("expires_at")), now + 1800);
  json::value current;
  testing::Eventually([&] {
    current = fake.Get("/v1/checkout/sessions/" + Id(session));
    return current.at("status") == "expired";
  });
  EXPECT_EQ(current.at("status"), "expired");
  EXPECT_EQ(
      fake.Get("/v1/events", {{"type", "checkout.session.expired"}}).at("data").as_array().size(),
      1u);
  stripe::FormFields too_soon = SubscriptionSession(catalog);
  too_soon.emplace_back("expires_at", std::to_string(now + 60));
  EXPECT_EQ(fake.Call(http::Verb::post, "/v1/checkout/sessions", too_soon).result_int(), 400);
}

TEST(StripeFakeCheckout, SessionsAreListedAndFilteredByCustomerAndStatus) {
  StripeFakeServer fake;
  const Catalog catalog = MakeCatalog(fake);
  const json::value first = fake.Post("/v1/checkout/sessions", SubscriptionSession(catalog));
  const json::value second =
      fake.Post("/v1/checkout/sessions", SubscriptionSession(catalog, false));
  fake.Post("/v1/checkout/sessions/" + Id(first) + "/expire");
  const json::value open =
      fake.Get("/v1/checkout/sessions", {{"customer", catalog.customer}, {"status", "open"}});
  ASSERT_EQ(open.at("data").as_array().size(), 1u);
  EXPECT_EQ(Id(open.at("data").at(0)), Id(second));
  EXPECT_EQ(N(second.at("total_details").at("amount_discount")), 0);
  EXPECT_EQ(fake.Get("/v1/checkout/sessions").at("data").as_array().size(), 2u);
}

TEST(StripeFakeCheckout, UnknownReferencesAreRefusedBeforeAnythingIsCreated) {
  StripeFakeServer fake;
  const Catalog catalog = MakeCatalog(fake);
  stripe::FormFields fields = SubscriptionSession(catalog, false);
  fields.emplace_back("discounts[0][coupon]", "NOPE");
  const auto response = fake.Call(http::Verb::post, "/v1/checkout/sessions", fields);
  EXPECT_EQ(response.result_int(), 404);
  EXPECT_EQ(json::parse(response.body()).at("error").at("param"), "discounts[0][coupon]");
  EXPECT_EQ(fake.Get("/v1/prices").at("data").as_array().size(), 0u);
  const auto no_lines = fake.Call(http::Verb::post, "/v1/checkout/sessions",
                                  {{"mode", "payment"}, {"success_url", "https://x"}});
  EXPECT_EQ(json::parse(no_lines.body()).at("error").at("param"), "line_items");
}

TEST(StripeFakeCheckout, ACouponPastItsRedemptionsOrDateIsRefused) {
  StripeFakeServer fake;
  const Catalog catalog = MakeCatalog(fake);
  fake.Post("/v1/coupons", {{"id", "ONCE"}, {"percent_off", "10"}, {"max_redemptions", "1"}});
  fake.Post("/v1/coupons", {{"id", "OLD"}, {"percent_off", "10"}, {"redeem_by", "1000000000"}});
  stripe::FormFields first = SubscriptionSession(catalog, false);
  first.emplace_back("discounts[0][coupon]", "ONCE");
  const json::value session = fake.Post("/v1/checkout/sessions", first);
  ASSERT_EQ(fake.Pay(std::string(session.at("url").as_string())).status, 303u);
  EXPECT_EQ(fake.Get("/v1/coupons/ONCE").at("valid"), false);
  for (const char* coupon : {"ONCE", "OLD"}) {
    stripe::FormFields fields = SubscriptionSession(catalog, false);
    fields.emplace_back("discounts[0][coupon]", coupon);
    const auto refused = fake.Call(http::Verb::post, "/v1/checkout/sessions", fields);
    EXPECT_EQ(refused.result_int(), 400) << coupon;
    EXPECT_EQ(json::parse(refused.body()).at("error").at("code"), "coupon_expired") << coupon;
  }
}

}  // namespace
}  // namespace codezero::stripe_fake
