#include "http/problem.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "support/log_capture.h"

namespace codezero::http {
namespace {

RequestContext Context() {
  RequestContext context;
  context.request_id = "req-1";
  context.path = "/v1/things";
  return context;
}

TEST(HttpStatusOf, MapsEveryCodeToItsStatus) {
  EXPECT_EQ(HttpStatusOf(ErrorCode::kBadRequest), Status::bad_request);
  EXPECT_EQ(HttpStatusOf(ErrorCode::kUnauthenticated), Status::unauthorized);
  EXPECT_EQ(HttpStatusOf(ErrorCode::kForbidden), Status::forbidden);
  EXPECT_EQ(HttpStatusOf(ErrorCode::kNotFound), Status::not_found);
  EXPECT_EQ(HttpStatusOf(ErrorCode::kMethodNotAllowed), Status::method_not_allowed);
  EXPECT_EQ(HttpStatusOf(ErrorCode::kConflict), Status::conflict);
  EXPECT_EQ(HttpStatusOf(ErrorCode::kGone), Status::gone);
  EXPECT_EQ(HttpStatusOf(ErrorCode::kPreconditionFailed), Status::precondition_failed);
  EXPECT_EQ(HttpStatusOf(ErrorCode::kPayloadTooLarge), Status::payload_too_large);
  EXPECT_EQ(HttpStatusOf(ErrorCode::kUnsupportedMediaType), Status::unsupported_media_type);
  EXPECT_EQ(HttpStatusOf(ErrorCode::kValidationFailed), Status::unprocessable_entity);
  EXPECT_EQ(HttpStatusOf(ErrorCode::kRateLimited), Status::too_many_requests);
  EXPECT_EQ(HttpStatusOf(ErrorCode::kHeadersTooLarge), Status::request_header_fields_too_large);
  EXPECT_EQ(HttpStatusOf(ErrorCode::kInternal), Status::internal_server_error);
  EXPECT_EQ(HttpStatusOf(ErrorCode::kUnavailable), Status::service_unavailable);
  EXPECT_EQ(HttpStatusOf(ErrorCode::kTimeout), Status::service_unavailable);
}

TEST(ProblemResponse, HasTheRfc9457MembersAndMediaType) {
  const Response response =
      ProblemResponse(Error{ErrorCode::kNotFound, "No order ord_9.", "", {}}, Context());
  EXPECT_EQ(response.result(), Status::not_found);
  EXPECT_EQ(response[Field::content_type], "application/problem+json");
  const auto body = boost::json::parse(response.body()).as_object();
  EXPECT_EQ(body.at("type"), "https://codezero.ai/problems/not-found");
  EXPECT_EQ(body.at("title"), "Not found");
  EXPECT_EQ(body.at("status"), 404);
  EXPECT_EQ(body.at("detail"), "No order ord_9.");
  EXPECT_EQ(body.at("instance"), "/v1/things");
  EXPECT_EQ(body.at("request_id"), "req-1");
  EXPECT_FALSE(body.contains("errors"));
}

TEST(ProblemResponse, ListsFieldErrorsForValidationFailures) {
  Error error{ErrorCode::kValidationFailed,
              "Some fields are invalid.",
              "",
              {{"required", "company.name", "This field is required."},
               {"too_long", "user.email", "Must be at most 254 characters long."}}};
  const Response response = ProblemResponse(error, Context());
  EXPECT_EQ(response.result(), Status::unprocessable_entity);
  const auto body = boost::json::parse(response.body()).as_object();
  const auto& errors = body.at("errors").as_array();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].at("code"), "required");
  EXPECT_EQ(errors[0].at("field"), "company.name");
  EXPECT_EQ(errors[0].at("message"), "This field is required.");
  EXPECT_EQ(errors[1].at("field"), "user.email");
}

TEST(ProblemResponse, HidesInternalDetailsOfServerErrorsButLogsThem) {
  testing::LogCapture logs;
  const Response response = ProblemResponse(
      Error{ErrorCode::kInternal, "relation orders does not exist", "42P01: detail", {}},
      Context());
  EXPECT_EQ(response.result(), Status::internal_server_error);
  EXPECT_EQ(response.body().find("relation orders"), std::string::npos);
  EXPECT_EQ(response.body().find("42P01"), std::string::npos);
  EXPECT_NE(logs.text().find("relation orders does not exist"), std::string::npos);
  EXPECT_NE(logs.text().find("\"request_id\":\"req-1\""), std::string::npos);
}

TEST(ProblemResponse, UnavailableTellsTheClientWhenToRetry) {
  testing::LogCapture logs;
  const Response response =
      ProblemResponse(Error{ErrorCode::kUnavailable, "database unavailable", "", {}}, Context());
  EXPECT_EQ(response.result(), Status::service_unavailable);
  EXPECT_EQ(response[Field::retry_after], "1");
}

}  // namespace
}  // namespace codezero::http
