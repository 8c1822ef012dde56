#include "common/error.h"

namespace codezero {

Unexpected Fail(ErrorCode code, std::string message, std::string reason) {
  return Unexpected(Error{code, std::move(message), std::move(reason), {}});
}

std::string_view ToString(ErrorCode code) {
  switch (code) {
    case ErrorCode::kBadRequest:
      return "bad_request";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kMethodNotAllowed:
      return "method_not_allowed";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kGone:
      return "gone";
    case ErrorCode::kPreconditionFailed:
      return "precondition_failed";
    case ErrorCode::kPayloadTooLarge:
      return "payload_too_large";
    case ErrorCode::kUnsupportedMediaType:
      return "unsupported_media_type";
    case ErrorCode::kValidationFailed:
      return "validation_failed";
    case ErrorCode::kRateLimited:
      return "rate_limited";
    case ErrorCode::kHeadersTooLarge:
      return "headers_too_large";
    case ErrorCode::kInternal:
      return "internal";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kTimeout:
      return "timeout";
  }
  return "internal";
}

}  // namespace codezero
