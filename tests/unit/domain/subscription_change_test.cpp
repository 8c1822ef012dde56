#include "domain/subscription_change.h"

#include <gtest/gtest.h>

namespace codezero::domain {
namespace {

constexpr std::int64_t kStart = 1'000'000;
constexpr std::int64_t kEnd = kStart + 30 * 86'400;  // a 30-day month

const std::vector<HeldItem> kTeam{{"team", 1, 19'900, true}, {"extra_seats", 5, 1'500, false}};

TEST(Prorated, RoundsHalfAwayFromZero) {
  EXPECT_EQ(Prorated(1'000, 1, 2), 500);
  EXPECT_EQ(Prorated(1'001, 1, 2), 501);    // 500.5
  EXPECT_EQ(Prorated(-1'001, 1, 2), -501);  // -500.5
  EXPECT_EQ(Prorated(19'900, 0, 30), 0);
  EXPECT_EQ(Prorated(19'900, 30, 30), 19'900);
  EXPECT_EQ(SignedPercentOf(-1'050, 1'900), -200);  // -199.5
  EXPECT_EQ(SignedPercentOf(1'050, 1'900), 200);
}

TEST(SubscriptionChange, MoreSeatsHalfwayCreditOldQuantityAndChargeNewEachWithTax) {
  std::vector<HeldItem> wanted = kTeam;
  wanted[1].quantity = 8;
  const std::int64_t halfway = kStart + 15 * 86'400;
  const SubscriptionChange change =
      PlanSubscriptionChange(kTeam, wanted, 1'900, kStart, kEnd, halfway, true);
  ASSERT_EQ(change.edits.size(), 1u);
  EXPECT_EQ(change.edits[0].kind, ItemEdit::Kind::kQuantity);
  EXPECT_EQ(change.edits[0].quantity, 8);
  ASSERT_EQ(change.lines.size(), 2u);
  EXPECT_EQ(change.lines[0].amount, -3'750);  // 5 × 15 € for half the month
  EXPECT_EQ(change.lines[1].amount, 6'000);   // 8 × 15 €
  EXPECT_EQ(change.lines[0].tax, -713);       // -712.5
  EXPECT_EQ(change.lines[1].tax, 1'140);
  EXPECT_EQ(change.net, 2'250);
  EXPECT_EQ(change.total, 2'250 + 427);
  EXPECT_TRUE(change.Upgrade());
  EXPECT_EQ(change.recurring_after, 19'900 + 12'000);
}

TEST(SubscriptionChange, APlanSwitchKeepsThePlansItemAndAddsAndRemovesAddOns) {
  const std::vector<HeldItem> wanted{{"business", 1, 69'900, true}, {"audit_log", 1, 2'900, false}};
  const SubscriptionChange change =
      PlanSubscriptionChange(kTeam, wanted, 0, kStart, kEnd, kStart, true);
  ASSERT_EQ(change.edits.size(), 3u);
  EXPECT_EQ(change.edits[0].kind, ItemEdit::Kind::kReplace);
  EXPECT_EQ(change.edits[0].old_code, "team");
  EXPECT_EQ(change.edits[0].code, "business");
  EXPECT_EQ(change.edits[1].kind, ItemEdit::Kind::kRemove);
  EXPECT_EQ(change.edits[1].code, "extra_seats");
  EXPECT_EQ(change.edits[2].kind, ItemEdit::Kind::kAdd);
  EXPECT_EQ(change.edits[2].code, "audit_log");
  EXPECT_EQ(change.net, -19'900 + 69'900 - 7'500 + 2'900);  // the whole period
}

TEST(SubscriptionChange, NothingProratedWhenAskedNotToAndNothingWhenNothingChanges) {
  std::vector<HeldItem> fewer = kTeam;
  fewer[1].quantity = 1;
  const SubscriptionChange later =
      PlanSubscriptionChange(kTeam, fewer, 1'900, kStart, kEnd, kStart + 10, false);
  EXPECT_EQ(later.edits.size(), 1u);
  EXPECT_TRUE(later.lines.empty());
  EXPECT_EQ(later.total, 0);
  EXPECT_FALSE(later.Upgrade());
  EXPECT_TRUE(
      PlanSubscriptionChange(kTeam, kTeam, 1'900, kStart, kEnd, kStart, true).edits.empty());
}

TEST(SubscriptionChange, ANewIntervalCreditsEveryItemAndChargesAWholeNewPeriod) {
  const std::vector<HeldItem> yearly{{"team", 1, 199'000, true}, {"extra_seats", 5, 15'000, false}};
  const std::int64_t third = kStart + 10 * 86'400;  // a third of the month used
  const SubscriptionChange change = PlanIntervalChange(kTeam, yearly, 1'900, kStart, kEnd, third);
  ASSERT_EQ(change.edits.size(), 2u);
  EXPECT_EQ(change.edits[0].kind, ItemEdit::Kind::kReplace);  // the plan, in the new interval
  EXPECT_EQ(change.edits[1].kind, ItemEdit::Kind::kReplace);  // the seats too
  ASSERT_EQ(change.lines.size(), 4u);
  EXPECT_EQ(change.lines[0].amount, -13'267);  // two thirds of 199 €: 132.666… €
  EXPECT_EQ(change.lines[1].amount, -5'000);   // two thirds of 75 €
  EXPECT_EQ(change.lines[2].amount, 199'000);  // a whole year
  EXPECT_EQ(change.lines[3].amount, 75'000);
  EXPECT_EQ(change.net, -13'267 - 5'000 + 199'000 + 75'000);
  EXPECT_EQ(change.recurring_after, 274'000);
}

}  // namespace
}  // namespace codezero::domain
