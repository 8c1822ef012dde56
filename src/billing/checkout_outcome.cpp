#include "billing/checkout_outcome.h"

#include "billing/referrals.h"
#include "billing/stripe_records.h"
#include "orders/order_store.h"

namespace codezero::billing {
namespace {

namespace asio = boost::asio;
using domain::OrderStatus;

constexpr db::Statement kRecordSubscription{
    "billing_checkout_subscription",
    "UPDATE orders SET stripe_subscription = coalesce(stripe_subscription, nullif($2, '')) "
    "WHERE id = $1::uuid"};

}  // namespace

std::optional<OrderStatus> CheckoutTargetOf(std::string_view event_type,
                                            const stripe::CheckoutSession& session) {
  if (event_type == "checkout.session.completed") {
    if (session.payment_status == "paid" || session.payment_status == "no_payment_required") {
      return OrderStatus::kPaid;
    }
    return std::nullopt;  // an asynchronous payment method: its own event follows
  }
  if (event_type == "checkout.session.async_payment_succeeded") return OrderStatus::kPaid;
  if (event_type == "checkout.session.async_payment_failed") return OrderStatus::kPaymentFailed;
  if (event_type == "checkout.session.expired") return OrderStatus::kExpired;
  return std::nullopt;
}

std::optional<OrderStatus> CheckoutTargetOf(const stripe::CheckoutSession& session,
                                            bool settle_expired) {
  if (session.Paid()) return OrderStatus::kPaid;
  if (settle_expired && session.status == "expired") return OrderStatus::kExpired;
  return std::nullopt;
}

asio::awaitable<Result<bool>> ApplyCheckoutOutcome(db::Transaction& tx,
                                                   const stripe::CheckoutSession& session,
                                                   std::optional<OrderStatus> target,
                                                   std::string cause, std::string stripe_event) {
  auto recorded = co_await tx.Execute(kRecordSubscription, session.order_id, session.subscription);
  if (!recorded) co_return tl::unexpected(recorded.error());
  if (!target) co_return false;
  auto moved = co_await orders::Move(tx, session.order_id, OrderStatus::kAwaitingPayment, *target,
                                     std::move(cause), std::move(stripe_event));
  if (!moved) co_return tl::unexpected(moved.error());
  // Paid: the first invoice is, so a referral code it was placed with is redeemed.
  if (*moved && *target == OrderStatus::kPaid) {
    auto referred = co_await RecordReferral(tx, session.order_id);
    if (!referred) co_return tl::unexpected(referred.error());
  }
  co_return *moved;
}

asio::awaitable<Result<std::optional<OrderStatus>>> SettleCheckoutSession(
    db::Pool& database, stripe::Client& stripe, std::string order_id, std::string session_id,
    bool settle_expired, std::string cause, std::string traceparent) {
  auto fetched = co_await FetchObject(stripe, "/v1/checkout/sessions", std::move(session_id));
  if (!fetched) co_return tl::unexpected(fetched.error());
  stripe::CheckoutSession session = stripe::DecodeCheckoutSession(*fetched);
  session.order_id = order_id;  // the order that names this session, whatever its metadata
  const std::optional<OrderStatus> target = CheckoutTargetOf(session, settle_expired);
  if (!target) co_return std::optional<OrderStatus>();
  auto moved =
      co_await database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<bool>> {
        tx.set_trace_context(traceparent);
        co_return co_await ApplyCheckoutOutcome(tx, session, target, cause, "");
      });
  if (!moved) co_return tl::unexpected(moved.error());
  co_return *moved ? target : std::optional<OrderStatus>();
}

}  // namespace codezero::billing
