#include "api/routes/invitations.h"

#include <memory>
#include <optional>
#include <vector>

#include "api/audit.h"
#include "auth/bearer.h"
#include "auth/tokens.h"
#include "common/json_fields.h"
#include "common/json_writer.h"
#include "common/uuid.h"
#include "domain/email_address.h"
#include "domain/violation.h"
#include "http/json_body.h"
#include "mail/outbox.h"

namespace codezero::api {
namespace {

namespace asio = boost::asio;
using auth::Principal;
using domain::Violation;

// An invitation can be accepted only while it is pending (not used, revoked or expired), its
// company is open and the owner who sent it still is one.
constexpr std::string_view kPendingInvitation =
    "t.purpose = 'invite' AND t.used_at IS NULL AND t.revoked_at IS NULL AND t.expires_at > now() "
    "AND EXISTS (SELECT 1 FROM companies c WHERE c.id = t.company_id AND c.deleted_at IS NULL) "
    "AND EXISTS (SELECT 1 FROM users u WHERE u.id = t.created_by AND u.company_id = t.company_id "
    "AND u.role = 'owner' AND u.disabled_at IS NULL AND u.anonymized_at IS NULL)";

constexpr db::Statement kInsertInvitation{"invitations_insert",
                                          "INSERT INTO email_tokens (token_hash, purpose, "
                                          "company_id, email, role, created_by, expires_at) "
                                          "VALUES (decode($1, 'hex'), 'invite', $2::uuid, $3, $4, "
                                          "$5::uuid, now() + make_interval(secs => $6)) "
                                          "RETURNING iso8601(expires_at)"};
constexpr db::Statement kCompanyName{"invitations_company_name",
                                     "SELECT name FROM companies WHERE id = $1::uuid"};
const std::string kInvitationIsUsableSql =
    "SELECT 1 FROM email_tokens t WHERE t.token_hash = decode($1, 'hex') AND " +
    std::string(kPendingInvitation);
const db::Statement kInvitationIsUsable{"invitations_is_usable", kInvitationIsUsableSql.c_str()};
const std::string kUseInvitationSql =
    "UPDATE email_tokens t SET used_at = now() WHERE t.token_hash = decode($1, 'hex') AND " +
    std::string(kPendingInvitation) + " RETURNING t.company_id::text, t.email, t.role";
const db::Statement kUseInvitation{"invitations_use", kUseInvitationSql.c_str()};
constexpr db::Statement kInsertMember{
    "invitations_insert_member",
    "INSERT INTO users (company_id, email, name, locale, password_hash, role, email_verified_at) "
    "VALUES ($1::uuid, $2, $3, $4, $5, $6, now()) RETURNING id::text"};
const std::string kListPendingSql =
    "SELECT t.id::text, t.email, t.role, coalesce(u.name, ''), iso8601(t.created_at), "
    "iso8601(t.expires_at) FROM email_tokens t LEFT JOIN users u ON u.id = t.created_by "
    "WHERE t.company_id = $1::uuid AND " +
    std::string(kPendingInvitation) + " ORDER BY t.created_at DESC, t.id";
const db::Statement kListPending{"invitations_list_pending", kListPendingSql.c_str()};
constexpr db::Statement kRevokeOne{
    "invitations_revoke_one",
    "UPDATE email_tokens SET revoked_at = now() WHERE id = $1::uuid AND company_id = $2::uuid "
    "AND purpose = 'invite' AND used_at IS NULL AND revoked_at IS NULL RETURNING email"};
constexpr db::Statement kRevokeSentBy{
    "invitations_revoke_sent_by",
    "UPDATE email_tokens SET revoked_at = now() WHERE created_by = $1::uuid "
    "AND purpose = 'invite' AND used_at IS NULL AND revoked_at IS NULL"};
constexpr db::Statement kRevokeOfCompany{
    "invitations_revoke_of_company",
    "UPDATE email_tokens SET revoked_at = now() WHERE company_id = $1::uuid "
    "AND purpose = 'invite' AND used_at IS NULL AND revoked_at IS NULL"};

asio::awaitable<Result<http::Response>> Invite(const AccountDependencies& deps,
                                               http::Request& request,
                                               http::RequestContext& context, const Principal& me) {
  auto body = http::ParseJsonBody(request);
  if (!body) co_return tl::unexpected(body.error());
  JsonFields fields(*body);
  const auto email = fields.String("email", {.min_length = 3, .max_length = 254});
  const auto role = fields.String("role", {.required = false, .min_length = 1, .max_length = 16});
  const auto locale =
      fields.String("locale", {.required = false, .min_length = 2, .max_length = 2});
  fields.RejectUnknown();
  std::vector<Violation> violations;
  if (auto shape = fields.Finish(); !shape) {
    for (const FieldError& error : shape.error().fields)
      violations.push_back({error.code, error.field, {}});
  }
  const std::string address = email ? domain::NormalizeEmail(*email) : "";
  if (email && !domain::IsPlausibleEmail(address))
    violations.push_back({"invalid_email", "email", {}});
  const std::string invited_role = role.value_or("member");
  if (invited_role != "member" && invited_role != "owner")
    violations.push_back({"invalid_role", "role", {}});
  const std::string mail_locale = locale.value_or(me.locale);
  if (mail_locale != "de" && mail_locale != "en")
    violations.push_back({"unsupported_locale", "locale", {mail_locale}});
  if (!violations.empty())
    co_return tl::unexpected(domain::ValidationError(violations, LanguageOf(me)));
  const auto sent = co_await deps.limiter.Check(deps.limits.invitations_per_company, me.company_id);
  if (!sent.allowed) {
    co_return TooManyRequests(deps.limits.invitations_per_company, sent, context,
                              request.version());
  }

  const auth::NewToken token = auth::MakeToken(auth::kEmailLinkPrefix);
  const std::string client(context.client);
  const std::string traceparent = context.traceparent();
  auto expires = co_await deps.database.Transact(
      [&](db::Transaction& tx) -> asio::awaitable<Result<std::string>> {
        tx.set_trace_context(traceparent);
        auto stored = co_await tx.Execute(kInsertInvitation, token.hash, me.company_id, address,
                                          invited_role, me.user_id, kInvitationSeconds);
        if (!stored) co_return tl::unexpected(stored.error());
        auto company = co_await tx.Execute(kCompanyName, me.company_id);
        if (!company) co_return tl::unexpected(company.error());
        JsonWriter payload(256);
        payload.BeginObject();
        payload.Member("link",
                       EmailLink(deps, mail_locale, "account/accept-invitation", token.value));
        payload.Member("company", company->empty() ? std::string_view() : company->Text(0, 0));
        payload.Member("inviter", me.name);
        payload.EndObject();
        const std::string payload_json = std::move(payload).Take();
        auto queued =
            co_await mail::EnqueueEmail(tx, address, "invitation", mail_locale, payload_json, "");
        if (!queued) co_return tl::unexpected(queued.error());
        const std::string details = R"({"role":")" + invited_role + "\"}";
        auto audited =
            co_await Audit(tx, "member_invited", me.user_id, me.company_id, "", client, details);
        if (!audited) co_return tl::unexpected(audited.error());
        co_return std::string(stored->Text(0, 0));
      });
  if (!expires) co_return tl::unexpected(expires.error());
  JsonWriter json(256);
  json.BeginObject();
  json.Member("email", address);
  json.Member("role", invited_role);
  json.Member("expires_at", *expires);
  json.EndObject();
  co_return http::JsonTextResponse(http::Status::created, std::move(json).Take(),
                                   request.version());
}

asio::awaitable<Result<http::Response>> AcceptInvitation(const AccountDependencies& deps,
                                                         http::Request& request,
                                                         http::RequestContext& context) {
  auto body = http::ParseJsonBody(request);
  if (!body) co_return tl::unexpected(body.error());
  JsonFields fields(*body);
  const auto token = fields.String("token", {.min_length = 1, .max_length = 256});
  const auto name = fields.String("name", {.min_length = 1, .max_length = 200});
  const auto password = fields.String("password", {.min_length = 1, .max_length = 1024});
  const auto locale =
      fields.String("locale", {.required = false, .min_length = 2, .max_length = 2});
  fields.RejectUnknown();
  std::vector<Violation> violations;
  if (auto shape = fields.Finish(); !shape) {
    for (const FieldError& error : shape.error().fields)
      violations.push_back({error.code, error.field, {}});
  }
  const auth::PasswordPolicy& policy = deps.hasher.policy();
  if (password) {
    const std::string_view problem = auth::PasswordProblem(policy, *password);
    if (!problem.empty()) {
      violations.push_back(
          {problem == "too_short" ? "password_too_short" : "password_too_long",
           "password",
           {std::to_string(problem == "too_short" ? policy.min_length : policy.max_length)}});
    }
  }
  const std::string user_locale = locale.value_or("de");
  if (user_locale != "de" && user_locale != "en")
    violations.push_back({"unsupported_locale", "locale", {user_locale}});
  const domain::Locale language = user_locale == "en" ? domain::Locale::kEn : domain::Locale::kDe;
  if (!violations.empty()) co_return tl::unexpected(domain::ValidationError(violations, language));

  const std::string token_hash = auth::HashToken(*token);
  auto usable = co_await deps.database.Execute(kInvitationIsUsable, token_hash);
  if (!usable) co_return tl::unexpected(usable.error());
  if (usable->empty()) co_return tl::unexpected(InvalidLink());  // no argon2id work for it
  auto hash = co_await deps.hasher.Hash(*password);
  if (!hash) co_return tl::unexpected(hash.error());
  const std::string client(context.client);
  struct Joined {
    std::string user_id;
    std::string email;
    std::string company_id;
    std::string role;
  };
  auto joined = co_await deps.database.Transact(
      [&](db::Transaction& tx) -> asio::awaitable<Result<std::optional<Joined>>> {
        auto invitation = co_await tx.Execute(kUseInvitation, token_hash);
        if (!invitation) co_return tl::unexpected(invitation.error());
        if (invitation->empty()) co_return std::optional<Joined>();
        Joined result;
        result.company_id = std::string(invitation->Text(0, 0));
        result.email = std::string(invitation->Text(0, 1));
        result.role = std::string(invitation->Text(0, 2));
        auto user = co_await tx.Execute(kInsertMember, result.company_id, result.email, *name,
                                        user_locale, *hash, result.role);
        if (!user) co_return tl::unexpected(user.error());
        result.user_id = std::string(user->Text(0, 0));
        auto audited = co_await Audit(tx, "invitation_accepted", result.user_id, result.company_id,
                                      result.user_id, client);
        if (!audited) co_return tl::unexpected(audited.error());
        co_return std::optional<Joined>(std::move(result));
      });
  if (!joined) {
    if (db::SqlStateOf(joined.error()) == "23505") {
      co_return Fail(ErrorCode::kConflict, "This e-mail address already has an account.");
    }
    co_return tl::unexpected(joined.error());
  }
  if (!*joined) co_return tl::unexpected(InvalidLink());  // used up meanwhile
  JsonWriter json(256);
  json.BeginObject();
  json.Member("id", (*joined)->user_id);
  json.Member("email", (*joined)->email);
  json.Member("company_id", (*joined)->company_id);
  json.Member("role", (*joined)->role);
  json.EndObject();
  co_return http::JsonTextResponse(http::Status::created, std::move(json).Take(),
                                   request.version());
}

asio::awaitable<Result<http::Response>> ListInvitations(const AccountDependencies& deps,
                                                        http::Request& request,
                                                        http::RequestContext&,
                                                        const Principal& me) {
  auto rows = co_await deps.database.Execute(kListPending, me.company_id);
  if (!rows) co_return tl::unexpected(rows.error());
  JsonWriter json(256 + 256 * static_cast<std::size_t>(rows->size()));
  json.BeginObject();
  json.Key("data");
  json.BeginArray();
  for (int row = 0; row < rows->size(); ++row) {
    json.BeginObject();
    json.Member("id", rows->Text(row, 0));
    json.Member("email", rows->Text(row, 1));
    json.Member("role", rows->Text(row, 2));
    json.Member("invited_by", rows->Text(row, 3));
    json.Member("created_at", rows->Text(row, 4));
    json.Member("expires_at", rows->Text(row, 5));
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  co_return http::JsonTextResponse(http::Status::ok, std::move(json).Take(), request.version());
}

asio::awaitable<Result<http::Response>> RevokeInvitation(const AccountDependencies& deps,
                                                         http::Request& request,
                                                         http::RequestContext& context,
                                                         const Principal& me) {
  const std::string invitation_id(context.Param("id"));
  if (!IsUuid(invitation_id)) co_return Fail(ErrorCode::kNotFound, "No such invitation.");
  const std::string client(context.client);
  auto revoked =
      co_await deps.database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<bool>> {
        auto row = co_await tx.Execute(kRevokeOne, invitation_id, me.company_id);
        if (!row) co_return tl::unexpected(row.error());
        if (row->empty()) co_return false;
        auto audited =
            co_await Audit(tx, "invitation_revoked", me.user_id, me.company_id, "", client);
        if (!audited) co_return tl::unexpected(audited.error());
        co_return true;
      });
  if (!revoked) co_return tl::unexpected(revoked.error());
  if (!*revoked) co_return Fail(ErrorCode::kNotFound, "No such invitation.");
  co_return http::Response(http::Status::no_content, request.version());
}

}  // namespace

asio::awaitable<Result<void>> RevokeInvitationsSentBy(db::Transaction& tx, std::string user_id) {
  auto revoked = co_await tx.Execute(kRevokeSentBy, user_id);
  if (!revoked) co_return tl::unexpected(revoked.error());
  co_return Result<void>{};
}

asio::awaitable<Result<void>> RevokeInvitationsOf(db::Transaction& tx, std::string company_id) {
  auto revoked = co_await tx.Execute(kRevokeOfCompany, company_id);
  if (!revoked) co_return tl::unexpected(revoked.error());
  co_return Result<void>{};
}

void AddInvitationRoutes(RouteTable& routes, const AccountDependencies& dependencies) {
  auto deps = std::make_shared<const AccountDependencies>(dependencies);
  routes.Add(http::Verb::post, "/v1/company/invitations",
             {.operation = "createInvitation", .caller = Caller::kOwner}, Bound(deps, Invite));
  routes.Add(http::Verb::get, "/v1/company/invitations",
             {.operation = "listInvitations", .caller = Caller::kOwner},
             Bound(deps, ListInvitations));
  routes.Add(http::Verb::delete_, "/v1/company/invitations/{id}",
             {.operation = "revokeInvitation", .caller = Caller::kOwner},
             Bound(deps, RevokeInvitation));
  routes.Add(
      http::Verb::post, "/v1/invitations/accept",
      {.operation = "acceptInvitation", .per_address = &deps->limits.invitation_accept_per_address},
      Bound(deps, AcceptInvitation));
}

}  // namespace codezero::api
