#include "api/routes/subscriptions.h"

#include <memory>

#include "auth/bearer.h"
#include "billing/subscription_term.h"
#include "common/uuid.h"
#include "http/json_body.h"

namespace codezero::api {
namespace {

namespace asio = boost::asio;

// Whether the subscription ends with its period: the customer's last word (cancellation or
// resumption) as soon as it is received, before Stripe has followed it; Stripe's flag when the
// customer has said nothing (a closed company's subscription ends too).
#define CODEZERO_ENDING                                                       \
  "(CASE WHEN s.cancellation_changed_at IS NULL THEN s.cancel_at_period_end " \
  "ELSE s.cancellation_received_at IS NOT NULL END)"

// One subscription as JSON (row `s` of subscriptions, `o` its order). The next invoice's amount
// is the order's recurring total while the VAT rate is the order's; after a rate change it is
// not known here (null) until Stripe invoices it.
#define CODEZERO_SUBSCRIPTION_JSON                                                           \
  "json_build_object('id', s.id, 'status', s.status, 'plan', o.plan, "                       \
  "'interval', o.billing_interval, 'currency', o.currency, "                                 \
  "'items', (SELECT coalesce(json_agg(json_build_object('code', nullif(e->>'code', ''), "    \
  "  'quantity', (e->>'quantity')::bigint)), '[]') FROM jsonb_array_elements(s.items) e), "  \
  "'current_period', json_build_object('start', iso8601(s.current_period_start), "           \
  "  'end', iso8601(s.current_period_end)), "                                                \
  "'cancel_at_period_end', " CODEZERO_ENDING                                                 \
  ", "                                                                                       \
  "'cancellation', CASE WHEN s.cancellation_received_at IS NOT NULL THEN json_build_object(" \
  "  'received_at', iso8601(s.cancellation_received_at), "                                   \
  "  'ends_at', iso8601(s.current_period_end)) END, "                                        \
  "'canceled_at', iso8601(s.canceled_at), 'ended_at', iso8601(s.ended_at), "                 \
  "'next_invoice', CASE WHEN s.status IN ('active', 'trialing', 'past_due') "                \
  "  AND NOT " CODEZERO_ENDING                                                               \
  " "                                                                                        \
  "  THEN json_build_object('date', iso8601(s.current_period_end), 'amount_total', "         \
  "  CASE WHEN s.tax_rate_bps IS NULL OR s.tax_rate_bps = o.tax_rate_bps "                   \
  "  THEN o.recurring_total END) END, "                                                      \
  "'order_id', s.order_id, "                                                                 \
  "'workspace', (SELECT json_build_object('id', w.id, 'status', w.status, "                  \
  "  'entitlements', w.entitlements) FROM workspaces w WHERE w.order_id = s.order_id))"

constexpr db::Statement kSubscription{
    "subscriptions_one",
    "SELECT " CODEZERO_SUBSCRIPTION_JSON
    "::text FROM subscriptions s "
    "JOIN orders o ON o.id = s.order_id WHERE s.id = $1::uuid AND s.company_id = $2::uuid"};

constexpr db::Statement kSubscriptions{
    "subscriptions_list",
    "SELECT coalesce(json_agg(" CODEZERO_SUBSCRIPTION_JSON
    " ORDER BY s.created_at DESC, s.id DESC), '[]')::text FROM subscriptions s "
    "JOIN orders o ON o.id = s.order_id WHERE s.company_id = $1::uuid"};

#undef CODEZERO_SUBSCRIPTION_JSON
#undef CODEZERO_ENDING

asio::awaitable<Result<http::Response>> Answer(const SubscriptionDependencies& deps,
                                               const http::Request& request, const std::string& id,
                                               const std::string& company) {
  auto rows = co_await deps.database.Execute(kSubscription, id, company);
  if (!rows) co_return tl::unexpected(rows.error());
  if (rows->empty()) co_return Fail(ErrorCode::kNotFound, "No such subscription.");
  co_return http::JsonTextResponse(http::Status::ok, std::string(rows->Text(0, 0)),
                                   request.version());
}

asio::awaitable<Result<http::Response>> ShowSubscription(const SubscriptionDependencies& deps,
                                                         http::Request& request,
                                                         http::RequestContext& context,
                                                         const auth::Principal& me) {
  const std::string id(context.Param("id"));
  if (!IsUuid(id)) co_return Fail(ErrorCode::kNotFound, "No such subscription.");
  co_return co_await Answer(deps, request, id, me.company_id);
}

asio::awaitable<Result<http::Response>> ListSubscriptions(const SubscriptionDependencies& deps,
                                                          http::Request& request,
                                                          http::RequestContext& /*context*/,
                                                          const auth::Principal& me) {
  auto rows = co_await deps.database.Execute(kSubscriptions, me.company_id);
  if (!rows) co_return tl::unexpected(rows.error());
  co_return http::JsonTextResponse(
      http::Status::ok, "{\"data\":" + std::string(rows->Text(0, 0)) + "}", request.version());
}

asio::awaitable<Result<http::Response>> Cancel(const SubscriptionDependencies& deps,
                                               http::Request& request,
                                               http::RequestContext& context,
                                               const auth::Principal& me) {
  const std::string id(context.Param("id"));
  if (!IsUuid(id)) co_return Fail(ErrorCode::kNotFound, "No such subscription.");
  auto cancelled =
      co_await billing::RequestCancellation(deps.database, me.company_id, id, me.user_id);
  if (!cancelled) co_return tl::unexpected(cancelled.error());
  co_return co_await Answer(deps, request, id, me.company_id);
}

asio::awaitable<Result<http::Response>> ResumeSubscription(const SubscriptionDependencies& deps,
                                                           http::Request& request,
                                                           http::RequestContext& context,
                                                           const auth::Principal& me) {
  const std::string id(context.Param("id"));
  if (!IsUuid(id)) co_return Fail(ErrorCode::kNotFound, "No such subscription.");
  auto resumed = co_await billing::Resume(deps.database, me.company_id, id);
  if (!resumed) co_return tl::unexpected(resumed.error());
  co_return co_await Answer(deps, request, id, me.company_id);
}

}  // namespace

void AddSubscriptionRoutes(RouteTable& routes, SubscriptionDependencies dependencies) {
  auto deps = std::make_shared<const SubscriptionDependencies>(std::move(dependencies));
  routes.Add(http::Verb::get, "/v1/subscriptions",
             {.operation = "listSubscriptions", .caller = Caller::kCompanyMember},
             Bound(deps, ListSubscriptions));
  routes.Add(http::Verb::get, "/v1/subscriptions/{id}",
             {.operation = "getSubscription", .caller = Caller::kCompanyMember},
             Bound(deps, ShowSubscription));
  routes.Add(http::Verb::post, "/v1/subscriptions/{id}/cancel",
             {.operation = "cancelSubscription", .caller = Caller::kOwner}, Bound(deps, Cancel));
  routes.Add(http::Verb::post, "/v1/subscriptions/{id}/resume",
             {.operation = "resumeSubscription", .caller = Caller::kOwner},
             Bound(deps, ResumeSubscription));
}

}  // namespace codezero::api
