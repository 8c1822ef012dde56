#include "domain/subscription_state.h"

#include <gtest/gtest.h>

#include <tuple>
#include <vector>

namespace codezero::domain {
namespace {

constexpr OrderStatus kOrders[] = {
    OrderStatus::kAwaitingPayment, OrderStatus::kPaid,     OrderStatus::kProvisioning,
    OrderStatus::kActive,          OrderStatus::kExpired,  OrderStatus::kPaymentFailed,
    OrderStatus::kPastDue,         OrderStatus::kCanceled, OrderStatus::kRefunded,
};
constexpr SubscriptionStatus kSubscriptions[] = {
    SubscriptionStatus::kIncomplete, SubscriptionStatus::kIncompleteExpired,
    SubscriptionStatus::kTrialing,   SubscriptionStatus::kActive,
    SubscriptionStatus::kPastDue,    SubscriptionStatus::kCanceled,
    SubscriptionStatus::kUnpaid,     SubscriptionStatus::kPaused,
};

// The expected follow-up of every pair that changes something; every other pair changes
// nothing.
struct Expected {
  OrderStatus order;
  SubscriptionStatus subscription;
  OrderStatus to;
  WorkspaceStatus workspace;
};
const std::vector<Expected> kChanges = {
    {OrderStatus::kActive, SubscriptionStatus::kPastDue, OrderStatus::kPastDue,
     WorkspaceStatus::kPastDue},
    {OrderStatus::kActive, SubscriptionStatus::kUnpaid, OrderStatus::kPastDue,
     WorkspaceStatus::kPastDue},
    {OrderStatus::kActive, SubscriptionStatus::kPaused, OrderStatus::kPastDue,
     WorkspaceStatus::kPastDue},
    {OrderStatus::kActive, SubscriptionStatus::kCanceled, OrderStatus::kCanceled,
     WorkspaceStatus::kCanceled},
    {OrderStatus::kActive, SubscriptionStatus::kIncompleteExpired, OrderStatus::kCanceled,
     WorkspaceStatus::kCanceled},
    {OrderStatus::kPastDue, SubscriptionStatus::kActive, OrderStatus::kActive,
     WorkspaceStatus::kActive},
    {OrderStatus::kPastDue, SubscriptionStatus::kTrialing, OrderStatus::kActive,
     WorkspaceStatus::kActive},
    {OrderStatus::kPastDue, SubscriptionStatus::kCanceled, OrderStatus::kCanceled,
     WorkspaceStatus::kCanceled},
    {OrderStatus::kPastDue, SubscriptionStatus::kIncompleteExpired, OrderStatus::kCanceled,
     WorkspaceStatus::kCanceled},
};

const Expected* ExpectedChange(OrderStatus order, SubscriptionStatus subscription) {
  for (const Expected& change : kChanges) {
    if (change.order == order && change.subscription == subscription) return &change;
  }
  return nullptr;
}

TEST(SubscriptionState, GivesTheOrderAndWorkspaceStateOfEveryPair) {
  for (const OrderStatus order : kOrders) {
    for (const SubscriptionStatus subscription : kSubscriptions) {
      SCOPED_TRACE(std::string(ToString(order)) + " / " + std::string(ToString(subscription)));
      const SubscriptionFollowUp follow_up = FollowSubscription(order, subscription);
      const Expected* expected = ExpectedChange(order, subscription);
      if (expected == nullptr) {
        EXPECT_EQ(follow_up.order, std::nullopt);
        EXPECT_EQ(follow_up.workspace, std::nullopt);
        EXPECT_FALSE(follow_up.tell_customer_it_ended);
        continue;
      }
      EXPECT_EQ(follow_up.order, expected->to);
      EXPECT_EQ(follow_up.workspace, expected->workspace);
      EXPECT_EQ(follow_up.tell_customer_it_ended, expected->to == OrderStatus::kCanceled);
    }
  }
}

TEST(SubscriptionState, OnlyMakesMovesTheOrderTableAllows) {
  for (const OrderStatus order : kOrders) {
    for (const SubscriptionStatus subscription : kSubscriptions) {
      const SubscriptionFollowUp follow_up = FollowSubscription(order, subscription);
      if (follow_up.order) {
        EXPECT_TRUE(CanMove(order, *follow_up.order))
            << ToString(order) << " -> " << ToString(*follow_up.order);
      }
    }
  }
}

TEST(SubscriptionState, EntitlementsFollowTheItemsUntilTheSubscriptionEnds) {
  for (const OrderStatus order : kOrders) {
    for (const SubscriptionStatus subscription : kSubscriptions) {
      const bool ended = subscription == SubscriptionStatus::kCanceled ||
                         subscription == SubscriptionStatus::kIncompleteExpired;
      EXPECT_EQ(FollowSubscription(order, subscription).entitlements_follow_items, !ended);
    }
  }
}

TEST(SubscriptionState, RoundTripsStripesStatusNames) {
  for (const SubscriptionStatus status : kSubscriptions) {
    EXPECT_EQ(ParseSubscriptionStatus(ToString(status)), status);
  }
  EXPECT_EQ(ParseSubscriptionStatus("ended"), std::nullopt);
}

TEST(SubscriptionState, OnlyCanceledAndIncompleteExpiredHaveEnded) {
  for (const SubscriptionStatus status : kSubscriptions) {
    EXPECT_EQ(HasEnded(ToString(status)), status == SubscriptionStatus::kCanceled ||
                                              status == SubscriptionStatus::kIncompleteExpired)
        << ToString(status);
  }
  EXPECT_FALSE(HasEnded("ended"));  // not a status: nothing is known to have ended
}

}  // namespace
}  // namespace codezero::domain
