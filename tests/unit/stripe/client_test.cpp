// The Stripe client against a programmable HTTP server on loopback: what it sends, how it
// retries, what it makes of Stripe's errors.
#include "stripe/client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>

#include "http/json_body.h"
#include "support/run_async.h"
#include "support/server_harness.h"

namespace codezero::stripe {
namespace {

namespace asio = boost::asio;

struct Seen {
  std::string method;
  std::string target;
  std::string authorization;
  std::string version;
  std::string idempotency_key;
  std::string content_type;
  std::string body;
};

// Answers each request with the next scripted answer (the last one repeats).
class FakeStripe {
 public:
  struct Answer {
    int status = 200;
    std::string body = R"({"id":"cus_1","object":"customer"})";
    std::string should_retry;  // Stripe-Should-Retry, empty: none
    int delay_ms = 0;
  };

  FakeStripe()
      : server_([this](http::Router& router, asio::io_context&) {
          auto handler = [this](http::Request& request,
                                http::RequestContext&) -> asio::awaitable<Result<http::Response>> {
            co_return Respond(request);
          };
          router.Post("/v1/customers", handler);
          router.Get("/v1/customers/{id}", handler);
          router.Delete("/v1/customers/{id}", handler);
        }) {}

  std::string base() const { return "http://127.0.0.1:" + std::to_string(server_.port()); }

  void Script(std::vector<Answer> answers) {
    std::lock_guard lock(mutex_);
    answers_ = std::move(answers);
  }
  std::vector<Seen> seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  http::Response Respond(const http::Request& request) {
    Answer answer;
    {
      std::lock_guard lock(mutex_);
      seen_.push_back({std::string(request.method_string()), std::string(request.target()),
                       std::string(request[http::Field::authorization]),
                       std::string(request["Stripe-Version"]),
                       std::string(request["Idempotency-Key"]),
                       std::string(request[http::Field::content_type]), request.body()});
      const std::size_t index = std::min(seen_.size() - 1, answers_.size() - 1);
      answer = answers_[index];
    }
    if (answer.delay_ms > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(answer.delay_ms));
    http::Response response(static_cast<http::Status>(answer.status), 11);
    response.set(http::Field::content_type, "application/json");
    response.set("Request-Id", "req_test");
    if (!answer.should_retry.empty()) response.set("Stripe-Should-Retry", answer.should_retry);
    response.body() = answer.body;
    return response;
  }

  std::mutex mutex_;
  std::vector<Answer> answers_{Answer{}};
  std::vector<Seen> seen_;
  testing::ServerHarness server_;
};

class StripeClient : public ::testing::Test {
 protected:
  ClientOptions Options(std::string base) {
    ClientOptions options;
    options.secret_key = "sk_test_abc";
    options.api_base = std::move(base);
    options.initial_backoff = std::chrono::milliseconds(1);
    options.max_backoff = std::chrono::milliseconds(4);
    options.timeout = std::chrono::milliseconds(2000);
    return options;
  }

  Outcome<boost::json::object> CreateCustomer(Client& client) {
    FormFields fields{{"name", "Beispiel GmbH"}, {"metadata[company_id]", "c1"}};
    return testing::RunAsync(
        context_, client.Post("/v1/customers", std::move(fields), "company:c1:customer"));
  }

  asio::io_context context_;
  http::CurlClient curl_;
  FakeStripe stripe_;
};

TEST_F(StripeClient, SendsTheKeyTheVersionTheIdempotencyKeyAndAForm) {
  Client client(curl_, Options(stripe_.base()));
  auto customer = CreateCustomer(client);
  ASSERT_TRUE(customer.has_value()) << customer.error().message;
  EXPECT_EQ(customer->at("id").as_string(), "cus_1");
  const auto seen = stripe_.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].authorization, "Bearer sk_test_abc");
  EXPECT_EQ(seen[0].version, kApiVersion);
  EXPECT_EQ(seen[0].idempotency_key,
            IdempotencyKeyFor("company:c1:customer", "/v1/customers",
                              "name=Beispiel%20GmbH&metadata[company_id]=c1"));
  EXPECT_TRUE(seen[0].idempotency_key.starts_with("company:c1:customer:"));
  EXPECT_EQ(seen[0].content_type, "application/x-www-form-urlencoded");
  EXPECT_EQ(seen[0].body, "name=Beispiel%20GmbH&metadata[company_id]=c1");
}

// The outbound client refuses a header with CR, LF or NUL instead of sending a request whose
// headers someone else chose (the same rule the server applies to its answers).
TEST_F(StripeClient, SendsNoRequestWithAControlCharacterInAHeader) {
  Client client(curl_, Options(stripe_.base()));
  FormFields fields{{"name", "Beispiel GmbH"}};
  auto refused = testing::RunAsync(
      context_, client.Post("/v1/customers", std::move(fields), "key\r\nStripe-Account: acct_x"));
  EXPECT_FALSE(refused.has_value());
  EXPECT_TRUE(stripe_.seen().empty());
}

TEST_F(StripeClient, PutsGetParametersInTheQueryAndSendsNoIdempotencyKey) {
  Client client(curl_, Options(stripe_.base()));
  FormFields query{{"expand[0]", "subscriptions"}};
  auto customer = testing::RunAsync(context_, client.Get("/v1/customers/cus_1", std::move(query)));
  ASSERT_TRUE(customer.has_value());
  const auto seen = stripe_.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].target, "/v1/customers/cus_1?expand[0]=subscriptions");
  EXPECT_EQ(seen[0].idempotency_key, "");
}

TEST_F(StripeClient, RetriesServerErrorsRateLimitsAndConflictsWithTheSameKey) {
  stripe_.Script({{500, R"({"error":{"type":"api_error","message":"boom"}})"},
                  {429, R"({"error":{"type":"invalid_request_error","code":"rate_limit"}})"},
                  {200}});
  ClientOptions options = Options(stripe_.base());
  options.max_retries = 3;
  Client client(curl_, options);
  auto customer = CreateCustomer(client);
  ASSERT_TRUE(customer.has_value());
  const auto seen = stripe_.seen();
  ASSERT_EQ(seen.size(), 3u);
  for (const Seen& attempt : seen) EXPECT_EQ(attempt.idempotency_key, seen[0].idempotency_key);
}

// A key is sent again only with byte-identical parameters: the same operation with other
// parameters (a later expiry, a name in another language) gets another key instead of Stripe's
// idempotency_error.
TEST(StripeIdempotencyKey, IsTheOperationAndADigestOfPathAndParameters) {
  const std::string key = IdempotencyKeyFor("order:o1:checkout_session", "/v1/checkout/sessions",
                                            "mode=subscription&expires_at=1800000000");
  EXPECT_EQ(key, IdempotencyKeyFor("order:o1:checkout_session", "/v1/checkout/sessions",
                                   "mode=subscription&expires_at=1800000000"));
  EXPECT_TRUE(key.starts_with("order:o1:checkout_session:"));
  EXPECT_EQ(key.size(), std::string("order:o1:checkout_session:").size() + 16);
  EXPECT_NE(key, IdempotencyKeyFor("order:o1:checkout_session", "/v1/checkout/sessions",
                                   "mode=subscription&expires_at=1800000060"));
  EXPECT_NE(key, IdempotencyKeyFor("order:o1:checkout_session", "/v1/coupons",
                                   "mode=subscription&expires_at=1800000000"));
  EXPECT_NE(key, IdempotencyKeyFor("order:o2:checkout_session", "/v1/checkout/sessions",
                                   "mode=subscription&expires_at=1800000000"));
}

TEST_F(StripeClient, GivesUpAfterItsRetriesWithTheLastError) {
  stripe_.Script({{409, R"({"error":{"type":"idempotency_error","message":"in progress"}})"}});
  Client client(curl_, Options(stripe_.base()));  // 2 retries
  auto customer = CreateCustomer(client);
  ASSERT_FALSE(customer.has_value());
  EXPECT_EQ(customer.error().kind, ApiErrorKind::kConflict);
  EXPECT_EQ(customer.error().request_id, "req_test");
  EXPECT_EQ(stripe_.seen().size(), 3u);
}

TEST_F(StripeClient, NeverRetriesWhatStripeSaysNotToOrWhatIsOurMistake) {
  stripe_.Script({{500, R"({"error":{"type":"api_error"}})", "false"}});
  Client client(curl_, Options(stripe_.base()));
  EXPECT_FALSE(CreateCustomer(client).has_value());
  EXPECT_EQ(stripe_.seen().size(), 1u);

  stripe_.Script({{400, R"({"error":{"type":"invalid_request_error","code":"parameter_missing",)"
                        R"("param":"name","message":"Missing required param: name."}})"}});
  auto refused = CreateCustomer(client);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().kind, ApiErrorKind::kInvalidRequest);
  EXPECT_EQ(refused.error().param, "name");
  EXPECT_EQ(stripe_.seen().size(), 2u);
}

TEST_F(StripeClient, RetriesWhenStripeSaysSo) {
  stripe_.Script({{400, R"({"error":{"type":"invalid_request_error"}})", "true"}, {200}});
  Client client(curl_, Options(stripe_.base()));
  EXPECT_TRUE(CreateCustomer(client).has_value());
  EXPECT_EQ(stripe_.seen().size(), 2u);
}

TEST_F(StripeClient, ReportsAnUnreachableOrSlowStripeAsAConnectionError) {
  Client unreachable(curl_, Options("http://127.0.0.1:1"));
  auto refused = CreateCustomer(unreachable);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().kind, ApiErrorKind::kConnection);

  stripe_.Script({{200, R"({"id":"cus_1"})", "", 600}});
  ClientOptions options = Options(stripe_.base());
  options.timeout = std::chrono::milliseconds(200);
  options.max_retries = 0;
  Client slow(curl_, options);
  auto timed_out = CreateCustomer(slow);
  ASSERT_FALSE(timed_out.has_value());
  EXPECT_EQ(timed_out.error().kind, ApiErrorKind::kConnection);
  EXPECT_NE(timed_out.error().message.find("imeout"), std::string::npos)
      << timed_out.error().message;
}

TEST_F(StripeClient, CallsNothingWithoutAKey) {
  ClientOptions options = Options(stripe_.base());
  options.secret_key.clear();
  Client client(curl_, options);
  EXPECT_FALSE(client.configured());
  auto customer = CreateCustomer(client);
  ASSERT_FALSE(customer.has_value());
  EXPECT_EQ(customer.error().kind, ApiErrorKind::kAuthentication);
  EXPECT_TRUE(stripe_.seen().empty());
}

TEST_F(StripeClient, RunsManyCallsAtOnceOverOneTransport) {
  Client client(curl_, Options(stripe_.base()));
  std::atomic<int> succeeded = 0;
  int finished = 0;
  for (int i = 0; i < 50; ++i) {
    asio::co_spawn(
        context_,
        [&]() -> asio::awaitable<void> {
          auto customer = co_await client.Get("/v1/customers/cus_1");
          if (customer) ++succeeded;
          ++finished;
        },
        asio::detached);
  }
  testing::RunUntil(context_, [&] { return finished == 50; });
  EXPECT_EQ(succeeded.load(), 50);
  EXPECT_EQ(stripe_.seen().size(), 50u);
}

}  // namespace
}  // namespace codezero::stripe
