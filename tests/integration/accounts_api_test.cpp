// The account life over HTTP against a real PostgreSQL and Redis: sign-up, verification,
// sign-in, refresh with rotation and reuse detection, revocation, password reset, invitations,
// member removal, tenant isolation and rate limits.
#include <gtest/gtest.h>

#include <cstdio>
#include <thread>

#include "http/query.h"
#include "support/api_server.h"
#include "support/api_test.h"
#include "support/catalog_fixture.h"
#include "support/http_client.h"
#include "support/private_redis.h"

namespace codezero::api {
namespace {

using testing::JsonOf;

constexpr std::string_view kPassword = testing::kTestPassword;

class AccountsApi : public testing::ApiTest {};

TEST_F(AccountsApi, TheWholeAccountLife) {
  Start();
  const std::string email = "kim@example.com";
  ASSERT_EQ(Send(http::Verb::post, "/v1/accounts", SignUpBody(email)).result(),
            http::Status::accepted);
  EXPECT_EQ(database.QueryValue("SELECT role FROM users WHERE email = 'kim@example.com'"), "owner");
  EXPECT_EQ(
      database.QueryValue(
          "SELECT count(*) FROM users WHERE password_hash LIKE '$argon2id$v=19$m=19456,t=2,p=1$%'"),
      "1");

  // Not verified yet: the right password still gets no token, and the answer says why.
  const http::Response early =
      PostForm("/v1/oauth/token",
               "grant_type=password&username=kim%40example.com&password=correct+horse+battery");
  EXPECT_EQ(early.result(), http::Status::bad_request);
  EXPECT_EQ(JsonOf(early).at("error"), "invalid_grant");
  EXPECT_NE(std::string(JsonOf(early).at("error_description").as_string()).find("not confirmed"),
            std::string::npos);

  const std::string verify = LinkToken("verify_email", email);
  ASSERT_FALSE(verify.empty());
  EXPECT_EQ(
      Send(http::Verb::post, "/v1/accounts/verify", R"({"token":")" + verify + R"("})").result(),
      http::Status::no_content);
  EXPECT_EQ(
      Send(http::Verb::post, "/v1/accounts/verify", R"({"token":")" + verify + R"("})").result(),
      http::Status::bad_request);

  // Sign in: the token response is never cached.
  const http::Response signed_in =
      PostForm("/v1/oauth/token",
               "grant_type=password&username=KIM%40example.com&password=correct+horse+battery");
  ASSERT_EQ(signed_in.result(), http::Status::ok) << signed_in.body();
  EXPECT_EQ(signed_in[http::Field::cache_control], "no-store");
  const auto body = JsonOf(signed_in);
  EXPECT_EQ(body.at("token_type"), "Bearer");
  EXPECT_EQ(body.at("expires_in"), 900);
  const std::string access(body.at("access_token").as_string());
  const std::string refresh(body.at("refresh_token").as_string());
  EXPECT_TRUE(access.starts_with("cz_at_"));
  // Only the SHA-256 of a token is stored.
  EXPECT_EQ(database.QueryValue(
                "SELECT count(*) FROM access_tokens WHERE token_hash = sha256(convert_to('" +
                access + "', 'UTF8'))"),
            "1");
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM refresh_tokens WHERE position(convert_to('" +
                                refresh + "', 'UTF8') in token_hash) > 0"),
            "0");

  const http::Response me = Send(http::Verb::get, "/v1/me", "", access);
  ASSERT_EQ(me.result(), http::Status::ok);
  EXPECT_EQ(JsonOf(me).at("email"), "kim@example.com");
  EXPECT_EQ(JsonOf(me).at("role"), "owner");

  // Refresh rotates: a new pair; the old refresh token is used up.
  const http::Response rotated = Refresh(refresh);
  ASSERT_EQ(rotated.result(), http::Status::ok) << rotated.body();
  const std::string access2(JsonOf(rotated).at("access_token").as_string());
  const std::string refresh2(JsonOf(rotated).at("refresh_token").as_string());
  EXPECT_NE(refresh2, refresh);
  EXPECT_EQ(Send(http::Verb::get, "/v1/me", "", access2).result(), http::Status::ok);

  // Presenting the used refresh token again revokes the whole family and is audited.
  const http::Response reused = Refresh(refresh);
  EXPECT_EQ(reused.result(), http::Status::bad_request);
  EXPECT_EQ(JsonOf(reused).at("error"), "invalid_grant");
  EXPECT_EQ(Send(http::Verb::get, "/v1/me", "", access2).result(), http::Status::unauthorized);
  EXPECT_EQ(Refresh(refresh2).result(), http::Status::bad_request);
  EXPECT_EQ(
      database.QueryValue("SELECT count(*) FROM audit_log WHERE action = 'token_reuse_detected'"),
      "1");

  // Revocation (RFC 7009): 200, also for unknown tokens; the family is gone.
  const Tokens fresh = Login(email);
  EXPECT_EQ(PostForm("/v1/oauth/revoke", "token=" + fresh.refresh).result(), http::Status::ok);
  EXPECT_EQ(PostForm("/v1/oauth/revoke", "token=cz_rt_unknown").result(), http::Status::ok);
  EXPECT_EQ(Send(http::Verb::get, "/v1/me", "", fresh.access).result(), http::Status::unauthorized);
  EXPECT_EQ(Refresh(fresh.refresh).result(), http::Status::bad_request);

  // Password reset: every session ends; the old password stops working.
  const Tokens before_reset = Login(email);
  EXPECT_EQ(Send(http::Verb::post, "/v1/password-reset", R"({"email":"kim@example.com"})").result(),
            http::Status::accepted);
  const std::string reset = LinkToken("password_reset", email);
  ASSERT_FALSE(reset.empty());
  EXPECT_EQ(Send(http::Verb::post, "/v1/password-reset/confirm",
                 R"({"token":")" + reset + R"(","password":"a brand new passphrase"})")
                .result(),
            http::Status::no_content);
  EXPECT_EQ(Send(http::Verb::get, "/v1/me", "", before_reset.access).result(),
            http::Status::unauthorized);
  EXPECT_EQ(
      PostForm("/v1/oauth/token",
               "grant_type=password&username=kim%40example.com&password=correct+horse+battery")
          .result(),
      http::Status::bad_request);
  EXPECT_FALSE(Login(email, "a+brand+new+passphrase").access.empty());
  for (const char* action : {"account_created", "email_verified", "login_succeeded", "login_failed",
                             "password_reset_requested", "password_reset"}) {
    EXPECT_NE(database.QueryValue(std::string("SELECT count(*) FROM audit_log WHERE action = '") +
                                  action + "'"),
              "0")
        << action;
  }
}

TEST_F(AccountsApi, AnExistingAndAnUnknownAddressGetTheSameAnswers) {
  Start();
  SignUpAndVerify("taken@example.com");
  const http::Response again =
      Send(http::Verb::post, "/v1/accounts", SignUpBody("taken@example.com", "Other"));
  const http::Response fresh =
      Send(http::Verb::post, "/v1/accounts", SignUpBody("new@example.com", "Other"));
  EXPECT_EQ(again.result(), fresh.result());
  EXPECT_EQ(again.body(), fresh.body());
  // The owner of the taken address is told, not the caller.
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM email_outbox WHERE template = "
                                "'account_exists' AND to_address = 'taken@example.com'"),
            "1");
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM companies WHERE name = 'Other'"), "1");

  const http::Response known =
      Send(http::Verb::post, "/v1/password-reset", R"({"email":"taken@example.com"})");
  const http::Response unknown =
      Send(http::Verb::post, "/v1/password-reset", R"({"email":"nobody@example.com"})");
  EXPECT_EQ(known.result(), http::Status::accepted);
  EXPECT_EQ(known.result(), unknown.result());
  EXPECT_EQ(known.body(), unknown.body());

  const http::Response wrong_password =
      PostForm("/v1/oauth/token",
               "grant_type=password&username=taken%40example.com&password=wrong-wrong-wrong");
  const http::Response no_account =
      PostForm("/v1/oauth/token",
               "grant_type=password&username=nobody%40example.com&password=wrong-wrong-wrong");
  EXPECT_EQ(wrong_password.body(), no_account.body());
}

TEST_F(AccountsApi, SignUpReportsEveryProblemAtOnce) {
  Start();
  const http::Response response = Send(
      http::Verb::post, "/v1/accounts",
      R"({"company":{"name":"","country":"ZZ","vat_id":"ATU12345678","address":{"line1":"x","postal_code":"1"}},)"
      R"("user":{"email":"not-an-address","password":"short","name":"Kim","locale":"en"}})");
  ASSERT_EQ(response.result(), http::Status::unprocessable_entity);
  std::vector<std::string> codes;
  const boost::json::value problem = JsonOf(response);
  for (const auto& error : problem.at("errors").as_array()) {
    codes.push_back(std::string(error.at("code").as_string()) + "@" +
                    std::string(error.at("field").as_string()));
  }
  for (const char* expected : {"required@company.name", "required@company.address.city",
                               "unsupported_country@company.country", "invalid_email@user.email",
                               "password_too_short@user.password"}) {
    EXPECT_NE(std::find(codes.begin(), codes.end(), expected), codes.end()) << expected;
  }
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM users"), "0");
}

TEST_F(AccountsApi, TheVerificationLinkLeadsOnToWhereTheVisitorWasGoing) {
  Start();
  std::string body = SignUpBody("next@example.com", "Next GmbH");
  body.insert(body.size() - 1, R"(,"next":"/en/checkout?quote=abc.def")");
  ASSERT_EQ(Send(http::Verb::post, "/v1/accounts", body).result(), http::Status::accepted);
  const std::string link = database.QueryValue(
      "SELECT payload->>'link' FROM email_outbox WHERE template = 'verify_email'");
  EXPECT_NE(link.find("/en/account/verify?token=cz_"), std::string::npos) << link;
  EXPECT_TRUE(link.ends_with("&next=%2Fen%2Fcheckout%3Fquote%3Dabc.def")) << link;

  for (const char* elsewhere : {"https://evil.example/", "//evil.example", "/a b"}) {
    std::string bad = SignUpBody("bad@example.com", "Bad GmbH");
    bad.insert(bad.size() - 1, std::string(R"(,"next":")") + elsewhere + R"(")");
    EXPECT_EQ(Send(http::Verb::post, "/v1/accounts", bad).result(),
              http::Status::unprocessable_entity)
        << elsewhere;
  }
}

TEST_F(AccountsApi, ThePasswordPolicyIsPublishedForForms) {
  Start();
  const http::Response policy = Send(http::Verb::get, "/v1/password-policy");
  ASSERT_EQ(policy.result(), http::Status::ok);
  EXPECT_EQ(JsonOf(policy).at("min_length"), 10);
  EXPECT_EQ(JsonOf(policy).at("max_length"), 128);
}

TEST_F(AccountsApi, ASignInRefusalSaysWhichCaseItIsForTheClientsOwnWords) {
  Start();
  SignUpAndVerify("known@example.com");
  ASSERT_EQ(
      Send(http::Verb::post, "/v1/accounts", SignUpBody("unverified@example.com", "U")).result(),
      http::Status::accepted);
  const auto reason_of = [&](const std::string& form) {
    return std::string(JsonOf(PostForm("/v1/oauth/token", form)).at("reason").as_string());
  };
  EXPECT_EQ(reason_of("grant_type=password&username=known%40example.com&password=wrong-wrong-1"),
            "wrong_credentials");
  EXPECT_EQ(reason_of("grant_type=password&username=nobody%40example.com&password=wrong-wrong-1"),
            "wrong_credentials");
  EXPECT_EQ(reason_of("grant_type=password&username=unverified%40example.com&password=correct+"
                      "horse+battery"),
            "email_unverified");
}

TEST_F(AccountsApi, OAuthErrorsFollowRfc6749) {
  Start();
  const auto error_of = [](const http::Response& response) {
    return std::string(JsonOf(response).at("error").as_string());
  };
  EXPECT_EQ(error_of(PostForm("/v1/oauth/token", "grant_type=client_credentials")),
            "unsupported_grant_type");
  EXPECT_EQ(error_of(PostForm("/v1/oauth/token", "username=a")), "invalid_request");
  EXPECT_EQ(error_of(PostForm("/v1/oauth/token", "grant_type=password&username=a%40b.de")),
            "invalid_request");
  EXPECT_EQ(error_of(Send(http::Verb::post, "/v1/oauth/token", R"({"grant_type":"password"})")),
            "invalid_request");
  EXPECT_EQ(error_of(Refresh("cz_rt_nonsense")), "invalid_grant");
  const http::Response bad_token = Send(http::Verb::get, "/v1/me", "", "cz_at_nonsense");
  EXPECT_EQ(bad_token.result(), http::Status::unauthorized);
  EXPECT_EQ(bad_token[http::Field::www_authenticate],
            R"(Bearer realm="codezero", error="invalid_token")");
  const http::Response no_token = Send(http::Verb::get, "/v1/me");
  EXPECT_EQ(no_token[http::Field::www_authenticate], R"(Bearer realm="codezero")");
}

TEST_F(AccountsApi, ProfileChangesShowAndANewPasswordEndsOtherSessions) {
  Start();
  SignUpAndVerify("pat@example.com");
  const Tokens here = Login("pat@example.com");
  const Tokens elsewhere = Login("pat@example.com");
  EXPECT_EQ(Send(http::Verb::get, "/v1/me", "", here.access).result(),
            http::Status::ok);  // cached now
  const http::Response renamed =
      Send(http::Verb::patch, "/v1/me", R"({"name":"Pat","locale":"de"})", here.access);
  ASSERT_EQ(renamed.result(), http::Status::ok) << renamed.body();
  EXPECT_EQ(JsonOf(Send(http::Verb::get, "/v1/me", "", here.access)).at("name"), "Pat");

  const http::Response wrong = Send(
      http::Verb::patch, "/v1/me",
      R"({"password":"another good passphrase","current_password":"nope nope nope"})", here.access);
  EXPECT_EQ(wrong.result(), http::Status::unprocessable_entity);
  EXPECT_EQ(JsonOf(wrong).at("errors").at(0).at("code"), "wrong_password");
  const http::Response changed =
      Send(http::Verb::patch, "/v1/me",
           R"({"password":"another good passphrase","current_password":"correct horse battery"})",
           here.access);
  ASSERT_EQ(changed.result(), http::Status::ok) << changed.body();
  EXPECT_EQ(Send(http::Verb::get, "/v1/me", "", here.access).result(), http::Status::ok);
  EXPECT_EQ(Send(http::Verb::get, "/v1/me", "", elsewhere.access).result(),
            http::Status::unauthorized);
}

TEST_F(AccountsApi, OwnersInviteAndRemoveMembersAndRolesAreEnforced) {
  Start();
  SignUpAndVerify("owner@example.com");
  const Tokens owner = Login("owner@example.com");
  const http::Response invited = Send(http::Verb::post, "/v1/company/invitations",
                                      R"({"email":"Member@Example.com"})", owner.access);
  ASSERT_EQ(invited.result(), http::Status::created) << invited.body();
  EXPECT_EQ(JsonOf(invited).at("role"), "member");
  const std::string invitation = LinkToken("invitation", "Member@example.com");
  ASSERT_FALSE(invitation.empty());
  const http::Response accepted =
      Send(http::Verb::post, "/v1/invitations/accept",
           R"({"token":")" + invitation + R"(","name":"Mo","password":"member passphrase"})");
  ASSERT_EQ(accepted.result(), http::Status::created) << accepted.body();
  const std::string member_id(JsonOf(accepted).at("id").as_string());
  EXPECT_EQ(Send(http::Verb::post, "/v1/invitations/accept",
                 R"({"token":")" + invitation + R"(","name":"Mo","password":"member passphrase"})")
                .result(),
            http::Status::bad_request);

  const Tokens member = Login("member%40example.com", "member+passphrase");
  const http::Response members = Send(http::Verb::get, "/v1/company/members", "", member.access);
  ASSERT_EQ(members.result(), http::Status::ok);
  EXPECT_EQ(JsonOf(members).at("data").as_array().size(), 2u);
  EXPECT_EQ(Send(http::Verb::post, "/v1/company/invitations", R"({"email":"x@example.com"})",
                 member.access)
                .result(),
            http::Status::forbidden);
  EXPECT_EQ(
      Send(http::Verb::patch, "/v1/company", R"({"name":"Mine now"})", member.access).result(),
      http::Status::forbidden);
  EXPECT_EQ(
      Send(http::Verb::delete_, "/v1/company/members/" + member_id, "", member.access).result(),
      http::Status::forbidden);

  EXPECT_EQ(
      Send(http::Verb::delete_, "/v1/company/members/" + member_id, "", owner.access).result(),
      http::Status::no_content);
  EXPECT_EQ(Send(http::Verb::get, "/v1/me", "", member.access).result(),
            http::Status::unauthorized);
  EXPECT_EQ(JsonOf(Send(http::Verb::get, "/v1/company/members", "", owner.access))
                .at("data")
                .as_array()
                .size(),
            1u);
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM audit_log WHERE action IN "
                                "('member_invited','invitation_accepted','member_removed')"),
            "3");
}

TEST_F(AccountsApi, CompaniesCannotSeeOrTouchEachOthersPeople) {
  Start();
  SignUpAndVerify("a@example.com", "Company A");
  SignUpAndVerify("b@example.com", "Company B");
  const Tokens a = Login("a@example.com");
  const Tokens b = Login("b@example.com");
  const std::string b_id(
      JsonOf(Send(http::Verb::get, "/v1/me", "", b.access)).at("id").as_string());
  const auto a_members = JsonOf(Send(http::Verb::get, "/v1/company/members", "", a.access));
  ASSERT_EQ(a_members.at("data").as_array().size(), 1u);
  EXPECT_EQ(a_members.at("data").at(0).at("email"), "a@example.com");
  EXPECT_EQ(JsonOf(Send(http::Verb::get, "/v1/company", "", a.access)).at("name"), "Company A");
  // Another company's member is "not found", never "forbidden".
  EXPECT_EQ(Send(http::Verb::delete_, "/v1/company/members/" + b_id, "", a.access).result(),
            http::Status::not_found);
  EXPECT_EQ(Send(http::Verb::delete_, "/v1/company/members/not-a-uuid", "", a.access).result(),
            http::Status::not_found);
  EXPECT_EQ(Send(http::Verb::get, "/v1/me", "", b.access).result(), http::Status::ok);
}

TEST_F(AccountsApi, RateLimitsAnswer429WithHeadersAndRecover) {
  Start([](ApiSettings& settings) {
    settings.rate_limits.login_per_account.limit = 3;
    settings.rate_limits.login_per_account.window = std::chrono::seconds(2);
  });
  SignUpAndVerify("limited@example.com");
  const std::string form =
      "grant_type=password&username=limited%40example.com&password=wrong-wrong-wrong";
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(PostForm("/v1/oauth/token", form).result(), http::Status::bad_request);
  const http::Response limited = PostForm("/v1/oauth/token", form);
  ASSERT_EQ(limited.result(), http::Status::too_many_requests);
  EXPECT_EQ(limited[http::Field::content_type], "application/problem+json");
  EXPECT_FALSE(limited[http::Field::retry_after].empty());
  EXPECT_NE(std::string(limited["RateLimit-Policy"]).find(";q=3;w=2"), std::string::npos);
  EXPECT_NE(std::string(limited["RateLimit"]).find(";r=0;"), std::string::npos);
  // A burst of 3 per 2 s: one more attempt is allowed after 2/3 s.
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  EXPECT_EQ(PostForm("/v1/oauth/token", form).result(), http::Status::bad_request);
}

TEST_F(AccountsApi, WithRedisDownLimitsFailOpenAndSignInWorksFromPostgres) {
  testing::PrivateRedis redis;
  redis_url = redis.url();
  Start();
  SignUpAndVerify("resilient@example.com");
  const Tokens tokens = Login("resilient@example.com");
  redis.Stop();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(Send(http::Verb::get, "/v1/me", "", tokens.access).result(), http::Status::ok);
  EXPECT_FALSE(Login("resilient@example.com").access.empty());
}

}  // namespace
}  // namespace codezero::api

namespace codezero::api {
namespace {

TEST_F(AccountsApi, PlatformAdminsManageCompaniesUsersCatalogAndCoupons) {
  Start();
  SignUpAndVerify("customer@example.com", "Customer GmbH");
  const Tokens customer = Login("customer@example.com");
  const Tokens admin = LoginAsNewPlatformAdmin("staff@codezero.ai");
  ASSERT_FALSE(admin.access.empty());
  EXPECT_EQ(JsonOf(Send(http::Verb::get, "/v1/me", "", admin.access)).at("platform_admin"), true);

  // Customers are not admins.
  for (const char* path : {"/v1/admin/companies", "/v1/admin/users", "/v1/admin/coupons"}) {
    EXPECT_EQ(Send(http::Verb::get, path, "", customer.access).result(), http::Status::forbidden)
        << path;
  }
  const auto companies =
      JsonOf(Send(http::Verb::get, "/v1/admin/companies?q=customer", "", admin.access));
  ASSERT_EQ(companies.at("data").as_array().size(), 1u);
  EXPECT_EQ(companies.at("data").at(0).at("members"), 1);
  const auto users =
      JsonOf(Send(http::Verb::get, "/v1/admin/users?q=customer%40", "", admin.access));
  ASSERT_EQ(users.at("data").as_array().size(), 1u);
  const std::string customer_id(users.at("data").at(0).at("id").as_string());
  EXPECT_FALSE(users.at("data").at(0).at("company_id").is_null());
  const auto staff = JsonOf(Send(http::Verb::get, "/v1/admin/users?q=staff", "", admin.access));
  ASSERT_EQ(staff.at("data").as_array().size(), 1u);
  EXPECT_TRUE(staff.at("data").at(0).at("company_id").is_null());  // staff belong to no company
  EXPECT_EQ(JsonOf(Send(http::Verb::get, "/v1/admin/users?limit=1&offset=1", "", admin.access))
                .at("data")
                .as_array()
                .size(),
            1u);
  // A page that is not a page is refused, not guessed at.
  for (const char* path : {"/v1/admin/users?limit=0", "/v1/admin/users?limit=abc",
                           "/v1/admin/companies?limit=101", "/v1/admin/companies?offset=-1"}) {
    EXPECT_EQ(Send(http::Verb::get, path, "", admin.access).result(), http::Status::bad_request)
        << path;
  }

  // Coupons: create, refuse a duplicate, list, deactivate; quotes see each change within
  // moments (every API loop's copy is told by PostgreSQL).
  EXPECT_EQ(Send(http::Verb::post, "/v1/admin/coupons",
                 R"({"code":"spring10","percent_off_bps":1000})", admin.access)
                .result(),
            http::Status::created);
  EXPECT_EQ(Send(http::Verb::post, "/v1/admin/coupons",
                 R"({"code":"SPRING10","percent_off_bps":500})", admin.access)
                .result(),
            http::Status::conflict);
  EXPECT_EQ(Send(http::Verb::post, "/v1/admin/coupons",
                 R"({"code":"BAD CODE","percent_off_bps":0})", admin.access)
                .result(),
            http::Status::unprocessable_entity);
  // Whole percents only, so a discount never needs rounding (docs/pricing.md, "Rounding").
  const http::Response fraction =
      Send(http::Verb::post, "/v1/admin/coupons", R"({"code":"HALF125","percent_off_bps":1250})",
           admin.access);
  EXPECT_EQ(fraction.result(), http::Status::unprocessable_entity);
  EXPECT_EQ(JsonOf(fraction).at("errors").at(0).at("field"), "percent_off_bps");
  EXPECT_THROW(
      database.Execute("INSERT INTO coupons (code, percent_off_bps) VALUES ('RAW125', 1250)"),
      std::exception);
  const std::string quote =
      R"({"plan":"team","interval":"month","customer":{"country":"DE","type":"business"},"coupon":"SPRING10"})";
  WaitForQuotesToSee(R"("coupon":"SPRING10")");
  EXPECT_EQ(Send(http::Verb::post, "/v1/quotes", quote).result(), http::Status::created);
  EXPECT_EQ(
      Send(http::Verb::post, "/v1/admin/coupons/spring10/deactivate", "", admin.access).result(),
      http::Status::no_content);
  WaitForQuotesToSee(R"("coupon":"SPRING10")", false);
  EXPECT_EQ(JsonOf(Send(http::Verb::post, "/v1/quotes", quote)).at("errors").at(0).at("code"),
            "coupon_expired");
  EXPECT_EQ(JsonOf(Send(http::Verb::get, "/v1/admin/coupons", "", admin.access))
                .at("data")
                .as_array()
                .size(),
            2u);

  // A new catalog version from JSON; the same document again changes nothing.
  std::string document = testing::RepositoryFile("catalog/catalog-v1.json");
  document.replace(document.find("\"monthly_amount\": 4900"), 22, "\"monthly_amount\": 5900");
  const http::Response imported =
      Send(http::Verb::post, "/v1/admin/catalog", document, admin.access);
  ASSERT_EQ(imported.result(), http::Status::created) << imported.body();
  EXPECT_EQ(JsonOf(imported).at("version"), 2);
  EXPECT_EQ(Send(http::Verb::post, "/v1/admin/catalog", document, admin.access).result(),
            http::Status::ok);
  EXPECT_EQ(
      Send(http::Verb::post, "/v1/admin/catalog", R"({"currency":"eur"})", admin.access).result(),
      http::Status::unprocessable_entity);

  // Disabling a user ends their sessions at once.
  EXPECT_EQ(Send(http::Verb::post, "/v1/admin/users/" + customer_id + "/disable", "", admin.access)
                .result(),
            http::Status::no_content);
  EXPECT_EQ(Send(http::Verb::get, "/v1/me", "", customer.access).result(),
            http::Status::unauthorized);
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM audit_log WHERE action LIKE 'admin_%'"), "6");
}

TEST_F(AccountsApi, PeopleCanTakeTheirDataAndBeErased) {
  Start();
  SignUpAndVerify("leaver@example.com", "Leaver GmbH");
  const Tokens owner = Login("leaver@example.com");
  const http::Response exported = Send(http::Verb::get, "/v1/me/export", "", owner.access);
  ASSERT_EQ(exported.result(), http::Status::ok) << exported.body();
  EXPECT_NE(std::string(exported[http::Field::content_disposition]).find("attachment"),
            std::string::npos);
  const auto data = JsonOf(exported);
  EXPECT_EQ(data.at("user").at("email"), "leaver@example.com");
  EXPECT_EQ(data.at("company").at("name"), "Leaver GmbH");
  EXPECT_EQ(data.at("sessions").as_array().size(), 1u);
  EXPECT_EQ(data.at("emails").at(0).at("template"), "verify_email");
  EXPECT_FALSE(data.at("activity").as_array().empty());
  EXPECT_EQ(exported.body().find("argon2"), std::string::npos);  // never the password hash

  // An owner hands over or closes the company first.
  EXPECT_EQ(Send(http::Verb::delete_, "/v1/me", "", owner.access).result(), http::Status::conflict);
  const http::Response closed = Send(http::Verb::delete_, "/v1/company", "", owner.access);
  EXPECT_EQ(closed.result(), http::Status::ok);
  EXPECT_EQ(closed.body(), R"({"subscriptions_ending":[]})");  // it bought nothing
  EXPECT_EQ(Send(http::Verb::delete_, "/v1/me", "", owner.access).result(),
            http::Status::no_content);

  EXPECT_EQ(Send(http::Verb::get, "/v1/me", "", owner.access).result(), http::Status::unauthorized);
  EXPECT_EQ(
      PostForm("/v1/oauth/token",
               "grant_type=password&username=leaver%40example.com&password=correct+horse+battery")
          .result(),
      http::Status::bad_request);
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM users WHERE email = 'leaver@example.com'"),
            "0");
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM users WHERE email LIKE 'erased-%@invalid' "
                                "AND name = '' AND password_hash IS NULL"),
            "1");
  EXPECT_EQ(database.QueryValue(
                "SELECT count(*) FROM email_outbox WHERE to_address = 'leaver@example.com'"),
            "0");
  EXPECT_EQ(database.QueryValue("SELECT name FROM companies"), "deleted");
  // The audit trail stays, pointing at an id that no longer leads to a person.
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM audit_log WHERE action IN "
                                "('data_exported','company_deleted','account_erased')"),
            "3");
  // The address is free again.
  EXPECT_EQ(Send(http::Verb::post, "/v1/accounts", SignUpBody("leaver@example.com", "Back GmbH"))
                .result(),
            http::Status::accepted);
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM users WHERE email = 'leaver@example.com'"),
            "1");
}

TEST_F(AccountsApi, OwnershipCanBeHandedOver) {
  Start();
  SignUpAndVerify("first@example.com");
  const Tokens first = Login("first@example.com");
  ASSERT_EQ(Send(http::Verb::post, "/v1/company/invitations", R"({"email":"second@example.com"})",
                 first.access)
                .result(),
            http::Status::created);
  const http::Response accepted =
      Send(http::Verb::post, "/v1/invitations/accept",
           R"({"token":")" + LinkToken("invitation", "second@example.com") +
               R"(","name":"Sam","password":"second passphrase"})");
  ASSERT_EQ(accepted.result(), http::Status::created);
  const std::string second_id(JsonOf(accepted).at("id").as_string());
  const Tokens second = Login("second%40example.com", "second+passphrase");
  EXPECT_EQ(JsonOf(Send(http::Verb::get, "/v1/me", "", second.access)).at("role"), "member");

  EXPECT_EQ(Send(http::Verb::post, "/v1/company/owner", R"({"user_id":")" + second_id + R"("})",
                 first.access)
                .result(),
            http::Status::no_content);
  EXPECT_EQ(JsonOf(Send(http::Verb::get, "/v1/me", "", second.access)).at("role"), "owner");
  EXPECT_EQ(JsonOf(Send(http::Verb::get, "/v1/me", "", first.access)).at("role"), "member");
  EXPECT_EQ(Send(http::Verb::post, "/v1/company/invitations", R"({"email":"x@example.com"})",
                 first.access)
                .result(),
            http::Status::forbidden);
  EXPECT_EQ(Send(http::Verb::delete_, "/v1/me", "", first.access).result(),
            http::Status::no_content);
  EXPECT_EQ(JsonOf(Send(http::Verb::get, "/v1/company/members", "", second.access))
                .at("data")
                .as_array()
                .size(),
            1u);
}

}  // namespace
}  // namespace codezero::api
