// /v1/webhook_endpoints: create, retrieve, update, list, delete
// (https://docs.stripe.com/api/webhook_endpoints). `api_version` is taken at creation only, as
// at Stripe: an endpoint's payloads keep the shape it was created for, and one without it gets
// the account's default version. The `secret` is shown in the answer to the creation only.
// Deliveries: webhooks.h.
#include <regex>

#include "stripe_fake/clock.h"
#include "stripe_fake/ids.h"
#include "stripe_fake/listing.h"
#include "stripe_fake/params.h"
#include "stripe_fake/routes/routes.h"

namespace codezero::stripe_fake {
namespace {

namespace json = boost::json;

bool IsHttpUrl(const std::string& url) {
  return url.starts_with("https://") || url.starts_with("http://");
}

Outcome<json::array> EnabledEvents(const json::object& params) {
  const std::vector<std::string> names = StrList(params, "enabled_events");
  if (names.empty()) return tl::unexpected(ParameterMissing("enabled_events"));
  json::array events;
  for (const std::string& name : names) {
    static const std::regex kEventName(R"(\*|[a-z_]+(\.[a-z_]+)+)");
    if (!std::regex_match(name, kEventName)) {
      return tl::unexpected(InvalidParam("enabled_events", "Invalid event type: " + name + "."));
    }
    events.emplace_back(name);
  }
  return events;
}

json::object Deleted(const std::string& id) {
  json::object deleted;
  deleted["id"] = id;
  deleted["object"] = "webhook_endpoint";
  deleted["deleted"] = true;
  return deleted;
}

ApiResult CreateWebhookEndpoint(Core& core, ApiCall& call) {
  static const std::vector<ParamSpec> specs{{"url"},
                                            {"enabled_events", ParamKind::kStringList},
                                            {"api_version"},
                                            {"description"},
                                            {"connect", ParamKind::kBoolean},
                                            {"metadata", ParamKind::kMetadata}};
  STRIPE_FAKE_CHECK(Validate(call.params, specs));
  const std::string url = Str(call.params, "url").value_or("");
  if (url.empty()) return tl::unexpected(ParameterMissing("url"));
  if (!IsHttpUrl(url)) return tl::unexpected(InvalidParam("url", "Invalid URL: " + url + "."));
  STRIPE_FAKE_TRY(json::array events, EnabledEvents(call.params));
  const std::string version = Str(call.params, "api_version").value_or("");
  static const std::regex kVersion(R"(\d{4}-\d{2}-\d{2}(\.[a-z]+)?)");
  if (!version.empty() && !std::regex_match(version, kVersion)) {
    return tl::unexpected(InvalidParam("api_version", "Invalid API version: " + version + "."));
  }
  json::object endpoint;
  const std::string id = NewId("we_");
  endpoint["id"] = id;
  endpoint["object"] = "webhook_endpoint";
  endpoint["api_version"] = OrNull(version);
  endpoint["application"] = nullptr;
  endpoint["created"] = WallSeconds();
  endpoint["description"] = OrNull(Str(call.params, "description").value_or(""));
  endpoint["enabled_events"] = std::move(events);
  endpoint["livemode"] = false;
  json::object metadata;
  ApplyMetadata(metadata, At(call.params, "metadata"));
  endpoint["metadata"] = std::move(metadata);
  endpoint["status"] = "enabled";
  endpoint["url"] = url;
  json::object answer = core.store.Insert("webhook_endpoint", std::move(endpoint));
  answer["secret"] = core.webhook_secret;  // once, in this answer
  return answer;
}

ApiResult UpdateWebhookEndpoint(Core& core, ApiCall& call) {
  static const std::vector<ParamSpec> specs{{"url"},
                                            {"enabled_events", ParamKind::kStringList},
                                            {"description"},
                                            {"disabled", ParamKind::kBoolean},
                                            {"metadata", ParamKind::kMetadata}};
  STRIPE_FAKE_CHECK(Validate(call.params, specs));
  json::object* endpoint = core.store.Find(call.Param("id"), "webhook_endpoint");
  if (endpoint == nullptr) return tl::unexpected(NoSuch("webhook_endpoint", call.Param("id")));
  if (const std::optional<std::string> url = Str(call.params, "url")) {
    if (!IsHttpUrl(*url)) return tl::unexpected(InvalidParam("url", "Invalid URL: " + *url + "."));
    (*endpoint)["url"] = *url;
  }
  if (call.params.contains("enabled_events")) {
    STRIPE_FAKE_TRY(json::array events, EnabledEvents(call.params));
    (*endpoint)["enabled_events"] = std::move(events);
  }
  if (const std::optional<std::string> description = Str(call.params, "description")) {
    (*endpoint)["description"] = OrNull(*description);
  }
  if (const std::optional<bool> disabled = Bool(call.params, "disabled")) {
    (*endpoint)["status"] = *disabled ? "disabled" : "enabled";
  }
  ApplyMetadata(endpoint->at("metadata").as_object(), At(call.params, "metadata"));
  core.store.MarkDirty();
  return *endpoint;
}

}  // namespace

void AddWebhookEndpointRoutes(Api& api, Core& core) {
  api.Post("/v1/webhook_endpoints",
           [&core](ApiCall& call) { return CreateWebhookEndpoint(core, call); });
  api.Get("/v1/webhook_endpoints/{id}", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> none;
    STRIPE_FAKE_CHECK(Validate(call.params, none));
    const json::object* endpoint = core.store.Find(call.Param("id"), "webhook_endpoint");
    if (endpoint == nullptr) return tl::unexpected(NoSuch("webhook_endpoint", call.Param("id")));
    return *endpoint;
  });
  api.Post("/v1/webhook_endpoints/{id}",
           [&core](ApiCall& call) { return UpdateWebhookEndpoint(core, call); });
  api.Get("/v1/webhook_endpoints", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs = ListParams({});
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    return ListOf(core, "webhook_endpoint", call.params, "/v1/webhook_endpoints",
                  [](const json::object&) { return true; });
  });
  api.Delete("/v1/webhook_endpoints/{id}", [&core](ApiCall& call) -> ApiResult {
    const std::string id = call.Param("id");
    if (core.store.Find(id, "webhook_endpoint") == nullptr) {
      return tl::unexpected(NoSuch("webhook_endpoint", id));
    }
    core.store.Remove(id);
    core.store.MarkDirty();
    return Deleted(id);
  });
}

}  // namespace codezero::stripe_fake
