#include "api/routes/referrals.h"

#include <array>
#include <memory>

#include "auth/bearer.h"
#include "common/json_writer.h"
#include "common/random.h"
#include "db/connection.h"
#include "domain/catalog.h"
#include "domain/referral.h"
#include "http/json_body.h"

namespace codezero::api {
namespace {

namespace asio = boost::asio;

constexpr db::Statement kCodeOf{
    "referrals_code_of", "SELECT code, percent_off_bps FROM referral_codes WHERE company_id = $1"};
constexpr db::Statement kNewCode{
    "referrals_new_code",
    "INSERT INTO referral_codes (code, company_id) VALUES ($1, $2::uuid) "
    "ON CONFLICT (company_id) DO NOTHING"};
// Placed with the code and not paid yet, then the redemptions by state.
constexpr db::Statement kCounts{
    "referrals_counts",
    "SELECT (SELECT count(*) FROM orders o WHERE o.discount_kind = 'referral' "
    "  AND o.discount_code = $2 AND o.status = 'awaiting_payment' "
    "  AND NOT EXISTS (SELECT 1 FROM referral_redemptions r WHERE r.order_id = o.id)), "
    "count(*) FILTER (WHERE state = 'holding'), count(*) FILTER (WHERE state = 'credited'), "
    "count(*) FILTER (WHERE state = 'refused'), count(*) FILTER (WHERE state = 'reversed'), "
    "count(*) FILTER (WHERE state = 'voided') "
    "FROM referral_redemptions WHERE referrer_company_id = $1::uuid"};
constexpr db::Statement kRedemptions{
    "referrals_redemptions",
    "SELECT coalesce(json_agg(x ORDER BY x.placed_at DESC), '[]')::text FROM ("
    "SELECT r.id, r.state, r.refusal, r.reward_amount, r.currency, "
    "iso8601(o.created_at) AS placed_at, iso8601(r.paid_at) AS paid_at, "
    "iso8601(r.hold_until) AS hold_until, iso8601(r.credited_at) AS credited_at, "
    "iso8601(r.reversed_at) AS reversed_at "
    "FROM referral_redemptions r JOIN orders o ON o.id = r.order_id "
    "WHERE r.referrer_company_id = $1::uuid "
    "UNION ALL SELECT NULL, 'pending', NULL, NULL, o.currency, iso8601(o.created_at), NULL, "
    "NULL, NULL, NULL FROM orders o JOIN referral_codes c ON c.code = o.discount_code "
    "WHERE c.company_id = $1::uuid AND o.discount_kind = 'referral' "
    "AND o.status = 'awaiting_payment' "
    "AND NOT EXISTS (SELECT 1 FROM referral_redemptions r WHERE r.order_id = o.id) "
    "ORDER BY 6 DESC LIMIT 200) x"};

// The company's code, made now if it has none (a drawn code taken already: draw again).
asio::awaitable<Result<std::pair<std::string, std::int64_t>>> CodeOf(db::Pool& database,
                                                                     const std::string& company) {
  for (int attempt = 0; attempt < 8; ++attempt) {
    auto found = co_await database.Execute(kCodeOf, company);
    if (!found) co_return tl::unexpected(found.error());
    if (!found->empty()) {
      co_return std::pair{std::string(found->Text(0, 0)), found->Int64(0, 1)};
    }
    std::array<std::byte, 4> random{};
    SecureRandomBytes(random);
    std::array<unsigned char, 4> bytes{};
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<unsigned char>(random[i]);
    auto made = co_await database.Execute(kNewCode, domain::ReferralCodeFrom(bytes), company);
    if (!made && db::SqlStateOf(made.error()) != "23505") co_return tl::unexpected(made.error());
  }
  co_return Fail(ErrorCode::kInternal, "no free referral code after 8 draws");
}

asio::awaitable<Result<http::Response>> Mine(const ReferralDependencies& deps,
                                             http::Request& request, http::RequestContext&,
                                             const auth::Principal& me) {
  auto code = co_await CodeOf(deps.database, me.company_id);
  if (!code) co_return tl::unexpected(code.error());
  auto counts = co_await deps.database.Execute(kCounts, me.company_id, code->first);
  if (!counts) co_return tl::unexpected(counts.error());
  // The newest catalog's terms (domain/catalog.h: its defaults when it names none).
  auto catalog = co_await deps.catalogs.Current();
  if (!catalog) co_return tl::unexpected(catalog.error());
  const domain::ReferralTerms& terms_now = (*catalog)->catalog.referral;
  const std::string& currency = (*catalog)->catalog.currency;
  const std::string locale = me.locale == "en" ? "en" : "de";
  JsonWriter json(512);
  json.BeginObject();
  json.Member("code", code->first);
  json.Member("link", deps.public_web_url + "/" + locale + "/?ref=" + code->first);
  json.Member("percent_off_bps", code->second);
  json.Member("reward_amount", terms_now.reward_amount);
  json.Member("holding_days", static_cast<std::int64_t>(terms_now.holding_days));
  json.Member("currency", currency);
  json.Key("counts");
  json.BeginObject();
  constexpr std::array<std::string_view, 6> kStates{"pending", "holding",  "credited",
                                                    "refused", "reversed", "voided"};
  for (int column = 0; column < static_cast<int>(kStates.size()); ++column) {
    json.Member(kStates[column], counts->Int64(0, column));
  }
  json.EndObject();
  json.EndObject();
  co_return http::JsonTextResponse(http::Status::ok, std::move(json).Take(), request.version());
}

asio::awaitable<Result<http::Response>> Redemptions(const ReferralDependencies& deps,
                                                    http::Request& request, http::RequestContext&,
                                                    const auth::Principal& me) {
  auto rows = co_await deps.database.Execute(kRedemptions, me.company_id);
  if (!rows) co_return tl::unexpected(rows.error());
  co_return http::JsonTextResponse(
      http::Status::ok, "{\"data\":" + std::string(rows->Text(0, 0)) + "}", request.version());
}

}  // namespace

void AddReferralRoutes(RouteTable& routes, ReferralDependencies dependencies) {
  auto deps = std::make_shared<const ReferralDependencies>(std::move(dependencies));
  routes.Add(http::Verb::get, "/v1/referrals/me",
             {.operation = "getMyReferrals", .caller = Caller::kCompanyMember}, Bound(deps, Mine));
  routes.Add(http::Verb::get, "/v1/referrals/me/redemptions",
             {.operation = "listMyRedemptions", .caller = Caller::kCompanyMember},
             Bound(deps, Redemptions));
}

}  // namespace codezero::api
