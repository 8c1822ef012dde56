// The company's invoices over the API (GET /v1/invoices, /v1/invoices/{id}) as the worker
// stored them from Stripe's events, and Stripe's billing portal for the company
// (POST /v1/billing-portal/sessions): a real purchase and renewal through the stand-in.
#include "integration/worker_flow.h"

#include <boost/json/serialize.hpp>

namespace codezero::worker {
namespace {

class InvoicesApi : public WorkerFlow {
 protected:
  json::value Invoices(const std::string& token, const std::string& query = "") {
    const http::Response answer = Send(http::Verb::get, "/v1/invoices" + query, "", token);
    EXPECT_EQ(answer.result(), http::Status::ok) << answer.body();
    return JsonOf(answer);
  }
};

TEST_F(InvoicesApi, TheFirstInvoiceShowsItsLinesAndTaxPerRateToTheCompanyOnly) {
  // Signed up before the worker runs (it blanks the verification links this reads).
  SignUpAndVerify("other@example.com", "Other GmbH");
  const Buyer buyer = CheckOut("invoices@example.com", kTeamMonthly);
  StartWorker();
  ASSERT_EQ(fake.Pay(buyer.session_url).status, 303u);
  ASSERT_TRUE(WaitFor(OrderStatus(buyer.order_id), "active"));
  ASSERT_TRUE(WaitFor("SELECT status FROM invoices", "paid"));

  const json::value list = Invoices(buyer.token);
  ASSERT_EQ(list.at("data").as_array().size(), 1u);
  EXPECT_FALSE(list.at("has_more").as_bool());
  const json::object& summary = list.at("data").at(0).as_object();
  EXPECT_EQ(S(summary.at("status")), "paid");
  EXPECT_FALSE(summary.at("number").is_null());
  EXPECT_FALSE(summary.at("paid_at").is_null());
  EXPECT_EQ(S(summary.at("order_id")), buyer.order_id);
  EXPECT_FALSE(summary.contains("lines"));
  // The invoice's total is the order's: the price shown is the price charged.
  EXPECT_EQ(std::to_string(summary.at("amount_total").as_int64()),
            Query("SELECT amount_total FROM orders"));

  const http::Response shown =
      Send(http::Verb::get, "/v1/invoices/" + S(summary.at("id")), "", buyer.token);
  ASSERT_EQ(shown.result(), http::Status::ok) << shown.body();
  const json::value invoice = JsonOf(shown);
  const json::array& lines = invoice.at("lines").as_array();
  ASSERT_EQ(lines.size(), 3u);  // the plan, 5 extra seats, SSO
  EXPECT_EQ(S(lines.at(0).at("code")), "team");
  EXPECT_EQ(S(lines.at(1).at("code")), "extra_seats");
  EXPECT_EQ(lines.at(1).at("quantity").as_int64(), 5);
  std::int64_t net = 0;
  std::int64_t tax = 0;
  for (const json::value& line : lines) {
    net += line.at("amount").as_int64() - line.at("amount_discount").as_int64();
    tax += line.at("amount_tax").as_int64();
    EXPECT_EQ(line.at("tax_rate_bps").as_int64(), 1900);
  }
  EXPECT_EQ(invoice.at("amount_net").as_int64(), net);
  EXPECT_EQ(invoice.at("amount_tax").as_int64(), tax);
  EXPECT_EQ(invoice.at("amount_total").as_int64(), net + tax);
  const json::array& per_rate = invoice.at("tax_amounts").as_array();
  ASSERT_EQ(per_rate.size(), 1u);
  EXPECT_EQ(per_rate.at(0).at("rate_bps").as_int64(), 1900);
  EXPECT_EQ(per_rate.at(0).at("taxable_amount").as_int64(), net);
  EXPECT_EQ(per_rate.at(0).at("amount").as_int64(), tax);

  // Another company sees none of it.
  const std::string other = Login("other@example.com").access;
  EXPECT_EQ(Invoices(other).at("data").as_array().size(), 0u);
  EXPECT_EQ(Send(http::Verb::get, "/v1/invoices/" + S(summary.at("id")), "", other).result(),
            http::Status::not_found);
  EXPECT_EQ(Send(http::Verb::get, "/v1/invoices/not-a-uuid", "", buyer.token).result(),
            http::Status::not_found);
  EXPECT_EQ(Send(http::Verb::get, "/v1/invoices?limit=0", "", buyer.token).result(),
            http::Status::bad_request);
}

TEST_F(InvoicesApi, ARenewalDraftIsListedOnlyOnceItIsIssued) {
  const Clock clock = NewClock();
  const Buyer buyer = ActiveBuyer("renewal-list@example.com", CustomerOn(clock, "Renew GmbH"));
  ASSERT_TRUE(WaitFor("SELECT status FROM invoices", "paid"));
  const std::int64_t period_end =
      std::stoll(Query("SELECT extract(epoch FROM current_period_end)::bigint FROM subscriptions"));

  fake.AdvanceClock(clock.id, period_end + 60);  // the renewal is a draft for an hour
  ASSERT_TRUE(WaitFor("SELECT count(*) FROM invoices WHERE status = 'draft'", "1"));
  EXPECT_EQ(Invoices(buyer.token).at("data").as_array().size(), 1u);

  fake.AdvanceClock(clock.id, period_end + 3600);
  ASSERT_TRUE(WaitFor("SELECT count(*) FROM invoices WHERE status = 'paid'", "2"));
  const json::value list = Invoices(buyer.token);
  ASSERT_EQ(list.at("data").as_array().size(), 2u) << json::serialize(list);
  // Newest first; the renewal's period is the one it pays for, from the end of the first.
  EXPECT_EQ(S(list.at("data").at(0).at("period").at("start")),
            Query("SELECT iso8601(to_timestamp(" + std::to_string(period_end) + "))"));
  // Paged: one at a time, newest first.
  const json::value first = Invoices(buyer.token, "?limit=1");
  EXPECT_TRUE(first.at("has_more").as_bool());
  EXPECT_EQ(first.at("data").at(0).at("id"), list.at("data").at(0).at("id"));
  const json::value second = Invoices(buyer.token, "?limit=1&offset=1");
  EXPECT_FALSE(second.at("has_more").as_bool());
  EXPECT_EQ(second.at("data").at(0).at("id"), list.at("data").at(1).at("id"));
}

TEST_F(InvoicesApi, TheOwnerOpensTheBillingPortalForTheCompanysCustomerOnly) {
  SignUpAndVerify("new@example.com", "New GmbH");  // before the worker blanks the links
  // The platform's portal configuration (codezero stripe setup): payment methods and invoices
  // only; the account's default would also let the customer cancel at Stripe.
  fake.Post("/v1/billing_portal/configurations",
            {{"business_profile[privacy_policy_url]", "https://example.com/de/datenschutz"},
             {"business_profile[terms_of_service_url]", "https://example.com/de/agb"},
             {"features[invoice_history][enabled]", "true"},
             {"features[payment_method_update][enabled]", "true"},
             {"features[subscription_cancel][enabled]", "false"},
             {"features[subscription_update][enabled]", "false"},
             {"metadata[codezero]", "platform"}});
  const Buyer buyer = ActiveBuyer("portal@example.com", "");

  const http::Response opened =
      Send(http::Verb::post, "/v1/billing-portal/sessions", "", buyer.token);
  ASSERT_EQ(opened.result(), http::Status::created) << opened.body();
  const std::string url = S(JsonOf(opened).at("url"));
  ASSERT_TRUE(url.starts_with(fake.base_url())) << url;
  // Stripe's portal for the company's own customer (the stand-in's page names it), with the
  // platform's configuration: the subscription is shown, but not to be cancelled there.
  const auto page = fake.Page(url);
  EXPECT_EQ(page.status, 200u);
  EXPECT_NE(page.body.find("portal@example.com"), std::string::npos);
  EXPECT_EQ(page.body.find("value=\"cancel\""), std::string::npos) << page.body;
  // The API's default PUBLIC_WEB_URL: a page of the website may be the way back.
  const http::Response back =
      Send(http::Verb::post, "/v1/billing-portal/sessions",
           R"({"return_url":"http://127.0.0.1:8080/en/account/orders"})", buyer.token);
  EXPECT_EQ(back.result(), http::Status::created) << back.body();
  const http::Response elsewhere = Send(http::Verb::post, "/v1/billing-portal/sessions",
                                        R"({"return_url":"https://evil.example/"})", buyer.token);
  EXPECT_EQ(elsewhere.result(), http::Status::unprocessable_entity) << elsewhere.body();

  // A company that never checked out has no Stripe customer yet.
  const http::Response none =
      Send(http::Verb::post, "/v1/billing-portal/sessions", "", Login("new@example.com").access);
  EXPECT_EQ(none.result(), http::Status::conflict) << none.body();
}

}  // namespace
}  // namespace codezero::worker
