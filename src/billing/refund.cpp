#include "billing/refund.h"

#include "billing/order_context.h"
#include "billing/referrals.h"
#include "billing/subscription_cancel.h"
#include "common/uuid.h"
#include "orders/order_store.h"

namespace codezero::billing {
namespace {

namespace asio = boost::asio;
using domain::OrderStatus;

constexpr db::Statement kInvoiceOrder{
    "billing_refund_invoice_order",
    "SELECT coalesce(order_id::text, '') FROM invoices WHERE stripe_id = $1"};
constexpr db::Statement kOrderStatus{"billing_refund_order",
                                     "SELECT status, coalesce(stripe_subscription, '') FROM orders "
                                     "WHERE id = $1::uuid FOR NO KEY UPDATE"};
constexpr db::Statement kCancelWorkspace{
    "billing_refund_cancel_workspace",
    "UPDATE workspaces SET status = 'canceled' WHERE order_id = $1::uuid "
    "AND status <> 'canceled' RETURNING id::text"};

}  // namespace

asio::awaitable<Result<bool>> ApplyRefund(db::Transaction& tx, const stripe::Charge& charge,
                                          std::string order_hint, std::string cause,
                                          std::string stripe_event) {
  if (!charge.refunded) co_return false;  // partly refunded: the order stands
  std::string order_id = std::move(order_hint);
  if (!charge.invoice.empty()) {
    auto known = co_await tx.Execute(kInvoiceOrder, charge.invoice);
    if (!known) co_return tl::unexpected(known.error());
    if (!known->empty() && !known->Text(0, 0).empty()) order_id = std::string(known->Text(0, 0));
  }
  if (!IsUuid(order_id)) co_return false;
  auto order = co_await tx.Execute(kOrderStatus, order_id);
  if (!order) co_return tl::unexpected(order.error());
  if (order->empty()) co_return false;
  const auto status = domain::ParseOrderStatus(order->Text(0, 0));
  if (!status || !domain::CanMove(*status, OrderStatus::kRefunded)) co_return false;
  auto moved =
      co_await orders::Move(tx, order_id, *status, OrderStatus::kRefunded, cause, stripe_event);
  if (!moved) co_return tl::unexpected(moved.error());
  if (!*moved) co_return false;
  auto withdrawn = co_await WithdrawReferral(tx, order_id);
  if (!withdrawn) co_return tl::unexpected(withdrawn.error());
  // Refunded in full: Stripe must stop charging for it, not only this database.
  if (const std::string subscription(order->Text(0, 1)); !subscription.empty()) {
    auto cancel = co_await EnqueueSubscriptionCancel(tx, subscription, false, "refund");
    if (!cancel) co_return tl::unexpected(cancel.error());
  }
  auto canceled = co_await tx.Execute(kCancelWorkspace, order_id);
  if (!canceled) co_return tl::unexpected(canceled.error());
  if (!canceled->empty()) {
    auto notice = co_await EnqueueProvisioningNotice(tx, std::string(canceled->Text(0, 0)));
    if (!notice) co_return tl::unexpected(notice.error());
  }
  co_return true;
}

}  // namespace codezero::billing
