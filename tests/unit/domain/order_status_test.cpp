#include "domain/order_status.h"

#include <gtest/gtest.h>

namespace codezero::domain {
namespace {

using enum OrderStatus;

TEST(OrderStatus, FollowsThePaidPathToActive) {
  EXPECT_TRUE(CanMove(kAwaitingPayment, kPaid));
  EXPECT_TRUE(CanMove(kPaid, kProvisioning));
  EXPECT_TRUE(CanMove(kProvisioning, kActive));
  EXPECT_TRUE(CanMove(kActive, kPastDue));
  EXPECT_TRUE(CanMove(kPastDue, kActive));
  EXPECT_TRUE(CanMove(kPastDue, kCanceled));
  EXPECT_TRUE(CanMove(kActive, kRefunded));
}

TEST(OrderStatus, RefusesMovesBackwardsAndOutOfFinalStates) {
  EXPECT_FALSE(CanMove(kPaid, kAwaitingPayment));
  EXPECT_FALSE(CanMove(kActive, kPaid));
  EXPECT_FALSE(CanMove(kAwaitingPayment, kActive));
  EXPECT_FALSE(CanMove(kExpired, kPaid));
  EXPECT_FALSE(CanMove(kPaid, kPaid));
  for (const OrderStatus final_status : {kExpired, kPaymentFailed, kCanceled, kRefunded}) {
    EXPECT_TRUE(IsFinal(final_status)) << ToString(final_status);
  }
  EXPECT_FALSE(IsFinal(kAwaitingPayment));
  EXPECT_FALSE(IsFinal(kPastDue));
}

TEST(OrderStatus, RoundTripsItsNames) {
  for (const OrderStatus status : {kAwaitingPayment, kPaid, kProvisioning, kActive, kExpired,
                                   kPaymentFailed, kPastDue, kCanceled, kRefunded}) {
    EXPECT_EQ(ParseOrderStatus(ToString(status)), status);
  }
  EXPECT_EQ(ParseOrderStatus("shipped"), std::nullopt);
}

}  // namespace
}  // namespace codezero::domain
