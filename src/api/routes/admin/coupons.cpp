#include "api/routes/admin/admin_routes.h"

#include <algorithm>

#include "api/audit.h"
#include "common/json_fields.h"
#include "common/json_writer.h"
#include "domain/vat_rates.h"
#include "http/json_body.h"

namespace codezero::api::admin {
namespace {

namespace asio = boost::asio;
using auth::Principal;

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
  // Whole percents of whole-euro prices are whole cents: nothing to round, so Stripe's
  // discount is ours to the cent (docs/pricing.md, "Rounding").
  if (percent && *percent % 100 != 0) {
    fields.AddError("invalid_value", "percent_off_bps",
                    "Whole percents only: a multiple of 100 (1000 is 10 %).");
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

}  // namespace

void AddCouponRoutes(RouteTable& routes, const Dependencies& deps) {
  routes.Add(http::Verb::get, "/v1/admin/coupons", AdminsOnly("listCoupons"),
             Bound(deps, ListCoupons));
  routes.Add(http::Verb::post, "/v1/admin/coupons", AdminsOnly("createCoupon"),
             Bound(deps, CreateCoupon));
  routes.Add(http::Verb::post, "/v1/admin/coupons/{code}/deactivate",
             AdminsOnly("deactivateCoupon"), Bound(deps, DeactivateCoupon));
}

}  // namespace codezero::api::admin
