// Every job kind of the platform, as a typed constant: its name (the `jobs.kind` column), its
// queue, how often it is tried before it is discarded, and how long one attempt may run. The
// same constant is used where a job is enqueued (queue::Enqueue, the webhook's single insert),
// where its handler is registered (worker::Registry) and where the worker checks at start that
// every kind has a handler. With the attempt⁴ backoff, 20 attempts span about 11.5 days, 5
// about 15 minutes.
#pragma once

#include <array>
#include <chrono>
#include <string_view>

namespace codezero::queue {

inline constexpr int kDefaultMaxAttempts = 20;

struct JobKind {
  std::string_view name;
  std::string_view queue = "default";
  int max_attempts = kDefaultMaxAttempts;
  std::chrono::milliseconds timeout{60'000};  // an attempt running longer fails
};

namespace kinds {
using std::chrono::minutes;
using std::chrono::seconds;

// Test and smoke work: {"sleep_ms"?, "fail"?}.
inline constexpr JobKind kWorkerNoop{.name = "worker.noop"};
inline constexpr JobKind kEmailSend{
    .name = "email.send", .queue = "email", .timeout = seconds(120)};
inline constexpr JobKind kOrderProvision{.name = "order.provision"};
inline constexpr JobKind kProvisioningNotify{.name = "provisioning.notify", .timeout = seconds(30)};
inline constexpr JobKind kStripeProcessEvent{.name = "stripe.process_event"};
inline constexpr JobKind kStripeCancelSubscription{.name = "stripe.cancel_subscription"};
inline constexpr JobKind kStripeSyncCustomer{.name = "stripe.sync_customer"};
// {"subscription"}: Stripe's cancel_at_period_end made to follow the customer's cancellation.
inline constexpr JobKind kStripeFollowCancellation{.name = "stripe.follow_cancellation"};
// {"subscription"}: a change recorded for the period's end, made at Stripe before the renewal.
inline constexpr JobKind kSubscriptionApplyChange{.name = "subscription.apply_change"};
// {"subscription"} (the public id): a cancellation received before a renewal that came first
// ends the subscription now and refunds that renewal.
inline constexpr JobKind kSubscriptionEndWithRefund{.name = "subscription.end_with_refund"};
// {"redemption"}: a referral's credit at the end of its holding period, and its reversal.
inline constexpr JobKind kReferralCredit{.name = "referral.credit"};
inline constexpr JobKind kReferralReverse{.name = "referral.reverse"};
// Periodic work is scheduled again soon anyway: no point in retrying it for days.
inline constexpr JobKind kBillingReconcile{
    .name = "billing.reconcile", .max_attempts = 5, .timeout = minutes(10)};
inline constexpr JobKind kBillingFollowVatRates{
    .name = "billing.follow_vat_rates", .max_attempts = 5, .timeout = minutes(10)};
inline constexpr JobKind kMaintenanceCleanup{
    .name = "maintenance.cleanup", .max_attempts = 5, .timeout = minutes(10)};
}  // namespace kinds

inline constexpr std::array<const JobKind*, 15> kAllKinds{
    &kinds::kWorkerNoop,
    &kinds::kEmailSend,
    &kinds::kOrderProvision,
    &kinds::kProvisioningNotify,
    &kinds::kStripeProcessEvent,
    &kinds::kStripeCancelSubscription,
    &kinds::kStripeSyncCustomer,
    &kinds::kStripeFollowCancellation,
    &kinds::kReferralCredit,
    &kinds::kReferralReverse,
    &kinds::kSubscriptionApplyChange,
    &kinds::kSubscriptionEndWithRefund,
    &kinds::kBillingReconcile,
    &kinds::kBillingFollowVatRates,
    &kinds::kMaintenanceCleanup,
};

// The kind named `name`; null for a name no kind has.
[[nodiscard]] const JobKind* FindKind(std::string_view name);

// The kind's attempts; kDefaultMaxAttempts for a name no kind has.
[[nodiscard]] int MaxAttemptsOf(std::string_view name);

}  // namespace codezero::queue
