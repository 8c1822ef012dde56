// The legal pages from content/ (legal_content.h): Impressum, privacy notice, terms,
// withdrawal with the model form, and the cookie list, whose page also holds the consent
// settings (change or withdraw a choice without JavaScript). They need nothing from the API,
// so they keep working when it is down.
#include "web/formatting.h"
#include "web/legal_content.h"
#include "web/pages/pages.h"

namespace codezero::web {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

// The pages as rendered at start, per language: the texts change only with a deploy.
struct LegalTexts {
  std::map<std::pair<Page, Locale>, LegalPage> pages;
};

asio::awaitable<Result<http::Response>> ShowLegalPage(Site& site, const LegalPage& text, Page page,
                                                      http::Request& request,
                                                      http::RequestContext& context,
                                                      Locale locale) {
  const Visitor visitor = site.VisitorOf(request, locale);
  const std::string key = site.CacheKey(visitor, context.path, 0);
  if (auto cached = co_await site.pages().Find(key)) {
    co_return site.Respond(*cached, request, visitor, Caching::kPublic);
  }
  json::object data{
      {"title", text.title},
      {"description", text.description},
      {"html", text.html},
      {"updated",
       Date(std::chrono::duration_cast<std::chrono::seconds>(text.updated.time_since_epoch())
                .count(),
            locale)},
      {"cookies", page == Page::kCookies},
      {"consent_action", PathOf(Page::kConsent, locale)},
      {"consent_return", context.path},
      {"statistics", visitor.consent.statistics},
      {"marketing", visitor.consent.marketing},
      {"decided", visitor.consent.decided()},
      {"statistics_enabled", site.settings().statistics.enabled()},
      {"statistics_name", site.settings().statistics.name}};
  const RenderedPage rendered = site.templates().RenderPage("legal", locale, data);
  PageMeta meta;
  meta.page = page;
  meta.path = std::string(context.path);
  if (page == Page::kCookies) meta.forms.emplace_back("consent-settings-form");
  auto document = std::make_shared<const CachedPage>(site.Document(meta, rendered, visitor, 200));
  co_await site.pages().Store(key, document);
  co_return site.Respond(*document, request, visitor, Caching::kPublic);
}

}  // namespace

void AddLegalRoutes(http::Router& router, Site& site) {
  auto texts = std::make_shared<LegalTexts>();
  for (const Page page :
       {Page::kImprint, Page::kPrivacy, Page::kTerms, Page::kWithdrawal, Page::kCookies}) {
    for (const Locale locale : {Locale::kDe, Locale::kEn}) {
      const LegalPage& text = texts->pages
                                  .emplace(std::pair(page, locale),
                                           RenderLegalPage(page, locale, site.LegalValues(locale)))
                                  .first->second;
      router.Get(PathOf(page, locale), [&site, texts, &text, page, locale](
                                           http::Request& request, http::RequestContext& context) {
        return ShowLegalPage(site, text, page, request, context, locale);
      });
    }
  }
}

}  // namespace codezero::web
