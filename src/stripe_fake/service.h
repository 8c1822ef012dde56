// The stand-in as one object bound to one event loop: its state (loaded from the state file),
// the event stream and webhook dispatcher, the /v1 API and the hosted pages, and the engine's
// tick (objects on real time, SEPA settlements, session expiry, test clocks told to advance,
// saving the state file when it changed). `codezero stripe-fake` and the tests' StripeFakeServer
// both compose it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/error.h"
#include "http/pipeline.h"
#include "stripe_fake/api.h"
#include "stripe_fake/core.h"
#include "stripe_fake/events.h"
#include "stripe_fake/settings.h"
#include "stripe_fake/store.h"
#include "stripe_fake/webhooks.h"

namespace codezero::stripe_fake {

class StripeFake {
 public:
  // Loads the state file when one is configured; throws std::runtime_error when it cannot be
  // read (a start-up error).
  StripeFake(boost::asio::any_io_executor executor, FakeSettings settings);
  StripeFake(const StripeFake&) = delete;
  StripeFake& operator=(const StripeFake&) = delete;
  ~StripeFake();

  [[nodiscard]] std::shared_ptr<const http::Pipeline> pipeline() const { return pipeline_; }

  // The base URL of the hosted pages, once the port is known. Call on the loop (or before it
  // runs).
  void SetPublicUrl(std::string url);
  [[nodiscard]] const std::string& public_url() const { return core_.public_url; }
  // Call on the loop.
  void SetWebhookEndpoints(std::vector<std::string> endpoints);

  // Starts the tick. Call once, on the loop (or before it runs).
  void Start();
  // Stops the tick and the webhook dispatcher and saves the state. Call on the loop.
  void Close();

  // For tests: see Api::DelayAnswers and Api::FailAnswers. Call on the loop.
  void DelayAnswers(http::Verb method, std::string path, int count,
                    std::chrono::milliseconds delay);
  void FailAnswers(http::Verb method, std::string path, int count);
  // Whether a request with this Idempotency-Key has started and not yet been answered: what a
  // test waits for before it sends the same key again. Call on the loop.
  [[nodiscard]] bool IdempotencyKeyInFlight(const std::string& key) const;
  // Webhook deliveries queued or on their way: none means every event (and every duplicate of
  // chaos mode) has been answered. Call on the loop.
  [[nodiscard]] std::size_t PendingDeliveries() const { return webhooks_.pending(); }

  // Writes the state file now (no-op without one).
  [[nodiscard]] Result<void> Save();

 private:
  void Tick();
  void Arm();
  void AdvanceClocks();

  FakeSettings settings_;
  Store store_;
  Events events_;
  Core core_;
  WebhookDispatcher webhooks_;
  std::unique_ptr<Api> api_;
  std::shared_ptr<const http::Pipeline> pipeline_;
  boost::asio::any_io_executor executor_;
  boost::asio::steady_timer timer_;
  std::int64_t last_save_ms_ = 0;
  bool closed_ = false;
  bool started_ = false;
};

}  // namespace codezero::stripe_fake
