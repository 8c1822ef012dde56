// Sign-up: a company and its owner in one form (POST /v1/accounts), the password policy shown
// before anyone types (GET /v1/password-policy). The API answers 202 for every well-formed
// sign-up, whether or not the address has an account (its owner gets an e-mail instead), so the
// next page says "check your inbox" either way. `next` travels in the confirmation link, so the
// visitor ends up where they were going (the checkout of their configuration).
#include <boost/json/object.hpp>

#include "common/json_writer.h"
#include "http/client_address.h"
#include "http/query.h"
#include "web/configuration.h"
#include "web/form_feedback.h"
#include "web/form_post.h"
#include "web/formatting.h"
#include "web/pages/page_route.h"
#include "web/pages/pages.h"
#include "web/pages/signed_in.h"

namespace codezero::web {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

constexpr std::string_view kSignUpForm = "sign-up-form";

constexpr FieldMapping kFields[] = {
    {"company.name", "company_name"},
    {"company.country", "country"},
    {"company.vat_id", "vat_id"},
    {"company.address.line1", "line1"},
    {"company.address.line2", "line2"},
    {"company.address.postal_code", "postal_code"},
    {"company.address.city", "city"},
    {"user.name", "name"},
    {"user.email", "email"},
    {"user.password", "password"},
};

json::array Countries(Locale locale, std::string_view selected, bool eu) {
  json::array countries;
  for (const CountryOption& country : CountryOptions(locale)) {
    if (country.eu != eu) continue;
    countries.push_back(json::object{
        {"code", country.code}, {"name", country.name}, {"selected", country.code == selected}});
  }
  return countries;
}

asio::awaitable<json::object> SignUpData(Site& site, Locale locale, json::object values,
                                         std::string next, std::string request_id) {
  json::object policy = co_await PasswordPolicyOf(site, std::move(request_id));
  const json::value* chosen = values.if_contains("country");
  const std::string country =
      chosen != nullptr && chosen->is_string() ? std::string(chosen->as_string()) : "DE";
  json::object data{{"action", PathOf(Page::kSignUp, locale)},
                    {"next", std::move(next)},
                    {"values", std::move(values)},
                    {"policy", std::move(policy)},
                    {"countries_eu", Countries(locale, country, true)},
                    {"countries_other", Countries(locale, country, false)},
                    {"field", json::object()}};
  co_return data;
}

asio::awaitable<Result<http::Response>> ShowSignUp(Site& site, Visitor& visitor,
                                                   http::Request& request,
                                                   http::RequestContext& context, Locale locale) {
  if (visitor.signed_in()) {
    co_return Site::SeeOther(std::string(PathOf(Page::kAccount, locale)), request.version());
  }
  const std::string next =
      SafeReturnPath(http::QueryParameter(context.query, "next").value_or(""), "");
  json::object no_values;
  json::object data =
      co_await SignUpData(site, locale, std::move(no_values), next, context.request_id);
  if (!next.empty()) {
    data["sign_in_url"] =
        std::string(PathOf(Page::kSignIn, locale)) + "?next=" + http::EncodeQueryValue(next);
  }
  co_return site.PrivatePage("sign_up", std::move(data),
                             FormPageMeta(Page::kSignUp, locale, kSignUpForm), visitor, request);
}

asio::awaitable<Result<http::Response>> SignUp(Site& site, Visitor& visitor, const FormPost& form,
                                               http::Request& request,
                                               http::RequestContext& context, Locale locale) {
  const std::string next = SafeReturnPath(form.Text("next"), "");
  JsonWriter body(1024);
  body.BeginObject();
  body.Key("company");
  body.BeginObject();
  body.Member("name", form.Text("company_name"));
  body.Member("country", form.Text("country"));
  if (const std::string vat_id = form.Text("vat_id"); !vat_id.empty()) {
    body.Member("vat_id", vat_id);
  }
  WriteAddress(form, body);
  body.EndObject();
  body.Key("user");
  body.BeginObject();
  body.Member("name", form.Text("name"));
  body.Member("email", form.Text("email"));
  body.Member("password", form.Text("password"));
  body.Member("locale", domain::ToString(locale));
  body.EndObject();
  if (!next.empty()) body.Member("next", next);
  body.EndObject();

  ApiCall call;
  call.method = http::Verb::post;
  call.path = "/v1/accounts";
  call.body = std::move(body).Take();
  call.request_id = context.request_id;
  call.client_address = http::ClientAddress(request, context, site.settings().trusted_proxies);
  auto answer = co_await site.api().Send(std::move(call));
  if (!answer) co_return tl::unexpected(answer.error());
  if (answer->result() == http::Status::accepted) {
    co_return Site::SeeOther(std::string(PathOf(Page::kSignUpSent, locale)), request.version());
  }
  if (answer->result_int() >= 500) co_return tl::unexpected(ErrorOfApiAnswer(*answer));
  // Refused: the form again, as typed (but the password), with the API's messages.
  json::object values;
  for (const char* name : {"company_name", "country", "vat_id", "line1", "line2", "postal_code",
                           "city", "name", "email"}) {
    values[name] = form.Text(name);
  }
  json::object data =
      co_await SignUpData(site, locale, std::move(values), next, context.request_id);
  Merge(data, FeedbackOf(*answer, kFields));
  co_return site.PrivatePage("sign_up", std::move(data),
                             FormPageMeta(Page::kSignUp, locale, kSignUpForm), visitor, request,
                             answer->result_int() == 429 ? 429 : 422);
}

asio::awaitable<Result<http::Response>> ShowSent(Site& site, Visitor& visitor,
                                                 http::Request& request, http::RequestContext&,
                                                 Locale locale) {
  PageMeta meta;
  meta.page = Page::kSignUpSent;
  meta.path = std::string(PathOf(Page::kSignUpSent, locale));
  co_return site.PrivatePage("sign_up_sent", json::object(), meta, visitor, request);
}

}  // namespace

void AddSignUpRoutes(http::Router& router, Site& site) {
  for (const Locale locale : {Locale::kDe, Locale::kEn}) {
    AddPage(router, site, locale, PathOf(Page::kSignUp, locale), Audience::kAnyone, ShowSignUp);
    AddForm(router, site, locale, PathOf(Page::kSignUp, locale), Audience::kAnyone, SignUp);
    AddPage(router, site, locale, PathOf(Page::kSignUpSent, locale), Audience::kAnyone, ShowSent);
  }
}

}  // namespace codezero::web
