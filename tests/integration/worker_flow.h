// The fixture of the tests of the whole purchase with the worker, over real HTTP: the API, the
// Stripe stand-in (which pays on its hosted page and posts signed webhooks to the API) and the
// worker in-process, against a real PostgreSQL and Redis. Buyers check out (on a stand-in test
// clock when given one), pay, and wait for their order to be active.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/parse.hpp>

#include "support/api_test.h"
#include "support/eventually.h"
#include "support/stripe_fake_server.h"
#include "support/worker_harness.h"

namespace codezero::worker {

namespace json = boost::json;
using testing::JsonOf;

inline constexpr std::string_view kTeamMonthly =
    R"({"plan":"team","interval":"month","addons":[{"code":"extra_seats","quantity":5},)"
    R"({"code":"sso","quantity":1}],"customer":{"country":"DE","type":"business"},"locale":"en"})";

inline std::string S(const json::value& value) { return std::string(value.as_string()); }

inline std::string DecodeQuotedPrintable(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '=' && i + 2 < text.size()) {
      if (text[i + 1] == '\r' && text[i + 2] == '\n') {
        i += 2;
        continue;
      }
      if (std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
          std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
        out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
        i += 2;
      } else {
        out += text[i];  // a header's '=' (the boundary), not an escape
      }
    } else {
      out += text[i];
    }
  }
  return out;
}

class WorkerFlow : public testing::ApiTest {
 protected:
  explicit WorkerFlow(double chaos = 0) : fake(FakeSettings(chaos)) {}

  static stripe_fake::FakeSettings FakeSettings(double chaos) {
    stripe_fake::FakeSettings settings = testing::TestStripeFakeSettings();
    settings.chaos = chaos;
    return settings;
  }

  void SetUp() override {
    Start([&](api::ApiSettings& settings) {
      settings.stripe.secret_key = fake.api_key();
      settings.stripe.api_base = fake.base_url();
      settings.stripe_webhook_secrets = {fake.webhook_secret()};
    });
    fake.SetWebhookEndpoints({WebhookUrl()});
  }
  // After the sign-ups: the worker sends (and then blanks) the links the tests read from the
  // outbox to verify the addresses.
  void StartWorker(std::optional<ProvisioningTarget> provisioning = std::nullopt) {
    auto options = testing::TestWorkerOptions(database.url(), redis_url, outbox);
    options.provisioning = std::move(provisioning);
    options.vat_rates = vat_rates;
    options.stripe.secret_key = fake.api_key();
    options.stripe.api_base = fake.base_url();
    options.stripe.initial_backoff = std::chrono::milliseconds(10);
    worker = std::make_unique<testing::WorkerHarness>(options);
  }
  void TearDown() override {
    worker.reset();
    std::filesystem::remove_all(outbox);
  }

  std::string WebhookUrl() const {
    return "http://127.0.0.1:" + std::to_string(api->port()) + "/v1/webhooks/stripe";
  }

  struct Buyer {
    std::string token;
    std::string order_id;
    std::string session_url;
  };
  // Signs up, verifies, signs in and checks out `quote`; `customer` (a stand-in customer, e.g.
  // on a test clock) becomes the company's Stripe customer first when given.
  Buyer CheckOut(const std::string& email, std::string_view quote,
                 const std::string& customer = "") {
    // A running worker sends the verification e-mail and blanks its link before this reads it:
    // sign up first, always, rather than sometimes.
    EXPECT_EQ(worker, nullptr) << "CheckOut signs up; call it before StartWorker";
    SignUpAndVerify(email);
    Buyer buyer;
    buyer.token = Login(email).access;
    if (!customer.empty()) {
      database.Execute("UPDATE companies SET stripe_customer_id = '" + customer +
                       "' WHERE id = (SELECT company_id FROM users WHERE email = '" + email + "')");
    }
    const http::Response quoted = Send(http::Verb::post, "/v1/quotes", std::string(quote));
    const http::Response created =
        Send(http::Verb::post, "/v1/checkout/sessions",
             R"({"quote_token":")" + S(JsonOf(quoted).at("token")) + R"(","terms_accepted":true})",
             buyer.token, "application/json", {{"Idempotency-Key", "buy-" + email}});
    EXPECT_EQ(created.result(), http::Status::created) << created.body();
    const json::value body = JsonOf(created);
    buyer.order_id = S(body.at("order_id"));
    buyer.session_url = S(body.at("url"));
    return buyer;
  }

  // A test clock at the present time of day, and a customer on it.
  struct Clock {
    std::int64_t start = 0;
    std::string id;
  };
  Clock NewClock() {
    Clock clock;
    clock.start = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    clock.id =
        S(fake.Post("/v1/test_helpers/test_clocks", {{"frozen_time", std::to_string(clock.start)}})
              .at("id"));
    return clock;
  }
  std::string CustomerOn(const Clock& clock, const std::string& name) {
    return S(fake.Post("/v1/customers", {{"name", name}, {"test_clock", clock.id}}).at("id"));
  }
  // Checks out Team monthly as `email` with `customer`, starts the worker, pays, and waits for
  // the order to be active and its subscription stored (the two come from separate events,
  // whose jobs may run in either order).
  Buyer ActiveBuyer(const std::string& email, const std::string& customer) {
    Buyer buyer = CheckOut(email, kTeamMonthly, customer);
    if (!worker) StartWorker();
    EXPECT_EQ(fake.Pay(buyer.session_url).status, 303u);
    EXPECT_TRUE(WaitFor(OrderStatus(buyer.order_id), "active"));
    EXPECT_TRUE(WaitFor(
        "SELECT status FROM subscriptions WHERE order_id = '" + buyer.order_id + "'", "active"));
    return buyer;
  }

  std::string Query(const std::string& sql) { return database.QueryValue(sql); }
  // The query for how many jobs of `kind` have completed (for WaitFor).
  static std::string CompletedJobs(const std::string& kind) {
    return "SELECT count(*) FROM jobs WHERE kind = '" + kind + "' AND state = 'completed'";
  }
  bool WaitFor(const std::string& sql, const std::string& expected,
               std::chrono::milliseconds limit = std::chrono::seconds(30)) {
    if (testing::Eventually([&] { return Query(sql) == expected; }, limit)) return true;
    ADD_FAILURE() << sql << " is " << Query(sql) << ", expected " << expected;
    return false;
  }
  std::string OrderStatus(const std::string& order_id) {
    return "SELECT status FROM orders WHERE id = '" + order_id + "'";
  }
  // Every e-mail the worker wrote, decoded.
  std::vector<std::string> Emails() {
    std::vector<std::string> emails;
    if (!std::filesystem::exists(outbox)) return emails;
    for (const auto& entry : std::filesystem::directory_iterator(outbox)) {
      if (entry.path().extension() != ".eml") continue;
      std::ifstream file(entry.path(), std::ios::binary);
      emails.push_back(DecodeQuotedPrintable(
          std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>())));
    }
    return emails;
  }
  int EmailsWithSubject(std::string_view subject) {
    int count = 0;
    for (const std::string& email : Emails()) {
      count += email.find("Subject: " + std::string(subject) + "\r\n") != std::string::npos;
    }
    return count;
  }
  bool WaitForEmail(std::string_view subject, int count = 1) {
    return testing::Eventually([&] { return EmailsWithSubject(subject) >= count; },
                               std::chrono::seconds(20)) &&
           EmailsWithSubject(subject) == count;
  }

  testing::StripeFakeServer fake;
  const domain::VatRates* vat_rates = nullptr;  // null: the table compiled in
  std::filesystem::path outbox =
      std::filesystem::temp_directory_path() / ("cz-outbox-" + testing::UniqueKeyPrefix());
  std::unique_ptr<testing::WorkerHarness> worker;
};

}  // namespace codezero::worker
