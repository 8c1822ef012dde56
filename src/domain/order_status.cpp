#include "domain/order_status.h"

#include <array>
#include <utility>

namespace codezero::domain {
namespace {

using enum OrderStatus;

constexpr std::array<std::pair<OrderStatus, std::string_view>, 9> kOrderStatusNames{{
    {kAwaitingPayment, "awaiting_payment"},
    {kPaid, "paid"},
    {kProvisioning, "provisioning"},
    {kActive, "active"},
    {kExpired, "expired"},
    {kPaymentFailed, "payment_failed"},
    {kPastDue, "past_due"},
    {kCanceled, "canceled"},
    {kRefunded, "refunded"},
}};

constexpr std::array<std::pair<OrderStatus, OrderStatus>, 12> kMoves{{
    {kAwaitingPayment, kPaid},
    {kAwaitingPayment, kExpired},
    {kAwaitingPayment, kPaymentFailed},
    {kPaid, kProvisioning},
    {kProvisioning, kActive},
    {kActive, kPastDue},
    {kActive, kCanceled},
    {kPastDue, kActive},
    {kPastDue, kCanceled},
    {kPaid, kRefunded},
    {kProvisioning, kRefunded},
    {kActive, kRefunded},
}};

}  // namespace

std::string_view ToString(OrderStatus status) {
  for (const auto& [value, name] : kOrderStatusNames) {
    if (value == status) return name;
  }
  return "unknown";
}

std::optional<OrderStatus> ParseOrderStatus(std::string_view text) {
  for (const auto& [value, name] : kOrderStatusNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

bool CanMove(OrderStatus from, OrderStatus to) {
  for (const auto& [a, b] : kMoves) {
    if (a == from && b == to) return true;
  }
  return false;
}

bool IsFinal(OrderStatus status) {
  for (const auto& [a, b] : kMoves) {
    if (a == status) return false;
  }
  return true;
}

}  // namespace codezero::domain
