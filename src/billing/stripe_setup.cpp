#include "billing/stripe_setup.h"

#include <algorithm>

#include "billing/stripe_objects.h"
#include "billing/stripe_records.h"
#include "stripe/objects.h"

namespace codezero::billing {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

std::vector<std::string> StringsOf(const json::object& object, std::string_view name) {
  std::vector<std::string> values;
  const auto* list = object.if_contains(name);
  if (list == nullptr || !list->is_array()) return values;
  for (const json::value& value : list->as_array()) {
    if (value.is_string()) values.emplace_back(value.as_string());
  }
  return values;
}

// Every object of a list endpoint: an account holds few of these, 1,000 at the most here.
asio::awaitable<Result<std::vector<json::object>>> ListEvery(stripe::Client& stripe,
                                                             std::string path) {
  stripe::FormFields no_filters;
  auto listed = co_await ListAll(stripe, std::move(path), std::move(no_filters), 10);
  if (!listed) co_return tl::unexpected(listed.error());
  co_return std::move(listed->objects);
}

stripe::FormFields EndpointFields(const std::string& url) {
  stripe::FormFields fields{{"url", url},
                            {"api_version", std::string(stripe::kApiVersion)},
                            {"description", "Code Zero platform (codezero stripe setup)"}};
  for (const std::string_view event : kWebhookEvents) {
    fields.emplace_back("enabled_events[]", std::string(event));
  }
  return fields;
}

asio::awaitable<Result<void>> SetUpWebhookEndpoint(stripe::Client& stripe,
                                                   const StripeSetupRequest& request,
                                                   StripeSetupReport& report) {
  auto endpoints = co_await ListEvery(stripe, "/v1/webhook_endpoints");
  if (!endpoints) co_return tl::unexpected(endpoints.error());
  const json::object* found = nullptr;
  for (const json::object& endpoint : *endpoints) {
    if (stripe::StringOf(endpoint, "url") != request.webhook_url) continue;
    // Prefer one on the pinned version (a replacement already made).
    if (found == nullptr || stripe::StringOf(endpoint, "api_version") == stripe::kApiVersion) {
      found = &endpoint;
    }
  }
  const bool create =
      found == nullptr ||
      (stripe::StringOf(*found, "api_version") != stripe::kApiVersion && request.replace_endpoint);
  if (found != nullptr && !create &&
      stripe::StringOf(*found, "api_version") != stripe::kApiVersion) {
    const std::string version = stripe::StringOf(*found, "api_version");
    report.complete = false;
    report.lines.push_back(
        "webhook endpoint " + stripe::StringOf(*found, "id") + " renders events in API version " +
        (version.empty() ? "the account's default" : version) + ", not " +
        std::string(stripe::kApiVersion) +
        "; Stripe cannot change an endpoint's version: run again with --replace-endpoint");
    co_return Result<void>();
  }
  if (create) {
    const std::string operation = "setup:webhook_endpoint";
    auto created = co_await stripe.Post("/v1/webhook_endpoints",
                                        EndpointFields(request.webhook_url), operation);
    if (!created) co_return tl::unexpected(stripe::ToError(created.error()));
    report.new_webhook_secret = stripe::StringOf(*created, "secret");
    report.lines.push_back("webhook endpoint " + stripe::StringOf(*created, "id") +
                           " created for " + request.webhook_url + " (API version " +
                           std::string(stripe::kApiVersion) + ")");
    if (found != nullptr) {
      report.lines.push_back("delete the old endpoint " + stripe::StringOf(*found, "id") +
                             " once STRIPE_WEBHOOK_SECRETS holds the new secret");
    }
    co_return Result<void>();
  }
  const std::vector<std::string> enabled = StringsOf(*found, "enabled_events");
  const bool all = std::find(enabled.begin(), enabled.end(), "*") != enabled.end();
  stripe::FormFields missing;
  for (const std::string_view event : kWebhookEvents) {
    if (!all && std::find(enabled.begin(), enabled.end(), event) == enabled.end()) {
      missing.emplace_back("enabled_events[]", std::string(event));
    }
  }
  const std::string id = stripe::StringOf(*found, "id");
  if (missing.empty()) {
    report.lines.push_back("webhook endpoint " + id + " is set up");
    co_return Result<void>();
  }
  stripe::FormFields update;
  for (const std::string& event : enabled) update.emplace_back("enabled_events[]", event);
  const std::size_t added = missing.size();
  for (auto& field : missing) update.push_back(std::move(field));
  auto updated =
      co_await stripe.Post("/v1/webhook_endpoints/" + id, std::move(update), "setup:" + id);
  if (!updated) co_return tl::unexpected(stripe::ToError(updated.error()));
  report.lines.push_back("webhook endpoint " + id + ": " + std::to_string(added) +
                         " event types added");
  co_return Result<void>();
}

asio::awaitable<Result<void>> SetUpSellerTaxId(stripe::Client& stripe,
                                               const stripe::CustomerRequest::TaxId& tax_id,
                                               StripeSetupReport& report) {
  auto existing = co_await ListEvery(stripe, "/v1/tax_ids");
  if (!existing) co_return tl::unexpected(existing.error());
  for (const json::object& known : *existing) {
    if (stripe::StringOf(known, "type") == tax_id.type &&
        stripe::StringOf(known, "value") == tax_id.value) {
      report.lines.push_back("seller tax ID " + tax_id.value + " is set up (" +
                             stripe::StringOf(known, "id") + ")");
      co_return Result<void>();
    }
  }
  stripe::FormFields fields{{"type", tax_id.type}, {"value", tax_id.value}};
  auto created = co_await stripe.Post("/v1/tax_ids", std::move(fields), "setup:seller_tax_id");
  if (!created) co_return tl::unexpected(stripe::ToError(created.error()));
  report.lines.push_back("seller tax ID " + tax_id.value + " created (" +
                         stripe::StringOf(*created, "id") + ")");
  co_return Result<void>();
}

asio::awaitable<Result<void>> SetUpProducts(stripe::Client& stripe, const domain::Catalog& catalog,
                                            StripeSetupReport& report) {
  std::vector<std::string> codes;
  for (const domain::Plan& plan : catalog.plans) codes.push_back(plan.code);
  for (const domain::Addon& addon : catalog.addons) codes.push_back(addon.code);
  int created_count = 0;
  for (const std::string& code : codes) {
    // Looked up first: a creation repeated within Stripe's day of idempotency keys replays the
    // first answer, which would count a product found as one created.
    auto known = co_await stripe.Get("/v1/products/" + stripe::ProductIdOf(code));
    if (known) continue;
    if (known.error().status != 404) co_return tl::unexpected(stripe::ToError(known.error()));
    const std::string name = StripeProductName(catalog, code);
    auto created = co_await CreateProduct(stripe, code, name);
    if (!created) co_return tl::unexpected(created.error());
    if (*created) ++created_count;
  }
  report.lines.push_back(std::to_string(codes.size()) + " products checked, " +
                         std::to_string(created_count) + " created");
  co_return Result<void>();
}

stripe::FormFields PortalFields(const std::string& web_url) {
  return {{"business_profile[privacy_policy_url]", web_url + "/de/datenschutz"},
          {"business_profile[terms_of_service_url]", web_url + "/de/agb"},
          {"default_return_url", web_url + "/de/account"},
          {"features[invoice_history][enabled]", "true"},
          {"features[payment_method_update][enabled]", "true"},
          {"features[customer_update][enabled]", "false"},
          {"features[subscription_cancel][enabled]", "false"},
          {"features[subscription_update][enabled]", "false"},
          {"metadata[codezero]", "platform"}};
}

bool FeatureOn(const json::object& configuration, std::string_view feature) {
  const auto* features = configuration.if_contains("features");
  if (features == nullptr || !features->is_object()) return false;
  const auto* entry = features->as_object().if_contains(feature);
  return entry != nullptr && entry->is_object() && stripe::BoolOf(entry->as_object(), "enabled");
}

// Whether a configuration is the one PortalFields describes.
bool PortalSetUp(const json::object& configuration, const std::string& web_url) {
  const auto* profile = configuration.if_contains("business_profile");
  if (profile == nullptr || !profile->is_object()) return false;
  return stripe::StringOf(profile->as_object(), "privacy_policy_url") ==
             web_url + "/de/datenschutz" &&
         stripe::StringOf(profile->as_object(), "terms_of_service_url") == web_url + "/de/agb" &&
         stripe::StringOf(configuration, "default_return_url") == web_url + "/de/account" &&
         FeatureOn(configuration, "invoice_history") &&
         FeatureOn(configuration, "payment_method_update") &&
         !FeatureOn(configuration, "customer_update") &&
         !FeatureOn(configuration, "subscription_cancel") &&
         !FeatureOn(configuration, "subscription_update");
}

asio::awaitable<Result<void>> SetUpPortal(stripe::Client& stripe, const std::string& web_url,
                                          StripeSetupReport& report) {
  auto configurations = co_await ListEvery(stripe, "/v1/billing_portal/configurations");
  if (!configurations) co_return tl::unexpected(configurations.error());
  for (const json::object& configuration : *configurations) {
    if (stripe::MetadataOf(configuration, "codezero") != "platform" ||
        !stripe::BoolOf(configuration, "active")) {
      continue;
    }
    const std::string id = stripe::StringOf(configuration, "id");
    if (PortalSetUp(configuration, web_url)) {
      report.lines.push_back("portal configuration " + id + " is set up");
      co_return Result<void>();
    }
    auto updated = co_await stripe.Post("/v1/billing_portal/configurations/" + id,
                                        PortalFields(web_url), "setup:" + id);
    if (!updated) co_return tl::unexpected(stripe::ToError(updated.error()));
    report.lines.push_back("portal configuration " + id + " updated");
    co_return Result<void>();
  }
  auto created = co_await stripe.Post("/v1/billing_portal/configurations", PortalFields(web_url),
                                      "setup:portal_configuration");
  if (!created) co_return tl::unexpected(stripe::ToError(created.error()));
  report.lines.push_back("portal configuration " + stripe::StringOf(*created, "id") + " created");
  co_return Result<void>();
}

}  // namespace

std::string StripeProductName(const domain::Catalog& catalog, std::string_view code) {
  std::string name(code);
  if (const domain::Plan* plan = catalog.FindPlan(name)) return plan->name.In(domain::Locale::kEn);
  if (const domain::Addon* addon = catalog.FindAddon(name)) {
    return addon->name.In(domain::Locale::kEn);
  }
  return name;
}

asio::awaitable<Result<StripeSetupReport>> SetUpStripe(stripe::Client& stripe,
                                                       StripeSetupRequest request) {
  StripeSetupReport report;
  auto endpoint = co_await SetUpWebhookEndpoint(stripe, request, report);
  if (!endpoint) co_return tl::unexpected(endpoint.error());
  if (request.seller_tax_id) {
    auto seller = co_await SetUpSellerTaxId(stripe, *request.seller_tax_id, report);
    if (!seller) co_return tl::unexpected(seller.error());
  }
  if (request.catalog) {
    auto products = co_await SetUpProducts(stripe, *request.catalog, report);
    if (!products) co_return tl::unexpected(products.error());
  }
  if (!request.web_url.empty()) {
    auto portal = co_await SetUpPortal(stripe, request.web_url, report);
    if (!portal) co_return tl::unexpected(portal.error());
  }
  co_return report;
}

}  // namespace codezero::billing
