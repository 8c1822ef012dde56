// The billing layer's use cases called directly, without the API or the worker around them:
// against a real PostgreSQL and the Stripe stand-in (src/billing/).
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>

#include "billing/checkout_outcome.h"
#include "billing/order_sync.h"
#include "billing/stripe_events.h"
#include "billing/stripe_records.h"
#include "billing/subscription_term.h"
#include "billing/tax_rates.h"
#include "db/pool.h"
#include "http/curl_client.h"
#include "stripe/client.h"
#include "stripe/objects.h"
#include "support/api_server.h"
#include "support/environment.h"
#include "support/run_async.h"
#include "support/stripe_fake_server.h"

namespace codezero::billing {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using testing::RunAsync;

constexpr std::string_view kCompany = "00000000-0000-4000-8000-0000000000c1";
constexpr std::string_view kUser = "00000000-0000-4000-8000-0000000000a1";

class BillingUseCases : public ::testing::Test {
 protected:
  BillingUseCases() : stripe(curl, StripeOptions(fake)) { testing::ApplyMigrations(database); }

  static stripe::ClientOptions StripeOptions(testing::StripeFakeServer& fake) {
    stripe::ClientOptions options;
    options.secret_key = fake.api_key();
    options.api_base = fake.base_url();
    options.initial_backoff = std::chrono::milliseconds(10);
    return options;
  }

  // An order of the Team plan for a German business, in `status`; its id.
  std::string Order(const std::string& status) {
    database.Execute("INSERT INTO companies (id, name, country) VALUES ('" + std::string(kCompany) +
                     "', 'Use Case GmbH', 'DE') ON CONFLICT DO NOTHING;"
                     "INSERT INTO users (id, company_id, email, name, role, locale, "
                     "email_verified_at) VALUES ('" +
                     std::string(kUser) + "', '" + std::string(kCompany) +
                     "', 'case@example.com', 'Case', 'owner', 'en', now()) ON CONFLICT DO NOTHING");
    return database.QueryValue(
        "INSERT INTO orders (company_id, created_by, idempotency_key, request_digest, status, "
        "catalog_version, quote_id, plan, billing_interval, currency, locale, tax_treatment, "
        "tax_country, tax_rate_bps, amount_subtotal, amount_discount, amount_tax, amount_total, "
        "recurring_subtotal, recurring_tax, recurring_total) VALUES ('" +
        std::string(kCompany) + "', '" + std::string(kUser) + "', gen_random_uuid()::text, 'd', '" +
        status +
        "', 1, 'qt_1', 'team', 'month', 'eur', 'en', 'standard', 'DE', 1900, 19900, 0, 3781, "
        "23681, 19900, 3781, 23681) RETURNING id");
  }

  // A Checkout Session at the stand-in for `order`: a one-time payment of the order's total.
  json::value Session(const std::string& order) {
    return fake.Post("/v1/checkout/sessions",
                     {{"mode", "payment"},
                      {"line_items[0][price_data][currency]", "eur"},
                      {"line_items[0][price_data][unit_amount]", "23681"},
                      {"line_items[0][price_data][product_data][name]", "Team"},
                      {"line_items[0][quantity]", "1"},
                      {"metadata[order_id]", order},
                      {"success_url", "https://example.com/ok"},
                      {"cancel_url", "https://example.com/no"}});
  }

  std::string Query(const std::string& sql) { return database.QueryValue(sql); }

  testing::TestDatabase database;
  testing::StripeFakeServer fake;
  asio::io_context context;
  http::CurlClient curl;  // after the context: destroyed before it
  stripe::Client stripe;
  db::Pool pool{context.get_executor(),
                db::PoolOptions{.connect = {.url = database.url()}, .size = 2}};
};

TEST_F(BillingUseCases, AnEventIsRecordedOnceAndItsJobQueuedOnce) {
  const StripeEventHead head{.id = "evt_case_1", .type = "invoice.paid", .created = 1'800'000'000};
  const std::string payload =
      R"({"id":"evt_case_1","object":"event","api_version":"2024-06-20","created":1800000000,)"
      R"("livemode":false,"type":"invoice.paid","data":{"object":{"id":"in_1","object":"invoice"}}})";
  EXPECT_TRUE(RunAsync(context, RecordStripeEvent(pool, head, payload, "")).value());
  EXPECT_FALSE(RunAsync(context, RecordStripeEvent(pool, head, payload, "")).value());
  EXPECT_EQ(Query("SELECT count(*) || ' ' || min(unique_key) FROM jobs"),
            "1 stripe.process_event:evt_case_1");
  // The invoice is not at Stripe: recorded, nothing applied, not worth a retry.
  const auto applied = RunAsync(context, ApplyStripeEvent(pool, stripe, "evt_case_1", ""));
  ASSERT_TRUE(applied);
  EXPECT_EQ(applied->kind, EventOutcome::Kind::kIgnored);
  EXPECT_EQ(Query("SELECT processed_at IS NOT NULL FROM stripe_events"), "t");

  const auto missing = RunAsync(context, ApplyStripeEvent(pool, stripe, "evt_none", ""));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->kind, EventOutcome::Kind::kRefused);
}

// An event rendered in another API version (an old endpoint, or Stripe's event list) is not
// read as if it had our shape, and not lost either: its objects are fetched in our version.
TEST_F(BillingUseCases, AnEventInAnotherApiVersionIsAppliedFromItsObjectsFetchedInOurs) {
  const std::string order = Order("awaiting_payment");
  const json::value session = Session(order);
  ASSERT_EQ(fake.Pay(std::string(session.at("url").as_string())).status, 303u);
  // An older shape: the session without the fields we read (no metadata, no payment_status).
  const std::string payload =
      R"({"id":"evt_old","object":"event","api_version":"2020-08-27","created":1800000000,)"
      R"("livemode":false,"type":"checkout.session.completed","data":{"object":{"id":")" +
      std::string(session.at("id").as_string()) + R"(","object":"checkout.session"}}})";
  const StripeEventHead head{
      .id = "evt_old", .type = "checkout.session.completed", .created = 1'800'000'000};
  ASSERT_TRUE(RunAsync(context, RecordStripeEvent(pool, head, payload, "")).value());
  const auto applied = RunAsync(context, ApplyStripeEvent(pool, stripe, "evt_old", ""));
  ASSERT_TRUE(applied);
  EXPECT_EQ(applied->kind, EventOutcome::Kind::kApplied);
  EXPECT_EQ(Query("SELECT status FROM orders"), "paid");
  EXPECT_EQ(Query("SELECT processed_at IS NOT NULL FROM stripe_events"), "t");
}

// A checkout session that names no order of ours is recorded as processed all the same.
TEST_F(BillingUseCases, ACheckoutEventForNoOrderOfOursIsRecordedAsProcessed) {
  const std::string payload =
      R"({"id":"evt_foreign","object":"event","api_version":"2024-06-20","created":1800000000,)"
      R"("livemode":false,"type":"checkout.session.completed","data":{"object":)"
      R"({"id":"cs_other","object":"checkout.session","payment_status":"paid","metadata":{}}}})";
  const StripeEventHead head{
      .id = "evt_foreign", .type = "checkout.session.completed", .created = 1'800'000'000};
  ASSERT_TRUE(RunAsync(context, RecordStripeEvent(pool, head, payload, "")).value());
  const auto applied = RunAsync(context, ApplyStripeEvent(pool, stripe, "evt_foreign", ""));
  ASSERT_TRUE(applied);
  EXPECT_EQ(Query("SELECT processed_at IS NOT NULL FROM stripe_events"), "t");
}

TEST_F(BillingUseCases, APaidSessionSettlesItsOrderOnceWhoeverAsks) {
  const std::string order = Order("awaiting_payment");
  const json::value session = Session(order);
  const std::string id(session.at("id").as_string());
  // Not paid yet: nothing moves.
  auto unpaid =
      RunAsync(context, SettleCheckoutSession(pool, stripe, order, id, false, "test", ""));
  ASSERT_TRUE(unpaid);
  EXPECT_FALSE(unpaid->has_value());
  ASSERT_EQ(fake.Pay(std::string(session.at("url").as_string())).status, 303u);

  auto first = RunAsync(context, SettleCheckoutSession(pool, stripe, order, id, false, "test", ""));
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, domain::OrderStatus::kPaid);
  auto again = RunAsync(context, SettleCheckoutSession(pool, stripe, order, id, false, "test", ""));
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->has_value());
  EXPECT_EQ(Query("SELECT status FROM orders"), "paid");
  EXPECT_EQ(Query("SELECT count(*) FROM order_status_history WHERE to_status = 'paid'"), "1");
  EXPECT_EQ(Query("SELECT count(*) FROM jobs WHERE kind = 'order.provision'"), "1");
}

TEST_F(BillingUseCases, AnOrderFollowsItsNewestStoredSubscription) {
  const std::string order = Order("active");
  const auto store = [&](const std::string& status, std::int64_t version) {
    json::object object = json::parse(R"({"id":"sub_case","object":"subscription",)"
                                      R"("customer":"cus_case","items":{"data":[]}})")
                              .as_object();
    object["status"] = status;
    object["metadata"] = json::object{{"order_id", order}};
    const stripe::Subscription subscription = stripe::DecodeSubscription(object);
    return RunAsync(context,
                    pool.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<void>> {
                      auto kept = co_await StoreSubscription(tx, subscription, version);
                      if (!kept) co_return tl::unexpected(kept.error());
                      co_return co_await SyncOrder(tx, kept->order_id, "test", "");
                    }));
  };
  ASSERT_TRUE(store("past_due", 2));
  EXPECT_EQ(Query("SELECT status FROM orders"), "past_due");
  ASSERT_TRUE(store("active", 1));  // older than what is stored: changes nothing
  EXPECT_EQ(Query("SELECT status FROM orders"), "past_due");
  ASSERT_TRUE(store("active", 3));
  EXPECT_EQ(Query("SELECT status FROM orders"), "active");
  ASSERT_TRUE(store("canceled", 4));
  EXPECT_EQ(Query("SELECT status FROM orders"), "canceled");
  EXPECT_EQ(Query("SELECT string_agg(to_status, ',' ORDER BY id) FROM order_status_history"),
            "past_due,active,canceled");
  EXPECT_EQ(Query("SELECT stripe_subscription FROM orders"), "sub_case");
}

// A renewal makes several events of one order at once, applied side by side. Each transaction
// stores its invoice or subscription first, whose foreign key takes a key-share lock on the
// order, and then locks the order to follow it: that lock must not wait for another
// transaction's key-share lock, or two such transactions wait for each other (a deadlock).
TEST_F(BillingUseCases, TwoEventsOfOneOrderAppliedAtOnceDoNotDeadlock) {
  const std::string order = Order("active");
  json::object subscription_json =
      json::parse(R"({"id":"sub_both","object":"subscription","status":"active",)"
                  R"("customer":"cus_both","items":{"data":[]}})")
          .as_object();
  subscription_json["metadata"] = json::object{{"order_id", order}};
  const stripe::Subscription subscription = stripe::DecodeSubscription(subscription_json);
  const stripe::Invoice invoice = stripe::DecodeInvoice(
      json::parse(R"({"id":"in_both","object":"invoice","status":"paid","currency":"eur",)"
                  R"("customer":"cus_both","subscription":"sub_both"})")
          .as_object());

  // The invoice's transaction has stored its invoice when the subscription's transaction
  // runs whole: it must get through while the invoice's is still open.
  const auto subscription_event = [&](db::Transaction& tx) -> asio::awaitable<Result<void>> {
    auto stored = co_await StoreSubscription(tx, subscription, 1);
    if (!stored) co_return tl::unexpected(stored.error());
    co_return co_await SyncOrder(tx, order, "customer.subscription.updated", "");
  };
  const auto invoice_event = [&](db::Transaction& tx) -> asio::awaitable<Result<void>> {
    auto stored = co_await StoreInvoice(tx, invoice, 1, order);
    if (!stored) co_return tl::unexpected(stored.error());
    auto other = co_await pool.Transact(subscription_event, {.max_attempts = 1});
    if (!other) co_return tl::unexpected(other.error());
    co_return co_await SyncOrder(tx, order, "invoice.paid", "");
  };
  const auto applied = RunAsync(context, pool.Transact(invoice_event, {.max_attempts = 1}));
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(Query("SELECT count(*) FROM invoices WHERE order_id IS NOT NULL"), "1");
  EXPECT_EQ(Query("SELECT count(*) FROM subscriptions WHERE order_id IS NOT NULL"), "1");
  EXPECT_EQ(Query("SELECT status || ' ' || stripe_subscription FROM orders"), "active sub_both");
}

// Stripe includes only the first ten lines in an invoice (the stand-in too): the billing
// layer reads the rest, and stores every line and the tax per rate with the rate's percentage.
TEST_F(BillingUseCases, AnInvoiceIsStoredWithAllItsLinesAndItsTaxPerRate) {
  const std::string order = Order("awaiting_payment");
  const std::string rate = std::string(
      fake.Post("/v1/tax_rates",
                {{"display_name", "USt."}, {"percentage", "19"}, {"inclusive", "false"}})
          .at("id")
          .as_string());
  stripe::FormFields session{{"mode", "subscription"},
                             {"metadata[order_id]", order},
                             {"subscription_data[metadata][order_id]", order},
                             {"success_url", "https://example.com/ok"},
                             {"cancel_url", "https://example.com/no"}};
  constexpr int kLines = 12;
  for (int i = 0; i < kLines; ++i) {
    const std::string line = "line_items[" + std::to_string(i) + "]";
    session.emplace_back(line + "[price_data][currency]", "eur");
    session.emplace_back(line + "[price_data][unit_amount]", std::to_string(1000 + i));
    session.emplace_back(line + "[price_data][recurring][interval]", "month");
    session.emplace_back(line + "[price_data][product_data][name]", "Item " + std::to_string(i));
    session.emplace_back(line + "[quantity]", "1");
    session.emplace_back(line + "[tax_rates][0]", rate);
  }
  const json::value opened = fake.Post("/v1/checkout/sessions", session);
  ASSERT_EQ(fake.Pay(std::string(opened.at("url").as_string())).status, 303u);
  const json::value listed = fake.Get("/v1/invoices");
  ASSERT_EQ(listed.at("data").as_array().size(), 1u);
  const json::object& carried = listed.at("data").at(0).as_object();
  EXPECT_EQ(carried.at("lines").at("data").as_array().size(), 10u);
  EXPECT_TRUE(carried.at("lines").at("has_more").as_bool());

  const auto fetched =
      RunAsync(context, FetchInvoice(stripe, std::string(carried.at("id").as_string())));
  ASSERT_TRUE(fetched) << fetched.error().message;
  const stripe::Invoice invoice = stripe::DecodeInvoice(*fetched);
  ASSERT_EQ(invoice.lines.size(), static_cast<std::size_t>(kLines));
  EXPECT_TRUE(invoice.lines_complete);
  ASSERT_EQ(invoice.taxes.size(), 1u);
  EXPECT_EQ(invoice.taxes[0].rate_bps, 1900);
  EXPECT_EQ(invoice.taxes[0].amount, invoice.tax);
  EXPECT_EQ(invoice.taxes[0].taxable_amount, invoice.subtotal);

  const auto store = [&](db::Transaction& tx) -> asio::awaitable<Result<void>> {
    auto stored = co_await StoreInvoice(tx, invoice, 1, order);
    if (!stored) co_return tl::unexpected(stored.error());
    co_return Result<void>();
  };
  ASSERT_TRUE(RunAsync(context, pool.Transact(store)));
  EXPECT_EQ(Query("SELECT count(*) || ' ' || sum(amount) || ' ' || sum(tax) FROM invoice_lines"),
            std::to_string(kLines) + " " + std::to_string(invoice.subtotal) + " " +
                std::to_string(invoice.tax));
  EXPECT_EQ(Query("SELECT string_agg(code || ':' || position, ',' ORDER BY position) "
                  "FROM invoice_lines WHERE position > 10"),
            ":11,:12");  // products of no catalog: no code
  EXPECT_EQ(Query("SELECT tax_amounts::text FROM invoices"),
            R"([{"amount": )" + std::to_string(invoice.tax) + R"(, "rate_bps": 1900, )" +
                R"("taxable_amount": )" + std::to_string(invoice.subtotal) + "}]");
  // Issued, the invoice is kept for its retention period (§ 14b UStG, § 147 AO).
  EXPECT_ANY_THROW(database.Execute("DELETE FROM invoices"));
  EXPECT_ANY_THROW(database.Execute("UPDATE invoices SET status = 'draft'"));  // nor made one
  EXPECT_EQ(Query("SELECT count(*) || ' ' || min(status) FROM invoices"), "1 paid");
}

// The follow-up job makes Stripe say what the customer said last, whatever came in between: a
// stale job's late call, and a company closed after a resumption.
TEST_F(BillingUseCases, StripeFollowsTheLastDeclarationAndAClosedCompanyKeepsEnding) {
  const std::string order = Order("active");
  const json::value session = fake.Post(
      "/v1/checkout/sessions", {{"mode", "subscription"},
                                {"line_items[0][price_data][currency]", "eur"},
                                {"line_items[0][price_data][unit_amount]", "19900"},
                                {"line_items[0][price_data][recurring][interval]", "month"},
                                {"line_items[0][price_data][product_data][name]", "Team"},
                                {"line_items[0][quantity]", "1"},
                                {"metadata[order_id]", order},
                                {"subscription_data[metadata][order_id]", order},
                                {"success_url", "https://example.com/ok"},
                                {"cancel_url", "https://example.com/no"}});
  ASSERT_EQ(fake.Pay(std::string(session.at("url").as_string())).status, 303u);
  const std::string stripe_id(fake.Get("/v1/subscriptions").at("data").at(0).at("id").as_string());
  const auto fetched = RunAsync(context, FetchObject(stripe, "/v1/subscriptions", stripe_id));
  ASSERT_TRUE(fetched);
  const stripe::Subscription subscription = stripe::DecodeSubscription(*fetched);
  const auto store = [&](db::Transaction& tx) -> asio::awaitable<Result<void>> {
    auto stored = co_await StoreSubscription(tx, subscription, FetchVersion());
    if (!stored) co_return tl::unexpected(stored.error());
    co_return Result<void>();
  };
  ASSERT_TRUE(RunAsync(context, pool.Transact(store)));
  const std::string id = Query("SELECT id FROM subscriptions");
  const auto stripe_ends = [&] {
    return fake.Get("/v1/subscriptions/" + stripe_id).at("cancel_at_period_end").as_bool();
  };
  const auto follow = [&] {
    const auto followed = RunAsync(context, FollowCancellation(pool, stripe, stripe_id));
    EXPECT_TRUE(followed) << followed.error().message;
  };

  const auto cancelled =
      RunAsync(context, RequestCancellation(pool, std::string(kCompany), id, std::string(kUser)));
  ASSERT_TRUE(cancelled);
  EXPECT_TRUE(*cancelled);  // recorded now
  const auto again =
      RunAsync(context, RequestCancellation(pool, std::string(kCompany), id, std::string(kUser)));
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again);  // so already: nothing recorded or sent again
  follow();
  EXPECT_TRUE(stripe_ends());
  const auto resumed = RunAsync(context, Resume(pool, std::string(kCompany), id));
  ASSERT_TRUE(resumed);
  EXPECT_TRUE(*resumed);
  follow();
  EXPECT_FALSE(stripe_ends());
  // The cancellation's job, late, sets the old word again; the resumption's follow-up (its
  // loop or a retry) must set it back, not get an answer replayed for its earlier call.
  fake.Post("/v1/subscriptions/" + stripe_id, {{"cancel_at_period_end", "true"}});
  follow();
  EXPECT_FALSE(stripe_ends());
  EXPECT_EQ(Query("SELECT string_agg(template, ',' ORDER BY id) FROM email_outbox"),
            "cancellation_received,subscription_resumed");

  // Closed after the resumption: the subscription ends with its period all the same.
  database.Execute("UPDATE companies SET deleted_at = now()");
  follow();
  EXPECT_TRUE(stripe_ends());
}

// Two checkouts at once, the first for a tax rate: both create it at Stripe (one key, one
// object) and both store its id. The second's insert waits for the first's and then finds the
// key taken; it must answer the id stored, not nothing (a 500 at checkout before).
TEST_F(BillingUseCases, ATaxRateStoredByAConcurrentCheckoutMeanwhileIsTheOneUsed) {
  stripe::TaxRateRequest rate{
      .rate_bps = 1900, .treatment = "standard", .country = "DE", .display_name = "USt."};
  const std::string key = stripe::TaxRateKey(rate);
  std::optional<Result<std::string>> second;
  const auto first = [&](db::Transaction& tx) -> asio::awaitable<Result<void>> {
    constexpr db::Statement kStore{"test_store_rate",
                                   "INSERT INTO stripe_objects (key, stripe_id) VALUES ($1, $2)"};
    auto stored = co_await tx.Execute(kStore, key, std::string("txr_first"));
    if (!stored) co_return tl::unexpected(stored.error());
    asio::co_spawn(context, TaxRateId(pool, stripe, rate),
                   [&](std::exception_ptr, Result<std::string> id) { second = std::move(id); });
    // Commits only once the second's insert waits for this row.
    asio::steady_timer timer(context);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (Query("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                 "AND datname = current_database()") == "0") {
      if (second) {
        co_return Fail(ErrorCode::kInternal, "the second ended without waiting",
                       *second ? **second : second->error().message);
      }
      if (std::chrono::steady_clock::now() > deadline) {
        co_return Fail(ErrorCode::kInternal, "the second insert never waited");
      }
      timer.expires_after(std::chrono::milliseconds(10));
      co_await timer.async_wait(asio::use_awaitable);
    }
    co_return Result<void>();
  };
  const auto committed = RunAsync(context, pool.Transact(first, {.max_attempts = 1}));
  ASSERT_TRUE(committed) << committed.error().message << ": " << committed.error().reason;
  testing::RunUntil(context, [&] { return second.has_value(); });
  ASSERT_TRUE(*second) << second->error().message << ": " << second->error().reason;
  EXPECT_EQ(**second, "txr_first");
  EXPECT_EQ(Query("SELECT stripe_id FROM stripe_objects WHERE key = '" + key + "'"), "txr_first");
}

}  // namespace
}  // namespace codezero::billing
