#include "billing/tax_rates.h"

#include <gtest/gtest.h>

namespace codezero::billing {
namespace {

using namespace std::chrono;

std::int64_t At(year_month_day day) {
  return duration_cast<seconds>(sys_days(day).time_since_epoch()).count() + 9 * 3600;
}

TEST(LastDayOfNextPeriod, IsTheDayBeforeTheFollowingRenewal) {
  EXPECT_EQ(LastDayOfNextPeriod(At(2026y / 12 / 15), "month"), sys_days(2027y / 1 / 14));
  EXPECT_EQ(LastDayOfNextPeriod(At(2026y / 3 / 10), "year"), sys_days(2027y / 3 / 9));
  // 31 January plus a month is the end of February, as Stripe anchors it.
  EXPECT_EQ(LastDayOfNextPeriod(At(2026y / 1 / 31), "month"), sys_days(2026y / 2 / 27));
  EXPECT_EQ(LastDayOfNextPeriod(At(2028y / 2 / 29), "year"), sys_days(2029y / 2 / 27));
}

}  // namespace
}  // namespace codezero::billing
