// A signed quote as an offer a buyer's procurement can file: the seller's data (from the
// Impressum settings), the offer's reference, date and validity (the token's expiry), the
// customer type and country, every line, discount, VAT with its note, totals now and per
// interval; one clean A4 page when printed (styles/print.css).
//
// The token is the offer: an altered one is a 404, an expired one a 410 with the way back to
// the configurator. The page is about one customer, so it is never cached and not indexed, and
// the access log shows the path without the token.
#include "web/configurator_view.h"
#include "web/pages/pages.h"

namespace codezero::web {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

asio::awaitable<Result<http::Response>> ShowOffer(Site& site, http::Request& request,
                                                  http::RequestContext& context, Locale locale) {
  const std::string prefix(PathOf(Page::kOffer, locale));
  context.log_path = prefix + "{token}";
  const std::string token(context.Param("token"));
  const Visitor visitor = site.VisitorOf(request, locale);
  auto quote = co_await site.api().ShowQuote(token, locale, context.request_id);
  if (!quote) co_return tl::unexpected(quote.error());

  json::object data = BreakdownData(*quote, locale);
  data["seller"] = site.SellerData(locale);
  data["checkout_url"] = std::string(PathOf(Page::kCheckout, locale)) + "?quote=" + token;
  data["configurator_url"] = PathOf(Page::kConfigurator, locale);
  data["website"] = site.settings().public_url;
  const RenderedPage page = site.templates().RenderPage("offer", locale, data);
  PageMeta meta;
  meta.page = Page::kOffer;
  meta.path = prefix + token;
  meta.indexable = false;
  const CachedPage document = site.Document(meta, page, visitor, 200);
  co_return site.Respond(document, request, visitor, Caching::kPrivate);
}

}  // namespace

void AddOfferRoutes(http::Router& router, Site& site) {
  for (const Locale locale : {Locale::kDe, Locale::kEn}) {
    router.Get(std::string(PathOf(Page::kOffer, locale)) + "{token}",
               [&site, locale](http::Request& request, http::RequestContext& context) {
                 return ShowOffer(site, request, context, locale);
               });
  }
}

}  // namespace codezero::web
