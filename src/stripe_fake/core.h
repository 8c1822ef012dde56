// What the billing engine's parts share: the state, the event stream, and the few settings
// they need (the public URL of the hosted pages, the time factor). Plus small helpers for
// reading the stored JSON objects.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "stripe_fake/events.h"
#include "stripe_fake/store.h"

namespace codezero::stripe_fake {

struct Core {
  Store& store;
  Events& events;
  std::string public_url;
  std::int64_t time_factor = 1;
  std::int64_t sepa_delay_seconds = 180;
  std::string webhook_secret;       // signs every delivery; given to endpoints created by API
  std::string account_api_version;  // what an endpoint without its own api_version gets
  // Asks the engine for a pass soon (a test clock was told to advance).
  std::function<void()> wake = [] {};
};

// The string member `key` of `object`, "" when absent or not a string.
[[nodiscard]] std::string Text(const boost::json::object& object, std::string_view key);
// The integer member `key`, `fallback` when absent or null.
[[nodiscard]] std::int64_t Number(const boost::json::object& object, std::string_view key,
                                  std::int64_t fallback = 0);
// A string or null.
[[nodiscard]] boost::json::value OrNull(const std::string& text);
// A list object as Stripe nests them (`items`, `lines`).
[[nodiscard]] boost::json::object NestedList(boost::json::array data, std::string url);

}  // namespace codezero::stripe_fake
