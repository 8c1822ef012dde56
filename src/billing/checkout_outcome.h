// What a Checkout Session's outcome does to its order: paid → `paid` (which enqueues the
// provisioning), payment failed → `payment_failed`, expired → `expired`, each only from
// `awaiting_payment`, with the session's subscription recorded on the order. The same move is
// made whoever learns the outcome first: the worker from Stripe's event, the API when the
// buyer comes back (it asks Stripe), or the reconciliation for a session nobody told us about.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "common/error.h"
#include "db/pool.h"
#include "domain/order_status.h"
#include "stripe/client.h"
#include "stripe/objects.h"

namespace codezero::billing {

// The order status a `checkout.session.*` event gives its order; nullopt when it gives none
// (a completed session still waiting for an asynchronous payment).
[[nodiscard]] std::optional<domain::OrderStatus> CheckoutTargetOf(
    std::string_view event_type, const stripe::CheckoutSession& session);

// The order status a session as Stripe has it now gives its order: `paid` when it was paid,
// `expired` when it expired and `settle_expired`; nullopt otherwise.
[[nodiscard]] std::optional<domain::OrderStatus> CheckoutTargetOf(
    const stripe::CheckoutSession& session, bool settle_expired);

// In `tx`: records the session's subscription on its order and moves the order from
// `awaiting_payment` to `target` (when given). True when the order moved.
[[nodiscard]] boost::asio::awaitable<Result<bool>> ApplyCheckoutOutcome(
    db::Transaction& tx, const stripe::CheckoutSession& session,
    std::optional<domain::OrderStatus> target, std::string cause, std::string stripe_event);

// Asks Stripe for the order's session and applies its outcome in a transaction of its own
// (traced by `traceparent`). The moved-to status, or nullopt when the order did not move.
[[nodiscard]] boost::asio::awaitable<Result<std::optional<domain::OrderStatus>>>
SettleCheckoutSession(db::Pool& database, stripe::Client& stripe, std::string order_id,
                      std::string session_id, bool settle_expired, std::string cause,
                      std::string traceparent);

}  // namespace codezero::billing
