// Referrals (issue 14): a company's code, the referee's discount, the referrer's credit on its
// Stripe customer balance after the holding period, exactly once, its reversal by a later
// refund, and each refusal with its reason. The holding period is 14 days of wall time, which
// the worker's queue runs on: a test ends it by moving the redemption's `hold_until` and its
// job's `run_at` to now, as the days passing would.
#include "integration/worker_flow.h"

#include <regex>

#include <boost/json/serialize.hpp>

#include "support/catalog_fixture.h"

namespace codezero::worker {
namespace {

class Referrals : public WorkerFlow {
 protected:
  json::value Get(const std::string& path, const std::string& token) {
    const http::Response answer = Send(http::Verb::get, path, "", token);
    EXPECT_EQ(answer.result(), http::Status::ok) << path << ": " << answer.body();
    return JsonOf(answer);
  }
  std::string CodeOf(const std::string& token) {
    std::string code = S(Get("/v1/referrals/me", token).at("code"));
    WaitForQuotesToSee(R"("referral_code":")" + code + R"(")");
    return code;
  }
  // `email` (signed up before the worker started) checks out Team monthly with `code`.
  Buyer Referred(const std::string& email, const std::string& code) {
    Buyer buyer;
    buyer.token = Login(email).access;
    std::string quote(kTeamMonthly);
    quote.insert(quote.size() - 1, R"(,"referral_code":")" + code + R"(")");
    const http::Response quoted = Send(http::Verb::post, "/v1/quotes", quote);
    EXPECT_EQ(quoted.result(), http::Status::created) << quoted.body();
    EXPECT_EQ(S(JsonOf(quoted).at("discount").at("kind")), "referral") << quoted.body();
    const http::Response created =
        Send(http::Verb::post, "/v1/checkout/sessions",
             R"({"quote_token":")" + S(JsonOf(quoted).at("token")) + R"(","terms_accepted":true})",
             buyer.token, "application/json", {{"Idempotency-Key", "referred-" + email}});
    EXPECT_EQ(created.result(), http::Status::created) << created.body();
    buyer.order_id = S(JsonOf(created).at("order_id"));
    buyer.session_url = S(JsonOf(created).at("url"));
    return buyer;
  }
  void Pay(const Buyer& buyer) {
    EXPECT_EQ(fake.Pay(buyer.session_url).status, 303u);
    EXPECT_TRUE(WaitFor(OrderStatus(buyer.order_id), "active"));
  }
  std::string StateOf(const Buyer& buyer) {
    return "SELECT state || coalesce(':' || refusal, '') FROM referral_redemptions "
           "WHERE order_id = '" +
           buyer.order_id + "'";
  }
  // The holding period's end, as 14 days passing would bring it.
  void EndHoldingPeriod(const Buyer& buyer) {
    database.Execute(
        "UPDATE referral_redemptions SET hold_until = now(), paid_at = paid_at - interval "
        "'14 days' WHERE order_id = '" +
        buyer.order_id + "'");
    database.Execute(
        "UPDATE jobs SET run_at = now() WHERE kind = 'referral.credit' AND args->>'redemption' = "
        "(SELECT id::text FROM referral_redemptions WHERE order_id = '" +
        buyer.order_id + "')");
  }
  std::int64_t BalanceOf(const std::string& customer) {
    return fake.Get("/v1/customers/" + customer).at("balance").as_int64();
  }
};

TEST_F(Referrals, ACreditFollowsTheHoldingPeriodOnceAndARefundAfterItTakesItBack) {
  SignUpAndVerify("kim@beta-gmbh.example", "Beta GmbH");
  const Clock clock = NewClock();
  const std::string referrer_customer = CustomerOn(clock, "Alpha GmbH");
  const Buyer referrer = ActiveBuyer("ada@alpha-gmbh.example", referrer_customer);

  const json::value mine = Get("/v1/referrals/me", referrer.token);
  const std::string code = S(mine.at("code"));
  EXPECT_TRUE(std::regex_match(code, std::regex("CZ-[2-9A-HJKMNP-Z]{4}"))) << code;
  EXPECT_TRUE(S(mine.at("link")).ends_with("/en/?ref=" + code) ||
              S(mine.at("link")).ends_with("/de/?ref=" + code))
      << json::serialize(mine);
  EXPECT_EQ(mine.at("reward_amount").as_int64(), 5000);  // the catalog's default terms
  EXPECT_EQ(S(Get("/v1/referrals/me", referrer.token).at("code")), code) << "one code, kept";
  WaitForQuotesToSee(R"("referral_code":")" + code + R"(")");

  // Placed with the code: pending; paid: held for 14 days, the job scheduled for then.
  const Buyer referee = Referred("kim@beta-gmbh.example", code);
  EXPECT_EQ(Get("/v1/referrals/me", referrer.token).at("counts").at("pending").as_int64(), 1);
  const json::value pending = Get("/v1/referrals/me/redemptions", referrer.token);
  ASSERT_EQ(pending.at("data").as_array().size(), 1u) << json::serialize(pending);
  EXPECT_EQ(S(pending.at("data").at(0).at("state")), "pending");
  EXPECT_TRUE(pending.at("data").at(0).at("id").is_null());
  Pay(referee);
  ASSERT_TRUE(WaitFor(StateOf(referee), "holding"));
  EXPECT_EQ(Query("SELECT hold_until - paid_at FROM referral_redemptions"), "14 days");
  EXPECT_EQ(Query("SELECT count(*) FROM jobs WHERE kind = 'referral.credit' "
                  "AND run_at > now() + interval '13 days'"),
            "1");
  EXPECT_NE(Query("SELECT amount_discount FROM orders WHERE id = '" + referee.order_id + "'"), "0");
  EXPECT_EQ(BalanceOf(referrer_customer), 0);

  // The period over: credited to the referrer's balance, once, however often the job runs.
  EndHoldingPeriod(referee);
  ASSERT_TRUE(WaitFor(StateOf(referee), "credited"));
  EXPECT_EQ(BalanceOf(referrer_customer), -5000);
  const std::string redemption = Query("SELECT id FROM referral_redemptions");
  database.Execute(R"(INSERT INTO jobs (kind, args) VALUES ('referral.credit', '{"redemption":")" +
                   redemption + R"("}'))");
  ASSERT_TRUE(
      WaitFor("SELECT count(*) FROM jobs WHERE kind = 'referral.credit' "
              "AND state <> 'completed'",
              "0"));
  EXPECT_EQ(BalanceOf(referrer_customer), -5000);
  EXPECT_EQ(fake.Get("/v1/customers/" + referrer_customer + "/balance_transactions")
                .at("data")
                .as_array()
                .size(),
            1u);
  const json::value credited = Get("/v1/referrals/me/redemptions", referrer.token);
  EXPECT_EQ(S(credited.at("data").at(0).at("state")), "credited");
  EXPECT_FALSE(credited.at("data").at(0).at("credited_at").is_null());

  // The referee's payment refunded afterwards: the credit is taken back.
  const std::string invoice =
      Query("SELECT stripe_id FROM invoices WHERE order_id = '" + referee.order_id + "'");
  fake.Post("/v1/refunds",
            {{"payment_intent", S(fake.Get("/v1/invoices/" + invoice).at("payment_intent"))}});
  ASSERT_TRUE(WaitFor(OrderStatus(referee.order_id), "refunded"));
  ASSERT_TRUE(WaitFor(StateOf(referee), "reversed"));
  EXPECT_EQ(BalanceOf(referrer_customer), 0);
  EXPECT_EQ(Get("/v1/referrals/me", referrer.token).at("counts").at("reversed").as_int64(), 1);
}

TEST_F(Referrals, EachRefusalIsRecordedWithItsReasonAndEarnsNothing) {
  for (const auto& [email, company] :
       std::vector<std::pair<std::string, std::string>>{{"one@first.example", "First GmbH"},
                                                        {"two@second.example", "Second GmbH"},
                                                        {"eve@alpha-gmbh.example", "Twin GmbH"},
                                                        {"vat@delta.example", "Delta GmbH"},
                                                        {"late@omega.example", "Omega GmbH"}}) {
    SignUpAndVerify(email, company);
  }
  const Clock clock = NewClock();
  const std::string referrer_customer = CustomerOn(clock, "Alpha GmbH");
  const Buyer referrer = ActiveBuyer("ada@alpha-gmbh.example", referrer_customer);
  // Terms of a newer catalog: one credit a month.
  const Tokens admin = LoginAsNewPlatformAdmin("staff@codezero.ai");
  std::string terms = testing::RepositoryFile("catalog/catalog-v1.json");
  terms.insert(terms.rfind('}'),
               R"(,"referral":{"reward_amount":2500,"holding_days":14,"monthly_limit":1})");
  ASSERT_EQ(Send(http::Verb::post, "/v1/admin/catalog", terms, admin.access).result(),
            http::Status::created);
  ASSERT_TRUE(testing::Eventually([&] {
    const http::Response quoted = Send(http::Verb::post, "/v1/quotes", std::string(kTeamMonthly));
    return JsonOf(quoted).at("catalog_version").as_int64() == 2;
  }));
  const std::string code = CodeOf(referrer.token);

  const Buyer first = Referred("one@first.example", code);
  Pay(first);
  ASSERT_TRUE(WaitFor(StateOf(first), "holding"));
  EXPECT_EQ(Query("SELECT reward_amount FROM referral_redemptions"), "2500");

  const Buyer second = Referred("two@second.example", code);
  Pay(second);
  EXPECT_TRUE(WaitFor(StateOf(second), "refused:monthly_limit"));

  const Buyer twin = Referred("eve@alpha-gmbh.example", code);  // the referrer's own domain
  Pay(twin);
  EXPECT_TRUE(WaitFor(StateOf(twin), "refused:same_email_domain"));

  const Buyer vat = Referred("vat@delta.example", code);
  database.Execute("UPDATE companies SET vat_id = 'DE 811115368' WHERE name = 'Delta GmbH'");
  database.Execute(
      "UPDATE companies SET vat_id = 'DE811115368' WHERE id = (SELECT company_id FROM users "
      "WHERE email = 'ada@alpha-gmbh.example')");
  Pay(vat);
  EXPECT_TRUE(WaitFor(StateOf(vat), "refused:same_vat_id"));

  std::string own(kTeamMonthly);
  own.insert(own.size() - 1, R"(,"referral_code":")" + code + R"(")");
  const http::Response quoted = Send(http::Verb::post, "/v1/quotes", own);
  const http::Response created =
      Send(http::Verb::post, "/v1/checkout/sessions",
           R"({"quote_token":")" + S(JsonOf(quoted).at("token")) + R"(","terms_accepted":true})",
           referrer.token, "application/json", {{"Idempotency-Key", "own-code"}});
  ASSERT_EQ(created.result(), http::Status::created) << created.body();
  Buyer self;
  self.order_id = S(JsonOf(created).at("order_id"));
  self.session_url = S(JsonOf(created).at("url"));
  Pay(self);
  EXPECT_TRUE(WaitFor(StateOf(self), "refused:same_company"));

  const Buyer late = Referred("late@omega.example", code);
  database.Execute(
      "UPDATE companies SET deleted_at = now() WHERE id = (SELECT company_id FROM users "
      "WHERE email = 'ada@alpha-gmbh.example')");
  Pay(late);
  EXPECT_TRUE(WaitFor(StateOf(late), "refused:referrer_closed"));

  // Only the held one has a credit job; the refused ones earn nothing, ever.
  EXPECT_EQ(Query("SELECT count(*) FROM jobs WHERE kind = 'referral.credit'"), "1");
  EXPECT_EQ(Query("SELECT count(*) FROM referral_redemptions WHERE state = 'refused'"), "5");
}

TEST_F(Referrals, ARefundOrACancellationWithinTheHoldingPeriodRefusesItAndStaffMayVoidOne) {
  for (const std::string email : {"r@refund.example", "c@cancel.example", "v@void.example"}) {
    SignUpAndVerify(email, email.substr(2) + " GmbH");
  }
  const Clock clock = NewClock();
  const std::string referrer_customer = CustomerOn(clock, "Alpha GmbH");
  const Buyer referrer = ActiveBuyer("ada@alpha-gmbh.example", referrer_customer);
  const std::string code = CodeOf(referrer.token);
  const Tokens admin = LoginAsNewPlatformAdmin("staff@codezero.ai");

  // Refunded within the holding period: no credit. This one was even credited at Stripe
  // already with its recording lost (a crash after Stripe's answer, made here by hand): the
  // refund finds it there and takes it back.
  const Buyer refunded = Referred("r@refund.example", code);
  Pay(refunded);
  ASSERT_TRUE(WaitFor(StateOf(refunded), "holding"));
  fake.Post(
      "/v1/customers/" + referrer_customer + "/balance_transactions",
      {{"amount", "-5000"},
       {"currency", "eur"},
       {"metadata[redemption]", Query("SELECT id FROM referral_redemptions WHERE order_id = '" +
                                      refunded.order_id + "'")}});
  ASSERT_EQ(BalanceOf(referrer_customer), -5000);
  const std::string invoice =
      Query("SELECT stripe_id FROM invoices WHERE order_id = '" + refunded.order_id + "'");
  fake.Post("/v1/refunds",
            {{"payment_intent", S(fake.Get("/v1/invoices/" + invoice).at("payment_intent"))}});
  ASSERT_TRUE(WaitFor(StateOf(refunded), "reversed"));
  EXPECT_EQ(BalanceOf(referrer_customer), 0);

  const Buyer cancelled = Referred("c@cancel.example", code);
  Pay(cancelled);
  ASSERT_TRUE(WaitFor(StateOf(cancelled), "holding"));
  const std::string subscription =
      Query("SELECT id FROM subscriptions WHERE order_id = '" + cancelled.order_id + "'");
  EXPECT_EQ(
      Send(http::Verb::post, "/v1/subscriptions/" + subscription + "/cancel", "", cancelled.token)
          .result(),
      http::Status::ok);
  EndHoldingPeriod(cancelled);
  ASSERT_TRUE(WaitFor(StateOf(cancelled), "refused:cancelled"));

  const Buyer voided = Referred("v@void.example", code);
  Pay(voided);
  ASSERT_TRUE(WaitFor(StateOf(voided), "holding"));
  const std::string id =
      Query("SELECT id FROM referral_redemptions WHERE order_id = '" + voided.order_id + "'");
  const json::value listed = Get("/v1/admin/referrals?state=holding", admin.access);
  ASSERT_EQ(listed.at("data").as_array().size(), 1u) << json::serialize(listed);
  EXPECT_EQ(S(listed.at("data").at(0).at("id")), id);
  EXPECT_EQ(
      Send(http::Verb::post, "/v1/admin/referrals/" + id + "/void", "", admin.access).result(),
      http::Status::no_content);
  EXPECT_EQ(
      Send(http::Verb::post, "/v1/admin/referrals/" + id + "/void", "", admin.access).result(),
      http::Status::conflict);
  EXPECT_EQ(Send(http::Verb::get, "/v1/admin/referrals", "", referrer.token).result(),
            http::Status::forbidden);
  EndHoldingPeriod(voided);
  EndHoldingPeriod(refunded);
  ASSERT_TRUE(
      WaitFor("SELECT count(*) FROM jobs WHERE kind = 'referral.credit' "
              "AND state <> 'completed'",
              "0"));
  EXPECT_EQ(Query(StateOf(voided)), "voided");
  EXPECT_EQ(Query(StateOf(refunded)), "reversed");
  EXPECT_EQ(BalanceOf(referrer_customer), 0) << "nothing credited";
  EXPECT_EQ(Query("SELECT count(*) FROM audit_log WHERE action = 'admin_referral_voided'"), "1");
}

}  // namespace
}  // namespace codezero::worker
