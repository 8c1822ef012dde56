#include "domain/entitlements.h"

#include <gtest/gtest.h>

#include "domain/money_format.h"
#include "support/catalog_fixture.h"

namespace codezero::domain {
namespace {

TEST(Entitlements, AddWhatTheAddonsGiveToWhatThePlanIncludes) {
  const Catalog& catalog = testing::CatalogV1();
  auto team = EntitlementsOf(
      catalog, {{"team", 1}, {"extra_seats", 5}, {"sso", 1}, {"credits_5m", 2}, {"onboarding", 1}});
  ASSERT_TRUE(team.has_value());
  EXPECT_EQ(team->plan, "team");
  EXPECT_EQ(team->seats, 15);
  EXPECT_EQ(team->ai_credits_per_month, 5'000'000 + 2 * kCreditsPerPack);
  EXPECT_TRUE(team->sso);
  EXPECT_FALSE(team->audit_log);
  EXPECT_EQ(team->support, "standard");
  EXPECT_EQ(team->residency, "any");

  auto business =
      EntitlementsOf(catalog, {{"business", 1}, {"eu_residency", 1}, {"priority_support", 1}});
  ASSERT_TRUE(business.has_value());
  EXPECT_TRUE(business->sso);        // included in the plan
  EXPECT_TRUE(business->audit_log);  // included in the plan
  EXPECT_EQ(business->support, "priority");
  EXPECT_EQ(business->residency, "eu");
  EXPECT_EQ(EntitlementsJson(*business),
            R"({"plan":"business","seats":25,"ai_credits_per_month":20000000,"sso":true,)"
            R"("audit_log":true,"support":"priority","residency":"eu"})");

  EXPECT_FALSE(EntitlementsOf(catalog, {{"sso", 1}}).has_value());
}

TEST(MoneyFormat, WritesAmountsAsPeopleReadThem) {
  EXPECT_EQ(FormatMoney(443870, "eur", Locale::kDe), "4.438,70 €");
  EXPECT_EQ(FormatMoney(443870, "EUR", Locale::kEn), "€4,438.70");
  EXPECT_EQ(FormatMoney(5, "eur", Locale::kDe), "0,05 €");
  EXPECT_EQ(FormatMoney(123456789, "usd", Locale::kEn), "1,234,567.89 USD");
  EXPECT_EQ(FormatMoney(-1990, "eur", Locale::kDe), "−19,90 €");
  const auto day = std::chrono::sys_seconds(std::chrono::sys_days(std::chrono::year(2026) / 3 / 9) +
                                            std::chrono::hours(23));
  EXPECT_EQ(FormatDate(day, Locale::kDe), "10.03.2026") << "midnight in Germany (CET)";
  EXPECT_EQ(FormatDate(day, Locale::kEn), "10 March 2026");
  EXPECT_EQ(FormatDate(day - std::chrono::hours(1), Locale::kDe), "09.03.2026");
  // Summer time: 22:00 UTC on 30 June is midnight in Germany (CEST).
  const auto summer = std::chrono::sys_seconds(
      std::chrono::sys_days(std::chrono::year(2026) / 6 / 30) + std::chrono::hours(22));
  EXPECT_EQ(FormatDate(summer, Locale::kDe), "01.07.2026");
  EXPECT_EQ(FormatDate(summer - std::chrono::seconds(1), Locale::kDe), "30.06.2026");
}

TEST(MoneyFormat, DateAndTimeInGermanyWithSummerTime) {
  using namespace std::chrono;
  const auto at = [](year_month_day date, int hour, int minute) {
    return sys_seconds(sys_days(date) + hours(hour) + minutes(minute));
  };
  // Winter: UTC+1; late on 9 March in UTC is the next day in Germany.
  EXPECT_EQ(FormatDateTime(at(year(2026) / 3 / 9, 23, 5), Locale::kDe),
            "10.03.2026, 00:05 Uhr (MEZ)");
  EXPECT_EQ(FormatDateTime(at(year(2026) / 11 / 30, 6, 12), Locale::kEn),
            "30 November 2026, 07:12 CET");
  // Summer time begins 29 March 2026, 01:00 UTC, and ends 25 October 2026, 01:00 UTC.
  EXPECT_EQ(FormatDateTime(at(year(2026) / 3 / 29, 0, 59), Locale::kDe),
            "29.03.2026, 01:59 Uhr (MEZ)");
  EXPECT_EQ(FormatDateTime(at(year(2026) / 3 / 29, 1, 0), Locale::kDe),
            "29.03.2026, 03:00 Uhr (MESZ)");
  EXPECT_EQ(FormatDateTime(at(year(2026) / 10 / 25, 0, 59), Locale::kEn),
            "25 October 2026, 02:59 CEST");
  EXPECT_EQ(FormatDateTime(at(year(2026) / 10 / 25, 1, 0), Locale::kEn),
            "25 October 2026, 02:00 CET");
}

}  // namespace
}  // namespace codezero::domain
