// The owner changes a subscription's plan, add-ons and quantities (POST /v1/subscriptions/{id}/
// preview, …/changes): a form with the subscription as it is, then, on "Show the price"
// (a GET: nothing changes), the API's preview with the prorated lines, what is due now and the
// next recurring amount, and the button that makes it. That form carries the preview's
// proration time and an idempotency key made with the preview, so what is charged is what was
// shown, and a second press changes nothing twice.
#include <boost/json/array.hpp>

#include "common/json_writer.h"
#include "common/random.h"
#include "common/uuid.h"
#include "http/query.h"
#include "web/form_feedback.h"
#include "web/formatting.h"
#include "web/pages/page_route.h"
#include "web/pages/pages.h"
#include "web/pages/signed_in.h"

namespace codezero::web {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

// A field by name, from the query (the GET) or the form (the POST).
using Lookup = std::function<std::string(std::string_view)>;

// The wanted state as the API's body: the chosen plan, each add-on with a quantity above 0.
std::string WantedBody(const CatalogView& catalog, const Lookup& field,
                       const std::string& extra = {}) {
  JsonWriter json(512);
  json.BeginObject();
  if (const std::string plan = field("plan"); !plan.empty()) json.Member("plan", plan);
  if (const std::string interval = field("interval"); !interval.empty()) {
    json.Member("interval", interval);
  }
  json.Key("addons");
  json.BeginArray();
  for (const CatalogAddon& addon : catalog.addons) {
    if (!addon.recurring) continue;
    const std::string value = field("addon_" + addon.code);
    std::int64_t quantity = 0;
    if (addon.IsSwitch()) {
      quantity = value.empty() ? 0 : 1;
    } else {
      try {
        quantity = value.empty() ? 0 : std::stoll(value);
      } catch (const std::exception&) {
        quantity = -1;  // the API says what is wrong
      }
    }
    if (quantity == 0) continue;
    json.BeginObject();
    json.Member("code", addon.code);
    json.Member("quantity", quantity);
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
  std::string body = std::move(json).Take();
  if (!extra.empty()) body.insert(body.size() - 1, extra);
  return body;
}

// The form's fields: the plans, and the recurring add-ons with their values (the subscription's
// own items, or what the visitor chose).
json::object FormOf(const CatalogView& catalog, const std::string& plan,
                    const std::string& interval,
                    const std::map<std::string, std::int64_t>& quantities) {
  json::array plans;
  for (const CatalogPlan& p : catalog.plans) {
    plans.push_back(json::object{{"code", p.code}, {"name", p.name}, {"selected", p.code == plan}});
  }
  json::array addons;
  for (const CatalogAddon& addon : catalog.addons) {
    if (!addon.recurring) continue;
    const auto found = quantities.find(addon.code);
    const std::int64_t quantity = found == quantities.end() ? 0 : found->second;
    std::int64_t max = 0;
    for (const CatalogPlan& p : catalog.plans) max = std::max(max, addon.MaxQuantity(p.code));
    addons.push_back(json::object{{"code", addon.code},
                                  {"name", addon.name},
                                  {"switch", addon.IsSwitch()},
                                  {"checked", quantity > 0},
                                  {"quantity", quantity},
                                  {"max", max}});
  }
  return json::object{{"plans", std::move(plans)},
                      {"addons", std::move(addons)},
                      {"monthly", interval != "year"},
                      {"yearly_selected", interval == "year"}};
}

asio::awaitable<Result<http::Response>> ShowChange(Site& site, Visitor& visitor,
                                                   http::Request& request,
                                                   http::RequestContext& context, Locale locale) {
  const std::string id = http::QueryParameter(context.query, "subscription").value_or("");
  if (!IsUuid(id)) co_return Fail(ErrorCode::kNotFound, "no such subscription");
  auto subscription =
      co_await GetJson(site, visitor, "/v1/subscriptions/" + id, context.request_id);
  if (!subscription) co_return WhenFailed(site, subscription.error(), request, context, locale);
  auto catalogs = co_await site.catalogs().Current();
  if (!catalogs) co_return tl::unexpected(catalogs.error());
  const CatalogView& catalog = (*catalogs)->In(locale);

  const Lookup from_query = [&context](std::string_view name) {
    return http::QueryParameter(context.query, name).value_or("");
  };
  const bool previewing = from_query("preview") == "1";
  std::string plan = StringAt(*subscription, "plan");
  std::string interval = StringAt(*subscription, "interval");
  std::map<std::string, std::int64_t> quantities;
  if (const json::value& items = MemberAt(*subscription, "items"); items.is_array()) {
    for (const json::value& item : items.as_array()) {
      const std::string code = StringAt(item, "code");
      if (catalog.FindPlan(code) != nullptr) plan = code;
      quantities[code] = IntegerAt(item, "quantity");
    }
  }
  if (previewing) {
    plan = from_query("plan").empty() ? plan : from_query("plan");
    interval = from_query("interval").empty() ? interval : from_query("interval");
    quantities.clear();
    for (const CatalogAddon& addon : catalog.addons) {
      const std::string value = from_query("addon_" + addon.code);
      if (value.empty()) continue;
      try {
        quantities[addon.code] = addon.IsSwitch() ? 1 : std::stoll(value);
      } catch (const std::exception&) {
        quantities[addon.code] = 0;
      }
    }
  }
  json::object data = FormOf(catalog, plan, interval, quantities);
  data["section_subscriptions"] = true;
  data["subscription"] = id;
  data["action"] = PathOf(Page::kSubscriptionChange, locale);
  data["back_url"] = PathOf(Page::kSubscriptions, locale);
  data["yearly"] = interval == "year";
  PageMeta meta = AccountMeta(Page::kSubscriptionChange, locale);
  unsigned status = 200;
  if (previewing) {
    auto answer =
        co_await SendJson(site, visitor, http::Verb::post, "/v1/subscriptions/" + id + "/preview",
                          WantedBody(catalog, from_query), context.request_id);
    if (!answer) co_return WhenFailed(site, answer.error(), request, context, locale);
    if (answer->result() == http::Status::ok) {
      const json::value preview = JsonBodyOf(*answer);
      const std::string currency = StringAt(preview, "currency");
      json::array lines;
      if (const json::value& entries = MemberAt(preview, "lines"); entries.is_array()) {
        for (const json::value& line : entries.as_array()) {
          const std::string name = site.ProductName(StringAt(line, "code"), locale);
          const std::int64_t amount = IntegerAt(line, "amount");
          lines.push_back(json::object{{"name", name.empty() ? StringAt(line, "code") : name},
                                       {"quantity", IntegerAt(line, "quantity")},
                                       {"credit", amount < 0},
                                       {"amount", Money(amount, currency, locale)}});
        }
      }
      const std::int64_t due = IntegerAt(preview, "amount_due");
      const json::value& next = MemberAt(preview, "next_recurring");
      data["preview"] =
          json::object{{"now", StringAt(preview, "effective") == "now"},
                       {"effective_on", Date(IntegerAt(preview, "effective_at"), locale)},
                       {"lines", std::move(lines)},
                       {"has_lines", IntegerAt(preview, "amount_total") != 0},
                       {"net", Money(IntegerAt(preview, "amount_net"), currency, locale)},
                       {"tax", Money(IntegerAt(preview, "amount_tax"), currency, locale)},
                       {"total", Money(IntegerAt(preview, "amount_total"), currency, locale)},
                       {"due", Money(due, currency, locale)},
                       // § 312j(3) BGB: a change that raises the price is a paid order, whatever is
                       // due today (a credit balance may pay for it).
                       {"pays", due > 0 || MemberAt(preview, "raises_price") == true},
                       {"credit", IntegerAt(preview, "credit") > 0
                                      ? Money(IntegerAt(preview, "credit"), currency, locale)
                                      : ""},
                       {"next_total", Money(IntegerAt(next, "amount_total"), currency, locale)},
                       {"proration_date", IntegerAt(preview, "proration_date")},
                       {"key", RandomToken(16)}};
      meta.forms.emplace_back("change-confirm-form");
    } else {
      Merge(data, FeedbackOf(*answer, {}));
      status = answer->result_int() >= 500 ? 503 : 422;
    }
  }
  meta.query = std::string(context.query);
  co_return site.PrivatePage("subscription_change", std::move(data), std::move(meta), visitor,
                             request, status);
}

asio::awaitable<Result<http::Response>> ConfirmChange(Site& site, Visitor& visitor,
                                                      const FormPost& form, http::Request& request,
                                                      http::RequestContext& context,
                                                      Locale locale) {
  const std::string id = form.Text("subscription");
  if (!IsUuid(id)) co_return Fail(ErrorCode::kNotFound, "no such subscription");
  auto catalogs = co_await site.catalogs().Current();
  if (!catalogs) co_return tl::unexpected(catalogs.error());
  const CatalogView& catalog = (*catalogs)->In(locale);
  const Lookup from_form = [&form](std::string_view name) { return form.Text(name); };
  std::string extra = ",\"proration_date\":";
  const std::string date = form.Text("proration_date");
  if (date.empty() || date.find_first_not_of("0123456789") != std::string::npos) {
    co_return Fail(ErrorCode::kBadRequest, "no proration date");
  }
  extra += date;
  auto answer = co_await SendJson(
      site, visitor, http::Verb::post, "/v1/subscriptions/" + id + "/changes",
      WantedBody(catalog, from_form, extra), context.request_id, form.Text("key"));
  if (!answer) co_return WhenFailed(site, answer.error(), request, context, locale);
  if (answer->result() != http::Status::ok) {
    co_return WhenFailed(site, ErrorOfApiAnswer(*answer), request, context, locale);
  }
  co_return Site::SeeOther(std::string(PathOf(Page::kSubscriptions, locale)) + "?notice=changed",
                           request.version());
}

}  // namespace

void AddSubscriptionChangeRoutes(http::Router& router, Site& site) {
  for (const Locale locale : {Locale::kDe, Locale::kEn}) {
    AddPage(router, site, locale, PathOf(Page::kSubscriptionChange, locale), Audience::kSignedIn,
            ShowChange);
    AddForm(router, site, locale, PathOf(Page::kSubscriptionChange, locale), Audience::kSignedIn,
            ConfirmChange);
  }
}

}  // namespace codezero::web
