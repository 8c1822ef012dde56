#include "web/site.h"

#include <chrono>

#include <boost/json/serialize.hpp>

#include "common/digest.h"
#include "common/log.h"
#include "common/random.h"
#include "http/problem.h"
#include "web/cookies.h"
#include "web/formatting.h"
#include "web/request_forgery.h"

namespace codezero::web {
namespace {

namespace json = boost::json;

constexpr std::string_view kConsentForm = "consent-form";
constexpr std::string_view kHtml = "text/html; charset=utf-8";

Locale Other(Locale locale) { return locale == Locale::kDe ? Locale::kEn : Locale::kDe; }

std::string RenderFingerprint(const WebSettings& settings) {
  std::string all = BuildFingerprint();
  for (const std::string* value :
       {&settings.public_url, &settings.consent_policy_version, &settings.seller.name,
        &settings.seller.street, &settings.seller.postcode, &settings.seller.city,
        &settings.seller.country_code, &settings.seller.managing_directors, &settings.seller.email,
        &settings.seller.phone, &settings.seller.register_court, &settings.seller.register_number,
        &settings.seller.vat_id, &settings.seller.content_responsible,
        &settings.seller.privacy_email, &settings.statistics.script_url, &settings.statistics.name,
        &settings.statistics.provider}) {
    all += '\n';
    all += *value;
  }
  const Sha256Digest digest = Sha256(all);
  return ToHex(digest.data(), 6);
}

std::string ContentSecurityPolicy(std::string_view nonce, const WebSettings& settings) {
  const std::string statistics = OriginOf(settings.statistics.script_url);
  std::string policy = "default-src 'self'; script-src 'nonce-";
  policy += nonce;
  policy += "' 'strict-dynamic'; style-src 'self'; img-src 'self'";
  if (!statistics.empty()) policy += " " + statistics;
  policy += "; font-src 'self'; connect-src 'self'";
  if (!statistics.empty()) policy += " " + statistics;
  policy += "; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
  return policy;
}

int CurrentYear() {
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return static_cast<int>(std::chrono::year_month_day(today).year());
}

}  // namespace

std::string JsonLdScript(const json::value& document) {
  const std::string text = json::serialize(document);
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      default:
        out += c;
    }
  }
  return out;
}

Site::Site(boost::asio::any_io_executor executor, const WebSettings& settings, const Assets& assets,
           const Translations& translations, http::CurlClient& curl)
    : settings_(settings),
      assets_(assets),
      render_fingerprint_(RenderFingerprint(settings)),
      cache_(executor, settings.cache),
      api_(curl, settings.api),
      catalogs_(executor, api_, settings.catalog_refresh),
      pages_(&cache_, settings.page_cache),
      quotes_(api_, &cache_, settings.page_cache.shared_ttl),
      limiter_(cache_),
      templates_(translations) {}

void Site::Close() {
  catalogs_.Close();
  cache_.Close();
}

std::string Site::AbsoluteUrl(std::string_view path) const {
  return settings_.public_url + std::string(path);
}

Visitor Site::VisitorOf(const http::Request& request, Locale locale) const {
  Visitor visitor;
  visitor.locale = locale;
  const auto cookie = CookieValue(request[http::Field::cookie], kConsentCookie);
  visitor.consent = ReadConsentState(cookie, settings_.consent_policy_version);
  visitor.consent_id = ConsentIdOf(cookie);
  return visitor;
}

std::string Site::CacheKey(const Visitor& visitor, std::string_view path_and_query,
                           int catalog_version) const {
  return PageCacheKey(render_fingerprint_, catalog_version, domain::ToString(visitor.locale),
                      visitor.consent.Variant(), path_and_query);
}

json::object Site::SellerData(Locale locale) const {
  const Seller& seller = settings_.seller;
  return json::object{{"name", seller.name},
                      {"street", seller.street},
                      {"postcode", seller.postcode},
                      {"city", seller.city},
                      {"country", CountryName(seller.country_code, locale)},
                      {"managing_directors", seller.managing_directors},
                      {"email", seller.email},
                      {"phone", seller.phone},
                      {"register_court", seller.register_court},
                      {"register_number", seller.register_number},
                      {"vat_id", seller.vat_id},
                      {"content_responsible", seller.content_responsible},
                      {"privacy_email", seller.privacy_email}};
}

json::object Site::LegalValues(Locale locale) const {
  json::object values;
  values["seller"] = SellerData(locale);
  values["site"] = json::object{{"url", settings_.public_url}};
  values["policy"] = json::object{{"version", settings_.consent_policy_version}};
  values["statistics"] = json::object{{"enabled", settings_.statistics.enabled()},
                                      {"name", settings_.statistics.name},
                                      {"provider", settings_.statistics.provider}};
  return values;
}

json::object Site::LayoutData(const PageMeta& meta, const RenderedPage& page,
                              const Visitor& visitor) const {
  const Locale locale = visitor.locale;
  const bool de = locale == Locale::kDe;
  const std::string query = meta.query.empty() ? "" : "?" + meta.query;
  json::object data;
  data["lang"] = domain::ToString(locale);
  data["is_de"] = de;
  data["title"] = page.title;
  data["description"] = page.description;
  data["body"] = page.body;
  if (!meta.error) data["canonical"] = AbsoluteUrl(meta.path);
  data["noindex"] = !meta.indexable;
  if (meta.indexable) {
    data["alternates"] = json::object{
        {"de", AbsoluteUrl(PathOf(meta.page, Locale::kDe))},
        {"en", AbsoluteUrl(PathOf(meta.page, Locale::kEn))},
        {"x_default", AbsoluteUrl("/")},
    };
  }
  data["og_image"] = AbsoluteUrl(assets_.UrlOf("og-image.png"));
  data["og_locale"] = de ? "de_DE" : "en_GB";
  data["favicon"] = assets_.UrlOf("favicon.svg");
  data["stylesheet"] = assets_.UrlOf("app.css");
  if (!meta.json_ld.empty()) data["json_ld"] = meta.json_ld;

  data["home_url"] = PathOf(Page::kHome, locale);
  data["configurator_url"] = PathOf(Page::kConfigurator, locale);
  data["nav_home"] = !meta.error && meta.page == Page::kHome;
  data["nav_configurator"] = !meta.error && meta.page == Page::kConfigurator;
  const auto other = TranslatePath(meta.path, Other(locale));
  data["switch_url"] = other ? *other + query : std::string(PathOf(Page::kHome, Other(locale)));
  data["switch_lang"] = domain::ToString(Other(locale));

  data["imprint_url"] = PathOf(Page::kImprint, locale);
  data["privacy_url"] = PathOf(Page::kPrivacy, locale);
  data["terms_url"] = PathOf(Page::kTerms, locale);
  data["withdrawal_url"] = PathOf(Page::kWithdrawal, locale);
  data["cookies_url"] = PathOf(Page::kCookies, locale);
  data["seller_name"] = settings_.seller.name;
  data["year"] = CurrentYear();

  json::object consent;
  consent["open"] = !visitor.consent.decided();
  consent["statistics"] = visitor.consent.statistics;
  consent["marketing"] = visitor.consent.marketing;
  consent["action"] = PathOf(Page::kConsent, locale);
  consent["return"] = meta.path + query;
  consent["statistics_enabled"] = settings_.statistics.enabled();
  consent["statistics_name"] = settings_.statistics.name;
  consent["statistics_script"] = settings_.statistics.script_url;
  data["consent"] = std::move(consent);
  return data;
}

CachedPage Site::Document(const PageMeta& meta, const RenderedPage& page, const Visitor& visitor,
                          unsigned status) {
  CachedPage document;
  document.status = status;
  document.content_language = std::string(domain::ToString(visitor.locale));
  document.identity = templates_.RenderLayout(visitor.locale, LayoutData(meta, page, visitor));
  document.compressed = CompressPrefix(document.identity);
  document.csrf_forms.emplace_back(kConsentForm);
  for (const std::string& form : meta.forms) document.csrf_forms.push_back(form);
  return document;
}

std::string Site::Tail(const CachedPage& document, const Visitor& visitor,
                       std::string_view nonce) const {
  std::string tail;
  if (!document.csrf_forms.empty()) {
    const std::string token =
        SignFormToken(settings_.secret, visitor.binding(), std::chrono::system_clock::now());
    for (const std::string& form : document.csrf_forms) {
      tail += "<input type=\"hidden\" name=\"csrf\" value=\"";
      tail += token;  // base36 and base64url: nothing to escape
      tail += "\" form=\"";
      tail += form;  // ids the code chose
      tail += "\">";
    }
  }
  tail += "<script src=\"";
  tail += assets_.UrlOf("app.js");
  tail += "\" nonce=\"";
  tail += nonce;
  tail += "\" defer></script>";
  if (visitor.consent.statistics && settings_.statistics.enabled()) {
    tail += "<script src=\"";
    tail += EscapeHtml(settings_.statistics.script_url);
    tail += "\" nonce=\"";
    tail += nonce;
    tail += "\" defer></script>";
  }
  tail += "\n</body>\n</html>\n";
  return tail;
}

http::Response Site::Respond(const CachedPage& document, const http::Request& request,
                             const Visitor& visitor, Caching caching) {
  const std::string nonce = RandomToken(16);
  const ContentEncoding encoding = NegotiateEncoding(request[http::Field::accept_encoding]);
  http::Response response(static_cast<http::Status>(document.status), request.version());
  std::string& body = response.body();
  const std::string tail = document.has_tail ? Tail(document, visitor, nonce) : std::string();
  body.reserve((encoding == ContentEncoding::kIdentity ? document.identity.size()
                                                       : document.compressed.brotli.size()) +
               tail.size() + 16);
  AppendBody(encoding, document.identity, document.compressed, tail, body);
  response.set(http::Field::content_type, kHtml);
  response.set(http::Field::content_language, document.content_language);
  if (encoding != ContentEncoding::kIdentity) {
    response.set(http::Field::content_encoding, ToString(encoding));
  }
  response.set(kContentSecurityPolicy, ContentSecurityPolicy(nonce, settings_));
  if (caching == Caching::kPublic) {
    response.set(http::Field::cache_control, "public, max-age=0, s-maxage=60");
    response.set(http::Field::vary, "Accept-Encoding, Cookie");
  } else {
    response.set(http::Field::cache_control, "private, no-store");
    response.set(http::Field::vary, "Accept-Encoding");
  }
  return response;
}

http::Response Site::ErrorPage(const Error& error, const http::Request& request,
                               http::RequestContext& context) {
  const http::Status status = http::HttpStatusOf(error.code);
  const unsigned code = static_cast<unsigned>(status);
  if (code >= 500) {
    log::Error(
        "page failed",
        {{"path", context.log_path.empty() ? context.path : std::string_view(context.log_path)},
         {"status", code},
         {"reason", error.reason}},
        context.request_id);
  }
  try {
    const Locale locale =
        LocaleOfPath(context.path).value_or(NegotiateLocale(request[http::Field::accept_language]));
    const Visitor visitor = VisitorOf(request, locale);
    json::object data{{"request_id", context.request_id},
                      {"home_url", PathOf(Page::kHome, locale)},
                      {"configurator_url", PathOf(Page::kConfigurator, locale)},
                      {"status", code}};
    const std::string flag = "is_" + std::to_string(code);
    data[flag] = true;
    if (code >= 500 && code != 503) data["is_500"] = true;
    const RenderedPage page = templates_.RenderPage("error", locale, data);
    PageMeta meta;
    meta.page = Page::kHome;
    meta.path = std::string(context.path);
    meta.indexable = false;
    meta.error = true;
    const CachedPage document = Document(meta, page, visitor, code);
    http::Response response = Respond(document, request, visitor, Caching::kPrivate);
    if (status == http::Status::service_unavailable) response.set(http::Field::retry_after, "5");
    return response;
  } catch (const std::exception& e) {
    // The page itself failed: say so plainly rather than not at all.
    log::Error("error page failed", {{"error", e.what()}}, context.request_id);
    http::Response response(status, request.version());
    response.set(http::Field::content_type, "text/plain; charset=utf-8");
    response.body() = std::to_string(code) + " — request id " + context.request_id + "\n";
    return response;
  }
}

}  // namespace codezero::web
