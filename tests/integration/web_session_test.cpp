// Signing in to `codezero web` against a real API, PostgreSQL and Redis: the session keeps the
// API's tokens on the server, a new id at every sign-in, transparent refreshes (one at a time
// per session), the end of a session when the API refuses its refresh token, sign-out revoking
// at the API, and idle and absolute expiry.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <future>
#include <thread>

#include "common/digest.h"
#include "common/unix_time.h"
#include "redis/client_options.h"
#include "support/api_test.h"
#include "support/eventually.h"
#include "support/private_redis.h"
#include "support/redis_command.h"
#include "support/web_server.h"

namespace codezero::web {
namespace {

using testing::Fetch;
using testing::FormPost;
using testing::FormToken;
using testing::MakeRequest;

class WebSession : public testing::ApiTest {
 protected:
  void SetUp() override {
    Start();
    SignUpAndVerify("kim@example.com");
  }

  void StartWeb(const std::function<void(WebSettings&)>& adjust = {}) {
    WebSettings settings = testing::TestWebSettings(api->port(), redis_url);
    if (adjust) adjust(settings);
    web = std::make_unique<testing::WebServer>(std::move(settings));
  }

  http::Response Get(const std::string& target, const std::string& cookie = "") {
    http::Request request = MakeRequest(http::Verb::get, target);
    if (!cookie.empty()) request.set(http::Field::cookie, cookie);
    return Fetch(web->port(), request);
  }

  // Signs in through the form; the session cookie ("__Host-session=…"). With the cookie of a
  // session, the form is posted from that session (a signed-in visitor's form token comes from
  // any of their pages).
  std::string SignIn(const std::string& cookie = "") {
    const std::string token = cookie.empty()
                                  ? FormToken(Get("/de/login").body(), "sign-in-form")
                                  : FormToken(Get("/de/account", cookie).body(), "sign-out-form");
    EXPECT_FALSE(token.empty());
    const http::Response answer =
        Fetch(web->port(),
              FormPost("/de/login",
                       "csrf=" + token + "&email=kim%40example.com&password=correct+horse+battery",
                       cookie));
    EXPECT_EQ(answer.result(), http::Status::see_other) << answer.body().substr(0, 400);
    const std::string set_cookie(answer[http::Field::set_cookie]);
    return set_cookie.substr(0, set_cookie.find(';'));
  }

  // The session as Redis holds it.
  boost::json::object StoredSession(const std::string& cookie) {
    const std::string id = cookie.substr(cookie.find('=') + 1);
    const Sha256Digest digest = Sha256(id);
    const std::string value = RedisGet("web:session:" + ToHex(digest.data(), digest.size()));
    if (value.empty()) return {};
    return boost::json::parse(value).as_object();
  }

  std::string RedisGet(const std::string& key) {
    redis::ClientOptions options;
    options.endpoint = redis::ParseRedisUrl(redis_url).value();
    return testing::RedisCommand(options, {"GET", key});
  }
  void RedisSet(const std::string& key, const std::string& value) {
    redis::ClientOptions options;
    options.endpoint = redis::ParseRedisUrl(redis_url).value();
    (void)testing::RedisCommand(options, {"SET", key, value, "KEEPTTL"});
  }

  std::unique_ptr<testing::WebServer> web;
};

TEST_F(WebSession, SignInKeepsTheTokensOnTheServerAndGivesANewIdEveryTime) {
  StartWeb();
  const std::string cookie = SignIn();
  ASSERT_TRUE(cookie.starts_with("__Host-session=")) << cookie;
  EXPECT_EQ(cookie.size(), std::string("__Host-session=").size() + 43);
  const boost::json::object session = StoredSession(cookie);
  EXPECT_TRUE(std::string(session.at("access_token").as_string()).starts_with("cz_at_"));
  EXPECT_EQ(session.at("email").as_string(), "kim@example.com");
  EXPECT_EQ(session.at("role").as_string(), "owner");

  const http::Response account = Get("/de/account", cookie);
  ASSERT_EQ(account.result(), http::Status::ok) << account.body().substr(0, 400);
  EXPECT_EQ(account[http::Field::cache_control], "private, no-store");
  EXPECT_EQ(account.body().find("cz_at_"), std::string::npos);
  EXPECT_EQ(account.body().find("cz_rt_"), std::string::npos);
  EXPECT_NE(account.body().find("kim@example.com"), std::string::npos);

  // Signing in again from a signed-in browser: a new id, and the old one is over.
  const std::string again = SignIn(cookie);
  EXPECT_NE(again, cookie);
  EXPECT_TRUE(StoredSession(cookie).empty());
  const http::Response old = Get("/de/account", cookie);
  EXPECT_EQ(old.result(), http::Status::see_other);
  EXPECT_TRUE(std::string(old[http::Field::location]).starts_with("/de/login?next="));
}

TEST_F(WebSession, AnExpiringAccessTokenIsRefreshedOnceWhateverComesAtOnce) {
  StartWeb();
  const std::string cookie = SignIn();
  boost::json::object session = StoredSession(cookie);
  const std::string first_access(session.at("access_token").as_string());
  const std::string first_refresh(session.at("refresh_token").as_string());
  session["access_expires_at"] = 0;  // expired
  const std::string id = cookie.substr(cookie.find('=') + 1);
  const Sha256Digest digest = Sha256(id);
  RedisSet("web:session:" + ToHex(digest.data(), digest.size()), boost::json::serialize(session));

  // Eight pages at the same moment: one refresh, every page served, the session intact.
  std::vector<std::future<unsigned>> pages;
  for (int i = 0; i < 8; ++i) {
    pages.push_back(std::async(std::launch::async,
                               [&] { return Get("/de/account/orders", cookie).result_int(); }));
  }
  for (auto& page : pages) EXPECT_EQ(page.get(), 200U);
  const boost::json::object refreshed = StoredSession(cookie);
  EXPECT_NE(refreshed.at("access_token").as_string(), first_access);
  EXPECT_NE(refreshed.at("refresh_token").as_string(), first_refresh);
  EXPECT_EQ(Get("/de/account", cookie).result(), http::Status::ok)
      << "a reused refresh token would have ended every sign-in";
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM audit_log WHERE action = "
                                "'refresh_token_reuse'"),
            "0");
}

TEST_F(WebSession, ARefusedRefreshEndsTheSession) {
  StartWeb();
  const std::string cookie = SignIn();
  boost::json::object session = StoredSession(cookie);
  // The API forgets the sign-in (as after a password reset): the refresh token is refused.
  ASSERT_EQ(Send(http::Verb::post, "/v1/oauth/revoke",
                 "token=" + std::string(session.at("refresh_token").as_string()), "",
                 "application/x-www-form-urlencoded")
                .result(),
            http::Status::ok);
  session["access_expires_at"] = 0;
  const std::string id = cookie.substr(cookie.find('=') + 1);
  const Sha256Digest digest = Sha256(id);
  RedisSet("web:session:" + ToHex(digest.data(), digest.size()), boost::json::serialize(session));
  const http::Response page = Get("/de/account", cookie);
  EXPECT_EQ(page.result(), http::Status::see_other);
  EXPECT_TRUE(std::string(page[http::Field::location]).starts_with("/de/login?next="));
  EXPECT_NE(std::string(page[http::Field::set_cookie]).find("Max-Age=0"), std::string::npos);
  EXPECT_TRUE(StoredSession(cookie).empty());
}

TEST_F(WebSession, SignOutRevokesAtTheApiAndTheOldCookieNoLongerWorks) {
  StartWeb();
  const std::string cookie = SignIn();
  const std::string refresh(StoredSession(cookie).at("refresh_token").as_string());
  const std::string token = FormToken(Get("/de/account", cookie).body(), "sign-out-form");
  ASSERT_FALSE(token.empty());
  const http::Response out = Fetch(web->port(), FormPost("/de/logout", "csrf=" + token, cookie));
  EXPECT_EQ(out.result(), http::Status::see_other);
  EXPECT_NE(std::string(out[http::Field::set_cookie]).find("Max-Age=0"), std::string::npos);
  EXPECT_TRUE(StoredSession(cookie).empty());
  EXPECT_EQ(Get("/de/account", cookie).result(), http::Status::see_other);
  EXPECT_EQ(Refresh(refresh).result(), http::Status::bad_request) << "revoked at the API";
}

TEST_F(WebSession, APostWithoutTheSessionsTokenChangesNothing) {
  StartWeb();
  const std::string cookie = SignIn();
  // A token made for an anonymous visitor is not this session's.
  const std::string anonymous = FormToken(Get("/de/login").body(), "sign-in-form");
  const http::Response out =
      Fetch(web->port(), FormPost("/de/logout", "csrf=" + anonymous, cookie));
  EXPECT_EQ(out.result(), http::Status::forbidden);
  EXPECT_FALSE(StoredSession(cookie).empty());
}

TEST_F(WebSession, ASignedInVisitorChoosesConsentFromAnyPage) {
  StartWeb();
  const std::string cookie = SignIn();
  // From an account page (a token bound to the session) and from a public page, which is the
  // same for everybody (a token bound to nothing).
  for (const char* page : {"/de/account", "/de/"}) {
    const std::string token = FormToken(Get(page, cookie).body(), "consent-form");
    ASSERT_FALSE(token.empty()) << page;
    const http::Response chosen = Fetch(
        web->port(), FormPost("/de/einwilligung",
                              "csrf=" + token + "&choice=reject_all&return=%2Fde%2F", cookie));
    EXPECT_EQ(chosen.result(), http::Status::see_other) << page << chosen.body().substr(0, 300);
    EXPECT_NE(std::string(chosen[http::Field::set_cookie]).find("__Host-consent="),
              std::string::npos);
  }
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM consent_records"), "2");

  // A page rendered for a session that has ended since: its consent form still works (its
  // token is bound to the session the cookie names).
  const std::string token = FormToken(Get("/de/account", cookie).body(), "consent-form");
  const std::string id = cookie.substr(cookie.find('=') + 1);
  const Sha256Digest digest = Sha256(id);
  redis::ClientOptions options;
  options.endpoint = redis::ParseRedisUrl(redis_url).value();
  (void)testing::RedisCommand(options, {"DEL", "web:session:" + ToHex(digest.data(), 32)});
  const http::Response late = Fetch(
      web->port(),
      FormPost("/de/einwilligung", "csrf=" + token + "&choice=accept_all&return=%2Fde%2F", cookie));
  EXPECT_EQ(late.result(), http::Status::see_other) << late.body().substr(0, 300);
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM consent_records"), "3");
}

TEST_F(WebSession, AFormOfAnEndedSessionLeadsToSignInAndBackToItsPage) {
  StartWeb();
  const std::string cookie = SignIn();
  const std::string token = FormToken(Get("/de/account/profile", cookie).body(), "password-form");
  ASSERT_FALSE(token.empty());
  const std::string id = cookie.substr(cookie.find('=') + 1);
  const Sha256Digest digest = Sha256(id);
  redis::ClientOptions options;
  options.endpoint = redis::ParseRedisUrl(redis_url).value();
  (void)testing::RedisCommand(options, {"DEL", "web:session:" + ToHex(digest.data(), 32)});

  http::Request post = FormPost("/de/account/profile/password",
                                "csrf=" + token + "&password=x&current_password=y", cookie);
  post.set(http::Field::referer, testing::kTestWebOrigin + "/de/account/profile");
  const http::Response answer = Fetch(web->port(), post);
  ASSERT_EQ(answer.result(), http::Status::see_other) << "not a 403: nobody did wrong";
  EXPECT_EQ(answer[http::Field::location], "/de/login?next=%2Fde%2Faccount%2Fprofile&notice=ended");
  EXPECT_NE(std::string(answer[http::Field::set_cookie]).find("Max-Age=0"), std::string::npos);
  const http::Response notice = Get(std::string(answer[http::Field::location]));
  EXPECT_NE(notice.body().find("Ihre Sitzung ist abgelaufen"), std::string::npos);

  // Another site's post is refused as such, session or not.
  http::Request forged = FormPost("/de/account/profile/password", "password=x", cookie);
  forged.set(http::Field::origin, "https://evil.example");
  EXPECT_EQ(Fetch(web->port(), forged).result(), http::Status::forbidden);
}

TEST_F(WebSession, WhenRedisCannotBeAskedNobodyIsSignedOut) {
  testing::PrivateRedis redis;
  redis_url = redis.url();
  api.reset();
  Start();
  StartWeb();
  const std::string cookie = SignIn();
  redis.Stop();
  const http::Response page = Get("/de/account", cookie);
  EXPECT_EQ(page.result(), http::Status::service_unavailable);
  EXPECT_TRUE(std::string(page[http::Field::set_cookie]).empty()) << "the cookie stays";
  const http::Response home = Get("/de/", cookie);
  EXPECT_TRUE(std::string(home[http::Field::set_cookie]).empty());
}

TEST_F(WebSession, TheApiCountsEachVisitorsSignInsNotTheWebInstances) {
  api.reset();
  StartCountingLimits([](api::ApiSettings& settings) {
    settings.trusted_proxies = 1;
    settings.rate_limits.login_per_address.limit = 2;
  });
  StartWeb([](WebSettings& settings) { settings.trusted_proxies = 1; });
  const std::string visitor_a = testing::UniqueKeyPrefix() + "a";
  const std::string visitor_b = testing::UniqueKeyPrefix() + "b";
  const auto sign_in = [&](const std::string& address) {
    const std::string token = FormToken(Get("/de/login").body(), "sign-in-form");
    http::Request post =
        FormPost("/de/login", "csrf=" + token + "&email=kim%40example.com&password=wrong");
    post.set("X-Forwarded-For", address);
    return Fetch(web->port(), post).result();
  };
  EXPECT_EQ(sign_in(visitor_a), http::Status::unprocessable_entity);
  EXPECT_EQ(sign_in(visitor_a), http::Status::unprocessable_entity);
  EXPECT_EQ(sign_in(visitor_a), http::Status::too_many_requests);
  EXPECT_EQ(sign_in(visitor_b), http::Status::unprocessable_entity)
      << "another visitor behind the same web instance has a limit of their own";
}

// The API counts discount codes that give nothing per visitor, so the configurator names the
// visitor: one guessing codes gets the 429 page, another behind the same web instance does not.
TEST_F(WebSession, OneVisitorGuessingDiscountCodesDoesNotLockOutAnother) {
  api.reset();
  StartCountingLimits([](api::ApiSettings& settings) {
    settings.trusted_proxies = 1;
    settings.rate_limits.unknown_codes_per_address.limit = 4;
  });
  StartWeb([](WebSettings& settings) { settings.trusted_proxies = 1; });
  const auto configure = [&](const std::string& code, const std::string& address) {
    http::Request request = MakeRequest(
        http::Verb::get,
        "/de/konfigurator?plan=team&interval=month&type=business&country=DE&code=" + code);
    request.set("X-Forwarded-For", address);
    return Fetch(web->port(), request).result();
  };
  const std::string guesser = testing::UniqueKeyPrefix() + "guesser";
  // An unknown code is tried as a coupon and as a referral code: two of the four per guess.
  EXPECT_EQ(configure("GUESS1", guesser), http::Status::ok);
  EXPECT_EQ(configure("GUESS2", guesser), http::Status::ok);
  EXPECT_EQ(configure("GUESS3", guesser), http::Status::too_many_requests);
  EXPECT_EQ(configure("GUESS4", testing::UniqueKeyPrefix() + "other"), http::Status::ok)
      << "another visitor behind the same web instance has a limit of their own";
}

TEST_F(WebSession, SessionsEndWhenIdleAndAtTheirLatest) {
  StartWeb([](WebSettings& settings) {
    settings.sessions.idle = std::chrono::milliseconds(1'500);
    settings.sessions.lifetime = std::chrono::seconds(60);
  });
  const std::string idle = SignIn();
  EXPECT_TRUE(
      testing::Eventually([&] { return StoredSession(idle).empty(); }, std::chrono::seconds(10)))
      << "idle: Redis lets the session expire";
  EXPECT_EQ(Get("/de/account", idle).result(), http::Status::see_other);

  web.reset();
  StartWeb([](WebSettings& settings) {
    settings.sessions.idle = std::chrono::seconds(60);
    settings.sessions.lifetime = std::chrono::seconds(2);
  });
  // Signed in late in a second: a start kept in whole seconds would end the session up to a
  // second early.
  ASSERT_TRUE(testing::Eventually([] { return NowMilliseconds() % 1000 >= 800; },
                                  std::chrono::seconds(2), std::chrono::milliseconds(5)));
  const std::int64_t before_sign_in = NowMilliseconds();
  const std::string busy = SignIn();
  // Busy all along, yet over after its lifetime, and not before.
  EXPECT_TRUE(testing::Eventually(
      [&] { return Get("/de/account", busy).result() == http::Status::see_other; },
      std::chrono::seconds(10), std::chrono::milliseconds(200)));
  EXPECT_GE(NowMilliseconds() - before_sign_in, 2'000);
}

}  // namespace
}  // namespace codezero::web
