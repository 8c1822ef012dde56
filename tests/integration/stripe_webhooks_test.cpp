// POST /v1/webhooks/stripe against a real PostgreSQL: what a signed event leaves behind (the
// event with its raw body, one job), what duplicates and forgeries leave behind (nothing new).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include <boost/json/parse.hpp>

#include "stripe/webhook_signature.h"
#include "support/api_test.h"

namespace codezero::api {
namespace {

constexpr std::string_view kCurrentSecret = "whsec_current_test_secret";
constexpr std::string_view kPreviousSecret = "whsec_previous_test_secret";

std::int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Event(const std::string& id, const std::string& type = "checkout.session.completed") {
  return R"({"id":")" + id + R"(","object":"event","api_version":"2024-06-20","created":)" +
         std::to_string(Now()) +
         R"(,"livemode":false,"pending_webhooks":1,)"
         R"("request":{"id":null,"idempotency_key":null},"type":")" +
         type + R"(","data":{"object":{"id":"cs_test_1","object":"checkout.session"}}})";
}

class StripeWebhooks : public testing::ApiTest {
 protected:
  void SetUp() override {
    Start([](ApiSettings& settings) {
      settings.stripe_webhook_secrets = {std::string(kCurrentSecret), std::string(kPreviousSecret)};
    });
  }

  http::Response Deliver(const std::string& body, const std::string& signature) {
    return Send(http::Verb::post, "/v1/webhooks/stripe", body, "",
                "application/json; charset=utf-8", {{"Stripe-Signature", signature}});
  }
  http::Response DeliverSigned(const std::string& body, std::string_view secret = kCurrentSecret) {
    return Deliver(body, stripe::SignatureHeader(secret, Now(), body));
  }
  std::string Count(const std::string& table) {
    return database.QueryValue("SELECT count(*) FROM " + table);
  }
};

TEST_F(StripeWebhooks, StoreASignedEventWithItsRawBodyAndEnqueueOneJob) {
  const std::string body = Event("evt_1");
  const http::Response response = DeliverSigned(body);
  EXPECT_EQ(response.result(), http::Status::ok) << response.body();
  EXPECT_EQ(response.body(), R"({"received":true})");
  EXPECT_EQ(database.QueryValue("SELECT payload FROM stripe_events WHERE id = 'evt_1'"), body);
  EXPECT_EQ(database.QueryValue("SELECT type FROM stripe_events WHERE id = 'evt_1'"),
            "checkout.session.completed");
  EXPECT_EQ(database.QueryValue(
                "SELECT kind || ' ' || state || ' ' || (args->>'event_id') || ' ' || unique_key "
                "FROM jobs"),
            "stripe.process_event available evt_1 stripe.process_event:evt_1");
  // The job carries the request's trace: its trace id is the request id the API answered with.
  EXPECT_EQ(database.QueryValue("SELECT substr(trace_context, 4, 32) FROM jobs"),
            std::string(response["X-Request-Id"]));
}

TEST_F(StripeWebhooks, AJobJoinsTheW3CTraceOfTheRequestThatEnqueuedIt) {
  const std::string body = Event("evt_traced");
  const http::Response response =
      Send(http::Verb::post, "/v1/webhooks/stripe", body, "", "application/json",
           {{"Stripe-Signature", stripe::SignatureHeader(kCurrentSecret, Now(), body)},
            {"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}});
  ASSERT_EQ(response.result(), http::Status::ok) << response.body();
  EXPECT_EQ(response["X-Request-Id"], "4bf92f3577b34da6a3ce929d0e0e4736");
  const std::string traceparent = database.QueryValue("SELECT trace_context FROM jobs");
  EXPECT_TRUE(traceparent.starts_with("00-4bf92f3577b34da6a3ce929d0e0e4736-")) << traceparent;
  EXPECT_EQ(traceparent.find("00f067aa0ba902b7"), std::string::npos);  // a span of its own
}

TEST_F(StripeWebhooks, AcknowledgeADuplicateAndChangeNothing) {
  const std::string body = Event("evt_twice");
  ASSERT_EQ(DeliverSigned(body).result(), http::Status::ok);
  const http::Response again = DeliverSigned(body);
  EXPECT_EQ(again.result(), http::Status::ok);
  EXPECT_EQ(again.body(), R"({"received":true,"duplicate":true})");
  EXPECT_EQ(Count("stripe_events"), "1");
  EXPECT_EQ(Count("jobs"), "1");
}

TEST_F(StripeWebhooks, AcceptTheSecretBeingRotatedOut) {
  EXPECT_EQ(DeliverSigned(Event("evt_old_secret"), kPreviousSecret).result(), http::Status::ok);
  EXPECT_EQ(Count("stripe_events"), "1");
}

TEST_F(StripeWebhooks, StoreAndAcknowledgeEventTypesThePlatformDoesNotUse) {
  EXPECT_EQ(DeliverSigned(Event("evt_other", "customer.discount.created")).result(),
            http::Status::ok);
  EXPECT_EQ(database.QueryValue("SELECT type FROM stripe_events"), "customer.discount.created");
}

TEST_F(StripeWebhooks, RejectForgeriesWithA400ThatSaysNothing) {
  const std::string body = Event("evt_forged");
  const std::int64_t now = Now();
  const std::string valid = stripe::SignatureHeader(kCurrentSecret, now, body);
  const std::string v1 = valid.substr(valid.find("v1=") + 3);
  const std::vector<std::pair<std::string, std::string>> forgeries{
      {"changed body", ""},
      {"changed timestamp", "t=" + std::to_string(now + 1) + ",v1=" + v1},
      // Well outside the 300 s tolerance: `now` is whole seconds, and the server's clock may
      // have ticked on by the time a request arrives (301 s ahead was accepted then).
      {"old timestamp", stripe::SignatureHeader(kCurrentSecret, now - 330, body)},
      {"future timestamp", stripe::SignatureHeader(kCurrentSecret, now + 330, body)},
      {"v0 only", "t=" + std::to_string(now) + ",v0=" + v1},
      {"unknown secret", stripe::SignatureHeader("whsec_someone_else", now, body)},
      {"no signature", "-"},
  };
  for (const auto& [what, header] : forgeries) {
    const std::string sent_body = what == "changed body" ? Event("evt_forged2") : body;
    const std::string sent_header = what == "changed body" ? valid : header;
    http::Request request = testing::MakeRequest(http::Verb::post, "/v1/webhooks/stripe", sent_body,
                                                 "application/json");
    if (sent_header != "-") request.set("Stripe-Signature", sent_header);
    const http::Response response = testing::Fetch(api->port(), request);
    EXPECT_EQ(response.result(), http::Status::bad_request) << what;
    const auto problem = testing::JsonOf(response);
    EXPECT_FALSE(problem.as_object().contains("detail")) << what;
  }
  EXPECT_EQ(Count("stripe_events"), "0");
  EXPECT_EQ(Count("jobs"), "0");
}

TEST_F(StripeWebhooks, RejectSignedBodiesThatAreNotEvents) {
  EXPECT_EQ(DeliverSigned(R"({"id":"cus_1","object":"customer"})").result(),
            http::Status::bad_request);
  EXPECT_EQ(DeliverSigned("not json").result(), http::Status::bad_request);
  EXPECT_EQ(Count("stripe_events"), "0");
}

TEST_F(StripeWebhooks, RefuseBodiesOver512KiB) {
  std::string body = Event("evt_big");
  body.insert(body.size() - 1, R"(,"padding":")" + std::string(512 * 1024, 'x') + "\"");
  EXPECT_EQ(DeliverSigned(body).result(), http::Status::payload_too_large);
  EXPECT_EQ(Count("stripe_events"), "0");
}

// The official stripe npm SDK (tests/conformance/stripe-sdk) signs; the API must accept exactly
// what Stripe would send.
boost::json::value SdkHeaders(std::string_view secret, const std::string& payload) {
  std::string command = CODEZERO_NODE;
  command.append(" ").append(CODEZERO_SOURCE_DIR);
  command.append("/tests/conformance/stripe-sdk/signature_headers.mjs '").append(secret);
  command.append("' '").append(payload).append("'");
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run node");
  std::string output;
  char buffer[4096];
  while (std::size_t read = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, read);
  if (pclose(pipe) != 0) throw std::runtime_error("signature_headers.mjs failed: " + output);
  return boost::json::parse(output);
}

TEST_F(StripeWebhooks, AcceptWhatStripesOwnSdkSignsAndRefuseItsAlterations) {
  const std::string body = Event("evt_sdk");  // no single quotes: safe in the shell command
  const boost::json::value headers = SdkHeaders(kCurrentSecret, body);
  const auto header = [&](std::string_view name) {
    return std::string(headers.at(name).as_string());
  };
  EXPECT_EQ(Deliver(Event("evt_sdk_changed"), header("valid")).result(), http::Status::bad_request);
  for (const std::string_view forged : {"changed_timestamp", "old", "future", "v0_only"}) {
    EXPECT_EQ(Deliver(body, header(forged)).result(), http::Status::bad_request) << forged;
  }
  EXPECT_EQ(Count("stripe_events"), "0");
  EXPECT_EQ(Deliver(body, header("valid")).result(), http::Status::ok);
  EXPECT_EQ(Count("stripe_events"), "1");
}

class StripeWebhooksUnconfigured : public testing::ApiTest {};

TEST_F(StripeWebhooksUnconfigured, AnswerServiceUnavailableWithoutSecrets) {
  Start();
  const std::string body = Event("evt_nobody");
  EXPECT_EQ(Send(http::Verb::post, "/v1/webhooks/stripe", body, "", "application/json",
                 {{"Stripe-Signature", stripe::SignatureHeader(kCurrentSecret, Now(), body)}})
                .result(),
            http::Status::service_unavailable);
}

}  // namespace
}  // namespace codezero::api
