// Webhooks from the Stripe stand-in (signatures the platform's verifier accepts, retries of a
// failing endpoint, chaos mode's duplicates), its state file, and `codezero stripe-fake` as a
// process.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <boost/json/parse.hpp>

#include "stripe/webhook_signature.h"
#include "support/eventually.h"
#include "support/http_client.h"
#include "support/json_values.h"
#include "support/private_redis.h"
#include "support/stripe_fake_server.h"

namespace codezero::stripe_fake {
namespace {

namespace json = boost::json;
using testing::StripeFakeServer;
using testing::WebhookReceiver;

using testing::Id;

std::int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TEST(StripeFakeWebhooks, EveryEventIsDeliveredSignedAndVerifiesWithTheSecret) {
  WebhookReceiver receiver;
  StripeFakeServer fake;
  fake.SetWebhookEndpoints({receiver.url()});
  const std::string customer = Id(fake.Post("/v1/customers", {{"email", "a@example.com"}}));
  fake.Post("/v1/customers/" + customer, {{"name", "Ada"}});
  ASSERT_TRUE(receiver.WaitFor([](const auto& d) { return d.size() >= 2; }));
  const std::vector<std::string> secrets{fake.webhook_secret()};
  std::set<std::string> types;
  for (const auto& delivery : receiver.deliveries()) {
    EXPECT_EQ(stripe::VerifySignature(delivery.signature, delivery.body, secrets, Now()),
              stripe::SignatureCheck::kValid)
        << delivery.signature;
    EXPECT_EQ(stripe::VerifySignature(delivery.signature, delivery.body + " ", secrets, Now()),
              stripe::SignatureCheck::kMismatch);
    const std::vector<std::string> wrong{"whsec_other"};
    EXPECT_EQ(stripe::VerifySignature(delivery.signature, delivery.body, wrong, Now()),
              stripe::SignatureCheck::kMismatch);
    EXPECT_EQ(delivery.content_type, "application/json; charset=utf-8");
    EXPECT_TRUE(delivery.user_agent.starts_with("Stripe/1.0"));
    const json::value event = json::parse(delivery.body);
    EXPECT_EQ(event.at("object"), "event");
    EXPECT_EQ(event.at("pending_webhooks"), 1);
    types.insert(std::string(event.at("type").as_string()));
    EXPECT_EQ(fake.Get("/v1/events/" + Id(event)).at("type"), event.at("type"));
  }
  EXPECT_EQ(types, (std::set<std::string>{"customer.created", "customer.updated"}));
  // Delivered: nothing pending any more.
  EXPECT_TRUE(testing::Eventually(
      [&] { return fake.Get("/v1/events").at("data").at(0).at("pending_webhooks") == 0; }));
}

TEST(StripeFakeWebhooks, AnEndpointCreatedByApiGetsItsEventTypesInItsApiVersion) {
  WebhookReceiver pinned;
  WebhookReceiver unversioned;
  StripeFakeServer fake;
  const json::value first =
      fake.Post("/v1/webhook_endpoints", {{"url", pinned.url()},
                                          {"enabled_events[]", "customer.created"},
                                          {"api_version", "2024-06-20"}});
  EXPECT_EQ(first.at("api_version"), "2024-06-20");
  EXPECT_EQ(first.at("secret").as_string(),
            fake.webhook_secret());  // in the creation's answer only
  const json::value second =
      fake.Post("/v1/webhook_endpoints", {{"url", unversioned.url()}, {"enabled_events[]", "*"}});
  EXPECT_TRUE(second.at("api_version").is_null());
  EXPECT_FALSE(fake.Get("/v1/webhook_endpoints/" + Id(second)).as_object().contains("secret"));

  const std::string customer = Id(fake.Post("/v1/customers", {{"email", "a@example.com"}}));
  fake.Post("/v1/customers/" + customer, {{"name", "Ada"}});
  ASSERT_TRUE(unversioned.WaitFor([](const auto& d) { return d.size() >= 2; }));
  ASSERT_TRUE(pinned.WaitFor([](const auto& d) { return d.size() >= 1; }));
  for (const auto& delivery : unversioned.deliveries()) {
    EXPECT_EQ(json::parse(delivery.body).at("api_version"), "2023-10-16");  // account default
  }
  ASSERT_EQ(pinned.deliveries().size(), 1u);
  const json::value event = json::parse(pinned.deliveries().front().body);
  EXPECT_EQ(event.at("type"), "customer.created");
  EXPECT_EQ(event.at("api_version"), "2024-06-20");

  // A disabled endpoint gets nothing; a deleted one is gone.
  fake.Post("/v1/webhook_endpoints/" + Id(second), {{"disabled", "true"}});
  fake.Post("/v1/customers", {{"email", "b@example.com"}});
  ASSERT_TRUE(pinned.WaitFor([](const auto& d) { return d.size() >= 2; }));
  ASSERT_TRUE(testing::Eventually([&] { return fake.PendingDeliveries() == 0; }));
  EXPECT_EQ(unversioned.deliveries().size(), 2u);
  EXPECT_EQ(fake.Get("/v1/webhook_endpoints").at("data").as_array().size(), 2u);
  EXPECT_EQ(fake.Delete("/v1/webhook_endpoints/" + Id(second)).at("deleted"), true);
  EXPECT_EQ(fake.Call(http::Verb::get, "/v1/webhook_endpoints/" + Id(second)).result_int(), 404);
  EXPECT_EQ(fake.Call(http::Verb::post, "/v1/webhook_endpoints",
                      {{"url", pinned.url()}, {"enabled_events[]", "not an event"}})
                .result_int(),
            400);
}

TEST(StripeFakeWebhooks, AFailingEndpointIsRetriedOnTheCompressedSchedule) {
  WebhookReceiver receiver;
  receiver.FailNext(3, 500);
  stripe_fake::FakeSettings settings = testing::TestStripeFakeSettings();
  settings.time_factor = 6000;  // 1 min → 10 ms, 5 min → 50 ms, 30 min → 300 ms
  StripeFakeServer fake(settings);
  fake.SetWebhookEndpoints({receiver.url()});
  const std::string customer = Id(fake.Post("/v1/customers", {{"email", "a@example.com"}}));
  ASSERT_TRUE(receiver.WaitFor([](const auto& d) { return d.size() >= 4; }));
  const auto deliveries = receiver.deliveries();
  ASSERT_EQ(deliveries.size(), 4u);
  for (const auto& delivery : deliveries) {
    EXPECT_EQ(delivery.body, deliveries.front().body);  // the same event each time
  }
  ASSERT_TRUE(testing::Eventually([&] { return fake.PendingDeliveries() == 0; }));
  EXPECT_EQ(receiver.deliveries().size(), 4u);  // delivered: no more attempts
}

TEST(StripeFakeWebhooks, AnUnreachableEndpointIsRetriedToo) {
  const std::uint16_t closed = testing::FreePort();
  WebhookReceiver receiver;
  stripe_fake::FakeSettings settings = testing::TestStripeFakeSettings();
  settings.time_factor = 6000;
  settings.webhook_endpoints = {"http://127.0.0.1:" + std::to_string(closed) + "/hook",
                                receiver.url()};
  StripeFakeServer fake(settings);
  fake.Post("/v1/customers", {{"email", "a@example.com"}});
  ASSERT_TRUE(receiver.WaitFor([](const auto& d) { return d.size() == 1; }));
  // The receiver's delivery is settled; the unreachable endpoint's is still owed (its retries
  // take 46 s at this factor).
  json::value event;
  testing::Eventually([&] {
    event = fake.Get("/v1/events").at("data").at(0);
    return event.at("pending_webhooks") == 1;
  });
  EXPECT_EQ(event.at("pending_webhooks"), 1);
}

TEST(StripeFakeWebhooks, ChaosModeDeliversSomeEventsTwiceAndOutOfOrder) {
  WebhookReceiver receiver;
  stripe_fake::FakeSettings settings = testing::TestStripeFakeSettings();
  settings.chaos = 1.0;  // every event twice
  StripeFakeServer fake(settings);
  fake.SetWebhookEndpoints({receiver.url()});
  for (int i = 0; i < 10; ++i) {
    fake.Post("/v1/customers", {{"email", "c" + std::to_string(i) + "@example.com"}});
  }
  ASSERT_TRUE(receiver.WaitFor([](const auto& d) { return d.size() >= 20; }));
  ASSERT_TRUE(testing::Eventually([&] { return fake.PendingDeliveries() == 0; }));
  const auto deliveries = receiver.deliveries();
  EXPECT_EQ(deliveries.size(), 20u);
  std::map<std::string, int> copies;
  std::vector<std::int64_t> order;
  for (const auto& delivery : deliveries) {
    const json::value event = json::parse(delivery.body);
    ++copies[Id(event)];
    const std::string email(event.at("data").at("object").at("email").as_string());
    order.push_back(std::stoll(email.substr(1, email.find('@') - 1)));
  }
  EXPECT_EQ(copies.size(), 10u);
  for (const auto& [id, count] : copies) EXPECT_EQ(count, 2) << id;
  EXPECT_FALSE(std::is_sorted(order.begin(), order.end()));
}

TEST(StripeFakeWebhooks, TheStateFileKeepsEveryObjectAcrossARestart) {
  const std::string path =
      ::testing::TempDir() + "/stripe-fake-state-" + std::to_string(::getpid()) + ".json";
  std::filesystem::remove(path);
  stripe_fake::FakeSettings settings = testing::TestStripeFakeSettings();
  settings.state_file = path;
  std::string customer;
  std::string session;
  std::string prefix;
  {
    StripeFakeServer fake(settings);
    customer = Id(fake.Post("/v1/customers", {{"email", "keep@example.com"}}));
    prefix = std::string(fake.Get("/v1/customers/" + customer).at("invoice_prefix").as_string());
    fake.Post("/v1/products", {{"id", "team"}, {"name", "Team"}});
    session = Id(fake.Post("/v1/checkout/sessions",
                           {{"mode", "subscription"},
                            {"customer", customer},
                            {"success_url", "https://x/ok"},
                            {"line_items[0][price_data][currency]", "eur"},
                            {"line_items[0][price_data][unit_amount]", "1000"},
                            {"line_items[0][price_data][product]", "team"},
                            {"line_items[0][price_data][recurring][interval]", "month"},
                            {"line_items[0][quantity]", "1"}}));
    fake.Call(http::Verb::post, "/v1/customers", {{"email", "k@example.com"}},
              {{"Idempotency-Key", "persisted-key"}});
    fake.Stop();
  }
  ASSERT_TRUE(std::filesystem::exists(path));
  StripeFakeServer again(settings);
  EXPECT_EQ(again.Get("/v1/customers/" + customer).at("invoice_prefix"), json::value(prefix));
  EXPECT_EQ(again.Get("/v1/customers").at("data").as_array().size(), 2u);
  const json::value restored = again.Get("/v1/checkout/sessions/" + session);
  EXPECT_EQ(restored.at("status"), "open");
  EXPECT_EQ(
      again.Get("/v1/checkout/sessions/" + session + "/line_items").at("data").as_array().size(),
      1u);
  const auto replay = again.Call(http::Verb::post, "/v1/customers", {{"email", "k@example.com"}},
                                 {{"Idempotency-Key", "persisted-key"}});
  EXPECT_EQ(replay["Idempotent-Replayed"], "true");
  // The restored session is payable (its hosted page lives on with the new port).
  const std::string url = again.base_url() + "/c/pay/" + session;
  EXPECT_EQ(again.Pay(url).status, 303u);
  EXPECT_EQ(again.Get("/v1/events", {{"type", "checkout.session.completed"}})
                .at("data")
                .as_array()
                .size(),
            1u);
  again.Stop();
  std::filesystem::remove(path);
}

TEST(StripeFakeWebhooks, TheCommandServesUntilSigtermAndSavesItsState) {
  const std::string path =
      ::testing::TempDir() + "/stripe-fake-cli-" + std::to_string(::getpid()) + ".json";
  std::filesystem::remove(path);
  const std::uint16_t port = testing::FreePort();
  const pid_t pid = ::fork();
  if (pid == 0) {
    const std::string port_setting = "STRIPE_FAKE_PORT=" + std::to_string(port);
    const std::string state_setting = "STRIPE_FAKE_STATE_FILE=" + path;
    char* argv[] = {const_cast<char*>(CODEZERO_BINARY), const_cast<char*>("stripe-fake"), nullptr};
    char* envp[] = {const_cast<char*>(port_setting.c_str()),
                    const_cast<char*>(state_setting.c_str()), const_cast<char*>("LOG_LEVEL=warn"),
                    const_cast<char*>("STRIPE_FAKE_METRICS_PORT=0"), nullptr};
    ::execve(CODEZERO_BINARY, argv, envp);
    ::_exit(127);
  }
  http::Response response;
  testing::Eventually([&] { return !testing::ConnectionRefused(port); });
  http::Request request =
      testing::MakeRequest(http::Verb::post, "/v1/customers", "email=cli%40example.com",
                           "application/x-www-form-urlencoded");
  request.set(http::Field::authorization, "Bearer sk_test_codezero_local");
  response = testing::Fetch(port, std::move(request));
  EXPECT_EQ(response.result_int(), 200) << response.body();
  const json::value customer = json::parse(response.body());
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find(Id(customer)), std::string::npos);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace codezero::stripe_fake
