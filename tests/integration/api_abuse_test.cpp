// Limits that keep the API's unauthenticated and stolen-token paths from being used for guessing
// (passwords, discount codes), for free work or for mailing strangers: the findings of a
// security review, one test each.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "support/api_test.h"
#include "support/http_client.h"

namespace codezero::api {
namespace {

using testing::JsonOf;

class ApiAbuse : public testing::ApiTest {
 protected:
  http::Response ConfirmReset(const std::string& token) {
    return Send(http::Verb::post, "/v1/password-reset/confirm",
                R"({"token":")" + token + R"(","password":"a new passphrase"})");
  }
  http::Response AcceptInvitation(const std::string& token) {
    return Send(http::Verb::post, "/v1/invitations/accept",
                R"({"token":")" + token + R"(","name":"Mo","password":"a new passphrase"})");
  }
};

// The login limit per account counts the account, not the spelling: "Kim@…" and "kim@…" are
// one user (the column is citext), so they must share one bucket.
TEST_F(ApiAbuse, TheLoginLimitPerAccountIgnoresTheCaseOfTheAddress) {
  StartCountingLimits([](ApiSettings& settings) {
    settings.rate_limits.login_per_account.limit = 3;
    settings.rate_limits.login_per_account.window = std::chrono::hours(1);
  });
  SignUpAndVerify("casey@example.com");
  const std::string spellings[] = {"casey", "Casey", "CASEY", "cAsEy"};
  int refused = 0;
  for (const std::string& local : spellings) {
    const http::Response answer =
        PostForm("/v1/oauth/token", "grant_type=password&username=" + local +
                                        "%40example.com&password=wrong-wrong-wrong");
    if (answer.result() == http::Status::too_many_requests) ++refused;
  }
  EXPECT_EQ(refused, 1) << "four guesses at one account, with a limit of three";
}

// A post with a wrong link token must cost no argon2id work: the token is checked first. While
// four clients flood both link endpoints, the hasher admits nothing for them and a real
// sign-in goes through.
TEST_F(ApiAbuse, AWrongLinkTokenCostsNoPasswordHashing) {
  StartCountingLimits([](ApiSettings& settings) {
    settings.rate_limits.reset_confirm_per_address.limit = 1'000;
    settings.rate_limits.invitation_accept_per_address.limit = 1'000;
  });
  SignUpAndVerify("flooded@example.com");
  const std::uint64_t before = api->hasher().admitted_total();
  std::vector<std::thread> flood;
  std::atomic<int> refused{0};
  for (int client = 0; client < 4; ++client) {
    flood.emplace_back([&, client] {
      for (int i = 0; i < 10; ++i) {
        const std::string token = "cz_bad_" + std::to_string(client) + "_" + std::to_string(i);
        const http::Response answer = i % 2 == 0 ? ConfirmReset(token) : AcceptInvitation(token);
        if (answer.result() == http::Status::bad_request &&
            answer.body().find("invalid_link") != std::string::npos) {
          ++refused;
        }
      }
    });
  }
  const Tokens tokens = Login("flooded@example.com");  // during the flood
  for (std::thread& client : flood) client.join();
  EXPECT_FALSE(tokens.access.empty());
  EXPECT_EQ(refused.load(), 40);
  EXPECT_EQ(api->hasher().admitted_total() - before, 1u) << "only the sign-in's verification";
}

TEST_F(ApiAbuse, LinkPostsAreLimitedPerAddress) {
  StartCountingLimits([](ApiSettings& settings) {
    settings.rate_limits.reset_confirm_per_address.limit = 3;
    settings.rate_limits.invitation_accept_per_address.limit = 3;
  });
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(ConfirmReset("cz_bad").result(), http::Status::bad_request);
    EXPECT_EQ(AcceptInvitation("cz_bad").result(), http::Status::bad_request);
  }
  for (const http::Response& limited : {ConfirmReset("cz_bad"), AcceptInvitation("cz_bad")}) {
    ASSERT_EQ(limited.result(), http::Status::too_many_requests);
    EXPECT_FALSE(limited[http::Field::retry_after].empty());
  }
  EXPECT_NE(std::string(ConfirmReset("cz_bad")["RateLimit-Policy"]).find("reset_confirm_ip"),
            std::string::npos);
}

// A stolen access token must not allow guessing the current password faster than the sign-in
// form: guesses count against the account's sign-in limit, and each wrong one is audited.
TEST_F(ApiAbuse, GuessingTheCurrentPasswordIsLimitedAndAudited) {
  StartCountingLimits([](ApiSettings& settings) {
    settings.rate_limits.login_per_account.limit = 4;
    settings.rate_limits.login_per_account.window = std::chrono::hours(1);
  });
  SignUpAndVerify("guessed@example.com");
  const Tokens stolen = Login("guessed@example.com");  // the account's first of four
  int wrong = 0;
  int limited = 0;
  for (int guess = 0; guess < 5; ++guess) {
    const http::Response answer =
        Send(http::Verb::patch, "/v1/me",
             R"({"password":"a new passphrase","current_password":"guess number )" +
                 std::to_string(guess) + R"("})",
             stolen.access);
    if (answer.result() == http::Status::unprocessable_entity) ++wrong;
    if (answer.result() == http::Status::too_many_requests) ++limited;
  }
  EXPECT_EQ(wrong, 3);
  EXPECT_EQ(limited, 2);
  EXPECT_EQ(
      database.QueryValue("SELECT count(*) FROM audit_log WHERE action = 'password_change_failed'"),
      "3");
}

// A refresh-token family (one sign-in) ends 90 days after the sign-in, however often it was
// used: a stolen refresh token that keeps being rotated does not live for ever.
TEST_F(ApiAbuse, RefreshTokensStopWorkingNinetyDaysAfterTheirSignIn) {
  Start();
  SignUpAndVerify("lasting@example.com");
  const Tokens signed_in = Login("lasting@example.com");
  const auto rotate = [&](const std::string& refresh_token) {
    const http::Response answer = Refresh(refresh_token);
    return answer.result() == http::Status::ok
               ? std::string(JsonOf(answer).at("refresh_token").as_string())
               : std::string();
  };
  const std::string of_user =
      " WHERE user_id = (SELECT id FROM users WHERE email = 'lasting@example.com')";
  // 89 days on, the family still rotates, and the new token ends with the family.
  database.Execute(
      "UPDATE refresh_tokens SET family_started_at = family_started_at - interval '89 days'" +
      of_user);
  const std::string later = rotate(signed_in.refresh);
  ASSERT_FALSE(later.empty());
  EXPECT_EQ(database.QueryValue("SELECT bool_and(expires_at <= family_started_at + "
                                "interval '90 days') FROM refresh_tokens" +
                                of_user + " AND used_at IS NULL"),
            "t");
  // A day and a minute later it is over, although the token itself has not expired.
  database.Execute(
      "UPDATE refresh_tokens SET family_started_at = family_started_at - interval '1 day 1 "
      "minute', expires_at = now() + interval '1 day'" +
      of_user);
  const http::Response refused = Refresh(later);
  EXPECT_EQ(refused.result(), http::Status::bad_request);
  EXPECT_EQ(JsonOf(refused).at("error"), "invalid_grant");
  // Signing in again starts a new family.
  EXPECT_FALSE(rotate(Login("lasting@example.com").refresh).empty());
}

// Invitations mail addresses the platform does not know: a company may send only so many a day,
// counted per company (not per owner or address), and other companies are not affected.
TEST_F(ApiAbuse, ACompanySendsOnlySoManyInvitationsADay) {
  StartCountingLimits([](ApiSettings& settings) {
    settings.rate_limits.invitations_per_company.limit = 3;
    settings.rate_limits.invitations_per_company.window = std::chrono::hours(24);
  });
  SignUpAndVerify("inviter@example.com", "Inviting GmbH");
  SignUpAndVerify("other@example.com", "Other GmbH");
  const Tokens inviter = Login("inviter@example.com");
  const Tokens other = Login("other@example.com");
  const auto invite = [&](const Tokens& owner, int n) {
    return Send(http::Verb::post, "/v1/company/invitations",
                R"({"email":"stranger)" + std::to_string(n) + R"(@example.org"})", owner.access);
  };
  for (int n = 0; n < 3; ++n) EXPECT_EQ(invite(inviter, n).result(), http::Status::created) << n;
  const http::Response limited = invite(inviter, 3);
  ASSERT_EQ(limited.result(), http::Status::too_many_requests);
  EXPECT_FALSE(limited[http::Field::retry_after].empty());
  EXPECT_EQ(invite(other, 4).result(), http::Status::created);
  EXPECT_EQ(database.QueryValue("SELECT count(*) FROM email_outbox WHERE template = 'invitation'"),
            "4");
}

// Discount codes cannot be enumerated: quotes whose code gives nothing are counted per address,
// and past the limit the address's quotes with any code are refused; good codes are never
// counted, quotes without a code never limited, and other addresses not affected.
TEST_F(ApiAbuse, DiscountCodesCannotBeGuessedThroughQuotes) {
  StartCountingLimits([](ApiSettings& settings) {
    settings.rate_limits.unknown_codes_per_address.limit = 3;
    settings.trusted_proxies = 1;  // as behind web, which names the visitor
  });
  database.Execute("INSERT INTO coupons (code, percent_off_bps) VALUES ('REAL10', 1000)");
  WaitForQuotesToSee(R"("coupon":"REAL10")");  // from this test's address: good codes count not
  const std::string guesser = testing::UniqueKeyPrefix() + "guesser";
  const auto quote = [&](const std::string& discount, const std::string& address) {
    const std::string body =
        R"({"plan":"team","interval":"month","customer":{"country":"DE","type":"business"})" +
        discount + "}";
    return Send(http::Verb::post, "/v1/quotes", body, "", "application/json",
                {{"X-Forwarded-For", address}})
        .result();
  };
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(quote(R"(,"coupon":"REAL10")", guesser), http::Status::created) << i;
  for (const char* guess : {"GUESS1", "GUESS2", "GUESS3"}) {
    EXPECT_EQ(quote(R"(,"coupon":")" + std::string(guess) + R"(")", guesser),
              http::Status::unprocessable_entity);
  }
  EXPECT_EQ(quote(R"(,"referral_code":"GUESS4")", guesser), http::Status::too_many_requests);
  // From now on even a good code gets no answer from this address, but plain quotes do, and
  // other visitors' codes work.
  EXPECT_EQ(quote(R"(,"coupon":"REAL10")", guesser), http::Status::too_many_requests);
  EXPECT_EQ(quote("", guesser), http::Status::created);
  EXPECT_EQ(quote(R"(,"coupon":"REAL10")", testing::UniqueKeyPrefix() + "other"),
            http::Status::created);
}

}  // namespace
}  // namespace codezero::api
