// Changing a running subscription (issue 14): the preview's amounts equal what Stripe (the
// stand-in, whose prorations follow Stripe's documented rules) then invoices, to the cent, for
// a table of changes on one subscription; a lower price waits for the period's end and is made
// before the renewal; entitlements follow; the catalog's rules refuse what a quote would.
#include "integration/worker_flow.h"

#include <boost/json/serialize.hpp>

namespace codezero::worker {
namespace {

class SubscriptionChanges : public WorkerFlow {
 protected:
  http::Response Post(const std::string& path, const std::string& body, const std::string& token,
                      const std::string& key = "") {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!key.empty()) headers.emplace_back("Idempotency-Key", key);
    return Send(http::Verb::post, path, body, token, "application/json", headers);
  }
  // The Stripe subscription's newest invoice.
  json::object LatestInvoice(const std::string& stripe_id) {
    const std::string id = S(fake.Get("/v1/subscriptions/" + stripe_id).at("latest_invoice"));
    return fake.Get("/v1/invoices/" + id).as_object();
  }
};

TEST_F(SubscriptionChanges, EachPreviewEqualsWhatStripeInvoicesToTheCent) {
  const Clock clock = NewClock();
  const Buyer buyer = ActiveBuyer("change@example.com", CustomerOn(clock, "Change GmbH"));
  const std::string id = Query("SELECT id FROM subscriptions");
  const std::string stripe_id = Query("SELECT stripe_id FROM subscriptions");
  const std::string base = "/v1/subscriptions/" + id;

  struct Row {
    std::string what;
    std::string wanted;
    std::string effective;
    std::string seats;  // the workspace's seats afterwards
  };
  const std::vector<Row> table{
      {"three more seats",
       R"({"addons":[{"code":"extra_seats","quantity":8},{"code":"sso","quantity":1}]})", "now",
       "18"},
      {"an add-on added",
       R"({"addons":[{"code":"extra_seats","quantity":8},{"code":"sso","quantity":1},)"
       R"({"code":"audit_log","quantity":1},{"code":"credits_5m","quantity":3}]})",
       "now", "18"},
      {"the plan up to Business (SSO and audit log included there)",
       R"({"plan":"business","addons":[{"code":"extra_seats","quantity":8},)"
       R"({"code":"credits_5m","quantity":3}]})",
       "now", "33"},
      {"seats down, asked for now",
       R"({"plan":"business","addons":[{"code":"extra_seats","quantity":2},)"
       R"({"code":"credits_5m","quantity":3}],"when":"now"})",
       "now", "27"},
  };
  int invoices = std::stoi(Query("SELECT count(*) FROM invoices"));
  json::value last_preview;
  for (std::size_t i = 0; i < table.size(); ++i) {
    const Row& row = table[i];
    SCOPED_TRACE(row.what);
    const http::Response previewed = Post(base + "/preview", row.wanted, buyer.token);
    ASSERT_EQ(previewed.result(), http::Status::ok) << previewed.body();
    const json::value preview = JsonOf(previewed);
    last_preview = preview;
    EXPECT_EQ(S(preview.at("effective")), row.effective) << json::serialize(preview);
    // The change as previewed: its proration date.
    std::string body = row.wanted;
    body.insert(body.size() - 1,
                ",\"proration_date\":" + std::to_string(preview.at("proration_date").as_int64()));
    const http::Response changed =
        Post(base + "/changes", body, buyer.token, "change-" + std::to_string(i));
    ASSERT_EQ(changed.result(), http::Status::ok) << changed.body();
    EXPECT_EQ(JsonOf(changed), preview) << "the change is the preview";
    EXPECT_EQ(Post(base + "/changes", body, buyer.token, "change-" + std::to_string(i)).result(),
              http::Status::ok)
        << "a retry replays";

    // Invoiced at once: the same lines, the same tax, the same total; what was due is paid (a
    // negative total is left as credit on the customer's balance).
    ++invoices;
    ASSERT_TRUE(WaitFor("SELECT count(*) FROM invoices", std::to_string(invoices)));
    const json::object invoice = LatestInvoice(stripe_id);
    EXPECT_EQ(invoice.at("total").as_int64(), preview.at("amount_total").as_int64());
    EXPECT_EQ(invoice.at("tax").as_int64(), preview.at("amount_tax").as_int64());
    EXPECT_EQ(invoice.at("amount_paid").as_int64(), preview.at("amount_due").as_int64());
    EXPECT_EQ(S(invoice.at("status")), "paid");
    EXPECT_EQ(-fake.Get("/v1/customers/" + S(invoice.at("customer"))).at("balance").as_int64(),
              preview.at("credit").as_int64());
    std::vector<std::int64_t> invoiced;
    for (const json::value& line : invoice.at("lines").at("data").as_array()) {
      invoiced.push_back(line.at("amount").as_int64());
    }
    std::vector<std::int64_t> previewed_lines;
    for (const json::value& line : preview.at("lines").as_array()) {
      previewed_lines.push_back(line.at("amount").as_int64());
    }
    std::sort(invoiced.begin(), invoiced.end());
    std::sort(previewed_lines.begin(), previewed_lines.end());
    EXPECT_EQ(invoiced, previewed_lines);
    ASSERT_TRUE(WaitFor("SELECT entitlements->>'seats' FROM workspaces", row.seats));
    // The account shows the subscription as it runs now, and what its renewal will cost.
    const json::value shown = JsonOf(Send(http::Verb::get, base, "", buyer.token));
    EXPECT_EQ(S(shown.at("plan")), i >= 2 ? "business" : "team");
    EXPECT_EQ(shown.at("next_invoice").at("amount_total").as_int64(),
              preview.at("next_recurring").at("amount_total").as_int64());
  }
  EXPECT_GT(last_preview.at("credit").as_int64(), 0) << "the reduction left a credit";
  EXPECT_FALSE(last_preview.at("raises_price").as_bool());

  // The renewal: the new recurring amount, the credit of the last row paying part of it.
  const std::int64_t end =
      std::stoll(Query("SELECT extract(epoch FROM current_period_end)::bigint FROM subscriptions"));
  fake.AdvanceClock(clock.id, end + 3600);
  ASSERT_TRUE(WaitFor("SELECT count(*) FROM invoices", std::to_string(invoices + 1)));
  const json::object renewal = LatestInvoice(stripe_id);
  EXPECT_EQ(renewal.at("total").as_int64(),
            last_preview.at("next_recurring").at("amount_total").as_int64())
      << json::serialize(renewal);
  EXPECT_EQ(renewal.at("amount_due").as_int64(),
            renewal.at("total").as_int64() - last_preview.at("credit").as_int64());
}

TEST_F(SubscriptionChanges, ALowerPriceWaitsForThePeriodsEndAndTheRenewalChargesIt) {
  SignUpAndVerify("other@example.org", "Other GmbH");
  const Clock clock = NewClock();
  const Buyer buyer = ActiveBuyer("down@example.com", CustomerOn(clock, "Down GmbH"));
  const std::string id = Query("SELECT id FROM subscriptions");
  const std::string stripe_id = Query("SELECT stripe_id FROM subscriptions");
  const std::string base = "/v1/subscriptions/" + id;
  const std::string fewer = R"({"addons":[{"code":"extra_seats","quantity":1}]})";

  // Refused as a quote would be, and only for the owner of the subscription.
  const std::string stranger = Login("other@example.org").access;
  EXPECT_EQ(Post(base + "/preview", fewer, stranger).result(), http::Status::not_found);
  EXPECT_EQ(Post(base + "/preview",
                 R"({"addons":[{"code":"extra_seats","quantity":1},{"code":"sso","quantity":1},)"
                 R"({"code":"eu_residency","quantity":1}]})",
                 buyer.token)
                .result(),
            http::Status::unprocessable_entity);
  EXPECT_EQ(Post(base + "/preview",
                 R"({"interval":"week","addons":[{"code":"extra_seats","quantity":5},)"
                 R"({"code":"sso","quantity":1}]})",
                 buyer.token)
                .result(),
            http::Status::unprocessable_entity);
  EXPECT_EQ(Post(base + "/preview",
                 R"({"addons":[{"code":"extra_seats","quantity":5},{"code":"sso","quantity":1}]})",
                 buyer.token)
                .result(),
            http::Status::unprocessable_entity)
      << "no change";
  EXPECT_EQ(Post(base + "/changes", fewer, buyer.token).result(), http::Status::bad_request)
      << "no Idempotency-Key";
  // The proration time is the preview's, not one the customer picks: required, and at most
  // 15 minutes old.
  EXPECT_EQ(Post(base + "/changes", fewer, buyer.token, "no-date").result(),
            http::Status::unprocessable_entity);
  // (An hour back, within a period that began a day ago as far as this database knows.)
  database.Execute(
      "UPDATE subscriptions SET current_period_start = current_period_start - interval '1 day'");
  const std::int64_t hour_ago = std::chrono::duration_cast<std::chrono::seconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count() -
                                3600;
  std::string backdated = fewer;
  backdated.insert(backdated.size() - 1,
                   ",\"proration_date\":" + std::to_string(hour_ago) + ",\"when\":\"now\"");
  EXPECT_EQ(Post(base + "/changes", backdated, buyer.token, "backdated").result(),
            http::Status::unprocessable_entity);
  database.Execute(
      "UPDATE subscriptions SET current_period_start = current_period_start + interval '1 day'");

  // Fewer seats, no SSO: lower, so at the period's end; nothing changes at Stripe yet.
  const json::value previewed = JsonOf(Post(base + "/preview", fewer, buyer.token));
  std::string dated = fewer;
  dated.insert(dated.size() - 1,
               ",\"proration_date\":" + std::to_string(previewed.at("proration_date").as_int64()));
  const http::Response changed = Post(base + "/changes", dated, buyer.token, "down-1");
  ASSERT_EQ(changed.result(), http::Status::ok) << changed.body();
  const json::value change = JsonOf(changed);
  EXPECT_EQ(S(change.at("effective")), "period_end");
  EXPECT_TRUE(change.at("lines").as_array().empty());
  EXPECT_EQ(change.at("amount_due").as_int64(), 0);
  const json::value shown = JsonOf(Send(http::Verb::get, base, "", buyer.token));
  EXPECT_EQ(S(shown.at("pending_change").at("plan")), "team") << json::serialize(shown);
  EXPECT_EQ(fake.Get("/v1/subscriptions/" + stripe_id).at("items").at("data").as_array().size(),
            3u);
  EXPECT_EQ(Query("SELECT entitlements->>'sso' FROM workspaces"), "true");
  const std::int64_t end =
      std::stoll(Query("SELECT extract(epoch FROM current_period_end)::bigint FROM subscriptions"));
  // Scheduled ten minutes before the period's end (to the second: now() plus a whole delay).
  EXPECT_EQ(Query("SELECT abs(extract(epoch FROM run_at) - " + std::to_string(end - 600) +
                  ") <= 1 FROM jobs WHERE kind = 'subscription.apply_change'"),
            "t");

  // Shortly before the renewal the job makes it at Stripe, without prorations.
  database.Execute("UPDATE jobs SET run_at = now() WHERE kind = 'subscription.apply_change'");
  ASSERT_TRUE(WaitFor("SELECT pending_change IS NULL FROM subscriptions", "t"));
  ASSERT_TRUE(WaitFor("SELECT entitlements->>'sso' FROM workspaces", "false"));
  const int invoices = std::stoi(Query("SELECT count(*) FROM invoices"));
  fake.AdvanceClock(clock.id, end + 3600);
  ASSERT_TRUE(WaitFor("SELECT count(*) FROM invoices", std::to_string(invoices + 1)));
  const json::object renewal = LatestInvoice(stripe_id);
  EXPECT_EQ(renewal.at("total").as_int64(),
            change.at("next_recurring").at("amount_total").as_int64());
  for (const json::value& line : renewal.at("lines").at("data").as_array()) {
    EXPECT_FALSE(line.at("proration").as_bool());
  }
}

// Monthly to yearly: a new period from now, the month's unused time credited, the year charged
// whole, as Stripe does; the preview is the invoice.
TEST_F(SubscriptionChanges, AnIntervalSwitchStartsANewPeriodInvoicedAsPreviewed) {
  const Clock clock = NewClock();
  const Buyer buyer = ActiveBuyer("yearly@example.com", CustomerOn(clock, "Yearly GmbH"));
  const std::string id = Query("SELECT id FROM subscriptions");
  const std::string stripe_id = Query("SELECT stripe_id FROM subscriptions");
  const std::string base = "/v1/subscriptions/" + id;
  const std::string yearly = R"({"interval":"year","addons":[{"code":"extra_seats","quantity":5},)"
                             R"({"code":"sso","quantity":1}]})";
  const http::Response previewed = Post(base + "/preview", yearly, buyer.token);
  ASSERT_EQ(previewed.result(), http::Status::ok) << previewed.body();
  const json::value preview = JsonOf(previewed);
  EXPECT_EQ(S(preview.at("effective")), "now");
  EXPECT_EQ(S(preview.at("interval")), "year");
  EXPECT_EQ(preview.at("lines").as_array().size(), 6u) << "three credits, three whole years";
  std::string body = yearly;
  body.insert(body.size() - 1,
              ",\"proration_date\":" + std::to_string(preview.at("proration_date").as_int64()));
  const int invoices = std::stoi(Query("SELECT count(*) FROM invoices"));
  ASSERT_EQ(Post(base + "/changes", body, buyer.token, "to-yearly").result(), http::Status::ok);
  ASSERT_TRUE(WaitFor("SELECT count(*) FROM invoices", std::to_string(invoices + 1)));
  const std::string invoice_id = S(fake.Get("/v1/subscriptions/" + stripe_id).at("latest_invoice"));
  const json::value invoice = fake.Get("/v1/invoices/" + invoice_id);
  EXPECT_EQ(invoice.at("total").as_int64(), preview.at("amount_total").as_int64());
  EXPECT_EQ(invoice.at("tax").as_int64(), preview.at("amount_tax").as_int64());
  EXPECT_EQ(invoice.at("amount_paid").as_int64(), preview.at("amount_due").as_int64());

  // The account: yearly now, a year from now, the yearly price next.
  ASSERT_TRUE(testing::Eventually([&] {
    return S(JsonOf(Send(http::Verb::get, base, "", buyer.token)).at("interval")) == "year";
  }));
  const json::value shown = JsonOf(Send(http::Verb::get, base, "", buyer.token));
  EXPECT_EQ(shown.at("next_invoice").at("amount_total").as_int64(),
            preview.at("next_recurring").at("amount_total").as_int64());
  EXPECT_EQ(Query("SELECT current_period_end - current_period_start > interval '360 days' "
                  "FROM subscriptions"),
            "t");
}

}  // namespace
}  // namespace codezero::worker
