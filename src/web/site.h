// What one event loop of `codezero web` has for its pages: the templates, the API client, the
// catalog, the caches, the rate limiter; and the two steps every HTML page ends with:
//
// 1. Document(): the page's rendered body inside the layout (head with canonical URL, hreflang
//    alternates, OpenGraph and JSON-LD; header; footer; the consent dialog), compressed once.
//    For anonymous pages this is what the page cache keeps.
// 2. Respond(): per response, the tail (the CSRF fields of the page's forms, the script tag
//    with this response's CSP nonce, the statistics script when the visitor allowed it and the
//    page is a public one: nothing of the account area is counted), the
//    Content-Security-Policy with that nonce, the caching headers, the best encoding.
//
// Pages differ by the visitor's consent (the dialog is shown until a choice is made); that
// state is part of every cache key, and anonymous responses carry `Vary: Cookie`.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "http/curl_client.h"
#include "http/message.h"
#include "redis/client.h"
#include "redis/rate_limiter.h"
#include "web/api_client.h"
#include "web/assets.h"
#include "web/catalog_source.h"
#include "web/consent_state.h"
#include "web/page_cache.h"
#include "web/quote_source.h"
#include "web/session.h"
#include "web/site_map.h"
#include "web/templates.h"
#include "web/web_settings.h"

namespace codezero::web {

// The policy of every response that is not a page: nothing may load or run, nothing may frame it.
inline constexpr std::string_view kNothingAllowedPolicy =
    "default-src 'none'; frame-ancestors 'none'";
inline constexpr std::string_view kContentSecurityPolicy = "Content-Security-Policy";

struct Visitor {
  Locale locale = Locale::kDe;
  ConsentState consent;            // under the current policy
  std::string consent_id;          // from the cookie under any policy ("" when none)
  std::optional<Session> session;  // signed in
  bool stale_session = false;      // a session cookie whose session has ended (it is removed)
  bool session_unknown = false;    // a session cookie Redis could not be asked about (kept)
  std::string cookie_session_id;   // the session cookie's id, whatever became of its session
  std::string new_session_cookie;  // a Set-Cookie the response must carry (a rotated session)

  [[nodiscard]] bool signed_in() const { return session.has_value(); }
  // What form tokens are bound to (request_forgery.h): the session; nothing when anonymous.
  [[nodiscard]] std::string_view binding() const {
    return session ? std::string_view(session->id) : std::string_view();
  }
};

enum class Caching {
  kPublic,   // anonymous: `public, max-age=0, s-maxage=60`, Vary: Accept-Encoding, Cookie
  kPrivate,  // about one visitor, or not to be kept: `private, no-store`
};

// What the layout needs to know about a page besides its rendered title, description and body.
struct PageMeta {
  Page page = Page::kHome;
  std::string path;   // the page's own path, the canonical URL's
  std::string query;  // kept by the language switch and the consent form's return ("" none)
  bool indexable = true;
  bool error = false;              // an error page: no canonical URL, no current navigation entry
  bool account = false;            // a page of the account area (navigation marks it)
  int refresh_seconds = 0;         // > 0: reloads itself this often without JavaScript
  std::string json_ld;             // a JSON-LD document (JsonLdScript), "" none
  std::vector<std::string> forms;  // ids of the page's forms that need a CSRF field
};

// The meta of a public page at its path in `locale` with one form that needs a CSRF field.
[[nodiscard]] PageMeta FormPageMeta(Page page, Locale locale, std::string_view form);

class Site {
 public:
  // REQUIRES: `settings`, `assets`, `translations` and `curl` outlive the site.
  Site(boost::asio::any_io_executor executor, const WebSettings& settings, const Assets& assets,
       const Translations& translations, http::CurlClient& curl);
  Site(const Site&) = delete;
  Site& operator=(const Site&) = delete;

  [[nodiscard]] const WebSettings& settings() const { return settings_; }
  [[nodiscard]] const Assets& assets() const { return assets_; }
  [[nodiscard]] Templates& templates() { return templates_; }
  [[nodiscard]] ApiClient& api() { return api_; }
  [[nodiscard]] CatalogSource& catalogs() { return catalogs_; }
  [[nodiscard]] PageCache& pages() { return pages_; }
  [[nodiscard]] QuoteSource& quotes() { return quotes_; }
  [[nodiscard]] redis::RateLimiter& limiter() { return limiter_; }
  [[nodiscard]] redis::Client& cache() { return cache_; }
  [[nodiscard]] SessionStore& sessions() { return sessions_; }

  // The visitor without asking Redis: language and consent only (anonymous pages' cache keys).
  [[nodiscard]] Visitor VisitorOf(const http::Request& request, Locale locale) const;
  // The visitor with their session, if the request carries a live one. When Redis cannot be
  // asked, the visitor is anonymous for this request but keeps the cookie (`session_unknown`).
  [[nodiscard]] boost::asio::awaitable<Visitor> Identify(const http::Request& request,
                                                         Locale locale);

  // An API call on the signed-in visitor's behalf: their access token, refreshed first when it
  // is about to expire (once per session at a time). A refused refresh, or a 401 after a
  // refresh, ends the session: kUnauthenticated, and `visitor.session` is reset.
  [[nodiscard]] boost::asio::awaitable<Result<http::Response>> CallApi(Visitor& visitor,
                                                                       ApiCall call);

  // 303 to `location` (a path of this site, or the payment page).
  [[nodiscard]] static http::Response SeeOther(std::string location, unsigned version);
  // 303 to the sign-in page, which leads to `next` (a path of this site) afterwards; `ended`:
  // the page says the session has ended. The session cookie goes.
  [[nodiscard]] http::Response SignInFirst(std::string_view next, Locale locale, unsigned version,
                                           bool ended) const;
  // Set-Cookie for a new session id; deleting it when `session_id` is empty.
  [[nodiscard]] std::string SessionCookie(const std::string& session_id) const;

  // The key under which the page at `path_and_query` is cached for this visitor.
  [[nodiscard]] std::string CacheKey(const Visitor& visitor, std::string_view path_and_query,
                                     int catalog_version) const;

  [[nodiscard]] CachedPage Document(const PageMeta& meta, const RenderedPage& page,
                                    const Visitor& visitor, unsigned status);
  [[nodiscard]] http::Response Respond(const CachedPage& document, const http::Request& request,
                                       const Visitor& visitor, Caching caching);

  // A page about the visitor (a form, the account area), rendered for this request only:
  // `private, no-store`, not indexed. `meta.query` defaults to the request's own query (kept by
  // the language switch and the consent form: a link's token survives either). `data` gets the
  // site's common links (`urls.account`, …, `sign_in_url`, `privacy_url`, …).
  [[nodiscard]] http::Response PrivatePage(std::string_view template_name, boost::json::object data,
                                           PageMeta meta, const Visitor& visitor,
                                           const http::Request& request, unsigned status = 200);

  // A localized error page (404, 410, 500, 503, …) with the request id; never cached.
  [[nodiscard]] http::Response ErrorPage(const Error& error, const http::Request& request,
                                         http::RequestContext& context);

  // The operator's data as pages show it (name, address with the country's name in `locale`,
  // contact, register, VAT ID).
  [[nodiscard]] boost::json::object SellerData(Locale locale) const;
  // The values the legal texts' placeholders take ({{seller.name}}, …) in `locale`.
  [[nodiscard]] boost::json::object LegalValues(Locale locale) const;
  // A plan's name in `locale` from the catalog ("team" → "Team"); the code when unknown.
  [[nodiscard]] std::string PlanName(std::string_view code, Locale locale) const;
  // A plan's or an add-on's name in `locale` from the catalog; empty when the code is neither.
  [[nodiscard]] std::string ProductName(std::string_view code, Locale locale) const;
  // The absolute URL of a path on this site.
  [[nodiscard]] std::string AbsoluteUrl(std::string_view path) const;

  // Stops background work (catalog refresh, Redis). Call on this site's loop.
  void Close();

 private:
  [[nodiscard]] boost::json::object LayoutData(const PageMeta& meta, const RenderedPage& page,
                                               const Visitor& visitor) const;
  [[nodiscard]] std::string Tail(const CachedPage& document, const Visitor& visitor,
                                 std::string_view nonce, bool statistics) const;
  // Refreshes the session's access token when it expires within a minute: one request of a
  // session at a time (LockRefresh); the others wait for its result.
  [[nodiscard]] boost::asio::awaitable<Result<void>> FreshToken(Session& session);

  const WebSettings& settings_;
  const Assets& assets_;
  std::string render_fingerprint_;  // the build and the settings that change what pages say
  redis::Client cache_;
  ApiClient api_;
  CatalogSource catalogs_;
  PageCache pages_;
  QuoteSource quotes_;
  redis::RateLimiter limiter_;
  SessionStore sessions_;
  Templates templates_;
};

// `document` as the content of a <script type="application/ld+json"> element: "<", ">" and
// "&" escaped as \u003c, \u003e, \u0026 so nothing in it can end the element.
[[nodiscard]] std::string JsonLdScript(const boost::json::value& document);

}  // namespace codezero::web
