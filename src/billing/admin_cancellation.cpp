#include "billing/admin_cancellation.h"

#include <algorithm>

#include "billing/stripe_records.h"
#include "billing/subscription_cancel.h"
#include "common/log.h"
#include "domain/subscription_change.h"
#include "domain/subscription_state.h"
#include "stripe/api_error.h"
#include "stripe/objects.h"

namespace codezero::billing {
namespace {

namespace asio = boost::asio;

// The subscription and the invoice that paid for its present period: the first one or the
// last renewal (not a change's prorations, which this refund leaves alone).
constexpr db::Statement kCancelledSubscription{
    "admin_cancel_subscription",
    "SELECT s.stripe_id, s.status, "
    "coalesce(extract(epoch FROM s.current_period_start)::bigint, 0), "
    "coalesce(extract(epoch FROM s.current_period_end)::bigint, 0), o.currency, "
    "coalesce(i.stripe_id, ''), coalesce(i.amount_paid, 0) "
    "FROM subscriptions s JOIN orders o ON o.id = s.order_id "
    "LEFT JOIN LATERAL (SELECT stripe_id, amount_paid FROM invoices WHERE order_id = s.order_id "
    "  AND status = 'paid' AND amount_paid > 0 "
    "  AND billing_reason IN ('subscription_create', 'subscription_cycle') "
    "  ORDER BY coalesce(paid_at, created_at) DESC, created_at DESC LIMIT 1) i ON true "
    "WHERE s.id = $1::uuid"};

}  // namespace

asio::awaitable<Result<ImmediateCancellation>> CancelImmediately(db::Pool& database,
                                                                 stripe::Client& stripe,
                                                                 std::string subscription,
                                                                 RefundChoice refund) {
  auto rows = co_await database.Execute(kCancelledSubscription, subscription);
  if (!rows) co_return tl::unexpected(rows.error());
  if (rows->empty()) co_return Fail(ErrorCode::kNotFound, "No such subscription.");
  const std::string stripe_id(rows->Text(0, 0));
  if (domain::HasEnded(rows->Text(0, 1))) {
    co_return Fail(ErrorCode::kConflict, "The subscription has ended already.");
  }
  const std::int64_t start = rows->Int64(0, 2);
  const std::int64_t end = rows->Int64(0, 3);
  ImmediateCancellation done;
  done.currency = std::string(rows->Text(0, 4));
  const std::string invoice(rows->Text(0, 5));
  const std::int64_t paid = rows->Int64(0, 6);
  auto canceled = co_await CancelAtStripe(stripe, stripe_id, false, "admin");
  if (!canceled) co_return tl::unexpected(canceled.error());
  if (refund == RefundChoice::kNone || invoice.empty() || paid <= 0) co_return done;
  // The unused part counts from when Stripe ended it, which a second request (a double click,
  // a retry after a lost answer) reads the same: the same amount under the same key, so Stripe
  // replays the one refund instead of making another.
  auto ended = co_await FetchObject(stripe, "/v1/subscriptions", stripe_id);
  if (!ended) co_return tl::unexpected(ended.error());
  const std::int64_t ended_at = stripe::IntOf(*ended, "ended_at")
                                    .value_or(stripe::IntOf(*ended, "canceled_at").value_or(end));
  std::int64_t amount = paid;
  if (refund == RefundChoice::kProrated) {
    const std::int64_t unused = std::clamp<std::int64_t>(end - ended_at, 0, end - start);
    amount = end > start
                 ? std::clamp<std::int64_t>(domain::Prorated(paid, unused, end - start), 0, paid)
                 : 0;
  }
  if (amount > 0) {
    auto fetched = co_await FetchObject(stripe, "/v1/invoices", invoice);
    if (!fetched) co_return tl::unexpected(fetched.error());
    const std::string payment = stripe::StringOf(*fetched, "payment_intent");
    if (payment.empty()) co_return Fail(ErrorCode::kConflict, "The invoice has no payment.");
    stripe::FormFields fields{{"payment_intent", payment},
                              {"amount", std::to_string(amount)},
                              {"reason", "requested_by_customer"},
                              {"metadata[subscription]", stripe_id}};
    auto refunded = co_await stripe.Post("/v1/refunds", std::move(fields),
                                         "subscription:" + stripe_id + ":admin_refund");
    if (!refunded) co_return tl::unexpected(stripe::ToError(refunded.error()));
    done.refunded = amount;
  }
  log::Info("subscription ended at once by staff",
            {{"subscription", stripe_id}, {"refunded", done.refunded}});
  co_return done;
}

}  // namespace codezero::billing
