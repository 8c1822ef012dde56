// Request parameters as DecodeForm gives them (nested JSON, every leaf a string), checked
// against a per-endpoint list of what it accepts, as Stripe checks them: an unknown parameter
// is `parameter_unknown`, a bad number `parameter_invalid_integer`, a value outside a list of
// choices an invalid_request_error naming the parameter (`line_items[0][quantity]`).
//
// Paths in a spec are dotted, `*` standing for any list index: "line_items.*.quantity".
// After Validate, the getters below read values without further checks.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "stripe_fake/errors.h"

namespace codezero::stripe_fake {

enum class ParamKind {
  kString,
  kInteger,
  kBoolean,
  kEnum,        // `choices`: "a|b|c"
  kMetadata,    // an object of strings, or "" to clear
  kStringList,  // `x[]=a&x[]=b` or `x[0]=a`
  kDecimal,     // "19", "25.5": at most two decimal places
  kUnset,       // only "", which unsets a nullable object (`address=`)
};

struct ParamSpec {
  std::string_view path;
  ParamKind kind = ParamKind::kString;
  std::string_view choices = {};
};

// `expand[]` is accepted everywhere.
[[nodiscard]] Outcome<void> Validate(const boost::json::object& params,
                                     std::span<const ParamSpec> specs);

// The value at a dotted path ("price_data.recurring.interval", "line_items.0.quantity").
[[nodiscard]] const boost::json::value* At(const boost::json::value& root, std::string_view path);
[[nodiscard]] const boost::json::value* At(const boost::json::object& root, std::string_view path);

[[nodiscard]] std::optional<std::string> Str(const boost::json::object& params,
                                             std::string_view path);
[[nodiscard]] std::optional<std::int64_t> Int(const boost::json::object& params,
                                              std::string_view path);
[[nodiscard]] std::optional<bool> Bool(const boost::json::object& params, std::string_view path);
[[nodiscard]] std::vector<std::string> StrList(const boost::json::object& params,
                                               std::string_view path);
// The elements of a list parameter (`line_items`), empty when absent.
[[nodiscard]] std::vector<const boost::json::object*> Objects(const boost::json::object& params,
                                                              std::string_view path);

// Applies `metadata[k]=v` to `metadata` the way Stripe does: "" deletes a key, and
// `metadata=` (an empty string for the whole object) clears all of them.
void ApplyMetadata(boost::json::object& metadata, const boost::json::value* param);

// "19" -> 1900, "25.5" -> 2550, "7.25" -> 725 (basis points); nullopt for anything else,
// negatives and more than two decimal places included.
[[nodiscard]] std::optional<std::int64_t> ParseBasisPoints(std::string_view text);

// The JSON number Stripe shows for a percentage held in basis points: 19 or 25.5.
[[nodiscard]] boost::json::value PercentValue(std::int64_t basis_points);

// "line_items.0.quantity" -> "line_items[0][quantity]" (Stripe's name for a parameter).
[[nodiscard]] std::string DisplayName(std::string_view dotted);

}  // namespace codezero::stripe_fake
