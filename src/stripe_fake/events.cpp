#include "stripe_fake/events.h"

#include "stripe_fake/ids.h"
#include "stripe_fake/settings.h"

namespace codezero::stripe_fake {

namespace json = boost::json;

std::string Events::Emit(std::string_view type, const json::object& object, std::int64_t created,
                         const json::object* previous_attributes) {
  json::object event;
  std::string id = NewId("evt_");
  event["id"] = id;
  event["object"] = "event";
  event["api_version"] = kApiVersion;
  event["created"] = created;
  json::object data;
  data["object"] = object;
  if (previous_attributes != nullptr) data["previous_attributes"] = *previous_attributes;
  event["data"] = std::move(data);
  event["livemode"] = false;
  event["pending_webhooks"] = endpoints_;
  json::object request;
  request["id"] = origin_.id ? json::value(*origin_.id) : json::value(nullptr);
  request["idempotency_key"] =
      origin_.idempotency_key ? json::value(*origin_.idempotency_key) : json::value(nullptr);
  event["request"] = std::move(request);
  event["type"] = type;
  json::object& stored = store_.Insert("event", std::move(event));
  if (listener_) listener_(stored);
  return id;
}

void Events::EmitUpdated(std::string_view type, const json::object& before,
                         const json::object& after, std::int64_t created) {
  json::object previous;
  for (const auto& [key, value] : before) {
    const json::value* now = after.if_contains(key);
    if (now == nullptr || *now != value) previous[key] = value;
  }
  for (const auto& [key, value] : after) {
    if (!before.contains(key)) previous[key] = nullptr;
  }
  if (previous.empty()) return;
  Emit(type, after, created, &previous);
}

}  // namespace codezero::stripe_fake
