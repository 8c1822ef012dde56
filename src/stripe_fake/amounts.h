// Amounts the way Stripe documents them (and docs/pricing.md relies on), in integer cents:
//   line amount = unit_amount × quantity;
//   a percent_off coupon takes its percentage of each line it applies to, rounded per line;
//   an amount_off coupon is spread over the lines it applies to in proportion to their
//     amounts (rounded per line, the last line takes the remainder), never above a line;
//   each exclusive tax rate adds its percentage of (line amount − line discount), per line;
//   totals are sums of the lines.
// Rounding is half away from zero, so a credit (a negative proration) mirrors its charge.
// Percentages are basis points (1900 = 19 %). No floating point anywhere.
#pragma once

#include <cstdint>
#include <vector>

namespace codezero::stripe_fake {

// round(amount × basis_points / 10000), half away from zero.
[[nodiscard]] std::int64_t PercentOf(std::int64_t amount, std::int64_t basis_points);

// round(amount × part / whole), half away from zero. REQUIRES: whole > 0.
[[nodiscard]] std::int64_t Prorate(std::int64_t amount, std::int64_t part, std::int64_t whole);

struct AmountLine {
  std::int64_t amount = 0;  // unit amount × quantity (negative for a credit)
  bool discountable = false;
  std::vector<std::int64_t> tax_basis_points;  // one per exclusive tax rate
};

struct CouponTerms {
  std::int64_t percent_basis_points = 0;  // percent_off, or
  std::int64_t amount_off = 0;            // amount_off in cents
};

struct LineTotals {
  std::int64_t amount = 0;
  std::int64_t discount = 0;
  std::vector<std::int64_t> taxes;  // per tax rate, in the line's order
  std::int64_t tax = 0;
  std::int64_t total = 0;  // amount − discount + tax
};

struct Totals {
  std::vector<LineTotals> lines;
  std::int64_t subtotal = 0;
  std::int64_t discount = 0;
  std::int64_t tax = 0;
  std::int64_t total = 0;
};

[[nodiscard]] Totals ComputeTotals(const std::vector<AmountLine>& lines, const CouponTerms* coupon);

}  // namespace codezero::stripe_fake
