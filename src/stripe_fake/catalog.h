// Products, prices, tax rates and coupons as the billing engine reads them: creating a price
// from inline `price_data` (and its product from `product_data`), and the private numbers
// behind a tax rate's or a coupon's percentage (basis points).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "stripe_fake/amounts.h"
#include "stripe_fake/core.h"
#include "stripe_fake/errors.h"

namespace codezero::stripe_fake {

// Creates a product. REQUIRES: `id` unused (or empty for a new one).
boost::json::object& CreateProduct(Core& core, std::string id, std::string name,
                                   const boost::json::value* metadata, std::int64_t now);

// A price from `price` params (currency, unit_amount, product | product_data[name],
// recurring[interval]); `param` names them in errors ("line_items[0][price_data]").
[[nodiscard]] Outcome<std::string> CreatePrice(Core& core, const boost::json::object& params,
                                               const std::string& param, std::int64_t now);

// The exclusive tax rate's percentage in basis points.
[[nodiscard]] std::int64_t TaxRateBasisPoints(Core& core, const std::string& tax_rate_id);

// The coupon's terms; nullopt when the coupon does not exist.
[[nodiscard]] CouponTerms CouponTermsOf(Core& core, const std::string& coupon_id);

// Whether `coupon_id` discounts a line of `product_id` (applies_to[products], else all).
[[nodiscard]] bool CouponAppliesTo(Core& core, const std::string& coupon_id,
                                   const std::string& product_id);

// Checks a coupon can be redeemed now; the error names `param`.
[[nodiscard]] Outcome<void> CheckCouponRedeemable(Core& core, const std::string& coupon_id,
                                                  const std::string& param);

// Creates a discount object (di_) for a coupon applied to a customer / subscription / session.
boost::json::object CreateDiscount(Core& core, const std::string& coupon_id,
                                   const std::string& customer, const std::string& subscription,
                                   const std::string& checkout_session, std::int64_t now);

}  // namespace codezero::stripe_fake
