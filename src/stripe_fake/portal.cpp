#include "stripe_fake/portal.h"

#include "stripe_fake/clock.h"

namespace codezero::stripe_fake {
namespace {

namespace json = boost::json;

json::object Feature(bool enabled) {
  json::object feature;
  feature["enabled"] = enabled;
  return feature;
}

bool Enabled(const json::object& configuration, const char* feature) {
  const auto* features = configuration.if_contains("features");
  if (features == nullptr || !features->is_object()) return true;
  const auto* entry = features->as_object().if_contains(feature);
  if (entry == nullptr || !entry->is_object()) return true;
  const auto* enabled = entry->as_object().if_contains("enabled");
  return enabled == nullptr || !enabled->is_bool() || enabled->as_bool();
}

}  // namespace

json::object NewPortalConfiguration(const std::string& id, bool is_default) {
  json::object configuration;
  configuration["id"] = id;
  configuration["object"] = "billing_portal.configuration";
  configuration["active"] = true;
  configuration["application"] = nullptr;
  json::object profile;
  profile["headline"] = nullptr;
  profile["privacy_policy_url"] = nullptr;
  profile["terms_of_service_url"] = nullptr;
  configuration["business_profile"] = std::move(profile);
  configuration["created"] = WallSeconds();
  configuration["default_return_url"] = nullptr;
  json::object features;
  json::object customer_update = Feature(true);
  customer_update["allowed_updates"] = json::array{"email", "address", "tax_id"};
  features["customer_update"] = std::move(customer_update);
  features["invoice_history"] = Feature(true);
  features["payment_method_update"] = Feature(true);
  json::object cancel = Feature(true);
  cancel["mode"] = "at_period_end";
  features["subscription_cancel"] = std::move(cancel);
  features["subscription_update"] = Feature(true);
  configuration["features"] = std::move(features);
  configuration["is_default"] = is_default;
  configuration["livemode"] = false;
  configuration["metadata"] = json::object();
  configuration["updated"] = WallSeconds();
  return configuration;
}

std::string DefaultPortalConfiguration(Core& core) {
  for (const std::string& id : core.store.Ids("billing_portal.configuration")) {
    const json::object* found = core.store.Find(id, "billing_portal.configuration");
    const auto* is_default = found != nullptr ? found->if_contains("is_default") : nullptr;
    if (is_default != nullptr && is_default->is_bool() && is_default->as_bool()) return id;
  }
  std::string id = "bpc_default";
  core.store.Insert("billing_portal.configuration", NewPortalConfiguration(id, true));
  return id;
}

PortalFeatures FeaturesOfSession(Core& core, const json::object& session) {
  PortalFeatures features;
  const json::object* configuration =
      core.store.Find(Text(session, "configuration"), "billing_portal.configuration");
  if (configuration == nullptr) return features;  // a session made before configurations
  features.invoice_history = Enabled(*configuration, "invoice_history");
  features.payment_method_update = Enabled(*configuration, "payment_method_update");
  features.subscription_cancel = Enabled(*configuration, "subscription_cancel");
  features.subscription_update = Enabled(*configuration, "subscription_update");
  return features;
}

}  // namespace codezero::stripe_fake
