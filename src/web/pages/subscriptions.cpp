// The company's subscriptions (GET /v1/subscriptions): plan, add-ons, period, next invoice, and
// for the owner the cancellation at the period's end, with a confirmation step whose button
// says "Jetzt kündigen" (§ 312k BGB), and its taking back. A failed payment (past_due) shows the
// way to Stripe's billing portal to update the payment method.
#include <boost/json/array.hpp>

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

// One subscription as both pages show it.
json::object ViewOf(Site& site, const json::value& subscription, Locale locale) {
  const std::string status = StringAt(subscription, "status");
  const std::string currency = StringAt(subscription, "currency");
  const std::string plan = StringAt(subscription, "plan");
  const std::string plan_name = site.ProductName(plan, locale);
  json::array items;
  if (const json::value& list = MemberAt(subscription, "items"); list.is_array()) {
    for (const json::value& item : list.as_array()) {
      const std::string code = StringAt(item, "code");
      if (code.empty() || code == plan) continue;
      const std::string name = site.ProductName(code, locale);
      const std::int64_t quantity = IntegerAt(item, "quantity");
      items.push_back(json::object{{"name", name.empty() ? code : name},
                                   {"quantity", quantity},
                                   {"show_quantity", quantity > 1}});
    }
  }
  const json::value& cancellation = MemberAt(subscription, "cancellation");
  const json::value& next = MemberAt(subscription, "next_invoice");
  const bool ended = status == "canceled" || status == "incomplete_expired";
  const bool ending = MemberAt(subscription, "cancel_at_period_end") == true;
  json::object view{
      {"id", StringAt(subscription, "id")},
      {"plan", plan_name.empty() ? plan : plan_name},
      {"yearly", StringAt(subscription, "interval") == "year"},
      {"has_items", !items.empty()},
      {"items", std::move(items)},
      {"period_end", DateAt(MemberAt(subscription, "current_period"), "end", locale)},
      {"ended", ended},
      {"ended_on", DateAt(subscription, "ended_at", locale)},
      {"ending", ending && !ended},
      {"past_due", status == "past_due" || status == "unpaid"},
      {"cancelled_by_customer", cancellation.is_object()},
      {"cancellation_received",
       cancellation.is_object() ? DateTimeAt(cancellation, "received_at", locale) : ""},
      {"order_url", std::string(PathOf(Page::kOrder, locale)) + StringAt(subscription, "order_id")},
      {"change_url", std::string(PathOf(Page::kSubscriptionChange, locale)) +
                         "?subscription=" + StringAt(subscription, "id")},
      {"pending_change", MemberAt(subscription, "pending_change").is_object()},
      {"cancel_url", std::string(PathOf(Page::kSubscriptionCancel, locale)) +
                         "?subscription=" + StringAt(subscription, "id")}};
  view["status_" + status] = true;
  if (next.is_object()) {
    view["next_date"] = DateAt(next, "date", locale);
    if (const json::value& amount = MemberAt(next, "amount_total"); amount.is_int64()) {
      view["next_amount"] = Money(amount.as_int64(), currency, locale);
    }
  }
  return view;
}

asio::awaitable<Result<http::Response>> ShowSubscriptions(Site& site, Visitor& visitor,
                                                          http::Request& request,
                                                          http::RequestContext& context,
                                                          Locale locale) {
  auto role = co_await RefreshRole(site, visitor, context.request_id);
  if (!role) co_return WhenFailed(site, role.error(), request, context, locale);
  auto list = co_await GetJson(site, visitor, "/v1/subscriptions", context.request_id);
  if (!list) co_return WhenFailed(site, list.error(), request, context, locale);
  const bool owner = visitor.session->owner();
  PageMeta meta = AccountMeta(Page::kSubscriptions, locale);
  json::array rows;
  bool past_due = false;
  if (const json::value& data = MemberAt(*list, "data"); data.is_array()) {
    for (const json::value& subscription : data.as_array()) {
      json::object view = ViewOf(site, subscription, locale);
      past_due = past_due || view["past_due"] == true;
      if (owner && view["cancelled_by_customer"] == true && view["ended"] == false) {
        meta.forms.push_back("resume-form-" + std::string(view["id"].as_string()));
      }
      rows.push_back(std::move(view));
    }
  }
  const std::string notice = http::QueryParameter(context.query, "notice").value_or("");
  json::object data{{"section_subscriptions", true},
                    {"has_subscriptions", !rows.empty()},
                    {"subscriptions", std::move(rows)},
                    {"owner", owner},
                    {"past_due", past_due},
                    {"resume_action", PathOf(Page::kSubscriptionResume, locale)},
                    {"portal_url", PathOf(Page::kBillingPortal, locale)},
                    {"cancel_page_url", PathOf(Page::kCancel, locale)},
                    {"notice_cancelled", notice == "cancelled"},
                    {"notice_resumed", notice == "resumed"},
                    {"notice_changed", notice == "changed"}};
  if (owner && past_due) meta.forms.emplace_back("portal-form");
  co_return site.PrivatePage("subscriptions", std::move(data), std::move(meta), visitor, request);
}

// The owner's confirmation step: what ends when, and the button.
asio::awaitable<Result<http::Response>> ShowSubscriptionCancel(Site& site, Visitor& visitor,
                                                               http::Request& request,
                                                               http::RequestContext& context,
                                                               Locale locale) {
  const std::string id = http::QueryParameter(context.query, "subscription").value_or("");
  if (!IsUuid(id)) co_return Fail(ErrorCode::kNotFound, "no such subscription");
  auto subscription =
      co_await GetJson(site, visitor, "/v1/subscriptions/" + id, context.request_id);
  if (!subscription) co_return WhenFailed(site, subscription.error(), request, context, locale);
  json::object data{{"section_subscriptions", true},
                    {"subscription", ViewOf(site, *subscription, locale)},
                    {"action", PathOf(Page::kSubscriptionCancel, locale)},
                    {"back_url", PathOf(Page::kSubscriptions, locale)}};
  PageMeta meta = AccountMeta(Page::kSubscriptionCancel, locale);
  meta.query = "subscription=" + id;
  meta.forms.emplace_back("subscription-cancel-form");
  co_return site.PrivatePage("subscription_cancel", std::move(data), std::move(meta), visitor,
                             request);
}

// Cancel or resume (`action`), then back to the list, which shows the result with the time the
// cancellation was received.
asio::awaitable<Result<http::Response>> Change(Site& site, Visitor& visitor, const FormPost& form,
                                               http::Request& request,
                                               http::RequestContext& context, Locale locale,
                                               std::string_view action, std::string_view notice) {
  const std::string id = form.Text("subscription");
  if (!IsUuid(id)) co_return Fail(ErrorCode::kNotFound, "no such subscription");
  auto answer = co_await SendJson(site, visitor, http::Verb::post,
                                  "/v1/subscriptions/" + id + "/" + std::string(action), "",
                                  context.request_id);
  if (!answer) co_return WhenFailed(site, answer.error(), request, context, locale);
  if (answer->result() != http::Status::ok) {
    co_return WhenFailed(site, ErrorOfApiAnswer(*answer), request, context, locale);
  }
  co_return Site::SeeOther(
      std::string(PathOf(Page::kSubscriptions, locale)) + "?notice=" + std::string(notice),
      request.version());
}

asio::awaitable<Result<http::Response>> CancelSubscription(Site& site, Visitor& visitor,
                                                           const FormPost& form,
                                                           http::Request& request,
                                                           http::RequestContext& context,
                                                           Locale locale) {
  co_return co_await Change(site, visitor, form, request, context, locale, "cancel", "cancelled");
}

asio::awaitable<Result<http::Response>> ResumeSubscription(Site& site, Visitor& visitor,
                                                           const FormPost& form,
                                                           http::Request& request,
                                                           http::RequestContext& context,
                                                           Locale locale) {
  co_return co_await Change(site, visitor, form, request, context, locale, "resume", "resumed");
}

}  // namespace

void AddSubscriptionRoutes(http::Router& router, Site& site) {
  for (const Locale locale : {Locale::kDe, Locale::kEn}) {
    AddPage(router, site, locale, PathOf(Page::kSubscriptions, locale), Audience::kSignedIn,
            ShowSubscriptions);
    AddPage(router, site, locale, PathOf(Page::kSubscriptionCancel, locale), Audience::kSignedIn,
            ShowSubscriptionCancel);
    AddForm(router, site, locale, PathOf(Page::kSubscriptionCancel, locale), Audience::kSignedIn,
            CancelSubscription);
    AddForm(router, site, locale, PathOf(Page::kSubscriptionResume, locale), Audience::kSignedIn,
            ResumeSubscription);
  }
}

}  // namespace codezero::web
