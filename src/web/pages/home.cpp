// The home page: the offer in a few sentences, the three plans with their prices from the live
// catalog (net per month, and what a consumer in Germany pays, priced by the API), the way to
// the configurator; JSON-LD for the organization and the plans as products with offers.
#include <boost/json/array.hpp>

#include "http/query.h"
#include "web/formatting.h"
#include "web/pages/pages.h"

namespace codezero::web {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

std::string HomeJsonLd(const Site& site, const CatalogView& catalog, Locale locale) {
  const WebSettings& settings = site.settings();
  const std::string organization = site.AbsoluteUrl("/#organization");
  json::array graph;
  graph.push_back(json::object{
      {"@type", "Organization"},
      {"@id", organization},
      {"name", settings.seller.name},
      {"url", site.AbsoluteUrl(PathOf(Page::kHome, locale))},
      {"logo", site.AbsoluteUrl(site.assets().UrlOf("logo.png"))},
      {"email", settings.seller.email},
      {"vatID", settings.seller.vat_id},
      {"address", json::object{{"@type", "PostalAddress"},
                               {"streetAddress", settings.seller.street},
                               {"postalCode", settings.seller.postcode},
                               {"addressLocality", settings.seller.city},
                               {"addressCountry", settings.seller.country_code}}},
  });
  for (const CatalogPlan& plan : catalog.plans) {
    json::array offers;
    for (const bool yearly : {false, true}) {
      const std::string price = DecimalAmount(yearly ? plan.year : plan.month);
      const std::string url =
          site.AbsoluteUrl(std::string(PathOf(Page::kConfigurator, locale)) + "?plan=" + plan.code +
                           (yearly ? "&interval=year" : "&interval=month"));
      offers.push_back(json::object{
          {"@type", "Offer"},
          {"price", price},
          {"priceCurrency", "EUR"},
          {"url", url},
          {"availability", "https://schema.org/InStock"},
          {"seller", json::object{{"@id", organization}}},
          {"priceSpecification",
           json::object{{"@type", "UnitPriceSpecification"},
                        {"price", price},
                        {"priceCurrency", "EUR"},
                        {"valueAddedTaxIncluded", false},
                        {"referenceQuantity", json::object{{"@type", "QuantitativeValue"},
                                                           {"value", 1},
                                                           {"unitCode", yearly ? "ANN" : "MON"}}}}},
      });
    }
    graph.push_back(json::object{{"@type", "Product"},
                                 {"name", "Code Zero AI " + plan.name},
                                 {"description", plan.summary},
                                 {"brand", json::object{{"@id", organization}}},
                                 {"offers", std::move(offers)}});
  }
  return JsonLdScript(
      json::object{{"@context", "https://schema.org"}, {"@graph", std::move(graph)}});
}

// A referral link's code (`/de/?ref=CZ-7KQ4`), upper-cased, when it looks like one: it goes on
// into the configurator's links (and so into the quote); nothing is stored in the browser.
std::string ReferralCodeOf(const http::RequestContext& context) {
  std::string code = http::QueryParameter(context.query, "ref").value_or("");
  if (code.size() < 3 || code.size() > 32) return {};
  for (char& c : code) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return {};
  }
  return code;
}

asio::awaitable<Result<http::Response>> ShowHome(Site& site, http::Request& request,
                                                 http::RequestContext& context, Locale locale) {
  const Visitor visitor = site.VisitorOf(request, locale);
  auto catalogs = co_await site.catalogs().Current();
  if (!catalogs) co_return tl::unexpected(catalogs.error());
  // A referred visitor's page differs in its links and is not kept (one per code).
  const std::string referral = ReferralCodeOf(context);
  const std::string key = site.CacheKey(visitor, context.path, (*catalogs)->version());
  if (referral.empty()) {
    if (auto cached = co_await site.pages().Find(key)) {
      co_return site.Respond(*cached, request, visitor, Caching::kPublic);
    }
  }
  const std::string carried = referral.empty() ? "" : "code=" + referral;

  const CatalogView& catalog = (*catalogs)->In(locale);
  json::array plans;
  for (const CatalogPlan& plan : catalog.plans) {
    // What a consumer in Germany pays per month, as the API prices it (PAngV: total prices).
    Configuration consumer = DefaultConfiguration(catalog);
    consumer.plan = plan.code;
    consumer.type = "consumer";
    const std::string no_visitor;  // plan prices without a code: nobody to count
    auto quote = co_await site.quotes().Quote(consumer, locale, catalog.version, context.request_id,
                                              no_visitor);
    if (!quote) co_return tl::unexpected(quote.error());
    plans.push_back(json::object{
        {"code", plan.code},
        {"name", plan.name},
        {"summary", plan.summary},
        {"net_month", Money(plan.month, catalog.currency, locale)},
        {"gross_month", Money(quote->recurring.total, catalog.currency, locale)},
        {"tax_rate", Percent(quote->tax_rate_bps, locale)},
        {"seats", plan.included_seats},
        {"featured", &plan == &catalog.plans[catalog.plans.size() / 2]},
        {"configure_url", std::string(PathOf(Page::kConfigurator, locale)) + "?plan=" + plan.code +
                              (carried.empty() ? "" : "&" + carried)},
    });
  }
  json::object data{{"plans", std::move(plans)},
                    {"configurator_url", std::string(PathOf(Page::kConfigurator, locale)) +
                                             (carried.empty() ? "" : "?" + carried)},
                    {"referral", referral},
                    {"free_months", 12 - catalog.yearly_months_charged}};
  const RenderedPage page = site.templates().RenderPage("home", locale, data);
  PageMeta meta;
  meta.page = Page::kHome;
  meta.path = std::string(context.path);
  meta.json_ld = HomeJsonLd(site, catalog, locale);
  auto document = std::make_shared<const CachedPage>(site.Document(meta, page, visitor, 200));
  if (!referral.empty()) co_return site.Respond(*document, request, visitor, Caching::kPublic);
  co_await site.pages().Store(key, document);
  co_return site.Respond(*document, request, visitor, Caching::kPublic);
}

}  // namespace

void AddHomeRoutes(http::Router& router, Site& site) {
  for (const Locale locale : {Locale::kDe, Locale::kEn}) {
    router.Get(PathOf(Page::kHome, locale),
               [&site, locale](http::Request& request, http::RequestContext& context) {
                 return ShowHome(site, request, context, locale);
               });
  }
}

}  // namespace codezero::web
