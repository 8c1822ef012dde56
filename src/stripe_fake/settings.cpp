#include "stripe_fake/settings.h"

#include <charconv>

namespace codezero::stripe_fake {

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> items;
  while (!text.empty()) {
    const auto comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) items.emplace_back(item);
  }
  return items;
}

FakeSettings ReadFakeSettings(SettingsReader& reader) {
  FakeSettings settings;
  settings.server = http::ReadServerOptions(reader, "STRIPE_FAKE", 12111);
  settings.metrics_server = http::ReadMetricsServerOptions(reader, "STRIPE_FAKE", 9183);
  settings.server.threads = 1;  // one event loop owns the whole state
  settings.api_key = reader.String({.name = "STRIPE_FAKE_API_KEY",
                                    .default_value = "sk_test_codezero_local",
                                    .help = "the one secret key the stand-in accepts",
                                    .secret = true});
  if (settings.api_key.empty()) settings.api_key = "sk_test_codezero_local";
  settings.public_url =
      reader.String({.name = "STRIPE_FAKE_PUBLIC_URL",
                     .default_value = "",
                     .help = "base URL of the hosted pages (default http://127.0.0.1:<port>)"});
  while (settings.public_url.ends_with('/')) settings.public_url.pop_back();
  if (!settings.public_url.empty() && !settings.public_url.starts_with("http://") &&
      !settings.public_url.starts_with("https://")) {
    reader.AddProblem("STRIPE_FAKE_PUBLIC_URL", "must start with http:// or https://");
  }
  settings.webhook_endpoints = SplitList(
      reader.String({.name = "STRIPE_FAKE_WEBHOOK_ENDPOINTS",
                     .default_value = "",
                     .help = "comma-separated URLs that receive every event as a signed webhook"}));
  for (const std::string& url : settings.webhook_endpoints) {
    if (!url.starts_with("http://") && !url.starts_with("https://")) {
      reader.AddProblem("STRIPE_FAKE_WEBHOOK_ENDPOINTS", "'" + url + "' is not an http(s) URL");
    }
  }
  settings.webhook_secret = reader.String({.name = "STRIPE_FAKE_WEBHOOK_SECRET",
                                           .default_value = "whsec_codezero_local",
                                           .help = "the secret that signs webhooks (whsec_...)",
                                           .secret = true});
  if (settings.webhook_secret.empty()) settings.webhook_secret = "whsec_codezero_local";
  settings.account_api_version =
      reader.String({.name = "STRIPE_FAKE_ACCOUNT_API_VERSION",
                     .default_value = settings.account_api_version,
                     .help = "the account's default API version: events for a webhook endpoint "
                             "created without api_version are rendered in it"});
  settings.time_factor =
      reader.Integer({.name = "STRIPE_FAKE_TIME_FACTOR",
                      .default_value = "1",
                      .help = "divides real-time delays (SEPA, webhook retries, session "
                              "lifetimes): 60 makes an hour a minute"},
                     1, 100'000'000);
  const std::string chaos = reader.String(
      {.name = "STRIPE_FAKE_CHAOS",
       .default_value = "0",
       .help = "probability 0..1 that an event is delivered twice, deliveries shuffled"});
  double value = 0;
  const auto [end, error] = std::from_chars(chaos.data(), chaos.data() + chaos.size(), value);
  if (error != std::errc() || end != chaos.data() + chaos.size() || value < 0 || value > 1) {
    reader.AddProblem("STRIPE_FAKE_CHAOS", "'" + chaos + "' is not a number from 0 to 1");
  } else {
    settings.chaos = value;
  }
  settings.state_file = reader.String(
      {.name = "STRIPE_FAKE_STATE_FILE",
       .default_value = "",
       .help = "JSON file: state loaded at start, saved on SIGTERM and every few seconds"});
  settings.latency =
      reader.Milliseconds({.name = "STRIPE_FAKE_LATENCY_MS",
                           .default_value = "0",
                           .help = "added to every API call, to simulate the network"},
                          0, 60'000);
  return settings;
}

}  // namespace codezero::stripe_fake
