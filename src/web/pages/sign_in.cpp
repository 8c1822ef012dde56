// Signing in and out. Sign-in is the API's password grant (POST /v1/oauth/token); its tokens go
// into a new server-side session (session.h), never to the browser, which gets only the
// session's random id. Any session the browser had before is ended first, so an id planted
// before sign-in is worthless after it (session fixation). Afterwards the visitor goes where
// they were going (`next`, a path of this site only), or to their account in their profile's
// language. Sign-out revokes the refresh token at the API (RFC 7009) and deletes the session.
#include <boost/json/object.hpp>

#include "common/log.h"
#include "common/unix_time.h"
#include "http/client_address.h"
#include "http/query.h"
#include "web/configuration.h"
#include "web/form_feedback.h"
#include "web/form_post.h"
#include "web/pages/page_route.h"
#include "web/pages/pages.h"
#include "web/pages/signed_in.h"

namespace codezero::web {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

constexpr std::string_view kSignInForm = "sign-in-form";

json::object SignInData(Locale locale, std::string next, std::string email) {
  return json::object{{"action", PathOf(Page::kSignIn, locale)},
                      {"next", std::move(next)},
                      {"email", std::move(email)},
                      {"sign_up_url", std::string(PathOf(Page::kSignUp, locale))}};
}

asio::awaitable<Result<http::Response>> ShowSignIn(Site& site, Visitor& visitor,
                                                   http::Request& request,
                                                   http::RequestContext& context, Locale locale) {
  const std::string next =
      SafeReturnPath(http::QueryParameter(context.query, "next").value_or(""), "");
  if (visitor.signed_in()) {
    co_return Site::SeeOther(next.empty() ? std::string(PathOf(Page::kAccount, locale)) : next,
                             request.version());
  }
  json::object data = SignInData(locale, next, "");
  if (!next.empty()) {
    data["sign_up_url"] =
        std::string(PathOf(Page::kSignUp, locale)) + "?next=" + http::EncodeQueryValue(next);
    data["notice_checkout"] = next.starts_with(PathOf(Page::kCheckout, locale));
  }
  const std::string notice = http::QueryParameter(context.query, "notice").value_or("");
  for (const std::string_view known : {"verified", "password", "joined", "ended", "signed_out"}) {
    if (notice == known) data["notice_" + notice] = true;
  }
  co_return site.PrivatePage("sign_in", std::move(data),
                             FormPageMeta(Page::kSignIn, locale, kSignInForm), visitor, request);
}

asio::awaitable<Result<http::Response>> SignIn(Site& site, Visitor& visitor, const FormPost& form,
                                               http::Request& request,
                                               http::RequestContext& context, Locale locale) {
  const std::string email = form.Text("email");
  const std::string next = SafeReturnPath(form.Text("next"), "");

  ApiCall grant;
  grant.method = http::Verb::post;
  grant.path = "/v1/oauth/token";
  grant.content_type = "application/x-www-form-urlencoded";
  grant.body = "grant_type=password&username=" + http::EncodeQueryValue(email) +
               "&password=" + http::EncodeQueryValue(form.Text("password"));
  grant.request_id = context.request_id;
  grant.client_address = http::ClientAddress(request, context, site.settings().trusted_proxies);
  auto answer = co_await site.api().Send(std::move(grant));
  if (!answer) co_return tl::unexpected(answer.error());
  if (answer->result() != http::Status::ok) {
    if (answer->result_int() >= 500) co_return tl::unexpected(ErrorOfApiAnswer(*answer));
    json::object data = SignInData(locale, next, email);
    Merge(data, FeedbackOf(*answer, {}));
    co_return site.PrivatePage("sign_in", std::move(data),
                               FormPageMeta(Page::kSignIn, locale, kSignInForm), visitor, request,
                               answer->result_int() == 429 ? 429 : 422);
  }
  const json::value tokens = JsonBodyOf(*answer);
  Session session;
  session.access_token = StringAt(tokens, "access_token");
  session.refresh_token = StringAt(tokens, "refresh_token");
  const json::value* expires_in =
      tokens.is_object() ? tokens.as_object().if_contains("expires_in") : nullptr;
  session.access_expires_at =
      NowSeconds() + (expires_in != nullptr && expires_in->is_int64() ? expires_in->as_int64() : 0);
  if (session.access_token.empty()) {
    co_return Fail(ErrorCode::kUnavailable, "bad token answer", "no access_token");
  }
  ApiCall me;
  me.path = "/v1/me";
  me.bearer = session.access_token;
  me.request_id = context.request_id;
  auto profile = co_await site.api().Send(std::move(me));
  if (!profile) co_return tl::unexpected(profile.error());
  if (profile->result() != http::Status::ok) co_return tl::unexpected(ErrorOfApiAnswer(*profile));
  const json::value user = JsonBodyOf(*profile);
  session.user_id = StringAt(user, "id");
  session.company_id = StringAt(user, "company_id");
  session.email = StringAt(user, "email");
  session.name = StringAt(user, "name");
  session.role = StringAt(user, "role");
  session.locale = domain::ParseLocale(StringAt(user, "locale")).value_or(locale);

  // A new id for the signed-in visitor; whatever session the browser had is over.
  if (visitor.session) (void)co_await site.sessions().Delete(visitor.session->id);
  auto created = co_await site.sessions().Create(std::move(session));
  if (!created) co_return tl::unexpected(created.error());
  http::Response response =
      Site::SeeOther(next.empty() ? std::string(PathOf(Page::kAccount, created->locale)) : next,
                     request.version());
  response.set(http::Field::set_cookie, site.SessionCookie(created->id));
  co_return response;
}

asio::awaitable<Result<http::Response>> SignOut(Site& site, Visitor& visitor, const FormPost&,
                                                http::Request& request,
                                                http::RequestContext& context, Locale locale) {
  ApiCall revoke;
  revoke.method = http::Verb::post;
  revoke.path = "/v1/oauth/revoke";
  revoke.content_type = "application/x-www-form-urlencoded";
  revoke.body = "token=" + http::EncodeQueryValue(visitor.session->refresh_token);
  revoke.request_id = context.request_id;
  // The session is what signs the visitor in: it goes even when the API cannot be told (the
  // refresh token it held is then known to nobody and expires).
  auto revoked = co_await site.api().Send(std::move(revoke));
  if (!revoked || revoked->result() != http::Status::ok) {
    log::Warn("refresh token not revoked at sign-out", {}, context.request_id);
  }
  auto deleted = co_await site.sessions().Delete(visitor.session->id);
  if (!deleted) co_return tl::unexpected(deleted.error());
  http::Response response = Site::SeeOther(
      std::string(PathOf(Page::kSignIn, locale)) + "?notice=signed_out", request.version());
  response.set(http::Field::set_cookie, site.SessionCookie(""));
  co_return response;
}

}  // namespace

void AddSignInRoutes(http::Router& router, Site& site) {
  for (const Locale locale : {Locale::kDe, Locale::kEn}) {
    AddPage(router, site, locale, PathOf(Page::kSignIn, locale), Audience::kAnyone, ShowSignIn);
    AddForm(router, site, locale, PathOf(Page::kSignIn, locale), Audience::kAnyone, SignIn);
    // An ended session's sign-out leads to the sign-in page too, and its cookie goes.
    AddForm(router, site, locale, PathOf(Page::kSignOut, locale), Audience::kSignedIn, SignOut);
  }
}

}  // namespace codezero::web
