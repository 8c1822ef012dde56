#include "domain/discount.h"

namespace codezero::domain {

std::string_view ToString(DiscountKind kind) {
  return kind == DiscountKind::kCoupon ? "coupon" : "referral";
}

std::optional<DiscountKind> ParseDiscountKind(std::string_view text) {
  if (text == "coupon") return DiscountKind::kCoupon;
  if (text == "referral") return DiscountKind::kReferral;
  return std::nullopt;
}

}  // namespace codezero::domain
