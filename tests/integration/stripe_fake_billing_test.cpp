// Subscriptions and invoices on the Stripe stand-in, driven through test clocks: renewals,
// prorations to the cent, cancel at period end, a failed renewal dunned to cancellation,
// invoices (void, pay, hosted page, PDF), refunds and the customer portal.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include <boost/json/parse.hpp>

#include "support/json_values.h"
#include "support/stripe_fake_server.h"

namespace codezero::stripe_fake {
namespace {

namespace json = boost::json;
using testing::StripeFakeServer;
using testing::TestCard;

constexpr std::int64_t kDay = 86'400;
// 2027-01-15T08:00:00Z; the first period ends 2027-02-15T08:00:00Z, 31 days later.
constexpr std::int64_t kStart = 1'800'000'000 - 1'800'000'000 % kDay + 8 * 3600;

using testing::Id;
using testing::N;

struct Subscribed {
  std::string clock;
  std::string customer;
  std::string vat;
  std::string subscription;
  std::int64_t period_end = 0;
};

// A customer on a test clock at kStart who paid for Team (19 900) × 1 and SSO (1 499) × 3 a
// month with 19 % VAT, LAUNCH20 (once) on the first invoice.
Subscribed Subscribe(StripeFakeServer& fake, const TestCard& card = {}) {
  Subscribed s;
  s.clock = Id(fake.Post("/v1/test_helpers/test_clocks",
                         {{"frozen_time", std::to_string(kStart)}, {"name", "billing test"}}));
  s.customer = Id(
      fake.Post("/v1/customers",
                {{"name", "Ada GmbH"}, {"email", "billing@ada.example"}, {"test_clock", s.clock}}));
  if (fake.Call(http::Verb::get, "/v1/products/team").result_int() == 404) {
    fake.Post("/v1/products", {{"id", "team"}, {"name", "Team plan"}});
    fake.Post("/v1/products", {{"id", "sso"}, {"name", "Single sign-on"}});
    fake.Post("/v1/coupons", {{"id", "LAUNCH20"}, {"percent_off", "20"}, {"duration", "once"}});
  }
  s.vat = Id(fake.Post("/v1/tax_rates",
                       {{"display_name", "USt."}, {"percentage", "19"}, {"inclusive", "false"}}));
  const json::value session = fake.Post(
      "/v1/checkout/sessions", {{"mode", "subscription"},
                                {"customer", s.customer},
                                {"success_url", "https://app.example/ok"},
                                {"line_items[0][price_data][currency]", "eur"},
                                {"line_items[0][price_data][unit_amount]", "19900"},
                                {"line_items[0][price_data][product]", "team"},
                                {"line_items[0][price_data][recurring][interval]", "month"},
                                {"line_items[0][quantity]", "1"},
                                {"line_items[0][tax_rates][]", s.vat},
                                {"line_items[1][price_data][currency]", "eur"},
                                {"line_items[1][price_data][unit_amount]", "1499"},
                                {"line_items[1][price_data][product]", "sso"},
                                {"line_items[1][price_data][recurring][interval]", "month"},
                                {"line_items[1][quantity]", "3"},
                                {"line_items[1][tax_rates][]", s.vat},
                                {"discounts[0][coupon]", "LAUNCH20"}});
  const auto paid = fake.Pay(std::string(session.at("url").as_string()), card);
  if (paid.status != 303) throw std::runtime_error("payment failed: " + paid.body);
  const json::value done = fake.Get("/v1/checkout/sessions/" + Id(session));
  s.subscription = std::string(done.at("subscription").as_string());
  s.period_end = N(fake.Get("/v1/subscriptions/" + s.subscription).at("current_period_end"));
  return s;
}

std::vector<json::value> Invoices(StripeFakeServer& fake, const std::string& subscription) {
  const json::value list =
      fake.Get("/v1/invoices", {{"subscription", subscription}, {"limit", "100"}});
  std::vector<json::value> invoices(list.at("data").as_array().begin(),
                                    list.at("data").as_array().end());
  std::reverse(invoices.begin(), invoices.end());  // oldest first
  return invoices;
}

std::size_t CountEvents(StripeFakeServer& fake, const std::string& type) {
  return fake.Get("/v1/events", {{"type", type}, {"limit", "100"}}).at("data").as_array().size();
}

TEST(StripeFakeBilling, ASubscriptionStartsOnItsCustomersTestClock) {
  StripeFakeServer fake;
  const Subscribed s = Subscribe(fake);
  const json::value subscription = fake.Get("/v1/subscriptions/" + s.subscription);
  EXPECT_EQ(N(subscription.at("current_period_start")), kStart);
  EXPECT_EQ(s.period_end, kStart + 31 * kDay);  // 15 Jan → 15 Feb
  EXPECT_EQ(subscription.at("test_clock"), json::value(s.clock));
  EXPECT_EQ(N(subscription.at("created")), kStart);
}

TEST(StripeFakeBilling, ARenewalInvoicesTheFullPriceWithTheNextNumberAndChargesTheCard) {
  StripeFakeServer fake;
  const Subscribed s = Subscribe(fake);
  const json::value clock = fake.AdvanceClock(s.clock, s.period_end + 3600);
  EXPECT_EQ(clock.at("status"), "ready");
  EXPECT_EQ(N(clock.at("frozen_time")), s.period_end + 3600);

  const json::value subscription = fake.Get("/v1/subscriptions/" + s.subscription);
  EXPECT_EQ(subscription.at("status"), "active");
  EXPECT_EQ(N(subscription.at("current_period_start")), s.period_end);
  EXPECT_EQ(N(subscription.at("current_period_end")), s.period_end + 28 * kDay);  // 15 Mar
  const std::vector<json::value> invoices = Invoices(fake, s.subscription);
  ASSERT_EQ(invoices.size(), 2u);
  const json::value& renewal = invoices[1];
  EXPECT_EQ(json::value(Id(renewal)), subscription.at("latest_invoice"));
  EXPECT_EQ(renewal.at("billing_reason"), "subscription_cycle");
  EXPECT_EQ(renewal.at("status"), "paid");
  const std::string prefix(
      fake.Get("/v1/customers/" + s.customer).at("invoice_prefix").as_string());
  EXPECT_EQ(invoices[0].at("number"), json::value(prefix + "-0001"));
  EXPECT_EQ(renewal.at("number"), json::value(prefix + "-0002"));
  // No discount any more (once): 19 900 + 4 497; VAT 3 781 + 854.43 → 854.
  EXPECT_EQ(N(renewal.at("subtotal")), 24397);
  EXPECT_EQ(N(renewal.at("tax")), 3781 + 854);
  EXPECT_EQ(N(renewal.at("total")), 24397 + 4635);
  EXPECT_EQ(renewal.at("total_discount_amounts").as_array().size(), 0u);
  EXPECT_EQ(N(renewal.at("created")), s.period_end);
  EXPECT_EQ(N(renewal.at("lines").at("data").at(0).at("period").at("start")), s.period_end);
  EXPECT_EQ(CountEvents(fake, "invoice.paid"), 2u);
  EXPECT_EQ(CountEvents(fake, "test_helpers.test_clock.ready"), 1u);

  // A year on: eleven more renewals, in order.
  fake.AdvanceClock(s.clock, s.period_end + 335 * kDay);
  EXPECT_EQ(Invoices(fake, s.subscription).size(), 13u);
  EXPECT_EQ(Invoices(fake, s.subscription).back().at("number"), json::value(prefix + "-0013"));
}

// 15 days into the 31-day period, SSO goes from 3 to 5 seats: 16 days remain.
//   credit  −round(4 497 × 16/31) = −2 321 (2 321.03)
//   charge   round(7 495 × 16/31) =  3 868 (3 868.39)
TEST(StripeFakeBilling, AQuantityChangeLeavesProrationsToTheCentForTheNextInvoice) {
  StripeFakeServer fake;
  const Subscribed s = Subscribe(fake);
  fake.AdvanceClock(s.clock, kStart + 15 * kDay);
  const json::value before = fake.Get("/v1/subscriptions/" + s.subscription);
  const std::string sso(before.at("items").at("data").at(1).at("id").as_string());
  const json::value updated = fake.Post("/v1/subscriptions/" + s.subscription,
                                        {{"items[0][id]", sso},
                                         {"items[0][quantity]", "5"},
                                         {"proration_behavior", "create_prorations"}});
  EXPECT_EQ(updated.at("items").at("data").at(1).at("quantity"), 5);
  const json::value pending =
      fake.Get("/v1/invoiceitems", {{"customer", s.customer}, {"pending", "true"}});
  ASSERT_EQ(pending.at("data").as_array().size(), 2u);
  const json::value& charge = pending.at("data").at(0);
  const json::value& credit = pending.at("data").at(1);
  EXPECT_EQ(N(credit.at("amount")), -2321);
  EXPECT_EQ(N(charge.at("amount")), 3868);
  EXPECT_EQ(credit.at("proration"), true);
  EXPECT_EQ(N(credit.at("period").at("start")), kStart + 15 * kDay);
  EXPECT_EQ(N(credit.at("period").at("end")), s.period_end);
  const json::value event =
      fake.Get("/v1/events", {{"type", "customer.subscription.updated"}}).at("data").at(0);
  EXPECT_TRUE(event.at("data").at("previous_attributes").as_object().contains("items"));

  fake.AdvanceClock(s.clock, s.period_end + 60);
  const json::value renewal = Invoices(fake, s.subscription).back();
  // 19 900 + 7 495 − 2 321 + 3 868 = 28 942; VAT 3 781 + 1 424 − 441 + 735 = 5 499.
  EXPECT_EQ(N(renewal.at("subtotal")), 28942);
  EXPECT_EQ(N(renewal.at("tax")), 5499);
  EXPECT_EQ(N(renewal.at("total")), 34441);
  EXPECT_EQ(renewal.at("lines").at("data").as_array().size(), 4u);
  EXPECT_EQ(fake.Get("/v1/invoiceitems", {{"customer", s.customer}, {"pending", "true"}})
                .at("data")
                .as_array()
                .size(),
            0u);
}

TEST(StripeFakeBilling, AlwaysInvoiceChargesTheProrationsAtOnce) {
  StripeFakeServer fake;
  const Subscribed s = Subscribe(fake);
  fake.AdvanceClock(s.clock, kStart + 15 * kDay);
  const json::value before = fake.Get("/v1/subscriptions/" + s.subscription);
  const std::string sso(before.at("items").at("data").at(1).at("id").as_string());
  const json::value updated =
      fake.Post("/v1/subscriptions/" + s.subscription, {{"items[0][id]", sso},
                                                        {"items[0][quantity]", "5"},
                                                        {"proration_behavior", "always_invoice"},
                                                        {"expand[]", "latest_invoice"}});
  const json::value& invoice = updated.at("latest_invoice");
  EXPECT_EQ(invoice.at("billing_reason"), "subscription_update");
  EXPECT_EQ(invoice.at("status"), "paid");
  EXPECT_EQ(N(invoice.at("subtotal")), 3868 - 2321);
  EXPECT_EQ(N(invoice.at("tax")), 735 - 441);
  EXPECT_EQ(N(invoice.at("amount_paid")), 1547 + 294);
  EXPECT_EQ(invoice.at("lines").at("data").at(0).at("proration"), true);
}

TEST(StripeFakeBilling, ProrationBehaviorNoneChangesTheQuantityOnly) {
  StripeFakeServer fake;
  const Subscribed s = Subscribe(fake);
  fake.AdvanceClock(s.clock, kStart + 10 * kDay);
  const json::value before = fake.Get("/v1/subscriptions/" + s.subscription);
  const std::string team(before.at("items").at("data").at(0).at("id").as_string());
  fake.Post("/v1/subscriptions/" + s.subscription,
            {{"items[0][id]", team}, {"items[0][quantity]", "2"}, {"proration_behavior", "none"}});
  EXPECT_EQ(fake.Get("/v1/invoiceitems", {{"pending", "true"}}).at("data").as_array().size(), 0u);
  EXPECT_EQ(
      fake.Get("/v1/subscriptions/" + s.subscription).at("items").at("data").at(0).at("quantity"),
      2);
  const auto unknown = fake.Call(http::Verb::post, "/v1/subscriptions/" + s.subscription,
                                 {{"items[0][id]", "si_nope"}, {"items[0][quantity]", "2"}});
  EXPECT_EQ(unknown.result_int(), 404);
}

TEST(StripeFakeBilling, CancelAtPeriodEndEndsTheSubscriptionAtItsPeriodEnd) {
  StripeFakeServer fake;
  const Subscribed s = Subscribe(fake);
  const json::value marked =
      fake.Post("/v1/subscriptions/" + s.subscription, {{"cancel_at_period_end", "true"}});
  EXPECT_EQ(marked.at("cancel_at_period_end"), true);
  EXPECT_EQ(N(marked.at("cancel_at")), s.period_end);
  EXPECT_EQ(marked.at("status"), "active");
  fake.AdvanceClock(s.clock, s.period_end + 3600);
  const json::value ended = fake.Get("/v1/subscriptions/" + s.subscription);
  EXPECT_EQ(ended.at("status"), "canceled");
  EXPECT_EQ(N(ended.at("ended_at")), s.period_end);
  EXPECT_EQ(Invoices(fake, s.subscription).size(), 1u);  // no renewal
  EXPECT_EQ(CountEvents(fake, "customer.subscription.deleted"), 1u);
  EXPECT_EQ(fake.Get("/v1/subscriptions", {{"customer", s.customer}}).at("data").as_array().size(),
            0u);
  EXPECT_EQ(fake.Get("/v1/subscriptions", {{"customer", s.customer}, {"status", "all"}})
                .at("data")
                .as_array()
                .size(),
            1u);
}

TEST(StripeFakeBilling, CancelNowWithProrateLeavesACreditOnTheCustomersBalance) {
  StripeFakeServer fake;
  const Subscribed s = Subscribe(fake);
  fake.AdvanceClock(s.clock, kStart + 15 * kDay);
  const json::value canceled = fake.Delete("/v1/subscriptions/" + s.subscription,
                                           {{"invoice_now", "true"}, {"prorate", "true"}});
  EXPECT_EQ(canceled.at("status"), "canceled");
  EXPECT_EQ(N(canceled.at("canceled_at")), kStart + 15 * kDay);
  const json::value final_invoice = Invoices(fake, s.subscription).back();
  // Unused 16/31 of 19 900 and of 4 497: −10 271 (10 270.97) and −2 321, VAT −1 951 and −441.
  EXPECT_EQ(N(final_invoice.at("total")), -10271 - 2321 - 1951 - 441);
  EXPECT_EQ(N(final_invoice.at("amount_due")), 0);
  EXPECT_EQ(final_invoice.at("status"), "paid");
  EXPECT_EQ(N(fake.Get("/v1/customers/" + s.customer).at("balance")), -14984);
  EXPECT_EQ(fake.Call(http::Verb::delete_, "/v1/subscriptions/" + s.subscription).result_int(),
            400);
}

TEST(StripeFakeBilling, ARenewalIsAnnouncedThenADraftForAnHourThenCharged) {
  StripeFakeServer fake;
  const Subscribed s = Subscribe(fake);
  // Three days ahead: invoice.upcoming, a preview without an id.
  fake.AdvanceClock(s.clock, s.period_end - 3 * kDay + 60);
  ASSERT_EQ(CountEvents(fake, "invoice.upcoming"), 1u);
  const json::value upcoming =
      fake.Get("/v1/events", {{"type", "invoice.upcoming"}}).at("data").at(0);
  EXPECT_EQ(N(upcoming.at("created")), s.period_end - 3 * kDay);
  const json::value& preview = upcoming.at("data").at("object");
  EXPECT_FALSE(preview.as_object().contains("id"));
  EXPECT_EQ(preview.at("subscription").as_string(), s.subscription);
  EXPECT_EQ(N(preview.at("period_end")), s.period_end);
  EXPECT_GT(N(preview.at("amount_due")), 0);
  EXPECT_EQ(Invoices(fake, s.subscription).size(), 1u);

  // At the period's end: a draft, with its amounts, for an hour.
  fake.AdvanceClock(s.clock, s.period_end + 60);
  json::value renewal = Invoices(fake, s.subscription).back();
  EXPECT_EQ(renewal.at("billing_reason"), "subscription_cycle");
  EXPECT_EQ(renewal.at("status"), "draft");
  EXPECT_EQ(N(renewal.at("amount_due")), N(preview.at("amount_due")));
  EXPECT_EQ(CountEvents(fake, "invoice.created"), 2u);
  EXPECT_EQ(CountEvents(fake, "invoice.finalized"), 1u);

  // An hour later: finalized and paid.
  fake.AdvanceClock(s.clock, s.period_end + 3600);
  renewal = fake.Get("/v1/invoices/" + Id(renewal));
  EXPECT_EQ(renewal.at("status"), "paid");
  EXPECT_EQ(N(renewal.at("status_transitions").at("finalized_at")), s.period_end + 3600);
  EXPECT_EQ(CountEvents(fake, "invoice.upcoming"), 1u);  // once per renewal
}

TEST(StripeFakeBilling, ASubscriptionCanceledWhileItsRenewalIsADraftIsNotCharged) {
  StripeFakeServer fake;
  const Subscribed s = Subscribe(fake);
  fake.AdvanceClock(s.clock, s.period_end + 60);
  const std::string draft = Id(Invoices(fake, s.subscription).back());
  ASSERT_EQ(fake.Get("/v1/invoices/" + draft).at("status"), "draft");
  fake.Delete("/v1/subscriptions/" + s.subscription);
  fake.AdvanceClock(s.clock, s.period_end + 2 * 3600);
  EXPECT_EQ(fake.Call(http::Verb::get, "/v1/invoices/" + draft).result_int(), 404);
  EXPECT_EQ(CountEvents(fake, "invoice.deleted"), 1u);
  EXPECT_EQ(fake.Get("/v1/subscriptions/" + s.subscription).at("status"), "canceled");
  EXPECT_EQ(Invoices(fake, s.subscription).size(), 1u);  // the first invoice only
}

TEST(StripeFakeBilling, AFailedRenewalIsDunnedAndEndsInCancellation) {
  // The first attempt is when the draft is finalized, an hour after the period's end; the
  // retries count from it.
  constexpr std::int64_t kHour = 3600;
  StripeFakeServer fake;
  const Subscribed s = Subscribe(fake, TestCard{.number = "4000 0000 0000 0341"});
  fake.AdvanceClock(s.clock, s.period_end + kHour);
  json::value subscription = fake.Get("/v1/subscriptions/" + s.subscription);
  EXPECT_EQ(subscription.at("status"), "past_due");
  json::value invoice = Invoices(fake, s.subscription).back();
  EXPECT_EQ(invoice.at("status"), "open");
  EXPECT_EQ(invoice.at("attempt_count"), 1);
  EXPECT_EQ(invoice.at("attempted"), true);
  EXPECT_EQ(N(invoice.at("next_payment_attempt")), s.period_end + kHour + 3 * kDay);
  EXPECT_EQ(CountEvents(fake, "invoice.payment_failed"), 1u);
  const json::value intent =
      fake.Get("/v1/payment_intents/" + std::string(invoice.at("payment_intent").as_string()));
  EXPECT_EQ(intent.at("last_payment_error").at("decline_code"), "generic_decline");

  fake.AdvanceClock(s.clock, s.period_end + kHour + 3 * kDay + 60);
  invoice = fake.Get("/v1/invoices/" + Id(invoice));
  EXPECT_EQ(invoice.at("attempt_count"), 2);
  EXPECT_EQ(N(invoice.at("next_payment_attempt")), s.period_end + kHour + 5 * kDay);
  EXPECT_EQ(fake.Get("/v1/subscriptions/" + s.subscription).at("status"), "past_due");

  fake.AdvanceClock(s.clock, s.period_end + 8 * kDay);
  invoice = fake.Get("/v1/invoices/" + Id(invoice));
  EXPECT_EQ(invoice.at("attempt_count"), 4);
  EXPECT_EQ(invoice.at("status"), "uncollectible");
  EXPECT_EQ(invoice.at("next_payment_attempt"), nullptr);
  subscription = fake.Get("/v1/subscriptions/" + s.subscription);
  EXPECT_EQ(subscription.at("status"), "canceled");
  EXPECT_EQ(N(subscription.at("ended_at")), s.period_end + kHour + 7 * kDay);
  EXPECT_EQ(subscription.at("cancellation_details").at("reason"), "payment_failed");
  EXPECT_EQ(CountEvents(fake, "invoice.payment_failed"), 4u);
  EXPECT_EQ(CountEvents(fake, "customer.subscription.deleted"), 1u);
  EXPECT_EQ(CountEvents(fake, "invoice.marked_uncollectible"), 1u);
  // Nothing renews a canceled subscription.
  fake.AdvanceClock(s.clock, s.period_end + 60 * kDay);
  EXPECT_EQ(Invoices(fake, s.subscription).size(), 2u);
}

TEST(StripeFakeBilling, AnOpenInvoiceCanBePaidWithANewCardOrVoided) {
  StripeFakeServer fake;
  const Subscribed s = Subscribe(fake, TestCard{.number = "4000000000000341"});
  fake.AdvanceClock(s.clock, s.period_end + 3600);
  const std::string invoice = Id(Invoices(fake, s.subscription).back());
  const auto declined = fake.Call(http::Verb::post, "/v1/invoices/" + invoice + "/pay");
  EXPECT_EQ(declined.result_int(), 402);
  const json::value error = json::parse(declined.body()).at("error");
  EXPECT_EQ(error.at("type"), "card_error");
  EXPECT_EQ(error.at("code"), "card_declined");
  EXPECT_EQ(error.at("decline_code"), "generic_decline");

  const json::value voided = fake.Post("/v1/invoices/" + invoice + "/void");
  EXPECT_EQ(voided.at("status"), "void");
  EXPECT_TRUE(voided.at("status_transitions").at("voided_at").is_number());
  EXPECT_EQ(CountEvents(fake, "invoice.voided"), 1u);
  EXPECT_EQ(fake.Call(http::Verb::post, "/v1/invoices/" + invoice + "/void").result_int(), 400);
  const json::value paid_first = Invoices(fake, s.subscription).front();
  EXPECT_EQ(fake.Call(http::Verb::post, "/v1/invoices/" + Id(paid_first) + "/void").result_int(),
            400);
}

TEST(StripeFakeBilling, InvoicesAreListedByCustomerSubscriptionStatusAndCreated) {
  StripeFakeServer fake;
  const Subscribed s = Subscribe(fake);
  fake.AdvanceClock(s.clock, s.period_end + 3600);
  EXPECT_EQ(fake.Get("/v1/invoices", {{"customer", s.customer}}).at("data").as_array().size(), 2u);
  EXPECT_EQ(fake.Get("/v1/invoices", {{"status", "open"}}).at("data").as_array().size(), 0u);
  const json::value later = fake.Get("/v1/invoices", {{"created[gt]", std::to_string(kStart)}});
  ASSERT_EQ(later.at("data").as_array().size(), 1u);
  EXPECT_EQ(later.at("data").at(0).at("billing_reason"), "subscription_cycle");
  EXPECT_EQ(fake.Get("/v1/invoices", {{"subscription", "sub_other"}}).at("data").as_array().size(),
            0u);
}

TEST(StripeFakeBilling, TheHostedInvoicePageAndAValidPdfAreServed) {
  StripeFakeServer fake;
  const Subscribed s = Subscribe(fake);
  const json::value invoice = Invoices(fake, s.subscription).front();
  const std::string number(invoice.at("number").as_string());
  const auto page = fake.Page(std::string(invoice.at("hosted_invoice_url").as_string()));
  EXPECT_EQ(page.status, 200u);
  EXPECT_NE(page.body.find(number), std::string::npos);
  EXPECT_NE(page.body.find("paid"), std::string::npos);
  const auto pdf = fake.Page(std::string(invoice.at("invoice_pdf").as_string()));
  ASSERT_EQ(pdf.status, 200u);
  ASSERT_TRUE(pdf.body.starts_with("%PDF-1.4"));
  EXPECT_NE(pdf.body.find(number), std::string::npos);
  const std::string path = ::testing::TempDir() + "/invoice-" + number + ".pdf";
  {
    std::ofstream out(path, std::ios::binary);
    out << pdf.body;
  }
  const int check = std::system(("qpdf --check '" + path + "' > /dev/null 2>&1").c_str());
  EXPECT_EQ(check, 0) << "qpdf --check rejects " << path;
  EXPECT_EQ(fake.Page("/i/in_doesnotexist/pdf").status, 404u);
}

TEST(StripeFakeBilling, RefundsReduceTheChargeAndEmitChargeRefunded) {
  StripeFakeServer fake;
  const Subscribed s = Subscribe(fake);
  const json::value invoice = Invoices(fake, s.subscription).front();
  const std::string charge(invoice.at("charge").as_string());
  const std::int64_t amount = N(invoice.at("amount_paid"));
  const json::value partial = fake.Post(
      "/v1/refunds", {{"charge", charge}, {"amount", "1000"}, {"reason", "requested_by_customer"}});
  EXPECT_TRUE(Id(partial).starts_with("re_"));
  EXPECT_EQ(partial.at("status"), "succeeded");
  EXPECT_EQ(N(partial.at("amount")), 1000);
  EXPECT_EQ(fake.Get("/v1/charges/" + charge).at("refunded"), false);
  const auto too_much = fake.Call(http::Verb::post, "/v1/refunds",
                                  {{"charge", charge}, {"amount", std::to_string(amount)}});
  EXPECT_EQ(too_much.result_int(), 400);
  const json::value rest = fake.Post(
      "/v1/refunds", {{"payment_intent", std::string(invoice.at("payment_intent").as_string())}});
  EXPECT_EQ(N(rest.at("amount")), amount - 1000);
  const json::value refunded = fake.Get("/v1/charges/" + charge);
  EXPECT_EQ(refunded.at("refunded"), true);
  EXPECT_EQ(N(refunded.at("amount_refunded")), amount);
  const auto again = fake.Call(http::Verb::post, "/v1/refunds", {{"charge", charge}});
  EXPECT_EQ(json::parse(again.body()).at("error").at("code"), "charge_already_refunded");
  EXPECT_EQ(CountEvents(fake, "charge.refunded"), 2u);
  const json::value event = fake.Get("/v1/events", {{"type", "charge.refunded"}}).at("data").at(0);
  EXPECT_EQ(N(event.at("data").at("object").at("amount_refunded")), amount);
  EXPECT_EQ(N(event.at("data").at("previous_attributes").at("amount_refunded")), 1000);
  const auto missing = fake.Call(http::Verb::post, "/v1/refunds");
  EXPECT_EQ(json::parse(missing.body()).at("error").at("code"), "parameter_missing");
}

TEST(StripeFakeBilling, ThePortalCancelsResumesChangesQuantitiesAndReplacesTheCard) {
  StripeFakeServer fake;
  const Subscribed s = Subscribe(fake);
  const json::value portal =
      fake.Post("/v1/billing_portal/sessions",
                {{"customer", s.customer}, {"return_url", "https://app.example/billing"}});
  EXPECT_TRUE(Id(portal).starts_with("bps_"));
  EXPECT_EQ(portal.at("object"), "billing_portal.session");
  const std::string url(portal.at("url").as_string());
  const auto page = fake.Page(url);
  ASSERT_EQ(page.status, 200u);
  EXPECT_NE(page.body.find(s.subscription), std::string::npos);
  EXPECT_NE(page.body.find("https://app.example/billing"), std::string::npos);

  const stripe::FormFields cancel{{"action", "cancel"}, {"subscription", s.subscription}};
  EXPECT_EQ(fake.Page(url, &cancel).status, 303u);
  EXPECT_EQ(fake.Get("/v1/subscriptions/" + s.subscription).at("cancel_at_period_end"), true);
  const stripe::FormFields resume{{"action", "resume"}, {"subscription", s.subscription}};
  EXPECT_EQ(fake.Page(url, &resume).status, 303u);
  EXPECT_EQ(fake.Get("/v1/subscriptions/" + s.subscription).at("cancel_at_period_end"), false);

  fake.AdvanceClock(s.clock, kStart + 15 * kDay);
  const std::string sso(fake.Get("/v1/subscriptions/" + s.subscription)
                            .at("items")
                            .at("data")
                            .at(1)
                            .at("id")
                            .as_string());
  const stripe::FormFields quantity{
      {"action", "quantity"}, {"subscription", s.subscription}, {"item", sso}, {"quantity", "5"}};
  EXPECT_EQ(fake.Page(url, &quantity).status, 303u);
  EXPECT_EQ(
      fake.Get("/v1/subscriptions/" + s.subscription).at("items").at("data").at(1).at("quantity"),
      5);
  const json::value pending = fake.Get("/v1/invoiceitems", {{"pending", "true"}});
  ASSERT_EQ(pending.at("data").as_array().size(), 2u);
  EXPECT_EQ(N(pending.at("data").at(0).at("amount")), 3868);  // as through the API
  const stripe::FormFields zero{
      {"action", "quantity"}, {"subscription", s.subscription}, {"item", sso}, {"quantity", "0"}};
  EXPECT_EQ(fake.Page(url, &zero).status, 422u);

  const stripe::FormFields card{{"action", "card"},
                                {"card_number", "4242424242424242"},
                                {"exp", "01/35"},
                                {"cvc", "999"},
                                {"name", "New Card"}};
  EXPECT_EQ(fake.Page(url, &card).status, 303u);
  const json::value customer = fake.Get("/v1/customers/" + s.customer);
  const std::string method(
      customer.at("invoice_settings").at("default_payment_method").as_string());
  EXPECT_EQ(fake.Get("/v1/payment_methods/" + method).at("card").at("exp_year"), 2035);
  EXPECT_EQ(fake.Get("/v1/subscriptions/" + s.subscription).at("default_payment_method"),
            json::value(method));
  EXPECT_GE(CountEvents(fake, "customer.subscription.updated"), 4u);
}

TEST(StripeFakeBilling, ANewCardInThePortalPaysAPastDueInvoice) {
  StripeFakeServer fake;
  const Subscribed s = Subscribe(fake, TestCard{.number = "4000 0000 0000 0341"});
  fake.AdvanceClock(s.clock, s.period_end + 3600);
  ASSERT_EQ(fake.Get("/v1/subscriptions/" + s.subscription).at("status"), "past_due");
  const std::string url(
      fake.Post("/v1/billing_portal/sessions", {{"customer", s.customer}}).at("url").as_string());
  const stripe::FormFields card{
      {"action", "card"}, {"card_number", "4242 4242 4242 4242"}, {"exp", "12/34"}, {"cvc", "123"}};
  EXPECT_EQ(fake.Page(url, &card).status, 303u);
  EXPECT_EQ(fake.Get("/v1/subscriptions/" + s.subscription).at("status"), "active");
  EXPECT_EQ(Invoices(fake, s.subscription).back().at("status"), "paid");
}

TEST(StripeFakeBilling, APortalOffersOnlyWhatItsConfigurationEnables) {
  StripeFakeServer fake;
  const Subscribed s = Subscribe(fake);
  const json::value configuration =
      fake.Post("/v1/billing_portal/configurations",
                {{"features[subscription_cancel][enabled]", "false"},
                 {"features[subscription_update][enabled]", "false"},
                 {"features[invoice_history][enabled]", "true"},
                 {"default_return_url", "https://www.example/de/account"}});
  EXPECT_EQ(configuration.at("is_default"), false);
  const json::value session =
      fake.Post("/v1/billing_portal/sessions",
                {{"customer", s.customer}, {"configuration", Id(configuration)}});
  EXPECT_EQ(session.at("configuration"), configuration.at("id"));
  EXPECT_EQ(session.at("return_url"), "https://www.example/de/account");
  const std::string url(session.at("url").as_string());
  const std::string page = fake.Page(url).body;
  EXPECT_EQ(page.find("value=\"cancel\""), std::string::npos);
  EXPECT_EQ(page.find("value=\"quantity\""), std::string::npos);
  EXPECT_NE(page.find("value=\"card\""), std::string::npos);
  // A form posted anyway is refused, and nothing changes.
  const stripe::FormFields cancel{{"action", "cancel"}, {"subscription", s.subscription}};
  EXPECT_NE(fake.Page(url, &cancel).body.find("This portal does not offer that."),
            std::string::npos);
  EXPECT_EQ(fake.Get("/v1/subscriptions/" + s.subscription).at("cancel_at_period_end"), false);
  // Without a configuration, the account's default offers everything.
  const std::string full(
      fake.Post("/v1/billing_portal/sessions", {{"customer", s.customer}}).at("url").as_string());
  EXPECT_NE(fake.Page(full).body.find("value=\"cancel\""), std::string::npos);
  EXPECT_EQ(fake.Call(http::Verb::post, "/v1/billing_portal/sessions",
                      {{"customer", s.customer}, {"configuration", "bpc_none"}})
                .result_int(),
            404);
}

TEST(StripeFakeBilling, TestClocksAreListedAndDeletedAndCannotGoBack) {
  StripeFakeServer fake;
  const json::value clock =
      fake.Post("/v1/test_helpers/test_clocks", {{"frozen_time", std::to_string(kStart)}});
  EXPECT_TRUE(Id(clock).starts_with("clock_"));
  EXPECT_EQ(clock.at("object"), "test_helpers.test_clock");
  EXPECT_EQ(clock.at("status"), "ready");
  const auto back =
      fake.Call(http::Verb::post, "/v1/test_helpers/test_clocks/" + Id(clock) + "/advance",
                {{"frozen_time", std::to_string(kStart - 1)}});
  EXPECT_EQ(back.result_int(), 400);
  EXPECT_EQ(fake.Get("/v1/test_helpers/test_clocks").at("data").as_array().size(), 1u);
  EXPECT_EQ(fake.Delete("/v1/test_helpers/test_clocks/" + Id(clock)).at("deleted"), true);
  EXPECT_EQ(fake.Call(http::Verb::get, "/v1/test_helpers/test_clocks/" + Id(clock)).result_int(),
            404);
}

TEST(StripeFakeBilling, DeletingACustomerCancelsTheirSubscriptions) {
  StripeFakeServer fake;
  const Subscribed s = Subscribe(fake);
  const json::value deleted = fake.Delete("/v1/customers/" + s.customer);
  EXPECT_EQ(deleted.at("deleted"), true);
  EXPECT_EQ(fake.Get("/v1/customers/" + s.customer).at("deleted"), true);
  EXPECT_EQ(fake.Get("/v1/subscriptions/" + s.subscription).at("status"), "canceled");
  EXPECT_EQ(fake.Get("/v1/customers").at("data").as_array().size(), 0u);
  EXPECT_EQ(
      fake.Call(http::Verb::post, "/v1/customers/" + s.customer, {{"name", "X"}}).result_int(),
      404);
  EXPECT_EQ(Invoices(fake, s.subscription).front().at("status"), "paid");  // still readable
}

TEST(StripeFakeBilling, ASubscriptionTakesOnlyRecurringPricesAndAnItemToDeleteNeedsItsId) {
  StripeFakeServer fake;
  const Subscribed s = Subscribe(fake);
  const std::string one_time(
      fake.Post("/v1/prices", {{"currency", "eur"}, {"unit_amount", "500"}, {"product", "team"}})
          .at("id")
          .as_string());
  const auto response = fake.Call(http::Verb::post, "/v1/subscriptions/" + s.subscription,
                                  {{"items[0][price]", one_time}});
  EXPECT_EQ(response.result_int(), 400);
  EXPECT_EQ(json::parse(response.body()).at("error").at("param"), "items[0][price]");
  const auto deletion = fake.Call(http::Verb::post, "/v1/subscriptions/" + s.subscription,
                                  {{"items[0][deleted]", "true"}});
  EXPECT_EQ(json::parse(deletion.body()).at("error").at("param"), "items[0][id]");
  // A new recurring item is added with a charge for the rest of the period.
  fake.AdvanceClock(s.clock, kStart + 15 * kDay);
  const json::value updated = fake.Post("/v1/subscriptions/" + s.subscription,
                                        {{"items[0][price_data][currency]", "eur"},
                                         {"items[0][price_data][unit_amount]", "3100"},
                                         {"items[0][price_data][product]", "sso"},
                                         {"items[0][price_data][recurring][interval]", "month"},
                                         {"items[0][quantity]", "1"}});
  EXPECT_EQ(updated.at("items").at("data").as_array().size(), 3u);
  const json::value pending = fake.Get("/v1/invoiceitems", {{"pending", "true"}});
  ASSERT_EQ(pending.at("data").as_array().size(), 1u);
  EXPECT_EQ(N(pending.at("data").at(0).at("amount")), 1600);  // 3 100 × 16/31
}

}  // namespace
}  // namespace codezero::stripe_fake
