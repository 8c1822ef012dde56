#include "http/json_body.h"

#include <gtest/gtest.h>

namespace codezero::http {
namespace {

Request JsonRequest(std::string body, std::string content_type = "application/json") {
  Request request(Verb::post, "/", 11);
  request.set(Field::content_type, content_type);
  request.body() = std::move(body);
  return request;
}

TEST(ParseJsonBody, ParsesAValidDocument) {
  const auto value = ParseJsonBody(JsonRequest(R"({"a":[1,2]})"));
  ASSERT_TRUE(value);
  EXPECT_EQ(value->at("a").as_array().size(), 2u);
}

TEST(ParseJsonBody, AcceptsCharsetAndVendorJsonTypes) {
  EXPECT_TRUE(ParseJsonBody(JsonRequest("{}", "application/json; charset=utf-8")));
  EXPECT_TRUE(ParseJsonBody(JsonRequest("{}", "Application/JSON")));
  EXPECT_TRUE(ParseJsonBody(JsonRequest("{}", "application/merge-patch+json")));
}

TEST(ParseJsonBody, WrongContentTypeIs415) {
  const auto value = ParseJsonBody(JsonRequest("{}", "text/plain"));
  ASSERT_FALSE(value);
  EXPECT_EQ(value.error().code, ErrorCode::kUnsupportedMediaType);
  EXPECT_NE(value.error().message.find("text/plain"), std::string::npos);
}

TEST(ParseJsonBody, MissingContentTypeIs415) {
  Request request(Verb::post, "/", 11);
  request.body() = "{}";
  const auto value = ParseJsonBody(request);
  ASSERT_FALSE(value);
  EXPECT_EQ(value.error().code, ErrorCode::kUnsupportedMediaType);
}

TEST(ParseJsonBody, MalformedJsonIs400WithLineAndColumn) {
  const auto value = ParseJsonBody(JsonRequest("{\n  \"a\": tru\n}"));
  ASSERT_FALSE(value);
  EXPECT_EQ(value.error().code, ErrorCode::kBadRequest);
  EXPECT_NE(value.error().message.find("line 2, column 8"), std::string::npos)
      << value.error().message;
}

TEST(ParseJsonBody, TrailingGarbageIs400) {
  const auto value = ParseJsonBody(JsonRequest("{} x"));
  ASSERT_FALSE(value);
  EXPECT_EQ(value.error().code, ErrorCode::kBadRequest);
}

TEST(ParseJsonBody, EmptyBodyIs400) {
  const auto value = ParseJsonBody(JsonRequest(""));
  ASSERT_FALSE(value);
  EXPECT_EQ(value.error().code, ErrorCode::kBadRequest);
}

TEST(ParseJsonBody, InvalidUtf8Is400) {
  const auto value = ParseJsonBody(JsonRequest("{\"a\":\"\xff\"}"));
  ASSERT_FALSE(value);
  EXPECT_EQ(value.error().code, ErrorCode::kBadRequest);
}

TEST(JsonResponse, SerializesWithJsonContentType) {
  const Response response = JsonResponse(Status::created, boost::json::object{{"id", 7}});
  EXPECT_EQ(response.result(), Status::created);
  EXPECT_EQ(response[Field::content_type], "application/json");
  EXPECT_EQ(response.body(), R"({"id":7})");
}

}  // namespace
}  // namespace codezero::http
