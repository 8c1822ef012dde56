// Shorthands for reading Stripe objects in tests: an object's "id", and a JSON number as an
// integer (amounts, timestamps).
#pragma once

#include <cstdint>
#include <string>

#include <boost/json/value.hpp>

namespace codezero::testing {

[[nodiscard]] inline std::string Id(const boost::json::value& object) {
  return std::string(object.at("id").as_string());
}

[[nodiscard]] inline std::int64_t N(const boost::json::value& value) {
  return value.to_number<std::int64_t>();
}

}  // namespace codezero::testing
