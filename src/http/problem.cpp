#include "http/problem.h"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "common/log.h"

namespace codezero::http {
namespace {

constexpr std::string_view kProblemBase = "https://codezero.ai/problems/";

struct ProblemKind {
  std::string_view slug;
  std::string_view title;
};

ProblemKind KindOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::kBadRequest:
      return {"bad-request", "Bad request"};
    case ErrorCode::kUnauthenticated:
      return {"unauthenticated", "Authentication required"};
    case ErrorCode::kForbidden:
      return {"forbidden", "Forbidden"};
    case ErrorCode::kNotFound:
      return {"not-found", "Not found"};
    case ErrorCode::kMethodNotAllowed:
      return {"method-not-allowed", "Method not allowed"};
    case ErrorCode::kConflict:
      return {"conflict", "Conflict"};
    case ErrorCode::kGone:
      return {"gone", "Gone"};
    case ErrorCode::kPreconditionFailed:
      return {"precondition-failed", "Precondition failed"};
    case ErrorCode::kPayloadTooLarge:
      return {"payload-too-large", "Request body too large"};
    case ErrorCode::kUnsupportedMediaType:
      return {"unsupported-media-type", "Unsupported media type"};
    case ErrorCode::kValidationFailed:
      return {"validation-failed", "Validation failed"};
    case ErrorCode::kRateLimited:
      return {"rate-limited", "Too many requests"};
    case ErrorCode::kHeadersTooLarge:
      return {"headers-too-large", "Request header fields too large"};
    case ErrorCode::kInternal:
      return {"internal", "Internal server error"};
    case ErrorCode::kUnavailable:
      return {"unavailable", "Service unavailable"};
    case ErrorCode::kTimeout:
      return {"timeout", "Service unavailable"};
  }
  return {"internal", "Internal server error"};
}

}  // namespace

Status HttpStatusOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::kBadRequest:
      return Status::bad_request;
    case ErrorCode::kUnauthenticated:
      return Status::unauthorized;
    case ErrorCode::kForbidden:
      return Status::forbidden;
    case ErrorCode::kNotFound:
      return Status::not_found;
    case ErrorCode::kMethodNotAllowed:
      return Status::method_not_allowed;
    case ErrorCode::kConflict:
      return Status::conflict;
    case ErrorCode::kGone:
      return Status::gone;
    case ErrorCode::kPreconditionFailed:
      return Status::precondition_failed;
    case ErrorCode::kPayloadTooLarge:
      return Status::payload_too_large;
    case ErrorCode::kUnsupportedMediaType:
      return Status::unsupported_media_type;
    case ErrorCode::kValidationFailed:
      return Status::unprocessable_entity;
    case ErrorCode::kRateLimited:
      return Status::too_many_requests;
    case ErrorCode::kHeadersTooLarge:
      return Status::request_header_fields_too_large;
    case ErrorCode::kInternal:
      return Status::internal_server_error;
    case ErrorCode::kUnavailable:
    case ErrorCode::kTimeout:
      return Status::service_unavailable;
  }
  return Status::internal_server_error;
}

std::string ProblemType(ErrorCode code) {
  return std::string(kProblemBase) + std::string(KindOf(code).slug);
}

Response ProblemResponse(const Error& error, const RequestContext& context, unsigned version) {
  const Status status = HttpStatusOf(error.code);
  const bool server_side = static_cast<unsigned>(status) >= 500;
  const ProblemKind kind = KindOf(error.code);

  boost::json::object body;
  body["type"] = ProblemType(error.code);
  body["title"] = kind.title;
  body["status"] = static_cast<unsigned>(status);
  if (server_side) {
    body["detail"] = status == Status::service_unavailable
                         ? "A service this request needs is not available right now. Please "
                           "try again shortly."
                         : "Something went wrong on our side. It has been logged.";
    log::Error("request failed",
               {{"code", ToString(error.code)},
                {"error", error.message},
                {"reason", error.reason},
                {"path", context.path}},
               context.request_id);
  } else if (!error.message.empty()) {
    body["detail"] = error.message;
  }
  body["instance"] = context.path;
  body["request_id"] = context.request_id;
  if (!error.fields.empty()) {
    boost::json::array errors;
    for (const FieldError& field : error.fields) {
      errors.push_back(boost::json::object{
          {"code", field.code}, {"field", field.field}, {"message", field.message}});
    }
    body["errors"] = std::move(errors);
  }

  Response response(status, version);
  response.set(Field::content_type, "application/problem+json");
  if (status == Status::service_unavailable) response.set(Field::retry_after, "1");
  response.body() = boost::json::serialize(body);
  return response;
}

}  // namespace codezero::http
