#include "stripe_fake/amounts.h"

#include <gtest/gtest.h>

#include "stripe_fake/params.h"

namespace codezero::stripe_fake {
namespace {

TEST(StripeFakeAmounts, PercentOfRoundsHalfAwayFromZero) {
  EXPECT_EQ(PercentOf(15920, 1900), 3025);  // 3024.80
  EXPECT_EQ(PercentOf(250, 1900), 48);      // 47.50
  EXPECT_EQ(PercentOf(-250, 1900), -48);    // a credit mirrors its charge
  EXPECT_EQ(PercentOf(4497, 2000), 899);    // 899.40
  EXPECT_EQ(PercentOf(100, 2550), 26);      // 25.50
  EXPECT_EQ(PercentOf(0, 1900), 0);
}

TEST(StripeFakeAmounts, ProrateIsExactToTheCent) {
  EXPECT_EQ(Prorate(4497, 16 * 86400, 31 * 86400), 2321);
  EXPECT_EQ(Prorate(7495, 16, 31), 3868);
  EXPECT_EQ(Prorate(-7495, 16, 31), -3868);
  EXPECT_EQ(Prorate(1, 1, 2), 1);
  EXPECT_EQ(Prorate(999'999'999'999, 2'678'399, 2'678'400), 999'999'626'642);  // .77
}

TEST(StripeFakeAmounts, ACouponAndATaxRateAreAppliedPerLineAndSummed) {
  const CouponTerms coupon{.percent_basis_points = 2000};
  const Totals totals =
      ComputeTotals({{19900, true, {1900}}, {4497, true, {1900}}, {99999, false, {1900}}}, &coupon);
  ASSERT_EQ(totals.lines.size(), 3u);
  EXPECT_EQ(totals.lines[0].discount, 3980);
  EXPECT_EQ(totals.lines[0].tax, 3025);
  EXPECT_EQ(totals.lines[1].discount, 899);
  EXPECT_EQ(totals.lines[1].tax, 684);
  EXPECT_EQ(totals.lines[2].discount, 0);
  EXPECT_EQ(totals.lines[2].tax, 19000);
  EXPECT_EQ(totals.subtotal, 124396);
  EXPECT_EQ(totals.discount, 4879);
  EXPECT_EQ(totals.tax, 22709);
  EXPECT_EQ(totals.total, 124396 - 4879 + 22709);
}

TEST(StripeFakeAmounts, AnAmountOffCouponIsSpreadInProportionAndNeverExceedsTheLines) {
  const CouponTerms coupon{.amount_off = 1000};
  const Totals totals =
      ComputeTotals({{3000, true, {}}, {1000, true, {}}, {500, false, {}}}, &coupon);
  EXPECT_EQ(totals.lines[0].discount, 750);
  EXPECT_EQ(totals.lines[1].discount, 250);
  EXPECT_EQ(totals.lines[2].discount, 0);
  const CouponTerms big{.amount_off = 100000};
  EXPECT_EQ(ComputeTotals({{3000, true, {}}}, &big).total, 0);
}

TEST(StripeFakeAmounts, SeveralTaxRatesOnALineEachTakeTheirShare) {
  const Totals totals = ComputeTotals({{10000, false, {700, 1900}}}, nullptr);
  EXPECT_EQ(totals.lines[0].taxes, (std::vector<std::int64_t>{700, 1900}));
  EXPECT_EQ(totals.total, 12600);
}

TEST(StripeFakeParams, PercentagesParseIntoBasisPoints) {
  EXPECT_EQ(ParseBasisPoints("19"), 1900);
  EXPECT_EQ(ParseBasisPoints("25.5"), 2550);
  EXPECT_EQ(ParseBasisPoints("7.25"), 725);
  EXPECT_EQ(ParseBasisPoints("7.250"), 725);
  EXPECT_EQ(ParseBasisPoints("0.5"), 50);
  EXPECT_FALSE(ParseBasisPoints("7.125"));
  EXPECT_FALSE(ParseBasisPoints("-1"));
  EXPECT_FALSE(ParseBasisPoints("19%"));
  EXPECT_FALSE(ParseBasisPoints("1e2"));
  EXPECT_FALSE(ParseBasisPoints(""));
  EXPECT_FALSE(ParseBasisPoints("5."));
}

}  // namespace
}  // namespace codezero::stripe_fake
