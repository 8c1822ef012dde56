// Webhook delivery: each event is POSTed to every endpoint as Stripe does it
// (body: the event JSON; `Stripe-Signature: t=...,v1=...` signed with the webhook secret at
// each attempt; Stripe's user agent; a 10 s timeout). A non-2xx answer or none is retried on
// the schedule below, divided by the time factor; after the last retry the delivery is given
// up. Up to four deliveries run at once per endpoint, so order is not guaranteed, as at Stripe.
//
// The endpoints: those created through /v1/webhook_endpoints (enabled ones, for the event types
// they enabled, "*" for all; each event rendered in the endpoint's `api_version`, or the
// account's default when it has none, as at Stripe), and the configured URLs (every event, in
// the pinned version), except a configured URL that an API endpoint also names. One secret signs
// every delivery (STRIPE_FAKE_WEBHOOK_SECRET), where Stripe has one per endpoint.
//
// Chaos mode (probability p): each event is delivered twice with probability p, and every
// delivery is held back a random 0–1 s so they go out shuffled.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>

#include "stripe_fake/store.h"

namespace codezero::stripe_fake {

// Seconds to wait after failed attempt n (1-based) before the next: 1 min, 5 min, 30 min, 2 h,
// 5 h, 10 h, then 12 h four times: about 2.7 days in all, 11 attempts.
[[nodiscard]] const std::vector<std::int64_t>& WebhookRetrySchedule();

struct WebhookOptions {
  std::vector<std::string> endpoints;
  std::string secret;
  std::string account_api_version;
  std::int64_t time_factor = 1;
  double chaos = 0;
  std::chrono::milliseconds timeout{10'000};
  std::size_t per_endpoint_concurrency = 4;
};

class WebhookDispatcher {
 public:
  WebhookDispatcher(boost::asio::any_io_executor executor, Store& store, WebhookOptions options);

  // Queues deliveries of `event` to every endpoint.
  void Enqueue(const boost::json::object& event);
  void SetEndpoints(std::vector<std::string> endpoints);
  [[nodiscard]] std::size_t endpoint_count() const { return options_.endpoints.size(); }
  // Deliveries queued or on their way (retries included).
  [[nodiscard]] std::size_t pending() const { return queue_.size() + in_flight_.size(); }

  // The queue as the state file keeps it, and back (deliveries in flight count as queued).
  void ExportTo(Store& store) const;
  void ImportFrom(const Store& store);

  void Close();

 private:
  struct Delivery {
    std::string event_id;
    std::string endpoint;
    std::string payload;
    int attempt = 0;          // attempts made so far
    std::int64_t due_ms = 0;  // wall clock
  };

  void Arm();
  void DispatchDue();
  boost::asio::awaitable<void> Deliver(Delivery delivery);
  void Finished(const Delivery& delivery, bool delivered);

  boost::asio::any_io_executor executor_;
  Store& store_;
  WebhookOptions options_;
  std::vector<Delivery> queue_;
  std::vector<Delivery> in_flight_;
  std::map<std::string, std::size_t> running_;  // per endpoint
  boost::asio::steady_timer timer_;
  bool closed_ = false;
};

}  // namespace codezero::stripe_fake
