#include "domain/subscription_state.h"

#include <array>
#include <utility>

namespace codezero::domain {
namespace {

constexpr std::array<std::pair<SubscriptionStatus, std::string_view>, 8> kSubscriptionStatusNames{{
    {SubscriptionStatus::kIncomplete, "incomplete"},
    {SubscriptionStatus::kIncompleteExpired, "incomplete_expired"},
    {SubscriptionStatus::kTrialing, "trialing"},
    {SubscriptionStatus::kActive, "active"},
    {SubscriptionStatus::kPastDue, "past_due"},
    {SubscriptionStatus::kCanceled, "canceled"},
    {SubscriptionStatus::kUnpaid, "unpaid"},
    {SubscriptionStatus::kPaused, "paused"},
}};

bool Running(SubscriptionStatus status) {
  return status == SubscriptionStatus::kActive || status == SubscriptionStatus::kTrialing;
}
bool Lapsed(SubscriptionStatus status) {
  return status == SubscriptionStatus::kPastDue || status == SubscriptionStatus::kUnpaid ||
         status == SubscriptionStatus::kPaused;
}
bool Ended(SubscriptionStatus status) {
  return status == SubscriptionStatus::kCanceled ||
         status == SubscriptionStatus::kIncompleteExpired;
}

}  // namespace

std::string_view ToString(SubscriptionStatus status) {
  for (const auto& [value, name] : kSubscriptionStatusNames) {
    if (value == status) return name;
  }
  return "unknown";
}

bool HasEnded(std::string_view status) {
  const auto parsed = ParseSubscriptionStatus(status);
  return parsed && Ended(*parsed);
}

std::optional<SubscriptionStatus> ParseSubscriptionStatus(std::string_view text) {
  for (const auto& [value, name] : kSubscriptionStatusNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

std::string_view ToString(WorkspaceStatus status) {
  switch (status) {
    case WorkspaceStatus::kActive:
      return "active";
    case WorkspaceStatus::kPastDue:
      return "past_due";
    case WorkspaceStatus::kCanceled:
      return "canceled";
  }
  return "unknown";
}

SubscriptionFollowUp FollowSubscription(OrderStatus order, SubscriptionStatus subscription) {
  SubscriptionFollowUp follow_up;
  follow_up.entitlements_follow_items = !Ended(subscription);
  const bool following = order == OrderStatus::kActive || order == OrderStatus::kPastDue;
  if (!following) return follow_up;
  if (Lapsed(subscription) && order == OrderStatus::kActive) {
    follow_up.order = OrderStatus::kPastDue;
    follow_up.workspace = WorkspaceStatus::kPastDue;
  } else if (Running(subscription) && order == OrderStatus::kPastDue) {
    follow_up.order = OrderStatus::kActive;
    follow_up.workspace = WorkspaceStatus::kActive;
  } else if (Ended(subscription)) {
    follow_up.order = OrderStatus::kCanceled;
    follow_up.workspace = WorkspaceStatus::kCanceled;
    follow_up.tell_customer_it_ended = true;
  }
  return follow_up;
}

}  // namespace codezero::domain
