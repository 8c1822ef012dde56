#include "common/mustache_data.h"

#include <string>

namespace codezero {

kainjow::mustache::data MustacheDataOf(const boost::json::value& value) {
  namespace mustache = kainjow::mustache;
  switch (value.kind()) {
    case boost::json::kind::object: {
      mustache::data object(mustache::data::type::object);
      for (const auto& [key, member] : value.as_object()) {
        object.set(std::string(key), MustacheDataOf(member));
      }
      return object;
    }
    case boost::json::kind::array: {
      mustache::data list(mustache::data::type::list);
      for (const auto& element : value.as_array()) list.push_back(MustacheDataOf(element));
      return list;
    }
    case boost::json::kind::string:
      // An empty text is falsy, as in mustache.js: {{#vat_id}}…{{/vat_id}} shows nothing.
      if (value.as_string().empty()) return mustache::data(false);
      return mustache::data(std::string(value.as_string()));
    case boost::json::kind::bool_:
      return mustache::data(value.as_bool());
    case boost::json::kind::int64:
      return mustache::data(std::to_string(value.as_int64()));
    case boost::json::kind::uint64:
      return mustache::data(std::to_string(value.as_uint64()));
    case boost::json::kind::double_:
      return mustache::data(std::to_string(value.as_double()));
    case boost::json::kind::null:
      return mustache::data(false);
  }
  return mustache::data(false);
}

}  // namespace codezero
