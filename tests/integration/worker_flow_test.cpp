// The whole purchase with the worker, over real HTTP: the API, the Stripe stand-in (which pays on
// its hosted page and posts signed webhooks to the API) and the worker in-process, against a
// real PostgreSQL and Redis. Checkout → payment → webhook → event processed → order active,
// workspace and licence, confirmation and access e-mails in the outbox; the same under the
// stand-in's chaos (duplicated, shuffled deliveries); renewals through a test clock, paid and
// failed (past due, dunning e-mail, then canceled); a reconciliation repairing an invoice whose
// webhook was dropped.
#include "integration/worker_flow.h"

#include <thread>

#include "common/digest.h"
#include "stripe/webhook_signature.h"

namespace codezero::worker {
namespace {

TEST_F(WorkerFlow, APaidCheckoutBecomesAnActiveWorkspaceWithItsLicenceAndEmails) {
  const Buyer buyer = CheckOut("owner@example.com", kTeamMonthly);
  StartWorker();
  ASSERT_EQ(fake.Pay(buyer.session_url).status, 303u);

  ASSERT_TRUE(WaitFor(OrderStatus(buyer.order_id), "active"));
  EXPECT_EQ(Query("SELECT string_agg(to_status, ',' ORDER BY id) FROM order_status_history "
                  "WHERE order_id = '" +
                  buyer.order_id + "'"),
            "awaiting_payment,paid,provisioning,active");
  EXPECT_EQ(Query("SELECT entitlements->>'seats' || ' ' || (entitlements->>'sso') || ' ' || "
                  "status FROM workspaces WHERE order_id = '" +
                  buyer.order_id + "'"),
            "15 true active");
  ASSERT_TRUE(WaitForEmail("Your Code Zero AI order is paid"));
  ASSERT_TRUE(WaitForEmail("Your Code Zero AI workspace is ready"));

  // The licence key is in the access e-mail, and only its SHA-256 in the database.
  std::string key;
  for (const std::string& email : Emails()) {
    const auto at = email.find("czl_");
    if (at != std::string::npos && key.empty()) key = email.substr(at, email.find('\r', at) - at);
  }
  ASSERT_EQ(key.size(), 4u + 43u) << key;
  const Sha256Digest digest = Sha256(key);
  EXPECT_EQ(Query("SELECT encode(key_hash, 'hex') FROM licences"),
            ToHex(digest.data(), digest.size()));
  EXPECT_EQ(Query("SELECT count(*) FROM email_outbox WHERE payload::text LIKE '%czl_%'"), "0");
  EXPECT_EQ(Query("SELECT payload->>'licence_key' FROM email_outbox "
                  "WHERE template = 'access_details'"),
            "[sent]");

  // Subscription and first invoice are mirrored; every event is processed.
  ASSERT_TRUE(WaitFor("SELECT count(*) FROM stripe_events WHERE processed_at IS NULL", "0"));
  EXPECT_EQ(Query("SELECT status FROM subscriptions"), "active");
  EXPECT_EQ(Query("SELECT status || ' ' || amount_paid FROM invoices"), "paid 44387");
  EXPECT_EQ(Query("SELECT count(*) FROM jobs WHERE state NOT IN ('completed')"), "0");
  // One W3C trace from what paid the order (a webhook, or the API confirming on read) through
  // provisioning to the e-mails it sent; every job has one.
  EXPECT_EQ(Query("SELECT count(*) FROM jobs WHERE trace_context IS NULL"), "0");
  EXPECT_EQ(Query("SELECT count(DISTINCT substr(trace_context, 4, 32)) FROM jobs WHERE "
                  "kind = 'order.provision' OR args->>'outbox_id' IN (SELECT id::text FROM "
                  "email_outbox WHERE template IN ('order_confirmation', 'access_details'))"),
            "1");
}

// A full refund ends the order here and the subscription at Stripe, at once: otherwise Stripe
// would charge the refunded customer again at the next renewal.
TEST_F(WorkerFlow, AFullRefundCancelsTheStripeSubscriptionNotOnlyTheOrder) {
  const Buyer buyer = CheckOut("refund@example.com", kTeamMonthly);
  StartWorker();
  ASSERT_EQ(fake.Pay(buyer.session_url).status, 303u);
  ASSERT_TRUE(WaitFor(OrderStatus(buyer.order_id), "active"));
  const std::string subscription =
      Query("SELECT stripe_subscription FROM orders WHERE id = '" + buyer.order_id + "'");
  ASSERT_FALSE(subscription.empty());
  const json::value invoices = fake.Get("/v1/invoices", {{"subscription", subscription}});
  const std::string charge = S(invoices.at("data").at(0).at("charge"));
  fake.Post("/v1/refunds", {{"charge", charge}});

  ASSERT_TRUE(WaitFor(OrderStatus(buyer.order_id), "refunded"));
  ASSERT_TRUE(testing::Eventually(
      [&] { return S(fake.Get("/v1/subscriptions/" + subscription).at("status")) == "canceled"; }));
  ASSERT_TRUE(WaitFor("SELECT status FROM subscriptions", "canceled"));
  EXPECT_EQ(Query("SELECT status FROM workspaces"), "canceled");
  EXPECT_EQ(Query("SELECT count(*) FROM jobs WHERE kind = 'stripe.cancel_subscription' AND "
                  "state = 'completed'"),
            "1");

  // Asked again (a duplicate delivery of the refund, say), or for a subscription Stripe does
  // not have: done at the first attempt, nothing retried.
  for (const std::string& which : {subscription, std::string("sub_never_there")}) {
    database.Execute(
        "INSERT INTO jobs (kind, args) VALUES ('stripe.cancel_subscription', "
        "jsonb_build_object('subscription', '" +
        which + "', 'at_period_end', false, 'cause', 'refund'))");
  }
  ASSERT_TRUE(
      WaitFor("SELECT count(*) FROM jobs WHERE kind = 'stripe.cancel_subscription' AND "
              "state = 'completed' AND attempt = 1",
              "3"));
}

// Closing the company ends its subscription with the period it paid for, and says so.
TEST_F(WorkerFlow, TheStripeCustomerFollowsACompanyChangeWithoutACheckout) {
  const Buyer buyer = CheckOut("follow@example.com", kTeamMonthly);  // before the worker runs
  StartWorker();
  const std::string customer = Query("SELECT stripe_customer_id FROM companies");
  ASSERT_FALSE(customer.empty());
  ASSERT_EQ(Send(http::Verb::patch, "/v1/company",
                 R"({"name":"Acme Neu GmbH","vat_id":"DE 136 695 976",)"
                 R"("address":{"line1":"Hafenstr. 5","postal_code":"20457","city":"Hamburg"}})",
                 buyer.token)
                .result(),
            http::Status::ok);
  ASSERT_TRUE(WaitFor(CompletedJobs("stripe.sync_customer"), "1"));
  json::value at_stripe = fake.Get("/v1/customers/" + customer, {{"expand[0]", "tax_ids"}});
  EXPECT_EQ(S(at_stripe.at("name")), "Acme Neu GmbH");
  EXPECT_EQ(S(at_stripe.at("address").at("line1")), "Hafenstr. 5");
  EXPECT_EQ(S(at_stripe.at("address").at("postal_code")), "20457");
  EXPECT_EQ(S(at_stripe.at("address").at("city")), "Hamburg");
  ASSERT_EQ(at_stripe.at("tax_ids").at("data").as_array().size(), 1u);
  EXPECT_EQ(S(at_stripe.at("tax_ids").at("data").at(0).at("value")), "DE136695976");

  // The VAT ID given up: Stripe's copy goes too.
  ASSERT_EQ(Send(http::Verb::patch, "/v1/company", R"({"vat_id":null})", buyer.token).result(),
            http::Status::ok);
  ASSERT_TRUE(WaitFor(CompletedJobs("stripe.sync_customer"), "2"));
  at_stripe = fake.Get("/v1/customers/" + customer, {{"expand[0]", "tax_ids"}});
  EXPECT_TRUE(at_stripe.at("tax_ids").at("data").as_array().empty());
  EXPECT_EQ(S(at_stripe.at("name")), "Acme Neu GmbH");
  // The buyer is still a member: their address stays the customer's.
  EXPECT_EQ(S(at_stripe.at("email")), "follow@example.com");
}

// Once the buyer has left (here: handed over ownership and erased their account), their address
// is no longer the Stripe customer's; the owner's is.
TEST_F(WorkerFlow, TheBuyersAddressLeavesTheStripeCustomerWithTheBuyer) {
  const Buyer buyer = CheckOut("leaving@example.com", kTeamMonthly);
  StartWorker();
  const std::string customer = Query("SELECT stripe_customer_id FROM companies");
  ASSERT_EQ(S(fake.Get("/v1/customers/" + customer).at("email")), "leaving@example.com");
  const std::string heir = Query(
      "INSERT INTO users (company_id, email, name, role, locale, email_verified_at) "
      "SELECT company_id, 'heir@example.com', 'Hei Ress', 'member', 'de', now() FROM users "
      "WHERE email = 'leaving@example.com' RETURNING id");
  ASSERT_EQ(
      Send(http::Verb::post, "/v1/company/owner", R"({"user_id":")" + heir + R"("})", buyer.token)
          .result(),
      http::Status::no_content);
  ASSERT_EQ(Send(http::Verb::delete_, "/v1/me", "", buyer.token).result(),
            http::Status::no_content);
  ASSERT_TRUE(WaitFor(CompletedJobs("stripe.sync_customer"), "1"));
  EXPECT_EQ(S(fake.Get("/v1/customers/" + customer).at("email")), "heir@example.com");
}

// A company whose owner was disabled (by staff) has no address to put in the buyer's place:
// Stripe keeps the one it has rather than none.
TEST_F(WorkerFlow, WithoutALiveOwnerTheStripeCustomerKeepsItsAddress) {
  CheckOut("suspended@example.com", kTeamMonthly);
  StartWorker();
  const std::string customer = Query("SELECT stripe_customer_id FROM companies");
  database.Execute("UPDATE users SET disabled_at = now() WHERE email = 'suspended@example.com'");
  database.Execute(
      "INSERT INTO jobs (kind, args) SELECT 'stripe.sync_customer', "
      "jsonb_build_object('company_id', id::text) FROM companies");
  ASSERT_TRUE(WaitFor(CompletedJobs("stripe.sync_customer"), "1"));
  EXPECT_EQ(S(fake.Get("/v1/customers/" + customer).at("email")), "suspended@example.com");
}

// A closed company leaves nothing at Stripe but its customer's id: no name, e-mail address,
// billing address or tax ID.
TEST_F(WorkerFlow, AClosedCompanysStripeCustomerKeepsNothingButItsId) {
  const Buyer buyer = CheckOut("closed@example.com", kTeamMonthly);
  StartWorker();
  const std::string customer = Query("SELECT stripe_customer_id FROM companies");
  const std::string company = Query("SELECT id FROM companies");
  ASSERT_EQ(Send(http::Verb::patch, "/v1/company", R"({"vat_id":"DE 136 695 976"})", buyer.token)
                .result(),
            http::Status::ok);
  ASSERT_TRUE(WaitFor(CompletedJobs("stripe.sync_customer"), "1"));
  ASSERT_EQ(fake.Get("/v1/customers/" + customer, {{"expand[0]", "tax_ids"}})
                .at("tax_ids")
                .at("data")
                .as_array()
                .size(),
            1u);

  const http::Response closed = Send(http::Verb::delete_, "/v1/company", "", buyer.token);
  ASSERT_EQ(closed.result(), http::Status::ok) << closed.body();
  ASSERT_TRUE(WaitFor(CompletedJobs("stripe.sync_customer"), "2"));
  const json::value at_stripe = fake.Get("/v1/customers/" + customer, {{"expand[0]", "tax_ids"}});
  EXPECT_TRUE(at_stripe.at("name").is_null());
  EXPECT_TRUE(at_stripe.at("email").is_null());
  EXPECT_TRUE(at_stripe.at("address").is_null());
  EXPECT_TRUE(at_stripe.at("tax_ids").at("data").as_array().empty());
  EXPECT_EQ(S(at_stripe.at("metadata").at("company_id")), company);
}

TEST_F(WorkerFlow, ClosingTheCompanyEndsItsSubscriptionWithThePaidPeriod) {
  const Buyer buyer = CheckOut("closing@example.com", kTeamMonthly);
  StartWorker();
  ASSERT_EQ(fake.Pay(buyer.session_url).status, 303u);
  ASSERT_TRUE(WaitFor(OrderStatus(buyer.order_id), "active"));
  ASSERT_TRUE(WaitFor("SELECT count(*) FROM subscriptions WHERE status = 'active'", "1"));
  const std::string subscription = Query("SELECT stripe_id FROM subscriptions");

  const http::Response closed = Send(http::Verb::delete_, "/v1/company", "", buyer.token);
  ASSERT_EQ(closed.result(), http::Status::ok) << closed.body();
  const json::value ending = JsonOf(closed).at("subscriptions_ending");
  ASSERT_EQ(ending.as_array().size(), 1u);
  EXPECT_EQ(S(ending.at(0).at("id")), subscription);
  EXPECT_EQ(S(ending.at(0).at("ends_at")),
            Query("SELECT iso8601(current_period_end) FROM subscriptions"));

  ASSERT_TRUE(testing::Eventually([&] {
    return fake.Get("/v1/subscriptions/" + subscription).at("cancel_at_period_end").as_bool();
  }));
  EXPECT_EQ(S(fake.Get("/v1/subscriptions/" + subscription).at("status")), "active");
  ASSERT_TRUE(WaitFor("SELECT cancel_at_period_end FROM subscriptions", "t"));
}

TEST_F(WorkerFlow, TheProvisioningEndpointGetsEachNewStateSignedAndRetried) {
  testing::WebhookReceiver endpoint;
  endpoint.FailNext(1, 503);
  const std::string secret = "provisioning-secret-provisioning-secret";
  const Buyer buyer = CheckOut("notify@example.com", kTeamMonthly);
  StartWorker(ProvisioningTarget{endpoint.url(), secret});
  ASSERT_EQ(fake.Pay(buyer.session_url).status, 303u);
  ASSERT_TRUE(WaitFor(OrderStatus(buyer.order_id), "active"));
  // The first answer was a 503: retried with the backoff, then acknowledged.
  ASSERT_TRUE(endpoint.WaitFor([](const auto& deliveries) { return deliveries.size() >= 2; }));
  ASSERT_TRUE(
      WaitFor("SELECT n.version = w.version FROM workspaces w JOIN provisioning_notices n ON "
              "n.workspace_id = w.id",
              "t"))
      << Query(
             "SELECT n.version || ' vs ' || w.version FROM workspaces w JOIN "
             "provisioning_notices n ON n.workspace_id = w.id")
      << Query(
             "SELECT string_agg(kind || ' ' || state || ' ' || errors::text, E'\\n') FROM jobs "
             "WHERE kind = 'provisioning.notify'");
  const auto delivered = endpoint.deliveries();
  const auto& last = delivered.back();
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  const std::vector<std::string> secrets{secret};
  EXPECT_EQ(stripe::VerifySignature(last.signature, last.body, secrets, now),
            stripe::SignatureCheck::kValid)
      << last.signature;
  EXPECT_NE(stripe::VerifySignature(last.signature, last.body + " ", secrets, now),
            stripe::SignatureCheck::kValid);
  const json::value notice = json::parse(last.body);
  EXPECT_EQ(S(notice.at("type")), "workspace.entitlements");
  EXPECT_EQ(S(notice.at("data").at("workspace_id")), Query("SELECT id FROM workspaces"));
  EXPECT_EQ(S(notice.at("data").at("order_id")), buyer.order_id);
  EXPECT_EQ(notice.at("data").at("entitlements").at("seats").as_int64(), 15);
  EXPECT_EQ(std::to_string(notice.at("data").at("version").as_int64()),
            Query("SELECT version FROM workspaces"));

  // A notice for a state the endpoint has acknowledged sends nothing; a newer state is sent.
  const std::size_t before = delivered.size();
  const std::string workspace = Query("SELECT id FROM workspaces");
  database.Execute(
      "INSERT INTO jobs (kind, args) VALUES ('provisioning.notify', "
      "jsonb_build_object('workspace_id', '" +
      workspace + "'))");
  ASSERT_TRUE(
      WaitFor("SELECT count(*) FROM jobs WHERE kind = 'provisioning.notify' AND "
              "state <> 'completed'",
              "0"));
  EXPECT_EQ(endpoint.deliveries().size(), before);
  database.Execute(
      "UPDATE workspaces SET entitlements = entitlements || '{\"seats\": 16}'; "
      "INSERT INTO jobs (kind, args) VALUES ('provisioning.notify', "
      "jsonb_build_object('workspace_id', '" +
      workspace + "'))");
  ASSERT_TRUE(endpoint.WaitFor(
      [before](const auto& deliveries) { return deliveries.size() == before + 1; }));
  ASSERT_TRUE(
      WaitFor("SELECT n.version = w.version FROM workspaces w JOIN provisioning_notices n ON "
              "n.workspace_id = w.id",
              "t"));
}

class WorkerFlowUnderChaos : public WorkerFlow {
 protected:
  WorkerFlowUnderChaos() : WorkerFlow(1.0) {}
};

TEST_F(WorkerFlowUnderChaos, DuplicatedShuffledDeliveriesEndInTheSameState) {
  const Buyer buyer = CheckOut("chaos@example.com", kTeamMonthly);
  StartWorker();
  ASSERT_EQ(fake.Pay(buyer.session_url).status, 303u);
  ASSERT_TRUE(WaitFor(OrderStatus(buyer.order_id), "active"));
  ASSERT_TRUE(WaitForEmail("Your Code Zero AI workspace is ready"));
  // Every delivery, duplicates included, answered; then every stored event applied.
  ASSERT_TRUE(testing::Eventually([&] { return fake.PendingDeliveries() == 0; }));
  ASSERT_TRUE(WaitFor("SELECT count(*) FROM stripe_events WHERE processed_at IS NULL", "0"));
  EXPECT_EQ(Query("SELECT count(*) FROM workspaces"), "1");
  EXPECT_EQ(Query("SELECT count(*) FROM licences"), "1");
  EXPECT_EQ(Query("SELECT string_agg(to_status, ',' ORDER BY id) FROM order_status_history"),
            "awaiting_payment,paid,provisioning,active");
  EXPECT_EQ(Query("SELECT status FROM subscriptions"), "active");
  EXPECT_EQ(Query("SELECT status FROM invoices"), "paid");
  EXPECT_EQ(EmailsWithSubject("Your Code Zero AI order is paid"), 1);
  EXPECT_EQ(EmailsWithSubject("Your Code Zero AI workspace is ready"), 1);
  // Stripe sent each event at least twice; each was stored once.
  EXPECT_EQ(Query("SELECT count(*) FROM jobs WHERE kind = 'stripe.process_event'"),
            Query("SELECT count(*) FROM stripe_events"));
}

TEST_F(WorkerFlow, RenewalsThroughATestClockPaidAndFailedWithDunningThenCancellation) {
  const Clock clock = NewClock();
  const std::int64_t start = clock.start;
  const Buyer good = CheckOut("good@example.com", kTeamMonthly, CustomerOn(clock, "Good GmbH"));
  const Buyer bad = CheckOut("bad@example.com", kTeamMonthly, CustomerOn(clock, "Bad GmbH"));
  StartWorker();
  ASSERT_EQ(fake.Pay(good.session_url).status, 303u);
  ASSERT_EQ(fake.Pay(bad.session_url, {.number = "4000 0000 0000 0341"}).status, 303u);
  ASSERT_TRUE(WaitFor(OrderStatus(good.order_id), "active"));
  ASSERT_TRUE(WaitFor(OrderStatus(bad.order_id), "active"));

  // A month and a day later: one renewal is paid, the other fails.
  fake.AdvanceClock(clock.id, start + 32 * 24 * 3600);
  ASSERT_TRUE(
      WaitFor("SELECT count(*) FROM invoices WHERE billing_reason = 'subscription_cycle'", "2"));
  ASSERT_TRUE(WaitFor(OrderStatus(bad.order_id), "past_due"));
  EXPECT_EQ(Query(OrderStatus(good.order_id)), "active");
  EXPECT_EQ(Query("SELECT i.status FROM invoices i JOIN orders o ON o.id = i.order_id WHERE "
                  "i.billing_reason = 'subscription_cycle' AND o.id = '" +
                  good.order_id + "'"),
            "paid");
  EXPECT_EQ(Query("SELECT status FROM workspaces WHERE order_id = '" + bad.order_id + "'"),
            "past_due");
  ASSERT_TRUE(WaitForEmail("Payment failed: invoice " +
                           Query("SELECT number FROM invoices WHERE status = 'open'")));

  // The dunning schedule runs out: the subscription ends, and with it the order.
  fake.AdvanceClock(clock.id, start + 50 * 24 * 3600);
  ASSERT_TRUE(WaitFor(OrderStatus(bad.order_id), "canceled"));
  EXPECT_EQ(Query("SELECT status FROM workspaces WHERE order_id = '" + bad.order_id + "'"),
            "canceled");
  ASSERT_TRUE(WaitForEmail("Your Code Zero AI subscription has ended"));
  EXPECT_GE(EmailsWithSubject("Payment failed: invoice " +
                              Query("SELECT number FROM invoices WHERE order_id = '" +
                                    bad.order_id + "' AND billing_reason = 'subscription_cycle'")),
            2);  // one per failed attempt
  EXPECT_EQ(Query(OrderStatus(good.order_id)), "active");
}

// The dated rate table changes a country's rate: a running subscription gets the new rate at
// Stripe before its next renewal, once, and the renewal's invoice charges it.
TEST_F(WorkerFlow, ARunningSubscriptionGetsANewVatRateBeforeItsRenewal) {
  const auto now = std::chrono::system_clock::now();
  const std::chrono::year_month_day today{std::chrono::floor<std::chrono::days>(now)};
  char from[16];
  std::snprintf(from, sizeof from, "%04d-%02u-%02u", static_cast<int>(today.year()),
                static_cast<unsigned>(today.month()), static_cast<unsigned>(today.day()));
  // Germany at 21 % from today: a table made up for the test.
  const auto rates = domain::VatRates::Parse(
      std::string(R"({"source":"test","rates":[{"country":"DE","rate_bps":1900,)") +
      R"("from":"2021-01-01"},{"country":"DE","rate_bps":2100,"from":")" + from + R"("}]})");
  ASSERT_TRUE(rates) << rates.error().message;
  vat_rates = &*rates;
  const Clock clock = NewClock();
  // Quoted at 19 %: the checkout is priced with the table compiled in, as of today.
  ActiveBuyer("rate@example.com", CustomerOn(clock, "Rate GmbH"));
  ASSERT_EQ(Query("SELECT tax_rate_bps FROM orders"), "1900");
  const std::string subscription = Query("SELECT stripe_id FROM subscriptions");

  database.Execute("INSERT INTO jobs (kind, args) VALUES ('billing.follow_vat_rates', '{}')");
  ASSERT_TRUE(
      WaitFor("SELECT string_agg(state, ',') FROM jobs WHERE kind = "
              "'billing.follow_vat_rates'",
              "completed"));
  EXPECT_EQ(Query("SELECT tax_rate_bps FROM subscriptions"), "2100");
  const json::value items = fake.Get("/v1/subscriptions/" + subscription).at("items").at("data");
  ASSERT_EQ(items.as_array().size(), 3u);
  for (const json::value& item : items.as_array()) {
    ASSERT_EQ(item.at("tax_rates").as_array().size(), 1u);
    EXPECT_EQ(item.at("tax_rates").at(0).at("percentage"), 21);
  }
  const auto updates = [&] {
    return fake.Get("/v1/events", {{"type", "customer.subscription.updated"}, {"limit", "100"}})
        .at("data")
        .as_array()
        .size();
  };
  const std::size_t updated = updates();

  // Run again: nothing left to change.
  database.Execute("INSERT INTO jobs (kind, args) VALUES ('billing.follow_vat_rates', '{}')");
  ASSERT_TRUE(
      WaitFor("SELECT string_agg(state, ',') FROM jobs WHERE kind = "
              "'billing.follow_vat_rates'",
              "completed,completed"));
  EXPECT_EQ(updates(), updated);

  // The renewal charges 21 % per line: 19900, 5 × 1500 and 9900 → 4179 + 1575 + 2079.
  fake.AdvanceClock(clock.id, clock.start + 32 * 24 * 3600);
  ASSERT_TRUE(
      WaitFor("SELECT tax FROM invoices WHERE billing_reason = 'subscription_cycle'", "7833"));
}

// A customer's default footer is its latest checkout's note; each renewal draft gets the note
// of its own order instead (none for standard German VAT) before Stripe finalizes it.
TEST_F(WorkerFlow, ARenewalCarriesItsOwnOrdersTaxNoteNotTheCustomersLatest) {
  const Clock clock = NewClock();
  const std::string customer = CustomerOn(clock, "Note GmbH");
  ActiveBuyer("note@example.com", customer);
  // A later checkout of the company (another treatment) left its note as the default footer.
  fake.Post("/v1/customers/" + customer,
            {{"invoice_settings[footer]", "Steuerschuldnerschaft des Leistungsempfängers."}});
  const std::int64_t period_end =
      std::stoll(Query("SELECT extract(epoch FROM current_period_end)::bigint FROM subscriptions"));

  fake.AdvanceClock(clock.id, period_end + 60);
  const auto draft = [&] {
    return fake.Get("/v1/invoices", {{"customer", customer}, {"status", "draft"}})
        .at("data")
        .as_array();
  };
  ASSERT_EQ(draft().size(), 1u);
  const std::string renewal = S(draft().at(0).at("id"));
  ASSERT_TRUE(testing::Eventually(
      [&] { return fake.Get("/v1/invoices/" + renewal).at("footer").is_null(); }));
  fake.AdvanceClock(clock.id, period_end + 3600);
  const json::value paid = fake.Get("/v1/invoices/" + renewal);
  EXPECT_EQ(S(paid.at("status")), "paid");
  EXPECT_TRUE(paid.at("footer").is_null());
  EXPECT_EQ(fake.Page(S(paid.at("hosted_invoice_url"))).body.find("Steuerschuldnerschaft"),
            std::string::npos);
}

// Some events name no object to fetch (an upcoming invoice is a preview without an id), or one
// Stripe no longer has (a deleted draft, or an id it never had); a refunded one-time payment
// has no invoice. Each is recorded as processed at its first run, not retried until discarded.
TEST_F(WorkerFlow, EventsWithNoObjectOrAGoneOneAreRecordedAtTheFirstRun) {
  StartWorker();
  database.Execute(
      "INSERT INTO invoices (stripe_id, stripe_customer, status, currency, subtotal, tax, "
      "total, amount_due, amount_paid, stripe_created, stripe_version) VALUES "
      "('in_draft_gone', 'cus_x', 'draft', 'eur', 0, 0, 0, 0, 0, now(), 1)");
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  const auto deliver = [&](const std::string& id, const std::string& type,
                           const std::string& object) {
    const std::string body = R"({"id":")" + id +
                             R"(","object":"event","api_version":"2024-06-20","created":)" +
                             std::to_string(now) + R"(,"livemode":false,"pending_webhooks":1,)" +
                             R"("request":{"id":null,"idempotency_key":null},"type":")" + type +
                             R"(","data":{"object":)" + object + "}}";
    const http::Response answer =
        Send(http::Verb::post, "/v1/webhooks/stripe", body, "", "application/json",
             {{"Stripe-Signature", stripe::SignatureHeader(fake.webhook_secret(), now, body)}});
    EXPECT_EQ(answer.result(), http::Status::ok) << answer.body();
  };
  deliver("evt_upcoming", "invoice.upcoming",
          R"({"object":"invoice","customer":"cus_x","subscription":"sub_x","amount_due":4900})");
  deliver("evt_deleted", "invoice.deleted", R"({"id":"in_draft_gone","object":"invoice"})");
  deliver("evt_never", "invoice.paid", R"({"id":"in_never_there","object":"invoice"})");
  deliver("evt_one_time", "charge.refunded",
          R"({"id":"ch_x","object":"charge","refunded":true,"invoice":null,)"
          R"("payment_intent":"pi_x"})");
  ASSERT_TRUE(WaitFor("SELECT count(*) FROM stripe_events WHERE processed_at IS NOT NULL", "4"));
  EXPECT_EQ(Query("SELECT count(*) FROM jobs WHERE kind = 'stripe.process_event' AND "
                  "(state <> 'completed' OR attempt <> 1)"),
            "0");
  EXPECT_EQ(Query("SELECT count(*) FROM invoices"), "0");  // the draft removed, nothing stored
}

TEST_F(WorkerFlow, AnEventInAnotherApiVersionIsAppliedFromItsObjectsNotItsPayload) {
  // An endpoint left on the account's default version sends objects of another shape: the
  // worker does not read them, and fetches the session in its own version instead.
  const Buyer buyer = CheckOut("old-shape@example.com", kTeamMonthly);  // before the worker runs
  fake.SetWebhookEndpoints({});  // only the forged old-version event below arrives
  StartWorker();
  ASSERT_EQ(fake.Pay(buyer.session_url).status, 303u);
  const std::string session = Query("SELECT stripe_checkout_session FROM orders");
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  const std::string body =
      R"({"id":"evt_old_shape","object":"event","api_version":"2020-08-27","created":)" +
      std::to_string(now) +
      R"(,"livemode":false,"pending_webhooks":1,"request":{"id":null,"idempotency_key":null},)"
      R"("type":"checkout.session.completed","data":{"object":{"id":")" +
      session + R"(","object":"checkout.session"}}})";
  const http::Response answer =
      Send(http::Verb::post, "/v1/webhooks/stripe", body, "", "application/json",
           {{"Stripe-Signature", stripe::SignatureHeader(fake.webhook_secret(), now, body)}});
  ASSERT_EQ(answer.result(), http::Status::ok) << answer.body();
  ASSERT_TRUE(WaitFor(OrderStatus(buyer.order_id), "active"));
  EXPECT_EQ(Query("SELECT state || ' ' || attempt FROM jobs "
                  "WHERE unique_key = 'stripe.process_event:evt_old_shape'"),
            "completed 1");
}

TEST_F(WorkerFlow, ReconciliationRepairsAnInvoiceWhoseWebhookWasDropped) {
  const Clock clock = NewClock();
  const Buyer buyer = ActiveBuyer("quiet@example.com", CustomerOn(clock, "Quiet GmbH"));
  ASSERT_TRUE(WaitFor("SELECT count(*) FROM stripe_events WHERE processed_at IS NULL", "0"));

  fake.SetWebhookEndpoints({});  // the renewal's webhooks are lost: none can arrive
  fake.AdvanceClock(clock.id, clock.start + 32 * 24 * 3600);
  // Nothing on its way, nothing left to apply: the renewal is unknown here until reconciled.
  ASSERT_TRUE(testing::Eventually([&] { return fake.PendingDeliveries() == 0; }));
  ASSERT_TRUE(WaitFor("SELECT count(*) FROM stripe_events WHERE processed_at IS NULL", "0"));
  EXPECT_EQ(Query("SELECT count(*) FROM invoices"), "1");  // only the first

  database.Execute("INSERT INTO jobs (kind, args) VALUES ('billing.reconcile', '{}')");
  ASSERT_TRUE(WaitFor("SELECT state FROM jobs WHERE kind = 'billing.reconcile'", "completed"));
  ASSERT_TRUE(
      WaitFor("SELECT count(*) FROM invoices WHERE billing_reason = 'subscription_cycle' "
              "AND status = 'paid'",
              "1"));
  EXPECT_EQ(Query("SELECT order_id FROM invoices WHERE billing_reason = 'subscription_cycle'"),
            buyer.order_id);
  EXPECT_EQ(Query("SELECT count(*) FROM invoice_lines l JOIN invoices i ON i.stripe_id = "
                  "l.invoice_id WHERE i.billing_reason = 'subscription_cycle'"),
            "3");  // with its lines: the plan and both add-ons

  // The missed events were stored and processed as if they had arrived.
  ASSERT_TRUE(WaitFor("SELECT count(*) FROM stripe_events WHERE processed_at IS NULL", "0"));
  EXPECT_NE(Query("SELECT count(*) FROM stripe_events WHERE type = 'invoice.paid'"), "1");
  EXPECT_EQ(Query(OrderStatus(buyer.order_id)), "active");
}

}  // namespace
}  // namespace codezero::worker
