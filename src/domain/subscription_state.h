// Which state of a Stripe subscription gives which order and workspace state: the rule the
// billing layer applies whenever it learns a subscription's current status (an event, the
// reconciliation), as a pure function over every pair.
//
//   subscription          order active | past_due        the workspace
//   active, trialing      → active (from past_due)        active again
//   past_due, unpaid,     → past_due (from active)        past_due (reduced access)
//   paused
//   canceled,             → canceled                      canceled, and the customer is told
//   incomplete_expired
//   incomplete            nothing (the first payment is still open)
//
// An order in any other status (not yet provisioned, or already final) does not follow its
// subscription: it is moved by its checkout, its provisioning or a refund. Statuses per
// https://docs.stripe.com/api/subscriptions/object#subscription_object-status.
#pragma once

#include <optional>
#include <string_view>

#include "domain/order_status.h"

namespace codezero::domain {

enum class SubscriptionStatus {
  kIncomplete,
  kIncompleteExpired,
  kTrialing,
  kActive,
  kPastDue,
  kCanceled,
  kUnpaid,
  kPaused,
};

[[nodiscard]] std::string_view ToString(SubscriptionStatus status);
[[nodiscard]] std::optional<SubscriptionStatus> ParseSubscriptionStatus(std::string_view text);

// Whether a subscription in Stripe's `status` has ended for good (canceled, incomplete_expired):
// nothing renews, ends or changes it any more.
[[nodiscard]] bool HasEnded(std::string_view status);

enum class WorkspaceStatus { kActive, kPastDue, kCanceled };

[[nodiscard]] std::string_view ToString(WorkspaceStatus status);

struct SubscriptionFollowUp {
  std::optional<OrderStatus> order;          // the order's move, from its current status
  std::optional<WorkspaceStatus> workspace;  // the workspace's status that goes with the move
  bool tell_customer_it_ended = false;       // the subscription ended the order
  bool entitlements_follow_items = true;     // a running subscription's items grant access
};

// What an order in `order` does when its subscription is in `subscription`. A returned move is
// always one CanMove allows.
[[nodiscard]] SubscriptionFollowUp FollowSubscription(OrderStatus order,
                                                      SubscriptionStatus subscription);

}  // namespace codezero::domain
