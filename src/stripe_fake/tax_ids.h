// Customer tax IDs as Stripe takes them (https://docs.stripe.com/billing/customer/tax-ids): the
// type must be one Stripe knows, and the value must have that type's format. The formats here
// are the stand-in's own reading of Stripe's documented examples (eu_vat "DE123456789", gb_vat
// "GB123456789", ch_vat "CHE-123.456.789 MWST", no_vat "123456789MVA"), written independently
// of the platform's domain::CheckTaxId so that a disagreement shows up in tests. Other known
// types take any value; check digits are not Stripe's business at creation either.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "stripe_fake/errors.h"

namespace codezero::stripe_fake {

// nullopt when `value` is a well-formed `type`; else Stripe's error naming `param_prefix`
// ("tax_id_data[0]") with [type] or [value].
[[nodiscard]] std::optional<StripeError> CheckTaxIdData(std::string_view param_prefix,
                                                        std::string_view type,
                                                        std::string_view value);

// A tax ID object (https://docs.stripe.com/api/tax_ids/object): a customer's, or the account's
// own when `customer` is empty (`owner.type` self).
[[nodiscard]] boost::json::object NewTaxIdObject(const std::string& customer,
                                                 const std::string& type, const std::string& value,
                                                 std::int64_t now);

}  // namespace codezero::stripe_fake
