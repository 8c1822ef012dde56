#include "api/discount_lookup.h"

namespace codezero::api {

constexpr db::Statement kFindCoupon{
    "find_coupon",
    "SELECT percent_off_bps, active AND (valid_from IS NULL OR valid_from <= now()) "
    "AND (valid_until IS NULL OR valid_until > now()) FROM coupons WHERE code = $1"};
constexpr db::Statement kFindReferralCode{
    "find_referral_code", "SELECT percent_off_bps FROM referral_codes WHERE code = $1 AND active"};

DiscountOutcome DecideDiscount(const std::optional<std::string>& coupon,
                               std::optional<CouponState> coupon_found,
                               const std::optional<std::string>& referral_code,
                               std::optional<int> referral_percent_off_bps) {
  DiscountOutcome outcome;
  if (coupon && referral_code) {
    outcome.violations.push_back({"discounts_not_combinable", "referral_code", {}});
    return outcome;
  }
  if (coupon) {
    if (!coupon_found) {
      outcome.violations.push_back({"unknown_coupon", "coupon", {*coupon}});
    } else if (!coupon_found->valid_now) {
      outcome.violations.push_back({"coupon_expired", "coupon", {*coupon}});
    } else {
      outcome.discount =
          domain::Discount{domain::DiscountKind::kCoupon, *coupon, coupon_found->percent_off_bps};
    }
  }
  if (referral_code) {
    if (!referral_percent_off_bps) {
      outcome.violations.push_back({"unknown_referral_code", "referral_code", {*referral_code}});
    } else {
      outcome.discount = domain::Discount{domain::DiscountKind::kReferral, *referral_code,
                                          *referral_percent_off_bps};
    }
  }
  return outcome;
}

boost::asio::awaitable<Result<DiscountOutcome>> ResolveDiscount(
    db::Pool& database, std::optional<std::string> coupon,
    std::optional<std::string> referral_code) {
  std::optional<CouponState> coupon_found;
  std::optional<int> referral_found;
  if (coupon && referral_code) co_return DecideDiscount(coupon, {}, referral_code, {});
  if (coupon) {
    auto rows = co_await database.Execute(kFindCoupon, *coupon);
    if (!rows) co_return tl::unexpected(rows.error());
    if (!rows->empty()) {
      coupon_found = CouponState{static_cast<int>(rows->Int64(0, 0)), rows->Bool(0, 1)};
    }
  }
  if (referral_code) {
    auto rows = co_await database.Execute(kFindReferralCode, *referral_code);
    if (!rows) co_return tl::unexpected(rows.error());
    if (!rows->empty()) referral_found = static_cast<int>(rows->Int64(0, 0));
  }
  co_return DecideDiscount(coupon, coupon_found, referral_code, referral_found);
}

}  // namespace codezero::api
