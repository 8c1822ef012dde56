// Stripe's request encoding: `application/x-www-form-urlencoded` with nested parameters in
// brackets, as Stripe's API reference and its official libraries write them:
//
//   line_items[0][price_data][unit_amount]=19900&metadata[order_id]=ord_1&expand[]=customer
//
// `FormEncode` writes a flat list of (bracketed key, value) pairs; `DecodeForm` reads such a
// body (or a query string) back into nested JSON: brackets with a number (or empty brackets)
// make arrays, other brackets objects, every leaf is a string, as Stripe's servers see it.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "common/error.h"

namespace codezero::stripe {

using FormFields = std::vector<std::pair<std::string, std::string>>;

// Percent-encodes everything but RFC 3986's unreserved characters, leaving the brackets of
// the keys readable (Stripe accepts them raw, as its libraries send them).
[[nodiscard]] std::string FormEncode(const FormFields& fields);

// Percent-decodes one component ('+' is a space).
[[nodiscard]] Result<std::string> FormDecodeComponent(std::string_view text);

// kBadRequest for broken percent-encoding, unbalanced brackets, an index above 10,000, or a
// key used both as a value and as a container ("a=1&a[b]=2").
[[nodiscard]] Result<boost::json::object> DecodeForm(std::string_view body);

}  // namespace codezero::stripe
