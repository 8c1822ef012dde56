// Token hashing, argon2id parameters, the bearer header and the rate-limit arithmetic.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "auth/bearer.h"
#include "auth/password_hasher.h"
#include "auth/principal.h"
#include "auth/tokens.h"
#include "domain/email_address.h"
#include "redis/rate_limiter.h"
#include "support/run_async.h"

namespace codezero {
namespace {

TEST(Tokens, AreRandomPrefixedAndStoredAsTheirSha256) {
  const auth::NewToken a = auth::MakeToken(auth::kAccessTokenPrefix);
  const auth::NewToken b = auth::MakeToken(auth::kAccessTokenPrefix);
  EXPECT_TRUE(a.value.starts_with("cz_at_"));
  EXPECT_EQ(a.value.size(), 6u + 43u);  // 256 bits, base64url
  EXPECT_NE(a.value, b.value);
  EXPECT_EQ(a.hash, auth::HashToken(a.value));
  EXPECT_EQ(a.hash.size(), 64u);
  EXPECT_EQ(auth::HashToken("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Bearer, ReadsTheTokenCaseInsensitively) {
  EXPECT_EQ(auth::BearerToken("Bearer cz_at_x"), "cz_at_x");
  EXPECT_EQ(auth::BearerToken("bearer   cz_at_x"), "cz_at_x");
  EXPECT_EQ(auth::BearerToken("BeArEr cz_at_x"), "cz_at_x");
  EXPECT_EQ(auth::BearerToken("Basic abc"), "");
  EXPECT_EQ(auth::BearerToken("Bearer"), "");
  EXPECT_EQ(auth::BearerToken(""), "");
}

TEST(Principal, RoundTripsThroughItsCachedForm) {
  const auth::Principal principal{"u1", "c1", "owner", true, "a@b.de", "Kim \"K\"", "en", "f1"};
  const auto back = auth::PrincipalFromJson(auth::PrincipalToJson(principal));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->name, "Kim \"K\"");
  EXPECT_TRUE(back->platform_admin);
  EXPECT_TRUE(back->IsOwner());
  EXPECT_FALSE(auth::PrincipalFromJson("{}"));
  EXPECT_FALSE(auth::PrincipalFromJson("not json"));
}

TEST(PasswordHasher, UsesArgon2idWithAtLeastOwaspsParameters) {
  boost::asio::io_context context;
  auth::PasswordHasher hasher(auth::PasswordPolicy{}, 1);
  const auto hash = testing::RunAsync(context, hasher.Hash("correct horse battery"));
  ASSERT_TRUE(hash);
  EXPECT_TRUE(hash->starts_with("$argon2id$v=19$m=19456,t=2,p=1$")) << *hash;
  EXPECT_TRUE(testing::RunAsync(context, hasher.Verify(*hash, "correct horse battery"))->matches);
  EXPECT_FALSE(testing::RunAsync(context, hasher.Verify(*hash, "correct horse batterY"))->matches);
  EXPECT_NE(*hash, *testing::RunAsync(context, hasher.Hash("correct horse battery")));  // salted
}

TEST(PasswordHasher, AsksForARehashWhenThePolicyGrew) {
  boost::asio::io_context context;
  auth::PasswordHasher old_hasher(auth::PasswordPolicy{}, 1);
  const auto hash = testing::RunAsync(context, old_hasher.Hash("correct horse battery"));
  ASSERT_TRUE(hash);
  auth::PasswordPolicy stronger;
  stronger.iterations = 3;
  auth::PasswordHasher new_hasher(stronger, 1);
  const auto check = testing::RunAsync(context, new_hasher.Verify(*hash, "correct horse battery"));
  ASSERT_TRUE(check);
  EXPECT_TRUE(check->matches);
  EXPECT_TRUE(check->needs_rehash);
  EXPECT_FALSE(
      testing::RunAsync(context, old_hasher.Verify(*hash, "correct horse battery"))->needs_rehash);
}

// One thread and room for one more: of three hashes asked for at once, the third is refused at
// once (kUnavailable, a 503 to API clients) instead of waiting; afterwards there is room again.
TEST(PasswordHasher, RefusesWorkBeyondItsQueueInsteadOfPilingItUp) {
  boost::asio::io_context context;
  auth::PasswordHasher hasher(auth::PasswordPolicy{}, 1, 1);
  std::vector<Result<std::string>> results;
  for (int i = 0; i < 3; ++i) {
    boost::asio::co_spawn(
        context,
        [&]() -> boost::asio::awaitable<void> {
          results.push_back(co_await hasher.Hash("correct horse battery"));
        },
        boost::asio::detached);
  }
  testing::RunUntil(context, [&] { return results.size() == 3; });
  ASSERT_FALSE(results[0]);  // the refusal comes first: it did not wait
  EXPECT_EQ(results[0].error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(results[1]);
  EXPECT_TRUE(results[2]);
  EXPECT_EQ(hasher.admitted_total(), 2u);
  EXPECT_TRUE(testing::RunAsync(context, hasher.Hash("correct horse battery")));
  EXPECT_EQ(hasher.admitted_total(), 3u);
}

TEST(PasswordPolicy, AcceptsTenToOneHundredTwentyEightCharacters) {
  const auth::PasswordPolicy policy;
  EXPECT_EQ(auth::PasswordProblem(policy, "123456789"), "too_short");
  EXPECT_EQ(auth::PasswordProblem(policy, "1234567890"), "");
  EXPECT_EQ(auth::PasswordProblem(policy, "äöüäöüäöüä"), "");  // characters, not bytes
  EXPECT_EQ(auth::PasswordProblem(policy, std::string(129, 'x')), "too_long");
}

TEST(PasswordPolicy, RefusesParametersBelowOwasp) {
  SettingsReader reader([](std::string_view name) -> std::optional<std::string> {
    if (name == "PASSWORD_HASH_MEMORY_KIB") return "4096";
    if (name == "PASSWORD_HASH_ITERATIONS") return "1";
    return std::nullopt;
  });
  (void)auth::ReadPasswordPolicy(reader);
  EXPECT_EQ(reader.problems().size(), 2u);
}

TEST(RateLimitArithmetic, LetsABurstThroughThenOneEveryInterval) {
  const redis::RateLimit limit{"t", 10, std::chrono::seconds(900)};  // one every 90 s
  std::int64_t tat = 0;
  const std::int64_t now = 1'000'000;
  for (int i = 0; i < 10; ++i) {
    const redis::GcraStep step = redis::Gcra(limit, tat, now);
    ASSERT_TRUE(step.decision.allowed) << i;
    EXPECT_EQ(step.decision.remaining, 9 - i);
    tat = step.tat;
  }
  const redis::GcraStep denied = redis::Gcra(limit, tat, now);
  EXPECT_FALSE(denied.decision.allowed);
  EXPECT_EQ(denied.decision.retry_after, std::chrono::milliseconds(90'000));
  EXPECT_EQ(denied.decision.reset_after, std::chrono::milliseconds(900'000));
  EXPECT_EQ(denied.tat, tat);  // a refused request costs nothing
  EXPECT_FALSE(redis::Gcra(limit, tat, now + 89'999).decision.allowed);
  const redis::GcraStep later = redis::Gcra(limit, tat, now + 90'000);
  EXPECT_TRUE(later.decision.allowed);
  EXPECT_EQ(later.decision.remaining, 0);
  EXPECT_EQ(redis::Gcra(limit, tat, now + 900'000).decision.remaining, 9);  // fully recovered
}

TEST(EmailAddress, AcceptsMailboxesAndRejectsTheRest) {
  EXPECT_TRUE(domain::IsPlausibleEmail("kim@example.com"));
  EXPECT_TRUE(domain::IsPlausibleEmail("kim.o'neil+shop@mail.example.co.uk"));
  for (const char* bad :
       {"", "kim", "kim@", "@example.com", "kim@example", "kim@@example.com", "k m@example.com",
        "kim@example..com", "kim@.example.com", "<kim@example.com>"}) {
    EXPECT_FALSE(domain::IsPlausibleEmail(bad)) << bad;
  }
  std::string too_long(250, 'a');
  too_long.append("@x.de");
  EXPECT_FALSE(domain::IsPlausibleEmail(too_long));
  EXPECT_EQ(domain::NormalizeEmail("  Kim@Example.COM "), "Kim@example.com");
}

}  // namespace
}  // namespace codezero
