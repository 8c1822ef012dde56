// /v1/billing_portal/configurations (create, retrieve, update, list) and
// /v1/billing_portal/sessions (create). A session runs with the configuration it names, or
// with the account's default (every feature on) when it names none; the page it points to,
// pages/portal_page.cpp, offers only the features its configuration enables.
#include "stripe_fake/clock.h"
#include "stripe_fake/ids.h"
#include "stripe_fake/listing.h"
#include "stripe_fake/params.h"
#include "stripe_fake/portal.h"
#include "stripe_fake/routes/routes.h"

namespace codezero::stripe_fake {
namespace {

namespace json = boost::json;

const std::vector<ParamSpec>& ConfigurationSpecs(bool update) {
  static const std::vector<ParamSpec> create{
      {"business_profile.headline"},
      {"business_profile.privacy_policy_url"},
      {"business_profile.terms_of_service_url"},
      {"default_return_url"},
      {"features.customer_update.enabled", ParamKind::kBoolean},
      {"features.customer_update.allowed_updates", ParamKind::kStringList},
      {"features.invoice_history.enabled", ParamKind::kBoolean},
      {"features.payment_method_update.enabled", ParamKind::kBoolean},
      {"features.subscription_cancel.enabled", ParamKind::kBoolean},
      {"features.subscription_cancel.mode", ParamKind::kEnum, "at_period_end|immediately"},
      {"features.subscription_update.enabled", ParamKind::kBoolean},
      {"metadata", ParamKind::kMetadata}};
  static const std::vector<ParamSpec> with_active = [] {
    std::vector<ParamSpec> specs = create;
    specs.push_back({"active", ParamKind::kBoolean});
    return specs;
  }();
  return update ? with_active : create;
}

bool FlagOf(const json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  return value != nullptr && value->is_bool() && value->as_bool();
}

// Applies the given parameters to `configuration` (features and profile merged).
void Apply(json::object& configuration, const json::object& params) {
  json::object& profile = configuration["business_profile"].as_object();
  for (const char* field : {"headline", "privacy_policy_url", "terms_of_service_url"}) {
    if (const auto text = Str(params, std::string("business_profile.") + field)) {
      profile[field] = OrNull(*text);
    }
  }
  if (const auto url = Str(params, "default_return_url")) {
    configuration["default_return_url"] = OrNull(*url);
  }
  json::object& features = configuration["features"].as_object();
  for (const char* feature : {"customer_update", "invoice_history", "payment_method_update",
                              "subscription_cancel", "subscription_update"}) {
    if (const auto enabled = Bool(params, std::string("features.") + feature + ".enabled")) {
      features[feature].as_object()["enabled"] = *enabled;
    }
  }
  if (params.contains("features") && At(params, "features.customer_update.allowed_updates")) {
    json::array allowed;
    for (const std::string& field : StrList(params, "features.customer_update.allowed_updates")) {
      allowed.emplace_back(field);
    }
    features["customer_update"].as_object()["allowed_updates"] = std::move(allowed);
  }
  if (const auto mode = Str(params, "features.subscription_cancel.mode")) {
    features["subscription_cancel"].as_object()["mode"] = *mode;
  }
  if (const auto active = Bool(params, "active")) configuration["active"] = *active;
  if (!configuration.contains("metadata")) configuration["metadata"] = json::object();
  ApplyMetadata(configuration["metadata"].as_object(), At(params, "metadata"));
  configuration["updated"] = WallSeconds();
}

}  // namespace

void AddBillingPortalRoutes(Api& api, Core& core) {
  api.Post("/v1/billing_portal/configurations", [&core](ApiCall& call) -> ApiResult {
    STRIPE_FAKE_CHECK(Validate(call.params, ConfigurationSpecs(false)));
    json::object configuration = NewPortalConfiguration(NewId("bpc_"), false);
    Apply(configuration, call.params);
    return core.store.Insert("billing_portal.configuration", std::move(configuration));
  });
  api.Get("/v1/billing_portal/configurations/{id}", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> none;
    STRIPE_FAKE_CHECK(Validate(call.params, none));
    const json::object* found = core.store.Find(call.Param("id"), "billing_portal.configuration");
    if (found == nullptr) {
      return tl::unexpected(NoSuch("billing_portal.configuration", call.Param("id")));
    }
    return *found;
  });
  api.Post("/v1/billing_portal/configurations/{id}", [&core](ApiCall& call) -> ApiResult {
    STRIPE_FAKE_CHECK(Validate(call.params, ConfigurationSpecs(true)));
    json::object* found = core.store.Find(call.Param("id"), "billing_portal.configuration");
    if (found == nullptr) {
      return tl::unexpected(NoSuch("billing_portal.configuration", call.Param("id")));
    }
    Apply(*found, call.params);
    core.store.MarkDirty();
    return *found;
  });
  api.Get("/v1/billing_portal/configurations", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs =
        ListParams({{"active", ParamKind::kBoolean}, {"is_default", ParamKind::kBoolean}});
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    const std::optional<bool> active = Bool(call.params, "active");
    const std::optional<bool> is_default = Bool(call.params, "is_default");
    return ListOf(core, "billing_portal.configuration", call.params,
                  "/v1/billing_portal/configurations", [&](const json::object& configuration) {
                    return (!active || FlagOf(configuration, "active") == *active) &&
                           (!is_default || FlagOf(configuration, "is_default") == *is_default);
                  });
  });

  api.Post("/v1/billing_portal/sessions", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs{
        {"customer"}, {"return_url"}, {"locale"}, {"configuration"}};
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    const std::optional<std::string> customer = Str(call.params, "customer");
    if (!customer) return tl::unexpected(ParameterMissing("customer"));
    if (core.store.Find(*customer, "customer") == nullptr) {
      return tl::unexpected(NoSuch("customer", *customer, "customer"));
    }
    std::string configuration = Str(call.params, "configuration").value_or("");
    if (configuration.empty()) {
      configuration = DefaultPortalConfiguration(core);
    } else if (core.store.Find(configuration, "billing_portal.configuration") == nullptr) {
      return tl::unexpected(NoSuch("billing_portal.configuration", configuration, "configuration"));
    }
    const json::object& used = *core.store.Find(configuration, "billing_portal.configuration");
    json::object session;
    const std::string id = NewId("bps_");
    session["id"] = id;
    session["object"] = "billing_portal.session";
    session["configuration"] = configuration;
    session["created"] = WallSeconds();
    session["customer"] = *customer;
    session["flow"] = nullptr;
    session["livemode"] = false;
    session["locale"] = OrNull(Str(call.params, "locale").value_or(""));
    session["on_behalf_of"] = nullptr;
    std::string return_url = Str(call.params, "return_url").value_or("");
    if (return_url.empty()) return_url = Text(used, "default_return_url");
    session["return_url"] = OrNull(return_url);
    session["url"] = core.public_url + "/p/session/" + id;
    return core.store.Insert("billing_portal.session", std::move(session));
  });
}

}  // namespace codezero::stripe_fake
