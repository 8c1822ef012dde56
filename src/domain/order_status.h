// An order's life (issue 5), as a table of allowed moves:
//
//   awaiting_payment → paid → provisioning → active
//   awaiting_payment → expired | payment_failed
//   active → past_due → active | canceled        (and active → canceled)
//   paid | provisioning | active → refunded
//
// Anything else is refused, which is how a repeated or stale Stripe event changes nothing: the
// order already moved on, the move from the event's expected status no longer applies.
#pragma once

#include <optional>
#include <string_view>

namespace codezero::domain {

enum class OrderStatus {
  kAwaitingPayment,
  kPaid,
  kProvisioning,
  kActive,
  kExpired,
  kPaymentFailed,
  kPastDue,
  kCanceled,
  kRefunded,
};

[[nodiscard]] std::string_view ToString(OrderStatus status);
[[nodiscard]] std::optional<OrderStatus> ParseOrderStatus(std::string_view text);

[[nodiscard]] bool CanMove(OrderStatus from, OrderStatus to);

// No move leads out of it.
[[nodiscard]] bool IsFinal(OrderStatus status);

}  // namespace codezero::domain
