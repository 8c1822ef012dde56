// What the discount codes a quote names give: coupons (admin-managed, `coupons` table) and
// referral codes (`referral_codes`). Quotes decide from each loop's copy (DiscountCache, no
// database round trip); checkout asks the database itself (ResolveDiscount), which is the truth
// at the moment of buying.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "db/pool.h"
#include "domain/discount.h"
#include "domain/quote_request.h"
#include "domain/violation.h"

namespace codezero::api {

struct DiscountOutcome {
  std::optional<domain::Discount> discount;
  std::vector<domain::Violation> violations;
};

// A coupon as found: its percentage and whether it is active and within its dates now.
struct CouponState {
  int percent_off_bps = 0;
  bool valid_now = false;
};

// The outcome for the codes named, given what was found for each (nullopt: no such code; a
// referral code is found only while active). Both codes at once are refused.
[[nodiscard]] DiscountOutcome DecideDiscount(const std::optional<std::string>& coupon,
                                             std::optional<CouponState> coupon_found,
                                             const std::optional<std::string>& referral_code,
                                             std::optional<int> referral_percent_off_bps);

// From the database. A database failure is an error (503); an unknown or expired code is a
// violation.
[[nodiscard]] boost::asio::awaitable<Result<DiscountOutcome>> ResolveDiscount(
    db::Pool& database, std::optional<std::string> coupon,
    std::optional<std::string> referral_code);

}  // namespace codezero::api
