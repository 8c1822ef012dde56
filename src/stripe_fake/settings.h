// The settings of `codezero stripe-fake`, read from the environment (STRIPE_FAKE_*).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "common/settings.h"
#include "http/server_options.h"

namespace codezero::stripe_fake {

inline constexpr std::string_view kApiVersion = "2024-06-20";

struct FakeSettings {
  http::ServerOptions server;
  http::ServerOptions metrics_server;  // GET /metrics (cli/metrics_listener.h)
  std::string api_key = "sk_test_codezero_local";
  // Base of the hosted pages (checkout, invoices, portal); empty: http://<host>:<bound port>.
  std::string public_url;
  std::vector<std::string> webhook_endpoints;
  std::string webhook_secret = "whsec_codezero_local";
  // Delays measured on the wall clock (SEPA settlement, webhook retries, session lifetimes)
  // are divided by this.
  // The account's default API version: what events are rendered in for an endpoint created
  // without `api_version` (Stripe's account default). Endpoints from `webhook_endpoints`
  // get the version this code pins (stripe/client.h).
  std::string account_api_version = "2023-10-16";
  std::int64_t time_factor = 1;
  double chaos = 0;        // probability that an event is delivered twice (and out of order)
  std::string state_file;  // empty: state lives in memory only
  std::chrono::milliseconds latency{0};  // added to every API call (simulates the network)
  std::int64_t sepa_delay_seconds = 180;
  std::chrono::milliseconds tick{250};  // the engine's tick for objects on real time
  std::chrono::milliseconds save_interval{3'000};
};

[[nodiscard]] FakeSettings ReadFakeSettings(SettingsReader& reader);

// "a,b , c" -> {"a","b","c"}; empty items are dropped.
[[nodiscard]] std::vector<std::string> SplitList(std::string_view text);

}  // namespace codezero::stripe_fake
