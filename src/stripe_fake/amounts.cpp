#include "stripe_fake/amounts.h"

#include <algorithm>

namespace codezero::stripe_fake {
namespace {

__extension__ using Int128 = __int128;

// round(numerator / denominator), half away from zero. REQUIRES: denominator > 0.
std::int64_t RoundedDivision(Int128 numerator, Int128 denominator) {
  const bool negative = numerator < 0;
  const Int128 magnitude = negative ? -numerator : numerator;
  const Int128 rounded = (magnitude * 2 + denominator) / (denominator * 2);
  return static_cast<std::int64_t>(negative ? -rounded : rounded);
}

}  // namespace

std::int64_t PercentOf(std::int64_t amount, std::int64_t basis_points) {
  return RoundedDivision(static_cast<Int128>(amount) * basis_points, 10'000);
}

std::int64_t Prorate(std::int64_t amount, std::int64_t part, std::int64_t whole) {
  return RoundedDivision(static_cast<Int128>(amount) * part, whole);
}

Totals ComputeTotals(const std::vector<AmountLine>& lines, const CouponTerms* coupon) {
  Totals totals;
  totals.lines.resize(lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) totals.lines[i].amount = lines[i].amount;

  if (coupon != nullptr && coupon->percent_basis_points > 0) {
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (lines[i].discountable) {
        totals.lines[i].discount = PercentOf(lines[i].amount, coupon->percent_basis_points);
      }
    }
  } else if (coupon != nullptr && coupon->amount_off > 0) {
    std::int64_t base = 0;
    std::size_t last = lines.size();
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (lines[i].discountable && lines[i].amount > 0) {
        base += lines[i].amount;
        last = i;
      }
    }
    if (base > 0) {
      const std::int64_t off = std::min(coupon->amount_off, base);
      std::int64_t given = 0;
      for (std::size_t i = 0; i < lines.size(); ++i) {
        if (!lines[i].discountable || lines[i].amount <= 0) continue;
        std::int64_t share = i == last ? off - given : Prorate(off, lines[i].amount, base);
        share = std::min(share, lines[i].amount);
        totals.lines[i].discount = share;
        given += share;
      }
    }
  }

  for (std::size_t i = 0; i < lines.size(); ++i) {
    LineTotals& line = totals.lines[i];
    const std::int64_t taxable = line.amount - line.discount;
    for (const std::int64_t rate : lines[i].tax_basis_points) {
      line.taxes.push_back(PercentOf(taxable, rate));
      line.tax += line.taxes.back();
    }
    line.total = taxable + line.tax;
    totals.subtotal += line.amount;
    totals.discount += line.discount;
    totals.tax += line.tax;
    totals.total += line.total;
  }
  return totals;
}

}  // namespace codezero::stripe_fake
