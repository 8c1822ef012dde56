#include "web/site.h"

#include <chrono>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/digest.h"
#include "common/log.h"
#include "common/random.h"
#include "common/unix_time.h"
#include "http/problem.h"
#include "http/query.h"
#include "web/configuration.h"
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
  // An order's form post ends at the payment page, by redirect, and the account's billing
  // button at Stripe's billing portal: form-action covers redirects too.
  policy += "; form-action 'self' " + settings.payment_origin;
  if (settings.billing_portal_origin != settings.payment_origin) {
    policy += " " + settings.billing_portal_origin;
  }
  policy += "; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
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
      sessions_(cache_, settings.sessions),
      templates_(translations) {}

void Site::Close() {
  catalogs_.Close();
  cache_.Close();
}

std::string Site::PlanName(std::string_view code, Locale locale) const {
  if (const auto catalogs = catalogs_.CurrentIfLoaded()) {
    if (const CatalogPlan* plan = catalogs->In(locale).FindPlan(code)) return plan->name;
  }
  return std::string(code);
}

std::string Site::ProductName(std::string_view code, Locale locale) const {
  if (const auto catalogs = catalogs_.CurrentIfLoaded()) {
    const CatalogView& catalog = catalogs->In(locale);
    if (const CatalogPlan* plan = catalog.FindPlan(code)) return plan->name;
    if (const CatalogAddon* addon = catalog.FindAddon(code)) return addon->name;
  }
  return {};
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

boost::asio::awaitable<Visitor> Site::Identify(const http::Request& request, Locale locale) {
  Visitor visitor = VisitorOf(request, locale);
  const auto id = CookieValue(request[http::Field::cookie], kSessionCookie);
  if (!id || id->empty()) co_return visitor;
  visitor.cookie_session_id = std::string(*id);
  auto session = co_await sessions_.Find(visitor.cookie_session_id);
  if (!session) {
    // Redis cannot say: not signed in for this request, but not signed out either.
    visitor.session_unknown = true;
  } else if (*session) {
    visitor.session = std::move(**session);
  } else {
    visitor.stale_session = true;  // ended: the cookie goes
  }
  co_return visitor;
}

namespace {

bool ExpiresSoon(const Session& session) { return session.access_expires_at - NowSeconds() <= 60; }

// The tokens of a refresh grant's answer written into `session`; false when the answer is not
// one.
bool TakeTokens(const http::Response& answer, Session& session) {
  boost::system::error_code ec;
  const json::value tokens = json::parse(answer.body(), ec);
  if (ec || !tokens.is_object()) return false;
  const json::object& object = tokens.as_object();
  const json::value* access = object.if_contains("access_token");
  const json::value* refresh = object.if_contains("refresh_token");
  const json::value* expires_in = object.if_contains("expires_in");
  if (access == nullptr || !access->is_string() || refresh == nullptr || !refresh->is_string() ||
      expires_in == nullptr || !expires_in->is_int64()) {
    return false;
  }
  session.access_token = std::string(access->as_string());
  session.refresh_token = std::string(refresh->as_string());
  session.access_expires_at = NowSeconds() + expires_in->as_int64();
  return true;
}

}  // namespace

boost::asio::awaitable<Result<void>> Site::FreshToken(Session& session) {
  if (!ExpiresSoon(session)) co_return Result<void>();
  const std::optional<std::string> lock = co_await sessions_.LockRefresh(session.id);
  if (!lock) {
    // Another request of this session is refreshing: wait for its result, as long as its call
    // to the API may take.
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
    const auto until =
        std::chrono::steady_clock::now() + settings_.api.timeout + std::chrono::milliseconds(500);
    while (std::chrono::steady_clock::now() < until) {
      timer.expires_after(std::chrono::milliseconds(50));
      (void)co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
      auto reloaded = co_await sessions_.Find(session.id);
      if (!reloaded) co_return tl::unexpected(reloaded.error());
      if (!*reloaded) co_return Fail(ErrorCode::kUnauthenticated, "the session has ended");
      if (!ExpiresSoon(**reloaded)) {
        session = std::move(**reloaded);
        co_return Result<void>();
      }
    }
    co_return Fail(ErrorCode::kUnavailable, "the session is being refreshed", "refresh lock");
  }
  // Between reading the session and taking the lock, another request may have refreshed it
  // and let go: its tokens are the ones to use (the refresh token read earlier is spent).
  Result<void> outcome;
  auto current = co_await sessions_.Find(session.id);
  if (!current) {
    outcome = tl::unexpected(current.error());
  } else if (!*current) {
    outcome = Fail(ErrorCode::kUnauthenticated, "the session has ended", "ended before refresh");
  } else if (!ExpiresSoon(**current)) {
    session = std::move(**current);
  } else {
    session = std::move(**current);
    ApiCall call;
    call.method = http::Verb::post;
    call.path = "/v1/oauth/token";
    call.content_type = "application/x-www-form-urlencoded";
    call.body =
        "grant_type=refresh_token&refresh_token=" + http::EncodeQueryValue(session.refresh_token);
    auto answer = co_await api_.Send(std::move(call));
    if (!answer) {
      outcome = tl::unexpected(answer.error());
    } else if (answer->result() == http::Status::ok) {
      if (!TakeTokens(*answer, session)) {
        outcome = Fail(ErrorCode::kUnavailable, "bad token answer", "no tokens");
      } else if (auto saved = co_await sessions_.Save(session);
                 !saved && saved.error().code == ErrorCode::kUnauthenticated) {
        outcome = tl::unexpected(saved.error());  // signed out meanwhile: it stays so
      } else if (!saved) {
        // The new tokens serve this request; the next one finds the old, spent refresh token,
        // which ends the sign-in. Nothing better is possible without Redis.
        log::Warn("refreshed tokens not saved", {{"reason", saved.error().reason}});
      }
    } else if (answer->result() == http::Status::bad_request ||
               answer->result() == http::Status::unauthorized) {
      // The API refused the refresh token (expired, revoked, reused): the session is over.
      (void)co_await sessions_.Delete(session.id);
      outcome = Fail(ErrorCode::kUnauthenticated, "the session has ended", "refresh refused");
    } else {
      outcome = tl::unexpected(ErrorOfApiAnswer(*answer));
    }
  }
  co_await sessions_.ReleaseRefresh(session.id, *lock);
  co_return outcome;
}

boost::asio::awaitable<Result<http::Response>> Site::CallApi(Visitor& visitor, ApiCall call) {
  if (!visitor.session) co_return Fail(ErrorCode::kUnauthenticated, "not signed in");
  auto fresh = co_await FreshToken(*visitor.session);
  if (!fresh) {
    if (fresh.error().code == ErrorCode::kUnauthenticated) {
      visitor.session.reset();
      visitor.stale_session = true;
    }
    co_return tl::unexpected(fresh.error());
  }
  call.bearer = visitor.session->access_token;
  auto answer = co_await api_.Send(call);
  if (answer && answer->result() == http::Status::unauthorized) {
    // Revoked at the API (a password change elsewhere, sign-out everywhere): signed out here too.
    (void)co_await sessions_.Delete(visitor.session->id);
    visitor.session.reset();
    visitor.stale_session = true;
    co_return Fail(ErrorCode::kUnauthenticated, "the session has ended", "api answered 401");
  }
  co_return answer;
}

http::Response Site::SeeOther(std::string location, unsigned version) {
  http::Response response(http::Status::see_other, version);
  response.set(http::Field::location, location);
  response.set(http::Field::cache_control, "private, no-store");
  response.set(kContentSecurityPolicy, kNothingAllowedPolicy);
  return response;
}

http::Response Site::SignInFirst(std::string_view next, Locale locale, unsigned version,
                                 bool ended) const {
  std::string location(PathOf(Page::kSignIn, locale));
  location += "?next=" + http::EncodeQueryValue(next);
  if (ended) location += "&notice=ended";
  http::Response response = SeeOther(std::move(location), version);
  // A session that ended (or never was) leaves no cookie behind.
  response.set(http::Field::set_cookie, SessionCookie(""));
  return response;
}

std::string Site::SessionCookie(const std::string& session_id) const {
  if (session_id.empty()) return DeleteCookieHeader(kSessionCookie);
  return SetCookieHeader(
      kSessionCookie, session_id,
      std::chrono::duration_cast<std::chrono::seconds>(settings_.sessions.lifetime));
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
  if (meta.refresh_seconds > 0) data["refresh_seconds"] = meta.refresh_seconds;
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
  data["nav_account"] = meta.account;
  data["signed_in"] = visitor.signed_in();
  data["account_url"] = PathOf(Page::kAccount, locale);
  data["sign_in_url"] = PathOf(Page::kSignIn, locale);
  data["sign_out_url"] = PathOf(Page::kSignOut, locale);
  const auto other = TranslatePath(meta.path, Other(locale));
  data["switch_url"] = other ? *other + query : std::string(PathOf(Page::kHome, Other(locale)));
  data["switch_lang"] = domain::ToString(Other(locale));

  data["imprint_url"] = PathOf(Page::kImprint, locale);
  data["privacy_url"] = PathOf(Page::kPrivacy, locale);
  data["terms_url"] = PathOf(Page::kTerms, locale);
  data["withdrawal_url"] = PathOf(Page::kWithdrawal, locale);
  data["cookies_url"] = PathOf(Page::kCookies, locale);
  data["cancel_contracts_url"] = PathOf(Page::kCancel, locale);
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
  if (visitor.signed_in()) document.csrf_forms.emplace_back("sign-out-form");
  for (const std::string& form : meta.forms) document.csrf_forms.push_back(form);
  return document;
}

std::string Site::Tail(const CachedPage& document, const Visitor& visitor, std::string_view nonce,
                       bool statistics) const {
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
  if (statistics) {
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
  // Nothing about a signed-in visitor may be kept by a shared cache; an ended session's cookie
  // is removed, which is about one visitor too.
  if (visitor.signed_in() || visitor.stale_session) caching = Caching::kPrivate;
  // Statistics count visits to public pages only: nothing of the account area reaches them.
  const bool statistics =
      caching == Caching::kPublic && visitor.consent.statistics && settings_.statistics.enabled();
  http::Response response(static_cast<http::Status>(document.status), request.version());
  std::string& body = response.body();
  const std::string tail =
      document.has_tail ? Tail(document, visitor, nonce, statistics) : std::string();
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
  if (!visitor.new_session_cookie.empty()) {
    response.set(http::Field::set_cookie, visitor.new_session_cookie);
  } else if (visitor.stale_session) {
    response.set(http::Field::set_cookie, SessionCookie(""));
  }
  if (caching == Caching::kPublic) {
    response.set(http::Field::cache_control, "public, max-age=0, s-maxage=60");
    response.set(http::Field::vary, "Accept-Encoding, Cookie");
  } else {
    response.set(http::Field::cache_control, "private, no-store");
    response.set(http::Field::vary, "Accept-Encoding");
  }
  return response;
}

http::Response Site::PrivatePage(std::string_view template_name, json::object data, PageMeta meta,
                                 const Visitor& visitor, const http::Request& request,
                                 unsigned status) {
  const Locale locale = visitor.locale;
  data["urls"] = json::object{{"account", PathOf(Page::kAccount, locale)},
                              {"orders", PathOf(Page::kOrders, locale)},
                              {"subscriptions", PathOf(Page::kSubscriptions, locale)},
                              {"referrals", PathOf(Page::kReferrals, locale)},
                              {"invoices", PathOf(Page::kInvoices, locale)},
                              {"company", PathOf(Page::kCompany, locale)},
                              {"members", PathOf(Page::kMembers, locale)},
                              {"profile", PathOf(Page::kProfile, locale)}};
  for (const auto& [key, page] :
       {std::pair{"home_url", Page::kHome}, std::pair{"configurator_url", Page::kConfigurator},
        std::pair{"sign_in_url", Page::kSignIn}, std::pair{"sign_up_url", Page::kSignUp},
        std::pair{"forgot_url", Page::kForgotPassword}, std::pair{"privacy_url", Page::kPrivacy},
        std::pair{"terms_url", Page::kTerms}, std::pair{"withdrawal_url", Page::kWithdrawal}}) {
    if (!data.contains(key)) data[key] = PathOf(page, locale);
  }
  const RenderedPage page = templates_.RenderPage(template_name, locale, data);
  meta.indexable = false;
  if (meta.query.empty()) {
    const std::string_view target = request.target();
    if (const auto mark = target.find('?'); mark != std::string_view::npos) {
      meta.query = std::string(target.substr(mark + 1));
    }
  }
  const CachedPage document = Document(meta, page, visitor, status);
  return Respond(document, request, visitor, Caching::kPrivate);
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
    // The API's refusal (an owner's action by a member), not a form that failed its checks.
    data["not_permitted"] = error.code == ErrorCode::kForbidden && error.reason.starts_with("api ");
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
    response.body() = std::to_string(code) + " " + context.request_id + "\n";
    return response;
  }
}

PageMeta FormPageMeta(Page page, Locale locale, std::string_view form) {
  PageMeta meta;
  meta.page = page;
  meta.path = std::string(PathOf(page, locale));
  meta.forms.emplace_back(form);
  return meta;
}

}  // namespace codezero::web
