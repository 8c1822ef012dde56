// Stripe's error envelope and status codes:
//   {"error":{"type":"invalid_request_error","code":"parameter_missing",
//             "message":"Missing required param: customer.","param":"customer",
//             "doc_url":"https://stripe.com/docs/error-codes/parameter-missing"}}
// Handlers return `ApiResult`: the JSON object to send, or a `StripeError`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>
#include <tl/expected.hpp>

namespace codezero::stripe_fake {

struct StripeError {
  int status = 400;
  std::string type = "invalid_request_error";
  std::string code;  // empty: no code
  std::string message;
  std::string param;           // empty: none
  std::string decline_code;    // card errors only
  std::string payment_intent;  // card errors on a charge: the failed intent's id
};

using ApiResult = tl::expected<boost::json::value, StripeError>;

template <class T>
using Outcome = tl::expected<T, StripeError>;

[[nodiscard]] boost::json::value ErrorBody(const StripeError& error);

[[nodiscard]] StripeError ParameterMissing(std::string_view param);
[[nodiscard]] StripeError ParameterUnknown(std::string_view param);
[[nodiscard]] StripeError InvalidInteger(std::string_view param, std::string_view value);
[[nodiscard]] StripeError InvalidParam(std::string_view param, std::string message);
// 404 resource_missing: "No such customer: 'cus_x'".
[[nodiscard]] StripeError NoSuch(std::string_view what, std::string_view id,
                                 std::string_view param = "id");
[[nodiscard]] StripeError AlreadyExists(std::string_view what, std::string_view param = "id");
[[nodiscard]] StripeError InvalidState(std::string message);
// 401: no key, or a key other than the configured one (masked like Stripe: sk_test_****abcd).
[[nodiscard]] StripeError MissingApiKey();
[[nodiscard]] StripeError InvalidApiKey(std::string_view key);
[[nodiscard]] std::string MaskKey(std::string_view key);

}  // namespace codezero::stripe_fake

// Propagates the error of an Outcome: `STRIPE_FAKE_TRY(auto customer, FindCustomer(id));`
// `tmp` is a name and `lhs` may be a declaration: neither can take parentheses.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define STRIPE_FAKE_CONCAT_INNER(a, b) a##b
#define STRIPE_FAKE_CONCAT(a, b) STRIPE_FAKE_CONCAT_INNER(a, b)
#define STRIPE_FAKE_TRY_IMPL(tmp, lhs, expr)               \
  auto tmp = (expr);                                       \
  if (!tmp) return tl::unexpected(std::move(tmp.error())); \
  lhs = std::move(*tmp)
#define STRIPE_FAKE_TRY(lhs, expr) \
  STRIPE_FAKE_TRY_IMPL(STRIPE_FAKE_CONCAT(try_result_, __LINE__), lhs, expr)
// NOLINTEND(bugprone-macro-parentheses)
// For Outcome<void> and other checks whose value is not needed.
#define STRIPE_FAKE_CHECK(expr)                               \
  do {                                                        \
    if (auto check_result = (expr); !check_result)            \
      return tl::unexpected(std::move(check_result.error())); \
  } while (false)
