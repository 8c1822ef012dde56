// What one event loop of `codezero web` has for its pages: the templates, the API client, the
// catalog, the caches, the rate limiter; and the two steps every HTML page ends with:
//
// 1. Document(): the page's rendered body inside the layout (head with canonical URL, hreflang
//    alternates, OpenGraph and JSON-LD; header; footer; the consent dialog), compressed once.
//    For anonymous pages this is what the page cache keeps.
// 2. Respond(): per response, the tail (the CSRF fields of the page's forms, the script tag
//    with this response's CSP nonce, the statistics script when the visitor allowed it), the
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
  ConsentState consent;    // under the current policy
  std::string consent_id;  // from the cookie under any policy ("" when none)

  // What form tokens are bound to (request_forgery.h).
  [[nodiscard]] const std::string& binding() const { return consent_id; }
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
  std::string json_ld;             // a JSON-LD document (JsonLdScript), "" none
  std::vector<std::string> forms;  // ids of the page's forms that need a CSRF field
};

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

  [[nodiscard]] Visitor VisitorOf(const http::Request& request, Locale locale) const;

  // The key under which the page at `path_and_query` is cached for this visitor.
  [[nodiscard]] std::string CacheKey(const Visitor& visitor, std::string_view path_and_query,
                                     int catalog_version) const;

  [[nodiscard]] CachedPage Document(const PageMeta& meta, const RenderedPage& page,
                                    const Visitor& visitor, unsigned status);
  [[nodiscard]] http::Response Respond(const CachedPage& document, const http::Request& request,
                                       const Visitor& visitor, Caching caching);

  // A localized error page (404, 410, 500, 503, …) with the request id; never cached.
  [[nodiscard]] http::Response ErrorPage(const Error& error, const http::Request& request,
                                         http::RequestContext& context);

  // The operator's data as pages show it (name, address with the country's name in `locale`,
  // contact, register, VAT ID).
  [[nodiscard]] boost::json::object SellerData(Locale locale) const;
  // The values the legal texts' placeholders take ({{seller.name}}, …) in `locale`.
  [[nodiscard]] boost::json::object LegalValues(Locale locale) const;
  // The absolute URL of a path on this site.
  [[nodiscard]] std::string AbsoluteUrl(std::string_view path) const;

  // Stops background work (catalog refresh, Redis). Call on this site's loop.
  void Close();

 private:
  [[nodiscard]] boost::json::object LayoutData(const PageMeta& meta, const RenderedPage& page,
                                               const Visitor& visitor) const;
  [[nodiscard]] std::string Tail(const CachedPage& document, const Visitor& visitor,
                                 std::string_view nonce) const;

  const WebSettings& settings_;
  const Assets& assets_;
  std::string render_fingerprint_;  // the build and the settings that change what pages say
  redis::Client cache_;
  ApiClient api_;
  CatalogSource catalogs_;
  PageCache pages_;
  QuoteSource quotes_;
  redis::RateLimiter limiter_;
  Templates templates_;
};

// `document` as the content of a <script type="application/ld+json"> element: "<", ">" and
// "&" escaped as \u003c, \u003e, \u0026 so nothing in it can end the element.
[[nodiscard]] std::string JsonLdScript(const boost::json::value& document);

}  // namespace codezero::web
