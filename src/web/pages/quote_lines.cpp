#include "web/pages/quote_lines.h"

#include <boost/json/object.hpp>

#include "web/formatting.h"
#include "web/pages/signed_in.h"

namespace codezero::web {

boost::json::array LinesOf(const boost::json::value& lines, std::string_view currency,
                           domain::Locale locale) {
  namespace json = boost::json;
  json::array out;
  if (!lines.is_array()) return out;
  for (const json::value& line : lines.as_array()) {
    const auto number = [&](std::string_view key) {
      const json::value* value = line.as_object().if_contains(key);
      return value != nullptr && value->is_number() ? value->to_number<std::int64_t>() : 0;
    };
    const std::int64_t quantity = number("quantity");
    const json::value* recurring = line.as_object().if_contains("recurring");
    out.push_back(json::object{
        {"description", StringAt(line, "description")},
        {"quantity", quantity},
        {"show_quantity", quantity > 1},
        {"unit", Money(number("unit_amount"), currency, locale)},
        {"amount", Money(number("amount"), currency, locale)},
        {"once", recurring != nullptr && recurring->is_bool() && !recurring->as_bool()},
    });
  }
  return out;
}

}  // namespace codezero::web
