// Events: every change to an object emits one (`customer.created`, `invoice.paid`, ...), with a
// snapshot of the object at that moment in `data.object` and, for `*.updated`, the changed
// top-level fields' old values in `data.previous_attributes`. Each new event is handed to the
// webhook dispatcher.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "stripe_fake/store.h"

namespace codezero::stripe_fake {

// The API request an event came from (`request.id`, `request.idempotency_key`); automatic
// changes (a renewal, an expiry) have neither.
struct RequestOrigin {
  std::optional<std::string> id;
  std::optional<std::string> idempotency_key;
};

class Events {
 public:
  using Listener = std::function<void(const boost::json::object& event)>;

  explicit Events(Store& store) : store_(store) {}

  void SetListener(Listener listener) { listener_ = std::move(listener); }
  // Number of webhook endpoints (an event's `pending_webhooks`).
  void SetEndpointCount(std::size_t count) { endpoints_ = count; }

  // Set by the API layer around a handler; events emitted meanwhile name that request.
  void SetOrigin(RequestOrigin origin) { origin_ = std::move(origin); }
  void ClearOrigin() { origin_ = {}; }

  // Emits `type` about `object` (copied). Returns the event's id.
  std::string Emit(std::string_view type, const boost::json::object& object, std::int64_t created,
                   const boost::json::object* previous_attributes = nullptr);

  // Emits `<prefix>.updated` when `before` and the stored object differ in any top-level field.
  void EmitUpdated(std::string_view type, const boost::json::object& before,
                   const boost::json::object& after, std::int64_t created);

 private:
  Store& store_;
  Listener listener_;
  std::size_t endpoints_ = 0;
  RequestOrigin origin_;
};

}  // namespace codezero::stripe_fake
