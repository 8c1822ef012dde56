#include "stripe_fake/errors.h"

#include <boost/json/object.hpp>

namespace codezero::stripe_fake {
namespace {

std::string DocUrl(std::string_view code) {
  std::string slug(code);
  for (char& c : slug) {
    if (c == '_') c = '-';
  }
  return "https://stripe.com/docs/error-codes/" + slug;
}

}  // namespace

boost::json::value ErrorBody(const StripeError& error) {
  boost::json::object inner;
  inner["type"] = error.type;
  if (!error.code.empty()) {
    inner["code"] = error.code;
    inner["doc_url"] = DocUrl(error.code);
  }
  if (!error.decline_code.empty()) inner["decline_code"] = error.decline_code;
  inner["message"] = error.message;
  if (!error.param.empty()) inner["param"] = error.param;
  if (!error.payment_intent.empty()) {
    boost::json::object intent;
    intent["id"] = error.payment_intent;
    intent["object"] = "payment_intent";
    inner["payment_intent"] = std::move(intent);
  }
  boost::json::object body;
  body["error"] = std::move(inner);
  return body;
}

StripeError ParameterMissing(std::string_view param) {
  return StripeError{.code = "parameter_missing",
                     .message = "Missing required param: " + std::string(param) + ".",
                     .param = std::string(param)};
}

StripeError ParameterUnknown(std::string_view param) {
  return StripeError{.code = "parameter_unknown",
                     .message = "Received unknown parameter: " + std::string(param),
                     .param = std::string(param)};
}

StripeError InvalidInteger(std::string_view param, std::string_view value) {
  return StripeError{.code = "parameter_invalid_integer",
                     .message = "Invalid integer: " + std::string(value),
                     .param = std::string(param)};
}

StripeError InvalidParam(std::string_view param, std::string message) {
  return StripeError{.message = std::move(message), .param = std::string(param)};
}

StripeError NoSuch(std::string_view what, std::string_view id, std::string_view param) {
  return StripeError{.status = 404,
                     .code = "resource_missing",
                     .message = "No such " + std::string(what) + ": '" + std::string(id) + "'",
                     .param = std::string(param)};
}

StripeError AlreadyExists(std::string_view what, std::string_view param) {
  return StripeError{.code = "resource_already_exists",
                     .message = std::string(what) + " already exists.",
                     .param = std::string(param)};
}

StripeError InvalidState(std::string message) { return StripeError{.message = std::move(message)}; }

std::string MaskKey(std::string_view key) {
  std::string prefix;
  for (std::string_view known : {"sk_test_", "sk_live_", "rk_test_", "rk_live_", "pk_test_"}) {
    if (key.starts_with(known)) prefix = std::string(known);
  }
  const std::string_view tail = key.size() >= prefix.size() + 4 ? key.substr(key.size() - 4) : "";
  return prefix + "****" + std::string(tail);
}

StripeError MissingApiKey() {
  return StripeError{
      .status = 401,
      .message =
          "You did not provide an API key. You need to provide your API key in the "
          "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
          "YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, "
          "or we can help at https://support.stripe.com/."};
}

StripeError InvalidApiKey(std::string_view key) {
  return StripeError{.status = 401, .message = "Invalid API Key provided: " + MaskKey(key)};
}

}  // namespace codezero::stripe_fake
