#include "stripe/api_error.h"

#include <gtest/gtest.h>

#include "stripe/client.h"

namespace codezero::stripe {
namespace {

TEST(DecodeApiError, ReadsStripesEnvelope) {
  const ApiError error = DecodeApiError(
      402,
      R"({"error":{"type":"card_error","code":"card_declined","decline_code":"insufficient_funds",)"
      R"("message":"Your card has insufficient funds.","param":""}})",
      "req_123");
  EXPECT_EQ(error.kind, ApiErrorKind::kCard);
  EXPECT_EQ(error.code, "card_declined");
  EXPECT_EQ(error.decline_code, "insufficient_funds");
  EXPECT_EQ(error.message, "Your card has insufficient funds.");
  EXPECT_EQ(error.request_id, "req_123");
}

TEST(DecodeApiError, ClassifiesByTypeAndStatus) {
  EXPECT_EQ(DecodeApiError(400, R"({"error":{"type":"idempotency_error"}})", "").kind,
            ApiErrorKind::kIdempotency);
  EXPECT_EQ(DecodeApiError(409, R"({"error":{"type":"idempotency_error"}})", "").kind,
            ApiErrorKind::kConflict);
  EXPECT_EQ(DecodeApiError(400,
                           R"({"error":{"type":"invalid_request_error",)"
                           R"("code":"resource_already_exists"}})",
                           "")
                .code,
            "resource_already_exists");
  EXPECT_EQ(DecodeApiError(401, "{}", "").kind, ApiErrorKind::kAuthentication);
  EXPECT_EQ(DecodeApiError(404, R"({"error":{"type":"invalid_request_error"}})", "").kind,
            ApiErrorKind::kInvalidRequest);
  EXPECT_EQ(DecodeApiError(429, "", "").kind, ApiErrorKind::kRateLimit);
  const ApiError unreadable = DecodeApiError(503, "<html>oops</html>", "");
  EXPECT_EQ(unreadable.kind, ApiErrorKind::kApi);
  EXPECT_EQ(unreadable.message, "Stripe answered HTTP 503");
}

TEST(ToError, MakesStripeOutagesRetryableAndHidesDetails) {
  const Error outage = ToError(ApiError{.kind = ApiErrorKind::kConnection, .message = "refused"});
  EXPECT_EQ(outage.code, ErrorCode::kUnavailable);
  EXPECT_EQ(outage.message.find("refused"), std::string::npos);
  EXPECT_NE(outage.reason.find("refused"), std::string::npos);
  EXPECT_EQ(ToError(ApiError{.kind = ApiErrorKind::kInvalidRequest, .status = 400}).code,
            ErrorCode::kInternal);
}

// A key sent again with other parameters fails again however often it is tried: a bug (500,
// logged as an error), not "try again". A key whose first request still runs is worth a retry.
TEST(ToError, AnIdempotencyErrorIsABugAndAConflictIsWorthARetry) {
  const Error reused = ToError(DecodeApiError(
      400,
      R"({"error":{"type":"idempotency_error","message":"Keys for idempotent requests)"
      R"( can only be used with the same parameters they were first used with."}})",
      "req_1"));
  EXPECT_EQ(reused.code, ErrorCode::kInternal);
  EXPECT_NE(reused.reason.find("idempotency_error"), std::string::npos);
  EXPECT_EQ(ToError(DecodeApiError(409, R"({"error":{"type":"idempotency_error"}})", "")).code,
            ErrorCode::kUnavailable);
}

TEST(RetryPolicy, RetriesNetworkConflictsRateLimitsAndServerErrors) {
  EXPECT_TRUE(ShouldRetry(0, ""));
  EXPECT_TRUE(ShouldRetry(409, ""));
  EXPECT_TRUE(ShouldRetry(429, ""));
  EXPECT_TRUE(ShouldRetry(500, ""));
  EXPECT_TRUE(ShouldRetry(503, ""));
  EXPECT_FALSE(ShouldRetry(400, ""));
  EXPECT_FALSE(ShouldRetry(402, ""));
  EXPECT_FALSE(ShouldRetry(404, ""));
  // Stripe's own verdict wins either way.
  EXPECT_FALSE(ShouldRetry(500, "false"));
  EXPECT_TRUE(ShouldRetry(400, "true"));
}

TEST(RetryPolicy, BacksOffExponentiallyWithJitterUpToTheCap) {
  const ClientOptions options;  // 500 ms initial, 5 s cap
  EXPECT_EQ(RetryDelay(options, 0, 1.0).count(), 500);
  EXPECT_EQ(RetryDelay(options, 1, 1.0).count(), 1000);
  EXPECT_EQ(RetryDelay(options, 2, 1.0).count(), 2000);
  EXPECT_EQ(RetryDelay(options, 4, 1.0).count(), 5000);
  EXPECT_EQ(RetryDelay(options, 60, 1.0).count(), 5000);
  EXPECT_EQ(RetryDelay(options, 1, 0.5).count(), 500);
  EXPECT_EQ(RetryDelay(options, 1, 0.1).count(), 500);  // jitter is clamped to [0.5, 1]
}

}  // namespace
}  // namespace codezero::stripe
