#include "web/pages/page_route.h"

#include <memory>

#include "http/query.h"
#include "web/request_forgery.h"

namespace codezero::web {
namespace {

namespace asio = boost::asio;

void ShowPatternInLog(std::string_view pattern, http::RequestContext& context) {
  if (pattern.find('{') != std::string_view::npos) context.log_path = std::string(pattern);
}

// The answer for a visitor who must be signed in and is not.
Result<http::Response> NotSignedIn(const Site& site, const Visitor& visitor,
                                   const http::Request& request,
                                   const http::RequestContext& context, Locale locale) {
  if (visitor.session_unknown) {
    return Fail(ErrorCode::kUnavailable, "sessions unavailable", "session store unreachable");
  }
  return site.SignInFirst(ReturnPathOf(request, context, site.settings().origin, locale), locale,
                          request.version(), visitor.stale_session);
}

// A session rotated while the request was handled (a changed role) has a new id, which the
// answer must carry whatever it is, an error page too: the old id no longer works.
Result<http::Response> WithNewSession(Site& site, const Visitor& visitor,
                                      Result<http::Response> answer, http::Request& request,
                                      http::RequestContext& context) {
  if (visitor.new_session_cookie.empty()) return answer;
  http::Response response =
      answer ? std::move(*answer) : site.ErrorPage(answer.error(), request, context);
  response.set(http::Field::set_cookie, visitor.new_session_cookie);
  return response;
}

asio::awaitable<Result<http::Response>> ServePage(Site& site, Locale locale, Audience audience,
                                                  std::shared_ptr<const PageHandler> handler,
                                                  http::Request& request,
                                                  http::RequestContext& context) {
  Visitor visitor = co_await site.Identify(request, locale);
  if (audience == Audience::kSignedIn && !visitor.signed_in()) {
    co_return NotSignedIn(site, visitor, request, context, locale);
  }
  auto answer = co_await (*handler)(site, visitor, request, context, locale);
  co_return WithNewSession(site, visitor, std::move(answer), request, context);
}

asio::awaitable<Result<http::Response>> ServeForm(Site& site, Locale locale, Audience audience,
                                                  std::shared_ptr<const FormHandler> handler,
                                                  http::Request& request,
                                                  http::RequestContext& context) {
  Visitor visitor = co_await site.Identify(request, locale);
  const WebSettings& settings = site.settings();
  const FormPost form(request);
  if (audience == Audience::kSignedIn && !visitor.signed_in()) {
    // Another site's post learns nothing from a redirect, but is refused as what it is.
    if (!IsSameOriginRequest(request[http::Field::origin], request["Sec-Fetch-Site"],
                             settings.origin)) {
      co_return Fail(ErrorCode::kForbidden, std::string(kCrossSitePost), "origin check failed");
    }
    co_return NotSignedIn(site, visitor, request, context, locale);
  }
  // A signed-in form takes only the session's token. A form anyone may send also takes one
  // bound to nothing, or to the session the cookie names even if it has ended meanwhile (the
  // page was rendered for it; that id is as secret as the session's).
  auto allowed =
      audience == Audience::kSignedIn
          ? CheckFormPost(request, form, settings.origin, settings.secret, {visitor.binding()})
          : CheckFormPost(request, form, settings.origin, settings.secret,
                          {visitor.binding(), "", visitor.cookie_session_id});
  if (!allowed) {
    if (visitor.session_unknown && allowed.error().message != kCrossSitePost) {
      // Perhaps a token of the session Redis cannot confirm now: not the visitor's fault.
      co_return Fail(ErrorCode::kUnavailable, "sessions unavailable", "session store unreachable");
    }
    co_return tl::unexpected(allowed.error());
  }
  auto answer = co_await (*handler)(site, visitor, form, request, context, locale);
  co_return WithNewSession(site, visitor, std::move(answer), request, context);
}

}  // namespace

std::string ReturnPathOf(const http::Request& request, const http::RequestContext& context,
                         std::string_view site_origin, Locale locale) {
  std::string account(PathOf(Page::kAccount, locale));
  if (request.method() == http::Verb::get || request.method() == http::Verb::head) {
    std::string target(context.path);
    if (!context.query.empty()) target += "?" + std::string(context.query);
    return SafeReturnPath(target, account);
  }
  const std::string_view referer = request[http::Field::referer];
  if (!referer.starts_with(site_origin)) return account;
  return SafeReturnPath(referer.substr(site_origin.size()), account);
}

void AddPage(http::Router& router, Site& site, Locale locale, std::string_view pattern,
             Audience audience, PageHandler handler) {
  auto shared = std::make_shared<const PageHandler>(std::move(handler));
  router.Get(pattern, [&site, locale, audience, shared, pattern = std::string(pattern)](
                          http::Request& request, http::RequestContext& context) {
    ShowPatternInLog(pattern, context);
    return ServePage(site, locale, audience, shared, request, context);
  });
}

void AddForm(http::Router& router, Site& site, Locale locale, std::string_view pattern,
             Audience audience, FormHandler handler) {
  auto shared = std::make_shared<const FormHandler>(std::move(handler));
  router.Post(pattern, [&site, locale, audience, shared, pattern = std::string(pattern)](
                           http::Request& request, http::RequestContext& context) {
    ShowPatternInLog(pattern, context);
    return ServeForm(site, locale, audience, shared, request, context);
  });
}

}  // namespace codezero::web
