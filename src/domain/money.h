// Money is integer minor units (cents) of one currency, never a float. Percentages are basis
// points (1900 = 19 %). The one rounding rule of the platform, half up to the cent, lives
// here so that every place that takes a percentage of an amount gets the same cent.
#pragma once

#include <cstdint>

namespace codezero::domain {

using Cents = std::int64_t;

inline constexpr int kBasisPointsPerWhole = 10'000;

// `amount` × `bps` / 10 000, rounded half up. REQUIRES: amount >= 0, 0 <= bps <= 10 000,
// amount < 9.2e14 (no overflow of amount × bps).
[[nodiscard]] constexpr Cents PercentOf(Cents amount, int bps) {
  return (amount * bps + kBasisPointsPerWhole / 2) / kBasisPointsPerWhole;
}

}  // namespace codezero::domain
