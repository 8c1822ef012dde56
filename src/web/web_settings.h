// The web frontend's settings (`codezero web --help` lists them): where it listens, where the
// API and Redis are, its public address, the secret that signs its form tokens, the
// operator's legal data for the Impressum, the consent policy version, an optional statistics
// service (loaded only after consent), and its caches.
#pragma once

#include <chrono>
#include <string>

#include "common/settings.h"
#include "http/server_options.h"
#include "redis/client_options.h"
#include "redis/rate_limiter.h"
#include "web/api_client.h"
#include "web/page_cache.h"
#include "web/session.h"

namespace codezero::web {

// The operator as the Impressum (§ 5 DDG) and the legal texts name it.
struct Seller {
  std::string name;  // with its legal form: "Code Zero AI GmbH"
  std::string street;
  std::string postcode;
  std::string city;
  std::string country_code;  // ISO 3166-1 alpha-2; shown by name in the page's language
  std::string managing_directors;
  std::string email;
  std::string phone;
  std::string register_court;
  std::string register_number;
  std::string vat_id;
  std::string content_responsible;  // § 18 Abs. 2 MStV
  std::string privacy_email;
};

// A self-hosted statistics service (Matomo, Plausible, …), loaded only after consent.
struct Statistics {
  std::string script_url;  // empty: none
  std::string name;
  std::string provider;
  [[nodiscard]] bool enabled() const { return !script_url.empty(); }
};

struct WebSettings {
  http::ServerOptions server;
  http::ServerOptions metrics_server;  // GET /metrics (cli/metrics_listener.h)
  redis::ClientOptions cache;
  ApiClientOptions api;
  std::string public_url;  // PUBLIC_WEB_URL, no trailing slash
  std::string origin;      // its scheme, host and port
  std::string secret;      // WEB_SECRET
  std::string hsts;        // the Strict-Transport-Security value; empty: not sent
  std::string consent_policy_version;
  std::chrono::milliseconds catalog_refresh{5'000};
  PageCacheOptions page_cache;
  std::size_t trusted_proxies = 0;
  redis::RateLimit consent_limit{"consent_ip", 30, std::chrono::minutes(10)};
  SessionOptions sessions;
  // Where payment happens (Stripe Checkout): the one origin a form post may lead to, by redirect.
  std::string payment_origin = "https://checkout.stripe.com";
  // Where Stripe's billing portal is: the other origin a form post may lead to.
  std::string billing_portal_origin = "https://billing.stripe.com";
  Seller seller;
  Statistics statistics;
};

[[nodiscard]] WebSettings ReadWebSettings(SettingsReader& reader);

// "https://codezero.ai:8443" of "https://codezero.ai:8443/path"; empty when not http(s).
[[nodiscard]] std::string OriginOf(std::string_view url);

}  // namespace codezero::web
