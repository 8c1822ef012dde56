// How a page's routes say who may use them. The checks are made here, once, before the page's
// own code runs, so no page can forget one:
//
// - Every route identifies the visitor (their session, if any; Site::Identify).
// - Audience::kSignedIn: a visitor without a session goes to the sign-in page, which leads back
//   afterwards (saying "your session has ended" when it had); when Redis cannot say whether
//   there is a session, the answer is 503 and nobody is signed out for it.
// - Forms (POST) then pass the request forgery checks (request_forgery.h): the site's own
//   origin, and a form token bound to the visitor's session; a form anyone may send (sign-in,
//   sign-up, the consent choice, the e-mails' links) also takes a token bound to nothing, the
//   kind anonymous and cached pages carry. A signed-in form whose session has ended leads to the
//   sign-in page and afterwards back to the page the form was on (its same-origin Referer), not
//   to a 403: the visitor did nothing wrong.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "http/router.h"
#include "web/form_post.h"
#include "web/site.h"

namespace codezero::web {

enum class Audience {
  kAnyone,
  kSignedIn,
};

using PageHandler = std::function<boost::asio::awaitable<Result<http::Response>>(
    Site&, Visitor&, http::Request&, http::RequestContext&, Locale)>;
using FormHandler = std::function<boost::asio::awaitable<Result<http::Response>>(
    Site&, Visitor&, const FormPost&, http::Request&, http::RequestContext&, Locale)>;

// GET `pattern` (HEAD too). A pattern with a parameter ("…/{id}") is what the access log shows.
void AddPage(http::Router& router, Site& site, Locale locale, std::string_view pattern,
             Audience audience, PageHandler handler);
// POST `pattern`.
void AddForm(http::Router& router, Site& site, Locale locale, std::string_view pattern,
             Audience audience, FormHandler handler);

// Where the sign-in page should lead back to for this request: a page's own address, or for a
// form post the page the form was on (the Referer, when it is this site's), else the account.
[[nodiscard]] std::string ReturnPathOf(const http::Request& request,
                                       const http::RequestContext& context,
                                       std::string_view site_origin, Locale locale);

}  // namespace codezero::web
