#include "web/web_settings.h"

#include "domain/consent.h"

namespace codezero::web {
namespace {

constexpr std::size_t kMinimumSecretBytes = 32;

std::string ReadUrl(SettingsReader& reader, SettingSpec spec) {
  std::string url = reader.String(spec);
  if (!url.empty() && OriginOf(url).empty()) {
    reader.AddProblem(spec.name, "must start with http:// or https://");
  }
  while (url.ends_with('/')) url.pop_back();
  return url;
}

std::string Required(SettingsReader& reader, std::string name, std::string help) {
  return reader.String({.name = std::move(name), .help = std::move(help), .required = true});
}

std::string Optional(SettingsReader& reader, std::string name, std::string help) {
  return reader.String({.name = std::move(name), .help = std::move(help)});
}

Seller ReadSeller(SettingsReader& reader) {
  Seller seller;
  seller.name =
      Required(reader, "SELLER_NAME", "the operator's name with its legal form (Impressum)");
  seller.street = Required(reader, "SELLER_STREET", "street and number (Impressum)");
  seller.postcode = Required(reader, "SELLER_POSTCODE", "postcode (Impressum)");
  seller.city = Required(reader, "SELLER_CITY", "city (Impressum)");
  seller.country_code = reader.String({.name = "SELLER_COUNTRY",
                                       .default_value = "DE",
                                       .help = "country, ISO 3166-1 alpha-2 (Impressum)"});
  if (seller.country_code.size() != 2) {
    reader.AddProblem("SELLER_COUNTRY", "must be a two-letter country code");
  }
  seller.managing_directors =
      Required(reader, "SELLER_MANAGING_DIRECTORS", "who represents the company (Impressum)");
  seller.email = Required(reader, "SELLER_EMAIL", "contact e-mail address (Impressum)");
  seller.phone = Optional(reader, "SELLER_PHONE", "contact telephone number (Impressum)");
  seller.register_court = Required(reader, "SELLER_REGISTER_COURT", "register court (Impressum)");
  seller.register_number =
      Required(reader, "SELLER_REGISTER_NUMBER", "commercial register number (Impressum)");
  seller.vat_id = Required(reader, "SELLER_VAT_ID", "VAT identification number, § 27a UStG");
  seller.content_responsible =
      Required(reader, "SELLER_CONTENT_RESPONSIBLE",
               "responsible for the content, § 18 (2) MStV: name, address");
  seller.privacy_email = reader.String({.name = "SELLER_PRIVACY_EMAIL",
                                        .default_value = seller.email,
                                        .help = "data protection contact (privacy notice)"});
  return seller;
}

}  // namespace

std::string OriginOf(std::string_view url) {
  std::size_t scheme_end = 0;
  if (url.starts_with("http://")) {
    scheme_end = 7;
  } else if (url.starts_with("https://")) {
    scheme_end = 8;
  } else {
    return "";
  }
  const std::size_t path = url.find('/', scheme_end);
  const std::string_view origin = url.substr(0, path);
  if (origin.size() == scheme_end) return "";
  return std::string(origin);
}

WebSettings ReadWebSettings(SettingsReader& reader) {
  WebSettings settings;
  settings.server = http::ReadServerOptions(reader, "WEB", 8080);
  settings.metrics_server = http::ReadMetricsServerOptions(reader, "WEB", 9180);
  settings.cache = redis::ReadClientOptions(reader);
  settings.api.base_url = ReadUrl(reader, {.name = "API_URL",
                                           .default_value = "http://127.0.0.1:8081",
                                           .help = "where the web frontend reaches the API"});
  settings.api.timeout = reader.Milliseconds(
      {.name = "API_TIMEOUT_MS", .default_value = "3000", .help = "each call to the API"}, 50,
      60'000);
  settings.public_url =
      ReadUrl(reader, {.name = "PUBLIC_WEB_URL",
                       .default_value = "http://127.0.0.1:8080",
                       .help = "the site's public address (links, canonical "
                               "URLs, the origin that form posts must come from)"});
  settings.origin = OriginOf(settings.public_url);
  settings.secret = reader.String(
      {.name = "WEB_SECRET",
       .help = "signs form tokens (at least 32 bytes of randomness; the same on every instance)",
       .secret = true,
       .required = true});
  if (!settings.secret.empty() && settings.secret.size() < kMinimumSecretBytes) {
    reader.AddProblem("WEB_SECRET", "must be at least 32 characters long");
  }
  settings.hsts = reader.String(
      {.name = "WEB_HSTS",
       .default_value = "max-age=63072000; includeSubDomains",
       .help = "Strict-Transport-Security value (\"off\": not sent, for a plain-http setup)"});
  if (settings.hsts == "off") settings.hsts.clear();
  settings.consent_policy_version =
      reader.String({.name = "CONSENT_POLICY_VERSION",
                     .default_value = "2026-11-29",
                     .help = "raise it when the consent texts change: everyone is asked again"});
  if (!domain::IsPolicyVersion(settings.consent_policy_version)) {
    reader.AddProblem("CONSENT_POLICY_VERSION", "must be 1 to 32 of A-Z a-z 0-9 . _ -");
  }
  settings.catalog_refresh =
      reader.Milliseconds({.name = "CATALOG_REFRESH_MS",
                           .default_value = "5000",
                           .help = "how often to look for a new catalog version"},
                          10, 3'600'000);
  settings.page_cache.local_entries = static_cast<std::size_t>(
      reader.Integer({.name = "WEB_PAGE_CACHE_ENTRIES",
                      .default_value = "2000",
                      .help = "rendered pages kept in each event loop's memory (0: none)"},
                     0, 1'000'000));
  settings.page_cache.local_ttl = reader.Milliseconds({.name = "WEB_PAGE_CACHE_TTL_MS",
                                                       .default_value = "60000",
                                                       .help = "how long a page stays in memory"},
                                                      0, 86'400'000);
  settings.page_cache.shared_ttl =
      reader.Milliseconds({.name = "WEB_SHARED_CACHE_TTL_MS",
                           .default_value = "600000",
                           .help = "how long a page or quote stays in Redis"},
                          1'000, 86'400'000);
  settings.trusted_proxies = static_cast<std::size_t>(
      reader.Integer({.name = "WEB_TRUSTED_PROXIES",
                      .default_value = "0",
                      .help = "proxies in front of web whose X-Forwarded-For entries are trusted"},
                     0, 10));
  redis::ReadRateLimit(reader, "RATE_LIMIT_CONSENT_IP", settings.consent_limit);
  settings.sessions.idle =
      reader.Milliseconds({.name = "WEB_SESSION_IDLE_MS",
                           .default_value = "1800000",
                           .help = "a signed-in session ends after this long without a request"},
                          1'000, 86'400'000);
  settings.sessions.lifetime = reader.Milliseconds(
      {.name = "WEB_SESSION_LIFETIME_MS",
       .default_value = "43200000",
       .help = "a signed-in session ends this long after sign-in, whatever the activity"},
      1'000, 7 * 86'400'000LL);
  settings.payment_origin = OriginOf(
      ReadUrl(reader, {.name = "WEB_PAYMENT_ORIGIN",
                       .default_value = "https://checkout.stripe.com",
                       .help = "where the payment page is (Stripe Checkout; the local stand-in in "
                               "development): the one other origin an order may be sent on to"}));
  settings.billing_portal_origin = OriginOf(
      ReadUrl(reader, {.name = "WEB_BILLING_PORTAL_ORIGIN",
                       .default_value = "https://billing.stripe.com",
                       .help = "where Stripe's billing portal is (the local stand-in in "
                               "development): where the account's payment-method button leads"}));
  settings.seller = ReadSeller(reader);
  settings.statistics.script_url =
      ReadUrl(reader, {.name = "WEB_STATISTICS_SCRIPT_URL",
                       .help = "a statistics script, loaded only after consent (empty: none)"});
  settings.statistics.name = reader.String({.name = "WEB_STATISTICS_NAME",
                                            .default_value = "",
                                            .help = "the statistics service's name (cookie list)"});
  settings.statistics.provider =
      reader.String({.name = "WEB_STATISTICS_PROVIDER",
                     .default_value = "",
                     .help = "who operates the statistics service (cookie list)"});
  return settings;
}

}  // namespace codezero::web
