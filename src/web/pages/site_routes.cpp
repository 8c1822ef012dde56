// The site's own addresses: `/` sends each visitor to their language (Accept-Language, 302,
// so a later change of preference still counts), `/de` and `/en` to their home page,
// /sitemap.xml lists every indexed page in both languages with its alternates, and
// /robots.txt points to it and keeps crawlers out of offers and fragments.
#include "web/legal_content.h"
#include "web/pages/pages.h"

namespace codezero::web {
namespace {

namespace asio = boost::asio;

http::Response Redirect(http::Status status, std::string location, unsigned version) {
  http::Response response(status, version);
  response.set(http::Field::location, location);
  response.set(kContentSecurityPolicy, kNothingAllowedPolicy);
  return response;
}

std::string Sitemap(const Site& site) {
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
      "xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n";
  for (const Page page : IndexedPages()) {
    for (const Locale locale : {Locale::kDe, Locale::kEn}) {
      xml += "  <url>\n    <loc>" + EscapeHtml(site.AbsoluteUrl(PathOf(page, locale))) + "</loc>\n";
      for (const Locale alternate : {Locale::kDe, Locale::kEn}) {
        xml += "    <xhtml:link rel=\"alternate\" hreflang=\"" +
               std::string(domain::ToString(alternate)) + "\" href=\"" +
               EscapeHtml(site.AbsoluteUrl(PathOf(page, alternate))) + "\"/>\n";
      }
      xml += "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"" +
             EscapeHtml(site.AbsoluteUrl("/")) + "\"/>\n  </url>\n";
    }
  }
  xml += "</urlset>\n";
  return xml;
}

std::string Robots(const Site& site) {
  std::string text = "User-agent: *\nAllow: /\n";
  for (const Locale locale : {Locale::kDe, Locale::kEn}) {
    text += "Disallow: " + std::string(PathOf(Page::kOffer, locale)) + "\n";
    text += "Disallow: " + std::string(PathOf(Page::kConfiguratorFragment, locale)) + "\n";
    text += "Disallow: " + std::string(PathOf(Page::kCheckout, locale)) + "\n";
  }
  text += "\nSitemap: " + site.AbsoluteUrl("/sitemap.xml") + "\n";
  return text;
}

http::Response Text(std::string body, std::string_view type, unsigned version) {
  http::Response response(http::Status::ok, version);
  response.set(http::Field::content_type, type);
  response.set(http::Field::cache_control, "public, max-age=3600");
  response.set(kContentSecurityPolicy, kNothingAllowedPolicy);
  response.body() = std::move(body);
  return response;
}

}  // namespace

void AddSiteRoutes(http::Router& router, Site& site) {
  router.Get("/",
             [&site](http::Request& request,
                     http::RequestContext&) -> asio::awaitable<Result<http::Response>> {
               Locale locale = NegotiateLocale(request[http::Field::accept_language]);
               // A signed-in visitor's language is their profile's.
               const Visitor visitor = co_await site.Identify(request, locale);
               if (visitor.session) locale = visitor.session->locale;
               http::Response response =
                   Redirect(http::Status::found, std::string(PathOf(Page::kHome, locale)),
                            request.version());
               if (visitor.session || visitor.stale_session) {
                 response.set(http::Field::cache_control, "private, no-store");
               } else {
                 response.set(http::Field::vary, "Accept-Language, Cookie");
                 response.set(http::Field::cache_control, "public, max-age=0, s-maxage=60");
               }
               co_return response;
             });
  for (const Locale locale : {Locale::kDe, Locale::kEn}) {
    const std::string home(PathOf(Page::kHome, locale));
    router.Get(home.substr(0, home.size() - 1),
               [home](http::Request& request,
                      http::RequestContext&) -> asio::awaitable<Result<http::Response>> {
                 http::Response response =
                     Redirect(http::Status::moved_permanently, home, request.version());
                 response.set(http::Field::cache_control, "public, max-age=86400");
                 co_return response;
               });
  }
  auto sitemap = std::make_shared<const std::string>(Sitemap(site));
  router.Get("/sitemap.xml",
             [sitemap](http::Request& request,
                       http::RequestContext&) -> asio::awaitable<Result<http::Response>> {
               co_return Text(*sitemap, "application/xml; charset=utf-8", request.version());
             });
  auto robots = std::make_shared<const std::string>(Robots(site));
  router.Get("/robots.txt",
             [robots](http::Request& request,
                      http::RequestContext&) -> asio::awaitable<Result<http::Response>> {
               co_return Text(*robots, "text/plain; charset=utf-8", request.version());
             });
}

}  // namespace codezero::web
