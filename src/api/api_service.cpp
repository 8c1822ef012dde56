#include "api/api_service.h"

#include "api/routes/accounts.h"
#include "api/routes/admin.h"
#include "api/routes/admin_subscriptions.h"
#include "api/routes/billing_portal.h"
#include "api/routes/cancellation_requests.h"
#include "api/routes/catalog.h"
#include "api/routes/checkout.h"
#include "api/routes/company.h"
#include "api/routes/consents.h"
#include "api/routes/health.h"
#include "api/routes/invitations.h"
#include "api/routes/invoices.h"
#include "api/routes/me.h"
#include "api/routes/oauth.h"
#include "api/routes/openapi.h"
#include "api/routes/orders.h"
#include "api/routes/quotes.h"
#include "api/routes/referrals.h"
#include "api/routes/stripe_webhooks.h"
#include "api/routes/subscriptions.h"
#include "common/event_loops.h"
#include "db/pool_options.h"
#include "http/security_headers.h"
#include "redis/client_options.h"

namespace codezero::api {
namespace {

constexpr std::size_t kMinimumKeyBytes = 32;

void ReadQuoteSettings(SettingsReader& reader, ApiSettings& settings) {
  const std::string key =
      reader.String({.name = "QUOTE_SIGNING_SECRET",
                     .help = "HMAC key that signs quote tokens (at least 32 bytes of randomness)",
                     .secret = true,
                     .required = true});
  if (!key.empty() && key.size() < kMinimumKeyBytes) {
    reader.AddProblem("QUOTE_SIGNING_SECRET", "must be at least 32 characters long");
  }
  settings.quote_signing_keys.push_back(key);
  const std::string previous =
      reader.String({.name = "QUOTE_SIGNING_SECRET_PREVIOUS",
                     .help = "the key before a rotation: tokens it signed are still accepted",
                     .secret = true});
  if (!previous.empty()) settings.quote_signing_keys.push_back(previous);
  settings.catalog_refresh =
      reader.Milliseconds({.name = "CATALOG_REFRESH_MS",
                           .default_value = "5000",
                           .help = "how often to look for a new catalog version"},
                          10, 3'600'000);
  settings.vies = ReadViesOptions(reader);
  settings.vies_required = reader.Boolean(
      {.name = "VIES_REQUIRED",
       .default_value = "true",
       .help = "reverse charge only for VAT IDs VIES confirmed (false: format and check "
               "digits suffice; for development without VIES)"});
}

void ReadAccountSettings(SettingsReader& reader, ApiSettings& settings) {
  settings.password_policy = auth::ReadPasswordPolicy(reader);
  const std::int64_t threads =
      reader.Integer({.name = "PASSWORD_HASH_THREADS",
                      .default_value = "0",
                      .help = "threads for argon2id hashing (0: one per core)"},
                     0, 256);
  settings.password_threads =
      threads == 0 ? EventLoops::DefaultCount() : static_cast<std::size_t>(threads);
  settings.password_queue = static_cast<std::size_t>(reader.Integer(
      {.name = "PASSWORD_HASH_QUEUE",
       .default_value = std::to_string(auth::kDefaultHashQueue),
       .help = "argon2id hashes that may wait for a thread; beyond, requests get 503"},
      0, 100'000));
  settings.public_web_url =
      reader.String({.name = "PUBLIC_WEB_URL",
                     .default_value = "http://127.0.0.1:8080",
                     .help = "the web frontend's public address, for links in e-mails"});
  if (!settings.public_web_url.starts_with("http://") &&
      !settings.public_web_url.starts_with("https://")) {
    reader.AddProblem("PUBLIC_WEB_URL", "must start with http:// or https://");
  }
  while (settings.public_web_url.ends_with('/')) settings.public_web_url.pop_back();
  settings.trusted_proxies = static_cast<std::size_t>(reader.Integer(
      {.name = "API_TRUSTED_PROXIES",
       .default_value = "0",
       .help = "proxies in front of the API whose X-Forwarded-For entries are trusted"},
      0, 10));
  settings.rate_limits = ReadRateLimits(reader);
  settings.token_options.family_lifetime = std::chrono::hours(
      24 * reader.Integer({.name = "REFRESH_FAMILY_MAX_DAYS",
                           .default_value = "90",
                           .help = "days after a sign-in when its refresh tokens stop working"},
                          1, 3650));
}

void ReadStripeSettings(SettingsReader& reader, ApiSettings& settings) {
  settings.stripe = stripe::ReadClientOptions(reader);
  const std::string secrets = reader.String(
      {.name = "STRIPE_WEBHOOK_SECRETS",
       .help = "webhook signing secrets (whsec_…), comma-separated; several during a rotation",
       .secret = true});
  std::string_view rest = secrets;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view secret = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    while (!secret.empty() && secret.front() == ' ') secret.remove_prefix(1);
    while (!secret.empty() && secret.back() == ' ') secret.remove_suffix(1);
    if (!secret.empty()) settings.stripe_webhook_secrets.emplace_back(secret);
  }
  if (!settings.stripe.secret_key.empty() && settings.stripe_webhook_secrets.empty()) {
    reader.AddProblem("STRIPE_WEBHOOK_SECRETS",
                      "is required with STRIPE_SECRET_KEY (or payments are never confirmed)");
  }
  settings.order_check_interval =
      reader.Milliseconds({.name = "ORDER_STRIPE_CHECK_INTERVAL_MS",
                           .default_value = "3000",
                           .help = "how often reading an unpaid order may ask Stripe about it"},
                          100, 3'600'000);
}

}  // namespace

ApiSettings ReadApiSettings(SettingsReader& reader) {
  ApiSettings settings;
  settings.server = http::ReadServerOptions(reader, "API", 8081);
  settings.metrics_server = http::ReadMetricsServerOptions(reader, "API", 9181);
  settings.database = db::ReadPoolOptions(reader, "codezero-api", settings.server.threads);
  settings.cache = redis::ReadClientOptions(reader);
  ReadQuoteSettings(reader, settings);
  ReadAccountSettings(reader, settings);
  ReadStripeSettings(reader, settings);
  return settings;
}

ApiLoop::ApiLoop(boost::asio::any_io_executor executor, const ApiSettings& settings,
                 std::size_t loops, ApiShared shared)
    : database_(executor, db::ShareOfPool(settings.database, loops)),
      cache_(executor, settings.cache),
      catalogs_(executor, database_, settings.catalog_refresh),
      discounts_(executor, database_, db::DirectConnectOptions(settings.database.connect)),
      tokens_(database_, cache_, settings.token_options),
      limiter_(cache_),
      idempotency_(cache_),
      stripe_objects_(database_, shared.stripe) {
  if (settings.vies) vies_ = std::make_unique<ViesClient>(executor, *settings.vies, cache_);
  auto router = std::make_shared<http::Router>();
  AddHealthRoutes(*router, {.database = database_, .cache = cache_});
  RouteTable routes(
      *router,
      {.tokens = tokens_, .limiter = limiter_, .trusted_proxies = settings.trusted_proxies});
  AddOpenApiRoute(routes);
  AddCatalogRoutes(routes, catalogs_);
  AddQuoteRoutes(routes, {.database = database_,
                          .catalogs = catalogs_,
                          .signing_keys = settings.quote_signing_keys,
                          .vies = vies_.get(),
                          .vies_required = settings.vies_required,
                          .discounts = &discounts_,
                          .limiter = &limiter_,
                          .unknown_codes = settings.rate_limits.unknown_codes_per_address,
                          .trusted_proxies = settings.trusted_proxies});
  const AccountDependencies accounts{.database = database_,
                                     .cache = cache_,
                                     .tokens = tokens_,
                                     .hasher = shared.hasher,
                                     .limiter = limiter_,
                                     .public_web_url = settings.public_web_url,
                                     .trusted_proxies = settings.trusted_proxies,
                                     .limits = settings.rate_limits};
  AddAccountRoutes(routes, accounts);
  AddOAuthRoutes(routes, accounts);
  AddMeRoutes(routes, accounts);
  AddCompanyRoutes(routes, accounts);
  AddInvitationRoutes(routes, accounts);
  AddAdminRoutes(routes, accounts);
  AddCheckoutRoutes(routes, {.database = database_,
                             .catalogs = catalogs_,
                             .tokens = tokens_,
                             .idempotency = idempotency_,
                             .stripe_objects = stripe_objects_,
                             .stripe = shared.stripe,
                             .signing_keys = settings.quote_signing_keys,
                             .public_web_url = settings.public_web_url});
  AddOrderRoutes(routes, {.database = database_,
                          .tokens = tokens_,
                          .stripe = shared.stripe,
                          .cache = cache_,
                          .confirm_interval = settings.order_check_interval});
  AddInvoiceRoutes(routes, {.database = database_, .tokens = tokens_});
  AddSubscriptionRoutes(routes, {.database = database_,
                                 .tokens = tokens_,
                                 .idempotency = idempotency_,
                                 .stripe = shared.stripe});
  AddAdminSubscriptionRoutes(routes,
                             {.database = database_, .tokens = tokens_, .stripe = shared.stripe});
  AddReferralRoutes(routes, {.database = database_,
                             .tokens = tokens_,
                             .catalogs = catalogs_,
                             .public_web_url = settings.public_web_url});
  AddCancellationRequestRoutes(routes, {.database = database_,
                                        .public_web_url = settings.public_web_url,
                                        .limits = settings.rate_limits});
  AddBillingPortalRoutes(routes, {.database = database_,
                                  .tokens = tokens_,
                                  .stripe = shared.stripe,
                                  .public_web_url = settings.public_web_url});
  AddConsentRoutes(routes,
                   {.database = database_, .limit = settings.rate_limits.consent_per_address});
  AddStripeWebhookRoutes(routes,
                         {.database = database_, .secrets = settings.stripe_webhook_secrets});
  declared_routes_ = routes.routes();
  router_ = router;
  pipeline_ = std::make_shared<http::Pipeline>(router, http::SecurityHeaders::ForApi());
  catalogs_.StartRefreshing();
  discounts_.Start();
}

void ApiLoop::Close() {
  catalogs_.Close();
  discounts_.Close();
  database_.Close();
  cache_.Close();
}

}  // namespace codezero::api
