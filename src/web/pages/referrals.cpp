// The company's referral code (GET /v1/referrals/me, made on first visit): the link to share
// with a copy button, the terms (the referee's discount, the referrer's credit after the
// holding period) and what each use of the code became (GET /v1/referrals/me/redemptions).
#include <boost/json/array.hpp>

#include "web/formatting.h"
#include "web/pages/page_route.h"
#include "web/pages/pages.h"
#include "web/pages/signed_in.h"

namespace codezero::web {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

asio::awaitable<Result<http::Response>> ShowReferrals(Site& site, Visitor& visitor,
                                                      http::Request& request,
                                                      http::RequestContext& context,
                                                      Locale locale) {
  auto mine = co_await GetJson(site, visitor, "/v1/referrals/me", context.request_id);
  if (!mine) co_return WhenFailed(site, mine.error(), request, context, locale);
  auto list = co_await GetJson(site, visitor, "/v1/referrals/me/redemptions", context.request_id);
  if (!list) co_return WhenFailed(site, list.error(), request, context, locale);
  const std::string currency = StringAt(*mine, "currency");
  json::array rows;
  if (const json::value& data = MemberAt(*list, "data"); data.is_array()) {
    for (const json::value& redemption : data.as_array()) {
      const std::string state = StringAt(redemption, "state");
      json::object row{{"placed_on", DateAt(redemption, "placed_at", locale)},
                       {"paid_on", DateAt(redemption, "paid_at", locale)},
                       {"hold_until", DateAt(redemption, "hold_until", locale)},
                       {"credited_on", DateAt(redemption, "credited_at", locale)},
                       {"reversed_on", DateAt(redemption, "reversed_at", locale)}};
      if (const json::value& amount = MemberAt(redemption, "reward_amount"); amount.is_int64()) {
        row["reward"] = Money(amount.as_int64(), currency, locale);
      }
      row["state_" + state] = true;
      if (const std::string refusal = StringAt(redemption, "refusal"); !refusal.empty()) {
        row["refusal_" + refusal] = true;
      }
      rows.push_back(std::move(row));
    }
  }
  const json::value& counts = MemberAt(*mine, "counts");
  json::object data{
      {"section_referrals", true},
      {"code", StringAt(*mine, "code")},
      {"link", StringAt(*mine, "link")},
      {"discount", Percent(static_cast<int>(IntegerAt(*mine, "percent_off_bps")), locale)},
      {"reward", Money(IntegerAt(*mine, "reward_amount"), currency, locale)},
      {"holding_days", IntegerAt(*mine, "holding_days")},
      {"credited", IntegerAt(counts, "credited")},
      {"waiting", IntegerAt(counts, "pending") + IntegerAt(counts, "holding")},
      {"has_redemptions", !rows.empty()},
      {"redemptions", std::move(rows)}};
  co_return site.PrivatePage("referrals", std::move(data), AccountMeta(Page::kReferrals, locale),
                             visitor, request);
}

}  // namespace

void AddReferralRoutes(http::Router& router, Site& site) {
  for (const Locale locale : {Locale::kDe, Locale::kEn}) {
    AddPage(router, site, locale, PathOf(Page::kReferrals, locale), Audience::kSignedIn,
            ShowReferrals);
  }
}

}  // namespace codezero::web
