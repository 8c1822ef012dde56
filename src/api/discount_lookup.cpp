#include "api/discount_lookup.h"

namespace codezero::api {

constexpr db::Statement kFindCoupon{
    "find_coupon",
    "SELECT percent_off_bps, active AND (valid_from IS NULL OR valid_from <= now()) "
    "AND (valid_until IS NULL OR valid_until > now()) FROM coupons WHERE code = $1"};
constexpr db::Statement kFindReferralCode{
    "find_referral_code", "SELECT percent_off_bps FROM referral_codes WHERE code = $1 AND active"};

boost::asio::awaitable<Result<DiscountOutcome>> ResolveDiscount(
    db::Pool& database, std::optional<std::string> coupon,
    std::optional<std::string> referral_code) {
  DiscountOutcome outcome;
  if (coupon && referral_code) {
    outcome.violations.push_back({"discounts_not_combinable", "referral_code", {}});
    co_return outcome;
  }
  if (coupon) {
    auto rows = co_await database.Execute(kFindCoupon, *coupon);
    if (!rows) co_return tl::unexpected(rows.error());
    if (rows->empty()) {
      outcome.violations.push_back({"unknown_coupon", "coupon", {*coupon}});
    } else if (!rows->Bool(0, 1)) {
      outcome.violations.push_back({"coupon_expired", "coupon", {*coupon}});
    } else {
      outcome.discount = domain::Discount{domain::DiscountKind::kCoupon, *coupon,
                                          static_cast<int>(rows->Int64(0, 0))};
    }
  }
  if (referral_code) {
    auto rows = co_await database.Execute(kFindReferralCode, *referral_code);
    if (!rows) co_return tl::unexpected(rows.error());
    if (rows->empty()) {
      outcome.violations.push_back({"unknown_referral_code", "referral_code", {*referral_code}});
    } else {
      outcome.discount = domain::Discount{domain::DiscountKind::kReferral, *referral_code,
                                          static_cast<int>(rows->Int64(0, 0))};
    }
  }
  co_return outcome;
}

}  // namespace codezero::api
