// Checkout over HTTP, end to end without a browser: the API against a real PostgreSQL and
// Redis and the Stripe stand-in, which pays on its hosted page and posts signed webhooks
// back to the API. Register, verify, sign in, quote, check out, pay: the event is stored and
// its job enqueued; a declined card leaves the order waiting; one Idempotency-Key makes one
// order and one session however often it is sent.
#include <gtest/gtest.h>

#include <atomic>
#include <ctime>
#include <thread>

#include "domain/quote_token.h"
#include "support/api_test.h"
#include "support/eventually.h"
#include "support/json_values.h"
#include "support/log_capture.h"
#include "support/stripe_fake_server.h"

namespace codezero::api {
namespace {

namespace json = boost::json;
using testing::JsonOf;

constexpr std::string_view kTeamYearly =
    R"({"plan":"team","interval":"year","addons":[{"code":"extra_seats","quantity":5},)"
    R"({"code":"sso","quantity":1}],"customer":{"country":"DE","type":"business"},"locale":"en"})";

using testing::N;
std::string S(const json::value& value) { return std::string(value.as_string()); }

class CheckoutApi : public testing::ApiTest {
 protected:
  void SetUp() override { StartWithStripe(fake.base_url()); }

  void StartWithStripe(const std::string& api_base,
                       std::chrono::milliseconds stripe_timeout = std::chrono::milliseconds(3000),
                       int stripe_retries = 1) {
    api.reset();
    Start([&](ApiSettings& settings) {
      settings.stripe.secret_key = fake.api_key();
      settings.stripe.api_base = api_base;
      settings.stripe.max_retries = stripe_retries;
      settings.stripe.initial_backoff = std::chrono::milliseconds(10);
      settings.stripe.timeout = stripe_timeout;
      settings.stripe_webhook_secrets = {fake.webhook_secret()};
      // Reads of an unpaid order ask Stripe at most this often (one test counts them).
      settings.order_check_interval = std::chrono::milliseconds(200);
    });
    fake.SetWebhookEndpoints(
        {"http://127.0.0.1:" + std::to_string(api->port()) + "/v1/webhooks/stripe"});
  }

  // A verified owner of a new company; returns the access token.
  std::string Owner(const std::string& email, const std::string& country = "DE",
                    const std::string& vat_id = "") {
    SignUpAndVerify(email, "Acme " + country, country, vat_id);
    return Login(email).access;
  }

  json::value Quote(std::string_view body) {
    const http::Response response = Send(http::Verb::post, "/v1/quotes", std::string(body));
    EXPECT_EQ(response.result(), http::Status::created) << response.body();
    return JsonOf(response);
  }

  // An order with the terms accepted (as every order must), and `extra` members.
  http::Response Checkout(const std::string& token, const std::string& quote_token,
                          const std::string& key, const std::string& extra = "") {
    return Send(http::Verb::post, "/v1/checkout/sessions",
                R"({"quote_token":")" + quote_token + R"(","terms_accepted":true)" + extra + "}",
                token, "application/json", {{"Idempotency-Key", key}});
  }

  json::value Order(const std::string& token, const std::string& order_id) {
    const http::Response response = Send(http::Verb::get, "/v1/orders/" + order_id, "", token);
    EXPECT_EQ(response.result(), http::Status::ok) << response.body();
    return JsonOf(response);
  }

  // Waits until the API has stored an event of `type` (webhooks arrive asynchronously).
  bool EventStored(const std::string& type, int timeout_ms = 10'000) {
    return testing::Eventually(
        [&] {
          return database.QueryValue("SELECT count(*) FROM stripe_events WHERE type = '" + type +
                                     "'") != "0";
        },
        std::chrono::milliseconds(timeout_ms));
  }

  testing::StripeFakeServer fake;
};

TEST_F(CheckoutApi, FromSignUpToAPaidOrderWithTheEventStoredAndItsJobEnqueued) {
  const std::string token = Owner("buyer@example.com");
  const json::value quote = Quote(kTeamYearly);
  EXPECT_EQ(N(quote.at("amount_total")), 443870);

  const http::Response created = Checkout(token, S(quote.at("token")), "purchase-1");
  ASSERT_EQ(created.result(), http::Status::created) << created.body();
  const json::value checkout = JsonOf(created);
  const std::string order_id = S(checkout.at("order_id"));
  const std::string session_id = S(checkout.at("checkout_session_id"));
  EXPECT_EQ(N(checkout.at("amount_total")), 443870);

  // Stripe's session charges exactly the quote, line by line.
  const json::value session = fake.Get("/v1/checkout/sessions/" + session_id);
  EXPECT_EQ(N(session.at("amount_total")), 443870);
  EXPECT_EQ(N(session.at("total_details").at("amount_tax")), 70870);
  EXPECT_EQ(S(session.at("mode")), "subscription");
  EXPECT_EQ(S(session.at("client_reference_id")), order_id);
  EXPECT_EQ(S(session.at("metadata").at("order_id")), order_id);
  const json::value items = fake.Get("/v1/checkout/sessions/" + session_id + "/line_items");
  ASSERT_EQ(items.at("data").as_array().size(), 3u);
  EXPECT_EQ(N(items.at("data").at(1).at("amount_subtotal")), 75000);
  EXPECT_EQ(N(items.at("data").at(1).at("amount_tax")), 14250);

  json::value order = Order(token, order_id);
  EXPECT_EQ(S(order.at("status")), "awaiting_payment");
  EXPECT_EQ(N(order.at("amount_total")), 443870);
  EXPECT_EQ(order.at("lines").as_array().size(), 3u);
  EXPECT_EQ(S(order.at("checkout").at("session_id")), session_id);

  const testing::PageResult paid = fake.Pay(S(checkout.at("url")));
  EXPECT_EQ(paid.status, 303u) << paid.body;
  EXPECT_NE(paid.location.find("/en/checkout/success?order=" + order_id), std::string::npos)
      << paid.location;
  EXPECT_NE(paid.location.find("session_id=" + session_id), std::string::npos);

  ASSERT_TRUE(EventStored("checkout.session.completed"));
  const std::string event_id =
      database.QueryValue("SELECT id FROM stripe_events WHERE type = 'checkout.session.completed'");
  EXPECT_NE(database.QueryValue("SELECT payload FROM stripe_events WHERE id = '" + event_id + "'")
                .find(session_id),
            std::string::npos);
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM jobs WHERE kind = 'stripe.process_event' "
                                "AND args->>'event_id' = '" +
                                event_id + "'"),
            "1");

  // The browser is back before the worker: reading the order confirms it with Stripe (once the
  // interval since the read before the payment has passed).
  ASSERT_TRUE(testing::Eventually([&] {
    order = Order(token, order_id);
    return S(order.at("status")) == "paid";
  }));
  EXPECT_TRUE(order.at("checkout").at("url").is_null());
  EXPECT_FALSE(order.at("subscription_id").is_null());
  const auto& history = order.at("history").as_array();
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(S(history[1].at("from")), "awaiting_payment");
  EXPECT_EQ(S(history[1].at("to")), "paid");
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM jobs WHERE kind = 'order.provision' AND "
                                "args->>'order_id' = '" +
                                order_id + "'"),
            "1");
  // Reading again changes nothing.
  EXPECT_EQ(Order(token, order_id).at("history").as_array().size(), 2u);
}

TEST_F(CheckoutApi, ADeclinedCardLeavesTheOrderWaitingAndTheSessionOpen) {
  const std::string token = Owner("declined@example.com");
  const json::value quote = Quote(kTeamYearly);
  const json::value checkout = JsonOf(Checkout(token, S(quote.at("token")), "purchase-declined"));
  const std::string url = S(checkout.at("url"));

  const testing::PageResult declined = fake.Pay(url, {.number = "4000 0000 0000 0002"});
  EXPECT_NE(declined.status, 303u);
  EXPECT_NE(declined.body.find("declined"), std::string::npos) << declined.body;
  ASSERT_TRUE(EventStored("payment_intent.payment_failed"));

  const std::string order_id = S(checkout.at("order_id"));
  json::value order = Order(token, order_id);
  EXPECT_EQ(S(order.at("status")), "awaiting_payment");
  EXPECT_EQ(S(order.at("checkout").at("url")), url);
  EXPECT_EQ(
      S(fake.Get("/v1/checkout/sessions/" + S(checkout.at("checkout_session_id"))).at("status")),
      "open");
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM jobs WHERE kind = 'order.provision'"), "0");

  // The customer tries another card on the same page, and it works.
  EXPECT_EQ(fake.Pay(url).status, 303u);
  EXPECT_TRUE(
      testing::Eventually([&] { return S(Order(token, order_id).at("status")) == "paid"; }));
}

TEST_F(CheckoutApi, OneIdempotencyKeySentAHundredTimesAtOnceMakesOneOrderAndOneSession) {
  const std::string token = Owner("hurried@example.com");
  const std::string quote_token = S(Quote(kTeamYearly).at("token"));

  std::atomic<int> created = 0;
  std::atomic<int> replayed = 0;
  std::atomic<int> in_flight = 0;
  std::atomic<int> other = 0;
  std::vector<std::thread> clients;
  for (int i = 0; i < 100; ++i) {
    clients.emplace_back([&] {
      const http::Response response = Checkout(token, quote_token, "double-click");
      if (response.result() == http::Status::created) {
        (response["Idempotent-Replayed"] == "true" ? replayed : created)++;
      } else if (response.result() == http::Status::conflict) {
        ++in_flight;
      } else {
        ++other;
      }
    });
  }
  for (std::thread& client : clients) client.join();

  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(replayed.load() + in_flight.load(), 99);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM orders"), "1");
  const std::string customer = database.QueryValue("SELECT stripe_customer_id FROM companies");
  const json::value sessions =
      fake.Get("/v1/checkout/sessions", {{"customer", customer}, {"limit", "100"}});
  EXPECT_EQ(sessions.at("data").as_array().size(), 1u);
  // A replay afterwards gives the same answer.
  const http::Response again = Checkout(token, quote_token, "double-click");
  EXPECT_EQ(again.result(), http::Status::created);
  EXPECT_EQ(again["Idempotent-Replayed"], "true");
}

TEST_F(CheckoutApi, AKeyReusedForAnotherRequestOrMissingIsRefused) {
  const std::string token = Owner("careful@example.com");
  const std::string first = S(Quote(kTeamYearly).at("token"));
  ASSERT_EQ(Checkout(token, first, "key-a").result(), http::Status::created);
  const std::string second = S(
      Quote(
          R"({"plan":"starter","interval":"month","customer":{"country":"DE","type":"business"}})")
          .at("token"));
  const http::Response reused = Checkout(token, second, "key-a");
  EXPECT_EQ(reused.result(), http::Status::unprocessable_entity);
  EXPECT_EQ(S(JsonOf(reused).at("errors").at(0).at("code")), "idempotency_key_reused");

  const http::Response keyless = Send(http::Verb::post, "/v1/checkout/sessions",
                                      R"({"quote_token":")" + second + "\"}", token);
  EXPECT_EQ(keyless.result(), http::Status::bad_request);
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM orders"), "1");
}

TEST_F(CheckoutApi, RefusesAlteredExpiredOrForeignQuotesAndOutsideRedirects) {
  const std::string token = Owner("picky@example.com");
  std::string quote_token = S(Quote(kTeamYearly).at("token"));

  std::string altered = quote_token;
  altered[10] = altered[10] == 'A' ? 'B' : 'A';
  const http::Response tampered = Checkout(token, altered, "k1");
  EXPECT_EQ(tampered.result(), http::Status::unprocessable_entity);
  EXPECT_EQ(S(JsonOf(tampered).at("errors").at(0).at("code")), "quote_invalid");

  auto payload = domain::OpenQuoteToken(quote_token, std::vector{testing::kTestQuoteKey},
                                        std::chrono::duration_cast<std::chrono::seconds>(
                                            std::chrono::system_clock::now().time_since_epoch())
                                            .count());
  ASSERT_TRUE(payload.has_value());
  payload->issued_at -= 8 * 24 * 3600;
  payload->expires_at -= 8 * 24 * 3600;
  const http::Response expired =
      Checkout(token, domain::SealQuoteToken(*payload, testing::kTestQuoteKey), "k2");
  EXPECT_EQ(expired.result(), http::Status::unprocessable_entity);
  EXPECT_EQ(S(JsonOf(expired).at("errors").at(0).at("code")), "quote_expired");

  // A quote made for a Swiss customer (no VAT) cannot be bought by a German company.
  const std::string swiss =
      S(Quote(R"({"plan":"team","interval":"month","customer":{"country":"CH","type":"business"}})")
            .at("token"));
  const http::Response foreign = Checkout(token, swiss, "k3");
  EXPECT_EQ(foreign.result(), http::Status::unprocessable_entity);
  EXPECT_EQ(S(JsonOf(foreign).at("errors").at(0).at("code")), "quote_customer_mismatch");

  const http::Response redirect =
      Checkout(token, quote_token, "k4", R"(,"success_url":"https://evil.example/phish")");
  EXPECT_EQ(redirect.result(), http::Status::unprocessable_entity);
  EXPECT_EQ(S(JsonOf(redirect).at("errors").at(0).at("code")), "url_not_allowed");
  // On this site, but with a line break that would end the Location header Stripe sends.
  int attempt = 0;
  for (const std::string control : {R"(\r\nSet-Cookie: a=b)", R"(\u0000)", R"(\u007f)"}) {
    const http::Response split =
        Checkout(token, quote_token, "k5-" + std::to_string(++attempt),
                 R"(,"cancel_url":"http://127.0.0.1:8080/de/checkout/canceled)" + control + "\"");
    EXPECT_EQ(split.result(), http::Status::unprocessable_entity) << control;
    EXPECT_EQ(S(JsonOf(split).at("errors").at(0).at("code")), "url_control_characters");
    EXPECT_EQ(S(JsonOf(split).at("errors").at(0).at("field")), "cancel_url");
  }
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM orders"), "0");
}

TEST_F(CheckoutApi, ChargesExactlyTheQuoteWithACouponAOneTimeLineAndRoundedCents) {
  // A Finnish consumer-like business without a VAT ID: OSS at 25.5 %, where per-line rounding
  // meets half cents; LAUNCH20 on the recurring lines only; the one-time workshop undiscounted.
  const std::string token = Owner("fi@example.com", "FI");
  const json::value quote = Quote(
      R"({"plan":"starter","interval":"month","addons":[{"code":"extra_seats","quantity":3},)"
      R"({"code":"audit_log"},{"code":"onboarding"}],"customer":{"country":"FI","type":"business"},)"
      R"("coupon":"LAUNCH20","locale":"en"})");
  const json::value checkout = JsonOf(Checkout(token, S(quote.at("token")), "fi-1"));
  const json::value session =
      fake.Get("/v1/checkout/sessions/" + S(checkout.at("checkout_session_id")));
  EXPECT_EQ(N(session.at("amount_total")), N(quote.at("amount_total")));
  EXPECT_EQ(N(session.at("amount_subtotal")), N(quote.at("amount_subtotal")));
  EXPECT_EQ(N(session.at("total_details").at("amount_discount")), N(quote.at("amount_discount")));
  EXPECT_EQ(N(session.at("total_details").at("amount_tax")), N(quote.at("amount_tax")));
  EXPECT_GT(N(quote.at("amount_discount")), 0);
  const json::value order = Order(token, S(checkout.at("order_id")));
  EXPECT_EQ(S(order.at("tax").at("treatment")), "oss");
  EXPECT_EQ(N(order.at("tax").at("rate_bps")), 2550);
  EXPECT_EQ(S(order.at("discount").at("code")), "LAUNCH20");
}

TEST_F(CheckoutApi, ReverseChargeCustomersAreTaxExemptAtStripe) {
  const std::string token = Owner("at@example.com", "AT", "ATU12345675");
  const json::value quote =
      Quote(R"({"plan":"team","interval":"month","customer":{"country":"AT","type":"business",)"
            R"("vat_id":"ATU12345675"}})");
  EXPECT_EQ(N(quote.at("amount_tax")), 0);
  const json::value checkout = JsonOf(Checkout(token, S(quote.at("token")), "at-1"));
  const std::string customer = database.QueryValue("SELECT stripe_customer_id FROM companies");
  const json::value at_stripe = fake.Get("/v1/customers/" + customer);
  EXPECT_EQ(S(at_stripe.at("tax_exempt")), "reverse");
  EXPECT_EQ(N(fake.Get("/v1/checkout/sessions/" + S(checkout.at("checkout_session_id")))
                  .at("amount_total")),
            N(quote.at("amount_total")));
}

// Stripe takes a tax ID with its country's type (https://docs.stripe.com/billing/customer/tax-ids):
// a British number is a gb_vat, not an eu_vat, and a number of a kind neither Stripe nor the
// platform checks is not sent at all.
TEST_F(CheckoutApi, TheStripeCustomerGetsItsTaxIdWithTheTypeOfItsCountry) {
  const auto customer_tax_ids = [&](const std::string& company_name) {
    const std::string customer = database.QueryValue(
        "SELECT stripe_customer_id FROM companies WHERE name = '" + company_name + "'");
    return fake.Get("/v1/customers/" + customer, {{"expand[0]", "tax_ids"}})
        .at("tax_ids")
        .at("data")
        .as_array();
  };
  const std::string british = Owner("uk@example.com", "GB", "GB 980 7806 84");
  const json::value gb_quote = Quote(R"({"plan":"team","interval":"month","customer":)"
                                     R"({"country":"GB","type":"business"}})");
  ASSERT_EQ(Checkout(british, S(gb_quote.at("token")), "gb-1").result(), http::Status::created);
  const json::array gb_ids = customer_tax_ids("Acme GB");
  ASSERT_EQ(gb_ids.size(), 1u);
  EXPECT_EQ(S(gb_ids.at(0).at("type")), "gb_vat");
  EXPECT_EQ(S(gb_ids.at(0).at("value")), "GB980780684");

  const std::string american = Owner("us@example.com", "US", "12-3456789");
  const json::value us_quote = Quote(R"({"plan":"team","interval":"month","customer":)"
                                     R"({"country":"US","type":"business"}})");
  ASSERT_EQ(Checkout(american, S(us_quote.at("token")), "us-1").result(), http::Status::created);
  EXPECT_TRUE(customer_tax_ids("Acme US").empty());
}

// The Stripe customer follows the company at every checkout (name, address, tax ID, tax
// status), and the note its treatment needs goes where Stripe prints it: the customer's invoice
// footer, copied onto each invoice, in the customer's language.
TEST_F(CheckoutApi, TheStripeCustomerFollowsTheCompanyAndItsInvoicesCarryTheTaxNote) {
  const std::string token = Owner("wien@example.com", "AT", "ATU12345675");
  ASSERT_EQ(Send(http::Verb::patch, "/v1/company",
                 R"({"address":{"line1":"Ring 1","postal_code":"1010","city":"Wien"}})", token)
                .result(),
            http::Status::ok);
  const json::value reverse = Quote(R"({"plan":"team","interval":"month","customer":)"
                                    R"({"country":"AT","type":"business","vat_id":"ATU12345675"},)"
                                    R"("locale":"en"})");
  const http::Response first = Checkout(token, S(reverse.at("token")), "follow-1");
  ASSERT_EQ(first.result(), http::Status::created) << first.body();
  const std::string id = database.QueryValue("SELECT stripe_customer_id FROM companies");
  const auto customer = [&] { return fake.Get("/v1/customers/" + id, {{"expand[0]", "tax_ids"}}); };
  json::value at_stripe = customer();
  EXPECT_EQ(S(at_stripe.at("address").at("line1")), "Ring 1");
  EXPECT_EQ(S(at_stripe.at("address").at("postal_code")), "1010");
  EXPECT_EQ(S(at_stripe.at("address").at("city")), "Wien");
  EXPECT_EQ(S(at_stripe.at("address").at("country")), "AT");
  EXPECT_EQ(S(at_stripe.at("tax_exempt")), "reverse");
  const std::string reverse_note = S(reverse.at("tax").at("note"));
  EXPECT_EQ(S(at_stripe.at("invoice_settings").at("footer")), reverse_note);
  ASSERT_EQ(at_stripe.at("tax_ids").at("data").as_array().size(), 1u);

  // Paid: the invoice carries the tax ID, the footer and Stripe's "Reverse charge".
  ASSERT_EQ(fake.Pay(S(JsonOf(first).at("url"))).status, 303u);
  const json::value invoices = fake.Get("/v1/invoices", {{"customer", id}});
  ASSERT_EQ(invoices.at("data").as_array().size(), 1u);
  const json::value& invoice = invoices.at("data").at(0);
  EXPECT_EQ(S(invoice.at("footer")), reverse_note);
  EXPECT_EQ(S(invoice.at("customer_tax_ids").at(0).at("value")), "ATU12345675");
  const testing::PageResult page = fake.Page(S(invoice.at("hosted_invoice_url")));
  EXPECT_NE(page.body.find("Reverse charge"), std::string::npos);
  EXPECT_NE(page.body.find("EU VAT: ATU12345675"), std::string::npos);

  // The company renames itself, moves, and gives up its VAT ID: the next checkout brings the
  // customer up to date, the old tax ID removed, the OSS note instead.
  ASSERT_EQ(Send(http::Verb::patch, "/v1/company",
                 R"({"name":"Acme Wien GmbH","vat_id":null,)"
                 R"("address":{"line1":"Ring 2","postal_code":"1010","city":"Wien"}})",
                 token)
                .result(),
            http::Status::ok);
  const json::value oss = Quote(R"({"plan":"team","interval":"month","customer":)"
                                R"({"country":"AT","type":"business"},"locale":"en"})");
  ASSERT_EQ(Checkout(token, S(oss.at("token")), "follow-2").result(), http::Status::created);
  at_stripe = customer();
  EXPECT_EQ(S(at_stripe.at("name")), "Acme Wien GmbH");
  EXPECT_EQ(S(at_stripe.at("address").at("line1")), "Ring 2");
  EXPECT_EQ(S(at_stripe.at("tax_exempt")), "none");
  EXPECT_TRUE(at_stripe.at("tax_ids").at("data").as_array().empty());
  EXPECT_EQ(S(at_stripe.at("invoice_settings").at("footer")), S(oss.at("tax").at("note")));
  EXPECT_NE(S(oss.at("tax").at("note")).find("One-Stop"), std::string::npos);

  // And back, within Stripe's day of idempotency keys: the first state again is applied again
  // (a key of the values alone would have replayed the first answer and left the second state).
  ASSERT_EQ(Send(http::Verb::patch, "/v1/company",
                 R"({"name":"Acme AT","vat_id":"ATU12345675",)"
                 R"("address":{"line1":"Ring 1","postal_code":"1010","city":"Wien"}})",
                 token)
                .result(),
            http::Status::ok);
  const json::value again = Quote(R"({"plan":"team","interval":"month","customer":)"
                                  R"({"country":"AT","type":"business","vat_id":"ATU12345675"},)"
                                  R"("locale":"en"})");
  ASSERT_EQ(Checkout(token, S(again.at("token")), "follow-3").result(), http::Status::created);
  at_stripe = customer();
  EXPECT_EQ(S(at_stripe.at("name")), "Acme AT");
  EXPECT_EQ(S(at_stripe.at("address").at("line1")), "Ring 1");
  EXPECT_EQ(S(at_stripe.at("tax_exempt")), "reverse");
  ASSERT_EQ(at_stripe.at("tax_ids").at("data").as_array().size(), 1u);
  EXPECT_EQ(S(at_stripe.at("tax_ids").at("data").at(0).at("value")), "ATU12345675");
  EXPECT_EQ(S(at_stripe.at("invoice_settings").at("footer")), reverse_note);
  // One customer for the company throughout.
  EXPECT_EQ(fake.Get("/v1/customers", {{"limit", "100"}}).at("data").as_array().size(), 1u);
}

// A quote for Germany is no quote for Büsingen: checkout holds the quote's territory against
// the company's address, and the right quote buys without German VAT, the note on the invoice.
TEST_F(CheckoutApi, AQuoteForTheRestOfTheCountryIsNoQuoteForBusingen) {
  const std::string token = Owner("buesingen@example.com");
  ASSERT_EQ(Send(http::Verb::patch, "/v1/company",
                 R"({"address":{"line1":"Junkerstraße 1","postal_code":"78266",)"
                 R"("city":"Büsingen am Hochrhein"}})",
                 token)
                .result(),
            http::Status::ok);
  const json::value ordinary = Quote(R"({"plan":"team","interval":"month","customer":)"
                                     R"({"country":"DE","type":"business"},"locale":"en"})");
  const http::Response refused = Checkout(token, S(ordinary.at("token")), "b-1");
  ASSERT_EQ(refused.result(), http::Status::unprocessable_entity) << refused.body();
  EXPECT_EQ(S(JsonOf(refused).at("errors").at(0).at("code")), "quote_customer_mismatch");
  EXPECT_NE(refused.body().find("Büsingen am Hochrhein"), std::string::npos);

  const json::value right =
      Quote(R"({"plan":"team","interval":"month","customer":)"
            R"({"country":"DE","type":"business","postal_code":"78266"},"locale":"en"})");
  EXPECT_EQ(S(right.at("tax").at("treatment")), "not_taxable");
  const http::Response created = Checkout(token, S(right.at("token")), "b-2");
  ASSERT_EQ(created.result(), http::Status::created) << created.body();
  EXPECT_EQ(N(JsonOf(created).at("amount_total")), 19900);
  const std::string customer = database.QueryValue("SELECT stripe_customer_id FROM companies");
  const json::value at_stripe = fake.Get("/v1/customers/" + customer);
  EXPECT_EQ(S(at_stripe.at("tax_exempt")), "exempt");
  EXPECT_EQ(S(at_stripe.at("invoice_settings").at("footer")), S(right.at("tax").at("note")));
  // The order keeps the territory, so its confirmation gives the same note as the quote.
  EXPECT_EQ(database.QueryValue("SELECT tax_treatment || ' ' || tax_territory FROM orders"),
            "not_taxable busingen");
}

// A Swiss VAT number is the UID with a suffix in one of four languages: the same registration
// typed with another suffix (or none) is the same company's, and Stripe gets the company's.
TEST_F(CheckoutApi, ASwissNumberIsTheSameWhateverItsSuffix) {
  const std::string token = Owner("zug@example.com", "CH", "CHE-100.155.212 IVA");
  const json::value quote =
      Quote(R"({"plan":"team","interval":"month","customer":)"
            R"({"country":"CH","type":"business","vat_id":"CHE 100 155 212"}})");
  const http::Response created = Checkout(token, S(quote.at("token")), "ch-1");
  ASSERT_EQ(created.result(), http::Status::created) << created.body();
  const std::string customer = database.QueryValue("SELECT stripe_customer_id FROM companies");
  const json::value tax_ids =
      fake.Get("/v1/customers/" + customer, {{"expand[0]", "tax_ids"}}).at("tax_ids");
  ASSERT_EQ(tax_ids.at("data").as_array().size(), 1u);
  EXPECT_EQ(S(tax_ids.at("data").at(0).at("value")), "CHE-100.155.212 IVA");
  // The order keeps the quote's number whole, in Stripe's format, suffix included.
  EXPECT_EQ(database.QueryValue("SELECT vat_id FROM orders"), "CHE-100.155.212 MWST");
}

// Monaco is France for VAT (Art. 7 of Directive 2006/112/EC): a Monegasque company's VAT ID is
// a French one and is checked as such when it signs up.
TEST_F(CheckoutApi, AMonegasqueCompanysVatIdIsCheckedAsAFrenchOne) {
  EXPECT_EQ(Send(http::Verb::post, "/v1/accounts",
                 SignUpBody("mc-bad@example.com", "Monaco SAM", "MC", "FR 40 303 265 046"))
                .result(),
            http::Status::unprocessable_entity);
  SignUpAndVerify("mc@example.com", "Monaco SAM", "MC", "FR 40 303 265 045");
  EXPECT_EQ(database.QueryValue("SELECT vat_id FROM companies WHERE name = 'Monaco SAM'"),
            "FR40303265045");
}

TEST_F(CheckoutApi, AConsumerMustAskToStartAtOnceAndTheOrderKeepsWhatWasAgreed) {
  const std::string token = Owner("consumer@example.com");
  const json::value quote = Quote(
      R"({"plan":"starter","interval":"month","customer":{"country":"DE","type":"consumer"}})");
  const std::string quote_token = S(quote.at("token"));
  const http::Response refused = Checkout(token, quote_token, "consumer-1");
  ASSERT_EQ(refused.result(), http::Status::unprocessable_entity) << refused.body();
  EXPECT_EQ(S(JsonOf(refused).at("errors").at(0).at("code")), "early_performance_required");
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM orders"), "0");

  const http::Response created =
      Checkout(token, quote_token, "consumer-2", R"(,"early_performance_requested":true)");
  ASSERT_EQ(created.result(), http::Status::created) << created.body();
  const json::value order = Order(token, S(JsonOf(created).at("order_id")));
  EXPECT_EQ(S(order.at("customer_type")), "consumer");
  EXPECT_TRUE(S(order.at("terms_accepted_at")).ends_with("Z"));
  EXPECT_TRUE(S(order.at("early_performance_requested_at")).ends_with("Z"));
  EXPECT_TRUE(order.at("workspace").is_null()) << "nothing provisioned before payment";
}

TEST_F(CheckoutApi, ABusinessNeedsNoEarlyStartAndNothingIsRecordedThatWasNotAgreed) {
  const std::string token = Owner("business@example.com");
  const json::value quote = Quote(kTeamYearly);
  const http::Response created = Checkout(token, S(quote.at("token")), "business-1");
  ASSERT_EQ(created.result(), http::Status::created) << created.body();
  const json::value order = Order(token, S(JsonOf(created).at("order_id")));
  EXPECT_EQ(S(order.at("customer_type")), "business");
  EXPECT_TRUE(S(order.at("terms_accepted_at")).ends_with("Z"));
  EXPECT_TRUE(order.at("early_performance_requested_at").is_null());
}

TEST_F(CheckoutApi, NoOrderWithoutTheTermsAccepted) {
  const std::string token = Owner("no-terms@example.com");
  const std::string quote_token = S(Quote(kTeamYearly).at("token"));
  int attempt = 0;
  for (const char* terms : {"", R"(,"terms_accepted":false)"}) {
    const http::Response refused =
        Send(http::Verb::post, "/v1/checkout/sessions",
             R"({"quote_token":")" + quote_token + "\"" + terms + "}", token, "application/json",
             {{"Idempotency-Key", "no-terms-" + std::to_string(++attempt)}});
    ASSERT_EQ(refused.result(), http::Status::unprocessable_entity) << refused.body();
    EXPECT_EQ(S(JsonOf(refused).at("errors").at(0).at("code")), "terms_required");
    EXPECT_EQ(S(JsonOf(refused).at("errors").at(0).at("field")), "terms_accepted");
  }
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM orders"), "0");
}

// A quote's discount is checked again at checkout: a coupon deactivated, expired or changed
// since the quote, or a referral code withdrawn, asks for a fresh quote and makes no order.
TEST_F(CheckoutApi, ADiscountWithdrawnAfterTheQuoteMakesNoOrder) {
  const std::string token = Owner("discounted@example.com");
  database.Execute(
      "INSERT INTO coupons (code, percent_off_bps) VALUES ('OFF10', 1000), ('OFF15', 1500), "
      "('OFF30', 3000), ('OFF50', 5000); "
      "INSERT INTO referral_codes (code, percent_off_bps) VALUES ('FRIEND', 1000)");
  WaitForQuotesToSee(R"("coupon":"OFF50")");
  WaitForQuotesToSee(R"("referral_code":"FRIEND")");
  const auto quote_with = [&](const std::string& discount) {
    std::string body(kTeamYearly);
    body.insert(body.size() - 1, "," + discount);
    return S(Quote(body).at("token"));
  };
  const std::string deactivated = quote_with(R"("coupon":"OFF10")");
  const std::string expired = quote_with(R"("coupon":"OFF15")");
  const std::string changed = quote_with(R"("coupon":"OFF30")");
  const std::string withdrawn = quote_with(R"("referral_code":"FRIEND")");
  const std::string still_valid = quote_with(R"("coupon":"OFF50")");
  database.Execute(
      "UPDATE coupons SET active = false WHERE code = 'OFF10'; "
      "UPDATE coupons SET valid_until = now() - interval '1 second' WHERE code = 'OFF15'; "
      "UPDATE coupons SET percent_off_bps = 3500 WHERE code = 'OFF30'; "
      "UPDATE referral_codes SET active = false WHERE code = 'FRIEND'");
  int attempt = 0;
  for (const auto& [quote_token, code] :
       {std::pair{deactivated, "OFF10"}, std::pair{expired, "OFF15"}, std::pair{changed, "OFF30"},
        std::pair{withdrawn, "FRIEND"}}) {
    const http::Response refused =
        Checkout(token, quote_token, "withdrawn-" + std::to_string(++attempt));
    ASSERT_EQ(refused.result(), http::Status::unprocessable_entity) << code << refused.body();
    const json::value error = JsonOf(refused).at("errors").at(0);
    EXPECT_EQ(S(error.at("code")), "discount_no_longer_valid") << code;
    EXPECT_NE(S(error.at("message")).find(code), std::string::npos) << S(error.at("message"));
  }
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM orders"), "0");
  EXPECT_EQ(Checkout(token, still_valid, "still-valid").result(), http::Status::created);
}

// A page polling an unpaid order must not make a Stripe call per poll: Stripe is asked once
// per order per interval, and the other reads answer from the database.
TEST_F(CheckoutApi, ReadingAnUnpaidOrderAsksStripeOncePerInterval) {
  api.reset();
  Start([&](ApiSettings& settings) {
    settings.stripe.secret_key = fake.api_key();
    settings.stripe.api_base = fake.base_url();
    settings.stripe_webhook_secrets = {fake.webhook_secret()};
    settings.order_check_interval = std::chrono::minutes(1);
  });
  const std::string token = Owner("poller@example.com");
  const json::value checkout =
      JsonOf(Checkout(token, S(Quote(kTeamYearly).at("token")), "poller-1"));
  const std::string order_id = S(checkout.at("order_id"));
  const std::string session_path =
      "\"path\":\"/v1/checkout/sessions/" + S(checkout.at("checkout_session_id")) + "\"";
  testing::LogCapture logs;
  for (int poll = 0; poll < 10; ++poll) {
    EXPECT_EQ(S(Order(token, order_id).at("status")), "awaiting_payment");
  }
  const std::string seen = logs.text();
  std::size_t asked = 0;
  for (std::size_t at = seen.find(session_path); at != std::string::npos;
       at = seen.find(session_path, at + 1)) {
    ++asked;
  }
  EXPECT_EQ(asked, 1u) << "Stripe's log of the session's reads";
}

// Pages of orders, newest first: each page holds the orders after its offset.
TEST_F(CheckoutApi, OrdersArePagedByLimitAndOffset) {
  const std::string owner = Owner("pages@example.com");
  std::vector<std::string> made;  // oldest first
  for (int i = 0; i < 3; ++i) {
    made.push_back(
        S(JsonOf(Checkout(owner, S(Quote(kTeamYearly).at("token")), "page-" + std::to_string(i)))
              .at("order_id")));
  }
  for (int offset = 0; offset < 3; ++offset) {
    const json::value page = JsonOf(
        Send(http::Verb::get, "/v1/orders?limit=1&offset=" + std::to_string(offset), "", owner));
    ASSERT_EQ(page.at("data").as_array().size(), 1u) << "offset " << offset;
    EXPECT_EQ(S(page.at("data").at(0).at("id")), made[2 - offset]) << "offset " << offset;
    EXPECT_EQ(page.at("has_more").as_bool(), offset < 2) << "offset " << offset;
  }
  EXPECT_TRUE(JsonOf(Send(http::Verb::get, "/v1/orders?offset=3", "", owner))
                  .at("data")
                  .as_array()
                  .empty());
}

TEST_F(CheckoutApi, OnlyOwnersBuyAndCompaniesSeeOnlyTheirOwnOrders) {
  const std::string owner = Owner("owner-a@example.com");
  const std::string other = Owner("owner-b@example.com");
  const json::value checkout = JsonOf(Checkout(owner, S(Quote(kTeamYearly).at("token")), "a-1"));
  const std::string order_id = S(checkout.at("order_id"));

  EXPECT_EQ(Send(http::Verb::get, "/v1/orders/" + order_id, "", other).result(),
            http::Status::not_found);
  EXPECT_EQ(Send(http::Verb::get, "/v1/orders/not-a-uuid", "", other).result(),
            http::Status::not_found);
  EXPECT_TRUE(JsonOf(Send(http::Verb::get, "/v1/orders", "", other)).at("data").as_array().empty());
  const json::value mine = JsonOf(Send(http::Verb::get, "/v1/orders", "", owner));
  ASSERT_EQ(mine.at("data").as_array().size(), 1u);
  EXPECT_EQ(S(mine.at("data").at(0).at("id")), order_id);
  EXPECT_FALSE(mine.at("has_more").as_bool());

  // A member of company A may read its orders but not buy.
  ASSERT_EQ(Send(http::Verb::post, "/v1/company/invitations", R"({"email":"member-a@example.com"})",
                 owner)
                .result(),
            http::Status::created);
  ASSERT_EQ(Send(http::Verb::post, "/v1/invitations/accept",
                 R"({"token":")" + LinkToken("invitation", "member-a@example.com") +
                     R"(","name":"Mo","password":"member passphrase"})")
                .result(),
            http::Status::created);
  const std::string member = Login("member-a@example.com", "member passphrase").access;
  EXPECT_EQ(Send(http::Verb::get, "/v1/orders/" + order_id, "", member).result(), http::Status::ok);
  EXPECT_EQ(Checkout(member, S(Quote(kTeamYearly).at("token")), "m-1").result(),
            http::Status::forbidden);
}

TEST_F(CheckoutApi, AStripeOutageIsA503AndTheRetryWithTheSameKeyMakesNoSecondOrder) {
  const std::string token = Owner("patient@example.com");
  const std::string quote_token = S(Quote(kTeamYearly).at("token"));
  StartWithStripe("http://127.0.0.1:1");  // nothing listens there
  const http::Response down = Checkout(token, quote_token, "retry-me");
  EXPECT_EQ(down.result(), http::Status::service_unavailable) << down.body();
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM orders"), "1");

  StartWithStripe(fake.base_url());
  const http::Response up = Checkout(token, quote_token, "retry-me");
  ASSERT_EQ(up.result(), http::Status::created) << up.body();
  EXPECT_EQ(up["Idempotent-Replayed"], "");
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM orders"), "1");
  EXPECT_EQ(S(JsonOf(up).at("order_id")), database.QueryValue("SELECT id FROM orders"));
}

// Stripe answers a key sent again with other parameters with idempotency_error
// (https://docs.stripe.com/api/idempotent_requests). A customer who repeats a checkout whose
// answer from Stripe was lost must get the session Stripe made, not an error and not a second
// session: the session's parameters (its expiry above all) must not depend on the attempt.
TEST_F(CheckoutApi, ACheckoutRepeatedAfterALostAnswerGetsTheOneSessionStripeMade) {
  const std::string token = Owner("lost@example.com");
  const std::string quote_token = S(Quote(kTeamYearly).at("token"));
  StartWithStripe(fake.base_url(), std::chrono::milliseconds(300), 0);
  fake.DelayAnswers("/v1/checkout/sessions", 1, std::chrono::milliseconds(1500));
  const std::time_t first_attempt = std::time(nullptr);
  const http::Response lost = Checkout(token, quote_token, "lost-answer");
  EXPECT_EQ(lost.result(), http::Status::service_unavailable) << lost.body();
  const std::string order_id = database.QueryValue("SELECT id FROM orders");
  const auto sessions_of_order = [&] {
    std::vector<std::string> ids;
    const json::value list = fake.Get("/v1/checkout/sessions", {{"limit", "100"}});
    for (const json::value& session : list.at("data").as_array()) {
      if (S(session.at("client_reference_id")) == order_id) ids.push_back(S(session.at("id")));
    }
    return ids;
  };
  ASSERT_TRUE(testing::Eventually([&] { return sessions_of_order().size() == 1; }));
  // The second attempt is in another second than the first, as a customer's would be.
  ASSERT_TRUE(testing::Eventually([&] { return std::time(nullptr) > first_attempt; }));

  const http::Response again = Checkout(token, quote_token, "lost-answer");
  ASSERT_EQ(again.result(), http::Status::created) << again.body();
  EXPECT_EQ(S(JsonOf(again).at("order_id")), order_id);
  EXPECT_EQ(S(JsonOf(again).at("checkout_session_id")), sessions_of_order().at(0));
  EXPECT_EQ(sessions_of_order().size(), 1u);
}

// Products are created by whichever API process needs one first, for buyers of any language:
// a second process with nothing cached, selling to an English-speaking buyer, sends the same
// parameters as the first did for a German-speaking one, and the product keeps its one name.
TEST_F(CheckoutApi, ASecondProcessWithAnEmptyCacheMakesNoSecondProductAndNoIdempotencyError) {
  std::string german_quote(kTeamYearly);
  german_quote.replace(german_quote.find(R"("locale":"en")"), 13, R"("locale":"de")");
  const std::string german_buyer = Owner("erster@example.com");
  ASSERT_EQ(Checkout(german_buyer, S(Quote(german_quote).at("token")), "de-1").result(),
            http::Status::created);
  EXPECT_EQ(S(fake.Get("/v1/products/codezero_extra_seats").at("name")), "Additional seat");

  StartWithStripe(fake.base_url());  // a new process: its Stripe object cache is empty
  const std::string english_buyer = Owner("second@example.com");
  const http::Response created = Checkout(english_buyer, S(Quote(kTeamYearly).at("token")), "en-1");
  ASSERT_EQ(created.result(), http::Status::created) << created.body();
  const json::value products = fake.Get("/v1/products", {{"limit", "100"}});
  EXPECT_EQ(products.at("data").as_array().size(), 3u);  // team, extra_seats, sso
  EXPECT_EQ(S(fake.Get("/v1/products/codezero_extra_seats").at("name")), "Additional seat");
}

}  // namespace
}  // namespace codezero::api
