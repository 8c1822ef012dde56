// The Stripe stand-in (`codezero stripe-fake`) in-process for tests: one event loop on a
// background thread, a free port, the hosted pages' public URL pointing at it. Tests talk to
// it over real HTTP in Stripe's wire format, as the platform does; helpers advance test clocks
// and pay a Checkout Session through its hosted page like a browser would.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/value.hpp>

#include "http/message.h"
#include "stripe/form_encoding.h"
#include "stripe_fake/service.h"
#include "stripe_fake/settings.h"
#include "support/server_harness.h"

namespace codezero::testing {

// Settings for tests: a quick tick, SEPA settling in 0.3 s (time factor 600: a minute is
// 0.1 s), no endpoints.
stripe_fake::FakeSettings TestStripeFakeSettings();

struct PageResult {
  unsigned status = 0;
  std::string location;  // of a redirect
  std::string body;
};

// A card as the hosted page's form takes it.
struct TestCard {
  std::string number = "4242 4242 4242 4242";
  std::string expiry = "12/34";
  std::string cvc = "123";
  std::string name = "Ada Lovelace";
};

class StripeFakeServer {
 public:
  explicit StripeFakeServer(stripe_fake::FakeSettings settings = TestStripeFakeSettings());
  // Stops servers and joins threads: a failure there ends the test run, as it should.
  ~StripeFakeServer();  // NOLINT(bugprone-exception-escape)
  StripeFakeServer(const StripeFakeServer&) = delete;
  StripeFakeServer& operator=(const StripeFakeServer&) = delete;

  [[nodiscard]] std::uint16_t port() const { return harness_->port(); }
  // http://127.0.0.1:<port>: the value for STRIPE_API_BASE.
  [[nodiscard]] std::string base_url() const;
  [[nodiscard]] const std::string& api_key() const { return settings_.api_key; }
  [[nodiscard]] const std::string& webhook_secret() const { return settings_.webhook_secret; }

  void SetWebhookEndpoints(std::vector<std::string> endpoints);

  // The next `count` POSTs to `path` are carried out but answered only after `delay`: an answer
  // the client never reads (Api::DelayAnswers).
  void DelayAnswers(const std::string& path, int count, std::chrono::milliseconds delay);
  // The next `count` POSTs to `path` are carried out but answered 500 (Api::FailAnswers).
  void FailAnswers(const std::string& path, int count);
  // Whether a request with this Idempotency-Key has started and is not answered yet.
  [[nodiscard]] bool IdempotencyKeyInFlight(const std::string& key);
  // Webhook deliveries queued or on their way (StripeFake::PendingDeliveries).
  [[nodiscard]] std::size_t PendingDeliveries();

  // One API request with the key; `fields` form-encoded (in the query for GET and DELETE).
  http::Response Call(http::Verb method, const std::string& path,
                      const stripe::FormFields& fields = {},
                      const std::vector<std::pair<std::string, std::string>>& headers = {});
  // The same, expecting 200; throws with the error body otherwise.
  boost::json::value Post(const std::string& path, const stripe::FormFields& fields = {});
  boost::json::value Get(const std::string& path, const stripe::FormFields& fields = {});
  boost::json::value Delete(const std::string& path, const stripe::FormFields& fields = {});

  // Advances the test clock and waits until it is ready again; returns the clock.
  boost::json::value AdvanceClock(const std::string& clock_id, std::int64_t frozen_time);

  // GETs the hosted page at `session_url` and submits its card form (or, for Iban, its SEPA
  // form), as a browser would. The result is the form POST's response.
  PageResult Pay(const std::string& session_url, const TestCard& card = {});
  PageResult PayWithIban(const std::string& session_url, const std::string& iban,
                         const std::string& account_holder = "Ada Lovelace");
  // GET or POST (form fields) on a page of the stand-in, by absolute URL or path.
  PageResult Page(const std::string& url, const stripe::FormFields* form = nullptr);

  // Closes the stand-in (its state file is saved) and stops the server. Idempotent.
  void Stop();

 private:
  template <class F>
  void OnLoop(F work);

  stripe_fake::FakeSettings settings_;
  std::unique_ptr<stripe_fake::StripeFake> fake_;
  std::unique_ptr<ServerHarness> harness_;
  bool stopped_ = false;
};

// Receives webhooks on a free port (POST /hook), answering each with the status the test
// chose (200 by default), and records them.
class WebhookReceiver {
 public:
  struct Delivery {
    std::string signature;  // Stripe-Signature, or CodeZero-Signature (provisioning notices)
    std::string user_agent;
    std::string content_type;
    std::string body;
  };

  WebhookReceiver();
  ~WebhookReceiver();
  [[nodiscard]] std::string url() const;
  // The next `count` deliveries are answered `status`; the rest 200.
  void FailNext(int count, unsigned status = 500);
  [[nodiscard]] std::vector<Delivery> deliveries() const;
  // Waits until `predicate(deliveries())` is true; false after `limit`.
  bool WaitFor(const std::function<bool(const std::vector<Delivery>&)>& predicate,
               std::chrono::milliseconds limit = std::chrono::milliseconds(10'000)) const;

 private:
  struct State;
  std::shared_ptr<State> state_;
  std::unique_ptr<ServerHarness> harness_;
};

// The event types of the deliveries, in arrival order.
std::vector<std::string> EventTypes(const std::vector<WebhookReceiver::Delivery>& deliveries);

}  // namespace codezero::testing
