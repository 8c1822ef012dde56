#include "api/routes/company.h"

#include <memory>

#include "api/audit.h"
#include "api/routes/invitations.h"
#include "auth/bearer.h"
#include "auth/erasure_sql.h"
#include "auth/tokens.h"
#include "billing/customer_sync.h"
#include "billing/subscription_cancel.h"
#include "common/json_fields.h"
#include "common/json_writer.h"
#include "common/uuid.h"
#include "domain/email_address.h"
#include "domain/tax_id.h"
#include "domain/vat_territory.h"
#include "domain/violation.h"
#include "http/json_body.h"
#include "mail/outbox.h"

namespace codezero::api {
namespace {

namespace asio = boost::asio;
using auth::Principal;
using domain::Violation;

constexpr db::Statement kCompany{
    "company_show",
    "SELECT id::text, name, country, coalesce(vat_id, ''), address::text, iso8601(created_at) "
    "FROM companies WHERE id = $1::uuid AND deleted_at IS NULL"};
constexpr db::Statement kUpdateCompany{
    "company_update",
    "UPDATE companies SET name = coalesce($2, name), address = coalesce($3::jsonb, address), "
    "vat_id = CASE WHEN $4::boolean THEN nullif($5, '') ELSE vat_id END "
    "WHERE id = $1::uuid AND deleted_at IS NULL "
    "RETURNING country, stripe_customer_id IS NOT NULL"};
constexpr db::Statement kMembers{
    "company_members",
    "SELECT id::text, email, name, role, email_verified_at IS NOT NULL, iso8601(created_at) FROM "
    "users "
    "WHERE company_id = $1::uuid AND disabled_at IS NULL AND anonymized_at IS NULL "
    "ORDER BY created_at, id"};
constexpr db::Statement kLockMember{
    "company_lock_member",
    "SELECT role FROM users WHERE id = $1::uuid AND company_id = $2::uuid "
    "AND disabled_at IS NULL AND anonymized_at IS NULL FOR UPDATE"};
constexpr db::Statement kDisableMember{
    "company_disable_member",
    "UPDATE users SET disabled_at = now() WHERE id = $1::uuid AND company_id = $2::uuid "
    "AND disabled_at IS NULL AND anonymized_at IS NULL RETURNING id::text"};

constexpr db::Statement kMakeOwner{
    "company_make_owner",
    "UPDATE users SET role = 'owner' WHERE id = $1::uuid AND company_id = $2::uuid "
    "AND disabled_at IS NULL AND anonymized_at IS NULL AND email_verified_at IS NOT NULL "
    "RETURNING id::text"};
constexpr db::Statement kStepDown{"company_step_down",
                                  "UPDATE users SET role = 'member' WHERE id = $1::uuid"};
constexpr db::Statement kDeleteCompany{
    "company_delete", "UPDATE companies SET " CODEZERO_CLOSE_COMPANY_SET
                      " WHERE id = $1::uuid AND deleted_at IS NULL RETURNING id::text"};
// The company's subscriptions that still run: each ends at its period's end once the company
// is closed (the period was paid for).
constexpr db::Statement kRunningSubscriptions{
    "company_running_subscriptions",
    "SELECT DISTINCT o.stripe_subscription, "
    "coalesce(iso8601(s.current_period_end), '') FROM orders o "
    "LEFT JOIN subscriptions s ON s.stripe_id = o.stripe_subscription "
    "WHERE o.company_id = $1::uuid AND o.stripe_subscription IS NOT NULL "
    "AND o.status IN ('paid', 'provisioning', 'active', 'past_due') "
    "AND coalesce(s.status, 'active') NOT IN ('canceled', 'incomplete_expired')"};
constexpr db::Statement kDisableOthers{
    "company_disable_others",
    "UPDATE users SET disabled_at = coalesce(disabled_at, now()), role = 'member' "
    "WHERE company_id = $1::uuid AND id <> $2::uuid RETURNING id::text"};
constexpr db::Statement kLeaveCompany{"company_leave",
                                      "UPDATE users SET role = 'member' WHERE id = $1::uuid"};

asio::awaitable<Result<http::Response>> ShowCompany(const AccountDependencies& deps,
                                                    http::Request& request, http::RequestContext&,
                                                    const Principal& me) {
  auto rows = co_await deps.database.Execute(kCompany, me.company_id);
  if (!rows) co_return tl::unexpected(rows.error());
  if (rows->empty()) co_return Fail(ErrorCode::kNotFound, "No such company.");
  JsonWriter json(512);
  json.BeginObject();
  json.Member("id", rows->Text(0, 0));
  json.Member("name", rows->Text(0, 1));
  json.Member("country", rows->Text(0, 2));
  json.NullableMember("vat_id", rows->Text(0, 3));
  json.Key("address");
  std::string body = std::move(json).Take();
  body += rows->Text(0, 4);  // jsonb from the database: already JSON
  body += ",\"created_at\":";
  AppendJsonString(body, rows->Text(0, 5));
  body += '}';
  co_return http::JsonTextResponse(http::Status::ok, std::move(body), request.version());
}

asio::awaitable<Result<http::Response>> UpdateCompany(const AccountDependencies& deps,
                                                      http::Request& request,
                                                      http::RequestContext& context,
                                                      const Principal& me) {
  auto body = http::ParseJsonBody(request);
  if (!body) co_return tl::unexpected(body.error());
  JsonFields fields(*body);
  const auto name = fields.String("name", {.required = false, .min_length = 1, .max_length = 200});
  const boost::json::value* vat_raw = fields.Raw("vat_id");
  // A body that is not an object is the fields' not_an_object error below, not a throw here.
  const boost::json::object* given = body->if_object();
  const bool vat_given = given != nullptr && given->contains("vat_id");
  std::optional<std::string> address_json;
  if (given != nullptr && given->contains("address")) {
    JsonFields address = fields.Object("address");
    const auto line1 = address.String("line1", {.min_length = 1, .max_length = 200});
    const auto line2 = address.String("line2", {.required = false, .max_length = 200});
    const auto postal_code = address.String("postal_code", {.min_length = 1, .max_length = 20});
    const auto city = address.String("city", {.min_length = 1, .max_length = 100});
    address.RejectUnknown();
    if (line1 && postal_code && city) {
      JsonWriter json(256);
      json.BeginObject();
      json.Member("line1", *line1);
      if (line2) json.Member("line2", *line2);
      json.Member("postal_code", *postal_code);
      json.Member("city", *city);
      json.EndObject();
      address_json = std::move(json).Take();
    }
  }
  fields.RejectUnknown();
  std::vector<Violation> violations;
  if (auto shape = fields.Finish(); !shape) {
    for (const FieldError& error : shape.error().fields)
      violations.push_back({error.code, error.field, {}});
  }
  std::string vat_id;
  if (vat_raw != nullptr && !vat_raw->is_string())
    violations.push_back({"invalid_type", "vat_id", {}});
  if (vat_raw != nullptr && vat_raw->is_string()) vat_id = std::string(vat_raw->get_string());
  if (!violations.empty())
    co_return tl::unexpected(domain::ValidationError(violations, LanguageOf(me)));

  const std::string client(context.client);
  auto country = co_await deps.database.Transact(
      [&](db::Transaction& tx) -> asio::awaitable<Result<std::string>> {
        auto current = co_await tx.Execute(kCompany, me.company_id);
        if (!current) co_return tl::unexpected(current.error());
        if (current->empty()) co_return Fail(ErrorCode::kNotFound, "No such company.");
        if (!vat_id.empty()) {
          // As a number of the country the company is in for VAT (Monaco's are French).
          const domain::TaxIdCheck check =
              domain::CheckTaxId(domain::VatTerritoryOf(current->Text(0, 2), "").country, vat_id);
          if (!check.valid) {
            std::vector<Violation> invalid;
            invalid.push_back({"invalid_vat_id", "vat_id", {vat_id}});
            co_return tl::unexpected(domain::ValidationError(invalid, LanguageOf(me)));
          }
          vat_id = check.normalized;
        }
        auto updated = co_await tx.Execute(kUpdateCompany, me.company_id, name, address_json,
                                           vat_given, vat_id);
        if (!updated) co_return tl::unexpected(updated.error());
        auto audited =
            co_await Audit(tx, "company_updated", me.user_id, me.company_id, me.company_id, client);
        if (!audited) co_return tl::unexpected(audited.error());
        // What Stripe prints on the next invoice follows the company (a renewal included).
        if (updated->Bool(0, 1)) {
          auto sync = co_await billing::EnqueueCustomerSync(tx, me.company_id);
          if (!sync) co_return tl::unexpected(sync.error());
        }
        co_return std::string(updated->Text(0, 0));
      });
  if (!country) co_return tl::unexpected(country.error());
  co_return co_await ShowCompany(deps, request, context, me);
}

asio::awaitable<Result<http::Response>> ListMembers(const AccountDependencies& deps,
                                                    http::Request& request, http::RequestContext&,
                                                    const Principal& me) {
  auto rows = co_await deps.database.Execute(kMembers, me.company_id);
  if (!rows) co_return tl::unexpected(rows.error());
  JsonWriter json(128 + 160 * static_cast<std::size_t>(rows->size()));
  json.BeginObject();
  json.Key("data");
  json.BeginArray();
  for (int row = 0; row < rows->size(); ++row) {
    json.BeginObject();
    json.Member("id", rows->Text(row, 0));
    json.Member("email", rows->Text(row, 1));
    json.Member("name", rows->Text(row, 2));
    json.Member("role", rows->Text(row, 3));
    json.Member("email_verified", rows->Bool(row, 4));
    json.Member("created_at", rows->Text(row, 5));
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  co_return http::JsonTextResponse(http::Status::ok, std::move(json).Take(), request.version());
}

asio::awaitable<Result<http::Response>> RemoveMember(const AccountDependencies& deps,
                                                     http::Request& request,
                                                     http::RequestContext& context,
                                                     const Principal& me) {
  const std::string member_id(context.Param("id"));
  if (!IsUuid(member_id)) co_return Fail(ErrorCode::kNotFound, "No such member.");
  if (member_id == me.user_id) {
    co_return Fail(ErrorCode::kConflict,
                   "An owner cannot remove themselves; hand over ownership first.");
  }
  const std::string client(context.client);
  std::vector<std::string> evict;
  auto removed =
      co_await deps.database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<bool>> {
        auto member = co_await tx.Execute(kLockMember, member_id, me.company_id);
        if (!member) co_return tl::unexpected(member.error());
        if (member->empty()) co_return false;  // not in this company: not found
        if (member->Text(0, 0) == "owner") {
          co_return Fail(ErrorCode::kConflict,
                         "Another owner cannot be removed; they hand over ownership first.");
        }
        auto disabled = co_await tx.Execute(kDisableMember, member_id, me.company_id);
        if (!disabled) co_return tl::unexpected(disabled.error());
        if (disabled->empty()) co_return false;
        auto withdrawn = co_await RevokeInvitationsSentBy(tx, member_id);
        if (!withdrawn) co_return tl::unexpected(withdrawn.error());
        auto revoked = co_await deps.tokens.RevokeUser(tx, member_id);
        if (!revoked) co_return tl::unexpected(revoked.error());
        evict = std::move(*revoked);
        auto audited =
            co_await Audit(tx, "member_removed", me.user_id, me.company_id, member_id, client);
        if (!audited) co_return tl::unexpected(audited.error());
        // Their address leaves the Stripe customer if it was theirs (the last buyer's).
        auto sync = co_await billing::EnqueueCustomerSync(tx, me.company_id);
        if (!sync) co_return tl::unexpected(sync.error());
        co_return true;
      });
  if (!removed) co_return tl::unexpected(removed.error());
  if (!*removed) co_return Fail(ErrorCode::kNotFound, "No such member.");
  co_await deps.tokens.Evict(std::move(evict));
  co_return http::Response(http::Status::no_content, request.version());
}

asio::awaitable<Result<http::Response>> TransferOwnership(const AccountDependencies& deps,
                                                          http::Request& request,
                                                          http::RequestContext& context,
                                                          const Principal& me) {
  auto body = http::ParseJsonBody(request);
  if (!body) co_return tl::unexpected(body.error());
  JsonFields fields(*body);
  const auto user_id = fields.String("user_id", {.min_length = 1, .max_length = 64});
  fields.RejectUnknown();
  if (auto ok = fields.Finish(); !ok) co_return tl::unexpected(ok.error());
  if (!IsUuid(*user_id)) co_return Fail(ErrorCode::kNotFound, "No such member.");
  if (*user_id == me.user_id) co_return Fail(ErrorCode::kConflict, "You already own the company.");
  const std::string client(context.client);
  auto moved =
      co_await deps.database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<bool>> {
        // The caller's row first, locked: of two handovers at once the second waits here and
        // then finds its caller no longer an owner, so they cannot leave two new owners.
        auto caller = co_await tx.Execute(kLockMember, me.user_id, me.company_id);
        if (!caller) co_return tl::unexpected(caller.error());
        if (caller->empty() || caller->Text(0, 0) != "owner") {
          co_return Fail(ErrorCode::kConflict, "You are no longer an owner of this company.");
        }
        auto promoted = co_await tx.Execute(kMakeOwner, *user_id, me.company_id);
        if (!promoted) co_return tl::unexpected(promoted.error());
        if (promoted->empty()) co_return false;
        if (auto ok = co_await tx.Execute(kStepDown, me.user_id); !ok)
          co_return tl::unexpected(ok.error());
        // What the former owner sent is withdrawn with their ownership.
        auto withdrawn = co_await RevokeInvitationsSentBy(tx, me.user_id);
        if (!withdrawn) co_return tl::unexpected(withdrawn.error());
        auto audited = co_await Audit(tx, "ownership_transferred", me.user_id, me.company_id,
                                      *user_id, client);
        if (!audited) co_return tl::unexpected(audited.error());
        co_return true;
      });
  if (!moved) co_return tl::unexpected(moved.error());
  if (!*moved) co_return Fail(ErrorCode::kNotFound, "No such member.");
  co_await deps.tokens.EvictUser(me.user_id);  // cached roles changed
  co_await deps.tokens.EvictUser(*user_id);
  co_return http::Response(http::Status::no_content, request.version());
}

// The company is closed: its data is blanked, every other member disabled and signed out; the
// owner's own account stays (to be erased with DELETE /v1/me, or kept).
asio::awaitable<Result<http::Response>> DeleteCompany(const AccountDependencies& deps,
                                                      http::Request& request,
                                                      http::RequestContext& context,
                                                      const Principal& me) {
  const std::string client(context.client);
  std::vector<std::string> evict;
  // Subscription id and the end of its paid period (RFC 3339, empty: not known yet).
  std::vector<std::pair<std::string, std::string>> ending;
  auto deleted =
      co_await deps.database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<bool>> {
        ending.clear();
        auto company = co_await tx.Execute(kDeleteCompany, me.company_id);
        if (!company) co_return tl::unexpected(company.error());
        if (company->empty()) co_return false;
        // Stripe must stop charging a closed company: its subscriptions end with the period
        // it has paid for (the worker asks Stripe, billing/subscription_cancel.h).
        auto running = co_await tx.Execute(kRunningSubscriptions, me.company_id);
        if (!running) co_return tl::unexpected(running.error());
        for (int row = 0; row < running->size(); ++row) {
          std::string subscription(running->Text(row, 0));
          auto queued =
              co_await billing::EnqueueSubscriptionCancel(tx, subscription, true, "company_closed");
          if (!queued) co_return tl::unexpected(queued.error());
          ending.emplace_back(std::move(subscription), std::string(running->Text(row, 1)));
        }
        auto withdrawn = co_await RevokeInvitationsOf(tx, me.company_id);
        if (!withdrawn) co_return tl::unexpected(withdrawn.error());
        auto others = co_await tx.Execute(kDisableOthers, me.company_id, me.user_id);
        if (!others) co_return tl::unexpected(others.error());
        for (int row = 0; row < others->size(); ++row) {
          auto revoked = co_await deps.tokens.RevokeUser(tx, std::string(others->Text(row, 0)));
          if (!revoked) co_return tl::unexpected(revoked.error());
          evict.insert(evict.end(), revoked->begin(), revoked->end());
        }
        if (auto ok = co_await tx.Execute(kLeaveCompany, me.user_id); !ok)
          co_return tl::unexpected(ok.error());
        auto audited =
            co_await Audit(tx, "company_deleted", me.user_id, me.company_id, me.company_id, client);
        if (!audited) co_return tl::unexpected(audited.error());
        // The Stripe customer is blanked as the company was (billing/customer_sync.h).
        auto sync = co_await billing::EnqueueCustomerSync(tx, me.company_id);
        if (!sync) co_return tl::unexpected(sync.error());
        co_return true;
      });
  if (!deleted) co_return tl::unexpected(deleted.error());
  if (!*deleted) co_return Fail(ErrorCode::kNotFound, "No such company.");
  co_await deps.tokens.Evict(std::move(evict));
  co_await deps.tokens.EvictUser(me.user_id);
  // Says what happens to what was bought: each running subscription ends with its period.
  JsonWriter json(128 + 96 * ending.size());
  json.BeginObject();
  json.Key("subscriptions_ending");
  json.BeginArray();
  for (const auto& [subscription, period_end] : ending) {
    json.BeginObject();
    json.Member("id", subscription);
    json.NullableMember("ends_at", period_end);
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  co_return http::JsonTextResponse(http::Status::ok, std::move(json).Take(), request.version());
}

}  // namespace

void AddCompanyRoutes(RouteTable& routes, const AccountDependencies& dependencies) {
  auto deps = std::make_shared<const AccountDependencies>(dependencies);
  routes.Add(http::Verb::get, "/v1/company",
             {.operation = "getCompany", .caller = Caller::kCompanyMember},
             Bound(deps, ShowCompany));
  routes.Add(http::Verb::patch, "/v1/company",
             {.operation = "updateCompany", .caller = Caller::kOwner}, Bound(deps, UpdateCompany));
  routes.Add(http::Verb::get, "/v1/company/members",
             {.operation = "listMembers", .caller = Caller::kCompanyMember},
             Bound(deps, ListMembers));
  routes.Add(http::Verb::delete_, "/v1/company/members/{id}",
             {.operation = "removeMember", .caller = Caller::kOwner}, Bound(deps, RemoveMember));
  routes.Add(http::Verb::post, "/v1/company/owner",
             {.operation = "transferOwnership", .caller = Caller::kOwner},
             Bound(deps, TransferOwnership));
  routes.Add(http::Verb::delete_, "/v1/company",
             {.operation = "deleteCompany", .caller = Caller::kOwner}, Bound(deps, DeleteCompany));
}

}  // namespace codezero::api
