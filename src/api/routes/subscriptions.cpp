#include "api/routes/subscriptions.h"

#include <memory>

#include "api/account_dependencies.h"
#include "api/idempotent_request.h"
#include "auth/bearer.h"
#include "auth/tokens.h"
#include "billing/subscription_changes.h"
#include "billing/subscription_term.h"
#include "common/json_fields.h"
#include "common/json_writer.h"
#include "common/uuid.h"
#include "domain/violation.h"
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

// The subscription's plan as it runs now (a change may have switched it): its item whose code
// is a plan of the order's catalog; the order's plan before Stripe told the items.
#define CODEZERO_PLAN                                                                       \
  "coalesce((SELECT e->>'code' FROM jsonb_array_elements(s.items) e, catalog_versions cv, " \
  "  jsonb_array_elements(cv.document->'plans') p WHERE cv.version = o.catalog_version "    \
  "  AND p->>'code' = e->>'code' LIMIT 1), o.plan)"

// The interval the subscription bills in now (a change may have moved it): its items' prices'.
#define CODEZERO_INTERVAL                                                 \
  "coalesce((SELECT e->>'interval' FROM jsonb_array_elements(s.items) e " \
  "  WHERE e ? 'interval' LIMIT 1), o.billing_interval)"

// What the next renewal invoices: each item at its catalog price for the interval, VAT per
// line at the subscription's rate, rounded half up (as the pricing engine and Stripe do); null
// when an item is not in the catalog.
#define CODEZERO_NEXT_AMOUNT                                                                \
  "(SELECT CASE WHEN count(*) FILTER (WHERE u.unit IS NULL) = 0 THEN sum(u.unit * u.qty + " \
  "  (u.unit * u.qty * coalesce(s.tax_rate_bps, o.tax_rate_bps) + 5000) / 10000) END "      \
  "FROM (SELECT (e->>'quantity')::bigint AS qty, (SELECT (x->>'monthly_amount')::bigint * " \
  "  CASE WHEN " CODEZERO_INTERVAL                                                          \
  " = 'year' "                                                                              \
  "  THEN coalesce((cv.document->>'yearly_price_months')::bigint, 10) ELSE 1 END "          \
  "  FROM catalog_versions cv, jsonb_array_elements(coalesce(cv.document->'plans', '[]') "  \
  "  || coalesce(cv.document->'addons', '[]')) x WHERE cv.version = o.catalog_version "     \
  "  AND x->>'code' = e->>'code' AND x ? 'monthly_amount' LIMIT 1) AS unit "                \
  "  FROM jsonb_array_elements(s.items) e) u)"

// One subscription as JSON (row `s` of subscriptions, `o` its order).
#define CODEZERO_SUBSCRIPTION_JSON                                                           \
  "json_build_object('id', s.id, 'status', s.status, 'plan', " CODEZERO_PLAN                 \
  ", "                                                                                       \
  "'interval', " CODEZERO_INTERVAL                                                           \
  ", 'currency', o.currency, "                                                               \
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
  "  THEN json_build_object('date', iso8601(s.current_period_end), "                         \
  "'amount_total', " CODEZERO_NEXT_AMOUNT                                                    \
  ") END, "                                                                                  \
  "'pending_change', CASE WHEN s.pending_change IS NOT NULL THEN s.pending_change || "       \
  "  jsonb_build_object('effective_at', iso8601(s.current_period_end)) END, "                \
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
#undef CODEZERO_NEXT_AMOUNT
#undef CODEZERO_PLAN
#undef CODEZERO_INTERVAL
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

// The wanted state of a change (the preview's body and the change's).
Result<billing::ChangeRequest> ReadChange(const http::Request& request, const std::string& id,
                                          const auth::Principal& me) {
  auto body = http::ParseJsonBody(request);
  if (!body) return tl::unexpected(body.error());
  billing::ChangeRequest change;
  change.company_id = me.company_id;
  change.subscription = id;
  change.locale = LanguageOf(me);
  JsonFields fields(*body);
  if (auto plan = fields.String("plan", {.required = false, .min_length = 1, .max_length = 64})) {
    change.plan = *plan;
  }
  if (auto interval = fields.String("interval", {.required = false, .max_length = 10})) {
    change.interval = *interval;
  }
  if (const boost::json::array* addons = fields.Array("addons", true, 20)) {
    for (std::size_t i = 0; i < addons->size(); ++i) {
      JsonFields addon = fields.Nested((*addons)[i], "addons[" + std::to_string(i) + "]");
      auto code = addon.String("code", {.min_length = 1, .max_length = 64});
      auto quantity = addon.Integer("quantity", {.min = 1, .max = 100'000});
      addon.RejectUnknown();
      if (code && quantity) change.addons.push_back({*code, *quantity});
    }
  }
  if (auto when = fields.String("when", {.required = false, .max_length = 20})) {
    change.when = *when;
    if (*when != "now" && *when != "period_end") {
      fields.AddError("invalid_value", "when", "Possible: now, period_end.");
    }
  }
  if (auto date = fields.Integer("proration_date", {.required = false, .min = 0})) {
    change.proration_date = *date;
  }
  fields.RejectUnknown();
  if (auto ok = fields.Finish(); !ok) return tl::unexpected(ok.error());
  return change;
}

std::string PreviewJson(const billing::ChangePreview& preview) {
  JsonWriter json(1024);
  json.BeginObject();
  json.Member("effective", preview.effective);
  json.Member("interval", preview.interval);
  json.Member("effective_at",
              preview.effective == "now" ? preview.proration_date : preview.period_end);
  json.Member("proration_date", preview.proration_date);
  json.Member("currency", preview.currency);
  json.Member("tax_rate_bps", static_cast<std::int64_t>(preview.tax_rate_bps));
  json.Key("lines");
  json.BeginArray();
  for (const domain::ProrationLine& line : preview.change.lines) {
    json.BeginObject();
    json.Member("code", line.code);
    json.Member("quantity", line.quantity);
    json.Member("amount", line.amount);
    json.Member("tax", line.tax);
    json.Member("proration", true);
    json.EndObject();
  }
  json.EndArray();
  json.Member("amount_net", preview.change.net);
  json.Member("amount_tax", preview.change.tax);
  json.Member("amount_total", preview.change.total);
  json.Member("amount_due", preview.amount_due);
  json.Member("credit", preview.credit);
  json.Member("raises_price", preview.change.Upgrade());
  json.Key("next_recurring");
  json.BeginObject();
  json.Member("amount_net", preview.change.recurring_after);
  json.Member("amount_tax", preview.change.recurring_after_tax);
  json.Member("amount_total", preview.change.recurring_after + preview.change.recurring_after_tax);
  json.EndObject();
  json.EndObject();
  return std::move(json).Take();
}

asio::awaitable<Result<http::Response>> Preview(const SubscriptionDependencies& deps,
                                                http::Request& request,
                                                http::RequestContext& context,
                                                const auth::Principal& me) {
  const std::string id(context.Param("id"));
  if (!IsUuid(id)) co_return Fail(ErrorCode::kNotFound, "No such subscription.");
  auto change = ReadChange(request, id, me);
  if (!change) co_return tl::unexpected(change.error());
  auto preview = co_await billing::PreviewChange(deps.database, deps.stripe, std::move(*change));
  if (!preview) co_return tl::unexpected(preview.error());
  co_return http::JsonTextResponse(http::Status::ok, PreviewJson(*preview), request.version());
}

asio::awaitable<Result<http::Response>> MakeChange(const SubscriptionDependencies& deps,
                                                   const http::Request& request,
                                                   const auth::Principal& me, std::string id,
                                                   std::string operation) {
  auto change = ReadChange(request, id, me);
  if (!change) co_return tl::unexpected(change.error());
  auto applied = co_await billing::ApplyChange(deps.database, deps.stripe, std::move(*change),
                                               std::move(operation));
  if (!applied) co_return tl::unexpected(applied.error());
  co_return http::JsonTextResponse(http::Status::ok, PreviewJson(*applied), request.version());
}

asio::awaitable<Result<http::Response>> Change(const SubscriptionDependencies& deps,
                                               http::Request& request,
                                               http::RequestContext& context,
                                               const auth::Principal& me) {
  const std::string id(context.Param("id"));
  if (!IsUuid(id)) co_return Fail(ErrorCode::kNotFound, "No such subscription.");
  // The Stripe call is keyed by the client's key and the request: a retry after a lost answer
  // sends the same call under the same key.
  IdempotentHandler run = [&deps, &request, &me, id](const IdempotentCall& call) {
    return MakeChange(deps, request, me, id,
                      auth::HashToken(call.key).substr(0, 24) + call.fingerprint.substr(0, 24));
  };
  co_return co_await RunIdempotently(deps.idempotency, "user:" + me.user_id, LanguageOf(me),
                                     request, context, std::move(run));
}

}  // namespace

void AddSubscriptionRoutes(RouteTable& routes, SubscriptionDependencies dependencies) {
  auto deps = std::make_shared<const SubscriptionDependencies>(dependencies);
  routes.Add(http::Verb::get, "/v1/subscriptions",
             {.operation = "listSubscriptions", .caller = Caller::kCompanyMember},
             Bound(deps, ListSubscriptions));
  routes.Add(http::Verb::get, "/v1/subscriptions/{id}",
             {.operation = "getSubscription", .caller = Caller::kCompanyMember},
             Bound(deps, ShowSubscription));
  routes.Add(http::Verb::post, "/v1/subscriptions/{id}/cancel",
             {.operation = "cancelSubscription", .caller = Caller::kOwner}, Bound(deps, Cancel));
  routes.Add(http::Verb::post, "/v1/subscriptions/{id}/preview",
             {.operation = "previewSubscriptionChange", .caller = Caller::kOwner},
             Bound(deps, Preview));
  routes.Add(http::Verb::post, "/v1/subscriptions/{id}/changes",
             {.operation = "changeSubscription", .caller = Caller::kOwner, .idempotency_key = true},
             Bound(deps, Change));
  routes.Add(http::Verb::post, "/v1/subscriptions/{id}/resume",
             {.operation = "resumeSubscription", .caller = Caller::kOwner},
             Bound(deps, ResumeSubscription));
}

}  // namespace codezero::api
