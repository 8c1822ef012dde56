// The company's subscriptions over the API (GET /v1/subscriptions, /{id}) and the owner's
// cancellation at the period's end and its taking back (POST …/cancel, …/resume, § 312k BGB):
// recorded and confirmed at once, Stripe following through the worker, the end through the
// stand-in's test clock.
#include "integration/worker_flow.h"

#include <boost/json/serialize.hpp>

namespace codezero::worker {
namespace {

class SubscriptionsApi : public WorkerFlow {
 protected:
  json::value Call(http::Verb verb, const std::string& path, const std::string& token,
                   http::Status expected = http::Status::ok) {
    const http::Response answer = Send(verb, path, "", token);
    EXPECT_EQ(answer.result(), expected) << path << ": " << answer.body();
    return JsonOf(answer);
  }
  bool StripeCancelsAtPeriodEnd(const std::string& stripe_id, bool expected) {
    return testing::Eventually([&] {
      return fake.Get("/v1/subscriptions/" + stripe_id).at("cancel_at_period_end").as_bool() ==
             expected;
    });
  }
  std::string EmailsOf(const std::string& template_name) {
    return Query("SELECT count(*) FROM email_outbox WHERE template = '" + template_name + "'");
  }
};

TEST_F(SubscriptionsApi, TheOwnerCancelsAtThePeriodsEndTakesItBackAndCancelsAgainUntilItEnds) {
  SignUpAndVerify("stranger@example.com", "Stranger GmbH");  // before the worker blanks links
  const Clock clock = NewClock();
  const Buyer buyer = ActiveBuyer("term@example.com", CustomerOn(clock, "Term GmbH"));
  const std::string stripe_id = Query("SELECT stripe_id FROM subscriptions");

  const json::value list = Call(http::Verb::get, "/v1/subscriptions", buyer.token);
  ASSERT_EQ(list.at("data").as_array().size(), 1u) << json::serialize(list);
  const json::object& running = list.at("data").at(0).as_object();
  const std::string id = S(running.at("id"));
  EXPECT_EQ(S(running.at("status")), "active");
  EXPECT_EQ(S(running.at("plan")), "team");
  EXPECT_EQ(S(running.at("interval")), "month");
  EXPECT_EQ(running.at("items").as_array().size(), 3u);
  EXPECT_FALSE(running.at("cancel_at_period_end").as_bool());
  EXPECT_TRUE(running.at("cancellation").is_null());
  const std::string period_end = S(running.at("current_period").at("end"));
  EXPECT_EQ(S(running.at("next_invoice").at("date")), period_end);
  EXPECT_EQ(std::to_string(running.at("next_invoice").at("amount_total").as_int64()),
            Query("SELECT recurring_total FROM orders"));
  EXPECT_EQ(S(running.at("workspace").at("status")), "active");

  // Another company sees none of it and cannot end it.
  const std::string stranger = Login("stranger@example.com").access;
  EXPECT_TRUE(Call(http::Verb::get, "/v1/subscriptions", stranger).at("data").as_array().empty());
  Call(http::Verb::get, "/v1/subscriptions/" + id, stranger, http::Status::not_found);
  Call(http::Verb::post, "/v1/subscriptions/" + id + "/cancel", stranger, http::Status::not_found);

  // Cancelled: at once here, confirmed by e-mail, then at Stripe, even though Stripe's first
  // answer is lost (the change is made, the answer is a 500): the job's next run finds it done.
  fake.FailAnswers("/v1/subscriptions/" + stripe_id, 1);
  const json::value cancelled =
      Call(http::Verb::post, "/v1/subscriptions/" + id + "/cancel", buyer.token);
  EXPECT_TRUE(cancelled.at("cancel_at_period_end").as_bool());
  EXPECT_EQ(S(cancelled.at("cancellation").at("ends_at")), period_end);
  EXPECT_FALSE(S(cancelled.at("cancellation").at("received_at")).empty());
  EXPECT_TRUE(cancelled.at("next_invoice").is_null());
  EXPECT_EQ(S(cancelled.at("status")), "active");  // until the period ends
  ASSERT_TRUE(WaitForEmail("Your cancellation at Code Zero AI has been received"));
  const std::string confirmation = [&] {
    for (const std::string& email : Emails()) {
      if (email.find("cancellation at Code Zero AI") != std::string::npos) return email;
    }
    return std::string();
  }();
  EXPECT_NE(confirmation.find(" CET"), std::string::npos) << "the time of receipt, in Germany";
  ASSERT_TRUE(StripeCancelsAtPeriodEnd(stripe_id, true));
  ASSERT_TRUE(
      WaitFor("SELECT state || ' ' || attempt FROM jobs "
              "WHERE kind = 'stripe.follow_cancellation'",
              "completed 2"));
  // Again: nothing changes, nothing is sent twice.
  Call(http::Verb::post, "/v1/subscriptions/" + id + "/cancel", buyer.token);
  EXPECT_EQ(EmailsOf("cancellation_received"), "1");

  // Taken back: renews as before.
  const json::value resumed =
      Call(http::Verb::post, "/v1/subscriptions/" + id + "/resume", buyer.token);
  EXPECT_FALSE(resumed.at("cancel_at_period_end").as_bool()) << json::serialize(resumed);
  EXPECT_TRUE(resumed.at("cancellation").is_null());
  EXPECT_EQ(S(resumed.at("next_invoice").at("date")), period_end);
  ASSERT_TRUE(WaitForEmail("Your Code Zero AI subscription continues"));
  ASSERT_TRUE(StripeCancelsAtPeriodEnd(stripe_id, false));

  // Cancelled again, and the period ends: canceled, nothing more charged, not to be resumed.
  Call(http::Verb::post, "/v1/subscriptions/" + id + "/cancel", buyer.token);
  EXPECT_EQ(EmailsOf("cancellation_received"), "2");
  ASSERT_TRUE(StripeCancelsAtPeriodEnd(stripe_id, true));
  ASSERT_TRUE(WaitFor("SELECT cancel_at_period_end FROM subscriptions", "t"));
  const std::int64_t end =
      std::stoll(Query("SELECT extract(epoch FROM current_period_end)::bigint FROM subscriptions"));
  fake.AdvanceClock(clock.id, end + 3600);
  ASSERT_TRUE(WaitFor("SELECT status FROM subscriptions", "canceled"));
  ASSERT_TRUE(WaitFor(OrderStatus(buyer.order_id), "canceled"));
  EXPECT_EQ(Query("SELECT count(*) FROM invoices"), "1");  // no renewal invoiced
  const json::value ended = Call(http::Verb::get, "/v1/subscriptions/" + id, buyer.token);
  EXPECT_EQ(S(ended.at("status")), "canceled");
  EXPECT_FALSE(ended.at("ended_at").is_null());
  Call(http::Verb::post, "/v1/subscriptions/" + id + "/resume", buyer.token,
       http::Status::conflict);
  Call(http::Verb::post, "/v1/subscriptions/" + id + "/cancel", buyer.token,
       http::Status::conflict);
}

}  // namespace
}  // namespace codezero::worker
