// Staff end a subscription at once with a refund choice (issue 14): none, the unused part of
// the last payment, or all of it; Stripe's events then end the order and the workspace.
#include "integration/worker_flow.h"

namespace codezero::worker {
namespace {

class AdminCancellation : public WorkerFlow {
 protected:
  http::Response CancelNow(const std::string& id, const std::string& body,
                           const std::string& token) {
    return Send(http::Verb::post, "/v1/admin/subscriptions/" + id + "/cancel", body, token);
  }
  std::string SubscriptionOf(const Buyer& buyer) {
    return Query("SELECT id FROM subscriptions WHERE order_id = '" + buyer.order_id + "'");
  }
  json::value ChargeOf(const Buyer& buyer) {
    const std::string invoice =
        Query("SELECT stripe_id FROM invoices WHERE order_id = '" + buyer.order_id + "'");
    return fake.Get("/v1/charges/" + S(fake.Get("/v1/invoices/" + invoice).at("charge")));
  }
};

TEST_F(AdminCancellation, StaffEndASubscriptionAtOnceRefundingTheUnusedPartOrAllOfIt) {
  const Tokens admin = LoginAsNewPlatformAdmin("staff@codezero.ai");
  const Buyer full = CheckOut("full@example.org", kTeamMonthly);  // signs up: before the worker
  const Clock clock = NewClock();
  const Buyer prorated = ActiveBuyer("part@example.com", CustomerOn(clock, "Part GmbH"));
  EXPECT_EQ(fake.Pay(full.session_url).status, 303u);
  ASSERT_TRUE(WaitFor(OrderStatus(full.order_id), "active"));
  const std::string id = SubscriptionOf(prorated);

  EXPECT_EQ(CancelNow(id, R"({"refund":"prorated"})", prorated.token).result(),
            http::Status::forbidden);
  EXPECT_EQ(CancelNow(id, R"({"refund":"half"})", admin.access).result(),
            http::Status::unprocessable_entity);

  // The unused part, half the period having passed (as the stored period says): half of what
  // was paid, to the cent.
  const std::int64_t paid = std::stoll(
      Query("SELECT amount_paid FROM invoices WHERE order_id = '" + prorated.order_id + "'"));
  database.Execute(
      "UPDATE subscriptions SET current_period_start = "
      "current_period_end - 2 * (current_period_end - now()) WHERE id = '" +
      id + "'");
  const http::Response ended = CancelNow(id, R"({"refund":"prorated"})", admin.access);
  ASSERT_EQ(ended.result(), http::Status::ok) << ended.body();
  const std::int64_t refunded = JsonOf(ended).at("refunded").as_int64();
  // Pressed twice, before Stripe's event has ended it here: the one refund, replayed (or 409).
  const http::Response again = CancelNow(id, R"({"refund":"prorated"})", admin.access);
  EXPECT_TRUE(again.result() == http::Status::ok || again.result() == http::Status::conflict)
      << again.body();
  EXPECT_LE(std::abs(refunded - paid / 2), 1) << refunded << " of " << paid;
  ASSERT_TRUE(WaitFor(OrderStatus(prorated.order_id), "canceled"));
  ASSERT_TRUE(WaitFor("SELECT status FROM workspaces WHERE order_id = '" + prorated.order_id + "'",
                      "canceled"));
  const json::value partly = ChargeOf(prorated);
  EXPECT_EQ(partly.at("amount_refunded").as_int64(), refunded);
  EXPECT_FALSE(partly.at("refunded").as_bool());
  EXPECT_EQ(CancelNow(id, R"({"refund":"prorated"})", admin.access).result(),
            http::Status::conflict)
      << "ended already: nothing twice";

  // All of it.
  const http::Response all = CancelNow(SubscriptionOf(full), R"({"refund":"full"})", admin.access);
  ASSERT_EQ(all.result(), http::Status::ok) << all.body();
  ASSERT_TRUE(testing::Eventually([&] { return ChargeOf(full).at("refunded").as_bool(); }));
  EXPECT_EQ(JsonOf(all).at("refunded").as_int64(), ChargeOf(full).at("amount").as_int64());
  ASSERT_TRUE(WaitFor("SELECT status FROM workspaces WHERE order_id = '" + full.order_id + "'",
                      "canceled"));
  EXPECT_EQ(Query("SELECT count(*) FROM audit_log WHERE action = 'admin_subscription_canceled'"),
            again.result() == http::Status::ok ? "3" : "2");
}

}  // namespace
}  // namespace codezero::worker
