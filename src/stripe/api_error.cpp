#include "stripe/api_error.h"

#include <boost/json/parse.hpp>

namespace codezero::stripe {
namespace {

std::string StringMember(const boost::json::object& object, std::string_view name) {
  const auto* value = object.if_contains(name);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : std::string();
}

ApiErrorKind KindOf(int status, std::string_view type) {
  // Stripe answers 409 while the first request with a key still runs (retryable), and 400
  // idempotency_error when a key comes back with other parameters (never succeeds).
  if (status == 409) return ApiErrorKind::kConflict;
  if (type == "idempotency_error") return ApiErrorKind::kIdempotency;
  if (type == "card_error" || status == 402) return ApiErrorKind::kCard;
  if (status == 401) return ApiErrorKind::kAuthentication;
  if (status == 403) return ApiErrorKind::kPermission;
  if (status == 429) return ApiErrorKind::kRateLimit;
  if (status >= 500 || type == "api_error") return ApiErrorKind::kApi;
  return ApiErrorKind::kInvalidRequest;
}

}  // namespace

ApiError DecodeApiError(int status, std::string_view body, std::string_view request_id) {
  ApiError error;
  error.status = status;
  error.request_id = std::string(request_id);
  boost::system::error_code ec;
  const boost::json::value parsed = boost::json::parse(body, ec);
  if (!ec && parsed.is_object()) {
    if (const auto* inner = parsed.as_object().if_contains("error");
        inner != nullptr && inner->is_object()) {
      const auto& fields = inner->as_object();
      error.type = StringMember(fields, "type");
      error.code = StringMember(fields, "code");
      error.decline_code = StringMember(fields, "decline_code");
      error.message = StringMember(fields, "message");
      error.param = StringMember(fields, "param");
    }
  }
  if (error.message.empty()) error.message = "Stripe answered HTTP " + std::to_string(status);
  error.kind = KindOf(status, error.type);
  return error;
}

std::string_view ToString(ApiErrorKind kind) {
  switch (kind) {
    case ApiErrorKind::kConnection:
      return "connection";
    case ApiErrorKind::kApi:
      return "api_error";
    case ApiErrorKind::kAuthentication:
      return "authentication_error";
    case ApiErrorKind::kPermission:
      return "permission_error";
    case ApiErrorKind::kCard:
      return "card_error";
    case ApiErrorKind::kIdempotency:
      return "idempotency_error";
    case ApiErrorKind::kConflict:
      return "conflict";
    case ApiErrorKind::kInvalidRequest:
      return "invalid_request_error";
    case ApiErrorKind::kRateLimit:
      return "rate_limit_error";
  }
  return "unknown";
}

Error ToError(const ApiError& error) {
  // Appended piece by piece: g++ 12 at -O3 misreads `"x" + std::string(view)` (a false
  // -Wstringop-overflow).
  std::string reason = "stripe ";
  reason.append(ToString(error.kind));
  if (error.status != 0) reason.append(" ").append(std::to_string(error.status));
  if (!error.code.empty()) reason.append(" ").append(error.code);
  if (!error.message.empty()) reason.append(": ").append(error.message);
  if (!error.request_id.empty()) reason.append(" (").append(error.request_id).append(")");
  switch (error.kind) {
    case ApiErrorKind::kConnection:
    case ApiErrorKind::kApi:
    case ApiErrorKind::kRateLimit:
    case ApiErrorKind::kConflict:
      return Error{
          ErrorCode::kUnavailable, "the payment provider is unavailable, try again", reason, {}};
    default:
      return Error{ErrorCode::kInternal, "the payment provider refused a request", reason, {}};
  }
}

}  // namespace codezero::stripe
