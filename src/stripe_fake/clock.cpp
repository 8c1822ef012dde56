#include "stripe_fake/clock.h"

#include <chrono>

namespace codezero::stripe_fake {

std::int64_t WallSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t WallMilliseconds() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string ClockOfCustomer(Store& store, std::string_view customer_id) {
  const boost::json::object* customer = store.Find(customer_id, "customer");
  if (customer == nullptr) return {};
  const boost::json::value* clock = customer->if_contains("test_clock");
  if (clock == nullptr || !clock->is_string()) return {};
  return std::string(clock->as_string());
}

std::int64_t ClockNow(Store& store, std::string_view clock_id) {
  if (clock_id.empty()) return WallSeconds();
  const boost::json::object* clock = store.Find(clock_id, "test_helpers.test_clock");
  if (clock == nullptr) return WallSeconds();
  return clock->at("frozen_time").to_number<std::int64_t>();
}

std::int64_t NowForCustomer(Store& store, std::string_view customer_id) {
  return ClockNow(store, ClockOfCustomer(store, customer_id));
}

}  // namespace codezero::stripe_fake
