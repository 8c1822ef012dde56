#include "api/routes/me.h"

#include <memory>

#include "api/audit.h"
#include "api/rate_limits.h"
#include "auth/bearer.h"
#include "auth/erasure_sql.h"
#include "billing/customer_sync.h"
#include "common/json_fields.h"
#include "common/json_writer.h"
#include "domain/email_address.h"
#include "domain/violation.h"
#include "http/json_body.h"

namespace codezero::api {
namespace {

namespace asio = boost::asio;
using auth::Principal;
using domain::Violation;

constexpr db::Statement kPasswordHash{
    "me_password_hash",
    "SELECT password_hash FROM users WHERE id = $1::uuid AND anonymized_at IS NULL"};
constexpr db::Statement kUpdateProfile{
    "me_update_profile",
    "UPDATE users SET name = coalesce($2, name), locale = coalesce($3, locale), "
    "password_hash = coalesce($4, password_hash) WHERE id = $1::uuid"};
constexpr db::Statement kRevokeOtherRefresh{
    "me_revoke_other_refresh",
    "UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1::uuid "
    "AND family_id <> $2::uuid AND revoked_at IS NULL"};
constexpr db::Statement kRevokeOtherAccess{
    "me_revoke_other_access",
    "UPDATE access_tokens SET revoked_at = now() WHERE user_id = $1::uuid AND family_id <> "
    "$2::uuid "
    "AND revoked_at IS NULL AND expires_at > now() RETURNING encode(token_hash, 'hex')"};

constexpr db::Statement kExportUser{
    "me_export_user",
    "SELECT id::text, email, name, locale, role, platform_admin, coalesce(company_id::text, ''), "
    "coalesce(iso8601(email_verified_at), ''), iso8601(created_at), iso8601(updated_at) "
    "FROM users WHERE id = $1::uuid"};
constexpr db::Statement kExportCompany{
    "me_export_company",
    "SELECT id::text, name, country, coalesce(vat_id, ''), address::text, iso8601(created_at) "
    "FROM companies WHERE id = $1::uuid"};
constexpr db::Statement kExportSessions{
    "me_export_sessions",
    "SELECT family_id::text, iso8601(min(created_at)), iso8601(max(expires_at)), "
    "bool_or(revoked_at IS NULL AND used_at IS NULL AND expires_at > now()) "
    "FROM refresh_tokens WHERE user_id = $1::uuid GROUP BY family_id ORDER BY min(created_at)"};
constexpr db::Statement kExportAudit{
    "me_export_audit",
    "SELECT iso8601(occurred_at), action, coalesce(client, ''), details::text FROM audit_log "
    "WHERE actor_id = $1::uuid OR subject_id = $1::uuid ORDER BY id"};
constexpr db::Statement kExportEmails{"me_export_emails",
                                      "SELECT template, locale, iso8601(created_at), "
                                      "coalesce(iso8601(sent_at), '') FROM email_outbox "
                                      "WHERE user_id = $1::uuid OR to_address = $2 ORDER BY id"};
// The orders the user placed, each with its lines and its issued invoices: one JSON array.
constexpr db::Statement kExportOrders{
    "me_export_orders",
    "SELECT coalesce(json_agg(json_build_object("
    "'id', o.id, 'status', o.status, 'plan', o.plan, 'interval', o.billing_interval, "
    "'currency', o.currency, 'amount_total', o.amount_total, "
    "'recurring_total', o.recurring_total, 'vat_id', o.vat_id, "
    "'placed_at', iso8601(o.created_at), 'terms_accepted_at', iso8601(o.terms_accepted_at), "
    "'early_performance_requested_at', iso8601(o.early_performance_requested_at), "
    "'lines', (SELECT coalesce(json_agg(json_build_object('code', l.code, "
    "  'description', l.description, 'quantity', l.quantity, 'amount', l.amount) "
    "  ORDER BY l.position), '[]') FROM order_lines l WHERE l.order_id = o.id), "
    "'invoices', (SELECT coalesce(json_agg(json_build_object('number', i.number, "
    "  'status', i.status, 'currency', i.currency, 'total', i.total, "
    "  'issued_at', iso8601(i.stripe_created), 'period_start', iso8601(i.period_start), "
    "  'period_end', iso8601(i.period_end)) ORDER BY i.stripe_created), '[]') "
    "  FROM invoices i WHERE i.order_id = o.id AND i.status <> 'draft')) "
    "ORDER BY o.created_at), '[]')::text FROM orders o WHERE o.created_by = $1::uuid"};
// The cancellation declarations made under the user's address (anyone may declare, signed in or
// not; the declaration names an address, and its owner is the one it concerns).
constexpr db::Statement kExportDeclarations{
    "me_export_declarations",
    "SELECT coalesce(json_agg(json_build_object('received_at', iso8601(received_at), "
    "'name', name, 'email', email, 'contract', contract, 'kind', kind, 'reason', reason, "
    "'locale', locale, 'confirmed_at', iso8601(confirmed_at)) ORDER BY received_at), '[]')::text "
    "FROM cancellation_requests WHERE user_id = $1::uuid OR email = $2::citext"};
constexpr db::Statement kOtherMembers{
    "me_other_members",
    "SELECT count(*) FROM users WHERE company_id = $1::uuid AND id <> $2::uuid "
    "AND disabled_at IS NULL AND anonymized_at IS NULL"};
constexpr db::Statement kCompanyLive{
    "me_company_live", "SELECT deleted_at IS NULL FROM companies WHERE id = $1::uuid"};
constexpr db::Statement kEraseUser{
    "me_erase_user", "UPDATE users SET " CODEZERO_ERASE_USER_SET " WHERE id = $1::uuid"};
constexpr db::Statement kEraseEmailTokens{
    "me_erase_email_tokens",
    "DELETE FROM email_tokens WHERE user_id = $1::uuid OR created_by = $1::uuid OR email = $2"};
constexpr db::Statement kEraseOutbox{
    "me_erase_outbox",
    "UPDATE email_outbox SET to_address = 'erased@invalid', payload = '{}' "
    "WHERE user_id = $1::uuid OR to_address = $2"};

void WriteMe(JsonWriter& json, const Principal& me) {
  json.BeginObject();
  json.Member("id", me.user_id);
  json.Member("email", me.email);
  json.Member("name", me.name);
  json.Member("locale", me.locale);
  json.NullableMember("company_id", me.company_id);
  json.Member("role", me.role);
  json.Member("platform_admin", me.platform_admin);
  json.EndObject();
}

asio::awaitable<Result<http::Response>> ShowMe(http::Request& request, http::RequestContext&,
                                               const Principal& me) {
  JsonWriter json(256);
  WriteMe(json, me);
  co_return http::JsonTextResponse(http::Status::ok, std::move(json).Take(), request.version());
}

asio::awaitable<Result<http::Response>> UpdateMe(const AccountDependencies& deps,
                                                 http::Request& request,
                                                 http::RequestContext& context,
                                                 const Principal& me) {
  auto body = http::ParseJsonBody(request);
  if (!body) co_return tl::unexpected(body.error());
  JsonFields fields(*body);
  const auto name = fields.String("name", {.required = false, .min_length = 1, .max_length = 200});
  const auto locale =
      fields.String("locale", {.required = false, .min_length = 2, .max_length = 2});
  const auto password =
      fields.String("password", {.required = false, .min_length = 1, .max_length = 1024});
  const auto current =
      fields.String("current_password", {.required = false, .min_length = 1, .max_length = 1024});
  fields.RejectUnknown();
  std::vector<Violation> violations;
  if (auto shape = fields.Finish(); !shape) {
    for (const FieldError& error : shape.error().fields)
      violations.push_back({error.code, error.field, {}});
  }
  if (locale && *locale != "de" && *locale != "en")
    violations.push_back({"unsupported_locale", "locale", {*locale}});
  const auth::PasswordPolicy& policy = deps.hasher.policy();
  if (password) {
    const std::string_view problem = auth::PasswordProblem(policy, *password);
    if (!problem.empty()) {
      violations.push_back(
          {problem == "too_short" ? "password_too_short" : "password_too_long",
           "password",
           {std::to_string(problem == "too_short" ? policy.min_length : policy.max_length)}});
    }
    if (!current) violations.push_back({"required", "current_password", {}});
  }
  const domain::Locale language = LanguageOf(me);
  if (!violations.empty()) co_return tl::unexpected(domain::ValidationError(violations, language));

  std::optional<std::string> new_hash;
  if (password) {
    auto stored = co_await deps.database.Execute(kPasswordHash, me.user_id);
    if (!stored) co_return tl::unexpected(stored.error());
    if (stored->empty() || stored->IsNull(0, 0))
      co_return Fail(ErrorCode::kNotFound, "No such user.");
    // A guess at the current password counts against the account like a sign-in, so a stolen
    // access token cannot try passwords faster than the sign-in form could.
    const auto per_account = co_await deps.limiter.Check(deps.limits.login_per_account,
                                                         domain::CanonicalEmail(me.email));
    if (!per_account.allowed) {
      co_return TooManyRequests(deps.limits.login_per_account, per_account, context,
                                request.version());
    }
    auto check = co_await deps.hasher.Verify(std::string(stored->Text(0, 0)), *current);
    if (!check) co_return tl::unexpected(check.error());
    if (!check->matches) {
      const std::string client(context.client);
      co_await AuditRefusal(deps.database, "password_change_failed", me.user_id, me.company_id,
                            me.user_id, client, R"({"reason":"wrong_password"})");
      violations.push_back({"wrong_password", "current_password", {}});
      co_return tl::unexpected(domain::ValidationError(violations, language));
    }
    auto hashed = co_await deps.hasher.Hash(*password);
    if (!hashed) co_return tl::unexpected(hashed.error());
    new_hash = std::move(*hashed);
  }
  const std::string client(context.client);
  std::vector<std::string> evict;
  auto updated =
      co_await deps.database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<int>> {
        auto changed = co_await tx.Execute(kUpdateProfile, me.user_id, name, locale, new_hash);
        if (!changed) co_return tl::unexpected(changed.error());
        if (new_hash) {
          // A new password ends every other session; this one goes on.
          if (auto ok = co_await tx.Execute(kRevokeOtherRefresh, me.user_id, me.family_id); !ok) {
            co_return tl::unexpected(ok.error());
          }
          auto access = co_await tx.Execute(kRevokeOtherAccess, me.user_id, me.family_id);
          if (!access) co_return tl::unexpected(access.error());
          for (int row = 0; row < access->size(); ++row) evict.emplace_back(access->Text(row, 0));
          auto audited =
              co_await Audit(tx, "password_changed", me.user_id, me.company_id, me.user_id, client);
          if (!audited) co_return tl::unexpected(audited.error());
        }
        co_return 0;
      });
  if (!updated) co_return tl::unexpected(updated.error());
  co_await deps.tokens.Evict(std::move(evict));
  co_await deps.tokens.EvictUser(me.user_id);  // cached principals carry the old name/locale
  Principal changed = me;
  if (name) changed.name = *name;
  if (locale) changed.locale = *locale;
  JsonWriter json(256);
  WriteMe(json, changed);
  co_return http::JsonTextResponse(http::Status::ok, std::move(json).Take(), request.version());
}

// Art. 15 and 20 GDPR: everything held about the caller, machine-readable.
asio::awaitable<Result<http::Response>> Export(const AccountDependencies& deps,
                                               http::Request& request,
                                               http::RequestContext& context, const Principal& me) {
  auto user = co_await deps.database.Execute(kExportUser, me.user_id);
  if (!user) co_return tl::unexpected(user.error());
  if (user->empty()) co_return Fail(ErrorCode::kNotFound, "No such user.");
  auto sessions = co_await deps.database.Execute(kExportSessions, me.user_id);
  if (!sessions) co_return tl::unexpected(sessions.error());
  auto audit = co_await deps.database.Execute(kExportAudit, me.user_id);
  if (!audit) co_return tl::unexpected(audit.error());
  const std::string email(user->Text(0, 1));
  auto emails = co_await deps.database.Execute(kExportEmails, me.user_id, email);
  if (!emails) co_return tl::unexpected(emails.error());
  auto orders = co_await deps.database.Execute(kExportOrders, me.user_id);
  if (!orders) co_return tl::unexpected(orders.error());
  auto declarations = co_await deps.database.Execute(kExportDeclarations, me.user_id, email);
  if (!declarations) co_return tl::unexpected(declarations.error());

  std::string body;
  {
    JsonWriter json(4096);
    json.BeginObject();
    json.Member("format", "codezero-personal-data-export/1");
    json.Key("user");
    json.BeginObject();
    json.Member("id", user->Text(0, 0));
    json.Member("email", user->Text(0, 1));
    json.Member("name", user->Text(0, 2));
    json.Member("locale", user->Text(0, 3));
    json.Member("role", user->Text(0, 4));
    json.Member("platform_admin", user->Bool(0, 5));
    json.NullableMember("company_id", user->Text(0, 6));
    json.NullableMember("email_verified_at", user->Text(0, 7));
    json.Member("created_at", user->Text(0, 8));
    json.Member("updated_at", user->Text(0, 9));
    json.EndObject();
    json.Key("sessions");
    json.BeginArray();
    for (int row = 0; row < sessions->size(); ++row) {
      json.BeginObject();
      json.Member("id", sessions->Text(row, 0));
      json.Member("signed_in_at", sessions->Text(row, 1));
      json.Member("expires_at", sessions->Text(row, 2));
      json.Member("active", sessions->Bool(row, 3));
      json.EndObject();
    }
    json.EndArray();
    json.Key("activity");
    json.BeginArray();
    for (int row = 0; row < audit->size(); ++row) {
      json.BeginObject();
      json.Member("at", audit->Text(row, 0));
      json.Member("action", audit->Text(row, 1));
      json.NullableMember("client", audit->Text(row, 2));
      json.EndObject();
    }
    json.EndArray();
    json.Key("emails");
    json.BeginArray();
    for (int row = 0; row < emails->size(); ++row) {
      json.BeginObject();
      json.Member("template", emails->Text(row, 0));
      json.Member("locale", emails->Text(row, 1));
      json.Member("queued_at", emails->Text(row, 2));
      json.NullableMember("sent_at", emails->Text(row, 3));
      json.EndObject();
    }
    json.EndArray();
    json.Key("orders");
    body = std::move(json).Take();
  }
  body += orders->Text(0, 0);  // built by PostgreSQL: already JSON
  body += ",\"cancellation_declarations\":";
  body += declarations->Text(0, 0);
  body += ",\"company\":";
  if (!me.company_id.empty()) {
    auto company = co_await deps.database.Execute(kExportCompany, me.company_id);
    if (!company) co_return tl::unexpected(company.error());
    if (company->empty()) {
      body += "null";
    } else {
      JsonWriter json(512);
      json.BeginObject();
      json.Member("id", company->Text(0, 0));
      json.Member("name", company->Text(0, 1));
      json.Member("country", company->Text(0, 2));
      json.NullableMember("vat_id", company->Text(0, 3));
      json.Key("address");
      body += std::move(json).Take();
      body += company->Text(0, 4);  // jsonb: already JSON
      body += ",\"created_at\":";
      AppendJsonString(body, company->Text(0, 5));
      body += '}';
    }
  } else {
    body += "null";
  }
  body += '}';

  const std::string client(context.client);
  auto audited =
      co_await deps.database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<int>> {
        auto entry =
            co_await Audit(tx, "data_exported", me.user_id, me.company_id, me.user_id, client);
        if (!entry) co_return tl::unexpected(entry.error());
        co_return 0;
      });
  if (!audited) co_return tl::unexpected(audited.error());
  http::Response response =
      http::JsonTextResponse(http::Status::ok, std::move(body), request.version());
  response.set(http::Field::content_disposition,
               "attachment; filename=\"codezero-personal-data.json\"");
  co_return response;
}

// Art. 17 GDPR: the account is anonymised in place (its id stays, so records that must be kept,
// like invoices under § 147 AO, keep a link that no longer leads to a person), every token is
// revoked, pending links are deleted, e-mails to the address lose it.
asio::awaitable<Result<http::Response>> Erase(const AccountDependencies& deps,
                                              http::Request& request, http::RequestContext& context,
                                              const Principal& me) {
  const std::string client(context.client);
  std::vector<std::string> evict;
  auto erased =
      co_await deps.database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<int>> {
        if (me.IsOwner()) {
          auto live = co_await tx.Execute(kCompanyLive, me.company_id);
          if (!live) co_return tl::unexpected(live.error());
          if (!live->empty() && live->Bool(0, 0)) {
            auto others = co_await tx.Execute(kOtherMembers, me.company_id, me.user_id);
            if (!others) co_return tl::unexpected(others.error());
            co_return Fail(
                ErrorCode::kConflict,
                others->Int64(0, 0) > 0
                    ? "You own the company: hand ownership to another member first "
                      "(POST /v1/company/owner) or delete the company (DELETE /v1/company)."
                    : "You own the company: delete it first (DELETE /v1/company).");
          }
        }
        if (auto ok = co_await tx.Execute(kEraseEmailTokens, me.user_id, me.email); !ok)
          co_return tl::unexpected(ok.error());
        if (auto ok = co_await tx.Execute(kEraseOutbox, me.user_id, me.email); !ok)
          co_return tl::unexpected(ok.error());
        auto revoked = co_await deps.tokens.RevokeUser(tx, me.user_id);
        if (!revoked) co_return tl::unexpected(revoked.error());
        evict = std::move(*revoked);
        if (auto ok = co_await tx.Execute(kEraseUser, me.user_id); !ok)
          co_return tl::unexpected(ok.error());
        auto audited =
            co_await Audit(tx, "account_erased", me.user_id, me.company_id, me.user_id, client);
        if (!audited) co_return tl::unexpected(audited.error());
        // The address leaves the company's Stripe customer if it was theirs (the last buyer's).
        if (!me.company_id.empty()) {
          auto sync = co_await billing::EnqueueCustomerSync(tx, me.company_id);
          if (!sync) co_return tl::unexpected(sync.error());
        }
        co_return 0;
      });
  if (!erased) co_return tl::unexpected(erased.error());
  co_await deps.tokens.Evict(std::move(evict));
  co_return http::Response(http::Status::no_content, request.version());
}

}  // namespace

void AddMeRoutes(RouteTable& routes, const AccountDependencies& dependencies) {
  auto deps = std::make_shared<const AccountDependencies>(dependencies);
  routes.Add(http::Verb::get, "/v1/me", {.operation = "getMe", .caller = Caller::kUser},
             auth::AuthenticatedHandler(ShowMe));
  routes.Add(http::Verb::patch, "/v1/me", {.operation = "updateMe", .caller = Caller::kUser},
             Bound(deps, UpdateMe));
  routes.Add(http::Verb::get, "/v1/me/export", {.operation = "exportMe", .caller = Caller::kUser},
             Bound(deps, Export));
  routes.Add(http::Verb::delete_, "/v1/me", {.operation = "deleteMe", .caller = Caller::kUser},
             Bound(deps, Erase));
}

}  // namespace codezero::api
