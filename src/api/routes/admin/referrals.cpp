// GET /v1/admin/referrals?state=&limit=&offset= and POST /v1/admin/referrals/{id}/void: every
// redemption with its code and both companies, newest first; voiding a held or credited one
// (a credited one's credit is taken back from the referrer's balance by a job). Audited.
#include "billing/referrals.h"
#include "api/audit.h"
#include "api/routes/admin/admin_routes.h"
#include "common/json_writer.h"
#include "common/uuid.h"
#include "http/json_body.h"

namespace codezero::api::admin {
namespace {

namespace asio = boost::asio;
using auth::Principal;

constexpr db::Statement kRedemptions{
    "admin_referrals",
    "SELECT coalesce(json_agg(x ORDER BY x.paid_at DESC, x.id), '[]')::text FROM ("
    "SELECT r.id, r.code, r.state, r.refusal, r.reward_amount, r.currency, "
    "r.referrer_company_id, ref.name AS referrer_name, r.referee_company_id, "
    "me.name AS referee_name, r.order_id, iso8601(r.paid_at) AS paid_at, "
    "iso8601(r.hold_until) AS hold_until, iso8601(r.credited_at) AS credited_at, "
    "r.credit_transaction, iso8601(r.reversed_at) AS reversed_at, "
    "iso8601(r.voided_at) AS voided_at FROM referral_redemptions r "
    "JOIN companies ref ON ref.id = r.referrer_company_id "
    "JOIN companies me ON me.id = r.referee_company_id "
    "WHERE $1 = '' OR r.state = $1 ORDER BY r.paid_at DESC, r.id LIMIT $2 OFFSET $3) x"};

asio::awaitable<Result<http::Response>> ListReferrals(const AccountDependencies& deps,
                                                      http::Request& request,
                                                      http::RequestContext& context,
                                                      const Principal&) {
  auto page = PageOf(context.query);
  if (!page) co_return tl::unexpected(page.error());
  const std::string state = http::QueryParameter(context.query, "state").value_or("");
  auto rows = co_await deps.database.Execute(kRedemptions, state, page->limit, page->offset);
  if (!rows) co_return tl::unexpected(rows.error());
  co_return http::JsonTextResponse(
      http::Status::ok, "{\"data\":" + std::string(rows->Text(0, 0)) + "}", request.version());
}

asio::awaitable<Result<http::Response>> VoidReferral(const AccountDependencies& deps,
                                                     http::Request& request,
                                                     http::RequestContext& context,
                                                     const Principal& admin) {
  const std::string id(context.Param("id"));
  if (!IsUuid(id)) co_return Fail(ErrorCode::kNotFound, "No such referral.");
  const std::string client(context.client);
  auto voided =
      co_await deps.database.Transact([&](db::Transaction& tx) -> asio::awaitable<Result<bool>> {
        auto done = co_await billing::VoidReferral(tx, id, admin.user_id);
        if (!done) co_return tl::unexpected(done.error());
        if (!*done) co_return false;
        const std::string details = "{\"redemption\":\"" + id + "\"}";
        auto audited =
            co_await Audit(tx, "admin_referral_voided", admin.user_id, "", "", client, details);
        if (!audited) co_return tl::unexpected(audited.error());
        co_return true;
      });
  if (!voided) co_return tl::unexpected(voided.error());
  if (!*voided) {
    co_return Fail(ErrorCode::kConflict, "Only a held or credited referral can be voided.");
  }
  co_return http::Response(http::Status::no_content, request.version());
}

}  // namespace

void AddReferralRoutes(RouteTable& routes, const Dependencies& deps) {
  routes.Add(http::Verb::get, "/v1/admin/referrals", AdminsOnly("listReferrals"),
             Bound(deps, ListReferrals));
  routes.Add(http::Verb::post, "/v1/admin/referrals/{id}/void", AdminsOnly("voidReferral"),
             Bound(deps, VoidReferral));
}

}  // namespace codezero::api::admin
