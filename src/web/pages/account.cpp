// The account area's reading pages: the overview (who, which company, the latest orders), the
// orders, one order with its lines, amounts, status and history, and the access e-mail's
// workspace link. Another company's order is the API's 404, and so the 404 page.
#include <boost/json/array.hpp>

#include "common/uuid.h"
#include "web/formatting.h"
#include "web/pages/page_route.h"
#include "web/pages/pages.h"
#include "web/pages/quote_lines.h"
#include "web/pages/signed_in.h"
#include "web/quote_view.h"

namespace codezero::web {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

void AddStatusFlags(json::object& into, std::string_view status) {
  into["status_" + std::string(status)] = true;
}

json::array OrderRows(const Site& site, const json::value& list, Locale locale) {
  json::array rows;
  const json::value* data = list.is_object() ? list.as_object().if_contains("data") : nullptr;
  if (data == nullptr || !data->is_array()) return rows;
  for (const json::value& order : data->as_array()) {
    const std::string currency = StringAt(order, "currency");
    json::object row{{"url", std::string(PathOf(Page::kOrder, locale)) + StringAt(order, "id")},
                     {"date", DateAt(order, "created_at", locale)},
                     {"plan", site.PlanName(StringAt(order, "plan"), locale)},
                     {"yearly", StringAt(order, "interval") == "year"},
                     {"total", Money(IntegerAt(order, "amount_total"), currency, locale)}};
    AddStatusFlags(row, StringAt(order, "status"));
    rows.push_back(std::move(row));
  }
  return rows;
}

asio::awaitable<Result<http::Response>> ShowOverview(Site& site, Visitor& visitor,
                                                     http::Request& request,
                                                     http::RequestContext& context, Locale locale) {
  auto role = co_await RefreshRole(site, visitor, context.request_id);
  if (!role) co_return WhenFailed(site, role.error(), request, context, locale);
  auto company = co_await GetJson(site, visitor, "/v1/company", context.request_id);
  if (!company) co_return WhenFailed(site, company.error(), request, context, locale);
  auto orders = co_await GetJson(site, visitor, "/v1/orders?limit=5", context.request_id);
  if (!orders) co_return WhenFailed(site, orders.error(), request, context, locale);
  const Session& session = *visitor.session;
  json::array rows = OrderRows(site, *orders, locale);
  json::object data{
      {"section_overview", true},
      {"me",
       json::object{{"name", session.name}, {"email", session.email}, {"owner", session.owner()}}},
      {"company", json::object{{"name", StringAt(*company, "name")},
                               {"country", CountryName(StringAt(*company, "country"), locale)}}},
      {"has_orders", !rows.empty()},
      {"orders", std::move(rows)}};
  co_return site.PrivatePage("account", std::move(data), AccountMeta(Page::kAccount, locale),
                             visitor, request);
}

asio::awaitable<Result<http::Response>> ShowOrders(Site& site, Visitor& visitor,
                                                   http::Request& request,
                                                   http::RequestContext& context, Locale locale) {
  auto orders = co_await GetJson(site, visitor, "/v1/orders?limit=100", context.request_id);
  if (!orders) co_return WhenFailed(site, orders.error(), request, context, locale);
  json::array rows = OrderRows(site, *orders, locale);
  json::object data{{"section_orders", true}, {"has_orders", !rows.empty()}, {"orders", rows}};
  co_return site.PrivatePage("orders", std::move(data), AccountMeta(Page::kOrders, locale), visitor,
                             request);
}

asio::awaitable<Result<http::Response>> ShowOrder(Site& site, Visitor& visitor,
                                                  http::Request& request,
                                                  http::RequestContext& context, Locale locale) {
  const std::string id(context.Param("id"));
  if (!IsUuid(id)) co_return Fail(ErrorCode::kNotFound, "no such order");
  auto order = co_await GetJson(site, visitor, "/v1/orders/" + id, context.request_id);
  if (!order) co_return WhenFailed(site, order.error(), request, context, locale);
  const std::string currency = StringAt(*order, "currency");
  const auto money = [&](std::int64_t amount) { return Money(amount, currency, locale); };
  json::object view{
      {"id", id},
      {"date", DateAt(*order, "created_at", locale)},
      {"plan", StringAt(*order, "plan")},
      {"yearly", StringAt(*order, "interval") == "year"},
      {"lines", LinesOf(MemberAt(*order, "lines"), currency, locale)},
      {"total", money(IntegerAt(*order, "amount_total"))},
      {"tax", money(IntegerAt(*order, "amount_tax"))},
      {"tax_rate",
       Percent(static_cast<int>(IntegerAt(MemberAt(*order, "tax"), "rate_bps")), locale)},
      {"recurring_total", money(IntegerAt(MemberAt(*order, "recurring"), "amount_total"))},
      {"terms_accepted", DateAt(*order, "terms_accepted_at", locale)},
      {"early_start", DateAt(*order, "early_performance_requested_at", locale)}};
  AddStatusFlags(view, StringAt(*order, "status"));
  if (const json::value& discount = MemberAt(*order, "discount"); discount.is_object()) {
    view["discount"] = json::object{{"code", StringAt(discount, "code")},
                                    {"amount", money(IntegerAt(*order, "amount_discount"))}};
  }
  if (StringAt(*order, "status") == "awaiting_payment") {
    const std::string url = StringAt(MemberAt(*order, "checkout"), "url");
    if (url.starts_with(site.settings().payment_origin + "/")) view["pay_url"] = url;
  }
  json::array history;
  if (const json::value& entries = MemberAt(*order, "history"); entries.is_array()) {
    for (const json::value& entry : entries.as_array()) {
      json::object status;
      AddStatusFlags(status, StringAt(entry, "to"));
      const std::string at = StringAt(entry, "at");
      const auto seconds = ParseRfc3339(at);
      history.push_back(json::object{{"at", seconds ? Date(*seconds, locale) : at},
                                     {"at_iso", at},
                                     {"status", std::move(status)}});
    }
  }
  view["history"] = std::move(history);
  json::object data{{"section_orders", true}, {"order", std::move(view)}};
  co_return site.PrivatePage(
      "order", std::move(data),
      AccountMeta(Page::kOrder, locale, std::string(PathOf(Page::kOrder, locale)) + id), visitor,
      request);
}

}  // namespace

void AddAccountRoutes(http::Router& router, Site& site) {
  for (const Locale locale : {Locale::kDe, Locale::kEn}) {
    AddPage(router, site, locale, PathOf(Page::kAccount, locale), Audience::kSignedIn,
            ShowOverview);
    AddPage(router, site, locale, PathOf(Page::kOrders, locale), Audience::kSignedIn, ShowOrders);
    AddPage(router, site, locale, std::string(PathOf(Page::kOrder, locale)) + "{id}",
            Audience::kSignedIn, ShowOrder);
    // The access e-mail links a workspace; its orders are in the account.
    router.Get(std::string(PathOf(Page::kWorkspace, locale)) + "{id}",
               [locale](http::Request& request,
                        http::RequestContext& context) -> asio::awaitable<Result<http::Response>> {
                 context.log_path = std::string(PathOf(Page::kWorkspace, locale)) + "{id}";
                 co_return Site::SeeOther(std::string(PathOf(Page::kAccount, locale)),
                                          request.version());
               });
  }
}

}  // namespace codezero::web
