// `codezero web` over HTTP against a real API, PostgreSQL and Redis: pages render with the
// live catalog and the API's prices, the caches are shared and invalidated by a new catalog
// version, outages of the API and of Redis, the consent flow and its proof, forged posts, and
// hostile query values.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "common/random.h"
#include "support/api_server.h"
#include "support/eventually.h"
#include "support/http_client.h"
#include "support/private_redis.h"
#include "support/server_harness.h"
#include "support/web_server.h"

namespace codezero::web {
namespace {

using testing::Fetch;
using testing::FormPost;
using testing::FormToken;
using testing::Get;
using testing::MakeRequest;

class Web : public ::testing::Test {
 protected:
  Web() {
    testing::ApplyMigrations(database);
    api = std::make_unique<testing::ApiServer>(
        testing::TestApiSettings(database.url(), testing::TestRedisUrl()));
  }

  WebSettings Settings(const std::string& redis_url = testing::TestRedisUrl()) {
    WebSettings settings = testing::TestWebSettings(api->port(), redis_url);
    // Each test renders under a fingerprint of its own, so tests sharing the test Redis never
    // see each other's cached pages.
    settings.seller.phone = "+49 30 " + NewRequestId().substr(0, 8);
    return settings;
  }

  // The API's own total for a configuration, formatted as the page shows it.
  std::string ApiTotal(const std::string& body) {
    const http::Response quote =
        Fetch(api->port(), MakeRequest(http::Verb::post, "/v1/quotes", body));
    EXPECT_EQ(quote.result(), http::Status::created) << quote.body();
    return std::to_string(testing::JsonOf(quote).at("amount_total").as_int64());
  }

  testing::TestDatabase database;
  std::unique_ptr<testing::ApiServer> api;
};

// Until web at `port` has its connection to Redis (made in the background; until then it
// neither reads nor writes the shared cache).
bool ConnectedToRedis(std::uint16_t port) {
  return testing::Eventually(
      [port] { return Get(port, "/readyz").body().find(R"("redis":"ok")") != std::string::npos; });
}

std::string TotalOf(const std::string& html) {
  const std::string marker = "id=\"total\">";
  const std::size_t start = html.find(marker);
  if (start == std::string::npos) return "";
  return html.substr(start + marker.size(), html.find('<', start) - start - marker.size());
}

TEST_F(Web, TheConfiguratorShowsTheApisPriceForTheConfigurationInTheAddress) {
  testing::WebServer web(Settings());
  const http::Response page =
      Get(web.port(), "/de/konfigurator?plan=team&interval=year&extra_seats=5&sso=1");
  ASSERT_EQ(page.result(), http::Status::ok) << page.body();
  EXPECT_EQ(ApiTotal(R"({"plan":"team","interval":"year","addons":[{"code":"extra_seats",
      "quantity":5},{"code":"sso","quantity":1}],"customer":{"country":"DE","type":"business"}})"),
            "443870");
  EXPECT_EQ(TotalOf(page.body()), "4.438,70\u00a0€");
  EXPECT_EQ(page[http::Field::content_language], "de");
  EXPECT_EQ(page[http::Field::cache_control], "public, max-age=0, s-maxage=60");
  EXPECT_EQ(page[http::Field::vary], "Accept-Encoding, Cookie");
  // Canonical: the plain page; the language switch keeps the configuration.
  EXPECT_NE(page.body().find("<link rel=\"canonical\" href=\"http://web.test/de/konfigurator\">"),
            std::string::npos);
  EXPECT_NE(
      page.body().find(
          "href=\"/en/configurator?plan=team&amp;interval=year&amp;extra_seats=5&amp;sso=1&amp;"
          "type=business&amp;country=DE\""),
      std::string::npos);

  const http::Response english = Get(web.port(), "/en/configurator?plan=team&interval=year");
  EXPECT_EQ(TotalOf(english.body()), "€2,368.10");
}

TEST_F(Web, TheApisRefusalShowsNextToTheFieldInThePagesLanguage) {
  testing::WebServer web(Settings());
  const http::Response de =
      Get(web.port(), "/de/konfigurator?plan=team&type=business&country=AT&vat_id=ATU00000000");
  ASSERT_EQ(de.result(), http::Status::ok);
  EXPECT_EQ(TotalOf(de.body()), "") << "no price for an invalid configuration";
  EXPECT_NE(de.body().find("aria-invalid=\"true\" aria-describedby=\"vat_id-hint error-vat_id\""),
            std::string::npos);
  const std::size_t error = de.body().find("id=\"error-vat_id\" data-live>");
  ASSERT_NE(error, std::string::npos);
  EXPECT_NE(de.body().substr(error, 200).find("USt-IdNr"), std::string::npos)
      << de.body().substr(error, 200);
  EXPECT_EQ(de[http::Field::cache_control], "private, no-store") << "a VAT ID is personal";

  const http::Response en = Get(web.port(), "/en/configurator?plan=starter&extra_seats=99");
  const std::size_t seats = en.body().find("id=\"error-extra_seats\" data-live>");
  ASSERT_NE(seats, std::string::npos);
  EXPECT_NE(en.body().substr(seats, 120).find("between"), std::string::npos)
      << en.body().substr(seats, 120);
}

TEST_F(Web, EveryQueryValueIsEscaped) {
  testing::WebServer web(Settings());
  const std::string evil = "%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%3E%3Cimg%20src%3Dx%3E";
  std::string query;
  for (const char* name : {"plan", "interval", "extra_seats", "sso", "credits_5m", "type",
                           "country", "vat_id", "code"}) {
    query += std::string(query.empty() ? "" : "&") + name + "=" + evil;
  }
  for (const std::string path : {"/de/konfigurator?", "/en/configurator/fragment?",
                                 "/de/impressum?", "/en/?", "/de/nirgends?"}) {
    const http::Response page = Get(web.port(), path + query);
    EXPECT_EQ(page.body().find("<script>alert"), std::string::npos) << path;
    EXPECT_EQ(page.body().find("<img src=x>"), std::string::npos) << path;
  }
}

TEST_F(Web, AnonymousPagesComeFromRedisForEveryInstanceAndANewCatalogReplacesThem) {
  const WebSettings settings = Settings();
  testing::WebServer first(settings);
  ASSERT_TRUE(ConnectedToRedis(first.port()));
  const std::string path = "/de/konfigurator?plan=starter&interval=month";
  const http::Response rendered = Get(first.port(), path);
  ASSERT_EQ(rendered.result(), http::Status::ok);
  EXPECT_EQ(TotalOf(rendered.body()), "58,31\u00a0€");

  // A second instance whose API publishes the catalog but prices nothing: what it shows with
  // a price came from Redis, where the first instance put it.
  const std::uint16_t real_api = api->port();
  testing::ServerHarness no_quotes([real_api](http::Router& router, boost::asio::io_context&) {
    router.Get("/v1/catalog",
               [real_api](http::Request& request, http::RequestContext& context)
                   -> boost::asio::awaitable<Result<http::Response>> {
                 http::Response catalog =
                     Get(real_api, "/v1/catalog?" + std::string(context.query));
                 catalog.version(request.version());
                 co_return catalog;
               });
    router.Post("/v1/quotes",
                [](http::Request&,
                   http::RequestContext&) -> boost::asio::awaitable<Result<http::Response>> {
                  co_return Fail(ErrorCode::kUnavailable, "no quotes here");
                });
  });
  WebSettings second_settings = settings;
  second_settings.api.base_url = "http://127.0.0.1:" + std::to_string(no_quotes.port());
  testing::WebServer second(second_settings);
  ASSERT_TRUE(ConnectedToRedis(second.port()));
  const http::Response shared = Get(second.port(), path);
  ASSERT_EQ(shared.result(), http::Status::ok) << shared.body().substr(0, 300);
  EXPECT_EQ(TotalOf(shared.body()), "58,31\u00a0€");
  EXPECT_EQ(Get(second.port(), "/de/konfigurator?plan=starter&interval=year").result(),
            http::Status::service_unavailable)
      << "a configuration nobody priced yet needs the API";

  // A new catalog version with another Starter price: its pages are rendered afresh, the old
  // ones are never served again.
  database.Execute(
      "INSERT INTO catalog_versions (version, document) SELECT 2, jsonb_set(document, "
      "'{plans,0,monthly_amount}', '5900') FROM catalog_versions WHERE version = 1");
  EXPECT_TRUE(testing::Eventually([&] {
    return TotalOf(Get(first.port(), path).body()) == "70,21\u00a0€";
  })) << TotalOf(Get(first.port(), path).body());
}

TEST_F(Web, ARedisOutageOnlyCostsSpeed) {
  testing::PrivateRedis redis;
  redis.Start();
  testing::WebServer web(Settings(redis.url()));
  ASSERT_EQ(Get(web.port(), "/de/konfigurator?plan=team").result(), http::Status::ok);
  redis.Stop();
  for (const char* path : {"/de/konfigurator?plan=business&interval=year", "/en/", "/de/agb"}) {
    const http::Response page = Get(web.port(), path);
    EXPECT_EQ(page.result(), http::Status::ok) << path << ": " << page.body().substr(0, 300);
  }
}

TEST_F(Web, AnApiOutageGivesALocalizedUnavailablePageAndLegalPagesStillWork) {
  testing::WebServer web(Settings());
  const std::uint16_t api_port = api->port();
  ASSERT_EQ(Get(web.port(), "/en/").result(), http::Status::ok);  // the catalog is loaded
  api.reset();
  ASSERT_TRUE(testing::ConnectionRefused(api_port));
  const http::Response page = Get(web.port(), "/en/configurator?plan=starter&extra_seats=3");
  EXPECT_EQ(page.result(), http::Status::service_unavailable);
  EXPECT_EQ(page[http::Field::retry_after], "5");
  EXPECT_NE(page.body().find("Temporarily unavailable"), std::string::npos);
  EXPECT_NE(page.body().find(std::string(page["X-Request-Id"])), std::string::npos)
      << "the page names its request id";
  EXPECT_EQ(Get(web.port(), "/de/impressum").result(), http::Status::ok);
  const http::Response german = Get(web.port(), "/de/konfigurator?plan=team&code=X1");
  EXPECT_NE(german.body().find("Vorübergehend nicht verfügbar"), std::string::npos);
}

TEST_F(Web, AChoiceIsRecordedAsProofThenRemembered) {
  testing::WebServer web(Settings());
  const http::Response page = Get(web.port(), "/de/impressum");
  EXPECT_NE(page.body().find("data-consent>"), std::string::npos) << "asked at first";
  const std::string token = FormToken(page.body(), "consent-form");
  ASSERT_FALSE(token.empty());

  http::Request post =
      FormPost("/de/einwilligung", "csrf=" + token + "&choice=reject_all&return=%2Fde%2Fimpressum");
  post.set(http::Field::user_agent,
           "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/156.0 Safari/537.36");
  const http::Response answer = Fetch(web.port(), post);
  ASSERT_EQ(answer.result(), http::Status::see_other) << answer.body();
  EXPECT_EQ(answer[http::Field::location], "/de/impressum");
  const std::string cookie(answer[http::Field::set_cookie]);
  EXPECT_TRUE(cookie.starts_with("__Host-consent=")) << cookie;
  EXPECT_NE(cookie.find("; Secure; HttpOnly; SameSite=Lax"), std::string::npos);
  const std::string value = cookie.substr(0, cookie.find(';'));
  EXPECT_EQ(database.QueryValue("SELECT action || ',' || statistics || ',' || marketing || ',' || "
                                "policy_version || ',' || user_agent_class FROM consent_records"),
            "reject_all,false,false,2026-11-29,desktop, Chrome");

  // The dialog is closed from now on; changing the choice continues the same record.
  http::Request again = MakeRequest(http::Verb::get, "/de/impressum");
  again.set(http::Field::cookie, value);
  const http::Response decided = Fetch(web.port(), again);
  EXPECT_NE(decided.body().find("data-consent hidden>"), std::string::npos);
  const std::string bound = FormToken(decided.body(), "consent-form");
  const http::Response accepted =
      Fetch(web.port(),
            FormPost("/de/einwilligung", "csrf=" + bound + "&choice=custom&statistics=1", value));
  ASSERT_EQ(accepted.result(), http::Status::see_other) << accepted.body();
  EXPECT_EQ(database.QueryValue("SELECT count(DISTINCT consent_id) || ',' || count(*) || ',' || "
                                "bool_or(statistics) FROM consent_records"),
            "1,2,true");
}

TEST_F(Web, TheScriptGetsJsonAndTheCookieWithoutARedirect) {
  testing::WebServer web(Settings());
  const std::string token = FormToken(Get(web.port(), "/en/").body(), "consent-form");
  http::Request post = FormPost("/en/consent", "csrf=" + token + "&choice=accept_all");
  post.set(http::Field::accept, "application/json");
  const http::Response answer = Fetch(web.port(), post);
  ASSERT_EQ(answer.result(), http::Status::ok) << answer.body();
  const auto body = testing::JsonOf(answer);
  EXPECT_EQ(body.at("statistics"), true);
  EXPECT_EQ(body.at("marketing"), true);
  EXPECT_FALSE(answer[http::Field::set_cookie].empty());
}

TEST_F(Web, AForgedOrStalePostIsRefusedWithAPageAndChangesNothing) {
  testing::WebServer web(Settings());
  const std::string token = FormToken(Get(web.port(), "/de/").body(), "consent-form");
  // Another origin.
  http::Request foreign = FormPost("/de/einwilligung", "csrf=" + token + "&choice=accept_all");
  foreign.set(http::Field::origin, "https://evil.example");
  const http::Response refused = Fetch(web.port(), foreign);
  EXPECT_EQ(refused.result(), http::Status::forbidden);
  EXPECT_NE(refused.body().find("Anfrage abgelehnt"), std::string::npos);
  EXPECT_EQ(refused[http::Field::cache_control], "private, no-store");
  // No Origin and no Fetch Metadata.
  http::Request bare = FormPost("/de/einwilligung", "csrf=" + token + "&choice=accept_all");
  bare.erase(http::Field::origin);
  EXPECT_EQ(Fetch(web.port(), bare).result(), http::Status::forbidden);
  // Same origin, but a token that is not ours, or none.
  EXPECT_EQ(
      Fetch(web.port(), FormPost("/de/einwilligung", "csrf=1.AAAA&choice=accept_all")).result(),
      http::Status::forbidden);
  EXPECT_EQ(Fetch(web.port(), FormPost("/de/einwilligung", "choice=accept_all")).result(),
            http::Status::forbidden);
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM consent_records"), "0");
}

TEST_F(Web, TooManyChoicesFromOneAddressAreLimitedWithTheWait) {
  WebSettings settings = Settings();
  settings.consent_limit.limit = 2;
  testing::WebServer web(settings);
  web.WaitUntilLimitsCount();
  const std::string token = FormToken(Get(web.port(), "/de/").body(), "consent-form");
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(
        Fetch(web.port(), FormPost("/de/einwilligung", "csrf=" + token + "&choice=reject_all"))
            .result(),
        http::Status::see_other);
  }
  const http::Response limited =
      Fetch(web.port(), FormPost("/de/einwilligung", "csrf=" + token + "&choice=reject_all"));
  EXPECT_EQ(limited.result(), http::Status::too_many_requests);
  EXPECT_FALSE(limited[http::Field::retry_after].empty());
  EXPECT_NE(limited.body().find("Zu viele Anfragen"), std::string::npos);
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM consent_records"), "2");
}

TEST_F(Web, AnOfferShowsTheQuoteAndAnAlteredOneIsNotFound) {
  testing::WebServer web(Settings());
  const http::Response quote = Fetch(
      api->port(), MakeRequest(http::Verb::post, "/v1/quotes",
                               R"({"plan":"business","interval":"year","customer":{"country":"FR",
                      "type":"consumer"},"coupon":"LAUNCH20","locale":"de"})"));
  ASSERT_EQ(quote.result(), http::Status::created) << quote.body();
  const std::string token(testing::JsonOf(quote).at("token").as_string());
  const http::Response offer = Get(web.port(), "/en/offer/" + token);
  ASSERT_EQ(offer.result(), http::Status::ok) << offer.body().substr(0, 500);
  EXPECT_EQ(offer[http::Field::cache_control], "private, no-store");
  EXPECT_NE(offer.body().find("<meta name=\"robots\" content=\"noindex\">"), std::string::npos);
  EXPECT_NE(offer.body().find("Coupon LAUNCH20"), std::string::npos) << "in the page's language";
  EXPECT_NE(offer.body().find("VAT 20%"), std::string::npos) << "France's rate (OSS)";
  EXPECT_NE(offer.body().find("Code Zero AI GmbH"), std::string::npos);
  EXPECT_NE(offer.body().find("HRB 000000 B"), std::string::npos);
  std::string altered = token;
  altered[10] = altered[10] == 'A' ? 'B' : 'A';
  const http::Response missing = Get(web.port(), "/de/angebot/" + altered);
  EXPECT_EQ(missing.result(), http::Status::not_found);
  EXPECT_NE(missing.body().find("Seite nicht gefunden"), std::string::npos);
}

TEST_F(Web, AssetsAreFingerprintedCompressedAndImmutable) {
  testing::WebServer web(Settings());
  const std::string home = Get(web.port(), "/de/").body();
  const std::size_t at = home.find("/assets/app.");
  ASSERT_NE(at, std::string::npos);
  const std::string url = home.substr(at, home.find('"', at) - at);
  http::Request request = MakeRequest(http::Verb::get, url);
  request.set(http::Field::accept_encoding, "gzip, br");
  const http::Response asset = Fetch(web.port(), request);
  ASSERT_EQ(asset.result(), http::Status::ok) << url;
  EXPECT_EQ(asset[http::Field::content_encoding], "br");
  EXPECT_EQ(asset[http::Field::cache_control], "public, max-age=31536000, immutable");
  request.set(http::Field::if_none_match, asset[http::Field::etag]);
  EXPECT_EQ(Fetch(web.port(), request).result(), http::Status::not_modified);
  EXPECT_EQ(Get(web.port(), "/assets/app.css").result(), http::Status::not_found);
}

TEST_F(Web, HtmlCarriesAStrictPolicyWhoseNonceIsTheScripts) {
  testing::WebServer web(Settings());
  const http::Response page = Get(web.port(), "/de/cookies");
  const std::string policy(page["Content-Security-Policy"]);
  EXPECT_EQ(policy.find("unsafe-inline"), std::string::npos);
  EXPECT_NE(policy.find("frame-ancestors 'none'"), std::string::npos);
  const std::size_t start = policy.find("'nonce-") + 7;
  const std::string nonce = policy.substr(start, policy.find('\'', start) - start);
  EXPECT_NE(page.body().find("nonce=\"" + nonce + "\""), std::string::npos);
  const http::Response again = Get(web.port(), "/de/cookies");
  EXPECT_EQ(again.body().find("nonce=\"" + nonce + "\""), std::string::npos)
      << "a fresh nonce for every response, even from the cache";
  EXPECT_EQ(page["Referrer-Policy"], "strict-origin-when-cross-origin");
  EXPECT_FALSE(page["Permissions-Policy"].empty());
}

TEST_F(Web, RootSendsEachVisitorToTheirLanguage) {
  testing::WebServer web(Settings());
  http::Request english = MakeRequest(http::Verb::get, "/");
  english.set(http::Field::accept_language, "en-GB,en;q=0.9,de;q=0.5");
  const http::Response to_english = Fetch(web.port(), english);
  EXPECT_EQ(to_english.result(), http::Status::found);
  EXPECT_EQ(to_english[http::Field::location], "/en/");
  EXPECT_EQ(to_english[http::Field::vary], "Accept-Language, Cookie");
  EXPECT_EQ(Get(web.port(), "/")[http::Field::location], "/de/");
  const http::Response sitemap = Get(web.port(), "/sitemap.xml");
  EXPECT_NE(sitemap.body().find("<loc>http://web.test/en/privacy</loc>"), std::string::npos);
  EXPECT_NE(sitemap.body().find("hreflang=\"de\" href=\"http://web.test/de/datenschutz\""),
            std::string::npos);
}

}  // namespace
}  // namespace codezero::web
