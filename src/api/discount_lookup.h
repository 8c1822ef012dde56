// Looks up the discount codes a quote names: coupons (admin-managed, `coupons` table) and
// referral codes (`referral_codes`). Only quotes that carry a code touch the database.
#pragma once

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

// A database failure is an error (503); an unknown or expired code is a violation.
[[nodiscard]] boost::asio::awaitable<Result<DiscountOutcome>> ResolveDiscount(
    db::Pool& database, std::optional<std::string> coupon,
    std::optional<std::string> referral_code);

}  // namespace codezero::api
