#include "api/routes/cancellation_requests.h"

#include <memory>

#include "api/account_dependencies.h"
#include "auth/tokens.h"
#include "billing/subscription_term.h"
#include "common/json_fields.h"
#include "common/json_writer.h"
#include "common/log.h"
#include "domain/email_address.h"
#include "domain/money_format.h"
#include "domain/violation.h"
#include "http/json_body.h"
#include "mail/outbox.h"

namespace codezero::api {
namespace {

namespace asio = boost::asio;

constexpr long kLinkSeconds = 72 * 3600;

// The owner of a company with a running subscription, by address.
constexpr db::Statement kFindOwner{
    "cancellation_find_owner",
    "SELECT u.id::text, u.company_id::text, c.name FROM users u "
    "JOIN companies c ON c.id = u.company_id WHERE u.email = $1 AND u.role = 'owner' "
    "AND u.anonymized_at IS NULL AND u.disabled_at IS NULL AND c.deleted_at IS NULL "
    "AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.company_id = c.id "
    "AND s.status IN ('active', 'trialing', 'past_due', 'unpaid', 'paused'))"};
// Every declaration; the link's token and the company only for a company owner's address.
constexpr db::Statement kStore{
    "cancellation_store",
    "INSERT INTO cancellation_requests (email, token_hash, company_id, user_id, name, contract, "
    "kind, reason, locale, expires_at) VALUES ($1, decode(nullif($2, ''), 'hex'), "
    "nullif($3, '')::uuid, nullif($4, '')::uuid, $5, $6, $7, $8, $9, "
    "now() + make_interval(secs => $10)) RETURNING iso8601(received_at), "
    "extract(epoch FROM received_at)::bigint, id::text"};

// The declaration of a token, locked for its confirmation.
constexpr db::Statement kLockRequest{
    "cancellation_lock",
    "SELECT id::text, company_id::text, user_id::text, kind, reason, received_at::text, "
    "confirmed_at IS NOT NULL, expires_at > now() FROM cancellation_requests "
    "WHERE token_hash = decode($1, 'hex') FOR UPDATE"};
constexpr db::Statement kMarkConfirmed{
    "cancellation_mark_confirmed",
    "UPDATE cancellation_requests SET confirmed_at = now() WHERE id = $1::uuid"};

// The subscriptions a declaration cancels: the one whose order number it names, or, when it
// names none of the company's, every running one. `s` is subscriptions, `r` the declaration.
#define CODEZERO_NAMED                                                 \
  "(r.contract <> '' AND EXISTS (SELECT 1 FROM subscriptions n WHERE " \
  "n.company_id = r.company_id AND n.order_id::text = lower(r.contract)))"
#define CODEZERO_CANCELS                                                                \
  "s.company_id = r.company_id AND (CASE WHEN " CODEZERO_NAMED                          \
  " THEN s.order_id::text = lower(r.contract) ELSE s.status IN ('active', 'trialing', " \
  "'past_due', 'unpaid', 'paused') OR s.cancellation_received_at = r.received_at END)"

constexpr db::Statement kCancelled{
    "cancellation_subscriptions",
    "SELECT s.id::text FROM cancellation_requests r JOIN subscriptions s ON " CODEZERO_CANCELS
    " WHERE r.id = $1::uuid ORDER BY s.created_at, s.id"};

// The declaration and its subscriptions, as lookup and confirm answer them; no row for an
// unknown token, and `usable` false for an expired one not confirmed.
constexpr db::Statement kView{
    "cancellation_view",
    "SELECT json_build_object('received_at', iso8601(r.received_at), 'kind', r.kind, "
    "'reason', r.reason, 'name', r.name, 'company', c.name, 'locale', r.locale, "
    "'confirmed_at', iso8601(r.confirmed_at), 'expires_at', iso8601(r.expires_at), "
    "'contract', r.contract, 'contract_found', " CODEZERO_NAMED
    ", "
    "'subscriptions', (SELECT coalesce(json_agg(json_build_object('id', s.id, 'status', "
    "s.status, 'plan', o.plan, 'interval', o.billing_interval, 'order_id', s.order_id, "
    "'current_period_end', iso8601(s.current_period_end), 'cancel_at_period_end', "
    "s.cancellation_received_at IS NOT NULL OR s.cancel_at_period_end, "
    "'cancellation_received_at', iso8601(s.cancellation_received_at)) "
    "ORDER BY s.created_at, s.id), '[]') FROM subscriptions s JOIN orders o ON o.id = s.order_id "
    "WHERE " CODEZERO_CANCELS
    "))::text, "
    "r.confirmed_at IS NOT NULL OR r.expires_at > now() "
    "FROM cancellation_requests r JOIN companies c ON c.id = r.company_id "
    "WHERE r.token_hash = decode($1, 'hex')"};

#undef CODEZERO_CANCELS
#undef CODEZERO_NAMED

http::Response Accepted(std::string received_at, unsigned version) {
  JsonWriter json(64);
  json.BeginObject();
  json.Member("received_at", received_at);
  json.EndObject();
  return http::JsonTextResponse(http::Status::accepted, std::move(json).Take(), version);
}

domain::Locale LocaleNamed(std::string_view name) {
  return name == "en" ? domain::Locale::kEn : domain::Locale::kDe;
}

struct Declared {
  std::string email;
  std::string name;
  std::string contract;
  std::string kind;
  std::string reason;
  std::string locale;
};

Result<Declared> ReadDeclaration(const http::Request& request) {
  auto body = http::ParseJsonBody(request);
  if (!body) return tl::unexpected(body.error());
  JsonFields fields(*body);
  const auto email = fields.String("email", {.min_length = 3, .max_length = 254});
  const auto name = fields.String("name", {.min_length = 1, .max_length = 200});
  const auto contract = fields.String("contract", {.required = false, .max_length = 100});
  const auto kind = fields.String("kind");
  const auto reason = fields.String("reason", {.required = false, .max_length = 2000});
  const auto locale = fields.String("locale", {.required = false, .max_length = 2});
  fields.RejectUnknown();
  std::vector<domain::Violation> violations;
  if (auto shape = fields.Finish(); !shape) {
    for (const FieldError& error : shape.error().fields) {
      violations.push_back({error.code, error.field, {}});
    }
  }
  Declared declared;
  declared.locale = locale.value_or("de") == "en" ? "en" : "de";
  if (email) {
    declared.email = domain::NormalizeEmail(*email);
    if (!domain::IsPlausibleEmail(declared.email)) {
      violations.push_back({"invalid_email", "email", {}});
    }
  }
  if (name) declared.name = *name;
  if (contract) declared.contract = *contract;
  // An order number as the page shows it, with or without spaces around.
  while (!declared.contract.empty() && declared.contract.back() == ' ')
    declared.contract.pop_back();
  while (!declared.contract.empty() && declared.contract.front() == ' ') {
    declared.contract.erase(0, 1);
  }
  if (kind) {
    if (*kind != "ordinary" && *kind != "extraordinary") {
      violations.push_back({"invalid_value", "kind", {"ordinary, extraordinary"}});
    }
    declared.kind = *kind;
  }
  if (reason) declared.reason = *reason;
  if (declared.kind == "extraordinary" &&
      declared.reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    violations.push_back({"reason_required", "reason", {}});
  }
  if (!violations.empty()) {
    return tl::unexpected(domain::ValidationError(violations, LocaleNamed(declared.locale)));
  }
  return declared;
}

asio::awaitable<Result<http::Response>> Declare(const CancellationRequestDependencies& deps,
                                                http::Request& request,
                                                http::RequestContext& /*context*/) {
  auto declared = ReadDeclaration(request);
  if (!declared) co_return tl::unexpected(declared.error());
  const Declared& d = *declared;
  auto received = co_await deps.database.Transact(
      [&](db::Transaction& tx) -> asio::awaitable<Result<std::string>> {
        auto owner = co_await tx.Execute(kFindOwner, d.email);
        if (!owner) co_return tl::unexpected(owner.error());
        const bool known = !owner->empty();
        const std::string user_id = known ? std::string(owner->Text(0, 0)) : "";
        const std::string company_id = known ? std::string(owner->Text(0, 1)) : "";
        const auth::NewToken token = auth::MakeToken(auth::kEmailLinkPrefix);
        const std::string token_hash = known ? token.hash : "";
        auto stored = co_await tx.Execute(kStore, d.email, token_hash, company_id, user_id, d.name,
                                          d.contract, d.kind, d.reason, d.locale, kLinkSeconds);
        if (!stored) co_return tl::unexpected(stored.error());
        const std::string id(stored->Text(0, 2));
        // The receipt (§ 312k(4) BGB) to the address given, with what was declared and when;
        // for a company owner with a running contract, with the link that attributes it.
        const domain::Locale locale = LocaleNamed(d.locale);
        JsonWriter payload(1024);
        payload.BeginObject();
        payload.Member("name", d.name);
        payload.Member("email", d.email);
        payload.Member("received_at", domain::FormatDateTime(stored->Int64(0, 1), locale));
        payload.Member("contract", d.contract);
        payload.Member("extraordinary", d.kind == "extraordinary");
        payload.Member("reason", d.reason);
        if (known) {
          payload.Member("company", owner->Text(0, 2));
          payload.Member("link", deps.public_web_url + "/" + d.locale +
                                     (locale == domain::Locale::kEn ? "/cancel/confirm"
                                                                    : "/kuendigen/bestaetigen") +
                                     "?token=" + token.value);
        }
        payload.EndObject();
        const std::string template_name = known ? "cancellation_link" : "cancellation_declared";
        auto queued = co_await mail::EnqueueEmail(tx, d.email, template_name, d.locale,
                                                  std::move(payload).Take(), user_id,
                                                  "cancellation_declared:" + id);
        if (!queued) co_return tl::unexpected(queued.error());
        if (d.kind == "extraordinary") {
          log::Warn("extraordinary cancellation declared; its reason is for a person to judge",
                    {{"declaration", id}});
        }
        co_return std::string(stored->Text(0, 0));
      });
  if (!received) co_return tl::unexpected(received.error());
  co_return Accepted(std::move(*received), request.version());
}

Result<std::string> ReadToken(const http::Request& request) {
  auto body = http::ParseJsonBody(request);
  if (!body) return tl::unexpected(body.error());
  JsonFields fields(*body);
  const auto token = fields.String("token", {.min_length = 1, .max_length = 256});
  fields.RejectUnknown();
  if (auto ok = fields.Finish(); !ok) return tl::unexpected(ok.error());
  return auth::HashToken(*token);
}

asio::awaitable<Result<http::Response>> View(const CancellationRequestDependencies& deps,
                                             const http::Request& request,
                                             const std::string& token_hash) {
  auto rows = co_await deps.database.Execute(kView, token_hash);
  if (!rows) co_return tl::unexpected(rows.error());
  if (rows->empty() || !rows->Bool(0, 1)) co_return tl::unexpected(InvalidLink());
  co_return http::JsonTextResponse(http::Status::ok, std::string(rows->Text(0, 0)),
                                   request.version());
}

asio::awaitable<Result<http::Response>> Lookup(const CancellationRequestDependencies& deps,
                                               http::Request& request,
                                               http::RequestContext& /*context*/) {
  auto token_hash = ReadToken(request);
  if (!token_hash) co_return tl::unexpected(token_hash.error());
  co_return co_await View(deps, request, *token_hash);
}

asio::awaitable<Result<http::Response>> Confirm(const CancellationRequestDependencies& deps,
                                                http::Request& request,
                                                http::RequestContext& /*context*/) {
  auto token_hash = ReadToken(request);
  if (!token_hash) co_return tl::unexpected(token_hash.error());
  auto done =
      co_await deps.database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<void>> {
        auto locked = co_await tx.Execute(kLockRequest, *token_hash);
        if (!locked) co_return tl::unexpected(locked.error());
        if (locked->empty()) co_return tl::unexpected(InvalidLink());
        if (locked->Bool(0, 6)) co_return Result<void>();  // confirmed before: nothing again
        if (!locked->Bool(0, 7)) co_return tl::unexpected(InvalidLink());
        const std::string id(locked->Text(0, 0));
        const std::string company_id(locked->Text(0, 1));
        auto subscriptions = co_await tx.Execute(kCancelled, id);
        if (!subscriptions) co_return tl::unexpected(subscriptions.error());
        for (int row = 0; row < subscriptions->size(); ++row) {
          billing::CancellationDeclaration declaration{
              .user_id = std::string(locked->Text(0, 2)),
              .received_at = std::string(locked->Text(0, 5)),
              .extraordinary = locked->Text(0, 3) == "extraordinary",
              .reason = std::string(locked->Text(0, 4))};
          auto cancelled = co_await billing::RequestCancellation(
              tx, company_id, std::string(subscriptions->Text(row, 0)), std::move(declaration));
          // Ended meanwhile: nothing left to cancel of that one.
          if (!cancelled && cancelled.error().code != ErrorCode::kConflict) {
            co_return tl::unexpected(cancelled.error());
          }
        }
        auto marked = co_await tx.Execute(kMarkConfirmed, id);
        if (!marked) co_return tl::unexpected(marked.error());
        co_return Result<void>();
      });
  if (!done) co_return tl::unexpected(done.error());
  co_return co_await View(deps, request, *token_hash);
}

}  // namespace

void AddCancellationRequestRoutes(RouteTable& routes,
                                  CancellationRequestDependencies dependencies) {
  auto deps = std::make_shared<const CancellationRequestDependencies>(std::move(dependencies));
  const RateLimits& limits = deps->limits;
  routes.Add(http::Verb::post, "/v1/cancellation-requests",
             {.operation = "declareCancellation", .per_address = &limits.cancellation_per_address},
             [deps](http::Request& request, http::RequestContext& context) {
               return Declare(*deps, request, context);
             });
  routes.Add(
      http::Verb::post, "/v1/cancellation-requests/lookup",
      {.operation = "lookUpCancellation", .per_address = &limits.cancellation_confirm_per_address},
      [deps](http::Request& request, http::RequestContext& context) {
        return Lookup(*deps, request, context);
      });
  routes.Add(
      http::Verb::post, "/v1/cancellation-requests/confirm",
      {.operation = "confirmCancellation", .per_address = &limits.cancellation_confirm_per_address},
      [deps](http::Request& request, http::RequestContext& context) {
        return Confirm(*deps, request, context);
      });
}

}  // namespace codezero::api
