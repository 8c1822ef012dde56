#include "stripe_fake/core.h"

#include <boost/json/array.hpp>

namespace codezero::stripe_fake {

std::string Text(const boost::json::object& object, std::string_view key) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr || !value->is_string()) return {};
  return std::string(value->as_string());
}

std::int64_t Number(const boost::json::object& object, std::string_view key,
                    std::int64_t fallback) {
  const boost::json::value* value = object.if_contains(key);
  if (value == nullptr || !value->is_number()) return fallback;
  return value->to_number<std::int64_t>();
}

boost::json::value OrNull(const std::string& text) {
  if (text.empty()) return nullptr;
  return boost::json::value(text);
}

boost::json::object NestedList(boost::json::array data, std::string url) {
  boost::json::object list;
  list["object"] = "list";
  const std::size_t count = data.size();
  list["data"] = std::move(data);
  list["has_more"] = false;
  list["total_count"] = count;
  list["url"] = url;
  return list;
}

}  // namespace codezero::stripe_fake
