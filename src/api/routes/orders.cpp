#include "api/routes/orders.h"

#include <memory>

#include "api/page_window.h"
#include "auth/bearer.h"
#include "billing/checkout_outcome.h"
#include "common/log.h"
#include "common/uuid.h"
#include "http/json_body.h"

namespace codezero::api {
namespace {

namespace asio = boost::asio;

// One row: the whole order as JSON, built by PostgreSQL in one round trip.
constexpr db::Statement kOrder{
    "orders_one",
    "SELECT o.status, coalesce(o.stripe_checkout_session, ''), json_build_object("
    "'id', o.id, 'status', o.status, 'created_at', iso8601(o.created_at), "
    "'updated_at', iso8601(o.updated_at), 'catalog_version', o.catalog_version, "
    "'quote_id', o.quote_id, 'plan', o.plan, 'interval', o.billing_interval, "
    "'currency', o.currency, 'locale', o.locale, "
    "'lines', (SELECT coalesce(json_agg(json_build_object('code', l.code, 'kind', l.kind, "
    "  'description', l.description, 'quantity', l.quantity, 'unit_amount', l.unit_amount, "
    "  'amount', l.amount, 'amount_discount', l.amount_discount, 'amount_tax', l.amount_tax, "
    "  'tax_rate_bps', l.tax_rate_bps, 'recurring', l.recurring) ORDER BY l.position), '[]') "
    "  FROM order_lines l WHERE l.order_id = o.id), "
    "'amount_subtotal', o.amount_subtotal, 'amount_discount', o.amount_discount, "
    "'amount_tax', o.amount_tax, 'amount_total', o.amount_total, "
    "'recurring', json_build_object('interval', o.billing_interval, "
    "  'amount_subtotal', o.recurring_subtotal, 'amount_tax', o.recurring_tax, "
    "  'amount_total', o.recurring_total), "
    "'tax', json_build_object('treatment', o.tax_treatment, 'country', o.tax_country, "
    "  'rate_bps', o.tax_rate_bps, 'vat_id', o.vat_id), "
    "'discount', CASE WHEN o.discount_code IS NULL THEN NULL ELSE json_build_object("
    "  'kind', o.discount_kind, 'code', o.discount_code, "
    "  'percent_off_bps', o.discount_percent_bps) END, "
    "'checkout', json_build_object('session_id', o.stripe_checkout_session, "
    "  'url', CASE WHEN o.status = 'awaiting_payment' THEN o.checkout_url END, "
    "  'expires_at', iso8601(o.checkout_expires_at)), "
    "'subscription_id', o.stripe_subscription, "
    "'customer_type', o.customer_type, "
    "'terms_accepted_at', iso8601(o.terms_accepted_at), "
    "'early_performance_requested_at', iso8601(o.early_performance_requested_at), "
    "'workspace', (SELECT json_build_object('id', w.id, 'status', w.status, 'plan', w.plan, "
    "  'entitlements', w.entitlements, 'licence_prefix', li.key_prefix) "
    "  FROM workspaces w LEFT JOIN licences li ON li.workspace_id = w.id "
    "  WHERE w.order_id = o.id), "
    "'history', (SELECT json_agg(json_build_object('from', h.from_status, 'to', h.to_status, "
    "  'cause', h.cause, 'at', iso8601(h.occurred_at)) ORDER BY h.id) "
    "  FROM order_status_history h WHERE h.order_id = o.id)"
    ")::text FROM orders o WHERE o.id = $1::uuid AND o.company_id = $2::uuid"};

// A page of summaries and whether more follow (one row more than asked is read). Rows are
// numbered before the offset skips any: the page is those numbered up to offset + limit.
constexpr db::Statement kOrders{
    "orders_list",
    "SELECT coalesce(json_agg(json_build_object('id', id, 'status', status, 'plan', plan, "
    "'interval', billing_interval, 'currency', currency, 'amount_total', amount_total, "
    "'recurring_total', recurring_total, 'created_at', iso8601(created_at)) "
    "ORDER BY n) FILTER (WHERE n <= $3::bigint + $2::bigint), '[]')::text, "
    "count(*) > $2::bigint "
    "FROM (SELECT *, row_number() OVER (ORDER BY created_at DESC, id DESC) AS n FROM orders "
    "WHERE company_id = $1::uuid ORDER BY created_at DESC, id DESC "
    "LIMIT $2::bigint + 1 OFFSET $3::bigint) page"};

// Asks the billing layer to settle a paid session, which records the move exactly as the
// worker would for Stripe's event. Failures only leave the order as it is: the webhook will
// tell.
asio::awaitable<void> ConfirmIfPaid(const OrderDependencies& deps, std::string order_id,
                                    std::string session_id, std::string traceparent) {
  auto moved = co_await billing::SettleCheckoutSession(
      deps.database, deps.stripe, order_id, session_id, /*settle_expired=*/false,
      "checkout session paid (confirmed on read)", std::move(traceparent));
  if (!moved) {
    log::Warn("paid order not confirmed on read",
              {{"order_id", order_id}, {"reason", moved.error().reason}});
  } else if (*moved) {
    log::Info("order confirmed on read", {{"order_id", order_id}, {"session", session_id}});
  }
}

// Whether this read may ask Stripe about the order: the first in each `confirm_interval`.
asio::awaitable<bool> MayAskStripe(const OrderDependencies& deps, std::string order_id) {
  const redis::SetOptions once{.expire = deps.confirm_interval, .only_if_absent = true};
  auto claimed = co_await deps.cache.Set("order-confirm:" + order_id, "1", once);
  co_return claimed.has_value() && claimed.value();
}

asio::awaitable<Result<http::Response>> ShowOrder(const OrderDependencies& deps,
                                                  http::Request& request,
                                                  http::RequestContext& context,
                                                  const auth::Principal& me) {
  const std::string order_id(context.Param("id"));
  if (!IsUuid(order_id)) co_return Fail(ErrorCode::kNotFound, "No such order.");
  auto order = co_await deps.database.Execute(kOrder, order_id, me.company_id);
  if (!order) co_return tl::unexpected(order.error());
  if (order->empty()) co_return Fail(ErrorCode::kNotFound, "No such order.");
  const std::string session(order->Text(0, 1));
  bool ask_stripe =
      order->Text(0, 0) == "awaiting_payment" && !session.empty() && deps.stripe.configured();
  if (ask_stripe) ask_stripe = co_await MayAskStripe(deps, order_id);
  if (ask_stripe) {
    co_await ConfirmIfPaid(deps, order_id, session, context.traceparent());
    order = co_await deps.database.Execute(kOrder, order_id, me.company_id);
    if (!order) co_return tl::unexpected(order.error());
    if (order->empty()) co_return Fail(ErrorCode::kNotFound, "No such order.");
  }
  co_return http::JsonTextResponse(http::Status::ok, std::string(order->Text(0, 2)),
                                   request.version());
}

asio::awaitable<Result<http::Response>> ListOrders(const OrderDependencies& deps,
                                                   http::Request& request,
                                                   http::RequestContext& context,
                                                   const auth::Principal& me) {
  const auto window = PageWindowOf(context.query);
  if (!window) co_return tl::unexpected(window.error());
  auto page = co_await deps.database.Execute(kOrders, me.company_id, window->limit, window->offset);
  if (!page) co_return tl::unexpected(page.error());
  std::string body = PageBody(*page);
  co_return http::JsonTextResponse(http::Status::ok, std::move(body), request.version());
}

}  // namespace

void AddOrderRoutes(RouteTable& routes, OrderDependencies dependencies) {
  auto deps = std::make_shared<const OrderDependencies>(dependencies);
  routes.Add(http::Verb::get, "/v1/orders",
             {.operation = "listOrders", .caller = Caller::kCompanyMember},
             Bound(deps, ListOrders));
  routes.Add(http::Verb::get, "/v1/orders/{id}",
             {.operation = "getOrder", .caller = Caller::kCompanyMember}, Bound(deps, ShowOrder));
}

}  // namespace codezero::api
