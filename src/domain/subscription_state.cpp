#include "domain/subscription_state.h"

#include <array>
#include <utility>

namespace codezero::domain {
namespace {

using enum SubscriptionStatus;

constexpr std::array<std::pair<SubscriptionStatus, std::string_view>, 8> kNames{{
    {kIncomplete, "incomplete"},
    {kIncompleteExpired, "incomplete_expired"},
    {kTrialing, "trialing"},
    {kActive, "active"},
    {kPastDue, "past_due"},
    {kCanceled, "canceled"},
    {kUnpaid, "unpaid"},
    {kPaused, "paused"},
}};

bool Running(SubscriptionStatus status) { return status == kActive || status == kTrialing; }
bool Lapsed(SubscriptionStatus status) {
  return status == kPastDue || status == kUnpaid || status == kPaused;
}
bool Ended(SubscriptionStatus status) {
  return status == kCanceled || status == kIncompleteExpired;
}

}  // namespace

std::string_view ToString(SubscriptionStatus status) {
  for (const auto& [value, name] : kNames) {
    if (value == status) return name;
  }
  return "unknown";
}

bool HasEnded(std::string_view status) {
  const auto parsed = ParseSubscriptionStatus(status);
  return parsed && Ended(*parsed);
}

std::optional<SubscriptionStatus> ParseSubscriptionStatus(std::string_view text) {
  for (const auto& [value, name] : kNames) {
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
