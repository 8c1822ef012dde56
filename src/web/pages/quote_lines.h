// The lines of an order (as the API's order JSON lists them) as the breakdown templates show
// them: description, quantity and unit price when more than one, amount, one-time or not.
#pragma once

#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "domain/locale.h"

namespace codezero::web {

[[nodiscard]] boost::json::array LinesOf(const boost::json::value& lines, std::string_view currency,
                                         domain::Locale locale);

}  // namespace codezero::web
