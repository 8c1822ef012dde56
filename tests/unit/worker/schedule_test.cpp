#include <gtest/gtest.h>

#include "worker/backoff.h"
#include "worker/cron.h"
#include "worker/scheduler.h"
#include "worker/worker_settings.h"

namespace codezero::worker {
namespace {

using std::chrono::sys_days;
using std::chrono::sys_seconds;
using namespace std::chrono_literals;

sys_seconds At(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0) {
  return sys_seconds(sys_days(std::chrono::year(y) / std::chrono::month(m) / std::chrono::day(d))) +
         std::chrono::hours(hh) + std::chrono::minutes(mm) + std::chrono::seconds(ss);
}

sys_seconds Next(std::string_view expression, sys_seconds after) {
  auto schedule = CronSchedule::Parse(expression);
  EXPECT_TRUE(schedule.has_value()) << expression;
  return schedule->Next(after).value_or(sys_seconds::max());
}

TEST(Cron, FindsTheNextMatchingMinuteInUtc) {
  EXPECT_EQ(Next("17 3 * * *", At(2026, 11, 26, 7, 0)), At(2026, 11, 27, 3, 17));
  EXPECT_EQ(Next("17 3 * * *", At(2026, 11, 26, 3, 16, 59)), At(2026, 11, 26, 3, 17));
  EXPECT_EQ(Next("*/15 * * * *", At(2026, 11, 26, 7, 15)), At(2026, 11, 26, 7, 30));
  EXPECT_EQ(Next("0 9-17/4 * * 1-5", At(2026, 11, 27, 18, 0)), At(2026, 11, 30, 9, 0));
  EXPECT_EQ(Next("@monthly", At(2026, 12, 31, 23, 59)), At(2027, 1, 1));
  EXPECT_EQ(Next("0 0 29 2 *", At(2026, 3, 1)), At(2028, 2, 29));
}

TEST(Cron, MatchesEitherRestrictedDayField) {
  // Vixie cron: the 1st of the month or any Monday.
  EXPECT_EQ(Next("0 12 1 * 1", At(2026, 11, 26)), At(2026, 11, 30, 12, 0));
  EXPECT_EQ(Next("0 12 1 * 1", At(2026, 11, 30, 13, 0)), At(2026, 12, 1, 12, 0));
  EXPECT_EQ(Next("0 0 * * 7", At(2026, 11, 26)), At(2026, 11, 29));  // 7 is Sunday too
}

TEST(Cron, RefusesWhatIsNotACronExpression) {
  for (const std::string_view bad :
       {"", "* * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "* * * * 8",
        "5-1 * * * *", "*/0 * * * *", "a * * * *"}) {
    EXPECT_FALSE(CronSchedule::Parse(bad).has_value()) << bad;
  }
  EXPECT_FALSE(CronSchedule::Parse("0 0 30 2 *")->Next(At(2026, 1, 1)).has_value());
}

TEST(PeriodicSlots, AreMultiplesOfTheIntervalOrTheCronsNext) {
  PeriodicJob hourly;
  hourly.every = 3600s;
  EXPECT_EQ(NextSlot(hourly, At(2026, 11, 26, 7, 30)), At(2026, 11, 26, 8, 0));
  EXPECT_EQ(NextSlot(hourly, At(2026, 11, 26, 8, 0)), At(2026, 11, 26, 9, 0));
  PeriodicJob nightly;
  nightly.cron = CronSchedule::Parse("17 3 * * *").value();
  EXPECT_EQ(NextSlot(nightly, At(2026, 11, 26, 7, 30)), At(2026, 11, 27, 3, 17));
}

TEST(RetryBackoff, IsAttemptToTheFourthSecondsWithinTenPercent) {
  EXPECT_EQ(RetryBackoff(1, 0.5), 1000ms);
  EXPECT_EQ(RetryBackoff(2, 0.5), 16000ms);
  EXPECT_EQ(RetryBackoff(3, 0.5), 81000ms);
  EXPECT_EQ(RetryBackoff(20, 0.5), 160000000ms);
  EXPECT_EQ(RetryBackoff(2, 0.0), 14400ms);  // -10 %
  EXPECT_EQ(RetryBackoff(2, 1.0), 17600ms);  // +10 %
  EXPECT_EQ(RetryBackoff(3, 0.5, 10ms), 810ms);
}

TEST(WorkerQueues, AreNamesWithLimits) {
  const auto queues = ParseQueues("default:50,email:10");
  ASSERT_TRUE(queues.has_value());
  EXPECT_EQ(queues->at("default"), 50u);
  EXPECT_EQ(queues->at("email"), 10u);
  for (const std::string_view bad : {"", "default", "default:0", ":5", "a:5,b", "a:x"}) {
    EXPECT_FALSE(ParseQueues(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace codezero::worker
