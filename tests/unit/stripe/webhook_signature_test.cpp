#include "stripe/webhook_signature.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace codezero::stripe {
namespace {

constexpr std::int64_t kNow = 1'764'000'000;
const std::vector<std::string> kSecrets{"whsec_old", "whsec_current"};
constexpr std::string_view kPayload = R"({"id":"evt_1","object":"event"})";

TEST(WebhookSignature, MatchesAnIndependentlyComputedHmac) {
  // HMAC-SHA256("whsec_test", "1700000000.{}") computed with `openssl dgst -sha256 -hmac`.
  EXPECT_EQ(SignatureHeader("whsec_test", 1'700'000'000, "{}"),
            "t=1700000000,v1=35495024f4ef3f94e5a93e22221544c4b75e9a42300cd965ab81cb85cd994e91");
}

TEST(WebhookSignature, AcceptsAnyConfiguredSecret) {
  EXPECT_EQ(
      VerifySignature(SignatureHeader("whsec_current", kNow, kPayload), kPayload, kSecrets, kNow),
      SignatureCheck::kValid);
  EXPECT_EQ(
      VerifySignature(SignatureHeader("whsec_old", kNow - 10, kPayload), kPayload, kSecrets, kNow),
      SignatureCheck::kValid);
  // A header with several v1 signatures (Stripe during a secret roll) and a v0 one.
  const std::string current = SignatureHeader("whsec_current", kNow, kPayload);
  const std::string rolled = SignatureHeader("whsec_unknown", kNow, kPayload) + ",v0=abc," +
                             current.substr(current.find("v1="));
  EXPECT_EQ(VerifySignature(rolled, kPayload, kSecrets, kNow), SignatureCheck::kValid);
}

TEST(WebhookSignature, RejectsChangesAndStaleOrFutureTimestamps) {
  const std::string header = SignatureHeader("whsec_current", kNow, kPayload);
  EXPECT_EQ(VerifySignature(header, R"({"id":"evt_2","object":"event"})", kSecrets, kNow),
            SignatureCheck::kMismatch);
  EXPECT_EQ(VerifySignature("t=" + std::to_string(kNow + 1) + header.substr(header.find(',')),
                            kPayload, kSecrets, kNow),
            SignatureCheck::kMismatch);
  EXPECT_EQ(VerifySignature(header, kPayload, kSecrets, kNow + 301),
            SignatureCheck::kOutsideTolerance);
  EXPECT_EQ(VerifySignature(header, kPayload, kSecrets, kNow - 301),
            SignatureCheck::kOutsideTolerance);
  EXPECT_EQ(VerifySignature(header, kPayload, kSecrets, kNow + 300), SignatureCheck::kValid);
}

TEST(WebhookSignature, RejectsMalformedAndV0OnlyHeaders) {
  EXPECT_EQ(VerifySignature("", kPayload, kSecrets, kNow), SignatureCheck::kMalformed);
  EXPECT_EQ(VerifySignature("v1=abc", kPayload, kSecrets, kNow), SignatureCheck::kMalformed);
  EXPECT_EQ(VerifySignature("t=12x,v1=abc", kPayload, kSecrets, kNow), SignatureCheck::kMalformed);
  EXPECT_EQ(VerifySignature("t=" + std::to_string(kNow) + ",v0=abc", kPayload, kSecrets, kNow),
            SignatureCheck::kNoV1Signature);
  const std::string header = SignatureHeader("whsec_current", kNow, kPayload);
  const std::string as_v0 =
      "t=" + std::to_string(kNow) + ",v0=" + header.substr(header.find("v1=") + 3);
  EXPECT_EQ(VerifySignature(as_v0, kPayload, kSecrets, kNow), SignatureCheck::kNoV1Signature);
}

}  // namespace
}  // namespace codezero::stripe
