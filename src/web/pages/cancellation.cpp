// "Verträge hier kündigen" (§ 312k BGB), linked from every page's footer and usable without
// signing in:
//   /…/kuendigen                  the form (name, e-mail, order number, kind, reason) and its
//                                 button "Jetzt kündigen"; the answer page confirms the receipt
//                                 with date and time and what was declared (§ 312k(4) BGB)
//   /…/kuendigen/bestaetigen      the owner's e-mailed link: the declaration and the contracts
//                                 it cancels, and the button that records it as received then
// The API answers a declaration alike whether or not the address owns a contract, and so does
// this page.
#include <boost/json/array.hpp>

#include "common/json_writer.h"
#include "http/query.h"
#include "web/form_feedback.h"
#include "web/formatting.h"
#include "web/pages/page_route.h"
#include "web/pages/pages.h"
#include "web/pages/signed_in.h"
#include "web/pages/visitor_post.h"

namespace codezero::web {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

constexpr FieldMapping kDeclarationFields[] = {{"name", "name"},
                                               {"email", "email"},
                                               {"contract", "contract"},
                                               {"kind", "kind"},
                                               {"reason", "reason"}};

// What the form shows: the values sent (or the signed-in visitor's own name and address).
json::object FormData(Locale locale, std::string name, std::string email, std::string contract,
                      const std::string& kind, std::string reason) {
  return json::object{{"action", PathOf(Page::kCancel, locale)},
                      {"name", std::move(name)},
                      {"email", std::move(email)},
                      {"contract", std::move(contract)},
                      {"extraordinary", kind == "extraordinary"},
                      {"reason", std::move(reason)}};
}

asio::awaitable<Result<http::Response>> ShowCancel(Site& site, Visitor& visitor,
                                                   http::Request& request,
                                                   http::RequestContext& /*context*/,
                                                   Locale locale) {
  json::object data = visitor.session ? FormData(locale, visitor.session->name,
                                                 visitor.session->email, "", "ordinary", "")
                                      : FormData(locale, "", "", "", "ordinary", "");
  if (visitor.session && visitor.session->owner()) {
    data["subscriptions_url"] = PathOf(Page::kSubscriptions, locale);
  }
  co_return site.PrivatePage("cancel", std::move(data),
                             FormPageMeta(Page::kCancel, locale, "cancel-form"), visitor, request);
}

asio::awaitable<Result<http::Response>> Cancel(Site& site, Visitor& visitor, const FormPost& form,
                                               http::Request& request,
                                               http::RequestContext& context, Locale locale) {
  std::string kind = form.Text("kind");
  JsonWriter body(512);
  body.BeginObject();
  body.Member("email", form.Text("email"));
  body.Member("name", form.Text("name"));
  body.Member("contract", form.Text("contract"));
  body.Member("kind", kind);
  if (kind == "extraordinary") body.Member("reason", form.Text("reason"));
  body.Member("locale", domain::ToString(locale));
  body.EndObject();
  auto answer = co_await PostForVisitor(site, request, context, "/v1/cancellation-requests",
                                        std::move(body).Take());
  if (!answer) co_return tl::unexpected(answer.error());
  if (answer->result() == http::Status::accepted) {
    // On screen at once what was received and when (§ 312k(4) BGB); no redirect, which would
    // have to carry the declaration in the address.
    json::object data{{"received_at", DateTimeAt(JsonBodyOf(*answer), "received_at", locale)},
                      {"name", form.Text("name")},
                      {"email", form.Text("email")},
                      {"contract", form.Text("contract")},
                      {"extraordinary", kind == "extraordinary"},
                      {"reason", kind == "extraordinary" ? form.Text("reason") : ""}};
    PageMeta meta = FormPageMeta(Page::kCancel, locale, "cancel-form");
    meta.forms.clear();
    co_return site.PrivatePage("cancel_received", std::move(data), std::move(meta), visitor,
                               request);
  }
  json::object data = FormData(locale, form.Text("name"), form.Text("email"), form.Text("contract"),
                               kind, form.Text("reason"));
  Merge(data, FeedbackOf(*answer, kDeclarationFields));
  co_return site.PrivatePage("cancel", std::move(data),
                             FormPageMeta(Page::kCancel, locale, "cancel-form"), visitor, request,
                             answer->result_int() == 429 ? 429 : 422);
}

// The declaration as the API describes it (lookup, confirm), for the confirmation page.
json::object DeclarationView(Site& site, const json::value& declaration, Locale locale) {
  json::array contracts;
  if (const json::value& list = MemberAt(declaration, "subscriptions"); list.is_array()) {
    for (const json::value& subscription : list.as_array()) {
      const std::string plan = StringAt(subscription, "plan");
      const std::string name = site.ProductName(plan, locale);
      contracts.push_back(json::object{
          {"plan", name.empty() ? plan : name},
          {"yearly", StringAt(subscription, "interval") == "year"},
          {"order_id", StringAt(subscription, "order_id")},
          {"ends_on", DateAt(subscription, "current_period_end", locale)},
          {"cancelled", MemberAt(subscription, "cancel_at_period_end") == true},
          {"received_at", DateTimeAt(subscription, "cancellation_received_at", locale)}});
    }
  }
  return json::object{{"received_at", DateTimeAt(declaration, "received_at", locale)},
                      {"confirmed", !MemberAt(declaration, "confirmed_at").is_null()},
                      {"company", StringAt(declaration, "company")},
                      {"name", StringAt(declaration, "name")},
                      {"contract", StringAt(declaration, "contract")},
                      {"contract_unknown", !StringAt(declaration, "contract").empty() &&
                                               MemberAt(declaration, "contract_found") != true},
                      {"extraordinary", StringAt(declaration, "kind") == "extraordinary"},
                      {"reason", StringAt(declaration, "reason")},
                      {"has_contracts", !contracts.empty()},
                      {"contracts", std::move(contracts)}};
}

asio::awaitable<Result<http::Response>> Answer(Site& site, Visitor& visitor, http::Request& request,
                                               Locale locale, const std::string& token,
                                               const http::Response& answer) {
  json::object data{{"action", PathOf(Page::kCancelConfirm, locale)},
                    {"token", token},
                    {"cancel_url", PathOf(Page::kCancel, locale)}};
  unsigned status = 200;
  if (answer.result() == http::Status::ok) {
    data["declaration"] = DeclarationView(site, JsonBodyOf(answer), locale);
  } else {
    Merge(data, FeedbackOf(answer, {}));
    status = answer.result_int() == 429 ? 429 : 400;
  }
  co_return site.PrivatePage("cancel_confirm", std::move(data),
                             FormPageMeta(Page::kCancelConfirm, locale, "cancel-confirm-form"),
                             visitor, request, status);
}

// Looking only: mail scanners open links, so nothing happens before the button is pressed.
asio::awaitable<Result<http::Response>> ShowCancelConfirm(Site& site, Visitor& visitor,
                                                          http::Request& request,
                                                          http::RequestContext& context,
                                                          Locale locale) {
  const std::string token = http::QueryParameter(context.query, "token").value_or("");
  auto answer = co_await PostForVisitor(site, request, context, "/v1/cancellation-requests/lookup",
                                        TokenBody(token));
  if (!answer) co_return tl::unexpected(answer.error());
  co_return co_await Answer(site, visitor, request, locale, token, *answer);
}

asio::awaitable<Result<http::Response>> ConfirmCancel(Site& site, Visitor& visitor,
                                                      const FormPost& form, http::Request& request,
                                                      http::RequestContext& context,
                                                      Locale locale) {
  const std::string token = form.Text("token");
  auto answer = co_await PostForVisitor(site, request, context, "/v1/cancellation-requests/confirm",
                                        TokenBody(token));
  if (!answer) co_return tl::unexpected(answer.error());
  co_return co_await Answer(site, visitor, request, locale, token, *answer);
}

}  // namespace

void AddCancellationRoutes(http::Router& router, Site& site) {
  for (const Locale locale : {Locale::kDe, Locale::kEn}) {
    AddPage(router, site, locale, PathOf(Page::kCancel, locale), Audience::kAnyone, ShowCancel);
    AddForm(router, site, locale, PathOf(Page::kCancel, locale), Audience::kAnyone, Cancel);
    // The token's in the query, which the access log leaves out.
    AddPage(router, site, locale, PathOf(Page::kCancelConfirm, locale), Audience::kAnyone,
            ShowCancelConfirm);
    AddForm(router, site, locale, PathOf(Page::kCancelConfirm, locale), Audience::kAnyone,
            ConfirmCancel);
  }
}

}  // namespace codezero::web
