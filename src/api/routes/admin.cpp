#include "api/routes/admin.h"

#include <charconv>
#include <limits>
#include <memory>
#include <optional>

#include "api/audit.h"
#include "api/catalog_import.h"
#include "api/routes/company.h"
#include "auth/bearer.h"
#include "common/json_fields.h"
#include "common/json_writer.h"
#include "common/uuid.h"
#include "domain/vat_rates.h"
#include "http/json_body.h"
#include "http/query.h"
#include "queue/job_admin.h"

namespace codezero::api {
namespace {

namespace asio = boost::asio;
using auth::Principal;

constexpr db::Statement kCompanies{
    "admin_companies",
    "SELECT c.id::text, c.name, c.country, iso8601(c.created_at), "
    "(SELECT count(*) FROM users u WHERE u.company_id = c.id AND u.disabled_at IS NULL) "
    "FROM companies c WHERE c.deleted_at IS NULL AND ($1 = '' OR c.name ILIKE '%' || $1 || '%') "
    "ORDER BY c.created_at DESC, c.id LIMIT $2 OFFSET $3"};
constexpr db::Statement kUsers{
    "admin_users",
    "SELECT id::text, email, name, coalesce(company_id::text, ''), role, platform_admin, "
    "email_verified_at IS NOT NULL, disabled_at IS NOT NULL, iso8601(created_at) FROM users "
    "WHERE anonymized_at IS NULL AND ($1 = '' OR email ILIKE '%' || $1 || '%' OR name ILIKE '%' || "
    "$1 || '%') "
    "ORDER BY created_at DESC, id LIMIT $2 OFFSET $3"};
constexpr db::Statement kDisableUser{
    "admin_disable_user",
    "UPDATE users SET disabled_at = coalesce(disabled_at, now()) WHERE id = $1::uuid "
    "AND anonymized_at IS NULL RETURNING coalesce(company_id::text, '')"};
constexpr db::Statement kCoupons{
    "admin_coupons",
    "SELECT code, percent_off_bps, active, coalesce(iso8601(valid_from), ''), "
    "coalesce(iso8601(valid_until), ''), iso8601(created_at) FROM coupons ORDER BY created_at "
    "DESC, code"};
constexpr db::Statement kInsertCoupon{
    "admin_insert_coupon",
    "INSERT INTO coupons (code, percent_off_bps, valid_from, valid_until) "
    "VALUES ($1, $2, nullif($3, '')::timestamptz, nullif($4, '')::timestamptz)"};
constexpr db::Statement kDeactivateCoupon{
    "admin_deactivate_coupon", "UPDATE coupons SET active = false WHERE code = $1 RETURNING code"};

// ?limit (1 to 100, default 50) and ?offset of a search; nullopt when either is not a whole
// number in range (answered 400).
struct Page {
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};
std::optional<Page> PageOf(std::string_view query) {
  const auto limit = http::IntegerParameter(query, "limit", 50, 1, 100);
  const auto offset = http::IntegerParameter(query, "offset", 0, 0, 1'000'000);
  if (!limit || !offset) return std::nullopt;
  return Page{*limit, *offset};
}

asio::awaitable<Result<http::Response>> ListCompanies(const AccountDependencies& deps,
                                                      http::Request& request,
                                                      http::RequestContext& context,
                                                      const Principal&) {
  const std::string search = http::QueryParameter(context.query, "q").value_or("");
  const auto page = PageOf(context.query);
  if (!page) {
    co_return Fail(ErrorCode::kBadRequest, "limit must be 1 to 100 and offset 0 or more.");
  }
  auto rows =
      co_await deps.database.Execute(kCompanies, search, static_cast<long long>(page->limit),
                                     static_cast<long long>(page->offset));
  if (!rows) co_return tl::unexpected(rows.error());
  JsonWriter json(256);
  json.BeginObject();
  json.Key("data");
  json.BeginArray();
  for (int row = 0; row < rows->size(); ++row) {
    json.BeginObject();
    json.Member("id", rows->Text(row, 0));
    json.Member("name", rows->Text(row, 1));
    json.Member("country", rows->Text(row, 2));
    json.Member("created_at", rows->Text(row, 3));
    json.Member("members", rows->Int64(row, 4));
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  co_return http::JsonTextResponse(http::Status::ok, std::move(json).Take(), request.version());
}

asio::awaitable<Result<http::Response>> ListUsers(const AccountDependencies& deps,
                                                  http::Request& request,
                                                  http::RequestContext& context, const Principal&) {
  const std::string search = http::QueryParameter(context.query, "q").value_or("");
  const auto page = PageOf(context.query);
  if (!page) {
    co_return Fail(ErrorCode::kBadRequest, "limit must be 1 to 100 and offset 0 or more.");
  }
  auto rows = co_await deps.database.Execute(kUsers, search, static_cast<long long>(page->limit),
                                             static_cast<long long>(page->offset));
  if (!rows) co_return tl::unexpected(rows.error());
  JsonWriter json(256);
  json.BeginObject();
  json.Key("data");
  json.BeginArray();
  for (int row = 0; row < rows->size(); ++row) {
    json.BeginObject();
    json.Member("id", rows->Text(row, 0));
    json.Member("email", rows->Text(row, 1));
    json.Member("name", rows->Text(row, 2));
    json.NullableMember("company_id", rows->Text(row, 3));
    json.Member("role", rows->Text(row, 4));
    json.Member("platform_admin", rows->Bool(row, 5));
    json.Member("email_verified", rows->Bool(row, 6));
    json.Member("disabled", rows->Bool(row, 7));
    json.Member("created_at", rows->Text(row, 8));
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  co_return http::JsonTextResponse(http::Status::ok, std::move(json).Take(), request.version());
}

asio::awaitable<Result<http::Response>> DisableUser(const AccountDependencies& deps,
                                                    http::Request& request,
                                                    http::RequestContext& context,
                                                    const Principal& admin) {
  const std::string user_id(context.Param("id"));
  if (!IsUuid(user_id)) co_return Fail(ErrorCode::kNotFound, "No such user.");
  if (user_id == admin.user_id)
    co_return Fail(ErrorCode::kConflict, "You cannot disable yourself.");
  const std::string client(context.client);
  std::vector<std::string> evict;
  auto disabled =
      co_await deps.database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<bool>> {
        auto user = co_await tx.Execute(kDisableUser, user_id);
        if (!user) co_return tl::unexpected(user.error());
        if (user->empty()) co_return false;
        auto revoked = co_await deps.tokens.RevokeUser(tx, user_id);
        if (!revoked) co_return tl::unexpected(revoked.error());
        evict = std::move(*revoked);
        const std::string company_id(user->Text(0, 0));
        auto audited =
            co_await Audit(tx, "admin_user_disabled", admin.user_id, company_id, user_id, client);
        if (!audited) co_return tl::unexpected(audited.error());
        co_return true;
      });
  if (!disabled) co_return tl::unexpected(disabled.error());
  if (!*disabled) co_return Fail(ErrorCode::kNotFound, "No such user.");
  co_await deps.tokens.Evict(std::move(evict));
  co_return http::Response(http::Status::no_content, request.version());
}

asio::awaitable<Result<http::Response>> NewCatalogVersion(const AccountDependencies& deps,
                                                          http::Request& request,
                                                          http::RequestContext& context,
                                                          const Principal& admin) {
  auto body = http::ParseJsonBody(request);  // 415 / 400 before the catalog's own rules
  if (!body) co_return tl::unexpected(body.error());
  auto imported = co_await ImportCatalog(deps.database, request.body());
  if (!imported) co_return tl::unexpected(imported.error());
  const std::string client(context.client);
  const std::string details = "{\"version\":" + std::to_string(imported->version) + "}";
  auto audited =
      co_await deps.database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<int>> {
        auto entry =
            co_await Audit(tx, "admin_catalog_imported", admin.user_id, "", "", client, details);
        if (!entry) co_return tl::unexpected(entry.error());
        co_return 0;
      });
  if (!audited) co_return tl::unexpected(audited.error());
  JsonWriter json(64);
  json.BeginObject();
  json.Member("version", imported->version);
  json.Member("created", imported->created);
  json.EndObject();
  co_return http::JsonTextResponse(imported->created ? http::Status::created : http::Status::ok,
                                   std::move(json).Take(), request.version());
}

asio::awaitable<Result<http::Response>> ListCoupons(const AccountDependencies& deps,
                                                    http::Request& request, http::RequestContext&,
                                                    const Principal&) {
  auto rows = co_await deps.database.Execute(kCoupons);
  if (!rows) co_return tl::unexpected(rows.error());
  JsonWriter json(256);
  json.BeginObject();
  json.Key("data");
  json.BeginArray();
  for (int row = 0; row < rows->size(); ++row) {
    json.BeginObject();
    json.Member("code", rows->Text(row, 0));
    json.Member("percent_off_bps", rows->Int64(row, 1));
    json.Member("active", rows->Bool(row, 2));
    json.NullableMember("valid_from", rows->Text(row, 3));
    json.NullableMember("valid_until", rows->Text(row, 4));
    json.Member("created_at", rows->Text(row, 5));
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  co_return http::JsonTextResponse(http::Status::ok, std::move(json).Take(), request.version());
}

bool IsRfc3339(std::string_view text) {
  // 2026-12-31T23:59:59Z (what iso8601() writes); PostgreSQL parses it.
  return text.size() == 20 && text[4] == '-' && text[7] == '-' && text[10] == 'T' &&
         text[13] == ':' && text[16] == ':' && text[19] == 'Z' &&
         domain::ParseIsoDate(text.substr(0, 10)).has_value();
}

asio::awaitable<Result<http::Response>> CreateCoupon(const AccountDependencies& deps,
                                                     http::Request& request,
                                                     http::RequestContext& context,
                                                     const Principal& admin) {
  auto body = http::ParseJsonBody(request);
  if (!body) co_return tl::unexpected(body.error());
  JsonFields fields(*body);
  auto code = fields.String("code", {.min_length = 3, .max_length = 32});
  const auto percent = fields.Integer("percent_off_bps", {.min = 1, .max = 10'000});
  const auto valid_from =
      fields.String("valid_from", {.required = false, .min_length = 20, .max_length = 20});
  const auto valid_until =
      fields.String("valid_until", {.required = false, .min_length = 20, .max_length = 20});
  fields.RejectUnknown();
  if (code) {
    for (char& c : *code) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    const bool allowed = std::all_of(code->begin(), code->end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
    if (!allowed) fields.AddError("invalid_value", "code", "Letters, digits, '_' and '-' only.");
  }
  if (valid_from && !IsRfc3339(*valid_from))
    fields.AddError("invalid_value", "valid_from", "Use 2026-12-31T23:59:59Z.");
  if (valid_until && !IsRfc3339(*valid_until))
    fields.AddError("invalid_value", "valid_until", "Use 2026-12-31T23:59:59Z.");
  if (auto ok = fields.Finish(); !ok) co_return tl::unexpected(ok.error());
  const std::string client(context.client);
  const std::string from = valid_from.value_or("");
  const std::string until = valid_until.value_or("");
  auto created =
      co_await deps.database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<int>> {
        auto inserted = co_await tx.Execute(kInsertCoupon, *code, *percent, from, until);
        if (!inserted) co_return tl::unexpected(inserted.error());
        const std::string details =
            "{\"code\":\"" + *code + "\",\"percent_off_bps\":" + std::to_string(*percent) + "}";
        auto audited =
            co_await Audit(tx, "admin_coupon_created", admin.user_id, "", "", client, details);
        if (!audited) co_return tl::unexpected(audited.error());
        co_return 0;
      });
  if (!created) {
    const std::string_view state = db::SqlStateOf(created.error());
    if (state == "23505") co_return Fail(ErrorCode::kConflict, "A coupon with this code exists.");
    if (state == "23514")
      co_return Fail(ErrorCode::kValidationFailed, "valid_until must be after valid_from.");
    co_return tl::unexpected(created.error());
  }
  JsonWriter json(64);
  json.BeginObject();
  json.Member("code", *code);
  json.Member("percent_off_bps", *percent);
  json.Member("active", true);
  json.EndObject();
  co_return http::JsonTextResponse(http::Status::created, std::move(json).Take(),
                                   request.version());
}

asio::awaitable<Result<http::Response>> DeactivateCoupon(const AccountDependencies& deps,
                                                         http::Request& request,
                                                         http::RequestContext& context,
                                                         const Principal& admin) {
  std::string code(context.Param("code"));
  for (char& c : code) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  const std::string client(context.client);
  auto done =
      co_await deps.database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<bool>> {
        auto updated = co_await tx.Execute(kDeactivateCoupon, code);
        if (!updated) co_return tl::unexpected(updated.error());
        if (updated->empty()) co_return false;
        const std::string details = "{\"code\":\"" + code + "\"}";
        auto audited =
            co_await Audit(tx, "admin_coupon_deactivated", admin.user_id, "", "", client, details);
        if (!audited) co_return tl::unexpected(audited.error());
        co_return true;
      });
  if (!done) co_return tl::unexpected(done.error());
  if (!*done) co_return Fail(ErrorCode::kNotFound, "No such coupon.");
  co_return http::Response(http::Status::no_content, request.version());
}

// The {id} of a job route, or nullopt (answered 404).
std::optional<std::int64_t> JobId(const http::RequestContext& context) {
  const std::string_view text = context.Param("id");
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

asio::awaitable<Result<http::Response>> ListJobs(const AccountDependencies& deps,
                                                 http::Request& request,
                                                 http::RequestContext& context, const Principal&) {
  const std::string state = http::QueryParameter(context.query, "state").value_or("");
  const std::string kind = http::QueryParameter(context.query, "kind").value_or("");
  const std::string queue = http::QueryParameter(context.query, "queue").value_or("");
  const auto limit = http::IntegerParameter(context.query, "limit", 50, 1, queue::kMaxJobsPage);
  const auto before = http::IntegerParameter(context.query, "before", 0, 0,
                                             std::numeric_limits<std::int64_t>::max());
  if (!state.empty() && !queue::IsJobState(state)) {
    co_return Fail(ErrorCode::kBadRequest,
                   "state must be one of available, scheduled, running, retryable, completed, "
                   "discarded, cancelled.");
  }
  if (!limit || !before) {
    co_return Fail(ErrorCode::kBadRequest, "limit must be 1 to 100 and before a job id.");
  }
  auto page = co_await queue::ListJobs(deps.database, state, kind, queue, *limit, *before);
  if (!page) co_return tl::unexpected(page.error());
  co_return http::JsonTextResponse(http::Status::ok, std::move(*page), request.version());
}

asio::awaitable<Result<http::Response>> ShowJob(const AccountDependencies& deps,
                                                http::Request& request,
                                                http::RequestContext& context, const Principal&) {
  const auto id = JobId(context);
  if (!id) co_return Fail(ErrorCode::kNotFound, "No such job.");
  auto job = co_await queue::ShowJob(deps.database, *id);
  if (!job) co_return tl::unexpected(job.error());
  co_return http::JsonTextResponse(http::Status::ok, std::move(*job), request.version());
}

// Retry or cancel, audited in the same transaction.
asio::awaitable<Result<http::Response>> ChangeJob(const AccountDependencies& deps,
                                                  http::Request& request,
                                                  http::RequestContext& context,
                                                  const Principal& admin, queue::JobAction action) {
  const auto id = JobId(context);
  if (!id) co_return Fail(ErrorCode::kNotFound, "No such job.");
  std::string reason = "cancelled by " + admin.email;
  if (action == queue::JobAction::kCancel && !request.body().empty()) {
    auto body = http::ParseJsonBody(request);
    if (!body) co_return tl::unexpected(body.error());
    JsonFields fields(*body);
    auto given = fields.String("reason", {.required = false, .min_length = 1, .max_length = 500});
    fields.RejectUnknown();
    if (auto ok = fields.Finish(); !ok) co_return tl::unexpected(ok.error());
    if (given) reason += ": " + *given;
  }
  const std::string client(context.client);
  const std::string details = "{\"job_id\":" + std::to_string(*id) + "}";
  auto job = co_await deps.database.Transact(
      [&](db::Transaction& tx) -> asio::awaitable<Result<std::string>> {
        auto changed = co_await queue::ChangeJob(tx, *id, action, reason);
        if (!changed) co_return tl::unexpected(changed.error());
        auto audited = co_await Audit(tx, std::string(queue::AuditActionOf(action)), admin.user_id,
                                      "", "", client, details);
        if (!audited) co_return tl::unexpected(audited.error());
        co_return std::move(*changed);
      });
  if (!job) co_return tl::unexpected(job.error());
  co_return http::JsonTextResponse(http::Status::ok, std::move(*job), request.version());
}

asio::awaitable<Result<http::Response>> RetryJob(const AccountDependencies& deps,
                                                 http::Request& request,
                                                 http::RequestContext& context,
                                                 const Principal& admin) {
  co_return co_await ChangeJob(deps, request, context, admin, queue::JobAction::kRetry);
}

asio::awaitable<Result<http::Response>> CancelJob(const AccountDependencies& deps,
                                                  http::Request& request,
                                                  http::RequestContext& context,
                                                  const Principal& admin) {
  co_return co_await ChangeJob(deps, request, context, admin, queue::JobAction::kCancel);
}

}  // namespace

void AddAdminRoutes(http::Router& router, const AccountDependencies& dependencies) {
  auto deps = std::make_shared<const AccountDependencies>(dependencies);
  auto& tokens = deps->tokens;
  const auto admin = [&tokens, deps](auto handler) {
    return auth::RequireBearer(
        tokens, auth::Access::kPlatformAdmin,
        [deps, handler](http::Request& r, http::RequestContext& c, const Principal& p) {
          return handler(*deps, r, c, p);
        });
  };
  router.Get("/v1/admin/companies", admin(ListCompanies));
  router.Get("/v1/admin/users", admin(ListUsers));
  router.Post("/v1/admin/users/{id}/disable", admin(DisableUser));
  router.Post("/v1/admin/catalog", admin(NewCatalogVersion));
  router.Get("/v1/admin/coupons", admin(ListCoupons));
  router.Post("/v1/admin/coupons", admin(CreateCoupon));
  router.Post("/v1/admin/coupons/{code}/deactivate", admin(DeactivateCoupon));
  router.Get("/v1/admin/jobs", admin(ListJobs));
  router.Get("/v1/admin/jobs/{id}", admin(ShowJob));
  router.Post("/v1/admin/jobs/{id}/retry", admin(RetryJob));
  router.Post("/v1/admin/jobs/{id}/cancel", admin(CancelJob));
}

}  // namespace codezero::api
