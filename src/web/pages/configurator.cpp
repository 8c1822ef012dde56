// The configurator: plans, interval, add-ons with their rules, the customer, a discount code,
// and the price breakdown, all rendered on the server from the query string, so every
// configuration is an address to share or bookmark. The API prices it (POST /v1/quotes); its
// 422 messages appear next to their fields. The script (scripts/configurator.ts) asks
// /…/fragment for the same markup on every change and swaps in what changed: both paths
// show the same numbers because they are the same rendering.
//
// Canonical URL: the plain page (configurations are not separate pages to a search engine).
// A configuration with a VAT ID or a discount code is answered `private, no-store` and not
// cached: it is about one customer, or depends on a code that may stop being valid.
#include "http/client_address.h"
#include "web/configurator_view.h"
#include "web/pages/pages.h"

namespace codezero::web {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

enum class Rendering { kPage, kFragment };

asio::awaitable<Result<http::Response>> ShowConfigurator(Site& site, http::Request& request,
                                                         http::RequestContext& context,
                                                         Locale locale, Rendering rendering) {
  const Visitor visitor = site.VisitorOf(request, locale);
  auto catalogs = co_await site.catalogs().Current();
  if (!catalogs) co_return tl::unexpected(catalogs.error());
  const CatalogView& catalog = (*catalogs)->In(locale);
  const Configuration configuration = ReadConfiguration(context.query, catalog);
  const std::string query = ConfigurationQuery(configuration);
  const bool personal = !configuration.vat_id.empty() || !configuration.code.empty();
  const Caching caching = personal ? Caching::kPrivate : Caching::kPublic;
  const std::string key =
      site.CacheKey(visitor, std::string(context.path) + "?" + query, catalog.version);
  if (!personal) {
    if (auto cached = co_await site.pages().Find(key)) {
      co_return site.Respond(*cached, request, visitor, caching);
    }
  }

  // The API counts codes that give nothing per visitor (against guessing), so it is told who.
  const std::string visitor_address =
      http::ClientAddress(request, context, site.settings().trusted_proxies);
  auto quote = co_await site.quotes().Quote(configuration, locale, catalog.version,
                                            context.request_id, visitor_address);
  // A refused configuration is shown with its errors; anything else is an error page.
  if (!quote && quote.error().code != ErrorCode::kValidationFailed) {
    co_return tl::unexpected(quote.error());
  }
  const json::object data = ConfiguratorData({.catalog = catalog,
                                              .configuration = configuration,
                                              .quote = quote ? &*quote : nullptr,
                                              .error = quote ? nullptr : &quote.error(),
                                              .locale = locale});
  RenderedPage page = site.templates().RenderPage("configurator", locale, data);
  auto document = std::make_shared<CachedPage>();
  if (rendering == Rendering::kPage) {
    PageMeta meta;
    meta.page = Page::kConfigurator;
    meta.path = std::string(PathOf(Page::kConfigurator, locale));
    meta.query = query;
    *document = site.Document(meta, page, visitor, 200);
  } else {
    // Just the form, for the script; it has no tail of its own.
    document->status = 200;
    document->has_tail = false;
    document->content_language = std::string(domain::ToString(locale));
    document->identity = std::move(page.body);
    document->compressed = CompressPrefix(document->identity);
  }
  if (!personal) co_await site.pages().Store(key, document);
  if (rendering == Rendering::kPage) {
    co_return site.Respond(*document, request, visitor, caching);
  }
  http::Response response = site.Respond(*document, request, visitor, caching);
  // The fragment is not a document: no tail, nothing to execute.
  response.set(kContentSecurityPolicy, kNothingAllowedPolicy);
  response.set("X-Robots-Tag", "noindex");
  co_return response;
}

}  // namespace

void AddConfiguratorRoutes(http::Router& router, Site& site) {
  for (const Locale locale : {Locale::kDe, Locale::kEn}) {
    router.Get(PathOf(Page::kConfigurator, locale),
               [&site, locale](http::Request& request, http::RequestContext& context) {
                 return ShowConfigurator(site, request, context, locale, Rendering::kPage);
               });
    router.Get(PathOf(Page::kConfiguratorFragment, locale),
               [&site, locale](http::Request& request, http::RequestContext& context) {
                 return ShowConfigurator(site, request, context, locale, Rendering::kFragment);
               });
  }
}

}  // namespace codezero::web
