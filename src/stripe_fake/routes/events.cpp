// /v1/events: list (type with a trailing `*` wildcard, types[], created[...]) and retrieve.
#include "stripe_fake/listing.h"
#include "stripe_fake/params.h"
#include "stripe_fake/routes/routes.h"

namespace codezero::stripe_fake {
namespace {

namespace json = boost::json;

bool TypeMatches(std::string_view type, std::string_view pattern) {
  if (pattern.ends_with("*")) return type.starts_with(pattern.substr(0, pattern.size() - 1));
  return type == pattern;
}

}  // namespace

void AddEventRoutes(Api& api, Core& core) {
  api.Get("/v1/events", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> specs = ListParams(
        {{"type"}, {"types", ParamKind::kStringList}, {"delivery_success", ParamKind::kBoolean}});
    STRIPE_FAKE_CHECK(Validate(call.params, specs));
    const std::optional<std::string> type = Str(call.params, "type");
    const std::vector<std::string> types = StrList(call.params, "types");
    if (type && !types.empty()) {
      return tl::unexpected(
          InvalidParam("types", "You cannot specify both `type` and `types` parameters."));
    }
    return ListOf(core, "event", call.params, "/v1/events", [&](const json::object& event) {
      const std::string event_type = Text(event, "type");
      if (type && !TypeMatches(event_type, *type)) return false;
      if (types.empty()) return true;
      for (const std::string& wanted : types) {
        if (TypeMatches(event_type, wanted)) return true;
      }
      return false;
    });
  });
  api.Get("/v1/events/{id}", [&core](ApiCall& call) -> ApiResult {
    static const std::vector<ParamSpec> none;
    STRIPE_FAKE_CHECK(Validate(call.params, none));
    const json::object* event = core.store.Find(call.Param("id"), "event");
    if (event == nullptr) return tl::unexpected(NoSuch("event", call.Param("id")));
    return *event;
  });
}

}  // namespace codezero::stripe_fake
