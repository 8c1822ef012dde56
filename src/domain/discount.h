// A discount on a quote: a coupon (admin-managed, e.g. LAUNCH20) or a referral code. Either
// takes a percentage off the recurring lines of the first invoice; at most one per quote.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace codezero::domain {

enum class DiscountKind { kCoupon, kReferral };
[[nodiscard]] std::string_view ToString(DiscountKind kind);
[[nodiscard]] std::optional<DiscountKind> ParseDiscountKind(std::string_view text);

struct Discount {
  DiscountKind kind = DiscountKind::kCoupon;
  std::string code;
  int percent_off_bps = 0;  // 2000 = 20 %
};

}  // namespace codezero::domain
