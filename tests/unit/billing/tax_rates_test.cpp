#include "billing/tax_rates.h"

#include <gtest/gtest.h>

namespace codezero::billing {
namespace {

using namespace std::chrono;

std::int64_t At(year_month_day day) {
  return duration_cast<seconds>(sys_days(day).time_since_epoch()).count() + 9 * 3600;
}

TEST(DayTheNextPeriodEnds, IsTheDayOfTheFollowingRenewal) {
  // A period ending on 1 January at 09:00 is complete on 1 January: a rate from that day applies.
  EXPECT_EQ(DayTheNextPeriodEnds(At(2026y / 12 / 1), "month"), sys_days(2027y / 1 / 1));
  EXPECT_EQ(DayTheNextPeriodEnds(At(2026y / 3 / 10), "year"), sys_days(2027y / 3 / 10));
  // 31 January plus a month is the end of February, as Stripe anchors it.
  EXPECT_EQ(DayTheNextPeriodEnds(At(2026y / 1 / 31), "month"), sys_days(2026y / 2 / 28));
  EXPECT_EQ(DayTheNextPeriodEnds(At(2028y / 2 / 29), "year"), sys_days(2029y / 2 / 28));
}

}  // namespace
}  // namespace codezero::billing
