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
  // The text of the one e-mail with `subject` the worker wrote ("" when none).
  std::string EmailWithSubject(std::string_view subject) {
    for (const std::string& email : Emails()) {
      if (email.find("Subject: " + std::string(subject) + "\r\n") != std::string::npos) {
        return email;
      }
    }
    return {};
  }
  // The link's token in an e-mail.
  static std::string TokenIn(const std::string& email) {
    const std::size_t start = email.find("?token=");
    if (start == std::string::npos) return {};
    const std::size_t end = email.find_first_of("\r\n\" <", start);
    return email.substr(start + 7, end - start - 7);
  }
  http::Response Declare(const std::string& body) {
    return Send(http::Verb::post, "/v1/cancellation-requests", body);
  }
  http::Response WithToken(const std::string& action, const std::string& token) {
    return Send(http::Verb::post, "/v1/cancellation-requests/" + action,
                R"({"token":")" + token + R"("})");
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

// "Verträge hier kündigen" without signing in (§ 312k BGB): the declaration counts from the moment
// it was made; the owner's e-mailed link only identifies the contract.
TEST_F(SubscriptionsApi, ADeclarationWithoutSignInCancelsAsReceivedOnceTheOwnersLinkConfirmsIt) {
  SignUpAndVerify("member-less@example.com", "Nothing Bought GmbH");
  const Clock clock = NewClock();
  const Buyer buyer = ActiveBuyer("public@example.com", CustomerOn(clock, "Public GmbH"));
  const std::string stripe_id = Query("SELECT stripe_id FROM subscriptions");
  const std::string id = Query("SELECT id FROM subscriptions");

  // Refused as a form would show it: the kind is needed, a cancellation for cause needs its
  // reason.
  http::Response refused = Declare(R"({"email":"public@example.com","name":"Kim","kind":"x"})");
  EXPECT_EQ(refused.result(), http::Status::unprocessable_entity) << refused.body();
  refused =
      Declare(R"({"email":"public@example.com","name":"Kim","kind":"extraordinary","reason":" "})");
  EXPECT_EQ(refused.result(), http::Status::unprocessable_entity);
  EXPECT_NE(refused.body().find("reason_required"), std::string::npos) << refused.body();

  // An address without a contract, and one that owns a company without any: the same answer;
  // each declaration is kept and its receipt mailed to the address given, without a link.
  for (const std::string address : {"nobody@example.com", "member-less@example.com"}) {
    const http::Response answer =
        Declare(R"({"email":")" + address + R"(","name":"Kim","kind":"ordinary"})");
    EXPECT_EQ(answer.result(), http::Status::accepted) << answer.body();
    EXPECT_FALSE(S(JsonOf(answer).at("received_at")).empty());
  }
  EXPECT_EQ(Query("SELECT count(*) FROM cancellation_requests WHERE token_hash IS NULL"), "2");
  ASSERT_TRUE(testing::Eventually([&] {
    int receipts = 0;
    for (const std::string& email : Emails()) {
      receipts += email.find("nobody@example.com") != std::string::npos &&
                  email.find("?token=") == std::string::npos;
    }
    return receipts == 1;
  })) << "the receipt, with what was declared, and no link";

  // The owner's address, for cause, naming the order (as the order page shows it): received
  // now, mailed a link; nothing cancelled yet.
  const http::Response declared = Declare(
      R"({"email":"PUBLIC@example.com","name":"Kim Berger","contract":" )" + buyer.order_id +
      R"( ","kind":"extraordinary","reason":"Service down for weeks","locale":"en"})");
  ASSERT_EQ(declared.result(), http::Status::accepted) << declared.body();
  const std::string received_at = S(JsonOf(declared).at("received_at"));
  std::string token;  // the receipt to the owner carries the link
  ASSERT_TRUE(testing::Eventually([&] {
    for (const std::string& email : Emails()) {
      if (email.find("/en/cancel/confirm?token=") != std::string::npos &&
          email.find("Service down for weeks") != std::string::npos) {
        token = TokenIn(email);
      }
    }
    return !token.empty();
  }));
  EXPECT_FALSE(Call(http::Verb::get, "/v1/subscriptions/" + id, buyer.token)
                   .at("cancel_at_period_end")
                   .as_bool());

  const http::Response looked = WithToken("lookup", token);
  ASSERT_EQ(looked.result(), http::Status::ok) << looked.body();
  const json::value pending = JsonOf(looked);
  EXPECT_TRUE(pending.at("confirmed_at").is_null());
  EXPECT_TRUE(pending.at("contract_found").as_bool());
  EXPECT_EQ(S(pending.at("company")), "Acme GmbH");
  ASSERT_EQ(pending.at("subscriptions").as_array().size(), 1u);
  EXPECT_FALSE(pending.at("subscriptions").at(0).at("cancel_at_period_end").as_bool());

  // Confirmed later: cancelled as received at the declaration's time, confirmed by e-mail with
  // the reason, Stripe following.
  const http::Response confirmed = WithToken("confirm", token);
  ASSERT_EQ(confirmed.result(), http::Status::ok) << confirmed.body();
  const json::value done = JsonOf(confirmed);
  EXPECT_FALSE(done.at("confirmed_at").is_null());
  EXPECT_EQ(S(done.at("subscriptions").at(0).at("cancellation_received_at")), received_at);
  const json::value cancelled = Call(http::Verb::get, "/v1/subscriptions/" + id, buyer.token);
  EXPECT_TRUE(cancelled.at("cancel_at_period_end").as_bool());
  EXPECT_EQ(S(cancelled.at("cancellation").at("received_at")), received_at);
  ASSERT_TRUE(WaitForEmail("Your cancellation at Code Zero AI has been received"));
  EXPECT_NE(EmailWithSubject("Your cancellation at Code Zero AI has been received")
                .find("Service down for weeks"),
            std::string::npos);
  ASSERT_TRUE(StripeCancelsAtPeriodEnd(stripe_id, true));

  // Again: the same answer, nothing sent twice; a wrong token is a bad link.
  EXPECT_EQ(WithToken("confirm", token).result(), http::Status::ok);
  EXPECT_EQ(EmailsOf("cancellation_received"), "1");
  EXPECT_EQ(WithToken("confirm", token + "x").result(), http::Status::bad_request);

  // Taken back in the account; a second declaration whose link expired unconfirmed cancels
  // nothing.
  Call(http::Verb::post, "/v1/subscriptions/" + id + "/resume", buyer.token);
  ASSERT_EQ(Declare(R"({"email":"public@example.com","name":"Kim","kind":"ordinary"})").result(),
            http::Status::accepted);
  std::string late;  // the German link (the declaration's language), subject RFC 2047-encoded
  ASSERT_TRUE(testing::Eventually([&] {
    for (const std::string& email : Emails()) {
      if (email.find("/de/kuendigen/bestaetigen?token=") != std::string::npos)
        late = TokenIn(email);
    }
    return !late.empty();
  }));
  database.Execute(
      "UPDATE cancellation_requests SET expires_at = now() - interval '1 second' "
      "WHERE confirmed_at IS NULL");
  EXPECT_EQ(WithToken("lookup", late).result(), http::Status::bad_request);
  EXPECT_EQ(WithToken("confirm", late).result(), http::Status::bad_request);
  EXPECT_FALSE(Call(http::Verb::get, "/v1/subscriptions/" + id, buyer.token)
                   .at("cancel_at_period_end")
                   .as_bool());
}

// Declared before the renewal, confirmed after it (the link was opened late): the cancellation
// counts from its receipt, so the renewal should not have happened. The subscription ends now
// and the renewal is refunded in full, said so in the confirmation.
TEST_F(SubscriptionsApi, ADeclarationReceivedBeforeARenewalButConfirmedAfterItRefundsTheRenewal) {
  const Clock clock = NewClock();
  const Buyer buyer = ActiveBuyer("late@example.com", CustomerOn(clock, "Late GmbH"));
  ASSERT_EQ(Declare(R"({"email":"late@example.com","name":"Kim","kind":"ordinary","locale":"en"})")
                .result(),
            http::Status::accepted);
  std::string token;
  ASSERT_TRUE(testing::Eventually([&] {
    for (const std::string& email : Emails()) {
      if (email.find("/en/cancel/confirm?token=") != std::string::npos) token = TokenIn(email);
    }
    return !token.empty();
  }));
  const std::int64_t end =
      std::stoll(Query("SELECT extract(epoch FROM current_period_end)::bigint FROM subscriptions"));
  fake.AdvanceClock(clock.id, end + 2 * 86'400);
  ASSERT_TRUE(WaitFor("SELECT count(*) FROM invoices WHERE status = 'paid'", "2"));
  ASSERT_TRUE(WaitFor("SELECT current_period_start > to_timestamp(" + std::to_string(end - 1) +
                          ") FROM subscriptions",
                      "t"));

  ASSERT_EQ(WithToken("confirm", token).result(), http::Status::ok);
  ASSERT_TRUE(WaitFor("SELECT status FROM subscriptions", "canceled"));
  const std::string renewal =
      Query("SELECT stripe_id FROM invoices WHERE billing_reason = 'subscription_cycle'");
  ASSERT_TRUE(testing::Eventually([&] {
    const json::value invoice = fake.Get("/v1/invoices/" + renewal);
    return fake.Get("/v1/charges/" + S(invoice.at("charge"))).at("refunded").as_bool();
  }));
  ASSERT_TRUE(WaitForEmail("Your cancellation at Code Zero AI has been received"));
  EXPECT_NE(EmailWithSubject("Your cancellation at Code Zero AI has been received")
                .find("refund the renewal in full"),
            std::string::npos);
}

// Art. 15 and 20 GDPR: the export holds the orders the person placed, with what they bought and
// their invoices, and the cancellations they declared, also without signing in under their
// address; another person's export holds none of it.
TEST_F(SubscriptionsApi, TheExportHoldsTheCallersOrdersInvoicesAndCancellationDeclarations) {
  SignUpAndVerify("elsewhere@example.com", "Elsewhere GmbH");  // before the worker blanks links
  const Clock clock = NewClock();
  const Buyer buyer = ActiveBuyer("exporter@example.com", CustomerOn(clock, "Export GmbH"));
  const std::string of_order = " WHERE order_id = '" + buyer.order_id + "'";
  ASSERT_TRUE(WaitFor("SELECT status FROM invoices" + of_order, "paid"));
  const http::Response declared =
      Declare(R"({"email":"EXPORTER@example.com","name":"Kim Export","contract":")" +
              buyer.order_id + R"(","kind":"ordinary","locale":"en"})");
  ASSERT_EQ(declared.result(), http::Status::accepted) << declared.body();
  // Under the address of someone with nothing to cancel: kept without an account's id, and
  // theirs by the address alone.
  const http::Response other_declared =
      Declare(R"({"email":"ELSEWHERE@example.com","name":"Sam Else","kind":"ordinary"})");
  ASSERT_EQ(other_declared.result(), http::Status::accepted) << other_declared.body();
  EXPECT_EQ(Query("SELECT count(*) FROM cancellation_requests WHERE user_id IS NULL"), "1");

  const json::value data = Call(http::Verb::get, "/v1/me/export", buyer.token);
  const json::array& orders = data.at("orders").as_array();
  ASSERT_EQ(orders.size(), 1u);
  const json::value& order = orders.at(0);
  EXPECT_EQ(S(order.at("id")), buyer.order_id);
  EXPECT_EQ(S(order.at("status")), "active");
  EXPECT_EQ(std::to_string(order.at("amount_total").as_int64()),
            Query("SELECT amount_total FROM orders WHERE id = '" + buyer.order_id + "'"));
  EXPECT_FALSE(order.at("terms_accepted_at").is_null());
  EXPECT_EQ(std::to_string(order.at("lines").as_array().size()),
            Query("SELECT count(*) FROM order_lines" + of_order));
  EXPECT_EQ(S(order.at("lines").at(0).at("code")), "team");
  const json::array& invoices = order.at("invoices").as_array();
  ASSERT_EQ(invoices.size(), 1u);
  EXPECT_EQ(S(invoices.at(0).at("status")), "paid");
  EXPECT_EQ(S(invoices.at(0).at("number")), Query("SELECT number FROM invoices" + of_order));
  EXPECT_EQ(invoices.at(0).at("total").as_int64(), order.at("amount_total").as_int64());
  const json::array& declarations = data.at("cancellation_declarations").as_array();
  ASSERT_EQ(declarations.size(), 1u);
  EXPECT_EQ(S(declarations.at(0).at("name")), "Kim Export");
  EXPECT_EQ(S(declarations.at(0).at("contract")), buyer.order_id);
  EXPECT_EQ(S(declarations.at(0).at("kind")), "ordinary");
  EXPECT_TRUE(declarations.at(0).at("confirmed_at").is_null());

  const json::value elsewhere =
      Call(http::Verb::get, "/v1/me/export", Login("elsewhere@example.com").access);
  EXPECT_TRUE(elsewhere.at("orders").as_array().empty());
  ASSERT_EQ(elsewhere.at("cancellation_declarations").as_array().size(), 1u);
  EXPECT_EQ(S(elsewhere.at("cancellation_declarations").at(0).at("name")), "Sam Else");
}

}  // namespace
}  // namespace codezero::worker
